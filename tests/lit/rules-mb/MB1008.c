// MB1008 (NonReentrantTime) holds mitigation code to time functions
// that use the caller's storage: asctime, ctime, gmtime and localtime
// return one shared static buffer, so each use in a function that
// carries MITIGATES is reported as a remark (the rule's level is note),
// called directly, through a macro (named at the expansion) or with its
// address taken. gmtime_r, localtime_r and strftime stay quiet, the
// same calls outside mitigation code are left to `mitigate check`, and
// MITIGATE_ALLOW("MB1008", ...) silences the rule. -verify fails on any
// diagnostic not expected below.
//
// RUN: cd %S && %clang_plugin -fplugin-arg-mitigate-model=Inputs/threats.yaml \
// RUN:   -Xclang -verify -fsyntax-only %s

#include <time.h>

#include <mitigate.h>

#define NOW_LOCAL(t) localtime(t)

/* Fires: every listed function, a macro, an address. */
MITIGATES("M-LOG")
void log_stamp(const time_t *t, const struct tm *tm)
{
    const char *text = asctime(tm); // expected-remark {{call to asctime in mitigation M-LOG code [MB1008]}}
    text = ctime(t); // expected-remark {{call to ctime in mitigation M-LOG code [MB1008]}}
    struct tm *at = gmtime(t); // expected-remark {{call to gmtime in mitigation M-LOG code [MB1008]}}
    at = localtime(t); // expected-remark {{call to localtime in mitigation M-LOG code [MB1008]}}
    at = NOW_LOCAL(t); // expected-remark {{call to localtime (through macro NOW_LOCAL) in mitigation M-LOG code [MB1008]}}
    struct tm *(*conv)(const time_t *) = gmtime; // expected-remark {{address of gmtime taken in mitigation M-LOG code [MB1008]}}
    (void)text;
    (void)at;
    (void)conv;
}

/* Must not fire: the reentrant forms, with the caller's storage. */
MITIGATES("M-LOG")
size_t log_stamp_reentrant(const time_t *t, char *b, size_t size)
{
    struct tm tm;

    if (!gmtime_r(t, &tm) || !localtime_r(t, &tm))
        return 0;
    (void)mktime(&tm);
    (void)difftime(*t, *t);
    return strftime(b, size, "%Y-%m-%dT%H:%M:%S", &tm);
}

/* Must not fire: the same calls outside mitigation code. */
void helper_stamp(const time_t *t, const struct tm *tm)
{
    (void)asctime(tm);
    (void)ctime(t);
    (void)gmtime(t);
    (void)localtime(t);
    (void)NOW_LOCAL(t);
}

/* Must not fire: allowed with a reason. */
MITIGATES("M-LOG")
MITIGATE_ALLOW("MB1008", "called only from the single logging thread")
void log_stamp_allowed(const time_t *t, const struct tm *tm)
{
    (void)asctime(tm);
    (void)ctime(t);
    (void)gmtime(t);
    (void)localtime(t);
    (void)NOW_LOCAL(t);
}
