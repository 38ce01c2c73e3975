/* pump.c: the controller: from a received frame to a change of therapy. */
#include "pump.h"

#include "auth.h"
#include "frame.h"
#include "link.h"

#include <string.h>

/* Logs an event and commits it, with everything before it, to flash. */
static void record(struct pump *p, enum event_type type, uint32_t arg,
                   uint64_t now)
{
    log_append(&p->nv.ram.log, p->keys->log, (uint16_t)type, arg, now);
    nv_commit(&p->nv);
}

int pump_provision(struct nv_image *flash, const struct pump_keys *keys,
                   const char *pin)
{
    struct nv_image image;

    memset(&image, 0, sizeof(image));
    image.format = NV_FORMAT;
    if (pin_set(&image.pin, keys->device, pin) < 0)
        return -1;
    image.fw.slot[0].security_version = 1;
    image.fw.slot[0].version[0] = 1;
    image.fw.slot[0].valid = 1;
    image.fw.min_security_version = 1;
    *flash = image;
    return 0;
}

void pump_boot(struct pump *p, const struct nv_image *flash,
               const struct pump_keys *keys, const struct drug_library *lib,
               uint64_t now)
{
    memset(p, 0, sizeof(*p));
    p->keys = keys;
    p->library = lib;
    p->nv.flash = *flash;
    p->nv.ram = *flash;
    fw_boot(&p->nv.ram.fw);
    ble_gap_init(&p->gap, BLE_IO_DISPLAY_YES_NO);
    link_configure(&p->gap);
    record(p, EV_BOOT, p->nv.ram.fw.slot[p->nv.ram.fw.active].security_version,
           now);
}

static enum pump_reply login(struct pump *p, const struct frame *f,
                             uint64_t now)
{
    const struct pin_record *pin = &p->nv.ram.pin;

    switch (pin_check(&p->nv, p->keys->device, frame_payload(f), now)) {
    case PIN_OK:
        p->logged_in = 1;
        p->last_activity = now;
        record(p, EV_LOGIN, 0, now);
        return REPLY_OK;
    case PIN_LOCKED:
        return REPLY_PIN_LOCKED;
    case PIN_WRONG:
        break;
    }
    if (pin->locked_until > now)
        record(p, EV_LOCKOUT, (uint32_t)(pin->locked_until - now), now);
    else
        record(p, EV_PIN_WRONG, pin->failures, now);
    return REPLY_PIN_WRONG;
}

static enum pump_reply set_rate(struct pump *p, const struct frame *f,
                                uint64_t now)
{
    struct dose_request req;
    uint32_t rate;
    enum dose_result r;

    dose_request_decode(frame_payload(f), &req);
    r = dose_check_rate(p->library, &req, &rate);
    if (r != DOSE_OK) {
        record(p, EV_DOSE_REFUSED, r, now);
        return REPLY_REFUSED;
    }
    p->infusion.running = 1;
    p->infusion.drug = req.drug;
    p->infusion.rate_ug_per_h = rate;
    record(p, EV_RATE_SET, rate, now);
    return REPLY_OK;
}

static enum pump_reply bolus(struct pump *p, const struct frame *f,
                             uint64_t now)
{
    struct dose_request req;
    uint32_t ug;
    enum dose_result r;

    dose_request_decode(frame_payload(f), &req);
    r = dose_check_bolus(p->library, &p->boluses, &req, now, &ug);
    if (r != DOSE_OK) {
        record(p, EV_DOSE_REFUSED, r, now);
        return REPLY_REFUSED;
    }
    bolus_record(&p->boluses, req.drug, ug, now);
    p->infusion.bolus_total_ug += ug;
    record(p, EV_BOLUS, ug, now);
    return REPLY_OK;
}

/* Carries out an authentic, fresh command. */
static enum pump_reply dispatch(struct pump *p, const struct frame *f,
                                uint64_t now)
{
    if (p->logged_in && now - p->last_activity >= PUMP_SESSION_IDLE_SECONDS)
        p->logged_in = 0;

    switch (f->opcode) {
    case OP_STATUS:
        return REPLY_OK;
    case OP_STOP:
        p->infusion.running = 0;
        record(p, EV_STOP, 0, now);
        return REPLY_OK;
    case OP_LOGIN:
        return login(p, f, now);
    default:
        break;
    }
    if (!p->logged_in)
        return REPLY_LOGIN_REQUIRED;
    p->last_activity = now;
    switch (f->opcode) {
    case OP_SET_RATE:
        return set_rate(p, f, now);
    case OP_BOLUS:
        return bolus(p, f, now);
    default: /* OP_LOGOUT: frame_parse() lets no other opcode through */
        p->logged_in = 0;
        return REPLY_OK;
    }
}

enum pump_reply pump_receive(struct pump *p, int conn, const uint8_t *bytes,
                             size_t size, uint64_t now)
{
    struct frame f;
    enum frame_status status;

    if (conn != PUMP_SERVICE_PORT && !link_may_write(&p->gap, conn)) {
        record(p, EV_LINK_REFUSED, (uint32_t)conn, now);
        return REPLY_LINK_INSECURE;
    }
    status = frame_parse(bytes, size, &f);
    if (status != FRAME_OK) {
        record(p, EV_FRAME_REJECTED, status, now);
        return REPLY_MALFORMED;
    }
    if (!auth_verify(p->keys->session, &f)) {
        record(p, EV_TAG_REJECTED, f.opcode, now);
        return REPLY_NOT_AUTHENTIC;
    }
    if (!auth_accept_sequence(&p->nv.ram.last_sequence, f.sequence)) {
        record(p, EV_REPLAY_REJECTED, f.sequence, now);
        return REPLY_REPLAYED;
    }
    nv_commit(&p->nv);
    return dispatch(p, &f, now);
}

enum fw_result pump_update(struct pump *p, const uint8_t *image, size_t size,
                           uint64_t now)
{
    struct fw_state *fw = &p->nv.ram.fw;
    enum fw_result r = fw_stage(fw, p->keys->release_anchor, image, size);

    if (r == FW_OK)
        record(p, EV_FW_STAGED, fw->slot[!fw->active].security_version, now);
    else
        record(p, EV_FW_REJECTED, r, now);
    return r;
}

void pump_confirm_firmware(struct pump *p)
{
    fw_confirm(&p->nv.ram.fw);
    nv_commit(&p->nv);
}
