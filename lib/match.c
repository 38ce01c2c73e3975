/* match.c: banned-pattern matching shared by the front ends. */
#include "match.h"

#include <ctype.h>
#include <string.h>

#include "util.h"

int glob_match(const char *pattern, const char *name)
{
    const char *star = NULL, *resume = NULL;

    while (*name) {
        if (*pattern == '*') {
            star = pattern++;
            resume = name;
        } else if (*pattern == *name) {
            pattern++;
            name++;
        } else if (star) {
            pattern = star + 1;
            name = ++resume;
        } else {
            return 0;
        }
    }
    while (*pattern == '*')
        pattern++;
    return *pattern == '\0';
}

/* Whether word is one of the comma-separated words of list. */
static int in_list(const char *list, const char *word)
{
    size_t len = strlen(word);

    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ",");

        if (n == len && strncmp(p, word, len) == 0)
            return 1;
        p += n + (p[n] == ',');
    }
    return 0;
}

const char *match_base_name(const char *name, char *buf, size_t size,
                            int *format_shift)
{
    size_t len;
    int fortified = 0;

    *format_shift = 0;
    if (starts_with(name, "__builtin___"))
        name += strlen("__builtin___"), fortified = 1;
    else if (starts_with(name, "__builtin_"))
        name += strlen("__builtin_");
    else if (starts_with(name, "__") && strstr(name, "_chk"))
        name += 2, fortified = 1;
    len = strlen(name);
    if (fortified && len > 4 && strcmp(name + len - 4, "_chk") == 0)
        len -= 4;
    if (len >= size)
        len = size - 1;
    memcpy(buf, name, len);
    buf[len] = '\0';
    /* __sprintf_chk(s, flag, size, fmt) and __printf_chk(flag, fmt). */
    if (fortified)
        *format_shift = in_list("sprintf,vsprintf,snprintf,vsnprintf,"
                                "swprintf,vswprintf",
                                buf)
                                ? 2
                                : 1;
    return buf;
}

int match_is_comparison(const char *callee)
{
    const struct rule *r = rule_get(RULE_NON_CONSTANT_TIME_COMPARE);
    struct policy_rule probe = {0};
    int found = 0;

    policy_set_patterns(&probe, r->patterns);
    for (size_t i = 0; i < probe.pattern_count && !found; i++)
        found = glob_match(probe.patterns[i].name, callee);
    policy_set_patterns(&probe, "");
    return found;
}

/* The enabled rule of kind with a pattern matching name, and its arg. */
static int find_rule(const struct policy *policy, enum match_kind kind,
                     const char *name, int *arg)
{
    for (size_t i = 0; i < policy->count; i++) {
        const struct policy_rule *r = &policy->rules[i];

        if (!r->enabled || r->desc.match != kind)
            continue;
        for (size_t p = 0; p < r->pattern_count; p++) {
            if (!glob_match(r->patterns[p].name, name))
                continue;
            if (arg)
                *arg = r->patterns[p].arg;
            return (int)i;
        }
    }
    return -1;
}

int match_call(const struct policy *policy, const char *callee)
{
    int rule = find_rule(policy, MATCH_CALL, callee, NULL);

    return rule >= 0 ? rule : find_rule(policy, MATCH_STACK, callee, NULL);
}

int match_macro(const struct policy *policy, const char *name)
{
    return find_rule(policy, MATCH_MACRO, name, NULL);
}

int match_argument_rule(const struct policy *policy, enum match_kind kind,
                        const char *callee, int *arg)
{
    return find_rule(policy, kind, callee, arg);
}

int match_rule_of_kind(const struct policy *policy, enum match_kind kind)
{
    for (size_t i = 0; i < policy->count; i++)
        if (policy->rules[i].enabled && policy->rules[i].desc.match == kind)
            return (int)i;
    return -1;
}

int scanf_format_unbounded(const char *format)
{
    for (const char *p = format; (p = strchr(p, '%')) != NULL;) {
        int width = 0, allocates = 0;

        p++;
        if (*p == '%' || *p == '*') {
            p++; /* a literal '%', or a conversion that stores nothing */
            continue;
        }
        while (isdigit((unsigned char)*p)) {
            width = 1;
            p++;
        }
        if (*p == 'm') {
            allocates = 1; /* POSIX: the library allocates the buffer */
            p++;
        }
        while (*p && strchr("hljztL", *p))
            p++;
        if ((*p == 's' || *p == '[') && !width && !allocates)
            return 1;
    }
    return 0;
}

