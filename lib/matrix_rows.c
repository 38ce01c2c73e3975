/*
 * matrix_rows.c: the rows of the threat-to-mitigation matrix.
 *
 * One row per (threat, mitigation), and one for each threat with no
 * mitigation, so that gaps are rows, never omissions. Each row holds
 * what EVIDENCE.md asks a reviewer to see: the threat and its risk, the
 * mitigation and its control, the implementing code, the tests of each
 * kind with their results and reach, and the suppressions and
 * banned-pattern findings in the mitigation's reach. File paths are
 * relative to the source root. docs/matrix.md documents the fields.
 */
#include "analysis_internal.h"
#include "untrusted.h"

#include <stdlib.h>
#include <string.h>

/* A path relative to the source root when under it, else absolute. */
static json_t *path_json(const struct join *j, const char *file)
{
    char *abs = path_absolute(file);
    const char *below = j->in->root ? path_below(abs, j->in->root) : NULL;
    json_t *path = json_string(below ? below : abs);

    free(abs);
    return path;
}

static void set_location(const struct join *j, json_t *obj, const char *file,
                         unsigned line)
{
    json_object_set_new(obj, "file", path_json(j, file));
    json_object_set_new(obj, "line", json_integer(line ? line : 1));
}

static json_t *strings_json(const struct model_strings *s)
{
    json_t *a = json_array();

    for (size_t i = 0; i < s->count; i++)
        json_array_append_new(a, json_string(s->items[i]));
    return a;
}

static json_t *nullable(const char *s)
{
    return s ? json_string(s) : json_null();
}

static const char *const result_names[] = {"passed", "failed", "error",
                                           "skipped"};
static const char *const reach_names[] = {"n/a", "yes", "no", "unverified"};

static const char *result_name(const struct verdict *v)
{
    return v->result ? result_names[v->result->outcome] : "not-run";
}

static json_t *test_json(const struct join *j, const struct verdict *v)
{
    json_t *t = json_object();
    const struct test_result *r = v->result;

    json_object_set_new(t, "id",
                        json_string(v->fn ? v->fn->name : v->declared->id));
    json_object_set_new(t, "declared", json_boolean(v->declared != NULL));
    json_object_set_new(t, "title",
                        nullable(v->declared ? v->declared->title : NULL));
    if (v->fn)
        set_location(j, t, v->fn->loc->file, v->fn->loc->pos.line);
    else
        set_location(j, t, j->in->model->path, v->declared->pos.line);
    json_object_set_new(t, "result", json_string(result_name(v)));
    json_object_set_new(t, "duration",
                        r && r->seconds >= 0 ? json_real(r->seconds)
                                             : json_null());
    json_object_set_new(t, "runs", json_integer((json_int_t)v->runs));
    json_object_set_new(t, "results_file",
                        r ? path_json(j, r->file) : json_null());
    json_object_set_new(t, "results_line",
                        r ? json_integer(r->line) : json_null());
    json_object_set_new(t, "reaches", json_string(reach_names[v->reach]));
    json_object_set_new(t, "message", nullable(r ? r->message : NULL));
    return t;
}

static json_t *code_json(const struct join *j, size_t m)
{
    const struct trace *t = &j->traces[m];
    const struct model_strings *syms =
            &j->in->model->mitigations[m].implemented_by;
    json_t *code = json_array();

    for (size_t i = 0; i < t->impl_count; i++) {
        json_t *c = json_pack("{s:s}", "function", t->impl[i]->name);

        set_location(j, c, t->impl[i]->loc->file, t->impl[i]->loc->pos.line);
        json_object_set_new(c, "binding", json_null());
        json_array_append_new(code, c);
    }
    if (t->binding && syms->count) {
        json_t *c = json_pack("{s:s}", "function",
                              t->bound ? t->bound->name : syms->items[0]);

        set_location(j, c, t->binding->file, t->binding->pos.line);
        json_object_set_new(c, "binding", json_string("implemented_by"));
        json_array_append_new(code, c);
    }
    return code;
}

/*
 * Suppressions and unsuppressed banned-pattern findings in m's reach:
 * the count findings whose indexes are in which.
 */
