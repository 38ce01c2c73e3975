/* linehash.c: primaryLocationLineHash of source lines. */
#include "linehash.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Source files larger than this get no line hashes. */
#define LINEHASH_MAX_SIZE ((size_t)256 << 20)

/* Counts of each line hash seen so far: open addressing, linear probing. */
struct counts {
    uint64_t *keys;
    unsigned *values; /* 0: the slot is free */
    size_t mask;
};

static void counts_init(struct counts *c, size_t expected)
{
    size_t size = 16;

    while (size < expected * 2)
        size *= 2;
    c->keys = xcalloc(size, sizeof(*c->keys));
    c->values = xcalloc(size, sizeof(*c->values));
    c->mask = size - 1;
}

/* The slot of key: where it is, or the free slot where it would go. */
static size_t counts_slot(const struct counts *c, uint64_t key)
{
    size_t i = (size_t)(key ^ (key >> 32)) & c->mask;

    while (c->values[i] && c->keys[i] != key)
        i = (i + 1) & c->mask;
    return i;
}

/* Counts one more line with key; returns how many there are now. */
static unsigned counts_add(struct counts *c, uint64_t key)
{
    size_t i = counts_slot(c, key);

    c->keys[i] = key;
    return ++c->values[i];
}

static unsigned counts_get(const struct counts *c, uint64_t key)
{
    return c->values[counts_slot(c, key)];
}

static void counts_release(struct counts *c)
{
    free(c->keys);
    free(c->values);
}

/* Whitespace as C's isspace() has it in the "C" locale. */
static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
           c == '\r';
}

/* The first 64 bits of the SHA-256 of text with whitespace removed. */
static uint64_t text_key(const char *text, size_t len, struct strbuf *tmp)
{
    char hex[65];
    uint64_t key = 0;

    tmp->len = 0;
    for (size_t i = 0; i < len; i++)
        if (!is_space(text[i]))
            sb_addc(tmp, text[i]);
    sha256_hex(sb_str(tmp), tmp->len, hex);
    for (int i = 0; i < 16; i++)
        key = key << 4 |
              (uint64_t)(hex[i] <= '9' ? hex[i] - '0' : hex[i] - 'a' + 10);
    return key;
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

int line_hashes(const char *path, const unsigned *lines, size_t count,
                char (*hashes)[LINE_HASH_SIZE])
{
    struct mt_errors errs = MT_ERRORS_INIT;
    struct strbuf tmp = STRBUF_INIT;
    struct request *req;
    struct counts seen;
    size_t len, r = 0;
    unsigned lineno = 0, last;
    char *text = read_regular_file(path, LINEHASH_MAX_SIZE, &len, &errs);
    const char *p, *end;
    uint64_t empty;

    mt_errors_release(&errs);
    if (!text)
        return -1;

    req = xmalloc((count ? count : 1) * sizeof(*req));
    for (size_t i = 0; i < count; i++) {
        req[i].line = line_of(lines, i);
        req[i].index = i;
    }
    qsort(req, count, sizeof(*req), cmp_request);

    /* Walk the lines up to the last one asked for, counting each hash. */
    last = count ? req[count - 1].line : 1;
    counts_init(&seen, last < len ? last : len + 1);
    for (p = text, end = text + len; p < end && r < count;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl : end) - p);
        uint64_t key = text_key(p, n, &tmp);
        unsigned occurrence = counts_add(&seen, key);

        lineno++;
        for (; r < count && req[r].line == lineno; r++)
            snprintf(hashes[req[r].index], LINE_HASH_SIZE, "%016llx:%u",
                     (unsigned long long)key, occurrence);
        p = nl ? nl + 1 : end;
    }

    /* Past the end every line is empty. */
    empty = text_key("", 0, &tmp);
    for (; r < count; r++)
        snprintf(hashes[req[r].index], LINE_HASH_SIZE, "%016llx:%u",
                 (unsigned long long)empty,
                 counts_get(&seen, empty) + (req[r].line - lineno));

    counts_release(&seen);
    sb_release(&tmp);
    free(req);
    free(text);
    return 0;
}
