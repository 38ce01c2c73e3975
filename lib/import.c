/*
 * import.c: what every reader of another tool's model shares: the
 * context that builds the model, IDs, and the mapping of statuses,
 * STRIDE categories and controls.
 */
#include "import_internal.h"

#include <ctype.h>
#include <search.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *const import_format_names[IMPORT_FORMAT_COUNT] = {
        "threat-dragon",
        "otm",
        "threagile",
};

static const char *const product_names[IMPORT_FORMAT_COUNT] = {
        "Threat Dragon",
        "OTM",
        "Threagile",
};

int import_format_parse(const char *word)
{
    for (int i = 0; i < IMPORT_FORMAT_COUNT; i++) {
        if (strcmp(word, import_format_names[i]) == 0)
            return i;
    }
    return -1;
}

/* The context */

void import_begin(struct import_ctx *ctx, enum import_format format,
                  const char *name, struct mt_errors *warnings,
                  struct mt_errors *errs)
{
    memset(ctx, 0, sizeof(*ctx));
    ctx->name = name;
    ctx->format = format;
    ctx->tool = import_format_names[format];
    ctx->product = product_names[format];
    ctx->errs = errs;
    ctx->warnings = warnings;
    ctx->errors_before = errs->count;
    ctx->model = xcalloc(1, sizeof(*ctx->model));
    ctx->model->path = xstrdup(name);
    ctx->model->version = MODEL_SCHEMA_VERSION;
}

static int compare_keys(const void *a, const void *b)
{
    return strcmp(((const struct import_key *)a)->key,
                  ((const struct import_key *)b)->key);
}

static void index_release(struct import_index *ix)
{
    for (size_t i = 0; i < ix->count; i++) {
        tdelete(ix->keys[i], &ix->root, compare_keys);
        free(ix->keys[i]->key);
        free(ix->keys[i]->where);
        free(ix->keys[i]);
    }
    free(ix->keys);
    memset(ix, 0, sizeof(*ix));
}

int import_failed(const struct import_ctx *ctx)
{
    return ctx->errs->count != ctx->errors_before;
}

struct model *import_parse(enum import_format format, const char *buf,
                           size_t len, const char *name,
                           struct mt_errors *warnings, struct mt_errors *errs)
{
    switch (format) {
    case IMPORT_THREAT_DRAGON:
        return import_threat_dragon_parse(buf, len, name, warnings, errs);
    case IMPORT_OTM:
        return import_otm_parse(buf, len, name, warnings, errs);
    case IMPORT_THREAGILE:
        return import_threagile_parse(buf, len, name, warnings, errs);
    case IMPORT_FORMAT_COUNT:
        break;
    }
    abort();
}

struct model *import_load(enum import_format format, const char *path,
                          struct mt_errors *warnings, struct mt_errors *errs)
{
    size_t len = 0;
    char *text = read_file(path, IMPORT_MAX_SIZE, &len, errs);
    struct model *model;

    if (!text)
        return NULL;
    model = import_parse(format, text, len, path, warnings, errs);
    free(text);
    return model;
}

/*
 * Leaves out the mitigations that no threat names (every instance
 * rejects them, or nothing uses them): the model would otherwise ask
 * for their implementation and tests.
 */
static void drop_unlinked(struct import_ctx *ctx)
{
    struct model *model = ctx->model;
    unsigned char *linked = xcalloc(model->mitigation_count + 1, 1);
    size_t kept = 0;

    for (size_t t = 0; t < model->threat_count; t++) {
        const struct model_strings *links = &model->threats[t].mitigations;

        for (size_t k = 0; k < links->count; k++)
            linked[import_mitigation_index(ctx, links->items[k])] = 1;
    }
    for (size_t m = 0; m < model->mitigation_count; m++) {
        struct model_mitigation *mit = &model->mitigations[m];
        struct import_key probe = {mit->id, 0, NULL};
        struct import_key **entry =
                tfind(&probe, &ctx->mitigation_ids.root, compare_keys);
        struct import_at at = {NULL, mit->pos};

        if (linked[m]) {
            model->mitigations[kept++] = *mit;
            continue;
        }
        if (ctx->format != IMPORT_THREAGILE)
            at.path = (*entry)->where;
        import_warn(ctx, &at,
                    "mitigation '%s' is named by no threat (rejected or "
                    "unused in %s); it is left out",
                    mit->id, ctx->product);
        model_mitigation_release(mit);
    }
    model->mitigation_count = kept;
    free(linked);
}

