/* The kind is a macro word, upper case, not the model's spelling. */
#include <mitigate.h>

MITIGATION_TEST("M-LOCKOUT", thwart)
void test_lockout_survives_reboot(void)
{
}
