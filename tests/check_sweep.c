/*
** check_sweep.c - parameter sweeps: designs, distributions, metrics,
** bands, sensitivity, the command (threads, resume, interruption) and its
** errors.
**
** Expected values come from outside the code under test: stratum counts
** for Latin hypercubes, combinatorics for grids, textbook moments of the
** distributions (with statistical bounds for a fixed seed), the published
** SplitMix64 test vector, closed-form trajectories of a ramp model, and
** hand-computed quantiles.
*/
#include "testutil.h"

#include "sweep/sweep_int.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* x(t) = rate * t exactly (Euler on a constant inflow); y = a + 0.1 b; z = a t. */
static const char ramp_model[] =
    "name = \"ramp\";\n"
    "time = { start = 0.0; stop = 10.0; dt = 0.5; save_every = 1.0; units = \"year\"; };\n"
    "constants = ( { name = \"rate\"; value = 2.0; }, { name = \"a\"; value = 0.5; },\n"
    "              { name = \"b\"; value = 0.5; }, { name = \"c\"; value = 0.5; },\n"
    "              { name = \"d\"; value = 0.5; } );\n"
    "stocks = ( { name = \"x\"; init = 0.0; inflows = [\"growth\"]; } );\n"
    "flows = ( { name = \"growth\"; equation = \"rate\"; } );\n"
    "auxiliaries = ( { name = \"y\"; equation = \"a + 0.1 * b\"; },\n"
    "                { name = \"w\"; equation = \"-3 * c\"; },\n"
    "                { name = \"q\"; equation = \"ln(d)\"; },\n"
    "                { name = \"v\"; equation = \"sin(time)\"; },\n"
    "                { name = \"noise\"; equation = \"random_uniform(0, 1)\"; },\n"
    "                { name = \"z\"; equation = \"a * time\"; } );\n";

