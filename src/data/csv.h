/*
** csv.h - the one CSV reader: every CSV file migdev reads (data bound to
** model variables, calibration data, tables given to `migdev plot`) goes
** through it, so that every one takes the same dialect and reports the
** same errors at path:line:col.
**
** The dialect: fields separated by commas, optionally in double quotes
** ("a ""b"""), spaces around a field ignored, one header row naming the
** columns, then rows; CRLF or LF line ends; a UTF-8 byte-order mark is
** skipped; blank lines are skipped; an empty cell is a missing value; a NUL
** byte is an error at its position. Every row has as many fields as the
** header.
*/
#ifndef MIGDEV_CSV_H
#define MIGDEV_CSV_H

#include <stddef.h>

#include "migdev/error.h"

typedef struct csv_cell {
    const char *text;        /* unquoted and trimmed; "" when empty */
    int line, col;
} csv_cell;

typedef struct csv_table {
    char *buf;               /* the cells' text */
    int n_cols, n_rows;
    csv_cell *head;          /* n_cols */
    csv_cell *cells;         /* n_rows x n_cols, row-major */
} csv_table;

/* Read a CSV file. Returns 0 or an error at path:line:col (MIGDEV_E_IO
** when it cannot be read). On failure t is empty (csv_free is still safe). */
int csv_read(csv_table *t, const char *path, migdev_error *err);

/* The same from text in memory (len bytes, which may hold NUL bytes);
** path is used in messages. */
int csv_parse(csv_table *t, const char *path, const char *text, size_t len, migdev_error *err);

/* The same with another separator: ',' or '\t' (then tabs are not
** padding). */
int csv_parse_sep(csv_table *t, const char *path, const char *text, size_t len, char sep,
                  migdev_error *err);

void csv_free(csv_table *t);

/* Column called name, or -1. */
int csv_column(const csv_table *t, const char *name);

/* Column called name, or MIGDEV_E_NAME at path:1:1: "no <what> 'name' in
** the header" with a "did you mean" or the list of the header's columns. */
int csv_find_column(const csv_table *t, const char *path, const char *name, const char *what,
                    migdev_error *err);

/* The header's column names, comma-separated, into cols (n bytes). */
void csv_column_list(const csv_table *t, char *cols, size_t n);

/* The cell of row r, column c. */
static inline const csv_cell *csv_at(const csv_table *t, int r, int c)
{
    return &t->cells[(size_t)r * (size_t)t->n_cols + (size_t)c];
}

/* The number in a cell: 0 with *out set, 1 when the cell is empty, or an
** error naming path:line:col when it is text or not a finite number (nan,
** inf, 1e999). */
int csv_number(const csv_cell *cell, const char *path, double *out, migdev_error *err);

#endif
