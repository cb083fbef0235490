/*
** check_integrate.c - the solvers (src/integrate.c, src/run.c) against
** analytic solutions and hand-computed recurrences: exponential decay and
** logistic growth, euler and rk4 step by step, every GSL method at tight
** tolerances, save times, time-span validation, models without stocks,
** non-negative stocks and flows.
*/
#include "modelutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* s' = -k s, s(0) = 100, k = 0.385: s(t) = 100 e^{-kt} */
static const char decay[] =
    "time = { start = 0.0; stop = 10.0; dt = 0.125; save_every = 0.5; };\n"
    "constants = ( { name = \"k\"; value = 0.385; } );\n"
    "stocks = ( { name = \"s\"; init = 100; outflows = [\"f\"]; } );\n"
    "flows = ( { name = \"f\"; equation = \"k * s\"; } );\n";

/* P' = r P (1 - P/K), P(0) = 10, r = 0.7, K = 1000:
   P(t) = K / (1 + (K/P0 - 1) e^{-rt}) */
static const char logistic[] =
    "time = { start = 0.0; stop = 20.0; dt = 0.125; save_every = 0.5; };\n"
    "constants = ( { name = \"r\"; value = 0.7; }, { name = \"capacity\"; value = 1000; } );\n"
    "stocks = ( { name = \"p\"; init = 10; inflows = [\"births\"]; } );\n"
    "flows = ( { name = \"births\"; equation = \"r * p * (1 - p / capacity)\"; } );\n";

static double decay_exact(double t) { return 100.0 * exp(-0.385 * t); }
static double logistic_exact(double t) { return 1000.0 / (1.0 + (1000.0 / 10.0 - 1.0) * exp(-0.7 * t)); }
static double decay_rate(double s) { return -(0.385 * s); }
static double logistic_rate(double p) { return 0.7 * p * (1.0 - p / 1000.0); }

/* ------------------------------------------------------------ recurrences */

START_TEST(euler_is_the_hand_recurrence)
{
    /* s(k+1) = s(k) + dt * rate(s(k)); flows recorded at t from the stocks
       at t; saved every 4th step */
    for (int model = 0; model < 2; model++) {
        const char *text = model == 0 ? decay : logistic;
        const char *stock = model == 0 ? "s" : "p", *flow = model == 0 ? "f" : "births";
        double (*rate)(double) = model == 0 ? decay_rate : logistic_rate;
        sim s = sim_run(text, NULL);
        const double *y = sim_series(&s, stock), *f = sim_series(&s, flow);
        const int steps = model == 0 ? 80 : 160;
        ck_assert_int_eq((int)sim_n(&s), steps / 4 + 1);
        double x = model == 0 ? 100.0 : 10.0;
        for (int k = 0; k <= steps; k++) {
            if (k % 4 == 0) {
                ck_assert_msg(close_to(y[k / 4], x, 1e-12, 0.0), "%s k=%d: %.17g vs %.17g", stock, k,
                              y[k / 4], x);
                ck_assert_msg(close_to(f[k / 4], fabs(rate(x)), 1e-12, 0.0), "%s k=%d", flow, k);
            }
            x += 0.125 * rate(x);
        }
        sim_free(&s);
    }
}
END_TEST