struct model *import_finish(struct import_ctx *ctx)
{
    struct model *model = ctx->model;

    if (!import_failed(ctx))
        drop_unlinked(ctx);

    index_release(&ctx->threat_sources);
    index_release(&ctx->threat_ids);
    index_release(&ctx->mitigation_sources);
    index_release(&ctx->mitigation_ids);
    ctx->model = NULL;
    if (!import_failed(ctx))
        return model;
    model_free(model);
    return NULL;
}

/* Adds a message about at to list: at a position, or at a JSON path. */
static void add_message(struct import_ctx *ctx, struct mt_errors *list,
                        const struct import_at *at, const char *fmt, va_list ap)
{
    struct strbuf msg = STRBUF_INIT;

    if (at && at->path)
        sb_addf(&msg, "at %s: ", at->path[0] ? at->path : "the top");
    sb_vaddf(&msg, fmt, ap);
    mt_error_add(list, ctx->name, at && at->pos.line ? &at->pos : NULL, "%s",
                 msg.buf);
    sb_release(&msg);
}

void import_error(struct import_ctx *ctx, const struct import_at *at,
                  const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    add_message(ctx, ctx->errs, at, fmt, ap);
    va_end(ap);
}

void import_warn(struct import_ctx *ctx, const struct import_at *at,
                 const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    add_message(ctx, ctx->warnings, at, fmt, ap);
    va_end(ap);
}

/* IDs */

/* "line 3, column 5" or the JSON path, for "first at" in messages. */
static char *describe_at(const struct import_at *at)
{
    struct strbuf sb = STRBUF_INIT;

    if (at->path)
        sb_adds(&sb, at->path[0] ? at->path : "the top");
    else
        sb_addf(&sb, "line %u, column %u", at->pos.line, at->pos.column);
    return sb_detach(&sb);
}

/*
 * Adds key for item to ix. Returns NULL, or the entry that had the key
 * before (which is kept).
 */
static const struct import_key *index_add(struct import_index *ix,
                                          const char *key, size_t item,
                                          const struct import_at *at)
{
    struct import_key *entry = xcalloc(1, sizeof(*entry));
    struct import_key **slot;

    entry->key = xstrdup(key);
    slot = tsearch(entry, &ix->root, compare_keys);
    if (!slot)
        abort(); /* tsearch() fails only when out of memory */
    if (*slot != entry) {
        free(entry->key);
        free(entry);
        return *slot;
    }
    entry->item = item;
    entry->where = describe_at(at);
    grow_array(&ix->keys, &ix->alloc, ix->count + 1, sizeof(*ix->keys));
    ix->keys[ix->count++] = entry;
    return NULL;
}

static long index_find(const struct import_index *ix, const char *key)
{
    struct import_key probe = {(char *)key, 0, NULL};
    struct import_key **found = tfind(&probe, &ix->root, compare_keys);

    return found ? (long)(*found)->item : -1;
}

long import_find_threat(const struct import_ctx *ctx, const char *source_id)
{
    return index_find(&ctx->threat_sources, source_id);
}

long import_find_mitigation(const struct import_ctx *ctx, const char *source_id)
{
    return index_find(&ctx->mitigation_sources, source_id);
}

size_t import_mitigation_index(const struct import_ctx *ctx, const char *id)
{
    long m = index_find(&ctx->mitigation_ids, id);

    if (m < 0)
        abort(); /* a link names only mitigations that were added */
    return (size_t)m;
}

