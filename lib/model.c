/* model.c: the threat model read from threats.yaml, as a whole. */
#include "model.h"

#include <stdlib.h>
#include <string.h>

#include "model_internal.h"

/* Larger files are refused unread: no real threat model comes near. */
#define MODEL_MAX_SIZE ((size_t)16 << 20)

enum top_key { TOP_MITIGATE, TOP_SYSTEM, TOP_THREATS, TOP_MITIGATIONS };
static const char *const top_keys[] = {"mitigate", "system", "threats",
                                       "mitigations"};

enum system_key { SYSTEM_NAME, SYSTEM_VERSION };
static const char *const system_keys[] = {"name", "version"};

/* ID index */

/* FNV-1a: a simple hash that spreads short IDs well enough. */
static size_t id_hash(const char *s)
{
    size_t h = (size_t)2166136261u;

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * (size_t)16777619u;
    return h;
}

/* The slot holding id, or the empty slot where it would go. */
static struct model_id *id_slot(const struct model_ids *ix, const char *id)
{
    size_t i = id_hash(id) & (ix->cap - 1);

    while (ix->slots[i].id && strcmp(ix->slots[i].id, id) != 0)
        i = (i + 1) & (ix->cap - 1);
    return &ix->slots[i];
}

/* Doubles the capacity, keeping every entry. */
static void model_ids_grow(struct model_ids *ix)
{
    struct model_ids bigger = {NULL, ix->cap ? ix->cap * 2 : 64, ix->count};

    bigger.slots = xcalloc(bigger.cap, sizeof(*bigger.slots));
    for (size_t i = 0; i < ix->cap; i++) {
        if (ix->slots[i].id)
            *id_slot(&bigger, ix->slots[i].id) = ix->slots[i];
    }
    free(ix->slots);
    *ix = bigger;
}

const struct model_id *model_ids_add(struct model_ids *ix, const char *id,
                                     const struct mt_pos *pos)
{
    struct model_id *slot;

    if ((ix->count + 1) * 2 > ix->cap)
        model_ids_grow(ix);
    slot = id_slot(ix, id);
    if (slot->id)
        return slot;
    slot->id = id;
    slot->pos = *pos;
    ix->count++;
    return NULL;
}

int model_ids_has(const struct model_ids *ix, const char *id)
{
    return ix->cap && id_slot(ix, id)->id;
}

void model_ids_release(struct model_ids *ix)
{
    free(ix->slots);
    memset(ix, 0, sizeof(*ix));
}

/*
 * Reports each mitigation threat t names that the model lacks (with the
 * nearest ID suggested), and each it names twice. Runs once every
 * mitigation is read.
 */
static void check_references(struct loader *ld, const struct model_threat *t)
{
    struct model_ids seen = {NULL, 0, 0};
    const char *threat = t->id ? t->id : "?";

    for (size_t i = 0; i < t->mitigations.count; i++) {
        const char *id = t->mitigations.items[i];
        const struct mt_pos *pos = &t->mitigations.pos[i];
        const struct model_id *first = model_ids_add(&seen, id, pos);
        const char *nearest;

        if (first) {
            yreport_error(&ld->rep, pos,
                          "threat '%s' names mitigation '%s' twice (first "
                          "at line %u, column %u)",
                          threat, id, first->pos.line, first->pos.column);
            continue;
        }
        if (model_ids_has(&ld->mitigation_ids, id))
            continue;
        nearest = model_suggest_mitigation(ld->model, id);
        if (nearest)
            yreport_error(&ld->rep, pos,
                          "threat '%s' names unknown mitigation '%s' (did "
                          "you mean '%s'?)",
                          threat, id, nearest);
        else
            yreport_error(&ld->rep, pos,
                          "threat '%s' names unknown mitigation '%s' (add it "
                          "under 'mitigations' or correct the ID)",
                          threat, id);
    }
    model_ids_release(&seen);
}

/* The model */

/*
 * Checks the schema version. Returns 0 when it is one this code does not
 * read, as nothing else in the file can then be judged.
 */
static int check_version(struct loader *ld, const struct ynode *root)
{
    const struct ynode *v = ynode_get(root, "mitigate");
    const char *digits;
    long version = 0;

    ld->model->version = MODEL_SCHEMA_VERSION;
    if (!v) {
        yreport_error(&ld->rep, &root->pos,
                      "missing required key 'mitigate' in threat model "
                      "(start the file with 'mitigate: %d')",
                      MODEL_SCHEMA_VERSION);
        return 1;
    }
    digits = v->type == YNODE_SCALAR && v->plain ? v->value : "";
    if (!digits[0] || strspn(digits, "0123456789") != strlen(digits)) {
        yreport_error(&ld->rep, &v->pos,
                      "expected an integer for 'mitigate' in threat model, "
                      "found %s",
                      ynode_describe(v));
        return 1;
    }
    for (; *digits && version <= MODEL_SCHEMA_VERSION; digits++)
        version = version * 10 + (*digits - '0');
    if (version == MODEL_SCHEMA_VERSION)
        return 1;
    yreport_error(&ld->rep, &v->pos,
                  "unsupported schema version %s (this mitigate reads "
                  "version %d)",
                  v->value, MODEL_SCHEMA_VERSION);
    return 0;
}

