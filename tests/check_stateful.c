/*
** check_stateful.c - the builtins added for XMILE, in migdev's own format:
** smoothn, delayn, trend, forecast, delay_fixed, previous and the random
** functions (moments against the distributions' analytic ones, seeds).
*/
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *model_text(double stop, double dt, const char *constants, const char *stocks,
                        const char *flows, const char *auxes)
{
    char *s = malloc(8192);
    snprintf(s, 8192,
             "time = { start = 0.0; stop = %.17g; dt = %.17g; };\n"
             "constants = ( %s );\nstocks = ( %s );\nflows = ( %s );\nauxiliaries = ( %s );\n",
             stop, dt, constants, stocks, flows, auxes);
    return s;
}

typedef struct ran {
    migdev_model *m;
    migdev_run *r;
} ran;

static ran run_text(const char *text, migdev_method method, unsigned long seed)
{
    ran x;
    x.m = load_model_text(text);
    migdev_sim_spec s = migdev_model_default_spec(x.m);
    s.method = method;
    s.seed = seed;
    migdev_error err;
    migdev_error_clear(&err);
    x.r = migdev_run_new(x.m, &s, &err);
    ck_assert_msg(x.r != NULL, "%s", err.message);
    ck_assert_msg(migdev_run_execute(x.r, &err) == 0, "%s", err.message);
    return x;
}

static const double *ser(const ran *x, const char *name)
{
    const int i = migdev_model_find(x->m, name);
    ck_assert_msg(i >= 0, "no variable %s", name);
    return migdev_run_series(x->r, i);
}

static void done(ran *x)
{
    migdev_run_free(x->r);
    migdev_model_free(x->m);
}

/* ------------------------------------------------------------------- core */

START_TEST(smoothn_and_delayn_chain_n_stages)
{
    char *t = model_text(6, 0.5, "", "", "",
                         "{ name = \"x\"; equation = \"1 + step(1, 1)\"; },"
                         "{ name = \"s\"; equation = \"smoothn(x, 2, 4)\"; },"
                         "{ name = \"d\"; equation = \"delayn(x, 2, 4, 3)\"; }");
    ran x = run_text(t, MIGDEV_EULER, 0);
    const double *s = ser(&x, "s"), *d = ser(&x, "d");
    double a[4] = {1, 1, 1, 1}, b[4] = {1.5, 1.5, 1.5, 1.5}; /* b: 3 * 2/4 */
    const double h = 0.5, T = 0.5;                            /* stage time 2/4 */
    for (int k = 0; k <= 12; k++) {
        const double in = k * h >= 1 ? 2 : 1;
        ck_assert_double_eq_tol(s[k], a[3], 1e-13);
        ck_assert_double_eq_tol(d[k], b[3] / T, 1e-13);
        double pa = in, pb = in;
        for (int j = 0; j < 4; j++) {
            const double oa = a[j], ob = b[j] / T;
            a[j] += h * (pa - a[j]) / T;
            b[j] += h * (pb - b[j] / T);
            pa = oa;
            pb = ob;
        }
    }
    done(&x);
    free(t);
}
END_TEST

/* delayn_staged (Vensim's DELAY N) when its delay time changes, by hand:
** n = 2, dt = 1, input 0, init 1, T = 4 then 8 from t = 1, so T/n is 2
** then 4. Both stages start holding 1 * 2. t = 0: out = S1/2 = 1; flows
** -S0/2 = -1 and S0/2 - S1/2 = 0. t = 1: S0 = 1, S1 = 2; stage 0 drains
** over 4, stage 1 over T(0)/2 = 2; out = S1/T(0)*2 = 1; flows -1/4 and
** 1/4 - 2/2 = -0.75. t = 2: S0 = 0.75, S1 = 1.25; out = 1.25/4 = 0.3125.
** delayn drains every stage over the current T: 1, 0.5 at t = 0, 1. */
START_TEST(delayn_staged_keeps_each_stage_delay_time)
{
    char *t = model_text(2, 1, "", "", "",
                         "{ name = \"T\"; equation = \"4 + step(4, 1)\"; },"
                         "{ name = \"v\"; equation = \"delayn_staged(0, T, 2, 1)\"; },"
                         "{ name = \"d\"; equation = \"delayn(0, T, 2, 1)\"; }");
    ran x = run_text(t, MIGDEV_EULER, 0);
    const double *v = ser(&x, "v"), *d = ser(&x, "d");
    ck_assert_double_eq_tol(v[0], 1.0, 1e-15);
    ck_assert_double_eq_tol(v[1], 1.0, 1e-15);
    ck_assert_double_eq_tol(v[2], 0.3125, 1e-15);
    ck_assert_double_eq_tol(d[0], 1.0, 1e-15);
    ck_assert_double_eq_tol(d[1], 0.5, 1e-15);
    done(&x);
    free(t);
}
END_TEST

