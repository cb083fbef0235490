/*
** check_run.c - the run workspace (src/run.c): simulations that fail
** (division by zero, ln of a negative number, overflow, inside a smooth, at
** the start) name the time and the variable; recording, constants, and the
** ownership rules of the API.
*/
#include "modelutil.h"
#include "watch_cases.h"

#include <math.h>
#include <string.h>

/* Run text with its default spec; expect failure with code; return the
** formatted error (owned) and the number of saves recorded before it. */
static char *run_error(const char *text, int code, size_t *n_saved)
{
    migdev_model *m = load_model_text(text);
    migdev_error err;
    migdev_error_clear(&err);
    migdev_run *r = migdev_run_new(m, NULL, &err);
    ck_assert_ptr_nonnull(r);
    const int rc = migdev_run_execute(r, &err);
    ck_assert_int_eq(rc, code);
    ck_assert_int_eq(err.code, code);
    if (n_saved)
        *n_saved = migdev_run_n_saves(r);
    migdev_run_free(r);
    migdev_model_free(m);
    char buf[1200];
    return strdup(migdev_error_format(&err, buf, sizeof buf));
}

#define ck_run_error(text, needle, msg, saved)                                      \
    do {                                                                            \
        size_t n_;                                                                  \
        char *got_ = run_error(text, MIGDEV_E_NONFINITE, &n_);                      \
        char *want_ = expected_error(text, needle, 0, msg);                         \
        ck_assert_str_eq(got_, want_);                                              \
        ck_assert_int_eq((int)n_, saved);                                           \
        free(got_);                                                                 \
        free(want_);                                                                \
    } while (0)

START_TEST(division_by_zero)
{
    /* at t = 2.5, 1/(t - 2.5) = 1/0: the run stops there, the error points
       at the equation; saves 0 .. 2 stay recorded */
    static const char text[] =
        "time = { stop = 5.0; dt = 0.5; };\n"
        "auxiliaries = ( { name = \"x\";\n"
        "                  equation = \"1 / (time - 2.5)\"; } );\n";
    ck_run_error(text, "1 / (", "at t=2.5: 'x' became +infinity", 5);
    static const char neg[] =
        "time = { stop = 5.0; dt = 0.5; };\n"
        "auxiliaries = ( { name = \"x\"; equation = \"-1 / (time - 2.5)\"; } );\n";
    ck_run_error(neg, "-1 / (", "at t=2.5: 'x' became -infinity", 5);
}
END_TEST

START_TEST(ln_of_negative)
{
    /* ln(2 - t) at t = 0, 0.75, 1.5, 2.25: ln(-0.25) is NaN */
    static const char text[] =
        "time = { stop = 3.0; dt = 0.75; };\n"
        "auxiliaries = ( { name = \"x\"; equation = \"ln(2 - time)\"; } );\n";
    ck_run_error(text, "ln(", "at t=2.25: 'x' is not a number (NaN)", 3);
    /* ln(0) = -infinity at t = 2 */
    static const char zero[] =
        "time = { stop = 3.0; dt = 1.0; };\n"
        "auxiliaries = ( { name = \"x\"; equation = \"1 + ln(2 - time)\"; } );\n";
    ck_run_error(zero, "1 + ln", "at t=2: 'x' became -infinity", 2);
    static const char sq[] =
        "time = { stop = 3.0; dt = 1.0; };\n"
        "flows = ( { name = \"f\"; equation = \"sqrt(1 - time)\"; to = \"s\"; } );\n"
        "stocks = ( { name = \"s\"; init = 0; } );\n";
    ck_run_error(sq, "sqrt", "at t=2: 'f' is not a number (NaN)", 2);
}
END_TEST

START_TEST(overflow_of_a_stock)
{
    /* y' = y^2 with euler, dt = 1, from 10: the flow y*y overflows first,
       at the first step k where y(k)^2 is infinite */
    static const char text[] =
        "time = { stop = 20.0; dt = 1.0; };\n"
        "stocks = ( { name = \"y\"; init = 10; inflows = [\"f\"]; } );\n"
        "flows = ( { name = \"f\"; equation = \"y * y\"; } );\n";
    double y = 10.0;
    int k = 0;
    while (isfinite(y * y)) {
        y += 1.0 * (y * y);
        k++;
    }
    char msg[100];
    snprintf(msg, sizeof msg, "at t=%d: 'f' became +infinity", k);
    ck_run_error(text, "y * y", msg, k);
}
END_TEST

