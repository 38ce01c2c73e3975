/*
 * test_model_write.c: model_write() and the 'origin' key of the model.
 *
 * model_write() must give YAML that model_parse() reads back as the same
 * model, byte-identical when written again, with every string quoted as
 * it must be. 'origin' is read and checked like every other key.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model.h"

#ifndef MODEL_FIXTURES_DIR
#define MODEL_FIXTURES_DIR "tests/fixtures/models"
#endif

static const char *fixture(const char *name)
{
    static char path[4096];

    snprintf(path, sizeof(path), "%s/%s", MODEL_FIXTURES_DIR, name);
    return path;
}

static struct model *load_valid(const char *name)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    struct model *model = model_load(fixture(name), &errs);

    if (errs.count)
        mt_errors_print(&errs, "reported");
    assert_non_null(model);
    mt_errors_release(&errs);
    return model;
}

/* model written as YAML; the caller frees it. */
static char *write_model(const struct model *model)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    struct strbuf out = STRBUF_INIT;

    assert_int_equal(model_write(model, &out, &errs), 0);
    assert_int_equal(errs.count, 0);
    return sb_detach(&out);
}

/* Parses text, which must be a valid model. */
static struct model *parse_valid(const char *text)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    struct model *model =
            model_parse("written.yaml", text, strlen(text), &errs);

    if (errs.count) {
        mt_errors_print(&errs, "reported");
        fprintf(stderr, "%s", text);
    }
    assert_non_null(model);
    mt_errors_release(&errs);
    return model;
}

/* Written, read back and written again, a model gives the same bytes. */
static void test_round_trip_is_identical(void **state)
{
    static const char *const names[] = {"valid.yaml", "origin.yaml"};

    (void)state;
    for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
        struct model *model = load_valid(names[i]);
        char *first = write_model(model);
        struct model *again = parse_valid(first);
        char *second = write_model(again);

        assert_string_equal(first, second);
        assert_int_equal(again->threat_count, model->threat_count);
        assert_int_equal(again->mitigation_count, model->mitigation_count);
        free(first);
        free(second);
        model_free(model);
        model_free(again);
    }
}

/* Every key of valid.yaml survives the round trip with its value. */
static void test_round_trip_keeps_values(void **state)
{
    struct model *model = load_valid("valid.yaml");
    char *text = write_model(model);
    struct model *again = parse_valid(text);
    const struct model_threat *t = &again->threats[1];
    const struct model_mitigation *m = &again->mitigations[0];

    (void)state;
    assert_string_equal(again->system_version, "2.4.0");
    assert_string_equal(again->threats[0].description,
                        "A paired phone guesses the four-digit clinician "
                        "PIN.");
    assert_int_equal(again->threats[0].stride_mask,
                     model->threats[0].stride_mask);
    assert_string_equal(again->threats[0].capec.items[1], "CAPEC-112");
    assert_string_equal(again->threats[0].risk_after.text, "3.1");
    assert_string_equal(t->risk_before.text, "6.5");
    assert_string_equal(t->accepted->until, "2027-06-30");
    assert_string_equal(t->accepted->by, "J. Doe (security lead)");
    assert_int_equal(m->control, CONTROL_AUTHENTICATION);
    assert_string_equal(m->implemented_by.items[0], "vendor_ble_pair_check");
    assert_int_equal(m->test_count, 2);
    assert_int_equal(m->tests[1].kind, TEST_SIDE_EFFECT);
    assert_string_equal(m->tests[0].result, "pentest-2026-11.PT-7");
    free(text);
    model_free(model);
    model_free(again);
}

/*
 * Strings that YAML would read as something else, or that need quoting
 * or a block to be written at all, come back exactly; a string that is
 * safe as a plain scalar is written plain.
 */
