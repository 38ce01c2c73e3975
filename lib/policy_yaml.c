/*
 * policy_yaml.c: policy_load(): policy.yaml read strictly onto the
 * default policy, with a team's own banned-pattern rules appended.
 */
#include "policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_yaml.h"

#define POLICY_SCHEMA_VERSION 1
/* Larger files are refused unread: no real policy comes near. */
#define POLICY_MAX_SIZE ((size_t)1 << 20)
/* The highest argument index a format pattern may name. */
#define POLICY_MAX_ARG 31

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

enum top_key { TOP_VERSION, TOP_RULES, TOP_CUSTOM };
static const char *const top_keys[] = {"mitigate-policy", "rules", "custom"};

enum override_key { SET_LEVEL, SET_ENABLED, SET_SCOPE };
static const char *const override_keys[] = {"level", "enabled", "scope"};

enum custom_key {
    CUSTOM_ID,
    CUSTOM_NAME,
    CUSTOM_KIND,
    CUSTOM_PATTERNS,
    CUSTOM_LEVEL,
    CUSTOM_SCOPE,
    CUSTOM_CWE,
    CUSTOM_SHORT,
    CUSTOM_HELP,
    CUSTOM_FULL,
    CUSTOM_SEVERITY,
    CUSTOM_PRECISION,
};
static const char *const custom_keys[] = {
        "id",  "name",  "kind", "patterns", "level",    "scope",
        "cwe", "short", "help", "full",     "severity", "precision",
};

/* Index i is enum level i + 1. */
static const char *const level_words[] = {"note", "warning", "error"};
/* Index i is scope bit 1 << i. */
static const char *const scope_words[] = {"mitigation", "changed",
                                          "everywhere"};
static const char *const kind_words[] = {"call", "macro", "format"};
static const enum match_kind kind_matches[] = {MATCH_CALL, MATCH_MACRO,
                                               MATCH_FORMAT};
static const char *const precision_words[] = {"very-high", "high", "medium",
                                              "low"};

/* The state of one policy_load(). */
struct policy_loader {
    struct yreport rep;
    struct policy *policy;
};

/* Scopes */

/*
 * Adds the scope scalar node names to *mask; reports a value that is not
 * a scope word, or one named twice.
 */
static void add_scope(const struct yreport *rep, const struct ynode *node,
                      const char *where, unsigned *mask)
{
    int k = -1;

    if (node->type != YNODE_SCALAR || ynode_is_null(node) || !node->value[0]) {
        yreport_error(rep, &node->pos,
                      "expected a scope in 'scope' of %s, found %s", where,
                      ynode_describe(node));
        return;
    }
    for (size_t i = 0; i < COUNT(scope_words); i++) {
        if (strcmp(node->value, scope_words[i]) == 0)
            k = (int)i;
    }
    if (k < 0) {
        yreport_unknown(rep, &node->pos, "scope", node->value, where,
                        scope_words, COUNT(scope_words));
        return;
    }
    if (*mask & (1u << k))
        yreport_error(rep, &node->pos,
                      "scope '%s' is listed twice in %s; remove one",
                      node->value, where);
    *mask |= 1u << k;
}

/*
 * The scope bits field f holds: one scope word or a non-empty list of
 * them. Returns 0 when f is absent or (reported) invalid.
 */
static unsigned read_scopes(const struct yreport *rep, const struct yfield *f,
                            const char *where)
{
    const struct ynode *v = f->value;
    unsigned mask = 0;

    if (!v)
        return 0;
    if (v->type != YNODE_SEQUENCE) {
        add_scope(rep, v, where, &mask);
        return mask;
    }
    if (v->count == 0) {
        yreport_error(rep, &v->pos,
                      "'scope' of %s is empty; name at least one of "
                      "mitigation, changed, everywhere",
                      where);
        return 0;
    }
    for (size_t i = 0; i < v->count; i++)
        add_scope(rep, v->items[i], where, &mask);
    return mask;
}

