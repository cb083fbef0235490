/*
** error_int.h - private helpers for filling migdev_error records.
*/
#ifndef MIGDEV_ERROR_INT_H
#define MIGDEV_ERROR_INT_H

#include "migdev/error.h"

#if defined(__GNUC__)
#define MIGDEV_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define MIGDEV_PRINTF(a, b)
#endif

/* Record an error unless err is NULL or already holds one. Returns code so
** callers can write `return err_set(...)`. file may be NULL. */
int err_set(migdev_error *err, int code, const char *file, int line, int col,
            const char *fmt, ...) MIGDEV_PRINTF(6, 7);

#endif
