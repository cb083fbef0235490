/*
** csv.h - the CSV reader every CSV input goes through (data entries,
** calibration data, tables given to `migdev plot`), for programs that read
** a table themselves: cells with their line and column, numbers checked
** with positions. The dialect is in docs/model-format.md ("The CSV files").
** Strings returned are borrowed and stay valid until migdev_csv_free().
*/
#ifndef MIGDEV_CSV_PUBLIC_H
#define MIGDEV_CSV_PUBLIC_H

#include <stddef.h>

#include "migdev/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct migdev_csv migdev_csv;

/* Read the CSV file path. NULL with err set (path:line:col) on failure. */
MIGDEV_API migdev_csv *migdev_csv_read(const char *path, migdev_error *err);

/* Parse len bytes of text (which may hold NUL bytes: an error) with
** separator sep (',' or '\t'); path is used in messages. */
MIGDEV_API migdev_csv *migdev_csv_parse(const char *path, const char *text, size_t len, char sep,
                             migdev_error *err);

MIGDEV_API void migdev_csv_free(migdev_csv *t);

MIGDEV_API int migdev_csv_n_cols(const migdev_csv *t);
MIGDEV_API int migdev_csv_n_rows(const migdev_csv *t);

/* The text of the cell at row (-1: the header), column col ("" when
** empty), and its position in the file (line, column may be NULL). */
MIGDEV_API const char *migdev_csv_cell(const migdev_csv *t, int row, int col, int *line, int *column);

/* The number in a cell: 0 with *out set, 1 when the cell is empty, or an
** error at the cell's path:line:col when it is text or not finite. */
MIGDEV_API int migdev_csv_number(const migdev_csv *t, int row, int col, double *out, migdev_error *err);

#ifdef __cplusplus
}
#endif
#endif
