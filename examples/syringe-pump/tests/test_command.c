/*
 * test_command.c: authentic commands (M-CMD-MAC) and fresh commands
 * (M-CMD-FRESHNESS), each tested for effectiveness, against attack,
 * and for side effects.
 */
#include "bench.h"

#include "../src/auth.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

/* HMAC-SHA256 through libcrypto's EVP_MAC interface, a second path. */
static void reference_hmac(const uint8_t key[32], const uint8_t *data,
                           size_t size, uint8_t out[32])
{
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {
            OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
            OSSL_PARAM_construct_end(),
    };
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
    size_t out_size = 0;

    assert_non_null(ctx);
    assert_int_equal(EVP_MAC_init(ctx, key, 32, params), 1);
    assert_int_equal(EVP_MAC_update(ctx, data, size), 1);
    assert_int_equal(EVP_MAC_final(ctx, out, &out_size, 32), 1);
    assert_int_equal(out_size, 32);
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
}

MITIGATION_TEST("M-CMD-MAC", EFFECTIVENESS)
static void
test_commands_tagged_with_the_session_key_are_carried_out(void **state)
{
    uint8_t frame[FRAME_MAX_SIZE], expected[32];
    uint8_t payload[DOSE_PAYLOAD_SIZE];
    struct frame parsed;
    struct bench b;
    size_t n;

    (void)state;
    bench_start(&b);
    bench_dose_payload(payload, DRUG_MORPHINE, DOSE_MICROGRAM, 2500);
    n = bench_seal(b.keys.session, frame, OP_SET_RATE, 1, payload,
                   sizeof(payload));
    reference_hmac(b.keys.session, frame, n - FRAME_TAG_SIZE, expected);
    assert_memory_equal(frame + n - FRAME_TAG_SIZE, expected, 32);
    assert_int_equal(frame_parse(frame, n, &parsed), FRAME_OK);
    assert_true(auth_verify(b.keys.session, &parsed));

    assert_int_equal(bench_send(&b, OP_STATUS, NULL, 0), REPLY_OK);
    assert_int_equal(bench_login(&b, bench_pin), REPLY_OK);
    assert_int_equal(bench_rate(&b, DRUG_MORPHINE, DOSE_MICROGRAM, 2500),
                     REPLY_OK);
    assert_int_equal(b.pump.infusion.rate_ug_per_h, 2500);
}

/*
 * The attacker changes a genuine command on the air, one bit at a time
 * across the whole frame; tags it with a key of their own; sends it
 * with no tag or a zero tag; and moves the tag of a harmless STATUS
 * frame onto a BOLUS. None of it is carried out.
 */
