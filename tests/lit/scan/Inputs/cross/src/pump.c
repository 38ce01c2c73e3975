// Firmware source built the way a GCC cross build compiles it: each
// check below fails the parse unless scan kept what the compile command
// says about the target and the defines.
#include <board.h>
#include <mitigate.h>
#include <stdint.h>
#include <vendor_hal.h>

#if !defined(__arm__) || !defined(__thumb__)
#error "not parsed for ARM Thumb: --target was not inferred"
#endif
#if !defined(__ARM_ARCH_7EM__)
#error "not parsed for a Cortex-M4: -mcpu was lost"
#endif
#if !defined(__ARM_PCS_VFP)
#error "-mfloat-abi=hard was lost"
#endif

_Static_assert(sizeof(VERSION) == 4, "VERSION is the string \"1.2\"");
_Static_assert(sizeof(BOARD) == 8, "BOARD is the string \"pump v2\"");

char *strcpy(char *dst, const char *src);

MITIGATES("M-LOCKOUT")
int pin_verify(const char *pin, char *copy)
{
    strcpy(copy, pin);
    return hal_tick() > PIN_LENGTH;
}
