/*
** failalloc.c - allocation-failure injection for the test build of the
** migdev command (migdev_failalloc; tests/check_failalloc.c), in the style
** of SQLite's fault-injection tests.
**
** Linked into the executable, these definitions of malloc, calloc, realloc
** and free take the place of the C library's for the whole process
** (libconfig, libxml2 and GSL included) and call glibc's own. With
** MIGDEV_FAIL_ALLOC_AT=N in the environment, the N-th allocation made by
** migdev's own code (counting from 1, in any thread; strdup included)
** returns NULL with errno ENOMEM; the others succeed. Allocations made
** inside the shared libraries are never failed: libconfig 1.5 does not
** check its own (it crashes), and their failure paths are not ours to test. At exit, when MIGDEV_FAIL_ALLOC_REPORT is set, one line goes to
** standard error: "failalloc: calls C failed F live L" (allocations made,
** whether the N-th failed, blocks still allocated). MIGDEV_FAIL_ALLOC_TRACE
** prints the stack of the failing allocation.
*/
#include <errno.h>
#include <execinfo.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void *__libc_malloc(size_t n);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t n);
void __libc_free(void *p);

static atomic_long calls, live;
static atomic_int failed;
static long fail_at = -1; /* -1: not read yet; 0: never */

/* The executable's code (the GNU linker's symbols): migdev's library and
** command are linked in statically, the third-party libraries are not. */
extern char __executable_start[], etext[];

static int is_ours(const void *caller)
{
    return (const char *)caller >= __executable_start && (const char *)caller < etext;
}

static int should_fail(const void *caller)
{
    if (!is_ours(caller))
        return 0;
    if (fail_at < 0) {
        const char *s = getenv("MIGDEV_FAIL_ALLOC_AT"); /* getenv does not allocate */
        long n = 0;
        for (; s && *s >= '0' && *s <= '9'; s++)
            n = 10 * n + (*s - '0');
        fail_at = n;
    }
    const long k = atomic_fetch_add(&calls, 1) + 1;
    if (fail_at > 0 && k == fail_at) {
        atomic_store(&failed, 1);
        if (getenv("MIGDEV_FAIL_ALLOC_TRACE")) { /* where: for debugging a finding */
            void *frames[16];
            backtrace_symbols_fd(frames, backtrace(frames, 16), 2);
        }
        return 1;
    }
    return 0;
}

static void *alloc_from(const void *caller, size_t n)
{
    if (should_fail(caller)) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = __libc_malloc(n);
    if (p)
        atomic_fetch_add(&live, 1);
    return p;
}

void *malloc(size_t n) { return alloc_from(__builtin_return_address(0), n); }

char *strdup(const char *s)
{
    const size_t n = strlen(s) + 1;
    char *d = alloc_from(__builtin_return_address(0), n);
    if (d)
        memcpy(d, s, n);
    return d;
}

char *strndup(const char *s, size_t max)
{
    const size_t n = strnlen(s, max);
    char *d = alloc_from(__builtin_return_address(0), n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

void *calloc(size_t n, size_t size)
{
    if (should_fail(__builtin_return_address(0))) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = __libc_calloc(n, size);
    if (p)
        atomic_fetch_add(&live, 1);
    return p;
}

void *realloc(void *p, size_t n)
{
    const void *caller = __builtin_return_address(0);
    if (!p)
        return alloc_from(caller, n);
    if (n == 0) {
        free(p);
        return NULL;
    }
    if (should_fail(caller)) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_realloc(p, n);
}

void free(void *p)
{
    if (p)
        atomic_fetch_sub(&live, 1);
    __libc_free(p);
}

__attribute__((destructor)) static void report(void)
{
    if (!getenv("MIGDEV_FAIL_ALLOC_REPORT"))
        return;
    char line[128];
    const int n = snprintf(line, sizeof line, "failalloc: calls %ld failed %d live %ld\n",
                           atomic_load(&calls), atomic_load(&failed), atomic_load(&live));
    if (n > 0 && write(2, line, (size_t)n) < 0)
        return;
}
