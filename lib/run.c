/*
 * run.c: running another program, by its path, without a shell, within
 * limits (run.h).
 */
#define _GNU_SOURCE /* pipe2 */
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mitigate.h>

#include "untrusted.h"

extern char **environ;

MITIGATE_ALLOW("MB1019", "PATH only chooses which file is named; callers "
                         "decide on the path found, not on PATH")
char *run_find_program(const char *name, const char *dir)
{
    const char *path = getenv("PATH");
    struct strbuf sb = STRBUF_INIT;

    if (strchr(name, '/'))
        return path_lexical(name, dir);
    while (path && *path) {
        size_t len = strcspn(path, ":");
        char *found;

        sb.len = 0;
        sb_addf(&sb, "%.*s/%s", (int)len, len ? path : ".", name);
        found = path_lexical(sb.buf, dir);
        if (access(found, X_OK) == 0) {
            sb_release(&sb);
            return found;
        }
        free(found);
        path += len + (path[len] == ':');
    }
    sb_release(&sb);
    return NULL;
}

/* Whether entry ("NAME=VALUE") sets a name that one of set sets. */
static int replaced(const char *entry, const char *const *set)
{
    size_t len = strcspn(entry, "=");

    for (; set && *set; set++)
        if (strncmp(*set, entry, len) == 0 && (*set)[len] == '=')
            return 1;
    return 0;
}

/* This process's environment with set's entries in place of its own.
   The caller frees the array only. */
static char **environment(const char *const *set)
{
    size_t n = 0, k = 0, extra = 0;
    char **env;

    while (environ[n])
        n++;
    while (set && set[extra])
        extra++;
    env = xcalloc(n + extra + 1, sizeof(*env));
    for (size_t i = 0; i < n; i++)
        if (!replaced(environ[i], set))
            env[k++] = environ[i];
    for (size_t i = 0; i < extra; i++)
        env[k++] = (char *)set[i];
    return env;
}

static long long now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/*
 * Reads both outputs until they close. Returns 0, -1 with errno set,
 * RUN_OVER_OUTPUT or RUN_LATE.
 */
static int drain(int fd[2], struct strbuf *bufs[2],
                 const struct run_limits *limits)
{
    struct pollfd fds[2] = {{fd[0], POLLIN, 0}, {fd[1], POLLIN, 0}};
    long long deadline = now_ms() + (long long)limits->seconds * 1000;
    char chunk[65536];

    while (fds[0].fd >= 0 || fds[1].fd >= 0) {
        long long left = deadline - now_ms();
        int ready;

        if (limits->seconds && left <= 0)
            return RUN_LATE;
        ready = poll(fds, 2, limits->seconds ? (int)left : -1);
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready < 0)
            return -1;
        for (int i = 0; i < 2; i++) {
            ssize_t n;

            if (fds[i].fd < 0 || !fds[i].revents)
                continue;
            n = read(fds[i].fd, chunk, sizeof(chunk));
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                fds[i].fd = -1; /* poll skips negative descriptors */
                continue;
            }
            if (bufs[i]->len + (size_t)n > limits->max_output)
                return RUN_OVER_OUTPUT;
            sb_add(bufs[i], chunk, (size_t)n);
        }
    }
    return 0;
}

int run_program(char *const argv[], const struct run_limits *limits,
                struct strbuf *out, struct strbuf *err)
{
    posix_spawn_file_actions_t actions;
    struct strbuf discard[2] = {STRBUF_INIT, STRBUF_INIT};
    struct strbuf *bufs[2] = {out ? out : &discard[0], err ? err : &discard[1]};
    int pipes[2][2], fd[2], status, rc, spawned;
    char **env;
    pid_t pid;

    /* Close-on-exec, so that a program another thread starts meanwhile
       does not hold a write end open and keep the reads from ending. */
    if (pipe2(pipes[0], O_CLOEXEC) < 0)
        return -1;
    if (pipe2(pipes[1], O_CLOEXEC) < 0) {
        close(pipes[0][0]);
        close(pipes[0][1]);
        return -1;
    }
    env = environment(limits->setenv);
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    /* dup2 clears close-on-exec on the copies 1 and 2 only. */
    for (int i = 0; i < 2; i++)
        posix_spawn_file_actions_adddup2(&actions, pipes[i][1], i + 1);
    spawned = posix_spawn(&pid, argv[0], &actions, NULL, argv, env);
    posix_spawn_file_actions_destroy(&actions);
    free(env);
    for (int i = 0; i < 2; i++) {
        close(pipes[i][1]);
        fd[i] = pipes[i][0];
    }
    rc = spawned ? -1 : drain(fd, bufs, limits);
    close(fd[0]);
    close(fd[1]);
    sb_release(&discard[0]);
    sb_release(&discard[1]);
    if (spawned) {
        errno = spawned;
        return -1;
    }
    if (rc != 0)
        kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return rc != 0 ? rc : status;
}
