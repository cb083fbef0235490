/*
** plotcsv.h - results tables for figures: read the CSV/TSV that `migdev
** run` writes (time,<variables>), and write and read the combined table of
** `migdev compare` (scenario,time,<variables>, one block of rows per
** scenario).
*/
#ifndef MIGDEV_CLI_PLOTCSV_H
#define MIGDEV_CLI_PLOTCSV_H

#include <stdio.h>

#include "plotdata.h"

/* Write pd as CSV: a header `scenario,time,<names>`, then each group's rows.
** Names with a comma, quote or line break are quoted ("a ""b"""); a NaN
** (a missing value) is an empty cell. Returns 0
** or -1 when writing failed. */
int plot_csv_write(FILE *f, const plot_data *pd);

/* Read a table from path ("-": standard input) into an empty pd: every
** column, units unknown. Columns are `time,...` (one group named after the
** file) or `scenario,time,...` (one group per scenario). Tab-separated
** when the header has tabs and no commas. Read by the library's CSV reader
** (migdev/csv.h), so the dialect and the errors are those of every CSV
** input. An empty cell (not the time) is a
** missing value, NaN, which the figure skips. Returns 0, or -1 after printing
** `path:line:col: error: ...`. */
int plot_csv_read(plot_data *pd, const char *path);

#endif
