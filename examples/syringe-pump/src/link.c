/* link.c: the BLE pairing and write policy. */
#include "link.h"

int link_configure(struct ble_gap *gap)
{
    return ble_gap_set_min_security(gap, BLE_SEC_LESC);
}

int link_may_write(const struct ble_gap *gap, int conn)
{
    return ble_gap_security(gap, conn) >= BLE_SEC_LESC;
}
