/*
 * scan_walk.c: the libclang front end's walk over one translation unit.
 *
 * Declarations are visited from the unit's cursor; each function body
 * is walked once for its function, as the plugin's BodyVisitor does,
 * and what is met is told to the core's collector (collect.h), which
 * decides what it means. Positions come from libclang's cursor extents;
 * the detailed preprocessing record supplies the macro uses written in
 * the files, which clang's AST keeps but libclang's C API does not show.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collect.h"
#include "scan.h"

/* A table slot: a file position, or a cursor, with what it maps to. */
struct slot {
    int used;
    const void *file;
    unsigned offset;
    CXCursor cursor;
    void *value;
};

struct table {
    struct slot *slots;
    size_t size; /* a power of two, or 0 */
    size_t used;
};

/* A file the walk has met: its path and contents, read once. */
struct file_info {
    char *path;
    const char *text;
    size_t len;
};

/* A function met as a callee: its key and its identifier, if any. */
struct callee_info {
    char *key;
    char *name; /* NULL for operators, constructors and the like */
};

struct walk {
    CXTranslationUnit unit;
    struct collector *core;
    struct table files;      /* CXFile -> struct file_info */
    struct table expansions; /* (CXFile, offset) -> macro use cursor */
    struct table callees;    /* canonical cursor -> struct callee_info */
    int is_cxx;
    char **kept; /* strings handed to the collector during one call */
    size_t kept_count;
    size_t kept_alloc;
};

/* What the walk hands the collector as a site. */
struct site {
    CXCursor cursor;
    int at_location; /* the cursor's location (a name), not its extent */
};

/* A function body being walked. */
struct body {
    struct walk *w;
    size_t fn;
    /* Callee references of calls met, not yet seen, by their extent: a
       cursor found from the call differs from the one the walk meets. */
    CXSourceRange called[16];
    size_t called_count;
};

static void handle_function(struct walk *w, CXCursor c);

/* Tables */

static size_t mix(size_t h, uintptr_t v)
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

static struct slot *table_find(struct table *t, const struct slot *key,
                               int by_cursor, int add)
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

static struct file_info *file_info(struct walk *w, CXFile file)
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

static struct collect_point expansion_point(CXSourceLocation l)
{
    struct collect_point p = {0};
    CXFile file = NULL;

    clang_getExpansionLocation(l, &file, &p.line, &p.column, &p.offset);
    p.file = file;
    return p;
}

static struct collect_point file_point(CXSourceLocation l)
{
    struct collect_point p = {0};
    CXFile file = NULL;

    clang_getFileLocation(l, &file, &p.line, &p.column, &p.offset);
    p.file = file;
    return p;
}

