/*
 * import_map.c: how the values of other tools' models map onto the
 * model, the same for every format: text, titles, STRIDE categories,
 * CWE IDs, controls and statuses.
 */
#include "import_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

char *import_text(const char *s)
{
    const char *end;

    if (!s)
        return NULL;
    while (isspace((unsigned char)*s))
        s++;
    end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        end--;
    return end > s ? xstrndup(s, (size_t)(end - s)) : NULL;
}

char *import_fold(const char *word)
{
    struct strbuf sb = STRBUF_INIT;

    for (const char *p = word; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
            sb_addc(&sb, (char)(*p | 0x20));
    }
    return sb_detach(&sb);
}

int import_read_status(const char *word, const struct import_status_word *words,
                       size_t count, enum import_status *status)
{
    char *folded = import_fold(word);
    int found = 0;

    for (size_t i = 0; i < count && !found; i++) {
        if (strcmp(folded, words[i].word) == 0) {
            *status = words[i].status;
            found = 1;
        }
    }
    free(folded);
    return found;
}

void import_keep(struct import_ctx *ctx, size_t t, const char *what,
                 const char *value, const struct import_at *at)
{
    struct model_threat *threat = &ctx->model->threats[t];

    import_note(&threat->origin, "Its %s in %s is '%s'.", what, ctx->product,
                value);
    import_warn(ctx, at,
                "the %s '%s' of threat '%s' has no place in the model; it "
                "is kept in the threat's origin note",
                what, value, threat->id);
}

char *import_title(const char *text)
{
    size_t len = strcspn(text, "\r\n");
    struct strbuf sb = STRBUF_INIT;
    size_t cut;

    while (len && isspace((unsigned char)text[len - 1]))
        len--;
    if (len <= IMPORT_TITLE_MAX)
        return xstrndup(text, len);
    /* Cut at the last space that leaves room for "...". */
    cut = IMPORT_TITLE_MAX - 3;
    while (cut > IMPORT_TITLE_MAX / 2 && text[cut] != ' ')
        cut--;
    if (text[cut] != ' ')
        cut = IMPORT_TITLE_MAX - 3;
    /* Never cut inside a UTF-8 sequence. */
    while (cut && ((unsigned char)text[cut] & 0xc0) == 0x80)
        cut--;
    while (cut && text[cut - 1] == ' ')
        cut--;
    sb_add(&sb, text, cut);
    sb_adds(&sb, "...");
    return sb_detach(&sb);
}

int import_stride_parse(const char *word)
{
    static const struct {
        const char *word;
        enum stride stride;
    } aliases[] = {
            {"dos", STRIDE_DENIAL_OF_SERVICE},
            {"elevation-of-privileges", STRIDE_ELEVATION_OF_PRIVILEGE},
            {"privilege-escalation", STRIDE_ELEVATION_OF_PRIVILEGE},
    };
    struct strbuf sb = STRBUF_INIT;
    int k;

    /* "Information disclosure", "DENIAL_OF_SERVICE": one spelling. */
    for (const char *p = word; *p; p++) {
        if (*p == ' ' || *p == '_' || *p == '-') {
            if (sb.len && sb.buf[sb.len - 1] != '-')
                sb_addc(&sb, '-');
        } else {
            sb_addc(&sb, (char)tolower((unsigned char)*p));
        }
    }
    while (sb.len && sb.buf[sb.len - 1] == '-')
        sb.buf[--sb.len] = '\0';
    k = stride_parse(sb_str(&sb));
    for (size_t i = 0; k < 0 && i < sizeof(aliases) / sizeof(*aliases); i++) {
        if (strcmp(sb_str(&sb), aliases[i].word) == 0)
            k = (int)aliases[i].stride;
    }
    sb_release(&sb);
    return k;
}

char *import_cwe(const char *word)
{
    const char *digits = word;
    struct strbuf sb = STRBUF_INIT;

    if ((word[0] == 'C' || word[0] == 'c') &&
        (word[1] == 'W' || word[1] == 'w') &&
        (word[2] == 'E' || word[2] == 'e') && word[3] == '-')
        digits = word + 4;
    if (!*digits || strspn(digits, "0123456789") != strlen(digits) ||
        strlen(digits) > 9)
        return NULL;
    while (digits[0] == '0' && digits[1])
        digits++;
    if (strcmp(digits, "0") == 0)
        return NULL;
    sb_addf(&sb, "CWE-%s", digits);
    return sb_detach(&sb);
}

