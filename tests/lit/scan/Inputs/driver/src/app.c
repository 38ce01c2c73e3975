// Parses only when the C library's folder, which only the compiler
// knows, is searched after clang's own headers.
#include <string.h>

#ifndef NEWLIB_STRING_H
#error "newlib's string.h was not found"
#endif

void app_name(char *out) { strcpy(out, "pump"); }
