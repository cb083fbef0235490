/*
** readall.c - read a whole stream (see readall.h).
*/
#include "readall.h"

#include <errno.h>
#include <stdlib.h>

char *read_all(FILE *f) { return read_all_n(f, NULL); }

char *read_all_n(FILE *f, size_t *len)
{
    size_t cap = 1 << 14, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n - 1, f);
        if (n + 1 < cap) /* not full: end of file or an error */
            break;
        char *t = realloc(buf, cap *= 2);
        if (!t)
            free(buf);
        buf = t;
    }
    if (!buf) {
        errno = ENOMEM;
        return NULL;
    }
    if (ferror(f)) {
        free(buf);
        if (!errno)
            errno = EIO;
        return NULL;
    }
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}