START_TEST(failure_inside_a_smooth)
{
    static const char text[] =
        "time = { stop = 3.0; dt = 0.5; };\n"
        "auxiliaries = ( { name = \"x\"; equation = \"smooth(1 / (time - 1), 2)\"; } );\n";
    ck_run_error(text, "smooth",
                 "at t=1: the input of a smooth/delay/init inside 'x' became +infinity", 2);
}
END_TEST

START_TEST(failure_hidden_from_later_equations)
{
    /* the check after a step reads fewer values than a step sets
       (src/watch.c): a value that later equations read only through a
       denominator, a function, a power, max or a comparison must still be
       found, at its time, under its name */
    for (int k = 0; k < N_WATCH_CASES; k++) {
        migdev_model *m = load_model_text(watch_cases[k].text);
        migdev_error err;
        migdev_error_clear(&err);
        migdev_run *r = migdev_run_new(m, NULL, &err);
        ck_assert_ptr_nonnull(r);
        ck_assert_int_eq(migdev_run_execute(r, &err), MIGDEV_E_NONFINITE);
        ck_assert_msg(!strcmp(err.message, watch_cases[k].message), "case %d: %s", k,
                      err.message);
        ck_assert_int_eq((int)migdev_run_n_saves(r), 2); /* t = 0, 1 */
        migdev_run_free(r);
        migdev_model_free(m);
    }
}
END_TEST

START_TEST(failure_at_the_start)
{
    /* computed once at the start: nothing is recorded */
    static const char aux[] =
        "constants = ( { name = \"c\"; value = 0; } );\n"
        "auxiliaries = ( { name = \"x\"; equation = \"2 / c\"; } );\n";
    ck_run_error(aux, "2 / c", "at t=0: 'x' became +infinity", 0);
    static const char stock[] =
        "time = { start = 3; stop = 4; };\n"
        "constants = ( { name = \"c\"; value = -1; } );\n"
        "stocks = ( { name = \"s\"; init = \"sqrt(c)\"; } );\n";
    ck_run_error(stock, "sqrt(c)", "at t=3: 's' is not a number (NaN)", 0);
    /* a constant set to NaN through the API is named too */
    migdev_model *m = load_model_text(aux);
    migdev_error err;
    migdev_error_clear(&err);
    migdev_run *r = migdev_run_new(m, NULL, &err);
    ck_assert_int_eq(migdev_run_set_constant(r, 0, NAN, &err), 0);
    ck_assert_int_eq(migdev_run_execute(r, &err), MIGDEV_E_NONFINITE);
    ck_assert_msg(strstr(err.message, "'x'") || strstr(err.message, "'c'"), "%s", err.message);
    /* fixed: it runs again */
    ck_assert_int_eq(migdev_run_set_constant(r, 0, 4.0, &err), 0);
    migdev_error_clear(&err);
    ck_assert_int_eq(migdev_run_execute(r, &err), 0);
    ck_assert(migdev_run_series(r, 1)[0] == 0.5);
    migdev_run_free(r);
    migdev_model_free(m);
}
END_TEST

/* ----------------------------------------------------------------- api */

static const char model3[] =
    "time = { stop = 2.0; };\n"
    "constants = ( { name = \"k\"; value = 2.0; } );\n"
    "stocks = ( { name = \"s\"; init = 1; inflows = [\"f\"]; } );\n"
    "flows = ( { name = \"f\"; equation = \"k * s\"; } );\n";

