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
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scan_walk.h"

static void handle_function(struct walk *w, CXCursor c);

/* The bit of clang's 32-bit location encoding that marks a macro's. */
#define MACRO_LOCATION_BIT 0x80000000u
_Static_assert(sizeof(((CXSourceLocation *)0)->int_data) == 4,
               "libclang's locations are clang's 32-bit encoding");

static const struct collect_ops ops = {op_locate,   op_origin, op_spelled,
                                       op_position, op_path,   op_contents,
                                       op_argument, NULL};

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

/* Waits for the reference to d, the function call c calls. */
static void expect_callee(struct body *b, CXCursor c, CXCursor d)
{
    struct pending_call *p;

    if (b->call_count == sizeof(b->calls) / sizeof(*b->calls)) {
        memmove(b->calls, b->calls + 1,
                (b->call_count - 1) * sizeof(*b->calls));
        b->call_count--;
    }
    p = &b->calls[b->call_count++];
    memset(p, 0, sizeof(*p));
    p->call = c;
    p->callee = clang_getCanonicalCursor(d);
}

/* The pending call whose callee path parent is on, or NULL. */
static struct pending_call *callee_path(struct body *b, CXCursor parent)
{
    for (size_t i = b->call_count; i-- > 0;) {
        struct pending_call *p = &b->calls[i];

        if (clang_equalCursors(p->call, parent))
            return p;
        for (unsigned j = 0; j < p->wrapper_count; j++)
            if (clang_equalCursors(p->wrappers[j], parent))
                return p;
    }
    return NULL;
}

/*
 * Whether reference c, met under parent, names the function a call
 * calls, as clang's callee after IgnoreParenImpCasts(): then it is a
 * call, not the function's address taken.
 */
static int is_called(struct body *b, CXCursor c, CXCursor parent)
{
    struct pending_call *p = b->call_count ? callee_path(b, parent) : NULL;

    if (!p || !clang_equalCursors(
                      clang_getCanonicalCursor(clang_getCursorReferenced(c)),
                      p->callee))
        return 0;
    *p = b->calls[--b->call_count];
    return 1;
}

/* A conversion or parenthesis on a callee path joins it. */
static void follow_wrapper(struct body *b, CXCursor c, CXCursor parent)
{
    struct pending_call *p = b->call_count ? callee_path(b, parent) : NULL;

    if (p && p->wrapper_count < 4)
        p->wrappers[p->wrapper_count++] = c;
}

static void visit_call(struct body *b, CXCursor c)
{
    struct walk *w = b->w;
    struct site s = site_of(c, 0);
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
    expect_callee(b, c, d);
    info = callee_of(w, d);
    if (!info->name)
        return;
    collect_call(w->core, b->fn, info->name,
                 (unsigned)clang_Cursor_getNumArguments(c), &s);
    forget_kept(w);
}

/* The length of the string literal that initialises a global variable,
   or -1; worked out once per variable. */
static long global_literal_length(struct walk *w, CXCursor var)
{
    struct slot key = {0}, *s;

    key.cursor = var;
    s = table_find(&w->globals, &key, 1, 1);
    if (!s->value)
        s->value =
                (void *)(intptr_t)(literal_length(
                                           clang_Cursor_getVarDeclInitializer(
                                                   var)) +
                                   2);
    return (long)(intptr_t)s->value - 2;
}

/* Whether a type can hold a string literal: an array or a pointer. */
static int may_hold_literal(CXType t)
{
    return t.kind == CXType_Pointer || t.kind == CXType_ConstantArray ||
           t.kind == CXType_IncompleteArray;
}

