/*
** vsheet.h - one sheet of a spreadsheet or delimited text file, as a grid of
** cells, for Vensim's GET XLS / GET DIRECT functions.
**
** vsheet.c reads CSV and tab-separated files and finds a file beside the
** model; vbook.c reads .xlsx (libzip and libxml2) and .xls (libfreexl) and
** is built into the XMILE plug-in with the rest of the libxml2 side
** (xplugin.h), so that the command maps neither library until a model asks
** for a workbook. docs/vensim.md says which cells each function reads.
*/
#ifndef MIGDEV_VENSIM_VSHEET_H
#define MIGDEV_VENSIM_VSHEET_H

#include "migdev/error.h"

/* A defined name of a workbook ("var1_" -> Sheet1!$C$4:$E$6), rows and
** columns from 0, inclusive. */
typedef struct vsheet_name {
    char *name;
    int r0, c0, r1, c1;
} vsheet_name;

typedef struct vsheet {
    int n_rows, n_cols;
    double *num;        /* n_rows * n_cols, row-major; NaN: empty or not a number */
    char **text;        /* the same cells' text; NULL when empty */
    vsheet_name *names; /* the names that point into this sheet */
    int n_names;
} vsheet;

/* Release what s holds (s itself is the caller's); NULL-safe. */
void vsheet_free(vsheet *s);

/* Read sheet `sheet` (matched without regard to case) of the workbook at
** path (.xlsx or .xls, by its extension) into *out. On failure returns
** MIGDEV_E_* with err's message set (no position: the caller knows the
** model's). Defined in vbook.c (the plug-in in the command). */
int vsheet_read_book(const char *path, const char *sheet, vsheet *out, migdev_error *err);

/* Read a delimited text file (sep between cells; '"' quotes a cell). */
int vsheet_read_delim(const char *path, char sep, vsheet *out, migdev_error *err);

/* Store cell (r, c) (from 0) with its text (n bytes, copied); grows the
** grid. Returns 0, or -1 when out of memory. For the readers. */
int vsheet_put(vsheet *s, int r, int c, const char *text, size_t n);

/* Add a defined name (copied) to s. Returns 0 or -1 (out of memory). */
int vsheet_add_name(vsheet *s, const char *name, int r0, int c0, int r1, int c1);

/* "C5", "$C$5", "c5": the cell's row and column (from 0). Returns 1 when
** text (n bytes) is such a reference, else 0. */
int vsheet_cell_ref(const char *text, size_t n, int *row, int *col);

/* "A" .. "XFD": the column (from 0); -1 when text is not a column name. */
int vsheet_col(const char *text, size_t n);

/* The value of cell (r, c); NaN outside the grid or when not a number. */
double vsheet_num(const vsheet *s, int r, int c);

#endif
