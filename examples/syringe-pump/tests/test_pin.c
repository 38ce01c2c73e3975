/*
 * test_pin.c: the clinician PIN lockout (M-PIN-LOCKOUT) and the stored
 * PIN verifier (M-PIN-VERIFIER), each tested as IEC 81001-5-1 5.7.2
 * asks: that it works (EFFECTIVENESS), that attacks on it fail
 * (THWART), and that it brings no new weakness (SIDE_EFFECT).
 */
#include "bench.h"

#include "../src/pin.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

/* Sends PIN_MAX_FAILURES wrong PINs; the last one starts the lockout. */
static void lock_out(struct bench *b)
{
    for (int i = 0; i < PIN_MAX_FAILURES; i++)
        assert_int_equal(bench_login(b, "000000"), REPLY_PIN_WRONG);
}

MITIGATION_TEST("M-PIN-LOCKOUT", EFFECTIVENESS)
static void test_five_wrong_pins_lock_out_for_fifteen_minutes(void **state)
{
    struct bench b;

    (void)state;
    bench_start(&b);
    for (int i = 0; i < PIN_MAX_FAILURES - 1; i++)
        assert_int_equal(bench_login(&b, "111111"), REPLY_PIN_WRONG);
    /* Four wrong PINs do not lock; the right one still opens. */
    assert_int_equal(bench_login(&b, bench_pin), REPLY_OK);

    lock_out(&b);
    assert_int_equal(bench_count_events(&b, EV_LOCKOUT), 1);
    assert_int_equal(bench_login(&b, bench_pin), REPLY_PIN_LOCKED);
    b.now += PIN_LOCKOUT_SECONDS - 3;
    assert_int_equal(bench_login(&b, bench_pin), REPLY_PIN_LOCKED);
    b.now += 2;
    assert_int_equal(bench_login(&b, bench_pin), REPLY_OK);
}

/*
 * An attacker with the paired app tries every code, one a second, for
 * four hours, and cuts the pump's power after every guess in case the
 * count of failures lives only in RAM. The pump compares at most
 * PIN_MAX_FAILURES guesses per lockout period, and none of them opens.
 */
MITIGATION_TEST("M-PIN-LOCKOUT", THWART)
static void
test_brute_force_with_power_cuts_gets_five_guesses_per_lockout(void **state)
{
    const unsigned seconds = 4 * 3600;
    const unsigned periods = seconds / PIN_LOCKOUT_SECONDS + 1;
    unsigned compared = 0, locked = 0;
    struct bench b;
    char guess[8];

    (void)state;
    bench_start(&b);
    for (unsigned code = 0; code < seconds; code++) {
        snprintf(guess, sizeof(guess), "%06u", code);
        switch (bench_login(&b, guess)) {
        case REPLY_OK:
            fail_msg("code %s opened the pump during a brute force", guess);
            break;
        case REPLY_PIN_WRONG:
            compared++;
            break;
        case REPLY_PIN_LOCKED:
            locked++;
            break;
        default:
            fail_msg("unexpected reply to code %s", guess);
        }
        bench_power_cycle(&b);
    }
    assert_true(compared <= PIN_MAX_FAILURES * periods);
    assert_int_equal(compared + locked, seconds);
}

/*
 * The lockout stops logins and nothing else: the running infusion goes
 * on at its rate, STOP works without a PIN, and the lockout ends on
 * time, so a clinician is not kept out for good.
 */
MITIGATION_TEST("M-PIN-LOCKOUT", SIDE_EFFECT)
static void
test_lockout_neither_stops_therapy_nor_outlasts_its_time(void **state)
{
    struct bench b;

    (void)state;
    bench_start(&b);
    assert_int_equal(bench_login(&b, bench_pin), REPLY_OK);
    assert_int_equal(bench_rate(&b, DRUG_MORPHINE, DOSE_MICROGRAM, 4000),
                     REPLY_OK);
    assert_int_equal(bench_send(&b, OP_LOGOUT, NULL, 0), REPLY_OK);

    lock_out(&b);
    assert_true(b.pump.infusion.running);
    assert_int_equal(b.pump.infusion.rate_ug_per_h, 4000);
    assert_int_equal(bench_send(&b, OP_STOP, NULL, 0), REPLY_OK);
    assert_false(b.pump.infusion.running);

    b.now += PIN_LOCKOUT_SECONDS;
    assert_int_equal(bench_login(&b, bench_pin), REPLY_OK);
}

