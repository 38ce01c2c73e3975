/*
 * test_firmware.c: the release signature on firmware images
 * (M-FW-SIGNATURE) and anti-rollback (M-FW-MIN-VERSION), each tested
 * for effectiveness, against attack, and for side effects.
 *
 * The tests make their own Ed25519 release key and set its public half
 * as the bench pump's trust anchor; the real release key never leaves
 * the manufacturer's signing service.
 */
#include "bench.h"

#include "../src/fwupdate.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/evp.h>

#define BODY_SIZE 1024
#define IMAGE_SIZE (FW_HEADER_SIZE + BODY_SIZE + FW_SIGNATURE_SIZE)

/* The order of the Ed25519 group, little-endian. */
static const uint8_t group_order[32] = {
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
        0xa2, 0xde, 0xf9, 0xde, 0x14, 0,    0,    0,    0,    0,    0,
        0,    0,    0,    0,    0,    0,    0,    0,    0,    0x10};

static EVP_PKEY *new_release_key(uint8_t public_key[FW_ANCHOR_SIZE])
{
    EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    size_t size = FW_ANCHOR_SIZE;

    assert_non_null(key);
    assert_int_equal(EVP_PKEY_get_raw_public_key(key, public_key, &size), 1);
    return key;
}

static void put_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* Signs bytes [0, size - FW_SIGNATURE_SIZE) of image into its end. */
static void sign(EVP_PKEY *key, uint8_t *image, size_t size)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    size_t signature_size = FW_SIGNATURE_SIZE;

    assert_non_null(ctx);
    assert_int_equal(EVP_DigestSignInit(ctx, NULL, NULL, NULL, key), 1);
    assert_int_equal(EVP_DigestSign(ctx, image + size - FW_SIGNATURE_SIZE,
                                    &signature_size, image,
                                    size - FW_SIGNATURE_SIZE),
                     1);
    EVP_MD_CTX_free(ctx);
}

/* Writes a signed image of IMAGE_SIZE bytes, firmware major.0.0. */
static void build_image(EVP_PKEY *key, uint8_t image[IMAGE_SIZE],
                        uint32_t security_version, uint8_t major)
{
    memset(image, 0, IMAGE_SIZE);
    memcpy(image, "SPFW", 4);
    image[4] = 1;
    put_le32(image + 8, security_version);
    image[12] = major;
    put_le32(image + 16, BODY_SIZE);
    for (int i = 0; i < BODY_SIZE; i++)
        image[FW_HEADER_SIZE + i] = (uint8_t)(i * 31 + major);
    sign(key, image, IMAGE_SIZE);
}

static enum fw_result verify_exact(const uint8_t anchor[FW_ANCHOR_SIZE],
                                   const uint8_t *image, size_t size)
{
    uint8_t *copy = bench_exact_copy(image, size);
    struct fw_header h;
    enum fw_result r = fw_verify(anchor, copy, size, &h);

    free(copy);
    return r;
}

/* A bench pump that trusts the public half of *key, made here. */
static void start_with_release_key(struct bench *b, EVP_PKEY **key)
{
    bench_start(b);
    *key = new_release_key(b->keys.release_anchor);
}

/* Stages image, boots it on trial and confirms it. */
static void install(struct bench *b, const uint8_t *image, size_t size)
{
    assert_int_equal(pump_update(&b->pump, image, size, b->now), FW_OK);
    bench_power_cycle(b);
    assert_true(b->pump.nv.ram.fw.trial);
    pump_confirm_firmware(&b->pump);
}

MITIGATION_TEST("M-FW-SIGNATURE", EFFECTIVENESS)
static void test_release_signed_image_is_staged_and_boots(void **state)
{
    uint8_t image[IMAGE_SIZE];
    const struct fw_state *fw;
    struct fw_header h;
    EVP_PKEY *key;
    struct bench b;

    (void)state;
    start_with_release_key(&b, &key);
    build_image(key, image, 2, 2);
    assert_int_equal(fw_verify(b.keys.release_anchor, image, sizeof(image), &h),
                     FW_OK);
    assert_int_equal(h.security_version, 2);
    assert_int_equal(h.body_size, BODY_SIZE);

    install(&b, image, sizeof(image));
    fw = &b.pump.nv.flash.fw;
    assert_int_equal(fw->active, 1);
    assert_int_equal(fw->slot[1].security_version, 2);
    assert_int_equal(fw->slot[1].version[0], 2);
    assert_int_equal(bench_count_events(&b, EV_FW_STAGED), 1);
    EVP_PKEY_free(key);
}

/* Adds the group order to the S half of a signature, little-endian. */
static void add_group_order(uint8_t signature[FW_SIGNATURE_SIZE])
{
    unsigned carry = 0;

    for (int i = 0; i < 32; i++) {
        unsigned sum = signature[32 + i] + group_order[i] + carry;

        signature[32 + i] = (uint8_t)sum;
        carry = sum >> 8;
    }
}

