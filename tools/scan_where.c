/*
 * scan_where.c: where things are, for the libclang front end: the
 * facts position of a cursor, where its first token was written and
 * spelled, the files read, and the macro uses and definitions of the
 * detailed preprocessing record, which clang's AST keeps but libclang's
 * C API does not otherwise show.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scan_walk.h"

/* Tables */

size_t mix(size_t h, uintptr_t v)
{
    return (h ^ v) * 0x100000001b3u;
}

static size_t slot_hash(const struct slot *key, int by_cursor)
{
    if (by_cursor)
        return clang_hashCursor(key->cursor) * 0x9e3779b97f4a7c15u;
    return mix(mix(0xcbf29ce484222325u, (uintptr_t)key->file), key->offset);
}

static int slot_equal(const struct slot *a, const struct slot *b, int by_cursor)
{
    if (by_cursor)
        return clang_equalCursors(a->cursor, b->cursor);
    return a->file == b->file && a->offset == b->offset;
}

struct slot *table_find(struct table *t, const struct slot *key, int by_cursor,
                        int add)
{
    size_t mask, s;

    if (add && (t->used + 1) * 2 > t->size) {
        struct slot *old = t->slots;
        size_t old_size = t->size;

        t->size = old_size ? old_size * 2 : 256;
        t->slots = xcalloc(t->size, sizeof(*t->slots));
        t->used = 0;
        for (size_t i = 0; i < old_size; i++)
            if (old[i].used)
                *table_find(t, &old[i], by_cursor, 1) = old[i];
        free(old);
    }
    if (!t->size)
        return NULL;
    mask = t->size - 1;
    s = slot_hash(key, by_cursor) & mask;
    while (t->slots[s].used && !slot_equal(&t->slots[s], key, by_cursor))
        s = (s + 1) & mask;
    if (t->slots[s].used)
        return &t->slots[s];
    if (!add)
        return NULL;
    t->slots[s] = *key;
    t->slots[s].used = 1;
    t->used++;
    return &t->slots[s];
}

/* Files and positions */

struct file_info *file_info(struct walk *w, CXFile file)
{
    struct slot key = {0}, *s;
    struct file_info *info;

    key.file = file;
    s = table_find(&w->files, &key, 0, 1);
    if (s->value)
        return s->value;
    info = xcalloc(1, sizeof(*info));
    {
        CXString real = clang_File_tryGetRealPathName(file);
        const char *p = clang_getCString(real);

        if (p && p[0]) {
            info->path = xstrdup(p);
        } else {
            CXString name = clang_getFileName(file);

            info->path = xstrdup(clang_getCString(name));
            clang_disposeString(name);
        }
        clang_disposeString(real);
    }
    info->text = clang_getFileContents(w->unit, file, &info->len);
    s->value = info;
    return info;
}

/* A file position of l: its expansion point, or its file location. */
static struct collect_point point_of(CXSourceLocation l, int expansion)
{
    struct collect_point p = {0};
    CXFile file = NULL;

    if (expansion)
        clang_getExpansionLocation(l, &file, &p.line, &p.column, &p.offset);
    else
        clang_getFileLocation(l, &file, &p.line, &p.column, &p.offset);
    p.file = file;
    return p;
}

struct collect_point expansion_point(CXSourceLocation l)
{
    return point_of(l, 1);
}

struct collect_point file_point(CXSourceLocation l)
{
    return point_of(l, 0);
}

/* Whether a macro use may start at a file position: no means no. */
static int may_start_use(struct walk *w, const void *file, unsigned offset)
{
    struct file_info *info;

    if (!file)
        return 0;
    info = file_info(w, (CXFile)(uintptr_t)file);
    return info->uses && offset < info->len &&
           (info->uses[offset / 8] & (1u << (offset % 8)));
}

CXCursor expansion_at(struct walk *w, const void *file, unsigned offset)
{
    struct slot key = {0}, *s;

    if (!may_start_use(w, file, offset))
        return clang_getNullCursor();
    key.file = file;
    key.offset = offset;
    s = table_find(&w->expansions, &key, 0, 0);
    return s ? s->cursor : clang_getNullCursor();
}

void add_expansion(struct walk *w, const void *file, unsigned offset,
                   CXCursor c)
{
    struct file_info *info = file_info(w, (CXFile)(uintptr_t)file);
    struct slot key = {0};

    if (offset >= info->len)
        return;
    if (!info->uses)
        info->uses = xcalloc(info->len / 8 + 1, 1);
    info->uses[offset / 8] |= (unsigned char)(1u << (offset % 8));
    key.file = file;
    key.offset = offset;
    key.cursor = c;
    table_find(&w->expansions, &key, 0, 1)->cursor = c;
}

