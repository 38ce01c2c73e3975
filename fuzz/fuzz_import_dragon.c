/* fuzz_import_dragon.c: Threat Dragon v2 JSON, imported and written. */
#include "fuzz.h"
#include "importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_import(IMPORT_THREAT_DRAGON, "model.json", data, size);
}
