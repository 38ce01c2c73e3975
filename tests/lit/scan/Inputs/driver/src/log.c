#include <string.h>

size_t log_length(const char *line) { return strlen(line); }
