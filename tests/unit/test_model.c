/*
 * test_model.c: model_load() on the fixtures in tests/fixtures/models.
 *
 * Each error fixture holds one class of mistake; its test states the
 * exact errors, in order, with the line and column they point at. The
 * fixtures folder comes from MODEL_FIXTURES_DIR or the first argument.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "model.h"

#ifndef MODEL_FIXTURES_DIR
#define MODEL_FIXTURES_DIR "tests/fixtures/models"
#endif

static const char *fixtures_dir = MODEL_FIXTURES_DIR;

/* An error model_load() must report. */
struct expected_error {
    unsigned line;
    unsigned column;
    const char *message;
};

/* The path of fixture name; the result lives until the next call. */
static const char *fixture(const char *name)
{
    static char path[4096];

    snprintf(path, sizeof(path), "%s/%s", fixtures_dir, name);
    return path;
}

/*
 * Loads path, which must fail with exactly the expected errors, in
 * order. On a different count, prints what was reported to help.
 */
static void expect_errors_at(const char *path,
                             const struct expected_error *expected,
                             size_t count)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    struct model *model = model_load(path, &errs);

    assert_null(model);
    if (errs.count != count)
        mt_errors_print(&errs, "reported");
    assert_int_equal(errs.count, count);
    for (size_t i = 0; i < count; i++) {
        assert_string_equal(errs.items[i].message, expected[i].message);
        assert_int_equal(errs.items[i].pos.line, expected[i].line);
        assert_int_equal(errs.items[i].pos.column, expected[i].column);
        assert_string_equal(errs.items[i].file, path);
    }
    mt_errors_release(&errs);
}

#define EXPECT_ERRORS(name, ...)                                               \
    do {                                                                       \
        static const struct expected_error want[] = {__VA_ARGS__};             \
        expect_errors_at(fixture(name), want, sizeof(want) / sizeof(*want));   \
    } while (0)

/* Loads fixture name, which must be valid. */
static struct model *load_valid(const char *name)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    struct model *model = model_load(fixture(name), &errs);

    if (errs.count)
        mt_errors_print(&errs, "reported");
    assert_int_equal(errs.count, 0);
    assert_non_null(model);
    mt_errors_release(&errs);
    return model;
}

static void assert_pos(const struct mt_pos *pos, unsigned line, unsigned column)
{
    assert_int_equal(pos->line, line);
    assert_int_equal(pos->column, column);
}

static void assert_strings(const struct model_strings *s,
                           const char *const *want, size_t count)
{
    assert_int_equal(s->count, count);
    for (size_t i = 0; i < count; i++)
        assert_string_equal(s->items[i], want[i]);
}

/* The vocabulary */

static void test_domain_words(void **state)
{
    (void)state;
    for (int k = 0; k < TEST_KIND_COUNT; k++) {
        assert_int_equal(test_kind_parse(test_kind_name(k)), k);
        assert_int_equal(test_kind_parse_macro(test_kind_macro_name(k)), k);
    }
    assert_string_equal(test_kind_name(TEST_SIDE_EFFECT), "side-effect");
    assert_string_equal(test_kind_macro_name(TEST_SIDE_EFFECT), "SIDE_EFFECT");
    assert_int_equal(test_kind_parse("SIDE_EFFECT"), -1);
    assert_int_equal(test_kind_parse(NULL), -1);
    assert_int_equal(control_parse("updatability"), CONTROL_UPDATABILITY);
    assert_int_equal(control_parse("Logging"), -1);
    assert_int_equal(stride_parse("information-disclosure"),
                     STRIDE_INFORMATION_DISCLOSURE);
    assert_int_equal(risk_level_parse("critical"), RISK_CRITICAL);
    assert_int_equal(risk_level_parse("severe"), -1);
}

static void test_id_syntax(void **state)
{
    char longest[66];

    (void)state;
    assert_true(id_is_valid("M-AUTH-1"));
    assert_true(id_is_valid("pentest-2026-11.PT_7"));
    assert_true(id_is_valid("7"));
    assert_false(id_is_valid(""));
    assert_false(id_is_valid(NULL));
    assert_false(id_is_valid("-M"));
    assert_false(id_is_valid(".M"));
    assert_false(id_is_valid("_M"));
    assert_false(id_is_valid("M 1"));
    assert_false(id_is_valid("M/1"));
    memset(longest, 'A', 64);
    longest[64] = '\0';
    assert_true(id_is_valid(longest));
    longest[64] = 'A';
    longest[65] = '\0';
    assert_false(id_is_valid(longest));
}