/* The first n hexadecimal digits of the SHA-256 of text. */
static void add_hash(struct strbuf *sb, const char *text, size_t n)
{
    char hex[65];

    sha256_hex(text, strlen(text), hex);
    sb_add(sb, hex, n);
}

/*
 * The model ID for an item whose ID in the source is source_id: itself
 * when it is a valid ID; else its letters, digits, '-', '_' and '.'
 * (each run of other characters becoming one '-', at most 40 of them)
 * and '-' with 8 hexadecimal digits of its hash, so that different
 * source IDs stay different. Without a source ID, prefix and 12
 * digits of the hash of seed.
 */
static char *derive_id(const char *source_id, const char *prefix,
                       const char *seed)
{
    struct strbuf sb = STRBUF_INIT;

    if (!source_id) {
        sb_adds(&sb, prefix);
        add_hash(&sb, seed, 12);
        return sb_detach(&sb);
    }
    if (id_is_valid(source_id))
        return xstrdup(source_id);
    for (const char *p = source_id; *p && sb.len < 40; p++) {
        int ok = isalnum((unsigned char)*p) || *p == '-' || *p == '_' ||
                 *p == '.';

        if ((unsigned char)*p >= 0x80)
            ok = 0;
        if (ok)
            sb_addc(&sb, *p);
        else if (sb.len && sb.buf[sb.len - 1] != '-')
            sb_addc(&sb, '-');
    }
    while (sb.len && strchr("-_.", sb.buf[0])) {
        memmove(sb.buf, sb.buf + 1, sb.len);
        sb.len--;
    }
    if (sb.len && sb.buf[sb.len - 1] != '-')
        sb_addc(&sb, '-');
    if (!sb.len)
        sb_adds(&sb, prefix);
    add_hash(&sb, source_id, 8);
    return sb_detach(&sb);
}

/*
 * Records the item's IDs in the indexes of its kind. Returns 0, or -1
 * after reporting a source ID or a model ID that an earlier item has.
 */
static int index_item(struct import_ctx *ctx, const char *kind,
                      struct import_index *sources, struct import_index *ids,
                      const char *source_id, const char *id, size_t item,
                      const struct import_at *at)
{
    const struct import_key *first;

    if (source_id) {
        first = index_add(sources, source_id, item, at);
        if (first) {
            import_error(ctx, at,
                         "duplicate %s ID '%s' in the %s model (first at "
                         "%s); give each %s its own ID there",
                         kind, source_id, ctx->product, first->where, kind);
            return -1;
        }
    }
    first = index_add(ids, id, item, at);
    if (first) {
        import_error(ctx, at,
                     "%s ID '%s' derived here is also the ID of the %s at "
                     "%s; change one of their IDs in the %s model",
                     kind, id, kind, first->where, ctx->product);
        return -1;
    }
    return 0;
}

/* Fills the ID and origin of a new item. */
static char *new_item_id(struct import_ctx *ctx, struct model_origin *origin,
                         const char *source_id, const char *prefix,
                         const char *seed)
{
    char *id = derive_id(source_id, prefix, seed);

    origin->tool = xstrdup(ctx->tool);
    origin->id = source_id ? xstrdup(source_id) : NULL;
    if (!source_id)
        import_note(origin,
                    "It has no ID in %s; its ID was derived from what "
                    "identifies it there.",
                    ctx->product);
    else if (strcmp(id, source_id) != 0)
        import_note(origin,
                    "Its ID in %s is not a valid mitigate ID; this one "
                    "was derived from it.",
                    ctx->product);
    return id;
}

