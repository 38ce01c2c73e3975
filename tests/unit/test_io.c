/*
 * test_io.c: how mitigate touches files and the terminal when its input
 * is hostile: atomic writes, files named inside inputs, paths in URIs,
 * text quoted back in errors, and running out of memory.
 *
 * Each mitigation of security/threats.yaml is tested three ways (IEC
 * 81001-5-1 5.7.2): EFFECTIVENESS, THWART and SIDE_EFFECT. Files are
 * made in a fresh folder under /tmp for each test.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <mitigate.h>

#include "baseline.h"
#include "untrusted.h"
#include "util.h"

/* Out-of-memory tests ask for absurd sizes: let the sanitizers say no. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}

static char folder[64];

static int make_folder(void **state)
{
    (void)state;
    snprintf(folder, sizeof(folder), "/tmp/mitigate-io.XXXXXX");
    return mkdtemp(folder) ? 0 : -1;
}

static int remove_folder(void **state)
{
    struct strbuf cmd = STRBUF_INIT;
    int rc;

    (void)state;
    sb_addf(&cmd, "rm -rf '%s'", folder);
    rc = system(cmd.buf);
    sb_release(&cmd);
    return rc == 0 ? 0 : -1;
}

/* folder/name, in one of four buffers used in turn. */
static const char *in_folder(const char *name)
{
    static char paths[4][128];
    static unsigned next;
    char *path = paths[next++ % 4];

    snprintf(path, sizeof(paths[0]), "%s/%s", folder, name);
    return path;
}

/* The file's contents, which must be readable. */
static char *contents(const char *path)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    char *text = read_file(path, 1 << 20, NULL, &errs);

    assert_non_null(text);
    return text;
}

/* How many entries folder holds. */
static int entries(void)
{
    struct strbuf cmd = STRBUF_INIT;
    FILE *p;
    int n = -1;

    sb_addf(&cmd, "ls -A '%s' | wc -l", folder);
    p = popen(cmd.buf, "r");
    assert_non_null(p);
    assert_int_equal(fscanf(p, "%d", &n), 1);
    pclose(p);
    sb_release(&cmd);
    return n;
}

/* M-ATOMIC-WRITES */

MITIGATION_TEST("M-ATOMIC-WRITES", EFFECTIVENESS)
static void test_atomic_write_replaces_whole_file(void **state)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    char *text;

    (void)state;
    assert_int_equal(write_file_atomic(in_folder("out"), "old\n", 4, &errs), 0);
    assert_int_equal(write_file_atomic(in_folder("out"), "new\n", 4, &errs), 0);
    text = contents(in_folder("out"));
    assert_string_equal(text, "new\n");
    free(text);
    assert_int_equal(entries(), 1);
}

MITIGATION_TEST("M-ATOMIC-WRITES", THWART)
static void test_atomic_write_never_torn_under_race(void **state)
{
    static char a[65536], b[65536];
    const char *path = in_folder("raced");
    struct mt_errors errs = MT_ERRORS_INIT;
    pid_t writers[4];
    int status;

    (void)state;
    memset(a, 'a', sizeof(a) - 1);
    memset(b, 'b', sizeof(b) - 1);
    assert_int_equal(write_file_atomic(path, a, strlen(a), &errs), 0);
    /* Four processes replace the file as fast as they can while this
       one reads it: every read sees one whole version. */
    for (int w = 0; w < 4; w++) {
        writers[w] = fork();
        assert_true(writers[w] >= 0);
        if (writers[w] == 0) {
            for (int i = 0; i < 200; i++) {
                const char *text = (i + w) % 2 ? a : b;

                if (write_file_atomic(path, text, strlen(text), &errs) < 0)
                    _exit(1);
            }
            _exit(0);
        }
    }
    for (int i = 0; i < 400; i++) {
        char *text = contents(path);

        assert_true(strcmp(text, a) == 0 || strcmp(text, b) == 0);
        free(text);
    }
    for (int w = 0; w < 4; w++) {
        assert_int_equal(waitpid(writers[w], &status, 0), writers[w]);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    assert_int_equal(entries(), 1);
}

MITIGATION_TEST("M-ATOMIC-WRITES", SIDE_EFFECT)
static void test_atomic_write_failure_keeps_old_file(void **state)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    char *text;

    (void)state;
    /* A write that cannot finish (the target is a folder) removes its
       temporary file and leaves the other files alone. */
    assert_int_equal(write_file_atomic(in_folder("keep"), "kept\n", 5, &errs),
                     0);
    assert_int_equal(mkdir(in_folder("dir"), 0700), 0);
    assert_int_equal(write_file_atomic(in_folder("dir"), "x", 1, &errs), -1);
    assert_int_equal(errs.count, 1);
    text = contents(in_folder("keep"));
    assert_string_equal(text, "kept\n");
    free(text);
    assert_int_equal(entries(), 2);
    mt_errors_release(&errs);
}

