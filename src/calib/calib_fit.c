/*
** calib_fit.c - the fit: residuals from one run workspace, a central
** difference Jacobian, GSL's trust-region loop (gsl_multifit_nlinear),
** then the covariance, correlations and per-series statistics.
**
** Parameters are fitted on a transformed scale x that keeps them inside
** their bounds (calibrate.h: migdev_calib_scale). A trial point whose run
** fails (NaN, infinity, the solver gives up) gets huge residuals, so that
** the trust region rejects the step and shrinks its radius: the optimiser
** backs off instead of stopping. A Jacobian column whose run fails on one
** side is taken one-sided from the other; failing on both sides is an
** error. Every evaluation re-executes a run made before the loop
** (migdev_run_set_constant, migdev_run_execute) and writes into vectors
** made before the loop. The Jacobian's 2p runs go to worker threads, one
** run workspace each (migdev_calib_set_jobs), and are put together in
** column order: the fit does not depend on the number of threads.
**
** Standard errors: Cov(x) = sigma^2 (J^T J)^-1, J = dr/dx at the optimum,
** sigma^2 = S / (n - p) (the residual variance); mapped to the parameters
** by the delta method, se(p) = |dp/dx| se(x).
*/
#include "calib_int.h"

#include "error_int.h"

#include "run_int.h"

#include <float.h>
#include <gsl/gsl_blas.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Residual given to a trial point whose run failed: large enough that the
** cost exceeds any real one, small enough that its square stays finite. */
#define FAILED_RESIDUAL 1e100

/* ---- transforms ---- */

static double logistic(double x)
{
    if (x >= 0)
        return 1.0 / (1.0 + exp(-x));
    const double e = exp(x);
    return e / (1.0 + e);
}

double calib_to_x(const calib_param *p, double value)
{
    switch (p->scale) {
    case MIGDEV_SCALE_LOG_MIN: return log(value - p->min);
    case MIGDEV_SCALE_LOG_MAX: return log(p->max - value);
    case MIGDEV_SCALE_LOGIT: return log((value - p->min) / (p->max - value));
    default: return value;
    }
}

double calib_from_x(const calib_param *p, double x)
{
    switch (p->scale) {
    case MIGDEV_SCALE_LOG_MIN: return p->min + exp(x);
    case MIGDEV_SCALE_LOG_MAX: return p->max - exp(x);
    case MIGDEV_SCALE_LOGIT: {
        const double v = p->min + (p->max - p->min) * logistic(x);
        return v < p->min ? p->min : v > p->max ? p->max : v;
    }
    default: return x;
    }
}

double calib_dp_dx(const calib_param *p, double x)
{
    switch (p->scale) {
    case MIGDEV_SCALE_LOG_MIN: return exp(x);
    case MIGDEV_SCALE_LOG_MAX: return -exp(x);
    case MIGDEV_SCALE_LOGIT: {
        const double s = logistic(x);
        return (p->max - p->min) * s * (1.0 - s);
    }
    default: return 1.0;
    }
}

/* ---- residuals and statistics ---- */

/* The residuals of run r (a workspace of c's scenario recording c's series). */
static void residuals_of(const migdev_calib *c, const migdev_run *r, double *f)
{
    size_t k = 0;
    for (int i = 0; i < c->n_series; i++) {
        const calib_series *s = &c->series[i];
        const double *y = migdev_run_series(r, s->var);
        for (int j = 0; j < s->n; j++)
            f[k++] = (y[s->save[j]] - s->scale * s->raw[j]) * s->coef[j];
    }
}

void calib_residuals(const migdev_calib *c, double *f)
{
    size_t k = 0;
    for (int i = 0; i < c->n_series; i++) {
        const calib_series *s = &c->series[i];
        const double *y = migdev_run_series(c->run, s->var);
        for (int j = 0; j < s->n; j++)
            f[k++] = (y[s->save[j]] - s->scale * s->raw[j]) * s->coef[j];
    }
}