long import_add_threat(struct import_ctx *ctx, const char *source_id,
                       const char *seed, const struct import_at *at)
{
    struct model *model = ctx->model;
    size_t i = model->threat_count;
    struct model_threat *t;

    grow_array(&model->threats, &ctx->threat_alloc, i + 1,
               sizeof(*model->threats));
    t = &model->threats[i];
    memset(t, 0, sizeof(*t));
    model->threat_count++;
    t->pos = at->pos;
    t->id = new_item_id(ctx, &t->origin, source_id, "T-", seed);
    t->id_pos = at->pos;
    if (index_item(ctx, "threat", &ctx->threat_sources, &ctx->threat_ids,
                   source_id, t->id, i, at) < 0)
        return -1;
    return (long)i;
}

/*
 * Appends a mitigation with model ID id and origin, taking both; returns
 * its index, or -1 after reporting a duplicate ID.
 */
static long add_mitigation(struct import_ctx *ctx, const char *source_id,
                           char *id, struct model_origin origin,
                           const struct import_at *at)
{
    struct model *model = ctx->model;
    size_t i = model->mitigation_count;
    struct model_mitigation *m;

    grow_array(&model->mitigations, &ctx->mitigation_alloc, i + 1,
               sizeof(*model->mitigations));
    m = &model->mitigations[i];
    memset(m, 0, sizeof(*m));
    model->mitigation_count++;
    m->pos = at->pos;
    m->id = id;
    m->id_pos = at->pos;
    m->origin = origin;
    if (index_item(ctx, "mitigation", &ctx->mitigation_sources,
                   &ctx->mitigation_ids, source_id, m->id, i, at) < 0)
        return -1;
    return (long)i;
}

long import_add_mitigation(struct import_ctx *ctx, const char *source_id,
                           const char *seed, const struct import_at *at)
{
    struct model_origin origin;
    char *id;

    memset(&origin, 0, sizeof(origin));
    id = new_item_id(ctx, &origin, source_id, "M-", seed);
    return add_mitigation(ctx, source_id, id, origin, at);
}

long import_add_text_mitigation(struct import_ctx *ctx, const char *owner_id,
                                const char *what, const char *text,
                                const struct import_at *at)
{
    struct strbuf id = STRBUF_INIT;
    struct model_origin origin;
    struct model_mitigation *m;
    long i;

    sb_addf(&id, "M-%s", owner_id);
    if (!id_is_valid(id.buf)) {
        sb_release(&id);
        sb_adds(&id, "M-");
        add_hash(&id, owner_id, 12);
    }
    memset(&origin, 0, sizeof(origin));
    origin.tool = xstrdup(ctx->tool);
    import_note(&origin,
                "Generated from the free-text mitigation of %s %s '%s', "
                "which keeps no mitigation of its own.",
                ctx->product, what, owner_id);
    i = add_mitigation(ctx, NULL, sb_detach(&id), origin, at);
    if (i < 0)
        return -1;
    m = &ctx->model->mitigations[i];
    m->title = import_title(text);
    if (strcmp(m->title, text) != 0)
        m->description = xstrdup(text);
    return i;
}

void import_link(struct import_ctx *ctx, size_t t, size_t m)
{
    import_strings_add(&ctx->model->threats[t].mitigations,
                       ctx->model->mitigations[m].id);
}

void import_note(struct model_origin *origin, const char *fmt, ...)
{
    struct strbuf sb = STRBUF_INIT;
    va_list ap;

    if (origin->note) {
        sb_adds(&sb, origin->note);
        sb_addc(&sb, ' ');
        free(origin->note);
    }
    va_start(ap, fmt);
    sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    origin->note = sb_detach(&sb);
}

void import_strings_add(struct model_strings *list, const char *s)
{
    for (size_t i = 0; i < list->count; i++) {
        if (strcmp(list->items[i], s) == 0)
            return;
    }
    list->items = xrealloc(list->items, (list->count + 1) * sizeof(char *));
    list->pos = xrealloc(list->pos, (list->count + 1) * sizeof(*list->pos));
    list->items[list->count] = xstrdup(s);
    memset(&list->pos[list->count], 0, sizeof(*list->pos));
    list->count++;
}