/* The end of the macro use at a file position, or p itself. */
static struct collect_point expansion_end(struct walk *w,
                                          struct collect_point p)
{
    CXCursor use = expansion_at(w, p.file, p.offset);

    if (clang_Cursor_isNull(use))
        return p;
    return expansion_point(clang_getRangeEnd(clang_getCursorExtent(use)));
}

struct site site_of(CXCursor c, int at_location)
{
    struct site s;

    memset(&s, 0, sizeof(s));
    s.cursor = c;
    s.at_location = at_location;
    return s;
}

static CXSourceLocation site_begin(const struct site *s)
{
    if (s->has_begin)
        return s->begin;
    if (s->at_location)
        return clang_getCursorLocation(s->cursor);
    return clang_getRangeStart(clang_getCursorExtent(s->cursor));
}

/*
 * The facts position of a site, as the plugin works it out from clang's
 * expansion ranges: where the outermost macro use begins, and where the
 * last token, or the macro use it came from, ends.
 */
void op_locate(void *fe, const void *site, struct facts_loc *loc)
{
    struct walk *w = fe;
    const struct site *s = site;
    struct collect_point b, e;

    if (s->at_location) {
        CXSourceLocation l = clang_getCursorLocation(s->cursor);
        CXToken *tok;

        b = e = expansion_point(l);
        if (!clang_Cursor_isNull(expansion_at(w, b.file, b.offset))) {
            e = expansion_end(w, b);
        } else if ((tok = clang_getToken(w->unit, l))) {
            e = expansion_point(
                    clang_getRangeEnd(clang_getTokenExtent(w->unit, *tok)));
            clang_disposeTokens(w->unit, tok, 1);
        }
    } else {
        CXSourceRange r = clang_getCursorExtent(s->cursor);
        struct collect_point f = file_point(clang_getRangeEnd(r));

        b = expansion_point(clang_getRangeStart(r));
        e = expansion_point(clang_getRangeEnd(r));
        /* A range that ends in a macro argument ends with its macro use. */
        if (e.file != f.file || e.offset != f.offset)
            e = expansion_end(w, e);
    }
    loc->file = xstrdup(b.file ? file_info(w, (CXFile)(uintptr_t)b.file)->path
                               : "<unknown>");
    loc->pos.line = b.line;
    loc->pos.column = b.column;
    if (e.file != b.file || e.line < b.line) {
        loc->pos.end_line = b.line;
        loc->pos.end_column = b.column;
    } else {
        loc->pos.end_line = e.line;
        loc->pos.end_column = e.column;
    }
}

/* A point's file and offset, without its line: cheaper. */
static struct collect_point bare_point(CXSourceLocation l, int expansion)
{
    struct collect_point p = {0};
    CXFile file = NULL;

    if (expansion)
        clang_getExpansionLocation(l, &file, NULL, NULL, &p.offset);
    else
        clang_getFileLocation(l, &file, NULL, NULL, &p.offset);
    p.file = file;
    return p;
}

void op_position(void *fe, struct collect_point *at)
{
    struct walk *w = fe;
    CXSourceLocation l = clang_getLocationForOffset(
            w->unit, (CXFile)(uintptr_t)at->file, at->offset);

    clang_getExpansionLocation(l, NULL, &at->line, &at->column, NULL);
}

void op_origin(void *fe, const void *site, struct collect_origin *o)
{
    struct walk *w = fe;
    const struct site *s = site;
    CXSourceLocation b = site_begin(site);

    if (s->has_origin) {
        *o = s->origin;
        return;
    }
    o->expansion = bare_point(b, 1);
    o->written = bare_point(b, 0);
    /* A macro use recorded where the token was written produced it. */
    o->from_macro = !clang_Cursor_isNull(
            expansion_at(w, o->written.file, o->written.offset));
}

void op_spelled(void *fe, const void *site, struct collect_point *at)
{
    struct walk *w = fe;
    CXSourceLocation b = site_begin(site);
    CXToken *tokens = NULL;
    unsigned n = 0;

    struct collect_point e = bare_point(b, 1);

    *at = file_point(b);
    if (clang_Cursor_isNull(expansion_at(w, e.file, e.offset)))
        return; /* no macro produced it: spelled where written */
    /*
     * libclang tells a token's spelling only by lexing it there: an
     * empty range at b lexes the one token that starts at its spelling.
     * (clang_getToken() measures the token in the macro's expansion and
     * can lex far past it.)
     */
    clang_tokenize(w->unit, clang_getRange(b, b), &tokens, &n);
    if (n)
        *at = file_point(clang_getTokenLocation(w->unit, tokens[0]));
    clang_disposeTokens(w->unit, tokens, n);
}

