/*
 * test_results.c: reading JUnit XML test results and finding a test's.
 *
 * The samples in tests/fixtures/junit are the real output of cmocka,
 * CTest, lit, GoogleTest and pytest (generate.sh makes them), and a
 * hand-written Unity/Ceedling report. Times in the samples change when
 * they are regenerated, so they are checked for range, and exact time
 * parsing is checked on inline documents. Hostile and malformed input
 * is inline too.
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
#include <mitigate.h>

#include "results.h"
#include "util.h"

/* Reads text, which must be valid, into r (appending). */
static void parse_ok(const char *name, const char *text, unsigned order,
                     struct results *r)
{
    struct mt_errors errs = MT_ERRORS_INIT;

    if (results_parse(name, text, strlen(text), order, r, &errs) != 0)
        mt_errors_print(&errs, "test_results");
    assert_int_equal(errs.count, 0);
    mt_errors_release(&errs);
}

/*
 * Reads text, which must be refused with a first error at line (0: any)
 * whose message holds part; nothing may be added to an empty results.
 */
static void parse_bad(const char *text, size_t len, unsigned line,
                      const char *part)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    struct results r = RESULTS_INIT;

    assert_int_equal(results_parse("bad.xml", text, len, 1, &r, &errs), -1);
    assert_true(errs.count >= 1);
    assert_string_equal(errs.items[0].file, "bad.xml");
    if (line)
        assert_int_equal(errs.items[0].pos.line, line);
    if (!strstr(errs.items[0].message, part))
        fail_msg("message '%s' lacks '%s'", errs.items[0].message, part);
    assert_int_equal(r.count, 0);
    assert_int_equal(r.file_count, 0);
    results_release(&r);
    mt_errors_release(&errs);
}

static void load_sample(const char *name, struct results *r)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    char path[512];

    snprintf(path, sizeof(path), "%s/%s", JUNIT_FIXTURES_DIR, name);
    if (results_load(path, 1, r, &errs) != 0)
        mt_errors_print(&errs, "test_results");
    assert_int_equal(errs.count, 0);
    assert_int_equal(r->file_count, 1);
    assert_string_equal(r->files[0], path);
    mt_errors_release(&errs);
}

/* Checks how many results have each outcome. */
static void expect_counts(const struct results *r, size_t passed, size_t failed,
                          size_t error, size_t skipped)
{
    size_t n[4] = {0, 0, 0, 0};

    for (size_t i = 0; i < r->count; i++)
        n[r->items[i].outcome]++;
    assert_int_equal(r->count, passed + failed + error + skipped);
    assert_int_equal(n[OUTCOME_PASSED], passed);
    assert_int_equal(n[OUTCOME_FAILED], failed);
    assert_int_equal(n[OUTCOME_ERROR], error);
    assert_int_equal(n[OUTCOME_SKIPPED], skipped);
}

/* Finds name, which must match exactly once, with the outcome given. */
static const struct test_result *expect_found(const struct results *r,
                                              const char *name,
                                              enum test_outcome outcome)
{
    size_t runs = 99;
    const struct test_result *t = results_find(r, name, &runs);

    if (!t)
        fail_msg("no result for '%s'", name);
    assert_int_equal(runs, 1);
    assert_string_equal(test_outcome_name(t->outcome),
                        test_outcome_name(outcome));
    assert_true(t->seconds >= 0 && t->seconds < 10);
    assert_int_equal(t->order, 1);
    assert_true(t->line >= 1);
    return t;
}

/* Dialects */

static void cmocka_sample(void **state)
{
    struct results r = RESULTS_INIT;
    const struct test_result *t;

    (void)state;
    load_sample("cmocka.xml", &r);
    expect_counts(&r, 1, 1, 0, 1);
    t = expect_found(&r, "test_pin_accepts_correct_pin", OUTCOME_PASSED);
    assert_null(t->classname);
    assert_string_equal(t->suite, "pin");
    assert_null(t->message);
    assert_null(t->timestamp);
    /* cmocka puts the failure in the element's text, not an attribute. */
    t = expect_found(&r, "test_pin_lockout_survives_reboot", OUTCOME_FAILED);
    assert_string_equal(t->message, "0x5 != 0x4");
    assert_int_equal(t->line, 6);
    t = expect_found(&r, "test_pin_lockout_over_ble", OUTCOME_SKIPPED);
    assert_null(t->message);
    results_release(&r);
}

