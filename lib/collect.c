/*
 * collect.c: what the things a front end meets in a translation unit
 * mean for its facts. See collect.h.
 */
#include "collect.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"

/* The policy's verdict on one callee, worked out once per name. */
struct callee_rules {
    char *callee;   /* the name as called */
    char base[128]; /* the library function it stands for */
    int is_comparison;
    int call;
    int format, format_arg;
    int scanf, scanf_arg;
    int copy_size, copy_size_arg;
    int compare;
};

/* A statement position already judged for macro use. */
struct macro_seen {
    const void *file;
    unsigned offset;
    const void *spelled_file;
    unsigned spelled_line;
};

/* A call edge recorded already: the function, and the callee's key. */
struct edge_seen {
    size_t fn;
    const char *callee; /* the facts' own copy; NULL for an empty slot */
};

struct collector {
    const struct policy *policy;
    struct facts_tu *tu;
    const struct collect_ops *ops;
    void *fe;
    int secret_literal; /* rule indexes, -1 when disabled */
    int stack;
    int wants_macros;
    struct callee_rules **callees; /* open addressing by callee name */
    size_t callee_slots;
    size_t callee_count;
    struct edge_seen *edges; /* open addressing, by function and callee */
    size_t edge_slots;
    size_t edge_count;
    struct macro_seen *seen; /* open addressing; file NULL is empty */
    size_t seen_slots;
    size_t seen_count;
};

/* FNV-1a over a string, or over the bytes of a small record. */
static size_t hash_bytes(const void *data, size_t len, size_t h)
{
    const unsigned char *p = data;

    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

struct collector *collector_new(const struct policy *policy,
                                struct facts_tu *tu,
                                const struct collect_ops *ops, void *fe)
{
    struct collector *c = xcalloc(1, sizeof(*c));

    c->policy = policy;
    c->tu = tu;
    c->ops = ops;
    c->fe = fe;
    c->secret_literal = match_rule_of_kind(policy, MATCH_SECRET_LITERAL);
    c->stack = match_rule_of_kind(policy, MATCH_STACK);
    c->wants_macros = match_rule_of_kind(policy, MATCH_MACRO) >= 0;
    return c;
}

void collector_free(struct collector *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->callee_slots; i++) {
        if (c->callees[i]) {
            free(c->callees[i]->callee);
            free(c->callees[i]);
        }
    }
    free(c->callees);
    free(c->edges);
    free(c->seen);
    free(c);
}

int collect_wants_macros(const struct collector *c)
{
    return c->wants_macros;
}

int collect_bans_macro(const struct collector *c, const char *name)
{
    return name[0] && match_macro(c->policy, name) >= 0;
}

/* Names */

char *collect_function_name(const struct collect_function *f)
{
    struct strbuf name = STRBUF_INIT;

    for (size_t i = 0; i < f->scope_count; i++)
        sb_addf(&name, "%s::", f->scopes[i]);
    sb_adds(&name, f->name);
    return sb_detach(&name);
}

char *collect_function_key(const struct collect_function *f)
{
    char *name = collect_function_name(f);
    char *key = facts_function_key(name, f->internal, f->key_file);

    free(name);
    return key;
}

/* Text of source files */

static int is_ident_char(char ch)
{
    return isalnum((unsigned char)ch) || ch == '_' || ch == '$';
}

const char *collect_identifier_at(const char *text, size_t len, unsigned offset,
                                  char *buf, size_t size)
{
    size_t n = 0;

    buf[0] = '\0';
    if (!text || offset >= len || isdigit((unsigned char)text[offset]))
        return buf;
    while (offset + n < len && is_ident_char(text[offset + n]) &&
           n + 1 < size) {
        buf[n] = text[offset + n];
        n++;
    }
    buf[n] = '\0';
    return buf;
}

/* The start of the logical line holding offset: continued lines join. */
static size_t logical_line_start(const char *text, size_t offset)
{
    size_t p = offset;

    for (;;) {
        while (p > 0 && text[p - 1] != '\n')
            p--;
        if (p < 2)
            return p;
        /* p - 1 is '\n': is it escaped by a backslash (and maybe '\r')? */
        if (text[p - 2] == '\\' ||
            (p >= 3 && text[p - 2] == '\r' && text[p - 3] == '\\')) {
            p--;
            continue;
        }
        return p;
    }
}

