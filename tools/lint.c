/* lint.c: `mitigate lint`: validate the threat model and the policy. */
#include <getopt.h>
#include <stdio.h>

#include "commands.h"
#include "model.h"
#include "policy.h"

static const char lint_usage[] =
        "usage: mitigate lint --model threats.yaml [--policy policy.yaml] "
        "[-v]\n"
        "\n"
        "Validates the threat model, and the policy when one is given,\n"
        "strictly and prints every problem as file:line:column: message.\n"
        "Exits 0 when they are valid, 2 if not.\n";

int cmd_lint(int argc, char **argv)
{
    static const struct option longopts[] = {
            {"model", required_argument, NULL, 'm'},
            {"policy", required_argument, NULL, 'p'},
            {"verbose", no_argument, NULL, 'v'},
            {"help", no_argument, NULL, 'h'},
            {NULL, 0, NULL, 0},
    };
    struct mt_errors errs = MT_ERRORS_INIT;
    const char *path = NULL, *policy_path = NULL;
    struct policy *policy = NULL;
    struct model *model;
    int verbose = 0, c;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":m:vh", longopts, NULL)) != -1) {
        switch (c) {
        case 'm':
            path = optarg;
            break;
        case 'p':
            policy_path = optarg;
            break;
        case 'v':
            verbose = 1;
            break;
        case 'h':
            fputs(lint_usage, stdout);
            return EXIT_PASS;
        case ':':
            return usage_error("lint", "%s needs a value", argv[optind - 1]);
        default:
            return usage_error("lint", "unknown option '%s'; see --help",
                               argv[optind - 1]);
        }
    }
    if (optind < argc)
        return usage_error("lint", "unexpected argument '%s'", argv[optind]);
    if (!path)
        return usage_error("lint", "--model is required");

    model = model_load(path, &errs);
    if (policy_path)
        policy = policy_load(policy_path, &errs);
    if (!model || (policy_path && !policy)) {
        mt_errors_print(&errs, "mitigate");
        mt_errors_release(&errs);
        model_free(model);
        policy_free(policy);
        return EXIT_USAGE;
    }
    if (verbose)
        fprintf(stderr, "mitigate: %s: %zu threats, %zu mitigations\n", path,
                model->threat_count, model->mitigation_count);
    if (verbose && policy)
        fprintf(stderr, "mitigate: %s: %zu rules, %zu of them custom\n",
                policy_path, policy->count, policy->count - RULE_COUNT);
    model_free(model);
    policy_free(policy);
    return EXIT_PASS;
}
