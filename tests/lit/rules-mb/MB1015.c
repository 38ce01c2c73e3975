// MB1015 (UnboundedStackAllocation) holds mitigation code to stack
// memory of a size known when it is compiled: alloca (the function, and
// <alloca.h>'s macro that expands to __builtin_alloca), __builtin_alloca
// and every variable-length array warn in a function that carries
// MITIGATES, as does taking alloca's address. Fixed-size arrays (a
// literal, an enum constant or a sizeof), a pointer to a variable-length
// array type and heap allocation stay quiet; the same code outside
// mitigation code is left to `mitigate check`, and
// MITIGATE_ALLOW("MB1015", ...) silences the rule. -verify fails on any
// diagnostic not expected below.
//
// RUN: cd %S && %clang_plugin -fplugin-arg-mitigate-model=Inputs/threats.yaml \
// RUN:   -Xclang -verify -fsyntax-only %s

#include <alloca.h>
#include <stdlib.h>
#include <string.h>

#include <mitigate.h>

#define SCRATCH(n) __builtin_alloca(n)

enum { RECORD_SIZE = 64 };

/* Fires: alloca however it is spelt, and variable-length arrays. */
MITIGATES("M-LOG")
void log_record(const char *msg, size_t n, int rows)
{
    char *a = alloca(n); // expected-warning {{call to alloca in mitigation M-LOG code [MB1015]}}
    char *b = (alloca)(n); // expected-warning {{call to alloca in mitigation M-LOG code [MB1015]}}
    char *c = __builtin_alloca(n); // expected-warning {{call to alloca in mitigation M-LOG code [MB1015]}}
    char *d = SCRATCH(n); // expected-warning {{call to alloca (through macro SCRATCH) in mitigation M-LOG code [MB1015]}}
    void *(*grow)(size_t) = alloca; // expected-warning {{address of alloca taken in mitigation M-LOG code [MB1015]}}
    char line[n]; // expected-warning {{variable-length array 'line' in mitigation M-LOG code [MB1015]}}
    int table[rows][4]; // expected-warning {{variable-length array 'table' in mitigation M-LOG code [MB1015]}}
    char copy[strlen(msg) + 1]; // expected-warning {{variable-length array 'copy' in mitigation M-LOG code [MB1015]}}

    (void)a, (void)b, (void)c, (void)d, (void)grow;
    (void)line, (void)table, (void)copy;
}

/* Must not fire: sizes fixed at compile time, and the heap. */
MITIGATES("M-LOG")
int log_record_fixed(const char *msg, size_t n)
{
    char line[128];
    char record[RECORD_SIZE];
    char word[sizeof(long) * 4];
    char (*rows)[n] = malloc(4 * n); /* points to a VLA type, allocates none */
    char *heap = malloc(n);

    if (!rows || !heap || strlen(msg) >= sizeof(line))
        return -1;
    (void)record, (void)word;
    free(rows);
    free(heap);
    return 0;
}

/* Must not fire: the same code outside mitigation code. */
void helper_record(size_t n)
{
    char *a = alloca(n);
    char *b = __builtin_alloca(n);
    char line[n];

    (void)a, (void)b, (void)line;
}

/* Must not fire: allowed with a reason. */
MITIGATES("M-LOG")
MITIGATE_ALLOW("MB1015", "n is at most 64: checked by every caller")
void log_record_allowed(size_t n)
{
    char *a = alloca(n);
    char *b = __builtin_alloca(n);
    char line[n];

    (void)a, (void)b, (void)line;
}
