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
#include "baseline.h"
#include "commands.h"
#include "diff.h"
#include "facts.h"
#include "model.h"
#include "policy.h"
#include "sarif.h"
#include "suppress.h"

static const char check_usage[] =
        "usage: mitigate check --model threats.yaml --facts DIR\n"
        "                      [--policy policy.yaml] [--suppressions FILE]\n"
        "                      [--baseline old.sarif]\n"
        "                      [--diff changes.diff | --since GIT-REV]\n"
        "                      [--sarif out.sarif] [--fail-on LEVEL]\n"
        "                      [--root DIR] [--category NAME] [-v]\n"
        "\n"
        "  --model FILE        the threat model (schema version 1)\n"
        "  --facts DIR         the facts folder the plugin wrote\n"
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
        "  -v, --verbose       say what is read and found\n";

struct check_options {
    const char *model;
    const char *facts;
    const char *policy;
    const char *suppressions;
    const char *baseline;
    const char *diff;
    const char *since;
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
            {"model", required_argument, NULL, 'm'},
            {"facts", required_argument, NULL, 'f'},
            {"sarif", required_argument, NULL, 's'},
            {"fail-on", required_argument, NULL, 'F'},
            {"root", required_argument, NULL, 'r'},
            {"category", required_argument, NULL, 'c'},
            {"verbose", no_argument, NULL, 'v'},
            {"help", no_argument, NULL, 'h'},
            {"policy", required_argument, NULL, 'p'},
            {"suppressions", required_argument, NULL, 'S'},
            {"baseline", required_argument, NULL, 'b'},
            {"diff", required_argument, NULL, 'd'},
            {"since", required_argument, NULL, 'g'},
            {"results", required_argument, NULL, 'L'},
            {NULL, 0, NULL, 0},
    };
    int c, index;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":m:f:vh", longopts, &index)) != -1) {
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
        case 'p':
            o->policy = optarg;
            break;
        case 'S':
            o->suppressions = optarg;
            break;
        case 'b':
            o->baseline = optarg;
            break;
        case 'd':
            o->diff = optarg;
            break;
        case 'g':
            o->since = optarg;
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
    if (o->diff && o->since)
        return usage_error("check", "--diff and --since exclude each other");
    if (o->only_new && !o->baseline)
        return usage_error("check", "--fail-on new needs --baseline");
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
    fprintf(stderr, "%s:%u:%u: %s: %s [%s]", f->loc.file,
            f->loc.pos.line ? f->loc.pos.line : 1,
            f->loc.pos.column ? f->loc.pos.column : 1, level_name(f->level),
            f->message, policy_rule_at(p, f->rule)->desc.id);
    if (f->suppression != SUPPRESSION_NONE)
        fprintf(stderr, " (suppressed: %s)", f->justification);
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

/* Everything check reads, loaded before any judgement is made. */
struct inputs {
    struct model *model;
    struct facts_set facts;
    struct policy *policy;
    struct suppressions *suppressions;
    struct baseline *baseline;
    struct diff diff;
    int has_diff;
};

/* Warns once when facts were matched under another policy. */
static void check_policy_of_facts(const struct inputs *in)
{
    for (size_t i = 0; i < in->facts.count; i++) {
        const struct facts_tu *tu = in->facts.units[i];

        if (strcmp(tu->policy_hash, in->policy->match_hash) == 0)
            continue;
        fprintf(stderr,
                "mitigate: warning: %s was written under a different "
                "policy than %s; rebuild with the same "
                "-fplugin-arg-mitigate-policy so banned patterns are "
                "matched as this policy says\n",
                tu->path,
                in->policy->path ? in->policy->path : "the built-in rules");
        return;
    }
}

/* Loads the inputs; returns 0, or EXIT_USAGE after printing errors. */
static int load_inputs(const struct check_options *o, const char *root,
                       struct inputs *in)
{
    struct mt_errors errs = MT_ERRORS_INIT;

    in->model = model_load(o->model, &errs);
    in->policy = o->policy ? policy_load(o->policy, &errs) : policy_default();
    if (in->policy && o->suppressions)
        in->suppressions =
                suppressions_load(o->suppressions, in->policy, &errs);
    if (o->baseline)
        in->baseline = baseline_load(o->baseline, &errs);
    if (o->diff)
        in->has_diff = diff_load(o->diff, &in->diff, &errs) == 0;
    if (o->since)
        in->has_diff = diff_from_git(root, o->since, &in->diff, &errs) == 0;
    if (facts_load_dir(o->facts, &in->facts, &errs) == 0 &&
        in->facts.count == 0)
        mt_error_add(&errs, o->facts, NULL,
                     "no facts files found; compile with "
                     "-fplugin-arg-mitigate-facts=%s first",
                     o->facts);
    if (!errs.count) {
        check_policy_of_facts(in);
        return 0;
    }
    mt_errors_print(&errs, "mitigate");
    mt_errors_release(&errs);
    return EXIT_USAGE;
}

static void release_inputs(struct inputs *in)
{
    model_free(in->model);
    facts_set_release(&in->facts);
    policy_free(in->policy);
    suppressions_free(in->suppressions);
    baseline_free(in->baseline);
    diff_release(&in->diff);
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

int cmd_check(int argc, char **argv)
{
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
    if ((rc = load_inputs(&o, root, &in)) != 0)
        goto out;
    if (o.verbose)
        fprintf(stderr,
                "mitigate: %s: %zu threats, %zu mitigations; %s: %zu "
                "translation units\n",
                o.model, in.model->threat_count, in.model->mitigation_count,
                o.facts, in.facts.count);

    ai.model = in.model;
    ai.facts = &in.facts;
    ai.policy = in.policy;
    ai.diff = in.has_diff ? &in.diff : NULL;
    ai.suppressions = in.suppressions;
    ai.root = root;
    ai.today = (long)(now_epoch() / 86400);
    analysis_run(&ai, &findings);
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
    findings_release(&findings);
    release_inputs(&in);
    free(root);
    return rc;
}