/* The order is any constant expression the one constant evaluator folds
** (2^2 = 4, as 2*2): the chain has the same four stages, so the values
** equal smoothn(x, 2, 4)'s, which the test above checks by hand. */
START_TEST(smoothn_order_is_a_constant_expression)
{
    char *t = model_text(6, 0.5, "", "", "",
                         "{ name = \"x\"; equation = \"1 + step(1, 1)\"; },"
                         "{ name = \"s\"; equation = \"smoothn(x, 2, 4)\"; },"
                         "{ name = \"p\"; equation = \"smoothn(x, 2, 2^2)\"; },"
                         "{ name = \"q\"; equation = \"smoothn(x, 2, 2*2)\"; }");
    ran x = run_text(t, MIGDEV_EULER, 0);
    const double *s = ser(&x, "s"), *p = ser(&x, "p"), *q = ser(&x, "q");
    for (int k = 0; k <= 12; k++) {
        ck_assert_double_eq(p[k], s[k]);
        ck_assert_double_eq(q[k], s[k]);
    }
    ck_assert_double_ne(s[12], s[0]); /* the input step reached the output */
    done(&x);
    free(t);
}
END_TEST

START_TEST(trend_and_forecast)
{
    /* an input growing 10 % per time unit: the trend approaches 0.1 */
    char *t = model_text(60, 0.125, "", "", "",
                         "{ name = \"x\"; equation = \"exp(0.1 * time)\"; },"
                         "{ name = \"g\"; equation = \"trend(x, 1, 0.1)\"; },"
                         "{ name = \"f\"; equation = \"forecast(x, 1, 2)\"; }");
    ran x = run_text(t, MIGDEV_EULER, 0);
    const double *g = ser(&x, "g"), *f = ser(&x, "f");
    /* Euler's steady state for x = q^k (q = e^(0.1 dt)): S_k = c x_k with
       c q = c + dt (1 - c)/T, so trend -> (1 - c)/(T c), a little above 0.1;
       60 averaging times wash out the start (0.875^480) */
    const double q = exp(0.1 * 0.125), c = 0.125 / (q - 1 + 0.125), steady = (1 - c) / c;
    ck_assert_double_eq_tol(g[0], 0.1, 1e-15); /* starts at x/(1 + 0.1 T) */
    ck_assert_double_eq_tol(g[480], steady, 1e-12);
    ck_assert_double_eq_tol(steady, 0.1, 1e-3);
    ck_assert_double_eq(f[0], 1.0); /* initial trend 0: forecast = x */
    ck_assert_double_eq_tol(f[480], exp(6.0) * (1 + steady * 2), 1e-9 * exp(6.0));
    done(&x);
    free(t);
}
END_TEST

