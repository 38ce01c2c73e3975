/*
 * matrix_html_chart.c: the summary of the HTML matrix: totals, and two
 * charts drawn as inline SVG, so they need no script and print as they
 * show. Every coloured mark also holds its result's symbol.
 */
#include "matrix_html_internal.h"

#include <stdlib.h>
#include <string.h>

/*
 * The coverage grid: a tile per mitigation, an ID and three cells a, b,
 * c. The label column is as wide as the longest ID needs, within
 * LABEL_MIN_CHARS and LABEL_MAX_CHARS; longer IDs are cut, with "…", and
 * the tile's tooltip holds the whole ID. Wider tiles mean fewer per line.
 */
#define GRID_WIDTH 976     /* the widest a line of tiles may be */
#define GRID_COLUMNS 4     /* tiles per line, at most */
#define LABEL_MIN_CHARS 16 /* the label column is never narrower */
#define LABEL_MAX_CHARS 32 /* longer IDs are cut */
#define LABEL_SPACE 120    /* a tile's width beyond its label column */
#define CELL 24            /* a cell is a CELL x CELL square */
#define CELL_GAP 4         /* between the cells of a tile */
#define LINE_HEIGHT 30     /* a line of tiles */
#define HEAD_HEIGHT 20     /* the line of "a b c" above the tiles */
#define BAR_WIDTH 600      /* the test results bar */
#define BAR_HEIGHT 28
#define BAR_LABEL_MIN 40 /* narrower segments show no count inside */

/* Okabe-Ito fills, and a text colour that reads on each. */
static const struct {
    const char *fill;
    const char *text;
} colours[MH_RESULT_COUNT] = {
        [MH_MISSING] = {"url(#mh-hatch)", "#000"},
        [MH_NOT_RUN] = {"#BBBBBB", "#000"},
        [MH_SKIPPED] = {"#DDDDDD", "#000"},
        [MH_ERROR] = {"#E69F00", "#000"},
        [MH_FAILED] = {"#D55E00", "#000"},
        [MH_PASSED] = {"#0072B2", "#fff"},
};

/* The keys of report.totals.tests, in the bar's order. */
static const struct {
    const char *key;
    enum mh_result result;
} test_totals[] = {
        {"passed", MH_PASSED},   {"failed", MH_FAILED},   {"error", MH_ERROR},
        {"skipped", MH_SKIPPED}, {"not-run", MH_NOT_RUN},
};

#define TEST_TOTALS (sizeof(test_totals) / sizeof(*test_totals))

static long long total_of(const json_t *totals, const char *key)
{
    return (long long)json_integer_value(json_object_get(totals, key));
}

/* The size of the grid's parts, from the IDs it shows. */
struct grid {
    size_t label_chars; /* IDs longer than this are cut */
    int label_width;    /* the label column: label_chars at 12px mono */
    int tile_width;     /* a tile and the space after it */
    int columns;        /* tiles per line */
};

/* The number of characters (not bytes) of UTF-8 text. */
static size_t char_count(const char *text)
{
    size_t n = 0;

    for (; text && *text; text++)
        n += ((unsigned char)*text & 0xC0) != 0x80;
    return n;
}

static struct grid grid_for(const json_t *rows, const size_t *picked,
                            size_t count)
{
    struct grid g = {LABEL_MIN_CHARS, 0, 0, 0};

    for (size_t i = 0; i < count; i++) {
        const json_t *m =
                json_object_get(json_array_get(rows, picked[i]), "mitigation");
        size_t n = char_count(mh_str(m, "id"));

        if (n > g.label_chars)
            g.label_chars = n < LABEL_MAX_CHARS ? n : LABEL_MAX_CHARS;
    }
    /* DejaVu Sans Mono advances 0.6 em: 7.2px at 12px, with room over. */
    g.label_width = (int)g.label_chars * 15 / 2 + 4;
    g.tile_width = g.label_width + LABEL_SPACE;
    /* As many tiles as fit, up to GRID_COLUMNS and count, at least 1. */
    g.columns = GRID_WIDTH / g.tile_width;
    if (g.columns > GRID_COLUMNS)
        g.columns = GRID_COLUMNS;
    if ((size_t)g.columns > count)
        g.columns = (int)count;
    if (g.columns < 1)
        g.columns = 1;
    return g;
}

