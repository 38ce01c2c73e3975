/*
 * model_yaml.c: YAML text to a tree of positioned nodes (libyaml), and
 * the typed reading of mapping fields that reports what does not fit.
 */
#include "model_yaml.h"

#include <mitigate.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "model_yaml_alias.h"

struct yreader {
    yaml_parser_t parser;
    const char *path;
    const char *buf;
    size_t len;
    const char *what; /* the kind of document, for errors */
    struct mt_errors *errs;
    struct yanchors *anchors; /* NULL: anchors and aliases are refused */
    size_t nodes;             /* read so far, up to YNODE_MAX_NODES */
};

/* The 1-based position of the text between two 0-based libyaml marks. */
static struct mt_pos pos_from_marks(yaml_mark_t start, yaml_mark_t end)
{
    struct mt_pos pos;

    pos.line = (unsigned)start.line + 1;
    pos.column = (unsigned)start.column + 1;
    pos.end_line = (unsigned)end.line + 1;
    pos.end_column = (unsigned)end.column + 1;
    return pos;
}

/*
 * The position of byte offset in the text, counting columns in
 * characters as libyaml does. Used for reader errors, which carry an
 * offset but no mark.
 */
static struct mt_pos pos_from_offset(const char *buf, size_t len, size_t offset)
{
    struct mt_pos pos = {1, 1, 0, 0};

    for (size_t i = 0; i < offset && i < len; i++) {
        unsigned char c = (unsigned char)buf[i];

        if (c == '\n') {
            pos.line++;
            pos.column = 1;
        } else if ((c & 0xc0) != 0x80) {
            pos.column++;
        }
    }
    pos.end_line = pos.line;
    pos.end_column = pos.column + 1;
    return pos;
}

/* Adds the error libyaml stopped on, with its position. */
static void report_parser_error(struct yreader *r)
{
    const yaml_parser_t *p = &r->parser;
    const char *problem = p->problem ? p->problem : "syntax error";
    struct mt_pos pos;

    if (p->error == YAML_MEMORY_ERROR) {
        mt_error_add(r->errs, r->path, NULL,
                     "out of memory while reading the YAML");
        return;
    }
    if (p->error == YAML_READER_ERROR) {
        pos = pos_from_offset(r->buf, r->len, p->problem_offset);
        mt_error_add(r->errs, r->path, &pos, "invalid YAML: %s", problem);
        return;
    }
    pos = pos_from_marks(p->problem_mark, p->problem_mark);
    pos.end_column++;
    if (p->context)
        mt_error_add(r->errs, r->path, &pos,
                     "invalid YAML: %s %s (started at line %u, column %u)",
                     problem, p->context, (unsigned)p->context_mark.line + 1,
                     (unsigned)p->context_mark.column + 1);
    else
        mt_error_add(r->errs, r->path, &pos, "invalid YAML: %s", problem);
}

/* Reads the next event; on a YAML error reports it and returns 0. */
static int next_event(struct yreader *r, yaml_event_t *ev)
{
    if (yaml_parser_parse(&r->parser, ev))
        return 1;
    report_parser_error(r);
    return 0;
}

/* Reports an anchor or a tag on the event that starts a node. */
MITIGATES("M-YAML-LIMITS")
static void refuse_anchor_and_tag(struct yreader *r, const yaml_event_t *ev)
{
    const yaml_char_t *anchor = NULL, *tag = NULL;
    struct mt_pos pos = pos_from_marks(ev->start_mark, ev->end_mark);

    if (ev->type == YAML_SCALAR_EVENT) {
        anchor = ev->data.scalar.anchor;
        tag = ev->data.scalar.tag;
    } else if (ev->type == YAML_SEQUENCE_START_EVENT) {
        anchor = ev->data.sequence_start.anchor;
        tag = ev->data.sequence_start.tag;
    } else if (ev->type == YAML_MAPPING_START_EVENT) {
        anchor = ev->data.mapping_start.anchor;
        tag = ev->data.mapping_start.tag;
    }
    if (anchor && !r->anchors)
        mt_error_add(r->errs, r->path, &pos,
                     "anchors are not supported in a %s", r->what);
    if (tag)
        mt_error_add(r->errs, r->path, &pos, "tags are not supported in a %s",
                     r->what);
}

/* Fills a scalar node from its event. */
static void read_scalar(struct yreader *r, struct ynode *node,
                        const yaml_event_t *ev)
{
    const char *value = (const char *)ev->data.scalar.value;
    size_t length = ev->data.scalar.length;

    node->type = YNODE_SCALAR;
    node->value = xstrndup(value, length);
    node->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    if (memchr(value, '\0', length))
        mt_error_add(r->errs, r->path, &node->pos,
                     "strings must not contain NUL characters");
}

