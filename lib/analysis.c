/*
 * analysis.c: the cross-unit join of model and facts.
 *
 * Functions from every unit are merged by key first (a function may be
 * declared with annotations in many units and defined in one), then
 * each mitigation collects its implementing functions and its tests by
 * kind, and each threat is checked for a mitigation or an acceptance.
 * reach.c then follows the call graph for the banned-pattern rules.
 */
#include "analysis_internal.h"

#include <stdlib.h>
#include <string.h>

/* Findings */

static int cmp_loc(const struct facts_loc *a, const struct facts_loc *b)
{
    int c = strcmp(a->file ? a->file : "", b->file ? b->file : "");

    if (c)
        return c;
    if (a->pos.line != b->pos.line)
        return a->pos.line < b->pos.line ? -1 : 1;
    if (a->pos.column != b->pos.column)
        return a->pos.column < b->pos.column ? -1 : 1;
    return 0;
}

/*
 * An identity without the source root in it, so that fingerprints stay
 * the same in another checkout of the same code (the keys of static
 * functions hold their file's absolute path).
 */
static char *portable(const char *identity, const char *root)
{
    struct strbuf out = STRBUF_INIT;
    size_t len = root ? strlen(root) : 0;
    const char *p = identity, *at;

    while (len && (at = strstr(p, root)) && at[len] == '/') {
        sb_add(&out, p, (size_t)(at - p));
        p = at + len + 1;
    }
    sb_adds(&out, p);
    return sb_detach(&out);
}

struct finding *add_finding_at(struct join *j, size_t rule, const char *file,
                               const struct mt_pos *pos, const char *function,
                               const char *identity, const char *message)
{
    const struct policy_rule *r = policy_rule_at(j->in->policy, rule);
    struct findings *out = j->out;
    struct finding *f;

    grow_array(&out->items, &out->alloc, out->count + 1, sizeof(*out->items));
    f = &out->items[out->count++];
    memset(f, 0, sizeof(*f));
    f->rule = rule;
    f->level = r->level;
    f->message = xstrdup(message);
    f->loc.file = xstrdup(file);
    f->loc.pos = *pos;
    f->function = function ? xstrdup(function) : NULL;
    f->identity = portable(identity, j->in->root);
    f->mitigation = -1;
    return f;
}

/*
 * Adds a finding of a built-in rule unless the policy disables it; the
 * returned finding is then a scratch one that is never reported.
 */
struct finding *add_finding(struct join *j, enum rule_id rule, const char *file,
                            const struct mt_pos *pos, const char *function,
                            const char *identity, const char *fmt, ...)
{
    static struct finding discarded;
    struct strbuf msg = STRBUF_INIT;
    struct finding *f;
    va_list ap;

    if (!policy_rule_at(j->in->policy, rule)->enabled) {
        memset(&discarded, 0, sizeof(discarded));
        return &discarded;
    }
    va_start(ap, fmt);
    sb_vaddf(&msg, fmt, ap);
    va_end(ap);
    f = add_finding_at(j, rule, file, pos, function, identity, msg.buf);
    sb_release(&msg);
    return f;
}

void add_flow_step(struct finding *f, const struct facts_loc *loc,
                   const char *message)
{
    struct flow_step *step;

    grow_array(&f->flow, &f->flow_alloc, f->flow_count + 1, sizeof(*f->flow));
    step = &f->flow[f->flow_count++];
    step->loc.file = xstrdup(loc->file);
    step->loc.pos = loc->pos;
    step->message = xstrdup(message);
}

void add_related(struct finding *f, const struct facts_loc *loc,
                 const char *message)
{
    struct related_location *r;

    if (!f->identity)
        return; /* a discarded finding */
    grow_array(&f->related, &f->related_alloc, f->related_count + 1,
               sizeof(*f->related));
    r = &f->related[f->related_count++];
    r->loc.file = xstrdup(loc->file);
    r->loc.pos = loc->pos;
    r->message = xstrdup(message);
}

static int cmp_finding(const void *pa, const void *pb)
{
    const struct finding *a = pa, *b = pb;
    int c;

    if (a->rule != b->rule)
        return a->rule < b->rule ? -1 : 1;
    if ((c = cmp_loc(&a->loc, &b->loc)) != 0)
        return c;
    return strcmp(a->message, b->message);
}

