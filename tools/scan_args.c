/*
 * scan_args.c: a compile command's arguments, as libclang takes them.
 *
 * A compilation database records what the project's compiler was run
 * with: GCC (often a cross GCC such as arm-none-eabi-gcc), a vendor
 * compiler, or clang. Only what decides how the source parses matters
 * to a scan: the language and its standard, defines, include paths, the
 * target. The rest (outputs, dependency files, warnings, debug and code
 * generation options, linker and assembler options) is dropped, and so
 * is anything libclang turns out to reject: scan_run.c parses again without
 * it and remembers it in struct scan_flags.
 */
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "scan.h"

/* Options whose value is the next argument. */
static const char *const takes_value[] = {
        "-o",
        "-MF",
        "-MT",
        "-MQ",
        "-Xclang",
        "-Xlinker",
        "-Xassembler",
        "-Xpreprocessor",
        "-x",
        "-I",
        "-D",
        "-U",
        "-include",
        "-imacros",
        "-isystem",
        "-idirafter",
        "-iquote",
        "-isysroot",
        "-iprefix",
        "-iwithprefix",
        "-iwithprefixbefore",
        "--sysroot",
        "-target",
        "-arch",
        "-L",
        "-l",
        "-u",
        "-z",
        "-T",
        "--param",
        "-aux-info",
        "--serialize-diagnostics",
        "-working-directory",
};

/* Options that only matter when building, or that clang lacks: dropped
   with their value, if any. A trailing '*' matches any rest. */
static const char *const dropped[] = {
        "-c",
        "-S",
        "-E",
        "-o",
        "-o*",
        "-M",
        "-MM",
        "-MD",
        "-MMD",
        "-MF",
        "-MF*",
        "-MT",
        "-MT*",
        "-MQ",
        "-MQ*",
        "-MP",
        "-MG",
        "-W*",
        "-pedantic-errors",
        "-g*",
        "-Xclang",
        "-Xlinker",
        "-Xassembler",
        "-L",
        "-L*",
        "-l",
        "-l*",
        "-u",
        "-z",
        "-T",
        "-T*",
        "-static",
        "-shared",
        "-specs=*",
        "--specs=*",
        "--param",
        "-fplugin=*",
        "-fplugin-arg-*",
        "-fdiagnostics-*",
        "-fcolor-diagnostics",
        "-fno-color-diagnostics",
        "-fno-tree-*",
        "-ftree-*",
        "-fstack-usage",
        "-fconserve-stack",
        "-fcallgraph-info*",
        "-fdump-*",
        "-save-temps*",
        "-pipe",
        "-v",
        "-###",
        "-aux-info",
        "--serialize-diagnostics",
        "-fsyntax-only",
        "-working-directory",
        "-fmodules-cache-path=*",
};

/*
 * Compilers that are neither GCC nor clang, and the target they build
 * for; only their -D, -U, -I and include options are kept.
 *
 * Limitation: their language extensions are clang's to refuse, and the
 * include folders of a compiler's own installation (a cross GCC's C
 * library) are not asked of the compiler: --extra-arg names them.
 */
static const struct {
    const char *name;
    const char *target;
} vendors[] = {
        {"iccarm", "arm-none-eabi"},
        {"iccrx", "rx-none-elf"},
        {"iccriscv", "riscv32-unknown-elf"},
        {"armcc", "arm-none-eabi"},
};

#define COUNT_OF(a) (sizeof(a) / sizeof(*(a)))

static int in_list(const char *const *list, size_t n, const char *arg)
{
    for (size_t i = 0; i < n; i++)
        if (glob_match(list[i], arg))
            return 1;
    return 0;
}

static int needs_value(const char *arg)
{
    for (size_t i = 0; i < COUNT_OF(takes_value); i++)
        if (strcmp(takes_value[i], arg) == 0)
            return 1;
    return 0;
}

void scan_args_push(struct scan_args *out, size_t *alloc, const char *arg)
{
    grow_array(&out->argv, alloc, out->argc + 2, sizeof(*out->argv));
    out->argv[out->argc++] = xstrdup(arg);
    out->argv[out->argc] = NULL;
}

static void note(struct scan_args *out, const char *arg, const char *why)
{
    sb_addf(&out->dropped, "%s%s (%s)", out->dropped.len ? ", " : "", arg, why);
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? slash + 1 : path;
}

