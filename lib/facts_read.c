/*
 * facts_read.c: reading facts files back, strictly. A file that is not
 * a whole, current facts document is rejected with one message that
 * says to rebuild, never half read.
 */
#include "facts.h"

#include <libxml/xmlstring.h>
#include <mitigate.h>
#include <msgpack.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FACTS_MAX_SIZE (256u << 20)

/* A reader over one facts document that records the first problem. */
struct reader {
    const char *path;
    struct mt_errors *errs;
    int failed;
    struct facts_tu *tu; /* the unit read, which pools its strings */
    char **files;        /* the document's "files" table, in the pool */
    uint32_t file_count;
    struct strbuf scratch; /* a string being checked */
};

static void bad(struct reader *r, const char *what)
{
    if (!r->failed)
        mt_error_add(r->errs, r->path, NULL,
                     "not a valid facts file: bad %s; delete the facts "
                     "folder and rebuild",
                     what);
    r->failed = 1;
}

/* The value of key in a map, or NULL. */
static const msgpack_object *field(const msgpack_object *map, const char *key)
{
    size_t len = strlen(key);

    if (!map || map->type != MSGPACK_OBJECT_MAP)
        return NULL;
    for (uint32_t i = 0; i < map->via.map.size; i++) {
        const msgpack_object *k = &map->via.map.ptr[i].key;

        if (k->type == MSGPACK_OBJECT_STR && k->via.str.size == len &&
            memcmp(k->via.str.ptr, key, len) == 0)
            return &map->via.map.ptr[i].val;
    }
    return NULL;
}

/* Item i of an array, or NULL. */
static const msgpack_object *item(const msgpack_object *arr, uint32_t i)
{
    if (!arr || arr->type != MSGPACK_OBJECT_ARRAY || i >= arr->via.array.size)
        return NULL;
    return &arr->via.array.ptr[i];
}

/* The items of an array of exactly n items (any n when n is 0). */
static const msgpack_object *items(struct reader *r, const msgpack_object *v,
                                   uint32_t n, const char *what)
{
    if (!v || v->type != MSGPACK_OBJECT_ARRAY ||
        (n && v->via.array.size != n)) {
        bad(r, what);
        return NULL;
    }
    return v;
}

/*
 * A copy of a string of UTF-8 without NUL bytes; "" after noting a
 * problem. Everything downstream (SARIF, the matrix) is UTF-8 text.
 */
static char *str_of(struct reader *r, const msgpack_object *v, const char *what)
{
    char *copy;

    if (!v || v->type != MSGPACK_OBJECT_STR ||
        memchr(v->via.str.ptr, '\0', v->via.str.size)) {
        bad(r, what);
        return xstrdup("");
    }
    copy = xstrndup(v->via.str.ptr, v->via.str.size);
    if (!xmlCheckUTF8((const unsigned char *)copy)) {
        bad(r, what);
        copy[0] = '\0';
    }
    return copy;
}

/* The same as str_of, for a string of the unit's records: in its pool. */
static char *kept_of(struct reader *r, const msgpack_object *v,
                     const char *what)
{
    if (!v || v->type != MSGPACK_OBJECT_STR ||
        memchr(v->via.str.ptr, '\0', v->via.str.size)) {
        bad(r, what);
        return facts_tu_string(r->tu, "");
    }
    r->scratch.len = 0;
    sb_add(&r->scratch, v->via.str.ptr, v->via.str.size);
    if (!xmlCheckUTF8((const unsigned char *)sb_str(&r->scratch))) {
        bad(r, what);
        return facts_tu_string(r->tu, "");
    }
    return facts_tu_string(r->tu, sb_str(&r->scratch));
}

static unsigned uint_of(struct reader *r, const msgpack_object *v,
                        const char *what)
{
    if (!v || v->type != MSGPACK_OBJECT_POSITIVE_INTEGER ||
        v->via.u64 > 0x7fffffff) {
        bad(r, what);
        return 0;
    }
    return (unsigned)v->via.u64;
}

static int bool_of(struct reader *r, const msgpack_object *v, const char *what)
{
    if (!v || v->type != MSGPACK_OBJECT_BOOLEAN) {
        bad(r, what);
        return 0;
    }
    return v->via.boolean;
}

/*
 * Reads the location held in arr from index at: a file index, a line
 * and a column, then the end line and column when with_end is set (a
 * call's location has none, and ends where it starts).
 */
