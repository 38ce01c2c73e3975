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
 * Translates cmd's arguments for libclang: keeps what decides how the
 * source parses (defines, include paths, language and standard,
 * target), adds --target for a cross compiler named like
 * arm-none-eabi-gcc, drops what only matters to a compiler that builds
 * (outputs, dependency files, warnings, code generation) and what
 * clang does not know, and appends extra (may be NULL).
 */
void scan_args_make(const struct compile_command *cmd, const char *const *extra,
                    size_t extra_count, struct scan_flags *flags,
                    struct scan_args *out);
void scan_args_release(struct scan_args *args);

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
