/*
 * matrix_html_internal.h: what the parts of the HTML matrix share.
 *
 matrix_html.c writes the page around the table, matrix_html_table.c
 * the table's rows and matrix_html_chart.c the SVG summary. All read
 * the matrix document through the helpers here, which treat a missing
 * or mistyped field as empty, and all write the document's text only
 * through mh_escape(). The symbol of each result carries its meaning;
 * its colour (a CSS class) only repeats it.
 */
#ifndef MITIGATE_MATRIX_HTML_INTERNAL_H
#define MITIGATE_MATRIX_HTML_INTERNAL_H

#include "util.h"

#include <jansson.h>

/* Test results, ordered from no evidence to the best evidence. */
enum mh_result {
    MH_MISSING, /* no test of the kind at all */
    MH_NOT_RUN,
    MH_SKIPPED,
    MH_ERROR,
    MH_FAILED,
    MH_PASSED,
    MH_RESULT_COUNT
};

/* The three kinds of test of IEC 81001-5-1 5.7.2, as a, b and c. */
#define MH_KIND_COUNT 3
extern const char *const mh_kind_keys[MH_KIND_COUNT];   /* JSON keys */
extern const char *const mh_kind_labels[MH_KIND_COUNT]; /* for readers */

/* The string at key of obj, or NULL when it is absent or not a string. */
const char *mh_str(const json_t *obj, const char *key);

/* Appends s with &, <, >, " and ' escaped; NULL appends nothing. */
void mh_escape(struct strbuf *sb, const char *s);

/*
 * As mh_escape(), for element text only: a file path or a C name, with
 * a line break allowed after each '/' and '_' so that long ones wrap
 * between their parts in a narrow column.
 */
void mh_escape_name(struct strbuf *sb, const char *s);

/* The result named by a test's "result" field; unknown is not run. */
enum mh_result mh_result_parse(const char *name);
/* The best result among a JSON array of tests; MH_MISSING if empty. */
enum mh_result mh_best_result(const json_t *tests);
/* "✓", "✗", "!", "○" or "–". */
const char *mh_result_symbol(enum mh_result r);
/* "passed", "failed", "error", "skipped", "not run" or "missing". */
const char *mh_result_label(enum mh_result r);
/* The CSS class suffix: "passed", ..., "not-run", "missing". */
const char *mh_result_class(enum mh_result r);

/*
 * The link base of the report's links, or NULL when links are relative
 * to the page: link_base unset, or of a scheme other than http, https
 * and file.
 */
const char *mh_link_base(const json_t *report);
/*
 * Appends a link to file at line (0: no line) whose text is text, or
 * "file:line" when text is NULL. Without a file, only the text.
 */
void mh_add_link(struct strbuf *sb, const char *base, const char *file,
                 json_int_t line, const char *text);
/* mh_add_link() for an entry of the document with "file" and "line". */
void mh_add_location_link(struct strbuf *sb, const char *base,
                          const json_t *entry, const char *text);

/* "✓ verified", "✗ gaps", "◇ accepted" or "✗ not mitigated". */
void mh_add_status_badge(struct strbuf *sb, const char *status);
/*
 * Appends one <tr> of the matrix table for a row of the document; base
 * as from mh_link_base().
 */
void mh_add_row(struct strbuf *sb, const char *base, const json_t *row);

/*
 * Appends the summary section: the totals, the per-mitigation coverage
 * chart and the test results bar, each chart with a text legend.
 */
void mh_render_summary(struct strbuf *sb, const json_t *doc);

#endif /* MITIGATE_MATRIX_HTML_INTERNAL_H */
