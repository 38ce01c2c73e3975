/*
 * pin.h: the clinician PIN, its stored verifier and the lockout.
 *
 * The pump never stores the PIN. It stores a verifier, HMAC-SHA256
 * under the device key of a random salt and the PIN, and the device
 * key stays in the secure element: a dump of the flash alone cannot be
 * searched for the PIN, not even by trying all 10^8 of them. PINs have
 * PIN_MIN_DIGITS to PIN_MAX_DIGITS digits and travel as PIN_MAX_DIGITS
 * bytes, the digits followed by zeros.
 *
 * Every attempt is counted, and the count committed to flash, before
 * the PIN is compared, so cutting the power after a wrong guess does not
 * take the guess back. After PIN_MAX_FAILURES wrong PINs in a row, no
 * PIN is compared for PIN_LOCKOUT_SECONDS.
 */
#ifndef PUMP_PIN_H
#define PUMP_PIN_H

#include <mitigate.h>
#include <stdint.h>

#define PIN_MIN_DIGITS 4
#define PIN_MAX_DIGITS 8
#define PIN_SALT_SIZE 16
#define PIN_VERIFIER_SIZE 32
#define PIN_KEY_SIZE 32
#define PIN_MAX_FAILURES 5
#define PIN_LOCKOUT_SECONDS (15 * 60)

struct nv_store;

/* What the flash holds about the PIN. */
struct pin_record {
    uint8_t salt[PIN_SALT_SIZE];
    uint8_t verifier[PIN_VERIFIER_SIZE];
    uint32_t failures;     /* wrong PINs since the last right one */
    uint64_t locked_until; /* seconds; no PIN is compared before it */
};

enum pin_result { PIN_OK, PIN_WRONG, PIN_LOCKED };

/*
 * Sets the PIN, a string of PIN_MIN_DIGITS to PIN_MAX_DIGITS digits:
 * draws a new salt and stores the verifier. Returns 0, or -1 when pin
 * is not such a string or libcrypto fails (r is then unchanged).
 */
MITIGATES("M-PIN-VERIFIER")
int pin_set(struct pin_record *r, const uint8_t device_key[PIN_KEY_SIZE],
            const char *pin);

/*
 * Whether entered, PIN_MAX_DIGITS bytes as they came over the link,
 * is the PIN of r. Takes the same time for every wrong PIN.
 */
MITIGATES("M-PIN-VERIFIER")
int pin_matches(const struct pin_record *r,
                const uint8_t device_key[PIN_KEY_SIZE],
                const uint8_t entered[PIN_MAX_DIGITS]);

/*
 * One login attempt at time now against the PIN record in nv's RAM
 * image, committing the count of failures to flash before comparing.
 */
MITIGATES("M-PIN-LOCKOUT")
enum pin_result pin_check(struct nv_store *nv,
                          const uint8_t device_key[PIN_KEY_SIZE],
                          const uint8_t entered[PIN_MAX_DIGITS], uint64_t now);

#endif
