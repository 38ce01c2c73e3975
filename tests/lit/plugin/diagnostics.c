// Holds the plugin, given a threat model, to its annotation diagnostics:
// an ID the model lacks, in MITIGATES or MITIGATION_TEST, warns [MT0001]
// and suggests the nearest ID, or names the model when no ID is near; an
// annotation that cannot be read warns [MT0008] and says why. Known IDs,
// well-formed annotations and other tools' annotations are silent:
// -verify fails on any diagnostic not expected below, and on any
// expected one that does not come. Warnings do not fail the compile.
//
// RUN: rm -f %t.o
// RUN: cd %S && %clang_plugin -fplugin-arg-mitigate-model=Inputs/threats.yaml \
// RUN:   -Xclang -verify -c %s -o %t.o
// RUN: test -f %t.o
//
// The diagnostics read like clang's own: file:line:column, "warning:",
// the rule last; a raw attribute is reported at its own column.
// RUN: cd %S && %clang_plugin -fplugin-arg-mitigate-model=Inputs/threats.yaml \
// RUN:   -fno-caret-diagnostics -c %s -o %t.o 2>&1 | FileCheck %s

#include <mitigate.h>

/* Unknown IDs: the nearest ID when there is one, else the model. */

// CHECK: {{^.*}}/diagnostics.c:[[@LINE+1]]:1: warning: unknown mitigation 'M-LOCKOUTT' (did you mean 'M-LOCKOUT'?) [MT0001]{{$}}
MITIGATES("M-LOCKOUTT") // expected-warning {{unknown mitigation 'M-LOCKOUTT' (did you mean 'M-LOCKOUT'?) [MT0001]}}
int pin_reset(void);

MITIGATION_TEST("M-RATE-LIMITS", THWART) // expected-warning {{unknown mitigation 'M-RATE-LIMITS' (did you mean 'M-RATE-LIMIT'?) [MT0001]}}
void test_rate_limit_survives_reboot(void);

MITIGATION_TEST("LOCKOUT", EFFECTIVENESS) // expected-warning {{unknown mitigation 'LOCKOUT' (did you mean 'M-LOCKOUT'?) [MT0001]}}
void test_lockout_engages(void);

MITIGATES("M-FIRMWARE-SIGNED") // expected-warning {{unknown mitigation 'M-FIRMWARE-SIGNED' (not in Inputs/threats.yaml) [MT0001]}}
int firmware_verify(void);

MITIGATION_TEST("M-FIRMWARE-SIGNED", SIDE_EFFECT) // expected-warning {{unknown mitigation 'M-FIRMWARE-SIGNED' (not in Inputs/threats.yaml) [MT0001]}}
void test_firmware_verify_is_fast(void);

/* The longest valid ID is 64 characters: unknown, but well-formed. */
MITIGATES("M-LOCKOUT-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX") // expected-warning {{unknown mitigation 'M-LOCKOUT-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX' (not in Inputs/threats.yaml) [MT0001]}}
int longest_id(void);

/* Malformed annotations: what is wrong and what is expected. */

MITIGATES("") // expected-warning {{malformed mitigate annotation: mitigation ID must be 1 to 64 letters, digits, '-', '_' or '.' [MT0008]}}
int empty_id(void);

MITIGATION_TEST("", THWART) // expected-warning {{malformed mitigate annotation: mitigation ID must be 1 to 64 letters, digits, '-', '_' or '.' [MT0008]}}
void test_empty_id(void);

MITIGATES("M LOCKOUT") // expected-warning {{malformed mitigate annotation: mitigation ID must be 1 to 64 letters, digits, '-', '_' or '.' [MT0008]}}
int id_with_space(void);

MITIGATION_TEST("M/LOCKOUT", EFFECTIVENESS) // expected-warning {{malformed mitigate annotation: mitigation ID must be 1 to 64 letters, digits, '-', '_' or '.' [MT0008]}}
void test_id_with_slash(void);

MITIGATES("-M-LOCKOUT") // expected-warning {{malformed mitigate annotation: mitigation ID must be}}
int id_with_leading_dash(void);

MITIGATES("M-LOCKOUT-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX") // expected-warning {{malformed mitigate annotation: mitigation ID must be 1 to 64 letters, digits, '-', '_' or '.' [MT0008]}}
int id_of_65_characters(void);

// CHECK: {{^.*}}/diagnostics.c:[[@LINE+1]]:16: warning: malformed mitigate annotation: test kind must be EFFECTIVENESS, THWART or SIDE_EFFECT [MT0008]{{$}}
__attribute__((annotate("mitigate:test:BOGUS:M-LOCKOUT"))) // expected-warning {{malformed mitigate annotation: test kind must be EFFECTIVENESS, THWART or SIDE_EFFECT [MT0008]}}
void test_bogus_kind(void);

