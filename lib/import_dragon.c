/*
 * import_dragon.c: OWASP Threat Dragon v2 models.
 *
 * Threat Dragon keeps threats on the cells (elements and flows) of its
 * diagrams; each threat has a status (Open, Mitigated, NA), a severity,
 * a type from the diagram's method (STRIDE, CIA, LINDDUN, ...) and one
 * free-text mitigation. Each threat becomes a threat whose asset is the
 * cell's name; each non-empty mitigation text becomes a mitigation of
 * its own, "M-" and the threat's ID, since Threat Dragon has no
 * mitigation objects to share.
 */
#include "import_internal.h"

#include <stdlib.h>
#include <string.h>

#define WHAT_THREAT "Threat Dragon threat"

/* The cell a threat is on: what the threat needs to know of it. */
struct cell {
    const char *id;   /* or NULL */
    char *name;       /* on one line, or NULL */
    int out_of_scope; /* 1 when the element is marked out of scope */
    const char *reason_out_of_scope;
};

/* Threat Dragon's statuses, folded: "N/A" and "NA" are both "na". */
static const struct import_status_word statuses[] = {
        {"open", IMPORT_OPEN},
        {"mitigated", IMPORT_MITIGATED},
        {"na", IMPORT_NOT_APPLICABLE},
        {"notapplicable", IMPORT_NOT_APPLICABLE},
};

/* The STRIDE category of a threat's type under its method, or -1. */
static int stride_of_type(const char *type, const char *method)
{
    static const struct {
        const char *type;
        enum stride stride;
    } cia[] = {
            {"Confidentiality", STRIDE_INFORMATION_DISCLOSURE},
            {"Integrity", STRIDE_TAMPERING},
            {"Availability", STRIDE_DENIAL_OF_SERVICE},
    };

    if (method && strcmp(method, "CIA") == 0) {
        for (size_t i = 0; i < sizeof(cia) / sizeof(*cia); i++) {
            if (strcmp(type, cia[i].type) == 0)
                return (int)cia[i].stride;
        }
    }
    return import_stride_parse(type);
}

/* Sets the STRIDE category of threat t from its type and method. */
static void read_type(struct import_ctx *ctx, size_t t, const char *type,
                      const char *method, const struct import_at *at)
{
    struct model_threat *threat = &ctx->model->threats[t];
    struct strbuf what = STRBUF_INIT;
    int stride;

    if (!type || !type[0])
        return;
    stride = stride_of_type(type, method);
    if (stride >= 0) {
        threat->stride_mask |= 1u << stride;
        return;
    }
    sb_addf(&what, "%s%stype", method ? method : "", method ? " " : "");
    import_keep(ctx, t, what.buf, type, at);
    sb_release(&what);
}

/* Sets the risk before mitigation of threat t from its severity. */
static void read_severity(struct import_ctx *ctx, size_t t,
                          const char *severity, const struct import_at *at)
{
    struct model_threat *threat = &ctx->model->threats[t];
    struct strbuf word = STRBUF_INIT;

    if (!severity || !severity[0] || strcmp(severity, "TBD") == 0)
        return;
    for (const char *p = severity; *p; p++)
        sb_addc(&word, (char)(*p >= 'A' && *p <= 'Z' ? *p | 0x20 : *p));
    if (risk_level_parse(word.buf) > 0) {
        threat->risk_before.text = sb_detach(&word);
        return;
    }
    sb_release(&word);
    import_keep(ctx, t, "severity", severity, at);
}

/* Notes what the model has no key for: the score, the scope. */
static void note_extras(struct import_ctx *ctx, size_t t, const json_t *obj,
                        const struct cell *cell, const struct import_at *at)
{
    struct model_threat *threat = &ctx->model->threats[t];
    const json_t *score = json_object_get(obj, "score");
    char *text = json_is_string(score) ? import_text(json_string_value(score))
                                       : NULL;

    if (text) {
        import_keep(ctx, t, "score", text, at);
        free(text);
    }
    if (cell->out_of_scope) {
        text = import_text(cell->reason_out_of_scope);
        import_note(&threat->origin,
                    "Its element is marked out of scope in Threat "
                    "Dragon%s%s.",
                    text ? ": " : "", text ? text : "");
        free(text);
    }
}

