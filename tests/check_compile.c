/*
** check_compile.c - the compiler (src/compile.c): name resolution, the
** order of evaluation, constant folding, and every compile error class
** with its message and line:col.
*/
#include "modelutil.h"

#include "model_int.h"
#include "opcodes.h"

#include <math.h>
#include <string.h>

/* ------------------------------------------------------------------ core */

START_TEST(equations_in_any_order)
{
    /* written uses-first; computed dependencies-first */
    static const char text[] =
        "time = { start = 0.0; stop = 2.0; dt = 1.0; };\n"
        "auxiliaries = (\n"
        "  { name = \"a\"; equation = \"b + 1\"; },\n"
        "  { name = \"b\"; equation = \"time * c\"; },\n"
        "  { name = \"c\"; equation = \"3\"; }\n"
        ");\n";
    sim s = sim_run(text, NULL);
    const double *a = sim_series(&s, "a");
    /* a = time*3 + 1 at t = 0, 1, 2 */
    ck_assert(a[0] == 1.0 && a[1] == 4.0 && a[2] == 7.0);
    sim_free(&s);
}
END_TEST

/* The snippet of variable name is `NUM k STORE i END`: folded to one literal. */
static int is_folded(const migdev_model *m, const char *name)
{
    const variable *v = &m->vars[migdev_model_find(m, name)];
    const int32_t *c = m->code + v->code;
    return c[0] == OP_NUM && c[2] == OP_STORE && c[4] == OP_END;
}

START_TEST(constant_folding_gives_identical_results)
{
    /* each pair: the same expression on literals (folded at compile time)
       and on constants (computed by the VM at run time) */
    static const char *const pairs[][2] = {
        {"2.385 * -1.75 + 2.385 / -1.75 - 2.385 ^ 0.5", "c * d + c / d - c ^ 0.5"},
        {"min(2.385, -1.75, 0.5)", "min(c, d, 0.5)"},
        {"max(2.385, -1.75, 0.5)", "max(c, d, 0.5)"},
        {"abs(-1.75) + exp(2.385) + ln(2.385) + log10(2.385) + sqrt(2.385)",
         "abs(d) + exp(c) + ln(c) + log10(c) + sqrt(c)"},
        {"int(-1.75) + mod(2.385, -1.75) + pow(2.385, -1.75)", "int(d) + mod(c, d) + pow(c, d)"},
        {"sin(2.385) + cos(2.385) + tan(2.385)", "sin(c) + cos(c) + tan(c)"},
        {"arcsin(-1.75 / 2) + arccos(-1.75 / 2) + arctan(2.385)",
         "arcsin(d / 2) + arccos(d / 2) + arctan(c)"},
        {"if_then_else(2.385 > -1.75, 2.385, -1.75)", "if_then_else(c > d, c, d)"},
        {"safediv(2.385, -1.75) + safediv(2.385, 0) + safediv(2.385, 0, -1.75)",
         "safediv(c, d) + safediv(c, 0) + safediv(c, 0, d)"},
        {"(2.385 = -1.75) + (2.385 <> -1.75) + (2.385 >= -1.75) + (not -1.75)",
         "(c = d) + (c <> d) + (c >= d) + (not d)"},
        {"(2.385 and -1.75) + (0 or -1.75)", "(c and d) + (0 or d)"},
    };
    char text[1200];
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        snprintf(text, sizeof text,
                 "time = { stop = 1.0; };\n"
                 "constants = ( { name = \"c\"; value = 2.385; }, { name = \"d\"; value = -1.75; } );\n"
                 "auxiliaries = ( { name = \"folded\"; equation = \"%s\"; },\n"
                 "                { name = \"computed\"; equation = \"%s\"; } );\n",
                 pairs[i][0], pairs[i][1]);
        sim s = sim_run(text, NULL);
        ck_assert_msg(is_folded(s.m, "folded"), "'%s' was not folded", pairs[i][0]);
        ck_assert_msg(!is_folded(s.m, "computed"), "'%s' was folded", pairs[i][1]);
        const double f = sim_series(&s, "folded")[0], c = sim_series(&s, "computed")[0];
        ck_assert_msg(same_bits(f, c), "%s: folded %.17g, computed %.17g", pairs[i][0], f, c);
        sim_free(&s);
    }
}
END_TEST

