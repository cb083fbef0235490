/*
** calibrate_mexico.c - fit a few constants of the paper model to Mexican
** history (Mexican-born population in the US, remittances in USD) with GSL's
** nonlinear least squares (trust region, Levenberg-Marquardt).
**
**   calibrate_mexico SCENARIO DATA.csv [--fit a,b,c] [--from Y] [--to Y] [--table]
**
** The residuals are relative errors, each series weighted by 1/sqrt(its
** number of points) so that 35 remittance years and 8 census points count
** the same. Parameters are fitted on a log scale (all are positive). Prints
** the fitted values (paste them into the model with source "fitted"), their
** standard errors, and RMSE and MAPE per series.
*/
#include "mexfit.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_vector.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PARAMS 16

static const char usage[] =
    "usage: calibrate_mexico SCENARIO DATA.csv [--fit a,b,c] [--from YEAR] [--to YEAR] [--table]\n"
    "\n"
    "Fit constants of the scenario's model to the Mexican-born population in\n"
    "the US and to remittances (DATA.csv as in data/). Default --fit:\n"
    "emigration_base_rate,unemployment_sensitivity,enforcement_elasticity,\n"
    "remittance_propensity,recorded_share_before_break\n";

static const char default_fit[] =
    "emigration_base_rate,unemployment_sensitivity,enforcement_elasticity,"
    "remittance_propensity,recorded_share_before_break";

typedef struct fit_ctx {
    migdev_run *run;
    const mexfit_data *data;
    int first, last;
    int n_params;
    int var[MAX_PARAMS];
    const char *name[MAX_PARAMS];
    double resid[2 * MEXFIT_MAX_YEARS];
    int n_resid;
    mexfit_stats remit, stock;
    char msg[512];
} fit_ctx;

/* Run with parameters exp(x) and score. Returns 0, or -1 with ctx->msg. */
static int evaluate(fit_ctx *c, const gsl_vector *x)
{
    migdev_error err;
    migdev_error_clear(&err);
    for (int k = 0; k < c->n_params; k++)
        migdev_run_set_constant(c->run, c->var[k], exp(gsl_vector_get(x, (size_t)k)), NULL);
    if (migdev_run_execute(c->run, &err) != 0) {
        migdev_error_format(&err, c->msg, sizeof c->msg);
        return -1;
    }
    return mexfit_compare(c->run, c->data, c->first, c->last, c->resid, &c->n_resid, &c->remit,
                          &c->stock, c->msg, sizeof c->msg);
}

static int residuals(const gsl_vector *x, void *params, gsl_vector *f)
{
    fit_ctx *c = params;
    if (evaluate(c, x) != 0)
        return GSL_EBADFUNC;
    for (int i = 0; i < c->n_resid; i++)
        gsl_vector_set(f, (size_t)i, c->resid[i]);
    return GSL_SUCCESS;
}

static void print_table(const fit_ctx *c)
{
    const migdev_model *m = migdev_run_model(c->run);
    const double *sr = migdev_run_series(c->run, migdev_model_find(m, MEXFIT_REMITTANCES));
    const double *sm = migdev_run_series(c->run, migdev_model_find(m, MEXFIT_MEX_BORN));
    const double *t = migdev_run_times(c->run);
    const size_t ns = migdev_run_n_saves(c->run);
    printf("\nyear  remittances bn USD (data, model)   Mexican-born M (data, model)\n");
    for (int i = 0; i < c->data->n; i++) {
        const int y = c->data->year[i];
        if (y < c->first || y > c->last)
            continue;
        for (size_t k = 0; k < ns; k++)
            if (fabs(t[k] - y) < 1e-6)
                printf("%d  %8.3f %8.3f          %7.3f %7.3f\n", y, c->data->remittances[i] / 1e9,
                       sr[k] / 1e9, c->data->mex_born[i] / 1e6, sm[k] / 1e6);
    }
}