__attribute__((annotate("mitigate:test:M-LOCKOUT"))) // expected-warning {{malformed mitigate annotation: test annotation lacks a test kind [MT0008]}}
void test_no_kind(void);

MITIGATE_ALLOW("MB1001", "") // expected-warning {{malformed mitigate annotation: MITIGATE_ALLOW needs a justification that says why the code is safe [MT0008]}}
void allow_without_justification(void);

MITIGATE_ALLOW("MB1001", "  ") // expected-warning {{malformed mitigate annotation: MITIGATE_ALLOW needs a justification that says why the code is safe [MT0008]}}
void allow_with_blank_justification(void);

MITIGATE_ALLOW("MB01", "the rule ID is too short") // expected-warning {{malformed mitigate annotation: MITIGATE_ALLOW names no rule ID of the form MB1001 [MT0008]}}
void allow_short_rule(void);

MITIGATE_ALLOW("mb1001", "rule IDs are upper case") // expected-warning {{malformed mitigate annotation: MITIGATE_ALLOW names no rule ID of the form MB1001 [MT0008]}}
void allow_lower_case_rule(void);

MITIGATE_ALLOW("XX1001", "no such family of rules") // expected-warning {{malformed mitigate annotation: MITIGATE_ALLOW names no rule ID of the form MB1001 [MT0008]}}
void allow_unknown_family(void);

__attribute__((annotate("mitigate:allow:MB1001"))) // expected-warning {{malformed mitigate annotation: MITIGATE_ALLOW needs a rule ID and a justification [MT0008]}}
void allow_without_colon(void);

__attribute__((annotate("mitigate:frobnicate:x"))) // expected-warning {{malformed mitigate annotation: unknown mitigate annotation; use MITIGATES, MITIGATION_TEST or MITIGATE_ALLOW from mitigate.h [MT0008]}}
void unknown_verb(void);

/* Annotations belong on functions, nowhere else at file scope. */

MITIGATES("M-LOCKOUT") // expected-warning {{malformed mitigate annotation: mitigate annotations apply to functions only [MT0008]}}
int lockout_failures;

MITIGATION_TEST("M-LOCKOUT", THWART) // expected-warning {{malformed mitigate annotation: mitigate annotations apply to functions only [MT0008]}}
typedef int attempt_count;

struct pin_state {
    // CHECK: {{^.*}}/diagnostics.c:[[@LINE+1]]:5: warning: malformed mitigate annotation: mitigate annotations apply to functions only [MT0008]{{$}}
    MITIGATES("M-LOCKOUT") int failures; // expected-warning {{malformed mitigate annotation: mitigate annotations apply to functions only [MT0008]}}
};

int check_attempts(MITIGATES("M-LOCKOUT") int attempts) // expected-warning {{malformed mitigate annotation: mitigate annotations apply to functions only [MT0008]}}
{
    return attempts;
}

/* Must not fire: known IDs, every kind, several per function. */

MITIGATES("M-LOCKOUT")
MITIGATES("M-RATE-LIMIT")
int pin_verify(const char *pin);

MITIGATION_TEST("M-LOCKOUT", EFFECTIVENESS)
MITIGATION_TEST("M-LOCKOUT", THWART)
MITIGATION_TEST("M-LOCKOUT", SIDE_EFFECT)
MITIGATION_TEST("M-RATE-LIMIT", THWART)
void test_lockout(void)
{
}

/* Known IDs on a definition after a declaration that has them too. */
MITIGATES("M-LOCKOUT")
int pin_verify(const char *pin)
{
    return pin[0] == '1';
}

MITIGATE_ALLOW("MB1001", "dst is sized for the longest name")
MITIGATE_ALLOW("MR0103", "reached through the ISR table: a colon is fine")
MITIGATE_ALLOW("MT0002", "x")
void copy_name(char *dst, const char *src)
{
    while ((*dst++ = *src++))
        ;
}

/* Other tools' annotations are theirs. */
__attribute__((annotate("lint:ignore")))
__attribute__((annotate("mitigate")))
__attribute__((annotate("mitigated:by:M-1")))
void other_tools(void)
{
}

/* A static function with a known annotation. */
MITIGATES("M-RATE-LIMIT")
static int rate_limit(int n)
{
    return n < 5;
}

int use_rate_limit(int n)
{
    return rate_limit(n);
}
