#include <mitigate.h>

MITIGATES("M-1")
int check(int x)
{
    return x > 0;
}

MITIGATION_TEST("M-1", EFFECTIVENESS)
int test_check(void)
{
    return check(1);
}
