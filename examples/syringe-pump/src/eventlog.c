/* eventlog.c: appending to and verifying the chained event log. */
#include "eventlog.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <string.h>

static void put_le(uint8_t *p, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* The MAC of e's previous MAC and fields, into mac; -1 on failure. */
static int entry_mac(const uint8_t key[LOG_KEY_SIZE], const struct log_entry *e,
                     uint8_t mac[LOG_MAC_SIZE])
{
    uint8_t message[LOG_MAC_SIZE + 18];
    unsigned int size = 0;

    memcpy(message, e->previous, LOG_MAC_SIZE);
    put_le(message + LOG_MAC_SIZE, e->sequence, 4);
    put_le(message + LOG_MAC_SIZE + 4, e->type, 2);
    put_le(message + LOG_MAC_SIZE + 6, e->arg, 4);
    put_le(message + LOG_MAC_SIZE + 10, e->time, 8);
    if (!HMAC(EVP_sha256(), key, LOG_KEY_SIZE, message, sizeof(message), mac,
              &size) ||
        size != LOG_MAC_SIZE)
        return -1;
    return 0;
}

void log_append(struct event_log *log, const uint8_t key[LOG_KEY_SIZE],
                uint16_t type, uint32_t arg, uint64_t now)
{
    struct log_entry *e = &log->ring[log->next_sequence % LOG_CAPACITY];

    memset(e, 0, sizeof(*e));
    e->sequence = log->next_sequence;
    e->type = type;
    e->arg = arg;
    e->time = now;
    memcpy(e->previous, log->last_mac, LOG_MAC_SIZE);
    /* An entry whose MAC cannot be made stays all zeros: it fails
       verification, which is the truth. */
    if (entry_mac(key, e, e->mac) == 0)
        memcpy(log->last_mac, e->mac, LOG_MAC_SIZE);
    log->next_sequence++;
}

size_t log_export(const struct event_log *log,
                  struct log_entry out[LOG_CAPACITY])
{
    uint32_t count = log->next_sequence < LOG_CAPACITY ? log->next_sequence
                                                       : LOG_CAPACITY;
    uint32_t first = log->next_sequence - count;

    for (uint32_t i = 0; i < count; i++)
        out[i] = log->ring[(first + i) % LOG_CAPACITY];
    return count;
}

long log_verify(const uint8_t key[LOG_KEY_SIZE],
                const struct log_entry *entries, size_t n,
                uint32_t next_sequence)
{
    uint32_t expected =
            next_sequence < LOG_CAPACITY ? next_sequence : LOG_CAPACITY;
    uint32_t first = next_sequence - expected;
    uint8_t mac[LOG_MAC_SIZE];

    for (size_t i = 0; i < n; i++) {
        const struct log_entry *e = &entries[i];

        if (e->sequence != first + i || entry_mac(key, e, mac) < 0 ||
            CRYPTO_memcmp(mac, e->mac, LOG_MAC_SIZE) != 0)
            return (long)i;
        if (i > 0 &&
            CRYPTO_memcmp(e->previous, entries[i - 1].mac, LOG_MAC_SIZE) != 0)
            return (long)i;
    }
    return n == expected ? -1 : (long)n;
}
