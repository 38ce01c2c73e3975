/*
 * Included twice by once.c on purpose, so it has no include guard: each
 * annotation here is one written annotation and must warn once.
 */
#include <mitigate.h>

MITIGATES("M-LOCKOUTT")
int from_header(void);

MITIGATES("")
int malformed_from_header(void);