static void loc_of(struct reader *r, const msgpack_object *arr, uint32_t at,
                   int with_end, struct facts_loc *loc)
{
    unsigned file = uint_of(r, item(arr, at), "location");

    if (file < r->file_count) {
        loc->file = r->files[file];
    } else {
        bad(r, "location file");
        loc->file = facts_tu_string(r->tu, "");
    }
    loc->pos.line = uint_of(r, item(arr, at + 1), "location");
    loc->pos.column = uint_of(r, item(arr, at + 2), "location");
    loc->pos.end_line = loc->pos.line;
    loc->pos.end_column = loc->pos.column;
    if (!with_end)
        return;
    loc->pos.end_line = uint_of(r, item(arr, at + 3), "location");
    loc->pos.end_column = uint_of(r, item(arr, at + 4), "location");
}

static void read_loc(struct reader *r, const msgpack_object *obj,
                     struct facts_loc *loc)
{
    const msgpack_object *arr = items(r, field(obj, "loc"), 5, "loc");

    if (!arr) {
        loc->file = facts_tu_string(r->tu, "");
        return;
    }
    loc_of(r, arr, 0, 1, loc);
}

static void read_annotation(struct reader *r, const msgpack_object *obj,
                            struct facts_function *fn)
{
    struct facts_annotation ann = {0};
    struct facts_loc loc = {0};
    char *word = str_of(r, field(obj, "kind"), "annotation kind");
    int kind = annotation_kind_parse(word);

    free(word);
    if (kind < 0) {
        bad(r, "annotation kind");
        return;
    }
    ann.kind = (enum annotation_kind)kind;
    ann.id = str_of(r, field(obj, "id"), "annotation id");
    if (ann.kind == ANNOTATION_TEST) {
        char *tk = str_of(r, field(obj, "test_kind"), "test_kind");
        int k = test_kind_parse(tk);

        free(tk);
        if (k < 0)
            bad(r, "test_kind");
        ann.test_kind = k < 0 ? TEST_EFFECTIVENESS : (enum test_kind)k;
    }
    if (ann.kind == ANNOTATION_ALLOW)
        ann.justification =
                str_of(r, field(obj, "justification"), "justification");
    read_loc(r, obj, &loc);
    facts_add_annotation(r->tu, fn, &ann, &loc);
}

/* [rule, what, macro or nil, file, line, column, end line, end column] */
static void read_match(struct reader *r, const msgpack_object *arr,
                       struct facts_function *fn)
{
    struct facts_loc loc = {0};
    const msgpack_object *macro = item(arr, 2);
    char *rule, *what, *through = NULL;

    if (!items(r, arr, 8, "match"))
        return;
    rule = kept_of(r, item(arr, 0), "match rule");
    what = kept_of(r, item(arr, 1), "match");
    if (macro->type != MSGPACK_OBJECT_NIL)
        through = kept_of(r, macro, "match macro");
    loc_of(r, arr, 3, 1, &loc);
    facts_add_match(r->tu, fn, rule, what, through, &loc);
}

/* [callee, file, line, column, by address] */
static void read_call(struct reader *r, const msgpack_object *arr,
                      struct facts_function *fn)
{
    struct facts_loc loc = {0};
    char *callee;

    if (!items(r, arr, 5, "call"))
        return;
    callee = kept_of(r, item(arr, 0), "callee");
    loc_of(r, arr, 1, 0, &loc);
    facts_add_call(r->tu, fn, callee, &loc, bool_of(r, item(arr, 4), "call"));
}

