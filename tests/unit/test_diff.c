/*
 * test_diff.c: reading unified diffs into the lines a change touches.
 *
 * The fixtures in tests/fixtures/diff come from real `git diff` runs
 * (gen.sh makes them): the same change with three lines of context,
 * with none, without prefixes, with mnemonic prefixes and with CRLF line
 * ends must all give the same touched lines. Malformed diffs are inline.
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

#include "diff.h"
#include "util.h"

/* Reads text, which must be a valid diff. */
static void parse_ok(const char *text, struct diff *d)
{
    struct mt_errors errs = MT_ERRORS_INIT;

    memset(d, 0, sizeof(*d));
    if (diff_parse("test.diff", text, strlen(text), d, &errs) != 0)
        mt_errors_print(&errs, "test_diff");
    assert_int_equal(errs.count, 0);
    mt_errors_release(&errs);
}

/* Reads text, which must fail at line with a message holding part. */
static void parse_bad(const char *text, unsigned line, const char *part)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    struct diff d = DIFF_INIT;

    assert_int_equal(diff_parse("test.diff", text, strlen(text), &d, &errs),
                     -1);
    assert_int_equal(errs.count, 1);
    assert_string_equal(errs.items[0].file, "test.diff");
    assert_int_equal(errs.items[0].pos.line, line);
    if (!strstr(errs.items[0].message, part))
        fail_msg("message '%s' lacks '%s'", errs.items[0].message, part);
    assert_int_equal(d.count, 0);
    assert_null(d.files);
    mt_errors_release(&errs);
}

/* Checks that file i of d is path with the ranges first-last pairs. */
static void expect_file(const struct diff *d, size_t i, const char *path,
                        size_t count, ...)
{
    va_list ap;

    assert_true(i < d->count);
    assert_string_equal(d->files[i].path, path);
    assert_int_equal(d->files[i].count, count);
    va_start(ap, count);
    for (size_t r = 0; r < count; r++) {
        assert_int_equal(d->files[i].ranges[r].first, va_arg(ap, unsigned));
        assert_int_equal(d->files[i].ranges[r].last, va_arg(ap, unsigned));
    }
    va_end(ap);
}

/*
 * The change gen.sh makes, whatever the diff's form. Deleted, binary,
 * mode-only and pure-rename files touch no line, so they are not listed.
 */
static void expect_fixture_change(const struct diff *d)
{
    assert_int_equal(d->count, 6);
    expect_file(d, 0, "src/crlf.c", 1, 2u, 2u);
    expect_file(d, 1, "src/my file.c", 1, 1u, 2u);
    expect_file(d, 2, "src/new_name.c", 1, 5u, 5u);
    expect_file(d, 3, "src/nonl.c", 1, 2u, 3u);
    expect_file(d, 4, "src/pump.c", 3, 3u, 3u, 11u, 12u, 26u, 27u);
    expect_file(d, 5, "src/say \"hi\" caf\303\251.c", 1, 1u, 1u);

    /* Context lines and the lines around a deletion are not touched. */
    assert_int_equal(diff_touches(d, "src/pump.c", 2), 0);
    assert_int_equal(diff_touches(d, "src/pump.c", 3), 1);
    assert_int_equal(diff_touches(d, "src/pump.c", 4), 0);
    assert_int_equal(diff_touches(d, "src/pump.c", 10), 0);
    assert_int_equal(diff_touches(d, "src/pump.c", 12), 1);
    assert_int_equal(diff_touches(d, "src/pump.c", 21), 0);
    assert_int_equal(diff_touches(d, "src/pump.c", 22), 0);
    assert_int_equal(diff_touches(d, "./src/pump.c", 27), 1);
    assert_int_equal(diff_touches(d, "src/pump.c", 28), 0);
    assert_int_equal(diff_touches(d, "src/old_name.c", 5), 0);
    assert_int_equal(diff_touches(d, "src/gone.c", 1), 0);
    assert_int_equal(diff_touches(d, "docs/logo.bin", 1), 0);
    assert_int_equal(diff_touches(d, "src/moved_too.c", 1), 0);
    assert_int_equal(diff_touches(d, "pump.c", 3), 0);
}

static void load_fixture(const char *name, struct diff *d)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    char path[512];

    snprintf(path, sizeof(path), "%s/%s", DIFF_FIXTURES_DIR, name);
    memset(d, 0, sizeof(*d));
    if (diff_load(path, d, &errs) != 0)
        mt_errors_print(&errs, "test_diff");
    assert_int_equal(errs.count, 0);
    mt_errors_release(&errs);
}

static void git_diff_forms(void **state)
{
    static const char *const forms[] = {
            "changes.diff",          "changes-u0.diff",
            "changes-noprefix.diff", "changes-mnemonic.diff",
            "changes-crlf.diff",
    };

    (void)state;
    for (size_t i = 0; i < sizeof(forms) / sizeof(*forms); i++) {
        struct diff d;

        load_fixture(forms[i], &d);
        expect_fixture_change(&d);
        diff_release(&d);
    }
}

