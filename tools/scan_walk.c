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
    struct site s = site_of(c, 0);
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
    struct site all = site_of(c, 0), name_site = site_of(c, 1);
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
    struct site s = site_of(c, 0);
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

/* A statement that a macro may have produced: for the banned macros. */
static void visit_statement(struct body *b, CXCursor c, enum CXCursorKind k)
{
    struct walk *w = b->w;
    struct site s = site_of(c, 0);
    CXFile file = NULL;
    unsigned offset = 0;
    CXCursor use;

    if (!statement_begin(w, c, k, &s.begin))
        return;
    s.has_begin = 1;
    clang_getExpansionLocation(s.begin, &file, NULL, NULL, &offset);
    if (!file || clang_Cursor_isNull(expansion_at(w, file, offset)))
        return;
    clang_getFileLocation(s.begin, &file, NULL, NULL, &offset);
    use = expansion_at(w, file, offset);
    if (!clang_Cursor_isNull(use) &&
        !reaches_banned(w, clang_getCursorReferenced(use)))
        return;
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
    struct site at = site_of(c, 1);
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
    struct collect_point p;
    struct slot key = {0};

    (void)parent;
    if (clang_getCursorKind(c) == CXCursor_MacroDefinition)
        add_definition(w, c);
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
    table_release(&w.reach, NULL);
    for (size_t i = 0; i < w.def_slots; i++)
        free(w.defs[i].name);
    free(w.defs);
    return 0;
}
