/*
** sweep_sens.c - which parameters matter for each metric.
**
** Read back from the summary (so an interrupted and resumed sweep is
** analysed whole), per metric, over the runs that succeeded and gave a
** value:
**   - PRCC: the partial rank correlation coefficient of each parameter with
**     the metric (Marino et al. 2008): ranks (ties averaged), correlation
**     matrix C of the ranks, and the partial correlation of parameter j and
**     the metric given the other parameters (Schur complement of their
**     block, solved by GSL's Cholesky decomposition). Its p-value uses t = r sqrt((n-2-p)/(1-r^2)) with
**     n-2-p degrees of freedom (p: the other parameters).
**   - S1: a first-order Sobol' index estimated from the same runs ("given
**     data"): the parameter's runs are cut into B equal-count bins by rank
**     (B = min(50, sqrt(n)); a parameter with fewer distinct values gets
**     one bin per value) and S1 is the between-bin share of the metric's
**     variance, corrected for the bias of B bins:
**     (SS_between - (B-1) SS_within/(n-B)) / SS_total, clamped at 0.
** Parameters that do not vary, or metrics that are constant, get NaN.
*/
#define _GNU_SOURCE /* qsort_r (glibc; POSIX.1-2024) */
#include "sweep_int.h"

#include "error_int.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct migdev_sensitivity {
    const migdev_sweep *sw;
    int n_params, n_metrics;
    double *prcc, *pval, *s1; /* n_metrics x n_params */
    long *n_used;             /* per metric */
};

void migdev_sensitivity_free(migdev_sensitivity *s)
{
    if (!s)
        return;
    free(s->prcc), free(s->pval), free(s->s1), free(s->n_used);
    free(s);
}

/* Ranks are kept doubled, as 32-bit integers, one column of runs at a
** time: the average rank of a tie group at sorted positions i..j
** (0-based) is (i + j) / 2 + 1, twice it the integer i + j + 2 <= 2n, and
** half of it as a double is that average exactly (what the analysis used
** to store as a matrix of doubles: the results keep their bits). */
#define RANK2_MAX_RUNS ((long)((UINT32_MAX - 2u) / 2u))

static double rank_value(const uint32_t *r2, long i)
{
    return 0.5 * (double)r2[i];
}

/* The runs' values, read back from the summary: rows of (parameters,
** metrics), w columns. */
typedef struct table {
    const double *data;
    size_t w;
} table;

static double cell(const table *t, uint32_t row, size_t col)
{
    return t->data[(size_t)row * t->w + col];
}

static int cmp_at(const void *a, const void *b, void *values)
{
    const double *x = values;
    const uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
    if (x[i] != x[j])
        return x[i] < x[j] ? -1 : 1;
    return (i > j) - (i < j);
}

/* Doubled average ranks of x[0..n-1] into r2: the runs sorted by value
** as 32-bit positions in order (n entries; glibc's qsort_r merges through
** as many again), then each tie group's ranks. */
static void rank_of(const double *x, long n, uint32_t *order, uint32_t *r2)
{
    for (long i = 0; i < n; i++)
        order[i] = (uint32_t)i;
    qsort_r(order, (size_t)n, sizeof *order, cmp_at, (void *)(uintptr_t)x);
    for (long i = 0; i < n;) {
        long j = i;
        while (j + 1 < n && x[order[j + 1]] == x[order[i]])
            j++;
        const uint32_t twice = (uint32_t)(i + j + 2);
        for (long k = i; k <= j; k++)
            r2[order[k]] = twice;
        i = j + 1;
    }
}

static double variance(const double *x, long n)
{
    double m = 0.0, s = 0.0;
    for (long i = 0; i < n; i++)
        m += x[i];
    m /= (double)n;
    for (long i = 0; i < n; i++)
        s += (x[i] - m) * (x[i] - m);
    return s;
}

/* Corrected correlation ratio of the metric y (column yc of rows) over
** equal-count rank bins of a parameter (doubled ranks xr). */
static double first_order(const uint32_t *xr, const table *t, size_t yc, const uint32_t *rows,
                          long n, double *bin_sum, long *bin_n)
{
    long bins = (long)sqrt((double)n);
    if (bins > 50)
        bins = 50;
    if (bins < 2)
        return NAN;
    memset(bin_sum, 0, (size_t)bins * sizeof *bin_sum);
    memset(bin_n, 0, (size_t)bins * sizeof *bin_n);
    double mean = 0.0;
    for (long i = 0; i < n; i++) {
        const double y = cell(t, rows[i], yc);
        long b = (long)((rank_value(xr, i) - 1.0) * (double)bins / (double)n);
        if (b >= bins)
            b = bins - 1;
        bin_sum[b] += y;
        bin_n[b]++;
        mean += y;
    }
    mean /= (double)n;
    double ss_t = 0.0, ss_b = 0.0;
    long used = 0;
    for (long i = 0; i < n; i++) {
        const double y = cell(t, rows[i], yc);
        ss_t += (y - mean) * (y - mean);
    }
    for (long b = 0; b < bins; b++)
        if (bin_n[b] > 0) {
            const double d = bin_sum[b] / (double)bin_n[b] - mean;
            ss_b += (double)bin_n[b] * d * d;
            used++;
        }
    if (!(ss_t > 0.0) || used < 2 || n <= used)
        return NAN;
    const double ss_w = ss_t - ss_b;
    double s1 = (ss_b - (double)(used - 1) * ss_w / (double)(n - used)) / ss_t;
    return s1 < 0.0 ? 0.0 : s1;
}

