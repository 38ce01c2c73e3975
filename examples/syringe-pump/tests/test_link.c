/*
 * test_link.c: the BLE link policy (M-BLE-LESC), tested for
 * effectiveness, against pairing downgrades and unpaired writes, and for
 * side effects. The pairing policy itself runs in the vendor's BLE
 * stack, which threats.yaml binds to the mitigation with implemented_by;
 * these tests reach it through link_configure(), which pump_boot() calls.
 * threats.yaml also declares the penetration test PT-4 of it.
 */
#include "bench.h"

#include "../src/link.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

MITIGATION_TEST("M-BLE-LESC", EFFECTIVENESS)
static void test_numeric_comparison_pairing_gives_a_command_link(void **state)
{
    const struct ble_pairing_request app = {BLE_IO_DISPLAY_YES_NO, 1, 1};
    const struct ble_pairing_request keyboard = {BLE_IO_KEYBOARD_ONLY, 1, 1};
    struct ble_gap gap;
    struct bench b;
    int conn;

    (void)state;
    ble_gap_init(&gap, BLE_IO_DISPLAY_YES_NO);
    assert_int_equal(link_configure(&gap), 0);
    conn = ble_gap_connect(&gap);
    assert_int_equal(ble_gap_pair(&gap, conn, &app), BLE_SEC_LESC);
    assert_true(link_may_write(&gap, conn));
    conn = ble_gap_connect(&gap);
    assert_int_equal(ble_gap_pair(&gap, conn, &keyboard), BLE_SEC_LESC);

    bench_start(&b);
    assert_int_equal(ble_gap_security(&b.pump.gap, b.conn), BLE_SEC_LESC);
    assert_int_equal(bench_send(&b, OP_STATUS, NULL, 0), REPLY_OK);
}

/*
 * A central in range tries the pairing methods a man in the middle can
 * sit in (Just Works, legacy passkey, no MITM protection asked for),
 * and writes commands, even correctly tagged ones, on a link that never
 * paired. The pump refuses all of it.
 */
MITIGATION_TEST("M-BLE-LESC", THWART)
static void
test_pairing_downgrades_and_unpaired_writes_are_refused(void **state)
{
    static const struct ble_pairing_request weak[] = {
            {BLE_IO_NONE, 1, 1},           /* Just Works */
            {BLE_IO_DISPLAY_YES_NO, 0, 1}, /* legacy pairing */
            {BLE_IO_KEYBOARD_ONLY, 0, 1},  /* legacy passkey */
            {BLE_IO_DISPLAY_YES_NO, 1, 0}, /* no MITM protection */
    };
    uint8_t frame[FRAME_MAX_SIZE];
    struct bench b;
    size_t n;

    (void)state;
    bench_start(&b);
    n = bench_seal(b.keys.session, frame, OP_STOP, 1000, NULL, 0);
    for (size_t i = 0; i < sizeof(weak) / sizeof(*weak); i++) {
        int conn = ble_gap_connect(&b.pump.gap);

        assert_int_equal(ble_gap_pair(&b.pump.gap, conn, &weak[i]), -1);
        assert_int_equal(ble_gap_security(&b.pump.gap, conn), BLE_SEC_OPEN);
        assert_int_equal(pump_receive(&b.pump, conn, frame, n, b.now),
                         REPLY_LINK_INSECURE);
        ble_gap_disconnect(&b.pump.gap, conn);
    }
    assert_int_equal(bench_count_events(&b, EV_LINK_REFUSED), 4);
    assert_int_equal(bench_count_events(&b, EV_STOP), 0);
}

/*
 * Refusing weak centrals costs the paired app nothing: while a central
 * keeps failing to pair, the app's link stays secure, its commands are
 * carried out, and the wired service port works as before.
 */
MITIGATION_TEST("M-BLE-LESC", SIDE_EFFECT)
static void test_refused_centrals_do_not_disturb_the_paired_app(void **state)
{
    const struct ble_pairing_request just_works = {BLE_IO_NONE, 1, 0};
    uint8_t frame[FRAME_MAX_SIZE];
    struct bench b;
    size_t n;

    (void)state;
    bench_start(&b);
    assert_int_equal(bench_login(&b, bench_pin), REPLY_OK);
    for (int i = 0; i < 50; i++) {
        int conn = ble_gap_connect(&b.pump.gap);

        assert_true(conn >= 0);
        assert_int_equal(ble_gap_pair(&b.pump.gap, conn, &just_works), -1);
        ble_gap_disconnect(&b.pump.gap, conn);
        assert_int_equal(bench_rate(&b, DRUG_MORPHINE, DOSE_MICROGRAM,
                                    100 + (uint32_t)i),
                         REPLY_OK);
    }
    assert_int_equal(ble_gap_security(&b.pump.gap, b.conn), BLE_SEC_LESC);
    assert_int_equal(b.pump.infusion.rate_ug_per_h, 149);

    n = bench_seal(b.keys.session, frame, OP_STOP, ++b.sequence, NULL, 0);
    assert_int_equal(pump_receive(&b.pump, PUMP_SERVICE_PORT, frame, n, b.now),
                     REPLY_OK);
    assert_false(b.pump.infusion.running);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(
                    test_numeric_comparison_pairing_gives_a_command_link),
            cmocka_unit_test(
                    test_pairing_downgrades_and_unpaired_writes_are_refused),
            cmocka_unit_test(
                    test_refused_centrals_do_not_disturb_the_paired_app),
    };

    return cmocka_run_group_tests_name("link", tests, NULL, NULL);
}
