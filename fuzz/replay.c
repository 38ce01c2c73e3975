/*
 * replay.c: runs a fuzz target without libFuzzer, on files.
 *
 * usage: fuzz_TARGET FILE|DIR...
 *
 * Calls LLVMFuzzerTestOneInput() once with the contents of each file
 * named, and of each regular file in each folder named (not recursing).
 * Builds without MITIGATE_FUZZ link this instead of libFuzzer, so that
 * the seeds and every input that once crashed a reader run as tests
 * under any compiler, and under the sanitizers in the sanitizer build.
 * Exits 0 when every file was read, 2 when one could not be; a reader
 * that crashes takes the process down, which fails the test.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"
#include "util.h"

/* The largest input replayed; fuzz inputs are far smaller. */
#define REPLAY_MAX_SIZE ((size_t)64 << 20)

static int replay_file(const char *path)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    size_t len = 0;
    char *data = read_file(path, REPLAY_MAX_SIZE, &len, &errs);

    if (!data) {
        mt_errors_print(&errs, "replay");
        mt_errors_release(&errs);
        return -1;
    }
    LLVMFuzzerTestOneInput((const uint8_t *)data, len);
    free(data);
    return 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replays the regular files of dir in name order; counts them. */
static int replay_dir(const char *dir, size_t *count)
{
    char **names = NULL;
    size_t n = 0, alloc = 0;
    struct dirent *de;
    DIR *d = opendir(dir);
    int rc = 0;

    if (!d) {
        perror(dir);
        return -1;
    }
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        grow_array(&names, &alloc, n + 1, sizeof(*names));
        names[n++] = xstrdup(de->d_name);
    }
    closedir(d);
    sort_array(names, n, sizeof(*names), cmp_names);
    for (size_t i = 0; i < n; i++) {
        struct strbuf path = STRBUF_INIT;
        struct stat st;

        sb_addf(&path, "%s/%s", dir, names[i]);
        if (stat(path.buf, &st) == 0 && S_ISREG(st.st_mode)) {
            rc |= replay_file(path.buf);
            (*count)++;
        }
        sb_release(&path);
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    size_t count = 0;
    int rc = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        struct stat st;

        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            rc |= replay_dir(argv[i], &count);
        } else {
            rc |= replay_file(argv[i]);
            count++;
        }
    }
    printf("%s: %zu inputs replayed\n", argv[0], count);
    return rc ? 2 : 0;
}
