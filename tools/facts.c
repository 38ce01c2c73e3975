/* facts.c: `mitigate facts`: show facts files as JSON. */
#include <getopt.h>
#include <stdio.h>

#include "commands.h"
#include "facts.h"

static const char facts_usage[] =
        "usage: mitigate facts FILE...\n"
        "\n"
        "Prints each facts file, as the plugin or `mitigate scan` wrote\n"
        "it, as indented JSON on standard output, one document per file.\n"
        "The fields are described in docs/architecture.md. Exits 0, or 2\n"
        "when a file is not a valid facts file.\n";

int cmd_facts(int argc, char **argv)
{
    static const struct option longopts[] = {
            {"help", no_argument, NULL, 'h'},
            {NULL, 0, NULL, 0},
    };
    struct mt_errors errs = MT_ERRORS_INIT;
    int c, status = EXIT_PASS;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        if (c != 'h')
            return usage_error("facts", "unknown option '%s'; see --help",
                               argv[optind - 1]);
        fputs(facts_usage, stdout);
        return EXIT_PASS;
    }
    if (optind == argc)
        return usage_error("facts", "name at least one facts file");
    for (int i = optind; i < argc; i++)
        if (facts_dump_json(argv[i], stdout, &errs) < 0)
            status = EXIT_USAGE;
    mt_errors_print(&errs, "mitigate");
    mt_errors_release(&errs);
    return status;
}
