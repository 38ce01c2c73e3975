/*
 * json_bounded.h: parsing JSON from untrusted files within a memory
 * budget.
 *
 * jansson turns every value into an allocation of its own: an empty
 * object costs it a few hundred bytes, so a file of "{}," repeated can
 * ask for a hundred times its size. json_load_bounded() first counts
 * the objects, arrays and other values in the text, estimates what the
 * parsed document would take, and refuses the text, as jansson refuses
 * a syntax error, when that is over JSON_BOUNDED_MAX_BYTES. Otherwise it
 * parses as json_loadb() with JSON_REJECT_DUPLICATES. SARIF baselines,
 * imported models and compilation databases are read through it.
 *
 * Memory: the caller owns the returned value (json_decref()).
 */
#ifndef MITIGATE_JSON_BOUNDED_H
#define MITIGATE_JSON_BOUNDED_H

#include <jansson.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What the parsed document may take, by the estimate. */
#define JSON_BOUNDED_MAX_BYTES ((size_t)512 << 20)

/*
 * Parses the JSON in text (len bytes, need not be NUL-terminated).
 * Returns the value, or NULL with *error filled as json_loadb() fills
 * it, its line and column where the budget ran out when it did.
 */
json_t *json_load_bounded(const char *text, size_t len, json_error_t *error);

#ifdef __cplusplus
}
#endif

#endif /* MITIGATE_JSON_BOUNDED_H */
