/* The translation unit whose facts the hostile inputs are checked with. */
#include <mitigate.h>

MITIGATES("M-LOCKOUT")
int pin_verify(const char *pin)
{
    return pin && pin[0] == '4';
}

MITIGATION_TEST("M-LOCKOUT", EFFECTIVENESS)
void test_pin_accepted(void)
{
    (void)pin_verify("4321");
}

MITIGATION_TEST("M-LOCKOUT", THWART)
void test_pin_guess_refused(void)
{
    (void)pin_verify("0000");
}

MITIGATION_TEST("M-LOCKOUT", SIDE_EFFECT)
void test_pin_empty_refused(void)
{
    (void)pin_verify("");
}
