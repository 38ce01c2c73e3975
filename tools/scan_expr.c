/*
 * scan_expr.c: what the libclang front end reads off expressions and
 * function declarations: call arguments as the core asks about them,
 * and the names and keys of functions.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scan_walk.h"

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
unsigned children_of(CXCursor c, CXCursor *out, unsigned max)
{
    struct children kids = {out, 0, max};

    clang_visitChildren(c, add_child, &kids);
    return kids.count;
}

/* Sees through parentheses and implicit conversions, as clang's
   IgnoreParenImpCasts does (libclang shows the latter as unexposed). */
CXCursor unwrap(CXCursor c)
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

char *spelling(CXCursor c)
{
    CXString s = clang_getCursorSpelling(c);
    const char *text = clang_getCString(s);
    char *copy = xstrdup(text ? text : "");

    clang_disposeString(s);
    return copy;
}

/* The length of the string literal c is, after unwrapping, or -1. */
long literal_length(CXCursor c)
{
    c = unwrap(c);
    if (clang_getCursorKind(c) != CXCursor_StringLiteral)
        return -1;
    return (long)clang_getArraySize(clang_getCursorType(c)) - 1;
}

/* The variable or field an expression names, as the plugin's nameOf;
   NULL when it names none. The caller frees it. */
char *name_of(CXCursor c)
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

void forget_kept(struct walk *w)
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

void op_argument(void *fe, const void *call, unsigned i,
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

/* Functions */

int is_function_kind(enum CXCursorKind k)
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

void names_release(struct names *n)
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
void describe(struct walk *w, CXCursor c, struct names *n,
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
const struct callee_info *callee_of(struct walk *w, CXCursor c)
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
