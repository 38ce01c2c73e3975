/*
 * facts.c: building the facts of a translation unit, and reading the
 * annotation strings that mitigate.h writes.
 */
#include "facts.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#define ANNOTATION_PREFIX "mitigate:"

struct facts_tu *facts_tu_new(const char *frontend, const char *clang_version,
                              const char *main_file)
{
    struct facts_tu *tu = xcalloc(1, sizeof(*tu));

    tu->frontend = xstrdup(frontend);
    tu->clang_version = xstrdup(clang_version);
    tu->main_file = xstrdup(main_file);
    return tu;
}

void facts_tu_pool_strings(struct facts_tu *tu)
{
    if (!tu->strings)
        tu->strings = g_string_chunk_new(1 << 16);
}

char *facts_tu_string(struct facts_tu *tu, const char *s)
{
    return tu->strings ? g_string_chunk_insert_const(tu->strings, s)
                       : xstrdup(s);
}

/* A string given for tu's records: copied, or, when tu pools its
   strings, the pool's string as given (see facts.h). */
static char *given(struct facts_tu *tu, const char *s)
{
    return tu->strings ? (char *)s : xstrdup(s);
}

/* Frees a string of tu's records, unless the pool holds it. */
static void drop(const struct facts_tu *tu, char *s)
{
    if (!tu->strings)
        free(s);
}

/* Takes s, allocated on its own, into tu: kept, or pooled and freed. */
static char *take(struct facts_tu *tu, char *s)
{
    char *kept;

    if (!s || !tu->strings)
        return s;
    kept = g_string_chunk_insert_const(tu->strings, s);
    free(s);
    return kept;
}

static void loc_copy(struct facts_tu *tu, struct facts_loc *dst,
                     const struct facts_loc *src)
{
    dst->file = src->file ? given(tu, src->file) : facts_tu_string(tu, "");
    dst->pos = src->pos;
}

static void function_release(const struct facts_tu *tu,
                             struct facts_function *fn)
{
    for (size_t i = 0; i < fn->annotation_count; i++) {
        drop(tu, fn->annotations[i].id);
        drop(tu, fn->annotations[i].justification);
        drop(tu, fn->annotations[i].loc.file);
    }
    for (size_t i = 0; i < fn->call_count; i++) {
        drop(tu, fn->calls[i].callee);
        drop(tu, fn->calls[i].loc.file);
    }
    for (size_t i = 0; i < fn->match_count; i++) {
        drop(tu, fn->matches[i].rule);
        drop(tu, fn->matches[i].what);
        drop(tu, fn->matches[i].macro);
        drop(tu, fn->matches[i].loc.file);
    }
    free(fn->annotations);
    free(fn->calls);
    free(fn->matches);
    drop(tu, fn->key);
    drop(tu, fn->name);
    drop(tu, fn->loc.file);
}

void facts_tu_free(struct facts_tu *tu)
{
    if (!tu)
        return;
    /* A pool holds every record's string: only the arrays are freed. */
    for (size_t i = 0; !tu->strings && i < tu->function_count; i++)
        function_release(tu, &tu->functions[i]);
    for (size_t i = 0; tu->strings && i < tu->function_count; i++) {
        free(tu->functions[i].annotations);
        free(tu->functions[i].calls);
        free(tu->functions[i].matches);
    }
    for (size_t i = 0; i < tu->malformed_count; i++) {
        drop(tu, tu->malformed[i].text);
        drop(tu, tu->malformed[i].reason);
        drop(tu, tu->malformed[i].loc.file);
    }
    if (tu->strings)
        g_string_chunk_free(tu->strings);
    free(tu->functions);
    free(tu->slots);
    free(tu->malformed);
    free(tu->frontend);
    free(tu->clang_version);
    free(tu->main_file);
    free(tu->path);
    free(tu);
}

char *facts_function_key(const char *name, int is_static, const char *file)
{
    struct strbuf key = STRBUF_INIT;

    if (is_static)
        sb_addf(&key, "%s:", file ? file : "");
    sb_adds(&key, name);
    return sb_detach(&key);
}

/* FNV-1a: a small, even hash for function keys. */
static size_t hash_key(const char *key)
{
    size_t h = 2166136261u;

    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h;
}

/* Rebuilds the index with room for twice the functions there are. */
static void reindex(struct facts_tu *tu)
{
    size_t n = 64;

    while (n < tu->function_count * 2 + 2)
        n *= 2;
    free(tu->slots);
    tu->slots = xcalloc(n, sizeof(*tu->slots));
    tu->slot_count = n;
    for (size_t i = 0; i < tu->function_count; i++) {
        size_t s = hash_key(tu->functions[i].key) & (n - 1);

        while (tu->slots[s])
            s = (s + 1) & (n - 1);
        tu->slots[s] = i + 1;
    }
}

