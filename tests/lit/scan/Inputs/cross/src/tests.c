// The test unit, listed in the "arguments" form, as Bear writes it.
#include <mitigate.h>

int pin_verify(const char *pin, char *copy);

MITIGATION_TEST("M-LOCKOUT", THWART)
void test_lockout(void)
{
    char copy[8];
    pin_verify("0000", copy);
}
