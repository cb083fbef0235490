/*
** check_step.c - the step API (src/run_step.c): a run advanced in pieces
** records what one execution records, to the bit; a constant changed
** between two pieces takes effect there (checked against the closed forms
** of exponential decay under Euler's method and exactly); the current
** time and values; errors.
*/
#include "modelutil.h"

#include <math.h>
#include <string.h>

/* Exponential decay x' = -k x from x(0) = 100 over [0, 10]. */
static const char decay[] =
    "time = { start = 0.0; stop = 10.0; dt = 0.25; save_every = 1.0; };\n"
    "constants = ( { name = \"k\"; value = 0.1; } );\n"
    "stocks = ( { name = \"x\"; init = 100.0; outflows = [\"loss\"]; } );\n"
    "flows = ( { name = \"loss\"; equation = \"k * x\"; } );\n";

/* Stocks, delays, smooths and random draws: everything a step carries. */
static const char busy[] =
    "time = { start = 0.0; stop = 20.0; dt = 0.125; save_every = 0.5; };\n"
    "constants = ( { name = \"a\"; value = 0.3; } );\n"
    "stocks = ( { name = \"s\"; init = 10.0; inflows = [\"in\"]; outflows = [\"out\"]; } );\n"
    "flows = ( { name = \"in\"; equation = \"a * delay_fixed(s, 1.5, 10) + random_uniform(0, 1)\"; },\n"
    "          { name = \"out\"; equation = \"smooth(s, 2) * 0.35\"; } );\n";

static migdev_run *new_run(migdev_model *m, migdev_method method)
{
    migdev_sim_spec spec = migdev_model_default_spec(m);
    spec.method = method;
    migdev_error err;
    migdev_run *r = migdev_run_new(m, &spec, &err);
    ck_assert_msg(r != NULL, "%s", err.message);
    return r;
}

START_TEST(pieces_equal_one_execution)
{
    static const double stops[] = {0.0, 0.3, 0.3, 1.0, 4.71, 4.75, 12.0, 19.99, 100.0};
    const migdev_method methods[] = {MIGDEV_EULER, MIGDEV_RK4}; /* delay_fixed: fixed steps */
    migdev_model *m = load_model_text(busy);
    for (size_t mi = 0; mi < sizeof methods / sizeof methods[0]; mi++) {
        migdev_run *whole = new_run(m, methods[mi]), *steps = new_run(m, methods[mi]);
        migdev_error err;
        ck_assert_int_eq(migdev_run_execute(whole, &err), 0);
        for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++)
            ck_assert_int_eq(migdev_run_advance(steps, stops[i], &err), 0);
        ck_assert(migdev_run_is_finished(steps));
        ck_assert(same_bits(migdev_run_time(steps), 20.0));
        const size_t n = migdev_run_n_saves(whole);
        ck_assert_int_eq((int)n, 41);
        ck_assert_int_eq((int)migdev_run_n_saves(steps), (int)n);
        for (int v = 0; v < migdev_model_n_vars(m); v++) {
            const double *a = migdev_run_series(whole, v), *b = migdev_run_series(steps, v);
            ck_assert_int_eq(memcmp(a, b, n * sizeof *a), 0);
        }
        migdev_run_free(whole);
        migdev_run_free(steps);
    }
    migdev_model_free(m);
}
END_TEST

START_TEST(policy_change_with_euler)
{
    /* k = 0.1 for 4 years, then 0.3: Euler multiplies x by (1 - k dt) each
       step, 16 steps of 0.975 then 24 of 0.925 */
    migdev_model *m = load_model_text(decay);
    migdev_run *r = new_run(m, MIGDEV_EULER);
    migdev_error err;
    const int k = migdev_model_find(m, "k"), x = migdev_model_find(m, "x");
    const int loss = migdev_model_find(m, "loss");
    ck_assert_int_eq(migdev_run_advance(r, 4.0, &err), 0);
    ck_assert(same_bits(migdev_run_time(r), 4.0));
    const double x4 = 100.0 * pow(0.975, 16);
    ck_assert(close_to(migdev_run_value(r, x), x4, 1e-13, 0));
    ck_assert(close_to(migdev_run_value(r, loss), 0.1 * x4, 1e-13, 0));
    ck_assert_int_eq(migdev_run_set_constant(r, k, 0.3, &err), 0);
    ck_assert(same_bits(migdev_run_value(r, k), 0.3));
    ck_assert_int_eq(migdev_run_advance(r, 10.0, &err), 0);
    const double *xs = migdev_run_series(r, x), *ls = migdev_run_series(r, loss);
    ck_assert_int_eq((int)migdev_run_n_saves(r), 11);
    ck_assert(close_to(xs[3], 100.0 * pow(0.975, 12), 1e-13, 0));
    ck_assert(close_to(xs[4], x4, 1e-13, 0));
    ck_assert(close_to(ls[4], 0.3 * x4, 1e-13, 0)); /* the row at the change follows it */
    ck_assert(close_to(ls[3], 0.1 * xs[3], 1e-13, 0));
    ck_assert(close_to(xs[10], x4 * pow(0.925, 24), 1e-12, 0));
    ck_assert(close_to(migdev_run_value(r, x), xs[10], 0, 0));
    migdev_run_free(r);
    migdev_model_free(m);
}
END_TEST

