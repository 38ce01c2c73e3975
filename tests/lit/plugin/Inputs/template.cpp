// Annotations on a function template, for c++-templates.test.
#include <mitigate.h>

template <typename T>
MITIGATES("M-LOCKOUTT") // expected-warning {{unknown mitigation 'M-LOCKOUTT' (did you mean 'M-LOCKOUT'?) [MT0001]}}
T lockout_threshold(T scale)
{
    return scale * 5;
}

template <typename T>
MITIGATES("M-RATE-LIMIT")
T rate_limit(T n)
{
    return n < 5;
}

int pump_limits(void)
{
    return lockout_threshold(1) + rate_limit(3);
}
