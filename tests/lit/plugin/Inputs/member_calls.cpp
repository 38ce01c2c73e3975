// A test that reaches its mitigation through a member function call,
// for c++-member-calls.test.
#include <mitigate.h>

class Lockout {
public:
    MITIGATES("M-LOCKOUT")
    bool engaged() const;
};

bool Lockout::engaged() const
{
    return true;
}

MITIGATION_TEST("M-LOCKOUT", EFFECTIVENESS)
bool test_lockout_engages()
{
    Lockout lockout;
    return lockout.engaged();
}

MITIGATION_TEST("M-LOCKOUT", THWART)
bool test_lockout_through_pointer(const Lockout *lockout)
{
    return lockout->engaged();
}
