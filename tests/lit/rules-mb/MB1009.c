// MB1009 (Strtok) holds mitigation code to tokenising without hidden
// static state: strtok in a function that carries MITIGATES is reported
// as a remark (the rule's level is note), called directly, through a
// macro (named at the expansion) or with its address taken. strtok_r,
// strcspn and strspn stay quiet, strtok outside mitigation code is left
// to `mitigate check`, and MITIGATE_ALLOW("MB1009", ...) silences the
// rule. -verify fails on any diagnostic not expected below.
//
// RUN: cd %S && %clang_plugin -fplugin-arg-mitigate-model=Inputs/threats.yaml \
// RUN:   -Xclang -verify -fsyntax-only %s

#include <string.h>

#include <mitigate.h>

#define NEXT_FIELD() strtok(NULL, ",")

/* Fires: a call, a macro, an address. */
MITIGATES("M-AUTH")
void auth_split_command(char *line)
{
    char *field = strtok(line, ","); // expected-remark {{call to strtok in mitigation M-AUTH code [MB1009]}}
    field = NEXT_FIELD(); // expected-remark {{call to strtok (through macro NEXT_FIELD) in mitigation M-AUTH code [MB1009]}}
    char *(*split)(char *, const char *) = strtok; // expected-remark {{address of strtok taken in mitigation M-AUTH code [MB1009]}}
    (void)field;
    (void)split;
}

/* Must not fire: the reentrant form and span functions. */
MITIGATES("M-AUTH")
size_t auth_split_command_reentrant(char *line)
{
    char *save = NULL;
    char *field = strtok_r(line, ",", &save);
    size_t n = strcspn(line, ",") + strspn(line, " ");

    while (field) {
        n++;
        field = strtok_r(NULL, ",", &save);
    }
    return n;
}

/* Must not fire: strtok outside mitigation code. */
void helper_split(char *line)
{
    (void)strtok(line, ",");
    (void)NEXT_FIELD();
}

/* Must not fire: allowed with a reason. */
MITIGATES("M-AUTH")
MITIGATE_ALLOW("MB1009", "single-threaded boot parser, no nested use")
void auth_split_allowed(char *line)
{
    (void)strtok(line, ",");
    (void)NEXT_FIELD();
}
