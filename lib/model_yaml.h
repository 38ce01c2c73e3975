/*
 * model_yaml.h: the YAML layer of the model loader, internal to it; the
 * policy and suppressions loaders read their files through it too.
 *
 * ynode_load() turns YAML text into a small tree of scalars, sequences
 * and mappings, each with its position, so that the model can be
 * validated with every error pointing into the file. It refuses what a
 * threat model never needs and what could be abused: anchors and
 * aliases (no alias bombs), tags, NUL characters in strings, several
 * documents, nesting deeper than YNODE_MAX_DEPTH, and more than
 * YNODE_MAX_NODES values in all, so that neither the tree nor the errors
 * about it grow beyond a fixed size whatever the text. Only
 * ynode_load_aliased(), for other tools' files, reads anchors and
 * aliases, with a cap on what they expand to.
 *
 * The yfield_* functions read the values of a mapping with the types
 * the schema expects, reporting each mismatch with its position and the
 * object it belongs to ("where", such as "threat 'T-AUTH-1'").
 *
 * The tree owns its strings and children; ynode_free() releases it.
 */
#ifndef MITIGATE_MODEL_YAML_H
#define MITIGATE_MODEL_YAML_H

#include <stddef.h>

#include "model.h"
#include "util.h"

#define YNODE_MAX_DEPTH 64
/*
 * Scalars, sequences and mappings in one document. A large threat model
 * has tens of thousands; each costs about a hundred bytes in the tree.
 */
#define YNODE_MAX_NODES 262144

enum ynode_type {
    YNODE_SCALAR,
    YNODE_SEQUENCE,
    YNODE_MAPPING,
};

struct ynode {
    enum ynode_type type;
    char *value; /* scalars: the text, NUL-terminated */
    int plain;   /* scalars: written without quotes or block indicator */
    /* Sequences: the items. Mappings: keys and values, alternating. */
    struct ynode **items;
    size_t count;
    size_t alloc;
    struct mt_pos pos;
};

/*
 * Parses the YAML in buf (len bytes; path names it in errors). Returns
 * 0 and the root in *root, or NULL when the text holds no document;
 * returns -1 with errors added when it is not acceptable YAML.
 */
int ynode_load(const char *path, const char *buf, size_t len,
               struct mt_errors *errs, struct ynode **root);

/*
 * Like ynode_load(), for a document of another kind: what names it in
 * errors ("policy file"), as in "anchors are not supported in a policy
 * file". ynode_load() is ynode_load_as() for a "threat model".
 */
int ynode_load_as(const char *path, const char *buf, size_t len,
                  const char *what, struct mt_errors *errs,
                  struct ynode **root);

/*
 * Like ynode_load_as(), for a document that another tool wrote: anchors,
 * aliases and merge keys ("<<") are read, an alias as a copy of the
 * node its anchor names (model_yaml_alias.h); tags are still refused.
 */
int ynode_load_aliased(const char *path, const char *buf, size_t len,
                       const char *what, struct mt_errors *errs,
                       struct ynode **root);

/*
 * Reads the file at path (at most max_size bytes) as one YAML document
 * of the kind what names: a mapping that holds "version_key: version".
 * Returns its root, which the caller frees with ynode_free(), or NULL
 * with errors added when the file cannot be read, is not YAML, is empty,
 * is not a mapping, or has no or another schema version. The version
 * key stays in the mapping for the caller's key check.
 */
struct ynode *ydoc_load(const char *path, size_t max_size, const char *what,
                        const char *version_key, int version,
                        struct mt_errors *errs);

/* Like ydoc_load(), for the text in buf (len bytes) that path names. */
struct ynode *ydoc_parse(const char *path, const char *buf, size_t len,
                         const char *what, const char *version_key, int version,
                         struct mt_errors *errs);

void ynode_free(struct ynode *node);

/* Whether node is a YAML null: an empty plain scalar, ~ or null. */
int ynode_is_null(const struct ynode *node);

/*
 * "a string", "a list", "a mapping" or "an empty value" (a null or an
 * empty string), for errors.
 */
const char *ynode_describe(const struct ynode *node);

/* The value of key in mapping map (the first, if repeated), or NULL. */
const struct ynode *ynode_get(const struct ynode *map, const char *key);

/* Where errors about one file go. */
struct yreport {
    const char *path;
    struct mt_errors *errs;
};

void yreport_error(const struct yreport *rep, const struct mt_pos *pos,
                   const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * Reports word, which is not one of names: "unknown <what> '<word>' in
 * <where>", suggesting the nearest name, or listing them all when none
 * is near.
 */
void yreport_unknown(const struct yreport *rep, const struct mt_pos *pos,
                     const char *what, const char *word, const char *where,
                     const char *const *names, size_t count);

/*
 * Sorts the errors from index first on by line and column, keeping the
 * order of errors at the same position: a loader that checks in several
 * passes still lists its errors in the order of the file.
 */
void yreport_sort(struct mt_errors *errs, size_t first);

/* A key of a mapping as read: the key node and its value, or NULLs. */
struct yfield {
    const struct ynode *key;
    const struct ynode *value;
};

/*
 * Reads mapping map into fields, one per name in keys: reports keys that
 * are not strings, unknown keys and repeated keys.
 */
void yfield_read_keys(const struct yreport *rep, const struct ynode *map,
                      const char *where, const char *const *keys, size_t count,
                      struct yfield *fields);

/* Reports key name missing from map when field f is absent. */
void yfield_require(const struct yreport *rep, const struct ynode *map,
                    const char *where, const char *name,
                    const struct yfield *f);

/* Whether f is present and a mapping; reports it when it is not one. */
int yfield_is_mapping(const struct yreport *rep, const struct yfield *f,
                      const char *where);

/* Whether f is present and a list; reports it when it is not one. */
int yfield_is_list(const struct yreport *rep, const struct yfield *f,
                   const char *where);

/*
 * The text of f when it is a non-empty string, pointing into the tree;
 * NULL when f is absent or (reported) not such a string.
 */
const char *yfield_string(const struct yreport *rep, const struct yfield *f,
                          const char *where);

/* Like yfield_string(), but a copy the caller owns. */
char *yfield_strdup(const struct yreport *rep, const struct yfield *f,
                    const char *where);

/*
 * Reads f, a list of non-empty strings, into out (which must be empty):
 * the strings that are valid, each with its position.
 */
void yfield_strings(const struct yreport *rep, const struct yfield *f,
                    const char *where, struct model_strings *out);

/*
 * The index in names of the string f holds, or -1 when f is absent or
 * (reported) not one of names; what names the vocabulary in errors.
 */
int yfield_enum(const struct yreport *rep, const struct yfield *f,
                const char *where, const char *what, const char *const *names,
                size_t count);

/*
 * 1 or 0 for f holding true or false (plain, in any of YAML's three
 * spellings); -1 when f is absent or (reported) anything else.
 */
int yfield_bool(const struct yreport *rep, const struct yfield *f,
                const char *where);

#endif /* MITIGATE_MODEL_YAML_H */