static void ctest_sample(void **state)
{
    struct results r = RESULTS_INIT;
    const struct test_result *t;

    (void)state;
    load_sample("ctest.xml", &r);
    expect_counts(&r, 1, 1, 0, 1);
    t = expect_found(&r, "pin_accepts_correct_pin", OUTCOME_PASSED);
    assert_string_equal(t->classname, "pin_accepts_correct_pin");
    assert_string_equal(t->suite, "(empty)");
    assert_non_null(t->timestamp);
    assert_true(t->seconds > 0);
    /* CTest writes an empty failure message and the output apart. */
    t = expect_found(&r, "pin_lockout_survives_reboot", OUTCOME_FAILED);
    assert_null(t->message);
    t = expect_found(&r, "pin_lockout_over_ble", OUTCOME_SKIPPED);
    assert_string_equal(t->message, "SKIP_RETURN_CODE=77");
    results_release(&r);
}

static void lit_sample(void **state)
{
    struct results r = RESULTS_INIT;
    const struct test_result *t;

    (void)state;
    load_sample("lit.xml", &r);
    expect_counts(&r, 1, 1, 0, 1);
    t = expect_found(&r, "mitigate.pump.pin-accepts.test", OUTCOME_PASSED);
    assert_string_equal(t->classname, "mitigate.pump");
    assert_string_equal(t->suite, "mitigate");
    /* lit's own name for a test: "suite :: path". */
    t = expect_found(&r, "mitigate :: pump/pin-lockout.test", OUTCOME_FAILED);
    assert_string_equal(t->name, "pin-lockout.test");
    assert_string_equal(t->message, "Script:");
    t = expect_found(&r, "pin-ble.test", OUTCOME_SKIPPED);
    assert_string_equal(t->message, "Missing required feature(s): ble-radio");
    results_release(&r);
}

static void gtest_sample(void **state)
{
    struct results r = RESULTS_INIT;
    const struct test_result *t;

    (void)state;
    load_sample("gtest.xml", &r);
    expect_counts(&r, 2, 1, 0, 2);
    t = expect_found(&r, "Pin.AcceptsCorrectPin", OUTCOME_PASSED);
    assert_string_equal(t->suite, "Pin");
    assert_non_null(t->timestamp);
    assert_true(t->seconds < 1);
    t = expect_found(&r, "Pin.LockoutSurvivesReboot", OUTCOME_FAILED);
    assert_non_null(strstr(t->message, "pin_test.cc:4"));
    t = expect_found(&r, "Pin.LockoutOverBle", OUTCOME_SKIPPED);
    assert_non_null(strstr(t->message, "pin_test.cc:5"));
    /* A DISABLED_ test: status="notrun" result="suppressed". */
    t = expect_found(&r, "Pin.DISABLED_LockoutTiming", OUTCOME_SKIPPED);
    assert_null(t->message);
    /* Its epoch timestamp means "never ran": the suite's is used. */
    assert_string_equal(t->timestamp, r.items[0].timestamp);
    t = expect_found(&r, "ExpiresAfterIdle", OUTCOME_PASSED);
    assert_string_equal(t->classname, "Session");
    results_release(&r);
}