/*
 * The threat's mitigation text: a mitigation of its own, or, for a
 * threat that is not applicable, the rationale (returned).
 */
static char *read_mitigation(struct import_ctx *ctx, size_t t,
                             const char *mitigation, enum import_status status,
                             const struct import_at *at)
{
    char *text = import_text(mitigation);
    char *owner;
    long m;

    if (!text || status == IMPORT_NOT_APPLICABLE)
        return text;
    owner = xstrdup(ctx->model->threats[t].id);
    m = import_add_text_mitigation(ctx, owner, "threat", text, at);
    if (m >= 0) {
        import_link(ctx, t, (size_t)m);
        import_infer_control(ctx, (size_t)m, ctx->model->threats[t].stride_mask,
                             at);
    }
    free(owner);
    free(text);
    return NULL;
}

static void read_threat(struct import_ctx *ctx, const json_t *obj,
                        const struct cell *cell, const char *path)
{
    struct import_at at = {path, {0, 0, 0, 0}};
    const char *id, *title, *status_word, *rationale_text;
    enum import_status status = IMPORT_OPEN;
    struct strbuf seed = STRBUF_INIT;
    struct model_threat *threat;
    char *rationale;
    long t;

    if (!json_is_object(obj)) {
        import_error(ctx, &at,
                     "expected an object for each threat, found "
                     "something else");
        return;
    }
    id = import_json_string(ctx, obj, "id", path, WHAT_THREAT, 0);
    if (!id || !id[0])
        id = import_json_string(ctx, obj, "threatId", path, WHAT_THREAT, 0);
    title = import_json_text(ctx, obj, "title", path, WHAT_THREAT);
    status_word = import_json_text(ctx, obj, "status", path, WHAT_THREAT);
    if (!title || !status_word)
        return;
    sb_addf(&seed, "%s\n%s", cell->id ? cell->id : "", title);
    t = import_add_threat(ctx, id && id[0] ? id : NULL, seed.buf, &at);
    sb_release(&seed);
    if (t < 0)
        return;
    threat = &ctx->model->threats[t];
    threat->title = import_text(title);
    threat->description = import_text(
            import_json_string(ctx, obj, "description", path, WHAT_THREAT, 0));
    if (cell->name)
        import_strings_add(&threat->assets, cell->name);
    read_type(ctx, (size_t)t,
              import_json_string(ctx, obj, "type", path, WHAT_THREAT, 0),
              import_json_string(ctx, obj, "modelType", path, WHAT_THREAT, 0),
              &at);
    read_severity(
            ctx, (size_t)t,
            import_json_string(ctx, obj, "severity", path, WHAT_THREAT, 0),
            &at);
    note_extras(ctx, (size_t)t, obj, cell, &at);
    if (!import_read_status(status_word, statuses,
                            sizeof(statuses) / sizeof(*statuses), &status)) {
        import_note(&ctx->model->threats[t].origin,
                    "Its status in Threat Dragon is '%s', read as Open.",
                    status_word);
        import_warn(ctx, &at,
                    "unknown status '%s' of threat '%s' (expected Open, "
                    "Mitigated or NA); read as Open",
                    status_word, ctx->model->threats[t].id);
    }
    rationale_text =
            import_json_string(ctx, obj, "mitigation", path, WHAT_THREAT, 0);
    rationale = read_mitigation(ctx, (size_t)t, rationale_text, status, &at);
    import_apply_status(ctx, (size_t)t, status, status_word, rationale, NULL,
                        &at);
    free(rationale);
}