/*
 * The attacker changes a release image (header, body or signature),
 * signs one with their own key, cuts it short or pads it, lies in its
 * size field, zeroes the signature, and offers the malleable twin of a
 * valid signature (S + L). Nothing is staged.
 */
MITIGATION_TEST("M-FW-SIGNATURE", THWART)
static void test_tampered_foreign_and_malformed_images_are_refused(void **state)
{
    static const uint32_t lies[] = {BODY_SIZE - 1, BODY_SIZE + 1, 0,
                                    FW_MAX_BODY + 1, UINT32_MAX};
    uint8_t image[IMAGE_SIZE], changed[IMAGE_SIZE + 1];
    uint8_t *sig = changed + FW_HEADER_SIZE + BODY_SIZE;
    const uint8_t *anchor;
    EVP_PKEY *key, *own;
    uint8_t own_public[FW_ANCHOR_SIZE];
    struct bench b;

    (void)state;
    start_with_release_key(&b, &key);
    anchor = b.keys.release_anchor;
    build_image(key, image, 2, 2);
    for (size_t i = 0; i < IMAGE_SIZE; i += i < FW_HEADER_SIZE ? 1 : 7) {
        memcpy(changed, image, IMAGE_SIZE);
        changed[i] ^= 0x01;
        assert_int_not_equal(verify_exact(anchor, changed, IMAGE_SIZE), FW_OK);
    }

    own = new_release_key(own_public);
    build_image(own, changed, 2, 2);
    assert_int_equal(verify_exact(anchor, changed, IMAGE_SIZE),
                     FW_BAD_SIGNATURE);
    EVP_PKEY_free(own);

    for (size_t size = 0; size < IMAGE_SIZE; size += size < 100 ? 1 : 97)
        assert_int_not_equal(verify_exact(anchor, image, size), FW_OK);
    memcpy(changed, image, IMAGE_SIZE);
    changed[IMAGE_SIZE] = 0;
    assert_int_equal(verify_exact(anchor, changed, IMAGE_SIZE + 1),
                     FW_MALFORMED);
    for (size_t i = 0; i < sizeof(lies) / sizeof(*lies); i++) {
        memcpy(changed, image, IMAGE_SIZE);
        put_le32(changed + 16, lies[i]);
        assert_int_not_equal(verify_exact(anchor, changed, IMAGE_SIZE), FW_OK);
    }

    memcpy(changed, image, IMAGE_SIZE);
    memset(sig, 0, FW_SIGNATURE_SIZE);
    assert_int_equal(verify_exact(anchor, changed, IMAGE_SIZE),
                     FW_BAD_SIGNATURE);
    memcpy(changed, image, IMAGE_SIZE);
    add_group_order(sig);
    assert_int_equal(verify_exact(anchor, changed, IMAGE_SIZE),
                     FW_BAD_SIGNATURE);

    assert_int_equal(pump_update(&b.pump, changed, IMAGE_SIZE, b.now),
                     FW_BAD_SIGNATURE);
    assert_false(b.pump.nv.ram.fw.pending);
    EVP_PKEY_free(key);
}

/*
 * A refused update changes nothing the pump runs on: the same slot
 * boots, the infusion goes on, the refusal is logged, and a genuine
 * update is still taken afterwards.
 */
MITIGATION_TEST("M-FW-SIGNATURE", SIDE_EFFECT)
static void
test_refused_image_leaves_the_running_firmware_in_charge(void **state)
{
    uint8_t image[IMAGE_SIZE];
    struct fw_state before;
    EVP_PKEY *key;
    struct bench b;

    (void)state;
    start_with_release_key(&b, &key);
    assert_int_equal(bench_login(&b, bench_pin), REPLY_OK);
    assert_int_equal(bench_rate(&b, DRUG_MORPHINE, DOSE_MICROGRAM, 3000),
                     REPLY_OK);
    before = b.pump.nv.ram.fw;
    build_image(key, image, 2, 2);
    image[FW_HEADER_SIZE] ^= 0x80;
    for (int i = 0; i < 5; i++)
        assert_int_equal(pump_update(&b.pump, image, sizeof(image), b.now),
                         FW_BAD_SIGNATURE);
    assert_memory_equal(&b.pump.nv.flash.fw, &before, sizeof(before));
    assert_true(b.pump.infusion.running);
    assert_int_equal(bench_count_events(&b, EV_FW_REJECTED), 5);

    bench_power_cycle(&b);
    assert_int_equal(b.pump.nv.ram.fw.active, 0);
    assert_false(b.pump.nv.ram.fw.trial);

    image[FW_HEADER_SIZE] ^= 0x80;
    assert_int_equal(pump_update(&b.pump, image, sizeof(image), b.now), FW_OK);
    EVP_PKEY_free(key);
}

