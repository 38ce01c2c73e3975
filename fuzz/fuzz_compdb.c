/*
 * fuzz_compdb.c: compile_commands.json as `mitigate scan` reads it, and
 * each command turned into libclang's arguments.
 */
#include "fuzz.h"
#include "scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    struct compile_db db;
    struct scan_flags flags;

    scan_flags_init(&flags);
    if (compdb_parse("compile_commands.json", (const char *)data, size, &db,
                     &errs) == 0)
        for (size_t i = 0; i < db.count; i++) {
            struct scan_args args;

            scan_args_make(&db.items[i], NULL, 0, NULL, &flags, &args);
            scan_args_is_cxx(&db.items[i]);
            scan_args_release(&args);
        }
    compdb_release(&db);
    scan_flags_release(&flags);
    mt_errors_release(&errs);
    return 0;
}
