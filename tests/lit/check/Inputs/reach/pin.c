#include <mitigate.h>

void copy_name(char *dst, const char *src);
void log_attempt(const char *who);

MITIGATES("M-PIN")
int pin_check(const char *who, const char *pin)
{
    char name[32];

    copy_name(name, who);
    log_attempt(name);
    return pin[0] == '1';
}
