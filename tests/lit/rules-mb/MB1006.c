// MB1006 (UnboundedScanfString) holds mitigation code to giving every
// scanf-family %s and %[ conversion a field width: each member (scanf,
// vscanf, fscanf, vfscanf, sscanf, vsscanf) warns, in a function that
// carries MITIGATES, when its literal format stores a string with no
// width, also through a macro (named at the expansion). Widths (%31s,
// %31[^\n]), conversions that store nothing (%*s), that allocate (%ms),
// a literal %% and non-string conversions stay quiet; the same calls
// outside mitigation code are left to `mitigate check`, and
// MITIGATE_ALLOW("MB1006", ...) silences the rule. -verify fails on
// any diagnostic not expected below.
//
// RUN: cd %S && %clang_plugin -fplugin-arg-mitigate-model=Inputs/threats.yaml \
// RUN:   -Xclang -verify -fsyntax-only %s
//
// A hardened build (-O2 -D_FORTIFY_SOURCE=2, where the C library swaps
// its functions for checking wrappers and macros) gives the same
// diagnostics.
// RUN: cd %S && %clang_plugin -fplugin-arg-mitigate-model=Inputs/threats.yaml \
// RUN:   -O2 -D_FORTIFY_SOURCE=2 -Wno-unused-result -Xclang -verify -fsyntax-only %s

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#include <mitigate.h>

#define READ_USER(b) scanf("%s", b)

/* Fires: every member of the family, %s and %[ without a width. */
MITIGATES("M-AUTH")
void auth_read_user(const char *in, char *b, va_list ap)
{
    scanf("%s", b); // expected-warning {{scanf reading a string without a field width in mitigation M-AUTH code [MB1006]}}
    scanf("%[^\n]", b); // expected-warning {{scanf reading a string without a field width in mitigation M-AUTH code [MB1006]}}
    vscanf("%s", ap); // expected-warning {{vscanf reading a string without a field width in mitigation M-AUTH code [MB1006]}}
    fscanf(stdin, "%s", b); // expected-warning {{fscanf reading a string without a field width in mitigation M-AUTH code [MB1006]}}
    vfscanf(stdin, "%[a-z]", ap); // expected-warning {{vfscanf reading a string without a field width in mitigation M-AUTH code [MB1006]}}
    sscanf(in, "%s", b); // expected-warning {{sscanf reading a string without a field width in mitigation M-AUTH code [MB1006]}}
    vsscanf(in, "%s", ap); // expected-warning {{vsscanf reading a string without a field width in mitigation M-AUTH code [MB1006]}}
    READ_USER(b); // expected-warning {{scanf reading a string without a field width (through macro READ_USER) in mitigation M-AUTH code [MB1006]}}
}

/* Fires: an unbounded conversion after others, and wide strings. */
MITIGATES("M-AUTH")
void auth_read_record(const char *in, char *user, char *pin, int *n,
                      wchar_t *w)
{
    sscanf(in, "%d %31s %s", n, user, pin); // expected-warning {{sscanf reading a string without a field width in mitigation M-AUTH code [MB1006]}}
    sscanf(in, "%%%s", user); // expected-warning {{sscanf reading a string without a field width in mitigation M-AUTH code [MB1006]}}
    sscanf(in, "%*d %[^,]", user); // expected-warning {{sscanf reading a string without a field width in mitigation M-AUTH code [MB1006]}}
    sscanf(in, "%ls", w); // expected-warning {{sscanf reading a string without a field width in mitigation M-AUTH code [MB1006]}}
}

/* Must not fire: widths, no store, allocation, literal %, no string. */
MITIGATES("M-AUTH")
void auth_read_user_bounded(const char *in, char *b, int *n, char *c,
                            const char *fmt, wchar_t *w)
{
    char *owned = NULL;

    scanf("%31s", b);
    scanf("%31[^\n]", b);
    fscanf(stdin, "%15s %15[a-z]", b, b);
    sscanf(in, "%d %c %5c", n, c, c);
    sscanf(in, "%*s %d", n);
    sscanf(in, "%*[^=]=%d", n);
    sscanf(in, "%ms", &owned);
    sscanf(in, "%m[a-z]", &owned);
    sscanf(in, "100%% %d", n);
    sscanf(in, "%%s %d", n);
    sscanf(in, "%7ls", w);
    sscanf(in, fmt, b); /* not a literal: nothing to read */
    free(owned);
}

/* Must not fire: the same calls outside mitigation code. */
void helper_read_user(const char *in, char *b)
{
    scanf("%s", b);
    sscanf(in, "%[^\n]", b);
    READ_USER(b);
}

/* Must not fire: allowed with a reason. */
MITIGATES("M-AUTH")
MITIGATE_ALLOW("MB1006", "b is as large as the whole input line")
void auth_read_user_allowed(const char *in, char *b)
{
    scanf("%s", b);
    sscanf(in, "%[^\n]", b);
    READ_USER(b);
}
