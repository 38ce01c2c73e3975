/*
 * linehash.h: primaryLocationLineHash, the line fingerprint GitHub code
 * scanning uses to follow a result across edits.
 *
 * The hash of a line depends only on its text with all whitespace
 * removed and on how many earlier lines of the file have the same text,
 * so it survives lines being inserted or removed elsewhere and
 * re-indentation, and changes when the line itself changes.
 *
 * Memory: the caller owns the hash array; nothing is kept between calls.
 */
#ifndef MITIGATE_LINEHASH_H
#define MITIGATE_LINEHASH_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Room for "<16 hex>:<occurrence>" and its NUL. */
#define LINE_HASH_SIZE 32

/*
 * Fills hashes[i] for line lines[i] (1-based; 0 counts as line 1, as in
 * a SARIF region without a line) of the file at path, in the form
 * "<16 lowercase hex>:<n>": the hex starts the SHA-256 of the line's
 * text with all whitespace removed, and n is 1 plus the number of
 * earlier lines of the file with the same hex. A line past the end of
 * the file has empty text. lines need not be sorted.
 *
 * Reads the file once, so callers group their lines by file. Returns 0,
 * or -1 if the file cannot be read, in which case callers omit the hash.
 */
int line_hashes(const char *path, const unsigned *lines, size_t count,
                char (*hashes)[LINE_HASH_SIZE]);

#ifdef __cplusplus
}
#endif

#endif /* MITIGATE_LINEHASH_H */
