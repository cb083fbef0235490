/*
** check_builtins.c - every built-in function (src/builtins.c, src/vm.c):
** the pure ones on hand-computed values, step/pulse/ramp timing,
** smooth/smooth3/delay1/delay3 against their analytic responses and the
** Euler recurrence of their stages (as Vensim computes them), and init().
*/
#include "modelutil.h"

#include <math.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* the constants c and d of eval_eq; volatile so that the compiler does not
   fold the libm calls below (its correctly rounded values may differ from
   the C library's by an ulp) */
static volatile double C = 2.385, D = -1.75;

#define ck_eval(eq, want)                                                                \
    do {                                                                                 \
        const double got_ = eval_eq(eq);                                                 \
        const double want_ = (want);                                                     \
        ck_assert_msg(same_bits(got_, want_), "%s = %.17g, expected %.17g", eq, got_, want_); \
    } while (0)

/* ----------------------------------------------------------------- pure */

START_TEST(min_max)
{
    ck_eval("min(3, 1)", 1.0);
    ck_eval("min(3, 1, 2)", 1.0);
    ck_eval("min(5, 3, 9, -2, 7)", -2.0);
    ck_eval("min(c, d)", D);
    ck_eval("min(4, 4)", 4.0);
    ck_eval("max(3, 7)", 7.0);
    ck_eval("max(3, 7, 5, 6)", 7.0);
    ck_eval("max(d, c, 0)", C);
    ck_eval("max(-1, -2, -3)", -1.0);
}
END_TEST

START_TEST(abs_exp_ln_log10_sqrt)
{
    ck_eval("abs(d)", 1.75);
    ck_eval("abs(3)", 3.0);
    ck_eval("exp(0)", 1.0);
    ck_eval("exp(c)", exp(C));
    ck_eval("ln(1)", 0.0);
    ck_eval("ln(c)", log(C));
    ck_eval("log10(1000)", 3.0);
    ck_eval("log10(0.01)", -2.0);
    ck_eval("log10(c)", log10(C));
    ck_eval("sqrt(16)", 4.0);
    ck_eval("sqrt(c)", sqrt(C));
}
END_TEST

START_TEST(int_is_floor)
{
    ck_eval("int(2.7)", 2.0);
    ck_eval("int(-2.5)", -3.0); /* floor, as XMILE's INT; not truncation */
    ck_eval("int(-3)", -3.0);
    ck_eval("int(d)", -2.0);
    ck_eval("int(0.999)", 0.0);
    ck_eval("int(c)", 2.0);
}
END_TEST

START_TEST(mod_sign_follows_divisor)
{
    /* mod(a, b) = a - b*floor(a/b) */
    ck_eval("mod(7, 3)", 1.0);
    ck_eval("mod(-7, 3)", 2.0);   /* -7 - 3*(-3) */
    ck_eval("mod(7, -3)", -2.0);  /* 7 - (-3)*(-3) */
    ck_eval("mod(-7, -3)", -1.0); /* -7 - (-3)*2 */
    ck_eval("mod(5.5, 2)", 1.5);
    ck_eval("mod(6, 3)", 0.0);
    ck_eval("mod(c, 1)", C - 1.0 * floor(C / 1.0));
    ck_eval("mod(c, d)", C - D * floor(C / D));
}
END_TEST

START_TEST(pow_and_trig)
{
    ck_eval("pow(2, 10)", 1024.0);
    ck_eval("pow(c, d)", pow(C, D));
    ck_eval("pow(9, 0.5)", 3.0);
    ck_eval("c ^ d", pow(C, D)); /* the same as pow */
    ck_eval("sin(0)", 0.0);
    ck_eval("sin(pi / 2)", 1.0);
    ck_eval("sin(c)", sin(C));
    ck_eval("cos(0)", 1.0);
    ck_eval("cos(pi)", -1.0);
    ck_eval("cos(c)", cos(C));
    ck_eval("tan(0)", 0.0);
    ck_eval("tan(c)", tan(C));
    ck_eval("arcsin(1)", asin(1.0));
    ck_eval("arcsin(d / 2)", asin(D / 2));
    ck_eval("arccos(0.5)", acos(0.5));
    ck_eval("arccos(-1)", M_PI);
    ck_eval("arctan(1)", atan(1.0));
    ck_eval("arctan(c)", atan(C));
}
END_TEST

START_TEST(if_then_else)
{
    ck_eval("if_then_else(1, 2, 3)", 2.0);
    ck_eval("if_then_else(0, 2, 3)", 3.0);
    ck_eval("if_then_else(0.1, 5, 6)", 5.0); /* any non-zero is true */
    ck_eval("if_then_else(-1, 5, 6)", 5.0);
    ck_eval("if_then_else(c > d, c, d)", C);
    ck_eval("if_then_else(c < d, c, d)", D);
    ck_eval("if_then_else(c > d, 1, 0) + if_then_else(c < d, 10, 20)", 21.0);
    /* both branches are evaluated, but only the chosen one is the value:
       an infinity in the other one does not stop the run */
    ck_eval("if_then_else(c > 0, 2, 1 / (c - c))", 2.0);
}
END_TEST

START_TEST(safediv)
{
    ck_eval("safediv(6, 3)", 2.0);
    ck_eval("safediv(6, 0)", 0.0);
    ck_eval("safediv(6, 0, 9)", 9.0);
    ck_eval("safediv(c, d)", C / D);
    ck_eval("safediv(c, c - c, d)", D);
    ck_eval("safediv(c, d, 5)", C / D);
}
END_TEST

/* allocate_by_priority(element, width, supply, r1, p1, ...), Vensim's
** ALLOCATE BY PRIORITY with rectangular profiles: requester i receives
** r_i * clamp((p_i - L) / width, 0, 1) at the level L where the shares sum
** to the supply. Hand computations:
**  r = (3, 6, 2.5), p = (10, 9, 7), width 3.
**  supply 5: L in [7, 9]: (10 - L) + 2 (9 - L) = 5, L = 23/3; shares
**    7/3, 8/3, 0.
**  supply 10: the first two are served in full (L <= 6) and the third gets
**    2.5 (7 - L) / 3 = 1 (L = 5.8): 3, 6, 1.
**  supply 12 >= 11.5 requested: every request; supply 0: nothing.
**  equal priorities share in proportion to the requests: r = (2, 6),
**  supply 4: 1 and 3. */
#define ck_alloc(eq, want)                                                               \
    ck_assert_msg(fabs(eval_eq(eq) - (want)) <= 1e-12, "%s = %.17g, expected %.17g", eq,  \
                  eval_eq(eq), (double)(want))
START_TEST(allocate_by_priority)
{
    ck_alloc("allocate_by_priority(0, 3, 5, 3, 10, 6, 9, 2.5, 7)", 7.0 / 3.0);
    ck_alloc("allocate_by_priority(1, 3, 5, 3, 10, 6, 9, 2.5, 7)", 8.0 / 3.0);
    ck_alloc("allocate_by_priority(2, 3, 5, 3, 10, 6, 9, 2.5, 7)", 0.0);
    ck_alloc("allocate_by_priority(0, 3, 10, 3, 10, 6, 9, 2.5, 7)", 3.0);
    ck_alloc("allocate_by_priority(1, 3, 10, 3, 10, 6, 9, 2.5, 7)", 6.0);
    ck_alloc("allocate_by_priority(2, 3, 10, 3, 10, 6, 9, 2.5, 7)", 1.0);
    /* the order of the requesters does not matter */
    ck_alloc("allocate_by_priority(0, 3, 10, 2.5, 7, 3, 10, 6, 9)", 1.0);
    ck_eval("allocate_by_priority(2, 3, 12, 3, 10, 6, 9, 2.5, 7)", 2.5);
    ck_eval("allocate_by_priority(1, 3, 0, 3, 10, 6, 9, 2.5, 7)", 0.0);
    ck_alloc("allocate_by_priority(0, 1, 4, 2, 5, 6, 5)", 1.0);
    ck_alloc("allocate_by_priority(1, 1, 4, 2, 5, 6, 5)", 3.0);
    /* nothing sensible: a negative request, a width that is not positive,
       an element that is no requester */
    ck_eval("allocate_by_priority(0, 1, 4, 2, 5, 6, 5) = allocate_by_priority(0, 1, 4, 2, 5, 6, 5)",
            1.0); /* a number equals itself; NaN (below) does not */
    ck_eval("allocate_by_priority(0, 1, 4, -2, 5, 6, 5) = allocate_by_priority(0, 1, 4, -2, 5, 6, 5)",
            0.0);
    ck_eval("allocate_by_priority(0, 0, 4, 2, 5, 6, 5) = allocate_by_priority(0, 0, 4, 2, 5, 6, 5)",
            0.0);
    ck_eval("allocate_by_priority(2, 1, 4, 2, 5, 6, 5) = allocate_by_priority(2, 1, 4, 2, 5, 6, 5)",
            0.0);
    char *msg = eq_error("allocate_by_priority(0, 1, 4, 2, 5, 6)");
    ck_assert_msg(strstr(msg, "a request and a priority"), "%s", msg);
    free(msg);
    /* a time-varying supply (not folded): the same shares */
    ck_alloc("allocate_by_priority(1, 3, 5 + 0 * time, 3, 10, 6, 9, 2.5, 7)", 8.0 / 3.0);
}
END_TEST

/* allocate_available(element, avail, r1, type1, priority1, width1, extra1,
** ...), Vensim's ALLOCATE AVAILABLE: requester i receives r_i f_i(L), f_i
** the part of its priority profile above the level L where the shares sum
** to avail. Hand computations:
**  rectangular (type 1), r = (3, 6, 2.5), p = (10, 9, 7), width 3: f_i =
**    clamp((p_i + 1.5 - L) / 3, 0, 1); avail 5: for L in [8.5, 10],
**    (11.5 - L) + 2 (10.5 - L) = 5, L = 55/6: 7/3, 8/3, 0.
**  normal (type 3, sd 1), r = (10, 10), p = (6, 4), avail 10: L = 5 by
**    symmetry: 10 Phi(1) = 8.413447460685429 and 10 Phi(-1).
**  exponential (type 4, scale 1), same: 10 (1 - e^-1 / 2), 10 e^-1 / 2.
**  triangular (type 2, width 2), r = (10, 10), p = (10, 9), avail 10:
**    L = 9.5, 10 (1 - 2 (0.5)^2 / 4) = 8.75 and 10 * 2 (0.5)^2 / 4 = 1.25.
**  avail above the requests: the requests; a type other than 1-4 or a
**  negative request: NaN. */
START_TEST(allocate_available)
{
    ck_alloc("allocate_available(0, 5, 3, 1, 10, 3, 0, 6, 1, 9, 3, 0, 2.5, 1, 7, 3, 0)", 7.0 / 3.0);
    ck_alloc("allocate_available(1, 5, 3, 1, 10, 3, 0, 6, 1, 9, 3, 0, 2.5, 1, 7, 3, 0)", 8.0 / 3.0);
    ck_alloc("allocate_available(2, 5, 3, 1, 10, 3, 0, 6, 1, 9, 3, 0, 2.5, 1, 7, 3, 0)", 0.0);
    ck_alloc("allocate_available(0, 10, 10, 3, 6, 1, 0, 10, 3, 4, 1, 0)", 8.413447460685429);
    ck_alloc("allocate_available(1, 10, 10, 3, 6, 1, 0, 10, 3, 4, 1, 0)", 1.5865525393145707);
    ck_alloc("allocate_available(0, 10, 10, 4, 6, 1, 0, 10, 4, 4, 1, 0)", 10 - 5 * exp(-1.0));
    ck_alloc("allocate_available(0, 10, 10, 2, 10, 2, 0, 10, 2, 9, 2, 0)", 8.75);
    ck_alloc("allocate_available(1, 10, 10, 2, 10, 2, 0, 10, 2, 9, 2, 0)", 1.25);
    ck_alloc("allocate_available(1, 30, 10, 2, 10, 2, 0, 10, 2, 9, 2, 0)", 10.0);
    ck_alloc("allocate_available(1, 0, 10, 2, 10, 2, 0, 10, 2, 9, 2, 0)", 0.0);
    ck_eval("allocate_available(0, 5, 3, 5, 10, 3, 0, 6, 1, 9, 3, 0) = "
            "allocate_available(0, 5, 3, 5, 10, 3, 0, 6, 1, 9, 3, 0)",
            0.0); /* type 5: NaN */
    ck_eval("allocate_available(0, 5, -3, 1, 10, 3, 0, 6, 1, 9, 3, 0) = "
            "allocate_available(0, 5, -3, 1, 10, 3, 0, 6, 1, 9, 3, 0)",
            0.0);
    char *msg = eq_error("allocate_available(0, 5, 3, 1, 10, 3, 0, 6, 1)");
    ck_assert_msg(strstr(msg, "4 profile values"), "%s", msg);
    free(msg);
    /* a time-varying supply (not folded) */
    ck_alloc("allocate_available(1, 5 + 0 * time, 3, 1, 10, 3, 0, 6, 1, 9, 3, 0, 2.5, 1, 7, 3, 0)",
             8.0 / 3.0);
}
END_TEST

START_TEST(time_values)
{
    static const char text[] =
        "time = { start = 2.0; stop = 4.0; dt = 0.5; };\n"
        "auxiliaries = ( { name = \"t\"; equation = \"time\"; }, { name = \"h\"; equation = \"dt\"; },\n"
        "                { name = \"a\"; equation = \"start_time\"; }, { name = \"b\"; equation = \"STOP_TIME\"; },\n"
        "                { name = \"p\"; equation = \"pi\"; } );\n";
    sim s = sim_run(text, NULL);
    ck_assert_int_eq((int)sim_n(&s), 5);
    for (int k = 0; k < 5; k++) {
        ck_assert(sim_series(&s, "t")[k] == 2.0 + 0.5 * k);
        ck_assert(sim_series(&s, "h")[k] == 0.5);
        ck_assert(sim_series(&s, "a")[k] == 2.0);
        ck_assert(sim_series(&s, "b")[k] == 4.0);
        ck_assert(sim_series(&s, "p")[k] == M_PI);
    }
    sim_free(&s);
}
END_TEST

/* ------------------------------------------------------------ time fns */

/* Run `x = equation` (plus optional extra text) from start to stop by dt
** with euler; returns the series of x (owned copy) and its length. */
static double *run_x(const char *equation, double start, double stop, double dt, int *n)
{
    char text[800];
    snprintf(text, sizeof text, "auxiliaries = ( { name = \"x\"; equation = \"%s\"; } );\n",
             equation);
    const migdev_sim_spec sp = spec_of(MIGDEV_EULER, start, stop, dt);
    sim s = sim_run(text, &sp);
    *n = (int)sim_n(&s);
    double *x = malloc((size_t)*n * sizeof *x);
    memcpy(x, sim_series(&s, "x"), (size_t)*n * sizeof *x);
    sim_free(&s);
    return x;
}

START_TEST(step_timing)
{
    int n;
    /* dt = 0.25: step k is at time k/4 exactly */
    double *x = run_x("step(2, 1)", 0.0, 3.0, 0.25, &n);
    ck_assert_int_eq(n, 13);
    for (int k = 0; k < n; k++)
        ck_assert_msg(x[k] == (k >= 4 ? 2.0 : 0.0), "k=%d: %g", k, x[k]);
    free(x);
    /* dt = 0.1 from 0.7: 0.7 + 1*0.1 is 0.7999999999999999, just below
       0.8; the step at 0.8 must still be on at step 1 */
    x = run_x("step(1, 0.8)", 0.7, 1.5, 0.1, &n);
    ck_assert_int_eq(n, 9);
    for (int k = 0; k < n; k++)
        ck_assert_msg(x[k] == (k >= 1 ? 1.0 : 0.0), "k=%d: %g", k, x[k]);
    free(x);
    /* and every step time k/10 switches on exactly at step k */
    for (int j = 1; j <= 30; j++) {
        char eq[64];
        snprintf(eq, sizeof eq, "step(1, %d / 10)", j);
        x = run_x(eq, 0.0, 3.0, 0.1, &n);
        for (int k = 0; k < n; k++)
            ck_assert_msg(x[k] == (k >= j ? 1.0 : 0.0), "step at %d/10, k=%d: %g", j, k, x[k]);
        free(x);
    }
}
END_TEST

START_TEST(pulse_timing_dt_quarter)
{
    int n;
    /* one-step pulse (width defaults to dt), and width 0 means dt */
    const char *one_step[] = {"pulse(3, 2)", "pulse(3, 2, 0)"};
    for (int i = 0; i < 2; i++) {
        double *x = run_x(one_step[i], 0.0, 4.0, 0.25, &n);
        for (int k = 0; k < n; k++)
            ck_assert_msg(x[k] == (k == 8 ? 3.0 : 0.0), "%s k=%d: %g", one_step[i], k, x[k]);
        free(x);
    }
    /* width 0.5: on at t = 1, 1.25 */
    double *x = run_x("pulse(1, 1, 0.5)", 0.0, 4.0, 0.25, &n);
    for (int k = 0; k < n; k++)
        ck_assert_msg(x[k] == ((k == 4 || k == 5) ? 1.0 : 0.0), "k=%d: %g", k, x[k]);
    free(x);
    /* width 0.5 every 2: on at [1, 1.5), [3, 3.5), [5, 5.5), ... */
    x = run_x("pulse(1, 1, 0.5, 2)", 0.0, 8.0, 0.25, &n);
    ck_assert_int_eq(n, 33);
    for (int k = 0; k < n; k++) {
        const int on = k >= 4 && (k - 4) % 8 < 2;
        ck_assert_msg(x[k] == (on ? 1.0 : 0.0), "k=%d: %g", k, x[k]);
    }
    free(x);
    /* a one-step pulse every 1 */
    x = run_x("pulse(2, 1, 0, 1)", 0.0, 4.0, 0.25, &n);
    for (int k = 0; k < n; k++)
        ck_assert_msg(x[k] == ((k >= 4 && k % 4 == 0) ? 2.0 : 0.0), "k=%d: %g", k, x[k]);
    free(x);
}
END_TEST

START_TEST(pulse_timing_dt_tenth)
{
    int n;
    /* dt = 0.1: k*0.1 is often one ulp away from k/10. pulse(1, 0.3, 0.2,
       0.5) is on at steps k >= 3 with (k - 3) mod 5 in {0, 1} */
    double *x = run_x("pulse(1, 0.3, 0.2, 0.5)", 0.0, 5.0, 0.1, &n);
    ck_assert_int_eq(n, 51);
    for (int k = 0; k < n; k++) {
        const int on = k >= 3 && (k - 3) % 5 < 2;
        ck_assert_msg(x[k] == (on ? 1.0 : 0.0), "k=%d: %g", k, x[k]);
    }
    free(x);
    /* from 0.7 the times fall just below k/10 (0.7999999999999999, ...) */
    x = run_x("pulse(1, 0.8, 0.2)", 0.7, 1.5, 0.1, &n);
    for (int k = 0; k < n; k++)
        ck_assert_msg(x[k] == ((k == 1 || k == 2) ? 1.0 : 0.0), "k=%d: %g", k, x[k]);
    free(x);
    /* one-step pulses every 0.3 from 0.2: steps 2, 5, 8, ... */
    x = run_x("pulse(1, 0.2, 0, 0.3)", 0.0, 6.0, 0.1, &n);
    for (int k = 0; k < n; k++) {
        const int on = k >= 2 && (k - 2) % 3 == 0;
        ck_assert_msg(x[k] == (on ? 1.0 : 0.0), "k=%d: %g", k, x[k]);
    }
    free(x);
}
END_TEST

START_TEST(pulse_integrates_to_height_times_width)
{
    /* a stock fed by a one-step pulse of height 4 gains 4*dt; a pulse of
       width 1 gains 4*1 */
    static const char text[] =
        "time = { stop = 5.0; dt = 0.125; };\n"
        "stocks = ( { name = \"a\"; init = 0; inflows = [\"fa\"]; }, { name = \"b\"; init = 0; inflows = [\"fb\"]; } );\n"
        "flows = ( { name = \"fa\"; equation = \"pulse(4, 1)\"; }, { name = \"fb\"; equation = \"pulse(4, 1, 1)\"; } );\n";
    sim s = sim_run(text, NULL);
    const size_t n = sim_n(&s);
    ck_assert(sim_series(&s, "a")[n - 1] == 0.5);
    ck_assert(sim_series(&s, "b")[n - 1] == 4.0);
    sim_free(&s);
}
END_TEST

START_TEST(ramp_timing)
{
    int n;
    double *x = run_x("ramp(2, 1)", 0.0, 4.0, 0.25, &n);
    for (int k = 0; k < n; k++) {
        const double t = 0.25 * k;
        ck_assert_msg(x[k] == (t <= 1.0 ? 0.0 : 2.0 * (t - 1.0)), "k=%d: %g", k, x[k]);
    }
    free(x);
    x = run_x("ramp(2, 1, 3)", 0.0, 4.0, 0.25, &n);
    for (int k = 0; k < n; k++) {
        const double t = 0.25 * k;
        const double want = t <= 1.0 ? 0.0 : t >= 3.0 ? 4.0 : 2.0 * (t - 1.0);
        ck_assert_msg(x[k] == want, "k=%d: %g", k, x[k]);
    }
    free(x);
    /* a falling ramp */
    x = run_x("10 + ramp(-1, 2, 5)", 0.0, 8.0, 1.0, &n);
    const double want[] = {10, 10, 10, 9, 8, 7, 7, 7, 7};
    for (int k = 0; k < n; k++)
        ck_assert_msg(x[k] == want[k], "k=%d: %g", k, x[k]);
    free(x);
    /* dt = 0.1: equal to slope*(t - start) up to the rounding of t */
    x = run_x("ramp(1, 0.3, 0.7)", 0.0, 1.0, 0.1, &n);
    for (int k = 0; k < n; k++) {
        const double t = k / 10.0;
        const double want_k = t <= 0.3 ? 0.0 : t >= 0.7 ? 0.4 : t - 0.3;
        ck_assert_msg(fabs(x[k] - want_k) < 1e-12, "k=%d: %.17g", k, x[k]);
    }
    free(x);
}
END_TEST

/* -------------------------------------------------------------- stateful */

START_TEST(smooth_steady_state)
{
    /* started at their input, smooth and delay functions stay there */
    static const char text[] =
        "time = { stop = 20.0; dt = 0.25; };\n"
        "constants = ( { name = \"x\"; value = 7.0; } );\n"
        "auxiliaries = ( { name = \"s1\"; equation = \"smooth(x, 5)\"; },\n"
        "                { name = \"s3\"; equation = \"smooth3(x, 5)\"; },\n"
        "                { name = \"d1\"; equation = \"delay1(x, 5)\"; },\n"
        "                { name = \"d3\"; equation = \"delay3(x, 5)\"; } );\n";
    const char *names[] = {"s1", "s3", "d1", "d3"};
    for (int method = MIGDEV_EULER; method <= MIGDEV_RKF45; method += 1) {
        if (method == MIGDEV_RK2)
            continue;
        const migdev_sim_spec sp = spec_of((migdev_method)method, 0.0, 20.0, 0.25);
        sim s = sim_run(text, &sp);
        for (int i = 0; i < 4; i++)
            for (size_t k = 0; k < sim_n(&s); k++)
                ck_assert_msg(close_to(sim_series(&s, names[i])[k], 7.0, 1e-12, 0.0),
                              "%s at %zu: %.17g", names[i], k, sim_series(&s, names[i])[k]);
        sim_free(&s);
    }
}
END_TEST

/* x = 10 from the start; smooth(x, d, 0) rises as 10 (1 - e^{-t/d}); the
** third-order forms rise as 10 (1 - e^{-u} (1 + u + u^2/2)), u = 3t/d */
static double first_order(double t, double d) { return 10.0 * (1.0 - exp(-t / d)); }
static double third_order(double t, double d)
{
    const double u = 3.0 * t / d;
    return 10.0 * (1.0 - exp(-u) * (1.0 + u + u * u / 2.0));
}

static const char response_model[] =
    "time = { stop = 12.0; dt = 0.01; save_every = 0.5; };\n"
    "constants = ( { name = \"x\"; value = 10.0; }, { name = \"d\"; value = 4.0; } );\n"
    "auxiliaries = ( { name = \"s1\"; equation = \"smooth(x, d, 0)\"; },\n"
    "                { name = \"s3\"; equation = \"smooth3(x, d, 0)\"; },\n"
    "                { name = \"d1\"; equation = \"delay1(x, d, 0)\"; },\n"
    "                { name = \"d3\"; equation = \"delay3(x, d, 0)\"; } );\n";

START_TEST(smooth_and_delay_analytic_response)
{
    /* rk4 at dt = 0.01 and an adaptive method at tight tolerances */
    migdev_sim_spec sp = spec_of(MIGDEV_RK4, 0.0, 12.0, 0.01);
    sp.save_every = 0.5;
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            sp.method = MIGDEV_RK8PD;
            sp.abs_tol = 1e-12;
            sp.rel_tol = 1e-12;
        }
        const double tol = pass == 0 ? 1e-7 : 1e-9; /* rk4: error ~ (dt/tau)^4 */
        sim s = sim_run(response_model, &sp);
        ck_assert_int_eq((int)sim_n(&s), 25);
        for (size_t k = 0; k < sim_n(&s); k++) {
            const double t = 0.5 * (double)k;
            const double f = first_order(t, 4.0), g = third_order(t, 4.0);
            ck_assert_msg(close_to(sim_series(&s, "s1")[k], f, tol, 1e-12), "s1 t=%g", t);
            ck_assert_msg(close_to(sim_series(&s, "d1")[k], f, tol, 1e-12), "d1 t=%g", t);
            ck_assert_msg(close_to(sim_series(&s, "s3")[k], g, tol, 1e-12), "s3 t=%g", t);
            ck_assert_msg(close_to(sim_series(&s, "d3")[k], g, tol, 1e-12), "d3 t=%g", t);
        }
        sim_free(&s);
    }
}
END_TEST