static void reach_json(const struct join *j, const struct findings *findings,
                       const size_t *which, size_t count, json_t *mit)
{
    json_t *sup = json_array(), *found = json_array();

    for (size_t i = 0; i < count; i++) {
        const struct finding *f = &findings->items[which[i]];
        const char *rule = policy_rule_at(j->in->policy, f->rule)->desc.id;
        json_t *o;

        if (f->suppression != SUPPRESSION_NONE) {
            o = json_pack("{s:s, s:s, s:s, s:s}", "rule", rule, "function",
                          f->function ? f->function : "", "kind",
                          f->suppression == SUPPRESSION_IN_SOURCE ? "inSource"
                                                                  : "external",
                          "justification",
                          f->justification ? f->justification : "");
            set_location(j, o, f->loc.file, f->loc.pos.line);
            json_array_append_new(sup, o);
            continue;
        }
        o = json_pack("{s:s, s:s, s:s}", "rule", rule, "level",
                      level_name(f->level), "message", f->message);
        set_location(j, o, f->loc.file, f->loc.pos.line);
        json_array_append_new(found, o);
    }
    json_object_set_new(mit, "suppressions", sup);
    json_object_set_new(mit, "findings", found);
}

/* Adds the tests of m by kind, and the gaps they leave, to mit. */
static void tests_json(const struct join *j, size_t m, json_t *mit,
                       json_t *gaps)
{
    json_t *tests = json_object();

    for (int k = 0; k < TEST_KIND_COUNT; k++) {
        json_t *list = json_array();

        for (size_t i = j->first_verdict[m]; i < j->first_verdict[m + 1]; i++) {
            const struct verdict *v = &j->verdicts[i];
            const char *name = v->fn ? v->fn->name : v->declared->id;

            if ((int)v->kind != k)
                continue;
            json_array_append_new(list, test_json(j, v));
            if (v->reach == REACH_NO)
                json_array_append_new(gaps,
                                      json_sprintf("%s test does not reach the "
                                                   "code: %s",
                                                   test_kind_name(k), name));
            else if (!v->result || v->result->outcome != OUTCOME_PASSED)
                json_array_append_new(
                        gaps,
                        json_sprintf("%s test %s: %s", test_kind_name(k),
                                     strcmp(result_name(v), "not-run") == 0
                                             ? "not run"
                                             : result_name(v),
                                     name));
        }
        if (!json_array_size(list))
            json_array_append_new(
                    gaps, json_sprintf("no %s test", test_kind_name(k)));
        json_object_set_new(tests, test_kind_name(k), list);
    }
    json_object_set_new(mit, "tests", tests);
}

/* The findings in each mitigation's reach, grouped by mitigation. */
struct reach_groups {
    size_t *first; /* mitigation m's are which[first[m]..first[m + 1]] */
    size_t *which; /* indexes into the findings, in their order */
};

static void group_by_mitigation(const struct join *j,
                                const struct findings *findings,
                                struct reach_groups *g)
{
    size_t n = j->in->model->mitigation_count;
    size_t *next = xcalloc(n + 1, sizeof(*next));

    g->first = xcalloc(n + 1, sizeof(*g->first));
    g->which = xcalloc(findings->count, sizeof(*g->which));
    for (size_t i = 0; i < findings->count; i++)
        if (findings->items[i].mitigation >= 0)
            g->first[findings->items[i].mitigation + 1]++;
    for (size_t m = 0; m < n; m++)
        g->first[m + 1] += g->first[m];
    memcpy(next, g->first, (n + 1) * sizeof(*next));
    for (size_t i = 0; i < findings->count; i++)
        if (findings->items[i].mitigation >= 0)
            g->which[next[findings->items[i].mitigation]++] = i;
    free(next);
}

