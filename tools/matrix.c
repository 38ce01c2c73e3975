/*
 * matrix.c: `mitigate matrix`: the threat-to-mitigation test matrix for
 * the technical file, as HTML, Markdown, CSV or JSON.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "inputs.h"
#include "matrix.h"
#include "matrix_html.h"

static const char matrix_usage[] =
        "usage: mitigate matrix --model threats.yaml --facts DIR\n"
        "                       [--results junit.xml ...]\n"
        "                       [--policy policy.yaml] [--suppressions FILE]\n"
        "                       --format html|md|csv|json [-o FILE]\n"
        "                       [--root DIR] [--link-base URL]\n"
        "\n"
        "  --format FORMAT   html (one self-contained page), md (for a\n"
        "                    pull-request comment), csv (RFC 4180, UTF-8)\n"
        "                    or json (see docs/matrix.md)\n"
        "  -o, --output FILE write there, atomically (default: stdout)\n"
        "  --link-base URL   link sources to URL/path#Lline, for example\n"
        "                    a repository browser; default: relative paths\n"
        "  the other options are those of mitigate check\n";

struct matrix_options {
    struct input_options in;
    const char *format;
    const char *output;
    const char *root;
    const char *link_base;
    int verbose;
};

static int parse_options(int argc, char **argv, struct matrix_options *o)
{
    static const struct option longopts[] = {
            INPUT_LONG_OPTIONS,
            {"format", required_argument, NULL, 'F'},
            {"output", required_argument, NULL, 'o'},
            {"root", required_argument, NULL, 'r'},
            {"link-base", required_argument, NULL, 'l'},
            {"verbose", no_argument, NULL, 'v'},
            {"help", no_argument, NULL, 'h'},
            {NULL, 0, NULL, 0},
    };
    int c;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":m:f:o:vh", longopts, NULL)) != -1) {
        if (inputs_option(&o->in, c, optarg))
            continue;
        switch (c) {
        case 'F':
            o->format = optarg;
            break;
        case 'o':
            o->output = optarg;
            break;
        case 'r':
            o->root = optarg;
            break;
        case 'l':
            o->link_base = optarg;
            break;
        case 'v':
            o->verbose = 1;
            break;
        case 'h':
            fputs(matrix_usage, stdout);
            return -1;
        case ':':
            return usage_error("matrix", "%s needs a value", argv[optind - 1]);
        default:
            return usage_error("matrix", "unknown option '%s'; see --help",
                               argv[optind - 1]);
        }
    }
    if (optind < argc)
        return usage_error("matrix", "unexpected argument '%s'", argv[optind]);
    if (!o->in.model || !o->in.facts)
        return usage_error("matrix", "--model and --facts are required");
    if (!o->format)
        return usage_error("matrix", "--format is required: html, md, csv "
                                     "or json");
    return 0;
}

/* Renders doc in the format asked for; NULL for an unknown format. */
static char *render(const json_t *doc, const char *format)
{
    if (!strcmp(format, "html"))
        return matrix_render_html(doc);
    if (!strcmp(format, "md"))
        return matrix_render_markdown(doc);
    if (!strcmp(format, "csv"))
        return matrix_render_csv(doc);
    if (!strcmp(format, "json"))
        return matrix_render_json(doc);
    return NULL;
}

static int emit(const char *text, const char *output)
{
    struct mt_errors errs = MT_ERRORS_INIT;

    if (!output) {
        fputs(text, stdout);
        return fflush(stdout) == 0 ? EXIT_PASS : EXIT_USAGE;
    }
    if (write_file_atomic(output, text, strlen(text), &errs) == 0)
        return EXIT_PASS;
    mt_errors_print(&errs, "mitigate");
    mt_errors_release(&errs);
    return EXIT_USAGE;
}

/*
 * The input files the report hashes: model, policy, suppressions and
 * every results file. files has room for result_count + 3.
 */
static size_t input_files(const struct input_options *in, const char **files)
{
    size_t n = 0;

    files[n++] = in->model;
    if (in->policy)
        files[n++] = in->policy;
    if (in->suppressions)
        files[n++] = in->suppressions;
    for (size_t i = 0; i < in->result_count; i++)
        files[n++] = in->results[i];
    return n;
}

int cmd_matrix(int argc, char **argv)
{
    struct matrix_options o = {0};
    struct inputs in = {0};
    struct findings findings = {0};
    struct analysis_input ai;
    json_t *rows = NULL, *doc;
    const char **files = NULL;
    char *root, *text;
    int rc;

    if ((rc = parse_options(argc, argv, &o)) != 0) {
        input_options_release(&o.in);
        return rc < 0 ? EXIT_PASS : rc;
    }
    if (strcmp(o.format, "html") && strcmp(o.format, "md") &&
        strcmp(o.format, "csv") && strcmp(o.format, "json")) {
        input_options_release(&o.in);
        return usage_error("matrix",
                           "--format takes html, md, csv or json, "
                           "not '%s'",
                           o.format);
    }
    if (!(root = source_root(o.root))) {
        input_options_release(&o.in);
        return EXIT_USAGE;
    }
    if ((rc = inputs_load(&o.in, root, o.verbose, &in)) != 0)
        goto out;
    inputs_analysis(&in, root, &ai);
    analysis_run(&ai, &findings, &rows);
    files = xcalloc(o.in.result_count + 3, sizeof(*files));
    doc = matrix_document(rows, in.model, &in.facts,
                          &(struct matrix_meta){argc - 1, argv + 1, root,
                                                o.link_base, files,
                                                input_files(&o.in, files),
                                                o.in.facts, now_epoch()});
    text = render(doc, o.format);
    rc = emit(text, o.output);
    free(text);
    json_decref(doc);
out:
    free(files);
    findings_release(&findings);
    inputs_release(&in);
    input_options_release(&o.in);
    free(root);
    return rc;
}
