/* strindex.c: open addressing with linear probing, kept half empty. */
#include "strindex.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* FNV-1a, 64 bits: fast, and even enough for names and IDs. */
static uint64_t hash(const char *s)
{
    uint64_t h = 14695981039346656037u;

    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        h = (h ^ *p) * 1099511628211u;
    return h;
}

/* The slot of key, or the free slot where it would go. */
static size_t slot_of(const struct str_index *ix, const char *key)
{
    size_t i = (size_t)hash(key) & (ix->cap - 1);

    while (ix->keys[i] && strcmp(ix->keys[i], key) != 0)
        i = (i + 1) & (ix->cap - 1);
    return i;
}

static void grow(struct str_index *ix)
{
    struct str_index bigger = {NULL, NULL, ix->cap ? ix->cap * 2 : 64, 0};

    bigger.keys = xcalloc(bigger.cap, sizeof(*bigger.keys));
    bigger.values = xcalloc(bigger.cap, sizeof(*bigger.values));
    for (size_t i = 0; i < ix->cap; i++)
        if (ix->keys[i])
            str_index_add(&bigger, ix->keys[i], ix->values[i]);
    free(ix->keys);
    free(ix->values);
    *ix = bigger;
}

size_t str_index_add(struct str_index *ix, const char *key, size_t value)
{
    size_t i;

    if ((ix->count + 1) * 2 > ix->cap)
        grow(ix);
    i = slot_of(ix, key);
    if (ix->keys[i])
        return ix->values[i];
    ix->keys[i] = key;
    ix->values[i] = value;
    ix->count++;
    return value;
}

int str_index_find(const struct str_index *ix, const char *key, size_t *value)
{
    size_t i;

    if (!ix->cap)
        return 0;
    i = slot_of(ix, key);
    if (!ix->keys[i])
        return 0;
    *value = ix->values[i];
    return 1;
}

void str_index_release(struct str_index *ix)
{
    free(ix->keys);
    free(ix->values);
    memset(ix, 0, sizeof(*ix));
}
