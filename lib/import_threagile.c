/*
 * import_threagile.c: Threagile models (YAML), their individual risk
 * categories and their risk tracking.
 *
 * Threagile finds most risks itself when it analyses a model, with its
 * built-in rules; the model file holds only the risks a team adds by
 * hand (individual_risk_categories, each with the risks identified) and
 * the team's decisions on risks (risk_tracking, keyed by Threagile's
 * risk IDs, "*" matching any one part). Each identified risk becomes a
 * threat with its risk ID; each category's mitigation text becomes one
 * mitigation its risks share. A tracking entry that matches no risk of
 * the file is about risks of the built-in rules: it becomes a threat of
 * its own, so that the decision is not lost.
 *
 * Limitation: the risks of Threagile's built-in rules are not computed,
 * so an untracked one is missing from the model, and a tracking entry
 * with "*" becomes one threat however many risks it stands for.
 */
#include "import_internal.h"

#include <stdlib.h>
#include <string.h>

#include "model_yaml.h"

/* One entry of risk_tracking. */
struct tracking {
    const char *key; /* the risk ID, perhaps with "*" parts */
    const char *status;
    const char *justification; /* or NULL, as are the next */
    const char *checked_by;
    const char *ticket;
    struct mt_pos pos;
    int matched; /* 1 once a risk of the file matched it */
};

struct threagile {
    struct import_ctx *ctx;
    struct tracking *tracking;
    size_t tracking_count;
    const char **category_ids;
    struct mt_pos *category_pos;
    size_t category_count;
};

/* The order of the parts of a risk ID after the category's ID. */
static const char *const relevant_keys[] = {
        "most_relevant_technical_asset", "most_relevant_communication_link",
        "most_relevant_trust_boundary",  "most_relevant_shared_runtime",
        "most_relevant_data_asset",
};

static void error_at(struct threagile *g, const struct ynode *node,
                     const char *fmt, const char *a, const char *b)
{
    struct import_at at = {NULL, node->pos};

    import_error(g->ctx, &at, fmt, a, b);
}

/*
 * The text of the scalar at key in map; NULL when it is absent, null
 * or blank (reported when required) or not a scalar (reported).
 */
static const char *get_text(struct threagile *g, const struct ynode *map,
                            const char *key, const char *what, int required)
{
    const struct ynode *v = ynode_get(map, key);

    if (v && v->type != YNODE_SCALAR) {
        error_at(g, v, "expected a string for '%s' in %s", key, what);
        return NULL;
    }
    if (v && !ynode_is_null(v)) {
        char *trimmed = import_text(v->value);

        free(trimmed);
        if (trimmed)
            return v->value;
    }
    if (required)
        error_at(g, map, "missing required key '%s' in %s", key, what);
    return NULL;
}

/*
 * Whether node is a mapping whose keys are all distinct strings;
 * reports what is not. A null node is an empty mapping.
 */
static int is_keyed_mapping(struct threagile *g, const struct ynode *node,
                            const char *what)
{
    if (!node || ynode_is_null(node))
        return 0;
    if (node->type != YNODE_MAPPING) {
        error_at(g, node, "expected a mapping for %s%s", what, "");
        return 0;
    }
    for (size_t i = 0; i + 1 < node->count; i += 2) {
        const struct ynode *key = node->items[i];

        if (key->type != YNODE_SCALAR) {
            error_at(g, key, "expected a name as each key of %s%s", what, "");
            return 0;
        }
        for (size_t k = 0; k < i; k += 2) {
            if (strcmp(node->items[k]->value, key->value) == 0) {
                error_at(g, key, "duplicate key '%s' in %s", key->value, what);
                return 0;
            }
        }
    }
    return 1;
}

