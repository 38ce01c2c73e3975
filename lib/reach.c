/*
 * reach.c: banned patterns in the code a mitigation runs.
 *
 * The call graph joins every unit's call edges over the merged
 * functions. A breadth-first search from each mitigation's implementing
 * functions marks what it reaches, keeping for each function the first
 * mitigation to reach it and the shortest call path from there; one
 * search per control category marks which controls reach each function.
 * Each search passes a function at most once, so the whole costs a few
 * passes over the graph however many mitigations there are. Each
 * match the front ends recorded is then judged against its rule's
 * scopes: reached by a mitigation, on a line the change touches, or
 * everywhere; and against MITIGATE_ALLOW and the suppressions file.
 */
#include "analysis_internal.h"
#include "match.h"

#include <stdlib.h>
#include <string.h>

/* What the search learned about one function. */
struct reached {
    long mitigation; /* first mitigation to reach it, or -1 */
    size_t parent;   /* the caller on the shortest path from there */
    const struct facts_loc *via;
    unsigned controls; /* bits (1 << enum control) of all that reach it */
};

void graph_build(struct join *j)
{
    struct graph *g = &j->graph;
    size_t n = j->fn_count, edges = 0, e = 0;

    g->first = xcalloc(n + 1, sizeof(*g->first));
    for (size_t i = 0; i < n; i++)
        for (size_t p = 0; p < j->fns[i].part_count; p++)
            edges += j->fns[i].parts[p]->call_count;
    g->target = xcalloc(edges, sizeof(*g->target));
    g->via = xcalloc(edges, sizeof(*g->via));

    for (size_t i = 0; i < n; i++) {
        g->first[i] = e;
        for (size_t p = 0; p < j->fns[i].part_count; p++) {
            const struct facts_function *part = j->fns[i].parts[p];

            for (size_t c = 0; c < part->call_count; c++) {
                const struct merged_fn *to = find_fn(j, part->calls[c].callee);

                if (!to || !to->defined)
                    continue;
                g->target[e] = (size_t)(to - j->fns);
                g->via[e++] = &part->calls[c].loc;
            }
        }
    }
    g->first[n] = e;
}

void graph_free(struct graph *g)
{
    free(g->first);
    free(g->target);
    free(g->via);
}

/* The i-th function mitigation m's code starts at, or NULL. */
static const struct merged_fn *source(const struct join *j, size_t m, size_t i)
{
    const struct trace *t = &j->traces[m];

    return i < t->impl_count    ? t->impl[i]
           : i == t->impl_count ? t->bound
                                : NULL;
}

/*
 * Breadth-first search from the functions implementing mitigation m,
 * attributing to m each function no earlier search reached, with the
 * shortest call path from m. A function an earlier search reached
 * calls only functions that search reached too, so the search does not
 * go through it: every function is searched from once in all, and the
 * paths are those a full search from m would find.
 */
static void attribute(const struct join *j, const struct graph *g, size_t m,
                      struct reached *r, size_t *queue)
{
    size_t head = 0, tail = 0;

    for (size_t i = 0; i <= j->traces[m].impl_count; i++) {
        const struct merged_fn *src = source(j, m, i);
        size_t s;

        if (!src || r[s = (size_t)(src - j->fns)].mitigation >= 0)
            continue;
        r[s].mitigation = (long)m;
        r[s].parent = s;
        queue[tail++] = s;
    }
    while (head < tail) {
        size_t u = queue[head++];

        for (size_t e = g->first[u]; e < g->first[u + 1]; e++) {
            size_t v = g->target[e];

            if (r[v].mitigation >= 0)
                continue;
            r[v].mitigation = (long)m;
            r[v].parent = u;
            r[v].via = g->via[e];
            queue[tail++] = v;
        }
    }
}

/*
 * Marks control c on every function that some mitigation of control c
 * reaches: one search from all their implementing functions at once.
 */
static void mark_control(const struct join *j, const struct graph *g,
                         enum control c, struct reached *r, size_t *queue,
                         size_t *seen)
{
    const struct model *model = j->in->model;
    size_t head = 0, tail = 0, stamp = (size_t)c + 1;

    for (size_t m = 0; m < model->mitigation_count; m++) {
        if (model->mitigations[m].control != c)
            continue;
        for (size_t i = 0; i <= j->traces[m].impl_count; i++) {
            const struct merged_fn *src = source(j, m, i);
            size_t s;

            if (!src || seen[s = (size_t)(src - j->fns)] == stamp)
                continue;
            seen[s] = stamp;
            queue[tail++] = s;
        }
    }
    while (head < tail) {
        size_t u = queue[head++];

        r[u].controls |= 1u << c;
        for (size_t e = g->first[u]; e < g->first[u + 1]; e++) {
            if (seen[g->target[e]] == stamp)
                continue;
            seen[g->target[e]] = stamp;
            queue[tail++] = g->target[e];
        }
    }
}

