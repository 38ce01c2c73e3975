/* json_bounded.c: JSON parsing within a memory budget (jansson). */
#include "json_bounded.h"

#include <limits.h>
#include <mitigate.h>
#include <stdio.h>
#include <string.h>

/*
 * What jansson allocates, roughly, for an object or an array (the value,
 * its hash table or item table) and for any other value, beyond the
 * bytes of the text itself.
 */
#define CONTAINER_COST 256
#define VALUE_COST 64

/* Fills error as jansson would, at byte offset of text. */
static void refuse(const char *text, size_t offset, json_error_t *error)
{
    int line = 1, column = 0;

    for (size_t i = 0; i < offset; i++) {
        if (text[i] == '\n') {
            line++;
            column = 0;
        } else {
            column++;
        }
    }
    memset(error, 0, sizeof(*error));
    error->line = line;
    error->column = column + 1;
    error->position = offset < (size_t)INT_MAX ? (int)offset : INT_MAX;
    snprintf(error->source, sizeof(error->source), "<buffer>");
    snprintf(error->text, sizeof(error->text),
             "more values than %zu MiB of memory can hold",
             JSON_BOUNDED_MAX_BYTES >> 20);
}

/*
 * The offset at which the estimated cost of the values in text passes
 * the budget, or len when it never does. Strings are skipped, escapes
 * and all; everything else that separates or opens a value counts.
 */
static size_t over_budget_at(const char *text, size_t len)
{
    size_t cost = len;
    int in_string = 0;

    for (size_t i = 0; i < len; i++) {
        char c = text[i];

        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = 0;
            continue;
        }
        if (c == '"')
            in_string = 1;
        if (c == '{' || c == '[')
            cost += CONTAINER_COST;
        else if (c == ',' || c == ':')
            cost += VALUE_COST;
        if (cost > JSON_BOUNDED_MAX_BYTES)
            return i;
    }
    return len;
}

MITIGATES("M-JSON-BUDGET")
json_t *json_load_bounded(const char *text, size_t len, json_error_t *error)
{
    size_t at = over_budget_at(text, len);

    if (at < len) {
        refuse(text, at, error);
        return NULL;
    }
    return json_loadb(text, len, JSON_REJECT_DUPLICATES, error);
}
