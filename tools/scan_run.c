/*
 * scan_run.c: scanning the units of a compilation database on worker
 * threads, each with its own libclang index, with a progress bar on a
 * terminal and one block of messages per unit that needs them.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scan.h"

/* Diagnostics shown per failed unit before "and N more". */
#define MAX_ERRORS_SHOWN 10
/* Times a unit is parsed again without arguments libclang rejected. */
#define MAX_RETRIES 8

struct run {
    const struct compile_db *db;
    const unsigned char *want;
    const struct scan_options *opts;
    struct scan_flags flags;
    struct scan_drivers drivers; /* what --query-driver compilers said */
    pthread_mutex_t lock;        /* guards what follows, and stderr */
    size_t next;                 /* the next unit to take */
    size_t done;
    size_t total; /* units to look at */
    struct scan_totals totals;
    int bar_shown;
};

/* The facts file of a unit's source, read back; NULL if none. */
static struct facts_tu *facts_of(const char *file, const char *dir)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    struct strbuf path = STRBUF_INIT;
    char *name = facts_file_name(file);
    struct facts_tu *tu;

    sb_addf(&path, "%s/%s", dir, name);
    tu = access(path.buf, F_OK) == 0 ? facts_read(path.buf, &errs) : NULL;
    mt_errors_release(&errs);
    sb_release(&path);
    free(name);
    return tu;
}

/* Limitation: only the main source file is compared, not the headers it
   includes, as for MR0104. */
int scan_is_fresh(const struct compile_command *cmd, const char *dir,
                  const struct policy *policy)
{
    char real[PATH_MAX], now[33], args[65];
    struct facts_tu *tu;
    int fresh;

    if (!realpath(cmd->file, real) || !(tu = facts_of(real, dir)))
        return 0;
    scan_args_hash(cmd, args);
    fresh = xxh128_file(real, now) == 0 && strcmp(now, tu->main_hash) == 0 &&
            strcmp(tu->policy_hash, policy->match_hash) == 0 &&
            (strcmp(tu->frontend, "plugin") == 0 ||
             strcmp(tu->arguments_sha256, args) == 0);
    facts_tu_free(tu);
    return fresh;
}

/* Draws "[#####     ] 12/40 units" over the previous one. */
static void draw_bar(struct run *r)
{
    int width = 30, filled;

    if (!r->opts->progress || !r->total)
        return;
    filled = (int)(r->done * (size_t)width / r->total);
    fprintf(stderr, "\r[%.*s%*s] %zu/%zu units", filled,
            "##############################", width - filled, "", r->done,
            r->total);
    r->bar_shown = 1;
}

static void clear_bar(struct run *r)
{
    if (r->bar_shown)
        fprintf(stderr, "\r%*s\r", 60, "");
    r->bar_shown = 0;
}

/* Prints a unit's messages in one piece, above the progress bar. */
static void say(struct run *r, const char *text)
{
    if (!text || !text[0])
        return;
    pthread_mutex_lock(&r->lock);
    clear_bar(r);
    fputs(text, stderr);
    draw_bar(r);
    pthread_mutex_unlock(&r->lock);
}

/*
 * The quoted argument a driver error names ("unknown argument:
 * '-fno-tree-vrp'"), when it is one of args; else NULL.
 */
static const char *rejected_arg(const char *message,
                                const struct scan_args *args)
{
    const char *open = strchr(message, '\'');
    const char *close = open ? strchr(open + 1, '\'') : NULL;

    if (!close)
        return NULL;
    for (size_t i = 1; i + 1 < args->argc; i++) {
        const char *a = args->argv[i];
        size_t n = (size_t)(close - open - 1);
        const char *eq = strchr(a, '=');

        if ((strlen(a) == n && strncmp(a, open + 1, n) == 0) ||
            (eq && strlen(eq + 1) == n && strncmp(eq + 1, open + 1, n) == 0))
            return a;
    }
    return NULL;
}

/*
 * Collects the unit's errors into msg. Errors that name an argument
 * the driver rejects add it to flags instead; returns how many did.
 */