/* Write name = text into dir; returns the path (owned). */
static char *put(const char *dir, const char *name, const char *text)
{
    char *p = malloc(strlen(dir) + strlen(name) + 2);
    sprintf(p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    ck_assert_msg(f != NULL, "cannot write %s", p);
    fputs(text, f);
    fclose(f);
    return p;
}

/* A scenario on the ramp model with this sweep section, in a fresh folder. */
static char *ramp_scenario(const char *sweep, char **dir_out)
{
    char *dir = tmp_dir();
    free(put(dir, "ramp.cfg", ramp_model));
    char *text = malloc(strlen(sweep) + 200);
    sprintf(text, "name = \"ramp sweep\";\nmodel = \"ramp.cfg\";\n%s", sweep);
    char *p = put(dir, "sweep.cfg", text);
    free(text);
    if (dir_out)
        *dir_out = dir;
    else
        free(dir);
    return p;
}

typedef struct loaded {
    migdev_scenario *sc;
    migdev_sweep *sw;
} loaded;

static loaded load_sweep(const char *sweep)
{
    char *path = ramp_scenario(sweep, NULL);
    migdev_error err;
    migdev_error_clear(&err);
    loaded l;
    l.sc = migdev_scenario_load(path, &err);
    ck_assert_msg(l.sc != NULL, "%s", err.message);
    l.sw = migdev_sweep_load(l.sc, &err);
    ck_assert_msg(l.sw != NULL, "%s", err.message);
    char buf[1200];
    ck_assert_msg(migdev_sweep_prepare(l.sw, &err) == 0, "%s",
                  migdev_error_format(&err, buf, sizeof buf));
    free(path);
    return l;
}

static void unload(loaded *l)
{
    migdev_sweep_free(l->sw);
    migdev_scenario_free(l->sc);
}

/* Formatted error of a sweep section that must fail (owned). */
static char *sweep_error(const char *sweep)
{
    char *path = ramp_scenario(sweep, NULL);
    migdev_error err;
    migdev_error_clear(&err);
    migdev_scenario *sc = migdev_scenario_load(path, &err);
    ck_assert_msg(sc != NULL, "%s", err.message);
    migdev_sweep *sw = migdev_sweep_load(sc, &err);
    int failed = sw == NULL;
    if (sw)
        failed = migdev_sweep_prepare(sw, &err) != 0;
    ck_assert_msg(failed, "the sweep was accepted:\n%s", sweep);
    char buf[1200];
    migdev_error_format(&err, buf, sizeof buf);
    /* drop the folder: keep "sweep.cfg:line:col: ..." */
    const char *b = strstr(buf, "sweep.cfg");
    char *out = strdup(b ? b : buf);
    migdev_sweep_free(sw);
    migdev_scenario_free(sc);
    free(path);
    return out;
}

typedef struct row_ctx {
    const migdev_sweep *sw;
    FILE *f;
} row_ctx;

static int row_result(void *ctx, const migdev_sweep_result *r)
{
    row_ctx *c = ctx;
    migdev_sweep_write_row(c->sw, c->f, r, NULL);
    return 0;
}

/* ---- designs ---- */

START_TEST(lhs_one_sample_per_stratum)
{
    /* 997 runs, 4 parameters of different distributions: for each
       parameter, the strata floor(u * N) of the runs are 0..N-1, each once;
       and the values fall in their stratum of the distribution. */
    loaded l = load_sweep(
        "sweep = { design = \"lhs\"; runs = 997; seed = 12345;\n"
        "  parameters = ( { name = \"a\"; distribution = \"uniform\"; min = 0.0; max = 1.0; },\n"
        "                 { name = \"b\"; distribution = \"uniform\"; min = -5.0; max = 15.0; },\n"
        "                 { name = \"c\"; distribution = \"triangular\"; min = 0.0; mode = 0.0; max = 1.0; },\n"
        "                 { name = \"d\"; values = [1.0, 2.0] } ); };\n");
    const long n = 997;
    ck_assert_int_eq(migdev_sweep_n_runs(l.sw), n);
    migdev_error err;
    migdev_sampler *sp = migdev_sampler_new(l.sw, &err);
    int *seen = calloc((size_t)(4 * n), sizeof *seen);
    for (long i = 0; i < n; i++) {
        double v[4], u[4];
        ck_assert_int_eq(migdev_sampler_get_u(sp, i, v, u), 0);
        /* stratum from the value itself, through each distribution's CDF */
        const double cdf[3] = {v[0], (v[1] + 5.0) / 20.0, 1.0 - (1.0 - v[2]) * (1.0 - v[2])};
        for (int k = 0; k < 3; k++) {
            const long s = (long)floor(cdf[k] * (double)n);
            ck_assert_msg(s >= 0 && s < n, "stratum out of range");
            seen[k * n + s]++;
            ck_assert_double_eq_tol(u[k], cdf[k], 1e-9);
        }
        const long s3 = (long)floor(u[3] * (double)n);
        seen[3 * n + s3]++;
        /* a list of two values: the lower half of the strata get the first */
        ck_assert_double_eq(v[3], u[3] < 0.5 ? 1.0 : 2.0);
    }
    for (int k = 0; k < 4; k++)
        for (long s = 0; s < n; s++)
            ck_assert_msg(seen[k * n + s] == 1, "parameter %d: stratum %ld has %d samples", k, s,
                          seen[k * n + s]);
    free(seen);
    migdev_sampler_free(sp);
    unload(&l);
}
END_TEST

START_TEST(lhs_depends_on_seed)
{
    loaded l1 = load_sweep("sweep = { design = \"lhs\"; runs = 50; seed = 1;\n"
                           "  parameters = ( { name = \"a\"; distribution = \"uniform\"; min = 0.0; max = 1.0; } ); };\n");
    loaded l2 = load_sweep("sweep = { design = \"lhs\"; runs = 50; seed = 2;\n"
                           "  parameters = ( { name = \"a\"; distribution = \"uniform\"; min = 0.0; max = 1.0; } ); };\n");
    migdev_sampler *s1 = migdev_sampler_new(l1.sw, NULL), *s2 = migdev_sampler_new(l2.sw, NULL);
    int differ = 0;
    for (long i = 0; i < 50; i++) {
        double a, b;
        migdev_sampler_get(s1, i, &a);
        migdev_sampler_get(s2, i, &b);
        differ += a != b;
    }
    ck_assert_int_gt(differ, 40);
    migdev_sampler_free(s1);
    migdev_sampler_free(s2);
    unload(&l1);
    unload(&l2);
}
END_TEST

START_TEST(grid_full_factorial)
{
    /* 3 values x 5 (range 0..1 step 0.25) x 4 levels = 60 runs, every
       combination once, the first parameter varying slowest */
    loaded l = load_sweep(
        "sweep = { parameters = (\n"
        "  { name = \"a\"; values = [1.0, 2.0, 3.0]; },\n"
        "  { name = \"b\"; from = 0.0; to = 1.0; step = 0.25; },\n"
        "  { name = \"c\"; distribution = \"uniform\"; min = 0.0; max = 8.0; levels = 4; } ); };\n");
    ck_assert_int_eq(migdev_sweep_design(l.sw), MIGDEV_GRID);
    ck_assert_int_eq(migdev_sweep_n_runs(l.sw), 60);
    migdev_sampler *sp = migdev_sampler_new(l.sw, NULL);
    int seen[3][5][4];
    memset(seen, 0, sizeof seen);
    for (long i = 0; i < 60; i++) {
        double v[3];
        ck_assert_int_eq(migdev_sampler_get(sp, i, v), 0);
        const int ia = (int)v[0] - 1, ib = (int)(v[1] * 4.0 + 0.5);
        /* uniform(0,8) at level centres 1/8, 3/8, 5/8, 7/8: 1, 3, 5, 7 */
        const int ic = (int)((v[2] - 1.0) / 2.0 + 0.5);
        ck_assert_double_eq_tol(v[2], 1.0 + 2.0 * ic, 1e-12);
        ck_assert_int_eq(ia, (int)(i / 20));
        ck_assert_int_eq(ib, (int)(i / 4 % 5));
        ck_assert_int_eq(ic, (int)(i % 4));
        seen[ia][ib][ic]++;
    }
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 5; b++)
            for (int c = 0; c < 4; c++)
                ck_assert_int_eq(seen[a][b][c], 1);
    ck_assert_int_eq(migdev_sampler_get(sp, 60, (double[3]){0}), MIGDEV_E_USAGE);
    migdev_sampler_free(sp);
    unload(&l);
}
END_TEST

