/*
** util.c - small path, string and memory helpers (see util.h).
*/
#include "util.h"
#include "migdev/error.h"

#include <stdlib.h>
#include <string.h>

char *util_path_stem(const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    const char *dot = strrchr(b, '.');
    const size_t n = dot && dot != b ? (size_t)(dot - b) : strlen(b);
    char *s = malloc(n + 1);
    if (s) {
        memcpy(s, b, n);
        s[n] = '\0';
    }
    return s;
}

int util_set_str(char **dst, const char *s)
{
    if (!s)
        return 0;
    char *d = strdup(s);
    if (!d)
        return MIGDEV_E_NOMEM;
    free(*dst);
    *dst = d;
    return 0;
}

int util_grow(void **p, int *cap, int need, size_t size)
{
    if (need <= *cap)
        return 0;
    int nc = *cap ? *cap * 2 : 16;
    while (nc < need)
        nc *= 2;
    void *q = realloc(*p, (size_t)nc * size);
    if (!q)
        return MIGDEV_E_NOMEM;
    *p = q;
    *cap = nc;
    return 0;
}
