/* util.c: allocation, strings, errors, files, hashes and dates. */
#include "util.h"
#include "untrusted.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mitigate.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

static mt_out_of_memory_fn out_of_memory;

void mt_set_out_of_memory_handler(mt_out_of_memory_fn handler)
{
    out_of_memory = handler;
}

/* Ends the process; never returns. */
MITIGATES("M-PLUGIN-CONTAINED")
static void die_oom(size_t size)
{
    if (out_of_memory)
        out_of_memory(size);
    fprintf(stderr,
            "mitigate: out of memory allocating %zu bytes; the input is "
            "too large for this machine\n",
            size);
    exit(2);
}

void *xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p)
        die_oom(size);
    return p;
}

void *xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        die_oom(count * size);
    return p;
}

void *xrealloc(void *ptr, size_t size)
{
    void *p = realloc(ptr, size ? size : 1);
    if (!p)
        die_oom(size);
    return p;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

MITIGATE_ALLOW("MB1018", "p was allocated for len + 1 bytes just above")
char *xstrndup(const char *s, size_t len)
{
    char *p = xmalloc(len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

void grow_array(void *items, size_t *alloc, size_t need, size_t elem)
{
    void **p = items;
    size_t n = *alloc;

    if (need <= n)
        return;
    n = n ? n : 8;
    while (n < need) {
        if (n > SIZE_MAX / 2 / elem)
            die_oom(SIZE_MAX);
        n *= 2;
    }
    *p = xrealloc(*p, n * elem);
    *alloc = n;
}

void reserve_array(void *items, size_t *alloc, size_t need, size_t elem)
{
    void **p = items;

    if (need <= *alloc)
        return;
    if (need > SIZE_MAX / elem)
        die_oom(SIZE_MAX);
    *p = xrealloc(*p, need * elem);
    *alloc = need;
}

void sort_array(void *items, size_t count, size_t size,
                int (*cmp)(const void *, const void *))
{
    if (count > 1)
        qsort(items, count, size, cmp);
}

/* Strings */

MITIGATE_ALLOW("MB1018", "the buffer was grown to hold len more bytes just "
                         "above")
void sb_add(struct strbuf *sb, const char *s, size_t len)
{
    grow_array(&sb->buf, &sb->alloc, sb->len + len + 1, 1);
    memcpy(sb->buf + sb->len, s, len);
    sb->len += len;
    sb->buf[sb->len] = '\0';
}

void sb_adds(struct strbuf *sb, const char *s)
{
    sb_add(sb, s, strlen(s));
}

void sb_addc(struct strbuf *sb, char c)
{
    sb_add(sb, &c, 1);
}

MITIGATE_ALLOW("MB1005", "a printf-like wrapper: util.h gives it the format "
                         "attribute, so the compiler checks each caller's "
                         "literal format against its arguments")
void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
    va_list copy;
    int n;

    va_copy(copy, ap);
    n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return;
    grow_array(&sb->buf, &sb->alloc, sb->len + (size_t)n + 1, 1);
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void sb_addf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    sb_vaddf(sb, fmt, ap);
    va_end(ap);
}

const char *sb_str(const struct strbuf *sb)
{
    return sb->buf ? sb->buf : "";
}

char *sb_detach(struct strbuf *sb)
{
    char *s = sb->buf ? sb->buf : xstrdup("");

    sb->buf = NULL;
    sb->len = sb->alloc = 0;
    return s;
}

void sb_release(struct strbuf *sb)
{
    free(sb->buf);
    sb->buf = NULL;
    sb->len = sb->alloc = 0;
}

/* Errors */

void mt_error_add(struct mt_errors *errs, const char *file,
                  const struct mt_pos *pos, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    mt_error_vadd(errs, file, pos, fmt, ap);
    va_end(ap);
}

void mt_error_vadd(struct mt_errors *errs, const char *file,
                   const struct mt_pos *pos, const char *fmt, va_list ap)
{
    struct strbuf msg = STRBUF_INIT;
    struct mt_error *e;

    sb_vaddf(&msg, fmt, ap);
    grow_array(&errs->items, &errs->alloc, errs->count + 1,
               sizeof(*errs->items));
    e = &errs->items[errs->count++];
    memset(e, 0, sizeof(*e));
    e->file = file ? xstrdup(file) : NULL;
    if (pos)
        e->pos = *pos;
    e->message = sb_detach(&msg);
}

void mt_errors_move(struct mt_errors *to, struct mt_errors *from)
{
    grow_array(&to->items, &to->alloc, to->count + from->count,
               sizeof(*to->items));
    for (size_t i = 0; i < from->count; i++)
        to->items[to->count++] = from->items[i];
    free(from->items);
    memset(from, 0, sizeof(*from));
}

void mt_errors_print(const struct mt_errors *errs, const char *prefix)
{
    for (size_t i = 0; i < errs->count && i < MT_ERRORS_SHOWN; i++) {
        const struct mt_error *e = &errs->items[i];

        fprintf(stderr, "%s: ", prefix);
        if (e->file) {
            fput_printable(stderr, e->file);
            if (e->pos.line)
                fprintf(stderr, ":%u:%u", e->pos.line,
                        e->pos.column ? e->pos.column : 1);
            fputs(": ", stderr);
        }
        fput_printable(stderr, e->message);
        fputc('\n', stderr);
    }
    if (errs->count > MT_ERRORS_SHOWN)
        fprintf(stderr, "%s: %zu more errors are not shown\n", prefix,
                errs->count - MT_ERRORS_SHOWN);
}

void mt_errors_release(struct mt_errors *errs)
{
    for (size_t i = 0; i < errs->count; i++) {
        free(errs->items[i].file);
        free(errs->items[i].message);
    }
    free(errs->items);
    errs->items = NULL;
    errs->count = errs->alloc = 0;
}

/* Files */

/*
 * Opens path for reading when it is a regular file. The open does not
 * block on a FIFO and does not make a terminal the controlling one, so
 * nothing happens before the type is known. NULL with errno set
 * otherwise (EINVAL for a file of another type).
 */
MITIGATES("M-REGULAR-FILES")
static FILE *fopen_regular(const char *path)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    struct stat st;
    FILE *f;

    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
        close(fd);
        errno = EINVAL;
        return NULL;
    }
    if (fstat(fd, &st) < 0 || fcntl(fd, F_SETFL, O_RDONLY) < 0 ||
        !(f = fdopen(fd, "rb"))) {
        int saved = errno;

        close(fd);
        errno = saved;
        return NULL;
    }
    return f;
}