static struct reached *search_all(const struct join *j, const struct graph *g)
{
    size_t n = j->fn_count;
    struct reached *r = xcalloc(n, sizeof(*r));
    size_t *queue = xcalloc(n, sizeof(*queue));
    size_t *seen = xcalloc(n, sizeof(*seen));

    for (size_t i = 0; i < n; i++)
        r[i].mitigation = -1;
    /*
     * Authentication and cryptography mitigations first: a function they
     * reach is attributed to one of them, which is what MB1016 needs.
     */
    for (int pass = 0; pass < 2; pass++)
        for (size_t m = 0; m < j->in->model->mitigation_count; m++) {
            enum control c = j->in->model->mitigations[m].control;
            int sensitive =
                    c == CONTROL_AUTHENTICATION || c == CONTROL_CRYPTOGRAPHY;

            if (sensitive == !pass)
                attribute(j, g, m, r, queue);
        }
    for (int c = 0; c < CONTROL_COUNT; c++)
        mark_control(j, g, (enum control)c, r, queue, seen);
    free(queue);
    free(seen);
    return r;
}

/* The implementing function a path to node starts from. */
static size_t path_root(const struct reached *r, size_t node)
{
    while (r[node].parent != node)
        node = r[node].parent;
    return node;
}

/* Adds the call path from the mitigation to node, callers first. */
static void add_path(const struct join *j, const struct reached *r, size_t node,
                     struct finding *f)
{
    size_t depth = 0, *path;
    struct strbuf msg = STRBUF_INIT;

    for (size_t v = node; r[v].parent != v; v = r[v].parent)
        depth++;
    path = xcalloc(depth + 1, sizeof(*path));
    for (size_t v = node, i = depth;; v = r[v].parent, i--) {
        path[i] = v;
        if (r[v].parent == v)
            break;
    }
    sb_addf(&msg, "%s implements %s", j->fns[path[0]].name,
            j->in->model->mitigations[r[node].mitigation].id);
    add_flow_step(f, j->fns[path[0]].loc, msg.buf);
    for (size_t i = 1; i <= depth; i++) {
        msg.len = 0;
        sb_addf(&msg, "%s calls %s", j->fns[path[i - 1]].name,
                j->fns[path[i]].name);
        add_flow_step(f, r[path[i]].via, msg.buf);
    }
    sb_release(&msg);
    free(path);
}

/* The path of file relative to root, or NULL when it is outside. */
static const char *relative(const char *root, const char *file)
{
    size_t len = root ? strlen(root) : 0;

    if (!len || strncmp(file, root, len) != 0 || file[len] != '/')
        return NULL;
    return file + len + 1;
}

static int same_match(const struct facts_match *a, const struct facts_match *b)
{
    return facts_match_cmp(a, b) == 0;
}

static int cmp_match_ptr(const void *pa, const void *pb)
{
    return facts_match_cmp(*(const struct facts_match *const *)pa,
                           *(const struct facts_match *const *)pb);
}

/* Every unit's matches in fn, each once, in source order. */
static const struct facts_match **matches_of(const struct merged_fn *fn,
                                             size_t *count)
{
    const struct facts_match **all = NULL;
    size_t n = 0, alloc = 0;

    for (size_t p = 0; p < fn->part_count; p++) {
        for (size_t k = 0; k < fn->parts[p]->match_count; k++) {
            const struct facts_match *m = &fn->parts[p]->matches[k];
            int dup = 0;

            for (size_t i = 0; i < n && !dup; i++)
                dup = same_match(all[i], m);
            if (dup)
                continue;
            grow_array(&all, &alloc, n + 1, sizeof(*all));
            all[n++] = m;
        }
    }
    if (n)
        qsort(all, n, sizeof(*all), cmp_match_ptr);
    *count = n;
    return all;
}

/* The justification of a MITIGATE_ALLOW for rule on fn, or NULL. */
static const char *allowed(const struct merged_fn *fn, const char *rule)
{
    for (size_t i = 0; i < fn->ann_count; i++)
        if (fn->anns[i]->kind == ANNOTATION_ALLOW &&
            strcmp(fn->anns[i]->id, rule) == 0)
            return fn->anns[i]->justification;
    return NULL;
}

