/*
 * test_limits.c: the limits that keep hostile input from exhausting
 * memory or time, and the strict reading of facts files.
 *
 * Each mitigation of security/threats.yaml is tested three ways (IEC
 * 81001-5-1 5.7.2): that it works (EFFECTIVENESS), that attempts to get
 * around it fail (THWART), and that it costs valid input nothing
 * (SIDE_EFFECT). Inputs are built in memory; the larger ones are the
 * size of real attacks, not of real files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <mitigate.h>

#include "facts.h"
#include "json_bounded.h"
#include "model.h"
#include "model_yaml.h"

/* Fails unless one of errs says part, printing them all if none does. */
static void expect_error(const struct mt_errors *errs, const char *part)
{
    for (size_t i = 0; i < errs->count; i++)
        if (strstr(errs->items[i].message, part))
            return;
    mt_errors_print(errs, "reported");
    fail_msg("no error says '%s'", part);
}

/* Parses text as a threat model, which must be refused for part. */
static void model_refused(const char *text, size_t len, const char *part)
{
    struct mt_errors errs = MT_ERRORS_INIT;

    assert_null(model_parse("threats.yaml", text, len, &errs));
    expect_error(&errs, part);
    mt_errors_release(&errs);
}

/* A strbuf of head, then item count times, then tail. */
static void repeat(struct strbuf *sb, const char *head, const char *item,
                   size_t count, const char *tail)
{
    sb_adds(sb, head);
    for (size_t i = 0; i < count; i++)
        sb_adds(sb, item);
    sb_adds(sb, tail);
}

/* M-YAML-LIMITS */

MITIGATION_TEST("M-YAML-LIMITS", EFFECTIVENESS)
static void test_yaml_refuses_alias_bomb(void **state)
{
    static const char bomb[] = "mitigate: 1\n"
                               "a: &a [x, x, x, x, x, x, x, x, x]\n"
                               "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                               "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                               "threats: *c\n";

    (void)state;
    model_refused(bomb, strlen(bomb), "anchors are not supported");
    model_refused(bomb, strlen(bomb), "aliases are not supported");
}

MITIGATION_TEST("M-YAML-LIMITS", THWART)
static void test_yaml_refuses_floods_and_depth(void **state)
{
    struct strbuf sb = STRBUF_INIT;

    (void)state;
    /* More values than the tree may hold, each one byte. */
    repeat(&sb, "mitigate: 1\nthreats: [", "a,", YNODE_MAX_NODES + 10, "a]\n");
    model_refused(sb.buf, sb.len, "more than 262144 values");
    /* Aliases without anchors still count as values and errors. */
    sb.len = 0;
    repeat(&sb, "mitigate: 1\nthreats: [", "*a,", YNODE_MAX_NODES + 10,
           "*a]\n");
    model_refused(sb.buf, sb.len, "more than 262144 values");
    /* Nesting in flow and in block style, far deeper than the limit. */
    sb.len = 0;
    repeat(&sb, "mitigate: 1\nthreats: ", "[", 200000, "");
    model_refused(sb.buf, sb.len, "nesting deeper than 64 levels");
    sb.len = 0;
    repeat(&sb, "mitigate: 1\nthreats:\n  ", "- ", 200000, "x\n");
    model_refused(sb.buf, sb.len, "nesting deeper than 64 levels");
    /* A merge key needs an alias; a tag could ask for an object. */
    sb.len = 0;
    sb_adds(&sb, "mitigate: 1\nb: &b {x: 1}\nsystem: {<<: *b}\n");
    model_refused(sb.buf, sb.len, "anchors are not supported");
    sb.len = 0;
    sb_adds(&sb, "mitigate: 1\nsystem: !!python/object:os.system x\n");
    model_refused(sb.buf, sb.len, "tags are not supported");
    sb_release(&sb);
}