START_TEST(recording)
{
    migdev_model *m = load_model_text(model3);
    migdev_error err;
    migdev_error_clear(&err);
    migdev_run *r = migdev_run_new(m, NULL, &err);
    ck_assert_ptr_eq(migdev_run_model(r), m);
    ck_assert(migdev_run_spec(r)->save_every == 1.0);
    ck_assert(migdev_run_constant(r, 0) == 2.0);
    ck_assert(isnan(migdev_run_constant(r, 1))); /* not a constant */
    ck_assert(isnan(migdev_run_constant(r, 7)));
    /* before any execution nothing is recorded */
    ck_assert_int_eq((int)migdev_run_n_saves(r), 0);
    const int only[] = {1};
    ck_assert_int_eq(migdev_run_record(r, only, 1, &err), 0);
    ck_assert_int_eq(migdev_run_execute(r, &err), 0);
    ck_assert_ptr_null(migdev_run_series(r, 2)); /* f is not recorded */
    ck_assert_ptr_null(migdev_run_series(r, -1));
    const double *s = migdev_run_series(r, 1);
    ck_assert(s[0] == 1.0 && s[1] == 3.0 && s[2] == 9.0);
    const int bad[] = {1, 9};
    ck_assert_int_eq(migdev_run_record(r, bad, 2, &err), MIGDEV_E_USAGE);
    ck_assert_str_eq(err.message, "variable index 9 out of range");
    migdev_error_clear(&err);
    ck_assert_int_eq(migdev_run_set_constant(r, 5, 1.0, &err), MIGDEV_E_USAGE);
    migdev_run_free(r);
    migdev_model_free(m);
    /* NULL is a no-op for every _free */
    migdev_run_free(NULL);
    migdev_model_free(NULL);
    migdev_scenario_free(NULL);
}
END_TEST

/* A save interval far longer than the span saves the start and the stop
** only, whatever its size (1e300 / dt once overflowed a long). */
START_TEST(save_interval_longer_than_the_span)
{
    const double every[] = {3.0, 1e300};
    for (int i = 0; i < 2; i++) {
        migdev_sim_spec sp = spec_of(MIGDEV_EULER, 0.0, 2.0, 1.0);
        sp.save_every = every[i];
        sim s = sim_run(model3, &sp);
        ck_assert_int_eq((int)sim_n(&s), 2);
        const double *t = migdev_run_times(s.r);
        ck_assert(t[0] == 0.0 && t[1] == 2.0);
        /* s' = 2 s, Euler with h = 1 from 1: 1, 3, 9 */
        const double *v = sim_series(&s, "s");
        ck_assert(v[0] == 1.0 && v[1] == 9.0);
        sim_free(&s);
    }
}
END_TEST

START_TEST(runs_share_a_model)
{
    /* two runs of one model with different constants do not interfere */
    migdev_model *m = load_model_text(model3);
    migdev_error err;
    migdev_error_clear(&err);
    migdev_run *a = migdev_run_new(m, NULL, &err), *b = migdev_run_new(m, NULL, &err);
    ck_assert_int_eq(migdev_run_set_constant(b, 0, -0.5, &err), 0);
    ck_assert_int_eq(migdev_run_execute(a, &err), 0);
    ck_assert_int_eq(migdev_run_execute(b, &err), 0);
    ck_assert(migdev_run_series(a, 1)[2] == 9.0);
    ck_assert(migdev_run_series(b, 1)[2] == 0.25);
    ck_assert(migdev_run_series(b, 2)[1] == -0.25);
    migdev_run_free(a);
    ck_assert_int_eq(migdev_run_execute(b, &err), 0);
    ck_assert(migdev_run_series(b, 1)[2] == 0.25);
    migdev_run_free(b);
    migdev_model_free(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("run");
    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, division_by_zero);
    tcase_add_test(errors, ln_of_negative);
    tcase_add_test(errors, overflow_of_a_stock);
    tcase_add_test(errors, failure_inside_a_smooth);
    tcase_add_test(errors, failure_at_the_start);
    tcase_add_test(errors, failure_hidden_from_later_equations);
    suite_add_tcase(s, errors);
    TCase *core = tcase_create("core");
    tcase_add_test(core, recording);
    tcase_add_test(core, runs_share_a_model);
    tcase_add_test(core, save_interval_longer_than_the_span);
    suite_add_tcase(s, core);
    return run_suite(s);
}
