/* linehash.c: primaryLocationLineHash of source lines. */
#include "linehash.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strindex.h"
#include "util.h"

/* Source files larger than this get no line hashes. */
#define LINEHASH_MAX_SIZE ((size_t)256 << 20)

/* Whitespace as C's isspace() has it in the "C" locale. */
static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
           c == '\r';
}

/* Copies the len bytes at text into tmp, without whitespace. */
static void strip(const char *text, size_t len, struct strbuf *tmp)
{
    grow_array(&tmp->buf, &tmp->alloc, len + 1, 1);
    tmp->len = 0;
    for (size_t i = 0; i < len; i++)
        if (!is_space(text[i]))
            tmp->buf[tmp->len++] = text[i];
    tmp->buf[tmp->len] = '\0';
}

/* The first 64 bits of the SHA-256 of text. */
static uint64_t text_key(const char *text, size_t len)
{
    char hex[65];
    uint64_t key = 0;

    sha256_hex(text, len, hex);
    for (int i = 0; i < 16; i++)
        key = key << 4 |
              (uint64_t)(hex[i] <= '9' ? hex[i] - '0' : hex[i] - 'a' + 10);
    return key;
}

/*
 * The text of a line asked for, without whitespace, and how many lines
 * with that text the walk has passed.
 */
struct target {
    char *text;
    uint64_t key;
    unsigned seen;
};

struct targets {
    struct target *items;
    size_t count, alloc;
    struct str_index index; /* text to its target */
};

/* The target for the text in tmp, added if new. */
static size_t target_of(struct targets *t, const struct strbuf *tmp)
{
    size_t at;

    if (str_index_find(&t->index, sb_str(tmp), &at))
        return at;
    grow_array(&t->items, &t->alloc, t->count + 1, sizeof(*t->items));
    t->items[t->count].text = xstrdup(sb_str(tmp));
    t->items[t->count].key = text_key(tmp->buf, tmp->len);
    t->items[t->count].seen = 0;
    str_index_add(&t->index, t->items[t->count].text, t->count);
    return t->count++;
}

static void targets_release(struct targets *t)
{
    for (size_t i = 0; i < t->count; i++)
        free(t->items[i].text);
    free(t->items);
    str_index_release(&t->index);
}

/* What a request for line 0 means: line 1, as in a SARIF region. */
static unsigned line_of(const unsigned *lines, size_t i)
{
    return lines[i] ? lines[i] : 1;
}

/* The request order of line_hashes(): by line. */
struct request {
    unsigned line;
    size_t index;
};

static int cmp_request(const void *a, const void *b)
{
    const struct request *x = a, *y = b;

    return (x->line > y->line) - (x->line < y->line);
}

/* The end of the line that starts at p: its newline, or end. */
static const char *line_end(const char *p, const char *end)
{
    const char *nl = memchr(p, '\n', (size_t)(end - p));

    return nl ? nl : end;
}

static void format_hash(char *out, const struct target *t, unsigned n)
{
    snprintf(out, LINE_HASH_SIZE, "%016llx:%u", (unsigned long long)t->key, n);
}

/*
 * Only the lines asked for are hashed. The walk up to the last of them
 * compares each line's text without whitespace against theirs to count
 * the occurrences, which costs a copy and a lookup per line.
 */
int line_hashes(const char *path, const unsigned *lines, size_t count,
                char (*hashes)[LINE_HASH_SIZE])
{
    struct mt_errors errs = MT_ERRORS_INIT;
    struct strbuf tmp = STRBUF_INIT;
    struct targets targets = {0};
    struct request *req;
    size_t len, r, *which;
    unsigned lineno;
    char *text = read_regular_file(path, LINEHASH_MAX_SIZE, &len, &errs);
    const char *p, *end;

    mt_errors_release(&errs);
    if (!text)
        return -1;
    req = xmalloc((count ? count : 1) * sizeof(*req));
    which = xcalloc(count, sizeof(*which));
    for (size_t i = 0; i < count; i++) {
        req[i].line = line_of(lines, i);
        req[i].index = i;
    }
    qsort(req, count, sizeof(*req), cmp_request);

    /* The text of each line asked for; past the end a line is empty. */
    end = text + len;
    for (p = text, lineno = 0, r = 0; p < end && r < count;) {
        const char *eol = line_end(p, end);

        lineno++;
        if (req[r].line == lineno) {
            strip(p, (size_t)(eol - p), &tmp);
            for (; r < count && req[r].line == lineno; r++)
                which[r] = target_of(&targets, &tmp);
        }
        p = eol < end ? eol + 1 : end;
    }
    strip("", 0, &tmp);
    for (; r < count; r++)
        which[r] = target_of(&targets, &tmp);

    /* Count each text's occurrences up to each line asked for. */
    for (p = text, lineno = 0, r = 0; p < end && r < count;) {
        const char *eol = line_end(p, end);
        size_t at;

        lineno++;
        strip(p, (size_t)(eol - p), &tmp);
        if (str_index_find(&targets.index, sb_str(&tmp), &at))
            targets.items[at].seen++;
        for (; r < count && req[r].line == lineno; r++)
            format_hash(hashes[req[r].index], &targets.items[which[r]],
                        targets.items[which[r]].seen);
        p = eol < end ? eol + 1 : end;
    }
    for (; r < count; r++)
        format_hash(hashes[req[r].index], &targets.items[which[r]],
                    targets.items[which[r]].seen + (req[r].line - lineno));

    targets_release(&targets);
    sb_release(&tmp);
    free(which);
    free(req);
    free(text);
    return 0;
}
