/*
** error.h - errors as values, with a position.
**
** Every fallible function of the library takes a `migdev_error *err` as its
** last argument. It may be NULL; it is written only on failure, and it keeps
** the first error reported. Only the command-line tool prints errors.
**
** Ownership and threads: a migdev_error is a plain value owned by the
** caller (usually on the stack); nothing in it needs freeing. The functions
** here keep no state and may be called from any thread.
*/
#ifndef MIGDEV_ERROR_H
#define MIGDEV_ERROR_H

#include <stddef.h>

#include "migdev/export.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
    MIGDEV_OK = 0,
    MIGDEV_E_IO = -1,         /* a file could not be read or written */
    MIGDEV_E_SYNTAX = -2,     /* malformed file or equation */
    MIGDEV_E_NAME = -3,       /* unknown, duplicate or reserved name */
    MIGDEV_E_TYPE = -4,       /* wrong kind of value or wrong arity */
    MIGDEV_E_CYCLE = -5,      /* algebraic loop */
    MIGDEV_E_RANGE = -6,      /* a number out of its allowed range */
    MIGDEV_E_NOMEM = -7,      /* allocation failed */
    MIGDEV_E_NONFINITE = -8,  /* a variable became NaN or infinite */
    MIGDEV_E_INTEGRATOR = -9, /* the ODE solver gave up */
    MIGDEV_E_USAGE = -10,     /* a bad argument from the caller */
    MIGDEV_E_UNSUPPORTED = -11, /* a feature the engine refuses */
    MIGDEV_E_NATIVE = -12     /* the native engine could not compile or load code */
};

typedef struct migdev_error {
    int code;          /* MIGDEV_OK or a negative MIGDEV_E_* */
    int line, column;  /* 1-based; 0 = unknown */
    char file[256];    /* "" when the error is not about a file */
    char message[512]; /* one sentence, no location, no newline */
} migdev_error;

/* Clear an error record to MIGDEV_OK. NULL-safe. */
MIGDEV_API void migdev_error_clear(migdev_error *err);

/* Render `file:line:col: error: message` (parts that are unknown are left
** out) into buf of size n. Returns buf. */
MIGDEV_API char *migdev_error_format(const migdev_error *err, char *buf, size_t n);

/* A short name for an error code ("syntax error", ...). Never NULL. */
MIGDEV_API const char *migdev_error_name(int code);

#ifdef __cplusplus
}
#endif
#endif
