/*
 * check.c: `mitigate check`: join the threat model and the facts of a
 * build, print the findings like compiler diagnostics, write SARIF, and
 * gate on them.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis.h"
#include "commands.h"
#include "inputs.h"
#include "sarif.h"
#include "scan.h"
#include "untrusted.h"

static const char check_usage[] =
        "usage: mitigate check --model threats.yaml --facts DIR\n"
        "                      [--results junit.xml ...]\n"
        "                      [--policy policy.yaml] [--suppressions FILE]\n"
        "                      [--baseline old.sarif]\n"
        "                      [--diff changes.diff | --since GIT-REV]\n"
        "                      [--sarif out.sarif] [--fail-on LEVEL]\n"
        "                      [--root DIR] [--category NAME]\n"
        "                      [-p compile_commands.json [--rescan] [-j N]]"
        " [-v]\n"
        "\n"
        "  --model FILE        the threat model (schema version 1)\n"
        "  --facts DIR         the facts folder the plugin wrote\n"
        "  --results FILE      JUnit XML test results; may be repeated, and\n"
        "                      a later file's result for a test wins\n"
        "  --policy FILE       rules in force (default: the built-in set)\n"
        "  --suppressions FILE accepted findings, with justification and\n"
        "                      owner\n"
        "  --baseline FILE     an earlier SARIF log: mark each result new,\n"
        "                      unchanged, updated or absent\n"
        "  --diff FILE         a unified diff (git diff): the lines the\n"
        "                      rules with scope 'changed' look at\n"
        "  --since REV         the same, from `git diff REV`\n"
        "  --sarif FILE        write the findings as SARIF 2.1.0\n"
        "  --fail-on LEVEL     error (default), warning, note, new or none:\n"
        "                      exit 1 when an unsuppressed finding is at or\n"
        "                      above LEVEL (new: when one is new against\n"
        "                      --baseline)\n"
        "  --root DIR          source root for SARIF URIs and diff paths\n"
        "                      (default: the enclosing git checkout, else\n"
        "                      the current folder)\n"
        "  --category NAME     SARIF automation category (default "
        "mitigate)\n"
        "  -p, --compile-commands FILE\n"
        "                      the build's compilation database: a unit it\n"
        "                      compiles without fresh facts is a finding\n"
        "                      (MR0104)\n"
        "  --rescan            first scan the units without fresh facts\n"
        "                      (as mitigate scan does); needs -p\n"
        "  -j, --jobs N        units scanned at once (default: the number\n"
        "                      of processors)\n"
        "  -v, --verbose       say what is read and found\n";

struct check_options {
    struct input_options in;
    const char *compile_commands;
    int rescan;
    unsigned jobs;
    const char *sarif;
    const char *root;
    const char *category;
    int fail_on;  /* enum level */
    int gate;     /* 0 for --fail-on none */
    int only_new; /* --fail-on new */
    int verbose;
};

static int parse_fail_on(const char *word, struct check_options *o)
{
    int level;

    if (!strcmp(word, "none")) {
        o->gate = 0;
        return 0;
    }
    if (!strcmp(word, "new")) {
        o->only_new = 1;
        o->gate = 1;
        return 0;
    }
    level = level_parse(word);
    if (level <= LEVEL_NONE)
        return usage_error("check",
                           "--fail-on takes error, warning, note, new or "
                           "none, not '%s'",
                           word);
    o->fail_on = level;
    o->gate = 1;
    return 0;
}

