/*
 * test_baseline.c: matching this run's results with an earlier SARIF
 * log (tests/fixtures/baseline), and the primaryLocationLineHash that
 * lets results without mitigate's identity be matched.
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

#include "baseline.h"
#include "linehash.h"
#include "util.h"

#define AAA "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define BBB "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define CCC "cccccccccccccccccccccccccccccccc"
#define STRCPY_MSG "call to strcpy in mitigation M-AUTH-1 code"

static struct baseline *load(const char *name)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    struct baseline *b;
    char path[512];

    snprintf(path, sizeof(path), "%s/%s", BASELINE_FIXTURES_DIR, name);
    b = baseline_load(path, &errs);
    if (!b)
        mt_errors_print(&errs, "test_baseline");
    assert_non_null(b);
    mt_errors_release(&errs);
    return b;
}

/* Loading name must fail with one error whose message holds part. */
static void load_bad(const char *name, const char *part)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    char path[512];

    snprintf(path, sizeof(path), "%s/%s", BASELINE_FIXTURES_DIR, name);
    assert_null(baseline_load(path, &errs));
    assert_int_equal(errs.count, 1);
    assert_string_equal(errs.items[0].file, path);
    if (!strstr(errs.items[0].message, part))
        fail_msg("message '%s' lacks '%s'", errs.items[0].message, part);
    mt_errors_release(&errs);
}

static void state_names(void **state)
{
    (void)state;
    assert_null(baseline_state_name(BASELINE_NONE));
    assert_string_equal(baseline_state_name(BASELINE_NEW), "new");
    assert_string_equal(baseline_state_name(BASELINE_UNCHANGED), "unchanged");
    assert_string_equal(baseline_state_name(BASELINE_UPDATED), "updated");
    assert_string_equal(baseline_state_name(BASELINE_ABSENT), "absent");
}

static void no_baseline(void **state)
{
    json_t *results = json_array();

    (void)state;
    assert_int_equal(baseline_classify(NULL, "MT0003", AAA, NULL, "m"),
                     BASELINE_NONE);
    assert_int_equal(baseline_append_absent(NULL, results), 0);
    json_decref(results);
}

static void classify(void **state)
{
    struct baseline *b = load("good.sarif");

    (void)state;
    assert_int_equal(
            baseline_classify(b, "MT0003", AAA, "ffffffffffffffff:1",
                              "mitigation M-AUTH-1 has no effectiveness test"),
            BASELINE_UNCHANGED);
    /* Each baseline result matches once. */
    assert_int_equal(
            baseline_classify(b, "MT0003", AAA, NULL,
                              "mitigation M-AUTH-1 has no effectiveness test"),
            BASELINE_NEW);
    /* Same fingerprint, other rule: a different finding. */
    assert_int_equal(baseline_classify(b, "MT0005", CCC, NULL,
                                       "mitigation M-LOG-1 is not implemented"),
                     BASELINE_NEW);
    /* The message changed: updated. */
    assert_int_equal(baseline_classify(b, "MT0002", CCC, NULL,
                                       "mitigation M-LOG-1 has no code"),
                     BASELINE_UPDATED);
    /* Two results with one fingerprint match the two in the baseline. */
    assert_int_equal(baseline_classify(b, "MB1001", BBB, NULL, STRCPY_MSG),
                     BASELINE_UNCHANGED);
    assert_int_equal(baseline_classify(b, "MB1001", BBB, NULL, "changed"),
                     BASELINE_UPDATED);
    assert_int_equal(baseline_classify(b, "MB1001", BBB, NULL, STRCPY_MSG),
                     BASELINE_NEW);
    /* No identity in the baseline: the line hash matches instead. */
    assert_int_equal(
            baseline_classify(b, "MB1009", "0000", "0123456789abcdef:2",
                              "call to strtok in mitigation M-AUTH-1 code"),
            BASELINE_NEW);
    assert_int_equal(
            baseline_classify(b, "MB1009", "0000", "0123456789abcdef:1",
                              "call to strtok in mitigation M-AUTH-1 code"),
            BASELINE_UNCHANGED);
    /* Empty fingerprints are unknown ones: they match nothing. */
    assert_int_equal(baseline_classify(b, "MB1012", "", "",
                                       "call to rand in mitigation M-AUTH-1 "
                                       "code"),
                     BASELINE_NEW);
    /* An earlier "absent" result is not carried forward. */
    assert_int_equal(
            baseline_classify(b, "MT0004", "dddddddddddddddddddddddddddddddd",
                              NULL, "mitigation M-AUTH-1 has no thwart test"),
            BASELINE_NEW);
    baseline_free(b);
}

