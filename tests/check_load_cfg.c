/*
** check_load_cfg.c - reading model files (src/load_cfg.c, src/cfgfile.c):
** libconfig syntax errors (line and column), unknown fields with suggestions,
** values of the wrong type, bad numbers, and positions that skip strings
** and comments.
*/
#include "modelutil.h"

#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------------ core */

START_TEST(numbers_in_every_form)
{
    /* integers, floats, exponents, hex, signs; integers past 32 bits are
       read exactly (libconfig 1.5 alone wraps 3000000000 to -1294967296) */
    static const char text[] =
        "time = { start = 0; stop = 2; dt = 1; };\n"
        "constants = (\n"
        "  { name = \"a\"; value = 3000000000; },\n"
        "  { name = \"b\"; value = -3000000000; },\n"
        "  { name = \"c\"; value = 2147483647; },\n"
        "  { name = \"d\"; value = 2147483648; },\n"
        "  { name = \"e\"; value = 272000000000; },   # USD 272 bn\n"
        "  { name = \"f\"; value = 8000000000L; },\n"
        "  { name = \"g\"; value = 99999999999999999999; },\n"
        "  { name = \"h\"; value = 0x10; },\n"
        "  { name = \"i\"; value = 1.5e-3; },\n"
        "  { name = \"j\"; value = .25; },\n"
        "  { name = \"k\"; value = +7; },\n"
        "  { name = \"l\"; value = 1e-400; }\n"
        ");\n"
        "stocks = ( { name = \"s\"; init = 5000000000; } );\n"
        "flows = ( { name = \"fl\"; equation = 4000000000; to = \"s\"; } );\n";
    sim s = sim_run(text, NULL);
    ck_assert(sim_series(&s, "a")[0] == 3e9);
    ck_assert(sim_series(&s, "b")[0] == -3e9);
    ck_assert(sim_series(&s, "c")[0] == 2147483647.0);
    ck_assert(sim_series(&s, "d")[0] == 2147483648.0);
    ck_assert(sim_series(&s, "e")[0] == 272e9);
    ck_assert(sim_series(&s, "f")[0] == 8e9);
    ck_assert(sim_series(&s, "g")[0] == 1e20);
    ck_assert(sim_series(&s, "h")[0] == 16.0);
    ck_assert(sim_series(&s, "i")[0] == 0.0015);
    ck_assert(sim_series(&s, "j")[0] == 0.25);
    ck_assert(sim_series(&s, "k")[0] == 7.0);
    ck_assert(sim_series(&s, "l")[0] == 0.0);
    /* s: 5e9, then + 4e9 per step */
    ck_assert(sim_series(&s, "s")[2] == 13e9);
    sim_free(&s);
}
END_TEST

START_TEST(equations_may_be_numbers_and_settings_any_order)
{
    static const char text[] =
        "flows = ( { equation = 2; to = \"s\"; name = \"f\"; } );\n"
        "stocks = ( { init = \"k * 2\"; name = \"s\"; } );\n"
        "time = { dt = 0.5; stop = 1; };\n"
        "constants = ( { value = 3; name = \"k\"; } );\n";
    sim s = sim_run(text, NULL);
    const double *st = sim_series(&s, "s");
    ck_assert(st[0] == 6.0 && st[1] == 7.0 && st[2] == 8.0);
    sim_free(&s);
}
END_TEST

START_TEST(comments_and_strings_do_not_confuse_positions)
{
    /* the words value, units, name and x appear in comments and docs on
       the same line before the faulty setting */
    static const char units[] =
        "auxiliaries = ( { name = \"x\"; doc = \"the units of x\"; equation = 3; units = 5; } );\n";
    ck_model_error_after(units, "equation", "units", "'units' must be a string in double quotes");
    static const char value[] =
        "constants = ( /* value = 1 */ { name = \"k\"; doc = \"a value\"; value = \"1\"; } );\n";
    ck_model_error_after(value, "doc", "value =",
                         "the value of constant 'k' must be a number (write an expression as an "
                         "auxiliary)");
    static const char name[] =
        "constants = ( { name = \"k\"; doc = \"name\"; value = 1; }, # name\n"
        "              { name = \"k\"; value = 2; } );\n";
    ck_model_error_after(name, "# name\n", "k\"", "duplicate name 'k' (first defined at line 1)");
    static const char x[] =
        "lookups = ( { name = \"f\"; doc = \"y of x\"; x = [1.0, 0.0]; y = [0.0, 1.0]; } );\n";
    ck_model_error(x, "x =", "lookup 'f': x values must increase (point 2, x = 0, follows x = 1)");
}
END_TEST

