/*
 * import_internal.h: what the readers of other tools' models share; not
 * part of the API (see import.h).
 *
 * A reader walks its source and builds the model through an import
 * context: it adds threats and mitigations with the IDs the source gives
 * them (import_add_threat(), import_add_mitigation()), fills in their
 * fields, and links them. The context chooses each model ID, reports
 * duplicates, and maps statuses and categories the same way for every
 * format. import_finish() hands over the model, or NULL when an error
 * was reported.
 *
 * Items live in the model's arrays, which grow as items are added: a
 * pointer to a threat or mitigation is good until the next add, an
 * index for as long as the context lives.
 */
#ifndef MITIGATE_IMPORT_INTERNAL_H
#define MITIGATE_IMPORT_INTERNAL_H

#include <jansson.h>
#include <stddef.h>

#include "import.h"

/* Where an item was read: a JSON path or a YAML line and column. */
struct import_at {
    const char *path;  /* ".detail.diagrams[0]"; NULL for YAML */
    struct mt_pos pos; /* line 0 for JSON */
};

/* Keys seen so far (source IDs or model IDs), each with its item. */
struct import_index {
    void *root; /* a tsearch() tree of struct import_key */
    struct import_key **keys;
    size_t count;
    size_t alloc;
};

struct import_key {
    char *key;
    size_t item; /* index in the model's threats or mitigations */
    char *where; /* "line 3, column 5" or a JSON path */
};

struct import_ctx {
    const char *name; /* the file, for messages */
    enum import_format format;
    const char *tool;    /* import_format_names[format] */
    const char *product; /* "Threat Dragon", "OTM", "Threagile" */
    struct mt_errors *errs;
    struct mt_errors *warnings;
    size_t errors_before;
    struct model *model;
    size_t threat_alloc;
    size_t mitigation_alloc;
    struct import_index threat_sources; /* source ID -> threat */
    struct import_index threat_ids;     /* model ID -> threat */
    struct import_index mitigation_sources;
    struct import_index mitigation_ids;
};

/* What a source says about the state of a threat. */
enum import_status {
    IMPORT_OPEN,           /* to be mitigated, or being mitigated */
    IMPORT_MITIGATED,      /* its mitigations are in place */
    IMPORT_ACCEPTED,       /* its risk was accepted */
    IMPORT_NOT_APPLICABLE, /* it does not apply (or is a false positive) */
};

/* The context */

void import_begin(struct import_ctx *ctx, enum import_format format,
                  const char *name, struct mt_errors *warnings,
                  struct mt_errors *errs);

/* The model, or NULL (freed) when an error was reported. */
struct model *import_finish(struct import_ctx *ctx);

/* Whether an error has been reported since import_begin(). */
int import_failed(const struct import_ctx *ctx);