static void duplicates_match_in_order(void **state)
{
    struct baseline *b = load("good.sarif");
    json_t *results = json_array(), *region;

    (void)state;
    assert_int_equal(baseline_classify(b, "MB1001", BBB, NULL, STRCPY_MSG),
                     BASELINE_UNCHANGED);
    /* The second one (line 57) is left: it comes back absent. */
    assert_int_equal(baseline_append_absent(b, results), 5);
    region = json_object_get(
            json_object_get(
                    json_object_get(
                            json_array_get(
                                    json_object_get(json_array_get(results, 1),
                                                    "locations"),
                                    0),
                            "physicalLocation"),
                    "region"),
            "startLine");
    assert_int_equal(json_integer_value(region), 57);
    json_decref(results);
    baseline_free(b);
}

static void absent_results(void **state)
{
    struct baseline *b = load("good.sarif");
    json_t *results = json_array(), *r;
    static const char *const expected[] = {"MB1001", "MT0002", "MB1012"};

    (void)state;
    json_array_append_new(results, json_pack("{s:s}", "ruleId", "MT0001"));
    baseline_classify(b, "MT0003", AAA, NULL, "anything");
    baseline_classify(b, "MB1001", BBB, NULL, STRCPY_MSG);
    baseline_classify(b, "MB1009", NULL, "0123456789abcdef:1", "x");

    assert_int_equal(baseline_append_absent(b, results), 3);
    assert_int_equal(json_array_size(results), 4);
    for (size_t i = 0; i < 3; i++) {
        r = json_array_get(results, i + 1);
        assert_string_equal(json_string_value(json_object_get(r, "ruleId")),
                            expected[i]);
        assert_string_equal(
                json_string_value(json_object_get(r, "baselineState")),
                "absent");
        assert_null(json_object_get(r, "ruleIndex"));
        assert_non_null(json_object_get(r, "locations"));
    }
    /* The copies do not share the baseline's objects. */
    baseline_free(b);
    r = json_array_get(results, 2);
    assert_string_equal(json_string_value(json_object_get(
                                json_object_get(r, "message"), "text")),
                        "mitigation M-LOG-1 is not implemented");
    json_decref(results);
}

static void empty_baseline(void **state)
{
    struct baseline *b = load("empty.sarif");
    json_t *results = json_array();

    (void)state;
    assert_int_equal(baseline_classify(b, "MT0003", AAA, NULL, "m"),
                     BASELINE_NEW);
    assert_int_equal(baseline_append_absent(b, results), 0);
    json_decref(results);
    baseline_free(b);
}

static void bad_logs(void **state)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    char path[512];

    (void)state;
    load_bad("not-json.sarif", "not a SARIF log: invalid JSON");
    load_bad("version-2.0.0.sarif",
             "SARIF version is \"2.0.0\"; mitigate reads \"2.1.0\"");
    load_bad("no-runs.sarif", "has no 'runs'");
    load_bad("other-tool.sarif", "written by 'CodeQL', not mitigate");
    load_bad("no-results.sarif", "runs[0].results is missing");
    load_bad("result-without-rule.sarif", "runs[0].results[3] has no ruleId");
    load_bad("bad-fingerprint.sarif",
             "runs[0].results[1].partialFingerprints has a value");
    load_bad("missing.sarif", "cannot open");

    /* A JSON error says where. */
    snprintf(path, sizeof(path), "%s/not-json.sarif", BASELINE_FIXTURES_DIR);
    assert_null(baseline_load(path, &errs));
    assert_true(errs.items[0].pos.line > 0);
    mt_errors_release(&errs);
}

/*
 * The log the SARIF validator tests hold up as good: its results carry
 * only primaryLocationLineHash, so they match by line hash.
 */
static void reads_a_checked_sarif_log(void **state)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    struct baseline *b;
    json_t *results = json_array();

    (void)state;
    b = baseline_load(BASELINE_FIXTURES_DIR "/../sarif/good.sarif", &errs);
    assert_non_null(b);
    assert_int_equal(baseline_classify(b, "MT0003", AAA, "9c1f4e2ab07d3e55:1",
                                       "Mitigation 'M-AUTH-1' has no "
                                       "effectiveness test."),
                     BASELINE_UNCHANGED);
    assert_int_equal(baseline_append_absent(b, results), 1);
    json_decref(results);
    baseline_free(b);
}

/* Line hashes */

