/* The pump's PIN lockout, named by the mitigation an import made. */
#include <mitigate.h>

MITIGATES("M-0b6e1d52-4c1e-4c1b-9a51-7d0f3c2e9a10")
int pin_lockout(int failures) { return failures >= 5; }

MITIGATION_TEST("M-0b6e1d52-4c1e-4c1b-9a51-7d0f3c2e9a10", EFFECTIVENESS)
void test_lockout(void) { (void)pin_lockout(5); }

MITIGATION_TEST("M-0b6e1d52-4c1e-4c1b-9a51-7d0f3c2e9a10", THWART)
void test_lockout_survives_reboot(void) { (void)pin_lockout(6); }

MITIGATION_TEST("M-0b6e1d52-4c1e-4c1b-9a51-7d0f3c2e9a10", SIDE_EFFECT)
void test_lockout_keeps_infusing(void) { (void)pin_lockout(0); }