/* Appends id escaped, cut to chars characters (not bytes). */
static void add_label(struct strbuf *sb, const char *id, size_t chars_max)
{
    size_t chars = 0;
    size_t len = 0;
    char *cut;

    for (; id && id[len]; len++) {
        if (((unsigned char)id[len] & 0xC0) == 0x80)
            continue;
        if (++chars > chars_max)
            break;
    }
    cut = xstrndup(id ? id : "", len);
    mh_escape(sb, cut);
    if (id && id[len])
        sb_adds(sb, "\xe2\x80\xa6");
    free(cut);
}

/* One cell of the grid: a square of the result's colour and symbol. */
static void add_cell(struct strbuf *sb, int x, int y, const char *id, int kind,
                     enum mh_result r)
{
    sb_adds(sb, "<g><title>");
    mh_escape(sb, id);
    sb_addf(sb, " %s: %s</title>", mh_kind_labels[kind], mh_result_label(r));
    sb_addf(sb,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"3\" "
            "fill=\"%s\" stroke=\"#333\"%s/>",
            x, y, CELL, CELL, colours[r].fill,
            r == MH_MISSING ? " stroke-dasharray=\"3 2\"" : "");
    sb_addf(sb,
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
            "font-size=\"15\" font-weight=\"700\" fill=\"%s\">%s</text></g>",
            x + CELL / 2, y + 17, colours[r].text, mh_result_symbol(r));
}

/* A mitigation's tile at x, y: its ID, then a cell per kind of test. */
static void add_tile(struct strbuf *sb, const struct grid *g, const json_t *m,
                     int x, int y)
{
    const json_t *tests = json_object_get(m, "tests");
    const char *id = mh_str(m, "id");

    sb_addf(sb,
            "<g class=\"tile\"><text x=\"%d\" y=\"%d\" font-size=\"12\" "
            "font-family=\"DejaVu Sans Mono, monospace\" "
            "font-weight=\"700\" fill=\"#1b1b1b\"><title>",
            x, y + 17);
    mh_escape(sb, id);
    sb_adds(sb, "</title>");
    add_label(sb, id, g->label_chars);
    sb_adds(sb, "</text>");
    for (int k = 0; k < MH_KIND_COUNT; k++)
        add_cell(sb, x + g->label_width + k * (CELL + CELL_GAP), y, id, k,
                 mh_best_result(json_object_get(tests, mh_kind_keys[k])));
    sb_adds(sb, "</g>\n");
}

/*
 * The rows whose mitigation is shown in the grid: the first row of
 * each mitigation ID, in the document's order. Returns how many; the
 * caller frees *picked.
 */
static size_t pick_mitigations(const json_t *rows, size_t **picked)
{
    json_t *seen = json_object();
    size_t count = 0;

    *picked = xmalloc(json_array_size(rows) * sizeof(**picked));
    for (size_t i = 0; i < json_array_size(rows); i++) {
        const json_t *m =
                json_object_get(json_array_get(rows, i), "mitigation");
        const char *id = mh_str(m, "id");

        if (!json_is_object(m) || !id || json_object_get(seen, id))
            continue;
        json_object_set_new(seen, id, json_true());
        (*picked)[count++] = i;
    }
    json_decref(seen);
    return count;
}

/*
 * The coverage grid: for each mitigation, the best result of its tests
 * of each kind, so a missing thwart test shows as a gap at a glance.
 */
