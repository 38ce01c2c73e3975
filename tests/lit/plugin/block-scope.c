// Holds the plugin to checking annotations wherever they are written,
// inside function bodies too: an annotation on a local variable is
// malformed [MT0008], and a block-scope function declaration with an
// unknown ID warns [MT0001] and has its annotation recorded in the
// facts, as at file scope.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: cd %S && %clang_plugin -fplugin-arg-mitigate-model=Inputs/threats.yaml \
// RUN:   -Xclang -verify -fsyntax-only %s
// RUN: %clang_plugin -w -fplugin-arg-mitigate-facts=%t/facts -c %s -o %t/b.o
// RUN: %mitigate facts %t/facts/block-scope.c.*.facts > %t/facts.json
// RUN: FileCheck %s --input-file %t/facts.json

#include <mitigate.h>

int pin_check(const char *pin)
{
    MITIGATES("M-LOCKOUT") int failures = 0; // expected-warning {{malformed mitigate annotation: mitigate annotations apply to functions only [MT0008]}}

    MITIGATES("M-LOCKOUTT") int pin_verify(const char *pin); // expected-warning {{unknown mitigation 'M-LOCKOUTT' (did you mean 'M-LOCKOUT'?) [MT0001]}}

    return pin_verify(pin) + failures;
}

// CHECK: "key": "pin_verify",
// CHECK: "kind": "mitigates",
// CHECK-NEXT: "id": "M-LOCKOUTT",
// CHECK: "malformed": [
// CHECK-NEXT: {
// CHECK-NEXT: "text": "mitigate:mitigates:M-LOCKOUT",