/* Copies text without HTML tags (Threagile titles carry <b>) to one line. */
static char *strip_tags(const char *text)
{
    struct strbuf sb = STRBUF_INIT;
    char *result;
    int in_tag = 0;

    for (const char *p = text; *p; p++) {
        if (*p == '<')
            in_tag = 1;
        else if (*p == '>' && in_tag)
            in_tag = 0;
        else if (!in_tag)
            sb_addc(&sb, *p == '\n' || *p == '\t' ? ' ' : *p);
    }
    result = import_text(sb_str(&sb));
    sb_release(&sb);
    return result ? result : xstrdup(text);
}

/* Whether tracking key (with "*" parts) matches risk ID id. */
static int key_matches(const char *key, const char *id)
{
    for (;;) {
        size_t k = strcspn(key, "@"), i = strcspn(id, "@");

        if (!(k == 1 && key[0] == '*') && (k != i || strncmp(key, id, k)))
            return 0;
        if (!key[k] || !id[i])
            return !key[k] && !id[i];
        key += k + 1;
        id += i + 1;
    }
}

/*
 * The tracking entry for risk ID id: exact first, then the first match.
 * Limitation: Threagile may pick another of several matching wildcard
 * entries, so their statuses should agree.
 */
static struct tracking *find_tracking(struct threagile *g, const char *id)
{
    for (size_t i = 0; i < g->tracking_count; i++) {
        if (strcmp(g->tracking[i].key, id) == 0)
            return &g->tracking[i];
    }
    for (size_t i = 0; i < g->tracking_count; i++) {
        if (key_matches(g->tracking[i].key, id))
            return &g->tracking[i];
    }
    return NULL;
}

/* Threagile's risk tracking statuses, folded. */
static const struct import_status_word statuses[] = {
        {"unchecked", IMPORT_OPEN},    {"indiscussion", IMPORT_OPEN},
        {"inprogress", IMPORT_OPEN},   {"mitigated", IMPORT_MITIGATED},
        {"accepted", IMPORT_ACCEPTED}, {"falsepositive", IMPORT_NOT_APPLICABLE},
};

/* Applies tracking entry tr (or none) to threat t. */
static void apply_tracking(struct threagile *g, size_t t, struct tracking *tr,
                           const struct import_at *at)
{
    struct model_threat *threat = &g->ctx->model->threats[t];
    enum import_status status = IMPORT_OPEN;

    if (!tr) {
        import_note(&threat->origin, "Its risk tracking status in Threagile "
                                     "is unchecked.");
        return;
    }
    tr->matched = 1;
    if (tr->ticket)
        import_note(&threat->origin, "Its ticket in Threagile is '%s'.",
                    tr->ticket);
    if (!import_read_status(tr->status, statuses,
                            sizeof(statuses) / sizeof(*statuses), &status)) {
        import_note(&threat->origin,
                    "Its risk tracking status in Threagile is '%s', read as "
                    "unchecked.",
                    tr->status);
        import_warn(g->ctx, at,
                    "unknown risk tracking status '%s' for threat '%s' "
                    "(expected unchecked, in-discussion, in-progress, "
                    "mitigated, accepted or false-positive); read as "
                    "unchecked",
                    tr->status, threat->id);
    }
    if (status == IMPORT_MITIGATED && tr->justification)
        import_note(&threat->origin, "Threagile records: %s",
                    tr->justification);
    import_apply_status(g->ctx, t, status, tr->status, tr->justification,
                        tr->checked_by, at);
}

/* The risk level for a Threagile severity; "elevated" rounds up. */
static const char *severity_level(const char *severity)
{
    static const char *const levels[][2] = {
            {"low", "low"},   {"medium", "medium"},     {"elevated", "high"},
            {"high", "high"}, {"critical", "critical"},
    };

    for (size_t i = 0; i < sizeof(levels) / sizeof(*levels); i++) {
        if (strcmp(severity, levels[i][0]) == 0)
            return levels[i][1];
    }
    return NULL;
}

/* What a category gives each of its risks. */
struct category {
    const char *id;
    const struct ynode *map;
    long mitigation; /* index, or -1 */
    int stride;      /* or -1 */
    char *cwe;       /* or NULL */
};

