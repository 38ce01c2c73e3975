/*
 * suppress.c: the suppressions file, read strictly, and the lookup of
 * the entry that suppresses a finding.
 */
#include "suppress.h"
#include "match.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_yaml.h"

/* Larger files are refused unread: no real suppressions file comes near. */
#define SUPPRESSIONS_MAX_SIZE ((size_t)4 << 20)

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

enum top_key { TOP_VERSION, TOP_SUPPRESSIONS };
static const char *const top_keys[] = {"mitigate-suppressions", "suppressions"};

enum entry_key {
    ENTRY_RULE,
    ENTRY_FUNCTION,
    ENTRY_FILE,
    ENTRY_JUSTIFICATION,
    ENTRY_OWNER,
    ENTRY_UNTIL,
};
static const char *const entry_keys[] = {
        "rule", "function", "file", "justification", "owner", "until",
};

/* The state of one suppressions_load(). */
struct suppress_loader {
    struct yreport rep;
    const struct policy *policy; /* NULL: the built-in catalog */
    struct suppressions *set;
};

/* Matching */

/*
 * The ':' that ends the path of a static function's key "path:name", or
 * NULL when key is a plain name. The "::" of a C++ qualified name is no
 * such separator.
 */
static const char *key_separator(const char *key)
{
    for (const char *p = strchr(key, ':'); p; p = strchr(p + 1, ':')) {
        if (p[1] == ':') {
            p++;
            continue;
        }
        if (p > key && p[-1] == ':')
            continue;
        return p;
    }
    return NULL;
}

/*
 * Whether the plen bytes at path end with the len bytes at suffix on a
 * folder boundary: they are suffix, or end with "/" suffix.
 */
static int path_ends_with(const char *path, size_t plen, const char *suffix,
                          size_t len)
{
    if (plen < len || memcmp(path + plen - len, suffix, len) != 0)
        return 0;
    return plen == len || path[plen - len - 1] == '/';
}

/*
 * Whether entry (a name, or "path:name") names the function whose key
 * is key (a name, or "file:name" for a static function). A plain name
 * matches the function of that name in any file; a path matches the
 * key's file when it is that file or ends it after a '/'.
 */
static int function_matches(const char *entry, const char *key)
{
    const char *entry_sep = key_separator(entry);
    const char *key_sep = key_separator(key);
    const char *key_name = key_sep ? key_sep + 1 : key;

    if (!entry_sep)
        return strcmp(entry, key_name) == 0;
    if (!key_sep || strcmp(entry_sep + 1, key_name) != 0)
        return 0;
    return path_ends_with(key, (size_t)(key_sep - key), entry,
                          (size_t)(entry_sep - entry));
}

int suppression_expired(const struct suppression *s, long today)
{
    return s->until_days >= 0 && s->until_days < today;
}

const struct suppression *
suppressions_find(const struct suppressions *set, const char *rule_id,
                  const char *function, const char *relative_file, long today)
{
    if (!set)
        return NULL;
    for (size_t i = 0; i < set->count; i++) {
        const struct suppression *s = &set->items[i];

        if (strcmp(s->rule, rule_id) != 0 || suppression_expired(s, today))
            continue;
        if (s->function && function && function_matches(s->function, function))
            return s;
        if (s->file && relative_file && glob_match(s->file, relative_file))
            return s;
    }
    return NULL;
}

/* Loading */

/*
 * Checks rule, the ID of an entry's rule, against the policy or the
 * built-in catalog, suggesting the nearest ID when it names no rule.
 */
