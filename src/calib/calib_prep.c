/*
** calib_prep.c - check a calibration against its model and data, turn the
** data into points (time, value, save index, residual coefficient), create
** the run and evaluate it at the start values.
**
** The residual of point i of series s is r_i = (m_i - d_i) * coef_i, where
** m_i is the model at the point's time and d_i = scale_s x the cell:
**   relative, weighting series:  coef_i = sqrt(w_s / N_s) / |d_i|
**   absolute, weighting series:  coef_i = sqrt(w_s / N_s) / D_s,
**                                D_s = sqrt(mean of d_i^2 over the series)
**   weighting points:            the same with N_s = 1 and D_s = 1
** so that the cost S = sum r_i^2 gives each series the same say whatever
** its number of points (and, for absolute errors, its units).
*/
#include "calib_int.h"

#include "error_int.h"
#include "model_int.h"
#include "run_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An error about an item declared at pos: in the scenario file, or (line
** 0) on the command line, a usage error. */
static int item_error(const migdev_calib *c, calib_pos pos, int code, migdev_error *err,
                      const char *fmt, ...) MIGDEV_PRINTF(5, 6);
static int item_error(const migdev_calib *c, calib_pos pos, int code, migdev_error *err,
                      const char *fmt, ...)
{
    char msg[480];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (pos.line > 0)
        return err_set(err, code, c->file, pos.line, pos.col, "%s", msg);
    return err_set(err, MIGDEV_E_USAGE, "command line", 0, 0, "%s", msg);
}

/* Release what a previous preparation made. */
static void unprepare(migdev_calib *c)
{
    for (int i = 0; i < c->n_series; i++) {
        calib_series *s = &c->series[i];
        free(s->time), free(s->raw), free(s->coef), free(s->save), free(s->model);
        s->time = s->raw = s->coef = s->model = NULL;
        s->save = NULL;
        s->n = 0;
        s->n_held = 0;
    }
    migdev_run_free(c->run);
    c->run = NULL;
    free(c->corr);
    c->corr = NULL;
    c->prepared = 0;
    c->stop = MIGDEV_STOP_NONE;
    c->iterations = 0;
    c->runs = c->failed_runs = 0;
    c->last_failure[0] = '\0';
}

/* Check the start values against the bounds (a transformed parameter must
** start strictly inside them). */
static int check_starts(migdev_calib *c, migdev_error *err)
{
    for (int i = 0; i < c->n_params; i++) {
        calib_param *p = &c->params[i];
        p->start = p->value = migdev_run_constant(c->run, p->var);
        p->std_error = NAN;
        if ((p->has_min && !(p->start > p->min)) || (p->has_max && !(p->start < p->max))) {
            char lo[40] = "-inf", hi[40] = "inf";
            if (p->has_min)
                snprintf(lo, sizeof lo, "%g", p->min);
            if (p->has_max)
                snprintf(hi, sizeof hi, "%g", p->max);
            return item_error(c, p->pos, MIGDEV_E_RANGE, err,
                              "the start value of '%s' is %g, not strictly inside its bounds "
                              "(%s, %s): change it with set = { %s = ...; } or --set",
                              p->name, p->start, lo, hi, p->name);
        }
    }
    return 0;
}

/* The column named name, or an error at the header naming the columns. */
static int find_column(const migdev_calib *c, const csv_table *t, const char *name,
                       const char *what, migdev_error *err)
{
    return csv_find_column(t, c->data, name, what, err);
}

typedef struct row_time {
    double t;
    int row;
} row_time;

static int by_time(const void *a, const void *b)
{
    const row_time *x = a, *y = b;
    return x->t < y->t ? -1 : x->t > y->t ? 1 : x->row - y->row;
}

/* The time of every row into times[]; errors for empty, malformed or
** repeated times. */
static int read_times(const migdev_calib *c, const csv_table *t, int tc, double *times,
                      migdev_error *err)
{
    row_time *rt = malloc(((size_t)t->n_rows + 1) * sizeof *rt);
    if (!rt)
        return err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
    int rc = 0;
    for (int i = 0; !rc && i < t->n_rows; i++) {
        const csv_cell *cell = &t->cells[(size_t)i * (size_t)t->n_cols + (size_t)tc];
        rc = csv_number(cell, c->data, &times[i], err);
        if (rc == 1)
            rc = err_set(err, MIGDEV_E_SYNTAX, c->data, cell->line, cell->col,
                         "the time is missing");
        rt[i] = (row_time){times[i], i};
    }
    if (!rc) {
        qsort(rt, (size_t)t->n_rows, sizeof *rt, by_time);
        for (int i = 1; !rc && i < t->n_rows; i++)
            if (rt[i].t == rt[i - 1].t) {
                const csv_cell *cell = &t->cells[(size_t)rt[i].row * (size_t)t->n_cols + (size_t)tc];
                const csv_cell *first = &t->cells[(size_t)rt[i - 1].row * (size_t)t->n_cols + (size_t)tc];
                rc = err_set(err, MIGDEV_E_SYNTAX, c->data, cell->line, cell->col,
                             "time %g appears twice (also on line %d)", rt[i].t, first->line);
            }
    }
    free(rt);
    return rc;
}

