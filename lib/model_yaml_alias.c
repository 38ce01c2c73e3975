/* model_yaml_alias.c: anchors, aliases and merge keys, by copying. */
#include "model_yaml_alias.h"

#include <search.h>
#include <stdlib.h>
#include <string.h>

#include <mitigate.h>

struct yanchor {
    const char *name; /* owned by the table's names */
    const struct ynode *node;
};

static int compare_anchors(const void *a, const void *b)
{
    return strcmp(((const struct yanchor *)a)->name,
                  ((const struct yanchor *)b)->name);
}

void yanchors_define(struct yanchors *anchors, const char *name,
                     const struct ynode *node)
{
    struct yanchor key = {name, NULL};
    struct yanchor **found = tfind(&key, &anchors->root, compare_anchors);
    struct yanchor *entry;

    if (found) {
        (*found)->node = node;
        return;
    }
    grow_array(&anchors->names, &anchors->alloc, anchors->count + 1,
               sizeof(*anchors->names));
    anchors->names[anchors->count++] = xstrdup(name);
    entry = xmalloc(sizeof(*entry));
    entry->name = anchors->names[anchors->count - 1];
    entry->node = node;
    if (!tsearch(entry, &anchors->root, compare_anchors))
        abort(); /* tsearch() fails only when out of memory */
}

/* The number of nodes in the tree at node. */
static size_t count_nodes(const struct ynode *node)
{
    size_t n = 1;

    for (size_t i = 0; i < node->count; i++)
        n += count_nodes(node->items[i]);
    return n;
}

/* The number of levels of the tree at node: 1 for a scalar. */
static int height(const struct ynode *node)
{
    int h = 0;

    for (size_t i = 0; i < node->count; i++) {
        int child = height(node->items[i]);

        if (child > h)
            h = child;
    }
    return h + 1;
}

static struct ynode *copy_node(const struct ynode *node)
{
    struct ynode *copy = xcalloc(1, sizeof(*copy));

    copy->type = node->type;
    copy->value = node->value ? xstrdup(node->value) : NULL;
    copy->plain = node->plain;
    copy->pos = node->pos;
    if (node->count) {
        copy->items = xcalloc(node->count, sizeof(*copy->items));
        copy->count = copy->alloc = node->count;
    }
    for (size_t i = 0; i < node->count; i++)
        copy->items[i] = copy_node(node->items[i]);
    return copy;
}

/* Counts n more copied nodes; 0 when that passes the limit. */
static int spend(struct yanchors *anchors, size_t n, const char **problem)
{
    if (n > YNODE_MAX_COPIES - anchors->copies) {
        *problem = "aliases expand to too many nodes";
        return 0;
    }
    anchors->copies += n;
    return 1;
}

struct ynode *yanchors_copy(struct yanchors *anchors, const char *name,
                            const struct mt_pos *pos, int depth,
                            const char **problem)
{
    struct yanchor key = {name, NULL};
    struct yanchor **found = tfind(&key, &anchors->root, compare_anchors);
    struct ynode *copy;

    if (!found) {
        *problem = "alias to an anchor that is not defined before it";
        return NULL;
    }
    if (depth + height((*found)->node) - 1 > YNODE_MAX_DEPTH) {
        *problem = "an alias nests deeper than the supported levels";
        return NULL;
    }
    if (!spend(anchors, count_nodes((*found)->node), problem))
        return NULL;
    copy = copy_node((*found)->node);
    copy->pos = *pos;
    return copy;
}

/* Whether map has a key spelled key. */
static int has_key(const struct ynode *map, const char *key)
{
    for (size_t i = 0; i + 1 < map->count; i += 2) {
        if (map->items[i]->type == YNODE_SCALAR &&
            strcmp(map->items[i]->value, key) == 0)
            return 1;
    }
    return 0;
}

static void append(struct ynode *map, struct ynode *child)
{
    grow_array(&map->items, &map->alloc, map->count + 1, sizeof(*map->items));
    map->items[map->count++] = child;
}

/* Adds to map copies of the pairs of from whose keys map lacks. */
static int merge_from(struct yanchors *anchors, struct ynode *map,
                      const struct ynode *from, const char **problem)
{
    for (size_t i = 0; i + 1 < from->count; i += 2) {
        const struct ynode *key = from->items[i];

        if (key->type == YNODE_SCALAR && has_key(map, key->value))
            continue;
        if (!spend(anchors, count_nodes(key) + count_nodes(from->items[i + 1]),
                   problem))
            return -1;
        append(map, copy_node(key));
        append(map, copy_node(from->items[i + 1]));
    }
    return 0;
}

/* Whether node is the plain key "<<". */
static int is_merge_key(const struct ynode *node)
{
    return node->type == YNODE_SCALAR && node->plain &&
           strcmp(node->value, "<<") == 0;
}

MITIGATE_ALLOW("MB1018", "moves the items after a pair down within the "
                         "mapping's own array")
int yanchors_merge(struct yanchors *anchors, struct ynode *map,
                   const char **problem, const struct ynode **at)
{
    size_t i = 0;

    while (i + 1 < map->count) {
        struct ynode *key = map->items[i], *value = map->items[i + 1];
        int rc = 0;

        if (!is_merge_key(key)) {
            i += 2;
            continue;
        }
        /* Take the pair out first: the merged keys must not see it. */
        memmove(&map->items[i], &map->items[i + 2],
                (map->count - i - 2) * sizeof(*map->items));
        map->count -= 2;
        *at = value;
        if (value->type == YNODE_MAPPING) {
            rc = merge_from(anchors, map, value, problem);
        } else if (value->type == YNODE_SEQUENCE) {
            for (size_t k = 0; k < value->count && rc == 0; k++) {
                if (value->items[k]->type != YNODE_MAPPING) {
                    *problem = "a merge key takes a mapping or a list of "
                               "mappings";
                    rc = -1;
                } else {
                    rc = merge_from(anchors, map, value->items[k], problem);
                }
            }
        } else {
            *problem = "a merge key takes a mapping or a list of mappings";
            rc = -1;
        }
        if (rc < 0) {
            /* Keep the value in the tree, where it will be freed. */
            append(map, key);
            append(map, value);
            return -1;
        }
        ynode_free(key);
        ynode_free(value);
    }
    return 0;
}

void yanchors_release(struct yanchors *anchors)
{
    for (size_t i = 0; i < anchors->count; i++) {
        struct yanchor key = {anchors->names[i], NULL};
        struct yanchor **found = tfind(&key, &anchors->root, compare_anchors);
        struct yanchor *entry = *found;

        tdelete(&key, &anchors->root, compare_anchors);
        free(entry);
        free(anchors->names[i]);
    }
    free(anchors->names);
    memset(anchors, 0, sizeof(*anchors));
}
