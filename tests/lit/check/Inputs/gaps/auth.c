#include <mitigate.h>

static int failures;

MITIGATES("M-LOCKOUT")
int pin_verify(const char *pin)
{
    if (failures >= 5)
        return -1;
    return pin[0] == '1' ? 0 : (failures++, -1);
}

MITIGATES("M-LOCKOUTT")
int pin_reset(void)
{
    failures = 0;
    return 0;
}

__attribute__((annotate("mitigate:mitigates:")))
int pin_status(void)
{
    return failures;
}