/* Index of the save time equal to t (within rounding), or MIGDEV_E_RANGE. */
static long save_index(const migdev_run *r, double t)
{
    size_t lo = 0, hi = r->n_saves;
    while (lo < hi) { /* first time >= t - tol */
        const size_t mid = (lo + hi) / 2;
        if (r->times[mid] < t - 1e-9 * (fabs(t) + 1.0))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < r->n_saves && fabs(r->times[lo] - t) <= 1e-9 * (fabs(t) + 1.0))
        return (long)lo;
    return MIGDEV_E_RANGE;
}

/* The points of series s from table t (time column tc, times[]). */
static int series_points(migdev_calib *c, calib_series *s, const csv_table *t, int tc,
                         const double *times, migdev_error *err)
{
    const int col = find_column(c, t, s->column, "column", err);
    if (col < 0)
        return col;
    double lo = -INFINITY, hi = INFINITY;
    if (c->has_from)
        lo = c->from;
    if (s->has_from && s->from > lo)
        lo = s->from;
    if (c->has_to)
        hi = c->to;
    if (s->has_to && s->to < hi)
        hi = s->to;
    const size_t cap = (size_t)t->n_rows + 1;
    s->time = malloc(cap * sizeof *s->time);
    s->raw = malloc(cap * sizeof *s->raw);
    s->coef = malloc(cap * sizeof *s->coef);
    s->model = malloc(cap * sizeof *s->model);
    s->save = malloc(cap * sizeof *s->save);
    if (!s->time || !s->raw || !s->coef || !s->model || !s->save)
        return err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
    const migdev_sim_spec *spec = migdev_run_spec(c->run);
    s->n = 0;
    s->n_held = 0;
    /* pass 0: the points fitted (before the hold-out origin, when there is
       one); pass 1: the held-out points, after them in the arrays */
    for (int pass = 0; pass < (c->has_holdout ? 2 : 1); pass++)
    for (int i = 0; i < t->n_rows; i++) {
        const csv_cell *cell = &t->cells[(size_t)i * (size_t)t->n_cols + (size_t)col];
        double x;
        const int rc = csv_number(cell, c->data, &x, err);
        if (rc < 0)
            return rc;
        if (rc == 1 || times[i] < lo || times[i] > hi)
            continue; /* missing, or outside the window */
        if (c->has_holdout && (times[i] >= c->holdout) != (pass == 1))
            continue; /* the other pass's */
        const csv_cell *tcell = &t->cells[(size_t)i * (size_t)t->n_cols + (size_t)tc];
        const double tol = 1e-9 * (fabs(times[i]) + 1.0);
        if (times[i] < spec->start - tol || times[i] > spec->stop + tol)
            return err_set(err, MIGDEV_E_RANGE, c->data, tcell->line, tcell->col,
                           "time %g (a value of '%s') is outside the run, %g to %g: narrow the "
                           "window (from, to) or change the run's time span",
                           times[i], s->column, spec->start, spec->stop);
        const long k = save_index(c->run, times[i]);
        if (k < 0)
            return err_set(err, MIGDEV_E_RANGE, c->data, tcell->line, tcell->col,
                           "time %g (a value of '%s') is not a save time of the run (every %g "
                           "from %g): make save_every divide the data's spacing",
                           times[i], s->column, spec->save_every, spec->start);
        if (x == 0.0 && c->objective == OBJ_RELATIVE && pass == 0)
            return err_set(err, MIGDEV_E_RANGE, c->data, cell->line, cell->col,
                           "a relative error needs non-zero data: use objective = \"absolute\" "
                           "(or leave the cell empty)");
        const int at = s->n + s->n_held;
        s->time[at] = times[i];
        s->raw[at] = x;
        s->save[at] = (size_t)k;
        if (pass == 0)
            s->n++;
        else
            s->n_held++;
    }
    if (s->n == 0 && c->has_holdout)
        return item_error(c, s->pos, MIGDEV_E_RANGE, err,
                          "'%s' is compared with column '%s', which has no value in the window "
                          "before the hold-out origin %g",
                          s->variable, s->column, c->holdout);
    if (s->n == 0)
        return item_error(c, s->pos, MIGDEV_E_RANGE, err,
                          "'%s' is compared with column '%s', which has no value in the window",
                          s->variable, s->column);
    /* the residual coefficients (file header) */
    const double per = c->weighting == WEIGHT_SERIES ? (double)s->n : 1.0;
    double level = 1.0;
    if (c->objective == OBJ_ABSOLUTE && c->weighting == WEIGHT_SERIES) {
        double ss = 0.0;
        for (int i = 0; i < s->n; i++)
            ss += (s->scale * s->raw[i]) * (s->scale * s->raw[i]);
        level = sqrt(ss / s->n);
        if (!(level > 0.0))
            return item_error(c, s->pos, MIGDEV_E_RANGE, err,
                              "the data of column '%s' are all zero: weigh the series by points "
                              "(weighting = \"points\")",
                              s->column);
    }
    for (int i = 0; i < s->n; i++) {
        const double d = s->scale * s->raw[i];
        const double denom = c->objective == OBJ_RELATIVE ? fabs(d) : level;
        s->coef[i] = sqrt(s->weight / per) / denom;
    }
    return 0;
}