START_TEST(rk4_is_the_hand_recurrence)
{
    /* classical RK4: k1 = f(y), k2 = f(y + h/2 k1), k3 = f(y + h/2 k2),
       k4 = f(y + h k3), y += h/6 (k1 + 2 k2 + 2 k3 + k4) */
    for (int model = 0; model < 2; model++) {
        const char *text = model == 0 ? decay : logistic;
        double (*rate)(double) = model == 0 ? decay_rate : logistic_rate;
        migdev_model *m = load_model_text(text);
        migdev_sim_spec sp = migdev_model_default_spec(m);
        sp.method = MIGDEV_RK4;
        sp.dt = 0.5; /* a coarse step: far from the exact solution, so the
                        comparison really is with the recurrence */
        sp.save_every = 0.5;
        migdev_error err;
        migdev_error_clear(&err);
        migdev_run *r = migdev_run_new(m, &sp, &err);
        ck_assert_int_eq(migdev_run_execute(r, &err), 0);
        const double *y = migdev_run_series(r, migdev_model_find(m, model == 0 ? "s" : "p"));
        ck_assert_ptr_nonnull(y);
        double x = model == 0 ? 100.0 : 10.0;
        const double h = 0.5;
        const int steps = model == 0 ? 20 : 40;
        for (int k = 0; k <= steps; k++) {
            ck_assert_msg(close_to(y[k], x, 1e-12, 0.0), "model %d k=%d: %.17g vs %.17g", model, k,
                          y[k], x);
            const double k1 = rate(x), k2 = rate(x + h / 2 * k1), k3 = rate(x + h / 2 * k2);
            const double k4 = rate(x + h * k3);
            x += h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
        }
        migdev_run_free(r);
        migdev_model_free(m);
    }
}
END_TEST

START_TEST(fixed_steps_converge_to_the_exact_solution)
{
    /* halving dt halves euler's error (first order) and divides rk4's by
       about 16 (fourth order) */
    double err_e[2], err_r[2];
    for (int i = 0; i < 2; i++) {
        const double dt = i == 0 ? 0.1 : 0.05;
        migdev_sim_spec sp = spec_of(MIGDEV_EULER, 0.0, 10.0, dt);
        sp.save_every = 10.0;
        sim s = sim_run(logistic, &sp);
        err_e[i] = fabs(sim_series(&s, "p")[1] - logistic_exact(10.0));
        sim_free(&s);
        sp.method = MIGDEV_RK4;
        s = sim_run(logistic, &sp);
        err_r[i] = fabs(sim_series(&s, "p")[1] - logistic_exact(10.0));
        sim_free(&s);
    }
    ck_assert_msg(err_e[0] / err_e[1] > 1.8 && err_e[0] / err_e[1] < 2.2, "euler ratio %g",
                  err_e[0] / err_e[1]);
    ck_assert_msg(err_r[0] / err_r[1] > 14.0 && err_r[0] / err_r[1] < 18.0, "rk4 ratio %g",
                  err_r[0] / err_r[1]);
    ck_assert(err_r[1] < 1e-5 * logistic_exact(10.0));
}
END_TEST

/* -------------------------------------------------------------- adaptive */

START_TEST(adaptive_methods_match_the_exact_solutions)
{
    const migdev_method methods[] = {MIGDEV_RK2,    MIGDEV_RKF45, MIGDEV_RKCK,    MIGDEV_RK8PD,
                                     MIGDEV_RK4IMP, MIGDEV_BSIMP, MIGDEV_MSADAMS, MIGDEV_MSBDF};
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        for (int model = 0; model < 2; model++) {
            const double stop = model == 0 ? 10.0 : 20.0;
            migdev_sim_spec sp = spec_of(methods[i], 0.0, stop, 0.1);
            sp.save_every = 0.5;
            sp.abs_tol = 1e-10;
            sp.rel_tol = 1e-10;
            sim s = sim_run(model == 0 ? decay : logistic, &sp);
            const double *y = sim_series(&s, model == 0 ? "s" : "p");
            const double *t = migdev_run_times(s.r);
            ck_assert_int_eq((int)sim_n(&s), (int)(stop / 0.5) + 1);
            for (size_t k = 0; k < sim_n(&s); k++) {
                /* output lands exactly on the save times */
                ck_assert(t[k] == 0.5 * (double)k);
                const double want = model == 0 ? decay_exact(t[k]) : logistic_exact(t[k]);
                ck_assert_msg(close_to(y[k], want, 1e-6, 0.0), "%s model %d t=%g: %.17g vs %.17g",
                              migdev_method_name(methods[i]), model, t[k], y[k], want);
            }
            sim_free(&s);
        }
    }
}
END_TEST