START_TEST(time_values_are_not_folded)
{
    /* time, dt, start_time, stop_time belong to the run, not the model */
    static const char text[] =
        "time = { start = 2.0; stop = 3.0; dt = 0.5; };\n"
        "auxiliaries = ( { name = \"a\"; equation = \"time + 0 * 1\"; },\n"
        "                { name = \"b\"; equation = \"dt * 2\"; },\n"
        "                { name = \"e\"; equation = \"stop_time - start_time\"; },\n"
        "                { name = \"p\"; equation = \"step(1, 2.5)\"; } );\n";
    sim s = sim_run(text, NULL);
    ck_assert(!is_folded(s.m, "a") && !is_folded(s.m, "b") && !is_folded(s.m, "p"));
    const double *a = sim_series(&s, "a"), *b = sim_series(&s, "b"), *e = sim_series(&s, "e");
    const double *p = sim_series(&s, "p");
    ck_assert(a[0] == 2.0 && a[1] == 2.5 && a[2] == 3.0);
    ck_assert(b[0] == 1.0 && e[2] == 1.0);
    ck_assert(p[0] == 0.0 && p[1] == 1.0);
    sim_free(&s);
    /* another span on the same model */
    migdev_model *m = load_model_text(text);
    migdev_sim_spec sp = spec_of(MIGDEV_EULER, 0.0, 10.0, 0.25);
    migdev_error err;
    migdev_error_clear(&err);
    migdev_run *r = migdev_run_new(m, &sp, &err);
    ck_assert_int_eq(migdev_run_execute(r, &err), 0);
    ck_assert(migdev_run_series(r, migdev_model_find(m, "b"))[0] == 0.5);
    ck_assert(migdev_run_series(r, migdev_model_find(m, "e"))[0] == 10.0);
    migdev_run_free(r);
    migdev_model_free(m);
}
END_TEST

START_TEST(static_values_follow_changed_constants)
{
    /* b depends only on a constant: computed once per run, at the start,
       so a changed constant must reach it */
    static const char text[] =
        "time = { stop = 2.0; };\n"
        "constants = ( { name = \"k\"; value = 3.0; } );\n"
        "auxiliaries = ( { name = \"b\"; equation = \"k * 2\"; },\n"
        "                { name = \"g\"; equation = \"b + time\"; } );\n";
    migdev_model *m = load_model_text(text);
    migdev_error err;
    migdev_error_clear(&err);
    migdev_run *r = migdev_run_new(m, NULL, &err);
    ck_assert_int_eq(migdev_run_execute(r, &err), 0);
    const int b = migdev_model_find(m, "b"), g = migdev_model_find(m, "g");
    ck_assert(migdev_run_series(r, b)[2] == 6.0);
    ck_assert_int_eq(migdev_run_set_constant(r, migdev_model_find(m, "k"), 10.0, &err), 0);
    ck_assert_int_eq(migdev_run_execute(r, &err), 0);
    ck_assert(migdev_run_series(r, b)[0] == 20.0);
    ck_assert(migdev_run_series(r, g)[2] == 22.0);
    migdev_run_reset_constants(r);
    ck_assert_int_eq(migdev_run_execute(r, &err), 0);
    ck_assert(migdev_run_series(r, b)[1] == 6.0);
    /* only constants can be set */
    ck_assert_int_eq(migdev_run_set_constant(r, b, 1.0, &err), MIGDEV_E_TYPE);
    ck_assert_str_eq(err.message, "'b' is not a constant: only constants can be set");
    migdev_run_free(r);
    migdev_model_free(m);
}
END_TEST

