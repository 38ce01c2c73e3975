// MB1001 (UnboundedCopy) holds mitigation code to copying strings with
// a bound: strcpy, strcat, stpcpy, wcscpy and wcscat write until the
// source ends, however small the destination, so each use in a function
// that carries MITIGATES warns, whether it is called directly, called
// through a macro (reported at the expansion, naming the macro) or has
// its address taken. Bounded copies stay quiet, the same calls outside
// mitigation code are left to `mitigate check`, and MITIGATE_ALLOW for
// MB1001 silences the rule and only that rule. -verify fails on any
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
#include <string.h>
#include <wchar.h>

#include <mitigate.h>

#define COPY(d, s) strcpy(d, s)
#define APPEND(d, s) strcat(d, s)

/* Fires: every listed function, a macro, an address. */
MITIGATES("M-AUTH")
void auth_copy_name(char *d, const char *s, wchar_t *wd, const wchar_t *ws)
{
    strcpy(d, s); // expected-warning {{call to strcpy in mitigation M-AUTH code [MB1001]}}
    strcat(d, s); // expected-warning {{call to strcat in mitigation M-AUTH code [MB1001]}}
    stpcpy(d, s); // expected-warning {{call to stpcpy in mitigation M-AUTH code [MB1001]}}
    wcscpy(wd, ws); // expected-warning {{call to wcscpy in mitigation M-AUTH code [MB1001]}}
    wcscat(wd, ws); // expected-warning {{call to wcscat in mitigation M-AUTH code [MB1001]}}
    (strcpy)(d, s); // expected-warning {{call to strcpy in mitigation M-AUTH code [MB1001]}}

    COPY(d, s); // expected-warning {{call to strcpy (through macro COPY) in mitigation M-AUTH code [MB1001]}}
    APPEND(d, s); // expected-warning {{call to strcat (through macro APPEND) in mitigation M-AUTH code [MB1001]}}

    void *p = (void *)strcpy; // expected-warning {{address of strcpy taken in mitigation M-AUTH code [MB1001]}}
    char *(*q)(char *, const char *) = &strcat; // expected-warning {{address of strcat taken in mitigation M-AUTH code [MB1001]}}
    (void)p;
    (void)q;
}

/* Every control counts, and each mitigation a function serves is named. */
MITIGATES("M-LOG")
MITIGATES("M-CRYPTO")
void log_and_seal(char *d, const char *s)
{
    strcpy(d, s); // expected-warning {{call to strcpy in mitigation M-LOG, M-CRYPTO code [MB1001]}}
}

/* MITIGATES on the prototype only still covers the definition. */
MITIGATES("M-AUTH")
void auth_from_prototype(char *d, const char *s);

void auth_from_prototype(char *d, const char *s)
{
    strcat(d, s); // expected-warning {{call to strcat in mitigation M-AUTH code [MB1001]}}
}

/* Must not fire: bounded copies in mitigation code. */
MITIGATES("M-AUTH")
int auth_copy_bounded(char *d, size_t size, const char *s, wchar_t *wd,
                      const wchar_t *ws)
{
    char name[32];
    size_t len = strlen(s);

    if (len >= sizeof(name))
        return -1;
    memcpy(name, s, sizeof(name));
    memcpy(d, name, 32);
    wmemcpy(wd, ws, 8);
    if (snprintf(d, size, "%s", s) >= (int)size)
        return -1;
    return strcmp(d, name); /* strcmp only reads */
}

/* Must not fire: the same calls outside mitigation code. */
void helper_copy(char *d, const char *s, wchar_t *wd, const wchar_t *ws)
{
    strcpy(d, s);
    strcat(d, s);
    stpcpy(d, s);
    wcscpy(wd, ws);
    wcscat(wd, ws);
    COPY(d, s);
    void *p = (void *)strcpy;
    (void)p;
}

/* Must not fire: allowed with a reason; other rules still apply. */
MITIGATES("M-AUTH")
MITIGATE_ALLOW("MB1001", "s is at most 31 characters: checked by the caller")
void auth_copy_allowed(char *d, const char *s)
{
    strcpy(d, s);
    strcat(d, s);
    COPY(d, s);
    void *p = (void *)stpcpy;
    (void)p;
    strncpy(d, s, 8); // expected-warning {{call to strncpy in mitigation M-AUTH code [MB1002]}}
}

/* Must not fire: MITIGATE_ALLOW on the prototype covers the definition. */
MITIGATE_ALLOW("MB1001", "s is at most 31 characters: checked by the caller")
void auth_allowed_on_prototype(char *d, const char *s);

MITIGATES("M-AUTH")
void auth_allowed_on_prototype(char *d, const char *s)
{
    strcpy(d, s);
}
