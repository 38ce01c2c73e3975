/*
 * collect.c: what the things a front end meets in a translation unit
 * mean for its facts. See collect.h.
 */
#include "collect_internal.h"

#include <stdlib.h>
#include <string.h>

#include "match.h"

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
        facts_add_annotation(c->tu, &c->tu->functions[fn], &ann, &loc);
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
        facts_add_call(c->tu, f, key, &loc, !called);
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