START_TEST(policy_change_adaptive)
{
    /* rkf45 against the exact solution 100 e^{-0.1 t} until 2.5 (not a save
       time), then 100 e^{-0.25} e^{-0.5 (t - 2.5)} */
    migdev_model *m = load_model_text(decay);
    migdev_run *r = new_run(m, MIGDEV_RKF45);
    migdev_error err;
    const int k = migdev_model_find(m, "k"), x = migdev_model_find(m, "x");
    ck_assert_int_eq(migdev_run_advance(r, 2.5, &err), 0);
    ck_assert(same_bits(migdev_run_time(r), 2.5));
    ck_assert_int_eq((int)migdev_run_n_saves(r), 3); /* 0, 1, 2 */
    ck_assert(close_to(migdev_run_value(r, x), 100.0 * exp(-0.25), 1e-5, 0));
    ck_assert_int_eq(migdev_run_set_constant(r, k, 0.5, &err), 0);
    ck_assert_int_eq(migdev_run_advance(r, 10.0, &err), 0);
    const double *xs = migdev_run_series(r, x);
    for (int t = 0; t <= 10; t++) {
        const double want = t <= 2 ? 100.0 * exp(-0.1 * t) : 100.0 * exp(-0.25 - 0.5 * (t - 2.5));
        ck_assert_msg(close_to(xs[t], want, 1e-5, 0), "t=%d: %g, want %g", t, xs[t], want);
    }
    migdev_run_free(r);
    migdev_model_free(m);
}
END_TEST

START_TEST(restart_and_execute)
{
    migdev_model *m = load_model_text(decay);
    migdev_run *r = new_run(m, MIGDEV_EULER);
    migdev_error err;
    const int x = migdev_model_find(m, "x");
    ck_assert(isnan(migdev_run_time(r)));
    ck_assert(isnan(migdev_run_value(r, x)));
    ck_assert(same_bits(migdev_run_value(r, migdev_model_find(m, "k")), 0.1));
    ck_assert_int_eq(migdev_run_advance(r, 5.0, &err), 0);
    ck_assert_int_eq(migdev_run_start(r, &err), 0); /* back to the start */
    ck_assert(same_bits(migdev_run_time(r), 0.0));
    ck_assert_int_eq((int)migdev_run_n_saves(r), 1);
    ck_assert(same_bits(migdev_run_value(r, x), 100.0));
    ck_assert_int_eq(migdev_run_execute(r, &err), 0); /* ends the step-by-step run */
    ck_assert(isnan(migdev_run_time(r)));
    ck_assert_int_eq(migdev_run_advance(r, 1.0, &err), 0); /* a new one */
    ck_assert(close_to(migdev_run_value(r, x), 100.0 * pow(0.975, 4), 1e-13, 0));
    ck_assert(isnan(migdev_run_value(r, 99)));
    migdev_run_free(r);
    migdev_model_free(m);
}
END_TEST

START_TEST(errors)
{
    migdev_model *m = load_model_text(decay);
    migdev_run *r = new_run(m, MIGDEV_EULER);
    migdev_error err;
    migdev_error_clear(&err);
    ck_assert_int_eq(migdev_run_advance(r, 3.0, &err), 0);
    ck_assert_int_eq(migdev_run_advance(r, 2.0, &err), MIGDEV_E_RANGE);
    ck_assert_str_eq(err.message, "cannot advance to t=2: the run is already at t=3");
    migdev_error_clear(&err);
    ck_assert_int_eq(migdev_run_advance(r, NAN, &err), MIGDEV_E_RANGE);
    ck_assert_int_eq(migdev_run_advance(r, 3.0, &err), 0); /* where it is: nothing to do */
    migdev_run_free(r);
    migdev_model_free(m);
    /* a blow-up while advancing names its time, as an execution does */
    static const char text[] =
        "time = { stop = 5.0; dt = 0.5; };\n"
        "auxiliaries = ( { name = \"y\"; equation = \"1 / (time - 2.5)\"; } );\n";
    m = load_model_text(text);
    r = new_run(m, MIGDEV_EULER);
    migdev_error_clear(&err);
    ck_assert_int_eq(migdev_run_advance(r, 5.0, &err), MIGDEV_E_NONFINITE);
    ck_assert_str_eq(err.message, "at t=2.5: 'y' became +infinity");
    migdev_run_free(r);
    migdev_model_free(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("step");
    TCase *core = tcase_create("core");
    tcase_add_test(core, pieces_equal_one_execution);
    tcase_add_test(core, policy_change_with_euler);
    tcase_add_test(core, policy_change_adaptive);
    tcase_add_test(core, restart_and_execute);
    tcase_add_test(core, errors);
    suite_add_tcase(s, core);
    return run_suite(s);
}