START_TEST(windows_line_ends)
{
    /* CR LF line ends: same values, same positions */
    static const char text[] =
        "time = { stop = 1.0; };\r\n"
        "constants = ( { name = \"k\"; value = 2; } );\r\n"
        "auxiliaries = ( { name = \"x\";\r\n"
        "  equation = \"k *\r\n   3\"; } );\r\n";
    sim s = sim_run(text, NULL);
    ck_assert(sim_series(&s, "x")[1] == 6.0);
    sim_free(&s);
    static const char bad[] =
        "auxiliaries = ( { name = \"x\";\r\n"
        "  equation = \"1 +\r\n  * 2\"; } );\r\n";
    ck_model_error(bad, "* 2", "expected a number, a name or '(', found '*'");
}
END_TEST

START_TEST(empty_model)
{
    /* an empty file (or one with only comments) is refused at 1:1 (issue
       16: it used to pass `check` as a model of nothing); a file with only
       a time section is still a model that records time */
    char *got = model_error("");
    ck_assert_str_eq(got, "test.cfg:1:1: error: the file is empty: a model has at least one "
                          "setting (constants, stocks, flows, auxiliaries, lookups or time)");
    free(got);
    got = model_error("# nothing but a comment\n/* and another */\n");
    ck_assert_str_eq(got, "test.cfg:1:1: error: the file is empty: a model has at least one "
                          "setting (constants, stocks, flows, auxiliaries, lookups or time)");
    free(got);
    sim s = sim_run("time = { stop = 100; };\n", NULL);
    ck_assert_int_eq(migdev_model_n_vars(s.m), 0);
    ck_assert_int_eq((int)sim_n(&s), 101); /* 0..100 by 1, the defaults */
    ck_assert(migdev_run_times(s.r)[100] == 100.0);
    sim_free(&s);
}
END_TEST

/* ---------------------------------------------------------------- errors */

START_TEST(libconfig_syntax_errors)
{
    /* libconfig gives a line; the column is found by splitting that line
       (cfgfile.c): it is the token libconfig stumbles on, counted by hand */
    static const char missing_value[] =
        "name = \"x\";\n"
        "constants = (\n"
        "  { name = \"a\"; value = ; }\n"
        ");\n";
    char *got = model_error(missing_value);
    /* "  { name = \"a\"; value = ; }": the ';' after "value =" is column 25 */
    ck_assert_str_eq(got, "test.cfg:3:25: error: syntax error (libconfig syntax)");
    free(got);
    static const char unclosed[] =
        "name = \"x\";\n"
        "constants = (\n"
        "  { name = \"a\"; value = 1; }\n";
    got = model_error(unclosed);
    /* the file ends with the list open: the (empty) line after the last */
    ck_assert_str_eq(got, "test.cfg:4:1: error: syntax error (libconfig syntax)");
    free(got);
    /* integers reach libconfig widened to "12.0 13.0": the column is still
       the original text's, where 13 starts at column 40 */
    static const char two_numbers[] =
        "constants = ( { name = \"a\"; value = 12 13; } );\n";
    got = model_error(two_numbers);
    ck_assert_str_eq(got, "test.cfg:1:40: error: syntax error (libconfig syntax)");
    free(got);
    /* a name is not split: a malformed number points at its start */
    static const char bad_number[] =
        "constants = ( { name = \"a\"; value = 1.5.5; } );\n";
    got = model_error(bad_number);
    ck_assert_str_eq(got, "test.cfg:1:37: error: syntax error (libconfig syntax)");
    free(got);
    static const char twice[] = "name = \"x\";\nname = \"y\";\n";
    got = model_error(twice);
    ck_assert_str_eq(got, "test.cfg:2:1: error: duplicate setting name (libconfig syntax)");
    free(got);
    static const char mixed[] = "doc = \"d\";\n\nloops = [1, \"a\"];\n";
    got = model_error(mixed);
    /* "loops = [1, \"a\"];": libconfig notices at the closing ']', column 16 */
    ck_assert_str_eq(got, "test.cfg:3:16: error: mismatched element type in array (libconfig syntax)");
    free(got);
}
END_TEST

