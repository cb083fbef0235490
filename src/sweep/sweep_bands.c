/*
** sweep_bands.c - quantile bands (5, 25, 50, 75, 95 %) of chosen variables
** at every save time, over all the runs of a sweep, in bounded memory.
**
** Each (variable, save time) cell keeps
**   - the first values exactly, up to min(runs, 1000): with that many runs
**     or fewer the bands are the exact sample quantiles (linear
**     interpolation between order statistics, R's type 7);
**   - a P-squared estimator (Jain & Chlamtac 1985) extended to several
**     quantiles at once (Raatikainen 1987): 13 markers at the fractions
**     0, .025, .05, .15, .25, .375, .5, .625, .75, .85, .95, .975, 1, whose
**     heights follow the quantiles by piecewise-parabolic adjustment.
**     Beyond 1,000 runs the bands are the heights of markers 2, 4, ... 10.
** Memory is 8 bytes x (26 + min(runs, 1000)) per cell, whatever the number
** of runs. Results are added in run order, so the estimates do not depend on
** the number of threads or processes. docs/sweeps.md gives the measured
** accuracy.
*/
#include "sweep_int.h"

#include "error_int.h"

#include "migdev/output.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NM 13
#define EXACT_MAX 1000

const double migdev_band_levels[5] = {0.05, 0.25, 0.5, 0.75, 0.95};

static const double frac[NM] = {0.0,   0.025, 0.05, 0.15,  0.25,  0.375, 0.5,
                                0.625, 0.75,  0.85, 0.95,  0.975, 1.0};

typedef struct cell {
    double q[NM]; /* marker heights */
    double n[NM]; /* marker positions (1-based) */
} cell;

struct migdev_bands {
    const migdev_sweep *sw;
    int n_vars;
    size_t n_saves, n_cells;
    long count;
    long cap;         /* exact values kept per cell */
    cell *cells;
    double *exact;    /* n_cells x cap */
};

migdev_bands *migdev_bands_new(const migdev_sweep *sw, migdev_error *err)
{
    migdev_bands *b = calloc(1, sizeof *b);
    if (!b)
        goto nomem;
    b->sw = sw;
    b->n_vars = sw->n_band_vars;
    b->n_saves = sw->n_saves;
    b->n_cells = (size_t)b->n_vars * b->n_saves;
    b->cap = sw->total < EXACT_MAX ? (sw->total > NM ? sw->total : NM) : EXACT_MAX;
    b->cells = calloc(b->n_cells + 1, sizeof *b->cells);
    b->exact = malloc((b->n_cells * (size_t)b->cap + 1) * sizeof *b->exact);
    if (!b->cells || !b->exact)
        goto nomem;
    return b;
nomem:
    migdev_bands_free(b);
    err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory for the quantile bands");
    return NULL;
}

void migdev_bands_free(migdev_bands *b)
{
    if (!b)
        return;
    free(b->cells);
    free(b->exact);
    free(b);
}

long migdev_bands_count(const migdev_bands *b) { return b->count; }
int migdev_bands_n_vars(const migdev_bands *b) { return b->n_vars; }

const double *migdev_bands_times(const migdev_bands *b, size_t *n)
{
    *n = b->n_saves;
    return b->sw->times;
}

