/*
** error.c - error records: clear, set, format.
**
** The only module that writes into migdev_error. Allocation-free.
*/
#include "error_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void migdev_error_clear(migdev_error *err)
{
    if (!err)
        return;
    memset(err, 0, sizeof *err);
}

int err_set(migdev_error *err, int code, const char *file, int line, int col,
            const char *fmt, ...)
{
    if (!err || err->code != MIGDEV_OK)
        return code; /* keep the first error */
    err->code = code;
    err->line = line;
    err->column = col;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

char *migdev_error_format(const migdev_error *err, char *buf, size_t n)
{
    if (!buf || n == 0)
        return buf;
    if (!err) {
        snprintf(buf, n, "error: unknown error");
        return buf;
    }
    char where[300] = "";
    if (err->file[0] && err->line > 0 && err->column > 0)
        snprintf(where, sizeof where, "%s:%d:%d: ", err->file, err->line, err->column);
    else if (err->file[0] && err->line > 0)
        snprintf(where, sizeof where, "%s:%d: ", err->file, err->line);
    else if (err->file[0])
        snprintf(where, sizeof where, "%s: ", err->file);
    snprintf(buf, n, "%serror: %s", where, err->message[0] ? err->message : migdev_error_name(err->code));
    return buf;
}

const char *migdev_error_name(int code)
{
    switch (code) {
    case MIGDEV_OK: return "no error";
    case MIGDEV_E_IO: return "input/output error";
    case MIGDEV_E_SYNTAX: return "syntax error";
    case MIGDEV_E_NAME: return "name error";
    case MIGDEV_E_TYPE: return "type error";
    case MIGDEV_E_CYCLE: return "algebraic loop";
    case MIGDEV_E_RANGE: return "value out of range";
    case MIGDEV_E_NOMEM: return "out of memory";
    case MIGDEV_E_NONFINITE: return "non-finite value";
    case MIGDEV_E_INTEGRATOR: return "integrator failure";
    case MIGDEV_E_USAGE: return "bad argument";
    case MIGDEV_E_UNSUPPORTED: return "unsupported feature";
    case MIGDEV_E_NATIVE: return "native engine failure";
    default: return "unknown error";
    }
}
