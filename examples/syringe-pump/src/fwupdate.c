/* fwupdate.c: verifying, staging and confirming firmware images. */
#include "fwupdate.h"

#include <openssl/evp.h>
#include <string.h>

static uint32_t get_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* Checks the fixed fields of the header; sets *out on FW_OK. */
static enum fw_result read_header(const uint8_t *image, size_t size,
                                  struct fw_header *out)
{
    if (size < FW_HEADER_SIZE + FW_SIGNATURE_SIZE)
        return FW_MALFORMED;
    if (memcmp(image, "SPFW", 4) != 0 || image[4] != 1 || image[5] != 0 ||
        image[6] != 0 || image[7] != 0 || get_le32(image + 20) != 0 ||
        image[15] != 0)
        return FW_MALFORMED;
    out->security_version = get_le32(image + 8);
    memcpy(out->version, image + 12, sizeof(out->version));
    out->body_size = get_le32(image + 16);
    if (out->body_size > FW_MAX_BODY)
        return FW_TOO_LARGE;
    if (size != FW_HEADER_SIZE + (size_t)out->body_size + FW_SIGNATURE_SIZE)
        return FW_MALFORMED;
    return FW_OK;
}

/* Whether signature is anchor's Ed25519 signature of message. */
static int signature_valid(const uint8_t anchor[FW_ANCHOR_SIZE],
                           const uint8_t *message, size_t size,
                           const uint8_t signature[FW_SIGNATURE_SIZE])
{
    EVP_PKEY *key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, anchor,
                                                FW_ANCHOR_SIZE);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int valid = key && ctx &&
                EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key) == 1 &&
                EVP_DigestVerify(ctx, signature, FW_SIGNATURE_SIZE, message,
                                 size) == 1;

    EVP_MD_CTX_free(ctx);
    EVP_PKEY_free(key);
    return valid;
}

enum fw_result fw_verify(const uint8_t anchor[FW_ANCHOR_SIZE],
                         const uint8_t *image, size_t size,
                         struct fw_header *out)
{
    struct fw_header h;
    enum fw_result r = read_header(image, size, &h);
    size_t signed_size;

    if (r != FW_OK)
        return r;
    signed_size = FW_HEADER_SIZE + (size_t)h.body_size;
    if (!signature_valid(anchor, image, signed_size, image + signed_size))
        return FW_BAD_SIGNATURE;
    *out = h;
    return FW_OK;
}

enum fw_result fw_check_rollback(const struct fw_state *s,
                                 const struct fw_header *h)
{
    return h->security_version < s->min_security_version ? FW_ROLLBACK : FW_OK;
}

enum fw_result fw_stage(struct fw_state *s,
                        const uint8_t anchor[FW_ANCHOR_SIZE],
                        const uint8_t *image, size_t size)
{
    struct fw_header h;
    enum fw_result r;
    struct fw_slot *target = &s->slot[!s->active];

    if (s->trial)
        return FW_BUSY;
    r = fw_verify(anchor, image, size, &h);
    if (r == FW_OK)
        r = fw_check_rollback(s, &h);
    if (r != FW_OK)
        return r;
    target->security_version = h.security_version;
    memcpy(target->version, h.version, sizeof(target->version));
    target->valid = 1;
    s->pending = 1;
    return FW_OK;
}

void fw_boot(struct fw_state *s)
{
    if (s->trial) {
        /* The image on trial never confirmed itself: go back. */
        s->slot[s->active].valid = 0;
        s->active = !s->active;
        s->trial = 0;
    } else if (s->pending) {
        s->active = !s->active;
        s->pending = 0;
        s->trial = 1;
    }
}

void fw_confirm(struct fw_state *s)
{
    const struct fw_slot *running = &s->slot[s->active];

    s->trial = 0;
    if (running->security_version > s->min_security_version)
        s->min_security_version = running->security_version;
}