const char *migdev_bands_var_name(const migdev_bands *b, int k)
{
    migdev_var_info info;
    if (k < 0 || k >= b->n_vars || migdev_model_var(b->sw->m, b->sw->band_vars[k], &info) != 0)
        return NULL;
    return info.name;
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double parabolic(const cell *c, int i, double d)
{
    const double *q = c->q, *n = c->n;
    return q[i] + d / (n[i + 1] - n[i - 1]) *
                      ((n[i] - n[i - 1] + d) * (q[i + 1] - q[i]) / (n[i + 1] - n[i]) +
                       (n[i + 1] - n[i] - d) * (q[i] - q[i - 1]) / (n[i] - n[i - 1]));
}

/* Add observation x as number `count` (1-based) of the cell. */
static void p2_add(cell *c, const double *first, long count, double x)
{
    if (count < NM)
        return;
    if (count == NM) {
        memcpy(c->q, first, NM * sizeof *c->q);
        qsort(c->q, NM, sizeof *c->q, cmp_double);
        for (int i = 0; i < NM; i++)
            c->n[i] = i + 1;
        return;
    }
    int k;
    if (x < c->q[0]) {
        c->q[0] = x;
        k = 0;
    } else if (x >= c->q[NM - 1]) {
        c->q[NM - 1] = x;
        k = NM - 2;
    } else {
        k = 0;
        while (k < NM - 2 && x >= c->q[k + 1])
            k++;
    }
    for (int i = k + 1; i < NM; i++)
        c->n[i] += 1.0;
    for (int i = 1; i < NM - 1; i++) {
        const double want = 1.0 + (double)(count - 1) * frac[i];
        const double d = want - c->n[i];
        if ((d >= 1.0 && c->n[i + 1] - c->n[i] > 1.0) || (d <= -1.0 && c->n[i - 1] - c->n[i] < -1.0)) {
            const double s = d > 0 ? 1.0 : -1.0;
            const double qp = parabolic(c, i, s);
            if (c->q[i - 1] < qp && qp < c->q[i + 1])
                c->q[i] = qp;
            else {
                const int j = i + (int)s;
                c->q[i] += s * (c->q[j] - c->q[i]) / (c->n[j] - c->n[i]);
            }
            c->n[i] += s;
        }
    }
}

void migdev_bands_add(migdev_bands *b, const migdev_sweep_result *r)
{
    if (r->status != MIGDEV_OK || !r->series || b->n_vars == 0)
        return;
    const long count = ++b->count;
    const migdev_sweep *sw = b->sw;
    for (int k = 0; k < b->n_vars; k++) {
        const double *x = r->series + (size_t)sw->band_col[k] * b->n_saves;
        for (size_t j = 0; j < b->n_saves; j++) {
            const size_t ci = (size_t)k * b->n_saves + j;
            double *ex = b->exact + ci * (size_t)b->cap;
            if (count <= b->cap)
                ex[count - 1] = x[j];
            p2_add(&b->cells[ci], ex, count, x[j]);
        }
    }
}

void migdev_bands_get(const migdev_bands *b, int k, size_t j, double q[5])
{
    for (int i = 0; i < 5; i++)
        q[i] = NAN;
    if (b->count == 0 || k < 0 || k >= b->n_vars || j >= b->n_saves)
        return;
    const size_t ci = (size_t)k * b->n_saves + j;
    if (b->count > b->cap) {
        for (int i = 0; i < 5; i++)
            q[i] = b->cells[ci].q[2 * (i + 1)];
        return;
    }
    const long n = b->count;
    double *v = malloc((size_t)n * sizeof *v);
    if (!v)
        return;
    memcpy(v, b->exact + ci * (size_t)b->cap, (size_t)n * sizeof *v);
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    for (int i = 0; i < 5; i++) {
        const double h = (double)(n - 1) * migdev_band_levels[i];
        const long lo = (long)floor(h);
        q[i] = lo + 1 < n ? v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]) : v[lo];
    }
    free(v);
}

int migdev_bands_write(const migdev_bands *b, FILE *f, migdev_error *err)
{
    fputs("variable,time,p5,p25,p50,p75,p95\n", f);
    char buf[32];
    for (int k = 0; k < b->n_vars; k++) {
        const char *name = migdev_bands_var_name(b, k);
        for (size_t j = 0; j < b->n_saves; j++) {
            double q[5];
            migdev_bands_get(b, k, j, q);
            fprintf(f, "%s,%s", name, migdev_format_number(b->sw->times[j], buf));
            for (int i = 0; i < 5; i++) {
                fputc(',', f);
                if (!isnan(q[i]))
                    fputs(migdev_format_number(q[i], buf), f);
            }
            fputc('\n', f);
        }
    }
    if (ferror(f))
        return err_set(err, MIGDEV_E_IO, NULL, 0, 0, "write error");
    return 0;
}

int migdev_bands_save(const migdev_bands *b, FILE *f, migdev_error *err)
{
    fprintf(f, "bands %d %zu %ld %ld\n", b->n_vars, b->n_saves, b->cap, b->count);
    const long kept = b->count < b->cap ? b->count : b->cap;
    for (size_t ci = 0; ci < b->n_cells; ci++) {
        const cell *c = &b->cells[ci];
        for (int i = 0; i < NM; i++)
            fprintf(f, "%a %a ", c->q[i], c->n[i]);
        for (long i = 0; i < kept; i++)
            fprintf(f, "%a ", b->exact[ci * (size_t)b->cap + (size_t)i]);
        fputc('\n', f);
    }
    if (ferror(f))
        return err_set(err, MIGDEV_E_IO, NULL, 0, 0, "write error");
    return 0;
}

static int read_double(FILE *f, double *x)
{
    char tok[64];
    if (fscanf(f, "%63s", tok) != 1)
        return MIGDEV_E_SYNTAX;
    char *end;
    *x = strtod(tok, &end);
    return *end ? MIGDEV_E_SYNTAX : 0;
}

int migdev_bands_restore(migdev_bands *b, FILE *f, const char *path, migdev_error *err)
{
    int nv;
    size_t ns;
    long cap, count;
    if (fscanf(f, " bands %d %zu %ld %ld", &nv, &ns, &cap, &count) != 4 || nv != b->n_vars ||
        ns != b->n_saves || cap != b->cap || count < 0)
        return err_set(err, MIGDEV_E_SYNTAX, path, 0, 0,
                       "the saved quantile bands do not match this sweep");
    const long kept = count < cap ? count : cap;
    for (size_t ci = 0; ci < b->n_cells; ci++) {
        cell *c = &b->cells[ci];
        for (int i = 0; i < NM; i++)
            if (read_double(f, &c->q[i]) || read_double(f, &c->n[i]))
                return err_set(err, MIGDEV_E_SYNTAX, path, 0, 0, "the saved quantile bands are cut short");
        for (long i = 0; i < kept; i++)
            if (read_double(f, &b->exact[ci * (size_t)b->cap + (size_t)i]))
                return err_set(err, MIGDEV_E_SYNTAX, path, 0, 0, "the saved quantile bands are cut short");
    }
    b->count = count;
    return 0;
}