static void read_function(struct reader *r, struct facts_tu *tu,
                          const msgpack_object *obj)
{
    struct facts_loc loc = {0};
    struct facts_function *fn;
    const msgpack_object *arr;
    char *name, *key;

    if (!obj || obj->type != MSGPACK_OBJECT_MAP) {
        bad(r, "function");
        return;
    }
    name = kept_of(r, field(obj, "name"), "function name");
    key = kept_of(r, field(obj, "key"), "function key");
    read_loc(r, obj, &loc);
    fn = facts_add_function(
            tu, name, bool_of(r, field(obj, "static"), "static"), loc.file,
            bool_of(r, field(obj, "defined"), "defined"), &loc);
    fn->key = key; /* the stored key; the pool keeps the one made */
    fn->indirect_calls =
            uint_of(r, field(obj, "indirect_calls"), "indirect_calls");
    /* The arrays are made to measure: a large build has millions of
       calls, and growing by doubling would leave a third unused. */
    if ((arr = items(r, field(obj, "annotations"), 0, "annotations"))) {
        reserve_array(&fn->annotations, &fn->annotation_alloc,
                      fn->annotation_count + arr->via.array.size,
                      sizeof(*fn->annotations));
        for (uint32_t i = 0; i < arr->via.array.size; i++)
            read_annotation(r, item(arr, i), fn);
    }
    if ((arr = items(r, field(obj, "matches"), 0, "matches"))) {
        reserve_array(&fn->matches, &fn->match_alloc,
                      fn->match_count + arr->via.array.size,
                      sizeof(*fn->matches));
        for (uint32_t i = 0; i < arr->via.array.size; i++)
            read_match(r, item(arr, i), fn);
    }
    if ((arr = items(r, field(obj, "calls"), 0, "calls"))) {
        reserve_array(&fn->calls, &fn->call_alloc,
                      fn->call_count + arr->via.array.size, sizeof(*fn->calls));
        for (uint32_t i = 0; i < arr->via.array.size; i++)
            read_call(r, item(arr, i), fn);
    }
}

static void read_malformed(struct reader *r, struct facts_tu *tu,
                           const msgpack_object *obj)
{
    struct facts_loc loc = {0};
    char *text = kept_of(r, field(obj, "text"), "malformed text");
    char *reason = kept_of(r, field(obj, "reason"), "malformed reason");

    read_loc(r, obj, &loc);
    facts_add_malformed(tu, text, reason, &loc);
}

/* A fixed-length hex digest, copied into out (len + 1 bytes). */
MITIGATE_ALLOW("MB1018", "copies only a string of exactly len characters, "
                         "which out holds with its NUL")
static void digest_of(struct reader *r, const msgpack_object *v, size_t len,
                      char *out, const char *what)
{
    char *hex = str_of(r, v, what);

    if (strlen(hex) == len)
        memcpy(out, hex, len + 1);
    else
        bad(r, what);
    free(hex);
}

static struct facts_tu *tu_from_doc(struct reader *r, const msgpack_object *doc)
{
    const msgpack_object *version = field(doc, "mitigate_facts");
    const msgpack_object *src = field(doc, "source"), *arr, *files;
    struct facts_tu *tu;
    char *frontend, *clang, *file;

    if (!version || version->type != MSGPACK_OBJECT_POSITIVE_INTEGER ||
        version->via.u64 != FACTS_SCHEMA_VERSION) {
        bad(r, "version (written by another mitigate)");
        return NULL;
    }
    files = items(r, field(doc, "files"), 0, "files");
    if (!src || src->type != MSGPACK_OBJECT_MAP || !files) {
        bad(r, "source");
        return NULL;
    }
    frontend = str_of(r, field(doc, "frontend"), "frontend");
    clang = str_of(r, field(doc, "clang_version"), "clang_version");
    file = str_of(r, field(src, "file"), "source file");
    tu = facts_tu_new(frontend, clang, file);
    free(frontend);
    free(clang);
    free(file);
    facts_tu_pool_strings(tu);
    r->tu = tu;
    /* Each file name is checked once, however many places name it. */
    r->file_count = files->via.array.size;
    r->files = xcalloc(r->file_count ? r->file_count : 1, sizeof(*r->files));
    for (uint32_t i = 0; i < r->file_count; i++)
        r->files[i] = kept_of(r, item(files, i), "location file");
    digest_of(r, field(doc, "policy"), 64, tu->policy_hash, "policy");
    digest_of(r, field(src, "xxh128"), 32, tu->main_hash, "source hash");
    if (field(doc, "arguments"))
        digest_of(r, field(doc, "arguments"), 64, tu->arguments_sha256,
                  "arguments");

    if ((arr = items(r, field(doc, "functions"), 0, "functions"))) {
        reserve_array(&tu->functions, &tu->function_alloc, arr->via.array.size,
                      sizeof(*tu->functions));
        for (uint32_t i = 0; i < arr->via.array.size; i++)
            read_function(r, tu, item(arr, i));
    }
    facts_forget_index(tu); /* keys were replaced by the stored ones */
    if ((arr = items(r, field(doc, "malformed"), 0, "malformed")))
        for (uint32_t i = 0; i < arr->via.array.size; i++)
            read_malformed(r, tu, item(arr, i));
    return tu;
}

