/*
 * facts_io.c: facts files on disk, one JSON document per translation
 * unit, written atomically and read back strictly.
 */
#include "facts.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define FACTS_MAX_SIZE (256u << 20)

/* Ordering, so a file does not depend on the order facts were found. */

static int cmp_str(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static int cmp_annotation(const void *pa, const void *pb)
{
    const struct facts_annotation *a = pa, *b = pb;
    int c;

    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if ((c = cmp_str(a->id, b->id)) != 0)
        return c;
    return (int)a->test_kind - (int)b->test_kind;
}

static int cmp_call(const void *pa, const void *pb)
{
    const struct facts_call *a = pa, *b = pb;

    return cmp_str(a->callee, b->callee);
}

int facts_match_cmp(const struct facts_match *a, const struct facts_match *b)
{
    int c = cmp_str(a->loc.file, b->loc.file);

    if (c)
        return c;
    if (a->loc.pos.line != b->loc.pos.line)
        return a->loc.pos.line < b->loc.pos.line ? -1 : 1;
    if (a->loc.pos.column != b->loc.pos.column)
        return a->loc.pos.column < b->loc.pos.column ? -1 : 1;
    if ((c = cmp_str(a->rule, b->rule)) != 0)
        return c;
    return cmp_str(a->what, b->what);
}

static int cmp_match(const void *pa, const void *pb)
{
    return facts_match_cmp(pa, pb);
}

static int cmp_function(const void *pa, const void *pb)
{
    const struct facts_function *a = pa, *b = pb;

    return cmp_str(a->key, b->key);
}

static int cmp_malformed(const void *pa, const void *pb)
{
    const struct facts_malformed *a = pa, *b = pb;
    int c = cmp_str(a->loc.file, b->loc.file);

    if (c)
        return c;
    if (a->loc.pos.line != b->loc.pos.line)
        return a->loc.pos.line < b->loc.pos.line ? -1 : 1;
    return cmp_str(a->text, b->text);
}

static void facts_sort(struct facts_tu *tu)
{
    for (size_t i = 0; i < tu->function_count; i++) {
        struct facts_function *fn = &tu->functions[i];

        qsort(fn->annotations, fn->annotation_count, sizeof(*fn->annotations),
              cmp_annotation);
        qsort(fn->calls, fn->call_count, sizeof(*fn->calls), cmp_call);
        qsort(fn->matches, fn->match_count, sizeof(*fn->matches), cmp_match);
    }
    qsort(tu->functions, tu->function_count, sizeof(*tu->functions),
          cmp_function);
    facts_forget_index(tu);
    qsort(tu->malformed, tu->malformed_count, sizeof(*tu->malformed),
          cmp_malformed);
}

/* Writing */

static json_t *loc_to_json(const struct facts_loc *loc)
{
    return json_pack("{s:s, s:I, s:I, s:I, s:I}", "file", loc->file, "line",
                     (json_int_t)loc->pos.line, "column",
                     (json_int_t)loc->pos.column, "end_line",
                     (json_int_t)loc->pos.end_line, "end_column",
                     (json_int_t)loc->pos.end_column);
}

static const char *const annotation_kind_names[] = {"mitigates", "test",
                                                    "allow"};

static json_t *annotation_to_json(const struct facts_annotation *ann)
{
    json_t *j = json_pack("{s:s, s:s}", "kind",
                          annotation_kind_names[ann->kind], "id", ann->id);

    if (ann->kind == ANNOTATION_TEST)
        json_object_set_new(j, "test_kind",
                            json_string(test_kind_name(ann->test_kind)));
    if (ann->kind == ANNOTATION_ALLOW)
        json_object_set_new(j, "justification",
                            json_string(ann->justification));
    json_object_set_new(j, "loc", loc_to_json(&ann->loc));
    return j;
}

static json_t *match_to_json(const struct facts_match *m)
{
    json_t *j = json_pack("{s:s, s:s}", "rule", m->rule, "what", m->what);

    if (m->macro)
        json_object_set_new(j, "macro", json_string(m->macro));
    json_object_set_new(j, "loc", loc_to_json(&m->loc));
    return j;
}

static json_t *function_to_json(const struct facts_function *fn)
{
    json_t *anns = json_array(), *calls = json_array();
    json_t *matches = json_array();

    for (size_t i = 0; i < fn->annotation_count; i++)
        json_array_append_new(anns, annotation_to_json(&fn->annotations[i]));
    for (size_t i = 0; i < fn->call_count; i++)
        json_array_append_new(calls,
                              json_pack("{s:s, s:b, s:o}", "callee",
                                        fn->calls[i].callee, "by_address",
                                        fn->calls[i].by_address, "loc",
                                        loc_to_json(&fn->calls[i].loc)));
    for (size_t i = 0; i < fn->match_count; i++)
        json_array_append_new(matches, match_to_json(&fn->matches[i]));
    return json_pack("{s:s, s:s, s:b, s:b, s:o, s:o, s:o, s:I, s:o}", "key",
                     fn->key, "name", fn->name, "static", fn->is_static,
                     "defined", fn->defined, "loc", loc_to_json(&fn->loc),
                     "annotations", anns, "calls", calls, "indirect_calls",
                     (json_int_t)fn->indirect_calls, "matches", matches);
}

static json_t *tu_to_json(const struct facts_tu *tu)
{
    json_t *fns = json_array(), *bad = json_array(), *doc;

    for (size_t i = 0; i < tu->function_count; i++)
        json_array_append_new(fns, function_to_json(&tu->functions[i]));
    for (size_t i = 0; i < tu->malformed_count; i++) {
        const struct facts_malformed *m = &tu->malformed[i];

        json_array_append_new(bad, json_pack("{s:s, s:s, s:o}", "text", m->text,
                                             "reason", m->reason, "loc",
                                             loc_to_json(&m->loc)));
    }
    doc = json_pack("{s:i, s:s, s:s, s:s, s:{s:s, s:s}}", "mitigate_facts",
                    FACTS_SCHEMA_VERSION, "frontend", tu->frontend,
                    "clang_version", tu->clang_version, "policy",
                    tu->policy_hash, "source", "file", tu->main_file, "sha256",
                    tu->main_sha256);
    if (tu->arguments_sha256[0])
        json_object_set_new(doc, "arguments",
                            json_string(tu->arguments_sha256));
    json_object_set_new(doc, "functions", fns);
    json_object_set_new(doc, "malformed", bad);
    return doc;
}

char *facts_file_name(const char *main_file)
{
    struct strbuf name = STRBUF_INIT;
    const char *base = strrchr(main_file, '/');
    char hex[65];

    base = base ? base + 1 : main_file;
    sha256_hex(main_file, strlen(main_file), hex);
    for (const char *p = base; *p; p++) {
        int safe = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                   (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
                   *p == '-';
        sb_addc(&name, safe ? *p : '_');
    }
    sb_addf(&name, ".%.16s%s", hex, FACTS_SUFFIX);
    return sb_detach(&name);
}

int facts_write(struct facts_tu *tu, const char *dir, struct mt_errors *errs)
{
    struct strbuf path = STRBUF_INIT;
    char *name, *text;
    json_t *doc;
    int rc;

    if (mkdir_p(dir, errs) < 0)
        return -1;
    facts_sort(tu);
    doc = tu_to_json(tu);
    text = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    json_decref(doc);
    if (!text) {
        mt_error_add(errs, tu->main_file, NULL,
                     "cannot encode facts (is a string not UTF-8?)");
        return -1;
    }
    name = facts_file_name(tu->main_file);
    sb_addf(&path, "%s/%s", dir, name);
    rc = write_file_atomic(path.buf, text, strlen(text), errs);
    free(text);
    free(name);
    sb_release(&path);
    return rc;
}

/* Reading */

/* A reader over one facts document that records the first problem. */
struct reader {
    const char *path;
    struct mt_errors *errs;
    int failed;
};

static void bad(struct reader *r, const char *what)
{
    if (!r->failed)
        mt_error_add(r->errs, r->path, NULL,
                     "not a valid facts file: %s; delete the facts folder "
                     "and rebuild",
                     what);
    r->failed = 1;
}

static char *get_str(struct reader *r, json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);

    if (!json_is_string(v)) {
        bad(r, key);
        return xstrdup("");
    }
    return xstrdup(json_string_value(v));
}

static unsigned get_uint(struct reader *r, json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);

    if (!json_is_integer(v) || json_integer_value(v) < 0 ||
        json_integer_value(v) > 0x7fffffff) {
        bad(r, key);
        return 0;
    }
    return (unsigned)json_integer_value(v);
}

