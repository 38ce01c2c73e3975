/*
 * fuzz_baseline.c: the SARIF baseline reader, the matching of results
 * against it, and the copying of its absent results.
 */
#include <jansson.h>

#include "baseline.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    struct baseline *b =
            baseline_parse("old.sarif", (const char *)data, size, &errs);
    json_t *results;

    if (b) {
        baseline_classify(b, "MT0004", "0123456789abcdef", "", "no test");
        baseline_classify(b, "MB1001", "", "0123456789abcdef:1", "strcpy");
        results = json_array();
        baseline_append_absent(b, results);
        json_decref(results);
    }
    baseline_free(b);
    mt_errors_release(&errs);
    return 0;
}
