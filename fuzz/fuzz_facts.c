/* fuzz_facts.c: the facts file reader (one translation unit's facts). */
#include "facts.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mt_errors errs = MT_ERRORS_INIT;

    facts_tu_free(facts_parse("x.facts", (const char *)data, size, &errs));
    mt_errors_release(&errs);
    return 0;
}