/* Overrides of built-in rules */

/* Reports id, which names no rule, suggesting the nearest built-in ID. */
static void report_unknown_rule(const struct yreport *rep,
                                const struct ynode *key)
{
    const char *ids[RULE_COUNT];
    const char *nearest;

    for (size_t i = 0; i < RULE_COUNT; i++)
        ids[i] = rule_get((enum rule_id)i)->id;
    nearest = suggest_nearest(key->value, ids, RULE_COUNT);
    if (nearest)
        yreport_error(rep, &key->pos,
                      "unknown rule '%s' in 'rules' (did you mean '%s'?)",
                      key->value, nearest);
    else
        yreport_error(rep, &key->pos,
                      "unknown rule '%s' in 'rules' (run 'mitigate rules' to "
                      "list the rules)",
                      key->value);
}

/*
 * Finds the built-in rule an entry of 'rules' names by its key. Returns
 * it, or NULL after reporting an unknown ID, a custom rule or an ID set
 * twice.
 */
static struct policy_rule *override_target(struct policy_loader *ld,
                                           const struct ynode *key)
{
    struct policy_rule *r;
    int index;

    if (key->type != YNODE_SCALAR || ynode_is_null(key)) {
        yreport_error(&ld->rep, &key->pos,
                      "expected a rule ID in 'rules', found %s",
                      ynode_describe(key));
        return NULL;
    }
    index = policy_find(ld->policy, key->value);
    if (index < 0) {
        report_unknown_rule(&ld->rep, key);
        return NULL;
    }
    r = &ld->policy->rules[index];
    if (r->custom) {
        yreport_error(&ld->rep, &key->pos,
                      "rule '%s' is defined under 'custom'; set its level "
                      "and scope there",
                      key->value);
        return NULL;
    }
    if (r->pos.line) {
        yreport_error(&ld->rep, &key->pos,
                      "rule '%s' is set twice in 'rules' (first at line %u, "
                      "column %u)",
                      key->value, r->pos.line, r->pos.column);
        return NULL;
    }
    r->pos = key->pos;
    return r;
}

/*
 * Applies one entry of 'rules' ({level, enabled, scope}) to the built-in
 * rule its key names. A new level without a scope gives the rule the
 * default scopes of that level.
 */
static void read_override(struct policy_loader *ld, const struct ynode *key,
                          const struct ynode *value)
{
    struct yfield f[COUNT(override_keys)];
    struct policy_rule *r = override_target(ld, key);
    char where[64];
    int k;

    if (!r)
        return;
    snprintf(where, sizeof(where), "rule '%s'", r->desc.id);
    if (value->type != YNODE_MAPPING) {
        yreport_error(&ld->rep, &value->pos,
                      "expected a mapping for %s in 'rules', found %s (such "
                      "as {level: warning})",
                      where, ynode_describe(value));
        return;
    }
    yfield_read_keys(&ld->rep, value, where, override_keys,
                     COUNT(override_keys), f);
    k = yfield_enum(&ld->rep, &f[SET_LEVEL], where, "level", level_words,
                    COUNT(level_words));
    if (k >= 0)
        r->level = (enum level)(k + 1);
    k = yfield_bool(&ld->rep, &f[SET_ENABLED], where);
    if (k >= 0)
        r->enabled = k;
    if (f[SET_SCOPE].key && r->desc.match == MATCH_NONE) {
        yreport_error(&ld->rep, &f[SET_SCOPE].key->pos,
                      "%s is not a banned-pattern rule and has no scope; "
                      "set only 'level' or 'enabled' for it",
                      where);
    } else if (f[SET_SCOPE].key) {
        unsigned mask = read_scopes(&ld->rep, &f[SET_SCOPE], where);

        if (mask)
            r->scopes = mask;
    } else if (r->level != r->desc.level) {
        struct rule relevelled = r->desc;

        relevelled.level = r->level;
        r->scopes = rule_default_scopes(&relevelled);
    }
}

