/*
 * nv.h: what the pump keeps in flash across a power cycle.
 *
 * The firmware works on a RAM image and commits it to flash with
 * nv_commit(); after a power cut only what was committed is there. The
 * keys are not in flash but in the secure element (struct pump_keys in
 * pump.h), so a dump of the flash holds no secret that opens the pump.
 */
#ifndef PUMP_NV_H
#define PUMP_NV_H

#include "eventlog.h"
#include "fwupdate.h"
#include "pin.h"

#include <stdint.h>

#define NV_FORMAT 0x53503201u

struct nv_image {
    uint32_t format;
    struct pin_record pin;
    uint32_t last_sequence; /* of the last command frame accepted */
    struct fw_state fw;
    struct event_log log;
};

struct nv_store {
    struct nv_image ram;
    struct nv_image flash;
    unsigned long commits;
};

/* Writes the RAM image to flash. */
static inline void nv_commit(struct nv_store *nv)
{
    nv->flash = nv->ram;
    nv->commits++;
}

#endif