/* The macro use written at a file position, or a null cursor. */
static CXCursor expansion_at(struct walk *w, const void *file, unsigned offset)
{
    struct slot key = {0}, *s;

    key.file = file;
    key.offset = offset;
    s = table_find(&w->expansions, &key, 0, 0);
    return s ? s->cursor : clang_getNullCursor();
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

static CXSourceLocation site_begin(const struct site *s)
{
    if (s->at_location)
        return clang_getCursorLocation(s->cursor);
    return clang_getRangeStart(clang_getCursorExtent(s->cursor));
}

/*
 * The facts position of a site, as the plugin works it out from clang's
 * expansion ranges: where the outermost macro use begins, and where the
 * last token, or the macro use it came from, ends.
 */
static void op_locate(void *fe, const void *site, struct facts_loc *loc)
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

static void op_origin(void *fe, const void *site, struct collect_origin *o)
{
    struct walk *w = fe;
    CXSourceLocation b = site_begin(site);
    CXToken *tok;

    o->expansion = expansion_point(b);
    o->written = file_point(b);
    o->spelled = o->written;
    if (o->written.offset == o->expansion.offset &&
        o->written.file == o->expansion.file &&
        clang_Cursor_isNull(
                expansion_at(w, o->expansion.file, o->expansion.offset)))
        return; /* no macro produced it: spelled where written */
    /* libclang tells a token's spelling only by lexing it there. */
    tok = clang_getToken(w->unit, b);
    if (!tok)
        return;
    o->spelled = file_point(clang_getTokenLocation(w->unit, *tok));
    clang_disposeTokens(w->unit, tok, 1);
}

static const char *op_path(void *fe, const void *file)
{
    return file_info(fe, (CXFile)(uintptr_t)file)->path;
}

static const char *op_contents(void *fe, const void *file, size_t *len)
{
    struct file_info *info = file_info(fe, (CXFile)(uintptr_t)file);

    *len = info->len;
    return info->text;
}

/* Expressions */

/* Up to max children of a cursor, for children_of(). */
struct children {
    CXCursor *items;
    unsigned count;
    unsigned max;
};

static enum CXChildVisitResult add_child(CXCursor c, CXCursor parent,
                                         CXClientData data)
{
    struct children *kids = data;

    (void)parent;
    if (kids->count == kids->max) {
        kids->count++; /* more than max: the caller sees count > max */
        return CXChildVisit_Break;
    }
    kids->items[kids->count++] = c;
    return CXChildVisit_Continue;
}

/* Fills out with up to max children of c; returns how many (max + 1
   when there are more). */
static unsigned children_of(CXCursor c, CXCursor *out, unsigned max)
{
    struct children kids = {out, 0, max};

    clang_visitChildren(c, add_child, &kids);
    return kids.count;
}

/* Sees through parentheses and implicit conversions, as clang's
   IgnoreParenImpCasts does (libclang shows the latter as unexposed). */
static CXCursor unwrap(CXCursor c)
{
    for (;;) {
        enum CXCursorKind k = clang_getCursorKind(c);
        CXCursor kid;

        if (k != CXCursor_UnexposedExpr && k != CXCursor_ParenExpr)
            return c;
        if (children_of(c, &kid, 1) != 1)
            return c;
        c = kid;
    }
}

static char *spelling(CXCursor c)
{
    CXString s = clang_getCursorSpelling(c);
    const char *text = clang_getCString(s);
    char *copy = xstrdup(text ? text : "");

    clang_disposeString(s);
    return copy;
}

/* The length of the string literal c is, after unwrapping, or -1. */
static long literal_length(CXCursor c)
{
    c = unwrap(c);
    if (clang_getCursorKind(c) != CXCursor_StringLiteral)
        return -1;
    return (long)clang_getArraySize(clang_getCursorType(c)) - 1;
}

/* The variable or field an expression names, as the plugin's nameOf;
   NULL when it names none. The caller frees it. */
static char *name_of(CXCursor c)
{
    for (;;) {
        enum CXCursorKind k;

        c = unwrap(c);
        k = clang_getCursorKind(c);
        if (k == CXCursor_DeclRefExpr || k == CXCursor_MemberRefExpr)
            return spelling(c);
        if ((k != CXCursor_UnaryOperator && k != CXCursor_ArraySubscriptExpr) ||
            children_of(c, &c, 1) == 0)
            return NULL;
    }
}

/* A literal, __func__, or a choice between such. */
static int is_literal_format(CXCursor c)
{
    CXCursor parts[4];

    c = unwrap(c);
    if (clang_getCursorKind(c) == CXCursor_StringLiteral)
        return 1;
    if (clang_getCursorKind(c) != CXCursor_ConditionalOperator ||
        children_of(c, parts, 3) != 3)
        return 0;
    return is_literal_format(parts[1]) && is_literal_format(parts[2]);
}

/* Whether an expression reads a variable outside sizeof and alignof. */
static enum CXChildVisitResult find_variable(CXCursor c, CXCursor parent,
                                             CXClientData data)
{
    int *found = data;
    enum CXCursorKind k = clang_getCursorKind(c), r;

    (void)parent;
    if (k == CXCursor_UnaryExpr)
        return CXChildVisit_Continue;
    if (k == CXCursor_DeclRefExpr) {
        r = clang_getCursorKind(clang_getCursorReferenced(c));
        if (r == CXCursor_VarDecl || r == CXCursor_ParmDecl) {
            *found = 1;
            return CXChildVisit_Break;
        }
    }
    return CXChildVisit_Recurse;
}

/*
 * A copy size that is an integer constant expression, or a sizeof.
 * libclang evaluates more than C's constant expressions (it folds a
 * const variable's value), so in C a size that reads a variable is not
 * one, as in clang's own check.
 */
static int is_bounded_size(struct walk *w, CXCursor c)
{
    CXEvalResult value;
    int constant, reads_variable = 0;

    if (clang_getCursorKind(unwrap(c)) == CXCursor_UnaryExpr)
        return 1;
    value = clang_Cursor_Evaluate(c);
    constant = value && clang_EvalResult_getKind(value) == CXEval_Int;
    if (value)
        clang_EvalResult_dispose(value);
    if (!constant || w->is_cxx)
        return constant;
    find_variable(c, clang_getNullCursor(), &reads_variable);
    if (!reads_variable)
        clang_visitChildren(c, find_variable, &reads_variable);
    return !reads_variable;
}

/* Keeps s (owned) until forget_kept(); returns it. */
static const char *keep(struct walk *w, char *s)
{
    grow_array(&w->kept, &w->kept_alloc, w->kept_count + 1, sizeof(*w->kept));
    w->kept[w->kept_count++] = s;
    return s;
}

static void forget_kept(struct walk *w)
{
    for (size_t i = 0; i < w->kept_count; i++)
        free(w->kept[i]);
    w->kept_count = 0;
}

/* The text of a narrow string literal, or NULL. libclang evaluates a
   literal to its text through the conversion to a pointer around it. */
static char *narrow_text(CXCursor arg, CXCursor lit)
{
    CXType type = clang_getCursorType(lit);
    CXCursor tries[2] = {arg, lit};
    char *text = NULL;

    if (clang_Type_getSizeOf(clang_getArrayElementType(type)) != 1)
        return NULL;
    for (int i = 0; i < 2 && !text; i++) {
        CXEvalResult value = clang_Cursor_Evaluate(tries[i]);

        if (value && clang_EvalResult_getKind(value) == CXEval_StrLiteral)
            text = xstrdup(clang_EvalResult_getAsStr(value));
        if (value)
            clang_EvalResult_dispose(value);
    }
    return text;
}

static void op_argument(void *fe, const void *call, unsigned i,
                        struct collect_arg *arg)
{
    struct walk *w = fe;
    CXCursor a =
            clang_Cursor_getArgument(((const struct site *)call)->cursor, i);
    char *name = name_of(a);

    arg->name = name ? keep(w, name) : NULL;
    arg->literal_length = literal_length(a);
    if (arg->literal_length >= 0) {
        char *text = narrow_text(a, unwrap(a));

        arg->narrow = text ? keep(w, text) : NULL;
    }
    arg->is_literal_format = is_literal_format(a);
    arg->is_bounded_size = is_bounded_size(w, a);
}

static const struct collect_ops ops = {op_locate,   op_origin,   op_path,
                                       op_contents, op_argument, NULL};

/* Functions */

static int is_function_kind(enum CXCursorKind k)
{
    return k == CXCursor_FunctionDecl || k == CXCursor_CXXMethod ||
           k == CXCursor_Constructor || k == CXCursor_Destructor ||
           k == CXCursor_ConversionFunction || k == CXCursor_FunctionTemplate;
}

/* Whether a function's name is an identifier, not an operator or a
   constructor's, destructor's or conversion's name. */
static int has_identifier(CXCursor c, const char *name)
{
    enum CXCursorKind k = clang_getCursorKind(c);

    if (k == CXCursor_Constructor || k == CXCursor_Destructor ||
        k == CXCursor_ConversionFunction || !name[0])
        return 0;
    if (strncmp(name, "operator", 8) == 0)
        return name[8] && (isalnum((unsigned char)name[8]) || name[8] == '_');
    return 1;
}

static int is_anonymous(CXCursor c, const char *name)
{
    return !name[0] || name[0] == '(' || clang_Cursor_isAnonymous(c);
}

/* The strings a struct collect_function points into. */
struct names {
    char *scopes[32];
    size_t count;
    char *name;
    char *key_file;
};

static void names_release(struct names *n)
{
    for (size_t i = 0; i < n->count; i++)
        free(n->scopes[i]);
    free(n->name);
    free(n->key_file);
}

/* The enclosing scopes of a declaration, outermost first. */
static void scopes_of(CXCursor c, struct names *n)
{
    char *rev[32];
    size_t count = 0;

    for (CXCursor p = clang_getCursorSemanticParent(c);
         !clang_Cursor_isNull(p) && count < 32;
         p = clang_getCursorSemanticParent(p)) {
        enum CXCursorKind k = clang_getCursorKind(p);
        char *name;

        if (k == CXCursor_TranslationUnit || clang_isInvalid(k))
            break;
        if (k == CXCursor_LinkageSpec || k == CXCursor_UnexposedDecl ||
            (k == CXCursor_Namespace && clang_Cursor_isInlineNamespace(p)))
            continue;
        name = spelling(p);
        if ((k == CXCursor_Namespace || k == CXCursor_StructDecl ||
             k == CXCursor_ClassDecl || k == CXCursor_UnionDecl) &&
            is_anonymous(p, name)) {
            free(name);
            name = xstrdup(COLLECT_ANONYMOUS);
        }
        rev[count++] = name;
    }
    for (size_t i = 0; i < count; i++)
        n->scopes[i] = rev[count - 1 - i];
    n->count = count;
}

/* A function as the core sees it; f points into n. */
static void describe(struct walk *w, CXCursor c, struct names *n,
                     struct collect_function *f)
{
    CXCursor where = clang_getCursorDefinition(c);
    CXFile file = NULL;

    memset(n, 0, sizeof(*n));
    memset(f, 0, sizeof(*f));
    scopes_of(c, n);
    n->name = spelling(c);
    if (clang_Cursor_isNull(where))
        where = clang_getCanonicalCursor(c);
    clang_getExpansionLocation(clang_getCursorLocation(where), &file, NULL,
                               NULL, NULL);
    n->key_file = xstrdup(file ? file_info(w, file)->path : "");
    f->scopes = (const char *const *)n->scopes;
    f->scope_count = n->count;
    f->name = n->name;
    f->internal = clang_getCursorLinkage(c) != CXLinkage_External;
    f->key_file = n->key_file;
}

/* The key and identifier of a function, cached per declaration. */
static const struct callee_info *callee_of(struct walk *w, CXCursor c)
{
    struct slot key = {0}, *s;
    struct callee_info *info;
    struct collect_function f;
    struct names n;

    key.cursor = clang_getCanonicalCursor(c);
    s = table_find(&w->callees, &key, 1, 1);
    if (s->value)
        return s->value;
    info = xcalloc(1, sizeof(*info));
    describe(w, key.cursor, &n, &f);
    info->key = collect_function_key(&f);
    if (has_identifier(key.cursor, n.name))
        info->name = xstrdup(n.name);
    names_release(&n);
    s->value = info;
    return info;
}

/* Bodies */

static CXCursor first_child_of_call(CXCursor call)
{
    CXCursor kid;

    return children_of(call, &kid, 1) ? kid : clang_getNullCursor();
}

/* The function a callee expression names, seeing through parentheses,
   conversions, '*' and '&', as clang's getDirectCallee() does. */
static CXCursor direct_callee(CXCursor callee)
{
    for (;;) {
        enum CXCursorKind k;

        callee = unwrap(callee);
        k = clang_getCursorKind(callee);
        if (k == CXCursor_DeclRefExpr || k == CXCursor_MemberRefExpr) {
            CXCursor d = clang_getCursorReferenced(callee);

            return is_function_kind(clang_getCursorKind(d))
                           ? d
                           : clang_getNullCursor();
        }
        if (k != CXCursor_UnaryOperator || children_of(callee, &callee, 1) != 1)
            return clang_getNullCursor();
    }
}

/*
 * Marks the child of a call that names the function d it calls, so
 * that the reference counts as a call and not as taking its address.
 */
static void mark_callee(struct body *b, CXCursor call, CXCursor d)
{
    CXCursor kids[8];
    unsigned n = children_of(call, kids, 8);

    d = clang_getCanonicalCursor(d);
    for (unsigned i = 0; i < n && i < 8; i++) {
        CXCursor k = unwrap(kids[i]);
        enum CXCursorKind kind = clang_getCursorKind(k);

        if ((kind != CXCursor_DeclRefExpr && kind != CXCursor_MemberRefExpr) ||
            !clang_equalCursors(
                    clang_getCanonicalCursor(clang_getCursorReferenced(k)), d))
            continue;
        if (b->called_count < sizeof(b->called) / sizeof(*b->called))
            b->called[b->called_count++] = clang_getCursorExtent(k);
        return;
    }
}

/* Whether c is a marked callee reference; forgets the mark. */
static int take_called(struct body *b, CXCursor c)
{
    CXSourceRange r = clang_getCursorExtent(c);

    for (size_t i = 0; i < b->called_count; i++) {
        if (!clang_equalRanges(b->called[i], r))
            continue;
        b->called[i] = b->called[--b->called_count];
        return 1;
    }
    return 0;
}

static void visit_call(struct body *b, CXCursor c)
{
    struct walk *w = b->w;
    struct site s = {c, 0};
    CXCursor d = clang_getCursorReferenced(c);
    enum CXCursorKind dk = clang_getCursorKind(d);
    const struct callee_info *info;

    if (dk == CXCursor_Constructor) {
        /* A constructor runs: libclang shows it as a call. */
        collect_function_use(w->core, b->fn, callee_of(w, d)->key, NULL, 1, &s);
        return;
    }
    if (clang_Cursor_isNull(d))
        d = direct_callee(first_child_of_call(c));
    else if (!is_function_kind(dk))
        d = clang_getNullCursor();
    if (clang_Cursor_isNull(d)) {
        collect_call(w->core, b->fn, NULL, 0, &s);
        return;
    }
    mark_callee(b, c, d);
    info = callee_of(w, d);
    if (!info->name)
        return;
    collect_call(w->core, b->fn, info->name,
                 (unsigned)clang_Cursor_getNumArguments(c), &s);
    forget_kept(w);
}

static void visit_reference(struct body *b, CXCursor c)
{
    struct walk *w = b->w;
    struct site s = {c, 0};
    CXCursor d = clang_getCursorReferenced(c);
    enum CXCursorKind k = clang_getCursorKind(d);

    if (is_function_kind(k)) {
        const struct callee_info *info = callee_of(w, d);

        collect_function_use(w->core, b->fn, info->key, info->name,
                             take_called(b, c), &s);
        return;
    }
    if (k == CXCursor_VarDecl && clang_Cursor_hasVarDeclGlobalStorage(d) == 1) {
        long len = literal_length(clang_Cursor_getVarDeclInitializer(d));
        char *name;

        if (len <= 0)
            return;
        name = spelling(d);
        collect_variable_use(w->core, b->fn, name, 1, len, &s);
        free(name);
    }
}

static void visit_local(struct body *b, CXCursor c)
{
    struct site all = {c, 0}, name_site = {c, 1};
    CXCursor init = clang_Cursor_getVarDeclInitializer(c);
    int vla = clang_getCursorType(c).kind == CXType_VariableArray;
    long len = clang_Cursor_isNull(init) ? -1 : literal_length(init);
    char *name;

    if (!vla && len <= 0)
        return;
    name = spelling(c);
    collect_local(b->w->core, b->fn, name, vla, len, &all, &name_site);
    free(name);
}

/* Whether the operator of a binary expression is '=': libclang 14 has
   no call for it, so the token after the left operand tells. */
static int is_assignment(struct walk *w, CXCursor c, CXCursor lhs)
{
    CXToken *tokens = NULL;
    unsigned n = 0,
             after = file_point(clang_getRangeEnd(clang_getCursorExtent(lhs)))
                             .offset;
    int found = 0;

    clang_tokenize(w->unit, clang_getCursorExtent(c), &tokens, &n);
    for (unsigned i = 0; i < n; i++) {
        CXString text;

        if (file_point(clang_getTokenLocation(w->unit, tokens[i])).offset <
                    after ||
            clang_getTokenKind(tokens[i]) != CXToken_Punctuation)
            continue;
        text = clang_getTokenSpelling(w->unit, tokens[i]);
        found = strcmp(clang_getCString(text), "=") == 0;
        clang_disposeString(text);
        break;
    }
    clang_disposeTokens(w->unit, tokens, n);
    return found;
}

static void visit_binary(struct body *b, CXCursor c)
{
    CXCursor sides[3];
    struct site s = {c, 0};
    long len;
    char *lhs;

    if (children_of(c, sides, 2) != 2 || (len = literal_length(sides[1])) <= 0)
        return;
    lhs = name_of(sides[0]);
    if (lhs && is_assignment(b->w, c, sides[0]))
        collect_assignment(b->w->core, b->fn, lhs, len, &s);
    free(lhs);
}

/* An annotation inside a body: malformed on a variable. */
static void visit_attribute(struct body *b, CXCursor c, CXCursor parent)
{
    enum CXCursorKind k = clang_getCursorKind(parent);
    struct site s = {c, 0};
    char *text;

    if (k != CXCursor_VarDecl && k != CXCursor_ParmDecl)
        return;
    text = spelling(c);
    collect_annotation(b->w->core, -1, text, &s);
    free(text);
}

static enum CXChildVisitResult visit_body(CXCursor c, CXCursor parent,
                                          CXClientData data)
{
    struct body *b = data;
    struct walk *w = b->w;
    enum CXCursorKind k = clang_getCursorKind(c);

    if ((clang_isStatement(k) || clang_isExpression(k)) && w->expansions.used &&
        collect_wants_macros(w->core)) {
        struct site s = {c, 0};
        struct collect_point e =
                expansion_point(clang_getRangeStart(clang_getCursorExtent(c)));

        if (!clang_Cursor_isNull(expansion_at(w, e.file, e.offset)))
            collect_macro_statement(w->core, b->fn, &s);
    }
    switch (k) {
    case CXCursor_CallExpr:
        visit_call(b, c);
        break;
    case CXCursor_DeclRefExpr:
    case CXCursor_MemberRefExpr:
        visit_reference(b, c);
        break;
    case CXCursor_VarDecl:
    case CXCursor_ParmDecl:
        visit_local(b, c);
        break;
    case CXCursor_BinaryOperator:
        visit_binary(b, c);
        break;
    case CXCursor_AnnotateAttr:
        visit_attribute(b, c, parent);
        break;
    default:
        if (is_function_kind(k))
            handle_function(w, c); /* its body is this one's too */
        break;
    }
    return CXChildVisit_Recurse;
}

/* Declarations */

/* What a function declaration holds that the walk needs. */
struct function_parts {
    CXCursor attrs[16];
    unsigned attr_count;
    CXCursor params[16]; /* parameters that carry attributes */
    unsigned param_count;
    CXCursor body;
};

static enum CXChildVisitResult find_parts(CXCursor c, CXCursor parent,
                                          CXClientData data)
{
    struct function_parts *p = data;
    enum CXCursorKind k = clang_getCursorKind(c);

    (void)parent;
    if (k == CXCursor_AnnotateAttr && p->attr_count < 16)
        p->attrs[p->attr_count++] = c;
    else if (k == CXCursor_ParmDecl && clang_Cursor_hasAttrs(c) &&
             p->param_count < 16)
        p->params[p->param_count++] = c;
    else if (clang_isStatement(k))
        p->body = c;
    return CXChildVisit_Continue;
}

/* Annotations on a declaration that is not a function: malformed. */
static enum CXChildVisitResult misplaced(CXCursor c, CXCursor parent,
                                         CXClientData data)
{
    struct walk *w = data;
    struct site s = {c, 0};

    (void)parent;
    if (clang_getCursorKind(c) == CXCursor_AnnotateAttr) {
        char *text = spelling(c);

        collect_annotation(w->core, -1, text, &s);
        free(text);
    }
    return CXChildVisit_Continue;
}

static int is_mitigate(CXCursor attr)
{
    CXString s = clang_getCursorSpelling(attr);
    int yes = starts_with(clang_getCString(s), "mitigate:");

    clang_disposeString(s);
    return yes;
}

/*
 * Records a function: its annotations, and what its body uses. A
 * template is read as written: calls that depend on its parameters
 * cannot be resolved without an instantiation, which libclang does not
 * show.
 */
static void handle_function(struct walk *w, CXCursor c)
{
    struct function_parts parts;
    struct collect_function f;
    struct names n;
    struct site at = {c, 1};
    long fn;

    if (clang_isInvalidDeclaration(c))
        return;
    memset(&parts, 0, sizeof(parts));
    parts.body = clang_getNullCursor();
    f.defined = clang_isCursorDefinition(c);
    if (!f.defined && !clang_Cursor_hasAttrs(c))
        return; /* neither annotated nor defined here: nothing to record */
    w->is_cxx |= clang_getCursorLanguage(c) == CXLanguage_CPlusPlus;
    clang_visitChildren(c, find_parts, &parts);
    for (unsigned i = 0; i < parts.param_count; i++)
        clang_visitChildren(parts.params[i], misplaced, w);

    describe(w, c, &n, &f);
    f.defined = clang_isCursorDefinition(c) && !clang_Cursor_isNull(parts.body);
    for (unsigned i = 0; i < parts.attr_count; i++)
        f.annotated |= is_mitigate(parts.attrs[i]);
    f.in_system_header =
            clang_Location_isInSystemHeader(clang_getCursorLocation(c));
    f.site = &at;
    fn = collect_function_decl(w->core, &f);
    names_release(&n);
    if (fn < 0)
        return;
    for (unsigned i = 0; i < parts.attr_count; i++) {
        struct site s = {parts.attrs[i], 0};
        char *text = spelling(parts.attrs[i]);

        collect_annotation(w->core, fn, text, &s);
        free(text);
    }
    if (f.defined) {
        struct body b;

        memset(&b, 0, sizeof(b));
        b.w = w;
        b.fn = (size_t)fn;

        visit_body(parts.body, c, &b);
        clang_visitChildren(parts.body, visit_body, &b);
    }
}

/* Remembers the macro uses written in the files, by where they start. */
static enum CXChildVisitResult visit_macro_use(CXCursor c, CXCursor parent,
                                               CXClientData data)
{
    struct walk *w = data;
    struct collect_point p;
    struct slot key = {0};

    (void)parent;
    if (clang_getCursorKind(c) != CXCursor_MacroExpansion)
        return CXChildVisit_Continue;
    p = expansion_point(clang_getCursorLocation(c));
    key.file = p.file;
    key.offset = p.offset;
    key.cursor = c;
    if (p.file)
        table_find(&w->expansions, &key, 0, 1)->cursor = c;
    return CXChildVisit_Continue;
}

static enum CXChildVisitResult visit_decl(CXCursor c, CXCursor parent,
                                          CXClientData data)
{
    struct walk *w = data;
    enum CXCursorKind k = clang_getCursorKind(c);

    switch (k) {
    case CXCursor_Namespace:
    case CXCursor_LinkageSpec:
    case CXCursor_UnexposedDecl: /* extern "C" { } in libclang 14 */
    case CXCursor_StructDecl:
    case CXCursor_UnionDecl:
    case CXCursor_ClassDecl:
    case CXCursor_ClassTemplate:
    case CXCursor_ClassTemplatePartialSpecialization:
    case CXCursor_EnumDecl:
    case CXCursor_FriendDecl:
        return CXChildVisit_Recurse;
    case CXCursor_AnnotateAttr:
        misplaced(c, parent, w);
        return CXChildVisit_Continue;
    default:
        break;
    }
    if (is_function_kind(k))
        handle_function(w, c);
    else if (clang_isDeclaration(k) && clang_Cursor_hasAttrs(c))
        clang_visitChildren(c, misplaced, w);
    return CXChildVisit_Continue;
}

static void table_release(struct table *t, void (*release)(void *))
{
    for (size_t i = 0; i < t->size; i++)
        if (t->slots[i].used && release)
            release(t->slots[i].value);
    free(t->slots);
}

static void release_file(void *v)
{
    struct file_info *info = v;

    free(info->path);
    free(info);
}

static void release_callee(void *v)
{
    struct callee_info *info = v;

    free(info->key);
    free(info->name);
    free(info);
}

int scan_walk(CXTranslationUnit unit, const struct policy *policy,
              struct facts_tu *tu)
{
    struct walk w;

    memset(&w, 0, sizeof(w));
    w.unit = unit;
    w.core = collector_new(policy, tu, &ops, &w);
    clang_visitChildren(clang_getTranslationUnitCursor(unit), visit_macro_use,
                        &w);
    clang_visitChildren(clang_getTranslationUnitCursor(unit), visit_decl, &w);
    collector_free(w.core);
    forget_kept(&w);
    free(w.kept);
    table_release(&w.files, release_file);
    table_release(&w.expansions, NULL);
    table_release(&w.callees, release_callee);
    return 0;
}