static void pytest_sample(void **state)
{
    struct results r = RESULTS_INIT;
    const struct test_result *t;

    (void)state;
    load_sample("pytest.xml", &r);
    expect_counts(&r, 4, 1, 1, 2);
    t = expect_found(&r, "test_pin.py::test_pin_accepts_correct_pin",
                     OUTCOME_PASSED);
    assert_string_equal(t->classname, "test_pin");
    assert_string_equal(t->suite, "pytest");
    assert_non_null(t->timestamp);
    /* pytest writes everything on line 1. */
    assert_int_equal(t->line, 1);
    t = results_find(&r, "test_pin_lockout_survives_reboot", NULL);
    assert_int_equal(t->outcome, OUTCOME_FAILED);
    assert_string_equal(t->message, "AssertionError: lockout lost");
    t = results_find(&r, "test_pin_over_radio", NULL);
    assert_int_equal(t->outcome, OUTCOME_ERROR);
    assert_string_equal(t->message, "failed on setup with \"RuntimeError: "
                                    "no BLE radio attached\"");
    t = results_find(&r, "test_pin.test_pin_lockout_over_ble", NULL);
    assert_int_equal(t->outcome, OUTCOME_SKIPPED);
    assert_string_equal(t->message, "needs the pump hardware");
    t = results_find(&r, "test_pin_lockout_timing", NULL); /* xfail */
    assert_int_equal(t->outcome, OUTCOME_SKIPPED);
    t = results_find(&r, "test_pin.TestSession.test_expires_after_idle", NULL);
    assert_int_equal(t->outcome, OUTCOME_PASSED);
    assert_non_null(results_find(
            &r, "test_pin.py::TestSession::test_expires_after_idle", NULL));
    assert_non_null(results_find(&r, "test_pin_rejects_weak[1234]", NULL));
    assert_null(results_find(&r, "test_pin_rejects_weak", NULL));
    results_release(&r);
}

static void unity_sample(void **state)
{
    struct results r = RESULTS_INIT;
    const struct test_result *t;

    (void)state;
    load_sample("unity.xml", &r);
    expect_counts(&r, 3, 1, 0, 1);
    t = expect_found(&r, "test_pin_accepts_correct_pin", OUTCOME_PASSED);
    assert_null(t->classname);
    assert_string_equal(t->suite, "test/test_pin");
    assert_true(t->seconds == 0.001);
    t = expect_found(&r, "test_pin_lockout_survives_reboot", OUTCOME_FAILED);
    assert_string_equal(t->message, "Expected 5 Was 4. lockout lost");
    expect_found(&r, "test_pin_lockout_over_ble", OUTCOME_SKIPPED);
    t = expect_found(&r, "test_session_rejects_replay", OUTCOME_PASSED);
    assert_string_equal(t->suite, "test/test_session");
    results_release(&r);
}

/* Shapes and attributes */

MITIGATION_TEST("M-XML-NO-ENTITIES", SIDE_EFFECT)
static void shapes(void **state)
{
    struct results r = RESULTS_INIT;
    const struct test_result *t;

    (void)state;
    /* A bare <testsuite>, a DOCTYPE without entities, predefined and
     * character references, times with "," and an exponent. */
    parse_ok("a.xml",
             "<?xml version='1.0'?>\n"
             "<!DOCTYPE testsuite>\n"
             "<testsuite name='s &amp; t' timestamp='2026-01-02T03:04:05'>\n"
             "<testcase name='a &amp; b &lt;c&gt; &#38;&#x41;' time='1,5'/>\n"
             "<testcase name='t2' time='1,234.5'/>\n"
             "<testcase name='t3' time='1.5e-05'/>\n"
             "<testcase name='t4' time=''/>\n"
             "<testcase name='t5' classname=''/>\n"
             "</testsuite>\n",
             1, &r);
    assert_int_equal(r.count, 5);
    t = &r.items[0];
    assert_string_equal(t->name, "a & b <c> &A");
    assert_string_equal(t->suite, "s & t");
    assert_string_equal(t->timestamp, "2026-01-02T03:04:05");
    assert_true(t->seconds == 1.5);
    assert_int_equal(t->line, 4);
    assert_string_equal(t->file, "a.xml");
    assert_true(r.items[1].seconds == 1234.5);
    assert_true(r.items[2].seconds > 1.49e-05 && r.items[2].seconds < 1.51e-5);
    assert_true(r.items[3].seconds == -1);
    assert_true(r.items[4].seconds == -1);
    assert_null(r.items[4].classname);
    results_release(&r);

    /* Nested suites: the nearest names the result; timestamps inherit. */
    parse_ok("b.xml",
             "<testsuites timestamp='T0'>\n"
             " <testsuite name='outer'>\n"
             "  <testsuite name='inner' timestamp='T1'>\n"
             "   <testcase name='deep'><system-out>x\ny</system-out>"
             "<system-err>e</system-err></testcase>\n"
             "  </testsuite>\n"
             "  <testcase name='shallow'/>\n"
             " </testsuite>\n"
             " <unknown><testcase name='odd'/></unknown>\n"
             "</testsuites>\n",
             1, &r);
    assert_int_equal(r.count, 3);
    assert_string_equal(r.items[0].suite, "inner");
    assert_string_equal(r.items[0].timestamp, "T1");
    assert_null(r.items[0].message);
    assert_int_equal(r.items[0].outcome, OUTCOME_PASSED);
    assert_string_equal(r.items[1].suite, "outer");
    assert_string_equal(r.items[1].timestamp, "T0");
    assert_null(r.items[2].suite);
    results_release(&r);
}