/* M-REGULAR-FILES */

MITIGATION_TEST("M-REGULAR-FILES", EFFECTIVENESS)
static void test_regular_file_read_device_refused(void **state)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    char hex[65];

    (void)state;
    assert_null(read_regular_file("/dev/zero", 1 << 20, NULL, &errs));
    assert_string_equal(errs.items[0].message,
                        "cannot open: not a regular file");
    assert_int_equal(sha256_file("/dev/zero", hex), -1);
    assert_int_equal(xxh128_file("/dev/zero", hex), -1);
    assert_null(read_regular_file(folder, 1 << 20, NULL, &errs));
    assert_int_equal(errs.count, 2);
    mt_errors_release(&errs);
}

MITIGATION_TEST("M-REGULAR-FILES", THWART)
static void test_regular_file_fifo_does_not_block(void **state)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    const char *fifo = in_folder("fifo");
    char hex[65];

    (void)state;
    /* Opening a FIFO that no one writes to would wait for ever; the
       test would hang rather than fail if it did. A symbolic link to
       it is no way around. */
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(symlink(fifo, in_folder("link")), 0);
    assert_null(read_regular_file(fifo, 1 << 20, NULL, &errs));
    assert_null(read_regular_file(in_folder("link"), 1 << 20, NULL, &errs));
    assert_int_equal(sha256_file(fifo, hex), -1);
    assert_int_equal(xxh128_file(fifo, hex), -1);
    assert_int_equal(errs.count, 2);
    assert_string_equal(errs.items[1].message,
                        "cannot open: not a regular file");
    mt_errors_release(&errs);
}

MITIGATION_TEST("M-REGULAR-FILES", SIDE_EFFECT)
static void test_regular_file_reads_files_and_links(void **state)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    size_t len = 99;
    char *text;
    char hex[65];

    (void)state;
    assert_int_equal(
            write_file_atomic(in_folder("src.c"), "int x;\n", 7, &errs), 0);
    assert_int_equal(symlink(in_folder("src.c"), in_folder("alias.c")), 0);
    text = read_regular_file(in_folder("alias.c"), 1 << 20, &len, &errs);
    assert_non_null(text);
    assert_int_equal(len, 7);
    free(text);
    assert_int_equal(sha256_file(in_folder("src.c"), hex), 0);
    assert_int_equal(xxh128_file(in_folder("src.c"), hex), 0);
    assert_int_equal(write_file_atomic(in_folder("empty"), "", 0, &errs), 0);
    text = read_regular_file(in_folder("empty"), 1 << 20, &len, &errs);
    assert_int_equal(len, 0);
    free(text);
    assert_int_equal(errs.count, 0);
}

/* M-URI-PATHS */

/* path_absolute(path), which must be want. */
static void expect_absolute(const char *path, const char *want)
{
    char *abs = path_absolute(path);

    assert_string_equal(abs, want);
    free(abs);
}

MITIGATION_TEST("M-URI-PATHS", EFFECTIVENESS)
static void test_paths_normalised_before_made_relative(void **state)
{
    char *abs;

    (void)state;
    expect_absolute("/no/such/../../etc/./passwd", "/etc/passwd");
    expect_absolute("/no/such/../../../../../x", "/x");
    expect_absolute("/no//such///x", "/no/such/x");
    abs = path_absolute("/src/pump/../../etc/passwd");
    assert_null(path_below(abs, "/src/pump"));
    free(abs);
    assert_string_equal(path_below("/src/pump/a.c", "/src/pump"), "a.c");
    assert_string_equal(path_below("/src/pump/a.c", "/src/pump/"), "a.c");
    assert_null(path_below("/src/pumpkin/a.c", "/src/pump"));
    assert_null(path_below("/src/pump", "/src/pump"));
}

/* By text alone, against a base folder, links kept as named. */
static void expect_lexical(const char *path, const char *base, const char *want)
{
    char *got = path_lexical(path, base);

    assert_string_equal(got, want);
    free(got);
}