/*
 * The target a cross compiler's name gives: "arm-none-eabi" for
 * arm-none-eabi-gcc or arm-none-eabi-gcc-12.2.1, or a vendor compiler's
 * target. NULL for a native compiler. The caller frees it.
 */
static char *target_of(const char *compiler)
{
    static const char *const tools[] = {"-gcc", "-g++",     "-cc",
                                        "-c++", "-clang++", "-clang"};
    const char *base = base_name(compiler);

    for (size_t i = 0; i < COUNT_OF(vendors); i++)
        if (strcmp(base, vendors[i].name) == 0 ||
            (starts_with(base, vendors[i].name) &&
             base[strlen(vendors[i].name)] == '.'))
            return xstrdup(vendors[i].target);
    for (size_t i = 0; i < COUNT_OF(tools); i++) {
        const char *at = strstr(base, tools[i]);
        const char *after;
        size_t dashes = 0;

        if (!at)
            continue;
        after = at + strlen(tools[i]);
        if (*after && *after != '-')
            continue;
        for (const char *p = base; p < at; p++)
            dashes += *p == '-';
        if (dashes >= 1)
            return xstrndup(base, (size_t)(at - base));
    }
    return NULL;
}

static int is_vendor(const char *compiler)
{
    const char *base = base_name(compiler);

    for (size_t i = 0; i < COUNT_OF(vendors); i++)
        if (starts_with(base, vendors[i].name))
            return 1;
    return 0;
}

static int is_cxx_driver(const char *compiler)
{
    const char *base = base_name(compiler);
    size_t n = strlen(base);

    return (n >= 2 && strcmp(base + n - 2, "++") == 0) ||
           strstr(base, "++-") != NULL;
}

/* Whether the command gives option (alone, or with "=value"). */
static int has_option(const struct compile_command *cmd, const char *option)
{
    size_t n = strlen(option);

    for (size_t i = 1; i < cmd->argc; i++)
        if (strncmp(cmd->argv[i], option, n) == 0 &&
            (!cmd->argv[i][n] || cmd->argv[i][n] == '='))
            return 1;
    return 0;
}

static int is_rejected(struct scan_flags *flags, const char *arg)
{
    int found = 0;

    pthread_mutex_lock(&flags->lock);
    for (size_t i = 0; i < flags->count && !found; i++)
        found = strcmp(flags->rejected[i], arg) == 0;
    pthread_mutex_unlock(&flags->lock);
    return found;
}

/* -Wp,-DX,-MD,f: the preprocessor options that shape the parse. */
static void keep_preprocessor_part(struct scan_args *out, size_t *alloc,
                                   const char *arg)
{
    char *list = xstrdup(arg + 4), *rest = NULL;

    /* Worker threads run this at once: strtok_r keeps no shared state. */
    for (char *part = strtok_r(list, ",", &rest); part;
         part = strtok_r(NULL, ",", &rest))
        if (starts_with(part, "-D") || starts_with(part, "-U"))
            scan_args_push(out, alloc, part);
    free(list);
}

/* What a vendor compiler's option becomes, or NULL to drop it. */
static const char *vendor_option(const char *arg)
{
    static const char *const kept[] = {"-D*", "-U*", "-I*", "-include",
                                       "-isystem"};

    if (strcmp(arg, "--preinclude") == 0)
        return "-include";
    if (strcmp(arg, "--system_include_dir") == 0)
        return "-isystem";
    return in_list(kept, COUNT_OF(kept), arg) ? arg : NULL;
}

int scan_args_is_cxx(const struct compile_command *cmd)
{
    static const char *const cxx_ends[] = {".cc", ".cpp", ".cxx", ".c++",
                                           ".C",  ".cp",  ".CPP", ".ii"};
    const char *dot = strrchr(cmd->file, '.');

    for (size_t i = 1; i + 1 < cmd->argc; i++)
        if (strcmp(cmd->argv[i], "-x") == 0)
            return starts_with(cmd->argv[i + 1], "c++");
    if (is_cxx_driver(cmd->argv[0]))
        return 1;
    for (size_t i = 0; dot && i < COUNT_OF(cxx_ends); i++)
        if (strcmp(dot, cxx_ends[i]) == 0)
            return 1;
    return 0;
}