/* Reads f, named path in errors, to its end; closes it. */
static char *read_stream(FILE *f, const char *path, size_t max_size,
                         size_t *len, struct mt_errors *errs)
{
    struct strbuf sb = STRBUF_INIT;
    char chunk[65536];
    size_t n;

    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (sb.len + n > max_size) {
            mt_error_add(errs, path, NULL,
                         "file is larger than the %zu bytes allowed", max_size);
            fclose(f);
            sb_release(&sb);
            return NULL;
        }
        sb_add(&sb, chunk, n);
    }
    if (ferror(f)) {
        mt_error_add(errs, path, NULL, "cannot read: %s", strerror(errno));
        fclose(f);
        sb_release(&sb);
        return NULL;
    }
    fclose(f);
    if (len)
        *len = sb.len;
    return sb_detach(&sb);
}

char *read_file(const char *path, size_t max_size, size_t *len,
                struct mt_errors *errs)
{
    FILE *f = fopen(path, "rb");

    if (!f) {
        mt_error_add(errs, path, NULL, "cannot open: %s", strerror(errno));
        return NULL;
    }
    return read_stream(f, path, max_size, len, errs);
}

MITIGATES("M-REGULAR-FILES")
char *read_regular_file(const char *path, size_t max_size, size_t *len,
                        struct mt_errors *errs)
{
    FILE *f = fopen_regular(path);

    if (!f) {
        mt_error_add(errs, path, NULL, "cannot open: %s",
                     errno == EINVAL ? "not a regular file" : strerror(errno));
        return NULL;
    }
    return read_stream(f, path, max_size, len, errs);
}

/*
 * Writes all of data to fd, retrying short writes. Returns 0 or -1 with
 * errno set.
 */
static int write_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t n = write(fd, data, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

MITIGATES("M-ATOMIC-WRITES")
int write_file_atomic(const char *path, const char *data, size_t len,
                      struct mt_errors *errs)
{
    struct strbuf tmp = STRBUF_INIT;
    int fd;

    sb_addf(&tmp, "%s.tmp.XXXXXX", path);
    fd = mkstemp(tmp.buf);
    if (fd < 0) {
        mt_error_add(errs, path, NULL, "cannot create a temporary file: %s",
                     strerror(errno));
        sb_release(&tmp);
        return -1;
    }
    if (fchmod(fd, 0644) < 0 || write_all(fd, data, len) < 0 || fsync(fd) < 0) {
        mt_error_add(errs, path, NULL, "cannot write: %s", strerror(errno));
        close(fd);
        unlink(tmp.buf);
        sb_release(&tmp);
        return -1;
    }
    if (close(fd) < 0 || rename(tmp.buf, path) < 0) {
        mt_error_add(errs, path, NULL, "cannot replace: %s", strerror(errno));
        unlink(tmp.buf);
        sb_release(&tmp);
        return -1;
    }
    sb_release(&tmp);
    return 0;
}

int mkdir_p(const char *path, struct mt_errors *errs)
{
    char *p = xstrdup(path);

    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0777) < 0 && errno != EEXIST) {
            mt_error_add(errs, p, NULL, "cannot create folder: %s",
                         strerror(errno));
            free(p);
            return -1;
        }
        *s = '/';
    }
    if (mkdir(p, 0777) < 0 && errno != EEXIST) {
        mt_error_add(errs, p, NULL, "cannot create folder: %s",
                     strerror(errno));
        free(p);
        return -1;
    }
    free(p);
    return 0;
}

