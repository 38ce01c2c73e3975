// MB1003 (UnboundedFormattedWrite) holds mitigation code to formatted
// writes with a bound: sprintf, vsprintf, swprintf and vswprintf each
// warn in a function that carries MITIGATES, called directly, through a
// macro (named at the expansion) or with their address taken, even with
// a literal format. snprintf and vsnprintf stay quiet, the same calls
// outside mitigation code are left to `mitigate check`, and
// MITIGATE_ALLOW("MB1003", ...) silences the rule. A non-literal format
// in sprintf is also MB1005, on the same call. -verify fails on any
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

#include <stdarg.h>
#include <stdio.h>
#include <wchar.h>

#include <mitigate.h>

#define FORMAT_DOSE(b, n) sprintf(b, "%d", n)

/* Fires: every listed function, a macro, an address. */
MITIGATES("M-LOG")
void log_dose(char *b, wchar_t *wb, int n, va_list ap, va_list wap)
{
    sprintf(b, "%d", n); // expected-warning {{call to sprintf in mitigation M-LOG code [MB1003]}}
    vsprintf(b, "%d", ap); // expected-warning {{call to vsprintf in mitigation M-LOG code [MB1003]}}
    swprintf(wb, 16, L"%d", n); // expected-warning {{call to swprintf in mitigation M-LOG code [MB1003]}}
    vswprintf(wb, 16, L"%d", wap); // expected-warning {{call to vswprintf in mitigation M-LOG code [MB1003]}}

    FORMAT_DOSE(b, n); // expected-warning {{call to sprintf (through macro FORMAT_DOSE) in mitigation M-LOG code [MB1003]}}

    void *p = (void *)sprintf; // expected-warning {{address of sprintf taken in mitigation M-LOG code [MB1003]}}
    (void)p;
}

/* A non-literal format breaks two rules at once. */
MITIGATES("M-LOG")
void log_message(char *b, const char *fmt, int n)
{
    sprintf(b, fmt, n); // expected-warning {{call to sprintf in mitigation M-LOG code [MB1003]}} expected-warning {{sprintf with a format that is not a string literal in mitigation M-LOG code [MB1005]}}
}

/* Must not fire: bounded formatted writes in mitigation code. */
MITIGATES("M-LOG")
int log_dose_bounded(char *b, size_t size, int n, va_list ap)
{
    char line[32];

    if (snprintf(line, sizeof(line), "dose %d", n) >= (int)sizeof(line))
        return -1;
    if (vsnprintf(b, size, "%d", ap) >= (int)size)
        return -1;
    return snprintf(b, size, "%s", line);
}

/* Must not fire: the same calls outside mitigation code. */
void helper_format(char *b, wchar_t *wb, int n, va_list ap)
{
    sprintf(b, "%d", n);
    vsprintf(b, "%d", ap);
    swprintf(wb, 16, L"%d", n);
    FORMAT_DOSE(b, n);
}

/* Must not fire: allowed with a reason. */
MITIGATES("M-AUTH")
MITIGATE_ALLOW("MB1003", "b holds 12 bytes, enough for any int")
void auth_format_allowed(char *b, wchar_t *wb, int n, va_list ap)
{
    sprintf(b, "%d", n);
    vsprintf(b, "%d", ap);
    swprintf(wb, 16, L"%d", n);
    FORMAT_DOSE(b, n);
}
