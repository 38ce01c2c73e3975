/* importer.c: the body of the importer targets (importer.h). */
#include "importer.h"
#include "model.h"

int fuzz_import(enum import_format format, const char *name,
                const uint8_t *data, size_t size)
{
    struct mt_errors warnings = MT_ERRORS_INIT, errs = MT_ERRORS_INIT;
    struct strbuf yaml = STRBUF_INIT;
    struct model *model = import_parse(format, (const char *)data, size, name,
                                       &warnings, &errs);

    if (model)
        model_write(model, &yaml, &errs);
    sb_release(&yaml);
    model_free(model);
    mt_errors_release(&warnings);
    mt_errors_release(&errs);
    return 0;
}