static void hex_encode(const unsigned char *digest, unsigned len, char hex[65])
{
    static const char digits[] = "0123456789abcdef";

    for (unsigned i = 0; i < len && i < 32; i++) {
        hex[2 * i] = digits[digest[i] >> 4];
        hex[2 * i + 1] = digits[digest[i] & 15];
    }
    hex[64] = '\0';
}

void sha256_hex(const void *data, size_t len, char hex[65])
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned dlen = 0;

    EVP_Digest(data, len, digest, &dlen, EVP_sha256(), NULL);
    hex_encode(digest, dlen, hex);
}

int sha256_file(const char *path, char hex[65])
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned char chunk[65536];
    unsigned dlen = 0;
    EVP_MD_CTX *ctx;
    FILE *f = fopen_regular(path);
    size_t n;
    int ok;

    if (!f)
        return -1;
    ctx = EVP_MD_CTX_new();
    ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    while (ok && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        ok = EVP_DigestUpdate(ctx, chunk, n);
    ok = ok && !ferror(f) && EVP_DigestFinal_ex(ctx, digest, &dlen);
    EVP_MD_CTX_free(ctx);
    fclose(f);
    if (!ok)
        return -1;
    hex_encode(digest, dlen, hex);
    return 0;
}

static void xxh128_encode(XXH128_hash_t h, char hex[33])
{
    XXH128_canonical_t c;
    static const char digits[] = "0123456789abcdef";

    XXH128_canonicalFromHash(&c, h);
    for (unsigned i = 0; i < sizeof(c.digest); i++) {
        hex[2 * i] = digits[c.digest[i] >> 4];
        hex[2 * i + 1] = digits[c.digest[i] & 15];
    }
    hex[32] = '\0';
}

void xxh128_hex(const void *data, size_t len, char hex[33])
{
    xxh128_encode(XXH3_128bits(data, len), hex);
}

int xxh128_file(const char *path, char hex[33])
{
    unsigned char chunk[65536];
    XXH3_state_t *state = XXH3_createState();
    FILE *f = fopen_regular(path);
    int ok = state && f && XXH3_128bits_reset(state) == XXH_OK;
    size_t n;

    while (ok && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        ok = XXH3_128bits_update(state, chunk, n) == XXH_OK;
    ok = ok && !ferror(f);
    if (ok)
        xxh128_encode(XXH3_128bits_digest(state), hex);
    XXH3_freeState(state);
    if (f)
        fclose(f);
    return ok ? 0 : -1;
}

/* Text */

int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

size_t edit_distance(const char *a, const char *b, size_t cap)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t *row;
    size_t result;

    if (la > lb ? la - lb > cap : lb - la > cap)
        return cap + 1;
    row = xmalloc((lb + 1) * sizeof(*row));
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];

        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);

            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    result = row[lb] > cap ? cap + 1 : row[lb];
    free(row);
    return result;
}

const char *suggest_nearest(const char *word, const char *const *candidates,
                            size_t count)
{
    size_t cap = strlen(word) / 3;
    const char *best = NULL;
    size_t best_distance;

    if (cap < 1)
        cap = 1;
    best_distance = cap + 1;
    for (size_t i = 0; i < count; i++) {
        size_t d = edit_distance(word, candidates[i], cap);

        if (d < best_distance) {
            best = candidates[i];
            best_distance = d;
        }
    }
    return best;
}

/* Dates */

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static long days_from_civil(long y, unsigned m, unsigned d)
{
    long era;
    unsigned yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

long date_to_days(const char *date)
{
    static const unsigned mdays[] = {31, 29, 31, 30, 31, 30,
                                     31, 31, 30, 31, 30, 31};
    unsigned y = 0, m, d;

    for (int i = 0; i < 10; i++) {
        int digit = i != 4 && i != 7;

        if (digit ? (date[i] < '0' || date[i] > '9') : date[i] != '-')
            return -1;
    }
    if (date[10] != '\0')
        return -1;
    for (int i = 0; i < 4; i++)
        y = y * 10 + (unsigned)(date[i] - '0');
    m = (unsigned)((date[5] - '0') * 10 + (date[6] - '0'));
    d = (unsigned)((date[8] - '0') * 10 + (date[9] - '0'));
    if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return -1;
    if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
        return -1;
    return days_from_civil((long)y, m, d);
}

long long now_epoch(void)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");

    if (sde && *sde) {
        char *end;
        long long v;

        errno = 0;
        v = strtoll(sde, &end, 10);
        if (!errno && *end == '\0' && v >= 0)
            return v;
    }
    return (long long)time(NULL);
}
