/*
 * test_dose.c: the drug library's hard limits (M-DOSE-LIMIT), tested
 * for effectiveness, against attempts to get past them, and for side
 * effects. threats.yaml also declares a penetration test of them, PT-3.
 */
#include "bench.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* A bench pump with the clinician logged in. */
static void start_logged_in(struct bench *b)
{
    bench_start(b);
    assert_int_equal(bench_login(b, bench_pin), REPLY_OK);
}

MITIGATION_TEST("M-DOSE-LIMIT", EFFECTIVENESS)
static void
test_doses_within_the_library_are_given_and_others_refused(void **state)
{
    struct bench b;

    (void)state;
    start_logged_in(&b);
    assert_int_equal(bench_rate(&b, DRUG_MORPHINE, DOSE_MILLIGRAM, 4),
                     REPLY_OK);
    assert_int_equal(b.pump.infusion.rate_ug_per_h, 4000);
    assert_int_equal(bench_rate(&b, DRUG_MORPHINE, DOSE_MICROGRAM, 10001),
                     REPLY_REFUSED);
    assert_int_equal(bench_rate(&b, DRUG_MORPHINE, DOSE_MILLIGRAM, 11),
                     REPLY_REFUSED);
    assert_int_equal(b.pump.infusion.rate_ug_per_h, 4000);

    assert_int_equal(bench_bolus(&b, DRUG_MORPHINE, DOSE_MICROGRAM, 2000),
                     REPLY_OK);
    assert_int_equal(bench_bolus(&b, DRUG_MORPHINE, DOSE_MICROGRAM, 2001),
                     REPLY_REFUSED);
    assert_int_equal(b.pump.infusion.bolus_total_ug, 2000);
    assert_int_equal(bench_count_events(&b, EV_DOSE_REFUSED), 3);
}

/*
 * A compromised app, or a clinician misled by one, tries to get past
 * the limits: a milligram amount that wraps to a small one in 32 bits,
 * units the pump does not know, a drug not in the library, and stacked
 * boluses, each under the bolus limit, large ones and then many tiny
 * ones, spread over two drugs.
 */
MITIGATION_TEST("M-DOSE-LIMIT", THWART)
static void test_attempts_to_get_past_the_limits_are_refused(void **state)
{
    static const uint8_t bad_units[] = {0, 3, 0x81, 0xFF};
    struct bench b;

    (void)state;
    start_logged_in(&b);
    /* 4294968 mg is 4294968000 ug: 672 ug once it wraps in 32 bits. */
    assert_int_equal(bench_rate(&b, DRUG_MORPHINE, DOSE_MILLIGRAM, 4294968u),
                     REPLY_REFUSED);
    assert_int_equal(bench_rate(&b, DRUG_MORPHINE, DOSE_MILLIGRAM, UINT32_MAX),
                     REPLY_REFUSED);
    assert_int_equal(bench_bolus(&b, DRUG_FENTANYL, DOSE_MILLIGRAM, 4294968u),
                     REPLY_REFUSED);
    for (size_t i = 0; i < sizeof(bad_units); i++)
        assert_int_equal(bench_rate(&b, DRUG_MORPHINE, bad_units[i], 10),
                         REPLY_REFUSED);
    assert_int_equal(bench_rate(&b, DRUG_UNKNOWN, DOSE_MICROGRAM, 1),
                     REPLY_REFUSED);
    assert_false(b.pump.infusion.running);

    /* 2 + 2 + 1 mg is the morphine limit per hour; more is refused. */
    assert_int_equal(bench_bolus(&b, DRUG_MORPHINE, DOSE_MILLIGRAM, 2),
                     REPLY_OK);
    assert_int_equal(bench_bolus(&b, DRUG_MORPHINE, DOSE_MILLIGRAM, 2),
                     REPLY_OK);
    assert_int_equal(bench_bolus(&b, DRUG_MORPHINE, DOSE_MICROGRAM, 1000),
                     REPLY_OK);
    assert_int_equal(bench_bolus(&b, DRUG_MORPHINE, DOSE_MICROGRAM, 1),
                     REPLY_REFUSED);
    /* Another drug's boluses do not reset morphine's. */
    assert_int_equal(bench_bolus(&b, DRUG_FENTANYL, DOSE_MICROGRAM, 10),
                     REPLY_OK);
    assert_int_equal(bench_bolus(&b, DRUG_MORPHINE, DOSE_MICROGRAM, 1),
                     REPLY_REFUSED);
    /* Tiny boluses cannot push the big ones out of the history. */
    for (int i = 0; i < BOLUS_HISTORY - 4; i++)
        assert_int_equal(bench_bolus(&b, DRUG_FENTANYL, DOSE_MICROGRAM, 1),
                         REPLY_OK);
    assert_int_equal(bench_bolus(&b, DRUG_FENTANYL, DOSE_MICROGRAM, 1),
                     REPLY_REFUSED);
    assert_int_equal(bench_bolus(&b, DRUG_MORPHINE, DOSE_MICROGRAM, 1),
                     REPLY_REFUSED);
    assert_int_equal(b.pump.infusion.bolus_total_ug, 5000 + 10 + 4);
}

/*
 * The limits refuse what is wrong and nothing more: a refused program
 * leaves the running infusion as it was, the limit itself can be
 * programmed, and boluses are possible again once the hour has passed.
 */
MITIGATION_TEST("M-DOSE-LIMIT", SIDE_EFFECT)
static void
test_refusals_leave_therapy_running_and_limits_reachable(void **state)
{
    struct bench b;

    (void)state;
    start_logged_in(&b);
    assert_int_equal(bench_rate(&b, DRUG_MORPHINE, DOSE_MICROGRAM, 10000),
                     REPLY_OK);
    assert_int_equal(bench_rate(&b, DRUG_MORPHINE, DOSE_MILLIGRAM, 50),
                     REPLY_REFUSED);
    assert_int_equal(bench_rate(&b, DRUG_MORPHINE, DOSE_MICROGRAM, 0),
                     REPLY_REFUSED);
    assert_true(b.pump.infusion.running);
    assert_int_equal(b.pump.infusion.rate_ug_per_h, 10000);

    assert_int_equal(bench_bolus(&b, DRUG_FENTANYL, DOSE_MICROGRAM, 50),
                     REPLY_OK);
    assert_int_equal(bench_bolus(&b, DRUG_FENTANYL, DOSE_MICROGRAM, 50),
                     REPLY_OK);
    assert_int_equal(bench_bolus(&b, DRUG_FENTANYL, DOSE_MICROGRAM, 50),
                     REPLY_OK);
    assert_int_equal(bench_bolus(&b, DRUG_FENTANYL, DOSE_MICROGRAM, 50),
                     REPLY_REFUSED);
    b.now += BOLUS_WINDOW_SECONDS;
    assert_int_equal(bench_login(&b, bench_pin), REPLY_OK);
    assert_int_equal(bench_bolus(&b, DRUG_FENTANYL, DOSE_MICROGRAM, 50),
                     REPLY_OK);
    assert_true(b.pump.infusion.running);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(
                    test_doses_within_the_library_are_given_and_others_refused),
            cmocka_unit_test(test_attempts_to_get_past_the_limits_are_refused),
            cmocka_unit_test(
                    test_refusals_leave_therapy_running_and_limits_reachable),
    };

    return cmocka_run_group_tests_name("dose", tests, NULL, NULL);
}