START_TEST(model_queries)
{
    static const char text[] =
        "name = \"q\"; doc = \"A model.\";\n"
        "time = { start = 1.0; stop = 5.0; dt = 0.5; save_every = 1.0; units = \"year\"; };\n"
        "constants = ( { name = \"k\"; value = 3.0; units = \"1/year\"; doc = \"rate\"; source = \"assumed\"; } );\n"
        "stocks = ( { name = \"s\"; init = \"k\"; inflows = [\"f\"]; non_negative = true; } );\n"
        "flows = ( { name = \"f\"; equation = \"k\"; } );\n"
        "auxiliaries = ( { name = \"a\"; equation = \"s\"; } );\n"
        "lookups = ( { name = \"t\"; x = [0.0, 1.0]; y = [0.0, 2.0]; units = \"u\"; doc = \"tbl\"; } );\n";
    migdev_model *m = load_model_text(text);
    ck_assert_str_eq(migdev_model_name(m), "q");
    ck_assert_str_eq(migdev_model_doc(m), "A model.");
    ck_assert_str_eq(migdev_model_time_units(m), "year");
    ck_assert_str_eq(migdev_model_file(m), "test.cfg");
    const migdev_sim_spec sp = migdev_model_default_spec(m);
    ck_assert(sp.start == 1.0 && sp.stop == 5.0 && sp.dt == 0.5 && sp.save_every == 1.0);
    ck_assert_int_eq(sp.method, MIGDEV_EULER);
    ck_assert_int_eq(migdev_model_n_vars(m), 4); /* no hidden variables */
    migdev_var_info info;
    ck_assert_int_eq(migdev_model_var(m, 0, &info), 0);
    ck_assert_str_eq(info.name, "k");
    ck_assert_int_eq(info.kind, MIGDEV_CONSTANT);
    ck_assert(info.value == 3.0 && info.line == 3);
    ck_assert_str_eq(info.units, "1/year");
    ck_assert_str_eq(info.source, "assumed");
    ck_assert_int_eq(migdev_model_var(m, 1, &info), 0);
    ck_assert_int_eq(info.kind, MIGDEV_STOCK);
    ck_assert_str_eq(info.equation, "k");
    ck_assert_int_eq(info.non_negative, 1);
    ck_assert_int_eq(migdev_model_var(m, 4, &info), MIGDEV_E_RANGE);
    ck_assert_int_eq(migdev_model_var(m, -1, &info), MIGDEV_E_RANGE);
    ck_assert_int_eq(migdev_model_find(m, "a"), 3);
    ck_assert_int_eq(migdev_model_find(m, "A"), MIGDEV_E_NAME); /* names are case-sensitive */
    ck_assert_int_eq(migdev_model_find(m, NULL), MIGDEV_E_NAME);
    ck_assert_int_eq(migdev_model_n_lookups(m), 1);
    ck_assert_int_eq(migdev_model_lookup(m, 0, &info), 0);
    ck_assert_str_eq(info.name, "t");
    ck_assert_str_eq(info.doc, "tbl");
    ck_assert_int_eq(migdev_model_lookup(m, 1, &info), MIGDEV_E_RANGE);
    ck_assert_str_eq(migdev_model_suggest(m, "kk"), "k");
    ck_assert_ptr_null(migdev_model_suggest(m, "zzzzzz"));
    ck_assert_int_eq(migdev_method_parse("RK8PD"), MIGDEV_RK8PD);
    ck_assert_int_eq(migdev_method_parse("rk5"), MIGDEV_E_NAME);
    ck_assert_str_eq(migdev_method_name(MIGDEV_MSBDF), "msbdf");
    ck_assert(!migdev_method_is_adaptive(MIGDEV_RK4) && migdev_method_is_adaptive(MIGDEV_RK2));
    migdev_model_free(m);
    /* the default name is the file name without its extension */
    migdev_error err;
    migdev_error_clear(&err);
    m = migdev_model_load_string("constants = ( { name = \"k\"; value = 1; } );", "dir/my.model.cfg", &err);
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(migdev_model_name(m), "my.model");
    ck_assert(migdev_model_default_spec(m).stop == 100.0 && migdev_model_default_spec(m).save_every == 1.0);
    migdev_model_free(m);
}
END_TEST

/* --------------------------------------------------------------- errors */