static void add_coverage_chart(struct strbuf *sb, const json_t *rows)
{
    size_t *picked;
    size_t count = pick_mitigations(rows, &picked);
    struct grid g = grid_for(rows, picked, count);
    size_t columns = (size_t)g.columns;
    int lines = (int)((count + columns - 1) / columns);
    int width = g.columns * g.tile_width;
    int height = HEAD_HEIGHT + lines * LINE_HEIGHT;

    sb_adds(sb, "<figure>\n<figcaption>Best test result per mitigation "
                "and kind</figcaption>\n");
    if (!count) {
        sb_adds(sb, "<p class=\"none\">No mitigation in the model.</p>\n"
                    "</figure>\n");
        free(picked);
        return;
    }
    sb_addf(sb,
            "<svg id=\"coverage-chart\" role=\"img\" aria-label=\"Best "
            "test result of each kind for %zu mitigations; the table "
            "lists each test\" width=\"%d\" height=\"%d\" viewBox=\"0 0 "
            "%d %d\">\n",
            count, width, height, width, height);
    sb_adds(sb, "<defs><pattern id=\"mh-hatch\" width=\"6\" height=\"6\" "
                "patternUnits=\"userSpaceOnUse\" "
                "patternTransform=\"rotate(45)\"><rect width=\"6\" "
                "height=\"6\" fill=\"#fff\"/><line x1=\"0\" y1=\"0\" "
                "x2=\"0\" y2=\"6\" stroke=\"#d8d8d8\" stroke-width=\"2\"/>"
                "</pattern></defs>\n");
    for (int c = 0; c < g.columns; c++)
        for (int k = 0; k < MH_KIND_COUNT; k++)
            sb_addf(sb,
                    "<text x=\"%d\" y=\"14\" text-anchor=\"middle\" "
                    "font-size=\"12\" fill=\"#333\">%c</text>\n",
                    c * g.tile_width + g.label_width + k * (CELL + CELL_GAP) +
                            CELL / 2,
                    'a' + k);
    for (size_t i = 0; i < count; i++)
        add_tile(sb, &g,
                 json_object_get(json_array_get(rows, picked[i]), "mitigation"),
                 (int)(i % columns) * g.tile_width,
                 HEAD_HEIGHT + (int)(i / columns) * LINE_HEIGHT);
    sb_adds(sb, "</svg>\n</figure>\n");
    free(picked);
}

/* The test results as one bar, a segment per result, widths to scale. */
static void add_results_chart(struct strbuf *sb, const json_t *tests)
{
    long long all = 0;
    long long done = 0;

    for (size_t i = 0; i < TEST_TOTALS; i++)
        all += total_of(tests, test_totals[i].key);
    sb_addf(sb,
            "<figure>\n<figcaption>Test results (%lld tests)</figcaption>\n"
            "<svg id=\"results-chart\" role=\"img\" aria-label=\"Test "
            "results; the legend gives each count\" width=\"%d\" "
            "height=\"%d\" viewBox=\"0 0 %d %d\">\n",
            all, BAR_WIDTH, BAR_HEIGHT, BAR_WIDTH, BAR_HEIGHT);
    if (all <= 0)
        sb_addf(sb,
                "<rect width=\"%d\" height=\"%d\" fill=\"#fff\" "
                "stroke=\"#333\" stroke-dasharray=\"3 2\"/><text x=\"%d\" "
                "y=\"19\" text-anchor=\"middle\" font-size=\"13\">no "
                "tests</text>\n",
                BAR_WIDTH, BAR_HEIGHT, BAR_WIDTH / 2);
    for (size_t i = 0; all > 0 && i < TEST_TOTALS; i++) {
        enum mh_result r = test_totals[i].result;
        long long n = total_of(tests, test_totals[i].key);
        int x = (int)(done * BAR_WIDTH / all);
        int w = (int)((done + n) * BAR_WIDTH / all) - x;

        done += n;
        if (n <= 0)
            continue;
        sb_addf(sb,
                "<g><title>%s: %lld</title><rect x=\"%d\" width=\"%d\" "
                "height=\"%d\" fill=\"%s\" stroke=\"#333\"/>",
                mh_result_label(r), n, x, w, BAR_HEIGHT, colours[r].fill);
        if (w >= BAR_LABEL_MIN)
            sb_addf(sb,
                    "<text x=\"%d\" y=\"19\" text-anchor=\"middle\" "
                    "font-size=\"14\" font-weight=\"700\" fill=\"%s\">"
                    "%s %lld</text>",
                    x + w / 2, colours[r].text, mh_result_symbol(r), n);
        sb_adds(sb, "</g>\n");
    }
    sb_adds(sb, "</svg>\n<ul class=\"legend\">\n");
    for (size_t i = 0; i < TEST_TOTALS; i++) {
        enum mh_result r = test_totals[i].result;

        sb_addf(sb, "<li><span class=\"badge r-%s\">%s</span> %s: %lld</li>\n",
                mh_result_class(r), mh_result_symbol(r), mh_result_label(r),
                total_of(tests, test_totals[i].key));
    }
    sb_adds(sb, "</ul>\n</figure>\n");
}

