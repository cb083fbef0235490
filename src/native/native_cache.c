/*
** native_cache.c - compile generated C once, keep it, load it.
**
** The object of a source lives in the user's cache folder under a name that
** is a hash of everything that decides its contents: the source, the ABI
** version, the compiler (its resolved path, size and modification time) and
** the flags. Building happens in a private temporary folder next to the
** cache entries; the finished object gets a trailer (magic, key, hash of
** its bytes) and is renamed into place, which is atomic: processes and MPI
** ranks that compile the same model at once each produce a complete file
** and the last rename wins, never a half-written one.
**
** Loading checks before dlopen() runs any code from the file: a regular
** file owned by this user, in a folder only this user can write, whose
** trailer names this key and whose bytes hash to the trailer's value. A
** corrupt, truncated or foreign file fails that check and is rebuilt. The
** folder check keeps other users from swapping the file between the check
** and the load.
**
** The compiler runs through posix_spawn() with its standard error in a file;
** on failure its first error line becomes the message.
*/
#define _XOPEN_SOURCE 700 /* realpath */

#include "native/native.h"

#include "error_int.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* The flags: part of the key. No -ffast-math; no contraction into FMA; no
** builtin folding of libm calls (the VM calls libm at run time). No SLP
** vectorisation: on straight-line equations it costs a quarter of the
** compile time and makes the code slower. */
static const char *const cc_flags[] = {
    "-std=c99", "-O2", "-fno-tree-slp-vectorize", "-fPIC", "-shared", "-ffp-contract=off",
    "-fno-fast-math", "-fno-builtin", "-fvisibility=hidden", "-w",
};
enum { N_CC_FLAGS = sizeof cc_flags / sizeof cc_flags[0] };

#define TRAILER_MAGIC "MIGDEVNATIVE0001"
enum { KEY_LEN = 32, MAGIC_LEN = 16, TRAILER_LEN = MAGIC_LEN + KEY_LEN + 16 };

/* ---------------------------------------------------------------- hashing */

/* Two 64-bit FNV-1a streams with different bases: a 128-bit key. Not a
** defence against forgery (the folder's permissions are), a name that
** changes with any byte. */
typedef struct hash128 {
    uint64_t a, b;
} hash128;

static void hash_init(hash128 *h)
{
    h->a = UINT64_C(0xcbf29ce484222325);
    h->b = UINT64_C(0x84222325cbf29ce4);
}

static void hash_add(hash128 *h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h->a = (h->a ^ s[i]) * UINT64_C(0x100000001b3);
        h->b = (h->b ^ s[i]) * UINT64_C(0x100000001b3);
        h->b ^= h->b >> 29;
    }
}

static void hash_hex(const hash128 *h, char out[KEY_LEN + 1])
{
    snprintf(out, KEY_LEN + 1, "%016llx%016llx", (unsigned long long)h->a,
             (unsigned long long)h->b);
}

/* ---------------------------------------------------------------- config */

int native_cfg_default(native_cfg *cfg, migdev_error *err)
{
    const char *cc = getenv("MIGDEV_CC");
    snprintf(cfg->cc, sizeof cfg->cc, "%s", cc && *cc ? cc : "cc");
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    int n;
    if (xdg && xdg[0] == '/')
        n = snprintf(cfg->cache_dir, sizeof cfg->cache_dir, "%s/migdev", xdg);
    else if (home && home[0] == '/')
        n = snprintf(cfg->cache_dir, sizeof cfg->cache_dir, "%s/.cache/migdev", home);
    else
        return err_set(err, MIGDEV_E_NATIVE, NULL, 0, 0,
                       "the native engine needs a cache folder: set XDG_CACHE_HOME or HOME");
    if (n < 0 || (size_t)n >= sizeof cfg->cache_dir)
        return err_set(err, MIGDEV_E_NATIVE, NULL, 0, 0, "the cache folder's path is too long");
    return 0;
}

int native_find_cc(const native_cfg *cfg, char *path, size_t n)
{
    if (!cfg->cc[0])
        return 0;
    if (strchr(cfg->cc, '/')) {
        snprintf(path, n, "%s", cfg->cc);
        return access(path, X_OK) == 0;
    }
    const char *p = getenv("PATH");
    if (!p)
        p = "/usr/local/bin:/usr/bin:/bin";
    while (*p) {
        const char *e = strchr(p, ':');
        const size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len > 0 && (size_t)snprintf(path, n, "%.*s/%s", (int)len, p, cfg->cc) < n &&
            access(path, X_OK) == 0)
            return 1;
        p += len + (e ? 1 : 0);
    }
    return 0;
}