static void empty_diff(void **state)
{
    struct diff d;

    (void)state;
    load_fixture("empty.diff", &d);
    assert_int_equal(d.count, 0);
    assert_int_equal(diff_touches(&d, "a.c", 1), 0);
    diff_release(&d);

    parse_ok("\n\n", &d);
    assert_int_equal(d.count, 0);
    diff_release(&d);
}

static void plain_unified_diff(void **state)
{
    struct diff d;

    (void)state;
    /* diff -u: timestamps after a tab, a/ b/ prefixes. */
    parse_ok("--- a/x.c\t2024-01-01 10:00:00.000000000 +0100\n"
             "+++ b/x.c\t2024-01-02 10:00:00.000000000 +0100\n"
             "@@ -1,2 +1,3 @@\n"
             " a\n"
             "-b\n"
             "+c\n"
             "+d\n",
             &d);
    expect_file(&d, 0, "x.c", 1, 2u, 3u);
    diff_release(&d);

    /* Other prefixes than a/ b/ are part of the path. */
    parse_ok("--- orig/x.c\n+++ x.c\n@@ -1 +1 @@\n-a\n+b\n", &d);
    expect_file(&d, 0, "x.c", 1, 1u, 1u);
    diff_release(&d);

    /* An empty line in a hunk is a blank context line. */
    parse_ok("--- a/x.c\n+++ b/x.c\n@@ -1,3 +1,3 @@\n a\n\n-b\n+c\n", &d);
    expect_file(&d, 0, "x.c", 1, 3u, 3u);
    diff_release(&d);
}

static void no_prefix_directory_named_b(void **state)
{
    struct diff d;

    (void)state;
    /* --no-prefix, a new file under a folder named b: keep "b/". */
    parse_ok("diff --git b/x.c b/x.c\n"
             "new file mode 100644\n"
             "--- /dev/null\n"
             "+++ b/x.c\n"
             "@@ -0,0 +1 @@\n"
             "+int x;\n",
             &d);
    expect_file(&d, 0, "b/x.c", 1, 1u, 1u);
    diff_release(&d);

    /* The same with prefixes. */
    parse_ok("diff --git a/b/x.c b/b/x.c\n"
             "new file mode 100644\n"
             "--- /dev/null\n"
             "+++ b/b/x.c\n"
             "@@ -0,0 +1 @@\n"
             "+int x;\n",
             &d);
    expect_file(&d, 0, "b/x.c", 1, 1u, 1u);
    diff_release(&d);
}

static void patch_mail_and_repeats(void **state)
{
    struct diff d;

    (void)state;
    /* git format-patch: mail headers, a diffstat and a signature. */
    parse_ok("From 1234 Mon Sep 17 00:00:00 2001\n"
             "Subject: [PATCH] fix\n"
             "---\n"
             " x.c | 2 +-\n"
             "\n"
             "diff --git a/x.c b/x.c\n"
             "index 1..2 100644\n"
             "--- a/x.c\n"
             "+++ b/x.c\n"
             "@@ -7 +7 @@ int f(void)\n"
             "-a\n"
             "+b\n"
             "-- \n"
             "2.39.5\n",
             &d);
    expect_file(&d, 0, "x.c", 1, 7u, 7u);
    diff_release(&d);

    /* A file named twice (diffs pasted together) merges into one. */
    parse_ok("--- a/x.c\n+++ b/x.c\n@@ -9 +9,2 @@\n-a\n+b\n+c\n"
             "--- a/y.c\n+++ b/y.c\n@@ -1 +1 @@\n-a\n+b\n"
             "--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-a\n+b\n"
             "--- a/x.c\n+++ b/x.c\n@@ -8 +8 @@\n-a\n+b\n",
             &d);
    assert_int_equal(d.count, 2);
    expect_file(&d, 0, "x.c", 2, 1u, 1u, 8u, 10u);
    expect_file(&d, 1, "y.c", 1, 1u, 1u);
    diff_release(&d);
}

static void not_a_diff(void **state)
{
    (void)state;
    parse_bad("hello\nworld\n", 1, "not a unified diff");
    parse_bad("@@ -1 +1 @@\n-a\n+b\n", 1, "before any file header");
    parse_bad("diff --git a/x b/x\nbogus\n", 2, "unexpected line 'bogus'");
    parse_bad("diff --git a/x b/x\n--- a/x\nbogus\n", 3, "'+++ '");
    parse_bad("diff --git a/x b/x\n@@ -1 +1 @@\n", 2, "before the '---'");
    parse_bad("diff --cc x.c\n", 1, "combined diffs");
    parse_bad("--- a/x\n+++ \"b/x\n", 2, "malformed quoted path");
    parse_bad("--- a/x\n+++ \"b/\\q\"\n", 2, "malformed quoted path");
    parse_bad("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\nnoise\n", 6,
              "unexpected line 'noise'");
}

