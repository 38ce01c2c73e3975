/*
 * scan_driver.c: the include folders a compiler searches of its own
 * accord, asked of the compiler itself when --query-driver allows it.
 *
 * A cross GCC finds its C library (newlib, picolibc) in folders of its
 * installation that no option names, so a scan of its units fails with
 * "file not found" unless they are given. GCC prints them when run as
 * `CC -E -v -x c /dev/null`, between "#include <...> search starts
 * here:" and "End of search list.". A compilation database is input, so
 * its compilers are run only when a --query-driver glob names them;
 * each is asked once for each language and set of options that choose
 * its folders (sysroot, specs, -m options), under the C locale, with
 * no shell, and given QUERY_SECONDS to answer.
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mitigate.h>

#include "scan.h"

#define COUNT_OF(a) (sizeof(a) / sizeof(*(a)))

#define QUERY_SECONDS 10       /* a compiler slower than this is killed */
#define QUERY_OUTPUT (1 << 16) /* what is read of its answer, at most */

extern char **environ;

/* Options that change which folders a compiler searches. */
static int chooses_folders(const char *arg)
{
    static const char *const prefixes[] = {
            "--sysroot", "-isysroot", "-specs=",   "--specs=",
            "-nostdinc", "-m",        "--target=", "-target",
    };

    for (size_t i = 0; i < COUNT_OF(prefixes); i++)
        if (starts_with(arg, prefixes[i]))
            return 1;
    return 0;
}

/* Options written as two words whose value chooses folders. */
static int has_value(const char *arg)
{
    return strcmp(arg, "--sysroot") == 0 || strcmp(arg, "-isysroot") == 0 ||
           strcmp(arg, "-target") == 0;
}

/* path without "." and "x/.." parts and doubled slashes, in place. */
static void tidy(char *path)
{
    char *out = path;

    for (const char *in = path; *in;) {
        size_t len = strcspn(in, "/");

        if (len == 2 && in[0] == '.' && in[1] == '.' && out > path + 1) {
            /* Back to just after the slash before the last part. */
            for (out -= 1; out > path && out[-1] != '/'; out--)
                ;
        } else if (len > 0 && !(len == 1 && in[0] == '.')) {
            for (size_t i = 0; i < len; i++)
                *out++ = in[i];
            if (in[len] == '/')
                *out++ = '/';
        } else if (len == 0 && out == path) {
            *out++ = '/'; /* the root */
        }
        in += len + (in[len] == '/');
    }
    if (out > path + 1 && out[-1] == '/')
        out--;
    *out = '\0';
}

/* The compiler's path as the build ran it: made absolute against the
   unit's folder, or found on PATH, and without "." and ".." parts, so a
   glob sees where it really is. NULL when it cannot be found. */
MITIGATE_ALLOW("MB1019", "PATH only chooses which file is looked at; the "
                         "glob is matched against the path found")
static char *compiler_path(const struct compile_command *cmd)
{
    const char *name = cmd->argv[0];
    const char *path = getenv("PATH");
    struct strbuf sb = STRBUF_INIT;

    if (strchr(name, '/')) {
        if (name[0] != '/')
            sb_addf(&sb, "%s/", cmd->directory);
        sb_adds(&sb, name);
        path = NULL;
    }
    while (path && *path) {
        size_t len = strcspn(path, ":");

        sb.len = 0;
        if (len && path[0] != '/')
            sb_addf(&sb, "%s/", cmd->directory);
        sb_addf(&sb, "%.*s/%s", (int)len, len ? path : ".", name);
        if (access(sb.buf, X_OK) == 0)
            break;
        sb.len = 0;
        path += len + (path[len] == ':');
    }
    if (!sb.len) {
        sb_release(&sb);
        return NULL;
    }
    tidy(sb.buf);
    sb.len = strlen(sb.buf);
    return sb_detach(&sb);
}

/* The question for cmd: the compiler, then the options that choose its
   folders; "-E -v -x LANG /dev/null" is added when it is asked. */
static void question_of(const struct compile_command *cmd, const char *path,
                        int cxx, struct scan_args *q)
{
    size_t alloc = 0;

    memset(q, 0, sizeof(*q));
    scan_args_push(q, &alloc, path);
    for (size_t i = 1; i < cmd->argc; i++) {
        if (!chooses_folders(cmd->argv[i]))
            continue;
        scan_args_push(q, &alloc, cmd->argv[i]);
        if (has_value(cmd->argv[i]) && i + 1 < cmd->argc)
            scan_args_push(q, &alloc, cmd->argv[++i]);
    }
    scan_args_push(q, &alloc, "-E");
    scan_args_push(q, &alloc, "-v");
    scan_args_push(q, &alloc, "-x");
    scan_args_push(q, &alloc, cxx ? "c++" : "c");
    scan_args_push(q, &alloc, "/dev/null");
}