static void outcomes_and_messages(void **state)
{
    struct results r = RESULTS_INIT;
    struct strbuf doc = STRBUF_INIT;

    (void)state;
    sb_adds(&doc, "<testsuite>\n"
                  "<testcase name='fs'><failure message='f'/><skipped/>"
                  "</testcase>\n"
                  "<testcase name='se'><skipped message='s'/>"
                  "<error message='e'/></testcase>\n"
                  "<testcase name='fe'><failure>\n\n  first line  \n"
                  "second</failure><error message='e'/></testcase>\n"
                  "<testcase name='long'><failure message='");
    for (int i = 0; i < 300; i++)
        sb_adds(&doc, "\xc3\xa9"); /* 600 bytes of two-byte characters */
    sb_adds(&doc, "'/></testcase>\n"
                  "<testcase name='blank'><failure message=' '>  \n"
                  "</failure></testcase>\n"
                  "</testsuite>\n");
    parse_ok("o.xml", sb_str(&doc), 1, &r);
    assert_int_equal(r.count, 5);
    assert_int_equal(r.items[0].outcome, OUTCOME_FAILED);
    assert_string_equal(r.items[0].message, "f");
    assert_int_equal(r.items[1].outcome, OUTCOME_ERROR);
    assert_string_equal(r.items[1].message, "e");
    assert_int_equal(r.items[2].outcome, OUTCOME_FAILED);
    assert_string_equal(r.items[2].message, "first line");
    assert_int_equal(strlen(r.items[3].message), 512);
    assert_int_equal(r.items[4].outcome, OUTCOME_FAILED);
    assert_null(r.items[4].message);
    assert_string_equal(test_outcome_name(OUTCOME_ERROR), "error");
    results_release(&r);
    sb_release(&doc);
}

/* Line numbers stay exact past the 65535 that libxml2's tree keeps. */
static void big_line_numbers(void **state)
{
    struct results r = RESULTS_INIT;
    struct strbuf doc = STRBUF_INIT;

    (void)state;
    sb_adds(&doc, "<testsuite>");
    for (int i = 0; i < 70000; i++)
        sb_addc(&doc, '\n');
    sb_adds(&doc, "<testcase name='far'/></testsuite>");
    parse_ok("big.xml", sb_str(&doc), 1, &r);
    assert_int_equal(r.items[0].line, 70001);
    results_release(&r);
    sb_release(&doc);
}

/* Re-runs */

static const char first_run[] =
        "<testsuite name='run'>\n"
        "<testcase classname='pin' name='lockout'><failure message='1'/>"
        "</testcase>\n"
        "<testcase classname='pin' name='lockout'/>\n"
        "</testsuite>\n";
static const char second_run[] = "<testsuite name='run'>\n"
                                 "<testcase classname='pin' name='lockout'>"
                                 "<failure message='2'/></testcase>\n"
                                 "</testsuite>\n";

