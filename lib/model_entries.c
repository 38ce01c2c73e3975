/* model_entries.c: reading one threat or one mitigation of the model. */
#include "model_internal.h"

#include <stdlib.h>
#include <string.h>

enum threat_key {
    THREAT_ID,
    THREAT_TITLE,
    THREAT_DESCRIPTION,
    THREAT_STRIDE,
    THREAT_CWE,
    THREAT_CAPEC,
    THREAT_ASSETS,
    THREAT_RISK,
    THREAT_MITIGATIONS,
    THREAT_ACCEPTED,
    THREAT_ORIGIN,
};
static const char *const threat_keys[] = {
        "id",     "title", "description", "stride",   "cwe",    "capec",
        "assets", "risk",  "mitigations", "accepted", "origin",
};

enum risk_key { RISK_KEY_BEFORE, RISK_KEY_AFTER };
static const char *const risk_keys[] = {"before", "after"};

enum accepted_key { ACCEPTED_RATIONALE, ACCEPTED_BY, ACCEPTED_UNTIL };
static const char *const accepted_keys[] = {"rationale", "by", "until"};

enum mitigation_key {
    MITIGATION_ID,
    MITIGATION_TITLE,
    MITIGATION_DESCRIPTION,
    MITIGATION_CONTROL,
    MITIGATION_REQUIREMENTS,
    MITIGATION_IMPLEMENTED_BY,
    MITIGATION_TESTS,
    MITIGATION_ORIGIN,
};
static const char *const mitigation_keys[] = {
        "id",           "title",          "description", "control",
        "requirements", "implemented_by", "tests",       "origin",
};

enum origin_key { ORIGIN_TOOL, ORIGIN_ID, ORIGIN_NOTE };
static const char *const origin_keys[] = {"tool", "id", "note"};

enum test_key { TEST_KEY_ID, TEST_KEY_KIND, TEST_KEY_TITLE, TEST_KEY_RESULT };
static const char *const test_keys[] = {"id", "kind", "title", "result"};

/* Values */

/* "<kind> '<id>'" when map has a string id, else "<kind>", into sb. */
static void add_label(struct strbuf *sb, const struct ynode *map,
                      const char *kind)
{
    const struct ynode *id = ynode_get(map, "id");

    if (id && id->type == YNODE_SCALAR && id->value[0])
        sb_addf(sb, "%s '%s'", kind, id->value);
    else
        sb_adds(sb, kind);
}

/*
 * Reads the ID in f, the ID of a <what> ("threat"), and records it in
 * index: reports an ID that breaks the syntax of IDs or was defined
 * before. Returns a copy (kept even when reported) or NULL.
 */
static char *read_id(struct loader *ld, const struct yfield *f,
                     const char *what, const char *where,
                     struct model_ids *index, struct mt_pos *pos)
{
    const char *text = yfield_string(&ld->rep, f, where);
    const struct model_id *first;
    char *id;

    if (!text)
        return NULL;
    *pos = f->value->pos;
    if (!id_is_valid(text))
        yreport_error(&ld->rep, pos,
                      "invalid %s ID '%s' (use 1 to 64 letters, digits, "
                      "'-', '_' or '.', starting with a letter or digit)",
                      what, text);
    id = xstrdup(text);
    first = model_ids_add(index, id, pos);
    if (first)
        yreport_error(&ld->rep, pos,
                      "duplicate %s ID '%s' (first defined at line %u, "
                      "column %u)",
                      what, id, first->pos.line, first->pos.column);
    return id;
}

/* Whether s is prefix followed by one or more digits ("CWE-307"). */
static int is_numbered(const char *s, const char *prefix)
{
    size_t n = strlen(prefix);

    if (strncmp(s, prefix, n) != 0 || !s[n])
        return 0;
    return strspn(s + n, "0123456789") == strlen(s + n);
}

/* Whether s is a C identifier. */
static int is_c_identifier(const char *s)
{
    static const char word_chars[] = "abcdefghijklmnopqrstuvwxyz"
                                     "ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789";

    if (!*s || (*s >= '0' && *s <= '9'))
        return 0;
    return strspn(s, word_chars) == strlen(s);
}

/*
 * Whether s is a CVSS base score: 0.0 to 10.0, one or two digits with an
 * optional fraction. Checked by hand so that the locale does not matter.
 */
