/*
 * auth.h: authenticity and freshness of command frames.
 *
 * Each frame carries an HMAC-SHA256 tag under the session key that the
 * clinician app and the pump share after pairing; the pump holds the key
 * in its secure element. A frame is accepted only when its tag is right
 * (auth_verify) and its sequence number is above that of the last frame
 * accepted (auth_accept_sequence). The tag covers the sequence number,
 * so a replayed or renumbered frame fails one test or the other. The
 * last sequence number is kept in non-volatile memory, so a reboot does
 * not open a window for replays; the app starts again at 1 only with a
 * new session key, after pairing again.
 */
#ifndef PUMP_AUTH_H
#define PUMP_AUTH_H

#include "frame.h"

#include <mitigate.h>
#include <stdint.h>

#define AUTH_KEY_SIZE 32

/*
 * Writes the HMAC-SHA256 tag of bytes[0..size) under key to tag.
 * Returns 0, or -1 when libcrypto fails (tag is then unusable).
 */
int auth_tag(const uint8_t key[AUTH_KEY_SIZE], const uint8_t *bytes,
             size_t size, uint8_t tag[FRAME_TAG_SIZE]);

/*
 * Whether f's tag is the tag of its header and payload under key. The
 * comparison takes the same time wherever the tags differ.
 */
MITIGATES("M-CMD-MAC")
int auth_verify(const uint8_t key[AUTH_KEY_SIZE], const struct frame *f);

/*
 * Accepts sequence when it is above *last and makes it the new *last;
 * otherwise changes nothing. Call it only for an authentic frame, so
 * that a forged frame cannot move the counter.
 */
MITIGATES("M-CMD-FRESHNESS")
int auth_accept_sequence(uint32_t *last, uint32_t sequence);

#endif
