/*
 * bench.h: a pump on the test bench, and the clinician app's side of
 * the protocol, for the example's tests.
 *
 * bench_start() makes a pump with fresh random keys, provisions it with
 * bench_pin, boots it and pairs the app over BLE with LE Secure
 * Connections. The bench clock starts at BENCH_EPOCH and moves one
 * second with every frame sent; tests move it further by hand.
 */
#ifndef PUMP_BENCH_H
#define PUMP_BENCH_H

#include "../src/frame.h"
#include "../src/pump.h"

#include <stddef.h>
#include <stdint.h>

#define BENCH_EPOCH 1000000u

/* Two drugs of the bench's drug library, and their limits. */
#define DRUG_MORPHINE 12 /* 10 mg/h, bolus 2 mg, 5 mg per hour */
#define DRUG_FENTANYL 21 /* 200 ug/h, bolus 50 ug, 150 ug per hour */
#define DRUG_UNKNOWN 99

extern const char bench_pin[];
extern const struct drug_library bench_library;

struct bench {
    struct pump pump;
    struct pump_keys keys;
    uint32_t sequence; /* the app's last sequence number */
    uint64_t now;
    int conn; /* the app's paired BLE connection */
};

void bench_start(struct bench *b);

/* Pairs a new central with LE Secure Connections; returns its conn. */
int bench_pair(struct bench *b);

/*
 * Writes a frame tagged under key to out (FRAME_MAX_SIZE bytes) and
 * returns its size.
 */
size_t bench_seal(const uint8_t key[32], uint8_t *out, uint8_t opcode,
                  uint32_t sequence, const void *payload, uint16_t size);

/* The app sends a command with its next sequence number. */
enum pump_reply bench_send(struct bench *b, uint8_t opcode, const void *payload,
                           uint16_t size);

/* Bytes arrive on the app's connection, as they are. */
enum pump_reply bench_send_bytes(struct bench *b, const uint8_t *bytes,
                                 size_t size);

/* The app sends a login with pin, padded as the protocol wants. */
enum pump_reply bench_login(struct bench *b, const char *pin);

/* The app programs a rate, or a bolus, of amount in unit. */
enum pump_reply bench_rate(struct bench *b, uint16_t drug, uint8_t unit,
                           uint32_t amount);
enum pump_reply bench_bolus(struct bench *b, uint16_t drug, uint8_t unit,
                            uint32_t amount);

/* Writes a dose payload. */
void bench_dose_payload(uint8_t out[DOSE_PAYLOAD_SIZE], uint16_t drug,
                        uint8_t unit, uint32_t amount);

/*
 * Cuts the power and boots again from what was committed to flash; the
 * app reconnects (the bond, and so the session key, survive).
 */
void bench_power_cycle(struct bench *b);

/* Events of type in the pump's log. */
unsigned bench_count_events(const struct bench *b, enum event_type type);

/* A heap copy of size bytes, so that ASan catches any read past them. */
uint8_t *bench_exact_copy(const uint8_t *bytes, size_t size);

#endif
