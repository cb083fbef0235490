/*
** check_scenario.c - scenario files (src/scenario.c): the model path
** relative to the scenario, overrides, time, solver and output settings,
** and their errors with positions.
*/
#include "modelutil.h"

#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A project in a fresh temporary folder: models/m.cfg (a stock s growing
** by k = 1 per unit time, s(0) = 1) and configs/<name> with text. */
static const char model_text[] =
    "name = \"m\";\n"
    "time = { stop = 2.0; dt = 0.25; };\n"
    "constants = ( { name = \"growth_rate\"; value = 1.0; } );\n"
    "stocks = ( { name = \"s\"; init = 1; inflows = [\"f\"]; } );\n"
    "flows = ( { name = \"f\"; equation = \"growth_rate\"; } );\n";

static char project[512];

static void write_file(const char *rel, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", project, rel);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static void make_project(const char *scenario)
{
    if (project[0])
        rm_tree(project); /* the previous one */
    char *d = tmp_dir();
    snprintf(project, sizeof project, "%s", d);
    free(d);
    char p[1024];
    snprintf(p, sizeof p, "%s/models", project);
    mkdir(p, 0777);
    snprintf(p, sizeof p, "%s/configs", project);
    mkdir(p, 0777);
    write_file("models/m.cfg", model_text);
    if (scenario)
        write_file("configs/s.cfg", scenario);
}

static const char *scen_path(void)
{
    static char p[1024];
    snprintf(p, sizeof p, "%s/configs/s.cfg", project);
    return p;
}

/* Load configs/s.cfg expecting an error; returns it formatted (owned). */
static char *scenario_error(const char *scenario)
{
    make_project(scenario);
    migdev_error err;
    migdev_error_clear(&err);
    migdev_scenario *s = migdev_scenario_load(scen_path(), &err);
    ck_assert_msg(s == NULL, "the scenario loaded");
    char buf[1400];
    return strdup(migdev_error_format(&err, buf, sizeof buf));
}

/* the expected error at needle in the scenario text, in configs/s.cfg */
#define ck_scenario_error(scenario, needle, msg)                                    \
    do {                                                                            \
        char *got_ = scenario_error(scenario);                                      \
        int l_, c_;                                                                 \
        text_pos(scenario, needle, &l_, &c_);                                       \
        char want_[1600];                                                           \
        snprintf(want_, sizeof want_, "%s:%d:%d: error: %s", scen_path(), l_, c_, msg); \
        ck_assert_str_eq(got_, want_);                                              \
        free(got_);                                                                 \
    } while (0)

START_TEST(full_scenario)
{
    make_project("name = \"Faster\";\n"
                 "doc = \"Growth at 3 per year.\";\n"
                 "model = \"../models/m.cfg\";\n"
                 "set = { growth_rate = 3.0; };\n"
                 "time = { start = 1.0; stop = 3.0; dt = 0.5; save_every = 1.0; };\n"
                 "solver = { method = \"rk4\"; abs_tol = 1e-8; rel_tol = 1e-9; max_step = 0.25; };\n"
                 "output = { file = \"../out/faster.tsv\"; variables = [\"s\"]; format = \"tsv\"; };\n");
    migdev_error err;
    migdev_error_clear(&err);
    migdev_scenario *s = migdev_scenario_load(scen_path(), &err);
    ck_assert_msg(s != NULL, "%s", err.message);
    ck_assert_str_eq(migdev_scenario_name(s), "Faster");
    ck_assert_str_eq(migdev_scenario_doc(s), "Growth at 3 per year.");
    ck_assert_str_eq(migdev_scenario_file(s), scen_path());
    ck_assert_str_eq(migdev_model_name(migdev_scenario_model(s)), "m");
    const migdev_sim_spec sp = migdev_scenario_spec(s);
    ck_assert(sp.start == 1.0 && sp.stop == 3.0 && sp.dt == 0.5 && sp.save_every == 1.0);
    ck_assert_int_eq(sp.method, MIGDEV_RK4);
    ck_assert(sp.abs_tol == 1e-8 && sp.rel_tol == 1e-9 && sp.max_step == 0.25);
    char want[1100];
    snprintf(want, sizeof want, "%s/configs/../out/faster.tsv", project);
    ck_assert_str_eq(migdev_scenario_output(s), want);
    ck_assert_int_eq(migdev_scenario_format(s), MIGDEV_TSV);
    int n;
    const int *outs = migdev_scenario_outputs(s, &n);
    ck_assert_int_eq(n, 1);
    ck_assert_int_eq(outs[0], 1);
    ck_assert_int_eq(migdev_scenario_n_overrides(s), 1);
    int var;
    double value;
    ck_assert_int_eq(migdev_scenario_override(s, 0, &var, &value), 0);
    ck_assert(var == 0 && value == 3.0);
    ck_assert_int_eq(migdev_scenario_override(s, 1, &var, &value), MIGDEV_E_RANGE);
    /* the run: s = 1 + 3 (t - 1), recording only s */
    migdev_run *r = migdev_scenario_new_run(s, &err);
    ck_assert_int_eq(migdev_run_execute(r, &err), 0);
    const double *st = migdev_run_series(r, 1);
    ck_assert(st[0] == 1.0 && st[1] == 4.0 && st[2] == 7.0);
    ck_assert_ptr_null(migdev_run_series(r, 2));
    migdev_run_free(r);
    migdev_scenario_free(s);
    rm_tree(project);
}
END_TEST

START_TEST(defaults_and_models_as_scenarios)
{
    /* a scenario naming only its model; its name is the file's stem */
    make_project("model = \"../models/m.cfg\";\n");
    migdev_error err;
    migdev_error_clear(&err);
    migdev_scenario *s = migdev_scenario_load(scen_path(), &err);
    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(migdev_scenario_name(s), "s");
    ck_assert_str_eq(migdev_scenario_doc(s), "");
    ck_assert_ptr_null(migdev_scenario_output(s));
    ck_assert_int_eq(migdev_scenario_format(s), MIGDEV_CSV);
    const migdev_sim_spec sp = migdev_scenario_spec(s);
    ck_assert(sp.stop == 2.0 && sp.dt == 0.25 && sp.save_every == 0.25 && sp.method == MIGDEV_EULER);
    migdev_scenario_free(s);
    /* a model file opened as a scenario */
    char path[1100];
    snprintf(path, sizeof path, "%s/models/m.cfg", project);
    s = migdev_scenario_load(path, &err);
    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(migdev_scenario_name(s), "m");
    ck_assert(migdev_scenario_spec(s).dt == 0.25);
    /* API overrides: later calls win; unknown names are suggested */
    ck_assert_int_eq(migdev_scenario_set(s, "growth_rate", 2.0, &err), 0);
    ck_assert_int_eq(migdev_scenario_set(s, "growth_rate", 5.0, &err), 0);
    ck_assert_int_eq(migdev_scenario_n_overrides(s), 1);
    ck_assert_int_eq(migdev_scenario_set(s, "growth", 1.0, &err), MIGDEV_E_NAME);
    ck_assert_str_eq(err.message, "the model has no constant 'growth' (did you mean 'growth_rate'?)");
    migdev_error_clear(&err);
    ck_assert_int_eq(migdev_scenario_set(s, "s", 1.0, &err), MIGDEV_E_TYPE);
    ck_assert_str_eq(err.message, "'s' is not a constant: only constants can be set");
    /* outputs from a list of names */
    ck_assert_int_eq(migdev_scenario_set_outputs(s, " f , s", &err), 0);
    int n;
    const int *outs = migdev_scenario_outputs(s, &n);
    ck_assert(n == 2 && outs[0] == 2 && outs[1] == 1);
    migdev_error_clear(&err);
    ck_assert_int_eq(migdev_scenario_set_outputs(s, "s,ff", &err), MIGDEV_E_NAME);
    ck_assert_str_eq(err.message, "the model has no variable 'ff' (did you mean 'f'?)");
    migdev_error_clear(&err);
    ck_assert_int_eq(migdev_scenario_set_outputs(s, " , ", &err), MIGDEV_E_NAME);
    ck_assert_str_eq(err.message, "the list of variables is empty");
    ck_assert_int_eq(migdev_scenario_set_output(s, "x.csv", &err), 0);
    ck_assert_str_eq(migdev_scenario_output(s), "x.csv");
    ck_assert_int_eq(migdev_scenario_set_output(s, NULL, &err), 0);
    ck_assert_ptr_null(migdev_scenario_output(s));
    /* the run uses the override: s = 1 + 5 t */
    migdev_run *r = migdev_scenario_new_run(s, &err);
    ck_assert_int_eq(migdev_run_execute(r, &err), 0);
    ck_assert(migdev_run_series(r, 1)[4] == 6.0);
    migdev_run_free(r);
    migdev_scenario_free(s);
    rm_tree(project);
}
END_TEST

START_TEST(new_time_step_saves_every_step)
{
    /* the model saves every 0.25 (its dt); a scenario with dt = 0.5 saves
       every 0.5 rather than failing on a save interval it never set */
    make_project("model = \"../models/m.cfg\";\ntime = { dt = 0.5; };\n");
    migdev_error err;
    migdev_error_clear(&err);
    migdev_scenario *s = migdev_scenario_load(scen_path(), &err);
    ck_assert_ptr_nonnull(s);
    ck_assert(migdev_scenario_spec(s).save_every == 0.5);
    migdev_run *r = migdev_scenario_new_run(s, &err);
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(migdev_run_execute(r, &err), 0);
    ck_assert_int_eq((int)migdev_run_n_saves(r), 5);
    migdev_run_free(r);
    migdev_scenario_free(s);
    rm_tree(project);
}
END_TEST

/* ---------------------------------------------------------------- errors */

START_TEST(scenario_errors)
{
    ck_scenario_error("model = \"../models/m.cfg\";\nsolvr = { method = \"rk4\"; };\n", "solvr",
                      "unknown field 'solvr' in the scenario (did you mean 'solver'?)");
    ck_scenario_error("model = 5;\n", "model",
                      "'model' must be the path of a model file, in quotes");
    ck_scenario_error("model = \"../models/m.cfg\";\nset = { growth = 2.0; };\n", "growth",
                      "the model has no constant 'growth' (did you mean 'growth_rate'?)");
    ck_scenario_error("model = \"../models/m.cfg\";\nset = { s = 2.0; };\n", "s =",
                      "'s' is not a constant: only constants can be set");
    ck_scenario_error("model = \"../models/m.cfg\";\nset = { growth_rate = \"fast\"; };\n",
                      "growth_rate", "the value of 'growth_rate' must be a number");
    ck_scenario_error("model = \"../models/m.cfg\";\nset = ( 1 );\n", "set",
                      "'set' must be a group: set = { name = 1.5; };");
    ck_scenario_error("model = \"../models/m.cfg\";\nsolver = { method = \"rk5\"; };\n", "method",
                      "unknown method 'rk5' (euler, rk4, rk2, rkf45, rkck, rk8pd, rk4imp, bsimp, "
                      "msadams, msbdf)");
    ck_scenario_error("model = \"../models/m.cfg\";\nsolver = { abs_tol = 0; };\n", "abs_tol",
                      "abs_tol must be positive");
    ck_scenario_error("model = \"../models/m.cfg\";\nsolver = { max_step = -1; };\n", "max_step",
                      "max_step must not be negative");
    ck_scenario_error("model = \"../models/m.cfg\";\nsolver = { metod = \"rk4\"; };\n", "metod",
                      "unknown field 'metod' in the solver settings (did you mean 'method'?)");
    ck_scenario_error("model = \"../models/m.cfg\";\noutput = { format = \"json\"; };\n", "format",
                      "unknown format 'json' (csv or tsv)");
    ck_scenario_error("model = \"../models/m.cfg\";\noutput = { file = \"\"; };\n", "file",
                      "the output file name is empty");
    ck_scenario_error("model = \"../models/m.cfg\";\noutput = { variables = [\"s\", \"flow\"]; };\n",
                      "variables", "output variable 'flow' is not in the model");
    ck_scenario_error("model = \"../models/m.cfg\";\noutput = { variables = [\"growth\"]; };\n",
                      "variables",
                      "output variable 'growth' is not in the model (did you mean 'growth_rate'?)");
    ck_scenario_error("model = \"../models/m.cfg\";\ntime = { dt = 0; };\n", "dt",
                      "dt must be positive, got 0");
    ck_scenario_error("model = \"../models/m.cfg\";\ntime = { start = 5; };\n", "time",
                      "the stop time (2) must be greater than the start time (5)");
    ck_scenario_error("model = \"../models/m.cfg\";\ntime = { sart = 5; };\n", "sart",
                      "unknown field 'sart' in the time settings (did you mean 'start'?)");
    /* libconfig errors: "set = { a = ; };", the ';' at column 13 */
    char *got = scenario_error("model = \"../models/m.cfg\";\nset = { a = ; };\n");
    char want[1200];
    snprintf(want, sizeof want, "%s:2:13: error: syntax error (libconfig syntax)", scen_path());
    ck_assert_str_eq(got, want);
    free(got);
    rm_tree(project);
}
END_TEST

/* knobs: declared ones as written; without a knobs list, one per `set`
** constant over [0, 2 x max(value, default)] in 100 steps (scenario.h). */
START_TEST(knobs_declared_and_default)
{
    make_project("model = \"../models/m.cfg\";\n"
                 "set = { growth_rate = 0.3; };\n"
                 "knobs = ( { constant = \"growth_rate\"; min = -1; max = 1.5; step = 0.05;\n"
                 "            label = \"Growth\"; doc = \"How fast s grows.\"; } );\n");
    migdev_error err;
    migdev_error_clear(&err);
    migdev_scenario *s = migdev_scenario_load(scen_path(), &err);
    ck_assert_msg(s != NULL, "%s", err.message);
    ck_assert_int_eq(migdev_scenario_n_knobs(s), 1);
    migdev_knob k;
    ck_assert_int_eq(migdev_scenario_knob(s, 0, &k), 0);
    ck_assert_int_eq(k.var, migdev_model_find(migdev_scenario_model(s), "growth_rate"));
    ck_assert(k.value == 0.3 && k.min == -1.0 && k.max == 1.5 && k.step == 0.05);
    ck_assert_str_eq(k.label, "Growth");
    ck_assert_str_eq(k.doc, "How fast s grows.");
    ck_assert_int_eq(k.line, 3);
    ck_assert_int_eq(migdev_scenario_knob(s, 1, &k), -1);
    migdev_scenario_free(s);

    /* default: the set value 0.3 against the model's 1.0 -> [0, 2] */
    make_project("model = \"../models/m.cfg\";\nset = { growth_rate = 0.3; };\n");
    s = migdev_scenario_load(scen_path(), &err);
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(migdev_scenario_n_knobs(s), 1);
    ck_assert_int_eq(migdev_scenario_knob(s, 0, &k), 0);
    ck_assert(k.value == 0.3 && k.min == 0.0 && k.max == 2.0);
    ck_assert_double_eq_tol(k.step, 0.02, 1e-15);
    ck_assert_str_eq(k.label, "");
    ck_assert_int_eq(k.line, 0);
    migdev_scenario_free(s);

    /* an empty knobs list means no knobs, even with a set */
    make_project("model = \"../models/m.cfg\";\nset = { growth_rate = 0.3; };\nknobs = ();\n");
    s = migdev_scenario_load(scen_path(), &err);
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(migdev_scenario_n_knobs(s), 0);
    migdev_scenario_free(s);
    rm_tree(project);
}
END_TEST

/* migdev_scenario_write: the written file reads back to the same settings
** with the extra value on top; the knobs that followed `set` are written out. */
START_TEST(write_round_trip)
{
    make_project("name = \"Fast \\\"growth\\\"\";\ndoc = \"two\\nlines\";\n"
                 "model = \"../models/m.cfg\";\n"
                 "set = { growth_rate = 0.3; };\n"
                 "time = { stop = 3.0; dt = 0.5; save_every = 1.0; };\n"
                 "solver = { method = \"rk4\"; };\n"
                 "output = { variables = [\"s\"]; };\n");
    migdev_error err;
    migdev_error_clear(&err);
    migdev_scenario *s = migdev_scenario_load(scen_path(), &err);
    ck_assert_ptr_nonnull(s);
    const int g = migdev_model_find(migdev_scenario_model(s), "growth_rate");
    const double v = 0.123456789012345678;
    char out[1100];
    snprintf(out, sizeof out, "%s/configs/saved.cfg", project);
    FILE *f = fopen(out, "w");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(migdev_scenario_write(s, &g, &v, 1, "../models/m.cfg", f, &err), 0);
    fclose(f);
    migdev_scenario *t = migdev_scenario_load(out, &err);
    ck_assert_msg(t != NULL, "%s", err.message);
    ck_assert_str_eq(migdev_scenario_name(t), "Fast \"growth\"");
    ck_assert_str_eq(migdev_scenario_doc(t), "two\nlines");
    ck_assert_int_eq(migdev_scenario_n_overrides(t), 1);
    int var;
    double x;
    migdev_scenario_override(t, 0, &var, &x);
    ck_assert_int_eq(var, g);
    ck_assert(x == v); /* exactly: shortest round-trip digits */
    const migdev_sim_spec a = migdev_scenario_spec(s), b = migdev_scenario_spec(t);
    ck_assert(a.start == b.start && a.stop == b.stop && a.dt == b.dt &&
              a.save_every == b.save_every && a.method == b.method && b.method == MIGDEV_RK4);
    int n;
    const int *outs = migdev_scenario_outputs(t, &n);
    ck_assert_int_eq(n, 1);
    ck_assert_int_eq(outs[0], migdev_model_find(migdev_scenario_model(t), "s"));
    /* the default knob [0, 2] of the original, now declared */
    migdev_knob k;
    ck_assert_int_eq(migdev_scenario_n_knobs(t), 1);
    migdev_scenario_knob(t, 0, &k);
    ck_assert(k.var == g && k.min == 0.0 && k.max == 2.0 && k.value == v && k.line > 0);
    /* s = 1 + v t with rk4 (exact for a constant flow) */
    migdev_run *r = migdev_scenario_new_run(t, &err);
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(migdev_run_execute(r, &err), 0);
    const double *sv = migdev_run_series(r, outs[0]);
    ck_assert_double_eq_tol(sv[3], 1.0 + 3.0 * v, 1e-12);
    migdev_run_free(r);
    migdev_scenario_free(t);
    migdev_scenario_free(s);
    rm_tree(project);
}
END_TEST

START_TEST(knob_errors)
{
    static const char head[] = "model = \"../models/m.cfg\";\n";
    char t[600];
#define KNOB(body) (snprintf(t, sizeof t, "%sknobs = ( %s );\n", head, body), t)
    ck_scenario_error(KNOB("{ constant = \"growth\"; min = 0; max = 1; }"), "growth\"",
                      "the model has no constant 'growth' (did you mean 'growth_rate'?)");
    ck_scenario_error(KNOB("{ constant = \"s\"; min = 0; max = 1; }"), "s\"",
                      "'s' is not a constant: only constants can be a knob");
    ck_scenario_error(KNOB("{ constant = \"growth_rate\"; max = 1; }"), "{",
                      "the knob of 'growth_rate' needs its 'min' and 'max'");
    ck_scenario_error(KNOB("{ constant = \"growth_rate\"; min = 2; max = 2; }"), "max",
                      "the knob of 'growth_rate' needs min < max, got [2, 2]");
    ck_scenario_error(KNOB("{ constant = \"growth_rate\"; min = 0; max = 2; step = 3; }"), "step",
                      "the step of the knob of 'growth_rate' must be positive and at most "
                      "max - min (2), got 3");
    ck_scenario_error(KNOB("{ constant = \"growth_rate\"; min = 0; max = 0.5; }"), "{",
                      "the value of 'growth_rate' in this scenario (1) is outside its knob's "
                      "range [0, 0.5]");
    ck_scenario_error(KNOB("{ constant = \"growth_rate\"; min = 0; max = 2; lable = \"x\"; }"),
                      "lable", "unknown field 'lable' in a knob (did you mean 'label'?)");
    ck_scenario_error(KNOB("{ constant = \"growth_rate\"; min = 0; max = 2; },\n"
                           "          { constant = \"growth_rate\"; min = 0; max = 3; }"),
                      "{ constant = \"growth_rate\"; min = 0; max = 3",
                      "a second knob for the same constant (the first is on line 2)");
    ck_scenario_error(KNOB("5"), "knobs", /* libconfig gives no column for a scalar in a list */
                      "each knob must be a group: { constant = \"x\"; min = 0; max = 1; }");
#undef KNOB
    rm_tree(project);
}
END_TEST

START_TEST(model_file_errors)
{
    /* a missing model: the error points at the path inside its quotes */
    static const char missing[] = "name = \"x\";\nmodel = \"../models/nope.cfg\";\n";
    char *got = scenario_error(missing);
    char want[2400];
    snprintf(want, sizeof want,
             "%s:2:10: error: model file '%s/configs/../models/nope.cfg': cannot open: No such "
             "file or directory",
             scen_path(), project);
    ck_assert_str_eq(got, want);
    free(got);
    /* a broken model: the error is the model's, in the model file */
    static const char bad[] = "auxiliaries = ( { name = \"a\"; equation = \"1 +\"; } );\n";
    make_project(NULL);
    write_file("models/bad.cfg", bad);
    write_file("configs/s.cfg", "model = \"../models/bad.cfg\";\n");
    migdev_error err;
    migdev_error_clear(&err);
    ck_assert_ptr_null(migdev_scenario_load(scen_path(), &err));
    char buf[1400];
    int l, c;
    text_pos(bad, "\"; }", &l, &c);
    snprintf(want, sizeof want,
             "%s/configs/../models/bad.cfg:%d:%d: error: expected a number, a name or '(', found "
             "the end of the equation",
             project, l, c);
    ck_assert_str_eq(migdev_error_format(&err, buf, sizeof buf), want);
    /* a time step that does not divide the span: an error of the
       scenario's time settings */
    static const char span[] = "model = \"../models/m.cfg\";\ntime = { dt = 0.3; };\n";
    write_file("configs/s.cfg", span);
    migdev_error_clear(&err);
    ck_assert_ptr_null(migdev_scenario_load(scen_path(), &err));
    text_pos(span, "time", &l, &c);
    snprintf(want, sizeof want,
             "%s:%d:%d: error: the time span 2 (from 0 to 2) is not a whole number of steps dt = 0.3",
             scen_path(), l, c);
    ck_assert_str_eq(migdev_error_format(&err, buf, sizeof buf), want);
    migdev_scenario *s;
    /* an absolute model path */
    char text[1200];
    snprintf(text, sizeof text, "model = \"%s/models/m.cfg\";\n", project);
    write_file("configs/s.cfg", text);
    s = migdev_scenario_load(scen_path(), &err);
    ck_assert_ptr_nonnull(s);
    migdev_scenario_free(s);
    /* no such scenario */
    migdev_error_clear(&err);
    ck_assert_ptr_null(migdev_scenario_load("/nonexistent/s.cfg", &err));
    ck_assert_int_eq(err.code, MIGDEV_E_IO);
    rm_tree(project);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("scenario");
    TCase *core = tcase_create("core");
    tcase_add_test(core, full_scenario);
    tcase_add_test(core, defaults_and_models_as_scenarios);
    tcase_add_test(core, new_time_step_saves_every_step);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, scenario_errors);
    tcase_add_test(errors, model_file_errors);
    tcase_add_test(core, knobs_declared_and_default);
    tcase_add_test(errors, knob_errors);
    tcase_add_test(core, write_round_trip);
    suite_add_tcase(s, errors);
    return run_suite(s);
}