static void append_child(struct ynode *node, struct ynode *child)
{
    grow_array(&node->items, &node->alloc, node->count + 1,
               sizeof(*node->items));
    node->items[node->count++] = child;
}

static struct ynode *read_node(struct yreader *r, yaml_event_t *ev, int depth);

/*
 * Resolves the merge keys of node when anchors are read. Returns node,
 * or NULL after reporting the problem and freeing node.
 */
static struct ynode *merge_keys(struct yreader *r, struct ynode *node)
{
    const struct ynode *at = node;
    const char *problem = NULL;

    if (!r->anchors || node->type != YNODE_MAPPING ||
        yanchors_merge(r->anchors, node, &problem, &at) == 0)
        return node;
    mt_error_add(r->errs, r->path, &at->pos, "%s in a %s", problem, r->what);
    ynode_free(node);
    return NULL;
}

/*
 * Reads the alias event ev stands for, when anchors are read: a copy of
 * the anchored node. NULL after reporting when there is none.
 */
static struct ynode *read_alias(struct yreader *r, const yaml_event_t *ev,
                                const struct mt_pos *pos, int depth)
{
    const char *problem = NULL;
    struct ynode *copy =
            yanchors_copy(r->anchors, (const char *)ev->data.alias.anchor, pos,
                          depth, &problem);

    if (!copy)
        mt_error_add(r->errs, r->path, pos, "%s in a %s", problem, r->what);
    return copy;
}

/* The anchor on the event that starts a node, or NULL. */
static const char *anchor_of(const yaml_event_t *ev)
{
    if (ev->type == YAML_SCALAR_EVENT)
        return (const char *)ev->data.scalar.anchor;
    if (ev->type == YAML_SEQUENCE_START_EVENT)
        return (const char *)ev->data.sequence_start.anchor;
    if (ev->type == YAML_MAPPING_START_EVENT)
        return (const char *)ev->data.mapping_start.anchor;
    return NULL;
}

/*
 * Reads the children of a sequence or mapping up to the event that ends
 * it. Returns node, or NULL after freeing it when the YAML is invalid.
 */
static struct ynode *read_children(struct yreader *r, struct ynode *node,
                                   yaml_event_type_t end_type, int depth)
{
    yaml_event_t ev;

    for (;;) {
        struct ynode *child;

        if (!next_event(r, &ev)) {
            ynode_free(node);
            return NULL;
        }
        if (ev.type == end_type) {
            node->pos.end_line = (unsigned)ev.end_mark.line + 1;
            node->pos.end_column = (unsigned)ev.end_mark.column + 1;
            yaml_event_delete(&ev);
            return merge_keys(r, node);
        }
        child = read_node(r, &ev, depth + 1);
        if (!child) {
            ynode_free(node);
            return NULL;
        }
        append_child(node, child);
    }
}

/* Records node under anchor (which it frees), when both are there. */
static struct ynode *define_anchor(struct yreader *r, char *anchor,
                                   struct ynode *node)
{
    if (anchor && node)
        yanchors_define(r->anchors, anchor, node);
    free(anchor);
    return node;
}

/*
 * Reports a node past a limit at the event that starts it, and frees the
 * event. Returns NULL: reading stops there.
 */
