/* pump.h: the example pump controller's security-relevant functions. */
#ifndef PUMP_H
#define PUMP_H

#include <mitigate.h>
#include <stdint.h>

#define PIN_MAX_FAILURES 5
#define PIN_LOCKOUT_SECONDS (15 * 60)

struct pin_state {
    unsigned failures;
    uint64_t locked_until; /* seconds; 0 when not locked */
};

enum pin_result { PIN_OK, PIN_WRONG, PIN_LOCKED };

MITIGATES("M-PIN-LOCKOUT")
enum pin_result pin_check(struct pin_state *st, const char *entered,
                          const char *expected, uint64_t now);

struct command {
    uint32_t sequence;
    uint16_t dose_ug_per_h;
};

MITIGATES("M-CMD-FRESHNESS")
int command_accept(uint32_t *last_sequence, const struct command *cmd);

MITIGATES("M-DOSE-LIMIT")
int dose_within_limits(uint16_t dose_ug_per_h, uint16_t hard_max);

#endif
