/* The mitigations: neither holds a banned call itself. */
#include <mitigate.h>

int session_open(const char *user);
void copy_user(char *dst, const char *user);

MITIGATES("M-AUTH")
int auth_login(const char *user, const char *pin)
{
    if (!pin || pin[0] == '\0')
        return -1;
    return session_open(user);
}

MITIGATES("M-LOG")
void log_dose_change(char *record, const char *user)
{
    copy_user(record, user);
}
