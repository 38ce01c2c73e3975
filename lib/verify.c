/*
 * verify.c: whether each mitigation's tests are evidence.
 *
 * For every test linked to a mitigation (a MITIGATION_TEST function, or
 * a test the model declares), the latest result from the JUnit files
 * decides whether it passed, failed or did not run, and a search of the
 * call graph from the test function decides whether it reaches the
 * mitigation's code. Each unit's recorded source hash is compared with
 * the file on disk, so facts older than the code are reported.
 */
#include "analysis_internal.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * Whether node implements mitigation m: it carries MITIGATES, or it is,
 * or calls, a symbol the model binds with implemented_by (code outside
 * the build, such as a vendor library, is reached through its callers).
 */
static int implements(const struct join *j, size_t m, size_t node)
{
    const struct trace *t = &j->traces[m];
    const struct model_strings *syms =
            &j->in->model->mitigations[m].implemented_by;
    const struct merged_fn *fn = &j->fns[node];

    for (size_t i = 0; i < t->impl_count; i++)
        if (t->impl[i] == fn)
            return 1;
    for (size_t s = 0; s < syms->count; s++) {
        if (strcmp(fn->name, syms->items[s]) == 0)
            return 1;
        for (size_t p = 0; p < fn->part_count; p++)
            for (size_t c = 0; c < fn->parts[p]->call_count; c++)
                if (strcmp(fn->parts[p]->calls[c].callee, syms->items[s]) == 0)
                    return 1;
    }
    return 0;
}

/*
 * Searches the call graph from a test function for the code of
 * mitigation m, stopping at the first function that implements it.
 * Calls through function pointers on the way make a miss unverified
 * rather than a no.
 *
 * Limitation: a miss searches everything the test reaches, so many
 * tests that miss, over a large and densely connected call graph, cost
 * their number times that reach.
 */
static enum reach_state test_reach(const struct join *j, size_t m,
                                   const struct merged_fn *test, size_t *queue,
                                   size_t *seen, size_t stamp)
{
    const struct graph *g = &j->graph;
    size_t head = 0, tail = 0, start = (size_t)(test - j->fns);
    int indirect = 0;

    queue[tail++] = start;
    seen[start] = stamp;
    if (implements(j, m, start))
        return REACH_YES;
    while (head < tail) {
        size_t u = queue[head++];

        for (size_t p = 0; p < j->fns[u].part_count; p++)
            indirect |= j->fns[u].parts[p]->indirect_calls > 0;
        for (size_t e = g->first[u]; e < g->first[u + 1]; e++) {
            size_t v = g->target[e];

            if (seen[v] == stamp)
                continue;
            if (implements(j, m, v))
                return REACH_YES;
            seen[v] = stamp;
            queue[tail++] = v;
        }
    }
    return indirect ? REACH_UNVERIFIED : REACH_NO;
}

static struct verdict *add_verdict(struct join *j, size_t m,
                                   enum test_kind kind)
{
    struct verdict *v;

    grow_array(&j->verdicts, &j->verdict_alloc, j->verdict_count + 1,
               sizeof(*j->verdicts));
    v = &j->verdicts[j->verdict_count++];
    memset(v, 0, sizeof(*v));
    v->mitigation = m;
    v->kind = kind;
    return v;
}

/* The verdicts of mitigation m's tests, kind by kind. */
static void collect(struct join *j, size_t m, const struct results_index *res,
                    size_t *queue, size_t *seen)
{
    const struct model_mitigation *mit = &j->in->model->mitigations[m];
    const struct trace *t = &j->traces[m];

    for (int k = 0; k < TEST_KIND_COUNT; k++) {
        for (size_t i = 0; i < t->link_count; i++) {
            struct verdict *v;

            if ((int)t->links[i].ann->test_kind != k)
                continue;
            v = add_verdict(j, m, (enum test_kind)k);
            v->fn = t->links[i].fn;
            v->loc = &t->links[i].ann->loc;
            if (res)
                v->result = results_index_find(res, v->fn->name, &v->runs);
            v->reach = test_reach(j, m, v->fn, queue, seen, j->verdict_count);
        }
        for (size_t i = 0; i < mit->test_count; i++) {
            const struct model_test *mt = &mit->tests[i];
            struct verdict *v;

            if ((int)mt->kind != k)
                continue;
            v = add_verdict(j, m, (enum test_kind)k);
            v->declared = mt;
            v->reach = REACH_NA;
            if (res)
                v->result = results_index_find(
                        res, mt->result ? mt->result : mt->id, &v->runs);
        }
    }
}

/* The test's name, and where a finding about it points. */
static void where(const struct join *j, const struct verdict *v,
                  const char **name, const char **file,
                  const struct mt_pos **pos)
{
    if (v->fn) {
        *name = v->fn->name;
        *file = v->loc->file;
        *pos = &v->loc->pos;
    } else {
        *name = v->declared->id;
        *file = j->in->model->path;
        *pos = &v->declared->pos;
    }
}