static struct ynode *refuse_node(struct yreader *r, yaml_event_t *ev,
                                 const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static struct ynode *refuse_node(struct yreader *r, yaml_event_t *ev,
                                 const char *fmt, ...)
{
    struct mt_pos pos = pos_from_marks(ev->start_mark, ev->end_mark);
    va_list ap;

    va_start(ap, fmt);
    mt_error_vadd(r->errs, r->path, &pos, fmt, ap);
    va_end(ap);
    yaml_event_delete(ev);
    return NULL;
}

/*
 * Reads the node that ev starts, taking ownership of ev. Anchors, tags
 * and aliases are reported and reading goes on; the result is NULL only
 * when reading cannot go on (a YAML error, too deep a nesting or too many
 * values).
 */
MITIGATES("M-YAML-LIMITS")
static struct ynode *read_node(struct yreader *r, yaml_event_t *ev, int depth)
{
    struct ynode *node;
    yaml_event_type_t end_type;
    char *anchor = NULL;
    struct mt_pos pos = pos_from_marks(ev->start_mark, ev->end_mark);

    if (depth > YNODE_MAX_DEPTH)
        return refuse_node(r, ev,
                           "nesting deeper than %d levels is not supported "
                           "in a %s",
                           YNODE_MAX_DEPTH, r->what);
    if (++r->nodes > YNODE_MAX_NODES)
        return refuse_node(r, ev,
                           "more than %d values in a %s; split it or remove "
                           "what it does not need",
                           YNODE_MAX_NODES, r->what);
    if (ev->type == YAML_ALIAS_EVENT && r->anchors) {
        node = read_alias(r, ev, &pos, depth);
        yaml_event_delete(ev);
        return node;
    }
    refuse_anchor_and_tag(r, ev);
    if (r->anchors && anchor_of(ev))
        anchor = xstrdup(anchor_of(ev));
    node = xcalloc(1, sizeof(*node));
    node->pos = pos;
    if (ev->type == YAML_SEQUENCE_START_EVENT) {
        node->type = YNODE_SEQUENCE;
        end_type = YAML_SEQUENCE_END_EVENT;
    } else if (ev->type == YAML_MAPPING_START_EVENT) {
        node->type = YNODE_MAPPING;
        end_type = YAML_MAPPING_END_EVENT;
    } else {
        if (ev->type == YAML_SCALAR_EVENT)
            read_scalar(r, node, ev);
        else
            mt_error_add(r->errs, r->path, &node->pos,
                         "aliases are not supported in a %s", r->what);
        if (!node->value)
            node->value = xstrdup("");
        yaml_event_delete(ev);
        return define_anchor(r, anchor, node);
    }
    yaml_event_delete(ev);
    return define_anchor(r, anchor, read_children(r, node, end_type, depth));
}

/*
 * Reads the stream: nothing, or one document. Returns 0, or -1 when
 * reading could not go on.
 */
static int read_stream(struct yreader *r, struct ynode **root)
{
    yaml_event_t ev;

    if (!next_event(r, &ev)) /* the stream start */
        return -1;
    yaml_event_delete(&ev);
    if (!next_event(r, &ev))
        return -1;
    if (ev.type == YAML_STREAM_END_EVENT) {
        yaml_event_delete(&ev);
        return 0;
    }
    yaml_event_delete(&ev); /* the document start */
    if (!next_event(r, &ev))
        return -1;
    *root = read_node(r, &ev, 1);
    if (!*root || !next_event(r, &ev)) /* the document end */
        return -1;
    yaml_event_delete(&ev);
    if (!next_event(r, &ev))
        return -1;
    if (ev.type == YAML_DOCUMENT_START_EVENT) {
        struct mt_pos pos = pos_from_marks(ev.start_mark, ev.end_mark);

        mt_error_add(r->errs, r->path, &pos,
                     "a %s is one YAML document; remove the second one",
                     r->what);
    }
    yaml_event_delete(&ev);
    return 0;
}

int ynode_load(const char *path, const char *buf, size_t len,
               struct mt_errors *errs, struct ynode **root)
{
    return ynode_load_as(path, buf, len, "threat model", errs, root);
}

/* Reads the document in buf; anchors is NULL to refuse them. */
static int load_document(const char *path, const char *buf, size_t len,
                         const char *what, struct yanchors *anchors,
                         struct mt_errors *errs, struct ynode **root)
{
    struct yreader r;
    size_t errors_before = errs->count;
    int rc;

    *root = NULL;
    memset(&r, 0, sizeof(r));
    r.path = path;
    r.buf = buf;
    r.len = len;
    r.what = what;
    r.errs = errs;
    r.anchors = anchors;
    if (!yaml_parser_initialize(&r.parser)) {
        mt_error_add(errs, path, NULL, "cannot start the YAML parser");
        return -1;
    }
    yaml_parser_set_input_string(&r.parser, (const unsigned char *)buf, len);
    rc = read_stream(&r, root);
    yaml_parser_delete(&r.parser);
    if (rc == 0 && errs->count == errors_before)
        return 0;
    ynode_free(*root);
    *root = NULL;
    return -1;
}

int ynode_load_as(const char *path, const char *buf, size_t len,
                  const char *what, struct mt_errors *errs, struct ynode **root)
{
    return load_document(path, buf, len, what, NULL, errs, root);
}

int ynode_load_aliased(const char *path, const char *buf, size_t len,
                       const char *what, struct mt_errors *errs,
                       struct ynode **root)
{
    struct yanchors anchors;
    int rc;

    memset(&anchors, 0, sizeof(anchors));
    rc = load_document(path, buf, len, what, &anchors, errs, root);
    yanchors_release(&anchors);
    return rc;
}

void ynode_free(struct ynode *node)
{
    if (!node)
        return;
    for (size_t i = 0; i < node->count; i++)
        ynode_free(node->items[i]);
    free(node->items);
    free(node->value);
    free(node);
}

int ynode_is_null(const struct ynode *node)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};

    if (!node || node->type != YNODE_SCALAR || !node->plain)
        return 0;
    for (size_t i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++) {
        if (strcmp(node->value, nulls[i]) == 0)
            return 1;
    }
    return 0;
}