START_TEST(smooth_and_delay_euler_recurrences)
{
    /* The input steps from 0 to 10 at t = 1; dt = 0.25. The hand Euler
       recurrences of the stages, with the flows computed from the stocks at
       t and the stocks advanced by dt (Vensim's SMOOTH, SMOOTH3, DELAY1,
       DELAY3):
         smooth:  S += dt*(x - S)/d,                       output S
         smooth3: S1 += dt*(x - S1)/(d/3), S2 += dt*(S1 - S2)/(d/3), ...
         delay1:  L += dt*(x - L/d),                       output L/d
         delay3:  L1 += dt*(x - L1/e), L2 += dt*(L1/e - L2/e), ..., e = d/3,
                  output L3/e
       all starting at the input's initial value (0). */
    static const char text[] =
        "time = { stop = 10.0; dt = 0.25; };\n"
        "constants = ( { name = \"d\"; value = 3.0; } );\n"
        "auxiliaries = ( { name = \"x\"; equation = \"step(10, 1)\"; },\n"
        "                { name = \"s1\"; equation = \"smooth(x, d)\"; },\n"
        "                { name = \"s3\"; equation = \"smooth3(x, d)\"; },\n"
        "                { name = \"d1\"; equation = \"delay1(x, d)\"; },\n"
        "                { name = \"d3\"; equation = \"delay3(x, d)\"; } );\n";
    sim s = sim_run(text, NULL);
    const double dt = 0.25, d = 3.0, e = d / 3.0;
    double S = 0, A = 0, B = 0, Cc = 0, L = 0 * d, L1 = 0, L2 = 0, L3 = 0;
    ck_assert_int_eq((int)sim_n(&s), 41);
    for (int k = 0; k <= 40; k++) {
        const double t = dt * k, x = t >= 1.0 ? 10.0 : 0.0;
        ck_assert_msg(close_to(sim_series(&s, "s1")[k], S, 1e-12, 1e-300), "s1 k=%d", k);
        ck_assert_msg(close_to(sim_series(&s, "s3")[k], Cc, 1e-12, 1e-300), "s3 k=%d", k);
        ck_assert_msg(close_to(sim_series(&s, "d1")[k], L / d, 1e-12, 1e-300), "d1 k=%d", k);
        ck_assert_msg(close_to(sim_series(&s, "d3")[k], L3 / e, 1e-12, 1e-300), "d3 k=%d", k);
        const double fS = (x - S) / d;
        const double fA = (x - A) / e, fB = (A - B) / e, fC = (B - Cc) / e;
        const double fL = x - L / d;
        const double f1 = x - L1 / e, f2 = L1 / e - L2 / e, f3 = L2 / e - L3 / e;
        S += dt * fS;
        A += dt * fA, B += dt * fB, Cc += dt * fC;
        L += dt * fL;
        L1 += dt * f1, L2 += dt * f2, L3 += dt * f3;
    }
    /* and they all end near 10 */
    ck_assert(S > 9.0 && L / d > 9.0);
    sim_free(&s);
}
END_TEST

