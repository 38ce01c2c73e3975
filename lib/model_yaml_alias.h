/*
 * model_yaml_alias.h: anchors, aliases and merge keys for the YAML
 * layer (model_yaml.c), for documents that other tools write with them,
 * such as Threagile models. Internal to the YAML layer.
 *
 * An alias becomes a deep copy of the node its anchor names, so the
 * tree stays a tree that ynode_free() releases. Copies are counted: a
 * document whose aliases would expand to more than YNODE_MAX_COPIES
 * nodes is refused, which stops alias bombs. A merge key ("<<") is
 * resolved when its mapping has been read: the keys of the merged
 * mappings that the mapping lacks are added to it, in order.
 *
 * The table does not own the nodes it names; they belong to the tree
 * being read, which outlives it.
 */
#ifndef MITIGATE_MODEL_YAML_ALIAS_H
#define MITIGATE_MODEL_YAML_ALIAS_H

#include <stddef.h>

#include "model_yaml.h"

#define YNODE_MAX_COPIES ((size_t)1 << 20)

/* The anchors defined so far in one document. */
struct yanchors {
    void *root;   /* a tsearch() tree of struct yanchor */
    char **names; /* every name, owned, to release the tree */
    size_t count;
    size_t alloc;
    size_t copies; /* nodes made by copying so far */
};

/* Records that name now stands for node (a later anchor wins). */
void yanchors_define(struct yanchors *anchors, const char *name,
                     const struct ynode *node);

/*
 * A copy of the node name stands for, at pos (the alias) and depth
 * levels deep. Returns NULL and sets *problem when no anchor has that
 * name, or the copy would pass YNODE_MAX_COPIES or YNODE_MAX_DEPTH.
 */
struct ynode *yanchors_copy(struct yanchors *anchors, const char *name,
                            const struct mt_pos *pos, int depth,
                            const char **problem);

/*
 * Resolves the merge keys of mapping map. Returns 0, or -1 with
 * *problem set (and *at the offending node) when a merge key's value is
 * not a mapping or a list of mappings, or the copies would pass
 * YNODE_MAX_COPIES.
 */
int yanchors_merge(struct yanchors *anchors, struct ynode *map,
                   const char **problem, const struct ynode **at);

void yanchors_release(struct yanchors *anchors);

#endif /* MITIGATE_MODEL_YAML_ALIAS_H */
