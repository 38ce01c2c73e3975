/* test_pump.c: tests of each mitigation, of each kind of 5.7.2. */
#include "../src/pump.h"

#include <stdio.h>

static int failed;

#define EXPECT(cond)                                                           \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #cond);         \
            failed = 1;                                                        \
        }                                                                      \
    } while (0)

MITIGATION_TEST("M-PIN-LOCKOUT", EFFECTIVENESS)
static void test_pin_locks_after_five_failures(void)
{
    struct pin_state st = {0};

    for (int i = 0; i < PIN_MAX_FAILURES; i++)
        EXPECT(pin_check(&st, "0000", "4711", 100) == PIN_WRONG);
    EXPECT(pin_check(&st, "4711", "4711", 101) == PIN_LOCKED);
}

MITIGATION_TEST("M-PIN-LOCKOUT", THWART)
static void test_pin_brute_force_of_all_codes_fails(void)
{
    struct pin_state st = {0};
    char guess[5];
    int accepted = 0;

    for (int code = 0; code < 10000; code++) {
        snprintf(guess, sizeof(guess), "%04d", code);
        accepted |= pin_check(&st, guess, "4711", 200) == PIN_OK;
    }
    EXPECT(!accepted);
}

MITIGATION_TEST("M-PIN-LOCKOUT", SIDE_EFFECT)
static void test_lockout_ends_so_clinicians_are_not_locked_out(void)
{
    struct pin_state st = {0};

    for (int i = 0; i < PIN_MAX_FAILURES; i++)
        pin_check(&st, "0000", "4711", 100);
    EXPECT(pin_check(&st, "4711", "4711", 100 + PIN_LOCKOUT_SECONDS) == PIN_OK);
}

MITIGATION_TEST("M-CMD-FRESHNESS", EFFECTIVENESS)
static void test_newer_command_is_accepted(void)
{
    uint32_t last = 7;
    struct command cmd = {8, 100};

    EXPECT(command_accept(&last, &cmd) && last == 8);
}

MITIGATION_TEST("M-CMD-FRESHNESS", THWART)
static void test_replayed_command_is_rejected(void)
{
    uint32_t last = 0;
    struct command cmd = {1, 100};

    EXPECT(command_accept(&last, &cmd));
    EXPECT(!command_accept(&last, &cmd));
}

MITIGATION_TEST("M-CMD-FRESHNESS", SIDE_EFFECT)
static void test_sequence_at_maximum_does_not_wrap(void)
{
    uint32_t last = UINT32_MAX;
    struct command cmd = {0, 100};

    EXPECT(!command_accept(&last, &cmd));
}

MITIGATION_TEST("M-DOSE-LIMIT", EFFECTIVENESS)
static void test_dose_above_limit_is_refused(void)
{
    EXPECT(!dose_within_limits(5001, 5000));
    EXPECT(dose_within_limits(5000, 5000));
}

MITIGATION_TEST("M-DOSE-LIMIT", SIDE_EFFECT)
static void test_zero_dose_is_refused(void)
{
    EXPECT(!dose_within_limits(0, 5000));
}

int main(void)
{
    test_pin_locks_after_five_failures();
    test_pin_brute_force_of_all_codes_fails();
    test_lockout_ends_so_clinicians_are_not_locked_out();
    test_newer_command_is_accepted();
    test_replayed_command_is_rejected();
    test_sequence_at_maximum_does_not_wrap();
    test_dose_above_limit_is_refused();
    test_zero_dose_is_refused();
    return failed;
}
