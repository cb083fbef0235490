/*
** series.c - one time series of a CSV file (series.h).
*/
#include "data/series.h"

#include "data/csv.h"
#include "error_int.h"

#include <stdlib.h>
#include <string.h>

void data_points_free(data_points *p)
{
    if (!p)
        return;
    free(p->t);
    free(p->y);
    memset(p, 0, sizeof *p);
}

/* The rows' points into out; errors at the offending cell. */
static int points(const csv_table *t, const char *path, int tc, int vc, const char *value_col,
                  data_points *out, migdev_error *err)
{
    out->t = malloc(((size_t)t->n_rows + 1) * sizeof *out->t);
    out->y = malloc(((size_t)t->n_rows + 1) * sizeof *out->y);
    if (!out->t || !out->y)
        return err_set(err, MIGDEV_E_NOMEM, path, 0, 0, "out of memory");
    int last_line = 0;
    double last = 0.0;
    for (int r = 0; r < t->n_rows; r++) {
        const csv_cell *tcell = csv_at(t, r, tc), *vcell = csv_at(t, r, vc);
        double time, y;
        int rc = csv_number(tcell, path, &time, err);
        if (rc == 1)
            return err_set(err, MIGDEV_E_SYNTAX, path, tcell->line, tcell->col,
                           "the time is missing");
        if (rc)
            return rc;
        if (last_line > 0 && !(time > last)) {
            if (time == last)
                return err_set(err, MIGDEV_E_SYNTAX, path, tcell->line, tcell->col,
                               "time %g appears twice (also on line %d)", time, last_line);
            return err_set(err, MIGDEV_E_SYNTAX, path, tcell->line, tcell->col,
                           "time %g comes after %g (line %d): the rows must be in increasing "
                           "time order",
                           time, last, last_line);
        }
        last = time;
        last_line = tcell->line;
        rc = csv_number(vcell, path, &y, err);
        if (rc < 0)
            return rc;
        if (rc == 1)
            continue; /* a gap in this column */
        out->t[out->n] = time;
        out->y[out->n] = y;
        out->n++;
    }
    if (out->n == 0)
        return err_set(err, MIGDEV_E_SYNTAX, path, t->n_rows > 0 ? 2 : 1, 1,
                       "column '%s' has no values", value_col);
    return 0;
}

int data_series_read(const char *path, const char *time_col, const char *value_col,
                     data_points *out, migdev_error *err)
{
    memset(out, 0, sizeof *out);
    csv_table t;
    int rc = csv_read(&t, path, err);
    if (!rc)
        rc = data_series_from_table(&t, path, time_col, value_col, out, err);
    csv_free(&t);
    return rc;
}

int data_series_from_table(const csv_table *tp, const char *path, const char *time_col,
                           const char *value_col, data_points *out, migdev_error *err)
{
    memset(out, 0, sizeof *out);
    const csv_table t = *tp;
    int rc, tc;
    if (time_col)
        tc = csv_find_column(&t, path, time_col, "time column", err);
    else if ((tc = csv_column(&t, "time")) < 0 && (tc = csv_column(&t, "year")) < 0) {
        char cols[300];
        csv_column_list(&t, cols, sizeof cols);
        tc = err_set(err, MIGDEV_E_NAME, path, 1, 1,
                     "no 'time' or 'year' column (columns: %s): name the time column with "
                     "time_column (the separator is a comma)",
                     cols);
    }
    const int vc = tc < 0 ? tc : csv_find_column(&t, path, value_col, "column", err);
    rc = vc < 0 ? vc : points(&t, path, tc, vc, value_col, out, err);
    if (rc)
        data_points_free(out);
    return rc;
}
