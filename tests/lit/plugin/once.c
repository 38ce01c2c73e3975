// Holds the plugin to one diagnostic per written annotation: a header
// included twice, an annotation inherited by a later declaration or the
// definition, and a macro of the user's that expands to two annotations
// are each reported once per annotation, no more and no fewer. -verify
// fails on a missing or a repeated diagnostic.
//
// RUN: cd %S && %clang_plugin -fplugin-arg-mitigate-model=Inputs/threats.yaml \
// RUN:   -Xclang -verify -fsyntax-only %s

// expected-warning@Inputs/twice.h:7 {{unknown mitigation 'M-LOCKOUTT' (did you mean 'M-LOCKOUT'?) [MT0001]}}
// expected-warning@Inputs/twice.h:10 {{malformed mitigate annotation: mitigation ID must be 1 to 64 letters, digits, '-', '_' or '.' [MT0008]}}
#include "Inputs/twice.h"
#include "Inputs/twice.h"

int from_header(void)
{
    return 0;
}

/* Written on the declaration only: the definition inherits it. */
MITIGATES("M-RATE-LIMT") // expected-warning {{unknown mitigation 'M-RATE-LIMT' (did you mean 'M-RATE-LIMIT'?) [MT0001]}}
int rate_limit(int n);

int rate_limit(int n);

int rate_limit(int n)
{
    return n < 5;
}

/*
 * Written on both the declaration and the definition: two annotations,
 * each a place to correct, so one warning each.
 */
MITIGATION_TEST("M-LOCKOT", THWART) // expected-warning {{unknown mitigation 'M-LOCKOT' (did you mean 'M-LOCKOUT'?) [MT0001]}}
void test_lockout(void);

MITIGATION_TEST("M-LOCKOT", THWART) // expected-warning {{unknown mitigation 'M-LOCKOT' (did you mean 'M-LOCKOUT'?) [MT0001]}}
void test_lockout(void)
{
}

/* A project's own macro that expands to two annotations. */
#define PIN_GUARD MITIGATES("M-LOCKOUTT") MITIGATES("M-RATE-LIMT")

PIN_GUARD // expected-warning {{unknown mitigation 'M-LOCKOUTT' (did you mean 'M-LOCKOUT'?) [MT0001]}} expected-warning {{unknown mitigation 'M-RATE-LIMT' (did you mean 'M-RATE-LIMIT'?) [MT0001]}}
int pin_verify(const char *pin);
