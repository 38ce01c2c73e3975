/*
 * fuzz_suppressions.c: the suppressions file reader, and the lookup of
 * a finding in what it read.
 */
#include "fuzz.h"
#include "policy.h"
#include "suppress.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    struct policy *policy = policy_default();
    struct suppressions *set = suppressions_parse(
            "suppressions.yaml", (const char *)data, size, policy, &errs);

    if (set) {
        suppressions_find(set, "MB1001", "copy_name", "src/a.c", 20000);
        suppressions_find(set, "MB1007", NULL, "third_party/x/y.c", 20000);
    }
    suppressions_free(set);
    policy_free(policy);
    mt_errors_release(&errs);
    return 0;
}
