/*
 * fwupdate.h: signed firmware images, two slots and anti-rollback.
 *
 * An image is a header, the firmware body and an Ed25519 signature of
 * both by the manufacturer's release key, whose public half (the trust
 * anchor) is in the pump's ROM:
 *
 *   offset  size  field (little-endian)
 *   0       4     magic, "SPFW"
 *   4       2     header version, 1
 *   6       2     flags, 0
 *   8       4     security version
 *   12      4     firmware version: major, minor, patch, 0
 *   16      4     body size B, at most FW_MAX_BODY
 *   20      4     reserved, 0
 *   24      B     body
 *   24+B    64    signature of bytes 0 to 24+B-1
 *
 * The pump has two slots. A verified image goes to the slot that is not
 * running and boots once on trial; if its self-test passes, fw_confirm()
 * makes it permanent and raises the minimum security version to its
 * own, and if it does not (or the power fails first), the next boot goes
 * back to the other slot. No image below the minimum is accepted, so an
 * older signed image with a known flaw cannot be installed again once a
 * fixed one has been confirmed.
 */
#ifndef PUMP_FWUPDATE_H
#define PUMP_FWUPDATE_H

#include <mitigate.h>
#include <stddef.h>
#include <stdint.h>

#define FW_HEADER_SIZE 24
#define FW_SIGNATURE_SIZE 64
#define FW_ANCHOR_SIZE 32
#define FW_MAX_BODY (512u * 1024u)

struct fw_header {
    uint32_t security_version;
    uint8_t version[3];
    uint32_t body_size;
};

struct fw_slot {
    uint32_t security_version;
    uint8_t version[3];
    uint8_t valid;
};

/* What the flash holds about the firmware. */
struct fw_state {
    struct fw_slot slot[2];
    uint8_t active;  /* the slot that boots */
    uint8_t trial;   /* the active slot is not confirmed yet */
    uint8_t pending; /* the other slot is to be tried at the next boot */
    uint32_t min_security_version;
};

enum fw_result {
    FW_OK,
    FW_MALFORMED,
    FW_TOO_LARGE,
    FW_BAD_SIGNATURE,
    FW_ROLLBACK,
    FW_BUSY, /* an image on trial must be confirmed or reverted first */
};

/*
 * Checks the form of the size bytes at image and the signature under
 * anchor; on FW_OK fills *out. Reads nothing outside image[0..size).
 */
MITIGATES("M-FW-SIGNATURE")
enum fw_result fw_verify(const uint8_t anchor[FW_ANCHOR_SIZE],
                         const uint8_t *image, size_t size,
                         struct fw_header *out);

/* FW_ROLLBACK when h is below the minimum security version, else FW_OK. */
MITIGATES("M-FW-MIN-VERSION")
enum fw_result fw_check_rollback(const struct fw_state *s,
                                 const struct fw_header *h);

/*
 * Verifies an image and, when it may be installed, writes it to the
 * slot that is not running, to be tried at the next boot.
 */
enum fw_result fw_stage(struct fw_state *s,
                        const uint8_t anchor[FW_ANCHOR_SIZE],
                        const uint8_t *image, size_t size);

/* What the boot loader does at power-on: try, or fall back. */
void fw_boot(struct fw_state *s);

/*
 * Called by the running image once its self-test passed: ends the trial
 * and raises the minimum security version to the image's own.
 */
MITIGATES("M-FW-MIN-VERSION")
void fw_confirm(struct fw_state *s);

#endif
