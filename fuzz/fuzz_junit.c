/*
 * fuzz_junit.c: the JUnit XML reader (libxml2 with entities and the
 * network off), and the lookup of a test's result.
 */
#include "fuzz.h"
#include "results.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    struct results r = RESULTS_INIT;
    size_t runs;

    if (results_parse("junit.xml", (const char *)data, size, 1, &r, &errs) ==
        0) {
        results_find(&r, "suite.test_pin_lockout", &runs);
        results_find(&r, "tests/pin.py::test_lockout", &runs);
    }
    results_release(&r);
    mt_errors_release(&errs);
    return 0;
}
