/* fuzz_model.c: the threat model reader (threats.yaml). */
#include "fuzz.h"
#include "model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    struct model *model =
            model_parse("threats.yaml", (const char *)data, size, &errs);

    if (model && model->mitigation_count) {
        model_find_mitigation(model, model->mitigations[0].id);
        model_suggest_mitigation(model, "M-AUTH-2");
    }
    model_free(model);
    mt_errors_release(&errs);
    return 0;
}