/* Reads the 'rules' mapping: rule ID to the changes for that rule. */
static void read_overrides(struct policy_loader *ld, const struct ynode *map)
{
    for (size_t i = 0; i + 1 < map->count; i += 2)
        read_override(ld, map->items[i], map->items[i + 1]);
}

/* Custom rules: identity */

/*
 * Checks the ID of a custom rule: of the form MB2000 to MB9999, not a
 * built-in rule's, not another custom rule's.
 */
static void check_custom_id(struct policy_loader *ld, const struct ynode *v,
                            size_t self)
{
    const char *id = v->value;
    const struct rule *builtin = rule_find(id);

    if (builtin) {
        yreport_error(&ld->rep, &v->pos,
                      "custom rule ID '%s' is the built-in rule %s; choose an "
                      "unused ID from MB2000 to MB9999",
                      id, builtin->name);
        return;
    }
    if (strlen(id) != 6 || strncmp(id, "MB", 2) != 0 || id[2] < '2' ||
        id[2] > '9' || strspn(id + 3, "0123456789") != 3) {
        yreport_error(&ld->rep, &v->pos,
                      "invalid custom rule ID '%s' (expected MB and four "
                      "digits from 2000 to 9999, such as MB2001)",
                      id);
        return;
    }
    for (size_t i = RULE_COUNT; i < self; i++) {
        const struct policy_rule *other = &ld->policy->rules[i];

        if (strcmp(other->desc.id, id) == 0) {
            yreport_error(&ld->rep, &v->pos,
                          "duplicate custom rule ID '%s' (first defined at "
                          "line %u, column %u)",
                          id, other->pos.line, other->pos.column);
            return;
        }
    }
}

/* Whether name is PascalCase: a capital, then letters and digits. */
static int is_pascal_case(const char *name)
{
    static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                "abcdefghijklmnopqrstuvwxyz0123456789";

    return name[0] >= 'A' && name[0] <= 'Z' && strlen(name) <= 64 &&
           strspn(name, alnum) == strlen(name);
}

/* Checks a custom rule's name: PascalCase, used by no other rule. */
static void check_custom_name(struct policy_loader *ld, const struct ynode *v,
                              const char *where, size_t self)
{
    if (!is_pascal_case(v->value)) {
        yreport_error(&ld->rep, &v->pos,
                      "invalid name '%s' for %s (expected PascalCase, such "
                      "as VendorUnsafeCopy)",
                      v->value, where);
        return;
    }
    for (size_t i = 0; i < self; i++) {
        const struct rule *other = &ld->policy->rules[i].desc;

        if (strcmp(other->name, v->value) == 0) {
            yreport_error(&ld->rep, &v->pos,
                          "name '%s' of %s is already the name of rule %s; "
                          "choose another",
                          v->value, where, other->id);
            return;
        }
    }
}

/* Custom rules: what they match */

/*
 * Checks one pattern of a custom rule of kind kind (-1 when the kind is
 * itself invalid): a name of letters, digits, '_' and '*', followed for
 * kind format by ':' and the index of the format argument.
 */
