/*
 * render_matrix.c: writes the HTML page of a matrix document, for the
 * browser test of the page.
 *
 * usage: render_matrix DOCUMENT.json PAGE.html
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matrix_html.h"
#include "util.h"

int main(int argc, char **argv)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    json_error_t err;
    json_t *doc;
    char *html;
    int status;

    if (argc != 3) {
        fprintf(stderr, "usage: render_matrix DOCUMENT.json PAGE.html\n");
        return 2;
    }
    doc = json_load_file(argv[1], 0, &err);
    if (!doc) {
        fprintf(stderr, "render_matrix: %s:%d:%d: %s\n", argv[1], err.line,
                err.column, err.text);
        return 1;
    }
    html = matrix_render_html(doc);
    status = write_file_atomic(argv[2], html, strlen(html), &errs);
    mt_errors_print(&errs, "render_matrix");
    mt_errors_release(&errs);
    free(html);
    json_decref(doc);
    return status ? 1 : 0;
}
