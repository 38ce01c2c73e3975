/* strindex.c: open addressing with linear probing, kept half empty. */
#include "strindex.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "util.h"

/* XXH3: the hash the facts already use, fast on long keys. */
static uint64_t hash(const char *s)
{
    return XXH3_64bits(s, strlen(s));
}

/* The slot of key, or the free slot where it would go. */
static struct str_index_slot *slot_of(const struct str_index *ix,
                                      const char *key, size_t h)
{
    size_t i = h & (ix->cap - 1);

    /* The same pointer is the same key, and needs no comparing. */
    while (ix->slots[i].key && ix->slots[i].key != key &&
           (ix->slots[i].hash != h || strcmp(ix->slots[i].key, key) != 0))
        i = (i + 1) & (ix->cap - 1);
    return &ix->slots[i];
}

static void grow(struct str_index *ix)
{
    struct str_index bigger = {NULL, ix->cap ? ix->cap * 2 : 64, ix->count};

    bigger.slots = xcalloc(bigger.cap, sizeof(*bigger.slots));
    for (size_t i = 0; i < ix->cap; i++)
        if (ix->slots[i].key)
            *slot_of(&bigger, ix->slots[i].key, ix->slots[i].hash) =
                    ix->slots[i];
    free(ix->slots);
    *ix = bigger;
}

size_t str_index_add(struct str_index *ix, const char *key, size_t value)
{
    size_t h = (size_t)hash(key);
    struct str_index_slot *slot;

    if ((ix->count + 1) * 2 > ix->cap)
        grow(ix);
    slot = slot_of(ix, key, h);
    if (slot->key)
        return slot->value;
    slot->key = key;
    slot->value = value;
    slot->hash = h;
    ix->count++;
    return value;
}

int str_index_find(const struct str_index *ix, const char *key, size_t *value)
{
    const struct str_index_slot *slot;

    if (!ix->cap)
        return 0;
    slot = slot_of(ix, key, (size_t)hash(key));
    if (!slot->key)
        return 0;
    *value = slot->value;
    return 1;
}

void str_index_release(struct str_index *ix)
{
    free(ix->slots);
    memset(ix, 0, sizeof(*ix));
}
