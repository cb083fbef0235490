/*
** check_lookup.c - lookup tables (graphical functions): linear
** interpolation, clamping at both ends, the extrapolate and discrete
** kinds, and the errors of their definitions.
*/
#include "modelutil.h"

#include <math.h>
#include <string.h>

/* A model with table f (the given kind) and y = f(<arg>). Points:
**   x: 0   1   2   4
**   y: 0  10  15   5
** slopes 10, 5, -5. */
static double lookup_at(const char *kind, const char *arg)
{
    char text[800];
    snprintf(text, sizeof text,
             "time = { stop = 1.0; };\n"
             "constants = ( { name = \"c\"; value = 2.385; } );\n"
             "lookups = ( { name = \"f\"; x = [0.0, 1.0, 2.0, 4.0]; y = [0.0, 10.0, 15.0, 5.0];%s%s%s } );\n"
             "auxiliaries = ( { name = \"y\"; equation = \"f(%s)\"; } );\n",
             kind ? " kind = \"" : "", kind ? kind : "", kind ? "\";" : "", arg);
    sim s = sim_run(text, NULL);
    const double y = sim_series(&s, "y")[0];
    sim_free(&s);
    return y;
}

#define ck_lookup(kind, arg, want)                                                        \
    do {                                                                                  \
        const double got_ = lookup_at(kind, arg);                                         \
        ck_assert_msg(fabs(got_ - (want)) <= 1e-12 * fabs(want), "%s f(%s) = %.17g, expected %.17g", \
                      kind ? kind : "default", arg, got_, (double)(want));                \
    } while (0)

START_TEST(interpolation)
{
    ck_lookup(NULL, "0.5", 5.0);
    ck_lookup(NULL, "1.5", 12.5);
    ck_lookup(NULL, "3", 10.0);
    ck_lookup(NULL, "3.5", 7.5);
    ck_lookup(NULL, "c", 15.0 + (2.385 - 2.0) * -5.0);
    /* at the points themselves */
    ck_lookup(NULL, "0", 0.0);
    ck_lookup(NULL, "1", 10.0);
    ck_lookup(NULL, "2", 15.0);
    ck_lookup(NULL, "4", 5.0);
    ck_lookup("continuous", "0.25", 2.5); /* the default, named */
}
END_TEST

START_TEST(clamped_ends)
{
    ck_lookup(NULL, "-1", 0.0);
    ck_lookup(NULL, "-1e6", 0.0);
    ck_lookup(NULL, "4.001", 5.0);
    ck_lookup(NULL, "100", 5.0);
}
END_TEST

START_TEST(extrapolate)
{
    /* the end segments continue: slope 10 before 0, -5 after 4 */
    ck_lookup("extrapolate", "-1", -10.0);
    ck_lookup("extrapolate", "-0.5", -5.0);
    ck_lookup("extrapolate", "6", -5.0);
    ck_lookup("extrapolate", "5", 0.0);
    ck_lookup("extrapolate", "1.5", 12.5); /* inside: as continuous */
}
END_TEST

START_TEST(discrete)
{
    /* each y holds until the next x */
    ck_lookup("discrete", "-1", 0.0);
    ck_lookup("discrete", "0.5", 0.0);
    ck_lookup("discrete", "1", 10.0);
    ck_lookup("discrete", "1.99", 10.0);
    ck_lookup("discrete", "2", 15.0);
    ck_lookup("discrete", "3.9", 15.0);
    ck_lookup("discrete", "4", 5.0);
    ck_lookup("discrete", "100", 5.0);
}
END_TEST

START_TEST(lookup_over_time)
{
    /* a table of time, called with an expression; one-point table */
    static const char text[] =
        "time = { stop = 4.0; dt = 0.5; };\n"
        "lookups = ( { name = \"sched\"; x = [1.0, 3.0]; y = [100.0, 300.0]; },\n"
        "            { name = \"one\"; x = [2.0]; y = [7.0]; } );\n"
        "auxiliaries = ( { name = \"y\"; equation = \"sched(time) + one(time * 10)\"; } );\n";
    sim s = sim_run(text, NULL);
    const double *y = sim_series(&s, "y");
    for (int k = 0; k <= 8; k++) {
        const double t = 0.5 * k;
        const double want = (t <= 1.0 ? 100.0 : t >= 3.0 ? 300.0 : 100.0 + 100.0 * (t - 1.0)) + 7.0;
        ck_assert_msg(y[k] == want, "t=%g: %g", t, y[k]);
    }
    sim_free(&s);
}
END_TEST