START_TEST(unknown_fields)
{
    static const char top[] = "name = \"m\";\nconstant = ( { name = \"a\"; value = 1; } );\n";
    ck_model_error(top, "constant =", "unknown field 'constant' in the model (did you mean 'constants'?)");
    static const char top2[] = "foo = 1;\n";
    ck_model_error(top2, "foo",
                   "unknown field 'foo' in the model (expected one of: name, doc, time, constants, "
                   "stocks, flows, auxiliaries, lookups, data, loops, require_provenance, required_outputs, dimensions)");
    static const char konst[] = "constants = ( { name = \"a\"; valeu = 1; } );\n";
    ck_model_error(konst, "valeu", "unknown field 'valeu' in constant 'a' (did you mean 'value'?)");
    static const char time[] = "time = { start = 0; stpo = 10; };\n";
    ck_model_error(time, "stpo", "unknown field 'stpo' in the time settings (did you mean 'stop'?)");
    static const char stock[] = "stocks = ( { name = \"s\"; init = 1; outflow = [\"f\"]; } );\n";
    ck_model_error(stock, "outflow", "unknown field 'outflow' in stock 's' (did you mean 'outflows'?)");
    static const char flow[] = "flows = ( { name = \"f\"; equaton = \"1\"; } );\n";
    ck_model_error(flow, "equaton", "unknown field 'equaton' in flow 'f' (did you mean 'equation'?)");
    static const char form[] = "flows = ( { name = \"f\"; equation = \"1\"; form = \"s\"; } );\n";
    ck_model_error(form, "form", "unknown field 'form' in flow 'f' (did you mean 'from'?)");
    static const char aux[] = "auxiliaries = ( { name = \"a\"; equation = \"1\"; to = \"s\"; } );\n";
    ck_model_error(aux, "to =",
                   "unknown field 'to' in auxiliary 'a' (expected one of: name, equation, units, "
                   "doc, source, label, dimensions, elements)");
    static const char loop[] = "loops = ( { name = \"l\"; variabels = [\"a\"]; } );\n";
    ck_model_error(loop, "variabels", "unknown field 'variabels' in loop 'l' (did you mean 'variables'?)");
}
END_TEST