static void check_rule(struct suppress_loader *ld, const struct ynode *v,
                       const char *where)
{
    const char **ids;
    size_t count = ld->policy ? ld->policy->count : RULE_COUNT;
    const char *nearest;

    int index = ld->policy ? policy_find(ld->policy, v->value)
                           : (rule_find(v->value)
                                      ? (int)(rule_find(v->value) - rule_get(0))
                                      : -1);

    if (index >= 0 &&
        (ld->policy ? policy_rule_at(ld->policy, (size_t)index)->desc.match
                    : rule_get((enum rule_id)index)->match) != MATCH_NONE)
        return;
    if (index >= 0) {
        yreport_error(&ld->rep, &v->pos,
                      "rule '%s' in %s is not a banned-pattern rule; only "
                      "MB rules can be suppressed (fix or accept the "
                      "finding in the model instead)",
                      v->value, where);
        return;
    }
    ids = xcalloc(count, sizeof(*ids));
    for (size_t i = 0; i < count; i++)
        ids[i] = ld->policy ? ld->policy->rules[i].desc.id
                            : rule_get((enum rule_id)i)->id;
    nearest = suggest_nearest(v->value, ids, count);
    if (strlen(v->value) == 6 && starts_with(v->value, "MB") &&
        v->value[2] >= '2' && v->value[2] <= '9' &&
        strspn(v->value + 3, "0123456789") == 3)
        yreport_error(&ld->rep, &v->pos, "unknown rule '%s' in %s (%s)",
                      v->value, where,
                      ld->policy ? "the policy defines no such custom rule"
                                 : "a custom rule needs the policy that "
                                   "defines it");
    else if (nearest)
        yreport_error(&ld->rep, &v->pos,
                      "unknown rule '%s' in %s (did you mean '%s'?)", v->value,
                      where, nearest);
    else
        yreport_error(&ld->rep, &v->pos,
                      "unknown rule '%s' in %s (run 'mitigate rules' to list "
                      "the rules)",
                      v->value, where);
    free(ids);
}

/* Whether s holds nothing but spaces and tabs. */
static int is_blank(const char *s)
{
    return s[strspn(s, " \t\r\n")] == '\0';
}

/*
 * Checks the function or file of an entry: exactly one of them, a
 * function name without spaces, a relative file path that stays inside
 * the source root.
 */
static void check_place(struct suppress_loader *ld, const struct ynode *map,
                        const struct yfield *f, const char *where)
{
    const struct ynode *fn = f[ENTRY_FUNCTION].value;
    const struct ynode *file = f[ENTRY_FILE].value;

    if (fn && file) {
        const struct ynode *second = fn->pos.line > file->pos.line
                                             ? f[ENTRY_FUNCTION].key
                                             : f[ENTRY_FILE].key;

        yreport_error(&ld->rep, &second->pos,
                      "%s has both 'function' and 'file'; give one of them, "
                      "in two entries if both are meant",
                      where);
        return;
    }
    if (!fn && !file) {
        yreport_error(&ld->rep, &map->pos,
                      "%s needs 'function' or 'file' to say where the rule "
                      "is suppressed",
                      where);
        return;
    }
    if (fn && fn->type == YNODE_SCALAR && fn->value[0] &&
        strpbrk(fn->value, " \t\r\n*"))
        yreport_error(&ld->rep, &fn->pos,
                      "invalid function '%s' in %s (expected a function's "
                      "name, or 'path:name' for a static function)",
                      fn->value, where);
    if (file && file->type == YNODE_SCALAR && file->value[0] &&
        (file->value[0] == '/' || strchr(file->value, '\\') ||
         strcmp(file->value, "..") == 0 || starts_with(file->value, "../") ||
         strstr(file->value, "/../") ||
         path_ends_with(file->value, strlen(file->value), "..", 2)))
        yreport_error(&ld->rep, &file->pos,
                      "file '%s' in %s must be a path relative to the source "
                      "root, such as src/vendor/*.c",
                      file->value, where);
}

/*
 * Reports entry s when an earlier entry suppresses the same rule for
 * the same function or files.
 */
static void check_duplicate(struct suppress_loader *ld,
                            const struct suppression *s, const char *where)
{
    for (size_t i = 0; i + 1 < ld->set->count; i++) {
        const struct suppression *o = &ld->set->items[i];
        const char *what = s->function ? "function" : "file";
        const char *place = s->function ? s->function : s->file;
        const char *other = s->function ? o->function : o->file;

        if (!place || !other || !o->rule || strcmp(o->rule, s->rule) != 0 ||
            strcmp(place, other) != 0)
            continue;
        yreport_error(&ld->rep, &s->pos,
                      "%s repeats the suppression of %s for %s '%s' (first "
                      "at line %u, column %u); remove one",
                      where, s->rule, what, place, o->pos.line, o->pos.column);
        return;
    }
}

/* Reads the until date of entry s, when it has one. */
static void read_until(struct suppress_loader *ld, struct suppression *s,
                       const struct yfield *f, const char *where)
{
    s->until = yfield_strdup(&ld->rep, f, where);
    s->until_days = -1;
    if (!s->until)
        return;
    s->until_pos = f->value->pos;
    s->until_days = date_to_days(s->until);
    if (s->until_days < 0)
        yreport_error(&ld->rep, &s->until_pos,
                      "invalid date '%s' for 'until' in %s (expected a "
                      "calendar date as YYYY-MM-DD)",
                      s->until, where);
}