/* Sets the risk before mitigation of threat t from its severity. */
static void read_severity(struct threagile *g, size_t t,
                          const struct ynode *risk, const struct import_at *at)
{
    const char *severity = get_text(g, risk, "severity", "a risk", 0);
    struct model_threat *threat = &g->ctx->model->threats[t];
    const char *level;

    if (!severity)
        return;
    level = severity_level(severity);
    if (level) {
        threat->risk_before.text = xstrdup(level);
        return;
    }
    import_keep(g->ctx, t, "severity", severity, at);
}

/* Reads one identified risk, titled by key, of category cat. */
static void read_risk(struct threagile *g, const struct category *cat,
                      const struct ynode *key, const struct ynode *risk)
{
    struct import_ctx *ctx = g->ctx;
    struct import_at at = {NULL, key->pos};
    struct strbuf id = STRBUF_INIT;
    struct model_threat *threat;
    long t;

    if (risk->type != YNODE_MAPPING) {
        error_at(g, risk, "expected a mapping for the risk '%s'%s", key->value,
                 "");
        return;
    }
    sb_adds(&id, cat->id);
    for (size_t i = 0; i < sizeof(relevant_keys) / sizeof(*relevant_keys);
         i++) {
        const char *part = get_text(g, risk, relevant_keys[i], "a risk", 0);

        if (part)
            sb_addf(&id, "@%s", part);
    }
    t = import_add_threat(ctx, id.buf, NULL, &at);
    if (t < 0) {
        sb_release(&id);
        return;
    }
    threat = &ctx->model->threats[t];
    threat->title = strip_tags(key->value);
    threat->description =
            import_text(get_text(g, cat->map, "description", "a category", 0));
    if (cat->stride >= 0)
        threat->stride_mask = 1u << cat->stride;
    if (cat->cwe)
        import_strings_add(&threat->cwe, cat->cwe);
    for (size_t i = 0; i < sizeof(relevant_keys) / sizeof(*relevant_keys);
         i++) {
        const char *part = get_text(g, risk, relevant_keys[i], "a risk", 0);

        if (part)
            import_strings_add(&threat->assets, part);
    }
    read_severity(g, (size_t)t, risk, &at);
    if (cat->mitigation >= 0)
        import_link(ctx, (size_t)t, (size_t)cat->mitigation);
    apply_tracking(g, (size_t)t, find_tracking(g, id.buf), &at);
    sb_release(&id);
}

/*
 * Reads a category's STRIDE category and CWE into cat; what the model
 * cannot hold is warned about.
 */
static void read_category_terms(struct threagile *g, struct category *cat)
{
    const char *stride = get_text(g, cat->map, "stride", "a category", 0);
    const char *cwe = get_text(g, cat->map, "cwe", "a category", 0);
    struct import_at at = {NULL, cat->map->pos};

    cat->stride = stride ? import_stride_parse(stride) : -1;
    if (stride && cat->stride < 0)
        import_warn(g->ctx, &at,
                    "the STRIDE category '%s' of risk category '%s' is not "
                    "one of Threagile's; its risks get none",
                    stride, cat->id);
    cat->cwe = cwe ? import_cwe(cwe) : NULL;
    if (cwe && !cat->cwe && strcmp(cwe, "0") != 0)
        import_warn(g->ctx, &at,
                    "the CWE '%s' of risk category '%s' is not a CWE "
                    "number; its risks get none",
                    cwe, cat->id);
}

/* Whether the category ID was seen before; reports it if so. */
static int is_duplicate_category(struct threagile *g, const char *id,
                                 const struct ynode *at)
{
    for (size_t i = 0; i < g->category_count; i++) {
        if (strcmp(g->category_ids[i], id) == 0) {
            struct import_at where = {NULL, at->pos};

            import_error(g->ctx, &where,
                         "duplicate risk category ID '%s' in the Threagile "
                         "model (first at line %u, column %u); give each "
                         "category its own ID there",
                         id, g->category_pos[i].line,
                         g->category_pos[i].column);
            return 1;
        }
    }
    g->category_ids = xrealloc(g->category_ids, (g->category_count +
                                                 1) * sizeof(*g->category_ids));
    g->category_pos = xrealloc(g->category_pos, (g->category_count +
                                                 1) * sizeof(*g->category_pos));
    g->category_ids[g->category_count] = id;
    g->category_pos[g->category_count++] = at->pos;
    return 0;
}

