// MB1010 (InsecureTempFile) holds mitigation code to creating temporary
// files and their names in one step: tmpnam, tempnam and mktemp each
// warn in a function that carries MITIGATES, called directly, through a
// macro (named at the expansion) or with their address taken. mkstemp,
// mkdtemp and tmpfile stay quiet, the same calls outside mitigation
// code are left to `mitigate check`, and MITIGATE_ALLOW("MB1010", ...)
// silences the rule. -verify fails on any diagnostic not expected
// below.
//
// RUN: cd %S && %clang_plugin -fplugin-arg-mitigate-model=Inputs/threats.yaml \
// RUN:   -Xclang -verify -fsyntax-only %s

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <mitigate.h>

#define SPOOL_NAME(t) mktemp(t)

/* Fires: every listed function, a macro, an address. */
MITIGATES("M-LOG")
void log_spool(char *name, char *templ)
{
    (void)tmpnam(name); // expected-warning {{call to tmpnam in mitigation M-LOG code [MB1010]}}
    free(tempnam("/tmp", "log")); // expected-warning {{call to tempnam in mitigation M-LOG code [MB1010]}}
    (void)mktemp(templ); // expected-warning {{call to mktemp in mitigation M-LOG code [MB1010]}}
    (void)SPOOL_NAME(templ); // expected-warning {{call to mktemp (through macro SPOOL_NAME) in mitigation M-LOG code [MB1010]}}
    char *(*make)(char *) = tmpnam; // expected-warning {{address of tmpnam taken in mitigation M-LOG code [MB1010]}}
    (void)make;
}

/* Must not fire: the file and its name made in one step. */
MITIGATES("M-LOG")
int log_spool_safe(char *templ, char *dir_templ)
{
    int fd = mkstemp(templ);
    FILE *f = tmpfile();

    if (fd < 0 || !f || !mkdtemp(dir_templ))
        return -1;
    fclose(f);
    return close(fd);
}

/* Must not fire: the same calls outside mitigation code. */
void helper_spool(char *name, char *templ)
{
    (void)tmpnam(name);
    free(tempnam("/tmp", "log"));
    (void)mktemp(templ);
    (void)SPOOL_NAME(templ);
}

/* Must not fire: allowed with a reason. */
MITIGATES("M-LOG")
MITIGATE_ALLOW("MB1010", "the directory is private to this process")
void log_spool_allowed(char *name, char *templ)
{
    (void)tmpnam(name);
    free(tempnam("/tmp", "log"));
    (void)mktemp(templ);
    (void)SPOOL_NAME(templ);
}