/* Words that name a secret wherever they stand in a name. */
static const char *const secret_words[] = {
        "password", "passwords", "passwd",     "passphrase",  "pwd",
        "secret",   "secrets",   "credential", "credentials", "privkey",
        "apikey",   "psk",       "hmac",
};

/*
 * Words that name a secret only alone or after a qualifier: in C code
 * "key" and "token" are far more often a lookup key or a parser token
 * ("zKeyText", "pToken"), and "pin" a GPIO pin, than a credential.
 */
static const char *const qualified_secret_words[] = {
        "key",  "keys", "token",  "tokens",    "pin",
        "pins", "mac",  "digest", "signature",
};

static const char *const secret_qualifiers[] = {
        "private", "priv",    "secret",   "api",      "session",    "master",
        "shared",  "signing", "auth",     "access",   "bearer",     "refresh",
        "device",  "aes",     "hmac",     "crypto",   "encryption", "enc",
        "root",    "stored",  "expected", "admin",    "user",       "login",
        "entered", "input",   "given",    "correct",  "clinician",  "operator",
        "new",     "old",     "current",  "computed", "received",   "unlock",
        "service", "factory", "default",
};

/* Words that, after a secret word, make the name about something else. */
static const char *const not_secret_after[] = {
        "label",    "prompt",  "name",    "hint",  "len",     "length",
        "size",     "count",   "id",      "index", "idx",     "type",
        "format",   "fmt",     "path",    "file",  "max",     "min",
        "attempts", "retries", "timeout", "msg",   "message", "field",
        "state",    "mode",    "status",  "entry", "screen",  "tries",
        "number",   "num",     "no",      "mask",  "config",  "cfg",
};

#define COUNT_OF(a) (sizeof(a) / sizeof(*(a)))

static int word_in(const char *word, size_t len, const char *const *list,
                   size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (strlen(list[i]) == len && strncmp(word, list[i], len) == 0)
            return 1;
    return 0;
}

/*
 * Splits name into lowercase words at '_' and lower-to-upper case
 * changes; returns how many, at most max.
 */
static size_t split_words(const char *name, char words[][32], size_t max)
{
    size_t count = 0, len = 0;

    for (const char *p = name;; p++) {
        int boundary = !*p || *p == '_' ||
                       (p > name && isupper((unsigned char)*p) &&
                        islower((unsigned char)p[-1]));

        if (boundary && len) {
            words[count][len] = '\0';
            if (++count == max)
                return count;
            len = 0;
        }
        if (!*p)
            return count;
        if (*p != '_' && len < 31)
            words[count][len++] = (char)tolower((unsigned char)*p);
    }
}

int name_is_secret(const char *name)
{
    char words[8][32];
    size_t n = split_words(name, words, 8);

    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(words[i]);
        int strong =
                word_in(words[i], len, secret_words, COUNT_OF(secret_words));
        int weak = word_in(words[i], len, qualified_secret_words,
                           COUNT_OF(qualified_secret_words));

        if (weak && n > 1)
            weak = (i > 0 &&
                    word_in(words[i - 1], strlen(words[i - 1]),
                            secret_qualifiers, COUNT_OF(secret_qualifiers))) ||
                   (i + 1 < n && strcmp(words[i + 1], "code") == 0);
        if (!strong && !weak)
            continue;
        if (i + 1 < n && word_in(words[i + 1], strlen(words[i + 1]),
                                 not_secret_after, COUNT_OF(not_secret_after)))
            continue;
        return 1;
    }
    return 0;
}

char *match_describe(enum match_kind kind, const char *what, const char *macro)
{
    struct strbuf sb = STRBUF_INIT;

    switch (kind) {
    case MATCH_MACRO:
        sb_addf(&sb, "%s", what);
        break;
    case MATCH_FORMAT:
        sb_addf(&sb, "%s with a format that is not a string literal", what);
        break;
    case MATCH_SCANF:
        sb_addf(&sb, "%s reading a string without a field width", what);
        break;
    case MATCH_SECRET_COMPARE:
        sb_addf(&sb, "%s on a secret, not in constant time", what);
        break;
    case MATCH_SECRET_LITERAL:
        sb_addf(&sb, "string literal used as secret %s", what);
        break;
    case MATCH_COPY_SIZE:
        sb_addf(&sb, "%s of a size that is neither constant nor a sizeof",
                what);
        break;
    default:
        if (what[0] == '\'')
            sb_addf(&sb, "variable-length array %s", what);
        else if (what[0] == '&')
            sb_addf(&sb, "address of %s taken", what + 1);
        else
            sb_addf(&sb, "call to %s", what);
        break;
    }
    if (macro)
        sb_addf(&sb, " (through macro %s)", macro);
    return sb_detach(&sb);
}