/* The key of src under cfg; -1 when the compiler is not there. */
static int cache_key(const native_cfg *cfg, const char *src, size_t len, char key[KEY_LEN + 1])
{
    char cc[1024], real[4096];
    if (!native_find_cc(cfg, cc, sizeof cc))
        return -1;
    struct stat st;
    if (!realpath(cc, real) || stat(real, &st) != 0)
        return -1;
    hash128 h;
    hash_init(&h);
    const int abi = NATIVE_ABI_VERSION;
    hash_add(&h, &abi, sizeof abi);
    hash_add(&h, real, strlen(real) + 1);
    const long long id[2] = {(long long)st.st_size, (long long)st.st_mtime};
    hash_add(&h, id, sizeof id);
    for (int k = 0; k < N_CC_FLAGS; k++)
        hash_add(&h, cc_flags[k], strlen(cc_flags[k]) + 1);
    hash_add(&h, src, len);
    hash_hex(&h, key);
    return 0;
}

int native_cache_path(const native_cfg *cfg, const char *src, size_t len, char *path, size_t n)
{
    char key[KEY_LEN + 1];
    if (cache_key(cfg, src, len, key) != 0)
        return -1;
    snprintf(path, n, "%s/%s.so", cfg->cache_dir, key);
    return 0;
}

/* ---------------------------------------------------------------- folder */

/* mkdir -p with mode 0700 for what is made. */
static int make_dirs(const char *dir)
{
    char p[1024];
    snprintf(p, sizeof p, "%s", dir);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0700) != 0 && errno != EEXIST)
            return -1;
        *s = '/';
    }
    return mkdir(p, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

/* The cache folder exists, is ours and nobody else can write in it. */
static int check_dir(const native_cfg *cfg, migdev_error *err)
{
    if (make_dirs(cfg->cache_dir) != 0)
        return err_set(err, MIGDEV_E_NATIVE, cfg->cache_dir, 0, 0,
                       "cannot make the native engine's cache folder: %s", strerror(errno));
    struct stat st;
    if (lstat(cfg->cache_dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return err_set(err, MIGDEV_E_NATIVE, cfg->cache_dir, 0, 0,
                       "the native engine's cache is not a folder");
    if (st.st_uid != geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH)))
        return err_set(err, MIGDEV_E_NATIVE, cfg->cache_dir, 0, 0,
                       "the native engine's cache folder must belong to you and be writable "
                       "by you only (chmod 700)");
    return 0;
}

/* ---------------------------------------------------------------- files */

/* The whole file behind fd, owned (free()); NULL on error. */
static unsigned char *read_fd(int fd, size_t *n)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 0)
        return NULL;
    const size_t size = (size_t)st.st_size;
    unsigned char *b = malloc(size + 1);
    size_t got = 0;
    while (b && got < size) {
        const ssize_t r = pread(fd, b + got, size - got, (off_t)got);
        if (r <= 0) {
            free(b);
            return NULL;
        }
        got += (size_t)r;
    }
    *n = size;
    return b;
}

static void trailer_make(const unsigned char *obj, size_t n, const char *key,
                         unsigned char out[TRAILER_LEN])
{
    hash128 h;
    hash_init(&h);
    hash_add(&h, obj, n);
    char hex[KEY_LEN + 1];
    hash_hex(&h, hex);
    memcpy(out, TRAILER_MAGIC, MAGIC_LEN);
    memcpy(out + MAGIC_LEN, key, KEY_LEN);
    /* the object's hash: its first 16 hex digits suffice to catch damage */
    memcpy(out + MAGIC_LEN + KEY_LEN, hex, 16);
}

/* Open path if it is a sound cache entry for key: our own regular file
** with a matching trailer. Returns the descriptor or -1. */
static int open_checked(const char *path, const char *key)
{
    const int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat st;
    size_t n = 0;
    unsigned char *b = NULL;
    int ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
             !(st.st_mode & (S_IWGRP | S_IWOTH)) && (b = read_fd(fd, &n)) && n > TRAILER_LEN;
    if (ok) {
        unsigned char want[TRAILER_LEN];
        trailer_make(b, n - TRAILER_LEN, key, want);
        ok = memcmp(want, b + n - TRAILER_LEN, TRAILER_LEN) == 0;
    }
    free(b);
    if (!ok) {
        close(fd);
        return -1;
    }
    return fd;
}

/* The compiler's first error line from its log, into msg. */
static void first_error(const char *log, char *msg, size_t n)
{
    snprintf(msg, n, "no message");
    FILE *f = fopen(log, "r");
    if (!f)
        return;
    char line[512], first[512] = "";
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!first[0] && line[0])
            snprintf(first, sizeof first, "%s", line);
        if (strstr(line, "error")) {
            snprintf(first, sizeof first, "%s", line);
            break;
        }
    }
    fclose(f);
    if (first[0])
        snprintf(msg, n, "%s", first);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Compile src into the cache entry final (key) through a private folder. */
