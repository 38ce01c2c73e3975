/* fuzz_import_threagile.c: Threagile YAML, imported and written. */
#include "fuzz.h"
#include "import.h"
#include "model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mt_errors warnings = MT_ERRORS_INIT, errs = MT_ERRORS_INIT;
    struct strbuf yaml = STRBUF_INIT;
    struct model *model = import_parse(IMPORT_THREAGILE, (const char *)data,
                                       size, "model.yaml", &warnings, &errs);

    if (model)
        model_write(model, &yaml, &errs);
    sb_release(&yaml);
    model_free(model);
    mt_errors_release(&warnings);
    mt_errors_release(&errs);
    return 0;
}