static size_t skip_blanks(const char *text, size_t len, size_t p)
{
    while (p < len && (text[p] == ' ' || text[p] == '\t'))
        p++;
    return p;
}

const char *collect_defining_macro(const char *text, size_t len,
                                   unsigned offset, char *buf, size_t size)
{
    size_t p;

    buf[0] = '\0';
    if (!text || offset >= len)
        return buf;
    p = skip_blanks(text, len, logical_line_start(text, offset));
    if (p >= len || text[p] != '#')
        return buf;
    p = skip_blanks(text, len, p + 1);
    if (len - p < 6 || strncmp(text + p, "define", 6) != 0)
        return buf;
    p = skip_blanks(text, len, p + 6);
    return collect_identifier_at(text, len, (unsigned)p, buf, size);
}

static const char *identifier_at(struct collector *c,
                                 const struct collect_point *at, char *buf,
                                 size_t size)
{
    size_t len = 0;
    const char *text =
            at->file ? c->ops->contents(c->fe, at->file, &len) : NULL;

    return collect_identifier_at(text, len, at->offset, buf, size);
}

static int same_point(const struct collect_point *a,
                      const struct collect_point *b)
{
    return a->file == b->file && a->offset == b->offset;
}

/*
 * The macro a use at site was written through: the macro used where its
 * first token was written, when the token is spelled elsewhere (in the
 * macro's definition). NULL when it is spelled where it was written
 * (a macro argument counts as spelled there), or when the macro only
 * renames the function, as fortified C libraries do with a macro named
 * like the function.
 */
static char *through_macro(struct collector *c, const void *site,
                           const char *callee)
{
    struct collect_origin o;
    char name[256];

    c->ops->origin(c->fe, site, &o);
    if (!o.from_macro) {
        struct collect_point spelled;

        c->ops->spelled(c->fe, site, &spelled);
        if (same_point(&o.written, &spelled))
            return NULL;
    }
    identifier_at(c, &o.written, name, sizeof(name));
    if (!name[0] || strcmp(name, callee) == 0)
        return NULL;
    return xstrdup(name);
}

/* Matches */

/* Records a match at loc (taking loc's file), and tells the front end. */
static void record_match(struct collector *c, size_t fn, int rule,
                         const char *what, const char *macro,
                         struct facts_loc *loc, const void *site)
{
    const struct policy_rule *r = policy_rule_at(c->policy, (size_t)rule);

    facts_add_match(&c->tu->functions[fn], r->desc.id, what, macro, loc);
    free(loc->file);
    loc->file = NULL;
    if (c->ops->matched) {
        char *text = match_describe(r->desc.match, what, macro);

        c->ops->matched(c->fe, fn, rule, text, site);
        free(text);
    }
}

static void add_match(struct collector *c, size_t fn, int rule,
                      const char *what, const void *site, const char *callee)
{
    char *macro = through_macro(c, site, callee);
    struct facts_loc loc = {0};

    c->ops->locate(c->fe, site, &loc);
    record_match(c, fn, rule, what, macro, &loc, site);
    free(macro);
}

/* "'name'": how matches name a variable. */
static char *quoted(const char *name)
{
    struct strbuf sb = STRBUF_INIT;

    sb_addf(&sb, "'%s'", name);
    return sb_detach(&sb);
}

static void add_named_match(struct collector *c, size_t fn, int rule,
                            const char *name, const void *site)
{
    char *what = quoted(name);

    add_match(c, fn, rule, what, site, "");
    free(what);
}

/* Callee rules, cached by name */

static void compute_rules(const struct policy *p, struct callee_rules *r)
{
    int shift = 0;
    const char *n =
            match_base_name(r->callee, r->base, sizeof(r->base), &shift);

    r->is_comparison = match_is_comparison(n);
    r->call = match_call(p, n);
    r->format = match_argument_rule(p, MATCH_FORMAT, n, &r->format_arg);
    r->format_arg += shift;
    r->scanf = match_argument_rule(p, MATCH_SCANF, n, &r->scanf_arg);
    r->copy_size =
            match_argument_rule(p, MATCH_COPY_SIZE, n, &r->copy_size_arg);
    r->compare = match_argument_rule(p, MATCH_SECRET_COMPARE, n, NULL);
}

