/* pin.c: clinician PIN check with lockout. */
#include "pump.h"

#include <string.h>

/* Compares in time independent of where the first difference is. */
static int same_pin(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned char diff = (unsigned char)(la != lb);

    for (size_t i = 0; i < la && i < lb; i++)
        diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0;
}

enum pin_result pin_check(struct pin_state *st, const char *entered,
                          const char *expected, uint64_t now)
{
    if (st->locked_until > now)
        return PIN_LOCKED;
    if (same_pin(entered, expected)) {
        st->failures = 0;
        return PIN_OK;
    }
    if (++st->failures >= PIN_MAX_FAILURES) {
        st->locked_until = now + PIN_LOCKOUT_SECONDS;
        st->failures = 0;
    }
    return PIN_WRONG;
}