void findings_release(struct findings *findings)
{
    for (size_t i = 0; i < findings->count; i++) {
        struct finding *f = &findings->items[i];

        for (size_t r = 0; r < f->related_count; r++) {
            free(f->related[r].loc.file);
            free(f->related[r].message);
        }
        for (size_t r = 0; r < f->flow_count; r++) {
            free(f->flow[r].loc.file);
            free(f->flow[r].message);
        }
        free(f->related);
        free(f->flow);
        free(f->justification);
        free(f->message);
        free(f->loc.file);
        free(f->function);
        free(f->identity);
    }
    free(findings->items);
    memset(findings, 0, sizeof(*findings));
}

size_t findings_at_least(const struct findings *findings, enum level level)
{
    size_t n = 0;

    for (size_t i = 0; i < findings->count; i++)
        n += findings->items[i].level >= level &&
             findings->items[i].suppression == SUPPRESSION_NONE;
    return n;
}

/* Merging functions across units */

static int cmp_fn_ptr(const void *pa, const void *pb)
{
    const struct facts_function *a = *(const struct facts_function *const *)pa;
    const struct facts_function *b = *(const struct facts_function *const *)pb;
    int c = strcmp(a->key, b->key);

    if (c)
        return c;
    if (a->defined != b->defined)
        return a->defined ? -1 : 1;
    return cmp_loc(&a->loc, &b->loc);
}

static int same_annotation(const struct facts_annotation *a,
                           const struct facts_annotation *b)
{
    if (a->kind != b->kind || strcmp(a->id, b->id) != 0)
        return 0;
    return a->kind != ANNOTATION_TEST || a->test_kind == b->test_kind;
}

/* Adds ann to m unless m has it already; keeps the earliest location. */
static void merge_annotation(struct merged_fn *m,
                             const struct facts_annotation *ann)
{
    for (size_t i = 0; i < m->ann_count; i++) {
        if (!same_annotation(m->anns[i], ann))
            continue;
        if (cmp_loc(&ann->loc, &m->anns[i]->loc) < 0)
            m->anns[i] = ann;
        return;
    }
    grow_array(&m->anns, &m->ann_alloc, m->ann_count + 1, sizeof(*m->anns));
    m->anns[m->ann_count++] = ann;
}

/*
 * Merges the functions of every unit by key into j->fns, sorted by key,
 * and indexes them; each keeps its records as a slice of j->parts.
 */
static void merge_functions(struct join *j)
{
    const struct facts_set *set = j->in->facts;
    const struct facts_function **all;
    size_t total = 0, n = 0;

    for (size_t u = 0; u < set->count; u++)
        total += set->units[u]->function_count;
    all = xcalloc(total, sizeof(*all));
    for (size_t u = 0; u < set->count; u++)
        for (size_t i = 0; i < set->units[u]->function_count; i++)
            all[n++] = &set->units[u]->functions[i];
    qsort(all, n, sizeof(*all), cmp_fn_ptr);

    j->parts = all;
    j->fns = xcalloc(n, sizeof(*j->fns));
    for (size_t i = 0; i < n; i++) {
        const struct facts_function *fn = all[i];
        struct merged_fn *m = j->fn_count ? &j->fns[j->fn_count - 1] : NULL;

        if (!m || strcmp(m->key, fn->key) != 0) {
            m = &j->fns[j->fn_count++];
            m->key = fn->key;
            m->name = fn->name;
            m->defined = fn->defined;
            m->loc = &fn->loc;
            m->parts = &all[i];
            str_index_add(&j->fn_index, m->key, j->fn_count - 1);
        }
        m->part_count++;
        for (size_t a = 0; a < fn->annotation_count; a++)
            merge_annotation(m, &fn->annotations[a]);
    }
}

/* Annotations against the model */

static const char *const annotation_macros[] = {"MITIGATES", "MITIGATION_TEST",
                                                "MITIGATE_ALLOW"};

