#include "api.h"

typedef int (*pin_check)(const char *pin);

static int failures;

int zz_defined_first(void)
{
    return failures;
}

MITIGATES("M-LOCKOUT")
int pin_verify(const char *pin)
{
    return pin[0] == '1' ? 0 : (failures++, -1);
}

static int count_attempt(int n)
{
    return n + 1;
}

MITIGATE_ALLOW("MB1001", "dst is sized by the caller: see pump.h")
int dispatch(pin_check check, const char *pin)
{
    pin_check keep = pin_verify;
    return check(pin) + count_attempt(1) + keep(pin);
}

    MITIGATION_TEST("M-LOCKOUT", THWART)
MITIGATE_ALLOW("MB1002",
               "spans two lines")
int aa_defined_last(void)
{
    return pin_verify("0000");
}

MITIGATES("M-RATE-LIMIT")
int declared_only(int n);
