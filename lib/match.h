/*
 * match.h: the questions a front end asks while it walks a translation
 * unit, answered from the policy in force.
 *
 * The Clang plugin and `mitigate scan` both call these, so the same
 * source gives the same matches whichever front end read it. Each query
 * returns the index of the enabled policy rule the use matches, or -1.
 * Nothing here allocates or keeps state between calls.
 */
#ifndef MITIGATE_MATCH_H
#define MITIGATE_MATCH_H

#include "policy.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The library function a fortified or builtin name stands for, so that
 * hardened builds match as plain ones do: "__builtin___sprintf_chk" and
 * "__sprintf_chk" are sprintf, "__builtin_memcpy" is memcpy. Writes the
 * name into buf (size bytes) and returns it. *format_shift is set to how
 * many arguments the fortified form adds before a printf format.
 */
const char *match_base_name(const char *name, char *buf, size_t size,
                            int *format_shift);

/* Whether callee is one of the comparison functions MB1016 lists, enabled
   or not: MB1017 looks at their literal arguments too. */
int match_is_comparison(const char *callee);

/* A call to, or the address of, function callee (call and stack rules). */
int match_call(const struct policy *policy, const char *callee);

/* An expansion of macro name. */
int match_macro(const struct policy *policy, const char *name);

/*
 * A call to callee that a format, scanf, size or secret-comparison rule
 * checks; *arg is set to the 0-based argument that rule reads.
 */
int match_argument_rule(const struct policy *policy, enum match_kind kind,
                        const char *callee, int *arg);

/* The first enabled rule of a kind that needs no name (VLA, literals). */
int match_rule_of_kind(const struct policy *policy, enum match_kind kind);

/* Whether a scanf format reads a %s or %[ conversion without a width. */
int scanf_format_unbounded(const char *format);

/*
 * Whether an identifier names a secret: split into words at '_' and
 * case changes, one word is password, pin, key, secret, token or the
 * like, and the word after it (if any) does not make it a label, a
 * length or a count ("pin_prompt", "key_len" are not secrets).
 */
int name_is_secret(const char *name);

/*
 * What a match is, in words, for diagnostics and findings: "call to
 * strcpy", "call to strcpy through macro COPY", "variable-length array
 * 'buf'". The caller frees it.
 */
char *match_describe(enum match_kind kind, const char *what, const char *macro);

/* Shell-style match where '*' stands for any run of characters. */
int glob_match(const char *pattern, const char *name);

#ifdef __cplusplus
}
#endif

#endif /* MITIGATE_MATCH_H */
