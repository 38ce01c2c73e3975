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
#define RULE(e, id_, name_, level_, severity, precision_, cwe_, short_, full,  \
             help_)                                                            \
    [RULE_##e] = {                                                             \
            .id = id_,                                                         \
            .name = name_,                                                     \
            .level = LEVEL_##level_,                                           \
            .security_severity = severity,                                     \
            .precision = precision_,                                           \
            .cwe = cwe_,                                                       \
            .short_description = short_,                                       \
            .full_description = full,                                          \
            .help = help_,                                                     \
    },
#include "rules.def"
#undef RULE
};

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
