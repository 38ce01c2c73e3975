/* A vendor SDK header, found through -isystem. */
#ifndef VENDOR_HAL_H
#define VENDOR_HAL_H
#include <stdint.h>
uint32_t hal_tick(void);
#endif