START_TEST(stiff_methods_on_a_stiff_model)
{
    /* two decays, time constants 0.001 and 1 */
    static const char text[] =
        "stocks = ( { name = \"fast\"; init = 1; outflows = [\"ff\"]; },\n"
        "           { name = \"slow\"; init = 1; outflows = [\"fs\"]; } );\n"
        "flows = ( { name = \"ff\"; equation = \"1000 * fast\"; }, { name = \"fs\"; equation = \"slow\"; } );\n";
    const migdev_method methods[] = {MIGDEV_RK4IMP, MIGDEV_BSIMP, MIGDEV_MSBDF};
    for (size_t i = 0; i < 3; i++) {
        migdev_sim_spec sp = spec_of(methods[i], 0.0, 5.0, 0.01);
        sp.save_every = 1.0;
        sp.abs_tol = 1e-10;
        sp.rel_tol = 1e-10;
        sim s = sim_run(text, &sp);
        for (size_t k = 0; k < sim_n(&s); k++) {
            const double t = (double)k;
            ck_assert(close_to(sim_series(&s, "slow")[k], exp(-t), 1e-6, 0.0));
            ck_assert(fabs(sim_series(&s, "fast")[k] - exp(-1000.0 * t)) < 1e-9);
        }
        sim_free(&s);
    }
}
END_TEST

START_TEST(runs_repeat_exactly)
{
    /* executing a run again (the GSL driver is reset) gives the same bits */
    const migdev_method methods[] = {MIGDEV_EULER, MIGDEV_RK4, MIGDEV_RKF45, MIGDEV_MSADAMS,
                                     MIGDEV_MSBDF, MIGDEV_BSIMP};
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        migdev_model *m = load_model_text(logistic);
        const migdev_sim_spec sp = spec_of(methods[i], 0.0, 20.0, 0.25);
        migdev_error err;
        migdev_error_clear(&err);
        migdev_run *r = migdev_run_new(m, &sp, &err);
        ck_assert_int_eq(migdev_run_execute(r, &err), 0);
        const size_t n = migdev_run_n_saves(r);
        double *first = malloc(n * sizeof *first);
        const int p = migdev_model_find(m, "p");
        memcpy(first, migdev_run_series(r, p), n * sizeof *first);
        ck_assert_int_eq(migdev_run_execute(r, &err), 0);
        ck_assert_int_eq((int)migdev_run_n_saves(r), (int)n);
        ck_assert(memcmp(first, migdev_run_series(r, p), n * sizeof *first) == 0);
        free(first);
        migdev_run_free(r);
        migdev_model_free(m);
    }
}
END_TEST

START_TEST(max_step_limits_adaptive_steps)
{
    /* a 0.1-wide pulse of height 1 at t = 5.2 adds 0.1 to the stock; with
       dt = 1 and nothing else changing, an adaptive method steps over it
       unless max_step keeps its steps short */
    static const char text[] =
        "stocks = ( { name = \"s\"; init = 0; inflows = [\"f\"]; } );\n"
        "flows = ( { name = \"f\"; equation = \"pulse(1, 5.2, 0.1)\"; } );\n";
    migdev_sim_spec sp = spec_of(MIGDEV_RKF45, 0.0, 10.0, 1.0);
    sp.save_every = 10.0;
    sp.max_step = 0.01;
    sim s = sim_run(text, &sp);
    /* steps of 0.01 catch the pulse to within a step at each edge */
    ck_assert_msg(fabs(sim_series(&s, "s")[1] - 0.1) < 0.02, "%g", sim_series(&s, "s")[1]);
    sim_free(&s);
}
END_TEST

/* ------------------------------------------------------------- save times */

