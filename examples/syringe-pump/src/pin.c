/* pin.c: the PIN verifier and the lockout. */
#include "pin.h"

#include "nv.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <string.h>

/* The verifier of the PIN_MAX_DIGITS bytes pin under salt, into out. */
static int compute_verifier(const uint8_t key[PIN_KEY_SIZE],
                            const uint8_t salt[PIN_SALT_SIZE],
                            const uint8_t pin[PIN_MAX_DIGITS],
                            uint8_t out[PIN_VERIFIER_SIZE])
{
    uint8_t message[PIN_SALT_SIZE + PIN_MAX_DIGITS];
    unsigned int size = 0;
    int ok;

    memcpy(message, salt, PIN_SALT_SIZE);
    memcpy(message + PIN_SALT_SIZE, pin, PIN_MAX_DIGITS);
    ok = HMAC(EVP_sha256(), key, PIN_KEY_SIZE, message, sizeof(message), out,
              &size) != NULL &&
         size == PIN_VERIFIER_SIZE;
    OPENSSL_cleanse(message, sizeof(message));
    return ok ? 0 : -1;
}

int pin_set(struct pin_record *r, const uint8_t device_key[PIN_KEY_SIZE],
            const char *pin)
{
    uint8_t padded[PIN_MAX_DIGITS] = {0};
    struct pin_record next = {0};
    size_t n = 0;

    while (n < PIN_MAX_DIGITS && pin[n] >= '0' && pin[n] <= '9') {
        padded[n] = (uint8_t)pin[n];
        n++;
    }
    if (pin[n] != '\0' || n < PIN_MIN_DIGITS) {
        OPENSSL_cleanse(padded, sizeof(padded));
        return -1;
    }
    if (RAND_bytes(next.salt, PIN_SALT_SIZE) != 1 ||
        compute_verifier(device_key, next.salt, padded, next.verifier) < 0) {
        OPENSSL_cleanse(padded, sizeof(padded));
        return -1;
    }
    OPENSSL_cleanse(padded, sizeof(padded));
    *r = next;
    return 0;
}

int pin_matches(const struct pin_record *r,
                const uint8_t device_key[PIN_KEY_SIZE],
                const uint8_t entered[PIN_MAX_DIGITS])
{
    uint8_t verifier[PIN_VERIFIER_SIZE];
    int same;

    if (compute_verifier(device_key, r->salt, entered, verifier) < 0)
        return 0;
    same = CRYPTO_memcmp(verifier, r->verifier, PIN_VERIFIER_SIZE) == 0;
    OPENSSL_cleanse(verifier, sizeof(verifier));
    return same;
}

enum pin_result pin_check(struct nv_store *nv,
                          const uint8_t device_key[PIN_KEY_SIZE],
                          const uint8_t entered[PIN_MAX_DIGITS], uint64_t now)
{
    struct pin_record *r = &nv->ram.pin;

    if (r->locked_until > now)
        return PIN_LOCKED;

    r->failures++;
    nv_commit(nv);
    if (pin_matches(r, device_key, entered)) {
        r->failures = 0;
        nv_commit(nv);
        return PIN_OK;
    }
    if (r->failures >= PIN_MAX_FAILURES) {
        r->failures = 0;
        r->locked_until = now + PIN_LOCKOUT_SECONDS;
        nv_commit(nv);
    }
    return PIN_WRONG;
}
