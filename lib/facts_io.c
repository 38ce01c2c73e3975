/*
 * facts_io.c: facts files on disk, one MessagePack document per
 * translation unit (the layout is in facts.h), written in a stable order
 * and atomically. facts_read.c reads them back.
 */
#include "facts.h"

#include <dirent.h>
#include <errno.h>
#include <msgpack.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

        sort_array(fn->annotations, fn->annotation_count,
                   sizeof(*fn->annotations), cmp_annotation);
        sort_array(fn->calls, fn->call_count, sizeof(*fn->calls), cmp_call);
        sort_array(fn->matches, fn->match_count, sizeof(*fn->matches),
                   cmp_match);
    }
    sort_array(tu->functions, tu->function_count, sizeof(*tu->functions),
               cmp_function);
    facts_forget_index(tu);
    sort_array(tu->malformed, tu->malformed_count, sizeof(*tu->malformed),
               cmp_malformed);
}

/* Writing */

/*
 * A writer of one unit's document. The files its locations name are
 * written once, in the "files" table, and referred to by index. A unit
 * names few files, and consecutive locations mostly name the same one,
 * so a linear search that starts from the last hit is enough.
 */
struct writer {
    msgpack_sbuffer buf;
    msgpack_packer pk;
    const char **files;
    size_t file_count, file_alloc, last;
};

static size_t file_index(struct writer *w, const char *file)
{
    if (w->file_count && strcmp(w->files[w->last], file) == 0)
        return w->last;
    for (size_t i = 0; i < w->file_count; i++)
        if (strcmp(w->files[i], file) == 0)
            return w->last = i;
    grow_array(&w->files, &w->file_alloc, w->file_count + 1, sizeof(*w->files));
    w->files[w->file_count] = file;
    return w->last = w->file_count++;
}

/* Every file a location of tu names, the main file first. */
static void collect_files(struct writer *w, const struct facts_tu *tu)
{
    file_index(w, tu->main_file);
    for (size_t i = 0; i < tu->function_count; i++) {
        const struct facts_function *fn = &tu->functions[i];

        file_index(w, fn->loc.file);
        for (size_t k = 0; k < fn->annotation_count; k++)
            file_index(w, fn->annotations[k].loc.file);
        for (size_t k = 0; k < fn->call_count; k++)
            file_index(w, fn->calls[k].loc.file);
        for (size_t k = 0; k < fn->match_count; k++)
            file_index(w, fn->matches[k].loc.file);
    }
    for (size_t i = 0; i < tu->malformed_count; i++)
        file_index(w, tu->malformed[i].loc.file);
}

static void put_str(struct writer *w, const char *s)
{
    size_t len = strlen(s);

    msgpack_pack_str(&w->pk, len);
    msgpack_pack_str_body(&w->pk, s, len);
}

static void put_uint(struct writer *w, size_t value)
{
    msgpack_pack_uint64(&w->pk, (uint64_t)value);
}

static void put_bool(struct writer *w, int value)
{
    if (value)
        msgpack_pack_true(&w->pk);
    else
        msgpack_pack_false(&w->pk);
}

/* The file index, line and column of loc, and its end when with_end. */
static void put_loc_fields(struct writer *w, const struct facts_loc *loc,
                           int with_end)
{
    put_uint(w, file_index(w, loc->file));
    put_uint(w, loc->pos.line);
    put_uint(w, loc->pos.column);
    if (!with_end)
        return;
    put_uint(w, loc->pos.end_line);
    put_uint(w, loc->pos.end_column);
}

static void put_loc(struct writer *w, const struct facts_loc *loc)
{
    msgpack_pack_array(&w->pk, 5);
    put_loc_fields(w, loc, 1);
}

static void put_annotation(struct writer *w, const struct facts_annotation *a)
{
    int extra = a->kind == ANNOTATION_TEST || a->kind == ANNOTATION_ALLOW;

    msgpack_pack_map(&w->pk, 3 + extra);
    put_str(w, "kind");
    put_str(w, annotation_kind_name(a->kind));
    put_str(w, "id");
    put_str(w, a->id);
    if (a->kind == ANNOTATION_TEST) {
        put_str(w, "test_kind");
        put_str(w, test_kind_name(a->test_kind));
    }
    if (a->kind == ANNOTATION_ALLOW) {
        put_str(w, "justification");
        put_str(w, a->justification);
    }
    put_str(w, "loc");
    put_loc(w, &a->loc);
}

/* A call is [callee key, file, line, column, by address]. */
static void put_call(struct writer *w, const struct facts_call *c)
{
    msgpack_pack_array(&w->pk, 5);
    put_str(w, c->callee);
    put_loc_fields(w, &c->loc, 0);
    put_bool(w, c->by_address);
}

/*
 * A match is [rule, what, macro or nil, file, line, column, end line,
 * end column].
 */
static void put_match(struct writer *w, const struct facts_match *m)
{
    msgpack_pack_array(&w->pk, 8);
    put_str(w, m->rule);
    put_str(w, m->what);
    if (m->macro)
        put_str(w, m->macro);
    else
        msgpack_pack_nil(&w->pk);
    put_loc_fields(w, &m->loc, 1);
}

static void put_function(struct writer *w, const struct facts_function *fn)
{
    msgpack_pack_map(&w->pk, 9);
    put_str(w, "key");
    put_str(w, fn->key);
    put_str(w, "name");
    put_str(w, fn->name);
    put_str(w, "static");
    put_bool(w, fn->is_static);
    put_str(w, "defined");
    put_bool(w, fn->defined);
    put_str(w, "loc");
    put_loc(w, &fn->loc);
    put_str(w, "annotations");
    msgpack_pack_array(&w->pk, fn->annotation_count);
    for (size_t i = 0; i < fn->annotation_count; i++)
        put_annotation(w, &fn->annotations[i]);
    put_str(w, "calls");
    msgpack_pack_array(&w->pk, fn->call_count);
    for (size_t i = 0; i < fn->call_count; i++)
        put_call(w, &fn->calls[i]);
    put_str(w, "indirect_calls");
    put_uint(w, fn->indirect_calls);
    put_str(w, "matches");
    msgpack_pack_array(&w->pk, fn->match_count);
    for (size_t i = 0; i < fn->match_count; i++)
        put_match(w, &fn->matches[i]);
}