/* The legend of the coverage grid: each symbol, and the three kinds. */
static void add_legend(struct strbuf *sb)
{
    static const enum mh_result order[] = {MH_PASSED,  MH_FAILED,  MH_ERROR,
                                           MH_SKIPPED, MH_NOT_RUN, MH_MISSING};

    sb_adds(sb, "<ul class=\"legend\">\n");
    for (size_t i = 0; i < sizeof(order) / sizeof(*order); i++)
        sb_addf(sb, "<li><span class=\"badge r-%s\">%s</span> %s</li>\n",
                mh_result_class(order[i]), mh_result_symbol(order[i]),
                order[i] == MH_MISSING ? "no test of the kind"
                                       : mh_result_label(order[i]));
    for (int k = 0; k < MH_KIND_COUNT; k++)
        sb_addf(sb, "<li>%s</li>\n", mh_kind_labels[k]);
    sb_adds(sb, "</ul>\n");
}

/* The cards of totals: threats by status, mitigations, coverage, tests. */
static void add_totals(struct strbuf *sb, const json_t *totals)
{
    const json_t *status = json_object_get(totals, "threat_status");
    const json_t *coverage = json_object_get(totals, "coverage");
    const json_t *tests = json_object_get(totals, "tests");
    long long mitigations = total_of(totals, "mitigations");
    long long all_tests = 0;

    for (size_t i = 0; i < TEST_TOTALS; i++)
        all_tests += total_of(tests, test_totals[i].key);
    sb_addf(sb,
            "<ul class=\"totals\">\n<li class=\"card\"><span class=\"num\">"
            "%lld</span>threats<div class=\"meta\">\xe2\x9c\x93 %lld "
            "verified<br>\xe2\x9c\x97 %lld with gaps<br>\xe2\x97\x87 %lld "
            "accepted<br>\xe2\x9c\x97 %lld not mitigated</div></li>\n",
            total_of(totals, "threats"), total_of(status, "verified"),
            total_of(status, "gaps"), total_of(status, "accepted"),
            total_of(status, "not-mitigated"));
    sb_addf(sb,
            "<li class=\"card\"><span class=\"num\">%lld</span>mitigations"
            "<div class=\"meta\">in %lld rows of the matrix</div></li>\n",
            mitigations, total_of(totals, "rows"));
    sb_addf(sb,
            "<li class=\"card\"><span class=\"num\">%lld \xc2\xb7 %lld "
            "\xc2\xb7 %lld</span>mitigations with a passing test of kind a, b, "
            "c"
            "<div class=\"meta\">",
            total_of(coverage, mh_kind_keys[0]),
            total_of(coverage, mh_kind_keys[1]),
            total_of(coverage, mh_kind_keys[2]));
    for (int k = 0; k < MH_KIND_COUNT; k++)
        sb_addf(sb, "%s%s: %lld of %lld", k ? "<br>" : "", mh_kind_labels[k],
                total_of(coverage, mh_kind_keys[k]), mitigations);
    sb_addf(sb,
            "</div></li>\n<li class=\"card\"><span class=\"num\">%lld</span>"
            "tests<div class=\"meta\">",
            all_tests);
    for (size_t i = 0; i < TEST_TOTALS; i++)
        sb_addf(sb, "%s%s %lld %s", i ? "<br>" : "",
                mh_result_symbol(test_totals[i].result),
                total_of(tests, test_totals[i].key),
                mh_result_label(test_totals[i].result));
    sb_adds(sb, "</div></li>\n</ul>\n");
}

void mh_render_summary(struct strbuf *sb, const json_t *doc)
{
    const json_t *totals =
            json_object_get(json_object_get(doc, "report"), "totals");

    sb_adds(sb, "<section id=\"summary\" aria-labelledby=\"summary-h\">\n"
                "<h2 id=\"summary-h\">Summary</h2>\n");
    add_totals(sb, totals);
    sb_adds(sb, "<div class=\"charts\">\n<div>\n");
    add_coverage_chart(sb, json_object_get(doc, "rows"));
    add_legend(sb);
    sb_adds(sb, "</div>\n");
    add_results_chart(sb, json_object_get(totals, "tests"));
    sb_adds(sb, "</div>\n</section>\n");
}