static void report_result(struct join *j, const struct verdict *v)
{
    const char *mit = j->in->model->mitigations[v->mitigation].id;
    const char *name, *file;
    const struct mt_pos *pos;
    struct strbuf identity = STRBUF_INIT;
    const struct test_result *r = v->result;

    where(j, v, &name, &file, &pos);
    sb_addf(&identity, "%s|%s|%s", mit, name, test_kind_name(v->kind));
    if (!r || r->outcome == OUTCOME_SKIPPED)
        add_finding(j, RULE_TEST_NOT_RUN, file, pos, v->fn ? name : NULL,
                    identity.buf,
                    "%s test '%s' of mitigation '%s' %s; it is not "
                    "evidence",
                    test_kind_name(v->kind), name, mit,
                    r ? "was skipped"
                      : "has no result in the results "
                        "given");
    else if (r->outcome == OUTCOME_FAILED || r->outcome == OUTCOME_ERROR)
        add_finding(j, RULE_TEST_FAILED, file, pos, v->fn ? name : NULL,
                    identity.buf, "%s test '%s' of mitigation '%s' %s%s%s",
                    test_kind_name(v->kind), name, mit,
                    r->outcome == OUTCOME_FAILED ? "failed"
                                                 : "ended in an error",
                    r->message ? ": " : "", r->message ? r->message : "");
    sb_release(&identity);
}

static void report_reach(struct join *j, const struct verdict *v)
{
    const char *mit = j->in->model->mitigations[v->mitigation].id;
    const char *name, *file;
    const struct mt_pos *pos;
    struct strbuf identity = STRBUF_INIT;
    struct finding *f;

    if (v->reach != REACH_NO && v->reach != REACH_UNVERIFIED)
        return;
    where(j, v, &name, &file, &pos);
    sb_addf(&identity, "%s|%s", mit, v->fn->key);
    if (v->reach == REACH_NO) {
        add_finding(j, RULE_TEST_DOES_NOT_REACH_MITIGATION, file, pos, name,
                    identity.buf,
                    "test '%s' never calls the code of mitigation '%s' "
                    "that it claims to test",
                    name, mit);
        sb_release(&identity);
        return;
    }
    f = add_finding(j, RULE_TEST_DOES_NOT_REACH_MITIGATION, file, pos, name,
                    identity.buf,
                    "test '%s' is not shown to reach the code of "
                    "mitigation '%s': it calls through function pointers, "
                    "so the link is unverified",
                    name, mit);
    if (f->identity)
        f->level = LEVEL_NOTE;
    sb_release(&identity);
}

#define RESCAN_HINT                                                            \
    "rebuild it with the plugin, or scan it (mitigate check --rescan, or "     \
    "mitigate scan)"

/* The facts of a build unit's source, or NULL. */
static const struct facts_tu *facts_of(const struct facts_set *set,
                                       const char *file)
{
    for (size_t u = 0; u < set->count; u++)
        if (strcmp(set->units[u]->main_file, file) == 0)
            return set->units[u];
    return NULL;
}

/*
 * MR0104: the source on disk is no longer what the facts describe; and,
 * when the build's units are known, a unit has no facts, or a scan made
 * them from another compile command.
 */
static void report_stale(struct join *j)
{
    const struct facts_set *set = j->in->facts;
    struct mt_pos top = {1, 1, 1, 1};

    for (size_t u = 0; u < set->count; u++) {
        const struct facts_tu *tu = set->units[u];
        char now[33];

        if (xxh128_file(tu->main_file, now) == 0 &&
            strcmp(now, tu->main_hash) == 0)
            continue;
        add_finding(
                j, RULE_STALE_FACTS, tu->main_file, &top, NULL, tu->main_file,
                "%s %s after its facts were written; " RESCAN_HINT,
                tu->main_file,
                access(tu->main_file, F_OK) == 0 ? "changed" : "was removed");
    }
    for (size_t i = 0; i < j->in->unit_count; i++) {
        const struct build_unit *unit = &j->in->units[i];
        const struct facts_tu *tu = facts_of(set, unit->file);

        if (!tu)
            add_finding(j, RULE_STALE_FACTS, unit->file, &top, NULL, unit->file,
                        "%s is compiled by the build but has no "
                        "facts; " RESCAN_HINT,
                        unit->file);
        else if (tu->arguments_sha256[0] &&
                 strcmp(tu->arguments_sha256, unit->arguments_sha256) != 0)
            add_finding(j, RULE_STALE_FACTS, unit->file, &top, NULL, unit->file,
                        "%s is compiled with other arguments than it was "
                        "scanned with; " RESCAN_HINT,
                        unit->file);
    }
}

void analysis_verify(struct join *j)
{
    size_t n = j->fn_count ? j->fn_count : 1;
    size_t *queue = xcalloc(n, sizeof(*queue));
    size_t *seen = xcalloc(n, sizeof(*seen));
    struct results_index *res =
            j->in->results ? results_index_new(j->in->results) : NULL;

    j->first_verdict = xcalloc(j->in->model->mitigation_count + 1,
                               sizeof(*j->first_verdict));
    for (size_t m = 0; m < j->in->model->mitigation_count; m++) {
        j->first_verdict[m] = j->verdict_count;
        collect(j, m, res, queue, seen);
    }
    j->first_verdict[j->in->model->mitigation_count] = j->verdict_count;
    results_index_free(res);
    for (size_t i = 0; i < j->verdict_count; i++) {
        if (j->in->results)
            report_result(j, &j->verdicts[i]);
        if (j->verdicts[i].fn)
            report_reach(j, &j->verdicts[i]);
    }
    report_stale(j);
    free(queue);
    free(seen);
}