/* Mean and variance of samples x[0..n-1] against mu and var, each within 4
** standard errors (the variance's standard error from the sample's fourth
** central moment). */
static void check_moments(const char *what, const double *x, long n, double mu, double var)
{
    double m = 0.0;
    for (long i = 0; i < n; i++)
        m += x[i];
    m /= (double)n;
    double s2 = 0.0, m4 = 0.0;
    for (long i = 0; i < n; i++) {
        const double d = x[i] - m;
        s2 += d * d;
        m4 += d * d * d * d;
    }
    s2 /= (double)(n - 1);
    m4 /= (double)n;
    const double se_mean = sqrt(var / (double)n);
    const double se_var = sqrt((m4 - s2 * s2) / (double)n);
    ck_assert_msg(fabs(m - mu) < 4.0 * se_mean, "%s: mean %g, expected %g (+- %g)", what, m, mu,
                  4.0 * se_mean);
    ck_assert_msg(fabs(s2 - var) < 4.0 * se_var, "%s: variance %g, expected %g (+- %g)", what,
                  s2, var, 4.0 * se_var);
}

static double phi(double z) { return exp(-0.5 * z * z) / sqrt(2.0 * 3.14159265358979323846); }
static double Phi(double z) { return 0.5 * erfc(-z / sqrt(2.0)); }

static void distributions_for(const char *design)
{
    char text[2000];
    snprintf(text, sizeof text,
             "sweep = { design = \"%s\"; runs = 20000; seed = 2024;\n"
             "  parameters = (\n"
             "    { name = \"rate\"; distribution = \"uniform\"; min = 2.0; max = 5.0; },\n"
             "    { name = \"a\"; distribution = \"normal\"; mean = 10.0; sd = 2.0; },\n"
             "    { name = \"b\"; distribution = \"lognormal\"; mu = 0.3; sigma = 0.5; },\n"
             "    { name = \"c\"; distribution = \"triangular\"; min = 0.0; mode = 1.0; max = 4.0; },\n"
             "    { name = \"d\"; distribution = \"normal\"; mean = 0.0; sd = 1.0; min = -1.0; max = 2.0; } ); };\n",
             design);
    loaded l = load_sweep(text);
    const long n = 20000;
    double *x = malloc((size_t)(5 * n) * sizeof *x);
    migdev_sampler *sp = migdev_sampler_new(l.sw, NULL);
    for (long i = 0; i < n; i++) {
        double v[5];
        migdev_sampler_get(sp, i, v);
        for (int k = 0; k < 5; k++)
            x[k * n + i] = v[k];
        ck_assert(v[4] >= -1.0 && v[4] <= 2.0);
        ck_assert(v[0] >= 2.0 && v[0] <= 5.0);
        ck_assert(v[3] >= 0.0 && v[3] <= 4.0);
    }
    check_moments("uniform(2,5)", x, n, 3.5, 9.0 / 12.0);
    check_moments("normal(10,2)", x + n, n, 10.0, 4.0);
    const double s2 = 0.25;
    check_moments("lognormal(0.3,0.5)", x + 2 * n, n, exp(0.3 + s2 / 2.0),
                  (exp(s2) - 1.0) * exp(0.6 + s2));
    check_moments("triangular(0,1,4)", x + 3 * n, n, 5.0 / 3.0, (0.0 + 1.0 + 16.0 - 0.0 - 0.0 - 4.0) / 18.0);
    const double al = -1.0, be = 2.0, z = Phi(be) - Phi(al);
    const double tm = (phi(al) - phi(be)) / z;
    check_moments("normal(0,1) truncated to [-1,2]", x + 4 * n, n, tm,
                  1.0 + (al * phi(al) - be * phi(be)) / z - tm * tm);
    migdev_sampler_free(sp);
    free(x);
    unload(&l);
}

START_TEST(distribution_moments_random) { distributions_for("random"); }
END_TEST

START_TEST(distribution_moments_lhs) { distributions_for("lhs"); }
END_TEST

START_TEST(distribution_moments_sobol) { distributions_for("sobol"); }
END_TEST

START_TEST(sobol_is_low_discrepancy)
{
    /* 1024 Sobol' points of uniform(0,1): the mean of a smooth function is
       far closer than Monte Carlo's 1/sqrt(n) */
    loaded l = load_sweep("sweep = { design = \"sobol\"; runs = 1024;\n"
                          "  parameters = ( { name = \"a\"; distribution = \"uniform\"; min = 0.0; max = 1.0; },\n"
                          "                 { name = \"b\"; distribution = \"uniform\"; min = 0.0; max = 1.0; } ); };\n");
    migdev_sampler *sp = migdev_sampler_new(l.sw, NULL);
    double s = 0.0;
    for (long i = 0; i < 1024; i++) {
        double v[2];
        migdev_sampler_get(sp, i, v);
        s += v[0] * v[1];
    }
    ck_assert_double_eq_tol(s / 1024.0, 0.25, 2e-3);
    /* Sobol' points come in order: asking backwards is refused */
    double v[2];
    ck_assert_int_eq(migdev_sampler_get(sp, 3, v), MIGDEV_E_USAGE);
    migdev_sampler_free(sp);
    unload(&l);
}
END_TEST

