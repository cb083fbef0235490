/*
** check_calibrate.c - `migdev calibrate` and the calibration library.
**
** Expected values come from the data's own generators: analytic solutions
** (exponential decay, logistic growth) evaluated here, closed forms of
** ordinary least squares for a straight line, and weighted means worked
** out by hand for the weighting rules (docs/model-format.md,
** "Calibration"). Positions of errors are found in the test's own texts
** (text_pos), never copied from the program's output.
*/
#include "modelutil.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>

/* ---------------------------------------------------------------- helpers */

/* A folder for one test, holding its model, scenario and data. */
static char *dir;

static void setup(void) { dir = tmp_dir(); }
static void teardown(void)
{
    rm_tree(dir);
    free(dir);
}

/* dir/name (static storage, 4 slots in rotation). */
static const char *in_dir(const char *name)
{
    static char buf[4][4096];
    static int next;
    char *p = buf[next++ % 4];
    snprintf(p, sizeof buf[0], "%s/%s", dir, name);
    return p;
}

static void put(const char *name, const char *text)
{
    FILE *f = fopen(in_dir(name), "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

/* A growing text (owned by the caller). */
static char *fmt(const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    const int n = vsnprintf(NULL, 0, f, ap);
    va_end(ap);
    char *s = malloc((size_t)n + 1);
    va_start(ap, f);
    vsnprintf(s, (size_t)n + 1, f, ap);
    va_end(ap);
    return s;
}

/* dy/dt = -k y, y(0) = y0: y = y0 exp(-k t). The flow is NaN when k is
** above `ceiling` or below `floor` (sqrt of a negative number), so that a
** test can make runs fail in a region of its choosing. */
static const char decay_model[] =
    "name = \"decay\";\n"
    "time = { start = 0.0; stop = 20.0; dt = 0.25; save_every = 1.0; };\n"
    "constants = ( { name = \"k\"; value = 0.05; }, { name = \"y0\"; value = 50.0; },\n"
    "              { name = \"ceiling\"; value = 1e9; }, { name = \"floor\"; value = -1e9; } );\n"
    "stocks = ( { name = \"y\"; init = \"y0\"; outflows = [\"loss\"]; } );\n"
    "flows = ( { name = \"loss\"; equation = \"k * y + 0 * sqrt(ceiling - k) + 0 * sqrt(k - floor)\"; } );\n";

/* A scenario on decay.cfg with rk4 at dt = 1/64 (its error is far below the
** tolerances checked) and the given calibrate section body. */
static char *decay_scenario(const char *set, const char *section)
{
    return fmt("model = \"decay.cfg\";\n"
               "set = { %s };\n"
               "time = { start = 0.0; stop = 20.0; dt = 0.015625; save_every = 1.0; };\n"
               "solver = { method = \"rk4\"; };\n"
               "calibrate = {\n%s};\n",
               set, section);
}

/* time,y_obs with y0 exp(-k t) (+ noise of sd sigma when rng) at t = 0..20. */
static char *decay_data(double k, double y0, gsl_rng *rng, double sigma)
{
    char *s = strdup("time,y_obs\n");
    for (int t = 0; t <= 20; t++) {
        const double y = y0 * exp(-k * t) + (rng ? gsl_ran_gaussian(rng, sigma) : 0.0);
        char *n = fmt("%s%d,%.17g\n", s, t, y);
        free(s);
        s = n;
    }
    return s;
}

typedef struct fitted {
    migdev_scenario *s;
    migdev_calib *c;
    migdev_calib_summary sum;
} fitted;

/* Load, prepare and fit path; fails the test on any error. */
static fitted fit_file(const char *path)
{
    fitted f;
    migdev_error err;
    migdev_error_clear(&err);
    char buf[1400];
    f.s = migdev_scenario_load(path, &err);
    ck_assert_msg(f.s != NULL, "%s", migdev_error_format(&err, buf, sizeof buf));
    f.c = migdev_calib_load(f.s, &err);
    ck_assert_msg(f.c != NULL, "%s", migdev_error_format(&err, buf, sizeof buf));
    ck_assert_msg(migdev_calib_prepare(f.c, &err) == 0, "%s", migdev_error_format(&err, buf, sizeof buf));
    ck_assert_msg(migdev_calib_fit(f.c, &err) == 0, "%s", migdev_error_format(&err, buf, sizeof buf));
    migdev_calib_get_summary(f.c, &f.sum);
    return f;
}

static void fitted_free(fitted *f)
{
    migdev_calib_free(f->c);
    migdev_scenario_free(f->s);
}

static migdev_calib_param_info param(const fitted *f, const char *name)
{
    migdev_calib_param_info p;
    for (int i = 0; i < migdev_calib_n_params(f->c); i++) {
        migdev_calib_param(f->c, i, &p);
        if (!strcmp(p.name, name))
            return p;
    }
    ck_abort_msg("no parameter %s", name);
    return p;
}

static migdev_calib_series_info series(const fitted *f, int i)
{
    migdev_calib_series_info s;
    ck_assert_int_eq(migdev_calib_series(f->c, i, &s), 0);
    return s;
}

/* The error of preparing path (load, calib load, prepare), formatted; NULL
** when everything succeeds. Owned. */
static char *prepare_error(const char *path)
{
    migdev_error err;
    migdev_error_clear(&err);
    migdev_scenario *s = migdev_scenario_load(path, &err);
    migdev_calib *c = s ? migdev_calib_load(s, &err) : NULL;
    const int rc = c ? migdev_calib_prepare(c, &err) : -1;
    migdev_calib_free(c);
    migdev_scenario_free(s);
    if (rc == 0)
        return NULL;
    char buf[1400];
    return strdup(migdev_error_format(&err, buf, sizeof buf));
}

/* ---------------------------------------------------------------- recovery */

/* Exact data from y0 exp(-k t): k and y0 come back to 1e-7 (relative),
** from starts 60 % and 40 % away, on the log scale (min = 0). The file
** starts with a UTF-8 byte-order mark, as spreadsheets write it. */
START_TEST(recovers_exponential_decay)
{
    put("decay.cfg", decay_model);
    char *data = decay_data(0.13, 87.3, NULL, 0);
    char *bom = fmt("\xEF\xBB\xBF%s", data);
    put("decay.csv", bom);
    free(bom);
    char *scn = decay_scenario("k = 0.05; y0 = 50.0;",
                               "  data = \"decay.csv\";\n  objective = \"absolute\";\n"
                               "  series = ( { variable = \"y\"; column = \"y_obs\"; } );\n"
                               "  parameters = ( { name = \"k\"; min = 0.0; }, { name = \"y0\"; min = 0.0; } );\n");
    put("fit.cfg", scn);
    fitted f = fit_file(in_dir("fit.cfg"));
    ck_assert(f.sum.converged);
    const migdev_calib_param_info k = param(&f, "k"), y0 = param(&f, "y0");
    printf("decay: k %.12g (0.13), y0 %.12g (87.3), %d iterations\n", k.value, y0.value, f.sum.iterations);
    ck_assert(close_to(k.value, 0.13, 1e-7, 0));
    ck_assert(close_to(y0.value, 87.3, 1e-7, 0));
    ck_assert_double_eq(k.start, 0.05);
    ck_assert_int_eq(k.scale, MIGDEV_SCALE_LOG_MIN);
    ck_assert_int_eq(f.sum.n_points, 21);
    ck_assert_int_eq(f.sum.n_params, 2);
    ck_assert_int_eq(f.sum.failed_runs, 0);
    /* the fit is exact: RMSE and MAPE near zero, and lower than at the start */
    const migdev_calib_series_info s = series(&f, 0);
    ck_assert_double_lt(s.rmse, 1e-6);
    ck_assert_double_lt(s.mape, 1e-6);
    ck_assert_double_gt(s.rmse_start, 1.0);
    fitted_free(&f);
    free(data);
    free(scn);
}
END_TEST

/* Logistic growth P = K / (1 + (K/P0 - 1) exp(-r t)) with P0 = 10 fixed:
** r and K from starts far off, relative errors, to 1e-6. */
START_TEST(recovers_logistic_growth)
{
    char *model = source_path("models/examples/logistic.cfg");
    char *data = strdup("year,population\n");
    for (int t = 0; t <= 40; t += 2) {
        const double p = 830.0 / (1.0 + (830.0 / 10.0 - 1.0) * exp(-0.27 * t));
        char *n = fmt("%s%d,%.17g\n", data, t, p);
        free(data);
        data = n;
    }
    put("logistic.csv", data);
    char *scn = fmt("model = \"%s\";\n"
                    "set = { growth_rate = 0.1; carrying_capacity = 400.0; };\n"
                    "time = { start = 0.0; stop = 40.0; dt = 0.015625; save_every = 1.0; };\n"
                    "solver = { method = \"rk4\"; };\n"
                    "calibrate = {\n  data = \"logistic.csv\";\n"
                    "  series = ( { variable = \"population\"; column = \"population\"; } );\n"
                    "  parameters = [\"growth_rate\", \"carrying_capacity\"];\n};\n",
                    model);
    put("fit.cfg", scn);
    fitted f = fit_file(in_dir("fit.cfg"));
    ck_assert(f.sum.converged);
    const migdev_calib_param_info r = param(&f, "growth_rate"), K = param(&f, "carrying_capacity");
    printf("logistic: r %.12g (0.27), K %.12g (830)\n", r.value, K.value);
    ck_assert(close_to(r.value, 0.27, 1e-6, 0));
    ck_assert(close_to(K.value, 830.0, 1e-6, 0));
    ck_assert_int_eq(r.scale, MIGDEV_SCALE_LINEAR);
    ck_assert_int_eq(f.sum.n_points, 21);
    fitted_free(&f);
    free(model);
    free(data);
    free(scn);
}
END_TEST

/* Noisy data (Gaussian, sd 0.5, seeded): the true k and y0 lie within 3
** standard errors of the estimates, and the residual variance (each point
** weighted 1) estimates the noise: sqrt(sigma^2) within 0.35-0.65. */
START_TEST(noisy_data_within_standard_errors)
{
    put("decay.cfg", decay_model);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 20240611);
    char *data = decay_data(0.13, 87.3, rng, 0.5);
    gsl_rng_free(rng);
    put("decay.csv", data);
    char *scn = decay_scenario("k = 0.05; y0 = 50.0;",
                               "  data = \"decay.csv\";\n  objective = \"absolute\";\n"
                               "  weighting = \"points\";\n"
                               "  series = ( { variable = \"y\"; column = \"y_obs\"; } );\n"
                               "  parameters = ( { name = \"k\"; min = 0.0; }, \"y0\" );\n");
    put("fit.cfg", scn);
    fitted f = fit_file(in_dir("fit.cfg"));
    ck_assert(f.sum.converged);
    const migdev_calib_param_info k = param(&f, "k"), y0 = param(&f, "y0");
    printf("noisy decay: k %.6g +/- %.3g (0.13), y0 %.6g +/- %.3g (87.3), sigma %.3g (0.5)\n", k.value,
           k.std_error, y0.value, y0.std_error, sqrt(f.sum.sigma2));
    ck_assert(k.std_error > 0 && y0.std_error > 0);
    ck_assert_double_le(fabs(k.value - 0.13), 3 * k.std_error);
    ck_assert_double_le(fabs(y0.value - 87.3), 3 * y0.std_error);
    ck_assert(k.value != 0.13); /* the noise moved it */
    ck_assert_double_ge(sqrt(f.sum.sigma2), 0.35);
    ck_assert_double_le(sqrt(f.sum.sigma2), 0.65);
    /* one series: weighting it per series only rescales the cost, so the
       estimates and the standard errors are the same */
    char *scn2 = decay_scenario("k = 0.05; y0 = 50.0;",
                                "  data = \"decay.csv\";\n  objective = \"absolute\";\n"
                                "  series = ( { variable = \"y\"; column = \"y_obs\"; } );\n"
                                "  parameters = ( { name = \"k\"; min = 0.0; }, \"y0\" );\n");
    put("fit2.cfg", scn2);
    fitted g = fit_file(in_dir("fit2.cfg"));
    ck_assert(close_to(param(&g, "k").value, k.value, 1e-7, 0));
    ck_assert(close_to(param(&g, "k").std_error, k.std_error, 1e-5, 0));
    ck_assert(close_to(param(&g, "y0").std_error, y0.std_error, 1e-5, 0));
    fitted_free(&g);
    fitted_free(&f);
    free(data);
    free(scn);
    free(scn2);
}
END_TEST

/* A straight line y = a + b t (a stock with a constant inflow: Euler is
** exact) fitted to noisy points is ordinary least squares: estimates,
** standard errors sigma sqrt(1/n + tbar^2/Sxx) and sigma/sqrt(Sxx), sigma^2
** = RSS/(n-2), and the correlation -tbar/sqrt(Sxx/n + tbar^2), all in
** closed form. */
START_TEST(standard_errors_of_a_straight_line)
{
    put("line.cfg", "time = { start = 0.0; stop = 12.0; dt = 1.0; };\n"
                    "constants = ( { name = \"a\"; value = 1.0; }, { name = \"b\"; value = 1.0; } );\n"
                    "stocks = ( { name = \"y\"; init = \"a\"; inflows = [\"rise\"]; } );\n"
                    "flows = ( { name = \"rise\"; equation = \"b\"; } );\n");
    static const double t[] = {0, 1, 2, 4, 5, 7, 8, 11, 12};
    static const double y[] = {3.1, 4.9, 7.3, 10.2, 13.8, 17.1, 19.6, 26.4, 27.9};
    const int n = 9;
    char *data = strdup("time,y\n");
    for (int i = 0; i < n; i++) {
        char *s = fmt("%s%g,%g\n", data, t[i], y[i]);
        free(data);
        data = s;
    }
    put("line.csv", data);
    put("fit.cfg", "model = \"line.cfg\";\n"
                   "calibrate = { data = \"line.csv\"; objective = \"absolute\"; weighting = \"points\";\n"
                   "  series = ( { variable = \"y\"; column = \"y\"; } ); parameters = [\"a\", \"b\"]; };\n");
    double tbar = 0, ybar = 0;
    for (int i = 0; i < n; i++)
        tbar += t[i] / n, ybar += y[i] / n;
    double sxx = 0, sxy = 0;
    for (int i = 0; i < n; i++)
        sxx += (t[i] - tbar) * (t[i] - tbar), sxy += (t[i] - tbar) * (y[i] - ybar);
    const double b = sxy / sxx, a = ybar - b * tbar;
    double rss = 0;
    for (int i = 0; i < n; i++)
        rss += (y[i] - a - b * t[i]) * (y[i] - a - b * t[i]);
    const double s2 = rss / (n - 2);
    fitted f = fit_file(in_dir("fit.cfg"));
    ck_assert(f.sum.converged);
    const migdev_calib_param_info pa = param(&f, "a"), pb = param(&f, "b");
    printf("line: a %.10g (%.10g) se %.6g (%.6g); b %.10g (%.10g) se %.6g (%.6g)\n", pa.value, a,
           pa.std_error, sqrt(s2 * (1.0 / n + tbar * tbar / sxx)), pb.value, b, pb.std_error,
           sqrt(s2 / sxx));
    ck_assert(close_to(pa.value, a, 1e-8, 1e-10));
    ck_assert(close_to(pb.value, b, 1e-8, 1e-10));
    ck_assert(close_to(f.sum.sigma2, s2, 1e-7, 0));
    ck_assert(close_to(f.sum.cost, rss, 1e-7, 0));
    ck_assert(close_to(pa.std_error, sqrt(s2 * (1.0 / n + tbar * tbar / sxx)), 1e-6, 0));
    ck_assert(close_to(pb.std_error, sqrt(s2 / sxx), 1e-6, 0));
    ck_assert(close_to(migdev_calib_correlation(f.c, 0, 1), -tbar / sqrt(sxx / n + tbar * tbar), 1e-6, 0));
    ck_assert(close_to(migdev_calib_correlation(f.c, 1, 0), migdev_calib_correlation(f.c, 0, 1), 1e-12, 0));
    ck_assert_double_eq_tol(migdev_calib_correlation(f.c, 1, 1), 1.0, 1e-12);
    fitted_free(&f);
    free(data);
}
END_TEST

/* Bounds: the true k (0.13) lies outside [0.01, 0.1]; the fit ends at the
** upper bound, never beyond. The model's flow holds sqrt(0.1 - k), NaN
** above 0.1, so a single run past the bound would be counted as failed:
** none is. Same with a lower bound only (k >= 0.2). */
START_TEST(bounds_are_respected)
{
    char *model = strdup(decay_model);
    put("decay.cfg", model);
    char *data = decay_data(0.13, 87.3, NULL, 0);
    put("decay.csv", data);
    char *scn = decay_scenario("k = 0.05; y0 = 50.0; ceiling = 0.1;",
                               "  data = \"decay.csv\";\n"
                               "  series = ( { variable = \"y\"; column = \"y_obs\"; } );\n"
                               "  parameters = ( { name = \"k\"; min = 0.01; max = 0.1; }, \"y0\" );\n");
    put("fit.cfg", scn);
    fitted f = fit_file(in_dir("fit.cfg"));
    /* the guard works: a run with k just past the bound fails */
    migdev_error err;
    migdev_error_clear(&err);
    migdev_run *r = migdev_scenario_new_run(f.s, &err);
    migdev_run_set_constant(r, migdev_model_find(migdev_scenario_model(f.s), "k"), 0.1001, NULL);
    ck_assert_int_eq(migdev_run_execute(r, &err), MIGDEV_E_NONFINITE);
    migdev_run_free(r);
    migdev_calib_param_info k = param(&f, "k");
    printf("bounded k: %.10g in [0.01, 0.1] (%s), %ld runs, %ld failed\n", k.value,
           migdev_calib_stop_text(f.sum.stop), f.sum.runs, f.sum.failed_runs);
    ck_assert_int_eq(k.scale, MIGDEV_SCALE_LOGIT);
    ck_assert_double_le(k.value, 0.1);
    ck_assert_double_ge(k.value, 0.099);
    ck_assert_int_eq(f.sum.failed_runs, 0);
    fitted_free(&f);
    free(scn);
    scn = decay_scenario("k = 0.3; y0 = 50.0;",
                         "  data = \"decay.csv\";\n"
                         "  series = ( { variable = \"y\"; column = \"y_obs\"; } );\n"
                         "  parameters = ( { name = \"k\"; min = 0.2; }, \"y0\" );\n");
    put("fit.cfg", scn);
    f = fit_file(in_dir("fit.cfg"));
    k = param(&f, "k");
    ck_assert_int_eq(k.scale, MIGDEV_SCALE_LOG_MIN);
    ck_assert_double_ge(k.value, 0.2);
    ck_assert_double_le(k.value, 0.201);
    fitted_free(&f);
    free(scn);
    free(data);
    free(model);
}
END_TEST

/* Weights and weighting, on a constant model (level = c) compared with two
** columns: a = 1 at 10 times, b = 2 at 2 times. By hand, the cost is
**   absolute, per series: w_a (c-1)^2/1 + w_b (c-2)^2/4  (each over its RMS)
**     -> c = (w_a + w_b/2) / (w_a + w_b/4), whatever the number of points;
**   absolute, per point: 10 w_a (c-1)^2 + 2 w_b (c-2)^2
**     -> c = (10 w_a + 4 w_b) / (10 w_a + 2 w_b);
**   relative, per series: w_a (c-1)^2 + w_b ((c-2)/2)^2, as the first. */
START_TEST(weights_and_weighting)
{
    put("level.cfg", "time = { start = 0.0; stop = 9.0; dt = 1.0; };\n"
                     "constants = ( { name = \"c\"; value = 5.0; } );\n"
                     "auxiliaries = ( { name = \"level\"; equation = \"c + 0 * time\"; } );\n");
    put("level.csv", "time,a,b\n0,1,2\n1,1,2\n2,1,\n3,1,\n4,1,\n5,1,\n6,1,\n7,1,\n8,1,\n9,1,\n");
    static const struct {
        const char *objective, *weighting;
        double wa, wb, expected;
    } cases[] = {
        {"absolute", "series", 1.0, 3.0, (1.0 + 1.5) / (1.0 + 0.75)},
        {"absolute", "points", 1.0, 3.0, (10.0 + 12.0) / (10.0 + 6.0)},
        {"relative", "series", 2.0, 1.0, (2.0 + 0.5) / (2.0 + 0.25)},
        {"relative", "series", 1.0, 1.0, (1.0 + 0.5) / (1.0 + 0.25)},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *scn = fmt("model = \"level.cfg\";\n"
                        "calibrate = { data = \"level.csv\"; objective = \"%s\"; weighting = \"%s\";\n"
                        "  series = ( { variable = \"level\"; column = \"a\"; weight = %g; },\n"
                        "             { variable = \"level\"; column = \"b\"; weight = %g; } );\n"
                        "  parameters = [\"c\"]; };\n",
                        cases[i].objective, cases[i].weighting, cases[i].wa, cases[i].wb);
        put("fit.cfg", scn);
        fitted f = fit_file(in_dir("fit.cfg"));
        const double c = param(&f, "c").value;
        ck_assert_msg(close_to(c, cases[i].expected, 1e-8, 0), "case %zu: c = %.12g, expected %.12g", i,
                      c, cases[i].expected);
        /* per-series statistics at the fit, by hand */
        const migdev_calib_series_info sa = series(&f, 0), sb = series(&f, 1);
        ck_assert_int_eq(sa.n_points, 10);
        ck_assert_int_eq(sb.n_points, 2);
        ck_assert(close_to(sa.rmse, fabs(c - 1.0), 1e-9, 0));
        ck_assert(close_to(sa.mape, 100.0 * fabs(c - 1.0), 1e-9, 0));
        ck_assert(close_to(sb.mape, 100.0 * fabs(c - 2.0) / 2.0, 1e-9, 0));
        fitted_free(&f);
        free(scn);
    }
    /* the CSV of the last fit: columns named variable:column when two series
       share a variable; empty cells where b has no data; `migdev plot`
       reads it */
    cmd_result r = run_migdev(dir, (const char *const[]){"calibrate", "fit.cfg", "--csv", "w.csv", NULL});
    ck_assert_msg(r.status == 0, "%s", r.err);
    cmd_result_free(&r);
    char *csv = read_text(in_dir("w.csv"));
    ck_assert_ptr_nonnull(csv);
    ck_assert(strncmp(csv, "scenario,time,level:a,level:b\ndata,0,1,2\ndata,1,1,2\ndata,2,1,\n", 62) == 0);
    free(csv);
    if (have_program("gnuplot")) {
        r = run_migdev(dir, (const char *const[]){"plot", "w.csv", "--terminal", "dumb", NULL});
        ck_assert_msg(r.status == 0, "%s", r.err);
        cmd_result_free(&r);
    }
}
END_TEST

/* Missing cells are skipped, never filled in: with cells of the data
** column left empty (and junk text in a column nobody compares), the fit
** uses exactly the other points and is still exact; a scale turns the
** data's units (thousands) into the model's. */
START_TEST(missing_cells_and_scale)
{
    put("decay.cfg", decay_model);
    char *data = strdup("note,time,y_thousands\n");
    int used = 0;
    for (int t = 0; t <= 20; t++) {
        char *n = (t % 3 == 1) ? fmt("%s\"gap, no survey\",%d,\n", data, t)
                               : fmt("%sok,%d,%.17g\n", data, t, 87.3 * exp(-0.13 * t) / 1000.0);
        used += t % 3 != 1;
        free(data);
        data = n;
    }
    put("decay.csv", data);
    char *scn = decay_scenario("k = 0.05; y0 = 50.0;",
                               "  data = \"decay.csv\";\n"
                               "  series = ( { variable = \"y\"; column = \"y_thousands\"; scale = 1000.0; } );\n"
                               "  parameters = ( { name = \"k\"; min = 0.0; }, { name = \"y0\"; min = 0.0; } );\n");
    put("fit.cfg", scn);
    fitted f = fit_file(in_dir("fit.cfg"));
    ck_assert_int_eq(f.sum.n_points, used);
    ck_assert(close_to(param(&f, "k").value, 0.13, 1e-7, 0));
    ck_assert(close_to(param(&f, "y0").value, 87.3, 1e-7, 0));
    const migdev_calib_series_info s = series(&f, 0);
    for (int i = 0; i < s.n_points; i++) {
        ck_assert((int)s.time[i] % 3 != 1);
        /* data and model in the data's units */
        ck_assert(close_to(s.data[i], 87.3 * exp(-0.13 * s.time[i]) / 1000.0, 1e-12, 0));
        ck_assert(close_to(s.model[i], s.data[i], 1e-6, 0));
    }
    fitted_free(&f);
    free(data);
    free(scn);
}
END_TEST

/* The time window: values outside it are wrong on purpose (doubled), so
** the fit is exact only when they are left out: from/to of the section,
** then a series' own from (with the section's to). */
START_TEST(time_window)
{
    put("decay.cfg", decay_model);
    char *data = strdup("time,y_obs\n");
    for (int t = 0; t <= 20; t++) {
        const double y = 87.3 * exp(-0.13 * t) * (t < 3 || t > 15 ? 2.0 : 1.0);
        char *n = fmt("%s%d,%.17g\n", data, t, y);
        free(data);
        data = n;
    }
    put("decay.csv", data);
    static const char *const windows[] = {
        "  from = 3.0; to = 15.0;\n  series = ( { variable = \"y\"; column = \"y_obs\"; } );\n",
        "  to = 15.0;\n  series = ( { variable = \"y\"; column = \"y_obs\"; from = 3.0; } );\n",
        "  from = 1.0;\n  series = ( { variable = \"y\"; column = \"y_obs\"; from = 3.0; to = 15.0; } );\n",
    };
    for (int i = 0; i < 3; i++) {
        char *sec = fmt("  data = \"decay.csv\";\n%s"
                        "  parameters = ( { name = \"k\"; min = 0.0; }, { name = \"y0\"; min = 0.0; } );\n",
                        windows[i]);
        char *scn = decay_scenario("k = 0.05; y0 = 50.0;", sec);
        put("fit.cfg", scn);
        fitted f = fit_file(in_dir("fit.cfg"));
        ck_assert_int_eq(f.sum.n_points, 13);
        ck_assert_msg(close_to(param(&f, "k").value, 0.13, 1e-7, 0), "window %d: k %g", i,
                      param(&f, "k").value);
        const migdev_calib_series_info s = series(&f, 0);
        ck_assert_double_eq(s.time[0], 3.0);
        ck_assert_double_eq(s.time[s.n_points - 1], 15.0);
        fitted_free(&f);
        free(sec);
        free(scn);
    }
    free(data);
}
END_TEST

/* A trial point where the run fails (here k below 0.08, where the flow
** takes the sqrt of a negative number) does not stop the fit: the step is
** rejected and shortened. Exact data with k = 0.1, started at k = 0.5:
** Gauss-Newton steps on a decreasing convex curve overshoot from above. */
START_TEST(failed_runs_shrink_the_step)
{
    put("decay.cfg", decay_model);
    char *data = decay_data(0.1, 87.3, NULL, 0);
    put("decay.csv", data);
    char *scn = decay_scenario("k = 0.5; y0 = 87.3; floor = 0.08;",
                               "  data = \"decay.csv\";\n"
                               "  series = ( { variable = \"y\"; column = \"y_obs\"; } );\n"
                               "  parameters = [\"k\"];\n");
    put("fit.cfg", scn);
    fitted f = fit_file(in_dir("fit.cfg"));
    printf("failing trials: k %.10g, %ld runs, %ld failed: %s\n", param(&f, "k").value, f.sum.runs,
           f.sum.failed_runs, f.sum.last_failure);
    ck_assert(f.sum.converged);
    ck_assert_int_gt(f.sum.failed_runs, 0);
    ck_assert_ptr_nonnull(strstr(f.sum.last_failure, "loss"));
    ck_assert(close_to(param(&f, "k").value, 0.1, 1e-7, 0));
    fitted_free(&f);
    free(data);
    free(scn);
}
END_TEST


/* ---------------------------------------------------------------- errors */

static const char good_section[] = "  data = \"decay.csv\";\n"
                                   "  series = ( { variable = \"y\"; column = \"y_obs\"; } );\n"
                                   "  parameters = ( { name = \"k\"; min = 0.0; }, \"y0\" );\n";

/* Each bad calibration: its scenario's set and section (NULL: good ones),
** its data (NULL: good data), and where the error must point: the first
** occurrence of needle (after `after`, when given) in the scenario's or
** the data's text, col_offset columns further. The message is written out
** here; "%s" in it stands for the folder of the test. */
typedef struct bad_case {
    const char *set, *section, *data;
    int in_data;
    const char *after, *needle;
    int col_offset;
    const char *message;
} bad_case;

static const bad_case bad_cases[] = {
    /* the calibrate section */
    {NULL, "  data = \"decay.csv\";\n  weighing = \"points\";\n", NULL, 0, NULL, "weighing", 0,
     "unknown field 'weighing' in the calibration (did you mean 'weighting'?)"},
    {NULL, "  data = \"decay.csv\";\n  series = ( { variable = \"y_model\"; column = \"y_obs\"; } );\n"
           "  parameters = [\"k\"];\n", NULL, 0, NULL, "y_model", 0,
     "the model has no variable 'y_model'"},
    {NULL, "  data = \"decay.csv\";\n  series = ( { variable = \"y\"; column = \"y_obs\"; } );\n"
           "  parameters = [\"k\", \"y\"];\n", NULL, 0, "\"k\", ", "y\"]", 0,
     "'y' is not a constant: only constants can be fitted"},
    {NULL, "  data = \"decay.csv\";\n  series = ( { variable = \"y\"; column = \"y_obs\"; } );\n"
           "  parameters = ( { name = \"kk\"; } );\n", NULL, 0, NULL, "kk", 0,
     "the model has no constant 'kk' (did you mean 'k'?)"},
    {NULL, "  data = \"decay.csv\";\n  series = ( { variable = \"y\"; column = \"y_obs\"; } );\n"
           "  parameters = ( \"k\",\n    { name = \"k\"; min = 0.0; } );\n", NULL, 0, "name = ", "k\"", 0,
     "'k' is already fitted (line 8)"},
    {NULL, "  data = \"decay.csv\";\n  series = ( { variable = \"y\"; column = \"y_obs\"; } );\n"
           "  parameters = ( { name = \"k\"; min = 1.0; max = 0.5; } );\n", NULL, 0, NULL, "max", 0,
     "'max' (0.5) must be greater than 'min' (1)"},
    {NULL, "  data = \"decay.csv\";\n  series = ( { variable = \"y\"; column = \"y_obs\"; weight = -1.0; } );\n"
           "  parameters = [\"k\"];\n", NULL, 0, NULL, "weight", 0, "'weight' must be positive, got -1"},
    {NULL, "  data = \"decay.csv\";\n  series = ( { variable = \"y\"; column = \"y_obs\"; scale = 0.0; } );\n"
           "  parameters = [\"k\"];\n", NULL, 0, NULL, "scale", 0,
     "'scale' must be a non-zero number, got 0"},
    {NULL, "  data = \"decay.csv\";\n  objective = \"squared\";\n", NULL, 0, NULL, "objective", 0,
     "unknown objective 'squared' (relative or absolute)"},
    {NULL, "  data = \"decay.csv\";\n  max_iterations = 2.5;\n", NULL, 0, NULL, "max_iterations", 0,
     "'max_iterations' must be a whole number from 1 to 1000000"},
    {NULL, "  data = \"decay.csv\";\n  from = 10.0;\n  to = 5.0;\n", NULL, 0, NULL, "to =", 0,
     "'to' (5) is before 'from' (10)"},
    {NULL, "  data = \"nothere.csv\";\n  series = ( { variable = \"y\"; column = \"y_obs\"; } );\n"
           "  parameters = [\"k\"];\n", NULL, 0, NULL, "nothere", 0,
     "data file '%s/nothere.csv': cannot open: No such file or directory"},
    {"k = 0.05; y0 = -5.0;", "  data = \"decay.csv\";\n  series = ( { variable = \"y\"; column = \"y_obs\"; } );\n"
           "  parameters = ( { name = \"y0\"; min = 0.0; } );\n", NULL, 0, "name = ", "y0", 0,
     "the start value of 'y0' is -5, not strictly inside its bounds (0, inf): change it with "
     "set = { y0 = ...; } or --set"},
    {NULL, "  data = \"decay.csv\";\n  parameters = [\"k\"];\n", NULL, 0, NULL, "calibrate", 0,
     "no series to compare: list them in series = ( { variable = \"x\"; column = \"x_data\"; } ), "
     "or --series"},
    {NULL, good_section, "time,y_obs\n0,87.3\n20,6.46\n", 0, NULL, "calibrate", 0,
     "2 data points for 2 constants: a fit needs more points than constants"},
    {NULL, "  data = \"decay.csv\";\n  series = ( { variable = \"y\"; column = \"y_obs\"; from = 100.0; } );\n"
           "  parameters = [\"k\"];\n", NULL, 0, "variable = ", "y\"", 0,
     "'y' is compared with column 'y_obs', which has no value in the window"},
    /* the data */
    {NULL, "  data = \"decay.csv\";\n  series = ( { variable = \"y\"; column = \"y_obz\"; } );\n"
           "  parameters = [\"k\"];\n", NULL, 1, NULL, "time", 0,
     "no column 'y_obz' in the header (did you mean 'y_obs'?)"},
    {NULL, NULL, "time,y_obs\n0,87.3\n1,abc\n2,67.8\n", 1, NULL, "abc", 0,
     "'abc' is not a number (leave the cell empty for a missing value)"},
    {NULL, NULL, "time,y_obs\n0,87.3\n1,77.0\n25,3.4\n", 1, NULL, "25,", 0,
     "time 25 (a value of 'y_obs') is outside the run, 0 to 20: narrow the window (from, to) or "
     "change the run's time span"},
    {NULL, NULL, "time,y_obs\n0,87.3\n1,77.0\n2.5,62.9\n", 1, NULL, "2.5", 0,
     "time 2.5 (a value of 'y_obs') is not a save time of the run (every 1 from 0): make "
     "save_every divide the data's spacing"},
    {NULL, NULL, "time,y_obs\n0,87.3\n3,60.0\n1,77.0\n3,59.0\n", 1, "77.0\n", "3,59", 0,
     "time 3 appears twice (also on line 3)"},
    {NULL, NULL, "time,y_obs\n0,87.3\n1,77.0,7\n2,67.8\n", 1, NULL, "1,77.0,7", 8,
     "this row has 3 fields, the header has 2"},
    {NULL, NULL, "time,y_obs\n0,87.3\n1,0\n2,67.8\n", 1, "\n1,", "0\n", 0,
     "a relative error needs non-zero data: use objective = \"absolute\" (or leave the cell empty)"},
    {NULL, NULL, "t,y_obs\n0,87.3\n1,77.0\n2,67.8\n", 1, NULL, "t,", 0,
     "no 'time' or 'year' column (columns: t, y_obs): name the time column with time_column (the "
     "separator is a comma)"},
    {NULL, NULL, "time,y_obs\n0,87.3\n ,77.0\n2,67.8\n", 1, NULL, ",77", 0, "the time is missing"},
    {NULL, NULL, "time,y_obs\n0,87.3\n1,\"77.0\n2,67.8\n", 1, NULL, "\"77", 0,
     "unterminated quoted field (a line break inside quotes is not supported)"},
};

START_TEST(bad_calibrations_name_their_position)
{
    put("decay.cfg", decay_model);
    char *good_data = decay_data(0.13, 87.3, NULL, 0);
    int failures = 0;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const bad_case *b = &bad_cases[i];
        char *scn = decay_scenario(b->set ? b->set : "k = 0.05; y0 = 50.0;",
                                   b->section ? b->section : good_section);
        const char *data = b->data ? b->data : good_data;
        put("fit.cfg", scn);
        put("decay.csv", data);
        int line, col;
        text_pos_after(b->in_data ? data : scn, b->after, b->needle, &line, &col);
        char msg[600], want[1400];
        snprintf(msg, sizeof msg, b->message, dir);
        snprintf(want, sizeof want, "%s:%d:%d: error: %s", in_dir(b->in_data ? "decay.csv" : "fit.cfg"),
                 line, col + b->col_offset, msg);
        char *got = prepare_error(in_dir("fit.cfg"));
        if (!got || strcmp(got, want) != 0) {
            fprintf(stderr, "case %zu:\n got: %s\nwant: %s\n", i, got ? got : "(no error)", want);
            failures++;
        }
        free(got);
        free(scn);
    }
    free(good_data);
    ck_assert_int_eq(failures, 0);
}
END_TEST