/* The valid model */

/* Every key of valid.yaml arrives in the model, with its position. */
static void test_valid_threats(void **state)
{
    static const char *const capec[] = {"CAPEC-49", "CAPEC-112"};
    static const char *const assets[] = {"dose-settings", "clinician-session"};
    static const char *const refs[] = {"M-AUTH-1", "M-LOG-1"};
    struct model *model = load_valid("valid.yaml");
    const struct model_threat *t = &model->threats[0];

    (void)state;
    assert_string_equal(model->path, fixture("valid.yaml"));
    assert_int_equal(model->version, 1);
    assert_string_equal(model->system_name, "Syringe pump controller");
    assert_string_equal(model->system_version, "2.4.0");
    assert_int_equal(model->threat_count, 3);

    assert_string_equal(t->id, "T-AUTH-1");
    assert_pos(&t->pos, 7, 5);
    assert_pos(&t->id_pos, 7, 9);
    assert_string_equal(t->title, "Clinician PIN brute-forced over BLE");
    assert_string_equal(t->description,
                        "A paired phone guesses the four-digit clinician "
                        "PIN.");
    assert_int_equal(t->stride_mask,
                     (1u << STRIDE_SPOOFING) |
                             (1u << STRIDE_ELEVATION_OF_PRIVILEGE));
    assert_strings(&t->cwe, (const char *const[]){"CWE-307"}, 1);
    assert_strings(&t->capec, capec, 2);
    assert_strings(&t->assets, assets, 2);
    assert_string_equal(t->risk_before.text, "high");
    assert_pos(&t->risk_before.pos, 15, 20);
    assert_string_equal(t->risk_after.text, "3.1");
    assert_pos(&t->risk_after.pos, 15, 33);
    assert_strings(&t->mitigations, refs, 2);
    assert_pos(&t->mitigations.pos[1], 16, 29);
    assert_null(t->accepted);

    t = &model->threats[1];
    assert_string_equal(t->id, "T-LOG-3");
    assert_null(t->description);
    assert_int_equal(t->stride_mask, 1u << STRIDE_DENIAL_OF_SERVICE);
    assert_string_equal(t->risk_before.text, "6.5");
    assert_string_equal(t->risk_after.text, "low");
    assert_non_null(t->accepted);
    assert_string_equal(t->accepted->rationale,
                        "log is a ring buffer; loss of old events is "
                        "acceptable");
    assert_string_equal(t->accepted->by, "J. Doe (security lead)");
    assert_string_equal(t->accepted->until, "2027-06-30");
    assert_int_equal(t->accepted->until_days, 20999);
    assert_pos(&t->accepted->pos, 24, 7);
    assert_pos(&t->accepted->until_pos, 26, 14);
    assert_strings(&t->mitigations, (const char *const[]){"M-LOG-1"}, 1);

    /* Neither mitigated nor accepted: a finding, not a load error. */
    t = &model->threats[2];
    assert_string_equal(t->title, "Firmware image replaced in transit");
    assert_int_equal(t->mitigations.count, 0);
    assert_null(t->accepted);
    assert_int_equal(t->stride_mask, 0);
    assert_null(t->risk_before.text);
    model_free(model);
}

static void test_valid_mitigations(void **state)
{
    static const char *const requirements[] = {"SR-12", "SR-13"};
    struct model *model = load_valid("valid.yaml");
    const struct model_mitigation *m = &model->mitigations[0];

    (void)state;
    assert_int_equal(model->mitigation_count, 3);
    assert_string_equal(m->id, "M-AUTH-1");
    assert_pos(&m->pos, 31, 5);
    assert_pos(&m->id_pos, 31, 9);
    assert_string_equal(m->title, "Lock out for 15 minutes after 5 failed PIN "
                                  "attempts");
    assert_string_equal(m->description,
                        "The lockout counter lives in non-volatile memory.");
    assert_int_equal(m->control, CONTROL_AUTHENTICATION);
    assert_strings(&m->requirements, requirements, 2);
    assert_strings(&m->implemented_by,
                   (const char *const[]){"vendor_ble_pair_check"}, 1);
    assert_int_equal(m->test_count, 2);
    assert_string_equal(m->tests[0].id, "PT-7");
    assert_int_equal(m->tests[0].kind, TEST_THWART);
    assert_string_equal(m->tests[0].title,
                        "External penetration test, BLE PIN brute force");
    assert_string_equal(m->tests[0].result, "pentest-2026-11.PT-7");
    assert_pos(&m->tests[0].pos, 38, 9);
    assert_string_equal(m->tests[1].id, "REV-2");
    assert_int_equal(m->tests[1].kind, TEST_SIDE_EFFECT);
    assert_null(m->tests[1].result);

    m = &model->mitigations[1];
    assert_string_equal(m->id, "M-LOG-1");
    assert_int_equal(m->control, CONTROL_LOGGING);
    assert_null(m->description);
    assert_int_equal(m->test_count, 0);
    assert_int_equal(m->requirements.count, 0);

    /* No threat names it: not an error. */
    m = &model->mitigations[2];
    assert_string_equal(m->id, "M-UNUSED-1");
    assert_int_equal(m->control, CONTROL_INTEGRITY);
    assert_int_equal(m->test_count, 0);
    model_free(model);
}

