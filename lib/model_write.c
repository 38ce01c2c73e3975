/*
 * model_write.c: a model as schema-1 YAML, through libyaml's emitter.
 *
 * The keys come in the order docs/threat-model.md lists them, empty
 * lists and absent values are left out, and the emitter chooses the
 * quoting: a string is only written plain when it would read back as
 * that string, not as a number, a boolean or null.
 */
#include "model.h"

#include <stdio.h>
#include <string.h>
#include <yaml.h>

/* The emitter and whether every event so far was accepted. */
struct writer {
    yaml_emitter_t emitter;
    int failed;
};

/* libyaml's output handler: appends to the strbuf in data. */
static int append_output(void *data, unsigned char *buf, size_t size)
{
    sb_add(data, (const char *)buf, size);
    return 1;
}

/* Emits ev; after the first failure every later event is skipped. */
static void emit(struct writer *w, yaml_event_t *ev, int initialized)
{
    if (!initialized || w->failed) {
        if (initialized)
            yaml_event_delete(ev);
        w->failed = 1;
        return;
    }
    if (!yaml_emitter_emit(&w->emitter, ev))
        w->failed = 1;
}

/*
 * Whether s written plain would be read as something other than a
 * string by a YAML 1.1 or 1.2 reader: empty, null, a boolean, or
 * anything that starts like a number (which quotes a few strings that
 * did not need it, never the reverse).
 */
static int plain_reads_as_other(const char *s)
{
    static const char *const words[] = {
            "~",     "null",  "Null",  "NULL", "true", "True", "TRUE",
            "false", "False", "FALSE", "yes",  "Yes",  "YES",  "no",
            "No",    "NO",    "on",    "On",   "ON",   "off",  "Off",
            "OFF",   "y",     "Y",     "n",    "N",
    };
    const char *p = s;

    if (!*s)
        return 1;
    for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++) {
        if (strcmp(s, words[i]) == 0)
            return 1;
    }
    if (*p == '+' || *p == '-')
        p++;
    if (*p == '.')
        p++;
    if ((*p >= '0' && *p <= '9') || (p > s && *p && strchr("iInN", *p)))
        return strcspn(s, " \t") == strlen(s);
    return 0;
}

static void emit_scalar(struct writer *w, const char *s,
                        yaml_scalar_style_t style)
{
    yaml_event_t ev;
    int plain =
            style == YAML_PLAIN_SCALAR_STYLE || style == YAML_ANY_SCALAR_STYLE;

    emit(w, &ev,
         yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s,
                                      (int)strlen(s), plain, 1, style));
}

/* A string value: literal block when it has lines, quoted if it must. */
static void emit_string(struct writer *w, const char *s)
{
    if (strchr(s, '\n'))
        emit_scalar(w, s, YAML_LITERAL_SCALAR_STYLE);
    else if (plain_reads_as_other(s))
        emit_scalar(w, s, YAML_SINGLE_QUOTED_SCALAR_STYLE);
    else
        emit_scalar(w, s, YAML_ANY_SCALAR_STYLE);
}

static void emit_key(struct writer *w, const char *key)
{
    emit_scalar(w, key, YAML_PLAIN_SCALAR_STYLE);
}

/* "key: value" when value is not NULL. */
static void emit_pair(struct writer *w, const char *key, const char *value)
{
    if (!value)
        return;
    emit_key(w, key);
    emit_string(w, value);
}

static void begin_mapping(struct writer *w)
{
    yaml_event_t ev;

    emit(w, &ev,
         yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
                                             YAML_BLOCK_MAPPING_STYLE));
}

static void end_mapping(struct writer *w)
{
    yaml_event_t ev;

    emit(w, &ev, yaml_mapping_end_event_initialize(&ev));
}

static void begin_sequence(struct writer *w, yaml_sequence_style_t style)
{
    yaml_event_t ev;

    emit(w, &ev,
         yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, style));
}

static void end_sequence(struct writer *w)
{
    yaml_event_t ev;

    emit(w, &ev, yaml_sequence_end_event_initialize(&ev));
}

/* "key: [a, b]" for a list of count words, when it has any. */
static void emit_words(struct writer *w, const char *key,
                       const char *const *words, size_t count)
{
    if (!count)
        return;
    emit_key(w, key);
    begin_sequence(w, YAML_FLOW_SEQUENCE_STYLE);
    for (size_t i = 0; i < count; i++)
        emit_string(w, words[i]);
    end_sequence(w);
}

static void emit_strings(struct writer *w, const char *key,
                         const struct model_strings *list)
{
    emit_words(w, key, (const char *const *)list->items, list->count);
}

static void emit_stride(struct writer *w, unsigned mask)
{
    const char *words[STRIDE_COUNT];
    size_t count = 0;

    for (int k = 0; k < STRIDE_COUNT; k++) {
        if (mask & (1u << k))
            words[count++] = stride_names[k];
    }
    emit_words(w, "stride", words, count);
}

