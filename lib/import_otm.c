/*
 * import_otm.c: Open Threat Model (OTM) JSON, versions 0.1 and 0.2.
 *
 * OTM lists threats and mitigations once, at the top, and instantiates
 * threats on components and data flows, each instance with a state and
 * the mitigations (each with a state) that apply there. Each OTM threat
 * and mitigation becomes one of the model's, with its OTM ID; a threat
 * is linked to every mitigation an instance names, unless that instance
 * rejects it, and its status combines the states of its instances.
 *
 * Limitation: OTM may be written as YAML too; only JSON is read.
 */
#include "import_internal.h"

#include <stdlib.h>
#include <string.h>

/* What the instances of one threat say, gathered over the file. */
struct threat_state {
    char *path;           /* where the threat is defined */
    const char *words[4]; /* the first word seen per status */
    unsigned seen;        /* bit (1 << enum import_status) */
};

struct otm {
    struct import_ctx *ctx;
    struct threat_state *threats; /* by index in the model */
};

/*
 * The states of threat instances, folded. OTM leaves them open; these
 * are the ones tools write.
 */
static const struct import_status_word threat_states[] = {
        {"exposed", IMPORT_OPEN},
        {"expose", IMPORT_OPEN},
        {"open", IMPORT_OPEN},
        {"new", IMPORT_OPEN},
        {"identified", IMPORT_OPEN},
        {"required", IMPORT_OPEN},
        {"unmitigated", IMPORT_OPEN},
        {"partlymitigated", IMPORT_OPEN},
        {"partiallymitigated", IMPORT_OPEN},
        {"inprogress", IMPORT_OPEN},
        {"mitigated", IMPORT_MITIGATED},
        {"mitigate", IMPORT_MITIGATED},
        {"implemented", IMPORT_MITIGATED},
        {"accepted", IMPORT_ACCEPTED},
        {"accept", IMPORT_ACCEPTED},
        {"notapplicable", IMPORT_NOT_APPLICABLE},
        {"na", IMPORT_NOT_APPLICABLE},
        {"falsepositive", IMPORT_NOT_APPLICABLE},
};

/* The states of mitigation instances that mean it does not apply. */
static const struct import_status_word refusals[] = {
        {"rejected", IMPORT_NOT_APPLICABLE},
        {"reject", IMPORT_NOT_APPLICABLE},
        {"notapplicable", IMPORT_NOT_APPLICABLE},
        {"na", IMPORT_NOT_APPLICABLE},
};

#define COUNT(a) (sizeof(a) / sizeof(*(a)))

/* The risk level for an OTM likelihood and impact, each 0 to 100. */
static const char *risk_level(double likelihood, double impact)
{
    double score = likelihood * impact / 100.0;

    if (score <= 0)
        return "none";
    if (score <= 25)
        return "low";
    if (score <= 50)
        return "medium";
    if (score <= 75)
        return "high";
    return "critical";
}

static void read_risk(struct otm *o, size_t t, const json_t *obj,
                      const char *path)
{
    struct import_ctx *ctx = o->ctx;
    const json_t *risk = import_json_member(ctx, obj, "risk", JSON_OBJECT, path,
                                            "OTM threat", 1);
    char *risk_path = import_json_key_path(path, "risk");
    const json_t *likelihood, *impact;
    struct model_threat *threat;

    impact = risk ? import_json_member(ctx, risk, "impact", JSON_REAL,
                                       risk_path, "the risk of a threat", 1)
                  : NULL;
    likelihood = risk ? import_json_member(ctx, risk, "likelihood", JSON_REAL,
                                           risk_path, "the risk of a threat", 0)
                      : NULL;
    free(risk_path);
    if (!impact)
        return;
    threat = &ctx->model->threats[t];
    if (likelihood) {
        threat->risk_before.text = xstrdup(risk_level(
                json_number_value(likelihood), json_number_value(impact)));
        import_note(&threat->origin,
                    "Its risk in OTM is likelihood %g and impact %g; "
                    "risk.before is their product, as a level.",
                    json_number_value(likelihood), json_number_value(impact));
    } else {
        import_note(&threat->origin,
                    "Its risk in OTM is impact %g, with no likelihood.",
                    json_number_value(impact));
    }
}