static void test_find_and_suggest_mitigation(void **state)
{
    struct model *model = load_valid("valid.yaml");

    (void)state;
    assert_ptr_equal(model_find_mitigation(model, "M-LOG-1"),
                     &model->mitigations[1]);
    assert_null(model_find_mitigation(model, "M-LOG-2"));
    assert_string_equal(model_suggest_mitigation(model, "M-AUTH-2"),
                        "M-AUTH-1");
    assert_string_equal(model_suggest_mitigation(model, "M-LOG1"), "M-LOG-1");
    assert_null(model_suggest_mitigation(model, "X-9"));
    model_free(model);
}

/* One class of error per fixture */

static void test_misspelt_key(void **state)
{
    (void)state;
    EXPECT_ERRORS("misspelt_key.yaml",
                  {5, 5,
                   "unknown key 'mitigatons' in threat 'T-1' (did you mean "
                   "'mitigations'?)"});
}

static void test_duplicate_threat_id(void **state)
{
    (void)state;
    EXPECT_ERRORS("duplicate_threat_id.yaml",
                  {7, 9,
                   "duplicate threat ID 'T-1' (first defined at line 3, "
                   "column 9)"});
}

static void test_duplicate_key(void **state)
{
    (void)state;
    EXPECT_ERRORS("duplicate_key.yaml",
                  {5, 5,
                   "duplicate key 'title' in threat 'T-1' (first at line 4, "
                   "column 5)"});
}

static void test_dangling_reference(void **state)
{
    (void)state;
    EXPECT_ERRORS("dangling_reference.yaml",
                  {5, 29,
                   "threat 'T-1' names unknown mitigation 'M-AUTH-2' (did "
                   "you mean 'M-AUTH-1'?)"},
                  {5, 39,
                   "threat 'T-1' names unknown mitigation 'M-ZZZ' (add it "
                   "under 'mitigations' or correct the ID)"});
}

static void test_unknown_stride(void **state)
{
    (void)state;
    EXPECT_ERRORS("unknown_stride.yaml",
                  {5, 14,
                   "unknown stride category 'spoffing' in threat 'T-1' (did "
                   "you mean 'spoofing'?)"},
                  {5, 35,
                   "unknown stride category 'flooding' in threat 'T-1' "
                   "(expected one of: spoofing, tampering, repudiation, "
                   "information-disclosure, denial-of-service, "
                   "elevation-of-privilege)"});
}

static void test_unknown_control(void **state)
{
    (void)state;
    EXPECT_ERRORS("unknown_control.yaml",
                  {5, 14,
                   "unknown control 'authentification' in mitigation 'M-1' "
                   "(did you mean 'authentication'?)"});
}

static void test_unknown_test_kind(void **state)
{
    (void)state;
    EXPECT_ERRORS("unknown_test_kind.yaml",
                  {8, 15,
                   "unknown test kind 'thwrat' in test 'PT-1' of mitigation "
                   "'M-1' (did you mean 'thwart'?)"});
}

static void test_wrong_type(void **state)
{
    (void)state;
    EXPECT_ERRORS("wrong_type.yaml",
                  {5, 13,
                   "expected a list of strings for 'stride' in threat "
                   "'T-1', found a string"});
}

/* Nothing else in a file of another version is judged. */
static void test_unsupported_version(void **state)
{
    (void)state;
    EXPECT_ERRORS("version_2.yaml",
                  {1, 11,
                   "unsupported schema version 2 (this mitigate reads "
                   "version 1)"});
}

