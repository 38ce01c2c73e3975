/*
 * matrix.h: the threat-to-mitigation test matrix as a document.
 *
 * matrix_document() wraps the rows that analysis_run() builds with what
 * makes the report reproducible (tool and clang versions, options, git
 * revision, build identifier, date, and the SHA-256 of every input) and
 * the totals. The renderers turn that one JSON document into Markdown,
 * CSV or HTML; the JSON form is written as it is. docs/matrix.md
 * documents every field. Every renderer gives the same bytes for the
 * same document.
 *
 * Documents are jansson objects owned by the caller; rendered text is a
 * malloc'd NUL-terminated string the caller frees.
 */
#ifndef MITIGATE_MATRIX_H
#define MITIGATE_MATRIX_H

#include <jansson.h>
#include <stddef.h>

#include "facts.h"
#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MATRIX_SCHEMA_VERSION 1

/* What the report says about how it was made. */
struct matrix_meta {
    int argc;
    char *const *argv;         /* the options used, without the program name */
    const char *root;          /* absolute source root: paths are under it */
    const char *link_base;     /* prefix for links to sources, or NULL */
    const char *const *inputs; /* files to hash: model, policy, results */
    size_t input_count;
    const char *facts_dir; /* every facts file in it is hashed too */
    long long timestamp;   /* SOURCE_DATE_EPOCH or now */
};

/* Takes rows (stealing the reference) and returns the whole document. */
json_t *matrix_document(json_t *rows, const struct model *model,
                        const struct facts_set *facts,
                        const struct matrix_meta *meta);

char *matrix_render_json(const json_t *doc);
char *matrix_render_markdown(const json_t *doc);
char *matrix_render_csv(const json_t *doc);

#ifdef __cplusplus
}
#endif

#endif /* MITIGATE_MATRIX_H */