/*
 * Reads a list of strings of a threat (categories, cwes) and passes
 * each to add, which returns 0 for one the model cannot hold; those
 * are kept in the origin note and warned about, named what.
 */
static void read_words(struct otm *o, size_t t, const json_t *obj,
                       const char *key, const char *what, const char *path,
                       int (*add)(struct model_threat *, const char *))
{
    struct import_ctx *ctx = o->ctx;
    const json_t *list = import_json_member(ctx, obj, key, JSON_ARRAY, path,
                                            "OTM threat", 0);
    struct import_at at = {path, {0, 0, 0, 0}};
    const json_t *value;
    size_t i;

    json_array_foreach(list, i, value)
    {
        struct model_threat *threat = &ctx->model->threats[t];
        const char *word = json_string_value(value);

        if (!word || add(threat, word))
            continue;
        import_keep(ctx, t, what, word, &at);
    }
}

static int add_category(struct model_threat *threat, const char *word)
{
    int stride = import_stride_parse(word);

    if (stride < 0)
        return 0;
    threat->stride_mask |= 1u << stride;
    return 1;
}

static int add_cwe(struct model_threat *threat, const char *word)
{
    char *cwe = import_cwe(word);

    if (!cwe)
        return 0;
    import_strings_add(&threat->cwe, cwe);
    free(cwe);
    return 1;
}

static void read_threat(struct otm *o, const json_t *obj, const char *path)
{
    struct import_ctx *ctx = o->ctx;
    struct import_at at = {path, {0, 0, 0, 0}};
    const char *id = import_json_text(ctx, obj, "id", path, "OTM threat");
    const char *name = import_json_text(ctx, obj, "name", path, "OTM threat");
    struct model_threat *threat;
    long t;

    if (!id || !name)
        return;
    t = import_add_threat(ctx, id, NULL, &at);
    if (t < 0)
        return;
    threat = &ctx->model->threats[t];
    threat->title = import_title(name);
    threat->description = import_text(
            import_json_string(ctx, obj, "description", path, "OTM threat", 0));
    read_words(o, (size_t)t, obj, "categories", "category", path, add_category);
    read_words(o, (size_t)t, obj, "cwes", "CWE", path, add_cwe);
    read_risk(o, (size_t)t, obj, path);
}

static void read_mitigation(struct otm *o, const json_t *obj, const char *path)
{
    struct import_ctx *ctx = o->ctx;
    struct import_at at = {path, {0, 0, 0, 0}};
    const char *id = import_json_text(ctx, obj, "id", path, "OTM mitigation");
    const char *name =
            import_json_text(ctx, obj, "name", path, "OTM mitigation");
    const json_t *reduction = import_json_member(
            ctx, obj, "riskReduction", JSON_REAL, path, "OTM mitigation", 1);
    struct model_mitigation *m;
    long i;

    if (!id || !name)
        return;
    i = import_add_mitigation(ctx, id, NULL, &at);
    if (i < 0)
        return;
    m = &ctx->model->mitigations[i];
    m->title = import_title(name);
    m->description = import_text(import_json_string(ctx, obj, "description",
                                                    path, "OTM mitigation", 0));
    if (reduction)
        import_note(&m->origin, "It reduces the risk by %g%% in OTM.",
                    json_number_value(reduction));
}

/* Links threat t to the mitigations of one of its instances. */
static void read_instance_mitigations(struct otm *o, size_t t,
                                      const json_t *obj, const char *element,
                                      const char *path)
{
    struct import_ctx *ctx = o->ctx;
    const json_t *list = import_json_member(ctx, obj, "mitigations", JSON_ARRAY,
                                            path, "threat instance", 0);
    char *list_path = import_json_key_path(path, "mitigations");
    enum import_status refused;
    const json_t *value;
    size_t i;

    json_array_foreach(list, i, value)
    {
        char *item_path = import_json_index_path(list_path, i);
        struct import_at at = {item_path, {0, 0, 0, 0}};
        const char *ref = import_json_text(ctx, value, "mitigation", item_path,
                                           "mitigation instance");
        const char *state = import_json_text(ctx, value, "state", item_path,
                                             "mitigation instance");
        long m = ref ? import_find_mitigation(ctx, ref) : -1;

        if (ref && m < 0)
            import_error(ctx, &at,
                         "names mitigation '%s', which is not in "
                         "'mitigations'; add it there or correct the ID",
                         ref);
        if (m >= 0 && state &&
            import_read_status(state, refusals, COUNT(refusals), &refused)) {
            struct model_threat *threat = &ctx->model->threats[t];

            import_note(&threat->origin,
                        "Mitigation '%s' is '%s' for it at %s in OTM, and is "
                        "not linked.",
                        ctx->model->mitigations[m].id, state, element);
            import_warn(ctx, &at,
                        "mitigation '%s' is '%s' for threat '%s' at %s; it "
                        "is not linked to the threat",
                        ctx->model->mitigations[m].id, state, threat->id,
                        element);
        } else if (m >= 0 && state) {
            import_link(ctx, t, (size_t)m);
        }
        free(item_path);
    }
    free(list_path);
}