START_TEST(streams_are_splitmix64)
{
    /* The published SplitMix64 test vector (seed 1234567): outputs are the
       finaliser of x += 0x9e3779b97f4a7c15. */
    const uint64_t g = 0x9e3779b97f4a7c15ULL;
    ck_assert(sweep_mix64(1234567ULL + g) == 6457827717110365317ULL);
    ck_assert(sweep_mix64(1234567ULL + 2 * g) == 3203168211198807973ULL);
    ck_assert(sweep_mix64(1234567ULL + 3 * g) == 9817491932198370423ULL);
    /* uniforms in (0,1), distinct across runs and positions */
    const double u0 = sweep_stream_u(7, 0, 0), u1 = sweep_stream_u(7, 1, 0),
                 u2 = sweep_stream_u(7, 0, 1);
    ck_assert(u0 > 0.0 && u0 < 1.0 && u0 != u1 && u0 != u2);
    ck_assert(sweep_stream_u(7, 5, 3) == sweep_stream_u(7, 5, 3));
}
END_TEST

/* ---- running through the library ---- */

typedef struct collect {
    double metrics[16];
    double params[8];
    int status;
    long n, last_run;
    int in_order;
    int n_metrics, n_params;
} collect;

static int collect_result(void *ctx, const migdev_sweep_result *r)
{
    collect *c = ctx;
    if (c->n == 0)
        c->in_order = 1;
    if (r->run != c->n)
        c->in_order = 0;
    memcpy(c->metrics, r->metrics, (size_t)c->n_metrics * sizeof(double));
    memcpy(c->params, r->params, (size_t)c->n_params * sizeof(double));
    c->status = r->status;
    c->last_run = r->run;
    c->n++;
    return 0;
}

static void execute_all(const migdev_sweep *sw, int threads, collect *c)
{
    migdev_sweep_exec x;
    memset(&x, 0, sizeof x);
    x.first = 0;
    x.end = migdev_sweep_n_runs(sw);
    x.n_parts = 1;
    x.n_threads = threads;
    x.on_result = collect_result;
    x.ctx = c;
    c->n_metrics = migdev_sweep_n_metrics(sw);
    c->n_params = migdev_sweep_n_params(sw);
    ck_assert(c->n_metrics <= 16 && c->n_params <= 8);
    migdev_error err;
    migdev_error_clear(&err);
    long done = 0;
    ck_assert_int_eq(migdev_sweep_execute(sw, &x, &done, &err), 0);
    ck_assert_int_eq(done, migdev_sweep_n_runs(sw));
}

/* ---- metrics ---- */

START_TEST(last_crossing_of_a_sine)
{
    /* v = sin(t) saved at t = 0..10 */
    loaded l = load_sweep(
        "sweep = { parameters = ( { name = \"rate\"; values = [2.0]; } );\n"
        "  metrics = ( { name = \"first_up\"; variable = \"v\"; stat = \"crossing\"; threshold = 0.0; direction = \"up\"; },\n"
        "              { name = \"last_up\"; variable = \"v\"; stat = \"last_crossing\"; threshold = 0.0; direction = \"up\"; },\n"
        "              { name = \"last_down\"; variable = \"v\"; stat = \"last_crossing\"; threshold = 0.0; direction = \"down\"; },\n"
        "              { name = \"last_any\"; variable = \"v\"; stat = \"last_crossing\"; threshold = 0.0; },\n"
        "              { name = \"x_stays\"; variable = \"x\"; stat = \"last_crossing\"; threshold = 5.0; direction = \"up\"; } ); };\n");
    collect c;
    memset(&c, 0, sizeof c);
    execute_all(l.sw, 1, &c);
    /* by hand: sin goes up through 0 between 6 and 7 (first save-time
       crossing: sin(0) = 0 does not count, sin(3) > 0 > sin(4)); it goes
       down through 0 between 9 and 10 and ends negative */
    const double up = 6.0 + (0.0 - sin(6.0)) / (sin(7.0) - sin(6.0));
    const double down = 9.0 + (0.0 - sin(9.0)) / (sin(10.0) - sin(9.0));
    ck_assert_double_eq_tol(c.metrics[0], up, 1e-12);
    ck_assert_msg(isnan(c.metrics[1]), "last up-crossing of a sine that ends negative: %g", c.metrics[1]);
    ck_assert_double_eq_tol(c.metrics[2], down, 1e-12);
    ck_assert_double_eq_tol(c.metrics[3], down, 1e-12);
    ck_assert_double_eq_tol(c.metrics[4], 2.5, 1e-12);
    unload(&l);
}
END_TEST

