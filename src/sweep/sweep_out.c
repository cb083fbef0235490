/*
** sweep_out.c - the summary and series files of a sweep, and the scans
** that let an interrupted sweep resume.
**
** Summary: `run,<parameters>,<metrics>,status`, one row per run in run
** order; numbers in the shortest form that reads back exactly; an empty
** metric (no crossing, failed run) is an empty field; status is ok,
** nonfinite (a variable became NaN or infinite), solver (the ODE solver gave
** up) or error. Series: `run,time,variable,value` (long format).
** Everything goes to caller-supplied FILE streams.
*/
#include "sweep_int.h"

#include "error_int.h"

#include "migdev/output.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int io_error(FILE *f, migdev_error *err)
{
    if (ferror(f))
        return err_set(err, MIGDEV_E_IO, NULL, 0, 0, "write error");
    return 0;
}

/* The header line, without the newline, into a malloc'd string. */
static char *header_text(const migdev_sweep *sw)
{
    size_t n = 16;
    for (int i = 0; i < sw->n_params; i++)
        n += strlen(sw->params[i].name) + 1;
    for (int i = 0; i < sw->n_metrics; i++)
        n += strlen(sw->metrics[i].name) + 1;
    char *h = malloc(n);
    if (!h)
        return NULL;
    strcpy(h, "run");
    for (int i = 0; i < sw->n_params; i++)
        strcat(strcat(h, ","), sw->params[i].name);
    for (int i = 0; i < sw->n_metrics; i++)
        strcat(strcat(h, ","), sw->metrics[i].name);
    strcat(h, ",status");
    return h;
}

int migdev_sweep_write_header(const migdev_sweep *sw, FILE *f, migdev_error *err)
{
    char *h = header_text(sw);
    if (!h)
        return err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
    fputs(h, f);
    fputc('\n', f);
    free(h);
    return io_error(f, err);
}

static const char *status_text(int status)
{
    switch (status) {
    case MIGDEV_OK: return "ok";
    case MIGDEV_E_NONFINITE: return "nonfinite";
    case MIGDEV_E_INTEGRATOR: return "solver";
    default: return "error";
    }
}

/* A summary row is composed in a buffer and written with one fwrite (the
** row of a short run is written in about as long as the run takes: a
** stdio call per field, each taking the stream's lock, was a tenth of a
** two-thread sweep's time, all of it on the one thread that delivers).
** Sweeps run with rows set have it composed on the worker threads
** (sweep_row_text). ROW_BUF holds ROW_FLUSH_AT bytes plus the longest
** field (ROW_FIELD: a number's shortest form is at most 24 characters). */
enum { ROW_BUF = 512, ROW_FIELD = 32, ROW_FLUSH_AT = ROW_BUF - ROW_FIELD - 8 };

typedef struct row_buf {
    FILE *f; /* NULL: b is large enough for the whole row */
    char *b;
    size_t n;
} row_buf;

static void row_put(row_buf *w, const char *s)
{
    const size_t len = strlen(s);
    if (w->f && w->n + len > ROW_FLUSH_AT) {
        fwrite(w->b, 1, w->n, w->f);
        w->n = 0;
    }
    memcpy(w->b + w->n, s, len);
    w->n += len;
}

/* run (>= 0) in decimal, as "%ld" would write it, without a printf per row */
static const char *run_text(long run, char buf[ROW_FIELD])
{
    char *p = buf + ROW_FIELD - 1;
    unsigned long u = run < 0 ? 0UL - (unsigned long)run : (unsigned long)run;
    *p = '\0';
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u > 0);
    if (run < 0)
        *--p = '-';
    return p;
}

static void format_row(const migdev_sweep *sw, const migdev_sweep_result *r, row_buf *w)
{
    char buf[ROW_FIELD];
    row_put(w, run_text(r->run, buf));
    for (int i = 0; i < sw->n_params; i++) {
        row_put(w, ",");
        row_put(w, migdev_format_number(r->params[i], buf));
    }
    for (int i = 0; i < sw->n_metrics; i++) {
        row_put(w, ",");
        if (!isnan(r->metrics[i]))
            row_put(w, migdev_format_number(r->metrics[i], buf));
    }
    row_put(w, ",");
    row_put(w, status_text(r->status));
    row_put(w, "\n");
}

size_t sweep_row_max(const migdev_sweep *sw)
{
    return (size_t)(2 + sw->n_params + sw->n_metrics) * (ROW_FIELD + 1) + 2;
}

size_t sweep_row_text(const migdev_sweep *sw, const migdev_sweep_result *r, char *out)
{
    row_buf w = {NULL, out, 0};
    format_row(sw, r, &w);
    out[w.n] = '\0';
    return w.n;
}

