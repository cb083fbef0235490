/*
** check_inherit.c - scenario inheritance (base = "..." in src/scenario.c):
** what a derived scenario takes from its base and what it replaces, the
** renamed outputs, results equal to the base's when nothing differs, and
** the errors (missing base, a cycle, base with model, an error inside the
** base) at their positions.
*/
#include "modelutil.h"

#include <string.h>
#include <sys/stat.h>

/* s grows by growth_rate per unit time from 1 (Euler, dt = 0.25). */
static const char model_text[] =
    "name = \"m\";\n"
    "time = { stop = 2.0; dt = 0.25; };\n"
    "constants = ( { name = \"growth_rate\"; value = 1.0; },\n"
    "              { name = \"other\"; value = 5.0; } );\n"
    "stocks = ( { name = \"s\"; init = 1; inflows = [\"f\"]; } );\n"
    "flows = ( { name = \"f\"; equation = \"growth_rate\"; } );\n"
    "auxiliaries = ( { name = \"a\"; equation = \"other * s\"; } );\n";

static const char base_text[] =
    "name = \"Base\";\n"
    "model = \"m.cfg\";\n"
    "set = { growth_rate = 2.0; other = 3.0; };\n"
    "time = { stop = 4.0; };\n"
    "output = { file = \"../out/base.csv\"; variables = [\"s\", \"a\"]; };\n"
    "plots = ( { file = \"../out/base.png\"; variables = [\"s\"]; },\n"
    "          { file = \"fig.svg\"; variables = [\"a\"]; } );\n";

static char dir[512];

