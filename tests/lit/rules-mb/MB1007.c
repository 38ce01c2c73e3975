// MB1007 (UncheckedConversion) holds mitigation code to parsing numbers
// with functions that report errors: atoi, atol, atoll and atof each
// warn in a function that carries MITIGATES, called directly, through a
// macro (named at the expansion) or with their address taken. strtol,
// strtoul, strtoll and strtod stay quiet, the same calls outside
// mitigation code are left to `mitigate check`, and
// MITIGATE_ALLOW("MB1007", ...) silences the rule. -verify fails on any
// diagnostic not expected below.
//
// RUN: cd %S && %clang_plugin -fplugin-arg-mitigate-model=Inputs/threats.yaml \
// RUN:   -Xclang -verify -fsyntax-only %s

#include <errno.h>
#include <stdlib.h>

#include <mitigate.h>

#define DOSE_OF(s) atoi(s)

/* Fires: every listed function, a macro, an address. */
MITIGATES("M-AUTH")
long auth_parse_limit(const char *s)
{
    long n = atoi(s); // expected-warning {{call to atoi in mitigation M-AUTH code [MB1007]}}
    n += atol(s); // expected-warning {{call to atol in mitigation M-AUTH code [MB1007]}}
    n += atoll(s); // expected-warning {{call to atoll in mitigation M-AUTH code [MB1007]}}
    n += (long)atof(s); // expected-warning {{call to atof in mitigation M-AUTH code [MB1007]}}
    n += DOSE_OF(s); // expected-warning {{call to atoi (through macro DOSE_OF) in mitigation M-AUTH code [MB1007]}}
    int (*parse)(const char *) = atoi; // expected-warning {{address of atoi taken in mitigation M-AUTH code [MB1007]}}
    return n + parse(s);
}

/* Must not fire: conversions that report errors. */
MITIGATES("M-AUTH")
int auth_parse_limit_checked(const char *s, long *out)
{
    char *end;

    errno = 0;
    *out = strtol(s, &end, 10);
    if (errno || end == s || *end)
        return -1;
    *out += (long)strtoul(s, &end, 10) + (long)strtoll(s, &end, 10);
    *out += (long)strtod(s, &end);
    return 0;
}

/* Must not fire: the same calls outside mitigation code. */
int helper_parse(const char *s)
{
    return atoi(s) + (int)atol(s) + (int)atoll(s) + (int)atof(s) + DOSE_OF(s);
}

/* Must not fire: allowed with a reason. */
MITIGATES("M-LOG")
MITIGATE_ALLOW("MB1007", "s is a fixed table entry of at most 3 digits")
int log_parse_allowed(const char *s)
{
    return atoi(s) + (int)atol(s) + (int)atoll(s) + (int)atof(s) + DOSE_OF(s);
}