int migdev_sweep_write_row(const migdev_sweep *sw, FILE *f, const migdev_sweep_result *r,
                           migdev_error *err)
{
    if (r->row) {
        fputs(r->row, f);
        return io_error(f, err);
    }
    char b[ROW_BUF];
    b[0] = '\0'; /* (a flush with nothing in it is not uninitialized use) */
    row_buf w = {f, b, 0};
    format_row(sw, r, &w);
    fwrite(w.b, 1, w.n, f);
    return io_error(f, err);
}

int migdev_sweep_write_series_header(FILE *f, migdev_error *err)
{
    fputs("run,time,variable,value\n", f);
    return io_error(f, err);
}

static int is_series_run(const migdev_sweep *sw, long run)
{
    int lo = 0, hi = sw->n_series_runs - 1;
    while (lo <= hi) {
        const int mid = (lo + hi) / 2;
        if (sw->series_runs[mid] == run)
            return 1;
        if (sw->series_runs[mid] < run)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return 0;
}

int migdev_sweep_write_series_rows(const migdev_sweep *sw, FILE *f, const migdev_sweep_result *r,
                                   migdev_error *err)
{
    if (!r->series || !is_series_run(sw, r->run))
        return 0;
    char tb[32], vb[32];
    for (size_t j = 0; j < sw->n_saves; j++)
        for (int k = 0; k < sw->n_series_vars; k++) {
            const double v = r->series[(size_t)sw->series_col[k] * sw->n_saves + j];
            if (isnan(v) && r->status != MIGDEV_OK)
                continue; /* after the failure */
            migdev_var_info info;
            migdev_model_var(sw->m, sw->series_vars[k], &info);
            fprintf(f, "%ld,%s,%s,%s\n", r->run, migdev_format_number(sw->times[j], tb), info.name,
                    migdev_format_number(v, vb));
        }
    return io_error(f, err);
}

/* Read one line; returns its length (0 at the end), *complete when it ends
** with a newline. The buffer grows as needed. */
static long read_line(FILE *f, char **buf, size_t *cap, int *complete)
{
    const ssize_t n = getline(buf, cap, f);
    if (n <= 0)
        return 0;
    *complete = (*buf)[n - 1] == '\n';
    return (long)n;
}

int migdev_sweep_scan_summary(const migdev_sweep *sw, FILE *f, const char *path, long max_rows,
                              long *n_rows, long *end, migdev_error *err)
{
    *n_rows = 0;
    *end = 0;
    char *h = header_text(sw);
    char *line = NULL;
    size_t cap = 0;
    int complete = 0, rc = 0;
    if (!h)
        return err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
    long n = read_line(f, &line, &cap, &complete);
    if (n == 0 || !complete) {
        /* an empty or torn header: nothing was written yet */
        goto out;
    }
    line[n - 1] = '\0';
    if (strcmp(line, h) != 0) {
        rc = err_set(err, MIGDEV_E_SYNTAX, path, 1, 1,
                     "this summary has other columns than the sweep (expected '%.200s')", h);
        goto out;
    }
    long offset = n, k = 0, lineno = 1;
    int expected_commas = 1 + sw->n_params + sw->n_metrics;
    while ((max_rows < 0 || k < max_rows) && (n = read_line(f, &line, &cap, &complete)) > 0 &&
           complete) {
        lineno++;
        char *e;
        const long run = strtol(line, &e, 10);
        int commas = 0;
        for (const char *p = line; *p; p++)
            commas += *p == ',';
        if (e == line || *e != ',' || run != k || commas != expected_commas) {
            rc = err_set(err, MIGDEV_E_SYNTAX, path, (int)lineno, 1,
                         "expected the row of run %ld here: this summary was not written by "
                         "this sweep",
                         k);
            goto out;
        }
        k++;
        offset += n;
    }
    *n_rows = k;
    *end = offset;
out:
    free(h);
    free(line);
    return rc;
}

int migdev_sweep_scan_series(FILE *f, const char *path, long n_runs, long *end, migdev_error *err)
{
    *end = 0;
    char *line = NULL;
    size_t cap = 0;
    int complete = 0, rc = 0;
    long n = read_line(f, &line, &cap, &complete);
    if (n == 0 || !complete)
        goto out;
    if (strcmp(line, "run,time,variable,value\n") != 0) {
        rc = err_set(err, MIGDEV_E_SYNTAX, path, 1, 1, "not a series file of a sweep");
        goto out;
    }
    long offset = n;
    while ((n = read_line(f, &line, &cap, &complete)) > 0 && complete) {
        const long run = strtol(line, NULL, 10);
        if (run >= n_runs)
            break;
        offset += n;
    }
    *end = offset;
out:
    free(line);
    return rc;
}