static const char teacup_typo[] =
    "time = { start = 0.0; stop = 30.0; dt = 0.125; };\n"
    "constants = (\n"
    "  { name = \"room_temperature\"; value = 70.0; },\n"
    "  { name = \"characteristic_time\"; value = 10.0; }\n"
    ");\n"
    "stocks = ( { name = \"teacup_temperature\"; init = 180.0; outflows = [\"heat_loss\"]; } );\n"
    "flows = (\n"
    "  { name = \"heat_loss\";\n"
    "    equation = \"(teacup_temperature - room_temp) / characteristic_time\"; }\n"
    ");\n";

START_TEST(unknown_variable)
{
    ck_model_error(teacup_typo, "room_temp)",
                   "unknown variable 'room_temp' (did you mean 'room_temperature'?)");
    static const char no_close[] = "auxiliaries = ( { name = \"a\"; equation = \"1 + zzzz\"; } );\n";
    ck_model_error(no_close, "zzzz", "unknown variable 'zzzz'");
    /* names are case-sensitive, suggestions are not */
    static const char cased[] =
        "constants = ( { name = \"growth_rate\"; value = 1; } );\n"
        "auxiliaries = ( { name = \"a\"; equation = \"2 * Growth_Rate\"; } );\n";
    ck_model_error(cased, "Growth_Rate", "unknown variable 'Growth_Rate' (did you mean 'growth_rate'?)");
    /* a built-in value may be the suggestion */
    static const char tme[] = "auxiliaries = ( { name = \"a\"; equation = \"tme\"; } );\n";
    ck_model_error(tme, "tme", "unknown variable 'tme' (did you mean 'time'?)");
    /* a hidden variable's name is not a variable */
    static const char hidden[] =
        "auxiliaries = ( { name = \"a\"; equation = \"smooth(1, 2)\"; },\n"
        "                { name = \"b\"; equation = \"a#1.input\"; } );\n";
    ck_model_error(hidden, "#", "unexpected character '#'");
}
END_TEST

START_TEST(unknown_function)
{
    static const char text[] =
        "auxiliaries = ( { name = \"a\"; equation = \"1\"; },\n"
        "                { name = \"b\"; equation = \"2 * sine(a)\"; } );\n";
    ck_model_error(text, "sine", "unknown function 'sine' (did you mean 'sin'?)");
    static const char smoth[] = "auxiliaries = ( { name = \"a\"; equation = \"smoth(1, 2)\"; } );\n";
    ck_model_error(smoth, "smoth", "unknown function 'smoth' (did you mean 'smooth'?)");
    static const char foo[] = "auxiliaries = ( { name = \"a\"; equation = \"foo(1)\"; } );\n";
    ck_model_error(foo, "foo", "unknown function 'foo'");
    /* lookups are suggested too */
    static const char lk[] =
        "lookups = ( { name = \"effect\"; x = [0.0, 1.0]; y = [1.0, 0.0]; } );\n"
        "auxiliaries = ( { name = \"a\"; equation = \"efect(0.5)\"; } );\n";
    ck_model_error(lk, "efect", "unknown function 'efect' (did you mean 'effect'?)");
}
END_TEST