void calib_stats(migdev_calib *c, int start)
{
    double cost = 0.0;
    for (int i = 0; i < c->n_series; i++) {
        calib_series *s = &c->series[i];
        const double *y = migdev_run_series(c->run, s->var);
        double sse = 0.0, sape = 0.0;
        s->n_mape = 0;
        for (int j = 0; j < s->n; j++) {
            const double m = y[s->save[j]] / s->scale, e = m - s->raw[j];
            const double r = (y[s->save[j]] - s->scale * s->raw[j]) * s->coef[j];
            s->model[j] = m;
            sse += e * e;
            cost += r * r;
            if (s->raw[j] != 0.0) {
                sape += fabs(e / s->raw[j]);
                s->n_mape++;
            }
        }
        s->rmse = sqrt(sse / s->n);
        s->mape = s->n_mape ? 100.0 * sape / s->n_mape : NAN;
        /* the held-out points: scored with the same statistics, not fitted */
        double hse = 0.0, hape = 0.0;
        s->n_held_mape = 0;
        for (int j = s->n; j < s->n + s->n_held; j++) {
            const double m = y[s->save[j]] / s->scale, e = m - s->raw[j];
            s->model[j] = m;
            hse += e * e;
            if (s->raw[j] != 0.0) {
                hape += fabs(e / s->raw[j]);
                s->n_held_mape++;
            }
        }
        s->rmse_held = s->n_held ? sqrt(hse / s->n_held) : NAN;
        s->mape_held = s->n_held_mape ? 100.0 * hape / s->n_held_mape : NAN;
        if (start) {
            s->rmse_start = s->rmse;
            s->mape_start = s->mape;
        }
    }
    c->cost = cost;
    if (start)
        c->cost_start = cost;
}

/* ---- one evaluation ---- */

/* The Jacobian's workers: each owns a run workspace of the scenario and a
** parameter point; results go to per-column buffers, so that the matrix
** and the counters come out the same whatever the number of threads. */
typedef struct jac_worker {
    const migdev_calib *c;
    migdev_run *run;
    double *x;              /* p values: the point being tried */
    const double *x0;       /* the point of the Jacobian */
    double *fp, *fm;        /* n x p residuals of the + and - sides */
    int *ok;                /* 2p: each side's run succeeded */
    char (*why)[600];       /* 2p: why a side failed */
    int first, stride, n_tasks;
    double *h;              /* p: each column's step */
} jac_worker;

typedef struct fit_ctx {
    migdev_calib *c;
    gsl_vector *xw;        /* a parameter point being tried (Jacobian) */
    gsl_vector *fp, *fm, *f0;
    int jac_failed;
    /* parallel Jacobian: n_workers workspaces (0: the serial path) */
    jac_worker *workers;
    int n_workers;
    double *x0, *h, *fpa, *fma;
    int *ok;
    char (*why)[600];
} fit_ctx;

/* Run r at transformed point x into f; 0, or -1 with why set. */
static int evaluate_on(const migdev_calib *c, migdev_run *r, const double *x, double *f,
                       char why[600])
{
    for (int k = 0; k < c->n_params; k++) {
        const double p = calib_from_x(&c->params[k], x[k]);
        if (!isfinite(p)) {
            snprintf(why, 600, "'%s' would be %g", c->params[k].name, p);
            return -1;
        }
        migdev_run_set_constant(r, c->params[k].var, p, NULL);
    }
    migdev_error err;
    migdev_error_clear(&err);
    if (migdev_run_execute(r, &err) != 0) {
        migdev_error_format(&err, why, 600);
        return -1;
    }
    residuals_of(c, r, f);
    return 0;
}

