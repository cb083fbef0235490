/*
** check_smoke.c - the teacup example end to end, against the analytic
** Euler recurrence T(k+1) = T(k) - dt*(T(k) - room)/tau.
*/
#include "testutil.h"

#include <math.h>
#include <stdlib.h>

START_TEST(teacup_euler_matches_recurrence)
{
    char *path = source_path("models/examples/teacup.cfg");
    migdev_error err;
    migdev_error_clear(&err);
    migdev_model *m = migdev_model_load(path, &err);
    ck_assert_msg(m != NULL, "%s", err.message);
    migdev_run *r = migdev_run_new(m, NULL, &err);
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(migdev_run_execute(r, &err), 0);
    const double *temp = migdev_run_series(r, migdev_model_find(m, "teacup_temperature"));
    ck_assert_int_eq((int)migdev_run_n_saves(r), 31);
    double t = 180.0;
    for (int k = 0; k <= 240; k++) {
        if (k % 8 == 0)
            ck_assert_double_eq_tol(temp[k / 8], t, 1e-12 * t);
        t -= 0.125 * (t - 70.0) / 10.0;
    }
    migdev_run_free(r);
    migdev_model_free(m);
    free(path);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("smoke");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, teacup_euler_matches_recurrence);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
