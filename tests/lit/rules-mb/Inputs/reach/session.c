/* Helpers in another unit: one reached by both mitigations, one by none. */
#include <string.h>

void copy_user(char *dst, const char *user)
{
    strcpy(dst, user);
}

int session_open(const char *user)
{
    char name[32];

    copy_user(name, user);
    return name[0] != '\0';
}

/* Called by nothing. */
void legacy_copy(char *dst, const char *src)
{
    strcpy(dst, src);
}