/* Record only the series' variables. */
static int record_series(migdev_calib *c, migdev_error *err)
{
    int *vars = malloc(((size_t)c->n_series + 1) * sizeof *vars);
    if (!vars)
        return err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
    int n = 0;
    for (int i = 0; i < c->n_series; i++) {
        int seen = 0;
        for (int k = 0; k < n && !seen; k++)
            seen = vars[k] == c->series[i].var;
        if (!seen)
            vars[n++] = c->series[i].var;
    }
    const int rc = migdev_run_record(c->run, vars, n, err);
    free(vars);
    return rc;
}

static void describe_objective(migdev_calib *c)
{
    const char *e = c->objective == OBJ_RELATIVE ? "relative errors (m - d)/|d|"
                                                 : "absolute errors m - d";
    if (c->weighting == WEIGHT_POINTS)
        snprintf(c->objective_text, sizeof c->objective_text, "%s, each point weighted w", e);
    else if (c->objective == OBJ_RELATIVE)
        snprintf(c->objective_text, sizeof c->objective_text, "%s, each series weighted w/N", e);
    else
        snprintf(c->objective_text, sizeof c->objective_text,
                 "%s over the series' RMS, each series weighted w/N", e);
}

int migdev_calib_prepare(migdev_calib *c, migdev_error *err)
{
    unprepare(c);
    const calib_pos here = c->has_section ? c->section_pos : (calib_pos){0, 0};
    if (!c->data)
        return item_error(c, here, MIGDEV_E_SYNTAX, err,
                          "no data file: set data = \"file.csv\" in the calibrate section, or --data");
    if (c->n_series == 0)
        return item_error(c, here, MIGDEV_E_SYNTAX, err,
                          "no series to compare: list them in series = ( { variable = \"x\"; "
                          "column = \"x_data\"; } ), or --series");
    if (c->n_params == 0)
        return item_error(c, here, MIGDEV_E_SYNTAX, err,
                          "no constants to fit: list them in parameters = ( ... ), or --fit");
    describe_objective(c);
    migdev_error local;
    migdev_error_clear(&local);
    c->run = migdev_scenario_new_run(c->sc, &local);
    if (!c->run) {
        if (err)
            *err = local;
        return local.code;
    }
    int rc = record_series(c, err);
    if (!rc)
        rc = check_starts(c, err);
    if (rc)
        return rc;
    csv_table t;
    migdev_error_clear(&local);
    if ((rc = csv_read(&t, c->data, &local)) != 0) {
        if (local.code == MIGDEV_E_IO && c->data_pos.line > 0)
            return err_set(err, MIGDEV_E_IO, c->file, c->data_pos.line, c->data_pos.col,
                           "data file '%s': %s", c->data, local.message);
        if (err)
            *err = local;
        return rc;
    }
    int tc;
    if (c->time_column)
        tc = find_column(c, &t, c->time_column, "time column", err);
    else if ((tc = csv_column(&t, "time")) < 0 && (tc = csv_column(&t, "year")) < 0) {
        char cols[300];
        csv_column_list(&t, cols, sizeof cols);
        tc = err_set(err, MIGDEV_E_NAME, c->data, 1, 1,
                     "no 'time' or 'year' column (columns: %s): name the time column with "
                     "time_column (the separator is a comma)",
                     cols);
    }
    double *times = tc >= 0 ? malloc(((size_t)t.n_rows + 1) * sizeof *times) : NULL;
    rc = tc < 0 ? tc : !times ? err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory") : 0;
    if (!rc && t.n_rows == 0)
        rc = err_set(err, MIGDEV_E_SYNTAX, c->data, 2, 1, "no rows of data after the header");
    if (!rc)
        rc = read_times(c, &t, tc, times, err);
    c->n_points = 0;
    for (int i = 0; !rc && i < c->n_series; i++) {
        rc = series_points(c, &c->series[i], &t, tc, times, err);
        c->n_points += (size_t)c->series[i].n;
    }
    free(times);
    csv_free(&t);
    if (rc)
        return rc;
    if (c->n_points <= (size_t)c->n_params)
        return item_error(c, here, MIGDEV_E_RANGE, err,
                          "%zu data points for %d constants: a fit needs more points than "
                          "constants",
                          c->n_points, c->n_params);
    /* the start values */
    c->runs = 1;
    if ((rc = migdev_run_execute(c->run, err)) != 0)
        return rc;
    calib_stats(c, 1);
    c->prepared = 1;
    return 0;
}