START_TEST(smooth_with_initial_value)
{
    /* smooth(10, 2, 4) (SMOOTHI) starts at 4; delay1(10, 2, 4) (DELAY1I)
       puts out 4 first; dt = 0.5 */
    static const char text[] =
        "time = { stop = 3.0; dt = 0.5; };\n"
        "auxiliaries = ( { name = \"s\"; equation = \"smooth(10, 2, 4)\"; },\n"
        "                { name = \"l\"; equation = \"delay1(10, 2, 4)\"; },\n"
        "                { name = \"l3\"; equation = \"delay3(10, 3, 4)\"; } );\n";
    sim s = sim_run(text, NULL);
    double S = 4.0, L = 4.0 * 2.0;
    for (int k = 0; k <= 6; k++) {
        ck_assert(close_to(sim_series(&s, "s")[k], S, 1e-14, 0));
        ck_assert(close_to(sim_series(&s, "l")[k], L / 2.0, 1e-14, 0));
        S += 0.5 * (10.0 - S) / 2.0;
        L += 0.5 * (10.0 - L / 2.0);
    }
    /* s: 4, 5.5, 6.625 */
    ck_assert(sim_series(&s, "s")[1] == 5.5 && sim_series(&s, "s")[2] == 6.625);
    ck_assert(sim_series(&s, "l3")[0] == 4.0);
    sim_free(&s);
}
END_TEST

