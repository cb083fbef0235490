/*
** check_report.c - indicators (src/report.c) and `migdev report`: the
** numbers against hand computation (a stock growing at a constant rate,
** which Euler integrates exactly: s(t) = 1 + g t), inheritance of the
** section, CSV and table output, and the errors with their positions.
*/
#include "modelutil.h"

#include <math.h>
#include <string.h>

#define ARGV(...) ((const char *const[]){__VA_ARGS__, NULL})

static const char model_text[] =
    "name = \"m\";\n"
    "time = { stop = 2.0; dt = 0.25; };\n"
    "constants = ( { name = \"g\"; value = 1.0; } );\n"
    "stocks = ( { name = \"s\"; init = 1; inflows = [\"f\"]; } );\n"
    "flows = ( { name = \"f\"; equation = \"g\"; } );\n"
    "auxiliaries = ( { name = \"w\"; equation = \"(time - 0.5) * (time - 1.25)\"; } );\n";

static const char fast_text[] =
    "model = \"m.cfg\";\n"
    "name = \"Fast\";\n"
    "set = { g = 2.0; };\n"
    "output = { variables = [\"f\"]; };\n" /* indicators see every variable anyway */
    "indicators = (\n"
    "  { name = \"reaches\"; kind = \"crossing\"; variable = \"s\"; value = 2.5; direction = \"up\"; },\n"
    "  { name = \"falls\"; kind = \"crossing\"; variable = \"s\"; value = 2.5; direction = \"down\"; },\n"
    "  { name = \"s_at\"; label = \"s in the middle\"; kind = \"at\"; variable = \"s\"; time = 1.1; },\n"
    "  { name = \"gain\"; kind = \"change\"; variable = \"s\"; time = 1.1; }\n"
    ");\n";

static char *dir;

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
    dir = tmp_dir();
    put("m.cfg", model_text);
    put("fast.cfg", fast_text);
    put("slow.cfg", "model = \"m.cfg\";\nname = \"Slow\";\n");
}

static void teardown(void)
{
    rm_tree(dir);
    free(dir);
}

START_TEST(numbers_by_hand)
{
    cmd_result r = run_migdev(dir, ARGV("report", "fast.cfg", "--baseline", "slow.cfg", "--csv"));
    ck_assert_msg(r.status == 0, "%s", r.err);
    /* s = 1 + 2t reaches 2.5 at t = 0.75, a save time; never falls; at
       t = 1.1 (between saves, linear) s = 3.2; the baseline 1 + t = 2.1
       there, so the change is 100 (3.2 - 2.1) / 2.1 % */
    char want[1024];
    char num[32];
    snprintf(want, sizeof want,
             "scenario,indicator,kind,variable,time,value\n"
             "Fast,reaches,crossing,s,,0.75\n"
             "Fast,falls,crossing,s,,\n"
             "Fast,s_at,at,s,1.1,%s\n",
             migdev_format_number(1.0 + 2.0 * 1.1, num));
    ck_assert_msg(strncmp(r.out, want, strlen(want)) == 0, "%s", r.out);
    const char *gain = strstr(r.out, "Fast,gain,change,s,1.1,");
    ck_assert_ptr_nonnull(gain);
    const double v = strtod(gain + strlen("Fast,gain,change,s,1.1,"), NULL);
    ck_assert(close_to(v, 100.0 * (3.2 - 2.1) / 2.1, 1e-12, 0));
    cmd_result_free(&r);
}
END_TEST

START_TEST(first_and_last_crossings)
{
    /* w = (t - 0.5)(t - 1.25) at t = 0, 0.25, ..., 2: 0.625, 0.25, 0, -0.125,
       -0.125, 0, 0.25, ...: it falls to 0 at t = 0.5 and rises back to 0 at
       t = 1.25, where it stays */
    put("w.cfg", "model = \"m.cfg\";\nindicators = (\n"
                 "{ name = \"down\"; kind = \"crossing\"; variable = \"w\"; value = 0.0; direction = \"down\"; },\n"
                 "{ name = \"down_for_good\"; kind = \"crossing\"; variable = \"w\"; value = 0.0; direction = \"down\"; occurrence = \"last\"; },\n"
                 "{ name = \"up_for_good\"; kind = \"crossing\"; variable = \"w\"; value = 0.0; direction = \"up\"; occurrence = \"last\"; },\n"
                 "{ name = \"any_for_good\"; kind = \"crossing\"; variable = \"w\"; value = 0.0; occurrence = \"last\"; } );\n");
    cmd_result r = run_migdev(dir, ARGV("report", "w.cfg", "--csv"));
    ck_assert_msg(r.status == 0, "%s", r.err);
    ck_assert_str_eq(r.out, "scenario,indicator,kind,variable,time,value\n"
                            "w,down,crossing,w,,0.5\n"
                            "w,down_for_good,crossing,w,,\n"
                            "w,up_for_good,crossing,w,,1.25\n"
                            "w,any_for_good,crossing,w,,1.25\n");
    cmd_result_free(&r);
}
END_TEST

