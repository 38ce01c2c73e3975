/*
 * facts_dump.c: a facts file as JSON, for people and for tests. The
 * MessagePack document maps one to one onto JSON: maps become objects,
 * arrays arrays, strings strings, integers integers, nil null.
 */
#include "facts.h"

#include <jansson.h>
#include <msgpack.h>
#include <stdint.h>
#include <stdlib.h>

#define FACTS_MAX_SIZE (256u << 20)

/* The JSON form of v; NULL when v holds what JSON cannot. */
static json_t *to_json(const msgpack_object *v)
{
    json_t *j = NULL;

    switch (v->type) {
    case MSGPACK_OBJECT_NIL:
        return json_null();
    case MSGPACK_OBJECT_BOOLEAN:
        return json_boolean(v->via.boolean);
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
        return v->via.u64 > (uint64_t)INT64_MAX
                       ? NULL
                       : json_integer((json_int_t)v->via.u64);
    case MSGPACK_OBJECT_NEGATIVE_INTEGER:
        return json_integer((json_int_t)v->via.i64);
    case MSGPACK_OBJECT_STR:
        return json_stringn(v->via.str.ptr, v->via.str.size);
    case MSGPACK_OBJECT_ARRAY:
        j = json_array();
        for (uint32_t i = 0; j && i < v->via.array.size; i++) {
            json_t *item = to_json(&v->via.array.ptr[i]);

            if (!item || json_array_append_new(j, item) < 0) {
                json_decref(j);
                j = NULL;
            }
        }
        return j;
    case MSGPACK_OBJECT_MAP:
        j = json_object();
        for (uint32_t i = 0; j && i < v->via.map.size; i++) {
            const msgpack_object_kv *kv = &v->via.map.ptr[i];
            json_t *val = kv->key.type == MSGPACK_OBJECT_STR ? to_json(&kv->val)
                                                             : NULL;

            if (!val || json_object_setn_new(j, kv->key.via.str.ptr,
                                             kv->key.via.str.size, val) < 0) {
                json_decref(j);
                j = NULL;
            }
        }
        return j;
    default:
        return NULL;
    }
}

int facts_dump_json(const char *path, FILE *out, struct mt_errors *errs)
{
    struct facts_tu *tu;
    msgpack_unpacked doc;
    json_t *j = NULL;
    size_t len, used = 0;
    char *data = read_file(path, FACTS_MAX_SIZE, &len, errs);

    if (!data)
        return -1;
    /* The strict reader decides whether the file is valid at all. */
    tu = facts_parse(path, data, len, errs);
    if (tu) {
        msgpack_unpacked_init(&doc);
        if (msgpack_unpack_next(&doc, data, len, &used) ==
            MSGPACK_UNPACK_SUCCESS)
            j = to_json(&doc.data);
        msgpack_unpacked_destroy(&doc);
        if (!j)
            mt_error_add(errs, path, NULL,
                         "cannot show as JSON: a string is not UTF-8");
    }
    facts_tu_free(tu);
    free(data);
    if (!j)
        return -1;
    json_dumpf(j, out, JSON_INDENT(1));
    fputc('\n', out);
    json_decref(j);
    return 0;
}