static void reruns(void **state)
{
    struct results r = RESULTS_INIT;
    const struct test_result *t;
    size_t runs = 0;

    (void)state;
    /* In one file the last run wins. */
    parse_ok("first.xml", first_run, 1, &r);
    t = results_find(&r, "pin.lockout", &runs);
    assert_int_equal(runs, 2);
    assert_int_equal(t->outcome, OUTCOME_PASSED);
    assert_int_equal(t->line, 3);

    /* A later file wins over an earlier one. */
    parse_ok("second.xml", second_run, 2, &r);
    assert_int_equal(r.file_count, 2);
    t = results_find(&r, "lockout", &runs);
    assert_int_equal(runs, 3);
    assert_int_equal(t->outcome, OUTCOME_FAILED);
    assert_string_equal(t->file, "second.xml");
    assert_int_equal(t->order, 2);
    results_release(&r);

    /* The order given wins, not the order of reading. */
    parse_ok("second.xml", second_run, 2, &r);
    parse_ok("first.xml", first_run, 1, &r);
    t = results_find(&r, "pin.lockout", &runs);
    assert_int_equal(runs, 3);
    assert_string_equal(t->file, "second.xml");

    assert_null(results_find(&r, "unlock", &runs));
    assert_int_equal(runs, 0);
    assert_null(results_find(&r, "", &runs));
    results_release(&r);
}

/*
 * "a.b.c.d" is classname "a.b" with name "c.d", and classname "a" with
 * name "b.c.d": both are runs of it, and the later one read wins even
 * though the index finds them under different names.
 */
static const char dotted[] =
        "<testsuite name='run'>\n"
        "<testcase classname='a.b' name='c.d'><failure/></testcase>\n"
        "<testcase classname='a' name='b.c.d'/>\n"
        "<testcase classname='x' name='b.c.d'><failure/></testcase>\n"
        "</testsuite>\n";

static void dotted_names(void **state)
{
    struct results r = RESULTS_INIT;
    struct results_index *ix;
    const struct test_result *t;
    size_t runs = 0;

    (void)state;
    parse_ok("dotted.xml", dotted, 1, &r);
    ix = results_index_new(&r);
    t = results_index_find(ix, "a.b.c.d", &runs);
    assert_int_equal(runs, 2);
    assert_int_equal(t->outcome, OUTCOME_PASSED);
    assert_int_equal(t->line, 3);

    /* Without a class that matches, the name alone. */
    t = results_index_find(ix, "b.c.d", &runs);
    assert_int_equal(runs, 2);
    assert_string_equal(t->classname, "x");
    assert_null(results_index_find(ix, "z.c.d", &runs));
    assert_int_equal(runs, 0);
    results_index_free(ix);
    results_release(&r);
}

/* A refused file leaves what was read before it untouched. */
static void refused_file_rolls_back(void **state)
{
    static const char bad[] = "<testsuite><testcase name='x'/>"
                              "<testcase/></testsuite>";
    struct mt_errors errs = MT_ERRORS_INIT;
    struct results r = RESULTS_INIT;

    (void)state;
    parse_ok("first.xml", first_run, 1, &r);
    assert_int_equal(results_parse("bad.xml", bad, strlen(bad), 2, &r, &errs),
                     -1);
    assert_int_equal(r.count, 2);
    assert_int_equal(r.file_count, 1);
    assert_string_equal(r.items[1].file, "first.xml");
    mt_errors_release(&errs);
    results_release(&r);
}

/* Hostile and malformed input */

MITIGATION_TEST("M-XML-NO-ENTITIES", EFFECTIVENESS)
static void entities_refused(void **state)
{
    static const char external[] =
            "<?xml version='1.0'?>\n"
            "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n"
            "<testsuite><testcase name='&e;'/></testsuite>\n";
    static const char parameter[] =
            "<!DOCTYPE x [\n"
            "<!ENTITY % p SYSTEM \"http://127.0.0.1:9/evil.dtd\">\n"
            "%p;\n"
            "]>\n<testsuite/>\n";
    static const char undeclared[] =
            "<testsuite>\n<testcase name='a'>&nbsp;</testcase></testsuite>\n";
    static const char in_attribute[] =
            "<testsuite>\n<testcase name='&x;'/></testsuite>\n";
    static const char unparsed[] =
            "<!DOCTYPE x [<!NOTATION n SYSTEM 'n'>\n"
            "<!ENTITY u SYSTEM 'u' NDATA n>]><testsuite/>\n";

    (void)state;
    parse_bad(external, strlen(external), 2, "declares the entity 'e'");
    parse_bad(parameter, strlen(parameter), 2, "declares the entity 'p'");
    parse_bad(undeclared, strlen(undeclared), 2, "entity 'nbsp'");
    parse_bad(in_attribute, strlen(in_attribute), 2, "entity 'x'");
    parse_bad(unparsed, strlen(unparsed), 2, "declares the entity 'u'");
}

