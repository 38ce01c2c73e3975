/*
 * rules.h: the catalog of every finding mitigate can report.
 *
 * The entries live in rules.def, one RULE() each: stable ID, name,
 * default level, descriptions, help, CWE numbers and security severity.
 * The SARIF writer and the documentation read this catalog, so adding
 * a rule is one entry there plus its tests.
 *
 * The catalog is static and read-only; nothing here allocates.
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
#define RULE(e, ...) RULE_##e,
#include "rules.def"
#undef RULE
    RULE_COUNT
};

struct rule {
    const char *id;   /* "MT0001": stable, never reused */
    const char *name; /* "UnknownMitigation" */
    enum level level;
    const char *security_severity; /* CVSS-like "0.0" to "10.0" */
    const char *precision;         /* "very-high", "high", "medium" */
    const char *cwe;               /* "120,676", or "" */
    const char *short_description; /* one sentence */
    const char *full_description;  /* what it means, why it matters */
    const char *help;              /* what to do about it */
};

const struct rule *rule_get(enum rule_id id);
/* The rule with this ID ("MT0001"), or NULL. */
const struct rule *rule_find(const char *id);

#ifdef __cplusplus
}
#endif

#endif /* MITIGATE_RULES_H */
