/*
 * import.h: threat models of other tools, read as mitigate models.
 *
 * Three readers turn another tool's file into a struct model (model.h):
 * OWASP Threat Dragon v2 JSON, Open Threat Model (OTM) JSON and
 * Threagile YAML. The model they return is complete and valid as
 * model_load() would check it, so model_write() can write it as a
 * schema-1 threats.yaml that `mitigate lint` accepts.
 *
 * IDs are the source's own where it has one that is a valid mitigate
 * ID, and otherwise derived from it (or from what identifies the item)
 * by a fixed rule, so importing the same file again gives the same IDs.
 * Every threat and mitigation records its origin (tool, source ID, and
 * a note on what was derived or could not be carried over).
 *
 * Each reader works on a buffer, so it can be fuzzed: name only names
 * the text in messages. Errors (the file cannot be imported: malformed,
 * another format, required keys missing, duplicate IDs) go to errs and
 * the reader returns NULL. Warnings (something dropped, a threat whose
 * status needs a person's decision) go to warnings and do not stop it.
 * The caller owns the model and frees it with model_free().
 */
#ifndef MITIGATE_IMPORT_H
#define MITIGATE_IMPORT_H

#include <stddef.h>

#include "model.h"
#include "util.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Larger files are refused unread. */
#define IMPORT_MAX_SIZE ((size_t)64 << 20)

enum import_format {
    IMPORT_THREAT_DRAGON,
    IMPORT_OTM,
    IMPORT_THREAGILE,
    IMPORT_FORMAT_COUNT
};

/* "threat-dragon", "otm", "threagile": the names --from takes. */
extern const char *const import_format_names[IMPORT_FORMAT_COUNT];
int import_format_parse(const char *word);

/* A Threat Dragon v2 model: threats on the cells of its diagrams. */
struct model *import_threat_dragon_parse(const char *buf, size_t len,
                                         const char *name,
                                         struct mt_errors *warnings,
                                         struct mt_errors *errs);

/* An Open Threat Model: threats, mitigations and their instances. */
struct model *import_otm_parse(const char *buf, size_t len, const char *name,
                               struct mt_errors *warnings,
                               struct mt_errors *errs);

/* A Threagile model: individual risk categories and risk tracking. */
struct model *import_threagile_parse(const char *buf, size_t len,
                                     const char *name,
                                     struct mt_errors *warnings,
                                     struct mt_errors *errs);

/* The reader for format, on a buffer. */
struct model *import_parse(enum import_format format, const char *buf,
                           size_t len, const char *name,
                           struct mt_errors *warnings, struct mt_errors *errs);

/* Reads the file at path (at most IMPORT_MAX_SIZE bytes) as format. */
struct model *import_load(enum import_format format, const char *path,
                          struct mt_errors *warnings, struct mt_errors *errs);

#ifdef __cplusplus
}
#endif

#endif /* MITIGATE_IMPORT_H */
