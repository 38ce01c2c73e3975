#include "auth.h"

static int failures;

/* The annotation is on the declaration in auth.h and here: it counts once. */
MITIGATES("M-LOCKOUT")
int pin_verify(const char *pin)
{
    if (failures >= 5)
        return -1;
    return pin[0] == '1' ? 0 : (failures++, -1);
}

MITIGATE_ALLOW("MB1001", "the name is copied into a buffer sized for it")
void pin_label(char *dst)
{
    dst[0] = 'P';
}

int vendor_ble_pair_check(int peer);

int pair(int peer)
{
    return vendor_ble_pair_check(peer);
}
