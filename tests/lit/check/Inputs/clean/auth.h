#include <mitigate.h>

MITIGATES("M-LOCKOUT")
int pin_verify(const char *pin);