/* The slot of key: holding its function's index + 1, or empty (0). */
static size_t *slot_of(struct facts_tu *tu, const char *key)
{
    size_t s;

    if (tu->function_count * 2 + 2 > tu->slot_count)
        reindex(tu);
    s = hash_key(key) & (tu->slot_count - 1);
    while (tu->slots[s] &&
           strcmp(tu->functions[tu->slots[s] - 1].key, key) != 0)
        s = (s + 1) & (tu->slot_count - 1);
    return &tu->slots[s];
}

void facts_forget_index(struct facts_tu *tu)
{
    free(tu->slots);
    tu->slots = NULL;
    tu->slot_count = 0;
}

struct facts_function *facts_add_function(struct facts_tu *tu, const char *name,
                                          int is_static, const char *key_file,
                                          int defined,
                                          const struct facts_loc *loc)
{
    char *key = facts_function_key(name, is_static, key_file);
    size_t *slot = slot_of(tu, key);
    struct facts_function *fn;

    if (*slot) {
        fn = &tu->functions[*slot - 1];
        free(key);
        if (defined && !fn->defined) {
            fn->defined = 1;
            drop(tu, fn->loc.file);
            loc_copy(tu, &fn->loc, loc);
        }
        return fn;
    }

    grow_array(&tu->functions, &tu->function_alloc, tu->function_count + 1,
               sizeof(*tu->functions));
    *slot = tu->function_count + 1;
    fn = &tu->functions[tu->function_count++];
    memset(fn, 0, sizeof(*fn));
    fn->key = take(tu, key);
    fn->name = given(tu, name);
    fn->is_static = is_static;
    fn->defined = defined;
    loc_copy(tu, &fn->loc, loc);
    return fn;
}

static const char *const annotation_kind_names[] = {"mitigates", "test",
                                                    "allow"};

const char *annotation_kind_name(enum annotation_kind kind)
{
    return annotation_kind_names[kind];
}

int annotation_kind_parse(const char *name)
{
    for (int i = 0; i < 3; i++)
        if (strcmp(name, annotation_kind_names[i]) == 0)
            return i;
    return -1;
}

