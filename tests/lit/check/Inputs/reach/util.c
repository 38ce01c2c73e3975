#include <stdio.h>
#include <string.h>

#include <mitigate.h>

void copy_name(char *dst, const char *src)
{
    strcpy(dst, src);
}

MITIGATE_ALLOW("MB1003", "the buffer holds any int: 12 bytes are enough")
static void format_count(char *buf, int n)
{
    sprintf(buf, "%d", n);
}

void log_attempt(const char *who)
{
    char count[12];

    format_count(count, 1);
    puts(who);
    puts(count);
}

void unreached(char *dst, const char *src)
{
    strcat(dst, src);
}
