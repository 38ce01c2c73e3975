/* ble_gap.c: a stand-in for the vendor's BLE pairing and link security. */
#include "ble_gap.h"

void ble_gap_init(struct ble_gap *gap, enum ble_io_capability local_io)
{
    gap->min_security = BLE_SEC_OPEN;
    gap->local_io = local_io;
    for (int i = 0; i < BLE_MAX_CONNECTIONS; i++) {
        gap->link[i] = BLE_SEC_OPEN;
        gap->connected[i] = 0;
    }
}

int ble_gap_set_min_security(struct ble_gap *gap, enum ble_security level)
{
    if (level < BLE_SEC_OPEN || level > BLE_SEC_LESC)
        return -1;
    gap->min_security = level;
    return 0;
}

int ble_gap_connect(struct ble_gap *gap)
{
    for (int i = 0; i < BLE_MAX_CONNECTIONS; i++) {
        if (!gap->connected[i]) {
            gap->connected[i] = 1;
            gap->link[i] = BLE_SEC_OPEN;
            return i;
        }
    }
    return -1;
}

/* Whether the two sides' IO capabilities allow an authenticated method
   (passkey or numeric comparison) rather than Just Works. */
static int can_authenticate(enum ble_io_capability a, enum ble_io_capability b,
                            int secure_connections)
{
    int a_keys = a == BLE_IO_KEYBOARD_ONLY || a == BLE_IO_KEYBOARD_DISPLAY;
    int b_keys = b == BLE_IO_KEYBOARD_ONLY || b == BLE_IO_KEYBOARD_DISPLAY;
    int a_yes_no = a == BLE_IO_DISPLAY_YES_NO || a == BLE_IO_KEYBOARD_DISPLAY;
    int b_yes_no = b == BLE_IO_DISPLAY_YES_NO || b == BLE_IO_KEYBOARD_DISPLAY;

    if (a == BLE_IO_NONE || b == BLE_IO_NONE)
        return 0;
    if (a_keys || b_keys)
        return 1;
    return secure_connections && a_yes_no && b_yes_no;
}

int ble_gap_pair(struct ble_gap *gap, int conn,
                 const struct ble_pairing_request *request)
{
    enum ble_security level;

    if (conn < 0 || conn >= BLE_MAX_CONNECTIONS || !gap->connected[conn])
        return -1;
    if (!request->mitm || !can_authenticate(gap->local_io, request->io,
                                            request->secure_connections))
        level = BLE_SEC_UNAUTHENTICATED;
    else if (request->secure_connections)
        level = BLE_SEC_LESC;
    else
        level = BLE_SEC_AUTHENTICATED;
    if (level < gap->min_security)
        return -1;
    gap->link[conn] = level;
    return (int)level;
}

enum ble_security ble_gap_security(const struct ble_gap *gap, int conn)
{
    if (conn < 0 || conn >= BLE_MAX_CONNECTIONS || !gap->connected[conn])
        return BLE_SEC_OPEN;
    return gap->link[conn];
}

void ble_gap_disconnect(struct ble_gap *gap, int conn)
{
    if (conn >= 0 && conn < BLE_MAX_CONNECTIONS) {
        gap->connected[conn] = 0;
        gap->link[conn] = BLE_SEC_OPEN;
    }
}