/* Whether a rule ID has the form of one: two letters and four digits. */
static int rule_id_is_valid(const char *s)
{
    if (strlen(s) != 6 || s[0] != 'M' || !strchr("BRT", s[1]))
        return 0;
    for (int i = 2; i < 6; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static int only_blanks(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return 0;
    return 1;
}

static int parse_mitigates(const char *rest, struct facts_annotation *out,
                           const char **reason)
{
    if (!id_is_valid(rest)) {
        *reason = "mitigation ID must be 1 to 64 letters, digits, "
                  "'-', '_' or '.'";
        return -1;
    }
    out->kind = ANNOTATION_MITIGATES;
    out->id = xstrdup(rest);
    return 1;
}

static int parse_test(const char *rest, struct facts_annotation *out,
                      const char **reason)
{
    const char *colon = strchr(rest, ':');
    char *kind_word;
    int kind;

    if (!colon) {
        *reason = "test annotation lacks a test kind";
        return -1;
    }
    kind_word = xstrndup(rest, (size_t)(colon - rest));
    kind = test_kind_parse_macro(kind_word);
    free(kind_word);
    if (kind < 0) {
        *reason = "test kind must be EFFECTIVENESS, THWART or SIDE_EFFECT";
        return -1;
    }
    if (!id_is_valid(colon + 1)) {
        *reason = "mitigation ID must be 1 to 64 letters, digits, "
                  "'-', '_' or '.'";
        return -1;
    }
    out->kind = ANNOTATION_TEST;
    out->test_kind = (enum test_kind)kind;
    out->id = xstrdup(colon + 1);
    return 1;
}

static int parse_allow(const char *rest, struct facts_annotation *out,
                       const char **reason)
{
    const char *colon = strchr(rest, ':');
    char *rule;

    if (!colon) {
        *reason = "MITIGATE_ALLOW needs a rule ID and a justification";
        return -1;
    }
    rule = xstrndup(rest, (size_t)(colon - rest));
    if (!rule_id_is_valid(rule)) {
        free(rule);
        *reason = "MITIGATE_ALLOW names no rule ID of the form MB1001";
        return -1;
    }
    if (only_blanks(colon + 1)) {
        free(rule);
        *reason = "MITIGATE_ALLOW needs a justification that says why the "
                  "code is safe";
        return -1;
    }
    out->kind = ANNOTATION_ALLOW;
    out->id = rule;
    out->justification = xstrdup(colon + 1);
    return 1;
}

int facts_parse_annotation(const char *text, struct facts_annotation *out,
                           const char **reason)
{
    const char *rest;

    memset(out, 0, sizeof(*out));
    if (!starts_with(text, ANNOTATION_PREFIX))
        return 0;
    rest = text + strlen(ANNOTATION_PREFIX);
    if (starts_with(rest, "mitigates:"))
        return parse_mitigates(rest + strlen("mitigates:"), out, reason);
    if (starts_with(rest, "test:"))
        return parse_test(rest + strlen("test:"), out, reason);
    if (starts_with(rest, "allow:"))
        return parse_allow(rest + strlen("allow:"), out, reason);
    *reason = "unknown mitigate annotation; use MITIGATES, MITIGATION_TEST "
              "or MITIGATE_ALLOW from mitigate.h";
    return -1;
}

static int same_annotation(const struct facts_annotation *a,
                           const struct facts_annotation *b)
{
    if (a->kind != b->kind || strcmp(a->id, b->id) != 0)
        return 0;
    return a->kind != ANNOTATION_TEST || a->test_kind == b->test_kind;
}

void facts_add_annotation(struct facts_tu *tu, struct facts_function *fn,
                          struct facts_annotation *ann,
                          const struct facts_loc *loc)
{
    struct facts_annotation *dst;

    for (size_t i = 0; i < fn->annotation_count; i++) {
        if (same_annotation(&fn->annotations[i], ann)) {
            free(ann->id);
            free(ann->justification);
            memset(ann, 0, sizeof(*ann));
            return;
        }
    }
    grow_array(&fn->annotations, &fn->annotation_alloc,
               fn->annotation_count + 1, sizeof(*fn->annotations));
    dst = &fn->annotations[fn->annotation_count++];
    *dst = *ann;
    dst->id = take(tu, ann->id);
    dst->justification = take(tu, ann->justification);
    loc_copy(tu, &dst->loc, loc);
    memset(ann, 0, sizeof(*ann));
}

void facts_add_call(struct facts_tu *tu, struct facts_function *fn,
                    const char *callee_key, const struct facts_loc *loc,
                    int by_address)
{
    struct facts_call *call;

    for (size_t i = 0; i < fn->call_count; i++)
        if (strcmp(fn->calls[i].callee, callee_key) == 0)
            return;
    grow_array(&fn->calls, &fn->call_alloc, fn->call_count + 1,
               sizeof(*fn->calls));
    call = &fn->calls[fn->call_count++];
    call->callee = given(tu, callee_key);
    loc_copy(tu, &call->loc, loc);
    call->by_address = by_address;
}

void facts_add_match(struct facts_tu *tu, struct facts_function *fn,
                     const char *rule, const char *what, const char *macro,
                     const struct facts_loc *loc)
{
    struct facts_match *m;

    for (size_t i = 0; i < fn->match_count; i++) {
        m = &fn->matches[i];
        if (m->loc.pos.line == loc->pos.line &&
            m->loc.pos.column == loc->pos.column &&
            strcmp(m->rule, rule) == 0 && strcmp(m->what, what) == 0 &&
            strcmp(m->loc.file, loc->file) == 0)
            return;
    }
    grow_array(&fn->matches, &fn->match_alloc, fn->match_count + 1,
               sizeof(*fn->matches));
    m = &fn->matches[fn->match_count++];
    m->rule = given(tu, rule);
    m->what = given(tu, what);
    m->macro = macro ? given(tu, macro) : NULL;
    loc_copy(tu, &m->loc, loc);
}

void facts_add_malformed(struct facts_tu *tu, const char *text,
                         const char *reason, const struct facts_loc *loc)
{
    struct facts_malformed *m;

    for (size_t i = 0; i < tu->malformed_count; i++) {
        m = &tu->malformed[i];
        if (strcmp(m->text, text) == 0 && strcmp(m->loc.file, loc->file) == 0 &&
            m->loc.pos.line == loc->pos.line &&
            m->loc.pos.column == loc->pos.column)
            return;
    }
    grow_array(&tu->malformed, &tu->malformed_alloc, tu->malformed_count + 1,
               sizeof(*tu->malformed));
    m = &tu->malformed[tu->malformed_count++];
    m->text = given(tu, text);
    m->reason = given(tu, reason);
    loc_copy(tu, &m->loc, loc);
}
