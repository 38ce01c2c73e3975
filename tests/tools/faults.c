/*
 * faults.c: makes calls of one module fail, to test what mitigate does
 * when memory runs out or a disk fills.
 *
 * Preloaded (LD_PRELOAD) into a process, it stands in for malloc,
 * calloc, realloc and write. MITIGATE_FAULT_IN names the module whose
 * calls may fail (a part of its file name: "mitigate.so" for the
 * plugin inside clang, "bin/mitigate" for the command); MITIGATE_FAULT
 * says which:
 *
 *   malloc:N   the Nth allocation (from 1) returns NULL
 *   write:ENOSPC, write:EIO
 *              every write fails with that error
 *
 * Only calls made directly from that module fail; clang, libyaml and
 * libc itself are served as usual, so a test can starve the core
 * without starving its host.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

void *__libc_malloc(size_t size);
void *__libc_calloc(size_t count, size_t size);
void *__libc_realloc(void *ptr, size_t size);

void *malloc(size_t size);
void *calloc(size_t count, size_t size);
void *realloc(void *ptr, size_t size);
ssize_t write(int fd, const void *buf, size_t count);

static unsigned long allocations;

/* The fault asked for when caller is in the module, or NULL. */
static const char *fault_for(void *caller)
{
    const char *module = getenv("MITIGATE_FAULT_IN");
    const char *fault = getenv("MITIGATE_FAULT");
    Dl_info info;

    if (!module || !fault || !dladdr(caller, &info) || !info.dli_fname ||
        !strstr(info.dli_fname, module))
        return NULL;
    return fault;
}

static int allocation_fails(void *caller)
{
    const char *fault = fault_for(caller);

    if (!fault || strncmp(fault, "malloc:", 7) != 0)
        return 0;
    return ++allocations == strtoul(fault + 7, NULL, 10);
}

void *malloc(size_t size)
{
    if (allocation_fails(__builtin_return_address(0)))
        return NULL;
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size)
{
    if (allocation_fails(__builtin_return_address(0)))
        return NULL;
    return __libc_calloc(count, size);
}

void *realloc(void *ptr, size_t size)
{
    if (allocation_fails(__builtin_return_address(0)))
        return NULL;
    return __libc_realloc(ptr, size);
}

ssize_t write(int fd, const void *buf, size_t count)
{
    const char *fault = fault_for(__builtin_return_address(0));

    if (fault && strcmp(fault, "write:ENOSPC") == 0) {
        errno = ENOSPC;
        return -1;
    }
    if (fault && strcmp(fault, "write:EIO") == 0) {
        errno = EIO;
        return -1;
    }
    return syscall(SYS_write, fd, buf, count);
}