static void test_missing_version(void **state)
{
    (void)state;
    EXPECT_ERRORS("missing_version.yaml",
                  {1, 1,
                   "missing required key 'mitigate' in threat model (start "
                   "the file with 'mitigate: 1')"},
                  {2, 1,
                   "unknown key 'threat' in threat model (did you mean "
                   "'threats'?)"});
}

static void test_missing_title(void **state)
{
    (void)state;
    EXPECT_ERRORS("missing_title.yaml",
                  {3, 5, "missing required key 'title' in threat 'T-1'"});
}

static void test_invalid_until(void **state)
{
    (void)state;
    EXPECT_ERRORS("invalid_until.yaml",
                  {8, 14,
                   "invalid date '2027-02-30' for 'until' in 'accepted' of "
                   "threat 'T-1' (expected a calendar date as YYYY-MM-DD)"});
}

static void test_not_a_mapping(void **state)
{
    (void)state;
    EXPECT_ERRORS("not_a_mapping.yaml",
                  {1, 1,
                   "expected a mapping at the top of the threat model, "
                   "found a list"});
}

/* Every error of a file is reported, not only the first. */
static void test_errors_are_collected(void **state)
{
    (void)state;
    EXPECT_ERRORS(
            "many_errors.yaml",
            {24, 3, "expected a key name in threat model, found a list"},
            {3, 9,
             "invalid threat ID 'T 1' (use 1 to 64 letters, digits, '-', "
             "'_' or '.', starting with a letter or digit)"},
            {4, 12,
             "expected a string for 'title' in threat 'T 1', found an empty "
             "value"},
            {5, 11,
             "invalid CWE ID 'CWE307' in threat 'T 1' (expected CWE- "
             "followed by a number, like CWE-307)"},
            {6, 13,
             "invalid CAPEC ID 'CAPEC-' in threat 'T 1' (expected CAPEC- "
             "followed by a number, like CAPEC-49)"},
            {9, 17,
             "expected a string in 'assets' of threat 'T 1', found a list"},
            {9, 22,
             "expected a string in 'assets' of threat 'T 1', found an empty "
             "value"},
            {7, 36,
             "unknown key 'during' in 'risk' of threat 'T 1' (expected one "
             "of: before, after)"},
            {7, 20,
             "invalid risk 'hgh' for 'before' in 'risk' of threat 'T 1' (did "
             "you mean 'high'?)"},
            {7, 32,
             "invalid risk '11' for 'after' in 'risk' of threat 'T 1' "
             "(expected none, low, medium, high, critical or a CVSS score "
             "from 0.0 to 10.0)"},
            {8, 15, "missing required key 'by' in 'accepted' of threat 'T 1'"},
            {8, 15,
             "missing required key 'until' in 'accepted' of threat 'T 1'"},
            {10, 5,
             "expected a mapping for each entry of 'threats', found a "
             "string"},
            {15, 29,
             "invalid function name '9bad' in 'implemented_by' of "
             "mitigation 'M-1' (expected a C identifier)"},
            {15, 35,
             "invalid function name 'a-b' in 'implemented_by' of mitigation "
             "'M-1' (expected a C identifier)"},
            {18, 14,
             "duplicate test ID 'X-1' (first defined at line 17, column "
             "14)"},
            {18, 58,
             "expected a string for 'result' in test 'X-1' of mitigation "
             "'M-1', found an empty value"},
            {19, 9,
             "duplicate mitigation ID 'M-1' (first defined at line 12, "
             "column 9)"},
            {22, 12,
             "expected a list for 'tests' in mitigation 'M-1', found a "
             "mapping"},
            {23, 5, "missing required key 'id' in mitigation"});
}

/* The YAML layer */

static void test_yaml_syntax_error(void **state)
{
    (void)state;
    EXPECT_ERRORS("syntax_error.yaml",
                  {5, 1,
                   "invalid YAML: did not find expected ',' or ']' while "
                   "parsing a flow sequence (started at line 4, column "
                   "12)"});
}

static void test_tab_indentation(void **state)
{
    (void)state;
    EXPECT_ERRORS("tab.yaml",
                  {4, 1,
                   "invalid YAML: found a tab character that violates "
                   "indentation while scanning a plain scalar (started at "
                   "line 3, column 9)"});
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    EXPECT_ERRORS("invalid_utf8.yaml",
                  {3, 14, "invalid YAML: invalid leading UTF-8 octet"});
}