/* Tasks first, first+stride, ...: task 2j is column j's + side, 2j+1 its -. */
static void *jac_work(void *arg)
{
    jac_worker *w = arg;
    const migdev_calib *c = w->c;
    const size_t n = c->n_points;
    for (int t = w->first; t < w->n_tasks; t += w->stride) {
        const int j = t / 2, minus = t % 2;
        memcpy(w->x, w->x0, (size_t)c->n_params * sizeof *w->x);
        w->x[j] = w->x0[j] + (minus ? -w->h[j] : w->h[j]);
        double *f = (minus ? w->fm : w->fp) + (size_t)j * n;
        w->ok[t] = evaluate_on(c, w->run, w->x, f, w->why[t]) == 0;
    }
    return NULL;
}

/* One workspace per thread beyond the first when there are columns to
** share; 0 workers (the serial path) otherwise or when out of memory. */
static void workers_start(fit_ctx *ctx)
{
    migdev_calib *c = ctx->c;
    long jobs = c->jobs > 0 ? c->jobs : sysconf(_SC_NPROCESSORS_ONLN);
    const int tasks = 2 * c->n_params;
    if (jobs > tasks)
        jobs = tasks;
    if (jobs < 2)
        return;
    const size_t n = c->n_points, p = (size_t)c->n_params;
    ctx->workers = calloc((size_t)jobs, sizeof *ctx->workers);
    ctx->x0 = malloc(p * sizeof *ctx->x0);
    ctx->h = malloc(p * sizeof *ctx->h);
    ctx->fpa = malloc(n * p * sizeof *ctx->fpa);
    ctx->fma = malloc(n * p * sizeof *ctx->fma);
    ctx->ok = malloc((size_t)tasks * sizeof *ctx->ok);
    ctx->why = malloc((size_t)tasks * sizeof *ctx->why);
    if (!ctx->workers || !ctx->x0 || !ctx->h || !ctx->fpa || !ctx->fma || !ctx->ok || !ctx->why)
        return;
    const migdev_run *r0 = c->run;
    for (int k = 0; k < jobs; k++) {
        jac_worker *w = &ctx->workers[k];
        *w = (jac_worker){c, migdev_scenario_new_run(c->sc, NULL), malloc(p * sizeof(double)),
                          ctx->x0, ctx->fpa, ctx->fma, ctx->ok, ctx->why, k, (int)jobs, tasks,
                          ctx->h};
        if (!w->run || !w->x || migdev_run_record(w->run, r0->rec, r0->n_rec, NULL) != 0)
            return;
        ctx->n_workers = k + 1;
    }
}

static void workers_free(fit_ctx *ctx)
{
    for (int k = 0; ctx->workers && k < ctx->n_workers; k++) {
        migdev_run_free(ctx->workers[k].run);
        free(ctx->workers[k].x);
    }
    free(ctx->workers), free(ctx->x0), free(ctx->h), free(ctx->fpa), free(ctx->fma);
    free(ctx->ok), free(ctx->why);
}

/* Run at transformed point x; on success the residuals go to f (n values,
** contiguous). Returns 0, or -1 when the run failed (counted, message kept). */
static int evaluate(migdev_calib *c, const gsl_vector *x, double *f)
{
    for (int k = 0; k < c->n_params; k++) {
        const double p = calib_from_x(&c->params[k], gsl_vector_get(x, (size_t)k));
        if (!isfinite(p)) {
            c->runs++;
            c->failed_runs++;
            snprintf(c->last_failure, sizeof c->last_failure, "'%s' would be %g", c->params[k].name, p);
            return MIGDEV_E_RANGE;
        }
        migdev_run_set_constant(c->run, c->params[k].var, p, NULL);
    }
    migdev_error err;
    migdev_error_clear(&err);
    c->runs++;
    if (migdev_run_execute(c->run, &err) != 0) {
        c->failed_runs++;
        migdev_error_format(&err, c->last_failure, sizeof c->last_failure);
        return err.code;
    }
    calib_residuals(c, f);
    return 0;
}