/* ---------------------------------------------------------------- the command */

/* Column `name` of the CSV text's header, or -1. */
static int csv_col(const char *text, const char *name)
{
    const size_t len = strcspn(text, "\n");
    int col = 0;
    for (const char *p = text; p < text + len; col++) {
        const size_t w = strcspn(p, ",\n");
        if (w == strlen(name) && !strncmp(p, name, w))
            return col;
        p += w + 1;
    }
    return -1;
}

/* Field col of the row of text whose field `key_col` is key (as text), or
** NULL; owned. */
static char *csv_field(const char *text, int key_col, const char *key, int col)
{
    for (const char *line = text; *line; line += strcspn(line, "\n") + (line[strcspn(line, "\n")] ? 1 : 0)) {
        char buf[4096];
        snprintf(buf, sizeof buf, "%.*s", (int)strcspn(line, "\n"), line);
        char *fields[64];
        int n = 0;
        for (char *save = NULL, *f = strtok_r(buf, ",", &save); f && n < 64; f = strtok_r(NULL, ",", &save))
            fields[n++] = f;
        if (n > key_col && n > col && !strcmp(fields[key_col], key))
            return strdup(fields[col]);
    }
    return NULL;
}

/* The value the scenario at path sets for constant name (NAN if none). */
static double set_value(const char *path, const char *name)
{
    migdev_error err;
    migdev_error_clear(&err);
    migdev_scenario *s = migdev_scenario_load(path, &err);
    char buf[1400];
    ck_assert_msg(s != NULL, "%s", migdev_error_format(&err, buf, sizeof buf));
    double v = NAN;
    for (int i = 0; i < migdev_scenario_n_overrides(s); i++) {
        int var;
        double x;
        migdev_scenario_override(s, i, &var, &x);
        migdev_var_info info;
        migdev_model_var(migdev_scenario_model(s), var, &info);
        if (!strcmp(info.name, name))
            v = x;
    }
    migdev_scenario_free(s);
    return v;
}