START_TEST(model_noise_differs_by_run)
{
    /* the same parameter value in every run: only the model's random
       functions tell the runs apart, and they must (each run has its own
       seed), the same way on one or two threads */
    loaded l = load_sweep("sweep = { parameters = ( { name = \"a\"; values = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0]; } );\n"
                          "  metrics = ( { variable = \"noise\"; stat = \"mean\"; } ); };\n");
    char *out1 = NULL, *out2 = NULL;
    size_t n1 = 0, n2 = 0;
    for (int t = 1; t <= 2; t++) {
        FILE *f = open_memstream(t == 1 ? &out1 : &out2, t == 1 ? &n1 : &n2);
        row_ctx rc = {l.sw, f};
        migdev_sweep_exec x;
        memset(&x, 0, sizeof x);
        x.end = 6;
        x.n_parts = 1;
        x.n_threads = t;
        x.on_result = row_result;
        x.ctx = &rc;
        ck_assert_int_eq(migdev_sweep_execute(l.sw, &x, NULL, NULL), 0);
        fclose(f);
    }
    ck_assert_str_eq(out1, out2);
    /* six different means of eleven uniform draws */
    double m[6];
    const char *p = out1;
    for (int i = 0; i < 6; i++) {
        p = strchr(p, ',') + 1; /* a */
        p = strchr(p, ',') + 1; /* the mean of the noise */
        m[i] = strtod(p, NULL);
        ck_assert(m[i] > 0.0 && m[i] < 1.0);
        p = strchr(p, '\n') + 1;
    }
    for (int i = 0; i < 6; i++)
        for (int j = i + 1; j < 6; j++)
            ck_assert_msg(m[i] != m[j], "runs %d and %d drew the same noise", i, j);
    free(out1);
    free(out2);
    unload(&l);
}
END_TEST

START_TEST(metrics_of_a_ramp)
{
    /* x = 2t, saved at t = 0..10 */
    loaded l = load_sweep(
        "sweep = { parameters = ( { name = \"rate\"; values = [2.0]; } );\n"
        "  metrics = ( { variable = \"x\"; stat = \"final\"; },\n"
        "              { variable = \"x\"; stat = \"min\"; },\n"
        "              { variable = \"w\"; stat = \"max\"; },\n"
        "              { variable = \"x\"; stat = \"mean\"; },\n"
        "              { variable = \"x\"; stat = \"at\"; time = 3.5; },\n"
        "              { variable = \"x\"; stat = \"at\"; time = 4.0; },\n"
        "              { name = \"up5\"; variable = \"x\"; stat = \"crossing\"; threshold = 5.0; direction = \"up\"; },\n"
        "              { name = \"down5\"; variable = \"x\"; stat = \"crossing\"; threshold = 5.0; direction = \"down\"; },\n"
        "              { name = \"either6\"; variable = \"x\"; stat = \"crossing\"; threshold = 6.0; },\n"
        "              { name = \"start\"; variable = \"x\"; stat = \"crossing\"; threshold = -1.0; } ); };\n");
    static const char *const names[] = {"final_x", "min_x", "max_w", "mean_x", "x_at_3.5",
                                        "x_at_4", "up5", "down5", "either6", "start"};
    for (int i = 0; i < 10; i++)
        ck_assert_str_eq(migdev_sweep_metric_name(l.sw, i), names[i]);
    collect c;
    memset(&c, 0, sizeof c);
    execute_all(l.sw, 1, &c);
    ck_assert_int_eq(c.n, 1);
    ck_assert_int_eq(c.status, MIGDEV_OK);
    /* by hand: x(t) = 2t at t = 0..10; w = -3 * 0.5 */
    const double want[10] = {20.0, 0.0, -1.5, 10.0, 7.0, 8.0, 2.5, NAN, 3.0, NAN};
    for (int i = 0; i < 10; i++) {
        if (isnan(want[i]))
            ck_assert_msg(isnan(c.metrics[i]), "%s: expected empty, got %g", names[i], c.metrics[i]);
        else
            ck_assert_msg(fabs(c.metrics[i] - want[i]) < 1e-12, "%s: expected %g, got %g", names[i],
                          want[i], c.metrics[i]);
    }
    unload(&l);
}
END_TEST

/* ---- bands ---- */

typedef struct band_ctx {
    migdev_bands *b;
} band_ctx;

static int band_result(void *ctx, const migdev_sweep_result *r)
{
    migdev_bands_add(((band_ctx *)ctx)->b, r);
    return 0;
}

static migdev_bands *bands_of(const migdev_sweep *sw, int threads)
{
    migdev_error err;
    migdev_error_clear(&err);
    band_ctx c = {migdev_bands_new(sw, &err)};
    ck_assert_ptr_nonnull(c.b);
    migdev_sweep_exec x;
    memset(&x, 0, sizeof x);
    x.end = migdev_sweep_n_runs(sw);
    x.n_parts = 1;
    x.n_threads = threads;
    x.on_result = band_result;
    x.ctx = &c;
    ck_assert_int_eq(migdev_sweep_execute(sw, &x, NULL, &err), 0);
    return c.b;
}