/* Reads one individual risk category and its risks. */
static void read_category(struct threagile *g, const struct ynode *key,
                          const struct ynode *map)
{
    struct import_at at = {NULL, key->pos};
    const struct ynode *risks;
    struct category cat;
    char *text;

    if (map->type != YNODE_MAPPING) {
        error_at(g, map, "expected a mapping for the risk category '%s'%s",
                 key->value, "");
        return;
    }
    memset(&cat, 0, sizeof(cat));
    cat.map = map;
    cat.mitigation = -1;
    cat.id = get_text(g, map, "id", "a risk category", 1);
    if (!cat.id || is_duplicate_category(g, cat.id, ynode_get(map, "id")))
        return;
    read_category_terms(g, &cat);
    text = import_text(get_text(g, map, "mitigation", "a category", 0));
    if (text) {
        cat.mitigation = import_add_text_mitigation(g->ctx, cat.id,
                                                    "risk category", text, &at);
        if (cat.mitigation >= 0)
            import_infer_control(g->ctx, (size_t)cat.mitigation,
                                 cat.stride >= 0 ? 1u << cat.stride : 0, &at);
    }
    free(text);
    risks = ynode_get(map, "risks_identified");
    if (is_keyed_mapping(g, risks, "'risks_identified'")) {
        for (size_t i = 0; i + 1 < risks->count; i += 2)
            read_risk(g, &cat, risks->items[i], risks->items[i + 1]);
    }
    free(cat.cwe);
}

/* Reads risk_tracking into g->tracking. */
static void read_tracking(struct threagile *g, const struct ynode *map)
{
    if (!is_keyed_mapping(g, map, "'risk_tracking'"))
        return;
    g->tracking = xcalloc(map->count / 2 + 1, sizeof(*g->tracking));
    for (size_t i = 0; i + 1 < map->count; i += 2) {
        const struct ynode *key = map->items[i], *value = map->items[i + 1];
        struct tracking *tr = &g->tracking[g->tracking_count];

        if (value->type != YNODE_MAPPING) {
            error_at(g, value, "expected a mapping for the tracking of '%s'%s",
                     key->value, "");
            continue;
        }
        tr->key = key->value;
        tr->pos = key->pos;
        tr->status = get_text(g, value, "status", "a risk tracking entry", 1);
        tr->justification =
                get_text(g, value, "justification", "a risk tracking entry", 0);
        tr->checked_by =
                get_text(g, value, "checked_by", "a risk tracking entry", 0);
        tr->ticket = get_text(g, value, "ticket", "a risk tracking entry", 0);
        if (tr->status)
            g->tracking_count++;
    }
}

/*
 * Makes a threat of each tracking entry that matched no risk of the
 * file: a decision on risks that Threagile's built-in rules find.
 */
static void read_unmatched_tracking(struct threagile *g)
{
    for (size_t i = 0; i < g->tracking_count; i++) {
        struct tracking *tr = &g->tracking[i];
        struct import_at at = {NULL, tr->pos};
        struct strbuf title = STRBUF_INIT;
        struct model_threat *threat;
        long t;

        if (tr->matched)
            continue;
        t = import_add_threat(g->ctx, tr->key, NULL, &at);
        if (t < 0)
            continue;
        threat = &g->ctx->model->threats[t];
        sb_addf(&title, "Threagile risks tracked as '%s'", tr->key);
        threat->title = sb_detach(&title);
        import_note(&threat->origin,
                    "No risk of the model file has this ID: Threagile's "
                    "built-in rules find such risks when it analyses the "
                    "model, and this is the team's decision on them.");
        apply_tracking(g, (size_t)t, tr, &at);
    }
}