START_TEST(nested_and_repeated_stateful_calls)
{
    /* smooth(smooth(x, 1), 1) is two cascaded stages; two smooths of one
       input in one equation are two separate stocks */
    static const char text[] =
        "time = { stop = 3.0; dt = 0.5; };\n"
        "auxiliaries = ( { name = \"x\"; equation = \"step(1, 0.5)\"; },\n"
        "                { name = \"n\"; equation = \"smooth(smooth(x, 1), 2)\"; },\n"
        "                { name = \"r\"; equation = \"smooth(x, 1) - 2 * smooth(x, 4)\"; } );\n";
    sim s = sim_run(text, NULL);
    double a = 0, b = 0, p = 0, q = 0;
    for (int k = 0; k <= 6; k++) {
        const double x = k >= 1 ? 1.0 : 0.0;
        ck_assert_msg(close_to(sim_series(&s, "n")[k], b, 1e-14, 0), "n k=%d", k);
        ck_assert_msg(close_to(sim_series(&s, "r")[k], p - 2 * q, 1e-14, 1e-300), "r k=%d", k);
        const double fa = (x - a) / 1.0, fb = (a - b) / 2.0;
        const double fp = (x - p) / 1.0, fq = (x - q) / 4.0;
        a += 0.5 * fa, b += 0.5 * fb, p += 0.5 * fp, q += 0.5 * fq;
    }
    sim_free(&s);
}
END_TEST

