/*
 * policy.h: the rules in force for a project.
 *
 * A policy starts as the built-in catalog (rules.def) with each rule's
 * default level and scopes. policy.yaml then enables, disables,
 * re-levels and re-scopes rules, and adds a team's own banned-pattern
 * rules of the kinds the matcher knows (call names and patterns, macro
 * expansions, format-string checks).
 *
 * Rules are indexed: the built-in ones first, in catalog order, so that
 * index == enum rule_id for them; the policy's own rules after. A
 * finding names its rule by that index.
 *
 * A policy owns everything it holds; policy_free() releases it.
 */
#ifndef MITIGATE_POLICY_H
#define MITIGATE_POLICY_H

#include <stddef.h>

#include "rules.h"
#include "util.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A function or macro name a rule looks for, with the argument it reads. */
struct policy_pattern {
    char *name; /* may hold '*' wildcards */
    int arg;    /* 0-based argument index for format and size checks */
};

struct policy_rule {
    /*
     * The rule's descriptor. For a built-in rule the strings point into
     * the catalog; for a policy rule they are owned by the policy.
     */
    struct rule desc;
    int custom; /* added by policy.yaml */
    int enabled;
    enum level level;
    unsigned scopes; /* enum scope bits */
    struct policy_pattern *patterns;
    size_t pattern_count;
    struct mt_pos pos; /* where policy.yaml set it; 0 for defaults */
};

struct policy {
    char *path; /* NULL for the built-in default */
    struct policy_rule *rules;
    size_t count;
    size_t alloc;
    /*
     * SHA-256 of what the front end's matching depends on (the enabled
     * rules, their kinds and patterns), recorded in facts so that facts
     * made under another policy are recognised.
     */
    char match_hash[65];
};

/* The built-in catalog with default levels and scopes. */
struct policy *policy_default(void);

/*
 * The default policy changed by the policy file at path. Returns NULL,
 * with errors added naming file, line and column, when the file cannot
 * be read or is not a valid policy.
 */
struct policy *policy_load(const char *path, struct mt_errors *errs);

/*
 * Like policy_load(), for the YAML in text (len bytes, need not be
 * NUL-terminated) that path names in errors.
 */
struct policy *policy_parse(const char *path, const char *text, size_t len,
                            struct mt_errors *errs);

void policy_free(struct policy *policy);

/* The index of the rule with this ID, or -1. */
int policy_find(const struct policy *policy, const char *id);

/* The rule at index. */
const struct policy_rule *policy_rule_at(const struct policy *policy,
                                         size_t index);

/*
 * Splits a comma-separated pattern list ("printf:0,fprintf:1") into
 * rule's patterns. Used for the catalog and for policy rules.
 */
void policy_set_patterns(struct policy_rule *rule, const char *list);

/* Recomputes match_hash after rules were changed. */
void policy_update_hash(struct policy *policy);

#ifdef __cplusplus
}
#endif

#endif /* MITIGATE_POLICY_H */
