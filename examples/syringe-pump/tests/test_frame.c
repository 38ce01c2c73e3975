/*
 * test_frame.c: the bounds of the frame parser (M-FRAME-BOUNDS), tested
 * for effectiveness, against malformed and oversized input, and for side
 * effects. Every buffer handed to the parser is a heap block of exactly
 * its size, so that AddressSanitizer fails the test on any read past it.
 */
#include "bench.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* A small deterministic generator (xorshift32), so failures repeat. */
static uint32_t next_random(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static enum frame_status parse_exact(const uint8_t *bytes, size_t size,
                                     struct frame *out)
{
    uint8_t *copy = bench_exact_copy(bytes, size);
    enum frame_status status = frame_parse(copy, size, out);

    free(copy);
    return status;
}

MITIGATION_TEST("M-FRAME-BOUNDS", EFFECTIVENESS)
static void test_well_formed_frames_parse_field_by_field(void **state)
{
    static const struct {
        uint8_t opcode;
        uint16_t size;
    } kinds[] = {{OP_STATUS, 0},
                 {OP_LOGIN, LOGIN_PAYLOAD_SIZE},
                 {OP_LOGOUT, 0},
                 {OP_SET_RATE, DOSE_PAYLOAD_SIZE},
                 {OP_BOLUS, DOSE_PAYLOAD_SIZE},
                 {OP_STOP, 0}};
    uint8_t key[32] = {7}, payload[FRAME_MAX_PAYLOAD], frame[FRAME_MAX_SIZE];
    struct frame f;

    (void)state;
    for (size_t i = 0; i < sizeof(payload); i++)
        payload[i] = (uint8_t)(0xC0 + i);
    for (size_t k = 0; k < sizeof(kinds) / sizeof(*kinds); k++) {
        size_t n = bench_seal(key, frame, kinds[k].opcode, 0x01020304u + k,
                              payload, kinds[k].size);

        assert_int_equal(parse_exact(frame, n, &f), FRAME_OK);
        assert_int_equal(f.opcode, kinds[k].opcode);
        assert_int_equal(f.sequence, 0x01020304u + k);
        assert_int_equal(f.payload_size, kinds[k].size);
        assert_int_equal(f.signed_size, FRAME_HEADER_SIZE + kinds[k].size);
        assert_memory_equal(frame_payload(&f), payload, kinds[k].size);
        assert_memory_equal(f.tag, frame + f.signed_size, FRAME_TAG_SIZE);
    }
}

/*
 * What an attacker's radio or a broken service tool can send: every
 * value of the size field over a genuine frame; the frame cut short at
 * every length or padded; a 64 KiB frame that says so; and twenty
 * thousand random mutations. The parser accepts only frames whose
 * size adds up, and never reads outside what it was given.
 */
MITIGATION_TEST("M-FRAME-BOUNDS", THWART)
static void test_malformed_and_oversized_frames_are_refused(void **state)
{
    uint8_t key[32] = {9}, payload[DOSE_PAYLOAD_SIZE] = {0};
    uint8_t genuine[FRAME_MAX_SIZE], mutated[FRAME_MAX_SIZE + 64];
    uint8_t *huge;
    uint32_t seed = 0x2545F491u;
    unsigned accepted = 0;
    struct frame f;
    size_t n =
            bench_seal(key, genuine, OP_SET_RATE, 1, payload, sizeof(payload));

    (void)state;
    for (uint32_t size_field = 0; size_field <= 0xFFFF; size_field++) {
        memcpy(mutated, genuine, n);
        mutated[8] = (uint8_t)size_field;
        mutated[9] = (uint8_t)(size_field >> 8);
        accepted += parse_exact(mutated, n, &f) == FRAME_OK;
    }
    assert_int_equal(accepted, 1);

    for (size_t size = 0; size < n; size++)
        assert_int_not_equal(parse_exact(genuine, size, &f), FRAME_OK);
    memset(mutated, 0, sizeof(mutated));
    memcpy(mutated, genuine, n);
    for (size_t size = n + 1; size <= sizeof(mutated); size++)
        assert_int_equal(parse_exact(mutated, size, &f), FRAME_SIZE_MISMATCH);

    huge = calloc(1, 65535 + FRAME_HEADER_SIZE + FRAME_TAG_SIZE);
    assert_non_null(huge);
    memcpy(huge, genuine, FRAME_HEADER_SIZE);
    huge[8] = huge[9] = 0xFF;
    assert_int_equal(
            frame_parse(huge, 65535 + FRAME_HEADER_SIZE + FRAME_TAG_SIZE, &f),
            FRAME_TOO_LONG);
    free(huge);

    for (int round = 0; round < 20000; round++) {
        size_t size = next_random(&seed) % sizeof(mutated);
        int flips = 1 + next_random(&seed) % 4;

        memcpy(mutated, genuine, n);
        for (int i = 0; i < flips; i++)
            mutated[next_random(&seed) % sizeof(mutated)] ^=
                    (uint8_t)next_random(&seed);
        if (parse_exact(mutated, size, &f) == FRAME_OK) {
            assert_int_equal(size, f.signed_size + FRAME_TAG_SIZE);
            assert_true(f.payload_size <= FRAME_MAX_PAYLOAD);
        }
    }
}

/*
 * Garbage on the link is refused frame by frame: it does not end the
 * clinician's session, change the therapy, or stop the next genuine
 * command from being carried out.
 */
MITIGATION_TEST("M-FRAME-BOUNDS", SIDE_EFFECT)
static void test_refused_garbage_leaves_the_session_working(void **state)
{
    uint8_t garbage[300];
    uint32_t seed = 0x9E3779B9u;
    struct bench b;

    (void)state;
    bench_start(&b);
    assert_int_equal(bench_login(&b, bench_pin), REPLY_OK);
    assert_int_equal(bench_rate(&b, DRUG_FENTANYL, DOSE_MICROGRAM, 100),
                     REPLY_OK);
    for (int i = 0; i < 200; i++) {
        size_t size = next_random(&seed) % sizeof(garbage);
        enum pump_reply reply;

        for (size_t j = 0; j < size; j++)
            garbage[j] = (uint8_t)next_random(&seed);
        if (i % 2)
            garbage[0] = FRAME_MAGIC;
        reply = bench_send_bytes(&b, garbage, size);
        assert_true(reply == REPLY_MALFORMED || reply == REPLY_NOT_AUTHENTIC);
    }
    assert_true(b.pump.logged_in);
    assert_int_equal(b.pump.infusion.rate_ug_per_h, 100);
    assert_int_equal(bench_rate(&b, DRUG_FENTANYL, DOSE_MICROGRAM, 150),
                     REPLY_OK);
    assert_int_equal(b.pump.infusion.rate_ug_per_h, 150);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_well_formed_frames_parse_field_by_field),
            cmocka_unit_test(test_malformed_and_oversized_frames_are_refused),
            cmocka_unit_test(test_refused_garbage_leaves_the_session_working),
    };

    return cmocka_run_group_tests_name("frame", tests, NULL, NULL);
}
