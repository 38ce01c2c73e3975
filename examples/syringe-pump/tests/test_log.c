/*
 * test_log.c: the chained security event log (M-LOG-CHAIN), tested for
 * effectiveness, against tampering, and for side effects.
 */
#include "bench.h"

#include "../src/eventlog.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

/* Exports the bench pump's log; returns the number of entries. */
static size_t export(const struct bench *b, struct log_entry *out)
{
    return log_export(&b->pump.nv.flash.log, out);
}

/* A refused frame: the app's next command with its tag broken. */
static void send_forged(struct bench *b)
{
    uint8_t frame[FRAME_MAX_SIZE];
    size_t n = bench_seal(b->keys.session, frame, OP_STATUS, b->sequence + 1,
                          NULL, 0);

    frame[n - 1] ^= 1;
    assert_int_equal(bench_send_bytes(b, frame, n), REPLY_NOT_AUTHENTIC);
}

MITIGATION_TEST("M-LOG-CHAIN", EFFECTIVENESS)
static void test_security_events_are_logged_in_a_verifiable_chain(void **state)
{
    static const uint16_t expected[] = {EV_BOOT,     EV_PIN_WRONG,    EV_LOGIN,
                                        EV_RATE_SET, EV_TAG_REJECTED, EV_STOP};
    struct log_entry entries[LOG_CAPACITY];
    struct bench b;
    size_t n;

    (void)state;
    bench_start(&b);
    assert_int_equal(bench_login(&b, "000000"), REPLY_PIN_WRONG);
    assert_int_equal(bench_login(&b, bench_pin), REPLY_OK);
    assert_int_equal(bench_rate(&b, DRUG_MORPHINE, DOSE_MICROGRAM, 1200),
                     REPLY_OK);
    send_forged(&b);
    assert_int_equal(bench_send(&b, OP_STOP, NULL, 0), REPLY_OK);

    n = export(&b, entries);
    assert_int_equal(n, sizeof(expected) / sizeof(*expected));
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(entries[i].type, expected[i]);
        assert_int_equal(entries[i].sequence, i);
    }
    assert_int_equal(entries[3].arg, 1200);
    assert_int_equal(log_verify(b.keys.log, entries, n,
                                b.pump.nv.flash.log.next_sequence),
                     -1);
}

/*
 * Someone with access to the exported log (or to the flash) tries to
 * hide what happened: changes the amount of a recorded rate, removes,
 * reorders or adds an entry, signs a change with a key of their own,
 * and cuts off the newest or the oldest entries. The gateway, holding
 * the log key, finds each.
 */
MITIGATION_TEST("M-LOG-CHAIN", THWART)
static void test_edited_removed_reordered_or_cut_entries_are_found(void **state)
{
    struct log_entry entries[LOG_CAPACITY], forged[LOG_CAPACITY];
    struct event_log own_log;
    uint8_t own_key[LOG_KEY_SIZE] = {0x77};
    uint32_t next;
    struct bench b;
    size_t n;

    (void)state;
    bench_start(&b);
    assert_int_equal(bench_login(&b, bench_pin), REPLY_OK);
    for (uint32_t rate = 1000; rate <= 5000; rate += 1000)
        assert_int_equal(bench_rate(&b, DRUG_MORPHINE, DOSE_MICROGRAM, rate),
                         REPLY_OK);
    n = export(&b, entries);
    next = b.pump.nv.flash.log.next_sequence;
    assert_int_equal(n, 7);

    memcpy(forged, entries, sizeof(entries));
    forged[4].arg = 100;
    assert_int_equal(log_verify(b.keys.log, forged, n, next), 4);

    memcpy(forged, entries, sizeof(entries));
    memmove(&forged[3], &forged[4], (n - 4) * sizeof(*forged));
    assert_int_equal(log_verify(b.keys.log, forged, n - 1, next), 3);

    memcpy(forged, entries, sizeof(entries));
    forged[3] = entries[4];
    forged[4] = entries[3];
    assert_int_equal(log_verify(b.keys.log, forged, n, next), 3);

    /* Re-signing the changed entry needs the key; another does not do. */
    memset(&own_log, 0, sizeof(own_log));
    memcpy(own_log.last_mac, entries[3].mac, LOG_MAC_SIZE);
    own_log.next_sequence = 4;
    log_append(&own_log, own_key, EV_RATE_SET, 100, entries[4].time);
    memcpy(forged, entries, sizeof(entries));
    forged[4] = own_log.ring[4];
    assert_int_equal(log_verify(b.keys.log, forged, n, next), 4);

    assert_int_equal(log_verify(b.keys.log, entries, n - 2, next), (long)n - 2);
    assert_int_equal(log_verify(b.keys.log, entries + 1, n - 1, next), 0);

    memcpy(forged, entries, sizeof(entries));
    forged[n] = entries[n - 1];
    forged[n].sequence = next;
    assert_int_equal(log_verify(b.keys.log, forged, n + 1, next + 1), (long)n);
    assert_int_equal(log_verify(b.keys.log, entries, n, next), -1);
}

/*
 * Logging costs the therapy nothing: when forged frames fill the log,
 * it wraps over the oldest events and stays verifiable, and the
 * clinician's next command is carried out and logged.
 */
MITIGATION_TEST("M-LOG-CHAIN", SIDE_EFFECT)
static void
test_full_log_wraps_verifiably_and_never_blocks_therapy(void **state)
{
    struct log_entry entries[LOG_CAPACITY];
    struct bench b;
    size_t n;

    (void)state;
    bench_start(&b);
    assert_int_equal(bench_login(&b, bench_pin), REPLY_OK);
    for (int i = 0; i < 3 * LOG_CAPACITY; i++)
        send_forged(&b);
    assert_int_equal(bench_rate(&b, DRUG_MORPHINE, DOSE_MICROGRAM, 800),
                     REPLY_OK);

    n = export(&b, entries);
    assert_int_equal(n, LOG_CAPACITY);
    assert_int_equal(entries[n - 1].type, EV_RATE_SET);
    assert_int_equal(entries[n - 1].sequence, 3 * LOG_CAPACITY + 2);
    assert_int_equal(log_verify(b.keys.log, entries, n,
                                b.pump.nv.flash.log.next_sequence),
                     -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(
                    test_security_events_are_logged_in_a_verifiable_chain),
            cmocka_unit_test(
                    test_edited_removed_reordered_or_cut_entries_are_found),
            cmocka_unit_test(
                    test_full_log_wraps_verifiably_and_never_blocks_therapy),
    };

    return cmocka_run_group_tests_name("log", tests, NULL, NULL);
}