static int is_cvss_score(const char *s)
{
    size_t whole = strspn(s, "0123456789");
    size_t fraction = 0;

    if (whole == 0 || whole > 2)
        return 0;
    if (s[whole] == '.') {
        fraction = strspn(s + whole + 1, "0123456789");
        if (fraction == 0)
            return 0;
    }
    if (s[whole + (fraction ? fraction + 1 : 0)] != '\0')
        return 0;
    if (whole == 1 || s[0] == '0')
        return 1;
    /* Two digits: only 10, with a fraction of zeros. */
    return s[0] == '1' && s[1] == '0' &&
           (!fraction || strspn(s + 3, "0") == fraction);
}

void model_strings_release(struct model_strings *s)
{
    for (size_t i = 0; i < s->count; i++)
        free(s->items[i]);
    free(s->items);
    free(s->pos);
    memset(s, 0, sizeof(*s));
}

/*
 * Reads the 'origin' mapping {tool, id, note} of the item that where
 * names; only 'tool' is required.
 */
static void read_origin(struct loader *ld, const struct yfield *f,
                        const char *item_where, struct model_origin *origin)
{
    struct yfield fields[COUNT(origin_keys)];
    struct strbuf where = STRBUF_INIT;

    if (!yfield_is_mapping(&ld->rep, f, item_where))
        return;
    sb_addf(&where, "'origin' of %s", item_where);
    yfield_read_keys(&ld->rep, f->value, where.buf, origin_keys,
                     COUNT(origin_keys), fields);
    yfield_require(&ld->rep, f->value, where.buf, "tool", &fields[ORIGIN_TOOL]);
    origin->pos = f->value->pos;
    origin->tool = yfield_strdup(&ld->rep, &fields[ORIGIN_TOOL], where.buf);
    origin->id = yfield_strdup(&ld->rep, &fields[ORIGIN_ID], where.buf);
    origin->note = yfield_strdup(&ld->rep, &fields[ORIGIN_NOTE], where.buf);
    sb_release(&where);
}

/* Threats */

/* The STRIDE categories listed in f, as a mask. */
static unsigned read_stride(struct loader *ld, const struct yfield *f,
                            const char *where)
{
    struct model_strings words = {NULL, NULL, 0};
    unsigned mask = 0;

    yfield_strings(&ld->rep, f, where, &words);
    for (size_t i = 0; i < words.count; i++) {
        int k = stride_parse(words.items[i]);

        if (k >= 0)
            mask |= 1u << k;
        else
            yreport_unknown(&ld->rep, &words.pos[i], "stride category",
                            words.items[i], where, stride_names, STRIDE_COUNT);
    }
    model_strings_release(&words);
    return mask;
}

/*
 * Reads a list of numbered catalogue IDs ("CWE-307", "CAPEC-49") into
 * out, reporting each that is not prefix and a number.
 */
static void read_numbered(struct loader *ld, const struct yfield *f,
                          const char *where, const char *catalogue,
                          const char *example, struct model_strings *out)
{
    struct strbuf prefix = STRBUF_INIT;

    sb_addf(&prefix, "%s-", catalogue);
    yfield_strings(&ld->rep, f, where, out);
    for (size_t i = 0; i < out->count; i++) {
        if (is_numbered(out->items[i], prefix.buf))
            continue;
        yreport_error(&ld->rep, &out->pos[i],
                      "invalid %s ID '%s' in %s (expected %s followed by a "
                      "number, like %s)",
                      catalogue, out->items[i], where, prefix.buf, example);
    }
    sb_release(&prefix);
}

/* Reads one risk rating: a level word or a CVSS score. */
static void read_rating(struct loader *ld, const struct yfield *f,
                        const char *where, struct model_risk *risk)
{
    const char *text = yfield_string(&ld->rep, f, where);
    const char *nearest;

    if (!text)
        return;
    if (risk_level_parse(text) >= 0 || is_cvss_score(text)) {
        risk->text = xstrdup(text);
        risk->pos = f->value->pos;
        return;
    }
    nearest = suggest_nearest(text, risk_level_names, RISK_LEVEL_COUNT);
    if (nearest)
        yreport_error(&ld->rep, &f->value->pos,
                      "invalid risk '%s' for '%s' in %s (did you mean "
                      "'%s'?)",
                      text, f->key->value, where, nearest);
    else
        yreport_error(&ld->rep, &f->value->pos,
                      "invalid risk '%s' for '%s' in %s (expected none, low, "
                      "medium, high, critical or a CVSS score from 0.0 to "
                      "10.0)",
                      text, f->key->value, where);
}