void scan_args_make(const struct compile_command *cmd, const char *const *extra,
                    size_t extra_count, const struct driver_answer *driver,
                    struct scan_flags *flags, struct scan_args *out)
{
    size_t alloc = 0;
    char *target = target_of(cmd->argv[0]);
    int vendor = is_vendor(cmd->argv[0]);
    struct strbuf wd = STRBUF_INIT;

    memset(out, 0, sizeof(*out));
    scan_args_push(out, &alloc,
                   is_cxx_driver(cmd->argv[0]) ? "clang++" : "clang");
    if (target) {
        struct strbuf t = STRBUF_INIT;

        sb_addf(&t, "--target=%s", target);
        scan_args_push(out, &alloc, t.buf);
        sb_release(&t);
    }
    sb_addf(&wd, "-working-directory=%s", cmd->directory);
    scan_args_push(out, &alloc, wd.buf);
    sb_release(&wd);
    if (!has_option(cmd, "-resource-dir")) {
        scan_args_push(out, &alloc, "-resource-dir");
        scan_args_push(out, &alloc, MITIGATE_RESOURCE_DIR);
    }
    for (size_t i = 1; i < cmd->argc; i++) {
        const char *arg = cmd->argv[i];
        int pair = needs_value(arg) && i + 1 < cmd->argc;
        const char *as = arg;

        if (arg[0] != '-')
            continue; /* an input file: the unit's own is added last */
        if (target &&
            (starts_with(arg, "--target=") || strcmp(arg, "-target") == 0))
            target = (free(target), NULL);
        if (is_rejected(flags, arg)) {
            note(out, arg, "clang rejects it");
        } else if (starts_with(arg, "-Wp,")) {
            keep_preprocessor_part(out, &alloc, arg);
            continue;
        } else if (vendor && !(as = vendor_option(arg))) {
            note(out, arg, "option of another compiler");
        } else if (!vendor && in_list(dropped, COUNT_OF(dropped), arg)) {
            note(out, arg, "not needed to parse");
        } else {
            scan_args_push(out, &alloc, as);
            if (pair)
                scan_args_push(out, &alloc, cmd->argv[++i]);
            continue;
        }
        i += pair;
    }
    for (size_t i = 0; i < extra_count; i++)
        scan_args_push(out, &alloc, extra[i]);
    /* After clang's own headers, as GCC searches them after its own. */
    for (size_t i = 0; driver && i < driver->count; i++) {
        scan_args_push(out, &alloc, "-idirafter");
        scan_args_push(out, &alloc, driver->folders[i]);
    }
    scan_args_push(out, &alloc, "-w"); /* warnings are not facts */
    scan_args_push(out, &alloc, cmd->file);
    free(target);
}

void scan_args_release(struct scan_args *args)
{
    for (size_t i = 0; i < args->argc; i++)
        free(args->argv[i]);
    free(args->argv);
    sb_release(&args->dropped);
    memset(args, 0, sizeof(*args));
}

void scan_args_hash(const struct compile_command *cmd, char hex[65])
{
    struct strbuf all = STRBUF_INIT;

    sb_adds(&all, cmd->directory);
    sb_add(&all, "", 1);
    sb_adds(&all, cmd->file);
    for (size_t i = 0; i < cmd->argc; i++) {
        sb_add(&all, "", 1);
        sb_adds(&all, cmd->argv[i]);
    }
    sha256_hex(all.buf, all.len, hex);
    sb_release(&all);
}

void scan_flags_init(struct scan_flags *flags)
{
    memset(flags, 0, sizeof(*flags));
    pthread_mutex_init(&flags->lock, NULL);
}

void scan_flags_release(struct scan_flags *flags)
{
    for (size_t i = 0; i < flags->count; i++)
        free(flags->rejected[i]);
    free(flags->rejected);
    pthread_mutex_destroy(&flags->lock);
}

int scan_flags_reject(struct scan_flags *flags, const char *arg)
{
    int added = !is_rejected(flags, arg);

    if (!added)
        return 0;
    pthread_mutex_lock(&flags->lock);
    grow_array(&flags->rejected, &flags->alloc, flags->count + 1,
               sizeof(*flags->rejected));
    flags->rejected[flags->count++] = xstrdup(arg);
    pthread_mutex_unlock(&flags->lock);
    return 1;
}