static int get_bool(struct reader *r, json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);

    if (!json_is_boolean(v)) {
        bad(r, key);
        return 0;
    }
    return json_is_true(v);
}

static json_t *get_array(struct reader *r, json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);

    if (!json_is_array(v)) {
        bad(r, key);
        return NULL;
    }
    return v;
}

static void read_loc(struct reader *r, json_t *obj, struct facts_loc *loc)
{
    json_t *j = json_object_get(obj, "loc");

    if (!json_is_object(j)) {
        bad(r, "loc");
        loc->file = xstrdup("");
        return;
    }
    loc->file = get_str(r, j, "file");
    loc->pos.line = get_uint(r, j, "line");
    loc->pos.column = get_uint(r, j, "column");
    loc->pos.end_line = get_uint(r, j, "end_line");
    loc->pos.end_column = get_uint(r, j, "end_column");
}

static void read_annotation(struct reader *r, json_t *j,
                            struct facts_function *fn)
{
    struct facts_annotation ann = {0};
    struct facts_loc loc = {0};
    char *kind = get_str(r, j, "kind");
    int i;

    for (i = 0; i < 3; i++)
        if (strcmp(kind, annotation_kind_names[i]) == 0)
            break;
    free(kind);
    if (i == 3) {
        bad(r, "annotation kind");
        return;
    }
    ann.kind = (enum annotation_kind)i;
    ann.id = get_str(r, j, "id");
    if (ann.kind == ANNOTATION_TEST) {
        char *tk = get_str(r, j, "test_kind");
        int k = test_kind_parse(tk);

        free(tk);
        if (k < 0)
            bad(r, "test_kind");
        ann.test_kind = k < 0 ? TEST_EFFECTIVENESS : (enum test_kind)k;
    }
    if (ann.kind == ANNOTATION_ALLOW)
        ann.justification = get_str(r, j, "justification");
    read_loc(r, j, &loc);
    facts_add_annotation(fn, &ann, &loc);
    free(loc.file);
}

