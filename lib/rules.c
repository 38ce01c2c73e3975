/* rules.c: the catalog of findings, built from rules.def. */
#include "rules.h"

#include <string.h>

static const char *const level_names[] = {"none", "note", "warning", "error"};

const char *level_name(enum level level)
{
    return level_names[level];
}

int level_parse(const char *word)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(word, level_names[i]) == 0)
            return i;
    return -1;
}

static const struct rule rules[RULE_COUNT] = {
#define RULE(e, id_, name_, level_, severity, precision_, cwe_, match_,        \
             patterns_, short_, full, help_)                                   \
    [RULE_##e] = {                                                             \
            .id = id_,                                                         \
            .name = name_,                                                     \
            .level = LEVEL_##level_,                                           \
            .security_severity = severity,                                     \
            .precision = precision_,                                           \
            .cwe = cwe_,                                                       \
            .match = MATCH_##match_,                                           \
            .patterns = patterns_,                                             \
            .short_description = short_,                                       \
            .full_description = full,                                          \
            .help = help_,                                                     \
    },
#include "rules.def"
#undef RULE
};

static const char *const match_kind_names[MATCH_KIND_COUNT] = {
        "none",  "call",           "macro",          "format",    "scanf",
        "stack", "secret-compare", "secret-literal", "copy-size",
};

const char *match_kind_name(enum match_kind kind)
{
    return match_kind_names[kind];
}

int match_kind_parse(const char *word)
{
    for (int i = 0; i < MATCH_KIND_COUNT; i++)
        if (strcmp(word, match_kind_names[i]) == 0)
            return i;
    return -1;
}

unsigned rule_default_scopes(const struct rule *rule)
{
    if (rule->match == MATCH_NONE)
        return SCOPE_EVERYWHERE;
    if (rule->level == LEVEL_ERROR)
        return SCOPE_MITIGATION | SCOPE_CHANGED;
    return SCOPE_MITIGATION;
}

const struct rule *rule_get(enum rule_id id)
{
    return &rules[id];
}

const struct rule *rule_find(const char *id)
{
    for (size_t i = 0; i < RULE_COUNT; i++)
        if (strcmp(rules[i].id, id) == 0)
            return &rules[i];
    return NULL;
}