START_TEST(save_times)
{
    /* stop not a multiple of save_every: the last save is at stop */
    for (int method = MIGDEV_EULER; method <= MIGDEV_RKF45; method++) {
        migdev_sim_spec sp = spec_of((migdev_method)method, 0.0, 10.0, 1.0);
        sp.save_every = 3.0;
        sim s = sim_run(decay, &sp);
        const double want_t[] = {0, 3, 6, 9, 10};
        ck_assert_int_eq((int)sim_n(&s), 5);
        for (int k = 0; k < 5; k++)
            ck_assert(migdev_run_times(s.r)[k] == want_t[k]);
        if (method == MIGDEV_EULER) {
            /* and the values are those of the steps 0, 3, 6, 9, 10 */
            double x = 100.0;
            for (int k = 0, j = 0; k <= 10; k++) {
                if (k == 0 || k == 3 || k == 6 || k == 9 || k == 10)
                    ck_assert(close_to(sim_series(&s, "s")[j++], x, 1e-12, 0.0));
                x += 1.0 * decay_rate(x);
            }
        }
        sim_free(&s);
    }
    /* a start that is not 0, and a decimal step */
    migdev_sim_spec sp = spec_of(MIGDEV_EULER, 1950.0, 1960.0, 0.25);
    sp.save_every = 0.5;
    sim s = sim_run(decay, &sp);
    ck_assert_int_eq((int)sim_n(&s), 21);
    for (int k = 0; k <= 20; k++)
        ck_assert(migdev_run_times(s.r)[k] == 1950.0 + 0.5 * k);
    sim_free(&s);
    sp = spec_of(MIGDEV_RKCK, 0.0, 1.0, 0.1);
    s = sim_run(decay, &sp);
    ck_assert_int_eq((int)sim_n(&s), 11);
    for (int k = 0; k <= 10; k++) {
        ck_assert(migdev_run_times(s.r)[k] == 0.1 * k || (k == 10 && migdev_run_times(s.r)[k] == 1.0));
        ck_assert(close_to(sim_series(&s, "s")[k], decay_exact(migdev_run_times(s.r)[k]), 1e-5, 0));
    }
    ck_assert(migdev_run_times(s.r)[10] == 1.0);
    sim_free(&s);
}
END_TEST

/* ---------------------------------------------------------------- errors */

static char *spec_error(migdev_method method, double start, double stop, double dt, double save)
{
    migdev_model *m = load_model_text(decay);
    migdev_sim_spec sp = spec_of(method, start, stop, dt);
    sp.save_every = save;
    migdev_error err;
    migdev_error_clear(&err);
    migdev_run *r = migdev_run_new(m, &sp, &err);
    ck_assert_ptr_null(r);
    ck_assert_int_eq(err.code, MIGDEV_E_RANGE);
    migdev_model_free(m);
    return strdup(err.message);
}

#define ck_spec_error(method, start, stop, dt, save, msg)                  \
    do {                                                                   \
        char *m_ = spec_error(method, start, stop, dt, save);              \
        ck_assert_str_eq(m_, msg);                                         \
        free(m_);                                                          \
    } while (0)

