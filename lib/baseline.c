/* baseline.c: reading an earlier SARIF log and matching results to it. */
#include "baseline.h"

#include <mitigate.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "json_bounded.h"
#include "sarif.h"

/* The largest baseline log read. */
#define BASELINE_MAX_SIZE ((size_t)256 << 20)

#define IDENTITY_KEY "mitigateIdentity/v1"
#define LINE_HASH_KEY "primaryLocationLineHash"

/* One result of the baseline; the strings belong to the parsed log. */
struct entry {
    const char *rule;
    const char *key;  /* fingerprint to match on; NULL: matches nothing */
    int by_line_hash; /* key is a line hash, not an identity */
    const char *message;
    json_t *result;
    int matched;
};

struct baseline {
    json_t *root;
    struct entry *entries; /* in log order */
    size_t count;
    /*
     * The entries that have a key, sorted by (kind of key, rule, key,
     * log order); next[i], for the first position i of a run of equal
     * keys, is the position of the run's first entry not yet matched.
     */
    struct entry **sorted;
    size_t *next;
    size_t sorted_count;
};

const char *baseline_state_name(enum baseline_state state)
{
    switch (state) {
    case BASELINE_NEW:
        return "new";
    case BASELINE_UNCHANGED:
        return "unchanged";
    case BASELINE_UPDATED:
        return "updated";
    case BASELINE_ABSENT:
        return "absent";
    case BASELINE_NONE:
        break;
    }
    return NULL;
}

/* Order of entries by what they match on; ties keep log order. */
static int cmp_key(int by_a, const char *rule_a, const char *key_a, int by_b,
                   const char *rule_b, const char *key_b)
{
    int c = by_a - by_b;

    if (!c)
        c = strcmp(rule_a, rule_b);
    if (!c)
        c = strcmp(key_a, key_b);
    return c;
}

static int cmp_sorted(const void *a, const void *b)
{
    const struct entry *x = *(const struct entry *const *)a;
    const struct entry *y = *(const struct entry *const *)b;
    int c = cmp_key(x->by_line_hash, x->rule, x->key, y->by_line_hash, y->rule,
                    y->key);

    return c ? c : (x > y) - (x < y); /* one array: address is log order */
}

/* Sorts the entries that have a key, and points each run at its start. */
static void index_entries(struct baseline *b)
{
    b->sorted = xmalloc((b->count ? b->count : 1) * sizeof(*b->sorted));
    b->next = xmalloc((b->count ? b->count : 1) * sizeof(*b->next));
    for (size_t i = 0; i < b->count; i++)
        if (b->entries[i].key)
            b->sorted[b->sorted_count++] = &b->entries[i];
    qsort(b->sorted, b->sorted_count, sizeof(*b->sorted), cmp_sorted);
    for (size_t i = 0; i < b->sorted_count; i++)
        b->next[i] = i;
}

/* Reading */

