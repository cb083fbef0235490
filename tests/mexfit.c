/*
** mexfit.c - read the Mexican history and score a run against it (see
** mexfit.h). The CSV is small and fixed-format: a header line, then one
** row a year, empty cells for missing figures.
*/
#include "mexfit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Index of the column called name in the comma-separated header, or -1. */
static int column_of(const char *header, const char *name)
{
    int col = 0;
    const size_t len = strlen(name);
    const char *p = header;
    for (;;) {
        const char *end = p + strcspn(p, ",\r\n");
        if ((size_t)(end - p) == len && !strncmp(p, name, len))
            return col;
        if (*end != ',')
            return -1;
        p = end + 1;
        col++;
    }
}

/* Cell col of a data line as a number; NaN when empty. *ok = 0 on junk. */
static double cell(const char *line, int col, int *ok)
{
    const char *p = line;
    for (int c = 0; c < col; c++) {
        p = strchr(p, ',');
        if (!p)
            return NAN;
        p++;
    }
    if (*p == ',' || *p == '\n' || *p == '\r' || *p == '\0')
        return NAN;
    char *end;
    const double v = strtod(p, &end);
    if (end == p || (*end != ',' && *end != '\n' && *end != '\r' && *end != '\0'))
        *ok = 0;
    return v;
}

int mexfit_read(const char *path, mexfit_data *d, char *msg, size_t n)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(msg, n, "%s: error: cannot open the file", path);
        return -1;
    }
    char line[1024];
    int rc = -1, lineno = 1;
    d->n = 0;
    if (!fgets(line, sizeof line, f)) {
        snprintf(msg, n, "%s:1: error: empty file", path);
        goto done;
    }
    const int cy = column_of(line, "year"), cr = column_of(line, "remittances_usd_bn"),
              cm = column_of(line, "mex_born_in_us_millions");
    if (cy < 0 || cr < 0 || cm < 0) {
        snprintf(msg, n, "%s:1: error: missing column year, remittances_usd_bn or mex_born_in_us_millions",
                 path);
        goto done;
    }
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (line[0] == '\n' || line[0] == '\r')
            continue;
        if (d->n == MEXFIT_MAX_YEARS) {
            snprintf(msg, n, "%s:%d: error: more than %d rows", path, lineno, MEXFIT_MAX_YEARS);
            goto done;
        }
        int ok = 1;
        const double y = cell(line, cy, &ok), r = cell(line, cr, &ok), m = cell(line, cm, &ok);
        if (!ok || isnan(y) || y != floor(y)) {
            snprintf(msg, n, "%s:%d: error: malformed row (a year and numbers expected)", path, lineno);
            goto done;
        }
        d->year[d->n] = (int)y;
        d->remittances[d->n] = r * 1e9;
        d->mex_born[d->n] = m * 1e6;
        d->n++;
    }
    rc = 0;
done:
    fclose(f);
    return rc;
}

/* The recorded value of var at time t (a save time), or NaN. */
static double value_at(const migdev_run *r, const double *series, double t)
{
    const size_t ns = migdev_run_n_saves(r);
    const double *times = migdev_run_times(r);
    for (size_t k = 0; k < ns; k++)
        if (fabs(times[k] - t) < 1e-6)
            return series[k];
    return NAN;
}

/* Score one series; writes relative errors to out (when not NULL). */
static int score(const migdev_run *r, const double *series, const mexfit_data *d,
                 const double *data, int first, int last, double *out, mexfit_stats *st,
                 const char *what, char *msg, size_t n)
{
    double sse = 0.0, sape = 0.0;
    int count = 0;
    for (int i = 0; i < d->n; i++) {
        if (d->year[i] < first || d->year[i] > last || isnan(data[i]))
            continue;
        const double m = value_at(r, series, d->year[i]);
        if (isnan(m)) {
            snprintf(msg, n, "%s: no model value at %d (save every whole year)", what, d->year[i]);
            return -1;
        }
        const double rel = (m - data[i]) / data[i];
        sse += (m - data[i]) * (m - data[i]);
        sape += fabs(rel);
        if (out)
            out[count] = rel;
        count++;
    }
    st->n = count;
    st->rmse = count ? sqrt(sse / count) : 0.0;
    st->mape = count ? 100.0 * sape / count : 0.0;
    if (out && count)
        for (int k = 0; k < count; k++)
            out[k] /= sqrt((double)count);
    return 0;
}

int mexfit_compare(const migdev_run *r, const mexfit_data *d, int first, int last,
                   double *resid, int *n_resid, mexfit_stats *remit, mexfit_stats *stock,
                   char *msg, size_t n)
{
    const migdev_model *m = migdev_run_model(r);
    const int vr = migdev_model_find(m, MEXFIT_REMITTANCES), vm = migdev_model_find(m, MEXFIT_MEX_BORN);
    const double *sr = vr >= 0 ? migdev_run_series(r, vr) : NULL;
    const double *sm = vm >= 0 ? migdev_run_series(r, vm) : NULL;
    if (!sr || !sm) {
        snprintf(msg, n, "the run does not record %s and %s", MEXFIT_REMITTANCES, MEXFIT_MEX_BORN);
        return -1;
    }
    if (score(r, sr, d, d->remittances, first, last, resid, remit, "remittances", msg, n) != 0 ||
        score(r, sm, d, d->mex_born, first + 1, last, resid ? resid + remit->n : NULL, stock,
              "migrant stock", msg, n) != 0)
        return -1;
    if (n_resid)
        *n_resid = remit->n + stock->n;
    return 0;
}
