/*
 * diff.h: the lines a change touches, read from a unified diff.
 *
 * The `changed` rule scope (RULES.md) limits findings to the lines the
 * diff under review adds or changes. This module reads `git diff`
 * output, or any unified diff, into the new-side line ranges of each
 * file, and answers "does the change touch this line?".
 *
 * Only lines a hunk adds ('+') count as touched; context lines and
 * removed lines do not. Deleted files, binary files and renames or mode
 * changes without a text hunk touch no line.
 *
 * Memory: a struct diff owns its paths and ranges; diff_release() frees
 * them. After a successful read the files are sorted by path, each path
 * occurs once, and its ranges are sorted, disjoint and not adjacent.
 */
#ifndef MITIGATE_DIFF_H
#define MITIGATE_DIFF_H

#include <stddef.h>

#include "util.h"

#ifdef __cplusplus
extern "C" {
#endif

/* New-side lines first to last, 1-based and inclusive. */
struct diff_range {
    unsigned first, last;
};

struct diff_file {
    /* New path, relative to the repository top, prefixes a/ b/ removed. */
    char *path;
    struct diff_range *ranges;
    size_t count, alloc;
};

struct diff {
    struct diff_file *files;
    size_t count, alloc;
};

#define DIFF_INIT                                                              \
    {                                                                          \
        NULL, 0, 0                                                             \
    }

/* Reading */

/*
 * Reads the unified diff in text (len bytes, need not be NUL-terminated)
 * into out, which must be empty. name is what error messages call the
 * text. Text before the first file header is skipped, as `git apply`
 * does; an empty text is a diff with no changes.
 *
 * Returns 0, or -1 after adding an error naming name and the line, in
 * which case out is left empty.
 */
int diff_parse(const char *name, const char *text, size_t len, struct diff *out,
               struct mt_errors *errs);

/* Reads the unified diff in the file at path, as diff_parse(). */
int diff_load(const char *path, struct diff *out, struct mt_errors *errs);

/*
 * The changes from revision rev to the working tree of the repository
 * that holds root: runs `git -C root diff REV --` (without a shell,
 * colour, external diff drivers or text conversion, and with the a/ b/
 * prefixes whatever the user's configuration says). Paths are relative
 * to the repository top, which may be above root.
 *
 * Returns 0, or -1 after adding an error that quotes the first line git
 * printed to its standard error.
 *
 * Limitation: files git does not track (new files never added) are not
 * in `git diff`, so their lines count as untouched until they are added
 * (`git add -N` is enough).
 */
int diff_from_git(const char *root, const char *rev, struct diff *out,
                  struct mt_errors *errs);

/* Queries */

/*
 * 1 if the change adds or changes line (1-based) of the file at relpath
 * (relative to the repository top, like the paths of the diff), else 0.
 */
int diff_touches(const struct diff *d, const char *relpath, unsigned line);

void diff_release(struct diff *d);

#ifdef __cplusplus
}
#endif

#endif /* MITIGATE_DIFF_H */