START_TEST(wrong_value_types)
{
    static const struct {
        const char *text, *needle, *msg;
    } cases[] = {
        {"constants = ( { name = \"a\"; value = \"2 * 3\"; } );\n", "value",
         "the value of constant 'a' must be a number (write an expression as an auxiliary)"},
        {"constants = ( { name = \"a\"; value = 1; units = 5; } );\n", "units",
         "'units' must be a string in double quotes"},
        {"constants = ( { name = \"a\"; value = 1; doc = true; } );\n", "doc",
         "'doc' must be a string in double quotes"},
        {"constants = ( { name = \"a\"; value = 1; source = [\"x\"]; } );\n", "source",
         "'source' must be a string in double quotes"},
        {"constants = ( { name = 5; value = 1; } );\n", "name",
         "'name' must be a string in double quotes"},
        {"constants = ( { value = 1; } );\n", "{", "a constant without a 'name'"},
        {"constants = ( { name = \"a\"; } );\n", "name", "constant 'a' has no 'value'"},
        {"constants = { a = 1; };\n", "constants",
         "'constants' must be a list of groups: constants = ( { name = \"...\"; ... }, ... );"},
        {"constants = ( 1 );\n", "constants", "each entry of 'constants' must be a group { ... }"},
        {"stocks = ( { name = \"s\"; } );\n", "name", "stock 's' has no initial value 'init'"},
        {"stocks = ( { name = \"s\"; init = true; } );\n", "init",
         "the initial value of stock 's' must be a number or an equation in quotes"},
        {"stocks = ( { name = \"s\"; init = 1; non_negative = 1; } );\n", "non_negative",
         "'non_negative' must be true or false"},
        {"stocks = ( { name = \"s\"; init = 1; inflows = 5; } );\n", "inflows",
         "'inflows' must be a list of flow names: inflows = [\"a\", \"b\"];"},
        {"stocks = ( { name = \"s\"; init = 1; outflows = [1, 2]; } );\n", "outflows",
         "'outflows' must hold flow names in quotes"},
        {"flows = ( { name = \"f\"; } );\n", "name", "flow 'f' has no 'equation'"},
        {"flows = ( { name = \"f\"; equation = true; } );\n", "equation",
         "the equation of flow 'f' must be a string in quotes"},
        {"flows = ( { name = \"f\"; equation = \"1\"; from = 5; } );\n", "from",
         "'from' must be a string in double quotes"},
        {"flows = ( { name = \"f\"; equation = \"1\"; non_negative = \"yes\"; } );\n", "non_negative",
         "'non_negative' must be true or false"},
        {"auxiliaries = ( { name = \"a\"; equation = [1]; } );\n", "equation",
         "the equation of auxiliary 'a' must be a string in quotes"},
        {"auxiliaries = ( { equation = \"1\"; } );\n", "{", "an auxiliary without a 'name'"},
        {"time = 5;\n", "time", "'time' must be a group: time = { start = 0; ... };"},
        {"time = { stop = \"10\"; };\n", "stop", "'stop' must be a number"},
        {"time = { units = 1; };\n", "units", "'units' must be a string in double quotes"},
        {"name = 3;\n", "name", "'name' must be a string in double quotes"},
        {"loops = ( { name = \"l\"; variables = \"a\"; } );\n", "variables",
         "loop 'l' needs 'variables = [\"a\", \"b\", ...]' in loop order"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = model_error(cases[i].text);
        char *want = expected_error(cases[i].text, cases[i].needle, 0, cases[i].msg);
        ck_assert_msg(strcmp(got, want) == 0, "case %zu: got '%s', expected '%s'", i, got, want);
        free(got);
        free(want);
    }
}
END_TEST

START_TEST(bad_numbers)
{
    static const char huge[] = "constants = ( { name = \"a\"; value = 1e999; } );\n";
    ck_model_error(huge, "1e999", "number out of range '1e999'");
    static const char huge_neg[] = "stocks = ( { name = \"s\"; init = -2e308; } );\n";
    ck_model_error(huge_neg, "2e308", "number out of range '2e308'");
    static const char in_array[] =
        "\n\nlookups = ( { name = \"f\"; x = [0.0, 1e400]; y = [0.0, 1.0]; } );\n";
    ck_model_error(in_array, "1e400", "number out of range '1e400'");
    static const char in_eq[] = "auxiliaries = ( { name = \"a\"; equation = \"2 * 1e400\"; } );\n";
    ck_model_error(in_eq, "1e400", "number out of range '1e400'");
    static const char bad_eq[] = "auxiliaries = ( { name = \"a\"; equation = \"2 * 1.5.1\"; } );\n";
    ck_model_error(bad_eq, "1.5.1", "malformed number '1.5.1'");
    /* a number in a string or a comment is left alone */
    static const char commented[] =
        "# 1e999\nconstants = ( { name = \"a\"; value = 1; doc = \"not 1e999\"; } );\n";
    migdev_model *m = load_model_text(commented);
    migdev_model_free(m);
}
END_TEST

START_TEST(bad_time_settings)
{
    static const char dt0[] = "time = { stop = 10; dt = 0; };\n";
    ck_model_error(dt0, "dt", "dt must be positive, got 0");
    static const char dtneg[] = "time = { stop = 10; dt = -0.5; };\n";
    ck_model_error(dtneg, "dt", "dt must be positive, got -0.5");
    static const char neg_save[] = "time = { stop = 10; save_every = -1; };\n";
    ck_model_error(neg_save, "save_every", "save_every must be positive, got -1");
    static const char span[] = "time = { start = 5; stop = 5; };\n";
    ck_model_error(span, "time", "the stop time (5) must be greater than the start time (5)");
    static const char span2[] = "time = { start = 10; };\n"; /* stop defaults to 100 */
    migdev_model *m = load_model_text(span2);
    migdev_model_free(m);
    static const char span3[] = "time = { start = 200; };\n";
    ck_model_error(span3, "time", "the stop time (100) must be greater than the start time (200)");
    static const char steps[] = "\ntime = { stop = 10; dt = 0.3; };\n";
    ck_model_error(steps, "time", "the time span 10 (from 0 to 10) is not a whole number of steps dt = 0.3");
    static const char save[] = "time = { stop = 10; dt = 0.5; save_every = 0.75; };\n";
    ck_model_error(save, "time", "save_every = 0.75 must be a whole multiple of dt = 0.5");
}
END_TEST

START_TEST(file_errors)
{
    migdev_error err;
    migdev_error_clear(&err);
    ck_assert_ptr_null(migdev_model_load("/nonexistent/dir/m.cfg", &err));
    ck_assert_int_eq(err.code, MIGDEV_E_IO);
    char buf[600];
    ck_assert_str_eq(migdev_error_format(&err, buf, sizeof buf),
                     "/nonexistent/dir/m.cfg: error: cannot open: No such file or directory");
    /* a binary file */
    char *dir = tmp_dir();
    char path[600];
    snprintf(path, sizeof path, "%s/bin.cfg", dir);
    FILE *f = fopen(path, "wb");
    fwrite("name = \"a\0b\";", 1, 13, f);
    fclose(f);
    migdev_error_clear(&err);
    ck_assert_ptr_null(migdev_model_load(path, &err));
    ck_assert_str_eq(err.message, "not a text file (contains a NUL byte)");
    ck_assert_int_eq(err.line, 1); /* name = "a: the NUL is the 10th character */
    ck_assert_int_eq(err.column, 10);
    f = fopen(path, "wb");
    fwrite("a = 1;\r\nbc\0", 1, 11, f);
    fclose(f);
    migdev_error_clear(&err);
    ck_assert_ptr_null(migdev_model_load(path, &err));
    ck_assert_int_eq(err.line, 2); /* after "bc" on the second line */
    ck_assert_int_eq(err.column, 3);
    unlink(path);
    /* a directory */
    migdev_error_clear(&err);
    ck_assert_ptr_null(migdev_model_load(dir, &err));
    ck_assert_int_eq(err.code, MIGDEV_E_IO);
    ck_assert_str_eq(err.message, "is a folder, not a file");
    /* ... also when its name says XMILE */
    snprintf(path, sizeof path, "%s/m.xmile", dir);
    ck_assert_int_eq(mkdir(path, 0755), 0);
    migdev_error_clear(&err);
    ck_assert_ptr_null(migdev_model_load(path, &err));
    ck_assert_str_eq(err.message, "is a folder, not a file");
    rmdir(path);
    rm_tree(dir);
    free(dir);
    /* the error record keeps the first error; NULL records are fine */
    ck_assert_ptr_null(migdev_model_load_string("x = ;", "a.cfg", NULL));
}
END_TEST

START_TEST(error_format)
{
    migdev_error e;
    migdev_error_clear(&e);
    char buf[700];
    ck_assert_int_eq(e.code, MIGDEV_OK);
    ck_assert_str_eq(migdev_error_format(&e, buf, sizeof buf), "error: no error");
    e.code = MIGDEV_E_SYNTAX;
    ck_assert_str_eq(migdev_error_format(&e, buf, sizeof buf), "error: syntax error");
    snprintf(e.message, sizeof e.message, "bad");
    snprintf(e.file, sizeof e.file, "m.cfg");
    ck_assert_str_eq(migdev_error_format(&e, buf, sizeof buf), "m.cfg: error: bad");
    e.line = 3;
    ck_assert_str_eq(migdev_error_format(&e, buf, sizeof buf), "m.cfg:3: error: bad");
    e.column = 7;
    ck_assert_str_eq(migdev_error_format(&e, buf, sizeof buf), "m.cfg:3:7: error: bad");
    ck_assert_str_eq(migdev_error_format(NULL, buf, sizeof buf), "error: unknown error");
    char small[8];
    migdev_error_format(&e, small, sizeof small);
    ck_assert_str_eq(small, "m.cfg:3");
    ck_assert_str_eq(migdev_error_name(MIGDEV_E_CYCLE), "algebraic loop");
    ck_assert_str_eq(migdev_error_name(-99), "unknown error");
    migdev_error_clear(NULL);
}
END_TEST

/* ---------------------------------------------------------------- limits */

START_TEST(many_variables)
{
    /* 3000 auxiliaries in a chain, written last-first: each the one after
       it plus 1; a 2000-entry lookup */
    const int n = 3000;
    size_t cap = 200000, len = 0;
    char *text = malloc(cap);
    len += (size_t)snprintf(text + len, cap - len, "time = { stop = 1; };\nauxiliaries = (\n");
    for (int i = 0; i < n; i++) {
        if (i + 1 < n)
            len += (size_t)snprintf(text + len, cap - len,
                                    "  { name = \"a%d\"; equation = \"a%d + 1\"; },\n", i, i + 1);
        else
            len += (size_t)snprintf(text + len, cap - len,
                                    "  { name = \"a%d\"; equation = \"tbl(time)\"; }\n", i);
    }
    len += (size_t)snprintf(text + len, cap - len, ");\nlookups = ( { name = \"tbl\"; x = [");
    for (int i = 0; i < 2000; i++)
        len += (size_t)snprintf(text + len, cap - len, "%s%d.0", i ? ", " : "", i);
    len += (size_t)snprintf(text + len, cap - len, "]; y = [");
    for (int i = 0; i < 2000; i++)
        len += (size_t)snprintf(text + len, cap - len, "%s%d.5", i ? ", " : "", 2 * i);
    len += (size_t)snprintf(text + len, cap - len, "]; } );\n");
    ck_assert(len < cap);
    sim s = sim_run(text, NULL);
    /* a2999 = tbl(t) = 2t + 0.5, a0 = a2999 + 2999 */
    ck_assert(sim_series(&s, "a0")[0] == 0.5 + 2999.0);
    ck_assert(sim_series(&s, "a0")[1] == 2.5 + 2999.0);
    sim_free(&s);
    free(text);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("load_cfg");
    TCase *core = tcase_create("core");
    tcase_add_test(core, numbers_in_every_form);
    tcase_add_test(core, equations_may_be_numbers_and_settings_any_order);
    tcase_add_test(core, comments_and_strings_do_not_confuse_positions);
    tcase_add_test(core, empty_model);
    tcase_add_test(core, windows_line_ends);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, libconfig_syntax_errors);
    tcase_add_test(errors, unknown_fields);
    tcase_add_test(errors, wrong_value_types);
    tcase_add_test(errors, bad_numbers);
    tcase_add_test(errors, bad_time_settings);
    tcase_add_test(errors, file_errors);
    tcase_add_test(errors, error_format);
    suite_add_tcase(s, errors);
    TCase *limits = tcase_create("limits");
    tcase_add_test(limits, many_variables);
    tcase_set_timeout(limits, 60);
    suite_add_tcase(s, limits);
    return run_suite(s);
}
