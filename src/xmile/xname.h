/*
** xname.h - XMILE identifiers: escapes, whitespace and case equivalence.
**
** XMILE (section 3.2.2) treats names case-insensitively and counts space,
** non-breaking space, newline and underscore as the same character, runs of
** them as one. A name has three forms here:
**   display  as written, escapes decoded ("Teacup Temperature")
**   engine   the name migdev uses: trimmed, each run of whitespace and
**            underscores turned into one '_' ("Teacup_Temperature")
**   key      the engine name with ASCII letters in lower case, for lookups
** Qualified names (module.variable) keep their parts apart with XN_SEP.
*/
#ifndef MIGDEV_XMILE_XNAME_H
#define MIGDEV_XMILE_XNAME_H

#include <stddef.h>

/* Separator of the parts of a qualified identifier (never inside a part:
** control characters in names are read as spaces). */
#define XN_SEP '\x1f'

/* Decode the escapes of n bytes of s (\" \n \\; control characters become
** spaces). With strict, any other backslash sequence is an error: returns
** NULL with *bad set to its offset. Without strict it is kept as written.
** Returns an owned string, or NULL (out of memory: *bad = -1). */
char *xname_unescape(const char *s, size_t n, int strict, long *bad);

/* The engine form of a display name (owned; NULL when out of memory). */
char *xname_engine(const char *display);

/* The key of a display name (owned; NULL when out of memory). */
char *xname_key(const char *display);

/* Whether the key is an XMILE keyword or a reserved value name (if, then,
** else, and, or, not, mod, time, dt, starttime, stoptime, pi, inf, self). */
int xname_is_reserved(const char *key);

/* Whether two names are the same XMILE name (same key), without
** allocating. */
int xname_equal(const char *a, const char *b);

/* Replace XN_SEP by '.' in place (for messages); returns s. */
char *xname_dotted(char *s);

#endif