static const char *put(const char *name, const char *text)
{
    static char path[8][1024];
    static int k;
    char *p = path[k++ % 8];
    snprintf(p, 1024, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    return p;
}

static void setup(void)
{
    char *d = tmp_dir();
    snprintf(dir, sizeof dir, "%s", d);
    free(d);
    put("m.cfg", model_text);
    put("base.cfg", base_text);
}

static void teardown(void) { rm_tree(dir); }

static migdev_scenario *load_ok(const char *path)
{
    migdev_error err;
    migdev_error_clear(&err);
    migdev_scenario *s = migdev_scenario_load(path, &err);
    char buf[1400];
    ck_assert_msg(s != NULL, "%s", migdev_error_format(&err, buf, sizeof buf));
    return s;
}

static double override_of(const migdev_scenario *s, const char *name)
{
    const int want = migdev_model_find(migdev_scenario_model(s), name);
    for (int i = 0; i < migdev_scenario_n_overrides(s); i++) {
        int var;
        double v;
        migdev_scenario_override(s, i, &var, &v);
        if (var == want)
            return v;
    }
    return -1.0;
}

START_TEST(takes_all_but_what_differs)
{
    const char *p = put("mine.cfg", "base = \"base.cfg\";\n"
                                    "set = { other = 7.0; };\n"
                                    "time = { stop = 3.0; };\n");
    migdev_scenario *s = load_ok(p);
    ck_assert_str_eq(migdev_scenario_name(s), "mine"); /* its own, not the base's */
    ck_assert(override_of(s, "growth_rate") == 2.0);   /* from the base */
    ck_assert(override_of(s, "other") == 7.0);         /* its own */
    const migdev_sim_spec sp = migdev_scenario_spec(s);
    ck_assert(sp.stop == 3.0 && sp.dt == 0.25 && sp.start == 0.0);
    int n;
    const int *outs = migdev_scenario_outputs(s, &n);
    ck_assert_int_eq(n, 2);
    ck_assert_int_eq(outs[1], migdev_model_find(migdev_scenario_model(s), "a"));
    /* what the base writes, renamed after this file */
    char want[1200];
    snprintf(want, sizeof want, "%s/../out/mine.csv", dir);
    ck_assert_str_eq(migdev_scenario_output(s), want);
    migdev_plot_spec ps;
    ck_assert_int_eq(migdev_scenario_n_plots(s), 2);
    migdev_scenario_plot(s, 0, &ps);
    snprintf(want, sizeof want, "%s/../out/mine.png", dir);
    ck_assert_str_eq(ps.file, want);
    migdev_scenario_plot(s, 1, &ps);
    snprintf(want, sizeof want, "%s/mine_fig.svg", dir);
    ck_assert_str_eq(ps.file, want);
    /* s(3) = 1 + 2 * 3; a = other * s */
    migdev_error err;
    migdev_run *r = migdev_scenario_new_run(s, &err);
    ck_assert_int_eq(migdev_run_execute(r, &err), 0);
    const size_t last = migdev_run_n_saves(r) - 1;
    const migdev_model *m = migdev_scenario_model(s);
    ck_assert(migdev_run_series(r, migdev_model_find(m, "s"))[last] == 7.0);
    ck_assert(migdev_run_series(r, migdev_model_find(m, "a"))[last] == 49.0);
    migdev_run_free(r);
    migdev_scenario_free(s);
}
END_TEST

START_TEST(replaced_sections_and_chains)
{
    put("mid.cfg", "base = \"base.cfg\";\nname = \"Mid\";\n"
                   "output = { variables = [\"f\"]; };\nplots = ();\n");
    const char *p = put("top.cfg", "base = \"mid.cfg\";\nset = { growth_rate = 0.5; };\n"
                                   "output = { file = \"t.tsv\"; format = \"tsv\"; };\n");
    migdev_scenario *s = load_ok(p);
    ck_assert_str_eq(migdev_scenario_name(s), "top");
    ck_assert(override_of(s, "growth_rate") == 0.5);
    ck_assert(override_of(s, "other") == 3.0); /* through mid from base */
    int n;
    migdev_scenario_outputs(s, &n);
    ck_assert_int_eq(n, 1); /* mid's list replaced the base's */
    ck_assert_int_eq(migdev_scenario_n_plots(s), 0);
    ck_assert_int_eq(migdev_scenario_format(s), MIGDEV_TSV);
    char want[1200];
    snprintf(want, sizeof want, "%s/t.tsv", dir);
    ck_assert_str_eq(migdev_scenario_output(s), want);
    ck_assert(migdev_scenario_spec(s).stop == 4.0);
    migdev_scenario_free(s);
}
END_TEST

/* the error of loading text as name, formatted (owned) */
static char *error_of(const char *name, const char *text)
{
    const char *p = put(name, text);
    migdev_error err;
    migdev_error_clear(&err);
    migdev_scenario *s = migdev_scenario_load(p, &err);
    ck_assert_msg(s == NULL, "%s loaded", name);
    char buf[1400];
    return strdup(migdev_error_format(&err, buf, sizeof buf));
}

static void ck_error(const char *name, const char *text, const char *needle, const char *msg)
{
    char *got = error_of(name, text);
    int line, col;
    text_pos(text, needle, &line, &col);
    char want[5000];
    snprintf(want, sizeof want, "%s/%s:%d:%d: error: %s", dir, name, line, col, msg);
    ck_assert_str_eq(got, want);
    free(got);
}

START_TEST(errors)
{
    char msg[4000];
    snprintf(msg, sizeof msg, "base scenario '%s/none.cfg': cannot open: No such file or directory",
             dir);
    ck_error("a.cfg", "# a missing base\nbase = \"none.cfg\";\n", "none.cfg\"", msg);
    /* a -> b -> a: found where the circle closes, in b.cfg */
    put("c1.cfg", "base = \"c2.cfg\";\n");
    char *got = error_of("c2.cfg", "name = \"x\";\nbase = \"c1.cfg\";\n");
    snprintf(msg, sizeof msg,
             "%s/c1.cfg:1:9: error: the bases of this scenario go round in a circle: "
             "%s/c2.cfg -> %s/c1.cfg -> %s/c2.cfg",
             dir, dir, dir, dir);
    ck_assert_str_eq(got, msg);
    free(got);
    snprintf(msg, sizeof msg,
             "the bases of this scenario go round in a circle: %s/self.cfg -> %s/self.cfg", dir,
             dir);
    ck_error("self.cfg", "base = \"self.cfg\";\n", "self.cfg\";", msg);
    ck_error("both.cfg", "model = \"m.cfg\";\nbase = \"base.cfg\";\n", "model",
             "a scenario with a 'base' uses the base's model: remove 'model' (or 'base')");
    ck_error("num.cfg", "base = 3;\n", "base",
             "'base' must be the path of a scenario file, in quotes");
    /* an error inside the base is reported in the base */
    put("badbase.cfg", "model = \"m.cfg\";\nset = { nope = 1.0; };\n");
    got = error_of("d.cfg", "base = \"badbase.cfg\";\n");
    snprintf(msg, sizeof msg, "%s/badbase.cfg:2:", dir);
    ck_assert_msg(strncmp(got, msg, strlen(msg)) == 0, "%s", got);
    free(got);
    /* the derived file's own errors point into it */
    ck_error("e.cfg", "base = \"base.cfg\";\nset = { nope = 1.0; };\n", "nope",
             "the model has no constant 'nope'");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("inherit");
    TCase *t = tcase_create("inherit");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, takes_all_but_what_differs);
    tcase_add_test(t, replaced_sections_and_chains);
    tcase_add_test(t, errors);
    suite_add_tcase(s, t);
    return run_suite(s);
}