START_TEST(delay_fixed_follows_its_delay_constant)
{
    char *t = model_text(8, 0.5, "{ name = \"lag\"; value = 2.0; }", "", "",
                         "{ name = \"x\"; equation = \"time\"; },"
                         "{ name = \"d\"; equation = \"delay_fixed(x, lag)\"; },"
                         "{ name = \"p\"; equation = \"previous(x, 42)\"; }");
    migdev_model *m = load_model_text(t);
    migdev_error err;
    migdev_error_clear(&err);
    migdev_run *r = migdev_run_new(m, NULL, &err);
    ck_assert_ptr_nonnull(r);
    const int lag = migdev_model_find(m, "lag"), di = migdev_model_find(m, "d");
    const int pi = migdev_model_find(m, "p");
    const double lags[] = {2.0, 3.5, 0.5, 2.0};
    for (int j = 0; j < 4; j++) {
        ck_assert_int_eq(migdev_run_set_constant(r, lag, lags[j], &err), 0);
        ck_assert_int_eq(migdev_run_execute(r, &err), 0);
        const double *d = migdev_run_series(r, di), *p = migdev_run_series(r, pi);
        for (int k = 0; k <= 16; k++) {
            const double tk = 0.5 * k;
            ck_assert_double_eq(d[k], tk >= lags[j] ? tk - lags[j] : 0.0);
            ck_assert_double_eq(p[k], k ? tk - 0.5 : 42.0);
        }
    }
    /* not a whole number of steps, or under one step: refused at the start */
    ck_assert_int_eq(migdev_run_set_constant(r, lag, 1.25, &err), 0);
    ck_assert_int_eq(migdev_run_execute(r, &err), MIGDEV_E_RANGE);
    ck_assert_ptr_nonnull(strstr(err.message, "whole number of time steps"));
    migdev_error_clear(&err);
    ck_assert_int_eq(migdev_run_set_constant(r, lag, 0.0, &err), 0);
    ck_assert_int_eq(migdev_run_execute(r, &err), MIGDEV_E_RANGE);
    ck_assert_ptr_nonnull(strstr(err.message, "at least one time step"));
    migdev_run_free(r);
    migdev_model_free(m);
    free(t);
}
END_TEST

START_TEST(delayed_and_random_values_hold_through_rk4_stages)
{
    /* with rk4 a stock fed by a held value gains exactly dt times it */
    char *t = model_text(5, 0.25, "",
                         "{ name = \"s\"; init = 0; inflows = [\"f\"]; },"
                         "{ name = \"q\"; init = 0; inflows = [\"g\"]; }",
                         "{ name = \"f\"; equation = \"random_uniform(0, 1)\"; },"
                         "{ name = \"g\"; equation = \"previous(time * time, 0)\"; }",
                         "");
    ran x = run_text(t, MIGDEV_RK4, 3);
    const double *s = ser(&x, "s"), *f = ser(&x, "f"), *q = ser(&x, "q"), *g = ser(&x, "g");
    for (int k = 0; k < 20; k++) {
        ck_assert_double_eq_tol(s[k + 1] - s[k], 0.25 * f[k], 1e-15);
        ck_assert_double_eq_tol(q[k + 1] - q[k], 0.25 * g[k], 1e-15);
        ck_assert_double_eq(g[k], k ? (0.25 * (k - 1)) * (0.25 * (k - 1)) : 0.0);
    }
    done(&x);
    free(t);
}
END_TEST

/* Mean and variance of n values. */
static void moments(const double *v, int n, double *mean, double *var)
{
    double s = 0, s2 = 0;
    for (int i = 0; i < n; i++)
        s += v[i];
    *mean = s / n;
    for (int i = 0; i < n; i++)
        s2 += (v[i] - *mean) * (v[i] - *mean);
    *var = s2 / (n - 1);
}

