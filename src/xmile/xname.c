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

char *xname_key(const char *display)
{
    char *d = xname_engine(display);
    if (d)
        for (char *p = d; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
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