static void check_pattern(const struct yreport *rep, const char *text,
                          const struct mt_pos *pos, const char *where, int kind)
{
    static const char name_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                     "abcdefghijklmnopqrstuvwxyz"
                                     "0123456789_*";
    const char *colon = strchr(text, ':');
    size_t len = colon ? (size_t)(colon - text) : strlen(text);

    if (len == 0 || strspn(text, name_chars) != len ||
        (text[0] >= '0' && text[0] <= '9')) {
        yreport_error(rep, pos,
                      "invalid pattern '%s' in %s (expected a function or "
                      "macro name, where '*' matches any run of characters)",
                      text, where);
        return;
    }
    if (strspn(text, "*") == len) {
        yreport_error(rep, pos,
                      "pattern '%s' in %s matches every name; spell out part "
                      "of the name",
                      text, where);
        return;
    }
    if (kind < 0)
        return;
    if (kind_matches[kind] != MATCH_FORMAT) {
        if (colon)
            yreport_error(rep, pos,
                          "pattern '%s' in %s names an argument, which only "
                          "kind 'format' takes; remove ':%s'",
                          text, where, colon + 1);
        return;
    }
    if (!colon || !colon[1] || strlen(colon + 1) > 2 ||
        strspn(colon + 1, "0123456789") != strlen(colon + 1) ||
        atoi(colon + 1) > POLICY_MAX_ARG)
        yreport_error(rep, pos,
                      "format pattern '%s' in %s needs the index of the "
                      "format argument, 0 to %d, such as '%.*s:1'",
                      text, where, POLICY_MAX_ARG, (int)len, text);
}

/*
 * Reads 'patterns' (a non-empty list of strings, or one string) into a
 * comma-separated list the caller owns, checking each for kind.
 */
static char *read_patterns(const struct yreport *rep, const struct yfield *f,
                           const char *where, int kind)
{
    struct model_strings list = {NULL, NULL, 0};
    struct strbuf joined = STRBUF_INIT;
    const struct ynode *v = f->value;

    if (!v)
        return xstrdup("");
    if (v->type == YNODE_SCALAR && !ynode_is_null(v) && v->value[0]) {
        check_pattern(rep, v->value, &v->pos, where, kind);
        return xstrdup(v->value);
    }
    if (v->type == YNODE_SEQUENCE && v->count == 0) {
        yreport_error(rep, &v->pos,
                      "'patterns' of %s is empty; name at least one function "
                      "or macro",
                      where);
        return xstrdup("");
    }
    yfield_strings(rep, f, where, &list);
    for (size_t i = 0; i < list.count; i++)
        check_pattern(rep, list.items[i], &list.pos[i], where, kind);
    for (size_t i = 0; i < list.count; i++) {
        sb_addf(&joined, "%s%s", i ? "," : "", list.items[i]);
        free(list.items[i]);
    }
    free(list.items);
    free(list.pos);
    return sb_detach(&joined);
}

/* Custom rules: descriptions */

/*
 * Reads 'cwe' (a list of CWE numbers, or one) into "120,676", which the
 * caller owns; "" when absent.
 */
static char *read_cwes(const struct yreport *rep, const struct yfield *f,
                       const char *where)
{
    struct strbuf out = STRBUF_INIT;
    const struct ynode *v = f->value;
    const struct ynode *const *items = &v;
    size_t count = 1;

    if (!v)
        return xstrdup("");
    if (v->type == YNODE_SEQUENCE) {
        items = (const struct ynode *const *)v->items;
        count = v->count;
    }
    for (size_t i = 0; i < count; i++) {
        const struct ynode *item = items[i];
        const char *text = item->type == YNODE_SCALAR ? item->value : "";
        size_t len = strlen(text);

        if (len == 0 || len > 6 || text[0] == '0' ||
            strspn(text, "0123456789") != len) {
            yreport_error(rep, &item->pos,
                          "expected a CWE number such as 120 in 'cwe' of %s, "
                          "found %s%s%s",
                          where, len ? "'" : "",
                          len ? text : ynode_describe(item), len ? "'" : "");
            continue;
        }
        sb_addf(&out, "%s%s", out.len ? "," : "", text);
    }
    if (!out.len)
        return xstrdup("");
    return sb_detach(&out);
}

/*
 * Reads 'severity', a security severity from 0.0 to 10.0 with at most
 * one decimal, as "D.D" the caller owns; the level's default when it is
 * absent or invalid (reported).
 */