/*
 * Someone in radio range without the session key sends login frames
 * to lock the clinicians out. Frames that are not authentic never reach
 * the PIN check, so they count for nothing.
 */
MITIGATION_TEST("M-PIN-LOCKOUT", SIDE_EFFECT)
static void test_forged_login_frames_cannot_lock_clinicians_out(void **state)
{
    uint8_t stranger_key[32] = {0x5a};
    uint8_t payload[LOGIN_PAYLOAD_SIZE] = {0};
    uint8_t frame[FRAME_MAX_SIZE];
    struct bench b;

    (void)state;
    bench_start(&b);
    for (uint32_t i = 0; i < 100; i++) {
        size_t n = bench_seal(stranger_key, frame, OP_LOGIN, b.sequence + 1 + i,
                              payload, sizeof(payload));

        assert_int_equal(bench_send_bytes(&b, frame, n), REPLY_NOT_AUTHENTIC);
    }
    assert_int_equal(b.pump.nv.ram.pin.failures, 0);
    assert_int_equal(bench_login(&b, bench_pin), REPLY_OK);
}

MITIGATION_TEST("M-PIN-VERIFIER", EFFECTIVENESS)
static void test_verifier_accepts_the_pin_and_nothing_else(void **state)
{
    static const char *const not_pins[] = {"123", "123456789", "12a4", "",
                                           "12 34"};
    static const char *const wrong[] = {"739165", "73916", "7391640", "639164",
                                        "00739164"};
    uint8_t key[PIN_KEY_SIZE] = {1, 2, 3};
    uint8_t entered[PIN_MAX_DIGITS] = {0};
    struct pin_record r, before;

    (void)state;
    assert_int_equal(pin_set(&r, key, bench_pin), 0);
    memcpy(entered, bench_pin, strlen(bench_pin));
    assert_true(pin_matches(&r, key, entered));
    for (size_t i = 0; i < sizeof(wrong) / sizeof(*wrong); i++) {
        memset(entered, 0, sizeof(entered));
        memcpy(entered, wrong[i], strlen(wrong[i]));
        assert_false(pin_matches(&r, key, entered));
    }
    before = r;
    for (size_t i = 0; i < sizeof(not_pins) / sizeof(*not_pins); i++) {
        assert_int_equal(pin_set(&r, key, not_pins[i]), -1);
        assert_memory_equal(&r, &before, sizeof(r));
    }
}

/* Whether needle occurs in haystack. */
static int contains(const uint8_t *haystack, size_t size, const void *needle,
                    size_t needle_size)
{
    for (size_t i = 0; i + needle_size <= size; i++)
        if (memcmp(haystack + i, needle, needle_size) == 0)
            return 1;
    return 0;
}

/*
 * The attacker has a dump of the flash (a pump bought second-hand, a
 * board on the bench) and tries to read the PIN from it, or to find it
 * offline by trying candidates without the device key, which stays in
 * the secure element. Even with the right PIN among the candidates, no
 * unkeyed or wrongly keyed computation gives the stored verifier, and
 * two pumps with the same PIN store different verifiers.
 */
