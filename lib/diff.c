/* diff.c: unified diff reader and `git diff` runner. */
#include "diff.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run.h"

/* The largest diff read from a file or from git. */
#define DIFF_MAX_SIZE ((size_t)256 << 20)

/* Hunk line numbers and counts above this are refused as nonsense. */
#define DIFF_MAX_LINE (UINT_MAX / 4)

enum state {
    BEFORE,  /* no file header yet: lines are skipped */
    HEADER,  /* after "diff ...", before "---" */
    BETWEEN, /* after "+++" or after a hunk */
    HUNK,    /* inside a hunk body */
    BINARY   /* inside a "GIT binary patch": skipped */
};

struct parser {
    const char *name;
    const char *next, *end; /* the text not read yet */
    const char *line;       /* the current line, without "\n" or "\r\n" */
    size_t len;
    unsigned lineno;
    enum state state;
    struct diff *out;
    struct mt_errors *errs;

    char git_old[3];    /* first two bytes of the old name of "diff --git" */
    long file;          /* index in out->files, or -1: not recorded */
    unsigned hunk_line; /* where the current or last hunk header is */
    unsigned old_left;  /* lines of the hunk body still expected */
    unsigned new_left;
    unsigned new_line; /* new-side number of the next body line */
};

/* Lines */

/* Moves to the next line; 0 at the end of the text. */
static int next_line(struct parser *p)
{
    const char *nl;

    if (p->next >= p->end)
        return 0;
    nl = memchr(p->next, '\n', (size_t)(p->end - p->next));
    p->line = p->next;
    p->len = (size_t)((nl ? nl : p->end) - p->next);
    p->next = nl ? nl + 1 : p->end;
    if (p->len && p->line[p->len - 1] == '\r')
        p->len--;
    p->lineno++;
    return 1;
}

/* 1 if the current line starts with prefix. */
static int is(const struct parser *p, const char *prefix)
{
    size_t n = strlen(prefix);

    return p->len >= n && memcmp(p->line, prefix, n) == 0;
}

/* 1 if the line after the current one starts with prefix. */
static int next_is(const struct parser *p, const char *prefix)
{
    size_t n = strlen(prefix);

    return (size_t)(p->end - p->next) >= n && memcmp(p->next, prefix, n) == 0;
}

