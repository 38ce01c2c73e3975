/* untrusted.c: printable text and normalised paths from inputs. */
#include "untrusted.h"

#include <limits.h>
#include <mitigate.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Text */

/*
 * The length of the UTF-8 sequence at p (1 to 4) when it is valid and
 * encodes a character that is not a control one; 0 otherwise.
 */
static size_t printable_sequence(const unsigned char *p)
{
    unsigned cp;
    size_t n;

    if (*p >= 0x20 && *p < 0x7f)
        return 1;
    if (*p >= 0xc2 && *p <= 0xdf)
        n = 2, cp = *p & 0x1f;
    else if (*p >= 0xe0 && *p <= 0xef)
        n = 3, cp = *p & 0x0f;
    else if (*p >= 0xf0 && *p <= 0xf4)
        n = 4, cp = *p & 0x07;
    else
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3f);
    }
    if (cp <= 0x9f || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
        (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
        return 0; /* C1 controls, overlong forms, surrogates */
    return n;
}

MITIGATES("M-PRINTABLE")
void sb_add_printable(struct strbuf *sb, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    while (*p) {
        size_t n = printable_sequence(p);

        if (n) {
            sb_add(sb, (const char *)p, n);
            p += n;
        } else {
            sb_addf(sb, "\\x%02x", *p++);
        }
    }
}

void fput_printable(FILE *f, const char *s)
{
    struct strbuf sb = STRBUF_INIT;

    sb_add_printable(&sb, s);
    fputs(sb_str(&sb), f);
    sb_release(&sb);
}

/* Paths */

/*
 * Appends the components of path to abs (absolute, without a trailing
 * '/'), dropping "." and empty ones and taking ".." back one component,
 * never above "/".
 */
static void add_components(struct strbuf *abs, const char *path)
{
    while (*path) {
        size_t n = strcspn(path, "/");

        if (n == 2 && path[0] == '.' && path[1] == '.') {
            char *slash = strrchr(abs->buf, '/');

            abs->len = slash ? (size_t)(slash - abs->buf) : 0;
            abs->buf[abs->len] = '\0';
        } else if (n && !(n == 1 && path[0] == '.')) {
            sb_addc(abs, '/');
            sb_add(abs, path, n);
        }
        path += n;
        path += *path == '/';
    }
}

MITIGATES("M-URI-PATHS")
char *path_absolute(const char *path)
{
    char resolved[PATH_MAX];
    char cwd[PATH_MAX];

    if (realpath(path, resolved))
        return xstrdup(resolved);
    return path_lexical(path, getcwd(cwd, sizeof(cwd)) ? cwd : "/");
}

MITIGATES("M-URI-PATHS")
char *path_lexical(const char *path, const char *base)
{
    struct strbuf abs = STRBUF_INIT;

    sb_adds(&abs, "");
    if (path[0] != '/')
        add_components(&abs, base);
    add_components(&abs, path);
    if (!abs.len)
        sb_addc(&abs, '/');
    return sb_detach(&abs);
}

MITIGATES("M-URI-PATHS")
const char *path_below(const char *abs, const char *root)
{
    size_t len = strlen(root);

    while (len && root[len - 1] == '/')
        len--;
    if (strncmp(abs, root, len) != 0 || abs[len] != '/' || !abs[len + 1])
        return NULL;
    return abs + len + 1;
}