static int parse_options(int argc, char **argv, struct check_options *o)
{
    static const struct option longopts[] = {
            INPUT_LONG_OPTIONS,
            {"sarif", required_argument, NULL, 's'},
            {"fail-on", required_argument, NULL, 'F'},
            {"root", required_argument, NULL, 'r'},
            {"category", required_argument, NULL, 'c'},
            {"verbose", no_argument, NULL, 'v'},
            {"help", no_argument, NULL, 'h'},
            {"baseline", required_argument, NULL, 'b'},
            {"diff", required_argument, NULL, 'd'},
            {"since", required_argument, NULL, 'g'},
            {"compile-commands", required_argument, NULL, 'p'},
            {"rescan", no_argument, NULL, 'A'},
            {"jobs", required_argument, NULL, 'j'},
            {NULL, 0, NULL, 0},
    };
    int c, index;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":m:f:p:j:vh", longopts, &index)) !=
           -1) {
        if (inputs_option(&o->in, c, optarg))
            continue;
        switch (c) {
        case 's':
            o->sarif = optarg;
            break;
        case 'F':
            if (parse_fail_on(optarg, o))
                return EXIT_USAGE;
            break;
        case 'r':
            o->root = optarg;
            break;
        case 'b':
            o->in.baseline = optarg;
            break;
        case 'd':
            o->in.diff = optarg;
            break;
        case 'g':
            o->in.since = optarg;
            break;
        case 'c':
            o->category = optarg;
            break;
        case 'p':
            o->compile_commands = optarg;
            break;
        case 'A':
            o->rescan = 1;
            break;
        case 'j':
            if (jobs_option("check", optarg, &o->jobs))
                return EXIT_USAGE;
            break;
        case 'v':
            o->verbose = 1;
            break;
        case 'h':
            fputs(check_usage, stdout);
            return -1;
        case ':':
            return usage_error("check", "%s needs a value", argv[optind - 1]);
        default:
            return usage_error("check", "unknown option '%s'; see --help",
                               argv[optind - 1]);
        }
    }
    if (optind < argc)
        return usage_error("check", "unexpected argument '%s'", argv[optind]);
    if (!o->in.model)
        return usage_error("check", "--model is required");
    if (!o->in.facts)
        return usage_error("check", "--facts is required");
    if (o->in.diff && o->in.since)
        return usage_error("check", "--diff and --since exclude each other");
    if (o->only_new && !o->in.baseline)
        return usage_error("check", "--fail-on new needs --baseline");
    if (o->rescan && !o->compile_commands)
        return usage_error("check", "--rescan needs -p, the compilation "
                                    "database");
    return 0;
}

/*
 * Prints one finding the way a compiler prints a diagnostic; suppressed
 * ones only with -v.
 */
static void print_finding(const struct finding *f, const struct policy *p,
                          int verbose)
{
    if (f->suppression != SUPPRESSION_NONE && !verbose)
        return;
    fput_printable(stderr, f->loc.file);
    fprintf(stderr, ":%u:%u: %s: ", f->loc.pos.line ? f->loc.pos.line : 1,
            f->loc.pos.column ? f->loc.pos.column : 1, level_name(f->level));
    fput_printable(stderr, f->message);
    fprintf(stderr, " [%s]", policy_rule_at(p, f->rule)->desc.id);
    if (f->suppression != SUPPRESSION_NONE) {
        fputs(" (suppressed: ", stderr);
        fput_printable(stderr, f->justification);
        fputc(')', stderr);
    }
    fputc('\n', stderr);
}

static void print_summary(const struct findings *findings, const char *sarif)
{
    size_t by_level[4] = {0}, suppressed = 0, fresh = 0, shown = 0;

    for (size_t i = 0; i < findings->count; i++) {
        const struct finding *f = &findings->items[i];

        if (f->suppression != SUPPRESSION_NONE) {
            suppressed++;
            continue;
        }
        shown++;
        by_level[f->level]++;
        fresh += f->baseline_state == BASELINE_NEW;
    }
    fprintf(stderr,
            "mitigate: %zu finding%s (%zu error, %zu warning, %zu note)", shown,
            shown == 1 ? "" : "s", by_level[LEVEL_ERROR],
            by_level[LEVEL_WARNING], by_level[LEVEL_NOTE]);
    if (fresh)
        fprintf(stderr, ", %zu new", fresh);
    if (suppressed)
        fprintf(stderr, ", %zu suppressed", suppressed);
    if (sarif)
        fprintf(stderr, "; SARIF written to %s", sarif);
    fputc('\n', stderr);
}

/* Whether the findings fail the gate that the options set. */
static int gate_fails(const struct check_options *o,
                      const struct findings *findings)
{
    if (!o->gate)
        return 0;
    if (!o->only_new)
        return findings_at_least(findings, o->fail_on) > 0;
    for (size_t i = 0; i < findings->count; i++)
        if (findings->items[i].baseline_state == BASELINE_NEW &&
            findings->items[i].suppression == SUPPRESSION_NONE)
            return 1;
    return 0;
}