/*
 * The refusal names the first entity declaration, on line 3: the reader
 * stops there, before any entity could be expanded. (How fast that is
 * is measured in bench/, never asserted here.)
 */
MITIGATION_TEST("M-XML-NO-ENTITIES", THWART)
static void billion_laughs_refused(void **state)
{
    struct strbuf doc = STRBUF_INIT;

    (void)state;
    sb_adds(&doc, "<?xml version='1.0'?>\n<!DOCTYPE lolz [\n"
                  "<!ENTITY lol0 \"lol\">\n");
    for (int i = 1; i < 10; i++)
        sb_addf(&doc,
                "<!ENTITY lol%d \"&lol%d;&lol%d;&lol%d;&lol%d;&lol%d;"
                "&lol%d;&lol%d;&lol%d;&lol%d;&lol%d;\">\n",
                i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1,
                i - 1, i - 1);
    sb_adds(&doc, "]>\n<testsuite><testcase name='&lol9;'/></testsuite>\n");
    parse_bad(doc.buf, doc.len, 3, "declares the entity 'lol0'");
    sb_release(&doc);
}

static void external_dtd_not_loaded(void **state)
{
    struct results r = RESULTS_INIT;

    (void)state;
    /* Without DTD loading the system identifier is never opened. */
    parse_ok("dtd.xml",
             "<!DOCTYPE testsuite SYSTEM \"/nonexistent/junit.dtd\">\n"
             "<testsuite><testcase name='a'/></testsuite>\n",
             1, &r);
    assert_int_equal(r.count, 1);
    results_release(&r);
}

MITIGATION_TEST("M-XML-NO-ENTITIES", THWART)
static void external_dtd_entities_not_declared(void **state)
{
    char dtd[] = "/tmp/mitigate-dtd.XXXXXX";
    struct strbuf doc = STRBUF_INIT;
    int fd = mkstemp(dtd);

    (void)state;
    /* Were the external subset read, 'leak' would be declared and the
       error would say so; it is a reference to an unknown entity. */
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "<!ENTITY leak \"LEAKED\">\n", 25), 25);
    close(fd);
    sb_addf(&doc,
            "<!DOCTYPE testsuite SYSTEM \"file://%s\">\n"
            "<testsuite>\n<testcase name='&leak;'/></testsuite>\n",
            dtd);
    parse_bad(doc.buf, doc.len, 3, "reference to the entity 'leak'");
    remove(dtd);
    sb_release(&doc);
}

MITIGATION_TEST("M-XML-NO-ENTITIES", THWART)
static void deep_nesting_refused(void **state)
{
    struct strbuf doc = STRBUF_INIT;
    struct results r = RESULTS_INIT;

    (void)state;
    for (int i = 0; i < 256; i++)
        sb_adds(&doc, "<testsuite name='s'>\n");
    sb_adds(&doc, "<testcase name='deep'/>\n");
    parse_bad(doc.buf, doc.len, 257, "more than 256 levels");

    /* 256 levels are fine. */
    sb_release(&doc);
    for (int i = 0; i < 255; i++)
        sb_adds(&doc, "<testsuite name='s'>");
    sb_adds(&doc, "<testcase name='deep'/>");
    for (int i = 0; i < 255; i++)
        sb_adds(&doc, "</testsuite>");
    parse_ok("deep.xml", doc.buf, 1, &r);
    assert_int_equal(r.count, 1);
    results_release(&r);
    sb_release(&doc);
}

