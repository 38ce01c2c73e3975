// MB1005 (NonLiteralFormat) holds mitigation code to printf-family
// formats that are string literals: each member of the family (printf,
// vprintf, fprintf, vfprintf, dprintf, vdprintf, sprintf, vsprintf,
// snprintf, vsnprintf, syslog, vsyslog) warns when its format argument
// is anything else, in a function that carries MITIGATES, also when the
// call is written through a macro (named at the expansion). A literal,
// __func__ or a choice between literals stays quiet, the same calls
// outside mitigation code are left to `mitigate check`, and
// MITIGATE_ALLOW("MB1005", ...) silences the rule. sprintf and vsprintf
// are also MB1003 whatever their format. -verify fails on any
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
#include <syslog.h>

#include <mitigate.h>

#define AUDIT(fmt, n) fprintf(stderr, fmt, n)

/* Fires: every member of the family with a format from data. */
MITIGATES("M-LOG")
void log_event(const char *fmt, char *b, size_t size, int n, va_list ap)
{
    printf(fmt, n); // expected-warning {{printf with a format that is not a string literal in mitigation M-LOG code [MB1005]}}
    vprintf(fmt, ap); // expected-warning {{vprintf with a format that is not a string literal in mitigation M-LOG code [MB1005]}}
    fprintf(stderr, fmt, n); // expected-warning {{fprintf with a format that is not a string literal in mitigation M-LOG code [MB1005]}}
    vfprintf(stderr, fmt, ap); // expected-warning {{vfprintf with a format that is not a string literal in mitigation M-LOG code [MB1005]}}
    dprintf(2, fmt, n); // expected-warning {{dprintf with a format that is not a string literal in mitigation M-LOG code [MB1005]}}
    vdprintf(2, fmt, ap); // expected-warning {{vdprintf with a format that is not a string literal in mitigation M-LOG code [MB1005]}}
    sprintf(b, fmt, n); // expected-warning {{sprintf with a format that is not a string literal in mitigation M-LOG code [MB1005]}} expected-warning {{call to sprintf in mitigation M-LOG code [MB1003]}}
    vsprintf(b, fmt, ap); // expected-warning {{vsprintf with a format that is not a string literal in mitigation M-LOG code [MB1005]}} expected-warning {{call to vsprintf in mitigation M-LOG code [MB1003]}}
    snprintf(b, size, fmt, n); // expected-warning {{snprintf with a format that is not a string literal in mitigation M-LOG code [MB1005]}}
    vsnprintf(b, size, fmt, ap); // expected-warning {{vsnprintf with a format that is not a string literal in mitigation M-LOG code [MB1005]}}
    syslog(LOG_ERR, fmt, n); // expected-warning {{syslog with a format that is not a string literal in mitigation M-LOG code [MB1005]}}
    vsyslog(LOG_ERR, fmt, ap); // expected-warning {{vsyslog with a format that is not a string literal in mitigation M-LOG code [MB1005]}}
}

/* Fires: formats that are not literals however they are spelt. */
MITIGATES("M-LOG")
void log_event_indirect(const char *user, int n, const char *const *table)
{
    const char *fmt = "dose %d\n";

    printf(fmt, n); // expected-warning {{printf with a format that is not a string literal in mitigation M-LOG code [MB1005]}}
    printf(table[n], n); // expected-warning {{printf with a format that is not a string literal in mitigation M-LOG code [MB1005]}}
    printf(n ? "dose %d\n" : user, n); // expected-warning {{printf with a format that is not a string literal in mitigation M-LOG code [MB1005]}}
    AUDIT(user, n); // expected-warning {{fprintf with a format that is not a string literal (through macro AUDIT) in mitigation M-LOG code [MB1005]}}
}

/* Must not fire: literal formats, with the data as arguments. */
MITIGATES("M-LOG")
void log_event_literal(const char *user, char *b, size_t size, int n,
                       va_list ap)
{
    printf("%s\n", user);
    printf("dose %d\n", n);
    vprintf("%d\n", ap);
    fprintf(stderr, "%s: %d\n", user, n);
    vfprintf(stderr, "%d\n", ap);
    dprintf(2, "%s\n", user);
    vdprintf(2, "%d\n", ap);
    snprintf(b, size, "%s", user);
    vsnprintf(b, size, "%d", ap);
    syslog(LOG_ERR, "%s", user);
    vsyslog(LOG_ERR, "%d", ap);
    printf(__func__);
    printf(n ? "dose %d\n" : "no dose %d\n", n);
    printf(("%s\n"), user);
    AUDIT("%d\n", n);
    puts(user); /* not a printf: no format at all */
    void *p = (void *)printf; /* the address is not a format */
    (void)p;
}

/* Must not fire: the same calls outside mitigation code. */
void helper_log(const char *fmt, char *b, size_t size, int n, va_list ap)
{
    printf(fmt, n);
    fprintf(stderr, fmt, n);
    snprintf(b, size, fmt, n);
    vsyslog(LOG_ERR, fmt, ap);
    AUDIT(fmt, n);
}

/* Must not fire: allowed with a reason. */
MITIGATES("M-LOG")
MITIGATE_ALLOW("MB1005", "fmt comes from the signed message catalogue")
void log_event_allowed(const char *fmt, char *b, size_t size, int n)
{
    printf(fmt, n);
    fprintf(stderr, fmt, n);
    snprintf(b, size, fmt, n);
    syslog(LOG_ERR, fmt, n);
    AUDIT(fmt, n);
}
