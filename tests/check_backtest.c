/*
** check_backtest.c - `migdev calibrate --holdout`: a fit on the data
** before an origin, scored on the data after it, and the rolling-origin
** form, on synthetic data whose answers are known in closed form.
**
** The model is x' = r x, x(0) = 100. The data are x = 100 e^{0.05 t} up
** to t = 10 and then grow at 0.10: x = 100 e^{0.5 + 0.10 (t - 10)} (a
** regime change). A fit on the data before an origin T <= 10 sees exact
** exponential data and finds r = 0.05, so at a held-out time t the model
** is 100 e^{0.05 t} and the relative error is, in closed form,
**   e(t) = 0                          for t < 10,
**   e(t) = e^{0.5 - 0.05 t} - 1       for t >= 10,
** from which the expected MAPE and RMSE are computed below (not from the
** program's output).
*/
#include "modelutil.h"

#include <math.h>
#include <string.h>
#include <sys/stat.h>

static const double R0 = 0.05, R1 = 0.10, BREAK = 10.0, X0 = 100.0;

static double data_at(double t)
{
    return t < BREAK ? X0 * exp(R0 * t) : X0 * exp(R0 * BREAK + R1 * (t - BREAK));
}

static double model_at(double t) { return X0 * exp(R0 * t); }

/* The expected hold-out MAPE (percent) and RMSE from origin T, over the
** yearly points T..20. */
static void expected(double origin, double *mape, double *rmse)
{
    double ape = 0.0, se = 0.0;
    int n = 0;
    for (int t = (int)origin; t <= 20; t++, n++) {
        const double d = data_at(t), m = model_at(t);
        ape += fabs((m - d) / d);
        se += (m - d) * (m - d);
    }
    *mape = 100.0 * ape / n;
    *rmse = sqrt(se / n);
}

typedef struct fixture {
    char *dir, *scenario;
} fixture;

static void write_in(const char *dir, const char *name, const char *text)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    ck_assert(f != NULL);
    fputs(text, f);
    fclose(f);
}

static fixture fixture_new(void)
{
    fixture fx = {tmp_dir(), NULL};
    write_in(fx.dir, "m.cfg",
             "time = { start = 0; stop = 20; dt = 0.01; save_every = 1; };\n"
             "constants = ( { name = \"r\"; value = 0.03; } );\n"
             "stocks = ( { name = \"x\"; init = 100; inflows = [\"g\"]; } );\n"
             "flows = ( { name = \"g\"; equation = \"r * x\"; } );\n");
    char csv[4096] = "year,x\n";
    for (int t = 0; t <= 20; t++) {
        char row[64];
        snprintf(row, sizeof row, "%d,%.17g\n", t, data_at(t));
        strcat(csv, row);
    }
    write_in(fx.dir, "d.csv", csv);
    write_in(fx.dir, "s.cfg",
             "model = \"m.cfg\";\n"
             "solver = { method = \"rk4\"; };\n"
             "calibrate = {\n"
             "  data = \"d.csv\";\n"
             "  series = ( { variable = \"x\"; column = \"x\"; } );\n"
             "  parameters = ( { name = \"r\"; min = 0.0; max = 1.0; } );\n"
             "  xtol = 1e-12; gtol = 1e-12;\n"
             "};\n");
    fx.scenario = malloc(strlen(fx.dir) + 8);
    sprintf(fx.scenario, "%s/s.cfg", fx.dir);
    return fx;
}

static void fixture_free(fixture *fx)
{
    rm_tree(fx->dir);
    free(fx->dir);
    free(fx->scenario);
}

/* Fit with hold-out origin (text) through the library. */
static void fit_holdout(const fixture *fx, const char *origin, double *r, migdev_calib_series_info *si,
                        migdev_calib **cal_out, migdev_scenario **sc_out)
{
    migdev_error err;
    migdev_error_clear(&err);
    char buf[1200];
    migdev_scenario *sc = migdev_scenario_load(fx->scenario, &err);
    ck_assert_msg(sc != NULL, "%s", migdev_error_format(&err, buf, sizeof buf));
    migdev_calib *cal = migdev_calib_load(sc, &err);
    ck_assert(cal != NULL);
    ck_assert_int_eq(migdev_calib_set(cal, "holdout", origin, &err), 0);
    ck_assert_msg(migdev_calib_prepare(cal, &err) == 0, "%s",
                  migdev_error_format(&err, buf, sizeof buf));
    ck_assert_int_eq(migdev_calib_fit(cal, &err), 0);
    migdev_calib_summary sum;
    migdev_calib_get_summary(cal, &sum);
    ck_assert(sum.converged);
    migdev_calib_param_info p;
    migdev_calib_param(cal, 0, &p);
    *r = p.value;
    migdev_calib_series(cal, 0, si);
    *cal_out = cal;
    *sc_out = sc;
}

