/*
 * test_core.c: units of the core that the lit tests reach only through
 * the plugin: reading annotation strings, building facts, the text and
 * date helpers behind suggestions and expiry, and the string index.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "facts.h"
#include "strindex.h"
#include "util.h"

/* Reads text, which must be mitigate's and well formed. */
static struct facts_annotation parse_ok(const char *text)
{
    struct facts_annotation ann;
    const char *reason = NULL;

    assert_int_equal(facts_parse_annotation(text, &ann, &reason), 1);
    assert_null(reason);
    return ann;
}

/* Reads text, which must be mitigate's and malformed for reason. */
static void parse_bad(const char *text, const char *reason_part)
{
    struct facts_annotation ann;
    const char *reason = NULL;

    assert_int_equal(facts_parse_annotation(text, &ann, &reason), -1);
    assert_non_null(reason);
    assert_non_null(strstr(reason, reason_part));
}

static void annotations_well_formed(void **state)
{
    struct facts_annotation ann;

    (void)state;
    ann = parse_ok("mitigate:mitigates:M-AUTH-1");
    assert_int_equal(ann.kind, ANNOTATION_MITIGATES);
    assert_string_equal(ann.id, "M-AUTH-1");
    free(ann.id);

    ann = parse_ok("mitigate:test:SIDE_EFFECT:M.x_2");
    assert_int_equal(ann.kind, ANNOTATION_TEST);
    assert_int_equal(ann.test_kind, TEST_SIDE_EFFECT);
    assert_string_equal(ann.id, "M.x_2");
    free(ann.id);

    /* The justification may itself hold colons. */
    ann = parse_ok("mitigate:allow:MB1001:checked: dst is 64 bytes");
    assert_int_equal(ann.kind, ANNOTATION_ALLOW);
    assert_string_equal(ann.id, "MB1001");
    assert_string_equal(ann.justification, "checked: dst is 64 bytes");
    free(ann.id);
    free(ann.justification);
}

static void annotations_not_ours(void **state)
{
    struct facts_annotation ann;
    const char *reason = NULL;

    (void)state;
    assert_int_equal(facts_parse_annotation("hot", &ann, &reason), 0);
    assert_int_equal(facts_parse_annotation("mitigate", &ann, &reason), 0);
    assert_null(reason);
}

static void annotations_malformed(void **state)
{
    char long_id[100];

    (void)state;
    /* A 65-character ID: one more than allowed. */
    snprintf(long_id, sizeof(long_id), "mitigate:mitigates:%065d", 1);

    parse_bad("mitigate:mitigates:", "mitigation ID");
    parse_bad("mitigate:mitigates:M 1", "mitigation ID");
    parse_bad(long_id, "mitigation ID");
    parse_bad("mitigate:test:M-1", "test kind");
    parse_bad("mitigate:test:THWARTT:M-1", "test kind");
    parse_bad("mitigate:test:THWART:", "mitigation ID");
    parse_bad("mitigate:allow:MB1001", "rule ID and a justification");
    parse_bad("mitigate:allow:MB1001: \t", "justification");
    parse_bad("mitigate:allow:XX1001:why", "rule ID");
    parse_bad("mitigate:allow:MB10011:why", "rule ID");
    parse_bad("mitigate:frobnicate:x", "unknown mitigate annotation");
}

/* The same annotation or call added twice is kept once. */
/*
 * The same function, annotation and call added twice are kept once; with
 * pooled strings (as a unit read from a file has them) the records point
 * into the pool, and one string is pooled once.
 */
static void deduplicate(int pooled)
{
    struct facts_tu *tu = facts_tu_new("plugin", "clang 14", "/src/a.c");
    struct facts_loc decl = {"/src/a.h", {3, 1, 3, 20}};
    struct facts_loc def = {"/src/a.c", {9, 1, 9, 20}};
    const char *name = "pin_verify", *callee = "memcmp";
    struct facts_function *fn;
    struct facts_annotation ann;

    if (pooled) {
        facts_tu_pool_strings(tu);
        decl.file = facts_tu_string(tu, decl.file);
        def.file = facts_tu_string(tu, def.file);
        name = facts_tu_string(tu, name);
        callee = facts_tu_string(tu, callee);
        assert_ptr_equal(facts_tu_string(tu, "memcmp"), callee);
    }
    fn = facts_add_function(tu, name, 0, decl.file, 0, &decl);
    ann = parse_ok("mitigate:mitigates:M-1");
    facts_add_annotation(tu, fn, &ann, &decl);
    fn = facts_add_function(tu, name, 0, def.file, 1, &def);
    ann = parse_ok("mitigate:mitigates:M-1");
    facts_add_annotation(tu, fn, &ann, &def);
    facts_add_call(tu, fn, callee, &def, 0);
    facts_add_call(tu, fn, callee, &def, 0);

    assert_int_equal(tu->function_count, 1);
    assert_int_equal(fn->defined, 1);
    assert_string_equal(fn->loc.file, "/src/a.c");
    assert_int_equal(fn->annotation_count, 1);
    assert_string_equal(fn->annotations[0].id, "M-1");
    assert_int_equal(fn->annotations[0].loc.pos.line, 3);
    assert_int_equal(fn->call_count, 1);
    assert_string_equal(fn->calls[0].callee, "memcmp");
    if (pooled) {
        assert_ptr_equal(fn->calls[0].callee, callee);
        assert_ptr_equal(fn->loc.file, def.file);
        assert_ptr_equal(fn->annotations[0].id, facts_tu_string(tu, "M-1"));
    }
    facts_tu_free(tu);
}

