/*
 * strindex.h: an index from strings to numbers, for looking things up
 * by name in large inputs (functions by key, mitigations by ID, test
 * results by name) in constant time.
 *
 * Memory: the index holds pointers to the keys, not copies; each key
 * must stay unchanged and alive as long as the index is used.
 * str_index_release() frees what the index itself allocated.
 *
 * Invariants: a key is in the index at most once, with the value it was
 * first added with. An index that was zeroed, or released, is empty and
 * may be searched.
 */
#ifndef MITIGATE_STRINDEX_H
#define MITIGATE_STRINDEX_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct str_index_slot {
    const char *key; /* NULL: a free slot */
    size_t value;
    size_t hash; /* of key, to compare before the strings */
};

struct str_index {
    struct str_index_slot *slots;
    size_t cap; /* a power of two, or 0 */
    size_t count;
};

/*
 * Adds key with value unless key is there already. Returns the value
 * stored under key: value, or the one it was first added with.
 */
size_t str_index_add(struct str_index *ix, const char *key, size_t value);

/* Whether key is in the index; if so, *value is set to its value. */
int str_index_find(const struct str_index *ix, const char *key, size_t *value);

void str_index_release(struct str_index *ix);

#ifdef __cplusplus
}
#endif

#endif /* MITIGATE_STRINDEX_H */
