#include "api.h"

MITIGATION_TEST("M-LOCKOUT", EFFECTIVENESS)
int test_correct_pin_accepted(void)
{
    return pin_verify("1234") == 0;
}
