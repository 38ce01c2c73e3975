/* fuzz_import_threagile.c: Threagile YAML, imported and written. */
#include "fuzz.h"
#include "importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_import(IMPORT_THREAGILE, "model.yaml", data, size);
}
