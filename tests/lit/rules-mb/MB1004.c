// MB1004 (Gets) holds mitigation code to never calling gets, which no
// caller can use safely: a call, a call through a macro (named at the
// expansion) and taking its address each warn in a function that
// carries MITIGATES. fgets with the buffer's size stays quiet, gets
// outside mitigation code is left to `mitigate check`, and
// MITIGATE_ALLOW("MB1004", ...) silences the rule. -verify fails on any
// diagnostic not expected below.
//
// RUN: cd %S && %clang_plugin -fplugin-arg-mitigate-model=Inputs/threats.yaml \
// RUN:   -Xclang -verify -fsyntax-only %s
//
// A hardened build (-O2 -D_FORTIFY_SOURCE=2, where the C library swaps
// its functions for checking wrappers and macros) gives the same
// diagnostics.
// RUN: cd %S && %clang_plugin -fplugin-arg-mitigate-model=Inputs/threats.yaml \
// RUN:   -O2 -D_FORTIFY_SOURCE=2 -Xclang -verify -fsyntax-only %s

#include <stdio.h>

#include <mitigate.h>

/* C11 removed gets, so the C library headers no longer declare it. */
char *gets(char *s);

#define READ_LINE(b) gets(b)

/* Fires: a call, a macro, an address. */
MITIGATES("M-AUTH")
void auth_read_pin(char *b)
{
    gets(b); // expected-warning {{call to gets in mitigation M-AUTH code [MB1004]}}
    READ_LINE(b); // expected-warning {{call to gets (through macro READ_LINE) in mitigation M-AUTH code [MB1004]}}
    char *(*read)(char *) = gets; // expected-warning {{address of gets taken in mitigation M-AUTH code [MB1004]}}
    (void)read;
}

/* Must not fire: fgets with the size, and a look-alike name. */
int getsockopt_like(int fd);

MITIGATES("M-AUTH")
int auth_read_pin_bounded(char *b, int size)
{
    char line[32];

    if (!fgets(line, sizeof(line), stdin))
        return -1;
    if (!fgets(b, size, stdin))
        return -1;
    return getsockopt_like(0) + getchar();
}

/* Must not fire: gets outside mitigation code. */
void helper_read(char *b)
{
    gets(b);
    READ_LINE(b);
}

/* Must not fire: allowed with a reason. */
MITIGATES("M-AUTH")
MITIGATE_ALLOW("MB1004", "service-port build only, stdin is a 4-byte pipe")
void auth_read_allowed(char *b)
{
    gets(b);
    READ_LINE(b);
}