/* Reads the threats of one cell. */
static void read_cell(struct import_ctx *ctx, const json_t *obj,
                      const char *path)
{
    struct import_at at = {path, {0, 0, 0, 0}};
    const json_t *data, *threats, *value;
    char *data_path, *threats_path;
    struct cell cell;
    size_t i;

    if (!json_is_object(obj)) {
        import_error(ctx, &at, "expected an object for each cell");
        return;
    }
    data = import_json_member(ctx, obj, "data", JSON_OBJECT, path,
                              "Threat Dragon cell", 0);
    if (!data)
        return;
    data_path = import_json_key_path(path, "data");
    memset(&cell, 0, sizeof(cell));
    cell.id = import_json_string(ctx, obj, "id", path, "Threat Dragon cell", 0);
    cell.name = import_text(import_json_string(ctx, data, "name", data_path,
                                               "Threat Dragon cell", 0));
    for (char *p = cell.name; p && *p; p++) {
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
    }
    cell.out_of_scope = json_is_true(json_object_get(data, "outOfScope"));
    cell.reason_out_of_scope = import_json_string(
            ctx, data, "reasonOutOfScope", data_path, "Threat Dragon cell", 0);
    threats = import_json_member(ctx, data, "threats", JSON_ARRAY, data_path,
                                 "Threat Dragon cell", 0);
    threats_path = import_json_key_path(data_path, "threats");
    json_array_foreach(threats, i, value)
    {
        char *threat_path = import_json_index_path(threats_path, i);

        read_threat(ctx, value, &cell, threat_path);
        free(threat_path);
    }
    free(threats_path);
    free(data_path);
    free(cell.name);
}

/* Reads the cells of one diagram; a v1 diagram is refused. */
static void read_diagram(struct import_ctx *ctx, const json_t *obj,
                         const char *path)
{
    struct import_at at = {path, {0, 0, 0, 0}};
    const json_t *cells, *value;
    char *cells_path;
    size_t i;

    if (!json_is_object(obj)) {
        import_error(ctx, &at, "expected an object for each diagram");
        return;
    }
    if (json_object_get(obj, "diagramJson")) {
        import_error(ctx, &at,
                     "this is a Threat Dragon v1 diagram; open the model in "
                     "Threat Dragon 2 and save it to convert it to v2");
        return;
    }
    cells = import_json_member(ctx, obj, "cells", JSON_ARRAY, path,
                               "Threat Dragon diagram", 0);
    cells_path = import_json_key_path(path, "cells");
    json_array_foreach(cells, i, value)
    {
        char *cell_path = import_json_index_path(cells_path, i);

        read_cell(ctx, value, cell_path);
        free(cell_path);
    }
    free(cells_path);
}

/*
 * Checks that root is a Threat Dragon v2 model. Returns 0 after saying
 * which format it looks like when it is not.
 */
static int check_format(struct import_ctx *ctx, const json_t *root)
{
    if (json_object_get(root, "summary") && json_object_get(root, "detail"))
        return 1;
    if (json_object_get(root, "otmVersion"))
        import_error(ctx, NULL,
                     "not a Threat Dragon model: it has 'otmVersion', so it "
                     "is an Open Threat Model; use --from otm");
    else
        import_error(ctx, NULL,
                     "not a Threat Dragon v2 model: it has no 'summary' and "
                     "'detail' at the top; save the model from Threat "
                     "Dragon 2");
    return 0;
}

static void read_model(struct import_ctx *ctx, const json_t *root)
{
    const json_t *summary, *detail, *diagrams, *value;
    size_t i;

    if (!check_format(ctx, root))
        return;
    summary = import_json_member(ctx, root, "summary", JSON_OBJECT, "",
                                 "the Threat Dragon model", 1);
    detail = import_json_member(ctx, root, "detail", JSON_OBJECT, "",
                                "the Threat Dragon model", 1);
    if (summary)
        ctx->model->system_name = import_text(import_json_text(
                ctx, summary, "title", ".summary", "the model's summary"));
    if (!detail)
        return;
    diagrams = import_json_member(ctx, detail, "diagrams", JSON_ARRAY,
                                  ".detail", "the model's detail", 1);
    json_array_foreach(diagrams, i, value)
    {
        char *path = import_json_index_path(".detail.diagrams", i);

        read_diagram(ctx, value, path);
        free(path);
    }
}

struct model *import_threat_dragon_parse(const char *buf, size_t len,
                                         const char *name,
                                         struct mt_errors *warnings,
                                         struct mt_errors *errs)
{
    struct import_ctx ctx;
    json_t *root;

    import_begin(&ctx, IMPORT_THREAT_DRAGON, name, warnings, errs);
    root = import_json_parse(&ctx, buf, len);
    if (root) {
        read_model(&ctx, root);
        json_decref(root);
    }
    return import_finish(&ctx);
}