START_TEST(wrong_arity)
{
    static const struct {
        const char *eq, *msg;
    } cases[] = {
        {"min(1)", "min() takes at least 2 arguments, got 1: min(a, b, ...)"},
        {"max()", "max() takes at least 2 arguments, got 0: max(a, b, ...)"},
        {"abs(1, 2)", "abs() takes 1 argument, got 2: abs(x)"},
        {"sqrt()", "sqrt() takes 1 argument, got 0: sqrt(x)"},
        {"mod(1)", "mod() takes 2 arguments, got 1: mod(a, b)"},
        {"pow(1, 2, 3)", "pow() takes 2 arguments, got 3: pow(base, exponent)"},
        {"if_then_else(1, 2)",
         "if_then_else() takes 3 arguments, got 2: if_then_else(condition, then, else)"},
        {"safediv(1)", "safediv() takes 2 to 3 arguments, got 1: safediv(a, b[, if_zero])"},
        {"step(1)", "step() takes 2 arguments, got 1: step(height, time)"},
        {"pulse(1, 2, 3, 4, 5)",
         "pulse() takes 2 to 4 arguments, got 5: pulse(height, start[, width[, interval]])"},
        {"ramp(1)", "ramp() takes 2 to 3 arguments, got 1: ramp(slope, start[, end])"},
        {"smooth(1)", "smooth() takes 2 to 3 arguments, got 1: smooth(input, delay[, init])"},
        {"smooth3(1, 2, 3, 4)",
         "smooth3() takes 2 to 3 arguments, got 4: smooth3(input, delay[, init])"},
        {"delay1(1)", "delay1() takes 2 to 3 arguments, got 1: delay1(input, delay[, init])"},
        {"delay3()", "delay3() takes 2 to 3 arguments, got 0: delay3(input, delay[, init])"},
        {"init(1, 2)", "init() takes 1 argument, got 2: init(x)"},
        {"time(1)", "time() takes 0 arguments, got 1: time"},
        {"pi(2)", "pi() takes 0 arguments, got 1: pi"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *msg = eq_error(cases[i].eq);
        ck_assert_str_eq(msg, cases[i].msg);
        free(msg);
    }
    /* the position is the function's name */
    static const char text[] = "auxiliaries = ( { name = \"a\"; equation = \"1 + Min(2)\"; } );\n";
    ck_model_error(text, "Min", "min() takes at least 2 arguments, got 1: min(a, b, ...)");
    static const char lk[] =
        "lookups = ( { name = \"f\"; x = [0.0, 1.0]; y = [1.0, 0.0]; } );\n"
        "auxiliaries = ( { name = \"a\"; equation = \"f(1, 2)\"; }, { name = \"b\"; equation = \"f()\"; } );\n";
    ck_model_error(lk, "f(1", "lookup 'f' takes 1 argument, got 2");
}
END_TEST

START_TEST(wrong_kind_of_name)
{
    static const char text[] =
        "constants = ( { name = \"c\"; value = 1; } );\n"
        "stocks = ( { name = \"s\"; init = 1; } );\n"
        "auxiliaries = ( { name = \"a\"; equation = \"2 + c(1)\"; } );\n";
    ck_model_error(text, "c(1)", "'c' is a constant, not a function or lookup table");
    static const char aux[] =
        "auxiliaries = ( { name = \"a\"; equation = \"1\"; }, { name = \"b\"; equation = \"a(1)\"; } );\n";
    ck_model_error(aux, "a(1)", "'a' is an auxiliary, not a function or lookup table");
    static const char stock[] =
        "stocks = ( { name = \"s\"; init = 1; } );\n"
        "auxiliaries = ( { name = \"b\"; equation = \"s(1)\"; } );\n";
    ck_model_error(stock, "s(1)", "'s' is a stock, not a function or lookup table");
    /* a lookup used without a call */
    static const char lk[] =
        "lookups = ( { name = \"effect\"; x = [0.0, 1.0]; y = [1.0, 0.0]; } );\n"
        "auxiliaries = ( { name = \"a\"; equation = \"1 - effect\"; } );\n";
    ck_model_error_after(lk, "1 - ", "effect", "'effect' is a lookup table: call it with an input, as effect(x)");
    /* a function used without a call */
    static const char fn[] = "auxiliaries = ( { name = \"a\"; equation = \"2 * sqrt\"; } );\n";
    ck_model_error(fn, "sqrt", "'sqrt' is a function: call it as sqrt(x)");
    /* stateful functions cannot set a stock's initial value */
    static const char st[] = "stocks = ( { name = \"s\"; init = \"1 + smooth(2, 3)\"; } );\n";
    ck_model_error(st, "smooth", "smooth() cannot appear in the initial value of a stock");
    static const char it[] = "stocks = ( { name = \"s\"; init = \"init(2)\"; } );\n";
    ck_model_error(it, "init(2", "init() cannot appear in the initial value of a stock");
}
END_TEST

START_TEST(algebraic_loops)
{
    /* a uses b, b uses a: the loop is reported where it closes, at b's
       reference to a */
    static const char two[] =
        "auxiliaries = (\n"
        "  { name = \"a\"; equation = \"b + 1\"; },\n"
        "  { name = \"b\"; equation = \"2 * a\"; }\n"
        ");\n";
    ck_model_error(two, "a\"; }\n)", "algebraic loop: a -> b -> a");
    static const char self[] = "auxiliaries = ( { name = \"a\"; equation = \"a + 1\"; } );\n";
    ck_model_error_after(self, "equation", "a + 1", "algebraic loop: a -> a");
    /* the path names only the cycle, not the way into it */
    static const char three[] =
        "flows = ( { name = \"x\"; equation = \"p\"; } );\n"
        "auxiliaries = (\n"
        "  { name = \"p\"; equation = \"q * 2\"; },\n"
        "  { name = \"q\"; equation = \"r - 1\"; },\n"
        "  { name = \"r\"; equation = \"max(p, 0)\"; }\n"
        ");\n";
    ck_model_error(three, "p, 0", "algebraic loop: p -> q -> r -> p");
    /* through a flow */
    static const char flow[] =
        "stocks = ( { name = \"s\"; init = 1; inflows = [\"f\"]; } );\n"
        "flows = ( { name = \"f\"; equation = \"g / 2\"; } );\n"
        "auxiliaries = ( { name = \"g\"; equation = \"f + s\"; } );\n";
    ck_model_error(flow, "f + s", "algebraic loop: f -> g -> f");
}
END_TEST

START_TEST(loops_through_stocks_are_fine)
{
    /* feedback through a stock or a smooth (a hidden stock) is no loop */
    static const char text[] =
        "time = { stop = 1.0; };\n"
        "stocks = ( { name = \"s\"; init = 1; inflows = [\"f\"]; } );\n"
        "flows = ( { name = \"f\"; equation = \"g / 2\"; } );\n"
        "auxiliaries = ( { name = \"g\"; equation = \"s + p\"; },\n"
        "                { name = \"p\"; equation = \"smooth(g, 2, 0)\"; } );\n";
    sim s = sim_run(text, NULL);
    /* t=0: p = 0, g = 1, f = 0.5; t=1: s = 1.5, p = 0 + 1*(1 - 0)/2 = 0.5 */
    ck_assert(sim_series(&s, "g")[0] == 1.0 && sim_series(&s, "s")[1] == 1.5);
    ck_assert(sim_series(&s, "p")[1] == 0.5 && sim_series(&s, "g")[1] == 2.0);
    sim_free(&s);
}
END_TEST

START_TEST(circular_initial_values)
{
    static const char stocks[] =
        "stocks = (\n"
        "  { name = \"s1\"; init = \"s2 * 2\"; },\n"
        "  { name = \"s2\"; init = \"s1 / 2\"; }\n"
        ");\n";
    ck_model_error(stocks, "s1 / 2", "circular initial values: s1 -> s2 -> s1");
    static const char via_aux[] =
        "stocks = ( { name = \"s\"; init = \"a\"; } );\n"
        "auxiliaries = ( { name = \"a\"; equation = \"s * 2\"; } );\n";
    ck_model_error(via_aux, "s * 2", "circular initial values: s -> a -> s");
    /* a smooth starts at its input: here the input needs the smooth's own
       output; the hidden stock is shown once, by its owner's name */
    static const char smooth[] =
        "auxiliaries = ( { name = \"a\"; equation = \"smooth(b, 2)\"; },\n"
        "                { name = \"b\"; equation = \"a * 2\"; } );\n";
    ck_model_error(smooth, "a * 2", "circular initial values: a -> b -> a");
    /* with an explicit initial value there is no cycle */
    static const char smoothi[] =
        "time = { stop = 1.0; };\n"
        "auxiliaries = ( { name = \"a\"; equation = \"smooth(b, 2, 1)\"; },\n"
        "                { name = \"b\"; equation = \"a * 2\"; } );\n";
    sim s = sim_run(smoothi, NULL);
    /* a(0) = 1, b(0) = 2; a(1) = 1 + 1*(2 - 1)/2 = 1.5 */
    ck_assert(sim_series(&s, "a")[1] == 1.5);
    sim_free(&s);
}
END_TEST

START_TEST(duplicate_names)
{
    static const char lines[] =
        "constants = ( { name = \"a\"; value = 1; } );\n"
        "auxiliaries = ( { name = \"b\"; equation = \"1\"; },\n"
        "                { name = \"a\"; equation = \"2\"; } );\n";
    ck_model_error_after(lines, "\"b\"", "a\"", "duplicate name 'a' (first defined at line 1)");
    /* two on one line: the second one is reported */
    static const char one_line[] =
        "constants = ( { name = \"k\"; value = 1; }, { name = \"k\"; value = 2; } );\n";
    ck_model_error_after(one_line, "value = 1", "k\"", "duplicate name 'k' (first defined at line 1)");
    /* the same with the word `name` inside a doc string before it */
    static const char doc_word[] =
        "constants = ( { name = \"k\"; doc = \"a name\"; value = 1; }, { name = \"k\"; value = 2; } );\n";
    ck_model_error_after(doc_word, "value = 1", "k\"", "duplicate name 'k' (first defined at line 1)");
    /* a lookup and a variable share one name space */
    static const char lookup[] =
        "constants = ( { name = \"f\"; value = 1; } );\n"
        "lookups = ( { name = \"f\"; x = [0.0, 1.0]; y = [1.0, 0.0]; } );\n";
    ck_model_error_after(lookup, "lookups", "f\"", "duplicate name 'f' (first defined at line 1)");
}
END_TEST

START_TEST(reserved_and_invalid_names)
{
    static const struct {
        const char *name, *msg;
    } cases[] = {
        {"time", "'time' is a reserved name (a built-in function or operator)"},
        {"MIN", "'MIN' is a reserved name (a built-in function or operator)"},
        {"Smooth", "'Smooth' is a reserved name (a built-in function or operator)"},
        {"pi", "'pi' is a reserved name (a built-in function or operator)"},
        {"And", "'And' is a reserved name (a built-in function or operator)"},
        {"not", "'not' is a reserved name (a built-in function or operator)"},
        {"2x", "'2x' is not a valid name (use letters, digits, '_' and '.', starting with a "
               "letter or '_')"},
        {"a b", "'a b' is not a valid name (use letters, digits, '_' and '.', starting with a "
                "letter or '_')"},
        {"a-b", "'a-b' is not a valid name (use letters, digits, '_' and '.', starting with a "
                "letter or '_')"},
        {".a", "'.a' is not a valid name (use letters, digits, '_' and '.', starting with a "
               "letter or '_')"},
        {"", "'' is not a valid name (use letters, digits, '_' and '.', starting with a letter "
             "or '_')"},
    };
    char text[400], want[400];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        /* the error points at the name, inside its quotes: line 2, column
           13 (after `  { name = "`) */
        snprintf(text, sizeof text,
                 "constants = ( { name = \"ok\"; value = 1; },\n"
                 "  { name = \"%s\"; value = 2; } );\n", cases[i].name);
        snprintf(want, sizeof want, "test.cfg:2:13: error: %s", cases[i].msg);
        char *got = model_error(text);
        ck_assert_str_eq(got, want);
        free(got);
    }
    /* the same rules for lookups; `_` and `.` are fine */
    static const char lk[] =
        "lookups = ( { name = \"_tbl.v2\"; x = [0.0]; y = [1.0]; }, { name = \"exp\"; x = [0.0]; y = [1.0]; } );\n";
    ck_model_error_after(lk, "v2", "exp\"", "'exp' is a reserved name (a built-in function or operator)");
}
END_TEST