static void decay_files(void)
{
    put("decay.cfg", decay_model);
    char *data = decay_data(0.13, 87.3, NULL, 0);
    put("decay.csv", data);
    free(data);
    char *scn = decay_scenario("k = 0.05; y0 = 50.0;",
                               "  data = \"decay.csv\";\n"
                               "  series = ( { variable = \"y\"; column = \"y_obs\"; } );\n"
                               "  parameters = ( { name = \"k\"; min = 0.0; }, { name = \"y0\"; min = 0.0; } );\n");
    put("fit.cfg", scn);
    free(scn);
}

/* The report, the table, the fitted scenario and the CSV: `migdev run` on
** the fitted scenario (from another folder) gives exactly the model values
** of the CSV, its constants are the fit, and calibrating it again stays
** there. */
START_TEST(command_writes_a_scenario_that_reproduces_the_fit)
{
    decay_files();
    cmd_result r = run_migdev(dir, (const char *const[]){"calibrate", "fit.cfg", "-o", "out/sub/fitted.cfg",
                                                        "--csv", "out/fit.csv", "--table", NULL});
    ck_assert_msg(r.status == 0, "%s", r.err);
    static const char *const shown[] = {"fit: converged", "after ", "iterations", "residual variance",
                                        "std. error", "log(p - min), min 0", "correlations",
                                        "RMSE", "MAPE", "y against y_obs", "error %"};
    for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++)
        ck_assert_msg(strstr(r.out, shown[i]) != NULL, "'%s' not in:\n%s", shown[i], r.out);
    cmd_result_free(&r);
    char fitted_path[4096];
    snprintf(fitted_path, sizeof fitted_path, "%s", in_dir("out/sub/fitted.cfg"));
    ck_assert(close_to(set_value(fitted_path, "k"), 0.13, 1e-7, 0));
    ck_assert(close_to(set_value(fitted_path, "y0"), 87.3, 1e-7, 0));
    r = run_migdev("/", (const char *const[]){"run", fitted_path, "-o", "-", NULL});
    ck_assert_msg(r.status == 0, "%s", r.err);
    char *csv = read_text(in_dir("out/fit.csv"));
    ck_assert_ptr_nonnull(csv);
    ck_assert(strncmp(csv, "scenario,time,y\n", 16) == 0);
    const int ycol = csv_col(r.out, "y");
    ck_assert_int_ge(ycol, 1);
    int rows = 0;
    for (int t = 0; t <= 20; t++) {
        char key[16];
        snprintf(key, sizeof key, "%d", t);
        char *from_run = csv_field(r.out, 0, key, ycol);
        /* the model rows of the CSV ("model,t,y") */
        char line[64];
        snprintf(line, sizeof line, "model,%d,", t);
        const char *at = strstr(csv, line);
        ck_assert_ptr_nonnull(from_run);
        ck_assert_ptr_nonnull(at);
        at += strlen(line);
        ck_assert_msg(strncmp(at, from_run, strlen(from_run)) == 0 && at[strlen(from_run)] == '\n',
                      "t=%d: run %s, csv %.30s", t, from_run, at);
        /* and the data rows hold the data */
        snprintf(line, sizeof line, "data,%d,", t);
        ck_assert_ptr_nonnull(strstr(csv, line));
        free(from_run);
        rows++;
    }
    ck_assert_int_eq(rows, 21);
    cmd_result_free(&r);
    free(csv);
    /* fitting again from the fitted scenario ends where it starts */
    r = run_migdev(dir, (const char *const[]){"calibrate", "out/sub/fitted.cfg", "-o", "again.cfg", NULL});
    ck_assert_msg(r.status == 0, "%s", r.err);
    ck_assert(close_to(set_value(in_dir("again.cfg"), "k"), set_value(fitted_path, "k"), 1e-9, 0));
    cmd_result_free(&r);
    /* `migdev plot` reads the CSV (data and model groups, empty cells) */
    if (have_program("gnuplot")) {
        r = run_migdev(dir, (const char *const[]){"plot", "out/fit.csv", "--terminal", "dumb", NULL});
        ck_assert_msg(r.status == 0, "%s", r.err);
        cmd_result_free(&r);
    }
}
END_TEST