static void test_paths_lexical(void **state)
{
    (void)state;
    expect_lexical("../tools/./bin//gcc", "/src/build", "/src/tools/bin/gcc");
    expect_lexical("/opt/gcc/bin/../../../tmp/x", "/src", "/tmp/x");
    expect_lexical("/../../x", "/src", "/x");
    expect_lexical("..", "/", "/");
    /* /proc/self/cwd is a link: kept, where realpath() would follow it. */
    expect_lexical("cwd/x", "/proc/self", "/proc/self/cwd/x");
}

/* A baseline whose one absent result is at artifact location json. */
static struct baseline *baseline_at(const char *location,
                                    struct mt_errors *errs)
{
    struct strbuf log = STRBUF_INIT;
    struct baseline *b;

    sb_addf(&log,
            "{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": "
            "{\"name\": \"mitigate\"}}, \"results\": [{\"ruleId\": "
            "\"MT0004\", \"message\": {\"text\": \"m\"}, \"locations\": "
            "[{\"physicalLocation\": {\"artifactLocation\": %s}}]}]}]}",
            location);
    b = baseline_parse("old.sarif", log.buf, log.len, errs);
    sb_release(&log);
    return b;
}

MITIGATION_TEST("M-URI-PATHS", THWART)
static void test_baseline_path_tricks_refused(void **state)
{
    static const char *const tricks[] = {
            "{\"uri\": \"../../etc/passwd\", \"uriBaseId\": \"SRCROOT\"}",
            "{\"uri\": \"src/%2E%2E/%2e%2e/x\", \"uriBaseId\": \"SRCROOT\"}",
            "{\"uri\": \"src/.\", \"uriBaseId\": \"SRCROOT\"}",
            "{\"uri\": \"/etc/passwd\", \"uriBaseId\": \"SRCROOT\"}",
            "{\"uri\": \"src\\\\..\\\\x\", \"uriBaseId\": \"SRCROOT\"}",
            "{\"uri\": \"src/%0a.c\", \"uriBaseId\": \"SRCROOT\"}",
            "{\"uri\": \"src/%zz.c\", \"uriBaseId\": \"SRCROOT\"}",
            "{\"uri\": \"a.c\", \"uriBaseId\": \"HOME\"}",
            "{\"uri\": \"file:///src/../etc/passwd\"}",
            "{\"uri\": \"file://host/share/a.c\"}",
            "{\"uri\": \"https://example.com/a.c\"}",
            "{\"uri\": \"javascript:alert(1)\"}",
            "{\"uri\": \"a.c\"}",
            "{\"uriBaseId\": \"SRCROOT\"}",
    };

    (void)state;
    for (size_t i = 0; i < sizeof(tricks) / sizeof(*tricks); i++) {
        struct mt_errors errs = MT_ERRORS_INIT;

        if (baseline_at(tricks[i], &errs))
            fail_msg("accepted %s", tricks[i]);
        assert_non_null(strstr(errs.items[0].message, "artifact location"));
        mt_errors_release(&errs);
    }
}

MITIGATION_TEST("M-URI-PATHS", SIDE_EFFECT)
static void test_baseline_own_locations_accepted(void **state)
{
    static const char *const own[] = {
            "{\"uri\": \"src/pin.c\", \"uriBaseId\": \"SRCROOT\"}",
            "{\"uri\": \"src/a%20b/%C3%A9.c\", \"uriBaseId\": \"SRCROOT\"}",
            "{\"uri\": \"src/..x/x..\", \"uriBaseId\": \"SRCROOT\"}",
            "{\"uri\": \"file:///usr/include/string.h\"}",
    };

    (void)state;
    for (size_t i = 0; i < sizeof(own) / sizeof(*own); i++) {
        struct mt_errors errs = MT_ERRORS_INIT;
        struct baseline *b = baseline_at(own[i], &errs);

        if (!b)
            fail_msg("refused %s: %s", own[i], errs.items[0].message);
        baseline_free(b);
    }
}

/* M-PRINTABLE */

/* s as sb_add_printable() shows it, which must be want. */
static void expect_printable(const char *s, const char *want)
{
    struct strbuf sb = STRBUF_INIT;

    sb_add_printable(&sb, s);
    assert_string_equal(sb_str(&sb), want);
    sb_release(&sb);
}

MITIGATION_TEST("M-PRINTABLE", EFFECTIVENESS)
static void test_printable_escapes_controls(void **state)
{
    (void)state;
    expect_printable("a\x1b[2Jb", "a\\x1b[2Jb");
    expect_printable("line\rover\nnext\a", "line\\x0dover\\x0anext\\x07");
    expect_printable("tab\there\x7f", "tab\\x09here\\x7f");
}