/* Reads one threat instance on the element named element. */
static void read_instance(struct otm *o, const json_t *obj, const char *element,
                          const char *path)
{
    struct import_ctx *ctx = o->ctx;
    struct import_at at = {path, {0, 0, 0, 0}};
    const char *ref =
            import_json_text(ctx, obj, "threat", path, "threat instance");
    const char *state =
            import_json_text(ctx, obj, "state", path, "threat instance");
    enum import_status status = IMPORT_OPEN;
    struct threat_state *ts;
    long t;

    if (!ref || !state)
        return;
    t = import_find_threat(ctx, ref);
    if (t < 0) {
        import_error(ctx, &at,
                     "names threat '%s', which is not in 'threats'; add it "
                     "there or correct the ID",
                     ref);
        return;
    }
    import_strings_add(&ctx->model->threats[t].assets, element);
    if (!import_read_status(state, threat_states, COUNT(threat_states),
                            &status)) {
        import_note(&ctx->model->threats[t].origin,
                    "Its state at %s in OTM is '%s', read as exposed.", element,
                    state);
        import_warn(ctx, &at,
                    "unknown state '%s' of threat '%s' at %s; read as "
                    "exposed",
                    state, ctx->model->threats[t].id, element);
    }
    ts = &o->threats[t];
    if (!ts->words[status])
        ts->words[status] = state;
    ts->seen |= 1u << status;
    read_instance_mitigations(o, (size_t)t, obj, element, path);
}

/* Reads the threat instances of the components or dataflows. */
static void read_elements(struct otm *o, const json_t *root, const char *key)
{
    struct import_ctx *ctx = o->ctx;
    const json_t *list = import_json_member(ctx, root, key, JSON_ARRAY, "",
                                            "the OTM model", 0);
    char *list_path = import_json_key_path("", key);
    const json_t *element;
    size_t i, k;

    json_array_foreach(list, i, element)
    {
        char *path = import_json_index_path(list_path, i);
        const char *name = json_is_object(element)
                                   ? import_json_text(ctx, element, "name",
                                                      path, "OTM element")
                                   : NULL;
        const json_t *threats =
                name ? import_json_member(ctx, element, "threats", JSON_ARRAY,
                                          path, "OTM element", 0)
                     : NULL;
        char *threats_path = import_json_key_path(path, "threats");
        const json_t *value;

        json_array_foreach(threats, k, value)
        {
            char *item_path = import_json_index_path(threats_path, k);

            read_instance(o, value, name, item_path);
            free(item_path);
        }
        free(threats_path);
        free(path);
    }
    free(list_path);
}