START_TEST(bands_exact_with_few_runs)
{
    /* z = a * t with a = 1..5: at time t the sample is t * {1,2,3,4,5}, whose
       type-7 quantiles are t * (1.2, 2, 3, 4, 4.8) */
    loaded l = load_sweep("sweep = { parameters = ( { name = \"a\"; values = [3.0, 1.0, 5.0, 2.0, 4.0]; } );\n"
                          "  bands = { variables = [\"z\"]; file = \"b.csv\"; }; };\n");
    migdev_bands *b = bands_of(l.sw, 2);
    ck_assert_int_eq(migdev_bands_count(b), 5);
    size_t n;
    const double *t = migdev_bands_times(b, &n);
    ck_assert_int_eq((int)n, 11);
    const double want[5] = {1.2, 2.0, 3.0, 4.0, 4.8};
    for (size_t j = 0; j < n; j++) {
        double q[5];
        migdev_bands_get(b, 0, j, q);
        for (int i = 0; i < 5; i++)
            ck_assert_double_eq_tol(q[i], want[i] * t[j], 1e-12);
    }
    migdev_bands_free(b);
    unload(&l);
}
END_TEST

START_TEST(bands_p2_accuracy)
{
    /* 20,000 Latin-hypercube runs, a ~ uniform(0,1): z(t) = a t is uniform on
       [0, t], quantile p is p t. The P-squared estimates (used beyond 1,000
       runs) must be within 1 % of the range. */
    loaded l = load_sweep("sweep = { design = \"lhs\"; runs = 20000; seed = 5;\n"
                          "  parameters = ( { name = \"a\"; distribution = \"uniform\"; min = 0.0; max = 1.0; } );\n"
                          "  bands = { variables = [\"z\"]; file = \"b.csv\"; }; };\n");
    migdev_bands *b = bands_of(l.sw, 2);
    size_t n;
    const double *t = migdev_bands_times(b, &n);
    double worst = 0.0;
    for (size_t j = 1; j < n; j++) {
        double q[5];
        migdev_bands_get(b, 0, j, q);
        for (int i = 0; i < 5; i++) {
            const double e = fabs(q[i] - migdev_band_levels[i] * t[j]) / t[j];
            worst = e > worst ? e : worst;
        }
    }
    ck_assert_msg(worst < 0.01, "worst relative error %g", worst);
    migdev_bands_free(b);
    unload(&l);
}
END_TEST

/* ---- sensitivity ---- */

START_TEST(sensitivity_of_known_models)
{
    /* final y = a + 0.1 b (c has no effect); final w = -3 c. With a, b, c
       independent uniforms, the first-order indices of y are
       Var(a) / (Var(a) + 0.01 Var(b)) = 1/1.01 for a and 0.01/1.01 for b. */
    loaded l = load_sweep(
        "sweep = { design = \"random\"; runs = 4000; seed = 11;\n"
        "  parameters = ( { name = \"a\"; distribution = \"uniform\"; min = 0.0; max = 1.0; },\n"
        "                 { name = \"b\"; distribution = \"uniform\"; min = 0.0; max = 1.0; },\n"
        "                 { name = \"c\"; distribution = \"uniform\"; min = 0.0; max = 1.0; } );\n"
        "  metrics = ( { variable = \"y\"; stat = \"final\"; }, { variable = \"w\"; stat = \"final\"; } ); };\n");
    FILE *f = tmpfile();
    migdev_error err;
    migdev_error_clear(&err);
    migdev_sweep_write_header(l.sw, f, &err);
    row_ctx rc = {l.sw, f};
    migdev_sweep_exec x;
    memset(&x, 0, sizeof x);
    x.end = 4000;
    x.n_parts = 1;
    x.n_threads = 2;
    x.on_result = row_result;
    x.ctx = &rc;
    ck_assert_int_eq(migdev_sweep_execute(l.sw, &x, NULL, &err), 0);
    rewind(f);
    migdev_sensitivity *s = migdev_sensitivity_compute(l.sw, f, "mem", &err);
    ck_assert_ptr_nonnull(s);
    double pr, p, s1;
    long used;
    const double bound = 4.0 / sqrt(4000.0);
    migdev_sensitivity_get(s, 0, 0, &pr, &p, &s1, &used);
    ck_assert_int_eq(used, 4000);
    ck_assert_msg(pr > 0.99, "PRCC(a) = %g", pr);
    ck_assert_msg(p < 1e-10, "p(a) = %g", p);
    ck_assert_msg(fabs(s1 - 1.0 / 1.01) < 0.03, "S1(a) = %g", s1);
    migdev_sensitivity_get(s, 0, 1, &pr, &p, &s1, NULL);
    ck_assert_msg(pr > 0.5, "PRCC(b) = %g", pr);
    ck_assert_msg(fabs(s1 - 0.01 / 1.01) < 0.03, "S1(b) = %g", s1);
    migdev_sensitivity_get(s, 0, 2, &pr, &p, &s1, NULL);
    ck_assert_msg(fabs(pr) < bound, "PRCC(c) = %g for a parameter without effect", pr);
    ck_assert_msg(p > 1e-4, "p(c) = %g", p);
    ck_assert_msg(s1 < 0.03, "S1(c) = %g", s1);
    migdev_sensitivity_get(s, 1, 2, &pr, &p, &s1, NULL);
    ck_assert_msg(pr < -0.999, "PRCC(c) on w = -3c: %g", pr);
    ck_assert_msg(s1 > 0.97, "S1(c) on w: %g", s1);
    /* the table ranks a, b, c for y and c first for w */
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    migdev_sensitivity_print(s, m);
    fclose(m);
    const char *ty = strstr(buf, "final_y"), *tw = strstr(buf, "final_w");
    ck_assert_ptr_nonnull(ty);
    ck_assert_ptr_nonnull(tw);
    const char *la = strstr(ty, "\n  a "), *lb = strstr(ty, "\n  b "), *lc = strstr(ty, "\n  c ");
    ck_assert(la && lb && lc && la < lb && lb < lc && lc < tw);
    const char *wc = strstr(tw, "\n  c "), *wa = strstr(tw, "\n  a ");
    ck_assert(wc && wa && wc < wa);
    free(buf);
    migdev_sensitivity_free(s);
    fclose(f);
    unload(&l);
}
END_TEST

