/*
** series.h - one time series (a time column and a value column) of a CSV
** file, read through csv.c for a `data` binding.
*/
#ifndef MIGDEV_SERIES_H
#define MIGDEV_SERIES_H

#include "data/csv.h"
#include "migdev/error.h"

typedef struct data_points {
    double *t, *y;           /* n points, t strictly increasing (owned) */
    int n;
} data_points;

/* Read column value_col against column time_col (NULL: "time", else
** "year") of the CSV file path. A
** row whose value cell is empty is skipped (a gap, interpolated over); an
** empty time, text or a non-finite number in either cell, and times that
** do not strictly increase (out of order or repeated) are errors at the
** cell's path:line:col; a missing column lists the header. Returns 0 with
** *out filled (free with data_points_free), or an error. */
int data_series_read(const char *path, const char *time_col, const char *value_col,
                     data_points *out, migdev_error *err);

/* The same from a table already read (path for messages). */
int data_series_from_table(const csv_table *t, const char *path, const char *time_col,
                           const char *value_col, data_points *out, migdev_error *err);

void data_points_free(data_points *p);

#endif