/*
 * The control that answers a STRIDE category best, as the FDA's
 * categories pair with them.
 */
static const enum control stride_controls[STRIDE_COUNT] = {
        [STRIDE_SPOOFING] = CONTROL_AUTHENTICATION,
        [STRIDE_TAMPERING] = CONTROL_INTEGRITY,
        [STRIDE_REPUDIATION] = CONTROL_LOGGING,
        [STRIDE_INFORMATION_DISCLOSURE] = CONTROL_CONFIDENTIALITY,
        [STRIDE_DENIAL_OF_SERVICE] = CONTROL_RESILIENCY,
        [STRIDE_ELEVATION_OF_PRIVILEGE] = CONTROL_AUTHORIZATION,
};

void import_infer_control(struct import_ctx *ctx, size_t m,
                          unsigned stride_mask, const struct import_at *at)
{
    struct model_mitigation *mit = &ctx->model->mitigations[m];

    for (int k = 0; k < STRIDE_COUNT; k++) {
        if (!(stride_mask & (1u << k)))
            continue;
        mit->control = stride_controls[k];
        import_note(&mit->origin,
                    "Its control was inferred from the STRIDE category "
                    "%s of its threats; check it.",
                    stride_names[k]);
        return;
    }
    mit->control = CONTROL_INTEGRITY;
    import_note(&mit->origin,
                "Its control is not known: %s gives no STRIDE category "
                "for its threats; integrity was set, choose the right one.",
                ctx->product);
    import_warn(ctx, at,
                "mitigation '%s' has no STRIDE category to infer its "
                "control from; 'integrity' was set, choose the right one",
                mit->id);
}

/* Adds an acceptance to fill in to threat t. */
static void accept_threat(struct import_ctx *ctx, size_t t, const char *word,
                          const char *rationale, const char *by,
                          const struct import_at *at)
{
    struct model_threat *threat = &ctx->model->threats[t];
    struct model_acceptance *a = xcalloc(1, sizeof(*a));
    struct strbuf sb = STRBUF_INIT;

    if (rationale) {
        a->rationale = xstrdup(rationale);
    } else {
        sb_addf(&sb, "Marked '%s' in %s.", word, ctx->product);
        a->rationale = sb_detach(&sb);
    }
    a->by = xstrdup(by ? by : IMPORT_UNASSIGNED);
    a->until = xstrdup(IMPORT_UNTIL);
    a->until_days = date_to_days(IMPORT_UNTIL);
    threat->accepted = a;
    import_note(&threat->origin,
                "Marked '%s' in %s, which records no review date: check "
                "'by' and set 'until' of its acceptance.",
                word, ctx->product);
    import_warn(ctx, at,
                "threat '%s' is marked '%s' in %s: check the owner ('by') "
                "and set a review date ('until') of its acceptance; "
                "mitigate check reports it as expired (MT0007) until then",
                threat->id, word, ctx->product);
}

void import_apply_status(struct import_ctx *ctx, size_t t,
                         enum import_status status, const char *word,
                         const char *rationale, const char *by,
                         const struct import_at *at)
{
    struct model_threat *threat = &ctx->model->threats[t];

    switch (status) {
    case IMPORT_OPEN:
        return;
    case IMPORT_MITIGATED:
        if (threat->mitigations.count)
            return;
        import_note(&threat->origin,
                    "Marked '%s' in %s, but no mitigation is named: add "
                    "the mitigation that is in place.",
                    word, ctx->product);
        import_warn(ctx, at,
                    "threat '%s' is marked '%s' in %s but names no "
                    "mitigation; mitigate check reports it (MT0006) until "
                    "one is added",
                    threat->id, word, ctx->product);
        return;
    case IMPORT_ACCEPTED:
    case IMPORT_NOT_APPLICABLE:
        accept_threat(ctx, t, word, rationale, by, at);
        return;
    }
}
