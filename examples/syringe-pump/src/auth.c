/* auth.c: HMAC-SHA256 command tags and sequence numbers. */
#include "auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

int auth_tag(const uint8_t key[AUTH_KEY_SIZE], const uint8_t *bytes,
             size_t size, uint8_t tag[FRAME_TAG_SIZE])
{
    unsigned int tag_size = 0;

    if (!HMAC(EVP_sha256(), key, AUTH_KEY_SIZE, bytes, size, tag, &tag_size) ||
        tag_size != FRAME_TAG_SIZE)
        return -1;
    return 0;
}

int auth_verify(const uint8_t key[AUTH_KEY_SIZE], const struct frame *f)
{
    uint8_t expected[FRAME_TAG_SIZE];
    int same;

    if (auth_tag(key, f->signed_bytes, f->signed_size, expected) < 0)
        return 0;
    same = CRYPTO_memcmp(expected, f->tag, FRAME_TAG_SIZE) == 0;
    OPENSSL_cleanse(expected, sizeof(expected));
    return same;
}

int auth_accept_sequence(uint32_t *last, uint32_t sequence)
{
    if (sequence <= *last)
        return 0;
    *last = sequence;
    return 1;
}