START_TEST(time_span_validation)
{
    ck_spec_error(MIGDEV_EULER, 0, 10, 0.125, 0.3,
                  "save_every = 0.3 must be a whole multiple of dt = 0.125");
    ck_spec_error(MIGDEV_RK4, 0, 10, 0.125, 0.1,
                  "save_every = 0.1 must be a whole multiple of dt = 0.125");
    ck_spec_error(MIGDEV_EULER, 0, 10.05, 0.1, 0.1,
                  "the time span 10.05 (from 0 to 10.05) is not a whole number of steps dt = 0.1");
    ck_spec_error(MIGDEV_EULER, 0, 10, 0, 1, "dt must be positive, got 0");
    ck_spec_error(MIGDEV_RKF45, 0, 10, -1, 1, "dt must be positive, got -1");
    ck_spec_error(MIGDEV_EULER, 0, 10, NAN, 1, "dt must be positive, got nan");
    ck_spec_error(MIGDEV_EULER, 0, 10, 1, -2, "save_every must be positive, got -2");
    ck_spec_error(MIGDEV_EULER, 5, 5, 1, 1, "the stop time (5) must be greater than the start time (5)");
    ck_spec_error(MIGDEV_EULER, 5, 1, 1, 1, "the stop time (1) must be greater than the start time (5)");
    ck_spec_error(MIGDEV_EULER, 0, INFINITY, 1, 1,
                  "the stop time (inf) must be greater than the start time (0)");
    ck_spec_error(MIGDEV_EULER, 0, 1e4, 1e-12, 1,
                  "dt = 1e-12 is too small for the time span 10000 (over 2e9 steps)");
    ck_spec_error(MIGDEV_RKF45, 0, 1e4, 1, 1e-5, "save_every = 1e-05 gives over 1e8 save times");
    /* tolerances of adaptive methods */
    migdev_model *m = load_model_text(decay);
    migdev_sim_spec sp = spec_of(MIGDEV_RKF45, 0, 10, 1);
    sp.abs_tol = 0.0;
    migdev_error err;
    migdev_error_clear(&err);
    ck_assert_ptr_null(migdev_run_new(m, &sp, &err));
    ck_assert_str_eq(err.message, "tolerances must be positive (abs_tol = 0, rel_tol = 1e-06)");
    /* a relative tolerance finer than double precision can never be met
       (bsimp then crawled without end) */
    sp = spec_of(MIGDEV_BSIMP, 0, 10, 1);
    sp.abs_tol = 1e-300;
    sp.rel_tol = 1e-300;
    migdev_error_clear(&err);
    ck_assert_ptr_null(migdev_run_new(m, &sp, &err));
    ck_assert_str_eq(err.message,
                     "rel_tol = 1e-300 is below what double precision can reach (use 1e-14 or more)");
    /* an unknown method */
    sp = spec_of((migdev_method)42, 0, 10, 1);
    migdev_error_clear(&err);
    ck_assert_ptr_null(migdev_run_new(m, &sp, &err));
    ck_assert_str_eq(err.message, "unknown integration method 42");
    /* adaptive methods need no multiple; save_every 0 means every dt */
    sp = spec_of(MIGDEV_RKF45, 0, 10, 0.3);
    sp.save_every = 0.7;
    migdev_run *r = migdev_run_new(m, &sp, &err);
    ck_assert_ptr_nonnull(r);
    migdev_run_free(r);
    sp = spec_of(MIGDEV_EULER, 0, 1, 0.25);
    sp.save_every = 0.0;
    r = migdev_run_new(m, &sp, &err);
    ck_assert_int_eq(migdev_run_execute(r, &err), 0);
    ck_assert_int_eq((int)migdev_run_n_saves(r), 5);
    migdev_run_free(r);
    migdev_model_free(m);
}
END_TEST

/* ----------------------------------------------------------- special cases */

START_TEST(model_without_stocks)
{
    static const char text[] =
        "time = { start = 1.0; stop = 3.0; dt = 0.5; };\n"
        "auxiliaries = ( { name = \"x\"; equation = \"time ^ 2\"; } );\n";
    for (int method = MIGDEV_EULER; method <= MIGDEV_RKF45; method++) {
        migdev_sim_spec sp = spec_of((migdev_method)method, 1.0, 3.0, 0.5);
        sim s = sim_run(text, &sp);
        ck_assert_int_eq((int)sim_n(&s), 5);
        for (int k = 0; k < 5; k++) {
            const double t = 1.0 + 0.5 * k;
            ck_assert(migdev_run_times(s.r)[k] == t);
            ck_assert(sim_series(&s, "x")[k] == t * t);
        }
        sim_free(&s);
    }
}
END_TEST

