/*
** output.h - write a run's recorded series as a table.
**
** The caller owns the stream and closes it; the run is only read, so
** several threads may write tables of different runs at once (one stream
** per thread).
*/
#ifndef MIGDEV_OUTPUT_H
#define MIGDEV_OUTPUT_H

#include <stdio.h>

#include "migdev/error.h"
#include "migdev/run.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum migdev_format { MIGDEV_CSV = 0, MIGDEV_TSV } migdev_format;

/* Write `time,<names...>` and one row per save time to f. A name holding
** the separator, a quote or a line break is quoted as in RFC 4180. vars are
** variable indices (NULL/0: every recorded variable). Numbers are printed
** in the shortest form that reads back to the same double. Returns 0 or
** MIGDEV_E_IO / MIGDEV_E_USAGE with err set. */
MIGDEV_API int migdev_write_table(FILE *f, const migdev_run *r, const int *vars, int n, migdev_format fmt,
                       migdev_error *err);

/* Shortest "%.Ng" text of x that strtod reads back exactly (NaN, inf and
** -inf as such). buf must hold 32 bytes; returns buf. */
MIGDEV_API char *migdev_format_number(double x, char *buf);

#ifdef __cplusplus
}
#endif
#endif