static char *read_severity(const struct yreport *rep, const struct yfield *f,
                           const char *where, enum level level)
{
    static const char *const by_level[] = {"0.0", "2.0", "5.0", "7.0"};
    const struct ynode *v = f->value;
    const char *text = v && v->type == YNODE_SCALAR ? v->value : "";
    size_t whole = strspn(text, "0123456789");
    struct strbuf out = STRBUF_INIT;
    int tenths = -1;

    if (!v)
        return xstrdup(by_level[level]);
    if (whole >= 1 && whole <= 2 && !text[whole])
        tenths = atoi(text) * 10;
    else if (whole >= 1 && whole <= 2 && text[whole] == '.' &&
             text[whole + 1] >= '0' && text[whole + 1] <= '9' &&
             !text[whole + 2])
        tenths = atoi(text) * 10 + (text[whole + 1] - '0');
    if (tenths >= 0 && tenths <= 100) {
        sb_addf(&out, "%d.%d", tenths / 10, tenths % 10);
        return sb_detach(&out);
    }
    yreport_error(rep, &v->pos,
                  "expected a security severity from 0.0 to 10.0 for "
                  "'severity' in %s, found %s%s%s",
                  where, text[0] ? "'" : "", text[0] ? text : ynode_describe(v),
                  text[0] ? "'" : "");
    return xstrdup(by_level[level]);
}

/* Reads an optional string field, or copies fallback when it is absent. */
static char *string_or(const struct yreport *rep, const struct yfield *f,
                       const char *where, const char *fallback)
{
    char *s = yfield_strdup(rep, f, where);

    return s ? s : xstrdup(fallback ? fallback : "");
}

/* Custom rules */

/* Appends a zeroed rule to the policy and returns it. */
static struct policy_rule *append_rule(struct policy *policy)
{
    struct policy_rule *r;

    grow_array(&policy->rules, &policy->alloc, policy->count + 1,
               sizeof(*policy->rules));
    r = &policy->rules[policy->count++];
    memset(r, 0, sizeof(*r));
    return r;
}

/*
 * Reads the descriptive fields of custom rule r (level, texts, CWE,
 * severity, precision) from f.
 */
static void read_custom_texts(struct policy_loader *ld, struct policy_rule *r,
                              const struct yfield *f, const char *where)
{
    const struct yreport *rep = &ld->rep;
    struct rule *d = &r->desc;
    int k;

    k = yfield_enum(rep, &f[CUSTOM_LEVEL], where, "level", level_words,
                    COUNT(level_words));
    d->level = k >= 0 ? (enum level)(k + 1) : LEVEL_WARNING;
    r->level = d->level;
    d->short_description = string_or(rep, &f[CUSTOM_SHORT], where, NULL);
    d->help = string_or(rep, &f[CUSTOM_HELP], where, NULL);
    d->full_description =
            string_or(rep, &f[CUSTOM_FULL], where, d->short_description);
    d->cwe = read_cwes(rep, &f[CUSTOM_CWE], where);
    d->security_severity =
            read_severity(rep, &f[CUSTOM_SEVERITY], where, d->level);
    k = yfield_enum(rep, &f[CUSTOM_PRECISION], where, "precision",
                    precision_words, COUNT(precision_words));
    d->precision = xstrdup(k >= 0 ? precision_words[k] : "high");
}

/*
 * Reads one entry of 'custom' (the ordinal-th, from 1) and appends it to
 * the policy as a rule of its own. Every string of its descriptor is
 * allocated, even when the entry is invalid, so that policy_free()
 * releases it either way.
 */
