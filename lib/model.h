/*
 * model.h: the threat model (threats.yaml, schema version 1).
 *
 * model_load() reads the YAML with libyaml and validates it strictly:
 * unknown keys (with the nearest valid key suggested), wrong types,
 * unknown enum values, duplicate IDs, dangling references and an
 * unsupported schema version are all errors with file, line and column.
 * It either returns a complete, valid model or NULL with the errors
 * appended; there is no half-loaded model.
 *
 * Every string and array in a model is owned by it and released by
 * model_free(). Every element keeps the position it was read from, so
 * findings about the model point into threats.yaml.
 */
#ifndef MITIGATE_MODEL_H
#define MITIGATE_MODEL_H

#include <stddef.h>

#include "domain.h"
#include "util.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MODEL_SCHEMA_VERSION 1

/* A list of strings from the model, each with its position. */
struct model_strings {
    char **items;
    struct mt_pos *pos;
    size_t count;
};

/* A risk rating: a level word or a CVSS base score. */
struct model_risk {
    char *text; /* as written; NULL when absent */
    struct mt_pos pos;
};

/* A test that is not C code: a penetration test, a manual review. */
struct model_test {
    char *id;
    enum test_kind kind;
    char *title;
    char *result; /* the result name to look up, or NULL */
    struct mt_pos pos;
};

struct model_mitigation {
    char *id;
    char *title;
    char *description; /* or NULL */
    enum control control;
    struct model_strings requirements;
    /* Symbols that implement it but cannot carry an annotation. */
    struct model_strings implemented_by;
    struct model_test *tests;
    size_t test_count;
    struct mt_pos pos;    /* the mapping */
    struct mt_pos id_pos; /* the id value */
};

/* A decision to accept a risk rather than mitigate it. */
struct model_acceptance {
    char *rationale;
    char *by;
    char *until;     /* YYYY-MM-DD */
    long until_days; /* days since 1970-01-01 */
    struct mt_pos pos;
    struct mt_pos until_pos;
};

struct model_threat {
    char *id;
    char *title;
    char *description;          /* or NULL */
    unsigned stride_mask;       /* bit (1 << enum stride) per category */
    struct model_strings cwe;   /* "CWE-307" */
    struct model_strings capec; /* "CAPEC-49" */
    struct model_strings assets;
    struct model_risk risk_before;
    struct model_risk risk_after;
    struct model_strings mitigations;  /* mitigation IDs */
    struct model_acceptance *accepted; /* or NULL */
    struct mt_pos pos;
    struct mt_pos id_pos;
};

struct model {
    char *path; /* as given to model_load() */
    int version;
    char *system_name;    /* or NULL */
    char *system_version; /* or NULL */
    struct model_threat *threats;
    size_t threat_count;
    struct model_mitigation *mitigations;
    size_t mitigation_count;
};

/*
 * Loads and validates the model at path. Returns NULL, with at least one
 * error added, when the file cannot be read or is not a valid model.
 */
struct model *model_load(const char *path, struct mt_errors *errs);

/*
 * Like model_load(), for the YAML in text (len bytes, need not be
 * NUL-terminated); path names it in errors and in the model.
 */
struct model *model_parse(const char *path, const char *text, size_t len,
                          struct mt_errors *errs);

void model_free(struct model *model);

/* The mitigation with this ID, or NULL. */
const struct model_mitigation *model_find_mitigation(const struct model *model,
                                                     const char *id);

/* The mitigation ID nearest to id, for "did you mean" hints, or NULL. */
const char *model_suggest_mitigation(const struct model *model, const char *id);

#ifdef __cplusplus
}
#endif

#endif /* MITIGATE_MODEL_H */
