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
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <mitigate.h>

#include "run.h"
#include "scan.h"
#include "untrusted.h"

#define COUNT_OF(a) (sizeof(a) / sizeof(*(a)))

#define QUERY_SECONDS 10       /* a compiler slower than this is killed */
#define QUERY_OUTPUT (1 << 16) /* a longer answer is refused */

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

/*
 * Runs q and returns its standard error in out; 0, or -1 with why in
 * out instead. The C locale makes GCC answer in English.
 */
MITIGATES("M-ASKED-DRIVERS")
static int ask(const struct scan_args *q, struct strbuf *out)
{
    static const char *const c_locale[] = {"LC_ALL=C", NULL};
    const struct run_limits limits = {QUERY_OUTPUT, QUERY_SECONDS, c_locale};
    int status = run_program(q->argv, &limits, NULL, out);

    if (status >= 0 && WIFEXITED(status) && !WEXITSTATUS(status))
        return 0;
    out->len = 0;
    if (status == -1)
        sb_addf(out, "cannot run it: %s", strerror(errno));
    else if (status == RUN_LATE)
        sb_addf(out, "it did not answer within %d seconds", QUERY_SECONDS);
    else if (status == RUN_OVER_OUTPUT)
        sb_addf(out, "it wrote more than %d bytes", QUERY_OUTPUT);
    else if (WIFSIGNALED(status))
        sb_addf(out, "it was killed by signal %d", WTERMSIG(status));
    else
        sb_addf(out, "it exited with status %d", WEXITSTATUS(status));
    return -1;
}

/* Whether folder is GCC's own: .../lib/gcc{,-cross}/T/V/include{,-fixed},
   whose headers (stddef.h, stdint.h, ...) clang brings its own of. */
static int is_gcc_private(const char *folder)
{
    /* The last five components, from the last: include, V, T, gcc, lib. */
    const char *parts[5];
    size_t n = 0;

    for (const char *p = folder + strlen(folder); p > folder && n < 5; p--)
        if (p[-1] == '/')
            parts[n++] = p;
    return n == 5 &&
           (!strcmp(parts[0], "include") ||
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
        if (!*folder)
            continue;
        folder = path_lexical(folder, "/");
        if (is_gcc_private(folder)) {
            sb_addf(&a->left_out, "%s%s", a->left_out.len ? ", " : "", folder);
            free(folder);
            continue;
        }
        grow_array(&a->folders, alloc, a->count + 1, sizeof(*a->folders));
        a->folders[a->count++] = folder;
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

    /* Found as the build's shell found it, and matched as found. */
    if (!d || !d->glob_count ||
        !(path = run_find_program(cmd->argv[0], cmd->directory)))
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