START_TEST(holdout_scores_against_closed_form)
{
    fixture fx = fixture_new();
    double r;
    migdev_calib_series_info si;
    migdev_calib *cal;
    migdev_scenario *sc;
    fit_holdout(&fx, "10", &r, &si, &cal, &sc);
    ck_assert_msg(fabs(r - R0) < 1e-7, "r = %.12g", r);
    double origin = 0;
    ck_assert(migdev_calib_holdout(cal, &origin) && origin == 10.0);
    /* fitted on t = 0..9, scored on t = 10..20 */
    ck_assert_int_eq(si.n_points, 10);
    ck_assert_int_eq(si.n_holdout, 11);
    ck_assert(si.holdout_time[0] == 10.0 && si.holdout_time[10] == 20.0);
    ck_assert(si.holdout_time == si.time + si.n_points);
    double mape, rmse;
    expected(10, &mape, &rmse);
    ck_assert_msg(close_to(si.mape_holdout, mape, 1e-5, 0), "MAPE %.10g, expected %.10g",
                  si.mape_holdout, mape);
    ck_assert_msg(close_to(si.rmse_holdout, rmse, 1e-5, 0), "RMSE %.10g, expected %.10g",
                  si.rmse_holdout, rmse);
    /* in sample the fit is exact */
    ck_assert_msg(si.mape < 1e-5, "in-sample MAPE %g", si.mape);
    /* a value the hand computation gives: e(20) = e^{-0.5} - 1 */
    ck_assert(close_to((si.holdout_model[10] - si.holdout_data[10]) / si.holdout_data[10],
                       exp(-0.5) - 1.0, 1e-6, 0));
    migdev_calib_free(cal);
    migdev_scenario_free(sc);
    /* an origin where the data are still exact: the held-out points before
       the break score 0, after it as above */
    fit_holdout(&fx, "5", &r, &si, &cal, &sc);
    ck_assert(fabs(r - R0) < 1e-7);
    expected(5, &mape, &rmse);
    ck_assert_int_eq(si.n_holdout, 16);
    ck_assert(close_to(si.mape_holdout, mape, 1e-5, 0));
    ck_assert(close_to(si.rmse_holdout, rmse, 1e-5, 0));
    migdev_calib_free(cal);
    migdev_scenario_free(sc);
    fixture_free(&fx);
}
END_TEST

