/*
 * rules.h: the catalog of every finding mitigate can report.
 *
 * One table in rules.c holds each rule's stable ID, name, default level,
 * descriptions, help, CWE tags and security severity. Adding a rule is
 * one entry there plus its tests; the SARIF writer, `mitigate rules`
 * and the documentation all read this table.
 *
 * The table is static and read-only; nothing here allocates.
 */
#ifndef MITIGATE_RULES_H
#define MITIGATE_RULES_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum level { LEVEL_NONE, LEVEL_NOTE, LEVEL_WARNING, LEVEL_ERROR };

/* "none", "note", "warning", "error": SARIF's spelling. */
const char *level_name(enum level level);
int level_parse(const char *word);

enum rule_id {
    RULE_UNKNOWN_MITIGATION,
    RULE_MITIGATION_NOT_IMPLEMENTED,
    RULE_MISSING_EFFECTIVENESS_TEST,
    RULE_MISSING_THWART_TEST,
    RULE_MISSING_SIDE_EFFECT_CHECK,
    RULE_THREAT_NOT_MITIGATED,
    RULE_ACCEPTANCE_EXPIRED,
    RULE_MALFORMED_ANNOTATION,
    RULE_COUNT
};

struct rule {
    const char *id;   /* "MT0001": stable, never reused */
    const char *name; /* "UnknownMitigation" */
    enum level level;
    const char *short_description; /* one sentence */
    const char *full_description;  /* what it means, why it matters */
    const char *help;              /* what to do about it */
    const char *cwe[3];            /* "CWE-120", NULL-terminated */
    const char *security_severity; /* CVSS-like "0.0" to "10.0" */
    const char *precision;         /* "very-high", "high", "medium" */
};

const struct rule *rule_get(enum rule_id id);
/* The rule with this ID ("MT0001"), or NULL. */
const struct rule *rule_find(const char *id);

#ifdef __cplusplus
}
#endif

#endif /* MITIGATE_RULES_H */