static void visit_reference(struct body *b, CXCursor c, CXCursor parent)
{
    struct walk *w = b->w;
    struct site s = site_of(c, 0);
    CXCursor d = clang_getCursorReferenced(c);
    enum CXCursorKind k = clang_getCursorKind(d);

    if (is_function_kind(k)) {
        const struct callee_info *info = callee_of(w, d);

        collect_function_use(w->core, b->fn, info->key, info->name,
                             is_called(b, c, parent), &s);
        return;
    }
    if (k == CXCursor_VarDecl && clang_Cursor_hasVarDeclGlobalStorage(d) == 1) {
        long len = global_literal_length(w, d);
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
    struct site all = site_of(c, 0), name_site = site_of(c, 1);
    CXType type = clang_getCursorType(c);
    int vla = type.kind == CXType_VariableArray;
    long len = -1;
    char *name;

    if (may_hold_literal(type)) {
        CXCursor init = clang_Cursor_getVarDeclInitializer(c);

        len = clang_Cursor_isNull(init) ? -1 : literal_length(init);
    }
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
    struct site s = site_of(c, 0);
    long len;
    char *lhs;

    if (!may_hold_literal(clang_getCursorType(c)) ||
        children_of(c, sides, 2) != 2 || (len = literal_length(sides[1])) <= 0)
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
    struct site s = site_of(c, 0);
    char *text;

    if (k != CXCursor_VarDecl && k != CXCursor_ParmDecl)
        return;
    text = spelling(c);
    collect_annotation(b->w->core, -1, text, &s);
    free(text);
}

/*
 * Where a statement begins, as clang's getBeginLoc(): libclang's location
 * of a statement is that, but a name's is the name's and an implicit
 * conversion's its operand's. Returns 0 for a statement that begins
 * where its first child does (an operator, a call, a member access, a
 * conversion): the child tells the same.
 */
static int statement_begin(struct walk *w, CXCursor c, enum CXCursorKind k,
                           CXSourceLocation *at)
{
    switch (k) {
    case CXCursor_BinaryOperator:
    case CXCursor_CompoundAssignOperator:
    case CXCursor_CallExpr:
    case CXCursor_ConditionalOperator:
    case CXCursor_ArraySubscriptExpr:
        return 0;
    case CXCursor_UnexposedExpr:
    case CXCursor_MemberRefExpr:
        /* In C++ an implicit this may be left unshown. */
        if (!w->is_cxx)
            return 0;
        *at = clang_getRangeStart(clang_getCursorExtent(c));
        return 1;
    case CXCursor_DeclRefExpr:
        /* In C++ a qualifier may come before the name. */
        *at = w->is_cxx ? clang_getRangeStart(clang_getCursorExtent(c))
                        : clang_getCursorLocation(c);
        return 1;
    default:
        *at = clang_getCursorLocation(c);
        return 1;
    }
}

/*
 * Whether a location lies in a macro's expansion, as clang's isMacroID().
 * The C API has no call for it, but a CXSourceLocation carries clang's
 * own encoding of the location in int_data, whose top bit says so; it
 * saves asking for the expansion location of every statement, most of
 * which no macro produced.
 */
static int is_macro_location(CXSourceLocation l)
{
    return (l.int_data & MACRO_LOCATION_BIT) != 0;
}

/* A statement that a macro may have produced: for the banned macros. */
static void visit_statement(struct body *b, CXCursor c, enum CXCursorKind k)
{
    struct walk *w = b->w;
    struct site s = site_of(c, 0);
    struct collect_origin *o = &s.origin;
    CXFile file = NULL;
    int reach;

    if (!statement_begin(w, c, k, &s.begin) || !is_macro_location(s.begin))
        return;
    s.has_begin = 1;
    clang_getExpansionLocation(s.begin, &file, NULL, NULL,
                               &o->expansion.offset);
    o->expansion.file = file;
    if (!file ||
        clang_Cursor_isNull(expansion_at(w, file, o->expansion.offset)))
        return;
    clang_getFileLocation(s.begin, &file, NULL, NULL, &o->written.offset);
    o->written.file = file;
    reach = use_reaches_banned(w, file, o->written.offset);
    o->from_macro = reach >= 0;
    if (reach == 0 || clang_Location_isInSystemHeader(s.begin))
        return;
    s.has_origin = 1;
    collect_macro_statement(w->core, b->fn, &s);
}

static enum CXChildVisitResult visit_body(CXCursor c, CXCursor parent,
                                          CXClientData data)
{
    struct body *b = data;
    struct walk *w = b->w;
    enum CXCursorKind k = clang_getCursorKind(c);

    if ((clang_isStatement(k) || clang_isExpression(k)) && w->expansions.used &&
        collect_wants_macros(w->core))
        visit_statement(b, c, k);
    switch (k) {
    case CXCursor_CallExpr:
        visit_call(b, c);
        break;
    case CXCursor_DeclRefExpr:
    case CXCursor_MemberRefExpr:
        visit_reference(b, c, parent);
        break;
    case CXCursor_UnexposedExpr:
    case CXCursor_ParenExpr:
        follow_wrapper(b, c, parent);
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
    struct site s = site_of(c, 0);

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
 * Records a function: its annotations, and what its body uses.
 *
 * Limitation: a template is read as written, as libclang shows no
 * instances: a call that depends on its parameters is counted as an
 * indirect call, where the plugin follows it in each instance, and a
 * template no unit instantiates is recorded, where the plugin sees none.
 */
static void handle_function(struct walk *w, CXCursor c)
{
    struct function_parts parts;
    struct collect_function f;
    struct names n;
    struct site at = site_of(c, 1);
    int defined, annotated = 0, system;
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

    defined = f.defined && !clang_Cursor_isNull(parts.body);
    for (unsigned i = 0; i < parts.attr_count; i++)
        annotated |= is_mitigate(parts.attrs[i]);
    system = clang_Location_isInSystemHeader(clang_getCursorLocation(c));
    if (!annotated && (!defined || system))
        return; /* what collect_function_decl() leaves out, found early */
    describe(w, c, &n, &f);
    f.defined = defined;
    f.annotated = annotated;
    f.in_system_header = system;
    f.site = &at;
    fn = collect_function_decl(w->core, &f);
    names_release(&n);
    if (fn < 0)
        return;
    for (unsigned i = 0; i < parts.attr_count; i++) {
        struct site s = site_of(parts.attrs[i], 0);
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
    CXFile file = NULL;
    unsigned offset = 0;

    (void)parent;
    if (clang_getCursorKind(c) == CXCursor_MacroDefinition)
        add_definition(w, c);
    if (clang_getCursorKind(c) != CXCursor_MacroExpansion)
        return CXChildVisit_Continue;
    clang_getExpansionLocation(clang_getCursorLocation(c), &file, NULL, NULL,
                               &offset);
    if (file)
        add_expansion(w, file, offset, c);
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
    free(info->uses);
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
    table_release(&w.globals, NULL);
    table_release(&w.reach, NULL);
    for (size_t i = 0; i < w.def_slots; i++)
        free(w.defs[i].name);
    free(w.defs);
    return 0;
}