/* A summary written by hand, checked against hand-computed ranks: ties
** share their average rank, runs without a metric's value (and failed
** runs) leave that metric's analysis, and the rest are ranked among
** themselves. With one parameter the PRCC is Spearman's rho of the ranks,
** and with n - 2 = 2 degrees of freedom the p-value of t = r sqrt(2 / (1 -
** r^2)) is 1 - |t| / sqrt(t^2 + 2) = 1 - |r| (Student's t, 2 df, in
** closed form). */
START_TEST(sensitivity_of_a_hand_computed_summary)
{
    loaded l = load_sweep(
        "sweep = { design = \"random\"; runs = 6; seed = 1;\n"
        "  parameters = ( { name = \"a\"; distribution = \"uniform\"; min = 0.0; max = 10.0; } );\n"
        "  metrics = ( { variable = \"y\"; stat = \"final\"; }, { variable = \"w\"; stat = \"final\"; } ); };\n");
    FILE *f = tmpfile();
    migdev_error err;
    migdev_error_clear(&err);
    ck_assert_int_eq(migdev_sweep_write_header(l.sw, f, &err), 0);
    fputs("0,1,10,,ok\n"       /* y only */
          "1,2,30,5,ok\n"
          "2,2,20,6,ok\n"      /* a tie in a with run 1 */
          "3,3,40,7,ok\n"
          "4,9,99,9,failed\n"  /* not analysed */
          "5,0.5,,8,ok\n",     /* w only */
          f);
    rewind(f);
    migdev_sensitivity *s = migdev_sensitivity_compute(l.sw, f, "mem", &err);
    ck_assert_ptr_nonnull(s);
    double pr, p, s1;
    long used;
    /* y over runs 0-3: ranks of a 1, 2.5, 2.5, 4; of y 1, 3, 2, 4; deviations
       from 2.5: (-1.5, 0, 0, 1.5) and (-1.5, 0.5, -0.5, 1.5), so
       rho = 4.5 / sqrt(4.5 * 5) = sqrt(0.9). S1: 2 bins by rank of a, {10, 30,
       20} and {40}, mean 25: SS_total 500, SS_between 3 * 5^2 + 15^2 = 300,
       S1 = (300 - (2 - 1) * 200 / (4 - 2)) / 500 = 0.4. */
    migdev_sensitivity_get(s, 0, 0, &pr, &p, &s1, &used);
    ck_assert_int_eq(used, 4);
    ck_assert_double_eq_tol(pr, sqrt(0.9), 1e-14);
    ck_assert_double_eq_tol(p, 1.0 - sqrt(0.9), 1e-10);
    ck_assert_double_eq_tol(s1, 0.4, 1e-14);
    /* w over runs 1, 2, 3, 5: ranks of a among these 2.5, 2.5, 4, 1; of w
       1, 2, 3, 4: rho = (0 + 0 + 0.75 - 2.25) / sqrt(4.5 * 5) = -1 / sqrt(10).
       S1: bins {5, 6, 8} and {7}, mean 6.5: SS_between 3 / 36 + 1 / 4 = 1/3,
       SS_total 5, (1/3 - (14/3) / 2) / 5 < 0, clamped to 0. */
    migdev_sensitivity_get(s, 1, 0, &pr, &p, &s1, &used);
    ck_assert_int_eq(used, 4);
    ck_assert_double_eq_tol(pr, -1.0 / sqrt(10.0), 1e-14);
    ck_assert_double_eq_tol(p, 1.0 - 1.0 / sqrt(10.0), 1e-10);
    ck_assert_double_eq(s1, 0.0);
    migdev_sensitivity_free(s);
    fclose(f);
    unload(&l);
}
END_TEST

START_TEST(failed_runs_are_rows)
{
    /* q = ln(d): d = -1 makes the run fail at the start */
    loaded l = load_sweep("sweep = { parameters = ( { name = \"d\"; values = [1.0, -1.0]; } );\n"
                          "  metrics = ( { variable = \"x\"; stat = \"final\"; } ); };\n");
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    migdev_sweep_write_header(l.sw, f, NULL);
    row_ctx rc = {l.sw, f};
    migdev_sweep_exec x;
    memset(&x, 0, sizeof x);
    x.end = 2;
    x.n_parts = 1;
    x.n_threads = 1;
    x.on_result = row_result;
    x.ctx = &rc;
    ck_assert_int_eq(migdev_sweep_execute(l.sw, &x, NULL, NULL), 0);
    fclose(f);
    ck_assert_str_eq(buf, "run,d,final_x,status\n0,1,20,ok\n1,-1,,nonfinite\n");
    free(buf);
    unload(&l);
}
END_TEST