static void grow_callees(struct collector *c)
{
    size_t n = c->callee_slots ? c->callee_slots * 2 : 64;
    struct callee_rules **slots = xcalloc(n, sizeof(*slots));

    for (size_t i = 0; i < c->callee_slots; i++) {
        struct callee_rules *r = c->callees[i];
        size_t s;

        if (!r)
            continue;
        s = hash_bytes(r->callee, strlen(r->callee), 2166136261u) & (n - 1);
        while (slots[s])
            s = (s + 1) & (n - 1);
        slots[s] = r;
    }
    free(c->callees);
    c->callees = slots;
    c->callee_slots = n;
}

static const struct callee_rules *rules_for(struct collector *c,
                                            const char *callee)
{
    size_t s;
    struct callee_rules *r;

    if ((c->callee_count + 1) * 2 > c->callee_slots)
        grow_callees(c);
    s = hash_bytes(callee, strlen(callee), 2166136261u) & (c->callee_slots - 1);
    while (c->callees[s] && strcmp(c->callees[s]->callee, callee) != 0)
        s = (s + 1) & (c->callee_slots - 1);
    if (c->callees[s])
        return c->callees[s];
    r = xcalloc(1, sizeof(*r));
    r->callee = xstrdup(callee);
    compute_rules(c->policy, r);
    c->callees[s] = r;
    c->callee_count++;
    return r;
}

/* Functions and annotations */

long collect_function_decl(struct collector *c,
                           const struct collect_function *f)
{
    struct facts_function *fn;
    struct facts_loc loc = {0};
    char *name;

    if (!f->annotated && (!f->defined || f->in_system_header))
        return -1;
    name = collect_function_name(f);
    c->ops->locate(c->fe, f->site, &loc);
    fn = facts_add_function(c->tu, name, f->internal, f->key_file, f->defined,
                            &loc);
    free(loc.file);
    free(name);
    return (long)(fn - c->tu->functions);
}

const char *collect_annotation(struct collector *c, long fn, const char *text,
                               const void *site)
{
    struct facts_annotation ann;
    struct facts_loc loc = {0};
    const char *reason = NULL;
    int got;

    if (!starts_with(text, "mitigate:"))
        return NULL;
    c->ops->locate(c->fe, site, &loc);
    if (fn < 0) {
        reason = "mitigate annotations apply to functions only";
        facts_add_malformed(c->tu, text, reason, &loc);
    } else if ((got = facts_parse_annotation(text, &ann, &reason)) < 0) {
        facts_add_malformed(c->tu, text, reason, &loc);
    } else if (got > 0) {
        facts_add_annotation(&c->tu->functions[fn], &ann, &loc);
    }
    free(loc.file);
    return reason;
}

/* Uses and calls */

static size_t edge_hash(size_t fn, const char *key)
{
    return hash_bytes(key, strlen(key), 2166136261u ^ fn);
}

/* The slot of the edge from fn to key in the table, full or empty. */
static struct edge_seen *edge_slot(struct collector *c, size_t fn,
                                   const char *key)
{
    size_t mask = c->edge_slots - 1, s = edge_hash(fn, key) & mask;

    while (c->edges[s].callee &&
           (c->edges[s].fn != fn || strcmp(c->edges[s].callee, key) != 0))
        s = (s + 1) & mask;
    return &c->edges[s];
}

/* Whether function fn calls key already, in O(1): a function of the
   SQLite amalgamation calls hundreds of others. */
static int has_call(struct collector *c, size_t fn, const char *key)
{
    return c->edge_slots && edge_slot(c, fn, key)->callee;
}

static void remember_call(struct collector *c, size_t fn, const char *key)
{
    struct edge_seen *slot;

    if ((c->edge_count + 1) * 2 > c->edge_slots) {
        struct edge_seen *old = c->edges;
        size_t old_slots = c->edge_slots;

        c->edge_slots = old_slots ? old_slots * 2 : 1024;
        c->edges = xcalloc(c->edge_slots, sizeof(*c->edges));
        for (size_t i = 0; i < old_slots; i++)
            if (old[i].callee)
                *edge_slot(c, old[i].fn, old[i].callee) = old[i];
        free(old);
    }
    slot = edge_slot(c, fn, key);
    slot->fn = fn;
    slot->callee = key;
    c->edge_count++;
}