static json_t *mitigation_json(const struct join *j, size_t m,
                               const struct findings *findings,
                               const struct reach_groups *reach)
{
    const struct model_mitigation *mm = &j->in->model->mitigations[m];
    const struct trace *t = &j->traces[m];
    json_t *mit = json_object(), *gaps = json_array();

    json_object_set_new(mit, "id", json_string(mm->id));
    json_object_set_new(mit, "title", json_string(mm->title));
    json_object_set_new(mit, "control",
                        json_string(control_names[mm->control]));
    json_object_set_new(mit, "requirements", strings_json(&mm->requirements));
    if (!t->impl_count && !t->binding)
        json_array_append_new(gaps, json_string("not implemented"));
    json_object_set_new(mit, "code", code_json(j, m));
    tests_json(j, m, mit, gaps);
    reach_json(j, findings, reach->which + reach->first[m],
               reach->first[m + 1] - reach->first[m], mit);
    if (json_array_size(json_object_get(mit, "findings")))
        json_array_append_new(
                gaps, json_sprintf("%zu banned-pattern findings in reach",
                                   json_array_size(
                                           json_object_get(mit, "findings"))));
    json_object_set_new(
            mit, "status",
            json_string(json_array_size(gaps) ? "gaps" : "verified"));
    json_object_set_new(mit, "gaps", gaps);
    json_object_set_new(mit, "location", json_object());
    set_location(j, json_object_get(mit, "location"), j->in->model->path,
                 mm->pos.line);
    return mit;
}

static json_t *threat_json(const struct join *j, const struct model_threat *t)
{
    json_t *o = json_object(), *risk;
    const struct model_acceptance *acc = t->accepted;
    static const int order[] = {
            STRIDE_SPOOFING,          STRIDE_TAMPERING,
            STRIDE_REPUDIATION,       STRIDE_INFORMATION_DISCLOSURE,
            STRIDE_DENIAL_OF_SERVICE, STRIDE_ELEVATION_OF_PRIVILEGE};
    json_t *stride = json_array();

    for (size_t i = 0; i < STRIDE_COUNT; i++)
        if (t->stride_mask & (1u << order[i]))
            json_array_append_new(stride, json_string(stride_names[order[i]]));
    risk = json_pack("{s:o, s:o}", "before", nullable(t->risk_before.text),
                     "after", nullable(t->risk_after.text));
    json_object_set_new(o, "id", json_string(t->id));
    json_object_set_new(o, "title", json_string(t->title));
    json_object_set_new(o, "stride", stride);
    json_object_set_new(o, "cwe", strings_json(&t->cwe));
    json_object_set_new(o, "capec", strings_json(&t->capec));
    json_object_set_new(o, "assets", strings_json(&t->assets));
    json_object_set_new(o, "risk", risk);
    json_object_set_new(o, "accepted",
                        acc ? json_pack("{s:s, s:s, s:s, s:b}", "rationale",
                                        acc->rationale, "by", acc->by, "until",
                                        acc->until, "expired",
                                        acc->until_days < j->in->today)
                            : json_null());
    json_object_set_new(o, "location", json_object());
    set_location(j, json_object_get(o, "location"), j->in->model->path,
                 t->pos.line);
    return o;
}

/* A threat's status: the worst of its mitigations, or its acceptance. */
static const char *threat_status(const struct model_threat *t,
                                 json_t *const *mitigations, size_t count,
                                 long today)
{
    int gaps = 0;

    for (size_t i = 0; i < count; i++)
        gaps |= strcmp(json_string_value(
                               json_object_get(mitigations[i], "status")),
                       "verified") != 0;
    if (count)
        return gaps ? "gaps" : "verified";
    if (t->accepted)
        return t->accepted->until_days < today ? "gaps" : "accepted";
    return "not-mitigated";
}

json_t *matrix_rows(const struct join *j, const struct findings *findings)
{
    const struct model *model = j->in->model;
    json_t *rows = json_array();
    struct reach_groups reach;

    group_by_mitigation(j, findings, &reach);
    for (size_t i = 0; i < model->threat_count; i++) {
        const struct model_threat *t = &model->threats[i];
        size_t n = t->mitigations.count;
        json_t **mits = xcalloc(n ? n : 1, sizeof(*mits));
        json_t *threat = threat_json(j, t);

        for (size_t k = 0; k < n; k++)
            mits[k] = mitigation_json(
                    j, (size_t)find_mitigation(j, t->mitigations.items[k]),
                    findings, &reach);
        json_object_set_new(
                threat, "status",
                json_string(threat_status(t, mits, n, j->in->today)));
        for (size_t k = 0; k < n; k++)
            json_array_append_new(rows,
                                  json_pack("{s:O, s:o}", "threat", threat,
                                            "mitigation", mits[k]));
        if (!n)
            json_array_append_new(rows, json_pack("{s:O, s:n}", "threat",
                                                  threat, "mitigation"));
        json_decref(threat);
        free(mits);
    }
    free(reach.first);
    free(reach.which);
    return rows;
}
