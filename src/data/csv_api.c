/*
** csv_api.c - the public face of the CSV reader (migdev/csv.h).
*/
#include "migdev/csv.h"

#include "data/csv.h"
#include "error_int.h"

#include <stdlib.h>
#include <string.h>

struct migdev_csv {
    csv_table t;
    char *path;
};

static migdev_csv *wrap(const char *path, migdev_error *err)
{
    migdev_csv *c = calloc(1, sizeof *c);
    if (c && !(c->path = strdup(path))) {
        free(c);
        c = NULL;
    }
    if (!c)
        err_set(err, MIGDEV_E_NOMEM, path, 0, 0, "out of memory");
    return c;
}

migdev_csv *migdev_csv_read(const char *path, migdev_error *err)
{
    migdev_csv *c = wrap(path, err);
    if (c && csv_read(&c->t, path, err) != 0) {
        migdev_csv_free(c);
        return NULL;
    }
    return c;
}

migdev_csv *migdev_csv_parse(const char *path, const char *text, size_t len, char sep,
                             migdev_error *err)
{
    migdev_csv *c = wrap(path, err);
    if (c && csv_parse_sep(&c->t, path, text, len, sep, err) != 0) {
        migdev_csv_free(c);
        return NULL;
    }
    return c;
}

void migdev_csv_free(migdev_csv *t)
{
    if (!t)
        return;
    csv_free(&t->t);
    free(t->path);
    free(t);
}

int migdev_csv_n_cols(const migdev_csv *t) { return t->t.n_cols; }
int migdev_csv_n_rows(const migdev_csv *t) { return t->t.n_rows; }

static const csv_cell *cell_at(const migdev_csv *t, int row, int col)
{
    if (col < 0 || col >= t->t.n_cols || row < -1 || row >= t->t.n_rows)
        return NULL;
    return row < 0 ? &t->t.head[col] : csv_at(&t->t, row, col);
}

const char *migdev_csv_cell(const migdev_csv *t, int row, int col, int *line, int *column)
{
    const csv_cell *c = cell_at(t, row, col);
    if (line)
        *line = c ? c->line : 0;
    if (column)
        *column = c ? c->col : 0;
    return c ? c->text : "";
}

int migdev_csv_number(const migdev_csv *t, int row, int col, double *out, migdev_error *err)
{
    const csv_cell *c = cell_at(t, row, col);
    if (!c)
        return err_set(err, MIGDEV_E_RANGE, t->path, 0, 0, "no cell at row %d, column %d", row,
                       col);
    return csv_number(c, t->path, out, err);
}