/* A big-endian number of n bytes at p. */
static uint64_t big_endian(const unsigned char *p, unsigned n)
{
    uint64_t v = 0;

    while (n--)
        v = v << 8 | *p++;
    return v;
}

/*
 * Whether the MessagePack document at text holds what its headers
 * claim: every string and every item of an array or map within the len
 * bytes (an item takes a byte at least). msgpack-c sets aside room for
 * the items a header claims before it reads them, so a few bytes that
 * claim four billion items would ask for a hundred gigabytes; this walk
 * over the headers, in constant memory, refuses such a file, and a file
 * cut short, first. It looks at sizes only; msgpack-c then reads the
 * document.
 */
static int claims_fit(const unsigned char *text, size_t len)
{
    uint64_t pending = 1; /* items still to come */
    size_t at = 0;

    while (pending > 0) {
        unsigned b, width = 0;
        uint64_t items = 0, skip = 0;

        if (at >= len)
            return 0;
        b = text[at++];
        pending--;
        if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3)
            continue;
        if (b >= 0x80 && b <= 0x8f)
            items = 2 * (uint64_t)(b & 0x0f);
        else if (b >= 0x90 && b <= 0x9f)
            items = b & 0x0f;
        else if (b >= 0xa0 && b <= 0xbf)
            skip = b & 0x1f;
        else if (b >= 0xcc && b <= 0xd3)
            skip = 1u << (b & 3);
        else if (b == 0xca || b == 0xcb)
            skip = b == 0xca ? 4 : 8;
        else if (b >= 0xd4 && b <= 0xd8)
            skip = 1 + (1u << (b - 0xd4));
        else if (b == 0xc4 || b == 0xd9)
            width = 1;
        else if (b == 0xc5 || b == 0xda || b == 0xdc || b == 0xde)
            width = 2;
        else if (b == 0xc6 || b == 0xdb || b == 0xdd || b == 0xdf)
            width = 4;
        else if (b >= 0xc7 && b <= 0xc9)
            width = 1u << (b - 0xc7);
        else
            return 1; /* 0xc1, never used: msgpack-c refuses it */
        if (width) {
            if (len - at < width)
                return 0;
            skip = big_endian(text + at, width);
            at += width;
            if (b >= 0xdc) {
                items = b >= 0xde ? 2 * skip : skip;
                skip = 0;
            } else if (b >= 0xc7 && b <= 0xc9) {
                skip++; /* the extension's type byte */
            }
        }
        if (skip > len - at)
            return 0;
        at += skip;
        if (pending + items > len - at)
            return 0;
        pending += items;
    }
    return 1;
}

MITIGATES("M-STRICT-FACTS")
struct facts_tu *facts_parse(const char *path, const char *text, size_t len,
                             struct mt_errors *errs)
{
    struct reader r = {path, errs, 0, NULL, NULL, 0, STRBUF_INIT};
    struct facts_tu *tu = NULL;
    msgpack_unpacked doc;
    size_t used = 0;
    msgpack_unpack_return rc;

    if (!claims_fit((const unsigned char *)text, len)) {
        mt_error_add(errs, path, NULL,
                     "not a valid facts file: it is cut short; delete it "
                     "and rebuild");
        return NULL;
    }
    msgpack_unpacked_init(&doc);
    rc = msgpack_unpack_next(&doc, text, len, &used);
    if (rc != MSGPACK_UNPACK_SUCCESS || used != len)
        mt_error_add(errs, path, NULL,
                     "not a valid facts file: %s; delete it and rebuild",
                     rc == MSGPACK_UNPACK_CONTINUE ? "it is cut short"
                     : rc == MSGPACK_UNPACK_SUCCESS
                             ? "data follows the document"
                             : "it is not a facts document");
    else
        tu = tu_from_doc(&r, &doc.data);
    msgpack_unpacked_destroy(&doc);
    free(r.files);
    sb_release(&r.scratch);
    if (r.failed) {
        facts_tu_free(tu);
        return NULL;
    }
    return tu;
}

struct facts_tu *facts_read(const char *path, struct mt_errors *errs)
{
    struct facts_tu *tu;
    size_t len;
    char *data = read_file(path, FACTS_MAX_SIZE, &len, errs);

    if (!data)
        return NULL;
    tu = facts_parse(path, data, len, errs);
    free(data);
    if (tu)
        tu->path = xstrdup(path);
    return tu;
}
