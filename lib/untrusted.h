/*
 * untrusted.h: text and paths that come from inputs, made safe to show
 * and to compare.
 *
 * Anything quoted back from an input (a key, an ID, a path) is made
 * printable before it reaches a terminal, a CI log or a compiler
 * diagnostic; any path an input names is made absolute and normalised
 * before it is compared with the source root, so that ".." cannot climb
 * out of it. These are the mitigations M-PRINTABLE and M-URI-PATHS of
 * security/threats.yaml.
 *
 * Memory: path_absolute() returns a string the caller frees; the rest
 * append to a strbuf or write to a stream, or point into their argument.
 */
#ifndef MITIGATE_UNTRUSTED_H
#define MITIGATE_UNTRUSTED_H

#include <stdio.h>

#include "util.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Text */

/*
 * Appends s with every control character (C0, DEL, C1) and every byte
 * that is not part of valid UTF-8 shown as \xNN, so that text quoted
 * from an input cannot move the cursor, rewrite a line or send a
 * terminal escape sequence when it is printed.
 */
void sb_add_printable(struct strbuf *sb, const char *s);
/* Writes s to f as sb_add_printable() shows it. */
void fput_printable(FILE *f, const char *s);

/* Paths */

/*
 * path as an absolute path with no "." or ".." component and no repeated
 * '/': through realpath() when the file exists, else made absolute
 * against the current folder and normalised by its text alone, so that
 * a path named inside an input can never climb out of the folder it
 * appears to be in. The caller frees it.
 */
char *path_absolute(const char *path);

/*
 * path made absolute against the absolute folder base when it is
 * relative, with no "." or ".." component and no repeated '/', by its
 * text alone: symbolic links are kept as named. The caller frees it.
 */
char *path_lexical(const char *path, const char *base);

/*
 * The part of abs, an absolute path as path_absolute() gives, below the
 * folder root ("src/a.c" for "/r/src/a.c" under "/r"), or NULL when abs
 * is not below root. Points into abs.
 */
const char *path_below(const char *abs, const char *root);

#ifdef __cplusplus
}
#endif

#endif /* MITIGATE_UNTRUSTED_H */