static void unknown_mitigation(struct join *j, const struct merged_fn *m,
                               const struct facts_annotation *ann)
{
    const char *near = model_suggest_mitigation(j->in->model, ann->id);
    struct strbuf identity = STRBUF_INIT;
    struct strbuf hint = STRBUF_INIT;

    if (near)
        sb_addf(&hint, " (did you mean '%s'?)", near);
    else
        sb_addf(&hint, " (not in %s)", j->in->model->path);
    sb_addf(&identity, "%s|%s|%d", m->key, ann->id, (int)ann->kind);
    add_finding(j, RULE_UNKNOWN_MITIGATION, ann->loc.file, &ann->loc.pos,
                m->name, identity.buf,
                "%s on '%s' names unknown mitigation '%s'%s",
                annotation_macros[ann->kind], m->name, ann->id, hint.buf);
    sb_release(&identity);
    sb_release(&hint);
}

/* A MITIGATE_ALLOW must name a banned-pattern rule of the policy. */
static void check_allow(struct join *j, const struct merged_fn *m,
                        const struct facts_annotation *ann)
{
    const struct policy *policy = j->in->policy;
    int index = policy_find(policy, ann->id);
    struct strbuf identity = STRBUF_INIT, hint = STRBUF_INIT;
    const char **ids;
    const char *near;

    if (index >= 0 &&
        policy_rule_at(policy, (size_t)index)->desc.match != MATCH_NONE)
        return;
    if (index >= 0) {
        sb_addf(&hint, ", which is not a banned-pattern rule; "
                       "MITIGATE_ALLOW silences MB rules only");
    } else {
        ids = xcalloc(policy->count, sizeof(*ids));
        for (size_t i = 0; i < policy->count; i++)
            ids[i] = policy->rules[i].desc.id;
        near = suggest_nearest(ann->id, ids, policy->count);
        if (near)
            sb_addf(&hint, " (did you mean '%s'?)", near);
        free(ids);
    }
    sb_addf(&identity, "%s|allow|%s", m->key, ann->id);
    add_finding(j, RULE_MALFORMED_ANNOTATION, ann->loc.file, &ann->loc.pos,
                m->name, identity.buf,
                "MITIGATE_ALLOW on '%s' names %s rule '%s'%s", m->name,
                index >= 0 ? "the" : "unknown", ann->id, sb_str(&hint));
    sb_release(&identity);
    sb_release(&hint);
}

static void trace_annotations(struct join *j)
{
    for (size_t i = 0; i < j->fn_count; i++) {
        const struct merged_fn *m = &j->fns[i];

        for (size_t a = 0; a < m->ann_count; a++) {
            const struct facts_annotation *ann = m->anns[a];
            struct trace *t;
            long index;

            if (ann->kind == ANNOTATION_ALLOW) {
                check_allow(j, m, ann);
                continue;
            }
            index = find_mitigation(j, ann->id);
            if (index < 0) {
                unknown_mitigation(j, m, ann);
                continue;
            }
            t = &j->traces[index];
            if (ann->kind == ANNOTATION_TEST) {
                t->tests[ann->test_kind] += m->defined;
                if (m->defined) {
                    grow_array(&t->links, &t->link_alloc, t->link_count + 1,
                               sizeof(*t->links));
                    t->links[t->link_count].fn = m;
                    t->links[t->link_count++].ann = ann;
                }
            } else if (m->defined) {
                grow_array(&t->impl, &t->impl_alloc, t->impl_count + 1,
                           sizeof(*t->impl));
                t->impl[t->impl_count++] = m;
            } else if (!t->declared_only) {
                t->declared_only = m;
            }
        }
    }
}

static void report_malformed(struct join *j)
{
    const struct facts_set *set = j->in->facts;

    for (size_t u = 0; u < set->count; u++) {
        const struct facts_tu *tu = set->units[u];

        for (size_t i = 0; i < tu->malformed_count; i++) {
            const struct facts_malformed *bad = &tu->malformed[i];
            const char *base = strrchr(bad->loc.file, '/');
            struct strbuf identity = STRBUF_INIT;
            int seen = 0;

            /* An annotation in a header appears in every unit. */
            for (size_t k = 0; k < j->out->count && !seen; k++) {
                const struct finding *f = &j->out->items[k];

                seen = f->rule == RULE_MALFORMED_ANNOTATION &&
                       cmp_loc(&f->loc, &bad->loc) == 0;
            }
            if (seen)
                continue;
            sb_addf(&identity, "%s|%s", base ? base + 1 : bad->loc.file,
                    bad->text);
            add_finding(j, RULE_MALFORMED_ANNOTATION, bad->loc.file,
                        &bad->loc.pos, NULL, identity.buf,
                        "malformed mitigate annotation \"%s\": %s", bad->text,
                        bad->reason);
            sb_release(&identity);
        }
    }
}

