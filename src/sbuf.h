/*
** sbuf.h - a growable, NUL-terminated text buffer for writers that build
** an equation or a document piece by piece (the Vensim translator, the
** XMILE array flattener and the XMILE writer). An allocation failure sets
** `failed` and turns every later append into a no-op, so a writer checks
** once at the end. Header-only (static inline) because the XMILE writer
** lives in the libxml2 plug-in, which does not see the library's hidden
** functions.
*/
#ifndef MIGDEV_SBUF_H
#define MIGDEV_SBUF_H

#include <stdlib.h>
#include <string.h>

typedef struct sbuf {
    char *s;       /* the text, NUL-terminated (NULL before the first append) */
    size_t n, cap; /* its length and the allocated size */
    int failed;    /* an allocation failed: the text is incomplete */
} sbuf;

enum { SBUF_FIRST_SIZE = 64 };

/* Append the k bytes at t. */
static inline void sbuf_put_n(sbuf *b, const char *t, size_t k)
{
    if (b->failed)
        return;
    if (b->n + k + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : SBUF_FIRST_SIZE;
        while (cap < b->n + k + 1)
            cap *= 2;
        char *ns = realloc(b->s, cap);
        if (!ns) {
            b->failed = 1;
            return;
        }
        b->s = ns;
        b->cap = cap;
    }
    memcpy(b->s + b->n, t, k);
    b->n += k;
    b->s[b->n] = '\0';
}

/* Append the string t. */
static inline void sbuf_put(sbuf *b, const char *t) { sbuf_put_n(b, t, strlen(t)); }

#endif
