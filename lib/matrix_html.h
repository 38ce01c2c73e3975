/*
 * matrix_html.h: the threat-to-mitigation test matrix as one HTML page.
 *
 * The page renders the matrix document (the JSON form of the matrix,
 * "mitigate_matrix": 1) for a reader: a header that says what was
 * tested and by what, a coverage summary drawn as inline SVG, and the
 * matrix table with one row per (threat, mitigation) row of the
 * document, gaps included. The table sorts and filters with a small
 * inline script; everything else reads without it.
 *
 * The page is self-contained and works offline: its style and script
 * are inline, its Content-Security-Policy allows nothing else (each is
 * allowed by its SHA-256 hash), and it names no other resource. Every
 * file and line in the document becomes a link: to report.link_base +
 * path + "#L" + line when link_base is set, else to the path relative
 * to the page. Every text of the document is HTML-escaped.
 *
 * Memory: the caller owns the returned string and frees it with free().
 * The same document always gives the same bytes.
 */
#ifndef MITIGATE_MATRIX_HTML_H
#define MITIGATE_MATRIX_HTML_H

#include <jansson.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Renders the matrix document doc as a NUL-terminated HTML page. Fields
 * that are missing or of another type render as empty, so this never
 * fails and never returns NULL.
 */
char *matrix_render_html(const json_t *doc);

#ifdef __cplusplus
}
#endif

#endif /* MITIGATE_MATRIX_HTML_H */
