/*
 * frame.h: the command frame of the pump's BLE and service-port
 * protocol.
 *
 * Every command from the clinician app or the service tool is one
 * frame, little-endian:
 *
 *   offset  size  field
 *   0       1     magic, FRAME_MAGIC
 *   1       1     protocol version, FRAME_VERSION
 *   2       1     opcode (enum opcode)
 *   3       1     flags, 0 (reserved)
 *   4       4     sequence number
 *   8       2     payload size N, at most FRAME_MAX_PAYLOAD
 *   10      N     payload, whose size the opcode fixes
 *   10+N    32    tag: HMAC-SHA256 of bytes 0 to 10+N-1 (auth.h)
 *
 * frame_parse() decodes and bounds-checks a frame and nothing more:
 * whether it is authentic and fresh is for auth.h to decide.
 */
#ifndef PUMP_FRAME_H
#define PUMP_FRAME_H

#include <mitigate.h>
#include <stddef.h>
#include <stdint.h>

#define FRAME_MAGIC 0xA5
#define FRAME_VERSION 1
#define FRAME_HEADER_SIZE 10
#define FRAME_TAG_SIZE 32
#define FRAME_MAX_PAYLOAD 64
#define FRAME_MAX_SIGNED (FRAME_HEADER_SIZE + FRAME_MAX_PAYLOAD)
#define FRAME_MAX_SIZE (FRAME_MAX_SIGNED + FRAME_TAG_SIZE)

enum opcode {
    OP_STATUS = 0x01,
    OP_LOGIN = 0x10, /* payload: the PIN, 8 bytes, digits then zeros */
    OP_LOGOUT = 0x11,
    OP_SET_RATE = 0x20, /* payload: struct dose_request (dose.h) */
    OP_BOLUS = 0x21,    /* payload: struct dose_request */
    OP_STOP = 0x22,
};

#define LOGIN_PAYLOAD_SIZE 8
#define DOSE_PAYLOAD_SIZE 7

enum frame_status {
    FRAME_OK,
    FRAME_TRUNCATED,
    FRAME_BAD_MAGIC,
    FRAME_BAD_VERSION,
    FRAME_BAD_FLAGS,
    FRAME_UNKNOWN_OPCODE,
    FRAME_TOO_LONG,
    FRAME_SIZE_MISMATCH,
    FRAME_BAD_PAYLOAD_SIZE,
};

/* A frame that passed frame_parse(). */
struct frame {
    uint8_t opcode;
    uint32_t sequence;
    uint16_t payload_size;
    size_t signed_size; /* header and payload: what the tag covers */
    uint8_t signed_bytes[FRAME_MAX_SIGNED];
    uint8_t tag[FRAME_TAG_SIZE];
};

/* The payload of a parsed frame. */
static inline const uint8_t *frame_payload(const struct frame *f)
{
    return f->signed_bytes + FRAME_HEADER_SIZE;
}

/*
 * Decodes the size bytes at buf into *out. Accepts only a frame whose
 * every field is valid and whose size is exactly header, payload and
 * tag; reads nothing outside buf[0..size). *out is set only on
 * FRAME_OK.
 */
MITIGATES("M-FRAME-BOUNDS")
enum frame_status frame_parse(const uint8_t *buf, size_t size,
                              struct frame *out);

/*
 * Writes the header and payload of a frame to out (FRAME_MAX_SIGNED
 * bytes at least) and returns their size, or 0 when the payload is too
 * large. The sender appends the tag (auth_tag() in auth.h).
 */
size_t frame_encode(uint8_t *out, uint8_t opcode, uint32_t sequence,
                    const uint8_t *payload, uint16_t payload_size);

#endif