/* Writes text to a new temporary file whose path goes into path. */
static void write_temp(char path[64], const char *text)
{
    int fd;

    snprintf(path, 64, "/tmp/test_linehash.XXXXXX");
    fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
}

/* The hash of one line of text. */
static void hash_of(const char *text, unsigned line, char out[LINE_HASH_SIZE])
{
    char path[64];
    char hashes[1][LINE_HASH_SIZE];

    write_temp(path, text);
    assert_int_equal(line_hashes(path, &line, 1, hashes), 0);
    unlink(path);
    memcpy(out, hashes[0], LINE_HASH_SIZE);
}

static void line_hash_form(void **state)
{
    char h[LINE_HASH_SIZE];

    (void)state;
    /* The hex starts the SHA-256 of the line without its whitespace. */
    hash_of("int f(void)\n{\n    strcpy(dst, src);\n}\n", 3, h);
    assert_int_equal(strlen(h), 18);
    assert_string_equal(h + 16, ":1");
    for (int i = 0; i < 16; i++)
        assert_non_null(strchr("0123456789abcdef", h[i]));
    {
        char hex[65];

        sha256_hex("strcpy(dst,src);", 16, hex);
        assert_memory_equal(h, hex, 16);
    }
}

static void line_hash_survives_insertions(void **state)
{
    const char *base = "int a;\nint f(void)\n{\n    strcpy(d, s);\n}\n";
    struct strbuf moved = STRBUF_INIT;
    char before[LINE_HASH_SIZE], after[LINE_HASH_SIZE];

    (void)state;
    for (int i = 0; i < 10; i++)
        sb_addf(&moved, "/* inserted %d */\n", i);
    sb_adds(&moved, base);
    hash_of(base, 4, before);
    hash_of(moved.buf, 14, after);
    assert_string_equal(before, after);
    sb_release(&moved);
}

static void line_hash_follows_content(void **state)
{
    char a[LINE_HASH_SIZE], b[LINE_HASH_SIZE];

    (void)state;
    hash_of("x\n    strcpy(d, s);\n", 2, a);
    hash_of("x\n    strcpy(d, t);\n", 2, b);
    assert_string_not_equal(a, b);
    /* Whitespace does not count: indentation, spacing, CRLF. */
    hash_of("x\n\tstrcpy( d,s ) ;\r\n", 2, b);
    assert_string_equal(a, b);
    hash_of("x\n    strcpy(d, s);", 2, b);
    assert_string_equal(a, b);
}

static void line_hash_occurrences(void **state)
{
    const char *text = "a();\nb();\n  a();\na();\n\n";
    unsigned lines[] = {4, 1, 3, 2, 5, 7, 0};
    char hashes[7][LINE_HASH_SIZE];
    char path[64], empty[65];

    (void)state;
    write_temp(path, text);
    assert_int_equal(line_hashes(path, lines, 7, hashes), 0);
    unlink(path);

    assert_string_equal(hashes[1] + 16, ":1");
    assert_string_equal(hashes[2] + 16, ":2");
    assert_string_equal(hashes[0] + 16, ":3");
    assert_memory_equal(hashes[0], hashes[1], 16);
    assert_string_equal(hashes[3] + 16, ":1");
    assert_string_equal(hashes[6], hashes[1]); /* line 0 is line 1 */

    /* Line 5 is blank; 6 and 7 are past the end, so blank too. */
    sha256_hex("", 0, empty);
    assert_memory_equal(hashes[4], empty, 16);
    assert_string_equal(hashes[4] + 16, ":1");
    assert_memory_equal(hashes[5], empty, 16);
    assert_string_equal(hashes[5] + 16, ":3");
}

static void line_hash_unreadable(void **state)
{
    unsigned line = 1;
    char hashes[1][LINE_HASH_SIZE];

    (void)state;
    assert_int_equal(line_hashes("/nonexistent/x.c", &line, 1, hashes), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(state_names),
            cmocka_unit_test(no_baseline),
            cmocka_unit_test(classify),
            cmocka_unit_test(duplicates_match_in_order),
            cmocka_unit_test(absent_results),
            cmocka_unit_test(empty_baseline),
            cmocka_unit_test(bad_logs),
            cmocka_unit_test(reads_a_checked_sarif_log),
            cmocka_unit_test(line_hash_form),
            cmocka_unit_test(line_hash_survives_insertions),
            cmocka_unit_test(line_hash_follows_content),
            cmocka_unit_test(line_hash_occurrences),
            cmocka_unit_test(line_hash_unreadable),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