static void read_match(struct reader *r, json_t *j, struct facts_function *fn)
{
    struct facts_loc loc = {0};
    char *rule = get_str(r, j, "rule");
    char *what = get_str(r, j, "what");
    json_t *macro = json_object_get(j, "macro");

    if (macro && !json_is_string(macro))
        bad(r, "macro");
    read_loc(r, j, &loc);
    facts_add_match(fn, rule, what,
                    json_is_string(macro) ? json_string_value(macro) : NULL,
                    &loc);
    free(rule);
    free(what);
    free(loc.file);
}

static void read_function(struct reader *r, struct facts_tu *tu, json_t *j)
{
    struct facts_loc loc = {0};
    struct facts_function *fn;
    json_t *arr, *item;
    char *name, *key;
    size_t i;

    if (!json_is_object(j)) {
        bad(r, "functions");
        return;
    }
    name = get_str(r, j, "name");
    key = get_str(r, j, "key");
    read_loc(r, j, &loc);
    fn = facts_add_function(tu, name, get_bool(r, j, "static"), loc.file,
                            get_bool(r, j, "defined"), &loc);
    if (strcmp(fn->key, key) != 0) {
        free(fn->key);
        fn->key = key;
        key = NULL;
    }
    free(key);
    free(name);
    free(loc.file);
    fn->indirect_calls = get_uint(r, j, "indirect_calls");
    if ((arr = get_array(r, j, "annotations")))
        json_array_foreach(arr, i, item) read_annotation(r, item, fn);
    if ((arr = get_array(r, j, "matches")))
        json_array_foreach(arr, i, item) read_match(r, item, fn);
    if (!(arr = get_array(r, j, "calls")))
        return;
    json_array_foreach(arr, i, item)
    {
        char *callee = get_str(r, item, "callee");

        read_loc(r, item, &loc);
        facts_add_call(fn, callee, &loc, get_bool(r, item, "by_address"));
        free(callee);
        free(loc.file);
    }
}

/* The optional hash of the compile command a scan used. */
static void read_arguments(struct reader *r, json_t *doc, struct facts_tu *tu)
{
    json_t *v = json_object_get(doc, "arguments");

    if (!v)
        return;
    if (!json_is_string(v) || strlen(json_string_value(v)) != 64) {
        bad(r, "arguments");
        return;
    }
    memcpy(tu->arguments_sha256, json_string_value(v), 65);
}