static void bad_hunk_headers(void **state)
{
    static const char *const headers[] = {
            "@@ -1,x +1 @@",
            "@@ -1 +1",
            "@@ 1 +1 @@",
            "@@ -1 1 @@",
            "@@ -0,1 +1 @@",
            "@@ -1 +0,2 @@",
            "@@ -1 +99999999999 @@",
            "@@ -1, +1 @@",
            "@@ -1 +1 @",
    };

    (void)state;
    for (size_t i = 0; i < sizeof(headers) / sizeof(*headers); i++) {
        struct strbuf text = STRBUF_INIT;

        sb_addf(&text, "--- a/x\n+++ b/x\n%s\n-a\n+b\n", headers[i]);
        parse_bad(text.buf, 3, "malformed hunk header");
        sb_release(&text);
    }
}

static void hunk_counts_must_match(void **state)
{
    (void)state;
    /* Cut short: at the end of the text, and before the next file. */
    parse_bad("--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n-b\n+c\n", 6,
              "ends inside the hunk at line 3: 1 old and 1 new");
    parse_bad("--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n+c\n"
              "diff --git a/y b/y\n",
              6, "the hunk at line 3 ends early");
    /* Longer than announced. */
    parse_bad("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n+c\n", 6,
              "more lines than its header says");
    parse_bad("--- a/x\n+++ b/x\n@@ -1,2 +1 @@\n-a\n a\n+b\n", 6,
              "more lines than its header says");
}

static void load_missing_file(void **state)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    struct diff d = DIFF_INIT;

    (void)state;
    assert_int_equal(diff_load("/nonexistent/x.diff", &d, &errs), -1);
    assert_int_equal(errs.count, 1);
    assert_string_equal(errs.items[0].file, "/nonexistent/x.diff");
    mt_errors_release(&errs);
}

/* Runs a shell command built from fmt, which must succeed. */
static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void sh(const char *fmt, ...)
{
    struct strbuf cmd = STRBUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    sb_vaddf(&cmd, fmt, ap);
    va_end(ap);
    if (system(cmd.buf) != 0)
        fail_msg("command failed: %s", cmd.buf);
    sb_release(&cmd);
}

static void from_git(void **state)
{
    char repo[] = "/tmp/test_diff.XXXXXX";
    struct mt_errors errs = MT_ERRORS_INIT;
    struct strbuf sub = STRBUF_INIT;
    struct diff d = DIFF_INIT;

    (void)state;
    if (system("git --version >/dev/null 2>&1") != 0)
        skip();
    assert_non_null(mkdtemp(repo));
    /*
     * The repository's configuration asks for everything that would
     * change git diff's output: no prefixes, relative paths, colour.
     */
    sh("cd %s && git init -q && mkdir src && "
       "printf 'a\\nb\\nc\\n' >src/a.c && git add . && "
       "git -c user.name=t -c user.email=t@example.invalid "
       "-c commit.gpgsign=false commit -q -m base && "
       "git config diff.noprefix true && git config diff.relative true && "
       "git config color.diff always && "
       "printf 'a\\nB\\nc\\nd\\n' >src/a.c",
       repo);
    sb_addf(&sub, "%s/src", repo);

    assert_int_equal(diff_from_git(sub.buf, "HEAD", &d, &errs), 0);
    assert_int_equal(errs.count, 0);
    expect_file(&d, 0, "src/a.c", 2, 2u, 2u, 4u, 4u);
    diff_release(&d);

    assert_int_equal(diff_from_git(repo, "no-such-rev", &d, &errs), -1);
    assert_int_equal(errs.count, 1);
    assert_string_equal(errs.items[0].file, repo);
    assert_non_null(strstr(errs.items[0].message, "'git diff no-such-rev' "
                                                  "failed: fatal: "));
    assert_null(strchr(errs.items[0].message, '\n'));
    mt_errors_release(&errs);

    assert_int_equal(diff_from_git(repo, "--output=/tmp/x", &d, &errs), -1);
    assert_non_null(strstr(errs.items[0].message, "not a git revision"));
    mt_errors_release(&errs);

    sh("rm -rf %s", repo);
    sb_release(&sub);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(git_diff_forms),
            cmocka_unit_test(empty_diff),
            cmocka_unit_test(plain_unified_diff),
            cmocka_unit_test(no_prefix_directory_named_b),
            cmocka_unit_test(patch_mail_and_repeats),
            cmocka_unit_test(not_a_diff),
            cmocka_unit_test(bad_hunk_headers),
            cmocka_unit_test(hunk_counts_must_match),
            cmocka_unit_test(load_missing_file),
            cmocka_unit_test(from_git),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