/* PRCC of every varying parameter for one metric. ranks: d+1 columns of n
** doubled ranks (the metric last). Each coefficient is the partial correlation of the
** parameter's ranks and the metric's ranks given the other parameters:
** with C the rank correlation matrix and Z the others,
** r = (C_jy - C_jZ C_ZZ^-1 C_Zy) / sqrt((1 - C_jZ C_ZZ^-1 C_Zj)(1 - C_yZ C_ZZ^-1 C_Zy)).
** Only C_ZZ (parameters among themselves) is inverted (Cholesky), so a
** metric that one parameter determines exactly still gets its +-1. */
static void prcc_of(const uint32_t *ranks, long n, int d, const int *varies, double *prcc,
                    double *pval)
{
    int q = 0;
    int *ix = malloc((size_t)(d + 1) * sizeof *ix);
    double *c = NULL;
    gsl_matrix *zz = NULL;
    gsl_vector *bj = NULL, *by = NULL, *u = NULL, *v = NULL;
    if (!ix)
        return;
    for (int j = 0; j < d; j++)
        if (varies[j])
            ix[q++] = j;
    ix[q++] = d; /* the metric */
    c = malloc((size_t)q * (size_t)q * sizeof *c);
    if (!c || q < 2)
        goto out;
    /* ranks 1..n have mean (n+1)/2 */
    const double mu = 0.5 * (double)(n + 1);
    for (int a = 0; a < q; a++)
        for (int b = a; b < q; b++) {
            const uint32_t *x = ranks + (size_t)ix[a] * (size_t)n, *y = ranks + (size_t)ix[b] * (size_t)n;
            double sxy = 0.0, sxx = 0.0, syy = 0.0;
            for (long i = 0; i < n; i++) {
                const double dx = rank_value(x, i) - mu, dy = rank_value(y, i) - mu;
                sxy += dx * dy;
                sxx += dx * dx;
                syy += dy * dy;
            }
            c[a * q + b] = c[b * q + a] = sxy / sqrt(sxx * syy);
        }
    const int y = q - 1, nz = q - 2;
    const double df = (double)n - 2.0 - (double)nz;
    if (nz > 0) {
        zz = gsl_matrix_alloc((size_t)nz, (size_t)nz);
        bj = gsl_vector_alloc((size_t)nz);
        by = gsl_vector_alloc((size_t)nz);
        u = gsl_vector_alloc((size_t)nz);
        v = gsl_vector_alloc((size_t)nz);
        if (!zz || !bj || !by || !u || !v)
            goto out;
    }
    for (int a = 0; a < y; a++) {
        double cay = c[a * q + y], caa = 1.0, cyy = 1.0;
        if (nz > 0) {
            int r = 0;
            for (int k = 0; k < y; k++) {
                if (k == a)
                    continue;
                int s2 = 0;
                for (int l = 0; l < y; l++)
                    if (l != a)
                        gsl_matrix_set(zz, (size_t)r, (size_t)s2++, c[k * q + l]);
                gsl_vector_set(bj, (size_t)r, c[k * q + a]);
                gsl_vector_set(by, (size_t)r, c[k * q + y]);
                r++;
            }
            if (gsl_linalg_cholesky_decomp1(zz) != 0 || gsl_linalg_cholesky_solve(zz, bj, u) != 0 ||
                gsl_linalg_cholesky_solve(zz, by, v) != 0)
                continue;
            double ju = 0.0, jv = 0.0, yv = 0.0;
            for (int k = 0; k < nz; k++) {
                ju += gsl_vector_get(bj, (size_t)k) * gsl_vector_get(u, (size_t)k);
                jv += gsl_vector_get(bj, (size_t)k) * gsl_vector_get(v, (size_t)k);
                yv += gsl_vector_get(by, (size_t)k) * gsl_vector_get(v, (size_t)k);
            }
            cay -= jv;
            caa -= ju;
            cyy -= yv;
        }
        /* a metric (or parameter) that the others determine: undefined */
        if (!(caa > 1e-12) || !(cyy > 1e-12))
            continue;
        double rr = cay / sqrt(caa * cyy);
        rr = rr > 1.0 ? 1.0 : (rr < -1.0 ? -1.0 : rr);
        prcc[ix[a]] = rr;
        if (df > 0.0) {
            const double t = fabs(rr) < 1.0 ? fabs(rr) * sqrt(df / (1.0 - rr * rr)) : INFINITY;
            pval[ix[a]] = isinf(t) ? 0.0 : 2.0 * gsl_cdf_tdist_Q(t, df);
        }
    }
out:
    if (zz)
        gsl_matrix_free(zz);
    if (bj)
        gsl_vector_free(bj);
    if (by)
        gsl_vector_free(by);
    if (u)
        gsl_vector_free(u);
    if (v)
        gsl_vector_free(v);
    free(c);
    free(ix);
}