START_TEST(non_negative_stock_euler)
{
    /* s starts at 10 and drains through o1 (to r) and o2, 3 each; from
       t = 4 an inflow of 1 comes in. Outflows are served in their order,
       each cut to what s holds plus its inflows over one dt (= 1):
         t  s   i  o1 o2  r
         0  10  0  3  3   0
         1  4   0  3  1   3
         2  0   0  0  0   6
         3  0   0  0  0   6
         4  0   1  1  0   6
         5  0   1  1  0   7
         6  0   1  1  0   8 */
    static const char text[] =
        "time = { stop = 6.0; dt = 1.0; };\n"
        "stocks = ( { name = \"s\"; init = 10; inflows = [\"i\"]; outflows = [\"o1\", \"o2\"];\n"
        "             non_negative = true; },\n"
        "           { name = \"r\"; init = 0; } );\n"
        "flows = ( { name = \"i\"; equation = \"step(1, 4)\"; },\n"
        "          { name = \"o1\"; equation = \"3\"; to = \"r\"; },\n"
        "          { name = \"o2\"; equation = \"3\"; } );\n";
    sim s = sim_run(text, NULL);
    const double S[] = {10, 4, 0, 0, 0, 0, 0}, O1[] = {3, 3, 0, 0, 1, 1, 1};
    const double O2[] = {3, 1, 0, 0, 0, 0, 0}, R[] = {0, 3, 6, 6, 6, 7, 8};
    for (int k = 0; k <= 6; k++) {
        ck_assert_msg(sim_series(&s, "s")[k] == S[k], "s k=%d: %g", k, sim_series(&s, "s")[k]);
        ck_assert_msg(sim_series(&s, "o1")[k] == O1[k], "o1 k=%d: %g", k, sim_series(&s, "o1")[k]);
        ck_assert_msg(sim_series(&s, "o2")[k] == O2[k], "o2 k=%d: %g", k, sim_series(&s, "o2")[k]);
        ck_assert_msg(sim_series(&s, "r")[k] == R[k], "r k=%d: %g", k, sim_series(&s, "r")[k]);
    }
    sim_free(&s);
}
END_TEST

START_TEST(non_negative_stock_other_methods)
{
    /* a decay that would overshoot below zero with large steps; rk4 cuts
       the outflow at each stage; the adaptive methods only once the stock
       is at zero, so they may dip below it by about their tolerance */
    static const char text[] =
        "stocks = ( { name = \"s\"; init = 1; outflows = [\"o\"]; non_negative = true; } );\n"
        "flows = ( { name = \"o\"; equation = \"0.3 + 2 * s\"; } );\n";
    const migdev_method methods[] = {MIGDEV_RK4, MIGDEV_RKF45, MIGDEV_MSBDF};
    for (size_t i = 0; i < 3; i++) {
        const migdev_sim_spec sp = spec_of(methods[i], 0.0, 5.0, 0.25);
        sim s = sim_run(text, &sp);
        for (size_t k = 0; k < sim_n(&s); k++)
            ck_assert_msg(sim_series(&s, "s")[k] >= (i == 0 ? 0.0 : -1e-5), "%s k=%zu: %g",
                          migdev_method_name(methods[i]), k, sim_series(&s, "s")[k]);
        /* the stock has emptied by t = 5 */
        ck_assert(fabs(sim_series(&s, "s")[sim_n(&s) - 1]) < 1e-5);
        sim_free(&s);
    }
}
END_TEST

START_TEST(non_negative_cut_is_seen_downstream)
{
    /* the cut is part of the flow's own value (XMILE's option filter), so
       what reads the flow sees the cut value: s = 1 over dt = 1 can give
       1, so o (wanting 3) gives 1, and a = 2*o is 2, not 6 */
    static const char text[] =
        "time = { stop = 2.0; dt = 1.0; };\n"
        "stocks = ( { name = \"s\"; init = 1; outflows = [\"o\"]; non_negative = true; } );\n"
        "flows = ( { name = \"o\"; equation = \"3\"; } );\n"
        "auxiliaries = ( { name = \"a\"; equation = \"2 * o\"; } );\n";
    sim s = sim_run(text, NULL);
    const double S[] = {1, 0, 0}, O[] = {1, 0, 0}, A[] = {2, 0, 0};
    for (int k = 0; k <= 2; k++) {
        ck_assert_msg(sim_series(&s, "s")[k] == S[k], "s k=%d: %g", k, sim_series(&s, "s")[k]);
        ck_assert_msg(sim_series(&s, "o")[k] == O[k], "o k=%d: %g", k, sim_series(&s, "o")[k]);
        ck_assert_msg(sim_series(&s, "a")[k] == A[k], "a k=%d: %g", k, sim_series(&s, "a")[k]);
    }
    sim_free(&s);
}
END_TEST