static void facts_deduplicate(void **state)
{
    (void)state;
    deduplicate(0);
}

static void facts_deduplicate_pooled(void **state)
{
    (void)state;
    deduplicate(1);
}

static void facts_static_keys(void **state)
{
    char *k1 = facts_function_key("helper", 1, "/src/a.c");
    char *k2 = facts_function_key("helper", 0, "/src/a.c");

    (void)state;
    assert_string_equal(k1, "/src/a.c:helper");
    assert_string_equal(k2, "helper");
    free(k1);
    free(k2);
}

static void suggestions(void **state)
{
    static const char *const keys[] = {"mitigations", "threats", "system"};

    (void)state;
    assert_int_equal(edit_distance("kitten", "sitting", 10), 3);
    assert_int_equal(edit_distance("abc", "abcdefgh", 2), 3);
    assert_string_equal(suggest_nearest("mitigatons", keys, 3), "mitigations");
    assert_string_equal(suggest_nearest("sytem", keys, 3), "system");
    assert_null(suggest_nearest("zzzzzz", keys, 3));
}

static void dates(void **state)
{
    (void)state;
    assert_int_equal(date_to_days("1970-01-01"), 0);
    assert_int_equal(date_to_days("2026-01-01"), 20454);
    assert_int_equal(date_to_days("2024-02-29"), 19782);
    assert_int_equal(date_to_days("2023-02-29"), -1);
    assert_int_equal(date_to_days("2026-13-01"), -1);
    assert_int_equal(date_to_days("2026-1-01"), -1);
    assert_int_equal(date_to_days("2026-01-01x"), -1);
}

static void source_date_epoch(void **state)
{
    (void)state;
    setenv("SOURCE_DATE_EPOCH", "1767225600", 1);
    assert_int_equal(now_epoch(), 1767225600LL);
    unsetenv("SOURCE_DATE_EPOCH");
    assert_true(now_epoch() > 1767225600LL);
}

static void hashes(void **state)
{
    char hex[65];

    (void)state;
    sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223"
                             "b00361a396177a9cb410ff61f20015ad");
}

/* Many keys, each found with the value it was first added with. */
static void string_index(void **state)
{
    enum { KEYS = 5000 };
    static char keys[KEYS][16];
    struct str_index ix = {0};
    size_t value = 0;

    (void)state;
    assert_int_equal(str_index_find(&ix, "none", &value), 0);
    for (size_t i = 0; i < KEYS; i++) {
        snprintf(keys[i], sizeof(keys[i]), "m%04zu_f%zu", i % 97, i);
        assert_int_equal(str_index_add(&ix, keys[i], i), i);
    }
    assert_int_equal(str_index_add(&ix, "m0001_f1", 99), 1);
    assert_int_equal(ix.count, KEYS);
    for (size_t i = 0; i < KEYS; i++) {
        assert_int_equal(str_index_find(&ix, keys[i], &value), 1);
        assert_int_equal(value, i);
    }
    assert_int_equal(str_index_find(&ix, "m0001_f", &value), 0);
    str_index_release(&ix);
    assert_int_equal(str_index_find(&ix, keys[0], &value), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(annotations_well_formed),
            cmocka_unit_test(annotations_not_ours),
            cmocka_unit_test(annotations_malformed),
            cmocka_unit_test(facts_deduplicate),
            cmocka_unit_test(facts_deduplicate_pooled),
            cmocka_unit_test(facts_static_keys),
            cmocka_unit_test(suggestions),
            cmocka_unit_test(dates),
            cmocka_unit_test(source_date_epoch),
            cmocka_unit_test(hashes),
            cmocka_unit_test(string_index),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
