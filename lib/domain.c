/* domain.c: the words of the domain and their spelling in files. */
#include "domain.h"

#include <string.h>

const char *const test_kind_names[TEST_KIND_COUNT] = {
        [TEST_EFFECTIVENESS] = "effectiveness",
        [TEST_THWART] = "thwart",
        [TEST_SIDE_EFFECT] = "side-effect",
};

static const char *const test_kind_macro_names[TEST_KIND_COUNT] = {
        [TEST_EFFECTIVENESS] = "EFFECTIVENESS",
        [TEST_THWART] = "THWART",
        [TEST_SIDE_EFFECT] = "SIDE_EFFECT",
};

const char *const control_names[CONTROL_COUNT] = {
        [CONTROL_AUTHENTICATION] = "authentication",
        [CONTROL_AUTHORIZATION] = "authorization",
        [CONTROL_CRYPTOGRAPHY] = "cryptography",
        [CONTROL_INTEGRITY] = "integrity",
        [CONTROL_CONFIDENTIALITY] = "confidentiality",
        [CONTROL_LOGGING] = "logging",
        [CONTROL_RESILIENCY] = "resiliency",
        [CONTROL_UPDATABILITY] = "updatability",
};

const char *const stride_names[STRIDE_COUNT] = {
        [STRIDE_SPOOFING] = "spoofing",
        [STRIDE_TAMPERING] = "tampering",
        [STRIDE_REPUDIATION] = "repudiation",
        [STRIDE_INFORMATION_DISCLOSURE] = "information-disclosure",
        [STRIDE_DENIAL_OF_SERVICE] = "denial-of-service",
        [STRIDE_ELEVATION_OF_PRIVILEGE] = "elevation-of-privilege",
};

const char *const risk_level_names[RISK_LEVEL_COUNT] = {
        [RISK_NONE] = "none",         [RISK_LOW] = "low",
        [RISK_MEDIUM] = "medium",     [RISK_HIGH] = "high",
        [RISK_CRITICAL] = "critical",
};

/*
 * The index of word in names (count entries, compared exactly), or -1
 * when word is NULL or not one of them.
 */
static int lookup(const char *word, const char *const *names, int count)
{
    if (!word)
        return -1;
    for (int i = 0; i < count; i++) {
        if (strcmp(word, names[i]) == 0)
            return i;
    }
    return -1;
}

const char *test_kind_name(enum test_kind kind)
{
    if ((unsigned)kind >= TEST_KIND_COUNT)
        return "unknown";
    return test_kind_names[kind];
}

int test_kind_parse(const char *word)
{
    return lookup(word, test_kind_names, TEST_KIND_COUNT);
}

const char *test_kind_macro_name(enum test_kind kind)
{
    if ((unsigned)kind >= TEST_KIND_COUNT)
        return "UNKNOWN";
    return test_kind_macro_names[kind];
}

int test_kind_parse_macro(const char *word)
{
    return lookup(word, test_kind_macro_names, TEST_KIND_COUNT);
}

int control_parse(const char *word)
{
    return lookup(word, control_names, CONTROL_COUNT);
}

int stride_parse(const char *word)
{
    return lookup(word, stride_names, STRIDE_COUNT);
}

int risk_level_parse(const char *word)
{
    return lookup(word, risk_level_names, RISK_LEVEL_COUNT);
}

/* Whether c may appear in an ID; the first character is checked apart. */
static int id_char_is_valid(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

int id_is_valid(const char *s)
{
    size_t len;

    if (!s || !id_char_is_valid(s[0]) || s[0] == '-' || s[0] == '_' ||
        s[0] == '.')
        return 0;
    for (len = 0; s[len]; len++) {
        if (len >= 64 || !id_char_is_valid(s[len]))
            return 0;
    }
    return 1;
}
