/*
 * link.h: the BLE link policy of the pump.
 *
 * The pump pairs only by LE Secure Connections with protection against
 * a man in the middle (numeric comparison on the pump's display), and
 * takes commands only over links paired that way. The vendor's BLE
 * stack enforces the pairing policy once link_configure() has set it;
 * link_may_write() refuses command writes on any weaker link, such as a
 * connection that has not paired yet.
 */
#ifndef PUMP_LINK_H
#define PUMP_LINK_H

#include "ble_gap.h"

/* Sets the BLE stack's pairing policy; returns 0, or -1 on failure. */
int link_configure(struct ble_gap *gap);

/* Whether a command written on connection conn may be processed. */
int link_may_write(const struct ble_gap *gap, int conn);

#endif