static int f_cb(const gsl_vector *x, void *params, gsl_vector *f)
{
    fit_ctx *ctx = params;
    if (evaluate(ctx->c, x, gsl_vector_ptr(f, 0)) != 0)
        gsl_vector_set_all(f, FAILED_RESIDUAL); /* rejected: the step shrinks */
    return GSL_SUCCESS;
}

/* Central differences, h = cbrt(eps) max(|x_j|, 1); one-sided when the run
** fails on one side. */
/* The same Jacobian with the 2p runs on the workers' threads; the columns,
** counters and last failure come out as the serial loop makes them. */
static int df_parallel(const gsl_vector *x, fit_ctx *ctx, gsl_matrix *J)
{
    migdev_calib *c = ctx->c;
    const size_t n = J->size1, p = J->size2;
    for (size_t j = 0; j < p; j++) {
        ctx->x0[j] = gsl_vector_get(x, j);
        ctx->h[j] = cbrt(DBL_EPSILON) * fmax(fabs(ctx->x0[j]), 1.0);
    }
    pthread_t tid[64];
    int started = 0;
    for (int k = 1; k < ctx->n_workers && k < 64; k++, started++)
        if (pthread_create(&tid[k], NULL, jac_work, &ctx->workers[k]) != 0)
            break;
    jac_work(&ctx->workers[0]);
    for (int k = 1; k <= started; k++)
        pthread_join(tid[k], NULL);
    for (int k = 1 + started; k < ctx->n_workers; k++)
        jac_work(&ctx->workers[k]); /* threads that could not start */
    int have_f0 = 0;
    for (size_t j = 0; j < p; j++) {
        const double xj = ctx->x0[j], h = ctx->h[j], xp = xj + h, xm = xj - h;
        const int ok_p = ctx->ok[2 * j], ok_m = ctx->ok[2 * j + 1];
        for (int side = 0; side < 2; side++) {
            c->runs++;
            if (!ctx->ok[2 * j + (size_t)side]) {
                c->failed_runs++;
                memcpy(c->last_failure, ctx->why[2 * j + (size_t)side], sizeof c->last_failure);
            }
        }
        if (ok_p != ok_m && !have_f0) {
            if (evaluate(c, x, gsl_vector_ptr(ctx->f0, 0)) != 0) {
                ctx->jac_failed = 1;
                return GSL_EBADFUNC;
            }
            have_f0 = 1;
        }
        if (!ok_p && !ok_m) {
            ctx->jac_failed = 1;
            return GSL_EBADFUNC;
        }
        const double *hi = ok_p ? ctx->fpa + j * n : gsl_vector_ptr(ctx->f0, 0);
        const double *lo = ok_m ? ctx->fma + j * n : gsl_vector_ptr(ctx->f0, 0);
        const double span = (ok_p ? xp : xj) - (ok_m ? xm : xj);
        for (size_t i = 0; i < n; i++)
            gsl_matrix_set(J, i, j, (hi[i] - lo[i]) / span);
    }
    return GSL_SUCCESS;
}

