/*
 * test_pump.c: tests of each mitigation, of each kind of 5.7.2, with
 * cmocka.
 *
 * Each test function carries the MITIGATION_TEST annotation that ties
 * it to its mitigation; cmocka reports it under the function's name,
 * which is how mitigate finds its result in the JUnit XML. Run with
 * CMOCKA_MESSAGE_OUTPUT=xml and CMOCKA_XML_FILE=build/junit.xml to
 * write that file (cmocka 1.1 does not replace an existing one, so
 * delete it first).
 */
#include "../src/pump.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

/* The clinician PIN the tests configure. */
static const char clinician_pin[] = "4711";

/* Enters a wrong PIN until the lockout starts, all at time now. */
static void lock_out(struct pin_state *st, uint64_t now)
{
    for (int i = 0; i < PIN_MAX_FAILURES; i++)
        assert_int_equal(pin_check(st, "0000", clinician_pin, now), PIN_WRONG);
}

MITIGATION_TEST("M-PIN-LOCKOUT", EFFECTIVENESS)
static void test_pin_locks_after_five_failures(void **state)
{
    struct pin_state st = {0};

    (void)state;
    for (int i = 0; i < PIN_MAX_FAILURES - 1; i++)
        assert_int_equal(pin_check(&st, "0000", clinician_pin, 100), PIN_WRONG);
    /* Four failures do not lock: the right PIN still opens. */
    assert_int_equal(pin_check(&st, clinician_pin, clinician_pin, 100), PIN_OK);

    lock_out(&st, 100);
    /* Five failures in a row lock, even against the right PIN. */
    assert_int_equal(pin_check(&st, clinician_pin, clinician_pin, 101),
                     PIN_LOCKED);
}

/*
 * The attacker tries every four-digit code as fast as the link allows.
 * Only the first PIN_MAX_FAILURES guesses are compared at all; every
 * later one, the right code among them, meets the lockout.
 */
MITIGATION_TEST("M-PIN-LOCKOUT", THWART)
static void test_pin_brute_force_of_all_codes_fails(void **state)
{
    struct pin_state st = {0};
    char guess[5];
    int wrong = 0, locked = 0;

    (void)state;
    for (int code = 0; code < 10000; code++) {
        snprintf(guess, sizeof(guess), "%04d", code);
        switch (pin_check(&st, guess, clinician_pin, 200)) {
        case PIN_OK:
            fail_msg("code %s was accepted during a brute force", guess);
            break;
        case PIN_WRONG:
            wrong++;
            break;
        case PIN_LOCKED:
            locked++;
            break;
        }
    }
    assert_int_equal(wrong, PIN_MAX_FAILURES);
    assert_int_equal(locked, 10000 - PIN_MAX_FAILURES);
}

/* The lockout ends on time, so it cannot keep a clinician out for good. */
MITIGATION_TEST("M-PIN-LOCKOUT", SIDE_EFFECT)
static void test_lockout_ends_so_clinicians_are_not_locked_out(void **state)
{
    struct pin_state st = {0};

    (void)state;
    lock_out(&st, 100);
    assert_int_equal(pin_check(&st, clinician_pin, clinician_pin,
                               100 + PIN_LOCKOUT_SECONDS - 1),
                     PIN_LOCKED);
    assert_int_equal(pin_check(&st, clinician_pin, clinician_pin,
                               100 + PIN_LOCKOUT_SECONDS),
                     PIN_OK);
}

MITIGATION_TEST("M-CMD-FRESHNESS", EFFECTIVENESS)
static void test_newer_command_is_accepted(void **state)
{
    uint32_t last = 7;
    const struct command cmd = {8, 100};

    (void)state;
    assert_true(command_accept(&last, &cmd));
    assert_int_equal(last, 8);
}

/* A recorded command sent again, and an older one, change nothing. */
MITIGATION_TEST("M-CMD-FRESHNESS", THWART)
static void test_replayed_command_is_rejected(void **state)
{
    uint32_t last = 41;
    const struct command recorded = {42, 100};
    const struct command older = {17, 100};

    (void)state;
    assert_true(command_accept(&last, &recorded));
    assert_false(command_accept(&last, &recorded));
    assert_false(command_accept(&last, &older));
    assert_int_equal(last, 42);
}

/*
 * At the largest sequence number the counter must not wrap to 0, which
 * would make every recorded command fresh again.
 */
MITIGATION_TEST("M-CMD-FRESHNESS", SIDE_EFFECT)
static void test_sequence_at_maximum_does_not_wrap(void **state)
{
    uint32_t last = UINT32_MAX;
    const struct command wrapped = {0, 100};

    (void)state;
    assert_false(command_accept(&last, &wrapped));
    assert_int_equal(last, UINT32_MAX);
}

/* The limit holds for the check itself and for a remote command. */
MITIGATION_TEST("M-DOSE-LIMIT", EFFECTIVENESS)
static void test_dose_above_limit_is_refused(void **state)
{
    uint32_t last = 0;
    const struct command too_much = {1, 5001};

    (void)state;
    assert_false(dose_within_limits(5001, 5000));
    assert_false(dose_within_limits(UINT16_MAX, 5000));
    assert_true(dose_within_limits(5000, 5000));
    assert_false(command_accept(&last, &too_much));
    assert_int_equal(last, 0);
}

/*
 * The lower end holds too: a limit that checked only the top would let
 * a remote command stop the infusion with a zero dose.
 */
MITIGATION_TEST("M-DOSE-LIMIT", SIDE_EFFECT)
static void test_zero_dose_is_refused(void **state)
{
    (void)state;
    assert_false(dose_within_limits(0, 5000));
    assert_true(dose_within_limits(1, 5000));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_pin_locks_after_five_failures),
            cmocka_unit_test(test_pin_brute_force_of_all_codes_fails),
            cmocka_unit_test(
                    test_lockout_ends_so_clinicians_are_not_locked_out),
            cmocka_unit_test(test_newer_command_is_accepted),
            cmocka_unit_test(test_replayed_command_is_rejected),
            cmocka_unit_test(test_sequence_at_maximum_does_not_wrap),
            cmocka_unit_test(test_dose_above_limit_is_refused),
            cmocka_unit_test(test_zero_dose_is_refused),
    };

    return cmocka_run_group_tests_name("syringe-pump", tests, NULL, NULL);
}