/* The environment for the compiler: this one, in the C locale, so that
   GCC's answer is in English. The caller frees the array only. */
static char **c_locale_environment(void)
{
    size_t n = 0, k = 0;
    char **env;

    while (environ[n])
        n++;
    env = xcalloc(n + 2, sizeof(*env));
    for (size_t i = 0; i < n; i++)
        if (!starts_with(environ[i], "LC_") &&
            !starts_with(environ[i], "LANG=") &&
            !starts_with(environ[i], "LANGUAGE="))
            env[k++] = environ[i];
    env[k++] = "LC_ALL=C";
    env[k] = NULL;
    return env;
}

/* Reads what fd carries until its end or the deadline; 0, or -1 when
   the deadline passed. */
static int read_until(int fd, time_t deadline, struct strbuf *out)
{
    char buf[4096];

    for (;;) {
        struct pollfd p = {fd, POLLIN, 0};
        time_t left = deadline - time(NULL);
        ssize_t n;

        if (left <= 0)
            return -1;
        if (poll(&p, 1, (int)left * 1000) == 0)
            return -1;
        n = read(fd, buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return 0;
        if (out->len < QUERY_OUTPUT)
            sb_add(out, buf, (size_t)n);
    }
}

/*
 * Runs q and returns its standard error in out; 0, or -1 with why in
 * out instead.
 */
MITIGATES("M-ASKED-DRIVERS")
static int ask(const struct scan_args *q, struct strbuf *out)
{
    posix_spawn_file_actions_t actions;
    char **env = c_locale_environment();
    int pipe_fd[2], status = 0, late;
    pid_t pid;

    if (pipe(pipe_fd) != 0) {
        sb_addf(out, "cannot make a pipe: %s", strerror(errno));
        free(env);
        return -1;
    }
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, pipe_fd[1], 2);
    posix_spawn_file_actions_addclose(&actions, pipe_fd[0]);
    posix_spawn_file_actions_addclose(&actions, pipe_fd[1]);
    errno = posix_spawn(&pid, q->argv[0], &actions, NULL, q->argv, env);
    posix_spawn_file_actions_destroy(&actions);
    free(env);
    close(pipe_fd[1]);
    if (errno) {
        sb_addf(out, "cannot run it: %s", strerror(errno));
        close(pipe_fd[0]);
        return -1;
    }
    late = read_until(pipe_fd[0], time(NULL) + QUERY_SECONDS, out) < 0;
    close(pipe_fd[0]);
    if (late)
        kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    out->len = late || !WIFEXITED(status) || WEXITSTATUS(status) ? 0 : out->len;
    if (late)
        sb_addf(out, "it did not answer within %d seconds", QUERY_SECONDS);
    else if (WIFSIGNALED(status))
        sb_addf(out, "it was killed by signal %d", WTERMSIG(status));
    else if (WEXITSTATUS(status))
        sb_addf(out, "it exited with status %d", WEXITSTATUS(status));
    else
        return 0;
    return -1;
}

/* Whether folder is GCC's own: .../lib/gcc{,-cross}/T/V/include{,-fixed},
   whose headers (stddef.h, stdint.h, ...) clang brings its own of. */
static int is_gcc_private(const char *folder)
{
    const char *parts[6];
    size_t n = 0;
    const char *end = folder + strlen(folder);

    for (const char *p = end; p > folder && n < 5; p--)
        if (p[-1] == '/')
            parts[n++] = p;
    if (n < 5)
        return 0;
    return (starts_with(parts[0], "include/") || !strcmp(parts[0], "include") ||
            !strcmp(parts[0], "include-fixed")) &&
           (starts_with(parts[4], "lib/gcc/") ||
            starts_with(parts[4], "lib/gcc-cross/"));
}