MITIGATION_TEST("M-CMD-MAC", THWART)
static void test_altered_and_forged_commands_are_refused(void **state)
{
    uint8_t genuine[FRAME_MAX_SIZE], forged[FRAME_MAX_SIZE];
    uint8_t status[FRAME_MAX_SIZE], own_key[32] = {0x42};
    uint8_t payload[DOSE_PAYLOAD_SIZE];
    struct bench b;
    size_t n;

    (void)state;
    bench_start(&b);
    assert_int_equal(bench_login(&b, bench_pin), REPLY_OK);
    bench_dose_payload(payload, DRUG_MORPHINE, DOSE_MICROGRAM, 1000);
    n = bench_seal(b.keys.session, genuine, OP_BOLUS, 1000, payload,
                   sizeof(payload));

    for (size_t bit = 0; bit < n * 8; bit++) {
        enum pump_reply reply;

        memcpy(forged, genuine, n);
        forged[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        reply = bench_send_bytes(&b, forged, n);
        assert_true(reply == REPLY_NOT_AUTHENTIC || reply == REPLY_MALFORMED);
    }

    n = bench_seal(own_key, forged, OP_BOLUS, 1000, payload, sizeof(payload));
    assert_int_equal(bench_send_bytes(&b, forged, n), REPLY_NOT_AUTHENTIC);
    memset(forged + n - FRAME_TAG_SIZE, 0, FRAME_TAG_SIZE);
    assert_int_equal(bench_send_bytes(&b, forged, n), REPLY_NOT_AUTHENTIC);
    assert_int_equal(bench_send_bytes(&b, forged, n - FRAME_TAG_SIZE),
                     REPLY_MALFORMED);

    bench_seal(b.keys.session, status, OP_STATUS, 1000, NULL, 0);
    memcpy(forged, genuine, n);
    memcpy(forged + n - FRAME_TAG_SIZE, status + FRAME_HEADER_SIZE,
           FRAME_TAG_SIZE);
    assert_int_equal(bench_send_bytes(&b, forged, n), REPLY_NOT_AUTHENTIC);

    assert_int_equal(b.pump.infusion.bolus_total_ug, 0);
    assert_int_equal(bench_send_bytes(&b, genuine, n), REPLY_OK);
    assert_int_equal(b.pump.infusion.bolus_total_ug, 1000);
}

/*
 * Forged frames with the highest sequence number would, if the counter
 * moved before the tag was checked, make every later genuine command
 * look old. They leave the counter where it was, and the app's next
 * command goes through.
 */
MITIGATION_TEST("M-CMD-MAC", SIDE_EFFECT)
static void test_forged_frames_cannot_desynchronise_the_app(void **state)
{
    uint8_t frame[FRAME_MAX_SIZE];
    uint32_t last;
    struct bench b;

    (void)state;
    bench_start(&b);
    assert_int_equal(bench_send(&b, OP_STATUS, NULL, 0), REPLY_OK);
    last = b.pump.nv.ram.last_sequence;
    for (int i = 0; i < 1000; i++) {
        size_t n = bench_seal(b.keys.session, frame, OP_STATUS, UINT32_MAX,
                              NULL, 0);

        frame[n - 1 - i % FRAME_TAG_SIZE] ^= (uint8_t)(1 + i / 32);
        assert_int_equal(bench_send_bytes(&b, frame, n), REPLY_NOT_AUTHENTIC);
    }
    assert_int_equal(b.pump.nv.ram.last_sequence, last);
    assert_int_equal(b.pump.nv.flash.last_sequence, last);
    assert_int_equal(bench_send(&b, OP_STATUS, NULL, 0), REPLY_OK);
}

MITIGATION_TEST("M-CMD-FRESHNESS", EFFECTIVENESS)
static void test_commands_newer_than_the_last_are_accepted(void **state)
{
    uint32_t last = 0;
    struct bench b;

    (void)state;
    assert_true(auth_accept_sequence(&last, 1));
    /* Frames lost on the air leave gaps, which are fine. */
    assert_true(auth_accept_sequence(&last, 5));
    assert_int_equal(last, 5);
    assert_false(auth_accept_sequence(&last, 5));

    bench_start(&b);
    for (int i = 0; i < 10; i++)
        assert_int_equal(bench_send(&b, OP_STATUS, NULL, 0), REPLY_OK);
    assert_int_equal(b.pump.nv.flash.last_sequence, b.sequence);
}

/*
 * The attacker records a genuine bolus on the air and sends it again:
 * at once, after cutting the pump's power, and together with older
 * recordings; then renumbers it to look new. Only the first delivery
 * happens.
 */
MITIGATION_TEST("M-CMD-FRESHNESS", THWART)
static void test_recorded_commands_replayed_are_refused(void **state)
{
    uint8_t older[FRAME_MAX_SIZE], bolus[FRAME_MAX_SIZE];
    uint8_t payload[DOSE_PAYLOAD_SIZE];
    size_t older_size, bolus_size;
    struct bench b;

    (void)state;
    bench_start(&b);
    assert_int_equal(bench_login(&b, bench_pin), REPLY_OK);
    older_size =
            bench_seal(b.keys.session, older, OP_STATUS, ++b.sequence, NULL, 0);
    assert_int_equal(bench_send_bytes(&b, older, older_size), REPLY_OK);
    bench_dose_payload(payload, DRUG_MORPHINE, DOSE_MICROGRAM, 1500);
    bolus_size = bench_seal(b.keys.session, bolus, OP_BOLUS, ++b.sequence,
                            payload, sizeof(payload));
    assert_int_equal(bench_send_bytes(&b, bolus, bolus_size), REPLY_OK);
    assert_int_equal(b.pump.infusion.bolus_total_ug, 1500);

    assert_int_equal(bench_send_bytes(&b, bolus, bolus_size), REPLY_REPLAYED);
    assert_int_equal(bench_send_bytes(&b, older, older_size), REPLY_REPLAYED);
    assert_int_equal(b.pump.infusion.bolus_total_ug, 1500);
    bench_power_cycle(&b);
    assert_int_equal(bench_send_bytes(&b, bolus, bolus_size), REPLY_REPLAYED);
    bolus[4] ^= 0x80; /* sequence number, lowest byte, pushed higher */
    assert_int_equal(bench_send_bytes(&b, bolus, bolus_size),
                     REPLY_NOT_AUTHENTIC);

    assert_int_equal(b.pump.infusion.bolus_total_ug, 0);
    assert_int_equal(bench_count_events(&b, EV_REPLAY_REJECTED), 3);
    assert_int_equal(bench_count_events(&b, EV_BOLUS), 1);
}

/*
 * At the top of the counter nothing wraps back to "new", and refused
 * frames do not move the counter in either direction.
 */
MITIGATION_TEST("M-CMD-FRESHNESS", SIDE_EFFECT)
static void test_counter_neither_wraps_nor_moves_on_refusals(void **state)
{
    uint8_t frame[FRAME_MAX_SIZE];
    struct bench b;
    size_t n;

    (void)state;
    bench_start(&b);
    b.sequence = UINT32_MAX - 1;
    assert_int_equal(bench_send(&b, OP_STATUS, NULL, 0), REPLY_OK);
    assert_int_equal(b.pump.nv.ram.last_sequence, UINT32_MAX);

    for (uint32_t seq = 0; seq < 3; seq++) {
        n = bench_seal(b.keys.session, frame, OP_STATUS, seq, NULL, 0);
        assert_int_equal(bench_send_bytes(&b, frame, n), REPLY_REPLAYED);
    }
    n = bench_seal(b.keys.session, frame, OP_STATUS, UINT32_MAX, NULL, 0);
    assert_int_equal(bench_send_bytes(&b, frame, n), REPLY_REPLAYED);
    assert_int_equal(b.pump.nv.ram.last_sequence, UINT32_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(
                    test_commands_tagged_with_the_session_key_are_carried_out),
            cmocka_unit_test(test_altered_and_forged_commands_are_refused),
            cmocka_unit_test(test_forged_frames_cannot_desynchronise_the_app),
            cmocka_unit_test(test_commands_newer_than_the_last_are_accepted),
            cmocka_unit_test(test_recorded_commands_replayed_are_refused),
            cmocka_unit_test(test_counter_neither_wraps_nor_moves_on_refusals),
    };

    return cmocka_run_group_tests_name("command", tests, NULL, NULL);
}