/* Adds an error at the current line; returns -1. */
static int fail(struct parser *p, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static int fail(struct parser *p, const char *fmt, ...)
{
    struct mt_pos pos = {p->lineno, 1, 0, 0};
    struct strbuf msg = STRBUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    sb_vaddf(&msg, fmt, ap);
    va_end(ap);
    mt_error_add(p->errs, p->name, &pos, "%s", msg.buf);
    sb_release(&msg);
    return -1;
}

/* The current line, cut for quoting in a message. */
static int shown_len(const struct parser *p)
{
    return p->len > 60 ? 60 : (int)p->len;
}

/* Paths */

/*
 * Reads the C-quoted name that git writes for paths with unusual bytes
 * ("b/say \"hi\" caf\303\251.c") from s (len bytes, starting at the
 * opening quote) into out. Returns 0, or -1 if it is malformed.
 */
static int unquote(const char *s, size_t len, struct strbuf *out)
{
    static const char from[] = "abtnvfr\"\\";
    static const char to[] = "\a\b\t\n\v\f\r\"\\";

    for (size_t i = 1; i < len; i++) {
        const char *esc;

        if (s[i] == '"')
            return 0;
        if (s[i] != '\\') {
            sb_addc(out, s[i]);
            continue;
        }
        if (++i == len)
            return -1;
        if (s[i] >= '0' && s[i] <= '3' && i + 2 < len && s[i + 1] >= '0' &&
            s[i + 1] <= '7' && s[i + 2] >= '0' && s[i + 2] <= '7') {
            int c = (s[i] - '0') * 64 + (s[i + 1] - '0') * 8 + (s[i + 2] - '0');

            if (c == 0)
                return -1;
            sb_addc(out, (char)c);
            i += 2;
            continue;
        }
        esc = s[i] ? strchr(from, s[i]) : NULL;
        if (!esc)
            return -1;
        sb_addc(out, to[esc - from]);
    }
    return -1; /* no closing quote */
}

/*
 * Reads the path of a "--- " or "+++ " line into out: a quoted name, or
 * the text up to a tab (after which diff puts a timestamp and git a lone
 * tab when the name has a space). Returns 1 for a path, 0 for /dev/null,
 * -1 after an error.
 */
static int header_path(struct parser *p, struct strbuf *out)
{
    const char *s = p->line + 4;
    size_t len = p->len - 4;

    if (len && *s == '"') {
        if (unquote(s, len, out) < 0)
            return fail(p, "malformed quoted path in '%.*s'", shown_len(p),
                        p->line);
    } else {
        const char *tab = memchr(s, '\t', len);

        sb_add(out, s, tab ? (size_t)(tab - s) : len);
    }
    if (strcmp(sb_str(out), "/dev/null") == 0)
        return 0;
    if (!out->len)
        return fail(p, "file header '%.*s' names no file", shown_len(p),
                    p->line);
    return 1;
}

/* 1 if c is a letter of git's diff.mnemonicPrefix (commit, index, ...). */
static int mnemonic(char c)
{
    return c == 'c' || c == 'i' || c == 'o' || c == 'w';
}

/*
 * 1 if old and new (names as the diff shows them) carry the source and
 * destination prefixes: "a/" and "b/", or two different mnemonic ones
 * such as "c/" and "w/". Under --no-prefix they do not.
 */
static int prefixed(const char *old, const char *new)
{
    if (strlen(old) < 2 || strlen(new) < 2 || old[1] != '/' || new[1] != '/')
        return 0;
    if (old[0] == 'a' && new[0] == 'b')
        return 1;
    return mnemonic(old[0]) && mnemonic(new[0]) && old[0] != new[0];
}

/* Files and ranges */

static void add_touched(struct diff_file *f, unsigned line)
{
    if (f->count && f->ranges[f->count - 1].last + 1 == line) {
        f->ranges[f->count - 1].last = line;
        return;
    }
    grow_array(&f->ranges, &f->alloc, f->count + 1, sizeof(*f->ranges));
    f->ranges[f->count].first = f->ranges[f->count].last = line;
    f->count++;
}

static int cmp_file(const void *a, const void *b)
{
    return strcmp(((const struct diff_file *)a)->path,
                  ((const struct diff_file *)b)->path);
}

static int cmp_range(const void *a, const void *b)
{
    const struct diff_range *x = a, *y = b;

    return (x->first > y->first) - (x->first < y->first);
}

/* Sorts and merges the ranges of f so they are disjoint, not adjacent. */
static void normalize_ranges(struct diff_file *f)
{
    size_t n = 0;

    if (!f->count)
        return;
    qsort(f->ranges, f->count, sizeof(*f->ranges), cmp_range);
    for (size_t i = 1; i < f->count; i++) {
        struct diff_range *last = &f->ranges[n];

        if (f->ranges[i].first <= last->last + 1) {
            if (f->ranges[i].last > last->last)
                last->last = f->ranges[i].last;
            continue;
        }
        f->ranges[++n] = f->ranges[i];
    }
    f->count = n + 1;
}

/*
 * Sorts the files by path and merges the entries of a path that the diff
 * names twice (a concatenation of diffs), then normalizes every range
 * list, so queries can search.
 */
static void normalize(struct diff *d)
{
    size_t n = 0;

    if (!d->count)
        return;
    qsort(d->files, d->count, sizeof(*d->files), cmp_file);
    for (size_t i = 0; i < d->count; i++) {
        struct diff_file *f = &d->files[i];
        struct diff_file *last = n ? &d->files[n - 1] : NULL;

        if (last && strcmp(last->path, f->path) == 0) {
            grow_array(&last->ranges, &last->alloc, last->count + f->count,
                       sizeof(*last->ranges));
            if (f->count)
                memcpy(last->ranges + last->count, f->ranges,
                       f->count * sizeof(*f->ranges));
            last->count += f->count;
            free(f->path);
            free(f->ranges);
            continue;
        }
        d->files[n++] = *f;
    }
    d->count = n;
    for (size_t i = 0; i < d->count; i++)
        normalize_ranges(&d->files[i]);
}

/* Headers */

/* Starts the section of a file at a "diff ..." line. */
static int start_section(struct parser *p)
{
    const char *old;

    if (is(p, "diff --cc ") || is(p, "diff --combined "))
        return fail(p, "combined diffs (of a merge) are not supported; "
                       "diff against one parent instead");
    p->state = HEADER;
    p->file = -1;
    p->git_old[0] = '\0';
    if (!is(p, "diff --git "))
        return 0;
    old = p->line + strlen("diff --git ");
    if (old < p->line + p->len && *old == '"')
        old++;
    if (old + 2 <= p->line + p->len)
        memcpy(p->git_old, old, 2);
    p->git_old[2] = '\0';
    return 0;
}

/*
 * Reads a "--- " line and the "+++ " line after it, and starts
 * recording the new file unless it is /dev/null (a deleted file).
 */
static int read_paths(struct parser *p)
{
    struct strbuf old = STRBUF_INIT, new = STRBUF_INIT;
    int has_old, has_new, strip;
    const char *old_name;

    has_old = header_path(p, &old);
    if (has_old < 0 || !next_line(p) || !is(p, "+++ ")) {
        sb_release(&old);
        return has_old < 0 ? -1 : fail(p, "expected a '+++ ' line after '---'");
    }
    has_new = header_path(p, &new);
    if (has_new < 0) {
        sb_release(&old);
        sb_release(&new);
        return -1;
    }

    old_name = has_old ? old.buf : p->git_old[0] ? p->git_old : NULL;
    strip = old_name ? prefixed(old_name, sb_str(&new))
                     : starts_with(sb_str(&new), "b/");
    p->file = -1;
    p->hunk_line = 0;
    if (has_new && (!strip || new.len > 2)) {
        struct diff_file *f;

        grow_array(&p->out->files, &p->out->alloc, p->out->count + 1,
                   sizeof(*p->out->files));
        f = &p->out->files[p->out->count];
        memset(f, 0, sizeof(*f));
        f->path = xstrdup(new.buf + (strip ? 2 : 0));
        p->file = (long)p->out->count++;
    } else if (has_new) {
        sb_release(&old);
        sb_release(&new);
        return fail(p, "file header '%.*s' names no file", shown_len(p),
                    p->line);
    }
    sb_release(&old);
    sb_release(&new);
    p->state = BETWEEN;
    return 0;
}

/* 1 if the current line is one of git's extended header lines. */
static int extended_header(const struct parser *p)
{
    static const char *const known[] = {
            "index ",
            "old mode ",
            "new mode ",
            "deleted file mode ",
            "new file mode ",
            "copy from ",
            "copy to ",
            "rename from ",
            "rename to ",
            "rename old ",
            "rename new ",
            "similarity index ",
            "dissimilarity index ",
            "Binary files ",
    };

    for (size_t i = 0; i < sizeof(known) / sizeof(*known); i++)
        if (is(p, known[i]))
            return 1;
    return 0;
}

/* 1 if the current line starts the section of a file. */
static int section_start(const struct parser *p)
{
    return is(p, "diff --git ") || is(p, "diff --cc ") ||
           is(p, "diff --combined ") || is(p, "diff -");
}

/* Hunks */

/* Reads a decimal number at *s into *n; 0, or -1 if there is none. */
static int number(const char **s, const char *end, unsigned *n)
{
    unsigned long long v = 0;
    const char *start = *s;

    while (*s < end && **s >= '0' && **s <= '9' && v <= DIFF_MAX_LINE)
        v = v * 10 + (unsigned long long)(*(*s)++ - '0');
    if (*s == start || v > DIFF_MAX_LINE)
        return -1;
    *n = (unsigned)v;
    return 0;
}

/* Reads "START[,COUNT]" at *s; a missing count is 1. */
static int side(const char **s, const char *end, unsigned *start,
                unsigned *count)
{
    *count = 1;
    if (number(s, end, start) < 0)
        return -1;
    if (*s < end && **s == ',') {
        (*s)++;
        if (number(s, end, count) < 0)
            return -1;
    }
    /* A side with lines starts at line 1 or later. */
    return *count && !*start ? -1 : 0;
}

/* Starts a hunk at a "@@ -a,b +c,d @@" line. */
static int start_hunk(struct parser *p)
{
    const char *s = p->line + 4, *end = p->line + p->len;
    unsigned old_start, new_start;

    if (!is(p, "@@ -") || side(&s, end, &old_start, &p->old_left) < 0 ||
        end - s < 2 || memcmp(s, " +", 2) != 0 ||
        (s += 2, side(&s, end, &new_start, &p->new_left) < 0) || end - s < 3 ||
        memcmp(s, " @@", 3) != 0)
        return fail(p,
                    "malformed hunk header '%.*s' (expected "
                    "'@@ -START,COUNT +START,COUNT @@')",
                    shown_len(p), p->line);
    p->hunk_line = p->lineno;
    p->new_line = new_start;
    p->state = p->old_left || p->new_left ? HUNK : BETWEEN;
    return 0;
}

/* Reads one line of a hunk body. */
static int hunk_line(struct parser *p)
{
    char c = p->len ? p->line[0] : ' '; /* an empty line: blank context */

    if (c == '\\')
        return 0; /* "\ No newline at end of file" */
    if ((c == ' ' && p->old_left && p->new_left) || (c == '-' && p->old_left) ||
        (c == '+' && p->new_left)) {
        if (c != '+')
            p->old_left--;
        if (c != '-') {
            if (c == '+' && p->file >= 0)
                add_touched(&p->out->files[p->file], p->new_line);
            p->new_line++;
            p->new_left--;
        }
        if (!p->old_left && !p->new_left)
            p->state = BETWEEN;
        return 0;
    }
    if (c == ' ' || c == '-' || c == '+')
        return fail(p,
                    "the hunk at line %u has more lines than its header "
                    "says (the diff was edited or is corrupt)",
                    p->hunk_line);
    return fail(p,
                "the hunk at line %u ends early: %u old and %u new lines are "
                "missing (the diff was cut or edited)",
                p->hunk_line, p->old_left, p->new_left);
}

/* Sections */

/* Reads a line in state HEADER. */
static int header_line(struct parser *p)
{
    if (is(p, "--- "))
        return read_paths(p);
    if (section_start(p))
        return start_section(p);
    if (is(p, "GIT binary patch")) {
        p->state = BINARY;
        return 0;
    }
    if (extended_header(p))
        return 0;
    if (is(p, "@@ "))
        return fail(p, "hunk header before the '---' and '+++' lines");
    return fail(p, "unexpected line '%.*s' in a file header", shown_len(p),
                p->line);
}

/* Reads a line in state BETWEEN: a hunk, the next file, or the end. */
static int between_line(struct parser *p)
{
    if (is(p, "@@ "))
        return start_hunk(p);
    if (section_start(p))
        return start_section(p);
    if (is(p, "--- ") && next_is(p, "+++ "))
        return read_paths(p);
    if (!p->len || p->line[0] == '\\' || is(p, "Only in "))
        return 0;
    if (p->hunk_line &&
        (p->line[0] == ' ' || p->line[0] == '+' || p->line[0] == '-'))
        return fail(p,
                    "the hunk at line %u has more lines than its header "
                    "says (the diff was edited or is corrupt)",
                    p->hunk_line);
    return fail(p,
                "unexpected line '%.*s' (expected a hunk '@@ ... @@' or the "
                "next file's 'diff --git' line)",
                shown_len(p), p->line);
}

/* Reads a line in state BEFORE: anything up to the first file header. */
static int before_line(struct parser *p)
{
    if (section_start(p))
        return start_section(p);
    if (is(p, "--- ") && next_is(p, "+++ ")) {
        start_section(p);
        return read_paths(p);
    }
    if (is(p, "@@ "))
        return fail(p, "hunk header before any file header ('diff --git' or "
                       "'---' and '+++')");
    return 0;
}

/* Reads every line; 0, or -1 at the first error. */
static int parse_lines(struct parser *p)
{
    int blank = 1, rc = 0;

    while (rc == 0 && next_line(p)) {
        if (p->len)
            blank = 0;
        if (p->state == BETWEEN && p->len == 3 && is(p, "-- "))
            break; /* the signature that ends a patch e-mail */
        switch (p->state) {
        case BEFORE:
            rc = before_line(p);
            break;
        case HEADER:
            rc = header_line(p);
            break;
        case BETWEEN:
            rc = between_line(p);
            break;
        case HUNK:
            rc = hunk_line(p);
            break;
        case BINARY:
            rc = section_start(p) ? start_section(p) : 0;
            break;
        }
    }
    if (rc)
        return rc;
    if (p->state == HUNK)
        return fail(p,
                    "the diff ends inside the hunk at line %u: %u old and %u "
                    "new lines are missing (the diff was cut)",
                    p->hunk_line, p->old_left, p->new_left);
    if (p->state == BEFORE && !blank) {
        p->lineno = 1;
        return fail(p, "not a unified diff: no file header ('diff --git' or "
                       "'---' and '+++') found");
    }
    return 0;
}

int diff_parse(const char *name, const char *text, size_t len, struct diff *out,
               struct mt_errors *errs)
{
    struct parser p;

    memset(&p, 0, sizeof(p));
    p.name = name;
    p.next = text;
    p.end = text + len;
    p.state = BEFORE;
    p.out = out;
    p.errs = errs;
    p.file = -1;
    if (parse_lines(&p) < 0) {
        diff_release(out);
        return -1;
    }
    normalize(out);
    return 0;
}

int diff_load(const char *path, struct diff *out, struct mt_errors *errs)
{
    size_t len;
    char *text = read_file(path, DIFF_MAX_SIZE, &len, errs);
    int rc;

    if (!text)
        return -1;
    rc = diff_parse(path, text, len, out, errs);
    free(text);
    return rc;
}

/* Running git */

int diff_from_git(const char *root, const char *rev, struct diff *out,
                  struct mt_errors *errs)
{
    char *argv[] = {
            NULL, "-C", (char *)(root ? root : "."),
            /* The same output whatever the user's configuration says. */
            "-c", "diff.relative=false", "-c", "diff.noprefix=false", "diff",
            "--no-color", "--no-ext-diff", "--no-textconv", "--find-renames",
            "--src-prefix=a/", "--dst-prefix=b/", "-U0", (char *)rev, "--",
            NULL};
    struct strbuf text = STRBUF_INIT, err = STRBUF_INIT, name = STRBUF_INIT;
    struct run_limits limits = {DIFF_MAX_SIZE, 0, NULL};
    char cwd[PATH_MAX];
    char *git;
    int status, rc = -1;

    if (!rev || !*rev || rev[0] == '-') {
        mt_error_add(errs, NULL, NULL,
                     "'%s' is not a git revision; name a commit, branch or "
                     "tag such as origin/main",
                     rev ? rev : "");
        return -1;
    }
    git = run_find_program("git", getcwd(cwd, sizeof(cwd)) ? cwd : "/");
    if (!git) {
        mt_error_add(errs, root, NULL,
                     "cannot run git: it is not on PATH; install git");
        return -1;
    }
    argv[0] = git;
    status = run_program(argv, &limits, &text, &err);
    free(git);
    if (status == -1) {
        mt_error_add(errs, root, NULL, "cannot run git: %s", strerror(errno));
    } else if (status == RUN_OVER_OUTPUT) {
        mt_error_add(errs, root, NULL,
                     "'git diff %s' printed more than %zu bytes; diff "
                     "against a nearer revision",
                     rev, DIFF_MAX_SIZE);
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        size_t first = strcspn(sb_str(&err), "\n");

        /* CI checkouts are often shallow and lack the base commit. */
        mt_error_add(errs, root, NULL, "'git diff %s' failed: %.*s%s", rev,
                     (int)first,
                     first ? sb_str(&err) : "git stopped without saying why",
                     strstr(sb_str(&err), "revision")
                             ? " (if this is a shallow clone, fetch the "
                               "revision first)"
                             : "");
    } else {
        sb_addf(&name, "git diff %s", rev);
        rc = diff_parse(name.buf, sb_str(&text), text.len, out, errs);
    }
    sb_release(&text);
    sb_release(&err);
    sb_release(&name);
    return rc;
}

/* Queries */

int diff_touches(const struct diff *d, const char *relpath, unsigned line)
{
    size_t lo = 0, hi = d->count;
    const struct diff_file *f = NULL;

    while (starts_with(relpath, "./"))
        relpath += 2;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(d->files[mid].path, relpath);

        if (c == 0) {
            f = &d->files[mid];
            break;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (!f)
        return 0;

    lo = 0;
    hi = f->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (line < f->ranges[mid].first)
            hi = mid;
        else if (line > f->ranges[mid].last)
            lo = mid + 1;
        else
            return 1;
    }
    return 0;
}

void diff_release(struct diff *d)
{
    for (size_t i = 0; i < d->count; i++) {
        free(d->files[i].path);
        free(d->files[i].ranges);
    }
    free(d->files);
    d->files = NULL;
    d->count = d->alloc = 0;
}