const char *ynode_describe(const struct ynode *node)
{
    if (ynode_is_null(node) ||
        (node->type == YNODE_SCALAR && node->value[0] == '\0'))
        return "an empty value";
    if (node->type == YNODE_SEQUENCE)
        return "a list";
    if (node->type == YNODE_MAPPING)
        return "a mapping";
    return "a string";
}

const struct ynode *ynode_get(const struct ynode *map, const char *key)
{
    if (map->type != YNODE_MAPPING)
        return NULL;
    for (size_t i = 0; i + 1 < map->count; i += 2) {
        const struct ynode *k = map->items[i];

        if (k->type == YNODE_SCALAR && strcmp(k->value, key) == 0)
            return map->items[i + 1];
    }
    return NULL;
}

/* Errors */

void yreport_error(const struct yreport *rep, const struct mt_pos *pos,
                   const char *fmt, ...)
{
    struct strbuf msg = STRBUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    sb_vaddf(&msg, fmt, ap);
    va_end(ap);
    mt_error_add(rep->errs, rep->path, pos, "%s", sb_str(&msg));
    sb_release(&msg);
}

void yreport_unknown(const struct yreport *rep, const struct mt_pos *pos,
                     const char *what, const char *word, const char *where,
                     const char *const *names, size_t count)
{
    const char *nearest = suggest_nearest(word, names, count);
    struct strbuf list = STRBUF_INIT;

    if (nearest) {
        yreport_error(rep, pos, "unknown %s '%s' in %s (did you mean '%s'?)",
                      what, word, where, nearest);
        return;
    }
    for (size_t i = 0; i < count; i++)
        sb_addf(&list, "%s%s", i ? ", " : "", names[i]);
    yreport_error(rep, pos, "unknown %s '%s' in %s (expected one of: %s)", what,
                  word, where, sb_str(&list));
    sb_release(&list);
}

/* An error and where it was in the list, for a stable sort. */
struct numbered_error {
    struct mt_error error;
    size_t index;
};

static int cmp_numbered_error(const void *a, const void *b)
{
    const struct numbered_error *x = a, *y = b;

    if (x->error.pos.line != y->error.pos.line)
        return x->error.pos.line < y->error.pos.line ? -1 : 1;
    if (x->error.pos.column != y->error.pos.column)
        return x->error.pos.column < y->error.pos.column ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

void yreport_sort(struct mt_errors *errs, size_t first)
{
    size_t n = errs->count > first ? errs->count - first : 0;
    struct numbered_error *sorted;

    if (n < 2)
        return;
    sorted = xmalloc(n * sizeof(*sorted));
    for (size_t i = 0; i < n; i++) {
        sorted[i].error = errs->items[first + i];
        sorted[i].index = i;
    }
    qsort(sorted, n, sizeof(*sorted), cmp_numbered_error);
    for (size_t i = 0; i < n; i++)
        errs->items[first + i] = sorted[i].error;
    free(sorted);
}

/* Fields */

/* The index of word in names, or -1. */
static int name_index(const char *word, const char *const *names, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (strcmp(word, names[i]) == 0)
            return (int)i;
    }
    return -1;
}

void yfield_read_keys(const struct yreport *rep, const struct ynode *map,
                      const char *where, const char *const *keys, size_t count,
                      struct yfield *fields)
{
    memset(fields, 0, count * sizeof(*fields));
    for (size_t i = 0; i + 1 < map->count; i += 2) {
        const struct ynode *key = map->items[i];
        int k;

        if (key->type != YNODE_SCALAR) {
            yreport_error(rep, &key->pos, "expected a key name in %s, found %s",
                          where, ynode_describe(key));
            continue;
        }
        k = name_index(key->value, keys, count);
        if (k < 0) {
            yreport_unknown(rep, &key->pos, "key", key->value, where, keys,
                            count);
            continue;
        }
        if (fields[k].key) {
            yreport_error(rep, &key->pos,
                          "duplicate key '%s' in %s (first at line %u, "
                          "column %u)",
                          key->value, where, fields[k].key->pos.line,
                          fields[k].key->pos.column);
            continue;
        }
        fields[k].key = key;
        fields[k].value = map->items[i + 1];
    }
}