static struct facts_tu *tu_from_json(struct reader *r, json_t *doc)
{
    struct facts_tu *tu;
    json_t *src, *arr, *item;
    char *frontend, *clang, *file, *sha, *policy;
    size_t i;

    if (!json_is_object(doc) ||
        json_integer_value(json_object_get(doc, "mitigate_facts")) !=
                FACTS_SCHEMA_VERSION) {
        bad(r, "unknown facts version");
        return NULL;
    }
    src = json_object_get(doc, "source");
    if (!json_is_object(src)) {
        bad(r, "source");
        return NULL;
    }
    frontend = get_str(r, doc, "frontend");
    clang = get_str(r, doc, "clang_version");
    file = get_str(r, src, "file");
    sha = get_str(r, src, "sha256");
    policy = get_str(r, doc, "policy");
    tu = facts_tu_new(frontend, clang, file);
    read_arguments(r, doc, tu);
    if (strlen(policy) == 64)
        memcpy(tu->policy_hash, policy, 65);
    else
        bad(r, "policy");
    free(policy);
    if (strlen(sha) == 64)
        memcpy(tu->main_sha256, sha, 65);
    else
        bad(r, "sha256");
    free(frontend);
    free(clang);
    free(file);
    free(sha);
    if ((arr = get_array(r, doc, "functions")))
        json_array_foreach(arr, i, item) read_function(r, tu, item);
    facts_forget_index(tu); /* keys were replaced by the stored ones */
    if ((arr = get_array(r, doc, "malformed"))) {
        json_array_foreach(arr, i, item)
        {
            struct facts_loc loc = {0};
            char *text = get_str(r, item, "text");
            char *reason = get_str(r, item, "reason");

            read_loc(r, item, &loc);
            facts_add_malformed(tu, text, reason, &loc);
            free(text);
            free(reason);
            free(loc.file);
        }
    }
    return tu;
}

struct facts_tu *facts_read(const char *path, struct mt_errors *errs)
{
    struct reader r = {path, errs, 0};
    struct facts_tu *tu;
    json_error_t jerr;
    json_t *doc;
    size_t len;
    char *text = read_file(path, FACTS_MAX_SIZE, &len, errs);

    if (!text)
        return NULL;
    doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    free(text);
    if (!doc) {
        struct mt_pos pos = {(unsigned)jerr.line, (unsigned)jerr.column, 0, 0};

        mt_error_add(errs, path, &pos,
                     "not a valid facts file: %s; delete it and rebuild",
                     jerr.text);
        return NULL;
    }
    tu = tu_from_json(&r, doc);
    json_decref(doc);
    if (r.failed) {
        facts_tu_free(tu);
        return NULL;
    }
    tu->path = xstrdup(path);
    return tu;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int facts_load_dir(const char *dir, struct facts_set *set,
                   struct mt_errors *errs)
{
    size_t suffix = strlen(FACTS_SUFFIX), count = 0, alloc = 0;
    size_t errors_before = errs->count;
    char **names = NULL;
    struct dirent *de;
    DIR *d = opendir(dir);

    memset(set, 0, sizeof(*set));
    if (!d) {
        mt_error_add(errs, dir, NULL, "cannot open facts folder: %s",
                     strerror(errno));
        return -1;
    }
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);

        if (len <= suffix || de->d_name[0] == '.' ||
            strcmp(de->d_name + len - suffix, FACTS_SUFFIX) != 0)
            continue;
        grow_array(&names, &alloc, count + 1, sizeof(*names));
        names[count++] = xstrdup(de->d_name);
    }
    closedir(d);
    qsort(names, count, sizeof(*names), cmp_name);

    set->units = xcalloc(count, sizeof(*set->units));
    for (size_t i = 0; i < count; i++) {
        struct strbuf path = STRBUF_INIT;
        struct facts_tu *tu;

        sb_addf(&path, "%s/%s", dir, names[i]);
        tu = facts_read(path.buf, errs);
        if (tu)
            set->units[set->count++] = tu;
        sb_release(&path);
        free(names[i]);
    }
    free(names);
    return errs->count > errors_before ? -1 : 0;
}

void facts_set_release(struct facts_set *set)
{
    for (size_t i = 0; i < set->count; i++)
        facts_tu_free(set->units[i]);
    free(set->units);
    memset(set, 0, sizeof(*set));
}