/* Parse one summary row into params and metrics; *ok when status is ok. */
static int parse_row(char *line, int d, int m, double *params, double *metrics, int *ok)
{
    char *p = strchr(line, ',');
    if (!p)
        return MIGDEV_E_SYNTAX;
    p++;
    for (int k = 0; k < d + m; k++) {
        char *e = strchr(p, ',');
        if (!e)
            return MIGDEV_E_SYNTAX;
        *e = '\0';
        double *dst = k < d ? &params[k] : &metrics[k - d];
        *dst = *p ? strtod(p, NULL) : NAN;
        p = e + 1;
    }
    *ok = strncmp(p, "ok", 2) == 0;
    return 0;
}

migdev_sensitivity *migdev_sensitivity_compute(const migdev_sweep *sw, FILE *f, const char *path,
                                               migdev_error *err)
{
    const int d = sw->n_params, m = sw->n_metrics;
    migdev_sensitivity *s = calloc(1, sizeof *s);
    double *data = NULL, *bin_sum = NULL, *col = NULL;
    uint32_t *ranks = NULL, *rows = NULL, *order = NULL;
    long *bin_n = NULL;
    char *line = NULL;
    size_t cap = 0;
    if (!s)
        goto nomem;
    s->sw = sw;
    s->n_params = d;
    s->n_metrics = m;
    const size_t nm = (size_t)d * (size_t)m + 1;
    s->prcc = malloc(nm * sizeof *s->prcc);
    s->pval = malloc(nm * sizeof *s->pval);
    s->s1 = malloc(nm * sizeof *s->s1);
    s->n_used = calloc((size_t)m + 1, sizeof *s->n_used);
    if (!s->prcc || !s->pval || !s->s1 || !s->n_used)
        goto nomem;
    for (size_t i = 0; i < nm; i++)
        s->prcc[i] = s->pval[i] = s->s1[i] = NAN;
    /* load: rows of (params, metrics), status ok only */
    long n = 0, cap_rows = 1024;
    const size_t w = (size_t)(d + m);
    data = malloc((size_t)cap_rows * w * sizeof *data);
    if (!data)
        goto nomem;
    ssize_t len = getline(&line, &cap, f); /* header */
    long lineno = 1;
    while ((len = getline(&line, &cap, f)) > 0) {
        lineno++;
        if (line[len - 1] != '\n')
            break; /* torn last line */
        if (n == cap_rows) {
            cap_rows *= 2;
            double *nd = realloc(data, (size_t)cap_rows * w * sizeof *nd);
            if (!nd)
                goto nomem;
            data = nd;
        }
        int ok = 0;
        if (parse_row(line, d, m, data + (size_t)n * w, data + (size_t)n * w + d, &ok) != 0) {
            err_set(err, MIGDEV_E_SYNTAX, path, (int)lineno, 1, "not a row of this sweep's summary");
            goto fail;
        }
        if (ok)
            n++;
    }
    if (n > RANK2_MAX_RUNS) {
        err_set(err, MIGDEV_E_RANGE, path, 0, 0,
                "more than %ld runs to analyse: sweep without the sensitivity analysis", RANK2_MAX_RUNS);
        goto fail;
    }
    /* per metric: d+1 columns of doubled ranks, one column of values */
    ranks = malloc(((size_t)n * (size_t)(d + 1) + 1) * sizeof *ranks);
    col = malloc(((size_t)n + 1) * sizeof *col);
    rows = malloc(((size_t)n + 1) * sizeof *rows);
    order = malloc(((size_t)n + 1) * sizeof *order);
    bin_sum = malloc(51 * sizeof *bin_sum);
    bin_n = malloc(51 * sizeof *bin_n);
    int *varies = malloc(((size_t)d + 1) * sizeof *varies);
    if (!ranks || !col || !rows || !order || !bin_sum || !bin_n || !varies) {
        free(varies);
        goto nomem;
    }
    for (int k = 0; k < m; k++) {
        /* the runs with a value for this metric */
        const table t = {data, w};
        const size_t yc = (size_t)(d + k);
        long u = 0;
        for (long i = 0; i < n; i++)
            if (!isnan(data[(size_t)i * w + yc]))
                rows[u++] = (uint32_t)i;
        s->n_used[k] = u;
        if (u < 3)
            continue;
        int y_varies = 0;
        for (int j = 0; j <= d; j++) {
            const size_t c = j < d ? (size_t)j : yc;
            for (long i = 0; i < u; i++)
                col[i] = cell(&t, rows[i], c);
            if (j < d)
                varies[j] = variance(col, u) > 0.0;
            else
                y_varies = variance(col, u) > 0.0;
            rank_of(col, u, order, ranks + (size_t)j * (size_t)u);
        }
        if (!y_varies)
            continue;
        prcc_of(ranks, u, d, varies, s->prcc + (size_t)k * (size_t)d, s->pval + (size_t)k * (size_t)d);
        for (int j = 0; j < d; j++)
            if (varies[j])
                s->s1[(size_t)k * (size_t)d + (size_t)j] =
                    first_order(ranks + (size_t)j * (size_t)u, &t, yc, rows, u, bin_sum, bin_n);
    }
    free(varies);
    free(data), free(ranks), free(col), free(rows), free(order), free(bin_sum), free(bin_n);
    free(line);
    return s;
nomem:
    err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory for the sensitivity analysis");
fail:
    free(data), free(ranks), free(col), free(rows), free(order), free(bin_sum), free(bin_n);
    free(line);
    migdev_sensitivity_free(s);
    return NULL;
}