/* Everything from flags, on the model file itself: its own Euler run at
** dt = 1/4, whose solution y0 (1 - k dt)^(t/dt) matches the data's
** exp(-0.13 t) for k = (1 - exp(-0.13 dt)) / dt = 0.12791... */
START_TEST(command_from_flags_only)
{
    decay_files();
    cmd_result r = run_migdev(dir, (const char *const[]){"calibrate", "decay.cfg", "--data", "decay.csv",
                                                        "--series", "y=y_obs", "--fit", "k=0:", "--fit", "y0",
                                                        "--objective", "absolute", "--set", "k=0.3",
                                                        "-o", "fitted.cfg", NULL});
    ck_assert_msg(r.status == 0, "%s", r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "absolute errors"));
    cmd_result_free(&r);
    ck_assert(close_to(set_value(in_dir("fitted.cfg"), "k"), (1.0 - exp(-0.13 * 0.25)) / 0.25, 1e-7, 0));
    ck_assert(close_to(set_value(in_dir("fitted.cfg"), "y0"), 87.3, 1e-7, 0));
}
END_TEST

/* A fit that does not converge exits 3 and writes nothing; so does a model
** that fails at the start values (naming the time and the variable). */
START_TEST(command_failures_exit_3)
{
    decay_files();
    cmd_result r = run_migdev(dir, (const char *const[]){"calibrate", "fit.cfg", "--max-iter", "1", "-o",
                                                        "fitted.cfg", "--csv", "fit.csv", NULL});
    ck_assert_int_eq(r.status, 3);
    ck_assert_ptr_nonnull(strstr(r.err, "did not converge (not converged: max_iterations reached)"));
    cmd_result_free(&r);
    struct stat st;
    ck_assert_int_ne(stat(in_dir("fitted.cfg"), &st), 0);
    ck_assert_int_ne(stat(in_dir("fit.csv"), &st), 0);
    r = run_migdev(dir, (const char *const[]){"calibrate", "fit.cfg", "--set", "floor=1", NULL});
    ck_assert_int_eq(r.status, 3);
    ck_assert_msg(strstr(r.err, "the model fails at the start values") &&
                      strstr(r.err, "at t=0: 'loss' is not a number (NaN)"),
                  "%s", r.err);
    cmd_result_free(&r);
}
END_TEST