START_TEST(table_inheritance_and_output_file)
{
    put("child.cfg", "base = \"fast.cfg\";\nset = { g = 4.0; };\n");
    cmd_result r = run_migdev(dir, ARGV("report", "child.cfg", "fast.cfg", "--baseline",
                                        "slow.cfg", "-o", "rep.txt"));
    ck_assert_msg(r.status == 0, "%s", r.err);
    ck_assert_str_eq(r.out, "");
    char path[1100];
    snprintf(path, sizeof path, "%s/rep.txt", dir);
    char *text = read_text(path);
    /* the child takes the base's indicators: s = 1 + 4t reaches 2.5 at
       t = 0.375, first saved at 0.5; s(1.1) = 5.4, +157.1 % over 2.1 */
    ck_assert_msg(strstr(text, "child (child.cfg)\n"), "%s", text);
    ck_assert_msg(strstr(text, "first time s crosses 2.5 upwards"), "%s", text);
    ck_assert_msg(strstr(text, " 0.5\n"), "%s", text);
    ck_assert_msg(strstr(text, "s in the middle"), "%s", text);
    ck_assert_msg(strstr(text, " 5.4\n"), "%s", text);
    ck_assert_msg(strstr(text, "+157.1 %"), "%s", text);
    ck_assert_msg(strstr(text, "never"), "%s", text);
    ck_assert_msg(strstr(text, "\nFast (fast.cfg)\n"), "%s", text);
    free(text);
    cmd_result_free(&r);
}
END_TEST

static void ck_report_error(const char *text, const char *needle, const char *msg)
{
    put("bad.cfg", text);
    cmd_result r = run_migdev(dir, ARGV("report", "bad.cfg"));
    int line, col;
    text_pos(text, needle, &line, &col);
    char want[2048];
    snprintf(want, sizeof want, "bad.cfg:%d:%d: error: %s\n", line, col, msg);
    ck_assert_int_eq(r.status, 1);
    ck_assert_str_eq(r.err, want);
    cmd_result_free(&r);
}

START_TEST(errors)
{
    ck_report_error("model = \"m.cfg\";\nindicators = ( { name = \"x\"; kind = \"sometime\"; "
                    "variable = \"s\"; } );\n",
                    "kind", "unknown kind 'sometime' of indicator 'x' (crossing, at or change)");
    ck_report_error("model = \"m.cfg\";\nindicators = (\n  { name = \"x\"; kind = \"at\"; "
                    "variable = \"q\"; time = 1.0; } );\n",
                    "variable", "the model has no variable 'q' (did you mean 'g'?)");
    ck_report_error("model = \"m.cfg\";\nindicators = (\n  { name = \"x\"; kind = \"at\"; "
                    "variable = \"s\"; } );\n",
                    "name", "indicator 'x' (at) needs a time: time = 2050;");
    ck_report_error("model = \"m.cfg\";\nindicators = (\n  { name = \"x\"; kind = \"at\"; "
                    "variable = \"s\"; time = 1.0; },\n  { name = \"x\"; kind = \"at\"; "
                    "variable = \"s\"; time = 2.0; } );\n",
                    "name = \"x\"; kind = \"at\"; variable = \"s\"; time = 2.0",
                    "a second indicator called 'x' (the first is on line 3)");
    /* a change without a baseline: said in its row, the others reported */
    cmd_result r = run_migdev(dir, ARGV("report", "fast.cfg"));
    ck_assert_int_eq(r.status, 0);
    ck_assert_msg(strstr(r.out, "s at 1.1, % change against the baseline") &&
                      strstr(r.out, "needs --baseline\n"),
                  "%s", r.out);
    cmd_result_free(&r);
    /* a time outside the run */
    put("late.cfg", "model = \"m.cfg\";\nindicators = ( { name = \"x\"; kind = \"at\"; "
                    "variable = \"s\"; time = 9.0; } );\n");
    r = run_migdev(dir, ARGV("report", "late.cfg"));
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(strstr(r.err, "indicator 'x': time 9 is outside the run (0 to 2)"), "%s", r.err);
    cmd_result_free(&r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("report");
    TCase *t = tcase_create("report");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, numbers_by_hand);
    tcase_add_test(t, first_and_last_crossings);
    tcase_add_test(t, table_inheritance_and_output_file);
    tcase_add_test(t, errors);
    suite_add_tcase(s, t);
    return run_suite(s);
}