MITIGATION_TEST("M-YAML-LIMITS", SIDE_EFFECT)
static void test_yaml_limits_keep_large_models(void **state)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    struct strbuf sb = STRBUF_INIT;
    struct model *model;

    (void)state;
    /* 2,000 threats and mitigations: far more than a device has. */
    sb_adds(&sb, "mitigate: 1\nthreats:\n");
    for (int i = 0; i < 2000; i++)
        sb_addf(&sb,
                "  - {id: T-%d, title: \"threat %d\", stride: [spoofing],"
                " mitigations: [M-%d]}\n",
                i, i, i);
    sb_adds(&sb, "mitigations:\n");
    for (int i = 0; i < 2000; i++)
        sb_addf(&sb,
                "  - id: M-%d\n    title: mitigation %d\n"
                "    control: authentication\n",
                i, i);
    model = model_parse("threats.yaml", sb.buf, sb.len, &errs);
    if (!model)
        mt_errors_print(&errs, "reported");
    assert_non_null(model);
    assert_int_equal(model->threat_count, 2000);
    assert_int_equal(model->mitigation_count, 2000);
    model_free(model);
    sb_release(&sb);
}

/* M-JSON-BUDGET */

/* Parses text with json_load_bounded(), which must refuse it. */
static void json_refused(const char *text, size_t len)
{
    json_error_t err;

    assert_null(json_load_bounded(text, len, &err));
    if (!strstr(err.text, "more values than"))
        fail_msg("refused for '%s', not for its size", err.text);
}

MITIGATION_TEST("M-JSON-BUDGET", EFFECTIVENESS)
static void test_json_refuses_object_flood(void **state)
{
    struct strbuf sb = STRBUF_INIT;
    json_error_t err;

    (void)state;
    repeat(&sb, "[", "{},", 3u << 20, "{}]");
    json_refused(sb.buf, sb.len);
    /* The position is where the budget ran out, on line 1. */
    assert_null(json_load_bounded(sb.buf, sb.len, &err));
    assert_int_equal(err.line, 1);
    assert_true(err.column > 1000000);
    sb_release(&sb);
}

MITIGATION_TEST("M-JSON-BUDGET", THWART)
static void test_json_budget_not_fooled_by_strings(void **state)
{
    struct strbuf sb = STRBUF_INIT;

    (void)state;
    /* Escaped quotes must not make the scanner think a string ended
       or began: the flood after them still counts. */
    repeat(&sb, "[\"a\\\"b\\\\\", \"\\\"\", ", "[],", 3u << 20, "[]]");
    json_refused(sb.buf, sb.len);
    /* Arrays and numbers count as well as objects. */
    sb.len = 0;
    repeat(&sb, "[", "0,", 10u << 20, "0]");
    json_refused(sb.buf, sb.len);
    sb_release(&sb);
}

MITIGATION_TEST("M-JSON-BUDGET", SIDE_EFFECT)
static void test_json_budget_keeps_real_logs(void **state)
{
    struct strbuf sb = STRBUF_INIT;
    json_error_t err;
    json_t *doc;

    (void)state;
    /* 20,000 results of a SARIF log, and braces inside strings, which
       cost nothing. */
    sb_adds(&sb, "{\"results\": [");
    for (int i = 0; i < 20000; i++)
        sb_addf(&sb,
                "%s{\"ruleId\": \"MB1001\", \"message\": {\"text\": "
                "\"{[{[%d]}]}\"}, \"locations\": [{\"physicalLocation\":"
                " {\"region\": {\"startLine\": %d}}}]}",
                i ? ", " : "", i, i + 1);
    sb_adds(&sb, "]}");
    doc = json_load_bounded(sb.buf, sb.len, &err);
    assert_non_null(doc);
    assert_int_equal(json_array_size(json_object_get(doc, "results")), 20000);
    json_decref(doc);
    /* Duplicate keys stay refused, as json_loadb() refuses them. */
    assert_null(json_load_bounded("{\"a\": 1, \"a\": 2}", 16, &err));
    sb_release(&sb);
}