/* Bad flags: `command line:1:COL` pointing into the argument, exit 2. */
START_TEST(command_usage_errors)
{
    decay_files();
    static const struct {
        const char *args[4];
        int arg, offset; /* the error's argument (1 = after "calibrate") and offset in it */
        const char *message;
    } cases[] = {
        {{"--series", "y"}, 2, 0,
         "--series: expected VARIABLE=COLUMN[,scale=S][,weight=W][,from=T][,to=T], got 'y'"},
        {{"--series", "y=y_obs,weight=-2"}, 2, 8, "--series: the weight must be positive"},
        {{"--fit", "kk"}, 2, 0, "--fit: the model has no constant 'kk' (did you mean 'k'?)"},
        {{"--fit", "k=1:0.5"}, 2, 4, "--fit: the upper bound (0.5) must be greater than the lower (1)"},
        {{"--objective", "squared"}, 2, 0, "--objective: unknown objective 'squared' (relative or absolute)"},
        {{"--max-iter", "0"}, 2, 0, "--max-iter: expected a whole number from 1 to 1000000, got '0'"},
        {{"--frobnicate"}, 1, 0, "unknown option '--frobnicate'"},
        {{"--vars", "y"}, 2, 0, "--vars and --format have no use here (see --csv)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *argv[8] = {"calibrate", "fit.cfg"};
        int n = 2;
        for (int k = 0; k < 4 && cases[i].args[k]; k++)
            argv[n++] = cases[i].args[k];
        argv[n] = NULL;
        cmd_result r = run_migdev(dir, argv);
        /* column: the program, "calibrate", "fit.cfg", then the arguments */
        int col = 1 + (int)strlen(MIGDEV_BIN) + 1 + 10 + 8;
        for (int k = 0; k < cases[i].arg - 1; k++)
            col += (int)strlen(cases[i].args[k]) + 1;
        col += cases[i].offset;
        char want[800];
        snprintf(want, sizeof want, "command line:1:%d: error: %s\n", col, cases[i].message);
        ck_assert_msg(r.status == 2, "case %zu: status %d: %s", i, r.status, r.err);
        ck_assert_msg(strncmp(r.err, want, strlen(want)) == 0, "case %zu:\n got: %s\nwant: %s", i, r.err, want);
        cmd_result_free(&r);
    }
    /* a constant given by --fit whose start lies outside its bounds */
    cmd_result r = run_migdev(dir, (const char *const[]){"calibrate", "fit.cfg", "--set", "y0=-5", "--fit",
                                                        "y0=0:", NULL});
    ck_assert_int_eq(r.status, 2);
    ck_assert_str_eq(r.err, "command line: error: the start value of 'y0' is -5, not strictly inside its "
                            "bounds (0, inf): change it with set = { y0 = ...; } or --set\n");
    cmd_result_free(&r);
    /* `migdev check` checks the calibrate section and its data too */
    r = run_migdev(dir, (const char *const[]){"check", "fit.cfg", NULL});
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.err, "");
    cmd_result_free(&r);
    put("decay.csv", "time,y_obs\n0,87.3\n1,x\n");
    r = run_migdev(dir, (const char *const[]){"check", "fit.cfg", NULL});
    ck_assert_int_eq(r.status, 1);
    ck_assert_str_eq(r.err, "decay.csv:3:3: error: 'x' is not a number (leave the cell empty for a "
                            "missing value)\n");
    cmd_result_free(&r);
}
END_TEST

