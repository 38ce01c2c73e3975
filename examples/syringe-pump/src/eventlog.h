/*
 * eventlog.h: the security event log, chained with HMAC-SHA256.
 *
 * The log keeps the latest LOG_CAPACITY events in flash. Each entry
 * carries the MAC of the entry before it and its own MAC, under the log
 * key from the secure element, over that previous MAC and its fields.
 * Sequence numbers count every event ever logged. Whoever holds the
 * key (the hospital's gateway, the manufacturer's service) can tell
 * from an export whether an entry was changed, removed, reordered or
 * added, and, given the next sequence number the pump reports, whether
 * the newest entries were cut off. Events that overwrite the oldest ones
 * when the log is full are expected and leave the rest verifiable.
 */
#ifndef PUMP_EVENTLOG_H
#define PUMP_EVENTLOG_H

#include <mitigate.h>
#include <stddef.h>
#include <stdint.h>

#define LOG_CAPACITY 64
#define LOG_KEY_SIZE 32
#define LOG_MAC_SIZE 32

enum event_type {
    EV_BOOT = 1,
    EV_LOGIN,
    EV_PIN_WRONG, /* arg: wrong PINs in a row */
    EV_LOCKOUT,
    EV_FRAME_REJECTED, /* arg: enum frame_status */
    EV_TAG_REJECTED,
    EV_REPLAY_REJECTED, /* arg: the sequence number */
    EV_LINK_REFUSED,
    EV_DOSE_REFUSED, /* arg: enum dose_result */
    EV_RATE_SET,     /* arg: micrograms per hour */
    EV_BOLUS,        /* arg: micrograms */
    EV_STOP,
    EV_FW_STAGED,   /* arg: security version */
    EV_FW_REJECTED, /* arg: enum fw_result */
};

struct log_entry {
    uint32_t sequence;
    uint16_t type; /* enum event_type */
    uint32_t arg;
    uint64_t time;
    uint8_t previous[LOG_MAC_SIZE];
    uint8_t mac[LOG_MAC_SIZE];
};

struct event_log {
    struct log_entry ring[LOG_CAPACITY];
    uint32_t next_sequence; /* events ever logged */
    uint8_t last_mac[LOG_MAC_SIZE];
};

/* Appends an event, overwriting the oldest when the log is full. */
MITIGATES("M-LOG-CHAIN")
void log_append(struct event_log *log, const uint8_t key[LOG_KEY_SIZE],
                uint16_t type, uint32_t arg, uint64_t now);

/* Copies the entries, oldest first, to out; returns how many. */
size_t log_export(const struct event_log *log,
                  struct log_entry out[LOG_CAPACITY]);

/*
 * Checks an export of n entries, oldest first, against next_sequence,
 * the count of events the pump reports: the export must hold the latest
 * min(next_sequence, LOG_CAPACITY) events, each intact and in order.
 * Returns -1 when it does, else the index of the first entry that is
 * wrong (n when entries are missing at the end).
 */
MITIGATES("M-LOG-CHAIN")
long log_verify(const uint8_t key[LOG_KEY_SIZE],
                const struct log_entry *entries, size_t n,
                uint32_t next_sequence);

#endif
