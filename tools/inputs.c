/* inputs.c: loading what check and matrix read. */
#include "inputs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

void inputs_add_results(struct input_options *o, const char *path)
{
    o->results =
            xrealloc(o->results, (o->result_count + 1) * sizeof(*o->results));
    o->results[o->result_count++] = path;
}

int inputs_option(struct input_options *o, int c, const char *arg)
{
    switch (c) {
    case 'm':
        o->model = arg;
        return 1;
    case 'f':
        o->facts = arg;
        return 1;
    case 'R':
        inputs_add_results(o, arg);
        return 1;
    case 'P':
        o->policy = arg;
        return 1;
    case 'S':
        o->suppressions = arg;
        return 1;
    }
    return 0;
}

void input_options_release(struct input_options *o)
{
    free(o->results);
    o->results = NULL;
    o->result_count = 0;
}

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
int inputs_load(const struct input_options *o, const char *root, int verbose,
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
    for (size_t i = 0; i < o->result_count; i++)
        results_load(o->results[i], (unsigned)i, &in->results, &errs);
    in->has_results = o->result_count > 0;
    if (facts_load_dir(o->facts, &in->facts, &errs) == 0 &&
        in->facts.count == 0)
        mt_error_add(&errs, o->facts, NULL,
                     "no facts files found; compile with "
                     "-fplugin-arg-mitigate-facts=%s first",
                     o->facts);
    if (!errs.count) {
        check_policy_of_facts(in);
        if (verbose)
            fprintf(stderr,
                    "mitigate: %s: %zu threats, %zu mitigations; %s: %zu "
                    "translation units; %zu test results\n",
                    o->model, in->model->threat_count,
                    in->model->mitigation_count, o->facts, in->facts.count,
                    in->results.count);
        return 0;
    }
    mt_errors_print(&errs, "mitigate");
    mt_errors_release(&errs);
    return EXIT_USAGE;
}

void inputs_release(struct inputs *in)
{
    model_free(in->model);
    facts_set_release(&in->facts);
    policy_free(in->policy);
    suppressions_free(in->suppressions);
    baseline_free(in->baseline);
    diff_release(&in->diff);
    results_release(&in->results);
}

void inputs_analysis(const struct inputs *in, const char *root,
                     struct analysis_input *ai)
{
    memset(ai, 0, sizeof(*ai));
    ai->model = in->model;
    ai->facts = &in->facts;
    ai->results = in->has_results ? &in->results : NULL;
    ai->policy = in->policy;
    ai->diff = in->has_diff ? &in->diff : NULL;
    ai->suppressions = in->suppressions;
    ai->root = root;
    ai->today = (long)(now_epoch() / 86400);
}
