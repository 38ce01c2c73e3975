/* fuzz_policy.c: the policy reader (policy.yaml). */
#include "fuzz.h"
#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mt_errors errs = MT_ERRORS_INIT;

    policy_free(policy_parse("policy.yaml", (const char *)data, size, &errs));
    mt_errors_release(&errs);
    return 0;
}