void import_error(struct import_ctx *ctx, const struct import_at *at,
                  const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void import_warn(struct import_ctx *ctx, const struct import_at *at,
                 const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Items */

/*
 * Adds a threat read at at, whose ID in the source is source_id, or
 * NULL when it has none: its ID is then derived from seed, text that
 * identifies it in the source. Returns its index, or -1 after reporting
 * an ID that an earlier threat has.
 */
long import_add_threat(struct import_ctx *ctx, const char *source_id,
                       const char *seed, const struct import_at *at);

/* The same for a mitigation. */
long import_add_mitigation(struct import_ctx *ctx, const char *source_id,
                           const char *seed, const struct import_at *at);

/*
 * Adds a mitigation made from free text that the source keeps on
 * another item (a threat's mitigation in Threat Dragon, a risk
 * category's in Threagile): its ID is "M-" and the owner's model ID.
 * what names the owner for the note ("threat", "risk category").
 */
long import_add_text_mitigation(struct import_ctx *ctx, const char *owner_id,
                                const char *what, const char *text,
                                const struct import_at *at);

/* The index of the item with this source ID, or -1. */
long import_find_threat(const struct import_ctx *ctx, const char *source_id);
long import_find_mitigation(const struct import_ctx *ctx,
                            const char *source_id);

/* The index of the mitigation with this model ID; it must exist. */
size_t import_mitigation_index(const struct import_ctx *ctx, const char *id);

/* Adds mitigation m to threat t once; later calls with it do nothing. */
void import_link(struct import_ctx *ctx, size_t t, size_t m);

/* Appends a sentence to the origin note of an item. */
void import_note(struct model_origin *origin, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

/*
 * Keeps value, the what of threat t in the source ("severity"), for
 * which the model has no place, in the threat's origin note ("Its
 * severity in Threat Dragon is 'Severe'."), and warns that it did.
 */
void import_keep(struct import_ctx *ctx, size_t t, const char *what,
                 const char *value, const struct import_at *at);

/* Appends s to list when it is not there yet. */
void import_strings_add(struct model_strings *list, const char *s);

/* Values */

/* The letters of word in lower case: "NOT_APPLICABLE" -> "notapplicable". */
char *import_fold(const char *word);

/* A copy of s without surrounding white space, or NULL when blank. */
char *import_text(const char *s);

/*
 * A one-line title for free text: its first line, cut at a word before
 * IMPORT_TITLE_MAX characters with "..." added when longer.
 */
#define IMPORT_TITLE_MAX 100
char *import_title(const char *text);

/* The STRIDE category a word names, in any common spelling, or -1. */
int import_stride_parse(const char *word);

/* "CWE-79" for "CWE-79", "cwe-79" or "79"; NULL for anything else. */
char *import_cwe(const char *word);

/*
 * Sets the control of mitigation m from the STRIDE categories of the
 * threats it mitigates (stride_mask), noting that it was inferred; with
 * no category, sets integrity and warns that it must be chosen.
 */
void import_infer_control(struct import_ctx *ctx, size_t m,
                          unsigned stride_mask, const struct import_at *at);

/*
 * Applies status to threat t, as word says it in the source: an
 * accepted or not-applicable threat gets an acceptance to fill in
 * (rationale, or a default; by, or "unassigned"; a past until date); a
 * mitigated threat without a mitigation is warned about, since check
 * will report it.
 */
void import_apply_status(struct import_ctx *ctx, size_t t,
                         enum import_status status, const char *word,
                         const char *rationale, const char *by,
                         const struct import_at *at);

/* JSON (import_json.c), for the readers of JSON formats */

/*
 * Parses buf as a JSON object. Returns it, or NULL after reporting where
 * it is not JSON or not an object, with a hint when the text looks like
 * another format.
 */
json_t *import_json_parse(struct import_ctx *ctx, const char *buf, size_t len);

/* parent.key and parent[index], as paths into the document. */
char *import_json_key_path(const char *parent, const char *key);
char *import_json_index_path(const char *parent, size_t index);

/*
 * Member key of object obj (at path, an item that what names, such as
 * "Threat Dragon threat") when it is of type: NULL when it is absent or
 * null, reported when required; NULL and reported when it has another
 * type.
 */
const json_t *import_json_member(struct import_ctx *ctx, const json_t *obj,
                                 const char *key, json_type type,
                                 const char *path, const char *what,
                                 int required);

/* The text of a string member, as import_json_member() finds it. */
const char *import_json_string(struct import_ctx *ctx, const json_t *obj,
                               const char *key, const char *path,
                               const char *what, int required);

/*
 * The text of a string member that must not be blank: NULL and reported
 * when it is missing, blank or not a string.
 */
const char *import_json_text(struct import_ctx *ctx, const json_t *obj,
                             const char *key, const char *path,
                             const char *what);

/* A word a source uses for a status, folded (import_fold()). */
struct import_status_word {
    const char *word;
    enum import_status status;
};

/*
 * The status word means in a source whose words are the count entries
 * of words, compared folded, so that "Not Applicable", "NOT_APPLICABLE"
 * and "not-applicable" are one. Returns 0 when it is none of them.
 */
int import_read_status(const char *word, const struct import_status_word *words,
                       size_t count, enum import_status *status);

/* The date imported acceptances get: passed, so check reports them. */
#define IMPORT_UNTIL "1970-01-01"
#define IMPORT_UNASSIGNED "unassigned"

#endif /* MITIGATE_IMPORT_INTERNAL_H */