static int build(const native_cfg *cfg, const char *cc, const char *src, size_t len,
                 const char *key, const char *final, const char *file, migdev_error *err)
{
    char dir[1200], csrc[1300], obj[1300], log[1300];
    snprintf(dir, sizeof dir, "%s/build-XXXXXX", cfg->cache_dir);
    if (!mkdtemp(dir))
        return err_set(err, MIGDEV_E_NATIVE, cfg->cache_dir, 0, 0,
                       "cannot make a build folder in the cache: %s", strerror(errno));
    snprintf(csrc, sizeof csrc, "%s/model.c", dir);
    snprintf(obj, sizeof obj, "%s/model.so", dir);
    snprintf(log, sizeof log, "%s/cc.log", dir);
    int rc = 0;
    FILE *f = fopen(csrc, "w");
    if (!f || fwrite(src, 1, len, f) != len || fclose(f) != 0) {
        if (f)
            fclose(f);
        rc = err_set(err, MIGDEV_E_NATIVE, csrc, 0, 0, "cannot write the generated source");
        goto done;
    }
    const char *argv[N_CC_FLAGS + 8];
    int k = 0;
    argv[k++] = cc;
    for (int i = 0; i < N_CC_FLAGS; i++)
        argv[k++] = cc_flags[i];
    argv[k++] = "-o";
    argv[k++] = obj;
    argv[k++] = csrc;
    argv[k++] = "-lm";
    argv[k] = NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    pid_t pid;
    const int sp = posix_spawn(&pid, cc, &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    int status = 0;
    if (sp != 0) {
        rc = err_set(err, MIGDEV_E_NATIVE, file, 0, 0, "cannot run the C compiler %s: %s", cc,
                     strerror(sp));
        goto done;
    }
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char msg[200];
        first_error(log, msg, sizeof msg);
        rc = err_set(err, MIGDEV_E_NATIVE, file, 0, 0,
                     "the C compiler failed on the model's generated code: %s", msg);
        goto done;
    }
    /* the trailer, then into place */
    const int fd = open(obj, O_RDWR | O_CLOEXEC);
    size_t n = 0;
    unsigned char *b = fd >= 0 ? read_fd(fd, &n) : NULL;
    unsigned char tr[TRAILER_LEN];
    if (b)
        trailer_make(b, n, key, tr);
    const int ok = b && pwrite(fd, tr, TRAILER_LEN, (off_t)n) == TRAILER_LEN &&
                   fchmod(fd, 0600) == 0 && fsync(fd) == 0;
    free(b);
    if (fd >= 0)
        close(fd);
    if (!ok || rename(obj, final) != 0)
        rc = err_set(err, MIGDEV_E_NATIVE, final, 0, 0, "cannot store the compiled model: %s",
                     strerror(errno));
done:
    unlink(csrc);
    unlink(obj);
    unlink(log);
    rmdir(dir);
    return rc;
}

native_code *native_load(const native_cfg *cfg, const char *src, size_t len, int n_vars,
                         int n_stocks, const char *file, migdev_error *err)
{
    char cc[1024], key[KEY_LEN + 1], path[1200];
    if (!native_find_cc(cfg, cc, sizeof cc) || cache_key(cfg, src, len, key) != 0) {
        err_set(err, MIGDEV_E_NATIVE, file, 0, 0,
                "the native engine needs a C compiler: '%s' was not found (set MIGDEV_CC)",
                cfg->cc);
        return NULL;
    }
    if (check_dir(cfg, err) != 0)
        return NULL;
    snprintf(path, sizeof path, "%s/%s.so", cfg->cache_dir, key);
    native_code *c = calloc(1, sizeof *c);
    if (!c) {
        err_set(err, MIGDEV_E_NOMEM, file, 0, 0, "out of memory");
        return NULL;
    }
    int fd = open_checked(path, key);
    c->was_cached = fd >= 0;
    if (fd < 0) {
        const double t0 = now_seconds();
        if (build(cfg, cc, src, len, key, path, file, err) != 0)
            goto fail;
        c->compile_seconds = now_seconds() - t0;
        if ((fd = open_checked(path, key)) < 0) {
            err_set(err, MIGDEV_E_NATIVE, path, 0, 0,
                    "the compiled model in the cache failed its check after building");
            goto fail;
        }
    }
    /* by its path, not /proc/self/fd/N: the dynamic loader knows objects by
       name, and a reused descriptor number would hand back another model */
    c->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    close(fd);
    if (!c->handle) {
        const char *why = dlerror();
        err_set(err, MIGDEV_E_NATIVE, path, 0, 0, "cannot load the compiled model: %s",
                why ? why : "unknown reason");
        goto fail;
    }
    c->entry = (const native_entry *)dlsym(c->handle, NATIVE_ENTRY_SYMBOL);
    if (!c->entry || c->entry->magic != NATIVE_MAGIC || c->entry->abi != NATIVE_ABI_VERSION ||
        c->entry->n_vars != n_vars || c->entry->n_stocks != n_stocks || !c->entry->step) {
        err_set(err, MIGDEV_E_NATIVE, path, 0, 0,
                "the compiled model does not match the model (delete the cache folder)");
        goto fail;
    }
    return c;
fail:
    native_free(c);
    return NULL;
}

void native_free(native_code *c)
{
    if (!c)
        return;
    if (c->handle)
        dlclose(c->handle);
    free(c);
}
