/*
 * importer.h: what the three importer targets share: one input read
 * in one format, and the model it made written back as YAML.
 */
#ifndef MITIGATE_FUZZ_IMPORTER_H
#define MITIGATE_FUZZ_IMPORTER_H

#include <stddef.h>
#include <stdint.h>

#include "import.h"

/* Imports data as format from a file called name; returns 0. */
int fuzz_import(enum import_format format, const char *name,
                const uint8_t *data, size_t size);

#endif /* MITIGATE_FUZZ_IMPORTER_H */