static int read_errors(CXTranslationUnit unit, const struct scan_args *args,
                       struct scan_flags *flags, struct strbuf *msg,
                       size_t *errors)
{
    unsigned n = clang_getNumDiagnostics(unit);
    int learned = 0;

    for (unsigned i = 0; i < n; i++) {
        CXDiagnostic d = clang_getDiagnostic(unit, i);
        CXString text;
        const char *arg;

        if (clang_getDiagnosticSeverity(d) < CXDiagnostic_Error) {
            clang_disposeDiagnostic(d);
            continue;
        }
        text = clang_getDiagnosticSpelling(d);
        arg = rejected_arg(clang_getCString(text), args);
        if (arg) {
            scan_flags_reject(flags, arg);
            learned++;
        } else if ((*errors)++ < MAX_ERRORS_SHOWN) {
            CXString line = clang_formatDiagnostic(
                    d, CXDiagnostic_DisplaySourceLocation |
                               CXDiagnostic_DisplayColumn);

            sb_addf(msg, "  %s\n", clang_getCString(line));
            clang_disposeString(line);
        }
        clang_disposeString(text);
        clang_disposeDiagnostic(d);
    }
    return learned;
}

/* Parses a unit, again without what the driver rejects; NULL on a
   failure, with why in msg. */
static CXTranslationUnit parse(CXIndex index, struct run *r,
                               const struct compile_command *cmd,
                               struct strbuf *msg)
{
    const struct driver_answer *driver =
            scan_drivers_ask(&r->drivers, cmd, msg);

    for (int attempt = 0; attempt <= MAX_RETRIES; attempt++) {
        struct strbuf errs = STRBUF_INIT;
        struct scan_args args;
        CXTranslationUnit unit = NULL;
        enum CXErrorCode rc;
        size_t errors = 0;
        int learned;

        scan_args_make(cmd, r->opts->extra, r->opts->extra_count, driver,
                       &r->flags, &args);
        rc = clang_parseTranslationUnit2FullArgv(
                index, NULL, (const char *const *)args.argv, (int)args.argc,
                NULL, 0,
                CXTranslationUnit_DetailedPreprocessingRecord |
                        CXTranslationUnit_KeepGoing,
                &unit);
        if (rc != CXError_Success || !unit) {
            sb_addf(msg,
                    "mitigate scan: %s: libclang could not parse it (error "
                    "%d)\n",
                    cmd->file, (int)rc);
            scan_args_release(&args);
            return NULL;
        }
        learned = read_errors(unit, &args, &r->flags, &errs, &errors);
        if (!learned && r->opts->verbose && args.dropped.len)
            sb_addf(msg, "mitigate scan: %s: left out %s\n", cmd->file,
                    args.dropped.buf);
        scan_args_release(&args);
        if (!learned && !errors)
            return unit;
        clang_disposeTranslationUnit(unit);
        if (!learned) {
            sb_addf(msg,
                    "mitigate scan: %s: %zu error%s; its facts are not "
                    "written\n%s",
                    cmd->file, errors, errors == 1 ? "" : "s", errs.buf);
            if (errors > MAX_ERRORS_SHOWN)
                sb_addf(msg, "  and %zu more\n", errors - MAX_ERRORS_SHOWN);
            sb_release(&errs);
            return NULL;
        }
        sb_release(&errs);
    }
    sb_addf(msg, "mitigate scan: %s: clang keeps rejecting its arguments\n",
            cmd->file);
    return NULL;
}