/* Anchors and aliases are refused, so an alias bomb never expands. */
static void test_alias_rejected(void **state)
{
    (void)state;
    EXPECT_ERRORS("alias.yaml",
                  {5, 13, "anchors are not supported in a threat model"},
                  {8, 13, "aliases are not supported in a threat model"});
}

static void test_two_documents(void **state)
{
    (void)state;
    EXPECT_ERRORS("two_documents.yaml",
                  {2, 1,
                   "a threat model is one YAML document; remove the second "
                   "one"});
}

/* An empty file has no position to point at: the error names the file. */
static void test_empty_file(void **state)
{
    (void)state;
    EXPECT_ERRORS("empty.yaml",
                  {0, 0,
                   "the threat model is empty; start it with 'mitigate: "
                   "1'"});
}

/*
 * Writes size bytes of '#' (a YAML comment) to a new temporary file and
 * returns its path, which the caller frees and unlinks.
 */
static char *write_comment_file(size_t size)
{
    const char *tmpdir = getenv("TMPDIR");
    char *path = malloc(4096);
    char *data = malloc(size);
    FILE *f;
    int fd;

    assert_non_null(path);
    assert_non_null(data);
    snprintf(path, 4096, "%s/test_model.XXXXXX", tmpdir ? tmpdir : "/tmp");
    fd = mkstemp(path);
    assert_true(fd >= 0);
    f = fdopen(fd, "wb");
    assert_non_null(f);
    memset(data, '#', size);
    assert_int_equal(fwrite(data, 1, size, f), size);
    assert_int_equal(fclose(f), 0);
    free(data);
    return path;
}

/* 16 MiB is read (and is empty); one byte more is refused unread. */
static void test_size_limit(void **state)
{
    const size_t limit = (size_t)16 << 20;
    char *path = write_comment_file(limit);
    struct mt_errors errs = MT_ERRORS_INIT;

    (void)state;
    assert_null(model_load(path, &errs));
    assert_int_equal(errs.count, 1);
    assert_string_equal(errs.items[0].message,
                        "the threat model is empty; start it with "
                        "'mitigate: 1'");
    mt_errors_release(&errs);
    unlink(path);
    free(path);

    path = write_comment_file(limit + 1);
    assert_null(model_load(path, &errs));
    assert_int_equal(errs.count, 1);
    assert_non_null(strstr(errs.items[0].message, "16777216"));
    mt_errors_release(&errs);
    unlink(path);
    free(path);
}

static void test_missing_file(void **state)
{
    struct mt_errors errs = MT_ERRORS_INIT;

    (void)state;
    assert_null(model_load(fixture("no-such-model.yaml"), &errs));
    assert_int_equal(errs.count, 1);
    assert_string_equal(errs.items[0].file, fixture("no-such-model.yaml"));
    mt_errors_release(&errs);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_domain_words),
            cmocka_unit_test(test_id_syntax),
            cmocka_unit_test(test_valid_threats),
            cmocka_unit_test(test_valid_mitigations),
            cmocka_unit_test(test_find_and_suggest_mitigation),
            cmocka_unit_test(test_misspelt_key),
            cmocka_unit_test(test_duplicate_threat_id),
            cmocka_unit_test(test_duplicate_key),
            cmocka_unit_test(test_dangling_reference),
            cmocka_unit_test(test_unknown_stride),
            cmocka_unit_test(test_unknown_control),
            cmocka_unit_test(test_unknown_test_kind),
            cmocka_unit_test(test_wrong_type),
            cmocka_unit_test(test_unsupported_version),
            cmocka_unit_test(test_missing_version),
            cmocka_unit_test(test_missing_title),
            cmocka_unit_test(test_invalid_until),
            cmocka_unit_test(test_not_a_mapping),
            cmocka_unit_test(test_errors_are_collected),
            cmocka_unit_test(test_yaml_syntax_error),
            cmocka_unit_test(test_tab_indentation),
            cmocka_unit_test(test_invalid_utf8),
            cmocka_unit_test(test_alias_rejected),
            cmocka_unit_test(test_two_documents),
            cmocka_unit_test(test_empty_file),
            cmocka_unit_test(test_size_limit),
            cmocka_unit_test(test_missing_file),
    };

    if (argc > 1)
        fixtures_dir = argv[1];
    return cmocka_run_group_tests(tests, NULL, NULL);
}
