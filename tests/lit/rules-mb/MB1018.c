// MB1018 (VariableSizeCopy) holds mitigation code to copies whose size
// is fixed or checked: memcpy and memmove with a size that is neither a
// constant nor a sizeof are reported as remarks (the rule's level is
// note) in a function that carries MITIGATES, also through a macro
// (named at the expansion), and also when a constant only takes part in
// the arithmetic (strlen(s) + 1, n - 1, n * 2, lens[0]). A literal, an
// enum or macro constant, a constant expression and a sizeof stay quiet,
// and so does taking memcpy's address (no copy, no size); the same
// calls outside mitigation code are left to `mitigate check`, and
// MITIGATE_ALLOW("MB1018", ...) silences the rule. -verify fails on any
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

#include <string.h>

#include <mitigate.h>

#define COPY_N(d, s, n) memcpy(d, s, n)
#define RECORD_BYTES 32

enum { HEADER_SIZE = 8 };

struct frame {
    size_t len;
    unsigned char data[64];
};

/* Fires: sizes known only at run time. */
MITIGATES("M-CRYPTO")
void crypto_copy_frame(unsigned char *d, const struct frame *f,
                       const char *s, size_t n, const size_t *lens)
{
    memcpy(d, f->data, n); // expected-remark {{memcpy of a size that is neither constant nor a sizeof in mitigation M-CRYPTO code [MB1018]}}
    memmove(d, f->data, n); // expected-remark {{memmove of a size that is neither constant nor a sizeof in mitigation M-CRYPTO code [MB1018]}}
    memcpy(d, f->data, f->len); // expected-remark {{memcpy of a size that is neither constant nor a sizeof in mitigation M-CRYPTO code [MB1018]}}
    memcpy(d, s, strlen(s)); // expected-remark {{memcpy of a size that is neither constant nor a sizeof in mitigation M-CRYPTO code [MB1018]}}
    COPY_N(d, s, n); // expected-remark {{memcpy of a size that is neither constant nor a sizeof (through macro COPY_N) in mitigation M-CRYPTO code [MB1018]}}
}

/* Fires: a constant in the arithmetic does not fix the size. */
MITIGATES("M-CRYPTO")
void crypto_copy_computed(unsigned char *d, const char *s, size_t n,
                          const size_t *lens)
{
    memcpy(d, s, strlen(s) + 1); // expected-remark {{memcpy of a size that is neither constant nor a sizeof in mitigation M-CRYPTO code [MB1018]}}
    memcpy(d, s, n - 1); // expected-remark {{memcpy of a size that is neither constant nor a sizeof in mitigation M-CRYPTO code [MB1018]}}
    memmove(d, s, n * 2); // expected-remark {{memmove of a size that is neither constant nor a sizeof in mitigation M-CRYPTO code [MB1018]}}
    memcpy(d, s, lens[0]); // expected-remark {{memcpy of a size that is neither constant nor a sizeof in mitigation M-CRYPTO code [MB1018]}}
}

/* Must not fire: constants and sizeof. */
MITIGATES("M-CRYPTO")
void crypto_copy_fixed(unsigned char *d, const struct frame *f)
{
    unsigned char key[16];

    memcpy(key, f->data, sizeof(key));
    memcpy(key, f->data, sizeof key);
    memcpy(d, f->data, 16);
    memmove(d, f->data, RECORD_BYTES);
    memcpy(d, f->data, HEADER_SIZE);
    memcpy(d, f->data, HEADER_SIZE + RECORD_BYTES);
    memcpy(d, f->data, sizeof(f->data) - HEADER_SIZE);
    memcpy(d, key, sizeof(*d) * 4);
    memmove(d, f, sizeof(*f));
    COPY_N(d, key, sizeof(key));
    void *p = (void *)memcpy;
    (void)p;
}

/* Must not fire: the same calls outside mitigation code. */
void helper_copy_frame(unsigned char *d, const struct frame *f, size_t n)
{
    memcpy(d, f->data, n);
    memmove(d, f->data, f->len);
    COPY_N(d, f->data, n);
}

/* Must not fire: allowed with a reason. */
MITIGATES("M-CRYPTO")
MITIGATE_ALLOW("MB1018", "n is checked against sizeof(f->data) by the parser")
void crypto_copy_allowed(unsigned char *d, const struct frame *f, size_t n)
{
    memcpy(d, f->data, n);
    memmove(d, f->data, f->len);
    COPY_N(d, f->data, n);
}