static void emit_origin(struct writer *w, const struct model_origin *origin)
{
    if (!origin->tool)
        return;
    emit_key(w, "origin");
    begin_mapping(w);
    emit_pair(w, "tool", origin->tool);
    emit_pair(w, "id", origin->id);
    emit_pair(w, "note", origin->note);
    end_mapping(w);
}

static void emit_threat(struct writer *w, const struct model_threat *t)
{
    const struct model_acceptance *a = t->accepted;

    begin_mapping(w);
    emit_pair(w, "id", t->id);
    emit_pair(w, "title", t->title);
    emit_pair(w, "description", t->description);
    emit_stride(w, t->stride_mask);
    emit_strings(w, "cwe", &t->cwe);
    emit_strings(w, "capec", &t->capec);
    emit_strings(w, "assets", &t->assets);
    if (t->risk_before.text || t->risk_after.text) {
        emit_key(w, "risk");
        begin_mapping(w);
        emit_pair(w, "before", t->risk_before.text);
        emit_pair(w, "after", t->risk_after.text);
        end_mapping(w);
    }
    emit_strings(w, "mitigations", &t->mitigations);
    if (a) {
        emit_key(w, "accepted");
        begin_mapping(w);
        emit_pair(w, "rationale", a->rationale);
        emit_pair(w, "by", a->by);
        emit_pair(w, "until", a->until);
        end_mapping(w);
    }
    emit_origin(w, &t->origin);
    end_mapping(w);
}

static void emit_test(struct writer *w, const struct model_test *t)
{
    begin_mapping(w);
    emit_pair(w, "id", t->id);
    emit_pair(w, "kind", test_kind_name(t->kind));
    emit_pair(w, "title", t->title);
    emit_pair(w, "result", t->result);
    end_mapping(w);
}

static void emit_mitigation(struct writer *w, const struct model_mitigation *m)
{
    begin_mapping(w);
    emit_pair(w, "id", m->id);
    emit_pair(w, "title", m->title);
    emit_pair(w, "description", m->description);
    emit_pair(w, "control", control_names[m->control]);
    emit_strings(w, "requirements", &m->requirements);
    emit_strings(w, "implemented_by", &m->implemented_by);
    if (m->test_count) {
        emit_key(w, "tests");
        begin_sequence(w, YAML_BLOCK_SEQUENCE_STYLE);
        for (size_t i = 0; i < m->test_count; i++)
            emit_test(w, &m->tests[i]);
        end_sequence(w);
    }
    emit_origin(w, &m->origin);
    end_mapping(w);
}

/* The document: the top-level mapping and everything in it. */
static void emit_model(struct writer *w, const struct model *model)
{
    char version[16];

    snprintf(version, sizeof(version), "%d", MODEL_SCHEMA_VERSION);
    begin_mapping(w);
    emit_key(w, "mitigate");
    emit_scalar(w, version, YAML_PLAIN_SCALAR_STYLE);
    if (model->system_name || model->system_version) {
        emit_key(w, "system");
        begin_mapping(w);
        emit_pair(w, "name", model->system_name);
        emit_pair(w, "version", model->system_version);
        end_mapping(w);
    }
    if (model->threat_count) {
        emit_key(w, "threats");
        begin_sequence(w, YAML_BLOCK_SEQUENCE_STYLE);
        for (size_t i = 0; i < model->threat_count; i++)
            emit_threat(w, &model->threats[i]);
        end_sequence(w);
    }
    if (model->mitigation_count) {
        emit_key(w, "mitigations");
        begin_sequence(w, YAML_BLOCK_SEQUENCE_STYLE);
        for (size_t i = 0; i < model->mitigation_count; i++)
            emit_mitigation(w, &model->mitigations[i]);
        end_sequence(w);
    }
    end_mapping(w);
}

int model_write(const struct model *model, struct strbuf *out,
                struct mt_errors *errs)
{
    struct writer w;
    yaml_event_t ev;
    size_t len_before = out->len;

    memset(&w, 0, sizeof(w));
    if (!yaml_emitter_initialize(&w.emitter)) {
        mt_error_add(errs, model->path, NULL, "cannot start the YAML emitter");
        return -1;
    }
    yaml_emitter_set_output(&w.emitter, append_output, out);
    yaml_emitter_set_unicode(&w.emitter, 1);
    yaml_emitter_set_indent(&w.emitter, 2);
    /* One line per value: a change to one word never reflows others. */
    yaml_emitter_set_width(&w.emitter, -1);

    emit(&w, &ev, yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING));
    emit(&w, &ev,
         yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1));
    emit_model(&w, model);
    emit(&w, &ev, yaml_document_end_event_initialize(&ev, 1));
    emit(&w, &ev, yaml_stream_end_event_initialize(&ev));
    if (!w.failed && !yaml_emitter_flush(&w.emitter))
        w.failed = 1;
    if (w.failed) {
        mt_error_add(errs, model->path, NULL, "cannot write the model: %s",
                     w.emitter.problem ? w.emitter.problem
                                       : "the YAML emitter failed");
        out->len = len_before;
        if (out->buf)
            out->buf[len_before] = '\0';
    }
    yaml_emitter_delete(&w.emitter);
    return w.failed ? -1 : 0;
}