void yfield_require(const struct yreport *rep, const struct ynode *map,
                    const char *where, const char *name, const struct yfield *f)
{
    if (f->value)
        return;
    yreport_error(rep, &map->pos, "missing required key '%s' in %s", name,
                  where);
}

/*
 * Whether f is present and of the given type; reports a present value of
 * another type as not being the expected one (such as "a mapping").
 */
static int field_has_type(const struct yreport *rep, const struct yfield *f,
                          const char *where, enum ynode_type type,
                          const char *expected)
{
    if (!f->value)
        return 0;
    if (f->value->type == type && !ynode_is_null(f->value))
        return 1;
    yreport_error(rep, &f->value->pos, "expected %s for '%s' in %s, found %s",
                  expected, f->key->value, where, ynode_describe(f->value));
    return 0;
}

int yfield_is_mapping(const struct yreport *rep, const struct yfield *f,
                      const char *where)
{
    return field_has_type(rep, f, where, YNODE_MAPPING, "a mapping");
}

int yfield_is_list(const struct yreport *rep, const struct yfield *f,
                   const char *where)
{
    return field_has_type(rep, f, where, YNODE_SEQUENCE, "a list");
}

/* Whether node is a scalar with some text: not null, not "". */
static int is_nonempty_string(const struct ynode *node)
{
    return node->type == YNODE_SCALAR && !ynode_is_null(node) &&
           node->value[0] != '\0';
}

const char *yfield_string(const struct yreport *rep, const struct yfield *f,
                          const char *where)
{
    if (!f->value)
        return NULL;
    if (is_nonempty_string(f->value))
        return f->value->value;
    yreport_error(rep, &f->value->pos,
                  "expected a string for '%s' in %s, found %s", f->key->value,
                  where, ynode_describe(f->value));
    return NULL;
}

char *yfield_strdup(const struct yreport *rep, const struct yfield *f,
                    const char *where)
{
    const char *s = yfield_string(rep, f, where);

    return s ? xstrdup(s) : NULL;
}

void yfield_strings(const struct yreport *rep, const struct yfield *f,
                    const char *where, struct model_strings *out)
{
    const struct ynode *list = f->value;

    if (!list)
        return;
    if (list->type != YNODE_SEQUENCE) {
        yreport_error(rep, &list->pos,
                      "expected a list of strings for '%s' in %s, found %s",
                      f->key->value, where, ynode_describe(list));
        return;
    }
    out->items = xcalloc(list->count, sizeof(*out->items));
    out->pos = xcalloc(list->count, sizeof(*out->pos));
    for (size_t i = 0; i < list->count; i++) {
        const struct ynode *item = list->items[i];

        if (!is_nonempty_string(item)) {
            yreport_error(rep, &item->pos,
                          "expected a string in '%s' of %s, found %s",
                          f->key->value, where, ynode_describe(item));
            continue;
        }
        out->items[out->count] = xstrdup(item->value);
        out->pos[out->count++] = item->pos;
    }
}

int yfield_enum(const struct yreport *rep, const struct yfield *f,
                const char *where, const char *what, const char *const *names,
                size_t count)
{
    const char *word = yfield_string(rep, f, where);
    int k;

    if (!word)
        return -1;
    k = name_index(word, names, count);
    if (k < 0)
        yreport_unknown(rep, &f->value->pos, what, word, where, names, count);
    return k;
}

int yfield_bool(const struct yreport *rep, const struct yfield *f,
                const char *where)
{
    static const char *const words[] = {"false", "False", "FALSE",
                                        "true",  "True",  "TRUE"};
    const struct ynode *v = f->value;

    if (!v)
        return -1;
    if (v->type == YNODE_SCALAR && v->plain) {
        int k = name_index(v->value, words, sizeof(words) / sizeof(*words));

        if (k >= 0)
            return k >= 3;
    }
    if (v->type == YNODE_SCALAR && v->value[0] != '\0')
        yreport_error(rep, &v->pos,
                      "expected true or false for '%s' in %s, found '%s'",
                      f->key->value, where, v->value);
    else
        yreport_error(rep, &v->pos,
                      "expected true or false for '%s' in %s, found %s",
                      f->key->value, where, ynode_describe(v));
    return -1;
}