/* ---------------------------------------------------------------- errors */

START_TEST(x_must_increase)
{
    static const char equal[] =
        "lookups = ( { name = \"f\";\n"
        "              x = [0.0, 1.0, 1.0]; y = [1.0, 2.0, 3.0]; } );\n";
    ck_model_error(equal, "x =", "lookup 'f': x values must increase (point 3, x = 1, follows x = 1)");
    static const char down[] =
        "lookups = ( { name = \"g\"; doc = \"x falls\"; x = [2.0, 1.0]; y = [1.0, 2.0]; } );\n";
    ck_model_error(down, "x =", "lookup 'g': x values must increase (point 2, x = 1, follows x = 2)");
}
END_TEST

START_TEST(bad_tables)
{
    static const char count[] =
        "lookups = ( { name = \"f\"; x = [0.0, 1.0]; y = [1.0, 2.0, 3.0]; } );\n";
    ck_model_error(count, "y =", "lookup 'f' has 2 x values but 3 y values");
    static const char empty[] = "lookups = ( { name = \"f\"; x = []; y = []; } );\n";
    ck_model_error(empty, "x =", "lookup 'f' needs at least one point");
    static const char no_y[] = "lookups = ( { name = \"f\"; x = [0.0]; } );\n";
    ck_model_error(no_y, "name", "lookup 'f' has no 'y' points");
    static const char not_num[] = "lookups = ( { name = \"f\"; x = [\"a\"]; y = [1.0]; } );\n";
    ck_model_error(not_num, "x =", "'x' of lookup 'f': element 1 is not a number");
    static const char not_arr[] = "lookups = ( { name = \"f\"; x = 5; y = [1.0]; } );\n";
    ck_model_error(not_arr, "x =", "'x' of lookup 'f' must be an array of numbers [a, b, ...]");
    static const char kind[] =
        "lookups = ( { name = \"f\"; x = [0.0]; y = [1.0]; kind = \"linear\"; } );\n";
    ck_model_error(kind, "kind", "unknown lookup kind 'linear' (continuous, extrapolate or discrete)");
    static const char field[] =
        "lookups = ( { name = \"f\"; x = [0.0]; y = [1.0]; kidn = \"discrete\"; } );\n";
    ck_model_error(field, "kidn", "unknown field 'kidn' in lookup 'f' (did you mean 'kind'?)");
    /* large numbers in tables are read exactly (libconfig 1.5 wraps them) */
    static const char big[] =
        "time = { stop = 1.0; };\n"
        "lookups = ( { name = \"f\"; x = [0, 3000000000]; y = [0, 6000000000]; } );\n"
        "auxiliaries = ( { name = \"a\"; equation = \"f(1500000000)\"; } );\n";
    sim s = sim_run(big, NULL);
    ck_assert(sim_series(&s, "a")[0] == 3e9);
    sim_free(&s);
    /* integers and decimals may be mixed (plain libconfig 1.5 refuses) */
    static const char mixed[] =
        "time = { stop = 1; };\n"
        "lookups = ( { name = \"f\"; x = [0, 0.5, 1]; y = [1, 2.5, 3]; } );\n"
        "auxiliaries = ( { name = \"a\"; equation = \"f(0.25)\"; } );\n";
    s = sim_run(mixed, NULL);
    ck_assert(sim_series(&s, "a")[0] == 1.75);
    sim_free(&s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("lookup");
    TCase *core = tcase_create("core");
    tcase_add_test(core, interpolation);
    tcase_add_test(core, clamped_ends);
    tcase_add_test(core, extrapolate);
    tcase_add_test(core, discrete);
    tcase_add_test(core, lookup_over_time);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, x_must_increase);
    tcase_add_test(errors, bad_tables);
    suite_add_tcase(s, errors);
    return run_suite(s);
}
