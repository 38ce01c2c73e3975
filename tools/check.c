/*
 * check.c: `mitigate check`: join the threat model and the facts of a
 * build, print the findings like compiler diagnostics, write SARIF, and
 * gate on them.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "commands.h"
#include "facts.h"
#include "model.h"
#include "sarif.h"

static const char check_usage[] =
        "usage: mitigate check --model threats.yaml --facts DIR\n"
        "                      [--sarif out.sarif] [--fail-on LEVEL]\n"
        "                      [--root DIR] [--category NAME] [-v]\n"
        "\n"
        "  --model FILE      the threat model (schema version 1)\n"
        "  --facts DIR       the facts folder the plugin wrote\n"
        "  --sarif FILE      write the findings as SARIF 2.1.0\n"
        "  --fail-on LEVEL   error (default), warning, note or none: exit 1\n"
        "                    when a finding is at or above LEVEL\n"
        "  --root DIR        source root for SARIF URIs (default: the\n"
        "                    enclosing git checkout, else the current "
        "folder)\n"
        "  --category NAME   SARIF automation category (default "
        "mitigate)\n"
        "  -v, --verbose     say what is read and found\n";

struct check_options {
    const char *model;
    const char *facts;
    const char *sarif;
    const char *root;
    const char *category;
    int fail_on; /* enum level */
    int gate;    /* 0 for --fail-on none */
    int verbose;
};

static int parse_fail_on(const char *word, struct check_options *o)
{
    int level;

    if (!strcmp(word, "none")) {
        o->gate = 0;
        return 0;
    }
    if (!strcmp(word, "new"))
        return usage_error("check", "--fail-on new needs --baseline, which "
                                    "this version does not read yet");
    level = level_parse(word);
    if (level <= LEVEL_NONE)
        return usage_error("check",
                           "--fail-on takes error, warning, note or none, "
                           "not '%s'",
                           word);
    o->fail_on = level;
    o->gate = 1;
    return 0;
}

static int parse_options(int argc, char **argv, struct check_options *o)
{
    static const struct option longopts[] = {
            {"model", required_argument, NULL, 'm'},
            {"facts", required_argument, NULL, 'f'},
            {"sarif", required_argument, NULL, 's'},
            {"fail-on", required_argument, NULL, 'F'},
            {"root", required_argument, NULL, 'r'},
            {"category", required_argument, NULL, 'c'},
            {"verbose", no_argument, NULL, 'v'},
            {"help", no_argument, NULL, 'h'},
            {"results", required_argument, NULL, 'L'},
            {"policy", required_argument, NULL, 'L'},
            {"baseline", required_argument, NULL, 'L'},
            {"diff", required_argument, NULL, 'L'},
            {"since", required_argument, NULL, 'L'},
            {NULL, 0, NULL, 0},
    };
    int c, index;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":vh", longopts, &index)) != -1) {
        switch (c) {
        case 'm':
            o->model = optarg;
            break;
        case 'f':
            o->facts = optarg;
            break;
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
        case 'c':
            o->category = optarg;
            break;
        case 'v':
            o->verbose = 1;
            break;
        case 'h':
            fputs(check_usage, stdout);
            return -1;
        case 'L':
            return usage_error("check",
                               "--%s is not supported by this version of "
                               "mitigate",
                               longopts[index].name);
        case ':':
            return usage_error("check", "%s needs a value", argv[optind - 1]);
        default:
            return usage_error("check", "unknown option '%s'; see --help",
                               argv[optind - 1]);
        }
    }
    if (optind < argc)
        return usage_error("check", "unexpected argument '%s'", argv[optind]);
    if (!o->model)
        return usage_error("check", "--model is required");
    if (!o->facts)
        return usage_error("check", "--facts is required");
    return 0;
}

/* Prints one finding the way a compiler prints a diagnostic. */
static void print_finding(const struct finding *f)
{
    fprintf(stderr, "%s:%u:%u: %s: %s [%s]\n", f->loc.file,
            f->loc.pos.line ? f->loc.pos.line : 1,
            f->loc.pos.column ? f->loc.pos.column : 1, level_name(f->level),
            f->message, rule_get(f->rule)->id);
}

static void print_summary(const struct findings *findings, const char *sarif)
{
    size_t by_level[4] = {0};

    for (size_t i = 0; i < findings->count; i++)
        by_level[findings->items[i].level]++;
    fprintf(stderr,
            "mitigate: %zu finding%s (%zu error, %zu warning, %zu note)",
            findings->count, findings->count == 1 ? "" : "s",
            by_level[LEVEL_ERROR], by_level[LEVEL_WARNING],
            by_level[LEVEL_NOTE]);
    if (sarif)
        fprintf(stderr, "; SARIF written to %s", sarif);
    fputc('\n', stderr);
}

/* Loads the inputs; returns 0, or EXIT_USAGE after printing errors. */
static int load_inputs(const struct check_options *o, struct model **model,
                       struct facts_set *facts)
{
    struct mt_errors errs = MT_ERRORS_INIT;

    *model = model_load(o->model, &errs);
    if (*model && facts_load_dir(o->facts, facts, &errs) == 0 &&
        facts->count == 0)
        mt_error_add(&errs, o->facts, NULL,
                     "no facts files found; compile with "
                     "-fplugin-arg-mitigate-facts=%s first",
                     o->facts);
    if (!errs.count)
        return 0;
    mt_errors_print(&errs, "mitigate");
    mt_errors_release(&errs);
    return EXIT_USAGE;
}

int cmd_check(int argc, char **argv)
{
    struct check_options o = {0};
    struct facts_set facts = {0};
    struct findings findings = {0};
    struct model *model = NULL;
    struct analysis_input in;
    char *root;
    int rc;

    o.fail_on = LEVEL_ERROR;
    o.gate = 1;
    if ((rc = parse_options(argc, argv, &o)) != 0)
        return rc < 0 ? EXIT_PASS : rc;
    if (!(root = source_root(o.root)))
        return EXIT_USAGE;
    if ((rc = load_inputs(&o, &model, &facts)) != 0)
        goto out;
    if (o.verbose)
        fprintf(stderr,
                "mitigate: %s: %zu threats, %zu mitigations; %s: %zu "
                "translation units\n",
                o.model, model->threat_count, model->mitigation_count, o.facts,
                facts.count);

    in.model = model;
    in.facts = &facts;
    in.today = (long)(now_epoch() / 86400);
    analysis_run(&in, &findings);
    for (size_t i = 0; i < findings.count; i++)
        print_finding(&findings.items[i]);

    if (o.sarif) {
        struct sarif_options so = {root, o.category, now_epoch()};
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
    rc = o.gate && findings_at_least(&findings, o.fail_on) ? EXIT_FINDINGS
                                                           : EXIT_PASS;
out:
    findings_release(&findings);
    facts_set_release(&facts);
    model_free(model);
    free(root);
    return rc;
}