/*
 * Checks that root is a Threagile model. Returns 0 after saying what it
 * looks like when it is not.
 */
static int check_format(struct threagile *g, const struct ynode *root)
{
    struct import_at top = {NULL, root->pos};

    if (root->type != YNODE_MAPPING) {
        import_error(g->ctx, &top,
                     "expected a mapping at the top of the Threagile model");
        return 0;
    }
    if (ynode_get(root, "threagile_version"))
        return get_text(g, root, "threagile_version", "the Threagile model",
                        1) != NULL;
    if (ynode_get(root, "otmVersion"))
        import_error(g->ctx, &top,
                     "not a Threagile model: it has 'otmVersion', so it is "
                     "an Open Threat Model; use --from otm");
    else if (ynode_get(root, "summary") && ynode_get(root, "detail"))
        import_error(g->ctx, &top,
                     "not a Threagile model: it has 'summary' and 'detail', "
                     "so it is a Threat Dragon model; use --from "
                     "threat-dragon");
    else
        import_error(g->ctx, &top,
                     "missing required key 'threagile_version' in the "
                     "Threagile model; is it a Threagile model?");
    return 0;
}

/*
 * Reads custom_risk_categories, the list that later Threagile versions
 * write instead of the mapping individual_risk_categories: each entry
 * is a category with its title inside.
 */
static void read_category_list(struct threagile *g, const struct ynode *list)
{
    if (!list || ynode_is_null(list))
        return;
    if (list->type != YNODE_SEQUENCE) {
        error_at(g, list, "expected a list for %s%s",
                 "'custom_risk_categories'", "");
        return;
    }
    for (size_t i = 0; i < list->count; i++) {
        const struct ynode *item = list->items[i];
        const struct ynode *title = ynode_get(item, "title");

        if (item->type != YNODE_MAPPING)
            error_at(g, item, "expected a mapping for each entry of %s%s",
                     "'custom_risk_categories'", "");
        else
            read_category(g,
                          title && title->type == YNODE_SCALAR ? title : item,
                          item);
    }
}

static void read_model(struct threagile *g, const struct ynode *root)
{
    const struct ynode *categories;

    if (!check_format(g, root))
        return;
    g->ctx->model->system_name =
            import_text(get_text(g, root, "title", "the Threagile model", 0));
    read_tracking(g, ynode_get(root, "risk_tracking"));
    categories = ynode_get(root, "individual_risk_categories");
    if (is_keyed_mapping(g, categories, "'individual_risk_categories'")) {
        for (size_t i = 0; i + 1 < categories->count; i += 2)
            read_category(g, categories->items[i], categories->items[i + 1]);
    }
    read_category_list(g, ynode_get(root, "custom_risk_categories"));
    if (!import_failed(g->ctx))
        read_unmatched_tracking(g);
}

struct model *import_threagile_parse(const char *buf, size_t len,
                                     const char *name,
                                     struct mt_errors *warnings,
                                     struct mt_errors *errs)
{
    struct import_ctx ctx;
    struct threagile g;
    struct ynode *root = NULL;

    size_t warnings_before = warnings->count;

    import_begin(&ctx, IMPORT_THREAGILE, name, warnings, errs);
    memset(&g, 0, sizeof(g));
    g.ctx = &ctx;
    if (ynode_load_aliased(name, buf, len, "Threagile model", errs, &root) ==
                0 &&
        !root)
        import_error(&ctx, NULL,
                     "the file is empty; expected a Threagile "
                     "model");
    if (root)
        read_model(&g, root);
    ynode_free(root);
    yreport_sort(errs, ctx.errors_before);
    yreport_sort(warnings, warnings_before);
    free(g.tracking);
    free(g.category_ids);
    free(g.category_pos);
    return import_finish(&ctx);
}