/* Each threat's status from its instances; each mitigation's control. */
static void settle(struct otm *o)
{
    static const enum import_status order[] = {IMPORT_OPEN, IMPORT_MITIGATED,
                                               IMPORT_ACCEPTED,
                                               IMPORT_NOT_APPLICABLE};
    struct model *model = o->ctx->model;
    unsigned *masks;

    for (size_t t = 0; t < model->threat_count; t++) {
        struct threat_state *ts = &o->threats[t];
        struct import_at at = {ts->path, {0, 0, 0, 0}};

        for (size_t k = 0; k < sizeof(order) / sizeof(*order); k++) {
            if (!(ts->seen & (1u << order[k])))
                continue;
            import_apply_status(o->ctx, t, order[k], ts->words[order[k]], NULL,
                                NULL, &at);
            break;
        }
    }
    /* A mask bit above STRIDE's marks the mitigations that are named. */
    masks = xcalloc(model->mitigation_count + 1, sizeof(*masks));
    for (size_t t = 0; t < model->threat_count; t++) {
        const struct model_strings *links = &model->threats[t].mitigations;

        for (size_t k = 0; k < links->count; k++)
            masks[import_mitigation_index(o->ctx, links->items[k])] |=
                    model->threats[t].stride_mask | 1u << STRIDE_COUNT;
    }
    for (size_t m = 0; m < model->mitigation_count; m++) {
        char *path = import_json_index_path(".mitigations", m);
        struct import_at at = {path, {0, 0, 0, 0}};

        if (masks[m])
            import_infer_control(o->ctx, m, masks[m] & ~(1u << STRIDE_COUNT),
                                 &at);
        free(path);
    }
    free(masks);
}

/*
 * Checks that root is an OTM model of a version this reads. Returns 0
 * after saying what it is when it is not.
 */
static int check_format(struct import_ctx *ctx, const json_t *root)
{
    const json_t *version = json_object_get(root, "otmVersion");
    const char *text = json_string_value(version);

    if (!version && json_object_get(root, "summary") &&
        json_object_get(root, "detail")) {
        import_error(ctx, NULL,
                     "not an OTM model: it has 'summary' and 'detail', so "
                     "it is a Threat Dragon model; use --from threat-dragon");
        return 0;
    }
    if (!import_json_member(ctx, root, "otmVersion", JSON_STRING, "",
                            "the OTM model", 1))
        return 0;
    if (strncmp(text, "0.1", 3) == 0 || strncmp(text, "0.2", 3) == 0)
        return 1;
    import_error(ctx, NULL,
                 "unsupported OTM version '%s' (this mitigate reads 0.1 and "
                 "0.2)",
                 text);
    return 0;
}

/* Reads the array at key of root with read, item by item. */
static void read_list(struct otm *o, const json_t *root, const char *key,
                      const char *what,
                      void (*read)(struct otm *, const json_t *, const char *))
{
    const json_t *list = import_json_member(o->ctx, root, key, JSON_ARRAY, "",
                                            "the OTM model", 0);
    char *list_path = import_json_key_path("", key);
    const json_t *value;
    size_t i;

    json_array_foreach(list, i, value)
    {
        char *path = import_json_index_path(list_path, i);
        struct import_at at = {path, {0, 0, 0, 0}};

        if (json_is_object(value))
            read(o, value, path);
        else
            import_error(o->ctx, &at, "expected an object for each %s", what);
        free(path);
    }
    free(list_path);
}

static void read_model(struct otm *o, const json_t *root)
{
    struct import_ctx *ctx = o->ctx;
    const json_t *project;
    size_t count;

    if (!check_format(ctx, root))
        return;
    project = import_json_member(ctx, root, "project", JSON_OBJECT, "",
                                 "the OTM model", 1);
    if (project) {
        ctx->model->system_name = import_text(import_json_text(
                ctx, project, "name", ".project", "the OTM project"));
        import_json_text(ctx, project, "id", ".project", "the OTM project");
    }
    read_list(o, root, "mitigations", "mitigation", read_mitigation);
    read_list(o, root, "threats", "threat", read_threat);
    count = ctx->model->threat_count;
    o->threats = xcalloc(count + 1, sizeof(*o->threats));
    for (size_t t = 0; t < count; t++)
        o->threats[t].path = import_json_index_path(".threats", t);
    read_elements(o, root, "components");
    read_elements(o, root, "dataflows");
    if (!import_failed(ctx))
        settle(o);
    for (size_t t = 0; t < count; t++)
        free(o->threats[t].path);
    free(o->threats);
}

struct model *import_otm_parse(const char *buf, size_t len, const char *name,
                               struct mt_errors *warnings,
                               struct mt_errors *errs)
{
    struct import_ctx ctx;
    struct otm o = {&ctx, NULL};
    json_t *root;

    import_begin(&ctx, IMPORT_OTM, name, warnings, errs);
    root = import_json_parse(&ctx, buf, len);
    if (root) {
        read_model(&o, root);
        json_decref(root);
    }
    return import_finish(&ctx);
}