/* The build's units, loaded from -p, with their commands' hashes. */
struct build {
    struct compile_db db;
    struct build_unit *units;
    char (*hashes)[65];
    char **files;
};

static void build_release(struct build *b)
{
    for (size_t i = 0; i < b->db.count; i++)
        free(b->files[i]);
    free(b->files);
    free(b->units);
    free(b->hashes);
    compdb_release(&b->db);
}

/* Scans the units without fresh facts; EXIT_USAGE if any failed. */
static int rescan(const struct check_options *o, struct build *b)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    struct scan_options so = {0};
    struct scan_totals totals;
    struct policy *policy =
            o->in.policy ? policy_load(o->in.policy, &errs) : policy_default();
    int rc;

    if (!policy) {
        mt_errors_print(&errs, "mitigate");
        mt_errors_release(&errs);
        return EXIT_USAGE;
    }
    so.policy = policy;
    so.facts_dir = o->in.facts;
    so.jobs = o->jobs ? o->jobs : scan_default_jobs();
    so.verbose = o->verbose;
    so.progress = isatty(STDERR_FILENO);
    rc = scan_units(&b->db, NULL, &so, &totals);
    if (o->verbose || totals.failed)
        fprintf(stderr,
                "mitigate check: rescan: %zu scanned, %zu fresh, %zu "
                "failed\n",
                totals.scanned, totals.fresh, totals.failed);
    policy_free(policy);
    return rc < 0 ? EXIT_USAGE : 0;
}

/* Loads -p and, with --rescan, scans what needs it. */
static int load_build(const struct check_options *o, struct build *b)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    size_t n;

    if (compdb_load(o->compile_commands, &b->db, &errs) < 0) {
        mt_errors_print(&errs, "mitigate");
        mt_errors_release(&errs);
        return EXIT_USAGE;
    }
    n = b->db.count ? b->db.count : 1;
    b->units = xcalloc(n, sizeof(*b->units));
    b->hashes = xcalloc(n, sizeof(*b->hashes));
    b->files = xcalloc(n, sizeof(*b->files));
    for (size_t i = 0; i < b->db.count; i++) {
        char real[PATH_MAX];
        const struct compile_command *cmd = &b->db.items[i];

        b->files[i] = xstrdup(realpath(cmd->file, real) ? real : cmd->file);
        scan_args_hash(cmd, b->hashes[i]);
        b->units[i].file = b->files[i];
        b->units[i].arguments_sha256 = b->hashes[i];
    }
    return o->rescan ? rescan(o, b) : 0;
}

int cmd_check(int argc, char **argv)
{
    struct build build = {0};
    struct check_options o = {0};
    struct inputs in = {0};
    struct findings findings = {0};
    struct analysis_input ai = {0};
    char *root;
    int rc;

    o.fail_on = LEVEL_ERROR;
    o.gate = 1;
    if ((rc = parse_options(argc, argv, &o)) != 0)
        return rc < 0 ? EXIT_PASS : rc;
    if (!(root = source_root(o.root)))
        return EXIT_USAGE;
    if (o.compile_commands && (rc = load_build(&o, &build)) != 0)
        goto out;
    if ((rc = inputs_load(&o.in, root, o.verbose, &in)) != 0)
        goto out;
    inputs_analysis(&in, root, &ai);
    ai.units = build.units;
    ai.unit_count = build.db.count;
    analysis_run(&ai, &findings, NULL);
    sarif_prepare(&findings, in.policy, in.baseline);
    for (size_t i = 0; i < findings.count; i++)
        print_finding(&findings.items[i], in.policy, o.verbose);

    if (o.sarif) {
        struct sarif_options so = {in.policy, in.baseline, root, o.category,
                                   now_epoch()};
        struct mt_errors errs = MT_ERRORS_INIT;

        if (sarif_write(o.sarif, &findings, &so, &errs) < 0) {
            mt_errors_print(&errs, "mitigate");
            mt_errors_release(&errs);
            rc = EXIT_USAGE;
            goto out;
        }
    }
    if (findings.count || o.verbose)
        print_summary(&findings, o.sarif);
    rc = gate_fails(&o, &findings) ? EXIT_FINDINGS : EXIT_PASS;
out:
    build_release(&build);
    findings_release(&findings);
    inputs_release(&in);
    input_options_release(&o.in);
    free(root);
    return rc;
}