/* Reads the risk mapping {before, after} of threat t. */
static void read_risk(struct loader *ld, const struct yfield *f,
                      const char *threat_where, struct model_threat *t)
{
    struct yfield fields[COUNT(risk_keys)];
    struct strbuf where = STRBUF_INIT;

    if (!yfield_is_mapping(&ld->rep, f, threat_where))
        return;
    sb_addf(&where, "'risk' of %s", threat_where);
    yfield_read_keys(&ld->rep, f->value, where.buf, risk_keys, COUNT(risk_keys),
                     fields);
    read_rating(ld, &fields[RISK_KEY_BEFORE], where.buf, &t->risk_before);
    read_rating(ld, &fields[RISK_KEY_AFTER], where.buf, &t->risk_after);
    sb_release(&where);
}

/* Reads an acceptance of the risk; every key of it is required. */
static struct model_acceptance *read_accepted(struct loader *ld,
                                              const struct yfield *f,
                                              const char *threat_where)
{
    struct yfield fields[COUNT(accepted_keys)];
    struct strbuf where = STRBUF_INIT;
    struct model_acceptance *a;
    const struct yfield *until = &fields[ACCEPTED_UNTIL];

    if (!yfield_is_mapping(&ld->rep, f, threat_where))
        return NULL;
    sb_addf(&where, "'accepted' of %s", threat_where);
    yfield_read_keys(&ld->rep, f->value, where.buf, accepted_keys,
                     COUNT(accepted_keys), fields);
    for (size_t i = 0; i < COUNT(accepted_keys); i++)
        yfield_require(&ld->rep, f->value, where.buf, accepted_keys[i],
                       &fields[i]);

    a = xcalloc(1, sizeof(*a));
    a->pos = f->value->pos;
    a->rationale =
            yfield_strdup(&ld->rep, &fields[ACCEPTED_RATIONALE], where.buf);
    a->by = yfield_strdup(&ld->rep, &fields[ACCEPTED_BY], where.buf);
    a->until = yfield_strdup(&ld->rep, until, where.buf);
    a->until_days = -1;
    if (a->until) {
        a->until_pos = until->value->pos;
        a->until_days = date_to_days(a->until);
        if (a->until_days < 0)
            yreport_error(&ld->rep, &a->until_pos,
                          "invalid date '%s' for 'until' in %s (expected a "
                          "calendar date as YYYY-MM-DD)",
                          a->until, where.buf);
    }
    sb_release(&where);
    return a;
}

void model_read_threat(struct loader *ld, const struct ynode *map,
                       struct model_threat *t)
{
    struct yfield f[COUNT(threat_keys)];
    struct strbuf label = STRBUF_INIT;
    const char *where;

    if (map->type != YNODE_MAPPING) {
        yreport_error(&ld->rep, &map->pos,
                      "expected a mapping for each entry of 'threats', "
                      "found %s",
                      ynode_describe(map));
        return;
    }
    t->pos = map->pos;
    add_label(&label, map, "threat");
    where = label.buf;
    yfield_read_keys(&ld->rep, map, where, threat_keys, COUNT(threat_keys), f);
    yfield_require(&ld->rep, map, where, "id", &f[THREAT_ID]);
    yfield_require(&ld->rep, map, where, "title", &f[THREAT_TITLE]);

    t->id = read_id(ld, &f[THREAT_ID], "threat", where, &ld->threat_ids,
                    &t->id_pos);
    t->title = yfield_strdup(&ld->rep, &f[THREAT_TITLE], where);
    t->description = yfield_strdup(&ld->rep, &f[THREAT_DESCRIPTION], where);
    t->stride_mask = read_stride(ld, &f[THREAT_STRIDE], where);
    read_numbered(ld, &f[THREAT_CWE], where, "CWE", "CWE-307", &t->cwe);
    read_numbered(ld, &f[THREAT_CAPEC], where, "CAPEC", "CAPEC-49", &t->capec);
    yfield_strings(&ld->rep, &f[THREAT_ASSETS], where, &t->assets);
    read_risk(ld, &f[THREAT_RISK], where, t);
    yfield_strings(&ld->rep, &f[THREAT_MITIGATIONS], where, &t->mitigations);
    t->accepted = read_accepted(ld, &f[THREAT_ACCEPTED], where);
    read_origin(ld, &f[THREAT_ORIGIN], where, &t->origin);
    sb_release(&label);
}

/* Mitigations */