START_TEST(random_samples_have_their_distributions_moments)
{
    /* 40001 samples each; tolerances are 5 standard errors of the
       estimators (from each distribution's analytic moments) */
    char *t = model_text(40000, 1, "", "", "",
                         "{ name = \"u\"; equation = \"random_uniform(2, 4)\"; },"
                         "{ name = \"n\"; equation = \"random_normal(10, 2)\"; },"
                         "{ name = \"p\"; equation = \"random_poisson(3)\"; },"
                         "{ name = \"e\"; equation = \"random_exponential(8)\"; },"
                         "{ name = \"l\"; equation = \"random_lognormal(10, 1)\"; }");
    ran x = run_text(t, MIGDEV_EULER, 2024);
    const int N = 40001;
    double mean, var;
    moments(ser(&x, "u"), N, &mean, &var);
    ck_assert_double_eq_tol(mean, 3.0, 5 * sqrt(4.0 / 12 / N));
    ck_assert_double_eq_tol(var, 4.0 / 12, 5 * sqrt((16.0 / 80 - 16.0 / 144) / N));
    moments(ser(&x, "n"), N, &mean, &var);
    ck_assert_double_eq_tol(mean, 10.0, 5 * 2 / sqrt(N));
    ck_assert_double_eq_tol(var, 4.0, 5 * sqrt(2 * 16.0 / N));
    moments(ser(&x, "p"), N, &mean, &var);
    ck_assert_double_eq_tol(mean, 3.0, 5 * sqrt(3.0 / N));
    ck_assert_double_eq_tol(var, 3.0, 5 * sqrt((3 * (1 + 3 * 3.0) - 9.0) / N));
    moments(ser(&x, "e"), N, &mean, &var);
    ck_assert_double_eq_tol(mean, 8.0, 5 * 8 / sqrt(N));
    ck_assert_double_eq_tol(var, 64.0, 5 * 64 * sqrt(8.0 / N));
    moments(ser(&x, "l"), N, &mean, &var);
    ck_assert_double_eq_tol(mean, 10.0, 5 * 1 / sqrt(N));
    ck_assert_double_eq_tol(var, 1.0, 0.1);
    const double *p = ser(&x, "p");
    for (int i = 0; i < N; i++)
        ck_assert(p[i] == floor(p[i]) && p[i] >= 0);
    const double *u = ser(&x, "u");
    for (int i = 0; i < N; i++)
        ck_assert(u[i] >= 2 && u[i] < 4);
    done(&x);
    free(t);
}
END_TEST

START_TEST(seeds_make_runs_reproducible)
{
    char *t = model_text(50, 1, "", "", "",
                         "{ name = \"a\"; equation = \"random_normal(0, 1)\"; },"
                         "{ name = \"b\"; equation = \"random_normal(0, 1)\"; },"
                         "{ name = \"c\"; equation = \"random_uniform(0, 1, 42)\"; },"
                         "{ name = \"d\"; equation = \"random_uniform(0, 1, 42)\"; }");
    ran x = run_text(t, MIGDEV_EULER, 1), y = run_text(t, MIGDEV_EULER, 1);
    ran z = run_text(t, MIGDEV_EULER, 2);
    const double *a1 = ser(&x, "a"), *a2 = ser(&y, "a"), *a3 = ser(&z, "a"), *b1 = ser(&x, "b");
    const double *c1 = ser(&x, "c"), *c3 = ser(&z, "c"), *d1 = ser(&x, "d");
    int same_ab = 1, same_a13 = 1;
    for (int k = 0; k <= 50; k++) {
        ck_assert(a1[k] == a2[k]);   /* same seed, same run */
        same_a13 &= a1[k] == a3[k];
        same_ab &= a1[k] == b1[k];   /* two sites, two streams */
        ck_assert(c1[k] == c3[k]);   /* a seed argument ignores the run's seed */
        ck_assert(c1[k] == d1[k]);
    }
    ck_assert(!same_a13);
    ck_assert(!same_ab);
    /* MT19937 seeded with 42 starts with 1608637542 (its reference
       implementation's first output): uniform = that / 2^32 */
    ck_assert_double_eq(c1[0], 1608637542.0 / 4294967296.0);
    /* running again gives the same series */
    migdev_error err;
    migdev_error_clear(&err);
    double first = a1[10];
    ck_assert_int_eq(migdev_run_execute(x.r, &err), 0);
    ck_assert(ser(&x, "a")[10] == first);
    done(&x), done(&y), done(&z);
    free(t);
}
END_TEST

/* ----------------------------------------------------------------- errors */

typedef struct err_case {
    const char *aux;
    const char *want;
} err_case;

static const err_case errors[] = {
    {"smoothn(1, 2, 0)", "the order of smoothn() must be a whole number from 1 to 1000, got 0"},
    {"delayn(1, 2, 1.5)", "the order of delayn() must be a whole number from 1 to 1000, got 1.5"},
    {"smoothn(1, 2, k)", "the order of smoothn() must be a number written in the equation"},
    {"delay_fixed(1, time)", "the delay time of delay_fixed() in 'a' changes during the run"},
    {"random_normal(0, 1, -1)", "the seed of random_normal() must be a whole number"},
    {"random_uniform(0, 1, k)", "the seed of random_uniform() must be a whole number"},
    {"previous(1)", "previous() takes 2 arguments, got 1"},
};

