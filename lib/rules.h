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

/* How the front end finds a banned pattern in code. */
enum match_kind {
    MATCH_NONE,           /* made by the analysis, not found in code */
    MATCH_CALL,           /* a call to, or the address of, a function */
    MATCH_MACRO,          /* an expansion of a macro */
    MATCH_FORMAT,         /* printf-like call, format not a literal */
    MATCH_SCANF,          /* scanf-like call, %s or %[ without width */
    MATCH_STACK,          /* a call to a function, or a variable-length
                             array */
    MATCH_SECRET_COMPARE, /* comparison with a secret-named argument */
    MATCH_SECRET_LITERAL, /* string literal given to a secret-named
                             variable, field or comparison */
    MATCH_COPY_SIZE,      /* copy whose size is neither constant nor a
                             sizeof */
    MATCH_KIND_COUNT
};

/* "none", "call", "macro", ...: the policy's spelling. */
const char *match_kind_name(enum match_kind kind);
int match_kind_parse(const char *word);

/* Where a banned-pattern rule applies; a rule may have several. */
enum scope {
    SCOPE_MITIGATION = 1, /* code a mitigation reaches */
    SCOPE_CHANGED = 2,    /* lines the change under review touches */
    SCOPE_EVERYWHERE = 4, /* all code */
};

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
    enum match_kind match;
    const char *patterns;          /* "strcpy,strcat", '*' wildcards; "name:arg"
                                      names the argument a check reads */
    const char *short_description; /* one sentence */
    const char *full_description;  /* what it means, why it matters */
    const char *help;              /* what to do about it */
};

const struct rule *rule_get(enum rule_id id);
/* The scopes a rule has unless the policy says otherwise. */
unsigned rule_default_scopes(const struct rule *rule);
/* The rule with this ID ("MT0001"), or NULL. */
const struct rule *rule_find(const char *id);

#ifdef __cplusplus
}
#endif

#endif /* MITIGATE_RULES_H */
