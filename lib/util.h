/*
 * util.h: the small primitives every module of the core uses.
 *
 * Memory: the x* allocators never return NULL; running out of memory
 * ends the process with a message, as there is no useful way to go on:
 * the command exits with status 2, and a host that cannot be ended that
 * way (the plugin, inside clang) installs its own way to stop.
 * A strbuf owns its buffer until sb_detach() hands it to the caller.
 *
 * Errors: functions that read user input do not print. They append to
 * a struct mt_errors, each entry with the file and the position the
 * problem was found at, so the command can print them and the plugin can
 * turn them into compiler diagnostics.
 */
#ifndef MITIGATE_UTIL_H
#define MITIGATE_UTIL_H

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Allocation */

/*
 * Called by the x* allocators, with the size asked for, when memory runs
 * out. It must not return. The default prints "mitigate: out of memory"
 * and exits with status 2; NULL restores it.
 */
typedef void (*mt_out_of_memory_fn)(size_t size);
void mt_set_out_of_memory_handler(mt_out_of_memory_fn handler);

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t len);

/*
 * Grow *items (of *alloc elements of size elem) so it holds at least
 * need elements. Doubles, so appends are amortised constant time.
 */
void grow_array(void *items, size_t *alloc, size_t need, size_t elem);

/*
 * Makes room in the same kind of array for exactly need items when it
 * has less: for an array whose final size is known, with no room to
 * spare.
 */
void reserve_array(void *items, size_t *alloc, size_t need, size_t elem);

/*
 * qsort() for an array that may be NULL when it is empty, which qsort()
 * itself does not allow.
 */
void sort_array(void *items, size_t count, size_t size,
                int (*cmp)(const void *, const void *));

/* A growable, always NUL-terminated string. */
struct strbuf {
    char *buf;
    size_t len;
    size_t alloc;
};

#define STRBUF_INIT                                                            \
    {                                                                          \
        NULL, 0, 0                                                             \
    }

void sb_add(struct strbuf *sb, const char *s, size_t len);
void sb_adds(struct strbuf *sb, const char *s);
void sb_addc(struct strbuf *sb, char c);
void sb_addf(struct strbuf *sb, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
        __attribute__((format(printf, 2, 0)));
/* The string, never NULL ("" for an empty buffer). */
const char *sb_str(const struct strbuf *sb);
/* Hands the buffer to the caller and leaves sb empty. */
char *sb_detach(struct strbuf *sb);
void sb_release(struct strbuf *sb);

/* A position in a file: 1-based lines and columns; 0 when unknown. */
struct mt_pos {
    unsigned line;
    unsigned column;
    unsigned end_line;
    unsigned end_column;
};

/* Errors in user input, with where they were found. */
struct mt_error {
    char *file; /* may be NULL when no file is involved */
    struct mt_pos pos;
    char *message; /* lowercase, no trailing period */
};

struct mt_errors {
    struct mt_error *items;
    size_t count;
    size_t alloc;
};

#define MT_ERRORS_INIT                                                         \
    {                                                                          \
        NULL, 0, 0                                                             \
    }

void mt_error_add(struct mt_errors *errs, const char *file,
                  const struct mt_pos *pos, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
void mt_error_vadd(struct mt_errors *errs, const char *file,
                   const struct mt_pos *pos, const char *fmt, va_list ap)
        __attribute__((format(printf, 4, 0)));
/*
 * Prints each error as "mitigate: file:line:col: message", the first
 * MT_ERRORS_SHOWN of them, then how many more there are.
 */
#define MT_ERRORS_SHOWN 100
void mt_errors_print(const struct mt_errors *errs, const char *prefix);
void mt_errors_release(struct mt_errors *errs);
/* Appends the errors of from to to, in order, and leaves from empty. */
void mt_errors_move(struct mt_errors *to, struct mt_errors *from);

/* Files */

/*
 * Reads a whole file into a NUL-terminated buffer. Returns NULL and adds
 * an error when the file cannot be read or is larger than max_size.
 */
char *read_file(const char *path, size_t max_size, size_t *len,
                struct mt_errors *errs);

/*
 * Like read_file(), for a file that an input names rather than the
 * user: refuses anything but a regular file (a device, a FIFO, a
 * folder) without reading from it or waiting on it.
 */
char *read_regular_file(const char *path, size_t max_size, size_t *len,
                        struct mt_errors *errs);

/*
 * Writes data to path so that readers see either the old file or the
 * whole new one: the data goes to a temporary file in the same folder,
 * is flushed to disk, then renamed over path. Returns 0, or -1 after
 * adding an error; on failure path is untouched.
 *
 * Limitation: a process killed while it writes leaves its temporary
 * file "PATH.tmp.XXXXXX", which nothing removes; and a path that is a
 * symbolic link is replaced by a file, not written through.
 */
int write_file_atomic(const char *path, const char *data, size_t len,
                      struct mt_errors *errs);

/* Creates a folder and its parents; 0 on success or if it exists. */
int mkdir_p(const char *path, struct mt_errors *errs);

/*
 * SHA-256 of a regular file as 64 lowercase hex digits; -1 if it is
 * unreadable or not a regular file.
 */
int sha256_file(const char *path, char hex[65]);
/* SHA-256 of a buffer as 64 lowercase hex digits. */
void sha256_hex(const void *data, size_t len, char hex[65]);

/*
 * XXH3-128 of a file or a buffer as 32 lowercase hex digits: the cheap
 * change detector that the facts keep for their source, computed inside
 * every compile. It says whether a file changed, not who changed it;
 * evidence that must resist tampering uses SHA-256. The file form
 * returns -1 if the file is unreadable.
 */
int xxh128_file(const char *path, char hex[33]);
void xxh128_hex(const void *data, size_t len, char hex[33]);

/* Text */

int starts_with(const char *s, const char *prefix);
/* Levenshtein distance, capped: returns at most cap + 1. */
size_t edit_distance(const char *a, const char *b, size_t cap);
/*
 * The candidate nearest to word, or NULL when none is close enough to
 * be a likely typo (distance at most a third of the word's length,
 * and at least 1).
 */
const char *suggest_nearest(const char *word, const char *const *candidates,
                            size_t count);

/* Dates */

/*
 * Days since 1970-01-01 for a "YYYY-MM-DD" date; -1 if it is not a valid
 * calendar date in that form.
 */
long date_to_days(const char *date);
/* Now, or SOURCE_DATE_EPOCH when it is set, in seconds since 1970. */
long long now_epoch(void);

#ifdef __cplusplus
}
#endif

#endif /* MITIGATE_UTIL_H */