MITIGATION_TEST("M-PIN-VERIFIER", THWART)
static void test_flash_dump_does_not_give_the_pin_away(void **state)
{
    const uint8_t bcd[3] = {0x73, 0x91, 0x64};
    const uint32_t binary = 739164;
    uint8_t zero_key[32] = {0}, digest[32], message[PIN_SALT_SIZE + 8];
    unsigned int size;
    struct bench b, other;
    const uint8_t *dump;
    const struct pin_record *r;

    (void)state;
    bench_start(&b);
    assert_int_equal(bench_login(&b, "123456"), REPLY_PIN_WRONG);
    assert_int_equal(bench_login(&b, bench_pin), REPLY_OK);
    dump = (const uint8_t *)&b.pump.nv.flash;
    r = &b.pump.nv.flash.pin;

    assert_false(contains(dump, sizeof(b.pump.nv.flash), bench_pin,
                          strlen(bench_pin)));
    assert_false(contains(dump, sizeof(b.pump.nv.flash), bcd, sizeof(bcd)));
    assert_false(
            contains(dump, sizeof(b.pump.nv.flash), &binary, sizeof(binary)));

    for (unsigned code = 0; code <= 10000; code++) {
        char candidate[PIN_MAX_DIGITS + 1] = {0};

        if (code < 10000)
            snprintf(candidate, sizeof(candidate), "%04u", code);
        else
            memcpy(candidate, bench_pin, strlen(bench_pin));
        memcpy(message, r->salt, PIN_SALT_SIZE);
        memcpy(message + PIN_SALT_SIZE, candidate, 8);
        SHA256(message, sizeof(message), digest);
        assert_memory_not_equal(digest, r->verifier, sizeof(digest));
        HMAC(EVP_sha256(), zero_key, sizeof(zero_key), message, sizeof(message),
             digest, &size);
        assert_memory_not_equal(digest, r->verifier, sizeof(digest));
    }

    bench_start(&other);
    memcpy(other.keys.device, b.keys.device, sizeof(b.keys.device));
    assert_int_equal(
            pin_set(&other.pump.nv.ram.pin, other.keys.device, bench_pin), 0);
    assert_memory_not_equal(other.pump.nv.ram.pin.verifier, r->verifier,
                            PIN_VERIFIER_SIZE);
}

/*
 * The verifier gives an attacker no second channel: every wrong PIN,
 * however malformed, gets the one answer; during a lockout the right
 * PIN gets the same answer as a wrong one; and the log records the
 * count of failures, never what was entered.
 */
MITIGATION_TEST("M-PIN-VERIFIER", SIDE_EFFECT)
static void test_wrong_pins_get_one_answer_and_leave_no_trace(void **state)
{
    static const char *const wrong[] = {"739165", "7", "73916499", "abcd",
                                        "739164\x01"};
    struct log_entry entries[LOG_CAPACITY];
    struct bench b;
    size_t n;

    (void)state;
    bench_start(&b);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(bench_login(&b, wrong[i]), REPLY_PIN_WRONG);
    assert_int_equal(bench_login(&b, wrong[4]), REPLY_PIN_WRONG);
    assert_int_equal(bench_login(&b, bench_pin), REPLY_PIN_LOCKED);
    assert_int_equal(bench_login(&b, wrong[0]), REPLY_PIN_LOCKED);

    n = log_export(&b.pump.nv.ram.log, entries);
    for (size_t i = 0; i < n; i++) {
        if (entries[i].type == EV_PIN_WRONG)
            assert_in_range(entries[i].arg, 1, PIN_MAX_FAILURES - 1);
        if (entries[i].type == EV_LOCKOUT)
            assert_int_equal(entries[i].arg, PIN_LOCKOUT_SECONDS);
    }
    assert_int_equal(bench_count_events(&b, EV_PIN_WRONG),
                     PIN_MAX_FAILURES - 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_five_wrong_pins_lock_out_for_fifteen_minutes),
            cmocka_unit_test(
                    test_brute_force_with_power_cuts_gets_five_guesses_per_lockout),
            cmocka_unit_test(
                    test_lockout_neither_stops_therapy_nor_outlasts_its_time),
            cmocka_unit_test(
                    test_forged_login_frames_cannot_lock_clinicians_out),
            cmocka_unit_test(test_verifier_accepts_the_pin_and_nothing_else),
            cmocka_unit_test(test_flash_dump_does_not_give_the_pin_away),
            cmocka_unit_test(test_wrong_pins_get_one_answer_and_leave_no_trace),
    };

    return cmocka_run_group_tests_name("pin", tests, NULL, NULL);
}