START_TEST(init_function)
{
    static const char text[] =
        "time = { start = 2.0; stop = 5.0; dt = 1.0; };\n"
        "stocks = ( { name = \"s\"; init = 3; inflows = [\"f\"]; } );\n"
        "flows = ( { name = \"f\"; equation = \"time\"; } );\n"
        "auxiliaries = ( { name = \"a\"; equation = \"init(s)\"; },\n"
        "                { name = \"b\"; equation = \"s - init(s)\"; },\n"
        "                { name = \"c\"; equation = \"init(time) + init(f * 10)\"; } );\n";
    sim s = sim_run(text, NULL);
    /* s: 3, 5, 8, 12 (inflow = time: 2, 3, 4) */
    const double want_s[] = {3, 5, 8, 12};
    for (int k = 0; k < 4; k++) {
        ck_assert(sim_series(&s, "s")[k] == want_s[k]);
        ck_assert(sim_series(&s, "a")[k] == 3.0);
        ck_assert(sim_series(&s, "b")[k] == want_s[k] - 3.0);
        ck_assert(sim_series(&s, "c")[k] == 2.0 + 20.0);
    }
    sim_free(&s);
}
END_TEST

START_TEST(stateful_calls_in_flows_feed_stocks)
{
    /* a flow that is a delayed input: what goes in comes out, delayed */
    static const char text[] =
        "time = { stop = 100.0; dt = 0.0625; };\n"
        "stocks = ( { name = \"src\"; init = 0; inflows = [\"in\"]; },\n"
        "           { name = \"dst\"; init = 0; inflows = [\"out\"]; } );\n"
        "flows = ( { name = \"in\"; equation = \"pulse(8, 1, 1)\"; },\n"
        "          { name = \"out\"; equation = \"delay3(in, 5)\"; } );\n";
    sim s = sim_run(text, NULL);
    const size_t n = sim_n(&s);
    /* 8 units went in; by t = 100 (about 20 delay times) all but a
       negligible part has come out */
    ck_assert(sim_series(&s, "src")[n - 1] == 8.0);
    ck_assert(close_to(sim_series(&s, "dst")[n - 1], 8.0, 1e-9, 0));
    sim_free(&s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("builtins");
    TCase *core = tcase_create("core");
    tcase_add_test(core, min_max);
    tcase_add_test(core, abs_exp_ln_log10_sqrt);
    tcase_add_test(core, int_is_floor);
    tcase_add_test(core, mod_sign_follows_divisor);
    tcase_add_test(core, pow_and_trig);
    tcase_add_test(core, if_then_else);
    tcase_add_test(core, safediv);
    tcase_add_test(core, allocate_by_priority);
    tcase_add_test(core, allocate_available);
    tcase_add_test(core, time_values);
    suite_add_tcase(s, core);
    TCase *timed = tcase_create("time");
    tcase_add_test(timed, step_timing);
    tcase_add_test(timed, pulse_timing_dt_quarter);
    tcase_add_test(timed, pulse_timing_dt_tenth);
    tcase_add_test(timed, pulse_integrates_to_height_times_width);
    tcase_add_test(timed, ramp_timing);
    suite_add_tcase(s, timed);
    TCase *stateful = tcase_create("stateful");
    tcase_add_test(stateful, smooth_steady_state);
    tcase_add_test(stateful, smooth_and_delay_analytic_response);
    tcase_add_test(stateful, smooth_and_delay_euler_recurrences);
    tcase_add_test(stateful, smooth_with_initial_value);
    tcase_add_test(stateful, nested_and_repeated_stateful_calls);
    tcase_add_test(stateful, init_function);
    tcase_add_test(stateful, stateful_calls_in_flows_feed_stocks);
    tcase_set_timeout(stateful, 60);
    suite_add_tcase(s, stateful);
    return run_suite(s);
}
