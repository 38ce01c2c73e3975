/*
 * run.h: running another program (git, a compiler) the careful way: by
 * its path, without a shell, with standard input from /dev/null, and
 * with bounds on how much of its output is read and how long it may
 * take.
 *
 * Memory: run_find_program() returns a string the caller frees; the
 * output goes into strbufs the caller owns.
 */
#ifndef MITIGATE_RUN_H
#define MITIGATE_RUN_H

#include <stddef.h>

#include "util.h"

/* What a run may take, and what it changes of the environment. */
struct run_limits {
    size_t max_output;         /* bytes of each output; over it, -2 */
    int seconds;               /* 0: no deadline; past it, -3 */
    const char *const *setenv; /* "NAME=VALUE" entries, NULL-ended, or
                                  NULL: replace those names' values */
};

#define RUN_OVER_OUTPUT (-2)
#define RUN_LATE (-3)

/*
 * The file a program name stands for: a name with a '/' made absolute
 * against dir; a bare one looked for on PATH (relative entries against
 * dir), as a shell would; either without "." and ".." parts, links kept
 * as named. NULL when a bare name is not found as an executable.
 */
char *run_find_program(const char *name, const char *dir);

/*
 * Runs argv: argv[0] is a path, as run_find_program() gives. Its
 * standard output goes to out and its standard error to err (NULL
 * throws one away). Returns the wait status; -1 with errno set when it
 * cannot be run; RUN_OVER_OUTPUT or RUN_LATE when a limit was passed,
 * and the program was killed.
 */
int run_program(char *const argv[], const struct run_limits *limits,
                struct strbuf *out, struct strbuf *err);

#endif /* MITIGATE_RUN_H */
