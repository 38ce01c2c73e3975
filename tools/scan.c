/*
 * scan.c: `mitigate scan`: the facts of every translation unit of a
 * compilation database, through libclang, for projects built with GCC
 * or a vendor compiler that cannot load the Clang plugin.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "scan.h"

static const char scan_usage[] =
        "usage: mitigate scan -p compile_commands.json --facts DIR [-j N]\n"
        "                     [--policy policy.yaml] [--extra-arg ARG ...]\n"
        "                     [--query-driver GLOB ...] [--force] [-v]\n"
        "\n"
        "  -p, --compile-commands FILE\n"
        "                      the compilation database (or the folder\n"
        "                      that holds compile_commands.json)\n"
        "  -f, --facts DIR     where to write the facts, one file per unit\n"
        "  -j, --jobs N        units parsed at once (default: the number\n"
        "                      of processors)\n"
        "  --policy FILE       rules in force (default: the built-in set);\n"
        "                      give check the same one\n"
        "  --extra-arg ARG     add ARG to every unit's arguments, such as\n"
        "                      -isystem/opt/gcc-arm/arm-none-eabi/include;\n"
        "                      may be repeated\n"
        "  --query-driver GLOB[,GLOB...]\n"
        "                      run the compilers whose paths match GLOB\n"
        "                      ('*' matches '/' too) with -E -v to learn\n"
        "                      the include folders they search of their\n"
        "                      own accord, such as a cross GCC's C\n"
        "                      library; may be repeated. Without it no\n"
        "                      compiler is run\n"
        "  --force             scan units whose facts are fresh too\n"
        "  -v, --verbose       say what is scanned and which arguments are\n"
        "                      left out\n"
        "\n"
        "Exits 0 when every unit was scanned or had fresh facts, 2 when a\n"
        "unit could not be parsed or the input is wrong.\n";

struct scan_cli {
    const char *db;
    const char *policy;
    struct scan_options opts;
    const char **extra;
    size_t extra_alloc;
    char **drivers; /* --query-driver globs, split at ',' */
    size_t drivers_alloc;
};

/* Adds the globs of one --query-driver value. */
static int add_drivers(struct scan_cli *o, const char *value)
{
    char *list = xstrdup(value), *rest = NULL;

    for (char *glob = strtok_r(list, ",", &rest); glob;
         glob = strtok_r(NULL, ",", &rest)) {
        grow_array(&o->drivers, &o->drivers_alloc, o->opts.driver_count + 1,
                   sizeof(*o->drivers));
        o->drivers[o->opts.driver_count++] = xstrdup(glob);
    }
    free(list);
    if (!o->opts.driver_count)
        return usage_error("scan", "--query-driver needs a glob, such as "
                                   "'/opt/gcc-arm/bin/*-gcc'");
    return 0;
}

static void scan_cli_release(struct scan_cli *o)
{
    for (size_t i = 0; i < o->opts.driver_count; i++)
        free(o->drivers[i]);
    free(o->drivers);
    free(o->extra);
}

int jobs_option(const char *cmd, const char *word, unsigned *jobs)
{
    char *end;
    long n = strtol(word, &end, 10);

    if (*end || n < 1 || n > 64)
        return usage_error(cmd, "-j takes a number from 1 to 64, not '%s'",
                           word);
    *jobs = (unsigned)n;
    return 0;
}

static int parse_options(int argc, char **argv, struct scan_cli *o)
{
    static const struct option longopts[] = {
            {"compile-commands", required_argument, NULL, 'p'},
            {"facts", required_argument, NULL, 'f'},
            {"jobs", required_argument, NULL, 'j'},
            {"policy", required_argument, NULL, 'P'},
            {"extra-arg", required_argument, NULL, 'x'},
            {"query-driver", required_argument, NULL, 'Q'},
            {"force", no_argument, NULL, 'F'},
            {"verbose", no_argument, NULL, 'v'},
            {"help", no_argument, NULL, 'h'},
            {NULL, 0, NULL, 0},
    };
    int c;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":p:f:j:vh", longopts, NULL)) != -1) {
        switch (c) {
        case 'p':
            o->db = optarg;
            break;
        case 'f':
            o->opts.facts_dir = optarg;
            break;
        case 'j':
            if (jobs_option("scan", optarg, &o->opts.jobs))
                return EXIT_USAGE;
            break;
        case 'P':
            o->policy = optarg;
            break;
        case 'x':
            grow_array(&o->extra, &o->extra_alloc, o->opts.extra_count + 1,
                       sizeof(*o->extra));
            o->extra[o->opts.extra_count++] = optarg;
            break;
        case 'Q':
            if (add_drivers(o, optarg))
                return EXIT_USAGE;
            break;
        case 'F':
            o->opts.force = 1;
            break;
        case 'v':
            o->opts.verbose = 1;
            break;
        case 'h':
            fputs(scan_usage, stdout);
            return -1;
        case ':':
            return usage_error("scan", "%s needs a value", argv[optind - 1]);
        default:
            return usage_error("scan", "unknown option '%s'; see --help",
                               argv[optind - 1]);
        }
    }
    if (optind < argc)
        return usage_error("scan", "unexpected argument '%s'", argv[optind]);
    if (!o->db)
        return usage_error("scan", "-p is required: the compilation "
                                   "database, compile_commands.json");
    if (!o->opts.facts_dir)
        return usage_error("scan", "--facts is required");
    return 0;
}

unsigned scan_default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    return n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
}

int cmd_scan(int argc, char **argv)
{
    struct scan_cli o;
    struct mt_errors errs = MT_ERRORS_INIT;
    struct compile_db db = {0};
    struct scan_totals totals;
    struct policy *policy;
    int rc;

    memset(&o, 0, sizeof(o));
    if ((rc = parse_options(argc, argv, &o)) != 0) {
        scan_cli_release(&o);
        return rc < 0 ? EXIT_PASS : rc;
    }
    policy = o.policy ? policy_load(o.policy, &errs) : policy_default();
    compdb_load(o.db, &db, &errs);
    if (errs.count) {
        mt_errors_print(&errs, "mitigate");
        mt_errors_release(&errs);
        compdb_release(&db);
        policy_free(policy);
        scan_cli_release(&o);
        return EXIT_USAGE;
    }
    o.opts.policy = policy;
    o.opts.extra = o.extra;
    o.opts.drivers = (const char *const *)o.drivers;
    if (!o.opts.jobs)
        o.opts.jobs = scan_default_jobs();
    o.opts.progress = isatty(STDERR_FILENO);
    rc = scan_units(&db, NULL, &o.opts, &totals);
    if (o.opts.verbose || totals.failed)
        fprintf(stderr,
                "mitigate scan: %zu unit%s: %zu scanned, %zu fresh, %zu "
                "failed\n",
                db.count, db.count == 1 ? "" : "s", totals.scanned,
                totals.fresh, totals.failed);
    compdb_release(&db);
    policy_free(policy);
    scan_cli_release(&o);
    return rc < 0 ? EXIT_USAGE : EXIT_PASS;
}
