/*
 * import.c: `mitigate import`: another tool's threat model (Threat
 * Dragon, OTM, Threagile) as a schema-1 threats.yaml.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "import.h"

static const char import_usage[] =
        "usage: mitigate import --from threat-dragon|otm|threagile FILE\n"
        "                       [-o threats.yaml] [-v]\n"
        "\n"
        "Reads FILE, a threat model of another tool, and writes it as a\n"
        "mitigate threat model (schema version 1) that mitigate lint\n"
        "accepts. IDs come from FILE, or are derived from it the same way\n"
        "every time; each threat and mitigation records its origin.\n"
        "What the model cannot hold, and each threat whose status needs a\n"
        "decision, is listed on standard error.\n"
        "\n"
        "  --from FORMAT      threat-dragon (Threat Dragon v2 JSON), otm\n"
        "                     (Open Threat Model JSON) or threagile\n"
        "                     (Threagile YAML)\n"
        "  -o, --output FILE  write there, atomically (default: stdout)\n"
        "  -v, --verbose      say what was imported\n";

struct import_options {
    int format;
    const char *file;
    const char *output;
    int verbose;
};

static int parse_options(int argc, char **argv, struct import_options *o)
{
    static const struct option longopts[] = {
            {"from", required_argument, NULL, 'F'},
            {"output", required_argument, NULL, 'o'},
            {"verbose", no_argument, NULL, 'v'},
            {"help", no_argument, NULL, 'h'},
            {NULL, 0, NULL, 0},
    };
    const char *from = NULL;
    int c;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:vh", longopts, NULL)) != -1) {
        switch (c) {
        case 'F':
            from = optarg;
            break;
        case 'o':
            o->output = optarg;
            break;
        case 'v':
            o->verbose = 1;
            break;
        case 'h':
            fputs(import_usage, stdout);
            return -1;
        case ':':
            return usage_error("import", "%s needs a value", argv[optind - 1]);
        default:
            return usage_error("import", "unknown option '%s'; see --help",
                               argv[optind - 1]);
        }
    }
    if (!from)
        return usage_error("import", "--from is required: threat-dragon, otm "
                                     "or threagile");
    o->format = import_format_parse(from);
    if (o->format < 0)
        return usage_error("import",
                           "--from takes threat-dragon, otm or threagile, "
                           "not '%s'",
                           from);
    if (optind == argc)
        return usage_error("import", "name the file to import");
    if (optind + 1 < argc)
        return usage_error("import", "unexpected argument '%s'",
                           argv[optind + 1]);
    o->file = argv[optind];
    return 0;
}

/*
 * Writes model as YAML to out, after checking that the text is a valid
 * model, as it must be. Returns 0, or -1 after printing why not.
 */
static int write_model(const struct model *model, const char *output)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    struct strbuf text = STRBUF_INIT;
    const char *name = output ? output : "<stdout>";
    struct model *check = NULL;
    int rc = -1;

    if (model_write(model, &text, &errs) == 0)
        check = model_parse(name, text.buf, text.len, &errs);
    if (check && !output)
        rc = fputs(text.buf, stdout) >= 0 && fflush(stdout) == 0 ? 0 : -1;
    else if (check)
        rc = write_file_atomic(output, text.buf, text.len, &errs);
    if (!check && errs.count)
        fprintf(stderr, "mitigate: internal error: the imported model is "
                        "not valid; please report it with the input\n");
    if (check && rc < 0 && !output)
        fprintf(stderr, "mitigate: cannot write to standard output\n");
    mt_errors_print(&errs, "mitigate");
    mt_errors_release(&errs);
    model_free(check);
    sb_release(&text);
    return rc;
}

int cmd_import(int argc, char **argv)
{
    struct import_options o = {0};
    struct mt_errors warnings = MT_ERRORS_INIT;
    struct mt_errors errs = MT_ERRORS_INIT;
    struct model *model;
    int rc;

    if ((rc = parse_options(argc, argv, &o)) != 0)
        return rc < 0 ? EXIT_PASS : rc;
    model = import_load((enum import_format)o.format, o.file, &warnings, &errs);
    if (!model) {
        mt_errors_print(&errs, "mitigate");
        mt_errors_release(&errs);
        mt_errors_release(&warnings);
        return EXIT_USAGE;
    }
    mt_errors_print(&warnings, "mitigate: warning");
    rc = write_model(model, o.output) == 0 ? EXIT_PASS : EXIT_USAGE;
    if (rc == EXIT_PASS && o.verbose)
        fprintf(stderr,
                "mitigate: %s: imported %zu threats and %zu mitigations; "
                "%zu warnings\n",
                o.file, model->threat_count, model->mitigation_count,
                warnings.count);
    model_free(model);
    mt_errors_release(&warnings);
    mt_errors_release(&errs);
    return rc;
}