/* implemented_by: symbols bound in the model */

const struct merged_fn *find_fn(const struct join *j, const char *key)
{
    size_t index;

    return str_index_find(&j->fn_index, key, &index) ? &j->fns[index] : NULL;
}

long find_mitigation(const struct join *j, const char *id)
{
    size_t index;

    return str_index_find(&j->mitigation_index, id, &index) ? (long)index : -1;
}

static void index_mitigations(struct join *j)
{
    const struct model *model = j->in->model;

    for (size_t i = 0; i < model->mitigation_count; i++)
        if (model->mitigations[i].id)
            str_index_add(&j->mitigation_index, model->mitigations[i].id, i);
}

/* Where the names that implemented_by binds appear in the facts. */
struct symbols {
    struct str_index slot;               /* each name to its slot */
    const struct merged_fn **first_fn;   /* the first of that name, by key */
    const struct facts_loc **first_call; /* else the first call to it */
};

/*
 * Finds each name of every implemented_by: the first function of that
 * name in key order, and for a name no function has (code outside the
 * build), the first call to it in the order the units were read.
 */
static void symbols_find(const struct join *j, struct symbols *sy)
{
    const struct model *model = j->in->model;
    const struct facts_set *set = j->in->facts;
    size_t missing, at;

    for (size_t i = 0; i < model->mitigation_count; i++) {
        const struct model_strings *syms =
                &model->mitigations[i].implemented_by;

        for (size_t s = 0; s < syms->count; s++)
            str_index_add(&sy->slot, syms->items[s], sy->slot.count);
    }
    missing = sy->slot.count;
    sy->first_fn = xcalloc(missing, sizeof(*sy->first_fn));
    sy->first_call = xcalloc(missing, sizeof(*sy->first_call));
    for (size_t i = 0; i < j->fn_count && missing; i++)
        if (str_index_find(&sy->slot, j->fns[i].name, &at) &&
            !sy->first_fn[at]) {
            sy->first_fn[at] = &j->fns[i];
            missing--;
        }
    for (size_t u = 0; u < set->count && missing; u++) {
        const struct facts_tu *tu = set->units[u];

        for (size_t f = 0; f < tu->function_count; f++) {
            const struct facts_function *fn = &tu->functions[f];

            for (size_t c = 0; c < fn->call_count; c++)
                if (str_index_find(&sy->slot, fn->calls[c].callee, &at) &&
                    !sy->first_fn[at] && !sy->first_call[at])
                    sy->first_call[at] = &fn->calls[c].loc;
        }
    }
}

/*
 * Binds the implemented_by names of mitigation index: the function of
 * that name when one is defined, and where the name was found (its
 * definition or declaration, else a call to it).
 */
static void bind_symbols(struct join *j, const struct symbols *sy, size_t index)
{
    const struct model_strings *syms =
            &j->in->model->mitigations[index].implemented_by;
    struct trace *t = &j->traces[index];

    for (size_t s = 0; s < syms->count && !t->binding; s++) {
        const struct merged_fn *fn = find_fn(j, syms->items[s]);
        size_t at = 0;

        str_index_find(&sy->slot, syms->items[s], &at);
        if (sy->first_fn[at]) {
            fn = fn ? fn : sy->first_fn[at];
            t->binding = sy->first_fn[at]->loc;
        } else {
            t->binding = sy->first_call[at];
        }
        if (fn && fn->defined)
            t->bound = fn;
    }
}

static void trace_bindings(struct join *j)
{
    const struct model *model = j->in->model;
    struct symbols sy = {0};

    symbols_find(j, &sy);
    for (size_t i = 0; i < model->mitigation_count; i++) {
        bind_symbols(j, &sy, i);
        for (size_t t = 0; t < model->mitigations[i].test_count; t++)
            j->traces[i].tests[model->mitigations[i].tests[t].kind]++;
    }
    str_index_release(&sy.slot);
    free(sy.first_fn);
    free(sy.first_call);
}

/* Mitigations and threats */

static const enum rule_id missing_test_rule[TEST_KIND_COUNT] = {
        RULE_MISSING_EFFECTIVENESS_TEST,
        RULE_MISSING_THWART_TEST,
        RULE_MISSING_SIDE_EFFECT_CHECK,
};

