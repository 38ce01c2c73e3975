/*
 * ble_gap.h: the security part of the BLE stack's GAP interface.
 *
 * The pump's BLE stack comes from the radio chip's vendor as a binary
 * library, which the pump's build cannot annotate or compile with the
 * plugin. This folder holds a small stand-in with the same interface
 * so the example links and its tests run on a workstation: it negotiates
 * the security of a link from both sides' pairing features, as the
 * Bluetooth Core Specification describes, and refuses pairing below the
 * minimum level set with ble_gap_set_min_security().
 */
#ifndef BLE_GAP_H
#define BLE_GAP_H

#include <stdint.h>

#define BLE_MAX_CONNECTIONS 4

/* Security levels of a link, weakest first (LE security mode 1). */
enum ble_security {
    BLE_SEC_OPEN = 1,        /* no encryption */
    BLE_SEC_UNAUTHENTICATED, /* encrypted, Just Works pairing */
    BLE_SEC_AUTHENTICATED,   /* encrypted, legacy passkey pairing */
    BLE_SEC_LESC,            /* encrypted, LE Secure Connections with MITM */
};

enum ble_io_capability {
    BLE_IO_DISPLAY_ONLY,
    BLE_IO_DISPLAY_YES_NO,
    BLE_IO_KEYBOARD_ONLY,
    BLE_IO_NONE,
    BLE_IO_KEYBOARD_DISPLAY,
};

/* What a central offers in its pairing request. */
struct ble_pairing_request {
    enum ble_io_capability io;
    int secure_connections;
    int mitm;
};

struct ble_gap {
    enum ble_security min_security;
    enum ble_io_capability local_io;
    enum ble_security link[BLE_MAX_CONNECTIONS];
    int connected[BLE_MAX_CONNECTIONS];
};

/* Starts the stack with no connection and no minimum. */
void ble_gap_init(struct ble_gap *gap, enum ble_io_capability local_io);

/* Sets the lowest security level pairing may end in. */
int ble_gap_set_min_security(struct ble_gap *gap, enum ble_security level);

/* A central connects; returns the connection handle, or -1. */
int ble_gap_connect(struct ble_gap *gap);

/*
 * A central asks to pair on conn. Returns the level reached, or -1 when
 * it would be below the minimum (the link then stays as it was).
 */
int ble_gap_pair(struct ble_gap *gap, int conn,
                 const struct ble_pairing_request *request);

/* The security of the link conn; BLE_SEC_OPEN for no link. */
enum ble_security ble_gap_security(const struct ble_gap *gap, int conn);

void ble_gap_disconnect(struct ble_gap *gap, int conn);

#endif