static int df_cb(const gsl_vector *x, void *params, gsl_matrix *J)
{
    fit_ctx *ctx = params;
    migdev_calib *c = ctx->c;
    const size_t n = J->size1, p = J->size2;
    int have_f0 = 0;
    if (ctx->n_workers > 1)
        return df_parallel(x, ctx, J);
    gsl_vector_memcpy(ctx->xw, x);
    for (size_t j = 0; j < p; j++) {
        const double xj = gsl_vector_get(x, j);
        const double h = cbrt(DBL_EPSILON) * fmax(fabs(xj), 1.0);
        const double xp = xj + h, xm = xj - h;
        gsl_vector_set(ctx->xw, j, xp);
        const int ok_p = evaluate(c, ctx->xw, gsl_vector_ptr(ctx->fp, 0)) == 0;
        gsl_vector_set(ctx->xw, j, xm);
        const int ok_m = evaluate(c, ctx->xw, gsl_vector_ptr(ctx->fm, 0)) == 0;
        gsl_vector_set(ctx->xw, j, xj);
        if (ok_p != ok_m && !have_f0) {
            if (evaluate(c, x, gsl_vector_ptr(ctx->f0, 0)) != 0) {
                ctx->jac_failed = 1;
                return GSL_EBADFUNC;
            }
            have_f0 = 1;
        }
        const gsl_vector *hi = ok_p ? ctx->fp : ctx->f0, *lo = ok_m ? ctx->fm : ctx->f0;
        const double span = (ok_p ? xp : xj) - (ok_m ? xm : xj);
        if (!ok_p && !ok_m) {
            ctx->jac_failed = 1;
            return GSL_EBADFUNC;
        }
        for (size_t i = 0; i < n; i++)
            gsl_matrix_set(J, i, j, (gsl_vector_get(hi, i) - gsl_vector_get(lo, i)) / span);
    }
    return GSL_SUCCESS;
}

/* ---- the fit ---- */

static void set_values(migdev_calib *c, const gsl_vector *x)
{
    for (int k = 0; k < c->n_params; k++)
        c->params[k].value = calib_from_x(&c->params[k], gsl_vector_get(x, (size_t)k));
}

/* Standard errors and correlations from J at x (file header). */
static void uncertainty(migdev_calib *c, fit_ctx *ctx, const gsl_vector *x, gsl_matrix *J,
                        gsl_matrix *cov)
{
    const size_t p = (size_t)c->n_params;
    for (size_t i = 0; i < p * p; i++)
        c->corr[i] = NAN;
    c->sigma2 = c->cost / (double)(c->n_points - p);
    if (df_cb(x, ctx, J) != GSL_SUCCESS ||
        gsl_multifit_nlinear_covar(J, sqrt(DBL_EPSILON), cov) != GSL_SUCCESS)
        return;
    for (size_t i = 0; i < p; i++) {
        const double vi = gsl_matrix_get(cov, i, i);
        const double di = calib_dp_dx(&c->params[i], gsl_vector_get(x, i));
        c->params[i].std_error = vi > 0.0 ? fabs(di) * sqrt(c->sigma2 * vi) : NAN;
        for (size_t j = 0; j < p; j++) {
            const double vj = gsl_matrix_get(cov, j, j);
            const double dj = calib_dp_dx(&c->params[j], gsl_vector_get(x, j));
            if (vi > 0.0 && vj > 0.0)
                c->corr[i * p + j] = gsl_matrix_get(cov, i, j) / sqrt(vi * vj) *
                                     (di < 0 ? -1.0 : 1.0) * (dj < 0 ? -1.0 : 1.0);
        }
    }
}

