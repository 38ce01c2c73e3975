/* fuzz_import_otm.c: Open Threat Model JSON, imported and written. */
#include "fuzz.h"
#include "importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_import(IMPORT_OTM, "model.json", data, size);
}
