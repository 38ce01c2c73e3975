/*
 * model_internal.h: what the files of the model loader share; not part
 * of the API (see model.h).
 *
 * model.c reads the document as a whole and owns the loader;
 * model_entries.c reads one threat or one mitigation into the model
 * being built. Both report through the loader and never stop at the
 * first error.
 */
#ifndef MITIGATE_MODEL_INTERNAL_H
#define MITIGATE_MODEL_INTERNAL_H

#include <stddef.h>

#include "model.h"
#include "model_yaml.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* An ID seen so far, with the position it was first defined at. */
struct model_id {
    const char *id;
    struct mt_pos pos;
};

/* An open-addressing hash set of IDs; the strings are not owned. */
struct model_ids {
    struct model_id *slots;
    size_t cap; /* a power of two, or 0 */
    size_t count;
};

/*
 * Adds id, first seen at pos. Returns NULL, or the entry of the same ID
 * when it was added before (and then keeps that one).
 */
const struct model_id *model_ids_add(struct model_ids *ids, const char *id,
                                     const struct mt_pos *pos);
int model_ids_has(const struct model_ids *ids, const char *id);
void model_ids_release(struct model_ids *ids);

/* The state of one model_load(). */
struct loader {
    struct yreport rep;
    struct model *model;
    struct model_ids threat_ids;
    struct model_ids mitigation_ids;
    struct model_ids test_ids; /* of tests in the model, across mitigations */
};

/* Reads one entry of 'threats' into t, which must be zeroed. */
void model_read_threat(struct loader *ld, const struct ynode *map,
                       struct model_threat *t);

/* Reads one entry of 'mitigations' into m, which must be zeroed. */
void model_read_mitigation(struct loader *ld, const struct ynode *map,
                           struct model_mitigation *m);

/* Frees the strings s holds and leaves it empty. */
void model_strings_release(struct model_strings *s);

#endif /* MITIGATE_MODEL_INTERNAL_H */