void collect_function_use(struct collector *c, size_t fn, const char *key,
                          const char *name, int called, const void *site)
{
    const struct callee_rules *r;

    if (!has_call(c, fn, key)) {
        struct facts_function *f = &c->tu->functions[fn];
        struct facts_loc loc = {0};

        c->ops->locate(c->fe, site, &loc);
        facts_add_call(f, key, &loc, !called);
        free(loc.file);
        remember_call(c, fn, f->calls[f->call_count - 1].callee);
    }
    if (!name)
        return;
    r = rules_for(c, name);
    if (r->call < 0)
        return;
    if (called) {
        add_match(c, fn, r->call, r->base, site, r->base);
    } else {
        struct strbuf what = STRBUF_INIT;

        sb_addf(&what, "&%s", r->base);
        add_match(c, fn, r->call, what.buf, site, r->base);
        sb_release(&what);
    }
}

void collect_variable_use(struct collector *c, size_t fn, const char *name,
                          int global, long literal_length, const void *site)
{
    if (c->secret_literal >= 0 && global && literal_length > 0 &&
        name_is_secret(name))
        add_named_match(c, fn, c->secret_literal, name, site);
}

/*
 * A comparison with a secret-named argument: not constant time
 * (MB1016) unless against "", and a hard-coded secret (MB1017) when the
 * other side is a literal.
 */
static void check_comparison(struct collector *c, size_t fn,
                             const struct callee_rules *r, const void *call)
{
    struct collect_arg args[2];

    for (unsigned i = 0; i < 2; i++) {
        memset(&args[i], 0, sizeof(args[i]));
        c->ops->argument(c->fe, call, i, &args[i]);
    }
    for (unsigned i = 0; i < 2; i++) {
        const char *name = args[i].name;
        long other = args[1 - i].literal_length;

        if (!name || !name[0] || !name_is_secret(name))
            continue;
        if (r->compare >= 0 && other != 0) {
            struct strbuf what = STRBUF_INIT;

            sb_addf(&what, "%s(%s)", r->base, name);
            add_match(c, fn, r->compare, what.buf, call, r->base);
            sb_release(&what);
        }
        if (c->secret_literal >= 0 && other > 0) {
            char *what = quoted(name);

            add_match(c, fn, c->secret_literal, what, call, r->base);
            free(what);
        }
        return;
    }
}

/* Argument i of a call, asked of the front end. */
static void argument(struct collector *c, const void *call, int i,
                     struct collect_arg *arg)
{
    memset(arg, 0, sizeof(*arg));
    arg->literal_length = -1;
    c->ops->argument(c->fe, call, (unsigned)i, arg);
}

void collect_call(struct collector *c, size_t fn, const char *callee,
                  unsigned arg_count, const void *site)
{
    const struct callee_rules *r;
    struct collect_arg arg;

    if (!callee) {
        /* Limitation: a call through a function pointer is counted, not
           followed, so the reach stops there. */
        c->tu->functions[fn].indirect_calls++;
        return;
    }
    r = rules_for(c, callee);
    if (r->format >= 0 && (unsigned)r->format_arg < arg_count) {
        argument(c, site, r->format_arg, &arg);
        if (!arg.is_literal_format)
            add_match(c, fn, r->format, r->base, site, r->base);
    }
    if (r->scanf >= 0 && (unsigned)r->scanf_arg < arg_count) {
        argument(c, site, r->scanf_arg, &arg);
        if (arg.narrow && scanf_format_unbounded(arg.narrow))
            add_match(c, fn, r->scanf, r->base, site, r->base);
    }
    if (r->copy_size >= 0 && (unsigned)r->copy_size_arg < arg_count) {
        argument(c, site, r->copy_size_arg, &arg);
        if (!arg.is_bounded_size)
            add_match(c, fn, r->copy_size, r->base, site, r->base);
    }
    if (r->is_comparison && arg_count >= 2)
        check_comparison(c, fn, r, site);
}

void collect_local(struct collector *c, size_t fn, const char *name,
                   int variable_length, long literal_length, const void *site,
                   const void *name_site)
{
    if (variable_length && c->stack >= 0)
        add_named_match(c, fn, c->stack, name, site);
    if (literal_length > 0 && c->secret_literal >= 0 && name_is_secret(name))
        add_named_match(c, fn, c->secret_literal, name, name_site);
}