START_TEST(bad_calls)
{
    char aux[256];
    snprintf(aux, sizeof aux, "{ name = \"a\"; equation = \"%s\"; }", errors[_i].aux);
    char *t = model_text(1, 1, "{ name = \"k\"; value = 3.0; }", "", "", aux);
    char *e = model_error(t);
    ck_assert_msg(strstr(e, errors[_i].want) != NULL, "got: %s\nwant: %s", e, errors[_i].want);
    free(e);
    free(t);
}
END_TEST

START_TEST(adaptive_methods_are_refused)
{
    char *t = model_text(1, 1, "", "{ name = \"s\"; init = 0; inflows = [\"f\"]; }",
                         "{ name = \"f\"; equation = \"random_normal(0, 1)\"; }", "");
    migdev_model *m = load_model_text(t);
    migdev_sim_spec s = migdev_model_default_spec(m);
    s.method = MIGDEV_RKF45;
    migdev_error err;
    migdev_error_clear(&err);
    ck_assert_ptr_null(migdev_run_new(m, &s, &err));
    ck_assert_int_eq(err.code, MIGDEV_E_UNSUPPORTED);
    ck_assert_ptr_nonnull(strstr(err.message, "fixed-step method"));
    migdev_model_free(m);
    free(t);
    t = model_text(1, 1, "", "", "", "{ name = \"p\"; equation = \"previous(time, 0)\"; }");
    m = load_model_text(t);
    s = migdev_model_default_spec(m);
    s.method = MIGDEV_MSBDF;
    migdev_error_clear(&err);
    ck_assert_ptr_null(migdev_run_new(m, &s, &err));
    ck_assert_ptr_nonnull(strstr(err.message, "need a fixed-step method"));
    migdev_model_free(m);
    free(t);
}
END_TEST

START_TEST(cli_seed_option)
{
    char *t = model_text(3, 1, "", "", "", "{ name = \"a\"; equation = \"random_normal(0, 1)\"; }");
    const char *path = tmp_file(0, "r.cfg", t);
    const char *const a1[] = {"run", path, "--seed", "5", NULL};
    const char *const a2[] = {"run", path, "--seed=5", NULL};
    const char *const a3[] = {"run", path, "--seed", "6", NULL};
    const char *const bad[] = {"run", path, "--seed", "-1", NULL};
    cmd_result r1 = run_migdev(NULL, a1), r2 = run_migdev(NULL, a2), r3 = run_migdev(NULL, a3);
    ck_assert_int_eq(r1.status, 0);
    ck_assert_str_eq(r1.out, r2.out);
    ck_assert_str_ne(r1.out, r3.out);
    cmd_result rb = run_migdev(NULL, bad);
    ck_assert_int_eq(rb.status, 2);
    cmd_result_free(&r1), cmd_result_free(&r2), cmd_result_free(&r3), cmd_result_free(&rb);
    free(t);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("stateful");
    TCase *core = tcase_create("core");
    tcase_add_test(core, smoothn_and_delayn_chain_n_stages);
    tcase_add_test(core, delayn_staged_keeps_each_stage_delay_time);
    tcase_add_test(core, smoothn_order_is_a_constant_expression);
    tcase_add_test(core, trend_and_forecast);
    tcase_add_test(core, delay_fixed_follows_its_delay_constant);
    tcase_add_test(core, delayed_and_random_values_hold_through_rk4_stages);
    tcase_add_test(core, random_samples_have_their_distributions_moments);
    tcase_add_test(core, seeds_make_runs_reproducible);
    tcase_add_test(core, cli_seed_option);
    suite_add_tcase(s, core);
    TCase *errs = tcase_create("errors");
    tcase_add_loop_test(errs, bad_calls, 0, (int)(sizeof errors / sizeof errors[0]));
    tcase_add_test(errs, adaptive_methods_are_refused);
    suite_add_tcase(s, errs);
    return run_suite(s);
}
