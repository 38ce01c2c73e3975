// MB1002 (TruncatingCopy) holds mitigation code to copies that cannot
// silently truncate or leave a string unterminated: strncpy, strncat,
// wcsncpy and wcsncat each warn in a function that carries MITIGATES,
// called directly, through a macro (named at the expansion) or with
// their address taken. snprintf with its result checked and memcpy of a
// checked length stay quiet, the same calls outside mitigation code are
// left to `mitigate check`, and MITIGATE_ALLOW("MB1002", ...) silences
// the rule. -verify fails on any diagnostic not expected below.
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

#define COPY_ID(d, s) strncpy(d, s, 16)

/* Fires: every listed function, a macro, an address. */
MITIGATES("M-AUTH")
void auth_copy_id(char *d, const char *s, wchar_t *wd, const wchar_t *ws)
{
    strncpy(d, s, 16); // expected-warning {{call to strncpy in mitigation M-AUTH code [MB1002]}}
    strncat(d, s, 16); // expected-warning {{call to strncat in mitigation M-AUTH code [MB1002]}}
    wcsncpy(wd, ws, 16); // expected-warning {{call to wcsncpy in mitigation M-AUTH code [MB1002]}}
    wcsncat(wd, ws, 16); // expected-warning {{call to wcsncat in mitigation M-AUTH code [MB1002]}}

    COPY_ID(d, s); // expected-warning {{call to strncpy (through macro COPY_ID) in mitigation M-AUTH code [MB1002]}}

    void *p = (void *)strncat; // expected-warning {{address of strncat taken in mitigation M-AUTH code [MB1002]}}
    (void)p;
}

/* Must not fire: copies that check the length, in mitigation code. */
MITIGATES("M-AUTH")
int auth_copy_id_checked(char *d, size_t size, const char *s)
{
    size_t len = strnlen(s, size);

    if (len == size)
        return -1;
    memcpy(d, s, sizeof(char) * 16);
    if (snprintf(d, size, "%s", s) >= (int)size)
        return -1;
    return strncmp(d, s, 16); /* compares, copies nothing */
}

/* Must not fire: the same calls outside mitigation code. */
void helper_copy_id(char *d, const char *s, wchar_t *wd, const wchar_t *ws)
{
    strncpy(d, s, 16);
    strncat(d, s, 16);
    wcsncpy(wd, ws, 16);
    wcsncat(wd, ws, 16);
    COPY_ID(d, s);
}

/* Must not fire: allowed with a reason. */
MITIGATES("M-LOG")
MITIGATE_ALLOW("MB1002", "d is zeroed and one byte longer than the bound")
void log_copy_id_allowed(char *d, const char *s, wchar_t *wd,
                         const wchar_t *ws)
{
    strncpy(d, s, 16);
    strncat(d, s, 16);
    wcsncpy(wd, ws, 16);
    wcsncat(wd, ws, 16);
    COPY_ID(d, s);
}