/* Reads the optional 'system' mapping {name, version}. */
static void read_system(struct loader *ld, const struct yfield *f)
{
    struct yfield fields[COUNT(system_keys)];

    if (!yfield_is_mapping(&ld->rep, f, "threat model"))
        return;
    yfield_read_keys(&ld->rep, f->value, "'system'", system_keys,
                     COUNT(system_keys), fields);
    ld->model->system_name =
            yfield_strdup(&ld->rep, &fields[SYSTEM_NAME], "'system'");
    ld->model->system_version =
            yfield_strdup(&ld->rep, &fields[SYSTEM_VERSION], "'system'");
}

/* Reads the whole document: the top-level mapping. */
static void read_model(struct loader *ld, const struct ynode *root)
{
    struct yfield f[COUNT(top_keys)];
    struct model *model = ld->model;
    const struct ynode *list;

    if (root->type != YNODE_MAPPING) {
        yreport_error(&ld->rep, &root->pos,
                      "expected a mapping at the top of the threat model, "
                      "found %s",
                      ynode_describe(root));
        return;
    }
    if (!check_version(ld, root))
        return;
    yfield_read_keys(&ld->rep, root, "threat model", top_keys, COUNT(top_keys),
                     f);
    read_system(ld, &f[TOP_SYSTEM]);

    if (yfield_is_list(&ld->rep, &f[TOP_THREATS], "threat model")) {
        list = f[TOP_THREATS].value;
        model->threats = xcalloc(list->count, sizeof(*model->threats));
        model->threat_count = list->count;
        for (size_t i = 0; i < list->count; i++)
            model_read_threat(ld, list->items[i], &model->threats[i]);
    }
    if (yfield_is_list(&ld->rep, &f[TOP_MITIGATIONS], "threat model")) {
        list = f[TOP_MITIGATIONS].value;
        model->mitigations = xcalloc(list->count, sizeof(*model->mitigations));
        model->mitigation_count = list->count;
        for (size_t i = 0; i < list->count; i++)
            model_read_mitigation(ld, list->items[i], &model->mitigations[i]);
    }
    for (size_t i = 0; i < model->threat_count; i++)
        check_references(ld, &model->threats[i]);
}

struct model *model_load(const char *path, struct mt_errors *errs)
{
    struct model *model;
    size_t len = 0;
    char *text = read_file(path, MODEL_MAX_SIZE, &len, errs);

    if (!text)
        return NULL;
    model = model_parse(path, text, len, errs);
    free(text);
    return model;
}

struct model *model_parse(const char *path, const char *text, size_t len,
                          struct mt_errors *errs)
{
    struct loader ld;
    size_t errors_before = errs->count;
    struct ynode *root = NULL;

    if (ynode_load(path, text, len, errs, &root) < 0)
        return NULL;
    if (!root || ynode_is_null(root)) {
        mt_error_add(errs, path, NULL,
                     "the threat model is empty; start it with "
                     "'mitigate: %d'",
                     MODEL_SCHEMA_VERSION);
        ynode_free(root);
        return NULL;
    }

    memset(&ld, 0, sizeof(ld));
    ld.rep.path = path;
    ld.rep.errs = errs;
    ld.model = xcalloc(1, sizeof(*ld.model));
    ld.model->path = xstrdup(path);
    read_model(&ld, root);
    ynode_free(root);
    model_ids_release(&ld.threat_ids);
    model_ids_release(&ld.mitigation_ids);
    model_ids_release(&ld.test_ids);
    if (errs->count == errors_before)
        return ld.model;
    model_free(ld.model);
    return NULL;
}

static void threat_release(struct model_threat *t)
{
    free(t->id);
    free(t->title);
    free(t->description);
    model_strings_release(&t->cwe);
    model_strings_release(&t->capec);
    model_strings_release(&t->assets);
    free(t->risk_before.text);
    free(t->risk_after.text);
    model_strings_release(&t->mitigations);
    if (t->accepted) {
        free(t->accepted->rationale);
        free(t->accepted->by);
        free(t->accepted->until);
        free(t->accepted);
    }
}

static void mitigation_release(struct model_mitigation *m)
{
    free(m->id);
    free(m->title);
    free(m->description);
    model_strings_release(&m->requirements);
    model_strings_release(&m->implemented_by);
    for (size_t i = 0; i < m->test_count; i++) {
        free(m->tests[i].id);
        free(m->tests[i].title);
        free(m->tests[i].result);
    }
    free(m->tests);
}

void model_free(struct model *model)
{
    if (!model)
        return;
    for (size_t i = 0; i < model->threat_count; i++)
        threat_release(&model->threats[i]);
    for (size_t i = 0; i < model->mitigation_count; i++)
        mitigation_release(&model->mitigations[i]);
    free(model->threats);
    free(model->mitigations);
    free(model->system_name);
    free(model->system_version);
    free(model->path);
    free(model);
}

const struct model_mitigation *model_find_mitigation(const struct model *model,
                                                     const char *id)
{
    for (size_t i = 0; i < model->mitigation_count; i++) {
        const struct model_mitigation *m = &model->mitigations[i];

        if (m->id && strcmp(m->id, id) == 0)
            return m;
    }
    return NULL;
}

const char *model_suggest_mitigation(const struct model *model, const char *id)
{
    const char **ids = xcalloc(model->mitigation_count, sizeof(*ids));
    const char *nearest;
    size_t count = 0;

    for (size_t i = 0; i < model->mitigation_count; i++) {
        if (model->mitigations[i].id)
            ids[count++] = model->mitigations[i].id;
    }
    nearest = suggest_nearest(id, ids, count);
    free(ids);
    return nearest;
}
