/* dose.c: hard limits from the drug library. */
#include "dose.h"

void dose_request_decode(const uint8_t payload[DOSE_PAYLOAD_SIZE],
                         struct dose_request *out)
{
    out->drug = (uint16_t)(payload[0] | payload[1] << 8);
    out->unit = payload[2];
    out->amount = (uint32_t)payload[3] | (uint32_t)payload[4] << 8 |
                  (uint32_t)payload[5] << 16 | (uint32_t)payload[6] << 24;
}

static const struct drug_entry *find_drug(const struct drug_library *lib,
                                          uint16_t id)
{
    for (size_t i = 0; i < lib->count; i++)
        if (lib->drugs[i].id == id)
            return &lib->drugs[i];
    return NULL;
}

/* The request's amount in micrograms, in 64 bits so nothing wraps. */
static enum dose_result to_micrograms(const struct dose_request *req,
                                      uint64_t *ug)
{
    switch (req->unit) {
    case DOSE_MICROGRAM:
        *ug = req->amount;
        break;
    case DOSE_MILLIGRAM:
        *ug = (uint64_t)req->amount * 1000u;
        break;
    default:
        return DOSE_BAD_UNIT;
    }
    return *ug == 0 ? DOSE_ZERO : DOSE_OK;
}

enum dose_result dose_check_rate(const struct drug_library *lib,
                                 const struct dose_request *req,
                                 uint32_t *ug_per_h)
{
    const struct drug_entry *drug = find_drug(lib, req->drug);
    enum dose_result r;
    uint64_t ug;

    if (!drug)
        return DOSE_UNKNOWN_DRUG;
    r = to_micrograms(req, &ug);
    if (r != DOSE_OK)
        return r;
    if (ug > drug->rate_max_ug_per_h)
        return DOSE_ABOVE_LIMIT;
    *ug_per_h = (uint32_t)ug;
    return DOSE_OK;
}

/* Whether a bolus given at when still counts at time now. */
static int in_window(uint64_t when, uint64_t now)
{
    /* A bolus "after" now (a clock set back) counts, to be safe. */
    return when > now || now - when < BOLUS_WINDOW_SECONDS;
}

enum dose_result dose_check_bolus(const struct drug_library *lib,
                                  const struct bolus_history *h,
                                  const struct dose_request *req, uint64_t now,
                                  uint32_t *ug)
{
    const struct drug_entry *drug = find_drug(lib, req->drug);
    uint64_t amount, window_total = 0;
    unsigned window_count = 0;
    enum dose_result r;

    if (!drug)
        return DOSE_UNKNOWN_DRUG;
    r = to_micrograms(req, &amount);
    if (r != DOSE_OK)
        return r;
    if (amount > drug->bolus_max_ug)
        return DOSE_ABOVE_LIMIT;

    for (unsigned i = 0; i < BOLUS_HISTORY; i++) {
        if (h->ug[i] == 0 || !in_window(h->when[i], now))
            continue;
        window_count++;
        if (h->drug[i] == req->drug)
            window_total += h->ug[i];
    }
    if (window_count >= BOLUS_HISTORY ||
        window_total + amount > drug->bolus_window_max_ug)
        return DOSE_WINDOW_LIMIT;
    *ug = (uint32_t)amount;
    return DOSE_OK;
}

void bolus_record(struct bolus_history *h, uint16_t drug, uint32_t ug,
                  uint64_t now)
{
    h->when[h->next] = now;
    h->ug[h->next] = ug;
    h->drug[h->next] = drug;
    h->next = (h->next + 1) % BOLUS_HISTORY;
}