START_TEST(non_negative_negative_inflow)
{
    /* a biflow inflow that turns negative drains the stock like an outflow
       and is cut the same way: s = 1, f = -2, dt = 0.5: s can give 1/0.5 = 2
       a unit of time, so f = -2 at t = 0 (s -> 0), then f is cut to 0 */
    static const char text[] =
        "time = { stop = 1.5; dt = 0.5; };\n"
        "stocks = ( { name = \"s\"; init = 1; inflows = [\"f\"]; non_negative = true; } );\n"
        "flows = ( { name = \"f\"; equation = \"-2\"; } );\n";
    sim s = sim_run(text, NULL);
    const double S[] = {1, 0, 0, 0}, F[] = {-2, 0, 0, 0};
    for (int k = 0; k <= 3; k++) {
        ck_assert_msg(sim_series(&s, "s")[k] == S[k], "s k=%d: %g", k, sim_series(&s, "s")[k]);
        ck_assert_msg(sim_series(&s, "f")[k] == F[k], "f k=%d: %g", k, sim_series(&s, "f")[k]);
    }
    sim_free(&s);
}
END_TEST

START_TEST(non_negative_stocks_exchanging)
{
    /* a and b (both non-negative) send each other flows: counting each
       flow in the other's cut would be a loop, so the filter settled second
       (b's, for g) leaves f out. With dt = 1, f (a -> b) wants 2, g (b -> a)
       wants 1; g is cut to what b holds, f to what a holds plus g:
         t  a  b  g              f
         0  3  0  min(1, 0) = 0  min(2, 3 + 0) = 2
         1  1  2  min(1, 2) = 1  min(2, 1 + 1) = 2
         2  0  3  1              min(2, 0 + 1) = 1
         3  0  3  1              1                                     */
    static const char text[] =
        "time = { stop = 3.0; dt = 1.0; };\n"
        "stocks = ( { name = \"a\"; init = 3; non_negative = true; },\n"
        "           { name = \"b\"; init = 0; non_negative = true; } );\n"
        "flows = ( { name = \"f\"; equation = \"2\"; from = \"a\"; to = \"b\"; },\n"
        "          { name = \"g\"; equation = \"1\"; from = \"b\"; to = \"a\"; } );\n";
    sim s = sim_run(text, NULL);
    const double A[] = {3, 1, 0, 0}, B[] = {0, 2, 3, 3}, F[] = {2, 2, 1, 1}, G[] = {0, 1, 1, 1};
    for (int k = 0; k <= 3; k++) {
        ck_assert_msg(sim_series(&s, "a")[k] == A[k], "a k=%d: %g", k, sim_series(&s, "a")[k]);
        ck_assert_msg(sim_series(&s, "b")[k] == B[k], "b k=%d: %g", k, sim_series(&s, "b")[k]);
        ck_assert_msg(sim_series(&s, "f")[k] == F[k], "f k=%d: %g", k, sim_series(&s, "f")[k]);
        ck_assert_msg(sim_series(&s, "g")[k] == G[k], "g k=%d: %g", k, sim_series(&s, "g")[k]);
    }
    sim_free(&s);
}
END_TEST

START_TEST(non_negative_flows)
{
    /* f = max(0, 5 - t): q gains 5, 4, 3, 2, 1, then nothing; a negative
       uniflow out of d does not fill it */
    static const char text[] =
        "time = { stop = 8.0; dt = 1.0; };\n"
        "stocks = ( { name = \"q\"; init = 0; inflows = [\"f\"]; },\n"
        "           { name = \"d\"; init = 0; outflows = [\"g\"]; } );\n"
        "flows = ( { name = \"f\"; equation = \"5 - time\"; non_negative = true; },\n"
        "          { name = \"g\"; equation = \"time - 5\"; non_negative = true; } );\n";
    sim s = sim_run(text, NULL);
    const double Q[] = {0, 5, 9, 12, 14, 15, 15, 15, 15}, F[] = {5, 4, 3, 2, 1, 0, 0, 0, 0};
    const double D[] = {0, 0, 0, 0, 0, 0, 0, -1, -3};
    for (int k = 0; k <= 8; k++) {
        ck_assert_msg(sim_series(&s, "q")[k] == Q[k], "q k=%d", k);
        ck_assert_msg(sim_series(&s, "f")[k] == F[k], "f k=%d", k);
        ck_assert_msg(sim_series(&s, "d")[k] == D[k], "d k=%d: %g", k, sim_series(&s, "d")[k]);
    }
    sim_free(&s);
}
END_TEST

