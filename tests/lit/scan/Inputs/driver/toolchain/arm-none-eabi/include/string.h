/* The C library's string.h, as newlib installs it for a cross GCC. */
#ifndef NEWLIB_STRING_H
#define NEWLIB_STRING_H 1
#include <stddef.h>
char *strcpy(char *dst, const char *src);
size_t strlen(const char *s);
#endif