static void read_custom(struct policy_loader *ld, const struct ynode *map,
                        size_t ordinal)
{
    static const int required[] = {CUSTOM_ID,       CUSTOM_NAME,  CUSTOM_KIND,
                                   CUSTOM_PATTERNS, CUSTOM_LEVEL, CUSTOM_SHORT,
                                   CUSTOM_HELP};
    struct yfield f[COUNT(custom_keys)];
    const struct ynode *id = ynode_get(map, "id");
    struct policy_rule *r;
    size_t self;
    char where[64];
    int kind;

    if (map->type != YNODE_MAPPING) {
        yreport_error(&ld->rep, &map->pos,
                      "expected a mapping for each entry of 'custom', found "
                      "%s",
                      ynode_describe(map));
        return;
    }
    if (id && id->type == YNODE_SCALAR && id->value[0] &&
        strlen(id->value) < 32)
        snprintf(where, sizeof(where), "custom rule '%s'", id->value);
    else
        snprintf(where, sizeof(where), "custom rule %zu", ordinal);
    yfield_read_keys(&ld->rep, map, where, custom_keys, COUNT(custom_keys), f);
    for (size_t i = 0; i < COUNT(required); i++)
        yfield_require(&ld->rep, map, where, custom_keys[required[i]],
                       &f[required[i]]);

    self = ld->policy->count;
    r = append_rule(ld->policy);
    r->custom = 1;
    r->enabled = 1;
    r->pos = f[CUSTOM_ID].value ? f[CUSTOM_ID].value->pos : map->pos;
    r->desc.id = string_or(&ld->rep, &f[CUSTOM_ID], where, NULL);
    if (r->desc.id[0])
        check_custom_id(ld, f[CUSTOM_ID].value, self);
    r->desc.name = string_or(&ld->rep, &f[CUSTOM_NAME], where, NULL);
    if (r->desc.name[0])
        check_custom_name(ld, f[CUSTOM_NAME].value, where, self);
    kind = yfield_enum(&ld->rep, &f[CUSTOM_KIND], where, "kind", kind_words,
                       COUNT(kind_words));
    r->desc.match = kind >= 0 ? kind_matches[kind] : MATCH_CALL;
    r->desc.patterns =
            read_patterns(&ld->rep, &f[CUSTOM_PATTERNS], where, kind);
    policy_set_patterns(r, r->desc.patterns);
    read_custom_texts(ld, r, f, where);
    r->scopes = read_scopes(&ld->rep, &f[CUSTOM_SCOPE], where);
    if (!r->scopes)
        r->scopes = rule_default_scopes(&r->desc);
}

/* The file */

/*
 * Reads the top-level mapping. Custom rules come first, so that 'rules'
 * can tell a custom rule's ID from an unknown one.
 */
static void read_policy(struct policy_loader *ld, const struct ynode *root)
{
    struct yfield f[COUNT(top_keys)];

    yfield_read_keys(&ld->rep, root, "policy file", top_keys, COUNT(top_keys),
                     f);
    if (yfield_is_list(&ld->rep, &f[TOP_CUSTOM], "policy file")) {
        const struct ynode *list = f[TOP_CUSTOM].value;

        for (size_t i = 0; i < list->count; i++)
            read_custom(ld, list->items[i], i + 1);
    }
    if (yfield_is_mapping(&ld->rep, &f[TOP_RULES], "policy file"))
        read_overrides(ld, f[TOP_RULES].value);
}

struct policy *policy_load(const char *path, struct mt_errors *errs)
{
    struct policy *policy;
    size_t len = 0;
    char *text = read_file(path, POLICY_MAX_SIZE, &len, errs);

    if (!text)
        return NULL;
    policy = policy_parse(path, text, len, errs);
    free(text);
    return policy;
}

struct policy *policy_parse(const char *path, const char *text, size_t len,
                            struct mt_errors *errs)
{
    struct policy_loader ld;
    size_t errors_before = errs->count;
    struct ynode *root = ydoc_parse(path, text, len, "policy file", top_keys[0],
                                    POLICY_SCHEMA_VERSION, errs);

    if (!root)
        return NULL;
    ld.rep.path = path;
    ld.rep.errs = errs;
    ld.policy = policy_default();
    ld.policy->path = xstrdup(path);
    read_policy(&ld, root);
    ynode_free(root);
    if (errs->count == errors_before) {
        policy_update_hash(ld.policy);
        return ld.policy;
    }
    yreport_sort(errs, errors_before);
    policy_free(ld.policy);
    return NULL;
}
