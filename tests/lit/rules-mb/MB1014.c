// MB1014 (AssertInMitigation) holds mitigation code to checks that stay
// in the shipped build: each assert expansion in a function that
// carries MITIGATES warns, written directly or inside a macro of the
// user's, with NDEBUG set or not (the expansion is what counts, not the
// code it leaves). An if that handles the failure, static_assert and
// functions merely named like assert stay quiet; assert outside
// mitigation code is left to `mitigate check` (which also follows the
// reach), and MITIGATE_ALLOW("MB1014", ...) silences the rule. -verify
// fails on any diagnostic not expected below.
//
// RUN: cd %S && %clang_plugin -fplugin-arg-mitigate-model=Inputs/threats.yaml \
// RUN:   -Xclang -verify -fsyntax-only %s
// RUN: cd %S && %clang_plugin -fplugin-arg-mitigate-model=Inputs/threats.yaml \
// RUN:   -DNDEBUG -Xclang -verify -fsyntax-only %s

#include <assert.h>

#include <mitigate.h>

#define REQUIRE(c) assert(c)
#define CHECKED(c) REQUIRE(c)
#define WRAP(s) s
#define TWICE(s) s s

int assert_param(int ok);
int check_assertion(int ok);

/* Fires: assert, and assert inside a macro of the user's. */
MITIGATES("M-AUTH")
int auth_pin_length(const char *pin, int n)
{
    assert(pin != 0); // expected-warning {{assert in mitigation M-AUTH code [MB1014]}}
    REQUIRE(n == 4); // expected-warning {{assert (through macro REQUIRE) in mitigation M-AUTH code [MB1014]}}
    return n;
}

/* Fires: assert two macros deep, and assert written as the argument of a
   macro, alone or beside other statements of the same macro use. */
MITIGATES("M-AUTH")
int auth_pin_digits(const char *pin, int n)
{
    CHECKED(pin[0] != 0); // expected-warning {{assert (through macro CHECKED) in mitigation M-AUTH code [MB1014]}}
    WRAP(assert(n > 0);) // expected-warning {{assert in mitigation M-AUTH code [MB1014]}}
    TWICE(n--; assert(n >= 0);) // expected-warning {{assert in mitigation M-AUTH code [MB1014]}}
    WRAP(n++;)
    return n;
}

/* Must not fire: checks that stay in every build. */
MITIGATES("M-AUTH")
int auth_pin_length_checked(const char *pin, int n)
{
    _Static_assert(sizeof(int) >= 2, "int holds a 4-digit PIN");
    static_assert(sizeof(char) == 1, "char is a byte");
    if (!pin || n != 4)
        return -1;
    return assert_param(n == 4) + check_assertion(1);
}

/* Must not fire: assert outside mitigation code. */
int helper_pin_length(const char *pin, int n)
{
    assert(pin != 0);
    REQUIRE(n == 4);
    return n;
}

/* Must not fire: allowed with a reason. */
MITIGATES("M-AUTH")
MITIGATE_ALLOW("MB1014", "documents an invariant the caller checks first")
int auth_pin_length_allowed(const char *pin, int n)
{
    assert(pin != 0);
    REQUIRE(n == 4);
    return n;
}