int migdev_calib_fit(migdev_calib *c, migdev_error *err)
{
    if (!c->prepared) {
        const int rc = migdev_calib_prepare(c, err);
        if (rc)
            return rc;
    }
    const size_t n = c->n_points, p = (size_t)c->n_params;
    gsl_multifit_nlinear_parameters fp = gsl_multifit_nlinear_default_parameters();
    fp.trs = calib_trs(c->algorithm);
    fit_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.c = c;
    ctx.xw = gsl_vector_alloc(p);
    ctx.fp = gsl_vector_alloc(n);
    ctx.fm = gsl_vector_alloc(n);
    ctx.f0 = gsl_vector_alloc(n);
    gsl_multifit_nlinear_fdf fdf = {f_cb, df_cb, NULL, n, p, &ctx, 0, 0, 0};
    gsl_multifit_nlinear_workspace *w = gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &fp, n, p);
    gsl_vector *x0 = gsl_vector_alloc(p);
    gsl_matrix *J = gsl_matrix_alloc(n, p), *cov = gsl_matrix_alloc(p, p);
    free(c->corr);
    c->corr = malloc(p * p * sizeof *c->corr);
    int rc = 0;
    if (!ctx.xw || !ctx.fp || !ctx.fm || !ctx.f0 || !w || !x0 || !J || !cov || !c->corr) {
        rc = err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    for (size_t k = 0; k < p; k++) {
        calib_param *q = &c->params[k];
        q->value = q->start;
        q->std_error = NAN;
        gsl_vector_set(x0, k, calib_to_x(q, q->start));
    }
    c->iterations = 0;
    c->stop = MIGDEV_STOP_NONE;
    workers_start(&ctx); /* on failure: the serial Jacobian */
    if (gsl_multifit_nlinear_init(x0, &fdf, w) != GSL_SUCCESS || ctx.jac_failed) {
        rc = err_set(err, MIGDEV_E_NONFINITE, NULL, 0, 0,
                     "the runs around the start values fail, so the Jacobian cannot be "
                     "computed: %s", c->last_failure);
        goto done;
    }
    double cost_prev;
    gsl_blas_ddot(gsl_multifit_nlinear_residual(w), gsl_multifit_nlinear_residual(w), &cost_prev);
    while (c->stop == MIGDEV_STOP_NONE && c->iterations < c->max_iter) {
        const int status = gsl_multifit_nlinear_iterate(w);
        if (status == GSL_ENOPROG && c->iterations == 0) {
            c->stop = MIGDEV_STOP_NOPROGRESS;
            break;
        }
        if (status != GSL_SUCCESS && status != GSL_ENOPROG) {
            rc = err_set(err, MIGDEV_E_NONFINITE, NULL, 0, 0,
                         "the Jacobian cannot be computed: the runs on both sides of a "
                         "parameter fail: %s", c->last_failure);
            goto done;
        }
        /* after some progress, no progress means the radius shrank to
           nothing: the test below then sees the tiny step (GSL's driver) */
        c->iterations++;
        int info = 0;
        double cost;
        gsl_blas_ddot(gsl_multifit_nlinear_residual(w), gsl_multifit_nlinear_residual(w), &cost);
        if (gsl_multifit_nlinear_test(c->xtol, c->gtol, 0.0, &info, w) == GSL_SUCCESS)
            c->stop = info == 1 ? MIGDEV_STOP_XTOL : MIGDEV_STOP_GTOL;
        else if (c->ftol > 0.0 && cost_prev - cost <= c->ftol * cost)
            c->stop = MIGDEV_STOP_FTOL;
        cost_prev = cost;
    }
    if (c->stop == MIGDEV_STOP_NONE)
        c->stop = MIGDEV_STOP_MAXITER;
    /* the run and the statistics at the best point */
    const gsl_vector *xf = gsl_multifit_nlinear_position(w);
    set_values(c, xf);
    if (evaluate(c, xf, gsl_vector_ptr(ctx.f0, 0)) != 0) {
        rc = err_set(err, MIGDEV_E_NONFINITE, NULL, 0, 0, "the run at the fitted values fails: %s",
                     c->last_failure);
        goto done;
    }
    calib_stats(c, 0);
    uncertainty(c, &ctx, xf, J, cov);
    /* the Jacobian's runs moved the run away from the fit: run it again */
    if (evaluate(c, xf, gsl_vector_ptr(ctx.f0, 0)) != 0)
        rc = err_set(err, MIGDEV_E_NONFINITE, NULL, 0, 0, "the run at the fitted values fails: %s",
                     c->last_failure);
done:
    workers_free(&ctx);
    gsl_vector_free(ctx.xw);
    gsl_vector_free(ctx.fp);
    gsl_vector_free(ctx.fm);
    gsl_vector_free(ctx.f0);
    gsl_vector_free(x0);
    gsl_matrix_free(J);
    gsl_matrix_free(cov);
    gsl_multifit_nlinear_free(w);
    return rc;
}

void migdev_calib_set_jobs(migdev_calib *c, int jobs)
{
    c->jobs = jobs > 0 ? jobs : 0;
}