/* Parses one unit and writes its facts; 0, or -1 with why in msg. */
static int scan_one(CXIndex index, struct run *r,
                    const struct compile_command *cmd, struct strbuf *msg)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    CXTranslationUnit unit = parse(index, r, cmd, msg);
    CXFile main_file;
    CXString version, real;
    struct facts_tu *tu;
    const char *text;
    size_t len = 0;
    int rc;

    if (!unit)
        return -1;
    main_file = clang_getFile(unit, cmd->file);
    real = clang_File_tryGetRealPathName(main_file);
    version = clang_getClangVersion();
    tu = facts_tu_new("scan", clang_getCString(version),
                      clang_getCString(real)[0] ? clang_getCString(real)
                                                : cmd->file);
    clang_disposeString(version);
    clang_disposeString(real);
    text = clang_getFileContents(unit, main_file, &len);
    xxh128_hex(text ? text : "", text ? len : 0, tu->main_hash);
    memcpy(tu->policy_hash, r->opts->policy->match_hash,
           sizeof(tu->policy_hash));
    scan_args_hash(cmd, tu->arguments_sha256);
    scan_walk(unit, r->opts->policy, tu);
    clang_disposeTranslationUnit(unit);
    rc = facts_write(tu, r->opts->facts_dir, &errs);
    for (size_t i = 0; i < errs.count; i++)
        sb_addf(msg, "mitigate scan: %s: %s\n",
                errs.items[i].file ? errs.items[i].file : cmd->file,
                errs.items[i].message);
    mt_errors_release(&errs);
    facts_tu_free(tu);
    return rc;
}

/* Takes the next unit to scan, or returns 0 when none is left. */
static int take(struct run *r, size_t *unit)
{
    int got = 0;

    pthread_mutex_lock(&r->lock);
    while (r->next < r->db->count && !got) {
        *unit = r->next++;
        got = !r->want || r->want[*unit];
    }
    pthread_mutex_unlock(&r->lock);
    return got;
}

static void *worker(void *arg)
{
    struct run *r = arg;
    CXIndex index = clang_createIndex(0, 0);
    size_t u;

    while (take(r, &u)) {
        const struct compile_command *cmd = &r->db->items[u];
        struct strbuf msg = STRBUF_INIT;
        int fresh = !r->opts->force &&
                    scan_is_fresh(cmd, r->opts->facts_dir, r->opts->policy);
        int failed = !fresh && scan_one(index, r, cmd, &msg) < 0;

        if (r->opts->verbose && !failed)
            sb_addf(&msg, "mitigate scan: %s: %s\n", cmd->file,
                    fresh ? "facts are fresh" : "scanned");
        say(r, msg.buf);
        sb_release(&msg);
        pthread_mutex_lock(&r->lock);
        r->done++;
        r->totals.fresh += fresh;
        r->totals.failed += failed;
        r->totals.scanned += !fresh && !failed;
        draw_bar(r);
        pthread_mutex_unlock(&r->lock);
    }
    clang_disposeIndex(index);
    return NULL;
}

int scan_units(const struct compile_db *db, const unsigned char *want,
               const struct scan_options *opts, struct scan_totals *totals)
{
    struct run r;
    pthread_t threads[64];
    unsigned jobs = opts->jobs ? opts->jobs : 1, started = 0;

    memset(&r, 0, sizeof(r));
    r.db = db;
    r.want = want;
    r.opts = opts;
    scan_flags_init(&r.flags);
    scan_drivers_init(&r.drivers, opts->drivers, opts->driver_count,
                      opts->verbose);
    pthread_mutex_init(&r.lock, NULL);
    for (size_t i = 0; i < db->count; i++)
        r.total += !want || want[i];
    if (jobs > 64)
        jobs = 64;
    if (jobs > r.total)
        jobs = r.total ? (unsigned)r.total : 1;
    draw_bar(&r);
    for (unsigned i = 1; i < jobs; i++)
        started += pthread_create(&threads[started], NULL, worker, &r) == 0;
    worker(&r);
    for (unsigned i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    clear_bar(&r);
    for (size_t i = 0; opts->verbose && i < r.flags.count; i++)
        fprintf(stderr, "mitigate scan: clang rejects %s; left out\n",
                r.flags.rejected[i]);
    *totals = r.totals;
    scan_flags_release(&r.flags);
    scan_drivers_release(&r.drivers);
    pthread_mutex_destroy(&r.lock);
    return r.totals.failed ? -1 : 0;
}
