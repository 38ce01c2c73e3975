/*
 * suppress.h: suppressions kept outside the source, in a YAML file.
 *
 * Some code cannot carry MITIGATE_ALLOW: generated or vendor files, or
 * code whose owners want every accepted finding reviewed in one place.
 * A suppressions file (schema version 1) lists, for one rule each, the
 * function or the files where its findings are accepted, why, who
 * decided, and optionally until when:
 *
 *     mitigate-suppressions: 1
 *     suppressions:
 *       - rule: MB1001
 *         function: copy_name
 *         justification: length checked against dst_size by the caller
 *         owner: J. Doe
 *         until: 2027-06-30
 *
 * suppressions_load() validates the file as strictly as the model:
 * unknown keys (with the nearest key suggested), unknown rules, wrong
 * types, both or neither of function and file, an empty justification
 * or owner, an invalid date and duplicate entries are errors with file,
 * line and column. It returns every entry or none.
 *
 * A struct suppressions owns its strings; suppressions_free() releases
 * it. suppressions_find() only reads it.
 */
#ifndef MITIGATE_SUPPRESS_H
#define MITIGATE_SUPPRESS_H

#include <stddef.h>

#include "policy.h"
#include "util.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SUPPRESSIONS_SCHEMA_VERSION 1

struct suppression {
    char *rule; /* "MB1001" */
    /*
     * Exactly one of function and file is set. function is a function's
     * name, which matches it in any file, or a static function's key
     * "path:name". file is a path relative to the source root, where '*'
     * matches any run of characters, '/' included.
     */
    char *function;
    char *file;
    char *justification;
    char *owner;
    char *until;             /* "YYYY-MM-DD", or NULL */
    long until_days;         /* days since 1970-01-01; -1 without until */
    struct mt_pos pos;       /* the entry */
    struct mt_pos until_pos; /* its until date, for expiry findings */
};

struct suppressions {
    char *path;
    struct suppression *items;
    size_t count;
};

/*
 * Reads the suppressions file at path. Rule IDs are checked against
 * policy (built-in and custom rules), or against the built-in catalog
 * when policy is NULL. Returns NULL with errors added when the file
 * cannot be read or is not valid.
 */
struct suppressions *suppressions_load(const char *path,
                                       const struct policy *policy,
                                       struct mt_errors *errs);

/*
 * Like suppressions_load(), for the YAML in text (len bytes, need not be
 * NUL-terminated) that path names in errors.
 */
struct suppressions *suppressions_parse(const char *path, const char *text,
                                        size_t len, const struct policy *policy,
                                        struct mt_errors *errs);

void suppressions_free(struct suppressions *set);

/*
 * The entry that suppresses a finding of rule_id in the function whose
 * key is function (its name, or "path:name" for a static function; NULL
 * when the finding is in no function) in relative_file (relative to the
 * source root; may be NULL), or NULL. today is in days since
 * 1970-01-01; an entry past its until date suppresses nothing.
 */
const struct suppression *
suppressions_find(const struct suppressions *set, const char *rule_id,
                  const char *function, const char *relative_file, long today);

/* Whether s is past its until date on day today. */
int suppression_expired(const struct suppression *s, long today);

#ifdef __cplusplus
}
#endif

#endif /* MITIGATE_SUPPRESS_H */