/* The number in the row of origin `origin`, field k (0-based, blanks
** separate fields). */
static double row_field(const char *out, const char *origin, int k)
{
    const char *p = out;
    const size_t n = strlen(origin);
    for (; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        if (strncmp(p, origin, n) == 0 && p[n] == ' ')
            break;
    ck_assert_msg(p && *p, "no row for origin %s in:\n%s", origin, out);
    for (int i = 0; i < k; i++) {
        p += strcspn(p, " ");
        p += strspn(p, " ");
    }
    return strtod(p, NULL);
}

START_TEST(rolling_origin_rows)
{
    fixture fx = fixture_new();
    cmd_result r = run_migdev(fx.dir, (const char *const[]){"calibrate", "s.cfg", "--holdout",
                                                            "5,10,15", NULL});
    ck_assert_msg(r.status == 0, "%s", r.err);
    /* origin, fit, points, MAPE, RMSE */
    for (int o = 5; o <= 10; o += 5) {
        char origin[8];
        snprintf(origin, sizeof origin, "%d", o);
        double mape, rmse;
        expected(o, &mape, &rmse);
        ck_assert_int_eq((int)row_field(r.out, origin, 2), 21 - o);
        ck_assert_msg(close_to(row_field(r.out, origin, 3), mape, 1e-3, 0), "%s", r.out);
        ck_assert_msg(close_to(row_field(r.out, origin, 4), rmse, 1e-5, 0), "%s", r.out);
    }
    /* from 15 the fit sees five points of the faster regime and raises r
       above 0.05: over 15..20 it then misses by less than r = 0.05 would */
    ck_assert_int_eq((int)row_field(r.out, "15", 2), 6);
    double mape15, rmse15;
    expected(15, &mape15, &rmse15);
    ck_assert_msg(row_field(r.out, "15", 3) < mape15 - 1.0, "%s", r.out);
    ck_assert(strstr(r.out, "converged") != NULL);
    cmd_result_free(&r);
    /* one origin: the full report with its backtest table */
    r = run_migdev(fx.dir, (const char *const[]){"calibrate", "s.cfg", "--holdout", "10", NULL});
    ck_assert_msg(r.status == 0, "%s", r.err);
    ck_assert(strstr(r.out, "backtest: fitted on the data before 10; scored on the data from 10 on\n"));
    cmd_result_free(&r);
    fixture_free(&fx);
}
END_TEST

START_TEST(holdout_errors)
{
    fixture fx = fixture_new();
    cmd_result r = run_migdev(fx.dir, (const char *const[]){"calibrate", "s.cfg", "--holdout",
                                                            "5,x", NULL});
    ck_assert_int_eq(r.status, 2);
    ck_assert_msg(strstr(r.err, "--holdout: 'x' is not a number"), "%s", r.err);
    cmd_result_free(&r);
    r = run_migdev(fx.dir, (const char *const[]){"calibrate", "s.cfg", "--holdout", "5,10",
                                                 "--csv", "f.csv", NULL});
    ck_assert_int_eq(r.status, 2);
    ck_assert_msg(strstr(r.err, "give one origin"), "%s", r.err);
    cmd_result_free(&r);
    /* nothing before the origin to fit */
    r = run_migdev(fx.dir, (const char *const[]){"calibrate", "s.cfg", "--holdout", "0", NULL});
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(strstr(r.err, "no value in the window before the hold-out origin 0"), "%s",
                  r.err);
    cmd_result_free(&r);
    fixture_free(&fx);
}
END_TEST

START_TEST(holdout_in_the_section_and_the_figure)
{
    fixture fx = fixture_new();
    /* holdout = 10 in the calibrate section; -o keeps it */
    char path[4200];
    snprintf(path, sizeof path, "%s/s.cfg", fx.dir);
    char *text = read_text(path);
    char *at = strstr(text, "  xtol");
    char *t2 = malloc(strlen(text) + 40);
    sprintf(t2, "%.*s  holdout = 10;\n%s", (int)(at - text), text, at);
    write_in(fx.dir, "s.cfg", t2);
    free(t2);
    free(text);
    const int gp = have_program("gnuplot");
    cmd_result r = run_migdev(fx.dir, gp ? (const char *const[]){"calibrate", "s.cfg", "-o",
                                                                 "fit.cfg", "--figure", "bt.svg", NULL}
                                         : (const char *const[]){"calibrate", "s.cfg", "-o",
                                                                 "fit.cfg", NULL});
    ck_assert_msg(r.status == 0, "%s", r.err);
    ck_assert(strstr(r.out, "backtest: fitted on the data before 10"));
    cmd_result_free(&r);
    snprintf(path, sizeof path, "%s/fit.cfg", fx.dir);
    text = read_text(path);
    ck_assert_msg(text && strstr(text, "holdout = 10"), "%s", text ? text : "(none)");
    free(text);
    if (gp) {
        snprintf(path, sizeof path, "%s/bt.svg", fx.dir);
        text = read_text(path);
        ck_assert(text != NULL);
        ck_assert(strstr(text, "<svg") != NULL);
        /* the shaded span is labelled */
        ck_assert_msg(strstr(text, "hold-out") != NULL, "no hold-out label");
        free(text);
    }
    fixture_free(&fx);
}
END_TEST

static int needs_gnuplot(const char *cmd)
{
    return strstr(cmd, "--figure") && !have_program("gnuplot");
}

/* The README's "Backtests" commands run, and the rolling-origin table it
** shows is what the second one prints. */
START_TEST(readme_backtests)
{
    char *d = tmp_dir_linking((const char *const[]){"models", "configs", "data", NULL});
    char out[4200];
    snprintf(out, sizeof out, "%s/out", d);
    ck_assert(mkdir(out, 0700) == 0);
    ck_assert_int_eq(run_readme_commands("### Backtests", d, needs_gnuplot), 3);
    cmd_result r = run_migdev(d, (const char *const[]){"calibrate",
                                                       "configs/examples/teacup_calibration.cfg",
                                                       "--holdout", "10,15,20", NULL});
    ck_assert_int_eq(r.status, 0);
    char *readme_path = source_path("README.md");
    char *readme = read_text(readme_path);
    const char *sec = strstr(readme, "### Backtests");
    ck_assert(sec != NULL);
    const char *shown = strstr(sec, "```\nrolling-origin");
    ck_assert(shown != NULL);
    shown += 4;
    const char *end = strstr(shown, "```");
    ck_assert_msg(strlen(r.out) == (size_t)(end - shown) && !strncmp(r.out, shown, strlen(r.out)),
                  "README shows:\n%.*s\nthe command prints:\n%s", (int)(end - shown), shown, r.out);
    cmd_result_free(&r);
    free(readme);
    free(readme_path);
    rm_tree(d);
    free(d);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("backtest");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, holdout_scores_against_closed_form);
    tcase_add_test(tc, rolling_origin_rows);
    tcase_add_test(tc, holdout_errors);
    tcase_add_test(tc, holdout_in_the_section_and_the_figure);
    tcase_add_test(tc, readme_backtests);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return run_suite(suite()); }
