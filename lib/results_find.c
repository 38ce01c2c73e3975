/*
 * results_find.c: finding the result of a test by name, through an
 * index of the results by name and by the last component of the name.
 */
#include "results.h"

#include <stdlib.h>
#include <string.h>

#include "strindex.h"

/* What follows the last "::" or "/" in s, without leading spaces. */
static const char *last_component(const char *s)
{
    const char *tail = s;

    for (const char *p = s; *p; p++) {
        if (*p == '/') {
            tail = p + 1;
        } else if (p[0] == ':' && p[1] == ':') {
            tail = p + 2;
            p++;
        }
    }
    while (*tail == ' ')
        tail++;
    return tail;
}

/* Results grouped by a key: an index from each key to its group. */
struct grouping {
    const struct test_result *items;
    size_t count;
    const char **keys;      /* of each result, by position in items */
    size_t *order;          /* positions, grouped by key, in read order */
    struct str_index first; /* key to the group's start in order */
};

struct results_index {
    struct grouping by_name;
    struct grouping by_last; /* the last component of the name */
};

static const struct grouping *sorting; /* for cmp_position */

static int cmp_position(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    int c = strcmp(sorting->keys[a], sorting->keys[b]);

    if (c)
        return c;
    return (a > b) - (a < b);
}

static void group(struct grouping *g, const struct results *r, int last)
{
    g->items = r->items;
    g->count = r->count;
    g->keys = xcalloc(r->count, sizeof(*g->keys));
    g->order = xcalloc(r->count, sizeof(*g->order));
    for (size_t i = 0; i < r->count; i++) {
        g->keys[i] = last ? last_component(r->items[i].name) : r->items[i].name;
        g->order[i] = i;
    }
    sorting = g;
    qsort(g->order, r->count, sizeof(*g->order), cmp_position);
    sorting = NULL;
    for (size_t i = 0; i < r->count; i++)
        str_index_add(&g->first, g->keys[g->order[i]], i);
}

static void grouping_release(struct grouping *g)
{
    free(g->keys);
    free(g->order);
    str_index_release(&g->first);
}

struct results_index *results_index_new(const struct results *r)
{
    struct results_index *ix = xcalloc(1, sizeof(*ix));

    group(&ix->by_name, r, 0);
    group(&ix->by_last, r, 1);
    return ix;
}

void results_index_free(struct results_index *ix)
{
    if (!ix)
        return;
    grouping_release(&ix->by_name);
    grouping_release(&ix->by_last);
    free(ix);
}

/* The latest result that matched, and how many did. */
struct found {
    const struct test_result *best;
    size_t count;
};

/*
 * Counts the results whose key is key and, unless class is NULL, whose
 * classname is the class_len bytes at class. The latest wins: the
 * highest order, then the last read.
 */
static void visit(const struct grouping *g, const char *key, const char *class,
                  size_t class_len, struct found *f)
{
    size_t at;

    if (!str_index_find(&g->first, key, &at))
        return;
    for (; at < g->count && strcmp(g->keys[g->order[at]], key) == 0; at++) {
        const struct test_result *t = &g->items[g->order[at]];

        if (class && (!t->classname || strlen(t->classname) != class_len ||
                      strncmp(t->classname, class, class_len) != 0))
            continue;
        f->count++;
        if (!f->best || t->order > f->best->order ||
            (t->order == f->best->order && t > f->best))
            f->best = t;
    }
}

const struct test_result *results_index_find(const struct results_index *ix,
                                             const char *name, size_t *runs)
{
    struct found f = {NULL, 0};

    for (const char *dot = strchr(name, '.'); dot; dot = strchr(dot + 1, '.'))
        visit(&ix->by_name, dot + 1, name, (size_t)(dot - name), &f);
    if (!f.count)
        visit(&ix->by_name, name, NULL, 0, &f);
    if (!f.count && *last_component(name))
        visit(&ix->by_last, last_component(name), NULL, 0, &f);
    if (runs)
        *runs = f.count;
    return f.best;
}

const struct test_result *results_find(const struct results *r,
                                       const char *name, size_t *runs)
{
    struct results_index *ix = results_index_new(r);
    const struct test_result *t = results_index_find(ix, name, runs);

    results_index_free(ix);
    return t;
}
