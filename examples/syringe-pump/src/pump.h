/*
 * pump.h: the syringe pump controller's command handling.
 *
 * pump_receive() takes one command frame from a BLE connection or from
 * the wired service port and answers it. Each frame passes, in order:
 * the link policy (BLE only), the frame parser, the tag check, the
 * sequence check, and then, for commands that change the therapy, a
 * clinician login and the drug library's limits. Every refusal and
 * every change of therapy is written to the event log, and the state
 * that must survive a power cut is committed before the reply.
 *
 * STOP needs an authentic, fresh frame but no login: stopping an
 * infusion must never wait for a PIN.
 */
#ifndef PUMP_PUMP_H
#define PUMP_PUMP_H

#include "ble_gap.h"
#include "dose.h"
#include "nv.h"

#include <stddef.h>
#include <stdint.h>

#define PUMP_SERVICE_PORT (-1) /* the conn of the wired service port */
#define PUMP_SESSION_IDLE_SECONDS (10 * 60)

/* The secure element's contents; never written to flash. */
struct pump_keys {
    uint8_t device[32];  /* PIN verifiers */
    uint8_t session[32]; /* command tags, agreed at pairing with the app */
    uint8_t log[32];     /* event log MACs, shared with the gateway */
    uint8_t release_anchor[32]; /* the public release key, from ROM */
};

struct infusion {
    int running;
    uint16_t drug;
    uint32_t rate_ug_per_h;
    uint32_t bolus_total_ug;
};

struct pump {
    struct nv_store nv;
    const struct pump_keys *keys;
    const struct drug_library *library;
    struct ble_gap gap;
    int logged_in;
    uint64_t last_activity;
    struct infusion infusion;
    struct bolus_history boluses;
};

enum pump_reply {
    REPLY_OK,
    REPLY_LINK_INSECURE,
    REPLY_MALFORMED,
    REPLY_NOT_AUTHENTIC,
    REPLY_REPLAYED,
    REPLY_PIN_WRONG,
    REPLY_PIN_LOCKED,
    REPLY_LOGIN_REQUIRED,
    REPLY_REFUSED,
};

/*
 * Writes the factory image of a new pump to *flash: the clinician PIN,
 * firmware 1.0.0 (security version 1) confirmed in slot 0, an empty
 * log. Returns 0, or -1 when the PIN is not 4 to 8 digits.
 */
int pump_provision(struct nv_image *flash, const struct pump_keys *keys,
                   const char *pin);

/* Powers the pump on from *flash at time now: infusion stopped. */
void pump_boot(struct pump *p, const struct nv_image *flash,
               const struct pump_keys *keys, const struct drug_library *lib,
               uint64_t now);

/* Handles one command frame received on conn at time now. */
enum pump_reply pump_receive(struct pump *p, int conn, const uint8_t *bytes,
                             size_t size, uint64_t now);

/* Takes a firmware image from the service port, to try at next boot. */
enum fw_result pump_update(struct pump *p, const uint8_t *image, size_t size,
                           uint64_t now);

/* The running firmware passed its self-test. */
void pump_confirm_firmware(struct pump *p);

#endif