static void test_strings_are_quoted_as_needed(void **state)
{
    static const char *const titles[] = {
            "true",       "null",         "~",           "123",
            "-1.5",       ".inf",         "a: b",        "# not a comment",
            "it's",       " leading",     "trailing ",   "two\nlines",
            "tab\there",  "[not a list]", "{not a map}", "ends with colon:",
            "\"quoted\"", "üñíçødé",      "&anchor",     "*alias",
            "! tag",      "@at",          "`tick",       "no",
    };
    size_t n = sizeof(titles) / sizeof(*titles);
    struct model model;
    struct model_threat *threats = calloc(n, sizeof(*threats));
    struct model *again;
    char *text;

    (void)state;
    memset(&model, 0, sizeof(model));
    model.path = "strings.yaml";
    model.threats = threats;
    model.threat_count = n;
    for (size_t i = 0; i < n; i++) {
        char id[16];

        snprintf(id, sizeof(id), "T-%zu", i);
        threats[i].id = strdup(id);
        threats[i].title = (char *)titles[i];
    }
    text = write_model(&model);
    assert_non_null(strstr(text, "title: it's\n"));
    assert_non_null(strstr(text, "title: 'true'\n"));
    assert_non_null(strstr(text, "title: |-\n    two\n    lines\n"));
    again = parse_valid(text);
    assert_int_equal(again->threat_count, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(again->threats[i].title, titles[i]);
    for (size_t i = 0; i < n; i++)
        free(threats[i].id);
    free(threats);
    free(text);
    model_free(again);
}

/* 'origin' is read on threats and mitigations, and written back. */
static void test_origin_is_read_and_written(void **state)
{
    struct model *model = load_valid("origin.yaml");
    const struct model_threat *t = &model->threats[0];
    const struct model_mitigation *m = &model->mitigations[0];
    char *text;

    (void)state;
    assert_string_equal(t->origin.tool, "threat-dragon");
    assert_string_equal(t->origin.id, "7bc090cc-50a1-44aa-8481-5e4daaa6d8ba");
    assert_null(t->origin.note);
    assert_int_equal(t->origin.pos.line, 8);
    assert_null(model->threats[1].origin.tool);
    assert_string_equal(m->origin.tool, "threat-dragon");
    assert_null(m->origin.id);
    assert_string_equal(m->origin.note,
                        "Generated from the free-text mitigation of the "
                        "threat.");
    text = write_model(model);
    assert_non_null(strstr(text, "  origin:\n    tool: threat-dragon\n"
                                 "    id: '7bc090cc-50a1-44aa-8481-"
                                 "5e4daaa6d8ba'\n"));
    assert_null(strstr(text, "id: T-2\n  title: Written by hand\n  origin"));
    free(text);
    model_free(model);
}

/* A missing tool, an unknown key and wrong types in 'origin' are errors. */
static void test_origin_errors(void **state)
{
    static const struct {
        unsigned line, column;
        const char *message;
    } want[] = {
            {7, 7,
             "unknown key 'nots' in 'origin' of threat 'T-1' (did you "
             "mean 'note'?)"},
            {6, 7, "missing required key 'tool' in 'origin' of threat 'T-1'"},
            {10, 13,
             "expected a mapping for 'origin' in threat 'T-2', found a "
             "string"},
            {15, 20,
             "expected a string for 'tool' in 'origin' of mitigation "
             "'M-1', found an empty value"},
    };
    struct mt_errors errs = MT_ERRORS_INIT;

    (void)state;
    assert_null(model_load(fixture("origin_errors.yaml"), &errs));
    if (errs.count != sizeof(want) / sizeof(*want))
        mt_errors_print(&errs, "reported");
    assert_int_equal(errs.count, sizeof(want) / sizeof(*want));
    for (size_t i = 0; i < errs.count; i++) {
        assert_string_equal(errs.items[i].message, want[i].message);
        assert_int_equal(errs.items[i].pos.line, want[i].line);
        assert_int_equal(errs.items[i].pos.column, want[i].column);
    }
    mt_errors_release(&errs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_round_trip_is_identical),
            cmocka_unit_test(test_round_trip_keeps_values),
            cmocka_unit_test(test_strings_are_quoted_as_needed),
            cmocka_unit_test(test_origin_is_read_and_written),
            cmocka_unit_test(test_origin_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
