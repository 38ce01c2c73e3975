/*
 * results.h: test results, read from JUnit XML files.
 *
 * `mitigate check --results` joins each linked test with its outcome.
 * This module reads the JUnit XML that test tools write (cmocka, CTest,
 * lit, GoogleTest, pytest, Unity/Ceedling and others) into one flat list
 * of test results, and finds the result of a test by name.
 *
 * Reading is hostile-input safe: libxml2 parses with network access,
 * DTD loading and entity substitution off, and the reader refuses a
 * document that declares an entity or refers to one that XML does not
 * predefine, so entity bombs and external entities are errors, not
 * work. Files over 64 MiB and elements nested deeper than 256 levels
 * are refused too. libxml2 prints nothing; its complaints become
 * errors with the file and line.
 *
 * Memory: a struct results owns its items, their strings and the names
 * of the files read; results_release() frees them all. Each item's file
 * points into files[] and lives as long as the struct. Results are kept
 * in the order they were read: file by file, and in document order
 * within a file.
 */
#ifndef MITIGATE_RESULTS_H
#define MITIGATE_RESULTS_H

#include <stddef.h>

#include "util.h"

#ifdef __cplusplus
extern "C" {
#endif

enum test_outcome {
    OUTCOME_PASSED,
    OUTCOME_FAILED, /* an assertion failed (<failure>) */
    OUTCOME_ERROR,  /* the test could not run or crashed (<error>) */
    OUTCOME_SKIPPED /* skipped, disabled, or an expected failure */
};

/* "passed", "failed", "error" or "skipped". */
const char *test_outcome_name(enum test_outcome outcome);

struct test_result {
    char *name;      /* testcase@name, never empty */
    char *classname; /* testcase@classname, or NULL when absent or empty */
    char *suite;     /* the nearest enclosing testsuite@name, or NULL */
    enum test_outcome outcome;
    double seconds; /* testcase@time, or -1 when absent */
    /*
     * Why it failed, errored or was skipped: the first non-blank line of
     * the element's message attribute, or else of its text, trimmed and
     * cut to 512 bytes. NULL when the tool gave no reason.
     */
    char *message;
    const char *file; /* the results file, one of struct results' files */
    unsigned line;    /* where the testcase's start tag ends */
    unsigned order;   /* as given to results_load(): later wins */
    /*
     * testcase@timestamp, or else that of the nearest enclosing
     * testsuite or testsuites that has one; NULL when none does. The
     * epoch that GoogleTest gives a test it did not run counts as none.
     */
    char *timestamp;
};

struct results {
    struct test_result *items;
    size_t count, alloc;
    char **files; /* the files read, in the order they were read */
    size_t file_count, file_alloc;
};

#define RESULTS_INIT                                                           \
    {                                                                          \
        NULL, 0, 0, NULL, 0, 0                                                 \
    }

/* Reading */

/*
 * Reads the JUnit XML in text (len bytes, need not be NUL-terminated)
 * and appends its test results to out, which may already hold the
 * results of other files. name is what error messages and the results'
 * file call the text; order is stored in each result (the position of
 * the file on the command line) so that results_find() prefers later
 * runs.
 *
 * The root is <testsuites> or <testsuite>; test suites may nest; every
 * <testcase> must have a name. A testcase's outcome comes from its
 * <failure>, <error> and <skipped> children (a failure or error
 * outranks a skip; of a failure and an error the first counts) and from
 * GoogleTest's and CTest's status="notrun", result="skipped" or
 * result="suppressed", which mean skipped. Times may use "," as the
 * decimal mark. Unknown elements and attributes are ignored.
 *
 * Returns 0, or -1 after adding errors that name name and the line, in
 * which case out is as it was before the call.
 *
 * Limitation: libxml2 refuses a single CDATA section or attribute value
 * over 10 MB (its limit without XML_PARSE_HUGE), so a test whose failure
 * output is that large makes the whole file unreadable.
 */
int results_parse(const char *name, const char *text, size_t len,
                  unsigned order, struct results *out, struct mt_errors *errs);

/* Reads the JUnit XML file at path, as results_parse(). */
int results_load(const char *path, unsigned order, struct results *out,
                 struct mt_errors *errs);

/* Queries */

/*
 * The result of the test called name, or NULL when no result matches.
 * Tries, in turn, and stops at the first way that matches any result:
 *
 *   1. name is "classname.name" of a result (GoogleTest "Suite.Test",
 *      pytest "module.Class.test");
 *   2. name is the result's name (cmocka and Unity function names);
 *   3. the last component of name equals the last component of the
 *      result's name, components being separated by "::" or "/"
 *      (pytest "test_pin.py::test_lockout", lit "suite :: dir/t.test").
 *
 * When several results match (the test ran more than once, in one file
 * or several), the latest wins: the highest order, then the last read.
 * *runs, unless runs is NULL, is set to how many matched (0 for none).
 *
 * Each call indexes the results first; to look up many names, build
 * the index once with results_index_new().
 *
 * Limitation: a bare name shared by tests of different classes counts
 * them as runs of one test; qualify it as "classname.name" to tell them
 * apart. Each parameter set of a parametrized test (pytest "test_x[1]")
 * is its own result and is found only by its full name.
 */
const struct test_result *results_find(const struct results *r,
                                       const char *name, size_t *runs);

/*
 * An index of results by name, for finding many tests in constant time
 * each. It points into r, which must not change while the index is
 * used; results_index_free() frees it.
 */
struct results_index;

struct results_index *results_index_new(const struct results *r);
/* As results_find(). */
const struct test_result *results_index_find(const struct results_index *ix,
                                             const char *name, size_t *runs);
void results_index_free(struct results_index *ix);

void results_release(struct results *r);

#ifdef __cplusplus
}
#endif

#endif /* MITIGATE_RESULTS_H */
