/*
 * import_json.c: reading JSON models (jansson) with every problem
 * reported at the path it was found at.
 *
 * Limitation: jansson keeps no positions for the values it parsed, so
 * problems found after parsing name a path (".threats[2]"), not a line
 * and column; syntax errors have both.
 */
#include "import_internal.h"
#include "json_bounded.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* "a string", "an array", ... for errors. */
static const char *type_name(json_type type)
{
    switch (type) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "true or false";
    case JSON_NULL:
        break;
    }
    return "null";
}

static const char *describe(const json_t *value)
{
    return type_name(json_typeof(value));
}

/*
 * What the text looks like when it is not what --from said: "" or
 * "; ..." with the option to use instead.
 */
static const char *format_hint(const struct import_ctx *ctx, const char *buf,
                               size_t len)
{
    size_t i = 0;

    while (i < len && isspace((unsigned char)buf[i]))
        i++;
    if (i < len && buf[i] != '{' && buf[i] != '[' &&
        ctx->format != IMPORT_THREAGILE)
        return "; a YAML file such as a Threagile model needs --from "
               "threagile";
    return "";
}

json_t *import_json_parse(struct import_ctx *ctx, const char *buf, size_t len)
{
    json_error_t error;
    json_t *root;
    struct mt_pos pos;
    size_t i = 0;

    while (i < len && isspace((unsigned char)buf[i]))
        i++;
    if (i == len) {
        import_error(ctx, NULL,
                     "the file is empty; export the model from %s "
                     "as JSON",
                     ctx->product);
        return NULL;
    }
    root = json_load_bounded(buf, len, &error);
    if (!root) {
        memset(&pos, 0, sizeof(pos));
        pos.line = error.line > 0 ? (unsigned)error.line : 1;
        pos.column = error.column > 0 ? (unsigned)error.column : 1;
        mt_error_add(ctx->errs, ctx->name, &pos, "not valid JSON: %s%s",
                     error.text, format_hint(ctx, buf, len));
        return NULL;
    }
    if (!json_is_object(root)) {
        import_error(ctx, NULL,
                     "expected a JSON object at the top of the %s model, "
                     "found %s",
                     ctx->product, describe(root));
        json_decref(root);
        return NULL;
    }
    return root;
}

char *import_json_key_path(const char *parent, const char *key)
{
    struct strbuf sb = STRBUF_INIT;

    sb_addf(&sb, "%s.%s", parent, key);
    return sb_detach(&sb);
}

char *import_json_index_path(const char *parent, size_t index)
{
    struct strbuf sb = STRBUF_INIT;

    sb_addf(&sb, "%s[%zu]", parent, index);
    return sb_detach(&sb);
}

/* Whether value has type (an integer is a number too). */
static int has_type(const json_t *value, json_type type)
{
    if (type == JSON_REAL)
        return json_is_number(value);
    if (type == JSON_TRUE || type == JSON_FALSE)
        return json_is_boolean(value);
    return json_typeof(value) == type;
}

const json_t *import_json_member(struct import_ctx *ctx, const json_t *obj,
                                 const char *key, json_type type,
                                 const char *path, const char *what,
                                 int required)
{
    const json_t *value = json_object_get(obj, key);
    struct import_at at = {path, {0, 0, 0, 0}};

    if (!value || json_is_null(value)) {
        if (required)
            import_error(ctx, &at, "missing required key '%s' in %s", key,
                         what);
        return NULL;
    }
    if (has_type(value, type))
        return value;
    import_error(ctx, &at, "expected %s for '%s' in %s, found %s",
                 type_name(type), key, what, describe(value));
    return NULL;
}

const char *import_json_string(struct import_ctx *ctx, const json_t *obj,
                               const char *key, const char *path,
                               const char *what, int required)
{
    const json_t *value = import_json_member(ctx, obj, key, JSON_STRING, path,
                                             what, required);

    return value ? json_string_value(value) : NULL;
}

const char *import_json_text(struct import_ctx *ctx, const json_t *obj,
                             const char *key, const char *path,
                             const char *what)
{
    const char *text = import_json_string(ctx, obj, key, path, what, 1);
    struct import_at at = {path, {0, 0, 0, 0}};
    char *trimmed = import_text(text);

    if (text && !trimmed)
        import_error(ctx, &at, "'%s' of %s is empty; fill it in", key, what);
    free(trimmed);
    return trimmed ? text : NULL;
}