/* The folders in a GCC -v answer, in order, into a. */
static void read_answer(char *text, struct driver_answer *a, size_t *alloc)
{
    int in_list = 0;
    char *rest = NULL;

    for (char *line = strtok_r(text, "\n", &rest); line;
         line = strtok_r(NULL, "\n", &rest)) {
        char *folder = line;

        if (starts_with(line, "#include <...> search starts here:")) {
            in_list = 1;
            continue;
        }
        if (starts_with(line, "End of search list."))
            break;
        if (!in_list || line[0] != ' ')
            continue;
        while (*folder == ' ')
            folder++;
        if (strstr(folder, " (framework directory)"))
            *strstr(folder, " (framework directory)") = '\0';
        tidy(folder);
        if (!*folder)
            continue;
        if (is_gcc_private(folder)) {
            sb_addf(&a->left_out, "%s%s", a->left_out.len ? ", " : "", folder);
            continue;
        }
        grow_array(&a->folders, alloc, a->count + 1, sizeof(*a->folders));
        a->folders[a->count++] = xstrdup(folder);
    }
}

void scan_drivers_init(struct scan_drivers *d, const char *const *globs,
                       size_t glob_count, int verbose)
{
    memset(d, 0, sizeof(*d));
    pthread_mutex_init(&d->lock, NULL);
    d->globs = globs;
    d->glob_count = glob_count;
    d->verbose = verbose;
}

void scan_drivers_release(struct scan_drivers *d)
{
    for (size_t i = 0; i < d->count; i++) {
        struct driver_answer *a = d->answers[i];

        free(a->key);
        for (size_t j = 0; j < a->count; j++)
            free(a->folders[j]);
        free(a->folders);
        sb_release(&a->left_out);
        free(a);
    }
    free(d->answers);
    pthread_mutex_destroy(&d->lock);
    memset(d, 0, sizeof(*d));
}

static int allowed(const struct scan_drivers *d, const char *path)
{
    for (size_t i = 0; i < d->glob_count; i++)
        if (fnmatch(d->globs[i], path, 0) == 0)
            return 1;
    return 0;
}

/* Asks the compiler q names into a, and says how it went in msg. */
static void answer(struct driver_answer *a, const struct scan_args *q,
                   int verbose, struct strbuf *msg)
{
    struct strbuf out = STRBUF_INIT;
    size_t alloc = 0;

    if (ask(q, &out) < 0) {
        sb_addf(msg,
                "mitigate scan: warning: asked %s for its include folders: "
                "%s; its units are scanned without them\n",
                q->argv[0], out.buf);
        sb_release(&out);
        return;
    }
    if (out.len)
        read_answer(out.buf, a, &alloc);
    sb_release(&out);
    if (!a->count) {
        sb_addf(msg,
                "mitigate scan: warning: %s named no include folder when "
                "asked with -E -v; is it GCC or clang?\n",
                q->argv[0]);
        return;
    }
    if (!verbose)
        return;
    sb_addf(msg, "mitigate scan: %s searches", q->argv[0]);
    for (size_t i = 0; i < a->count; i++)
        sb_addf(msg, "%s %s", i ? "," : "", a->folders[i]);
    if (a->left_out.len)
        sb_addf(msg, "; left out its own %s", a->left_out.buf);
    sb_adds(msg, "\n");
}

MITIGATES("M-ASKED-DRIVERS")
const struct driver_answer *scan_drivers_ask(struct scan_drivers *d,
                                             const struct compile_command *cmd,
                                             struct strbuf *msg)
{
    struct driver_answer *a = NULL;
    struct strbuf key = STRBUF_INIT;
    struct scan_args q;
    char *path;

    if (!d || !d->glob_count || !(path = compiler_path(cmd)))
        return NULL;
    if (!allowed(d, path)) {
        free(path);
        return NULL;
    }
    question_of(cmd, path, scan_args_is_cxx(cmd), &q);
    free(path);
    for (size_t i = 0; i < q.argc; i++)
        sb_add(&key, q.argv[i], strlen(q.argv[i]) + 1);
    pthread_mutex_lock(&d->lock);
    for (size_t i = 0; i < d->count && !a; i++)
        if (d->answers[i]->key_len == key.len &&
            memcmp(d->answers[i]->key, key.buf, key.len) == 0)
            a = d->answers[i];
    if (!a) {
        /* Other units of this compiler wait for the answer. */
        a = xcalloc(1, sizeof(*a));
        a->left_out = (struct strbuf)STRBUF_INIT;
        a->key_len = key.len;
        a->key = sb_detach(&key);
        answer(a, &q, d->verbose, msg);
        grow_array(&d->answers, &d->alloc, d->count + 1, sizeof(*d->answers));
        d->answers[d->count++] = a;
    }
    pthread_mutex_unlock(&d->lock);
    sb_release(&key);
    scan_args_release(&q);
    return a;
}
