/*
** check_xmile_export.c - migdev export --xmile: the XMILE written reads
** back into the same model with the same series (bit for bit), and a
** libconfig model equals its XMILE translation.
*/
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static migdev_model *load_file(const char *path)
{
    migdev_error err;
    migdev_error_clear(&err);
    migdev_model *m = migdev_model_load(path, &err);
    if (!m) {
        char buf[1200];
        ck_abort_msg("%s", migdev_error_format(&err, buf, sizeof buf));
    }
    return m;
}

/* Write m as XMILE to a temporary file; its path (static slot). */
static const char *export_to_file(const migdev_model *m, int slot)
{
    const char *path = tmp_file(slot, "model.xmile", "");
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    migdev_error err;
    migdev_error_clear(&err);
    const int rc = migdev_model_write_xmile(m, f, &err);
    fclose(f);
    ck_assert_msg(rc == 0, "%s", err.message);
    return path;
}

static migdev_run *run_model(const migdev_model *m, unsigned long seed)
{
    migdev_error err;
    migdev_error_clear(&err);
    migdev_sim_spec s = migdev_model_default_spec(m);
    s.seed = seed;
    migdev_run *r = migdev_run_new(m, &s, &err);
    ck_assert_msg(r != NULL, "%s", err.message);
    ck_assert_msg(migdev_run_execute(r, &err) == 0, "%s", err.message);
    return r;
}

static void assert_same_model(const migdev_model *a, const migdev_model *b)
{
    ck_assert_str_eq(migdev_model_name(a), migdev_model_name(b));
    ck_assert_str_eq(migdev_model_doc(a), migdev_model_doc(b));
    ck_assert_str_eq(migdev_model_time_units(a), migdev_model_time_units(b));
    const migdev_sim_spec sa = migdev_model_default_spec(a), sb = migdev_model_default_spec(b);
    ck_assert(sa.start == sb.start && sa.stop == sb.stop && sa.dt == sb.dt);
    ck_assert(sa.save_every == sb.save_every && sa.method == sb.method);
    ck_assert_int_eq(migdev_model_n_vars(a), migdev_model_n_vars(b));
    for (int i = 0; i < migdev_model_n_vars(a); i++) {
        migdev_var_info x, y;
        migdev_model_var(a, i, &x);
        migdev_model_var(b, i, &y);
        ck_assert_str_eq(x.name, y.name);
        ck_assert_int_eq(x.kind, y.kind);
        ck_assert_str_eq(x.units, y.units);
        ck_assert_str_eq(x.doc, y.doc);
        ck_assert_str_eq(x.source, y.source);
        ck_assert_int_eq(x.non_negative, y.non_negative);
        if (x.kind == MIGDEV_CONSTANT)
            ck_assert(x.value == y.value);
    }
    ck_assert_int_eq(migdev_model_n_lookups(a), migdev_model_n_lookups(b));
    for (int i = 0; i < migdev_model_n_lookups(a); i++) {
        migdev_var_info x, y;
        migdev_model_lookup(a, i, &x);
        migdev_model_lookup(b, i, &y);
        ck_assert_str_eq(x.name, y.name);
        ck_assert_str_eq(x.units, y.units);
        ck_assert_str_eq(x.doc, y.doc);
        ck_assert_str_eq(x.source, y.source);
    }
}

static void assert_same_series(const migdev_model *a, const migdev_model *b)
{
    migdev_run *ra = run_model(a, 11), *rb = run_model(b, 11);
    const size_t n = migdev_run_n_saves(ra);
    ck_assert_int_eq((int)n, (int)migdev_run_n_saves(rb));
    for (int i = 0; i < migdev_model_n_vars(a); i++) {
        const double *x = migdev_run_series(ra, i), *y = migdev_run_series(rb, i);
        for (size_t k = 0; k < n; k++)
            ck_assert_msg(x[k] == y[k] || (isnan(x[k]) && isnan(y[k])),
                          "variable %d at save %zu: %.17g != %.17g", i, k, x[k], y[k]);
    }
    migdev_run_free(ra);
    migdev_run_free(rb);
}

START_TEST(round_trip_is_identical)
{
    static const char *const models[] = {"tests/models/xmile/roundtrip.cfg",
                                         "models/examples/teacup.cfg"};
    char *path = source_path(models[_i]);
    migdev_model *a = load_file(path);
    migdev_model *b = load_file(export_to_file(a, 0));
    assert_same_model(a, b);
    assert_same_series(a, b);
    migdev_model_free(a);
    migdev_model_free(b);
    free(path);
}
END_TEST

