// Holds -fplugin-arg-mitigate-werror to its promise: every mitigate
// diagnostic becomes an error, unknown IDs [MT0001] and malformed
// annotations [MT0008] alike, and the compile fails without leaving an
// object file. Well-formed annotations with known IDs stay silent.
//
// RUN: cd %S && %clang_plugin -fplugin-arg-mitigate-model=Inputs/threats.yaml \
// RUN:   -fplugin-arg-mitigate-werror -Xclang -verify -fsyntax-only %s
//
// RUN: rm -f %t.o
// RUN: cd %S && not %clang_plugin \
// RUN:   -fplugin-arg-mitigate-model=Inputs/threats.yaml \
// RUN:   -fplugin-arg-mitigate-werror -fno-caret-diagnostics \
// RUN:   -c %s -o %t.o 2> %t.err
// RUN: FileCheck %s --input-file %t.err
// RUN: not test -e %t.o
//
// Without werror the same source compiles, with warnings.
// RUN: cd %S && %clang_plugin -fplugin-arg-mitigate-model=Inputs/threats.yaml \
// RUN:   -fno-caret-diagnostics -c %s -o %t.o 2> %t.warn
// RUN: test -f %t.o
// RUN: FileCheck %s --check-prefix=WARN --input-file %t.warn

#include <mitigate.h>

// CHECK: {{^.*}}/werror.c:[[@LINE+2]]:1: error: unknown mitigation 'M-LOCKOUTT' (did you mean 'M-LOCKOUT'?) [MT0001]{{$}}
// WARN: {{^.*}}/werror.c:[[@LINE+1]]:1: warning: unknown mitigation 'M-LOCKOUTT' (did you mean 'M-LOCKOUT'?) [MT0001]{{$}}
MITIGATES("M-LOCKOUTT") // expected-error {{unknown mitigation 'M-LOCKOUTT' (did you mean 'M-LOCKOUT'?) [MT0001]}}
int pin_reset(void);

MITIGATION_TEST("M-FIRMWARE-SIGNED", THWART) // expected-error {{unknown mitigation 'M-FIRMWARE-SIGNED' (not in Inputs/threats.yaml) [MT0001]}}
void test_firmware(void);

// CHECK: {{^.*}}/werror.c:[[@LINE+2]]:1: error: malformed mitigate annotation: MITIGATE_ALLOW needs a justification that says why the code is safe [MT0008]{{$}}
// WARN: {{^.*}}/werror.c:[[@LINE+1]]:1: warning: malformed mitigate annotation: MITIGATE_ALLOW needs a justification that says why the code is safe [MT0008]{{$}}
MITIGATE_ALLOW("MB1001", "") // expected-error {{malformed mitigate annotation: MITIGATE_ALLOW needs a justification that says why the code is safe [MT0008]}}
void allow_without_justification(void);

MITIGATES("M-LOCKOUT") // expected-error {{malformed mitigate annotation: mitigate annotations apply to functions only [MT0008]}}
int lockout_failures;

MITIGATES("M-LOCKOUT")
MITIGATION_TEST("M-RATE-LIMIT", SIDE_EFFECT)
MITIGATE_ALLOW("MB1001", "dst is sized for the longest name")
int pin_verify(const char *pin)
{
    return pin[0] == '1';
}