const char *op_path(void *fe, const void *file)
{
    return file_info(fe, (CXFile)(uintptr_t)file)->path;
}

const char *op_contents(void *fe, const void *file, size_t *len)
{
    struct file_info *info = file_info(fe, (CXFile)(uintptr_t)file);

    *len = info->len;
    return info->text;
}

/* Macros */

size_t name_hash(const char *name)
{
    size_t h = 0xcbf29ce484222325u;

    for (; *name; name++)
        h = mix(h, (unsigned char)*name);
    return h;
}

/* Adds a macro definition; a name defined twice has two entries. */
void add_definition(struct walk *w, CXCursor def)
{
    size_t s;

    if ((w->def_count + 1) * 2 > w->def_slots) {
        struct macro_def *old = w->defs;
        size_t old_slots = w->def_slots;

        w->def_slots = old_slots ? old_slots * 2 : 1024;
        w->defs = xcalloc(w->def_slots, sizeof(*w->defs));
        w->def_count = 0;
        for (size_t i = 0; i < old_slots; i++) {
            if (!old[i].name)
                continue;
            s = name_hash(old[i].name) & (w->def_slots - 1);
            while (w->defs[s].name)
                s = (s + 1) & (w->def_slots - 1);
            w->defs[s] = old[i];
            w->def_count++;
        }
        free(old);
    }
    {
        char *name = spelling(def);

        s = name_hash(name) & (w->def_slots - 1);
        while (w->defs[s].name)
            s = (s + 1) & (w->def_slots - 1);
        w->defs[s].name = name;
        w->defs[s].cursor = def;
        w->def_count++;
    }
}

int reaches_banned(struct walk *w, CXCursor def);

/*
 * Whether a macro name is banned, or names a definition that may expand
 * a banned macro.
 */
static int name_reaches_banned(struct walk *w, const char *name)
{
    size_t s;

    if (collect_bans_macro(w->core, name))
        return 1;
    if (!w->def_slots)
        return 0;
    for (s = name_hash(name) & (w->def_slots - 1); w->defs[s].name;
         s = (s + 1) & (w->def_slots - 1))
        if (strcmp(w->defs[s].name, name) == 0 &&
            reaches_banned(w, w->defs[s].cursor))
            return 1;
    return 0;
}

/*
 * Whether a macro definition names a banned macro, or a macro whose
 * definition does, and so on. Read from the definitions' words, so it
 * may say yes where an expansion never does; it spares lexing the
 * statements of macros that cannot matter.
 *
 * Limitation: a banned macro's name made by pasting tokens (a ## ssert)
 * is not among the words, so a use made that way inside another macro
 * is missed, where the plugin finds it.
 */
int reaches_banned(struct walk *w, CXCursor def)
{
    struct slot key = {0}, *s;
    CXToken *tokens = NULL;
    unsigned n = 0;
    intptr_t verdict = 2;

    key.cursor = def;
    s = table_find(&w->reach, &key, 1, 1);
    if (s->value)
        return (intptr_t)s->value == 1;
    s->value = (void *)3; /* a macro naming itself is no way in */
    clang_tokenize(w->unit, clang_getCursorExtent(def), &tokens, &n);
    for (unsigned i = 0; i < n && verdict == 2; i++) {
        CXString word;

        if (clang_getTokenKind(tokens[i]) != CXToken_Identifier)
            continue;
        word = clang_getTokenSpelling(w->unit, tokens[i]);
        if (name_reaches_banned(w, clang_getCString(word)))
            verdict = 1;
        clang_disposeString(word);
    }
    clang_disposeTokens(w->unit, tokens, n);
    key.cursor = def;
    table_find(&w->reach, &key, 1, 0)->value = (void *)verdict;
    return verdict == 1;
}

int use_reaches_banned(struct walk *w, const void *file, unsigned offset)
{
    struct slot key = {0}, *s;

    if (!may_start_use(w, file, offset))
        return -1;
    key.file = file;
    key.offset = offset;
    s = table_find(&w->expansions, &key, 0, 0);
    if (!s)
        return -1;
    if (!s->value)
        s->value =
                (void *)(intptr_t)(reaches_banned(w, clang_getCursorReferenced(
                                                             s->cursor))
                                           ? 1
                                           : 2);
    return (intptr_t)s->value == 1;
}
