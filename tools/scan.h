/*
 * scan.h: `mitigate scan`, the libclang front end: the facts of the
 * translation units of a compilation database, for projects whose
 * compiler cannot load the Clang plugin.
 *
 * compdb_*: reads compile_commands.json. scan_args_*: turns a compile
 * command of GCC, a vendor compiler or clang into arguments libclang
 * accepts. scan_walk(): walks one parsed unit and records its facts
 * through the core's collector (collect.h), as the plugin does.
 * scan_units(): runs all of it over many units on worker threads.
 *
 * Memory: each struct owns the strings it points to, and is released
 * by its *_release() function. A struct scan_flags is shared by the
 * worker threads and locks itself.
 */
#ifndef MITIGATE_SCAN_H
#define MITIGATE_SCAN_H

#include <clang-c/Index.h>
#include <pthread.h>
#include <stddef.h>

#include "facts.h"
#include "policy.h"
#include "util.h"

/* One entry of compile_commands.json. */
struct compile_command {
    char *directory; /* absolute */
    char *file;      /* absolute, without "." and ".." parts */
    char **argv;     /* the compiler, then its arguments */
    size_t argc;
    size_t index; /* the entry's 0-based place in the file */
};

struct compile_db {
    char *path; /* the compile_commands.json read */
    struct compile_command *items;
    size_t count;
};

/*
 * Reads a compilation database: path is compile_commands.json or a
 * folder holding it. Entries may give "arguments" or a shell-quoted
 * "command". A file listed twice keeps its first entry. Returns 0, or
 * -1 with errors added.
 */
int compdb_load(const char *path, struct compile_db *db,
                struct mt_errors *errs);
/* The same, on text (len bytes) read from the file name. */
int compdb_parse(const char *name, const char *text, size_t len,
                 struct compile_db *db, struct mt_errors *errs);
void compdb_release(struct compile_db *db);

/*
 * What was learned about flags while scanning: those libclang rejected,
 * so later units drop them without trying again. Shared by threads.
 */
struct scan_flags {
    pthread_mutex_t lock;
    char **rejected;
    size_t count;
    size_t alloc;
};

void scan_flags_init(struct scan_flags *flags);
void scan_flags_release(struct scan_flags *flags);
/* Remembers that libclang rejects arg; 0 if it was known already. */
int scan_flags_reject(struct scan_flags *flags, const char *arg);

/* The arguments libclang gets for a compile command. */
struct scan_args {
    char **argv; /* "clang", flags, the file last */
    size_t argc;
    struct strbuf dropped; /* flags left out and why, for -v */
};

/*
 * What a compiler said it searches of its own accord (scan_driver.c):
 * its include folders, in its order, but for GCC's private ones.
 */
struct driver_answer {
    char *key; /* the question: the compiler and options, NUL-separated */
    size_t key_len;
    char **folders;
    size_t count;
    struct strbuf left_out; /* GCC's private folders, for -v */
};

/* The compilers --query-driver allows to be run, and their answers.
   Shared by the worker threads; locks itself. */
struct scan_drivers {
    pthread_mutex_t lock;
    const char *const *globs;
    size_t glob_count;
    int verbose; /* say what each compiler answered */
    struct driver_answer **answers;
    size_t count;
    size_t alloc;
};

void scan_drivers_init(struct scan_drivers *d, const char *const *globs,
                       size_t glob_count, int verbose);
void scan_drivers_release(struct scan_drivers *d);

/*
 * The include folders cmd's compiler searches of its own accord, when a
 * --query-driver glob matches its path (found on PATH when the command
 * names it bare): asked once for each compiler, language and set of
 * options that choose folders, and remembered. NULL when it is not to
 * be run; a failed question gives an answer without folders. What went
 * wrong, and with verbose what was found, is added to msg once.
 */
const struct driver_answer *scan_drivers_ask(struct scan_drivers *d,
                                             const struct compile_command *cmd,
                                             struct strbuf *msg);

/*
 * Translates cmd's arguments for libclang: keeps what decides how the
 * source parses (defines, include paths, language and standard,
 * target), adds --target for a cross compiler named like
 * arm-none-eabi-gcc, drops what only matters to a compiler that builds
 * (outputs, dependency files, warnings, code generation) and what
 * clang does not know, and appends extra (may be NULL) and the folders
 * the driver named (may be NULL), as -idirafter.
 */
void scan_args_make(const struct compile_command *cmd, const char *const *extra,
                    size_t extra_count, const struct driver_answer *driver,
                    struct scan_flags *flags, struct scan_args *out);
void scan_args_release(struct scan_args *args);
/* Appends a copy of arg to args, keeping argv NULL-terminated. */
void scan_args_push(struct scan_args *args, size_t *alloc, const char *arg);
/* Whether cmd compiles C++: by -x, the compiler's name or the file's. */
int scan_args_is_cxx(const struct compile_command *cmd);

/* SHA-256 of a compile command's directory and arguments, as hex. */
void scan_args_hash(const struct compile_command *cmd, char hex[65]);

/*
 * Records the facts of a parsed unit into tu, matching with policy.
 * Returns 0.
 */
int scan_walk(CXTranslationUnit unit, const struct policy *policy,
              struct facts_tu *tu);

/* How a run of scan_units() went. */
struct scan_options {
    const struct policy *policy;
    const char *facts_dir;
    const char *const *extra; /* --extra-arg values */
    size_t extra_count;
    const char *const *drivers; /* --query-driver globs */
    size_t driver_count;
    unsigned jobs;
    int verbose;
    int progress; /* draw a progress bar on stderr */
    int force;    /* scan units whose facts are fresh too */
};

struct scan_totals {
    size_t scanned;
    size_t fresh; /* skipped: facts already fresh */
    size_t failed;
};

/*
 * Scans the units of db that need it (or, with want non-NULL, those
 * whose want[i] is set), writing facts into opts->facts_dir. Problems
 * are printed on stderr, one unit at a time. Returns 0 when every unit
 * was scanned or fresh, -1 when any failed.
 */
int scan_units(const struct compile_db *db, const unsigned char *want,
               const struct scan_options *opts, struct scan_totals *totals);

/*
 * Whether the facts in dir for cmd are fresh: written from the same
 * source, under the same policy, by the plugin or by a scan of the
 * same arguments.
 */
int scan_is_fresh(const struct compile_command *cmd, const char *dir,
                  const struct policy *policy);

#endif /* MITIGATE_SCAN_H */