int main(int argc, char **argv)
{
    migdev_global_init();
    const char *scenario = NULL, *csv = NULL, *fit = default_fit;
    int first = 1980, last = 2014, table = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--fit") && i + 1 < argc)
            fit = argv[++i];
        else if (!strcmp(argv[i], "--from") && i + 1 < argc)
            first = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--to") && i + 1 < argc)
            last = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--table"))
            table = 1;
        else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(usage, stdout);
            return 0;
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "calibrate_mexico: unknown option '%s'\n%s", argv[i], usage);
            return 2;
        } else if (!scenario)
            scenario = argv[i];
        else if (!csv)
            csv = argv[i];
        else {
            fputs(usage, stderr);
            return 2;
        }
    }
    if (!scenario || !csv || last <= first) {
        fputs(usage, stderr);
        return 2;
    }

    static fit_ctx c;
    static mexfit_data data;
    char line[600];
    if (mexfit_read(csv, &data, line, sizeof line) != 0) {
        fprintf(stderr, "%s\n", line);
        return 1;
    }
    migdev_error err;
    migdev_error_clear(&err);
    migdev_scenario *s = migdev_scenario_load(scenario, &err);
    if (!s) {
        fprintf(stderr, "%s\n", migdev_error_format(&err, line, sizeof line));
        return 1;
    }
    const migdev_model *m = migdev_scenario_model(s);
    c.data = &data;
    c.first = first;
    c.last = last;
    c.run = migdev_scenario_new_run(s, &err);
    int status = 1;
    gsl_vector *x = NULL;
    gsl_multifit_nlinear_workspace *w = NULL;
    gsl_matrix *covar = NULL;
    char *names = strdup(fit);
    if (!c.run) {
        fprintf(stderr, "%s\n", migdev_error_format(&err, line, sizeof line));
        goto done;
    }
    const int rec[2] = {migdev_model_find(m, MEXFIT_REMITTANCES), migdev_model_find(m, MEXFIT_MEX_BORN)};
    if (rec[0] < 0 || rec[1] < 0 || migdev_run_record(c.run, rec, 2, &err) != 0) {
        fprintf(stderr, "calibrate_mexico: the model lacks %s or %s\n", MEXFIT_REMITTANCES,
                MEXFIT_MEX_BORN);
        goto done;
    }
    for (char *tok = strtok(names, ","); tok; tok = strtok(NULL, ",")) {
        const int v = migdev_model_find(m, tok);
        migdev_var_info info;
        if (v < 0 || migdev_model_var(m, v, &info) != 0 || info.kind != MIGDEV_CONSTANT) {
            fprintf(stderr, "calibrate_mexico: '%s' is not a constant of the model\n", tok);
            status = 2;
            goto done;
        }
        if (c.n_params == MAX_PARAMS) {
            fprintf(stderr, "calibrate_mexico: at most %d parameters\n", MAX_PARAMS);
            status = 2;
            goto done;
        }
        c.var[c.n_params] = v;
        c.name[c.n_params] = info.name;
        c.n_params++;
    }
    const size_t p = (size_t)c.n_params;
    x = gsl_vector_alloc(p);
    for (size_t k = 0; k < p; k++) {
        const double v0 = migdev_run_constant(c.run, c.var[k]);
        if (!(v0 > 0)) {
            fprintf(stderr, "calibrate_mexico: '%s' must start positive\n", c.name[k]);
            goto done;
        }
        gsl_vector_set(x, k, log(v0));
    }
    if (evaluate(&c, x) != 0) {
        fprintf(stderr, "calibrate_mexico: %s\n", c.msg);
        goto done;
    }
    printf("start: remittances RMSE %.3f bn USD, MAPE %.2f %% (%d years); "
           "migrant stock RMSE %.3f M, MAPE %.2f %% (%d points)\n",
           c.remit.rmse / 1e9, c.remit.mape, c.remit.n, c.stock.rmse / 1e6, c.stock.mape, c.stock.n);
    const size_t n = (size_t)c.n_resid;
    if (n <= p) {
        fprintf(stderr, "calibrate_mexico: %zu data points for %zu parameters\n", n, p);
        goto done;
    }

    gsl_multifit_nlinear_fdf fdf = {residuals, NULL, NULL, n, p, &c, 0, 0, 0};
    gsl_multifit_nlinear_parameters fp = gsl_multifit_nlinear_default_parameters();
    w = gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &fp, n, p);
    gsl_multifit_nlinear_init(x, &fdf, w);
    int info = 0;
    const int rc = gsl_multifit_nlinear_driver(200, 1e-8, 1e-8, 1e-10, NULL, NULL, &info, w);
    if (rc != GSL_SUCCESS)
        fprintf(stderr, "calibrate_mexico: the fit stopped: %s\n", gsl_strerror(rc));
    const gsl_vector *xf = gsl_multifit_nlinear_position(w);
    covar = gsl_matrix_alloc(p, p);
    gsl_multifit_nlinear_covar(gsl_multifit_nlinear_jac(w), 0.0, covar);
    const gsl_vector *f = gsl_multifit_nlinear_residual(w);
    double chi2;
    gsl_blas_ddot(f, f, &chi2);
    const double scale = sqrt(chi2 / (double)(n - p));
    if (evaluate(&c, xf) != 0) {
        fprintf(stderr, "calibrate_mexico: %s\n", c.msg);
        goto done;
    }
    printf("fit: %zu iterations, %s\n", gsl_multifit_nlinear_niter(w),
           info == 1 ? "small step" : info == 2 ? "small gradient" : "stopped");
    printf("\n%-38s %14s %14s\n", "parameter", "value", "std. error");
    for (size_t k = 0; k < p; k++) {
        const double v = exp(gsl_vector_get(xf, k));
        const double se = v * scale * sqrt(gsl_matrix_get(covar, k, k)); /* delta method */
        printf("%-38s %14.6g %14.3g\n", c.name[k], v, se);
    }
    printf("\nremittances (%d years %d-%d): RMSE %.3f bn USD, MAPE %.2f %%\n", c.remit.n, first,
           last, c.remit.rmse / 1e9, c.remit.mape);
    printf("migrant stock (%d census/ACS points %d-%d): RMSE %.3f M, MAPE %.2f %%\n", c.stock.n,
           first + 1, last, c.stock.rmse / 1e6, c.stock.mape);
    if (table)
        print_table(&c);
    status = rc == GSL_SUCCESS ? 0 : 3;
done:
    free(names);
    gsl_matrix_free(covar);
    gsl_multifit_nlinear_free(w);
    gsl_vector_free(x);
    migdev_run_free(c.run);
    migdev_scenario_free(s);
    return status;
}
