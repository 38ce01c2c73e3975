/* frame.c: decoding command frames with strict bounds. */
#include "frame.h"

#include <string.h>

static uint32_t get_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint16_t get_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

/* The payload size opcode requires, or -1 for an unknown opcode. */
static int payload_size_of(uint8_t opcode)
{
    switch (opcode) {
    case OP_STATUS:
    case OP_LOGOUT:
    case OP_STOP:
        return 0;
    case OP_LOGIN:
        return LOGIN_PAYLOAD_SIZE;
    case OP_SET_RATE:
    case OP_BOLUS:
        return DOSE_PAYLOAD_SIZE;
    default:
        return -1;
    }
}

/*
 * The header fields are checked one by one before the size field is
 * trusted; the size field is checked against the protocol's maximum and
 * then against the bytes received, so nothing is copied or read on the
 * word of the sender alone.
 */
MITIGATE_ALLOW("MB1018", "signed_size is FRAME_HEADER_SIZE plus a payload "
                         "size checked against FRAME_MAX_PAYLOAD and the "
                         "received size just above the copy")
enum frame_status frame_parse(const uint8_t *buf, size_t size,
                              struct frame *out)
{
    uint16_t payload_size;
    int expected;

    if (size < FRAME_HEADER_SIZE + FRAME_TAG_SIZE)
        return FRAME_TRUNCATED;
    if (buf[0] != FRAME_MAGIC)
        return FRAME_BAD_MAGIC;
    if (buf[1] != FRAME_VERSION)
        return FRAME_BAD_VERSION;
    expected = payload_size_of(buf[2]);
    if (expected < 0)
        return FRAME_UNKNOWN_OPCODE;
    if (buf[3] != 0)
        return FRAME_BAD_FLAGS;

    payload_size = get_le16(buf + 8);
    if (payload_size > FRAME_MAX_PAYLOAD)
        return FRAME_TOO_LONG;
    if (size != (size_t)FRAME_HEADER_SIZE + payload_size + FRAME_TAG_SIZE)
        return FRAME_SIZE_MISMATCH;
    if (payload_size != expected)
        return FRAME_BAD_PAYLOAD_SIZE;

    out->opcode = buf[2];
    out->sequence = get_le32(buf + 4);
    out->payload_size = payload_size;
    out->signed_size = FRAME_HEADER_SIZE + (size_t)payload_size;
    memcpy(out->signed_bytes, buf, out->signed_size);
    memcpy(out->tag, buf + out->signed_size, FRAME_TAG_SIZE);
    return FRAME_OK;
}

size_t frame_encode(uint8_t *out, uint8_t opcode, uint32_t sequence,
                    const uint8_t *payload, uint16_t payload_size)
{
    if (payload_size > FRAME_MAX_PAYLOAD)
        return 0;
    out[0] = FRAME_MAGIC;
    out[1] = FRAME_VERSION;
    out[2] = opcode;
    out[3] = 0;
    for (int i = 0; i < 4; i++)
        out[4 + i] = (uint8_t)(sequence >> (8 * i));
    out[8] = (uint8_t)payload_size;
    out[9] = (uint8_t)(payload_size >> 8);
    if (payload_size)
        memcpy(out + FRAME_HEADER_SIZE, payload, payload_size);
    return FRAME_HEADER_SIZE + (size_t)payload_size;
}
