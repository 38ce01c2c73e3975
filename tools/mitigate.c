/* mitigate.c: the `mitigate` command: dispatch to subcommands. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "util.h"

static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
        {"check", cmd_check, "join model and facts, report findings, gate"},
        {"facts", cmd_facts, "show facts files as JSON"},
        {"import", cmd_import, "convert another tool's threat model"},
        {"lint", cmd_lint, "validate the threat model"},
        {"matrix", cmd_matrix, "write the threat-to-mitigation test matrix"},
        {"rules", cmd_rules, "list the rules in force"},
        {"scan", cmd_scan,
         "the facts of a build through libclang, for GCC "
         "and vendor compilers"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: mitigate <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n'mitigate <command> --help' describes a command's "
                 "options.\n");
}

int usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "mitigate %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return EXIT_USAGE;
}

/* Whether dir/.git exists. */
static int has_git(const char *dir)
{
    struct strbuf path = STRBUF_INIT;
    struct stat st;
    int found;

    sb_addf(&path, "%s/.git", dir);
    found = stat(path.buf, &st) == 0;
    sb_release(&path);
    return found;
}

char *source_root(const char *given)
{
    char abs[PATH_MAX];
    char *dir;

    if (given) {
        if (!realpath(given, abs)) {
            fprintf(stderr, "mitigate: %s: source root does not exist\n",
                    given);
            return NULL;
        }
        return xstrdup(abs);
    }
    if (!getcwd(abs, sizeof(abs)))
        return xstrdup("/");
    dir = xstrdup(abs);
    for (;;) {
        char *slash;

        if (has_git(dir))
            return dir;
        slash = strrchr(dir, '/');
        if (!slash || slash == dir)
            break;
        *slash = '\0';
    }
    free(dir);
    return xstrdup(abs);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
        !strcmp(argv[1], "help")) {
        usage(stdout);
        return EXIT_PASS;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
        printf("mitigate %s\n", MITIGATE_VERSION);
        return EXIT_PASS;
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "mitigate: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
