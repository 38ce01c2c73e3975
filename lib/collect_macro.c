/*
 * collect_macro.c: the uses of banned macros, from the statements that
 * macros produced, and the reading of source text this needs: the
 * identifier at a place, and the #define a place is in.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "collect_internal.h"
#include "match.h"

/* Of a string, or of the bytes of a small record. */
size_t hash_bytes(const void *data, size_t len, size_t h)
{
    return (size_t)XXH3_64bits_withSeed(data, len, h);
}

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

const char *identifier_at(struct collector *c, const struct collect_point *at,
                          char *buf, size_t size)
{
    size_t len = 0;
    const char *text =
            at->file ? c->ops->contents(c->fe, at->file, &len) : NULL;

    return collect_identifier_at(text, len, at->offset, buf, size);
}

int same_point(const struct collect_point *a, const struct collect_point *b)
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
/* Records a match at loc (taking loc's file), and tells the front end. */
void record_match(struct collector *c, size_t fn, int rule, const char *what,
                  const char *macro, struct facts_loc *loc, const void *site)
{
    const struct policy_rule *r = policy_rule_at(c->policy, (size_t)rule);

    facts_add_match(c->tu, &c->tu->functions[fn], r->desc.id, what, macro, loc);
    free(loc->file);
    loc->file = NULL;
    if (c->ops->matched) {
        char *text = match_describe(r->desc.match, what, macro);

        c->ops->matched(c->fe, fn, rule, text, site);
        free(text);
    }
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
