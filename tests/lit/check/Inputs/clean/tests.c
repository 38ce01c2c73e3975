#include "auth.h"

int pair(int peer);

MITIGATION_TEST("M-LOCKOUT", EFFECTIVENESS)
int test_correct_pin_accepted(void)
{
    return pin_verify("1234") == 0;
}

MITIGATION_TEST("M-LOCKOUT", THWART)
int test_sixth_attempt_locked_out(void)
{
    for (int i = 0; i < 5; i++)
        pin_verify("0000");
    return pin_verify("1234") == -1;
}

MITIGATION_TEST("M-LOCKOUT", SIDE_EFFECT)
MITIGATION_TEST("M-VENDOR", SIDE_EFFECT)
int test_lockout_does_not_block_alarms(void)
{
    for (int i = 0; i < 5; i++)
        pin_verify("0000");
    return pair(7) >= 0;
}

MITIGATION_TEST("M-VENDOR", EFFECTIVENESS)
int test_bonded_peer_pairs(void)
{
    return pair(1) == 0;
}