/* Adds an error about the log at path; returns -1. */
static int bad(struct mt_errors *errs, const char *path, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static int bad(struct mt_errors *errs, const char *path, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    mt_error_vadd(errs, path, NULL, fmt, ap);
    va_end(ap);
    return -1;
}

/*
 * The string member key of partialFingerprints fp, or NULL when it is
 * absent. Sets *wrong when it is there but not a string.
 */
static const char *fingerprint(json_t *fp, const char *key, int *wrong)
{
    json_t *v = fp ? json_object_get(fp, key) : NULL;

    if (v && !json_is_string(v))
        *wrong = 1;
    return json_string_value(v);
}

/* The value of hex digit c, or -1. */
static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/*
 * Decodes the percent-encoded uri into out. Returns 0, or -1 when an
 * escape is malformed or the text holds a control character or a
 * backslash, which no path mitigate writes has.
 */
static int uri_decode(const char *uri, struct strbuf *out)
{
    for (const char *p = uri; *p; p++) {
        unsigned char c = (unsigned char)*p;

        if (c == '%') {
            int high = hex_value(p[1]), low = high < 0 ? -1 : hex_value(p[2]);

            if (low < 0)
                return -1;
            c = (unsigned char)(high * 16 + low);
            p += 2;
        }
        if (c < 0x20 || c == 0x7f || c == '\\')
            return -1;
        sb_addc(out, (char)c);
    }
    return 0;
}

/* Whether the '/'-separated path has a "." or ".." component. */
static int has_dot_component(const char *path)
{
    while (*path) {
        size_t n = strcspn(path, "/");

        if ((n == 1 && path[0] == '.') ||
            (n == 2 && path[0] == '.' && path[1] == '.'))
            return 1;
        path += n;
        path += *path == '/';
    }
    return 0;
}

/*
 * Whether an artifactLocation is one mitigate writes: a relative path
 * under the source root (uriBaseId SRCROOT), or an absolute file URI
 * without a host; in neither a "." or ".." component, once decoded. A
 * log that holds any other is refused, since its absent results are
 * copied into the new log, where a viewer would open what they name.
 */
MITIGATES("M-URI-PATHS")
static int artifact_location_ok(json_t *location)
{
    const char *uri = json_string_value(json_object_get(location, "uri"));
    json_t *base = json_object_get(location, "uriBaseId");
    struct strbuf path = STRBUF_INIT;
    int ok;

    if (!uri)
        return 0;
    if (base) {
        ok = json_is_string(base) &&
             strcmp(json_string_value(base), SARIF_ROOT_BASE_ID) == 0 &&
             uri[0] != '/' && !strchr(uri, ':');
    } else {
        ok = starts_with(uri, "file:///");
        uri += strlen("file://");
    }
    ok = ok && uri_decode(uri, &path) == 0 && path.len &&
         !has_dot_component(path.buf);
    sb_release(&path);
    return ok;
}

/* The uri of an artifactLocation as written, for errors. */
static const char *uri_of(json_t *location)
{
    const char *uri = json_string_value(json_object_get(location, "uri"));

    return uri ? uri : "(no uri)";
}

/*
 * Checks every artifactLocation in v, at any depth. Returns 0, or -1
 * after an error about result i.
 */
static int check_locations(const char *name, size_t i, json_t *v,
                           struct mt_errors *errs)
{
    const char *key;
    json_t *member;
    size_t k;

    if (json_is_array(v)) {
        json_array_foreach(v, k,
                           member) if (check_locations(name, i, member, errs) <
                                       0) return -1;
        return 0;
    }
    json_object_foreach(v, key, member)
    {
        if (strcmp(key, "artifactLocation") == 0 &&
            !artifact_location_ok(member))
            return bad(errs, name,
                       "runs[0].results[%zu] has the artifact location "
                       "'%.200s', neither a path under %s nor an absolute "
                       "file URI; mitigate writes no other, so the log "
                       "was altered",
                       i, uri_of(member), SARIF_ROOT_BASE_ID);
        if (check_locations(name, i, member, errs) < 0)
            return -1;
    }
    return 0;
}

/*
 * Reads result i of the log into e. Returns 0, 1 for a result to skip
 * (already absent), or -1 after an error.
 */
static int read_result(const char *path, size_t i, json_t *result,
                       struct entry *e, struct mt_errors *errs)
{
    json_t *state = json_object_get(result, "baselineState");
    json_t *fp = json_object_get(result, "partialFingerprints");
    const char *identity, *line_hash;
    int wrong = 0;

    if (!json_is_object(result))
        return bad(errs, path, "runs[0].results[%zu] is not an object", i);
    if (state && !json_is_string(state))
        return bad(errs, path,
                   "runs[0].results[%zu].baselineState is not a string", i);
    if (state && strcmp(json_string_value(state), "absent") == 0)
        return 1;

    memset(e, 0, sizeof(*e));
    e->result = result;
    e->rule = json_string_value(json_object_get(result, "ruleId"));
    e->message = json_string_value(
            json_object_get(json_object_get(result, "message"), "text"));
    if (!e->rule)
        return bad(errs, path,
                   "runs[0].results[%zu] has no ruleId string; is it a log "
                   "written by mitigate?",
                   i);
    if (!e->message)
        return bad(errs, path,
                   "runs[0].results[%zu] has no message.text string", i);
    if (fp && !json_is_object(fp))
        return bad(errs, path,
                   "runs[0].results[%zu].partialFingerprints is not an object",
                   i);

    identity = fingerprint(fp, IDENTITY_KEY, &wrong);
    line_hash = fingerprint(fp, LINE_HASH_KEY, &wrong);
    if (wrong)
        return bad(errs, path,
                   "runs[0].results[%zu].partialFingerprints has a value "
                   "that is not a string",
                   i);
    e->key = identity ? identity : line_hash;
    e->by_line_hash = !identity;
    return check_locations(path, i, result, errs);
}

/*
 * Checks that root is a SARIF 2.1.0 log written by mitigate and sets
 * *results to its runs[0].results. Returns 0, or -1 after an error.
 */
static int results_of(const char *path, json_t *root, json_t **results,
                      struct mt_errors *errs)
{
    const char *version = json_string_value(json_object_get(root, "version"));
    json_t *runs = json_object_get(root, "runs"), *run;
    const char *tool;

    if (!json_is_object(root))
        return bad(errs, path,
                   "not a SARIF log: the top level is not an "
                   "object");
    if (!version)
        return bad(errs, path, "not a SARIF log: no 'version' string");
    if (strcmp(version, "2.1.0") != 0)
        return bad(errs, path,
                   "SARIF version is \"%s\"; mitigate reads \"2.1.0\" logs",
                   version);
    if (!json_is_array(runs) || !json_array_size(runs))
        return bad(errs, path, "the SARIF log has no 'runs'");
    run = json_array_get(runs, 0);
    tool = json_string_value(json_object_get(
            json_object_get(json_object_get(run, "tool"), "driver"), "name"));
    if (!tool || strcmp(tool, "mitigate") != 0)
        return bad(errs, path,
                   "runs[0] was written by '%s', not mitigate; pass the SARIF "
                   "log of an earlier 'mitigate check'",
                   tool ? tool : "an unnamed tool");
    *results = json_object_get(run, "results");
    if (!json_is_array(*results))
        return bad(errs, path,
                   "runs[0].results is missing or not an array; the run "
                   "that wrote this log did not finish");
    return 0;
}

struct baseline *baseline_load(const char *path, struct mt_errors *errs)
{
    struct baseline *b;
    size_t len;
    char *text = read_file(path, BASELINE_MAX_SIZE, &len, errs);

    if (!text)
        return NULL;
    b = baseline_parse(path, text, len, errs);
    free(text);
    return b;
}

struct baseline *baseline_parse(const char *path, const char *text, size_t len,
                                struct mt_errors *errs)
{
    struct baseline *b;
    json_error_t jerr;
    json_t *root, *results = NULL;

    root = json_load_bounded(text, len, &jerr);
    if (!root) {
        struct mt_pos pos = {(unsigned)jerr.line, (unsigned)jerr.column, 0, 0};

        mt_error_add(errs, path, jerr.line > 0 ? &pos : NULL,
                     "not a SARIF log: invalid JSON: %s", jerr.text);
        return NULL;
    }
    if (results_of(path, root, &results, errs) < 0) {
        json_decref(root);
        return NULL;
    }

    b = xcalloc(1, sizeof(*b));
    b->root = root;
    b->entries = xcalloc(json_array_size(results) + 1, sizeof(*b->entries));
    for (size_t i = 0; i < json_array_size(results); i++) {
        int rc = read_result(path, i, json_array_get(results, i),
                             &b->entries[b->count], errs);

        if (rc < 0) {
            baseline_free(b);
            return NULL;
        }
        b->count += rc == 0;
    }
    index_entries(b);
    return b;
}

/* Matching */

/*
 * The first unmatched entry with this kind of key, rule and key, marked
 * as matched now; NULL when there is none.
 */
static struct entry *take(struct baseline *b, int by_line_hash,
                          const char *rule, const char *key)
{
    size_t lo = 0, hi = b->sorted_count, *next;
    struct entry *e;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct entry *m = &*b->sorted[mid];

        if (cmp_key(m->by_line_hash, m->rule, m->key, by_line_hash, rule, key) <
            0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == b->sorted_count)
        return NULL;
    next = &b->next[lo];
    if (*next == b->sorted_count)
        return NULL;
    e = b->sorted[*next];
    if (cmp_key(e->by_line_hash, e->rule, e->key, by_line_hash, rule, key))
        return NULL;
    e->matched = 1;
    (*next)++;
    return e;
}

enum baseline_state baseline_classify(struct baseline *b, const char *rule_id,
                                      const char *fingerprint,
                                      const char *line_hash,
                                      const char *message)
{
    struct entry *e = NULL;

    if (!b)
        return BASELINE_NONE;
    if (fingerprint && *fingerprint)
        e = take(b, 0, rule_id, fingerprint);
    if (!e && line_hash && *line_hash)
        e = take(b, 1, rule_id, line_hash);
    if (!e)
        return BASELINE_NEW;
    return strcmp(e->message, message ? message : "") == 0 ? BASELINE_UNCHANGED
                                                           : BASELINE_UPDATED;
}

size_t baseline_append_absent(const struct baseline *b, json_t *results)
{
    size_t appended = 0;

    for (size_t i = 0; b && i < b->count; i++) {
        json_t *copy;

        if (b->entries[i].matched)
            continue;
        copy = json_deep_copy(b->entries[i].result);
        json_object_del(copy, "ruleIndex");
        json_object_set_new(copy, "baselineState", json_string("absent"));
        json_array_append_new(results, copy);
        appended++;
    }
    return appended;
}

void baseline_free(struct baseline *b)
{
    if (!b)
        return;
    json_decref(b->root);
    free(b->entries);
    free(b->sorted);
    free(b->next);
    free(b);
}
