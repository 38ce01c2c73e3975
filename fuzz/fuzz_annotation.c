/*
 * fuzz_annotation.c: the reader of the strings mitigate.h writes into
 * `annotate` attributes, which come from any header a unit includes.
 */
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    struct facts_annotation ann;
    const char *reason = NULL;

    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    if (facts_parse_annotation(text, &ann, &reason) == 1) {
        free(ann.id);
        free(ann.justification);
    }
    free(text);
    return 0;
}