static void put_malformed(struct writer *w, const struct facts_malformed *m)
{
    msgpack_pack_map(&w->pk, 3);
    put_str(w, "text");
    put_str(w, m->text);
    put_str(w, "reason");
    put_str(w, m->reason);
    put_str(w, "loc");
    put_loc(w, &m->loc);
}

static void put_tu(struct writer *w, const struct facts_tu *tu)
{
    collect_files(w, tu);
    msgpack_pack_map(&w->pk, tu->arguments_sha256[0] ? 9 : 8);
    put_str(w, "mitigate_facts");
    put_uint(w, FACTS_SCHEMA_VERSION);
    put_str(w, "frontend");
    put_str(w, tu->frontend);
    put_str(w, "clang_version");
    put_str(w, tu->clang_version);
    put_str(w, "policy");
    put_str(w, tu->policy_hash);
    put_str(w, "source");
    msgpack_pack_map(&w->pk, 2);
    put_str(w, "file");
    put_str(w, tu->main_file);
    put_str(w, "xxh128");
    put_str(w, tu->main_hash);
    if (tu->arguments_sha256[0]) {
        put_str(w, "arguments");
        put_str(w, tu->arguments_sha256);
    }
    put_str(w, "files");
    msgpack_pack_array(&w->pk, w->file_count);
    for (size_t i = 0; i < w->file_count; i++)
        put_str(w, w->files[i]);
    put_str(w, "functions");
    msgpack_pack_array(&w->pk, tu->function_count);
    for (size_t i = 0; i < tu->function_count; i++)
        put_function(w, &tu->functions[i]);
    put_str(w, "malformed");
    msgpack_pack_array(&w->pk, tu->malformed_count);
    for (size_t i = 0; i < tu->malformed_count; i++)
        put_malformed(w, &tu->malformed[i]);
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
    struct writer w = {0};
    char *name;
    int rc;

    if (mkdir_p(dir, errs) < 0)
        return -1;
    facts_sort(tu);
    msgpack_sbuffer_init(&w.buf);
    msgpack_packer_init(&w.pk, &w.buf, msgpack_sbuffer_write);
    put_tu(&w, tu);
    name = facts_file_name(tu->main_file);
    sb_addf(&path, "%s/%s", dir, name);
    rc = write_file_atomic(path.buf, w.buf.data, w.buf.size, errs);
    msgpack_sbuffer_destroy(&w.buf);
    free(w.files);
    free(name);
    sb_release(&path);
    return rc;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Reading a build's facts files: each is read on its own, into its slot,
 * by as many threads as there are processors. Errors are kept per file
 * and joined in name order, so the result does not depend on which
 * thread read what.
 */
struct loader {
    const char *dir;
    char **names;
    size_t count;
    struct facts_tu **units;
    struct mt_errors *errs;
    size_t next; /* the next file to read, under lock */
    pthread_mutex_t lock;
};

static void *load_files(void *arg)
{
    struct loader *l = arg;

    for (;;) {
        struct strbuf path = STRBUF_INIT;
        size_t i;

        pthread_mutex_lock(&l->lock);
        i = l->next++;
        pthread_mutex_unlock(&l->lock);
        if (i >= l->count)
            return NULL;
        sb_addf(&path, "%s/%s", l->dir, l->names[i]);
        l->units[i] = facts_read(path.buf, &l->errs[i]);
        sb_release(&path);
    }
}

/* Threads to read n files with: one a processor, at most 16. */
static size_t reader_threads(size_t n)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    size_t t = cpus > 1 ? (size_t)cpus : 1;

    t = t > 16 ? 16 : t;
    return t < n ? t : (n ? n : 1);
}

int facts_load_dir(const char *dir, struct facts_set *set,
                   struct mt_errors *errs)
{
    size_t suffix = strlen(FACTS_SUFFIX), count = 0, alloc = 0;
    size_t errors_before = errs->count, threads, started = 0;
    char **names = NULL;
    struct dirent *de;
    DIR *d = opendir(dir);
    struct loader l;
    pthread_t *tids;

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
    sort_array(names, count, sizeof(*names), cmp_name);

    memset(&l, 0, sizeof(l));
    l.dir = dir;
    l.names = names;
    l.count = count;
    l.units = xcalloc(count ? count : 1, sizeof(*l.units));
    l.errs = xcalloc(count ? count : 1, sizeof(*l.errs));
    pthread_mutex_init(&l.lock, NULL);
    threads = reader_threads(count);
    tids = xcalloc(threads, sizeof(*tids));
    /* The reading is all done by the threads (so that a profile shows it
       under load_files); by this one only when none can be made. */
    for (size_t t = 0; t < threads; t++)
        started += pthread_create(&tids[started], NULL, load_files, &l) == 0;
    if (!started)
        load_files(&l);
    for (size_t t = 0; t < started; t++)
        pthread_join(tids[t], NULL);
    pthread_mutex_destroy(&l.lock);
    free(tids);

    set->units = l.units;
    for (size_t i = 0; i < count; i++) {
        mt_errors_move(errs, &l.errs[i]);
        if (l.units[i])
            set->units[set->count++] = l.units[i];
        free(names[i]);
    }
    free(l.errs);
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
