#include <mitigate.h>
MITIGATES("M-1")
MITIGATE_ALLOW("MB1010", "ok")
MITIGATE_ALLOW("MT0003", "no")
MITIGATE_ALLOW("MB1100", "typo")
int f(void) { return 0; }
