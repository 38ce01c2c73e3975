/* A test whose kind is misspelt: no compiler may accept it. */
#include <mitigate.h>

MITIGATION_TEST("M-LOCKOUT", THWARTT)
void test_lockout_survives_reboot(void)
{
}