START_TEST(flows_and_missing_stocks)
{
    /* from/to style: the flow names a stock that does not exist */
    static const char from[] =
        "stocks = ( { name = \"stock\"; init = 1; } );\n"
        "flows = ( { name = \"f\"; equation = \"1\"; from = \"stok\"; } );\n";
    ck_model_error(from, "from", "flow 'f' is attached to a missing stock 'stok' (did you mean 'stock'?)");
    static const char to[] =
        "stocks = ( { name = \"s\"; init = 1; } );\n"
        "flows = ( { name = \"f\"; equation = \"1\"; from = \"s\"; to = \"nowhere\"; } );\n";
    ck_model_error(to, "to =", "flow 'f' is attached to a missing stock 'nowhere'");
    static const char not_stock[] =
        "flows = ( { name = \"f\"; equation = \"1\"; to = \"a\"; } );\n"
        "auxiliaries = ( { name = \"a\"; equation = \"1\"; } );\n";
    ck_model_error(not_stock, "to =", "flow 'f' is attached to 'a', which is an auxiliary, not a stock");
    /* stock style: the stock lists a flow that does not exist */
    static const char in[] =
        "stocks = ( { name = \"s\"; init = 1;\n"
        "             inflows = [\"births\", \"imigration\"]; } );\n"
        "flows = ( { name = \"births\"; equation = \"1\"; }, { name = \"immigration\"; equation = \"1\"; } );\n";
    ck_model_error(in, "inflows",
                   "stock 's' lists inflow 'imigration', but there is no flow called 'imigration' "
                   "(did you mean 'immigration'?)");
    static const char out[] =
        "stocks = ( { name = \"s\"; init = 1; outflows = \"deaths\"; } );\n";
    ck_model_error(out, "outflows", "stock 's' lists outflow 'deaths', but there is no flow called 'deaths'");
    /* a stock listing something that is not a flow */
    static const char non_flow[] =
        "constants = ( { name = \"k\"; value = 1; } );\n"
        "stocks = ( { name = \"s\"; init = 1; outflows = [\"k\"]; } );\n";
    ck_model_error(non_flow, "outflows", "stock 's' lists outflow 'k', which is a constant, not a flow");
    static const char aux[] =
        "stocks = ( { name = \"s\"; init = 1; inflows = [\"a\"]; } );\n"
        "auxiliaries = ( { name = \"a\"; equation = \"1\"; } );\n";
    ck_model_error(aux, "inflows", "stock 's' lists inflow 'a', which is an auxiliary, not a flow");
    /* a flow enters at most one stock and leaves at most one */
    static const char both[] =
        "stocks = ( { name = \"s\"; init = 1; inflows = [\"f\"]; outflows = [\"f\"]; } );\n"
        "flows = ( { name = \"f\"; equation = \"1\"; } );\n";
    ck_model_error(both, "outflows", "flow 'f' is both an inflow and an outflow of stock 's'");
    static const char twice[] =
        "stocks = ( { name = \"s1\"; init = 1; outflows = [\"f\"]; },\n"
        "           { name = \"s2\"; init = 1; outflows = [\"f\"]; } );\n"
        "flows = ( { name = \"f\"; equation = \"1\"; } );\n";
    ck_model_error_after(twice, "s2", "outflows", "flow 'f' is already an outflow of stock 's1'");
}
END_TEST