void migdev_sensitivity_get(const migdev_sensitivity *s, int metric, int param, double *prcc,
                            double *p_value, double *s1, long *n_used)
{
    const size_t i = (size_t)metric * (size_t)s->n_params + (size_t)param;
    if (prcc)
        *prcc = s->prcc[i];
    if (p_value)
        *p_value = s->pval[i];
    if (s1)
        *s1 = s->s1[i];
    if (n_used)
        *n_used = s->n_used[metric];
}

int migdev_sensitivity_print(const migdev_sensitivity *s, FILE *f)
{
    const migdev_sweep *sw = s->sw;
    int width = 9;
    for (int j = 0; j < s->n_params; j++) {
        const int l = (int)strlen(sw->params[j].name);
        width = l > width ? l : width;
    }
    int *order = malloc(((size_t)s->n_params + 1) * sizeof *order);
    if (!order)
        return MIGDEV_E_NOMEM;
    fprintf(f, "sensitivity: parameters ranked by |PRCC| (partial rank correlation); "
               "S1 = first-order index\n");
    for (int k = 0; k < s->n_metrics; k++) {
        const double *pr = s->prcc + (size_t)k * (size_t)s->n_params;
        fprintf(f, "\n%s (%ld runs)\n", sw->metrics[k].name, s->n_used[k]);
        fprintf(f, "  %-*s  %7s  %9s  %6s\n", width, "parameter", "PRCC", "p-value", "S1");
        for (int j = 0; j < s->n_params; j++)
            order[j] = j;
        /* insertion sort by |PRCC| descending, NaN last, ties by order */
        for (int a = 1; a < s->n_params; a++) {
            const int v = order[a];
            const double key = isnan(pr[v]) ? -1.0 : fabs(pr[v]);
            int b = a - 1;
            while (b >= 0 && (isnan(pr[order[b]]) ? -1.0 : fabs(pr[order[b]])) < key) {
                order[b + 1] = order[b];
                b--;
            }
            order[b + 1] = v;
        }
        for (int a = 0; a < s->n_params; a++) {
            const int j = order[a];
            const size_t i = (size_t)k * (size_t)s->n_params + (size_t)j;
            char pb[32], sb[32], rb[32];
            if (isnan(s->prcc[i]))
                snprintf(rb, sizeof rb, "-");
            else
                snprintf(rb, sizeof rb, "%+.4f", s->prcc[i]);
            if (isnan(s->pval[i]))
                snprintf(pb, sizeof pb, "-");
            else if (s->pval[i] < 1e-300)
                snprintf(pb, sizeof pb, "<1e-300");
            else
                snprintf(pb, sizeof pb, "%.2g", s->pval[i]);
            if (isnan(s->s1[i]))
                snprintf(sb, sizeof sb, "-");
            else
                snprintf(sb, sizeof sb, "%.3f", s->s1[i]);
            fprintf(f, "  %-*s  %7s  %9s  %6s\n", width, sw->params[j].name, rb, pb, sb);
        }
    }
    free(order);
    return ferror(f) ? MIGDEV_E_IO : 0;
}
