#include <mitigate.h>

int pin_verify(const char *pin);

typedef int (*check_fn)(const char *);

MITIGATION_TEST("M-LOCKOUT", THWART)
int test_that_calls_nothing(void)
{
    return 1;
}

MITIGATION_TEST("M-LOCKOUT", EFFECTIVENESS)
int test_through_a_table(check_fn check)
{
    return check("1234");
}

MITIGATION_TEST("M-LOCKOUT", SIDE_EFFECT)
int test_direct(void)
{
    return pin_verify("1234");
}
