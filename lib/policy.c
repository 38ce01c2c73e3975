/* policy.c: the rules in force: the catalog's defaults and lookups. */
#include "policy.h"

#include <stdlib.h>
#include <string.h>

void policy_set_patterns(struct policy_rule *rule, const char *list)
{
    const char *p = list;

    for (size_t i = 0; i < rule->pattern_count; i++)
        free(rule->patterns[i].name);
    free(rule->patterns);
    rule->patterns = NULL;
    rule->pattern_count = 0;

    while (*p) {
        size_t len = strcspn(p, ",");
        size_t alloc = rule->pattern_count;
        struct policy_pattern *pat;
        const char *colon = memchr(p, ':', len);

        grow_array(&rule->patterns, &alloc, rule->pattern_count + 1,
                   sizeof(*rule->patterns));
        pat = &rule->patterns[rule->pattern_count++];
        pat->name = xstrndup(p, colon ? (size_t)(colon - p) : len);
        pat->arg = colon ? atoi(colon + 1) : 0;
        p += len + (p[len] == ',');
    }
}

struct policy *policy_default(void)
{
    struct policy *policy = xcalloc(1, sizeof(*policy));

    policy->rules = xcalloc(RULE_COUNT, sizeof(*policy->rules));
    policy->alloc = RULE_COUNT;
    for (size_t i = 0; i < RULE_COUNT; i++) {
        struct policy_rule *r = &policy->rules[i];

        r->desc = *rule_get((enum rule_id)i);
        r->enabled = 1;
        r->level = r->desc.level;
        r->scopes = rule_default_scopes(&r->desc);
        policy_set_patterns(r, r->desc.patterns);
    }
    policy->count = RULE_COUNT;
    policy_update_hash(policy);
    return policy;
}

/* Frees the descriptor strings a policy rule owns. */
static void free_custom_desc(struct rule *d)
{
    free((char *)d->id);
    free((char *)d->name);
    free((char *)d->security_severity);
    free((char *)d->precision);
    free((char *)d->cwe);
    free((char *)d->patterns);
    free((char *)d->short_description);
    free((char *)d->full_description);
    free((char *)d->help);
}

void policy_free(struct policy *policy)
{
    if (!policy)
        return;
    for (size_t i = 0; i < policy->count; i++) {
        struct policy_rule *r = &policy->rules[i];

        for (size_t p = 0; p < r->pattern_count; p++)
            free(r->patterns[p].name);
        free(r->patterns);
        if (r->custom)
            free_custom_desc(&r->desc);
    }
    free(policy->rules);
    free(policy->path);
    free(policy);
}

int policy_find(const struct policy *policy, const char *id)
{
    for (size_t i = 0; i < policy->count; i++)
        if (strcmp(policy->rules[i].desc.id, id) == 0)
            return (int)i;
    return -1;
}

const struct policy_rule *policy_rule_at(const struct policy *policy,
                                         size_t index)
{
    return &policy->rules[index];
}

void policy_update_hash(struct policy *policy)
{
    struct strbuf text = STRBUF_INIT;

    for (size_t i = 0; i < policy->count; i++) {
        const struct policy_rule *r = &policy->rules[i];

        if (!r->enabled || r->desc.match == MATCH_NONE)
            continue;
        sb_addf(&text, "%s %d", r->desc.id, (int)r->desc.match);
        for (size_t p = 0; p < r->pattern_count; p++)
            sb_addf(&text, " %s:%d", r->patterns[p].name, r->patterns[p].arg);
        sb_addc(&text, '\n');
    }
    sha256_hex(sb_str(&text), text.len, policy->match_hash);
    sb_release(&text);
}