/* ---- errors in the sweep section ---- */

typedef struct bad_case {
    const char *sweep, *error;
} bad_case;

static const bad_case bad_cases[] = {
    {"sweep = { desing = \"lhs\"; };\n",
     "sweep.cfg:3:11: error: unknown field 'desing' in the sweep (did you mean 'design'?)"},
    {"sweep = { design = \"latin\"; };\n",
     "sweep.cfg:3:11: error: unknown design 'latin' (grid, lhs, random, sobol)"},
    {"sweep = {\n  parameters = ( { name = \"rte\"; values = [1.0]; } );\n};\n",
     "sweep.cfg:4:28: error: the model has no constant 'rte' (did you mean 'rate'?)"},
    {"sweep = {\n  parameters = ( { name = \"x\"; values = [1.0]; } );\n};\n",
     "sweep.cfg:4:28: error: 'x' is not a constant: only constants can be swept"},
    {"sweep = {\n  parameters = ( { name = \"a\"; distribution = \"uniform\"; min = 2.0; max = 1.0; } );\n};\n",
     "sweep.cfg:4:69: error: max (1) must be greater than min (2)"},
    {"sweep = { design = \"lhs\";\n  parameters = ( { name = \"a\"; values = [1.0]; } ); };\n",
     "sweep.cfg:3:1: error: the lhs design needs the number of runs (runs = N; or --runs N)"},
    {"sweep = { design = \"grid\";\n  parameters = ( { name = \"a\"; distribution = \"uniform\"; min = 0.0; max = 1.0; } ); };\n",
     "sweep.cfg:4:28: error: a grid needs values, a range or 'levels' for 'a' (or use the lhs, random or sobol design)"},
    {"sweep = {\n  parameters = ( { name = \"a\"; values = [1.0]; } );\n"
     "  metrics = ( { variable = \"x\"; stat = \"at\"; time = 20.0; } );\n};\n",
     "sweep.cfg:5:46: error: metric 'x_at_20': time 20 is outside the run (0 to 10)"},
    {"sweep = {\n  parameters = ( { name = \"a\"; values = [1.0]; } );\n"
     "  metrics = ( { variable = \"x\"; stat = \"median\"; } );\n};\n",
     "sweep.cfg:5:33: error: unknown stat 'median' (final, min, max, mean, at, crossing, last_crossing)"},
    {"sweep = {\n  parameters = ( { name = \"a\"; distribution = \"normal\"; mean = 0.0; sd = 1.0; min = 40.0; max = 41.0; } );\n};\n",
     "sweep.cfg:4:79: error: parameter 'a': the bounds [40, 41] leave no probability to sample from"},
    {"sweep = {\n  parameters = ( { name = \"a\"; from = 0.0; to = 1.0; step = -0.1; } );\n};\n",
     "sweep.cfg:4:54: error: step -0.1 does not lead from 0 to 1"},
    {"sweep = { runs = 5;\n  parameters = ( { name = \"a\"; values = [1.0, 2.0]; } ); };\n",
     "sweep.cfg:3:11: error: the grid has 2 runs (every combination of the values), not 5: leave 'runs' out"},
    {"sweep = {\n  parameters = ( { name = \"a\"; values = [1.0]; },\n                 { name = \"a\"; values = [2.0]; } );\n};\n",
     "sweep.cfg:5:28: error: parameter 'a' is swept twice"},
};

START_TEST(bad_sweep_sections)
{
    char *got = sweep_error(bad_cases[_i].sweep);
    ck_assert_str_eq(got, bad_cases[_i].error);
    free(got);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sweep");
    TCase *core = tcase_create("core");
    tcase_add_test(core, lhs_one_sample_per_stratum);
    tcase_add_test(core, lhs_depends_on_seed);
    tcase_add_test(core, grid_full_factorial);
    tcase_add_test(core, distribution_moments_random);
    tcase_add_test(core, distribution_moments_lhs);
    tcase_add_test(core, distribution_moments_sobol);
    tcase_add_test(core, sobol_is_low_discrepancy);
    tcase_add_test(core, streams_are_splitmix64);
    tcase_add_test(core, metrics_of_a_ramp);
    tcase_add_test(core, last_crossing_of_a_sine);
    tcase_add_test(core, model_noise_differs_by_run);
    tcase_add_test(core, bands_exact_with_few_runs);
    tcase_add_test(core, bands_p2_accuracy);
    tcase_add_test(core, sensitivity_of_known_models);
    tcase_add_test(core, sensitivity_of_a_hand_computed_summary);
    tcase_add_test(core, failed_runs_are_rows);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_loop_test(errors, bad_sweep_sections, 0, (int)(sizeof bad_cases / sizeof bad_cases[0]));
    suite_add_tcase(s, errors);
    return run_suite(s);
}