/* ---- results ---- */

void migdev_calib_get_summary(const migdev_calib *c, migdev_calib_summary *out)
{
    *out = (migdev_calib_summary){0};
    out->n_points = (int)c->n_points;
    out->n_params = c->n_params;
    out->stop = c->stop;
    out->converged = c->stop == MIGDEV_STOP_XTOL || c->stop == MIGDEV_STOP_GTOL ||
                     c->stop == MIGDEV_STOP_NOPROGRESS ||
                     c->stop == MIGDEV_STOP_FTOL;
    out->iterations = c->iterations;
    out->runs = c->runs;
    out->failed_runs = c->failed_runs;
    out->cost_start = c->cost_start;
    out->cost = c->cost;
    out->sigma2 = c->stop == MIGDEV_STOP_NONE ? NAN : c->sigma2;
    out->last_failure = c->last_failure;
}

int migdev_calib_n_params(const migdev_calib *c) { return c->n_params; }

int migdev_calib_param(const migdev_calib *c, int i, migdev_calib_param_info *out)
{
    if (i < 0 || i >= c->n_params)
        return MIGDEV_E_RANGE;
    const calib_param *p = &c->params[i];
    *out = (migdev_calib_param_info){p->name, p->var, p->start, p->value, p->std_error,
                                     p->has_min, p->has_max, p->min, p->max, p->scale};
    return 0;
}

double migdev_calib_correlation(const migdev_calib *c, int i, int j)
{
    if (!c->corr || c->stop == MIGDEV_STOP_NONE || i < 0 || j < 0 || i >= c->n_params ||
        j >= c->n_params)
        return NAN;
    return c->corr[(size_t)i * (size_t)c->n_params + (size_t)j];
}

int migdev_calib_n_series(const migdev_calib *c) { return c->n_series; }

int migdev_calib_series(const migdev_calib *c, int i, migdev_calib_series_info *out)
{
    if (i < 0 || i >= c->n_series)
        return MIGDEV_E_RANGE;
    const calib_series *s = &c->series[i];
    *out = (migdev_calib_series_info){s->variable, s->column, s->var, s->scale, s->weight,
                                      s->n, s->n_mape, s->rmse, s->mape, s->rmse_start,
                                      s->mape_start, s->time, s->raw, s->model,
                                      s->n_held, s->n_held_mape, s->rmse_held, s->mape_held,
                                      s->time + s->n, s->raw + s->n, s->model + s->n};
    return 0;
}

int migdev_calib_holdout(const migdev_calib *c, double *origin)
{
    if (c->has_holdout && origin)
        *origin = c->holdout;
    return c->has_holdout;
}

const char *migdev_calib_data_path(const migdev_calib *c) { return c->data ? c->data : ""; }
const char *migdev_calib_objective_text(const migdev_calib *c) { return c->objective_text; }
const migdev_run *migdev_calib_run(const migdev_calib *c) { return c->run; }

const char *migdev_calib_scale_text(migdev_calib_scale s)
{
    switch (s) {
    case MIGDEV_SCALE_LOG_MIN: return "log(p - min)";
    case MIGDEV_SCALE_LOG_MAX: return "log(max - p)";
    case MIGDEV_SCALE_LOGIT: return "logit";
    default: return "linear";
    }
}

const char *migdev_calib_stop_text(migdev_calib_stop s)
{
    switch (s) {
    case MIGDEV_STOP_XTOL: return "converged: the step became smaller than xtol";
    case MIGDEV_STOP_GTOL: return "converged: the gradient became smaller than gtol";
    case MIGDEV_STOP_FTOL: return "converged: the cost changed by less than ftol";
    case MIGDEV_STOP_MAXITER: return "not converged: max_iterations reached";
    case MIGDEV_STOP_NOPROGRESS:
        return "converged: no step from the start reduces the cost (the start is a minimum)";
    default: return "not fitted";
    }
}