/* Reads one entry of 'suppressions', the ordinal-th (from 1). */
static void read_entry(struct suppress_loader *ld, const struct ynode *map,
                       size_t ordinal)
{
    static const int required[] = {ENTRY_RULE, ENTRY_JUSTIFICATION,
                                   ENTRY_OWNER};
    struct yfield f[COUNT(entry_keys)];
    struct suppression *s;
    char where[48];

    snprintf(where, sizeof(where), "suppression %zu", ordinal);
    if (map->type != YNODE_MAPPING) {
        yreport_error(&ld->rep, &map->pos,
                      "expected a mapping for each entry of 'suppressions', "
                      "found %s",
                      ynode_describe(map));
        return;
    }
    yfield_read_keys(&ld->rep, map, where, entry_keys, COUNT(entry_keys), f);
    for (size_t i = 0; i < COUNT(required); i++)
        yfield_require(&ld->rep, map, where, entry_keys[required[i]],
                       &f[required[i]]);
    check_place(ld, map, f, where);

    s = &ld->set->items[ld->set->count++];
    s->pos = map->pos;
    s->rule = yfield_strdup(&ld->rep, &f[ENTRY_RULE], where);
    if (s->rule)
        check_rule(ld, f[ENTRY_RULE].value, where);
    s->function = yfield_strdup(&ld->rep, &f[ENTRY_FUNCTION], where);
    s->file = yfield_strdup(&ld->rep, &f[ENTRY_FILE], where);
    s->justification = yfield_strdup(&ld->rep, &f[ENTRY_JUSTIFICATION], where);
    if (s->justification && is_blank(s->justification))
        yreport_error(&ld->rep, &f[ENTRY_JUSTIFICATION].value->pos,
                      "the justification of %s is blank; say why the "
                      "findings are acceptable",
                      where);
    s->owner = yfield_strdup(&ld->rep, &f[ENTRY_OWNER], where);
    if (s->owner && is_blank(s->owner))
        yreport_error(&ld->rep, &f[ENTRY_OWNER].value->pos,
                      "the owner of %s is blank; name who decided", where);
    read_until(ld, s, &f[ENTRY_UNTIL], where);
    if (s->rule && (s->function || s->file))
        check_duplicate(ld, s, where);
}

struct suppressions *suppressions_load(const char *path,
                                       const struct policy *policy,
                                       struct mt_errors *errs)
{
    struct suppressions *set;
    size_t len = 0;
    char *text = read_file(path, SUPPRESSIONS_MAX_SIZE, &len, errs);

    if (!text)
        return NULL;
    set = suppressions_parse(path, text, len, policy, errs);
    free(text);
    return set;
}

struct suppressions *suppressions_parse(const char *path, const char *text,
                                        size_t len, const struct policy *policy,
                                        struct mt_errors *errs)
{
    struct suppress_loader ld;
    struct yfield f[COUNT(top_keys)];
    size_t errors_before = errs->count;
    struct ynode *root = ydoc_parse(path, text, len, "suppressions file",
                                    top_keys[TOP_VERSION],
                                    SUPPRESSIONS_SCHEMA_VERSION, errs);

    if (!root)
        return NULL;
    ld.rep.path = path;
    ld.rep.errs = errs;
    ld.policy = policy;
    ld.set = xcalloc(1, sizeof(*ld.set));
    ld.set->path = xstrdup(path);
    yfield_read_keys(&ld.rep, root, "suppressions file", top_keys,
                     COUNT(top_keys), f);
    yfield_require(&ld.rep, root, "suppressions file", "suppressions",
                   &f[TOP_SUPPRESSIONS]);
    if (yfield_is_list(&ld.rep, &f[TOP_SUPPRESSIONS], "suppressions file")) {
        const struct ynode *list = f[TOP_SUPPRESSIONS].value;

        ld.set->items = xcalloc(list->count, sizeof(*ld.set->items));
        for (size_t i = 0; i < list->count; i++)
            read_entry(&ld, list->items[i], i + 1);
    }
    ynode_free(root);
    if (errs->count == errors_before)
        return ld.set;
    yreport_sort(errs, errors_before);
    suppressions_free(ld.set);
    return NULL;
}

void suppressions_free(struct suppressions *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->count; i++) {
        struct suppression *s = &set->items[i];

        free(s->rule);
        free(s->function);
        free(s->file);
        free(s->justification);
        free(s->owner);
        free(s->until);
    }
    free(set->items);
    free(set->path);
    free(set);
}
