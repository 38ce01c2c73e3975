/* bench.c: the test bench of the example's tests. */
#include "bench.h"

#include "../src/auth.h"

#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

const char bench_pin[] = "739164";

static const struct drug_entry drugs[] = {
        {DRUG_MORPHINE, "morphine", 10000, 2000, 5000},
        {DRUG_FENTANYL, "fentanyl", 200, 50, 150},
};
const struct drug_library bench_library = {drugs, 2};

static void random_bytes(uint8_t *out, size_t size)
{
    if (RAND_bytes(out, (int)size) != 1)
        abort();
}

int bench_pair(struct bench *b)
{
    const struct ble_pairing_request app = {BLE_IO_DISPLAY_YES_NO, 1, 1};
    int conn = ble_gap_connect(&b->pump.gap);

    if (conn < 0 || ble_gap_pair(&b->pump.gap, conn, &app) != BLE_SEC_LESC)
        abort();
    return conn;
}

void bench_start(struct bench *b)
{
    struct nv_image factory;

    memset(b, 0, sizeof(*b));
    random_bytes(b->keys.device, sizeof(b->keys.device));
    random_bytes(b->keys.session, sizeof(b->keys.session));
    random_bytes(b->keys.log, sizeof(b->keys.log));
    random_bytes(b->keys.release_anchor, sizeof(b->keys.release_anchor));
    if (pump_provision(&factory, &b->keys, bench_pin) < 0)
        abort();
    b->now = BENCH_EPOCH;
    pump_boot(&b->pump, &factory, &b->keys, &bench_library, b->now);
    b->conn = bench_pair(b);
}

size_t bench_seal(const uint8_t key[32], uint8_t *out, uint8_t opcode,
                  uint32_t sequence, const void *payload, uint16_t size)
{
    size_t n = frame_encode(out, opcode, sequence, payload, size);

    if (n == 0 || auth_tag(key, out, n, out + n) < 0)
        abort();
    return n + FRAME_TAG_SIZE;
}

enum pump_reply bench_send(struct bench *b, uint8_t opcode, const void *payload,
                           uint16_t size)
{
    uint8_t frame[FRAME_MAX_SIZE];
    size_t n = bench_seal(b->keys.session, frame, opcode, ++b->sequence,
                          payload, size);

    return bench_send_bytes(b, frame, n);
}

enum pump_reply bench_send_bytes(struct bench *b, const uint8_t *bytes,
                                 size_t size)
{
    return pump_receive(&b->pump, b->conn, bytes, size, b->now++);
}

enum pump_reply bench_login(struct bench *b, const char *pin)
{
    uint8_t payload[LOGIN_PAYLOAD_SIZE] = {0};
    size_t n = strlen(pin);

    memcpy(payload, pin, n < sizeof(payload) ? n : sizeof(payload));
    return bench_send(b, OP_LOGIN, payload, sizeof(payload));
}

void bench_dose_payload(uint8_t out[DOSE_PAYLOAD_SIZE], uint16_t drug,
                        uint8_t unit, uint32_t amount)
{
    out[0] = (uint8_t)drug;
    out[1] = (uint8_t)(drug >> 8);
    out[2] = unit;
    for (int i = 0; i < 4; i++)
        out[3 + i] = (uint8_t)(amount >> (8 * i));
}

enum pump_reply bench_rate(struct bench *b, uint16_t drug, uint8_t unit,
                           uint32_t amount)
{
    uint8_t payload[DOSE_PAYLOAD_SIZE];

    bench_dose_payload(payload, drug, unit, amount);
    return bench_send(b, OP_SET_RATE, payload, sizeof(payload));
}

enum pump_reply bench_bolus(struct bench *b, uint16_t drug, uint8_t unit,
                            uint32_t amount)
{
    uint8_t payload[DOSE_PAYLOAD_SIZE];

    bench_dose_payload(payload, drug, unit, amount);
    return bench_send(b, OP_BOLUS, payload, sizeof(payload));
}

void bench_power_cycle(struct bench *b)
{
    struct nv_image flash = b->pump.nv.flash;

    pump_boot(&b->pump, &flash, &b->keys, &bench_library, b->now);
    b->conn = bench_pair(b);
}

unsigned bench_count_events(const struct bench *b, enum event_type type)
{
    struct log_entry entries[LOG_CAPACITY];
    size_t n = log_export(&b->pump.nv.ram.log, entries);
    unsigned count = 0;

    for (size_t i = 0; i < n; i++)
        count += entries[i].type == type;
    return count;
}

uint8_t *bench_exact_copy(const uint8_t *bytes, size_t size)
{
    uint8_t *copy = malloc(size ? size : 1);

    if (!copy)
        abort();
    if (size)
        memcpy(copy, bytes, size);
    return copy;
}
