// MB1012 (WeakRandom) holds mitigation code to drawing random values
// from a cryptographic generator: rand, srand, random, srandom and the
// drand48 family (drand48, erand48, lrand48, nrand48, mrand48, jrand48,
// srand48, seed48, lcong48) each warn in a function that carries
// MITIGATES, called directly, through a macro (named at the expansion)
// or with their address taken. getrandom, getentropy and a crypto
// library's DRBG stay quiet (RAND_bytes is not rand: names match
// exactly), the same calls outside mitigation code are left to
// `mitigate check`, and MITIGATE_ALLOW("MB1012", ...) silences the
// rule. -verify fails on any diagnostic not expected below.
//
// RUN: cd %S && %clang_plugin -fplugin-arg-mitigate-model=Inputs/threats.yaml \
// RUN:   -Xclang -verify -fsyntax-only %s

#include <stdlib.h>
#include <sys/random.h>
#include <unistd.h>

#include <mitigate.h>

/* A crypto library's generators, declared as their headers would. */
int RAND_bytes(unsigned char *buf, int num);
int mbedtls_ctr_drbg_random(void *ctx, unsigned char *out, size_t len);

#define NONCE() rand()

/* Fires: every listed function, a macro, an address. */
MITIGATES("M-AUTH")
long auth_challenge(unsigned seed, unsigned short xsubi[3],
                    unsigned short param[7])
{
    long n = rand(); // expected-warning {{call to rand in mitigation M-AUTH code [MB1012]}}
    srand(seed); // expected-warning {{call to srand in mitigation M-AUTH code [MB1012]}}
    n += random(); // expected-warning {{call to random in mitigation M-AUTH code [MB1012]}}
    srandom(seed); // expected-warning {{call to srandom in mitigation M-AUTH code [MB1012]}}
    n += (long)drand48(); // expected-warning {{call to drand48 in mitigation M-AUTH code [MB1012]}}
    n += (long)erand48(xsubi); // expected-warning {{call to erand48 in mitigation M-AUTH code [MB1012]}}
    n += lrand48(); // expected-warning {{call to lrand48 in mitigation M-AUTH code [MB1012]}}
    n += nrand48(xsubi); // expected-warning {{call to nrand48 in mitigation M-AUTH code [MB1012]}}
    n += mrand48(); // expected-warning {{call to mrand48 in mitigation M-AUTH code [MB1012]}}
    n += jrand48(xsubi); // expected-warning {{call to jrand48 in mitigation M-AUTH code [MB1012]}}
    srand48(seed); // expected-warning {{call to srand48 in mitigation M-AUTH code [MB1012]}}
    (void)seed48(xsubi); // expected-warning {{call to seed48 in mitigation M-AUTH code [MB1012]}}
    lcong48(param); // expected-warning {{call to lcong48 in mitigation M-AUTH code [MB1012]}}
    n += NONCE(); // expected-warning {{call to rand (through macro NONCE) in mitigation M-AUTH code [MB1012]}}
    int (*draw)(void) = rand; // expected-warning {{address of rand taken in mitigation M-AUTH code [MB1012]}}
    return n + draw();
}

/* Must not fire: cryptographic generators. */
MITIGATES("M-AUTH")
int auth_challenge_strong(unsigned char *nonce, size_t len, void *drbg)
{
    if (getrandom(nonce, len, 0) != (ssize_t)len)
        return -1;
    if (getentropy(nonce, len))
        return -1;
    if (RAND_bytes(nonce, (int)len) != 1)
        return -1;
    return mbedtls_ctr_drbg_random(drbg, nonce, len);
}

/* Must not fire: the same calls outside mitigation code. */
long helper_jitter(unsigned seed)
{
    srand(seed);
    return rand() + random() + lrand48() + NONCE();
}

/* Must not fire: allowed with a reason. */
MITIGATES("M-AUTH")
MITIGATE_ALLOW("MB1012", "jitter for the retry back-off, not a secret")
long auth_backoff_allowed(unsigned seed)
{
    srand(seed);
    return rand() + random() + lrand48() + NONCE();
}
