/*
** outfile.c - temporary file, then rename.
*/
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int outfile_make_parents(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return 0;
}

FILE *outfile_create_excl(const char *path)
{
    if (unlink(path) != 0 && errno != ENOENT)
        return NULL;
    const int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, "w");
    if (!f) {
        const int e = errno;
        close(fd);
        errno = e;
    }
    return f;
}

FILE *outfile_open_nofollow(const char *path, const char *mode, long end)
{
    const int is_append = mode[0] == 'a';
    const int fd = open(path, (is_append ? O_WRONLY | O_APPEND : O_RDONLY) | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    int e = 0;
    if (fstat(fd, &st) != 0)
        e = errno;
    else if (!S_ISREG(st.st_mode))
        e = EINVAL;
    else if (is_append && end >= 0 && ftruncate(fd, (off_t)end) != 0)
        e = errno;
    FILE *f = e ? NULL : fdopen(fd, is_append ? "a" : "r");
    if (!f) {
        if (!e)
            e = errno;
        close(fd);
        errno = e;
    }
    return f;
}

int outfile_target_kind(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || S_ISREG(st.st_mode))
        return 0;
    if (S_ISDIR(st.st_mode)) {
        fprintf(stderr, "%s: error: is a folder, not a file\n", path);
        return -1;
    }
    return 1;
}

int outfile_open(outfile *o, const char *path)
{
    memset(o, 0, sizeof *o);
    if (!path || strcmp(path, "-") == 0) {
        o->is_stdout = 1;
        o->f = stdout;
        return 0;
    }
    if (strlen(path) + 16 >= sizeof o->tmp) {
        fprintf(stderr, "%s: error: output path too long\n", path);
        return -1;
    }
    snprintf(o->path, sizeof o->path, "%s", path);
    const int kind = outfile_target_kind(path);
    if (kind < 0)
        return -1;
    if (kind == 1) {
        o->is_direct = 1;
        o->f = fopen(path, "w");
        if (!o->f) {
            fprintf(stderr, "%s: error: cannot write: %s\n", path, strerror(errno));
            return -1;
        }
        return 0;
    }
    snprintf(o->tmp, sizeof o->tmp, "%s.tmp.XXXXXX", path);
    if (outfile_make_parents(path) != 0) {
        fprintf(stderr, "%s: error: cannot create its folder: %s\n", path, strerror(errno));
        return -1;
    }
    const int fd = mkstemp(o->tmp);
    if (fd < 0) {
        fprintf(stderr, "%s: error: cannot write: %s\n", path, strerror(errno));
        return -1;
    }
    fchmod(fd, 0644);
    o->f = fdopen(fd, "w");
    if (!o->f) {
        fprintf(stderr, "%s: error: cannot write: %s\n", path, strerror(errno));
        close(fd);
        unlink(o->tmp);
        return -1;
    }
    return 0;
}

int outfile_close(outfile *o, int ok)
{
    if (o->is_stdout) {
        if (fflush(stdout) != 0) {
            fprintf(stderr, "error: writing standard output: %s\n", strerror(errno));
            return -1;
        }
        return 0;
    }
    if (!o->f)
        return -1;
    const int bad = ferror(o->f) | (fclose(o->f) != 0);
    o->f = NULL;
    if (o->is_direct) {
        if (ok && bad)
            fprintf(stderr, "%s: error: write failed\n", o->path);
        return ok && !bad ? 0 : -1;
    }
    if (!ok || bad) {
        unlink(o->tmp);
        if (ok)
            fprintf(stderr, "%s: error: write failed\n", o->path);
        return -1;
    }
    if (rename(o->tmp, o->path) != 0) {
        fprintf(stderr, "%s: error: cannot rename into place: %s\n", o->path, strerror(errno));
        unlink(o->tmp);
        return -1;
    }
    return 0;
}