MITIGATION_TEST("M-PRINTABLE", THWART)
static void test_printable_escapes_c1_and_invalid_utf8(void **state)
{
    (void)state;
    /* CSI as the C1 character U+009B, as a lone byte, and overlong. */
    expect_printable("\xc2\x9b"
                     "2J",
                     "\\xc2\\x9b2J");
    expect_printable("\x9b"
                     "2J",
                     "\\x9b2J");
    expect_printable("\xc0\x9b", "\\xc0\\x9b");
    expect_printable("\xe0\x80\x9b", "\\xe0\\x80\\x9b");
    /* A sequence cut short, and a surrogate. */
    expect_printable("\xe2\x82", "\\xe2\\x82");
    expect_printable("\xed\xa0\x80", "\\xed\\xa0\\x80");
}

MITIGATION_TEST("M-PRINTABLE", SIDE_EFFECT)
static void test_printable_keeps_text(void **state)
{
    (void)state;
    expect_printable("M-AUTH-1: 'é' \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x94\x92",
                     "M-AUTH-1: 'é' \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x94\x92");
    expect_printable("\xc4\x9b", "\xc4\x9b"); /* a 0x9b trailing byte */
    expect_printable("", "");
}

/* M-PLUGIN-CONTAINED: the core's side, the way out of memory ends. */

static jmp_buf out;
static size_t asked;

static void back_to_test(size_t size)
{
    asked = size;
    longjmp(out, 1);
}

MITIGATION_TEST("M-PLUGIN-CONTAINED", EFFECTIVENESS)
static void test_out_of_memory_goes_to_handler(void **state)
{
    (void)state;
    asked = 0;
    mt_set_out_of_memory_handler(back_to_test);
    if (setjmp(out) == 0) {
        free(xmalloc(SIZE_MAX / 2));
        fail_msg("an impossible allocation returned");
    }
    mt_set_out_of_memory_handler(NULL);
    assert_int_equal(asked, SIZE_MAX / 2);
}

MITIGATION_TEST("M-PLUGIN-CONTAINED", THWART)
static void test_out_of_memory_overflow_not_short(void **state)
{
    static volatile size_t count = SIZE_MAX / 8 + 2;
    void *volatile items = NULL;
    size_t alloc = 0;

    (void)state;
    /* A count times a size that wraps must not give a short buffer. */
    mt_set_out_of_memory_handler(back_to_test);
    if (setjmp(out) == 0) {
        free(xcalloc(count, 16));
        fail_msg("an overflowing calloc returned");
    }
    if (setjmp(out) == 0) {
        grow_array((void *)&items, &alloc, count, 16);
        fail_msg("an overflowing array grew");
    }
    mt_set_out_of_memory_handler(NULL);
    free(items);
}

MITIGATION_TEST("M-PLUGIN-CONTAINED", SIDE_EFFECT)
static void test_out_of_memory_handler_idle_otherwise(void **state)
{
    char *p;

    (void)state;
    asked = 0;
    mt_set_out_of_memory_handler(back_to_test);
    if (setjmp(out) == 0) {
        p = xmalloc(0);
        free(p);
        p = xcalloc(0, 0);
        free(p);
        p = xstrdup("pump");
        free(p);
    }
    mt_set_out_of_memory_handler(NULL);
    assert_int_equal(asked, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name)                                                                \
    cmocka_unit_test_setup_teardown(name, make_folder, remove_folder)
            T(test_atomic_write_replaces_whole_file),
            T(test_atomic_write_never_torn_under_race),
            T(test_atomic_write_failure_keeps_old_file),
            T(test_regular_file_read_device_refused),
            T(test_regular_file_fifo_does_not_block),
            T(test_regular_file_reads_files_and_links),
            T(test_paths_normalised_before_made_relative),
            T(test_paths_lexical),
            T(test_baseline_path_tricks_refused),
            T(test_baseline_own_locations_accepted),
            T(test_printable_escapes_controls),
            T(test_printable_escapes_c1_and_invalid_utf8),
            T(test_printable_keeps_text),
            T(test_out_of_memory_goes_to_handler),
            T(test_out_of_memory_overflow_not_short),
            T(test_out_of_memory_handler_idle_otherwise),
#undef T
    };

    return cmocka_run_group_tests_name("io", tests, NULL, NULL);
}
