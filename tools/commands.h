/*
 * commands.h: the subcommands of the `mitigate` command.
 *
 * Each takes the arguments after its name (argv[0] is the subcommand)
 * and returns the process exit status: 0 the gate passes, 1 findings at
 * or above --fail-on, 2 usage or input error.
 */
#ifndef MITIGATE_COMMANDS_H
#define MITIGATE_COMMANDS_H

enum exit_status { EXIT_PASS = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2 };

int cmd_check(int argc, char **argv);
int cmd_facts(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_matrix(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_scan(int argc, char **argv);

/* The number of processors, the default for -j. */
unsigned scan_default_jobs(void);
/* Reads -j's value into *jobs: 1 to 64; else EXIT_USAGE after a message. */
int jobs_option(const char *cmd, const char *word, unsigned *jobs);

/* Prints "mitigate <cmd>: message" and returns EXIT_USAGE. */
int usage_error(const char *cmd, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

/*
 * The absolute source root: the given folder, else the nearest folder
 * above the current one that holds .git, else the current folder. The
 * caller frees it; NULL (with a message printed) if it does not exist.
 */
char *source_root(const char *given);

#endif /* MITIGATE_COMMANDS_H */