/* ---------------------------------------------------------------- the README */

static int needs_gnuplot(const char *cmd)
{
    return strstr(cmd, "migdev plot") && !have_program("gnuplot");
}

/* The commands of the README's "Calibration" section run as shown (from a
** folder with the repository's models, configs and data), and the report
** it shows is what the first one prints. */
START_TEST(readme_calibration_section)
{
    char *d = tmp_dir_linking((const char *const[]){"models", "configs", "data", NULL});
    ck_assert_int_eq(run_readme_commands("## Calibration", d, needs_gnuplot), 6);
    char path[4200];
    snprintf(path, sizeof path, "%s/out/teacup_fitted.cfg", d);
    ck_assert(close_to(set_value(path, "characteristic_time"), 8.5, 0.01, 0));
    char *readme_path = source_path("README.md");
    char *readme = read_text(readme_path);
    char *shown = strstr(readme, "\ncalibration of configs/examples/teacup_calibration.cfg");
    ck_assert_ptr_nonnull(shown);
    shown++;
    char *end = strstr(shown, "```");
    ck_assert_ptr_nonnull(end);
    *end = '\0';
    cmd_result r = run_migdev(d, (const char *const[]){"calibrate", "configs/examples/teacup_calibration.cfg", NULL});
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, shown);
    cmd_result_free(&r);
    /* the synthetic truth (68 degF, 8.5 min) within 3 standard errors */
    snprintf(path, sizeof path, "%s/configs/examples/teacup_calibration.cfg", d);
    fitted f = fit_file(path);
    const migdev_calib_param_info room = param(&f, "room_temperature"), tau = param(&f, "characteristic_time");
    ck_assert_double_le(fabs(room.value - 68.0), 3 * room.std_error);
    ck_assert_double_le(fabs(tau.value - 8.5), 3 * tau.std_error);
    fitted_free(&f);
    free(readme);
    free(readme_path);
    rm_tree(d);
    free(d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("calibrate");
    TCase *core = tcase_create("core");
    tcase_add_checked_fixture(core, setup, teardown);
    tcase_set_timeout(core, 120);
    tcase_add_test(core, recovers_exponential_decay);
    tcase_add_test(core, recovers_logistic_growth);
    tcase_add_test(core, noisy_data_within_standard_errors);
    tcase_add_test(core, standard_errors_of_a_straight_line);
    tcase_add_test(core, bounds_are_respected);
    tcase_add_test(core, weights_and_weighting);
    tcase_add_test(core, missing_cells_and_scale);
    tcase_add_test(core, time_window);
    tcase_add_test(core, failed_runs_shrink_the_step);
    tcase_add_test(core, command_writes_a_scenario_that_reproduces_the_fit);
    tcase_add_test(core, command_from_flags_only);
    tcase_add_test(core, readme_calibration_section);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_checked_fixture(errors, setup, teardown);
    tcase_set_timeout(errors, 120);
    tcase_add_test(errors, bad_calibrations_name_their_position);
    tcase_add_test(errors, command_failures_exit_3);
    tcase_add_test(errors, command_usage_errors);
    suite_add_tcase(s, errors);
    return run_suite(s);
}
