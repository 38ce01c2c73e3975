/* fuzz_diff.c: the unified diff reader, and the changed-line lookup. */
#include "diff.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    struct diff d = DIFF_INIT;

    if (diff_parse("changes.diff", (const char *)data, size, &d, &errs) == 0) {
        for (size_t i = 0; i < d.count; i++)
            diff_touches(&d, d.files[i].path, 1);
        diff_touches(&d, "src/pin.c", 12);
    }
    diff_release(&d);
    mt_errors_release(&errs);
    return 0;
}