/* ---------------------------------------------------------------- limits */

START_TEST(solver_gives_up_on_a_blow_up)
{
    /* y' = y^2, y(0) = 1 has y = 1/(1 - t): it blows up at t = 1. Each
       adaptive method must stop there with an error naming the time. */
    static const char text[] =
        "time = { stop = 2.0; dt = 0.1; };\n"
        "stocks = ( { name = \"y\"; init = 1; inflows = [\"f\"]; } );\n"
        "flows = ( { name = \"f\"; equation = \"y * y\"; } );\n";
    const migdev_method methods[] = {MIGDEV_RK2,    MIGDEV_RKF45, MIGDEV_RKCK,    MIGDEV_RK8PD,
                                     MIGDEV_RK4IMP, MIGDEV_BSIMP, MIGDEV_MSADAMS, MIGDEV_MSBDF};
    migdev_model *m = load_model_text(text);
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        const migdev_sim_spec sp = spec_of(methods[i], 0.0, 2.0, 0.1);
        migdev_error err;
        migdev_error_clear(&err);
        migdev_run *r = migdev_run_new(m, &sp, &err);
        const int rc = migdev_run_execute(r, &err);
        ck_assert_msg(rc == MIGDEV_E_INTEGRATOR || rc == MIGDEV_E_NONFINITE, "%s: %d",
                      migdev_method_name(methods[i]), rc);
        double t = 0.0;
        ck_assert_msg(sscanf(err.message, "at t=%lf:", &t) == 1, "%s", err.message);
        ck_assert_msg(fabs(t - 1.0) < 1e-3, "%s", err.message);
        /* the saves before the failure stay readable */
        ck_assert(migdev_run_n_saves(r) >= 10 && migdev_run_n_saves(r) <= 11);
        /* y(0.5) = 2 (the multistep methods are the least precise here) */
        ck_assert(close_to(migdev_run_series(r, migdev_model_find(m, "y"))[5], 2.0, 1e-3, 0));
        migdev_run_free(r);
    }
    migdev_model_free(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("integrate");
    TCase *core = tcase_create("core");
    tcase_add_test(core, euler_is_the_hand_recurrence);
    tcase_add_test(core, rk4_is_the_hand_recurrence);
    tcase_add_test(core, fixed_steps_converge_to_the_exact_solution);
    tcase_add_test(core, adaptive_methods_match_the_exact_solutions);
    tcase_add_test(core, stiff_methods_on_a_stiff_model);
    tcase_add_test(core, runs_repeat_exactly);
    tcase_add_test(core, max_step_limits_adaptive_steps);
    tcase_add_test(core, save_times);
    tcase_add_test(core, model_without_stocks);
    tcase_add_test(core, non_negative_stock_euler);
    tcase_add_test(core, non_negative_stock_other_methods);
    tcase_add_test(core, non_negative_flows);
    tcase_add_test(core, non_negative_cut_is_seen_downstream);
    tcase_add_test(core, non_negative_negative_inflow);
    tcase_add_test(core, non_negative_stocks_exchanging);
    tcase_set_timeout(core, 120);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, time_span_validation);
    suite_add_tcase(s, errors);
    TCase *limits = tcase_create("limits");
    tcase_add_test(limits, solver_gives_up_on_a_blow_up);
    tcase_set_timeout(limits, 60);
    suite_add_tcase(s, limits);
    return run_suite(s);
}
