/*
 * A static helper that -O2 inlines into its only caller: without its
 * annotation the object file has no copy of it and no symbol for it.
 */
#include <mitigate.h>

MITIGATES("M-LOCKOUT")
static int lockout_engaged(int failures)
{
    return failures >= 5;
}

MITIGATE_ALLOW("MB1001", "only compares integers")
int pin_allowed(int failures)
{
    return !lockout_engaged(failures);
}