static void suppress(const struct join *j, const struct merged_fn *fn,
                     const struct facts_match *m, struct finding *f)
{
    const char *why = allowed(fn, m->rule);
    const struct suppression *s;
    struct strbuf text = STRBUF_INIT;

    if (why) {
        f->suppression = SUPPRESSION_IN_SOURCE;
        f->justification = xstrdup(why);
        return;
    }
    if (!j->in->suppressions)
        return;
    s = suppressions_find(j->in->suppressions, m->rule, fn->key,
                          relative(j->in->root, m->loc.file), j->in->today);
    if (!s)
        s = suppressions_find(j->in->suppressions, m->rule, fn->name,
                              relative(j->in->root, m->loc.file), j->in->today);
    if (!s)
        return;
    sb_addf(&text, "%s (%s)", s->justification, s->owner);
    f->suppression = SUPPRESSION_EXTERNAL;
    f->justification = sb_detach(&text);
}

/* The scopes that put a match in the report, as enum scope bits. */
static unsigned applying_scopes(const struct join *j,
                                const struct policy_rule *rule,
                                const struct reached *r,
                                const struct facts_match *m)
{
    unsigned in = SCOPE_EVERYWHERE;
    const char *rel = relative(j->in->root, m->loc.file);

    if (r->mitigation >= 0) {
        unsigned sensitive =
                (1u << CONTROL_AUTHENTICATION) | (1u << CONTROL_CRYPTOGRAPHY);

        if (rule->desc.match != MATCH_SECRET_COMPARE ||
            (r->controls & sensitive))
            in |= SCOPE_MITIGATION;
    }
    if (j->in->diff && rel && diff_touches(j->in->diff, rel, m->loc.pos.line))
        in |= SCOPE_CHANGED;
    return in & rule->scopes;
}

static void report_match(struct join *j, const struct reached *r, size_t node,
                         const struct facts_match *m, size_t occurrence)
{
    const struct merged_fn *fn = &j->fns[node];
    int index = policy_find(j->in->policy, m->rule);
    const struct policy_rule *rule;
    struct strbuf msg = STRBUF_INIT, identity = STRBUF_INIT;
    unsigned scopes;
    struct finding *f;
    char *what;

    if (index < 0)
        return;
    rule = policy_rule_at(j->in->policy, (size_t)index);
    if (!rule->enabled || !(scopes = applying_scopes(j, rule, &r[node], m)))
        return;

    what = match_describe(rule->desc.match, m->what, m->macro);
    if (scopes & SCOPE_MITIGATION) {
        size_t root = path_root(r, node);
        const char *mit = j->in->model->mitigations[r[node].mitigation].id;

        if (root == node)
            sb_addf(&msg, "%s in %s, which implements %s", what, fn->name, mit);
        else
            sb_addf(&msg, "%s in %s, reached from %s, which implements %s",
                    what, fn->name, j->fns[root].name, mit);
    } else if (scopes & SCOPE_CHANGED) {
        sb_addf(&msg, "%s on a changed line in %s", what, fn->name);
    } else {
        sb_addf(&msg, "%s in %s", what, fn->name);
    }
    sb_addf(&identity, "%s|%s|%zu", fn->key, m->what, occurrence);
    f = add_finding_at(j, (size_t)index, m->loc.file, &m->loc.pos, fn->name,
                       identity.buf, msg.buf);
    if (scopes & SCOPE_MITIGATION) {
        size_t root = path_root(r, node);

        f->mitigation = r[node].mitigation;
        add_path(j, r, node, f);
        add_flow_step(f, &m->loc, what);
        msg.len = 0;
        sb_addf(&msg, "%s implements %s", j->fns[root].name,
                j->in->model->mitigations[r[node].mitigation].id);
        add_related(f, j->fns[root].loc, msg.buf);
    }
    suppress(j, fn, m, f);
    free(what);
    sb_release(&msg);
    sb_release(&identity);
}

void analysis_reach(struct join *j)
{
    struct reached *r = search_all(j, &j->graph);

    for (size_t i = 0; i < j->fn_count; i++) {
        size_t count;
        const struct facts_match **ms = matches_of(&j->fns[i], &count);

        for (size_t k = 0; k < count; k++) {
            size_t occurrence = 0;

            for (size_t p = 0; p < k; p++)
                occurrence += strcmp(ms[p]->rule, ms[k]->rule) == 0 &&
                              strcmp(ms[p]->what, ms[k]->what) == 0;
            report_match(j, r, i, ms[k], occurrence);
        }
        free(ms);
    }
    free(r);
}
