/* The declaration of pin_verify carries its annotation, as does pump.c. */
#ifndef API_H
#define API_H

#include <mitigate.h>

MITIGATES("M-LOCKOUT")
int pin_verify(const char *pin);

#endif