MITIGATION_TEST("M-FW-MIN-VERSION", EFFECTIVENESS)
static void
test_newer_security_version_installs_and_raises_the_floor(void **state)
{
    uint8_t image[IMAGE_SIZE];
    EVP_PKEY *key;
    struct bench b;

    (void)state;
    start_with_release_key(&b, &key);
    assert_int_equal(b.pump.nv.ram.fw.min_security_version, 1);
    build_image(key, image, 3, 3);
    install(&b, image, sizeof(image));
    assert_int_equal(b.pump.nv.flash.fw.min_security_version, 3);

    /* The same security version may be installed again. */
    build_image(key, image, 3, 4);
    assert_int_equal(pump_update(&b.pump, image, sizeof(image), b.now), FW_OK);
    EVP_PKEY_free(key);
}

/*
 * Once a fixed release is confirmed, the attacker offers a genuinely
 * signed older one with a known flaw, before and after cutting the
 * power. It is refused.
 */
MITIGATION_TEST("M-FW-MIN-VERSION", THWART)
static void
test_signed_older_image_is_refused_once_a_fix_is_confirmed(void **state)
{
    uint8_t image[IMAGE_SIZE];
    struct fw_header old = {2, {2, 0, 0}, BODY_SIZE};
    EVP_PKEY *key;
    struct bench b;

    (void)state;
    start_with_release_key(&b, &key);
    build_image(key, image, 3, 3);
    install(&b, image, sizeof(image));

    build_image(key, image, 2, 2);
    assert_int_equal(verify_exact(b.keys.release_anchor, image, IMAGE_SIZE),
                     FW_OK);
    assert_int_equal(pump_update(&b.pump, image, sizeof(image), b.now),
                     FW_ROLLBACK);
    assert_int_equal(fw_check_rollback(&b.pump.nv.ram.fw, &old), FW_ROLLBACK);
    bench_power_cycle(&b);
    assert_int_equal(pump_update(&b.pump, image, sizeof(image), b.now),
                     FW_ROLLBACK);
    build_image(key, image, 1, 1);
    assert_int_equal(pump_update(&b.pump, image, sizeof(image), b.now),
                     FW_ROLLBACK);
    assert_false(b.pump.nv.ram.fw.pending);
    assert_int_equal(
            b.pump.nv.ram.fw.slot[b.pump.nv.ram.fw.active].security_version, 3);
    EVP_PKEY_free(key);
}

/*
 * Anti-rollback must not brick the pump: an update that never confirms
 * itself (its self-test failed, or the power went) falls back to the
 * previous firmware, which the floor still allows, and the floor never
 * goes down.
 */
MITIGATION_TEST("M-FW-MIN-VERSION", SIDE_EFFECT)
static void test_unconfirmed_update_falls_back_and_keeps_the_floor(void **state)
{
    uint8_t image[IMAGE_SIZE];
    EVP_PKEY *key;
    struct bench b;

    (void)state;
    start_with_release_key(&b, &key);
    build_image(key, image, 4, 4);
    assert_int_equal(pump_update(&b.pump, image, sizeof(image), b.now), FW_OK);
    bench_power_cycle(&b);
    assert_true(b.pump.nv.ram.fw.trial);
    bench_power_cycle(&b);
    assert_int_equal(b.pump.nv.ram.fw.active, 0);
    assert_int_equal(b.pump.nv.ram.fw.min_security_version, 1);
    assert_int_equal(bench_login(&b, bench_pin), REPLY_OK);
    assert_int_equal(bench_rate(&b, DRUG_FENTANYL, DOSE_MICROGRAM, 100),
                     REPLY_OK);

    install(&b, image, sizeof(image));
    assert_int_equal(b.pump.nv.flash.fw.min_security_version, 4);
    pump_confirm_firmware(&b.pump);
    assert_int_equal(b.pump.nv.flash.fw.min_security_version, 4);
    EVP_PKEY_free(key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_release_signed_image_is_staged_and_boots),
            cmocka_unit_test(
                    test_tampered_foreign_and_malformed_images_are_refused),
            cmocka_unit_test(
                    test_refused_image_leaves_the_running_firmware_in_charge),
            cmocka_unit_test(
                    test_newer_security_version_installs_and_raises_the_floor),
            cmocka_unit_test(
                    test_signed_older_image_is_refused_once_a_fix_is_confirmed),
            cmocka_unit_test(
                    test_unconfirmed_update_falls_back_and_keeps_the_floor),
    };

    return cmocka_run_group_tests_name("firmware", tests, NULL, NULL);
}