START_TEST(libconfig_model_equals_its_xmile_translation)
{
    char *pc = source_path("models/examples/teacup.cfg");
    char *px = source_path("models/examples/teacup.xmile");
    migdev_model *a = load_file(pc), *b = load_file(px);
    migdev_run *ra = run_model(a, 0), *rb = run_model(b, 0);
    ck_assert_int_eq((int)migdev_run_n_saves(ra), 31);
    ck_assert_int_eq((int)migdev_run_n_saves(rb), 31);
    static const char *const pairs[][2] = {
        {"teacup_temperature", "Teacup_Temperature"},
        {"heat_loss_to_room", "Heat_Loss_to_Room"},
        {"room_temperature", "Room_Temperature"},
    };
    for (size_t p = 0; p < 3; p++) {
        const double *x = migdev_run_series(ra, migdev_model_find(a, pairs[p][0]));
        const double *y = migdev_run_series(rb, migdev_model_find(b, pairs[p][1]));
        for (int k = 0; k <= 30; k++)
            ck_assert(x[k] == y[k]);
    }
    migdev_run_free(ra), migdev_run_free(rb);
    migdev_model_free(a), migdev_model_free(b);
    free(pc), free(px);
}
END_TEST

START_TEST(cli_export)
{
    char *src = source_path("tests/models/xmile/roundtrip.cfg");
    char *dir = tmp_dir();
    char out[4200];
    snprintf(out, sizeof out, "%s/sub/rt.xmile", dir);
    const char *const ex[] = {"export", "--xmile", src, "-o", out, NULL};
    cmd_result r = run_migdev(NULL, ex);
    ck_assert_int_eq(r.status, 0);
    cmd_result_free(&r);
    const char *const a[] = {"run", src, "--seed", "3", NULL};
    const char *const b[] = {"run", out, "--seed", "3", NULL};
    cmd_result ra = run_migdev(NULL, a), rb = run_migdev(NULL, b);
    ck_assert_int_eq(ra.status, 0);
    ck_assert_str_eq(ra.out, rb.out);
    cmd_result_free(&ra), cmd_result_free(&rb);
    char *x = read_text(out);
    ck_assert_ptr_nonnull(strstr(x, "<eqn>SMTH1(pool, Tau)"));
    ck_assert_ptr_nonnull(strstr(x, "migdev.pulse(3, 2, 0.5, 4)"));
    free(x);
    const char *const noformat[] = {"export", src, NULL};
    r = run_migdev(NULL, noformat);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "choose the format: --xmile"));
    cmd_result_free(&r);
    free(src);
    free(dir);
}
END_TEST

typedef struct err_case {
    const char *model;
    const char *want;
} err_case;

static const err_case errors[] = {
    {"constants = ( { name = \"Pop\"; value = 1.0; }, { name = \"pop\"; value = 2.0; } );",
     "test.cfg:1:57: error: 'pop' cannot be written as XMILE: XMILE does not tell it from 'Pop'"},
    {"constants = ( { name = \"a__b\"; value = 1.0; } );",
     "test.cfg:1:25: error: 'a__b' cannot be written as XMILE: XMILE reads runs of underscores as one"},
    {"constants = ( { name = \"inf\"; value = 1.0; } );",
     "test.cfg:1:25: error: 'inf' cannot be written as XMILE: it is a reserved XMILE name"},
};

START_TEST(names_xmile_cannot_hold)
{
    migdev_model *m = load_model_text(errors[_i].model);
    migdev_error err;
    migdev_error_clear(&err);
    FILE *f = fopen("/dev/null", "w");
    ck_assert_int_eq(migdev_model_write_xmile(m, f, &err), MIGDEV_E_NAME);
    fclose(f);
    char buf[1200];
    migdev_error_format(&err, buf, sizeof buf);
    ck_assert_msg(strncmp(buf, errors[_i].want, strlen(errors[_i].want)) == 0, "got: %s", buf);
    migdev_model_free(m);
}
END_TEST

START_TEST(xmile_models_are_not_exported)
{
    char *px = source_path("models/examples/teacup.xmile");
    migdev_model *m = load_file(px);
    migdev_error err;
    migdev_error_clear(&err);
    FILE *f = fopen("/dev/null", "w");
    ck_assert_int_eq(migdev_model_write_xmile(m, f, &err), MIGDEV_E_USAGE);
    fclose(f);
    migdev_model_free(m);
    free(px);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("xmile_export");
    TCase *core = tcase_create("core");
    tcase_add_loop_test(core, round_trip_is_identical, 0, 2);
    tcase_add_test(core, libconfig_model_equals_its_xmile_translation);
    tcase_add_test(core, cli_export);
    suite_add_tcase(s, core);
    TCase *errs = tcase_create("errors");
    tcase_add_loop_test(errs, names_xmile_cannot_hold, 0, (int)(sizeof errors / sizeof errors[0]));
    tcase_add_test(errs, xmile_models_are_not_exported);
    suite_add_tcase(s, errs);
    return run_suite(s);
}