START_TEST(both_attachment_styles_agree)
{
    /* the same link written in both styles counts once */
    static const char text[] =
        "time = { stop = 2.0; };\n"
        "stocks = ( { name = \"a\"; init = 10; outflows = [\"f\"]; },\n"
        "           { name = \"b\"; init = 0; } );\n"
        "flows = ( { name = \"f\"; equation = \"2\"; from = \"a\"; to = \"b\"; } );\n";
    sim s = sim_run(text, NULL);
    ck_assert(sim_series(&s, "a")[2] == 6.0 && sim_series(&s, "b")[2] == 4.0);
    sim_free(&s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("compile");
    TCase *core = tcase_create("core");
    tcase_add_test(core, equations_in_any_order);
    tcase_add_test(core, constant_folding_gives_identical_results);
    tcase_add_test(core, time_values_are_not_folded);
    tcase_add_test(core, static_values_follow_changed_constants);
    tcase_add_test(core, model_queries);
    tcase_add_test(core, loops_through_stocks_are_fine);
    tcase_add_test(core, both_attachment_styles_agree);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, unknown_variable);
    tcase_add_test(errors, unknown_function);
    tcase_add_test(errors, wrong_arity);
    tcase_add_test(errors, wrong_kind_of_name);
    tcase_add_test(errors, algebraic_loops);
    tcase_add_test(errors, circular_initial_values);
    tcase_add_test(errors, duplicate_names);
    tcase_add_test(errors, reserved_and_invalid_names);
    tcase_add_test(errors, flows_and_missing_stocks);
    suite_add_tcase(s, errors);
    return run_suite(s);
}