/* Reads one entry of a mitigation's 'tests' into t. */
static void read_test(struct loader *ld, const struct ynode *map,
                      const char *mitigation_where, struct model_test *t)
{
    struct yfield f[COUNT(test_keys)];
    struct strbuf where = STRBUF_INIT;
    struct mt_pos id_pos;
    int kind;

    if (map->type != YNODE_MAPPING) {
        yreport_error(&ld->rep, &map->pos,
                      "expected a mapping for each entry of 'tests' in %s, "
                      "found %s",
                      mitigation_where, ynode_describe(map));
        return;
    }
    t->pos = map->pos;
    add_label(&where, map, "test");
    sb_addf(&where, " of %s", mitigation_where);
    yfield_read_keys(&ld->rep, map, where.buf, test_keys, COUNT(test_keys), f);
    yfield_require(&ld->rep, map, where.buf, "id", &f[TEST_KEY_ID]);
    yfield_require(&ld->rep, map, where.buf, "kind", &f[TEST_KEY_KIND]);
    yfield_require(&ld->rep, map, where.buf, "title", &f[TEST_KEY_TITLE]);

    t->id = read_id(ld, &f[TEST_KEY_ID], "test", where.buf, &ld->test_ids,
                    &id_pos);
    kind = yfield_enum(&ld->rep, &f[TEST_KEY_KIND], where.buf, "test kind",
                       test_kind_names, TEST_KIND_COUNT);
    if (kind >= 0)
        t->kind = (enum test_kind)kind;
    t->title = yfield_strdup(&ld->rep, &f[TEST_KEY_TITLE], where.buf);
    t->result = yfield_strdup(&ld->rep, &f[TEST_KEY_RESULT], where.buf);
    sb_release(&where);
}

/* Reads the 'tests' list of mitigation m. */
static void read_tests(struct loader *ld, const struct yfield *f,
                       const char *where, struct model_mitigation *m)
{
    const struct ynode *list = f->value;

    if (!yfield_is_list(&ld->rep, f, where))
        return;
    m->tests = xcalloc(list->count, sizeof(*m->tests));
    m->test_count = list->count;
    for (size_t i = 0; i < list->count; i++)
        read_test(ld, list->items[i], where, &m->tests[i]);
}

/* Reads 'implemented_by', reporting names that are not C identifiers. */
static void read_implemented_by(struct loader *ld, const struct yfield *f,
                                const char *where, struct model_strings *out)
{
    yfield_strings(&ld->rep, f, where, out);
    for (size_t i = 0; i < out->count; i++) {
        if (is_c_identifier(out->items[i]))
            continue;
        yreport_error(&ld->rep, &out->pos[i],
                      "invalid function name '%s' in 'implemented_by' of %s "
                      "(expected a C identifier)",
                      out->items[i], where);
    }
}

void model_read_mitigation(struct loader *ld, const struct ynode *map,
                           struct model_mitigation *m)
{
    struct yfield f[COUNT(mitigation_keys)];
    struct strbuf label = STRBUF_INIT;
    const char *where;
    int control;

    if (map->type != YNODE_MAPPING) {
        yreport_error(&ld->rep, &map->pos,
                      "expected a mapping for each entry of 'mitigations', "
                      "found %s",
                      ynode_describe(map));
        return;
    }
    m->pos = map->pos;
    add_label(&label, map, "mitigation");
    where = label.buf;
    yfield_read_keys(&ld->rep, map, where, mitigation_keys,
                     COUNT(mitigation_keys), f);
    yfield_require(&ld->rep, map, where, "id", &f[MITIGATION_ID]);
    yfield_require(&ld->rep, map, where, "title", &f[MITIGATION_TITLE]);
    yfield_require(&ld->rep, map, where, "control", &f[MITIGATION_CONTROL]);

    m->id = read_id(ld, &f[MITIGATION_ID], "mitigation", where,
                    &ld->mitigation_ids, &m->id_pos);
    m->title = yfield_strdup(&ld->rep, &f[MITIGATION_TITLE], where);
    m->description = yfield_strdup(&ld->rep, &f[MITIGATION_DESCRIPTION], where);
    control = yfield_enum(&ld->rep, &f[MITIGATION_CONTROL], where, "control",
                          control_names, CONTROL_COUNT);
    if (control >= 0)
        m->control = (enum control)control;
    yfield_strings(&ld->rep, &f[MITIGATION_REQUIREMENTS], where,
                   &m->requirements);
    read_implemented_by(ld, &f[MITIGATION_IMPLEMENTED_BY], where,
                        &m->implemented_by);
    read_tests(ld, &f[MITIGATION_TESTS], where, m);
    read_origin(ld, &f[MITIGATION_ORIGIN], where, &m->origin);
    sb_release(&label);
}
