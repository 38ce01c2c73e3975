/*
 * collect_internal.h: what the files of the collector share: its state,
 * and the helpers both the calls (collect.c) and the macros
 * (collect_macro.c) use. See collect.h.
 */
#ifndef MITIGATE_COLLECT_INTERNAL_H
#define MITIGATE_COLLECT_INTERNAL_H

#include "collect.h"

/* The policy's verdict on one callee, worked out once per name. */
struct callee_rules {
    char *callee;   /* the name as called */
    char base[128]; /* the library function it stands for */
    int is_comparison;
    int call;
    int format, format_arg;
    int scanf, scanf_arg;
    int copy_size, copy_size_arg;
    int compare;
};

/* A statement position already judged for macro use. */
struct macro_seen {
    const void *file;
    unsigned offset;
    const void *spelled_file;
    unsigned spelled_line;
};

/* A call edge recorded already: the function, and the callee's key. */
struct edge_seen {
    size_t fn;
    const char *callee; /* the facts' own copy; NULL for an empty slot */
};

struct collector {
    const struct policy *policy;
    struct facts_tu *tu;
    const struct collect_ops *ops;
    void *fe;
    int secret_literal; /* rule indexes, -1 when disabled */
    int stack;
    int wants_macros;
    struct callee_rules **callees; /* open addressing by callee name */
    size_t callee_slots;
    size_t callee_count;
    struct edge_seen *edges; /* open addressing, by function and callee */
    size_t edge_slots;
    size_t edge_count;
    struct macro_seen *seen; /* open addressing; file NULL is empty */
    size_t seen_slots;
    size_t seen_count;
};

/* A hash of len bytes (XXH3) with seed h. */
size_t hash_bytes(const void *data, size_t len, size_t h);

/* The identifier at a point of a file the front end has, or "". */
const char *identifier_at(struct collector *c, const struct collect_point *at,
                          char *buf, size_t size);

int same_point(const struct collect_point *a, const struct collect_point *b);

/* Records a match at loc (taking loc's file), and tells the front end. */
void record_match(struct collector *c, size_t fn, int rule, const char *what,
                  const char *macro, struct facts_loc *loc, const void *site);

#endif /* MITIGATE_COLLECT_INTERNAL_H */
