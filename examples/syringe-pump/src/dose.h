/*
 * dose.h: the drug library's hard limits on what may be programmed.
 *
 * The hospital's drug library gives, for each drug, the highest rate
 * and the largest bolus, and the most that all boluses together may
 * deliver in any BOLUS_WINDOW_SECONDS. A request names its unit; it is
 * converted to micrograms in 64 bits before any comparison, so no
 * amount wraps around into a small one. No more than BOLUS_HISTORY
 * boluses are given in one window, whatever their size, so the history
 * that the hourly limit is computed from is never missing one.
 */
#ifndef PUMP_DOSE_H
#define PUMP_DOSE_H

#include "frame.h"

#include <mitigate.h>
#include <stddef.h>
#include <stdint.h>

enum dose_unit { DOSE_MICROGRAM = 1, DOSE_MILLIGRAM = 2 };

/* The payload of OP_SET_RATE (amount per hour) and OP_BOLUS. */
struct dose_request {
    uint16_t drug;
    uint8_t unit;    /* enum dose_unit */
    uint32_t amount; /* in unit, or in unit per hour for a rate */
};

struct drug_entry {
    uint16_t id;
    const char *name;
    uint32_t rate_max_ug_per_h;
    uint32_t bolus_max_ug;
    uint32_t bolus_window_max_ug; /* all boluses in any window */
};

struct drug_library {
    const struct drug_entry *drugs;
    size_t count;
};

#define BOLUS_WINDOW_SECONDS 3600
#define BOLUS_HISTORY 8

/* The latest boluses given, oldest first from next. */
struct bolus_history {
    uint64_t when[BOLUS_HISTORY];
    uint32_t ug[BOLUS_HISTORY]; /* 0: an empty slot */
    uint16_t drug[BOLUS_HISTORY];
    unsigned next;
};

enum dose_result {
    DOSE_OK,
    DOSE_UNKNOWN_DRUG,
    DOSE_BAD_UNIT,
    DOSE_ZERO,
    DOSE_ABOVE_LIMIT,
    DOSE_WINDOW_LIMIT,
};

/* Decodes the DOSE_PAYLOAD_SIZE bytes of a dose payload. */
void dose_request_decode(const uint8_t payload[DOSE_PAYLOAD_SIZE],
                         struct dose_request *out);

/*
 * Checks a rate against the drug's hard limit; on DOSE_OK sets
 * *ug_per_h to the rate in micrograms per hour.
 */
MITIGATES("M-DOSE-LIMIT")
enum dose_result dose_check_rate(const struct drug_library *lib,
                                 const struct dose_request *req,
                                 uint32_t *ug_per_h);

/*
 * Checks a bolus at time now against the drug's bolus limit and, with
 * the boluses in h, its limit per window; on DOSE_OK sets *ug.
 */
MITIGATES("M-DOSE-LIMIT")
enum dose_result dose_check_bolus(const struct drug_library *lib,
                                  const struct bolus_history *h,
                                  const struct dose_request *req, uint64_t now,
                                  uint32_t *ug);

/* Records a bolus that dose_check_bolus() allowed and was given. */
void bolus_record(struct bolus_history *h, uint16_t drug, uint32_t ug,
                  uint64_t now);

#endif
