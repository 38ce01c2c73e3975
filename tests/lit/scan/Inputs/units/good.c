// A unit that parses.
#include <mitigate.h>

MITIGATES("M-LOCKOUT")
int pin_verify(const char *pin)
{
    return pin[0] == '1';
}