void collect_assignment(struct collector *c, size_t fn, const char *lhs,
                        long literal_length, const void *site)
{
    if (lhs && lhs[0] && literal_length > 0 && c->secret_literal >= 0 &&
        name_is_secret(lhs))
        add_named_match(c, fn, c->secret_literal, lhs, site);
}

/* Macros */

/* Puts key in the table of judged statements; 0 if it was there. */
static int seen_insert(struct collector *c, const struct macro_seen *key)
{
    size_t mask = c->seen_slots - 1;
    size_t s = hash_bytes(key, sizeof(*key), 2166136261u) & mask;

    while (c->seen[s].file) {
        if (memcmp(&c->seen[s], key, sizeof(*key)) == 0)
            return 0;
        s = (s + 1) & mask;
    }
    c->seen[s] = *key;
    c->seen_count++;
    return 1;
}

/*
 * Whether a statement from the same macro use, with its first token on
 * the same line of the same definition, was judged already; marks it.
 */
static int seen_before(struct collector *c, const struct collect_point *use,
                       const struct collect_point *spelled)
{
    struct macro_seen key;

    memset(&key, 0, sizeof(key)); /* the padding is hashed too */
    key.file = use->file;
    key.offset = use->offset;
    key.spelled_file = spelled ? spelled->file : NULL;
    key.spelled_line = spelled ? spelled->line : 0;
    if ((c->seen_count + 1) * 2 > c->seen_slots) {
        struct macro_seen *old = c->seen;
        size_t old_slots = c->seen_slots;

        c->seen_slots = old_slots ? old_slots * 2 : 256;
        c->seen = xcalloc(c->seen_slots, sizeof(*c->seen));
        c->seen_count = 0;
        for (size_t i = 0; i < old_slots; i++)
            if (old[i].file)
                seen_insert(c, &old[i]);
        free(old);
    }
    return !seen_insert(c, &key);
}

/* Records the use of banned macro (through macro through, or NULL) at
   the macro use that starts at use. */
static void add_macro_match(struct collector *c, size_t fn, int rule,
                            const char *banned, const char *through,
                            const struct collect_point *use, const void *site)
{
    struct facts_loc loc = {0};
    char name[256];

    struct collect_point at = *use;

    if (!at.line)
        c->ops->position(c->fe, &at);
    identifier_at(c, use, name, sizeof(name));
    loc.file = xstrdup(c->ops->path(c->fe, use->file));
    loc.pos.line = loc.pos.end_line = at.line;
    loc.pos.column = at.column;
    loc.pos.end_column = at.column + (unsigned)strlen(name);
    record_match(c, fn, rule, banned, through, &loc, site);
}

void collect_macro_statement(struct collector *c, size_t fn, const void *site)
{
    struct collect_origin o;
    struct collect_point spelled;
    char outer[256], inner[256];
    size_t len = 0;
    const char *text;
    int rule;

    if (!c->wants_macros)
        return;
    c->ops->origin(c->fe, site, &o);
    if (!o.expansion.file)
        return;
    identifier_at(c, &o.written, outer, sizeof(outer));
    /* The common case: the macro written there is banned itself. */
    if (o.from_macro && outer[0] &&
        (rule = match_macro(c->policy, outer)) >= 0) {
        if (!seen_before(c, &o.expansion, NULL))
            add_macro_match(c, fn, rule, outer, NULL, &o.expansion, site);
        return;
    }
    c->ops->spelled(c->fe, site, &spelled);
    if (same_point(&o.written, &spelled) ||
        seen_before(c, &o.expansion, &spelled))
        return;
    if (outer[0] && (rule = match_macro(c->policy, outer)) >= 0) {
        add_macro_match(c, fn, rule, outer, NULL, &o.expansion, site);
        return;
    }
    text = spelled.file ? c->ops->contents(c->fe, spelled.file, &len) : NULL;
    collect_defining_macro(text, len, spelled.offset, inner, sizeof(inner));
    if (inner[0] && (rule = match_macro(c->policy, inner)) >= 0)
        add_macro_match(c, fn, rule, inner, outer[0] ? outer : NULL,
                        &o.expansion, site);
}