static void malformed(void **state)
{
    static const char truncated[] = "<testsuites>\n<testsuite name='s'>\n"
                                    "<testcase name='a'/>\n<testcase na";
    static const char not_xml[] = "PASS: all tests\n";
    static const char html[] = "<html>\n<body/></html>\n";
    static const char nameless[] = "<testsuite>\n<testcase name='a'/>\n"
                                   "<testcase classname='c'/>\n"
                                   "<testcase name=''/>\n</testsuite>\n";
    static const char bad_time[] = "<testsuite>\n<testcase name='a' "
                                   "time='fast'/>\n</testsuite>\n";
    static const char negative[] = "<testsuite><testcase name='a' "
                                   "time='-1'/></testsuite>";
    static const char huge[] = "<testsuite><testcase name='a' "
                               "time='1e999'/></testsuite>";
    static const char nested[] = "<testsuite>\n<testcase name='a'>\n"
                                 "<testcase name='b'/></testcase>"
                                 "</testsuite>\n";
    static const char mismatch[] = "<testsuite>\n<testcase name='a'>\n"
                                   "</testsuite>\n";
    struct mt_errors errs = MT_ERRORS_INIT;
    struct results r = RESULTS_INIT;

    (void)state;
    parse_bad(truncated, strlen(truncated), 4, "malformed XML");
    parse_bad(not_xml, strlen(not_xml), 1, "malformed XML: start tag");
    parse_bad(html, strlen(html), 1, "root element is <html>");
    parse_bad(nameless, strlen(nameless), 3, "testcase has no name");
    parse_bad(bad_time, strlen(bad_time), 2, "'fast', which is not a number");
    parse_bad(negative, strlen(negative), 1, "not a number");
    parse_bad(huge, strlen(huge), 1, "not a number");
    parse_bad(nested, strlen(nested), 3, "<testcase> inside a <testcase>");
    parse_bad(mismatch, strlen(mismatch), 3, "malformed XML");
    parse_bad("", 0, 1, "file is empty");
    parse_bad("   \n", 4, 0, "malformed XML");

    /* Both nameless test cases are reported. */
    assert_int_equal(
            results_parse("n.xml", nameless, strlen(nameless), 1, &r, &errs),
            -1);
    assert_int_equal(errs.count, 2);
    assert_int_equal(errs.items[1].pos.line, 4);
    mt_errors_release(&errs);
    results_release(&r);
}

static void files_on_disk(void **state)
{
    char path[] = "/tmp/test_results_XXXXXX";
    struct mt_errors errs = MT_ERRORS_INIT;
    struct results r = RESULTS_INIT;
    int fd = mkstemp(path);

    (void)state;
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(results_load(path, 1, &r, &errs), -1);
    assert_int_equal(errs.count, 1);
    assert_non_null(strstr(errs.items[0].message, "file is empty"));
    mt_errors_release(&errs);
    unlink(path);

    assert_int_equal(results_load(path, 1, &r, &errs), -1);
    assert_non_null(strstr(errs.items[0].message, "cannot open"));
    assert_int_equal(r.file_count, 0);
    mt_errors_release(&errs);
    results_release(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(cmocka_sample),
            cmocka_unit_test(ctest_sample),
            cmocka_unit_test(lit_sample),
            cmocka_unit_test(gtest_sample),
            cmocka_unit_test(pytest_sample),
            cmocka_unit_test(unity_sample),
            cmocka_unit_test(shapes),
            cmocka_unit_test(outcomes_and_messages),
            cmocka_unit_test(big_line_numbers),
            cmocka_unit_test(reruns),
            cmocka_unit_test(dotted_names),
            cmocka_unit_test(refused_file_rolls_back),
            cmocka_unit_test(entities_refused),
            cmocka_unit_test(billion_laughs_refused),
            cmocka_unit_test(external_dtd_not_loaded),
            cmocka_unit_test(external_dtd_entities_not_declared),
            cmocka_unit_test(deep_nesting_refused),
            cmocka_unit_test(malformed),
            cmocka_unit_test(files_on_disk),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