static const char *const clause[TEST_KIND_COUNT] = {"a", "b", "c"};

static void check_mitigation(struct join *j, size_t index)
{
    const struct model_mitigation *mit = &j->in->model->mitigations[index];
    const struct trace *t = &j->traces[index];
    const char *path = j->in->model->path;
    struct strbuf identity = STRBUF_INIT;
    struct finding *f;

    if (!t->impl_count && !t->binding) {
        sb_addf(&identity, "%s", mit->id);
        if (t->declared_only)
            f = add_finding(j, RULE_MITIGATION_NOT_IMPLEMENTED, path,
                            &mit->id_pos, NULL, identity.buf,
                            "mitigation '%s' is not implemented: '%s' "
                            "carries MITIGATES but no translation unit "
                            "defines it",
                            mit->id, t->declared_only->name);
        else
            f = add_finding(j, RULE_MITIGATION_NOT_IMPLEMENTED, path,
                            &mit->id_pos, NULL, identity.buf,
                            "mitigation '%s' is not implemented: no "
                            "defined function carries MITIGATES(\"%s\")%s",
                            mit->id, mit->id,
                            mit->implemented_by.count
                                    ? " and no implemented_by symbol was "
                                      "found"
                                    : "");
        if (t->declared_only)
            add_related(f, t->declared_only->loc, "declared here");
    }

    for (int k = 0; k < TEST_KIND_COUNT; k++) {
        if (t->tests[k])
            continue;
        sb_release(&identity);
        sb_addf(&identity, "%s|%s", mit->id, test_kind_name(k));
        f = add_finding(j, missing_test_rule[k], path, &mit->id_pos, NULL,
                        identity.buf,
                        "mitigation '%s' has no %s test (IEC 81001-5-1 "
                        "5.7.2 %s); mark one MITIGATION_TEST(\"%s\", %s)",
                        mit->id, test_kind_name(k), clause[k], mit->id,
                        test_kind_macro_name(k));
        for (size_t i = 0; i < t->impl_count; i++)
            add_related(f, t->impl[i]->loc, "implemented here");
    }
    sb_release(&identity);
}

static void check_threat(struct join *j, const struct model_threat *threat)
{
    const char *path = j->in->model->path;
    const struct model_acceptance *acc = threat->accepted;

    if (!threat->mitigations.count && !acc)
        add_finding(j, RULE_THREAT_NOT_MITIGATED, path, &threat->id_pos, NULL,
                    threat->id,
                    "threat '%s' has no mitigation and no risk acceptance",
                    threat->id);
    if (acc && acc->until_days < j->in->today)
        add_finding(j, RULE_ACCEPTANCE_EXPIRED, path, &acc->until_pos, NULL,
                    threat->id,
                    "risk acceptance of threat '%s' by %s expired on %s",
                    threat->id, acc->by, acc->until);
}

void analysis_run(const struct analysis_input *input, struct findings *out,
                  json_t **matrix)
{
    const struct model *model = input->model;
    struct join j = {.in = input, .out = out};
    size_t first = out->count;

    j.traces = xcalloc(model->mitigation_count, sizeof(*j.traces));
    index_mitigations(&j);
    merge_functions(&j);
    trace_annotations(&j);
    trace_bindings(&j);
    report_malformed(&j);
    for (size_t i = 0; i < model->mitigation_count; i++)
        check_mitigation(&j, i);
    for (size_t i = 0; i < model->threat_count; i++)
        check_threat(&j, &model->threats[i]);
    graph_build(&j);
    analysis_reach(&j);
    analysis_verify(&j);

    if (out->count > first) /* items is NULL while there are none */
        qsort(out->items + first, out->count - first, sizeof(*out->items),
              cmp_finding);
    if (matrix)
        *matrix = matrix_rows(&j, out);
    for (size_t i = 0; i < model->mitigation_count; i++) {
        free(j.traces[i].impl);
        free(j.traces[i].links);
    }
    free(j.verdicts);
    free(j.first_verdict);
    for (size_t i = 0; i < j.fn_count; i++)
        free(j.fns[i].anns);
    graph_free(&j.graph);
    str_index_release(&j.fn_index);
    str_index_release(&j.mitigation_index);
    free(j.traces);
    free(j.fns);
    free(j.parts);
}
