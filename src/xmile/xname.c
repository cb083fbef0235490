/*
** xname.c - XMILE identifiers: escapes, whitespace and case equivalence.
*/
#include "xname.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

char *xname_unescape(const char *s, size_t n, int strict, long *bad)
{
    char *d = malloc(n + 1);
    if (!d) {
        *bad = -1;
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const unsigned char c = (unsigned char)s[i];
        if (c == '\\' && i + 1 < n && (s[i + 1] == '"' || s[i + 1] == '\\')) {
            d[k++] = s[++i];
        } else if (c == '\\' && i + 1 < n && s[i + 1] == 'n') {
            d[k++] = '\n';
            i++;
        } else if (c == '\\' && strict) {
            free(d);
            *bad = (long)i;
            return NULL;
        } else {
            d[k++] = (c < 0x20 && c != '\n') ? ' ' : (char)c;
        }
    }
    d[k] = '\0';
    return d;
}

/* Length of the whitespace character at s (space, tab, CR, LF, '_', or the
** two bytes of U+00A0), or 0. */
static size_t space_len(const char *s)
{
    const unsigned char c = (unsigned char)s[0];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '_')
        return 1;
    if (c == 0xC2 && (unsigned char)s[1] == 0xA0)
        return 2;
    return 0;
}

/* Length of the blank (a whitespace character other than '_') ending at
** end, or 0. */
static size_t blank_before(const char *start, const char *end)
{
    if (end > start && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
        return 1;
    if (end - start >= 2 && (unsigned char)end[-2] == 0xC2 && (unsigned char)end[-1] == 0xA0)
        return 2;
    return 0;
}

char *xname_engine(const char *display)
{
    const char *s = display, *end = display + strlen(display);
    /* trim blanks (but not underscores, which a quoted name may start with) */
    while (s < end && *s != '_' && space_len(s))
        s += space_len(s);
    while (blank_before(s, end))
        end -= blank_before(s, end);
    char *d = malloc((size_t)(end - s) + 1);
    if (!d)
        return NULL;
    size_t k = 0;
    while (s < end) {
        if (!space_len(s)) {
            d[k++] = *s++;
            continue;
        }
        while (s < end && space_len(s))
            s += space_len(s);
        d[k++] = '_';
    }
    d[k] = '\0';
    return d;
}

/* Upper-case letters of two-byte UTF-8 whose lower case is two bytes too:
** Latin-1 (U+00C0-U+00DE but the sign U+00D7), Greek (U+0391-U+03A9) and
** Cyrillic (U+0400-U+042F), so that "CAFÉ" and "café" are one name, as in
** Vensim. Returns the lower-case code point of the two bytes at s, or 0
** when they are none of those. */
static unsigned fold2(const unsigned char *s)
{
    if ((s[0] & 0xE0) != 0xC0 || (s[1] & 0xC0) != 0x80)
        return 0;
    const unsigned cp = ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu);
    if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) || (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2) ||
        (cp >= 0x410 && cp <= 0x42F))
        return cp + 0x20;
    if (cp >= 0x400 && cp <= 0x40F)
        return cp + 0x50;
    return 0;
}

char *xname_key(const char *display)
{
    char *d = xname_engine(display);
    if (d)
        for (unsigned char *p = (unsigned char *)d; *p; p++) {
            unsigned lc;
            if (*p >= 'A' && *p <= 'Z') {
                *p = (unsigned char)(*p - 'A' + 'a');
            } else if ((lc = fold2(p)) != 0) {
                p[0] = (unsigned char)(0xC0 | (lc >> 6));
                p[1] = (unsigned char)(0x80 | (lc & 0x3F));
                p++;
            }
        }
    return d;
}

/* The next character of a name's key form at *p (advancing *p): a run of
** whitespace is one '_', ASCII letters are lower case; 0 at the end. Blanks
** at the ends are skipped as xname_engine() trims them. */
static int key_char(const char **p)
{
    const char *s = *p;
    if (!*s)
        return 0;
    const size_t sl = space_len(s);
    if (!sl) {
        const unsigned lc = fold2((const unsigned char *)s);
        if (lc) { /* a folded letter: its code point (never an ASCII byte) */
            *p = s + 2;
            return (int)lc + 0x100;
        }
        if (((unsigned char)s[0] & 0xE0) == 0xC0 && ((unsigned char)s[1] & 0xC0) == 0x80) {
            *p = s + 2; /* any other two-byte letter, the same way */
            return (int)((((unsigned char)s[0] & 0x1Fu) << 6) | ((unsigned char)s[1] & 0x3Fu)) +
                   0x100;
        }
        *p = s + 1;
        return (*s >= 'A' && *s <= 'Z') ? *s - 'A' + 'a' : (unsigned char)*s;
    }
    int underscore = 0;
    while (*s && space_len(s)) {
        underscore |= *s == '_';
        s += space_len(s);
    }
    *p = s;
    return (*s || underscore) ? '_' : 0; /* trailing blanks are trimmed */
}

int xname_equal(const char *a, const char *b)
{
    while (*a && *a != '_' && space_len(a)) /* leading blanks */
        a += space_len(a);
    while (*b && *b != '_' && space_len(b))
        b += space_len(b);
    for (;;) {
        const int x = key_char(&a), y = key_char(&b);
        if (x != y)
            return 0;
        if (!x)
            return 1;
    }
}

int xname_is_reserved(const char *key)
{
    static const char *const words[] = {"if", "then", "else", "and", "or", "not", "mod",
                                        "time", "dt", "starttime", "stoptime", "pi", "inf",
                                        "self"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(words[i], key) == 0)
            return 1;
    return 0;
}

char *xname_dotted(char *s)
{
    for (char *p = s; *p; p++)
        if (*p == XN_SEP)
            *p = '.';
    return s;
}