/* M-STRICT-FACTS */

/* The facts file of one small unit, as facts_write() makes it. */
static char *sample_facts(size_t *len)
{
    struct facts_loc loc = {(char *)"/src/pin.c", {3, 5, 3, 15}};
    struct facts_tu *tu = facts_tu_new("plugin", "clang 14", "/src/pin.c");
    struct facts_annotation ann;
    struct facts_function *fn;
    struct mt_errors errs = MT_ERRORS_INIT;
    char dir[] = "/tmp/mitigate-facts.XXXXXX";
    char *text, *name;
    struct strbuf path = STRBUF_INIT;

    memset(tu->main_hash, 'a', 32);
    memset(tu->policy_hash, 'b', 64);
    fn = facts_add_function(tu, "pin_verify", 0, NULL, 1, &loc);
    assert_int_equal(facts_parse_annotation("mitigate:mitigates:M-PIN", &ann,
                                            &(const char *){NULL}),
                     1);
    facts_add_annotation(tu, fn, &ann, &loc);
    facts_add_call(tu, fn, "memcmp", &loc, 0);
    assert_non_null(mkdtemp(dir));
    assert_int_equal(facts_write(tu, dir, &errs), 0);
    name = facts_file_name("/src/pin.c");
    sb_addf(&path, "%s/%s", dir, name);
    text = read_file(path.buf, 1 << 20, len, &errs);
    assert_non_null(text);
    remove(path.buf);
    remove(dir);
    free(name);
    sb_release(&path);
    facts_tu_free(tu);
    return text;
}

MITIGATION_TEST("M-STRICT-FACTS", EFFECTIVENESS)
static void test_facts_torn_file_refused(void **state)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    size_t len;
    char *text = sample_facts(&len);

    (void)state;
    assert_null(facts_parse("x.facts", text, len / 2, &errs));
    expect_error(&errs, "not a valid facts file");
    mt_errors_release(&errs);
    free(text);
}

MITIGATION_TEST("M-STRICT-FACTS", THWART)
static void test_facts_every_prefix_refused(void **state)
{
    size_t len;
    char *text = sample_facts(&len);

    (void)state;
    /* A writer killed after any byte leaves a prefix: none of them may
       read as facts. */
    for (size_t cut = 0; cut < len; cut++) {
        struct mt_errors errs = MT_ERRORS_INIT;
        struct facts_tu *tu = facts_parse("x.facts", text, cut, &errs);

        if (tu)
            fail_msg("the first %zu of %zu bytes read as facts", cut, len);
        assert_true(errs.count > 0);
        mt_errors_release(&errs);
    }
    free(text);
}

MITIGATION_TEST("M-STRICT-FACTS", SIDE_EFFECT)
static void test_facts_whole_file_reads_back(void **state)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    size_t len;
    char *text = sample_facts(&len);
    struct facts_tu *tu = facts_parse("x.facts", text, len, &errs);

    (void)state;
    assert_non_null(tu);
    assert_int_equal(tu->function_count, 1);
    assert_string_equal(tu->functions[0].name, "pin_verify");
    assert_int_equal(tu->functions[0].annotation_count, 1);
    assert_string_equal(tu->functions[0].annotations[0].id, "M-PIN");
    facts_tu_free(tu);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_yaml_refuses_alias_bomb),
            cmocka_unit_test(test_yaml_refuses_floods_and_depth),
            cmocka_unit_test(test_yaml_limits_keep_large_models),
            cmocka_unit_test(test_json_refuses_object_flood),
            cmocka_unit_test(test_json_budget_not_fooled_by_strings),
            cmocka_unit_test(test_json_budget_keeps_real_logs),
            cmocka_unit_test(test_facts_torn_file_refused),
            cmocka_unit_test(test_facts_every_prefix_refused),
            cmocka_unit_test(test_facts_whole_file_reads_back),
    };

    return cmocka_run_group_tests_name("limits", tests, NULL, NULL);
}
