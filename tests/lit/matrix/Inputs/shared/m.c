/* One mitigation and its effectiveness test, for coverage.test. */
#include <mitigate.h>
MITIGATES("M-1") int lockout(int n) { return n > 5; }
MITIGATION_TEST("M-1", EFFECTIVENESS) void test_lockout(void) { (void)lockout(6); }
