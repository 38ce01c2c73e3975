// Holds the plugin, run without model=, to checking only what needs no
// model: with nothing to look IDs up in, an unknown ID is not reported
// (mitigate check reports it later against the model), but an
// annotation that cannot be read still warns [MT0008]. -verify fails on
// any other diagnostic, so an MT0001 here fails the test.
//
// RUN: %clang_plugin -Xclang -verify -c %s -o %t.o

#include <mitigate.h>

MITIGATES("M-LOCKOUTT")
int pin_reset(void);

MITIGATES("M-NOWHERE-IN-ANY-MODEL")
int firmware_verify(void);

MITIGATION_TEST("M-RATE-LIMITS", THWART)
void test_rate_limit(void);

MITIGATE_ALLOW("MB1001", "dst is sized for the longest name")
void copy_name(char *dst, const char *src);

MITIGATES("") // expected-warning {{malformed mitigate annotation: mitigation ID must be 1 to 64 letters, digits, '-', '_' or '.' [MT0008]}}
int empty_id(void);

MITIGATION_TEST("M LOCKOUT", THWART) // expected-warning {{malformed mitigate annotation: mitigation ID must be 1 to 64 letters, digits, '-', '_' or '.' [MT0008]}}
void test_id_with_space(void);

__attribute__((annotate("mitigate:test:BOGUS:M-LOCKOUT"))) // expected-warning {{malformed mitigate annotation: test kind must be EFFECTIVENESS, THWART or SIDE_EFFECT [MT0008]}}
void test_bogus_kind(void);

MITIGATE_ALLOW("MB1001", "") // expected-warning {{malformed mitigate annotation: MITIGATE_ALLOW needs a justification that says why the code is safe [MT0008]}}
void allow_without_justification(void);

MITIGATE_ALLOW("B1001", "not a rule ID") // expected-warning {{malformed mitigate annotation: MITIGATE_ALLOW names no rule ID of the form MB1001 [MT0008]}}
void allow_bad_rule(void);

MITIGATES("M-LOCKOUT") // expected-warning {{malformed mitigate annotation: mitigate annotations apply to functions only [MT0008]}}
int lockout_failures;

__attribute__((annotate("mitigate:frobnicate:x"))) // expected-warning {{malformed mitigate annotation: unknown mitigate annotation; use MITIGATES, MITIGATION_TEST or MITIGATE_ALLOW from mitigate.h [MT0008]}}
void unknown_verb(void);
