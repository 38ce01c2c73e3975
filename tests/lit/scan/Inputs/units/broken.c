// A unit that does not parse: a missing header, then a syntax error.
#include <mitigate.h>
#include "not-there.h"

int broken(void)
{
    return 1 +;
}
