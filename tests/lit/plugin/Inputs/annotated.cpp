// A C++ unit for c++.test: mitigate.h in namespaces, classes and
// extern "C", with the diagnostics the plugin owes it inline.
#include <mitigate.h>

namespace pump {

MITIGATES("M-LOCKOUT")
int pin_verify(const char *pin);

int pin_verify(const char *pin)
{
    return pin[0] == '1';
}

class Session {
public:
    MITIGATION_TEST("M-LOCKOUT", THWART)
    static int test_lockout_survives_reboot();

    MITIGATES("M-RATE-LIMT") // expected-warning {{unknown mitigation 'M-RATE-LIMT' (did you mean 'M-RATE-LIMIT'?) [MT0001]}}
    int throttle();

    MITIGATE_ALLOW("MB1001", "") // expected-warning {{malformed mitigate annotation: MITIGATE_ALLOW needs a justification that says why the code is safe [MT0008]}}
    void copy_name(char *dst);

    MITIGATES("M-LOCKOUT") int failures; // expected-warning {{malformed mitigate annotation: mitigate annotations apply to functions only [MT0008]}}
};

int Session::test_lockout_survives_reboot()
{
    return pin_verify("0000");
}

} // namespace pump

extern "C" {
MITIGATION_TEST("M-RATE-LIMIT", EFFECTIVENESS)
int test_rate_limit(void)
{
    return pump::pin_verify("1");
}
}
