/*
** check_vensim.c - the Vensim .mdl reader (src/vensim/): the teacup against
** its Euler recurrence, each Vensim builtin against a hand computation,
** arrays flattened element by element, the refusals with their file:line:col
** and construct, and the round trip .mdl -> XMILE -> run, bit for bit.
*/
#include "testutil.h"

#include "migdev/migdev.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A .mdl text: the given equations, then the control section (start 0,
** stop `stop`, TIME STEP dt, SAVEPER = TIME STEP). Owned. */
/* Vensim's :NA:, -2^109 (its documentation's value) */
#define NA (-649037107316853453566312041152512.0)

static char *mdl(const char *eqs, double stop, double dt)
{
    char *t = malloc(strlen(eqs) + 1024);
    sprintf(t,
            "{UTF-8}\n%s"
            "********************************************************\n"
            "\t.Control\n"
            "********************************************************~\n"
            "\t\tSimulation Control Parameters\n\t|\n\n"
            "FINAL TIME  = %g\n\t~\tMonth\n\t~\tThe final time.\n\t|\n\n"
            "INITIAL TIME  = 0\n\t~\tMonth\n\t~\t\t|\n\n"
            "SAVEPER  = \n        TIME STEP\n\t~\tMonth [0,?]\n\t~\t\t|\n\n"
            "TIME STEP  = %g\n\t~\tMonth [0,?]\n\t~\t\t|\n\n"
            "\\\\\\---/// Sketch information - do not modify anything except names\n"
            "V300  Do not put anything below this section - it will be ignored\n",
            eqs, stop, dt);
    return t;
}

static migdev_model *load(const char *text)
{
    migdev_error err;
    migdev_error_clear(&err);
    migdev_model *m = migdev_model_load_string(text, "t.mdl", &err);
    if (!m) {
        char buf[1200];
        ck_abort_msg("the .mdl does not load: %s\n%s", migdev_error_format(&err, buf, sizeof buf),
                     text);
    }
    return m;
}

static char *load_error(const char *text)
{
    migdev_error err;
    migdev_error_clear(&err);
    migdev_model *m = migdev_model_load_string(text, "t.mdl", &err);
    ck_assert_msg(m == NULL, "the .mdl loaded but was expected to fail:\n%s", text);
    char buf[1200];
    return strdup(migdev_error_format(&err, buf, sizeof buf));
}

/* Run m with its own spec; the series of name (copied, *n values). */
static double *series(const migdev_model *m, const char *name, size_t *n)
{
    migdev_error err;
    migdev_error_clear(&err);
    migdev_run *r = migdev_run_new(m, NULL, &err);
    ck_assert_msg(r != NULL, "%s", err.message);
    ck_assert_msg(migdev_run_execute(r, &err) == 0, "%s", err.message);
    const int i = migdev_model_find(m, name);
    ck_assert_msg(i >= 0, "no variable '%s'", name);
    *n = migdev_run_n_saves(r);
    double *s = malloc(*n * sizeof *s);
    memcpy(s, migdev_run_series(r, i), *n * sizeof *s);
    migdev_run_free(r);
    return s;
}

/* The value at time t of "probe = eqn" (start 0, stop 10, dt 1). */
static double value_at(const char *eqn, int t)
{
    char eqs[2048];
    snprintf(eqs, sizeof eqs, "probe=\n\t%s\n\t~\t\n\t~\t\t|\n\n", eqn);
    char *text = mdl(eqs, 10, 1);
    migdev_model *m = load(text);
    size_t n;
    double *s = series(m, "probe", &n);
    ck_assert((size_t)t < n);
    const double x = s[t];
    free(s);
    migdev_model_free(m);
    free(text);
    return x;
}

/* ------------------------------------------------------------------- core */

static const char *const teacup =
    "Characteristic Time=\n\t10\n\t~\tMinutes [0,?]\n\t~\tHow long.\n\t|\n\n"
    "Heat Loss to Room=\n\t(Teacup Temperature - Room Temperature) / Characteristic Time\n"
    "\t~\tDegrees Fahrenheit/Minute\n\t~\tThe rate at which heat flows \\\n\t\tinto the room.\n\t|\n\n"
    "Room Temperature=\n\t70\n\t~\tDegrees Fahrenheit [-459.67,?]\n\t~\t\t|\n\n"
    "Teacup Temperature= INTEG (\n\t-Heat Loss to Room,\n\t\t180)\n"
    "\t~\tDegrees Fahrenheit [32,212]\n\t~\tThe tea.\n\t|\n\n";

START_TEST(teacup_matches_euler_recurrence)
{
    char *text = mdl(teacup, 30, 0.125);
    migdev_model *m = load(text);
    size_t n;
    double *s = series(m, "Teacup Temperature", &n);
    ck_assert_int_eq((int)n, 241);
    double T = 180;
    for (size_t k = 0; k < n; k++) {
        ck_assert_double_eq_tol(s[k], T, 1e-12);
        T -= 0.125 * (T - 70) / 10;
    }
    /* the rate is the level's outflow: the model has its stock-and-flow
       structure, and the docs are kept */
    migdev_var_info info;
    ck_assert_int_eq(migdev_model_var(m, migdev_model_find(m, "Heat Loss to Room"), &info), 0);
    ck_assert_int_eq(info.kind, MIGDEV_FLOW);
    ck_assert_str_eq(info.units, "Degrees Fahrenheit/Minute");
    ck_assert_str_eq(info.doc, "The rate at which heat flows into the room.");
    ck_assert_int_eq(migdev_model_var(m, migdev_model_find(m, "room temperature"), &info), 0);
    ck_assert_int_eq(info.kind, MIGDEV_CONSTANT);
    ck_assert_str_eq(info.units, "Degrees Fahrenheit");
    free(s);
    migdev_model_free(m);
    free(text);
}
END_TEST

/* Each builtin against a hand computation: equation, time, value. */
static const struct {
    const char *eqn;
    int t;
    double want;
} builtins[] = {
    {"INTEGER(-9.9)", 0, -9},           /* truncates toward 0 (XMILE INT floors) */
    {"INTEGER(9.9)", 0, 9},
    {"MODULO(-10, 3)", 0, -1},          /* the dividend's sign: -10 = 3*(-3) - 1 */
    {"MODULO(10, 3)", 0, 1},
    {"MODULO(7.5, 2)", 0, 1.5},
    {"QUANTUM(7.5, 2)", 0, 6},          /* 2 * INTEGER(3.75) */
    {"QUANTUM(-7.5, 2)", 0, -6},
    {"-2^2", 0, -4},                    /* '^' before the sign */
    {"2^-1", 0, 0.5},
    {"POWER(2, 10)", 0, 1024},
    {"LOG(8, 2)", 0, 3},
    {"LN(EXP(2))", 0, 2},
    {"SQRT(16) + ABS(-3)", 0, 7},
    {"MIN(3, 4) + MAX(3, 4)", 0, 7},
    {"SINH(1)", 0, 1.1752011936438014},  /* (e - 1/e) / 2 */
    {"COSH(1)", 0, 1.5430806348152437},  /* (e + 1/e) / 2 */
    {"TANH(0.5)", 0, 0.46211715726000974},
    {"ZIDZ(1, 0)", 0, 0},
    {"ZIDZ(6, 3)", 0, 2},
    {"XIDZ(1, 0, 5)", 0, 5},
    {"XIDZ(6, 3, 5)", 0, 2},
    {"IF THEN ELSE(Time > 2 :AND: Time < 5, 1, 0)", 3, 1},
    {"IF THEN ELSE(Time > 2 :AND: Time < 5, 1, 0)", 5, 0},
    {"IF THEN ELSE(Time < 2 :OR: Time > 5, 1, 0)", 3, 0},
    {":NOT: Time = 3", 3, 0},           /* not(Time = 3) */
    {":NOT: Time = 3", 2, 1},
    {"Time <> 3", 2, 1},
    {"STEP(5, 3)", 2, 0},
    {"STEP(5, 3)", 3, 5},
    {"RAMP(2, 3, 6)", 4, 2},            /* 2 * (4 - 3) */
    {"RAMP(2, 3, 6)", 8, 6},            /* 2 * (6 - 3) */
    {"PULSE(3, 2)", 2, 0},              /* 1 from 3 for 2 time units */
    {"PULSE(3, 2)", 3, 1},
    {"PULSE(3, 2)", 4, 1},
    {"PULSE(3, 2)", 5, 0},
    {"PULSE TRAIN(1, 1, 3, 8)", 1, 1},  /* at 1, 4, 7 (before the end 8) */
    {"PULSE TRAIN(1, 1, 3, 8)", 2, 0},
    {"PULSE TRAIN(1, 1, 3, 8)", 4, 1},
    {"PULSE TRAIN(1, 1, 3, 8)", 7, 1},
    {"PULSE TRAIN(1, 1, 3, 8)", 10, 0},
    {"DELAY FIXED(Time, 2, 7)", 1, 7},  /* the initial value until 2 */
    {"DELAY FIXED(Time, 2, 7)", 5, 3},  /* Time 2 steps earlier */
    {"DELAY FIXED(Time, 1 + STEP(5, 3), 7)", 5, 4}, /* the delay time at the start: 1 */
    {"DELAY FIXED(Time, 0.5, 7)", 3, 2},   /* less than a step: one step */
    {"DELAY FIXED(Time, 1.6, 7)", 5, 3},   /* rounded to 2 steps */
    {"DELAY FIXED(Time, 1.6, 7)", 1, 7},
    {"SAMPLE IF TRUE(Time >= 3 :AND: Time <= 4, Time * 10, -1)", 2, -1},
    {"SAMPLE IF TRUE(Time >= 3 :AND: Time <= 4, Time * 10, -1)", 3, 30},
    {"SAMPLE IF TRUE(Time >= 3 :AND: Time <= 4, Time * 10, -1)", 4, 40},
    {"SAMPLE IF TRUE(Time >= 3 :AND: Time <= 4, Time * 10, -1)", 8, 40}, /* held */
    {"INITIAL(Time + 4)", 6, 4},
    {"GAME(5)", 0, 5},
    /* SMOOTH(x, 2) of a constant input: stays at the input */
    {"SMOOTH(3, 2)", 5, 3},
    /* SMOOTHI(10, 2, 0), Euler dt 1: s += (10 - s)/2: 0, 5, 7.5, 8.75 */
    {"SMOOTHI(10, 2, 0)", 3, 8.75},
    /* SMOOTH N(10, 4, 0, 2): two stages of time 2: a += (10-a)/2, b += (a-b)/2
       from 0, 0: (5, 0), (7.5, 2.5), (8.75, 5) */
    {"SMOOTH N(10, 4, 0, 2)", 3, 5},
    /* the order is read at the start: 1 + STEP(1, 1) is 1 there, one stage of
       time 4: s += (10 - s)/4: 0, 2.5, 4.375 */
    {"SMOOTH N(10, 4, 0, 1 + STEP(1, 1))", 2, 4.375},
    /* DELAY1I(10, 2, 0) = stock / 2 with stock += 10 - stock/2 from 0:
       outputs 0, 5, 7.5 */
    {"DELAY1I(10, 2, 0)", 2, 7.5},
};

START_TEST(builtins_follow_vensim)
{
    const double got = value_at(builtins[_i].eqn, builtins[_i].t);
    ck_assert_msg(fabs(got - builtins[_i].want) <= 1e-12 * (1 + fabs(builtins[_i].want)),
                  "%s at t=%d: got %.17g, want %.17g", builtins[_i].eqn, builtins[_i].t, got,
                  builtins[_i].want);
}
END_TEST

START_TEST(lookups_inline_and_with_lookup)
{
    const char *eqs =
        "tbl(\n\t[(0,0)-(10,10)],(0,0),(5,10),(10,0))\n\t~\t\n\t~\t\t|\n\n"
        "a=\n\ttbl(Time)\n\t~\t\n\t~\t\t|\n\n"
        "b=\n\tWITH LOOKUP(Time, ([(0,0)-(10,10)],(0,1),(10, - 1)))\n\t~\t\n\t~\t\t|\n\n"
        "c=\n\ttbl(20)\n\t~\t\n\t~\t\t|\n\n"
        "back(\n\t(2,-3),(1,-7),(0,-1))\n\t~\t\n\t~\t\t|\n\n"
        "d=\n\tback(0.5) + back(1.5)\n\t~\t\n\t~\t\t|\n\n";
    char *text = mdl(eqs, 10, 1);
    migdev_model *m = load(text);
    size_t n;
    double *a = series(m, "a", &n), *b = series(m, "b", &n), *c = series(m, "c", &n);
    ck_assert_double_eq_tol(a[2], 4, 1e-12);  /* 10 * 2/5 */
    ck_assert_double_eq_tol(a[7], 6, 1e-12);  /* 10 - 10 * 2/5 */
    ck_assert_double_eq_tol(b[5], 0, 1e-12);  /* halfway from 1 to -1 */
    ck_assert_double_eq_tol(c[0], 0, 1e-12);  /* held at the last point */
    double *d = series(m, "d", &n);           /* points taken in x order */
    ck_assert_double_eq_tol(d[0], -4 + -5, 1e-12);
    free(d);
    free(a), free(b), free(c);
    migdev_model_free(m);
    free(text);
}
END_TEST

/* Arrays become one variable per element, named name[elem,elem]. */
START_TEST(arrays_are_flattened)
{
    const char *eqs =
        "region:\n\tnorth, south, east\n\t~\t\n\t~\t\t|\n\n"
        "coast:\n\tsouth, east\n\t~\t\n\t~\t\t|\n\n"
        "age: (a1-a2)\n\t~\t\n\t~\t\t|\n\n"
        "rate[region]=\n\t0.1, 0.2, 0.3\n\t~\t\n\t~\t\t|\n\n"
        "pop[region]= INTEG (\n\tgrowth[region],\n\t\t100)\n\t~\t\n\t~\t\t|\n\n"
        "growth[region]=\n\tpop[region] * rate[region]\n\t~\t\n\t~\t\t|\n\n"
        "total=\n\tSUM(pop[region!])\n\t~\t\n\t~\t\t|\n\n"
        "grand=\n\tSUM(grid[region!, age!])\n\t~\t\n\t~\t\t|\n\n"
        "share[region]=\n\tpop[region] / SUM(pop[region!])\n\t~\t\n\t~\t\t|\n\n"
        "biggest=\n\tVMAX(rate[region!])\n\t~\t\n\t~\t\t|\n\n"
        "n regions=\n\tELMCOUNT(region)\n\t~\t\n\t~\t\t|\n\n"
        "grid[region, age]=\n\t1, 2; 3, 4; 5, 6;\n\t~\t\n\t~\t\t|\n\n"
        "pick[coast]=\n\tgrid[coast, a2] + region\n\t~\t\n\t~\t\t|\n\n"
        "special[north]=\n\t7\n\t~\t\n\t~\t\t|\n\n"
        "special[coast]=\n\trate[coast] * 10\n\t~\t\n\t~\t\t|\n\n"
        "ex[region] :EXCEPT: [north], [east]=\n\t1\n\t~\t\n\t~\t\t|\n\n"
        "ex[north]=\n\t2\n\t~\t\n\t~\t\t|\n\n"
        "ex[east]=\n\t3\n\t~\t\n\t~\t\t|\n\n";
    char *text = mdl(eqs, 2, 1);
    migdev_model *m = load(text);
    size_t n;
    double *p = series(m, "pop[south]", &n);
    ck_assert_double_eq_tol(p[1], 120, 1e-12);   /* 100 * 1.2 */
    ck_assert_double_eq_tol(p[2], 144, 1e-12);
    free(p);
    p = series(m, "total", &n);
    ck_assert_double_eq_tol(p[1], 110 + 120 + 130, 1e-12);
    free(p);
    p = series(m, "share[east]", &n);
    ck_assert_double_eq_tol(p[1], 130.0 / 360, 1e-12);
    free(p);
    /* the sum is the same for every element: computed once, in a variable
       of its own */
    p = series(m, "SUM(pop[region!])", &n);
    ck_assert_double_eq_tol(p[1], 360, 1e-12);
    free(p);
    p = series(m, "grand", &n);
    ck_assert_double_eq(p[0], 1 + 2 + 3 + 4 + 5 + 6);
    free(p);
    p = series(m, "biggest", &n);
    ck_assert_double_eq(p[0], 0.3);
    free(p);
    p = series(m, "n regions", &n);
    ck_assert_double_eq(p[0], 3);
    free(p);
    p = series(m, "grid[east,a1]", &n);
    ck_assert_double_eq(p[0], 5);
    free(p);
    p = series(m, "pick[south]", &n);            /* grid[south,a2] + position 2 */
    ck_assert_double_eq(p[0], 4 + 2);
    free(p);
    p = series(m, "special[north]", &n);
    ck_assert_double_eq(p[0], 7);
    free(p);
    p = series(m, "special[east]", &n);
    ck_assert_double_eq_tol(p[0], 3, 1e-12);
    free(p);
    for (int k = 0; k < 3; k++) { /* :EXCEPT: leaves north and east to their own equations */
        static const char *const el[] = {"ex[north]", "ex[south]", "ex[east]"};
        p = series(m, el[k], &n);
        ck_assert_double_eq(p[0], k == 0 ? 2 : k == 1 ? 1 : 3);
        free(p);
    }
    ck_assert_int_lt(migdev_model_find(m, "pop[west]"), 0);
    migdev_model_free(m);
    free(text);
}
END_TEST

/* ACTIVE INITIAL(expr, init): the equation runs, the initial value serves
** initialization: a level started from it, and a SMOOTH of it (whose stock
** starts at its input's initial value). */
START_TEST(active_initial_serves_initialization)
{
    const char *eqs =
        "v=\n\tACTIVE INITIAL(Time * 10, 45)\n\t~\t\n\t~\t\t|\n\n"
        "s= INTEG (\n\t1,\n\t\tv)\n\t~\t\n\t~\t\t|\n\n"
        "sm=\n\tSMOOTH(v, 2)\n\t~\t\n\t~\t\t|\n\n";
    char *text = mdl(eqs, 3, 1);
    migdev_model *m = load(text);
    size_t n;
    double *v = series(m, "v", &n), *st = series(m, "s", &n), *sm = series(m, "sm", &n);
    double smooth = 45; /* Euler, dt 1: sm += (v - sm) / 2 */
    for (int k = 0; k < 4; k++) {
        ck_assert_double_eq_tol(v[k], 10 * k, 1e-12);
        ck_assert_double_eq_tol(st[k], 45 + k, 1e-12);
        ck_assert_double_eq_tol(sm[k], smooth, 1e-12);
        smooth += (10 * k - smooth) / 2;
    }
    free(v), free(st), free(sm);
    migdev_model_free(m);
    free(text);
}
END_TEST

/* Each call of a macro is an instance of its equations, parameters replaced
** by the arguments: two calls of a macro holding a level integrate
** separately. */
START_TEST(macros_are_expanded_per_call)
{
    const char *eqs =
        ":MACRO: ACCUM(input, start)\n"
        "ACCUM = INTEG(input * factor, start)\n\t~\t\n\t~\t\t|\n\n"
        "factor = 2\n\t~\t\n\t~\t\t|\n\n"
        ":END OF MACRO:\n"
        ":MACRO: TWICE(x)\nTWICE = ACCUM(x, 0) * 1\n\t~\t\n\t~\t\t|\n\n:END OF MACRO:\n"
        "a=\n\tACCUM(1, 10)\n\t~\t\n\t~\t\t|\n\n"
        "b=\n\tACCUM(Time, 0) + TWICE(3)\n\t~\t\n\t~\t\t|\n\n";
    char *text = mdl(eqs, 4, 1);
    migdev_model *m = load(text);
    size_t n;
    double *a = series(m, "a", &n), *b = series(m, "b", &n);
    ck_assert_int_eq((int)n, 5);
    double sa = 10, s1 = 0, s2 = 0; /* Euler, dt 1: s += 2 * input */
    for (int k = 0; k < 5; k++) {
        ck_assert_double_eq_tol(a[k], sa, 1e-12);
        ck_assert_double_eq_tol(b[k], s1 + s2, 1e-12);
        sa += 2 * 1;
        s1 += 2 * k; /* input Time */
        s2 += 2 * 3;
    }
    free(a), free(b);
    migdev_model_free(m);
    free(text);
}
END_TEST

/* .mdl -> XMILE -> run gives the same numbers, bit for bit. */
/* Write text to dir/name. */
static void put_file(const char *dir, const char *name, const char *text)
{
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_msg(f != NULL, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

/* A CSV beside the model: times in column A, values in B and C (C2 empty).
** The four ways of finding values between times, by hand: at t = 1 (between
** 0 -> 1 and 2 -> 5) interpolation gives 3, holding back 1, looking forward
** 5, raw :NA:; past the last time (4 -> 3) every way but raw holds 3. */
static const char data_csv[] = "time,a,b\n0,1,10\n2,5,\n4,3,30\n";

/* The round trip's models: builtins with Vensim's meaning; data read from
** a CSV beside the model (interpolated, held), GET constants and lookups,
** subscripted WITH LOOKUP, vector functions, an inverse, a mapping. */
static const char *const round_trip_models[] = {
    "Heat Loss to Room=\n\t(Teacup Temperature - 70) / 10 + ZIDZ(1, 0) + "
    "INTEGER(-0.5) + PULSE(2, 1) + MODULO(Time, 3)\n\t~\t\n\t~\t\t|\n\n"
    "Teacup Temperature= INTEG (\n\t-Heat Loss to Room,\n\t\t180)\n\t~\t\n\t~\t\t|\n\n"
    "smoothed=\n\tSMOOTH3(Teacup Temperature, 2)\n\t~\t\n\t~\t\t|\n\n",
    "dim: p, q -> dim2 ~~|\ndim2: p2, q2 ~~|\n"
    "d := GET DIRECT DATA('data.csv', ',', 'A', 'B2') ~~|\n"
    "dd[dim] :HOLD BACKWARD: := GET DIRECT DATA('data.csv', ',', 'A', 'B2') ~~|\n"
    "k[dim] = GET DIRECT CONSTANTS('data.csv', ',', 'B2*') ~~|\n"
    "lk(GET DIRECT LOOKUPS('data.csv', ',', 'A', 'B2')) ~~|\n"
    "w[dim] = WITH LOOKUP(k[dim] + Time, ((0, 1), (10, 3))) ~~|\n"
    "s = VECTOR SELECT(k[dim!], dd[dim!], -1, Time, 0) + lk(Time) ~~|\n"
    "r[dim2] = VECTOR RANK(dd[dim], 1) + VECTOR SORT ORDER(dd[dim], 0) ~~|\n"
    "m[dim, dim2] = 4, 7; 2, 6; ~~|\n"
    "mi[dim, dim2] = INVERT MATRIX(m[dim, dim2], 2) * d ~~|\n",
    /* names the native format cannot spell: accented letters and a macro's
       instance (DOUBLE:1), read back by the writer with its free names */
    ":MACRO: DOUBLE(x)\nDOUBLE = 2 * x ~~|\n:END OF MACRO:\n"
    "poblaci\xc3\xb3n = DOUBLE(Time) + 1 ~~|\n"
    "caf\xc3\xa9 = INTEG(poblaci\xc3\xb3n, 1) ~~|\n"
    "v = NPV(caf\xc3\xa9, 0.1, 0, 1) ~~|\n",
};

START_TEST(export_round_trip_is_exact)
{
    char *text = mdl(round_trip_models[_i], 10, 0.25);
    const char *src = tmp_file(0, "model.mdl", text);
    {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s", src);
        *strrchr(dir, '/') = '\0';
        put_file(dir, "data.csv", data_csv);
    }
    char out[4096];
    snprintf(out, sizeof out, "%s.xmile", src);
    const char *const exp[] = {"export", "--xmile", src, "-o", out, NULL};
    cmd_result r = run_migdev(NULL, exp);
    ck_assert_msg(r.status == 0, "%s", r.err);
    cmd_result_free(&r);
    char a[4096], b[4096];
    snprintf(a, sizeof a, "%s.a.tsv", src);
    snprintf(b, sizeof b, "%s.b.tsv", src);
    const char *const run1[] = {"run", src, "--format", "tsv", "-o", a, NULL};
    const char *const run2[] = {"run", out, "--format", "tsv", "-o", b, NULL};
    r = run_migdev(NULL, run1);
    ck_assert_msg(r.status == 0, "%s", r.err);
    cmd_result_free(&r);
    r = run_migdev(NULL, run2);
    ck_assert_msg(r.status == 0, "%s", r.err);
    cmd_result_free(&r);
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    ck_assert(fa && fb);
    int ca, cb, rows = 0;
    do {
        ca = fgetc(fa);
        cb = fgetc(fb);
        ck_assert_int_eq(ca, cb);
        rows += ca == '\n';
    } while (ca != EOF);
    ck_assert_int_eq(rows, 42); /* header + 41 saves */
    fclose(fa);
    fclose(fb);
    free(text);
}
END_TEST

/* ----------------------------------------------------------------- errors */

/* Each refused construct: the equations, and the message with its position
** (the control section follows the equations, so lines count from 2). */
/* Load dir/model.mdl holding eqs (stop, dt). */
static migdev_model *load_in(const char *dir, const char *eqs, double stop, double dt)
{
    char *text = mdl(eqs, stop, dt);
    put_file(dir, "model.mdl", text);
    free(text);
    char path[8192];
    snprintf(path, sizeof path, "%s/model.mdl", dir);
    migdev_error err;
    migdev_error_clear(&err);
    migdev_model *m = migdev_model_load(path, &err);
    char buf[1200];
    ck_assert_msg(m != NULL, "%s", migdev_error_format(&err, buf, sizeof buf));
    return m;
}

static char *load_in_error(const char *dir, const char *eqs)
{
    char *text = mdl(eqs, 5, 1);
    put_file(dir, "model.mdl", text);
    free(text);
    char path[8192];
    snprintf(path, sizeof path, "%s/model.mdl", dir);
    migdev_error err;
    migdev_error_clear(&err);
    migdev_model *m = migdev_model_load(path, &err);
    ck_assert_msg(m == NULL, "the model loaded but was expected to fail: %s", eqs);
    char buf[1200];
    migdev_error_format(&err, buf, sizeof buf);
    const char *slash = strstr(buf, "model.mdl");
    return strdup(slash ? slash : buf);
}

static void expect_series(const migdev_model *m, const char *name, const double *want, size_t n)
{
    size_t got_n;
    double *got = series(m, name, &got_n);
    ck_assert_msg(got_n == n, "%s: %zu values, expected %zu", name, got_n, n);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(fabs(got[i] - want[i]) <= 1e-12 * (1 + fabs(want[i])),
                      "%s at step %zu: %.17g, expected %.17g", name, i, got[i], want[i]);
    free(got);
}


START_TEST(get_direct_data_modes)
{
    char *dir = tmp_dir();
    put_file(dir, "data.csv", data_csv);
    migdev_model *m = load_in(
        dir,
        "d interp:=\n\tGET DIRECT DATA('data.csv', ',', 'A', 'B2')\n\t~\t\n\t~\t\t|\n\n"
        "d plain=\n\tGET DIRECT DATA('data.csv', ',', 'A', 'B2')\n\t~\t\n\t~\t\t|\n\n"
        "d hold:HOLD BACKWARD::=\n\tGET DIRECT DATA('data.csv', ',', 'A', 'B2')\n\t~\t\n\t~\t\t|\n\n"
        "d fwd :LOOK FORWARD: :=\n\tGET DIRECT DATA('data.csv', ',', 'A', 'B2')\n\t~\t\n\t~\t\t|\n\n"
        "d raw:RAW::=\n\tGET DIRECT DATA('data.csv', ',', 'A', 'B2')\n\t~\t\n\t~\t\t|\n\n"
        "dim:\n\tp, q\n\t~\t\n\t~\t\t|\n\n"
        "dd[dim]:=\n\tGET DIRECT DATA('data.csv', ',', 'A', 'B2')\n\t~\t\n\t~\t\t|\n\n"
        "twice=\n\td interp * 2\n\t~\t\n\t~\t\t|\n\n",
        5, 1);
    const double interp[] = {1, 3, 5, 4, 3, 3}, hold[] = {1, 1, 5, 5, 3, 3},
                 fwd[] = {1, 5, 5, 3, 3, 3}, raw[] = {1, NA, 5, NA, 3, NA},
                 q[] = {10, 15, 20, 25, 30, 30}, twice[] = {2, 6, 10, 8, 6, 6};
    expect_series(m, "d_interp", interp, 6);
    expect_series(m, "d_plain", interp, 6);
    expect_series(m, "d_hold", hold, 6);
    expect_series(m, "d_fwd", fwd, 6);
    expect_series(m, "d_raw", raw, 6);
    expect_series(m, "dd[p]", interp, 6);
    expect_series(m, "dd[q]", q, 6); /* its missing value at 2: (10 + 30) / 2 */
    expect_series(m, "twice", twice, 6);
    /* XMILE cannot say "look forward" or "raw": the export refuses */
    migdev_error err;
    migdev_error_clear(&err);
    FILE *f = tmpfile();
    ck_assert_int_ne(migdev_model_write_xmile(m, f, &err), 0);
    ck_assert_msg(strstr(err.message, "looking forward") || strstr(err.message, "raw"), "%s",
                  err.message);
    fclose(f);
    migdev_model_free(m);
    free(dir);
}
END_TEST

START_TEST(get_direct_constants_lookups_subscripts)
{
    char *dir = tmp_dir();
    put_file(dir, "data.csv", data_csv);
    put_file(dir, "t.tab", "x\t1\t2\ny\t3\t4\n");
    /* quoted cells (a separator and a doubled quote inside), CRLF line
       ends, no newline at the end */
    put_file(dir, "q.csv", "\"x,y\",5,\"say \"\"hi\"\"\"\r\n 7 ,\"8\"\r\n9,10");
    migdev_model *m = load_in(
        dir,
        "dim:\n\tp, q\n\t~\t\n\t~\t\t|\n\n"
        "row[dim]=\n\tGET DIRECT CONSTANTS('data.csv', ',', 'B2')\n\t~\t\n\t~\t\t|\n\n"
        "col[dim]=\n\tGET DIRECT CONSTANTS('data.csv', ',', 'B2*')\n\t~\t\n\t~\t\t|\n\n"
        "one=\n\tGET_DIRECT_CONSTANTS('data.csv', ',', 'c4')\n\t~\t\n\t~\t\t|\n\n"
        "tab[dim, dim]=\n\tGET DIRECT CONSTANTS('t.tab', '\t', 'B1')\n\t~\t\n\t~\t\t|\n\n"
        "lk(\n\tGET DIRECT LOOKUPS('data.csv', ',', 'A', 'B2'))\n\t~\t\n\t~\t\t|\n\n"
        "at one=\n\tlk(1)\n\t~\t\n\t~\t\t|\n\n"
        "lks[dim]=\n\tGET DIRECT LOOKUPS('data.csv', ',', 'A', 'B2')\n\t~\t\n\t~\t\t|\n\n"
        "at three[dim]=\n\tlks[dim](3)\n\t~\t\n\t~\t\t|\n\n"
        "names:\n\tGET DIRECT SUBSCRIPT('t.tab', '\t', 'A1', 'A', 'n ')\n\t~\t\n\t~\t\t|\n\n"
        "per name[names]=\n\t7\n\t~\t\n\t~\t\t|\n\n"
        "quoted[dim, dim]=\n\tGET DIRECT CONSTANTS('q.csv', ',', 'A2')\n\t~\t\n\t~\t\t|\n\n"
        "after quote=\n\tGET DIRECT CONSTANTS('q.csv', ',', 'B1')\n\t~\t\n\t~\t\t|\n\n"
        "heads:\n\tGET DIRECT SUBSCRIPT('q.csv', ',', 'A2', 'A3', 'e')\n\t~\t\n\t~\t\t|\n\n"
        "per head[heads]=\n\t1\n\t~\t\n\t~\t\t|\n\n",
        1, 1);
    const double row_p[] = {1, 1}, row_q[] = {10, 10}, col_q[] = {5, 5}, one[] = {30, 30},
                 t_qp[] = {3, 3}, at_one[] = {3, 3}, at3_p[] = {4, 4}, at3_q[] = {25, 25},
                 seven[] = {7, 7};
    expect_series(m, "row[p]", row_p, 2);
    expect_series(m, "row[q]", row_q, 2);
    expect_series(m, "col[p]", row_p, 2);
    expect_series(m, "col[q]", col_q, 2);
    expect_series(m, "one", one, 2);
    expect_series(m, "tab[q,p]", t_qp, 2);
    expect_series(m, "at_one", at_one, 2);
    expect_series(m, "at_three[p]", at3_p, 2);
    expect_series(m, "at_three[q]", at3_q, 2);
    expect_series(m, "per_name[n x]", seven, 2);
    expect_series(m, "per_name[n y]", seven, 2);
    const double q_pp[] = {7, 7}, q_pq[] = {8, 8}, q_qq[] = {10, 10};
    expect_series(m, "quoted[p,p]", q_pp, 2);
    expect_series(m, "quoted[p,q]", q_pq, 2);
    expect_series(m, "quoted[q,q]", q_qq, 2);
    const double five[] = {5, 5};
    expect_series(m, "after_quote", five, 2); /* "x,y" is one cell */
    ck_assert_int_ge(migdev_model_find(m, "per_head[e7]"), 0);
    ck_assert_int_ge(migdev_model_find(m, "per_head[e9]"), 0);
    migdev_model_free(m);
    free(dir);
}
END_TEST

/* book.xlsx (tests/models/vensim/make_book.py): a horizontal series, defined
** names global and local, a formula's cached value, an empty cell. */
START_TEST(get_xls_reads_xlsx)
{
    char *dir = tmp_dir();
    char *src = source_path("tests/models/vensim/book.xlsx");
    char dst[8192];
    snprintf(dst, sizeof dst, "%s/book.xlsx", dir);
    FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
    ck_assert(in && out);
    int ch;
    while ((ch = getc(in)) != EOF)
        putc(ch, out);
    fclose(in);
    fclose(out);
    migdev_model *m = load_in(
        dir,
        "v:=\n\tGET XLS DATA('book.xlsx', 'data', '1', 'B2')\n\t~\t\n\t~\t\t|\n\n"
        "w:=\n\tGET XLS DATA('book.xlsx', 'Data', 'times', 'w')\n\t~\t\n\t~\t\t|\n\n"
        "d3:\n\te1, e2, e3\n\t~\t\n\t~\t\t|\n\n"
        "k[d3]=\n\tGET XLS CONSTANTS('book.xlsx', 'DATA', 'consts')\n\t~\t\n\t~\t\t|\n\n",
        2, 0.5);
    /* v: 2, 4, 8 at 0, 1, 2; w: 1, (3), 5 */
    const double v[] = {2, 3, 4, 6, 8}, w[] = {1, 2, 3, 4, 5}, k2[] = {4, 4, 4, 4, 4};
    expect_series(m, "v", v, 5);
    expect_series(m, "w", w, 5);
    expect_series(m, "k[e2]", k2, 5);
    migdev_model_free(m);
    char *e = load_in_error(dir, "x=\n\tGET XLS CONSTANTS('book.xlsx', 'Nope', 'A1')\n\t~\t\n\t~\t\t|\n\n");
    ck_assert_str_eq(e, "model.mdl:3:2: error: GET XLS CONSTANTS('book.xlsx'): it has no sheet 'Nope'");
    free(e);
    e = load_in_error(dir, "x=\n\tGET XLS CONSTANTS('book.xlsx', 'Data', 'elsewhere')\n\t~\t\n\t~\t\t|\n\n");
    ck_assert_str_eq(e, "model.mdl:3:2: error: GET XLS CONSTANTS('book.xlsx'): no cell or defined name elsewhere");
    free(e);
    free(src);
    free(dir);
}
END_TEST

/* A data file outside the model's folder is refused: by '..', through a
** symbolic link, or missing. */
START_TEST(get_files_stay_in_the_folder)
{
    char *dir = tmp_dir();
    char sub[1024], link[2048];
    snprintf(sub, sizeof sub, "%s/sub", dir);
    ck_assert_int_eq(mkdir(sub, 0700), 0);
    put_file(dir, "data.csv", data_csv);
    snprintf(link, sizeof link, "%s/link.csv", sub);
    char target[2048];
    snprintf(target, sizeof target, "%s/data.csv", dir);
    ck_assert_int_eq(symlink(target, link), 0);
    char *e = load_in_error(sub, "x=\n\tGET DIRECT CONSTANTS('../data.csv', ',', 'B2')\n\t~\t\n\t~\t\t|\n\n");
    ck_assert_str_eq(e, "model.mdl:3:2: error: GET DIRECT CONSTANTS: '../data.csv' is outside the "
                        "model's folder (a data file must stay inside it)");
    free(e);
    e = load_in_error(sub, "x=\n\tGET DIRECT CONSTANTS('link.csv', ',', 'B2')\n\t~\t\n\t~\t\t|\n\n");
    ck_assert_str_eq(e, "model.mdl:3:2: error: GET DIRECT CONSTANTS: 'link.csv' is outside the "
                        "model's folder (a data file must stay inside it)");
    free(e);
    e = load_in_error(sub, "x=\n\tGET DIRECT CONSTANTS('none.csv', ',', 'B2')\n\t~\t\n\t~\t\t|\n\n");
    ck_assert_str_eq(e, "model.mdl:3:2: error: GET DIRECT CONSTANTS: cannot open 'none.csv': No "
                        "such file or directory");
    free(e);
    put_file(sub, "d.csv", data_csv);
    e = load_in_error(sub, "dim:\n\tp, q\n\t~\t\n\t~\t\t|\n\n"
                           "x[dim]=\n\tGET DIRECT CONSTANTS('d.csv', ',', 'B3')\n\t~\t\n\t~\t\t|\n\n");
    ck_assert_str_eq(e, "model.mdl:8:2: error: GET DIRECT CONSTANTS('d.csv'): the cell at row 3, "
                        "column 3 (from 1) holds no number");
    free(e);
    free(dir);
}
END_TEST

/* VECTOR SELECT by hand: selection 0, 2, 1 over values 5, 7, 11 picks 7
** (weight 2) and 11 (weight 1). Action a = TIME + 0..10 at t = 0..10:
** weighted sum 2*7 + 11 = 25, product 14 * 11 = 154, min 11, max 14, mean
** 12.5; 7^2 * 11 = 539; unweighted sum 18, product 77, min 7, max 11, mean
** 9. Nothing selected: the missing value. A plain range inside is the
** left-hand side's, a range with '!' is crossed. */
START_TEST(vector_select_by_hand)
{
    char *text = mdl("d: (A1-A3)\n\t~\t\n\t~\t\t|\n\n"
                     "e: (B1-B2)\n\t~\t\n\t~\t\t|\n\n"
                     "sel[d]=\n\t0, 2, 1\n\t~\t\n\t~\t\t|\n\n"
                     "none[d]=\n\t0, 0, 0\n\t~\t\n\t~\t\t|\n\n"
                     "val[d]=\n\t5, 7, 11\n\t~\t\n\t~\t\t|\n\n"
                     "w[e]=\n\t1, 10\n\t~\t\n\t~\t\t|\n\n"
                     "m[d, e]=\n\t1, 0; 0, 0; 0, 3;\n\t~\t\n\t~\t\t|\n\n"
                     "by time=\n\tVECTOR SELECT(sel[d!], val[d!], -1, Time, 0)\n\t~\t\n\t~\t\t|\n\n"
                     "fixed=\n\tVECTOR SELECT(sel[d!], val[d!], -1, 4, 0)\n\t~\t\n\t~\t\t|\n\n"
                     "missing=\n\tVECTOR SELECT(none[d!], val[d!], -1, 0, 0)\n\t~\t\n\t~\t\t|\n\n"
                     "per e[e]=\n\tVECTOR SELECT(m[d!, e], val[d!], -1, 0, 0)\n\t~\t\n\t~\t\t|\n\n"
                     "crossed=\n\tVECTOR SELECT(sel[d!], w[e!], -1, 6, 0)\n\t~\t\n\t~\t\t|\n\n",
                     10, 1);
    migdev_model *m = load(text);
    const double by_time[] = {25, 154, 11, 14, 12.5, 539, 18, 77, 7, 11, 9};
    const double fixed[11] = {12.5, 12.5, 12.5, 12.5, 12.5, 12.5, 12.5, 12.5, 12.5, 12.5, 12.5};
    const double missing[11] = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
    const double e1[11] = {5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5};
    const double e2[11] = {33, 33, 33, 33, 33, 33, 33, 33, 33, 33, 33};
    /* each of the two selected elements with each w: (1 + 10) * 2 */
    const double crossed[11] = {22, 22, 22, 22, 22, 22, 22, 22, 22, 22, 22};
    expect_series(m, "by_time", by_time, 11);
    expect_series(m, "fixed", fixed, 11);
    expect_series(m, "missing", missing, 11);
    expect_series(m, "per_e[B1]", e1, 11);
    expect_series(m, "per_e[B2]", e2, 11);
    expect_series(m, "crossed", crossed, 11);
    migdev_model_free(m);
    free(text);
}
END_TEST

/* INVERT MATRIX by hand: [[4, 7], [2, 6]] has determinant 10 and inverse
** [[0.6, -0.7], [-0.2, 0.4]]; [[2, 0, 0], [0, 4, 0], [1, 0, 1]] has inverse
** [[0.5, 0, 0], [0, 0.25, 0], [-0.5, 0, 1]]; a matrix that changes,
** [[TIME + 1, 1], [0, 2]], has inverse [[1/(t+1), -1/(2(t+1))], [0, 0.5]]. */
START_TEST(invert_matrix_by_hand)
{
    char *text = mdl("d: a, b\n\t~\t\n\t~\t\t|\n\n"
                     "d1: a, b\n\t~\t\n\t~\t\t|\n\n"
                     "rows3: (t1-t3)\n\t~\t\n\t~\t\t|\n\n"
                     "cols3: (u1-u3)\n\t~\t\n\t~\t\t|\n\n"
                     "m[d, d1]=\n\t4, 7; 2, 6;\n\t~\t\n\t~\t\t|\n\n"
                     "mi[d, d1]=\n\tINVERT MATRIX(m[d, d1], 2)\n\t~\t\n\t~\t\t|\n\n"
                     "k[rows3, cols3]=\n\t2, 0, 0; 0, 4, 0; 1, 0, 1;\n\t~\t\n\t~\t\t|\n\n"
                     "ki[rows3, cols3]=\n\tINVERT MATRIX(k[rows3, cols3], 3)\n\t~\t\n\t~\t\t|\n\n"
                     "v[a, a]=\n\tTime + 1\n\t~\t\n\t~\t\t|\n\n"
                     "v[a, b]=\n\t1\n\t~\t\n\t~\t\t|\n\n"
                     "v[b, a]=\n\t0\n\t~\t\n\t~\t\t|\n\n"
                     "v[b, b]=\n\t2\n\t~\t\n\t~\t\t|\n\n"
                     "vi[d, d1]=\n\tINVERT MATRIX(v[d, d1], 2)\n\t~\t\n\t~\t\t|\n\n",
                     2, 1);
    migdev_model *m = load(text);
    const struct { const char *name; double v[3]; } want[] = {
        {"mi[a,a]", {0.6, 0.6, 0.6}},     {"mi[a,b]", {-0.7, -0.7, -0.7}},
        {"mi[b,a]", {-0.2, -0.2, -0.2}},  {"mi[b,b]", {0.4, 0.4, 0.4}},
        {"ki[t1,u1]", {0.5, 0.5, 0.5}},   {"ki[t2,u2]", {0.25, 0.25, 0.25}},
        {"ki[t3,u1]", {-0.5, -0.5, -0.5}}, {"ki[t3,u3]", {1, 1, 1}},
        {"ki[t1,u3]", {0, 0, 0}},
        {"vi[a,a]", {1, 0.5, 1.0 / 3}},   {"vi[a,b]", {-0.5, -0.25, -1.0 / 6}},
        {"vi[b,a]", {0, 0, 0}},           {"vi[b,b]", {0.5, 0.5, 0.5}},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        size_t n;
        double *got = series(m, want[i].name, &n);
        ck_assert_uint_eq(n, 3);
        for (size_t t = 0; t < 3; t++)
            ck_assert_msg(fabs(got[t] - want[i].v[t]) < 1e-12, "%s at %zu: %.17g, expected %.17g",
                          want[i].name, t, got[t], want[i].v[t]);
        free(got);
    }
    migdev_model_free(m);
    free(text);
}
END_TEST

/* Mapped ranges and the vector functions, by hand. v = 30, 10, 20, 10 over
** company (c1..c4) sorts ascending (ties by position) as 10 (c2), 10 (c4),
** 20 (c3), 30 (c1): SORT ORDER (from 0) 1, 3, 2, 0, RANK (from 1) 4, 1, 3,
** 2; descending is that order reversed: 0, 2, 3, 1 and ranks 1, 4, 2, 3.
** REORDER by the ascending order gives 10, 10, 20, 30. "w[slot] = v[company]"
** with slot -> company takes v element by element. */
START_TEST(vector_functions_by_hand)
{
    char *text = mdl("company: (c1-c4) -> slot\n\t~\t\n\t~\t\t|\n\n"
                     "slot: (s1-s4)\n\t~\t\n\t~\t\t|\n\n"
                     "v[company]=\n\t30, 10, 20, 10\n\t~\t\n\t~\t\t|\n\n"
                     "w[slot]=\n\tv[company]\n\t~\t\n\t~\t\t|\n\n"
                     "order[slot]=\n\tVECTOR SORT ORDER(v[company], 1)\n\t~\t\n\t~\t\t|\n\n"
                     "order down[slot]=\n\tVECTOR SORT ORDER(v[company], -1)\n\t~\t\n\t~\t\t|\n\n"
                     "rank[company]=\n\tVECTOR RANK(v[company], 1)\n\t~\t\n\t~\t\t|\n\n"
                     "rank down[company]=\n\tVECTOR RANK(v[company], 0)\n\t~\t\n\t~\t\t|\n\n"
                     "sorted[slot]=\n\tVECTOR REORDER(v[company], order[slot])\n\t~\t\n\t~\t\t|\n\n",
                     1, 1);
    migdev_model *m = load(text);
    const struct { const char *name; double v[4]; } want[] = {
        {"w", {30, 10, 20, 10}},       {"order", {1, 3, 2, 0}}, {"order_down", {0, 2, 3, 1}},
        {"sorted", {10, 10, 20, 30}},
    }, want_c[] = {{"rank", {4, 1, 3, 2}}, {"rank_down", {1, 4, 2, 3}}};
    for (size_t i = 0; i < sizeof want / sizeof want[0] + 2; i++) {
        const int is_c = i >= sizeof want / sizeof want[0];
        const char *base = is_c ? want_c[i - 4].name : want[i].name;
        for (int k = 0; k < 4; k++) {
            char name[64];
            snprintf(name, sizeof name, "%s[%c%d]", base, is_c ? 'c' : 's', k + 1);
            size_t n;
            double *got = series(m, name, &n);
            const double w = is_c ? want_c[i - 4].v[k] : want[i].v[k];
            ck_assert_msg(got[0] == w, "%s: %g, expected %g", name, got[0], w);
            free(got);
        }
    }
    migdev_model_free(m);
    free(text);
}
END_TEST

/* ALLOCATE BY PRIORITY over the left-hand side's last subscript (user),
** one allocation per region, by hand (rectangular profiles of width 3):
** requests 3, 6, 2.5 at priorities 10, 9, 7. Supply 5: the level L where
** (10 - L) + 2 (9 - L) = 5 is 23/3, so 7/3, 8/3, 0. Supply 10: the first
** two in full (L <= 6), the third 2.5 (7 - L) / 3 = 1 at L = 5.8. A size
** that is not the number of requesters is refused at its position. */
START_TEST(allocate_by_priority_by_hand)
{
    char *text = mdl("region: R1, R2\n\t~\t\n\t~\t\t|\n\n"
                     "user: A, B, C\n\t~\t\n\t~\t\t|\n\n"
                     "request[user]=\n\t3, 6, 2.5\n\t~\t\n\t~\t\t|\n\n"
                     "priority[user]=\n\t10, 9, 7\n\t~\t\n\t~\t\t|\n\n"
                     "supply[region]=\n\t5, 10\n\t~\t\n\t~\t\t|\n\n"
                     "alloc[region,user]=\n\tALLOCATE BY PRIORITY(request[user], priority[user], "
                     "ELMCOUNT(user), 3, supply[region])\n\t~\t\n\t~\t\t|\n\n",
                     1, 1);
    migdev_model *m = load(text);
    const struct { const char *name; double v; } want[] = {
        {"alloc[R1,A]", 7.0 / 3.0}, {"alloc[R1,B]", 8.0 / 3.0}, {"alloc[R1,C]", 0.0},
        {"alloc[R2,A]", 3.0},       {"alloc[R2,B]", 6.0},       {"alloc[R2,C]", 1.0},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        size_t n;
        double *got = series(m, want[i].name, &n);
        ck_assert_msg(fabs(got[0] - want[i].v) <= 1e-12, "%s: %.17g, expected %.17g",
                      want[i].name, got[0], want[i].v);
        free(got);
    }
    migdev_model_free(m);
    free(text);
    text = mdl("user: A, B, C\n\t~\t\n\t~\t\t|\n\n"
               "request[user]=\n\t3, 6, 2.5\n\t~\t\n\t~\t\t|\n\n"
               "alloc[user]=\n\tALLOCATE BY PRIORITY(request[user], request[user], 2, 3, 5)"
               "\n\t~\t\n\t~\t\t|\n\n",
               1, 1);
    char *e = load_error(text);
    ck_assert_msg(strstr(e, "t.mdl:12:53:") && strstr(e, "ALLOCATE BY PRIORITY: the size must be"),
                  "%s", e);
    free(e);
    free(text);
}
END_TEST

/* DELAY N whose constant delay time (1.25) is shorter than n time steps
** (3 x 0.5) runs with the largest order that fits, 2, as Vensim does: the
** same series as DELAY N(..., 2); a delay time that changes keeps n. */
START_TEST(delay_n_order_fits_the_time_step)
{
    char *text = mdl("in=\n\t6 - 7 * STEP(1, 1)\n\t~\t\n\t~\t\t|\n\n"
                     "delay=\n\t2.5 * TIME STEP\n\t~\t\n\t~\t\t|\n\n"
                     "three=\n\tDELAY N(in, delay, 6, 3)\n\t~\t\n\t~\t\t|\n\n"
                     "two=\n\tDELAY N(in, 1.25, 6, 2)\n\t~\t\n\t~\t\t|\n\n",
                     5, 0.5);
    migdev_model *m = load(text);
    size_t n3, n2;
    double *a = series(m, "three", &n3), *b = series(m, "two", &n2);
    ck_assert_uint_eq(n3, n2);
    /* by hand, order 2, stage time 0.625: at t = 1.5 the first stage has
       drained 0.8 of the step (-7) and the second nothing yet: 6; at t = 2
       the second has drained 0.8 of what the first passed on (0.8 x -7) */
    ck_assert_double_eq_tol(a[3], 6, 1e-12);
    ck_assert_double_eq_tol(a[4], 6 - 7 * 0.8 * 0.8, 1e-12); /* 1.52 */
    for (size_t i = 0; i < n3; i++)
        ck_assert_double_eq_tol(a[i], b[i], 1e-12);
    free(a);
    free(b);
    migdev_model_free(m);
    free(text);
}
END_TEST

/* TABBED ARRAY: numbers apart by blanks, rows by lines, as a list; GET TIME
** VALUE(0, k, 0) is TIME + k, (1, k, 0) INITIAL TIME + k (start 0). */
START_TEST(tabbed_array_and_get_time_value)
{
    char *text = mdl("r: r1, r2\n\t~\t\n\t~\t\t|\n\n"
                     "c: (c1-c3)\n\t~\t\n\t~\t\t|\n\n"
                     "t[r, c]=TABBED ARRAY(\n\t1\t2\t3\n\t4\t5.5\t-6)\n\t~\t\n\t~\t\t|\n\n"
                     "later=\n\tGET TIME VALUE(0, 2.5, 0)\n\t~\t\n\t~\t\t|\n\n"
                     "from start=\n\tGET TIME VALUE(1, -1, 0)\n\t~\t\n\t~\t\t|\n\n",
                     2, 1);
    migdev_model *m = load(text);
    const double t12[] = {2, 2, 2}, t22[] = {5.5, 5.5, 5.5}, t23[] = {-6, -6, -6},
                 later[] = {2.5, 3.5, 4.5}, start[] = {-1, -1, -1};
    expect_series(m, "t[r1,c2]", t12, 3);
    expect_series(m, "t[r2,c2]", t22, 3);
    expect_series(m, "t[r2,c3]", t23, 3);
    expect_series(m, "later", later, 3);
    expect_series(m, "from_start", start, 3);
    migdev_model_free(m);
    free(text);
}
END_TEST

/* LOOKUP EXTRAPOLATE / FORWARD / BACKWARD by hand on (0,0) (1,10) (2,30),
** from t = -0.5 by 0.5: extrapolated -5 below and 40, 50 above; forward the
** next point's value (10 at 0.5, 30 at 1.5); backward the previous one's. */
START_TEST(lookup_variants_by_hand)
{
    char *text = mdl("tbl((0,0),(1,10),(2,30))\n\t~\t\n\t~\t\t|\n\n"
                     "dim: a, b\n\t~\t\n\t~\t\t|\n\n"
                     "tt[dim]((0,0),(1,1))\n\t~\t\n\t~\t\t|\n\n"
                     "ex=\n\tLOOKUP EXTRAPOLATE(tbl, Time - 0.5)\n\t~\t\n\t~\t\t|\n\n"
                     "fw=\n\tLOOKUP FORWARD(tbl, Time - 0.5)\n\t~\t\n\t~\t\t|\n\n"
                     "bw=\n\tLOOKUP BACKWARD(tbl, Time - 0.5)\n\t~\t\n\t~\t\t|\n\n"
                     "se[dim]=\n\tLOOKUP EXTRAPOLATE(tt[dim], 3)\n\t~\t\n\t~\t\t|\n\n",
                     3.5, 0.5);
    migdev_model *m = load(text);
    const double ex[] = {-5, 0, 5, 10, 20, 30, 40, 50}, fw[] = {0, 0, 10, 10, 30, 30, 30, 30},
                 bw[] = {0, 0, 0, 10, 10, 30, 30, 30}, se[] = {3, 3, 3, 3, 3, 3, 3, 3};
    expect_series(m, "ex", ex, 8);
    expect_series(m, "fw", fw, 8);
    expect_series(m, "bw", bw, 8);
    expect_series(m, "se[b]", se, 8);
    migdev_model_free(m);
    free(text);
}
END_TEST

/* VECTOR ELM MAP, the examples of Vensim's documentation: (var1[s1],
** sub - 1) is var1[sub]; (var1[sub], -1) the element before (:NA: before
** the first); over two ranges the offset counts the last one fastest. */
START_TEST(vector_elm_map_by_hand)
{
    char *text = mdl("sub: s1, s2, s3\n\t~\t\n\t~\t\t|\n\n"
                     "tub: t1, t2\n\t~\t\n\t~\t\t|\n\n"
                     "var1[sub]=\n\t10, 20, 30\n\t~\t\n\t~\t\t|\n\n"
                     "var2[sub]=\n\tVECTOR ELM MAP(var1[s1], sub - 1)\n\t~\t\n\t~\t\t|\n\n"
                     "prev[sub]=\n\tVECTOR ELM MAP(var1[sub], -1)\n\t~\t\n\t~\t\t|\n\n"
                     "v[sub, tub]=\n\t1, 2; 3, 4; 5, 6;\n\t~\t\n\t~\t\t|\n\n"
                     "v2[sub, tub]=\n\tVECTOR ELM MAP(v[s1, t1], (sub - 1) * ELMCOUNT(tub) + "
                     "(tub - 1))\n\t~\t\n\t~\t\t|\n\n"
                     "third=\n\tVECTOR ELM MAP(v[s1, t2], 3)\n\t~\t\n\t~\t\t|\n\n",
                     1, 1);
    migdev_model *m = load(text);
    const struct { const char *name; double v; } want[] = {
        {"var2[s1]", 10}, {"var2[s3]", 30}, {"prev[s1]", NA}, {"prev[s3]", 20},
        {"v2[s2,t1]", 3}, {"v2[s3,t2]", 6}, {"third", 5}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        size_t n;
        double *got = series(m, want[i].name, &n);
        ck_assert_msg(got[0] == want[i].v, "%s: %g, expected %g", want[i].name, got[0],
                      want[i].v);
        free(got);
    }
    migdev_model_free(m);
    free(text);
}
END_TEST

/* The README's commands on models/examples/shop.mdl (data from the CSV
** beside it) run, and its orders are the file's: 100 at month 0, 130 at 3,
** 110 at month 1 by interpolation, 100 held back. */
START_TEST(readme_data_example)
{
    char *dir = tmp_dir_linking((const char *const[]){"models", NULL});
    char out[4200];
    snprintf(out, sizeof out, "%s/out", dir);
    ck_assert(mkdir(out, 0700) == 0);
    ck_assert_int_eq(run_readme_commands("### Vensim data from files", dir, NULL), 3);
    char *path = source_path("models/examples/shop.mdl");
    migdev_error err;
    migdev_error_clear(&err);
    migdev_model *m = migdev_model_load(path, &err);
    ck_assert_msg(m != NULL, "%s", err.message);
    size_t n;
    double *o = series(m, "Orders", &n), *h = series(m, "Orders_Recorded", &n);
    ck_assert_uint_eq(n, 13);
    ck_assert_double_eq(o[0], 100);
    ck_assert_double_eq(o[1], 110);
    ck_assert_double_eq(o[3], 130);
    ck_assert_double_eq(h[1], 100);
    ck_assert_double_eq(h[12], 120);
    free(o);
    free(h);
    migdev_model_free(m);
    free(path);
    free(dir);
}
END_TEST

/* Probes of single Vensim features (the kind of model the public test
** suite holds, one feature each), run for 4 steps of 1 and checked against
** values computed by hand from Vensim's documented semantics: the model's
** equations, a variable, a time, the value. */
static const struct {
    const char *eqs;
    const char *var;
    int t;
    double want;
} probes[] = {
    /* "-> (other: z, y, x)": element i of the range stands for the listed
       element i of other, both ways (Vensim's mapping to listed elements) */
    {"d2: x, y, z ~~|\nd3: p, q, r -> (d2: z, y, x) ~~|\nv[d2] = 1, 2, 3 ~~|\n"
     "u[d3] = v[d2] ~~|\nback[d2] = 10 * u[d3] ~~|\n",
     "u[p]", 0, 3}, /* v[z] */
    {"d2: x, y, z ~~|\nd3: p, q, r -> (d2: z, y, x) ~~|\nv[d2] = 1, 2, 3 ~~|\n"
     "u[d3] = v[d2] ~~|\nback[d2] = 10 * u[d3] ~~|\n",
     "back[x]", 0, 10}, /* 10 * u[r] = 10 * v[x] */
    {"del: del con1, del con2 ~~|\nsub : s1,s2 -> (del:del con2,del con1), e ~~|\n"
     "e: e1, e2 ~~|\nv[del] = 1, 2 ~~|\nw[e] = 10, 20 ~~|\nu[sub] = v[del] + w[e] ~~|\n",
     "u[s1]", 0, 12}, /* v[del con2] + w[e1] */
    /* a listed item that is a subrange stands for each of its elements */
    {"DimB: B1, B2, B3 ~~|\nSubB: B1, B2 ~~|\nDimC: C1, C2 -> (DimB: SubB, B3) ~~|\n"
     "x[DimC] = 10, 20 ~~|\ny[DimB] = x[DimC] ~~|\n", "y[B2]", 0, 10},
    {"DimB: B1, B2, B3 ~~|\nSubB: B1, B2 ~~|\nDimC: C1, C2 -> (DimB: SubB, B3) ~~|\n"
     "x[DimC] = 10, 20 ~~|\ny[DimB] = x[DimC] ~~|\n", "y[B3]", 0, 20},
    /* a name Vensim's editor wrapped over two lines, with and without '\\' */
    {"Long \\\n\t\tName = 2 ~~|\nvery long\n   name = 3 ~~|\n"
     "probe = long name * VERY LONG NAME ~~|\n",
     "probe", 0, 6},
    /* names are case-insensitive beyond ASCII too */
    {"Caf\xc3\xa9 = 2 ~~|\n\xce\x94 Rate = 3 ~~|\n"
     "probe = CAF\xc3\x89 * \xce\xb4 rate ~~|\n",
     "probe", 0, 6},
    /* a macro called in a subscripted equation: one instance per element */
    {":MACRO: DBL(in)\nDBL = 2 * in ~~|\n:END OF MACRO:\nd: a, b ~~|\nx[d] = 1, 2 ~~|\n"
     "y[d] = DBL(x[d]) ~~|\n",
     "y[b]", 0, 4},
    /* NPV, Vensim's defining equations: df = INTEG(-df*r/(1+r*dt), 1),
       accum = INTEG(s*df, init), NPV = (accum + s*dt*df)*factor; s = 10,
       r = 0.1, dt = 1: df(1) = 1/1.1, accum(1) = 10, NPV(1) = 10 + 10/1.1 */
    {"x = 10 ~~|\nprobe = NPV(x, 0.1, 0, 1) ~~|\n", "probe", 1, 10 + 10 / 1.1},
    /* t=2: df = 1/1.1^2, accum = 10 + 10/1.1 */
    {"x = 10 ~~|\nprobe = NPV(x, 0.1, 0, 1) ~~|\n", "probe", 2, 10 + 10 / 1.1 + 10 / 1.21},
    /* per element, with an initial value and a factor: s = 2, r = 0.5,
       init 1, factor 2; t=1: df = 1 - 0.5/1.5 = 2/3, accum = 1 + 2 = 3,
       NPV = (3 + 2 * 2/3) * 2 */
    {"d: a, b ~~|\ns[d] = 1, 2 ~~|\nns[d] = NPV(s[d], 0.5, 1, 2) ~~|\n", "ns[b]", 1,
     (3 + 4.0 / 3) * 2},
    /* the random functions run (their values are the generator's): the
       draws stay in [min, max] */
    {"r = RANDOM 0 1() ~~|\ne = RANDOM EXPONENTIAL(1, 2, 0.5, 3, 7) ~~|\n"
     "p = RANDOM POISSON(0, 4, 2, 1, 1, 7) ~~|\n"
     "probe = IF THEN ELSE(r >= 0 :AND: r < 1 :AND: e >= 1 :AND: e <= 2 :AND: p >= 1 :AND: "
     "p <= 4 :AND: p = INTEGER(p), 1, 0) ~~|\n",
     "probe", 3, 1},
    /* ALLOCATE AVAILABLE, rectangular profiles (type 1) of width 3 about
       priorities 10, 9, 7: requester i gets r_i * clamp((p_i + 1.5 - L)/3,
       0, 1); the sum 5 is reached at L = 55/6 (32.5 - 3L = 5): 7/3, 8/3, 0 */
    {"branch: b1, b2, b3 ~~|\npprofile: ptype, ppriority, pwidth, pextra ~~|\n"
     "req[branch] = 3, 6, 2.5 ~~|\n"
     "pp[branch, pprofile] = 1, 10, 3, 0; 1, 9, 3, 0; 1, 7, 3, 0; ~~|\n"
     "sh[branch] = ALLOCATE AVAILABLE(req[branch], pp[branch, pprofile], 5) ~~|\n", "sh[b1]", 0, 7.0 / 3},
    {"branch: b1, b2, b3 ~~|\npprofile: ptype, ppriority, pwidth, pextra ~~|\n"
     "req[branch] = 3, 6, 2.5 ~~|\n"
     "pp[branch, pprofile] = 1, 10, 3, 0; 1, 9, 3, 0; 1, 7, 3, 0; ~~|\n"
     "sh[branch] = ALLOCATE AVAILABLE(req[branch], pp[branch, pprofile], 5) ~~|\n", "sh[b2]", 0, 8.0 / 3},
    {"branch: b1, b2, b3 ~~|\npprofile: ptype, ppriority, pwidth, pextra ~~|\n"
     "req[branch] = 3, 6, 2.5 ~~|\n"
     "pp[branch, pprofile] = 1, 10, 3, 0; 1, 9, 3, 0; 1, 7, 3, 0; ~~|\n"
     "sh[branch] = ALLOCATE AVAILABLE(req[branch], pp[branch, pprofile], 5) ~~|\n", "sh[b3]", 0, 0},
    /* normal profiles (type 3, sd 1) about 6 and 4, 10 of 20 requested: by
       symmetry L = 5, shares 10 * Phi(1) and 10 * Phi(-1) */
    {"two: t1, t2 ~~|\npprofile: ptype, ppriority, pwidth, pextra ~~|\nr[two] = 10, 10 ~~|\npn[two, pprofile] = 3, 6, 1, 0; 3, 4, 1, 0; ~~|\n"
     "x[two] = ALLOCATE AVAILABLE(r[two], pn[two, pprofile], 10) ~~|\n", "x[t1]", 0,
     10 * 0.8413447460685429},
    /* exponential profiles (type 4): at L = 5, 1 - e^-1 / 2 and e^-1 / 2 */
    {"two: t1, t2 ~~|\npprofile: ptype, ppriority, pwidth, pextra ~~|\nr[two] = 10, 10 ~~|\npn[two, pprofile] = 4, 6, 1, 0; 4, 4, 1, 0; ~~|\n"
     "x[two] = ALLOCATE AVAILABLE(r[two], pn[two, pprofile], 10) ~~|\n", "x[t2]", 0,
     10 * 0.18393972058572117},
    /* triangular profiles (type 2) with equal priorities share equally;
       the supply may change with time; more than requested: the requests */
    {"two: t1, t2 ~~|\npprofile: ptype, ppriority, pwidth, pextra ~~|\nr[two] = 10, 10 ~~|\npn[two, pprofile] = 2, 10, 2, 0; 2, 10, 2, 0; ~~|\n"
     "x[two] = ALLOCATE AVAILABLE(r[two], pn[two, pprofile], 4 + Time) ~~|\n", "x[t1]", 1, 2.5},
    {"two: t1, t2 ~~|\npprofile: ptype, ppriority, pwidth, pextra ~~|\nr[two] = 10, 10 ~~|\npn[two, pprofile] = 2, 10, 2, 0; 2, 10, 2, 0; ~~|\n"
     "x[two] = ALLOCATE AVAILABLE(r[two], pn[two, pprofile], 30) ~~|\n", "x[t1]", 1, 10},
    /* triangular, unequal priorities 10 and 9, width 2, 10 each, 10 in all:
       L = 9.5 by symmetry; requester 1 (x < p): 1 - 2 (9.5 - 9)^2 / 4 */
    {"two: t1, t2 ~~|\npprofile: ptype, ppriority, pwidth, pextra ~~|\nr[two] = 10, 10 ~~|\npn[two, pprofile] = 2, 10, 2, 0; 2, 9, 2, 0; ~~|\n"
     "x[two] = ALLOCATE AVAILABLE(r[two], pn[two, pprofile], 10) ~~|\n", "x[t1]", 0,
     10 * (1 - 2 * 0.25 / 4)},
    /* Vensim's documentation writes the profiles as pp[branch, ptype] (the
       profile's first element); normal profiles about 1, 2, 3 (sd 1),
       requests 500, 300, 750, 200 available: the level L solves
       500 Phi(1 - L) + 300 Phi(2 - L) + 750 Phi(3 - L) = 200 (L = 3.68727,
       bisection with Python's math.erfc) */
    {"branch: Boston, Dayton, Fresno ~~|\npprofile: ptype, ppriority, pwidth, pextra ~~|\n"
     "demand[branch] = 500, 300, 750 ~~|\npriority[branch] = 1, 2, 3 ~~|\n"
     "pv[branch, ptype] = 3 ~~|\npv[branch, ppriority] = priority[branch] ~~|\n"
     "pv[branch, pwidth] = 1 ~~|\npv[branch, pextra] = 0 ~~|\n"
     "sh[branch] = ALLOCATE AVAILABLE(demand[branch], pv[branch, ptype], 200) ~~|\n",
     "sh[Boston]", 0, 1.8009492581823885},
    /* LOOKUP INVERT, the examples of Vensim's documentation for
       LOOK((0,0),(1,1),(3,2)): y = 0.5 at 0.5, 1.5 at 2.0, -1 is :NA:; a
       falling table: dec(x) = 10 - x gives y = Time at 10 - Time */
    {"LOOK((0,0),(1,1),(3,2)) ~~|\ndec((0,10),(10,0)) ~~|\nprobe = LOOKUP INVERT(LOOK, 0.5) ~~|\n", "probe", 0, 0.5},
    {"LOOK((0,0),(1,1),(3,2)) ~~|\ndec((0,10),(10,0)) ~~|\nprobe = LOOKUP INVERT(LOOK, 1.5) ~~|\n", "probe", 0, 2},
    {"LOOK((0,0),(1,1),(3,2)) ~~|\ndec((0,10),(10,0)) ~~|\nprobe = LOOKUP INVERT(LOOK, -1) ~~|\n", "probe", 0, NA},
    {"LOOK((0,0),(1,1),(3,2)) ~~|\ndec((0,10),(10,0)) ~~|\nprobe = LOOKUP INVERT(dec, Time) ~~|\n", "probe", 3, 7},
    /* quoted element names with odd characters, referenced quoted or not */
    {"dim: \"elem-1\", elem 2, \"e.3\" ~~|\nx[dim] = 1, 2, 3 ~~|\n"
     "probe = x[\"elem-1\"] + 10 * x[ELEM 2] + 100 * x[\"e.3\"] ~~|\n", "probe", 0, 321},
    /* STEP and PULSE as Vensim's documentation defines them, with "time
       plus" = Time + TIME STEP/2 (TIME STEP 1 here): STEP(h, t) is
       IF THEN ELSE(time plus > t, h, 0), so a step at 1.4 shows at 1, one
       at 1.6 at 2; PULSE(start, w) is 1 while start < time plus < start + w */
    {"probe = STEP(1, 1.4) ~~|\n", "probe", 1, 1},
    {"probe = STEP(1, 1.6) ~~|\n", "probe", 1, 0},
    {"probe = STEP(1, 1.6) ~~|\n", "probe", 2, 1},
    {"probe = PULSE(1.4, 1) ~~|\n", "probe", 1, 1},
    {"probe = PULSE(1.4, 1) ~~|\n", "probe", 2, 0},
    {"probe = PULSE(1, 0.4) ~~|\n", "probe", 1, 0}, /* shorter than half a step */
    {"probe = PULSE(2, 0) ~~|\n", "probe", 2, 1},   /* width 0: one TIME STEP */
    {"probe = PULSE(2, 0) ~~|\n", "probe", 3, 0},
    /* macro output parameters: ":MACRO: NAME(in : out)", called
       "v = NAME(a : y)", define y as the instance's out; a level inside */
    {":MACRO: MINMAX(a, b : mx, sm)\nMINMAX = MIN(a, b) ~~|\nmx = MAX(a, b) ~~|\n"
     "sm = INTEG(a, 0) ~~|\n:END OF MACRO:\nx = 3 ~~|\nlo = MINMAX(x, Time : hi, total) ~~|\n", "hi", 1, 3},  /* MAX(3, 1) */
    {":MACRO: MINMAX(a, b : mx, sm)\nMINMAX = MIN(a, b) ~~|\nmx = MAX(a, b) ~~|\n"
     "sm = INTEG(a, 0) ~~|\n:END OF MACRO:\nx = 3 ~~|\nlo = MINMAX(x, Time : hi, total) ~~|\n", "total", 2, 6}, /* 3 + 3 */
    {":MACRO: MINMAX(a, b : mx, sm)\nMINMAX = MIN(a, b) ~~|\nmx = MAX(a, b) ~~|\n"
     "sm = INTEG(a, 0) ~~|\n:END OF MACRO:\nx = 3 ~~|\nlo = MINMAX(x, Time : hi, total) ~~|\n", "lo", 2, 2},    /* MIN(3, 2) */
    {":MACRO: MINMAX(a, b : mx, sm)\nMINMAX = MIN(a, b) ~~|\nmx = MAX(a, b) ~~|\n"
     "sm = INTEG(a, 0) ~~|\n:END OF MACRO:\nx = 3 ~~|\nd: e1, e2 ~~|\nv[d] = 1, 5 ~~|\n"
     "lo[d] = MINMAX(v[d], 2 : hi[d], tot[d]) ~~|\n", "tot[e2]", 2, 10},
};

START_TEST(probes_by_hand)
{
    char *text = mdl(probes[_i].eqs, 4, 1);
    migdev_model *m = load(text);
    size_t n;
    double *s = series(m, probes[_i].var, &n);
    ck_assert((size_t)probes[_i].t < n);
    ck_assert_msg(fabs(s[probes[_i].t] - probes[_i].want) <= 1e-9 * fmax(1, fabs(probes[_i].want)),
                  "probe %d: %s at t=%d is %.17g, want %.17g", _i, probes[_i].var, probes[_i].t,
                  s[probes[_i].t], probes[_i].want);
    free(s);
    migdev_model_free(m);
    free(text);
}
END_TEST

static const struct {
    const char *eqs;
    const char *want;
} errors[] = {
    {":MACRO: DOUBLE(x)\nDOUBLE = 2 * x\n\t~\t\n\t~\t\t|\n\n:END OF MACRO:\n"
     "y=\n\tDOUBLE(1, 2)\n\t~\t\n\t~\t\t|\n\n",
     "t.mdl:9:2: error: macro 'DOUBLE' takes 1 argument, got 2"},
    {":MACRO: LOOP(x)\nLOOP = LOOP(x)\n\t~\t\n\t~\t\t|\n\n:END OF MACRO:\n"
     "y=\n\tLOOP(1)\n\t~\t\n\t~\t\t|\n\n",
     "t.mdl:3:1: error: macros nested more than 32 deep (a macro that calls itself?)"},
    {"d:\n\ta, b\n\t~\t\n\t~\t\t|\n\nx[d, d] :EXCEPT: [a] = 1\n\t~\t\n\t~\t\t|\n\n",
     "t.mdl:7:20: error: :EXCEPT: needs 2 subscripts in each [...], as 'x' has"},
    {"d:\n\ta, b -> e\n\t~\t\n\t~\t\t|\n\ne:\n\tx, y, z\n\t~\t\n\t~\t\t|\n\n"
     "v[e]=\n\t1, 2, 3\n\t~\t\n\t~\t\t|\n\nw[d]=\n\tv[e]\n\t~\t\n\t~\t\t|\n\n",
     "t.mdl:18:2: error: subscript 'e' matches no subscript of 'w' (nor a range mapped to one)"},
    {"d:\n\ta, b -> (e: y, x)\n\t~\t\n\t~\t\t|\n\n",
     "t.mdl:2:1: error: range 'd' is mapped to an unknown range"},
    {":MACRO: M(a : o)\nM = a ~~|\n:END OF MACRO:\nx = M(1 : 2) ~~|\n",
     "t.mdl:5:11: error: output 1 of macro 'M' must be a variable's name"},
    {":MACRO: M(a : o)\nM = a ~~|\n:END OF MACRO:\nx = M(1 : y) ~~|\n",
     "t.mdl:2:9: error: macro 'M' has no equation for its output 'o'"},
    {"t((0,0),(1,1),(2,0)) ~~|\nx = LOOKUP INVERT(t, 0.5) ~~|\n",
     "t.mdl:3:5: error: LOOKUP INVERT of 't', whose values do not strictly rise or fall, is not "
     "supported"},
    {"x :RAW:\n\t~\t\n\t~\t\t|\n\n",
     "t.mdl:2:1: error: 'x' has no equation: a data variable whose values come from a data file "
     "named at run time (Vensim's .vdf) is not supported; read them with GET DIRECT DATA"},
    {"x=\n\t1 + ACTIVE INITIAL(Time, 1)\n\t~\t\n\t~\t\t|\n\n",
     "t.mdl:3:6: error: the Vensim function ACTIVE INITIAL (inside an expression) is not "
     "supported"},
    {"x=\n\t2 * GET XLS DATA('a.xlsx', 'b', 'c', 'd')\n\t~\t\n\t~\t\t|\n\n",
     "t.mdl:3:6: error: GET XLS DATA is supported as a whole equation only (x = GET XLS "
     "DATA(...))"},
    {"x=\n\tGET DIRECT DATA('a.xlsx', 'b', 'c', 'd') + 1\n\t~\t\n\t~\t\t|\n\n",
     "t.mdl:3:43: error: GET DIRECT DATA is supported as a whole equation only, found '+' after "
     "it"},
    {"x=\n\tGET XLS DATA('/etc/passwd', ',', 'A', 'B2')\n\t~\t\n\t~\t\t|\n\n",
     "t.mdl:3:2: error: GET XLS DATA: '/etc/passwd' is an absolute path; a data file is named "
     "relative to the model's folder, and stays inside it"},
    {"d: (A1-A3)\n\t~\t\n\t~\t\t|\n\nv[d]=\n\t1, 2, 3\n\t~\t\n\t~\t\t|\n\n"
     "x=\n\tVECTOR SELECT(v[d!], v[d!], 0, 0, 1)\n\t~\t\n\t~\t\t|\n\n",
     "t.mdl:12:36: error: VECTOR SELECT: only the error action 0 (no error) is supported"},
    {"d: (A1-A5)\n\t~\t\n\t~\t\t|\n\ne: (B1-B5)\n\t~\t\n\t~\t\t|\n\n"
     "x[d, e]=\n\t1\n\t~\t\n\t~\t\t|\n\ny[d, e]=\n\tINVERT MATRIX(x[d, e], 5)\n\t~\t\n\t~\t\t|\n\n",
     "t.mdl:16:2: error: INVERT MATRIX of a 5x5 matrix is not supported (at most 4x4)"},
    {"x=\n\tGET TIME VALUE(0, 1, 3)\n\t~\t\n\t~\t\t|\n\n",
     "t.mdl:3:2: error: GET TIME VALUE is supported relative to the simulation's time (0) or its "
     "start (1), measured in its time units (0): GET TIME VALUE(0, offset, 0); calendar and "
     "clock times are not"},
    {"d: (A1-A3)\n\t~\t\n\t~\t\t|\n\nx[d]=TABBED ARRAY(\n\t1 2 x)\n\t~\t\n\t~\t\t|\n\n",
     "t.mdl:6:6: error: TABBED ARRAY: expected a number or ')', found 'x'"},
    {"d: GET DIRECT SUBSCRIPT('a.csv', ',', 'B\n\t~\t\n\t~\t\t|\n\n", /* leaked once (fuzz) */
     "t.mdl:2:3: error: GET DIRECT SUBSCRIPT: a quoted argument is never closed"},
    {"x=\n\tLOOKUP FORWARD(nothing, 1)\n\t~\t\n\t~\t\t|\n\n",
     "t.mdl:3:17: error: LOOKUP FORWARD: 'nothing' is not a lookup"},
    {"x=\n\tGET VDF DATA('a.vdf', 'x')\n\t~\t\n\t~\t\t|\n\n",
     "t.mdl:3:2: error: the Vensim function GET VDF DATA is not supported"},
    {"x=\n\tGET DIRECT CONSTANTS('c.csv', ',')\n\t~\t\n\t~\t\t|\n\n",
     "t.mdl:3:2: error: GET DIRECT CONSTANTS takes 3 arguments, got 2"},
    {"x=\n\tGET DIRECT CONSTANTS('?data', ',', 'A1')\n\t~\t\n\t~\t\t|\n\n",
     "t.mdl:3:2: error: GET DIRECT CONSTANTS: '?data' is not a file name (indirect references "
     "'?name' are not supported)"},
    {"x=\n\tFOO BAR(1)\n\t~\t\n\t~\t\t|\n\n",
     "t.mdl:3:2: error: unknown or unsupported Vensim function 'FOO BAR'"},
    {"x=\n\t1 + INTEG(1, 2)\n\t~\t\n\t~\t\t|\n\n",
     "t.mdl:3:6: error: INTEG must be the whole equation of a level (name = INTEG(rate, "
     "initial))"},
    {"x=\n\tPULSE(1)\n\t~\t\n\t~\t\t|\n\n", "t.mdl:3:2: error: PULSE takes 2 arguments, got 1"},
    {"x=\n\t(1 + 2\n\t~\t\n\t~\t\t|\n\n",
     "t.mdl:4:2: error: expected ')', found the end of the equation"}, /* at the '~' */
    {"x=\n\ty * 2\n\t~\t\n\t~\t\t|\n\n", "t.mdl:3:2: error: unknown variable 'y' (did you mean 'x'?)"},
    {"x=\n\t1\n\t~\t\n\t~\t\t|\n\nX=\n\t2\n\t~\t\n\t~\t\t|\n\n",
     "t.mdl:7:1: error: 'X' is defined twice (first at line 2)"},
    {"d:\n\ta, b\n\t~\t\n\t~\t\t|\n\nx[d]=\n\t1, 2, 3\n\t~\t\n\t~\t\t|\n\n",
     "t.mdl:8:2: error: 'x' lists 3 values for 2 elements"},
    {"x=\n\ty[c]\n\t~\t\n\t~\t\t|\n\n", "t.mdl:3:2: error: unknown subscript 'c' in the equation of 'x'"},
};

START_TEST(errors_point_into_the_file)
{
    char *text = mdl(errors[_i].eqs, 10, 1);
    char *e = load_error(text);
    ck_assert_str_eq(e, errors[_i].want);
    free(e);
    free(text);
}
END_TEST

START_TEST(missing_control_variable)
{
    char *e = load_error("{UTF-8}\nx=\n\t1\n\t~\t\n\t~\t\t|\n\n");
    ck_assert_str_eq(e, "t.mdl:1:1: error: the model has no INITIAL TIME (the simulation's times "
                        "are its control variables INITIAL TIME, FINAL TIME, TIME STEP)");
    free(e);
}
END_TEST

/* The exported file carries a diagram laid out by Graphviz: a view entry
** per variable, the flow's pipe from its stock to a cloud, connectors. */
START_TEST(export_has_a_diagram)
{
    if (!have_program("dot"))
        return; /* the diagram needs Graphviz's dot; covered where it is installed */
    char *text = mdl(teacup, 1, 0.5);
    const char *src = tmp_file(0, "teacup.mdl", text);
    const char *const exp[] = {"export", "--xmile", src, NULL};
    cmd_result r = run_migdev(NULL, exp);
    ck_assert_msg(r.status == 0, "%s", r.err);
    const char *views = strstr(r.out, "<views>");
    ck_assert_ptr_nonnull(views);
    ck_assert_ptr_nonnull(strstr(views, "<stock name=\"Teacup_Temperature\" x=\""));
    ck_assert_ptr_nonnull(strstr(views, "<flow name=\"Heat_Loss_to_Room\" x=\""));
    ck_assert_ptr_nonnull(strstr(views, "<pts>"));
    ck_assert_ptr_nonnull(strstr(views, "<from>Room_Temperature</from>"));
    ck_assert_ptr_nonnull(strstr(views, "<to>Heat_Loss_to_Room</to>"));
    cmd_result_free(&r);
    const char *const bare[] = {"export", "--xmile", "--no-diagram", src, NULL};
    r = run_migdev(NULL, bare);
    ck_assert_msg(r.status == 0, "%s", r.err);
    ck_assert_ptr_null(strstr(r.out, "<views>"));
    cmd_result_free(&r);
    free(text);
}
END_TEST

START_TEST(cli_runs_mdl)
{
    char *text = mdl(teacup, 1, 0.5);
    const char *path = tmp_file(0, "teacup.mdl", text);
    const char *const run[] = {"run", path, "--format", "tsv", NULL};
    cmd_result r = run_migdev(NULL, run);
    ck_assert_msg(r.status == 0, "%s", r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "Teacup_Temperature"));
    ck_assert_ptr_nonnull(strstr(r.out, "\n0.5\t"));
    cmd_result_free(&r);
    free(text);
}
END_TEST

/* Mutated files never crash the reader: each either loads or fails with a
** position in the file (run under the sanitizers by scripts/test.sh). A
** fixed-seed generator makes every run the same. */
START_TEST(mutations_are_refused_cleanly)
{
    const char *eqs =
        "d:\n\ta, b, c\n\t~\t\n\t~\t\t|\n\n"
        ":MACRO: M(x)\nM = INTEG(x, 1)\n\t~\t\n\t~\t\t|\n\n:END OF MACRO:\n"
        "r[d]=\n\t1, 2, 3\n\t~\tu [0,?]\n\t~\tdoc \\\n\t\tcontinued\n\t|\n\n"
        "s[d]= INTEG (\n\tr[d] - s[d] / 4,\n\t\t10)\n\t~\t\n\t~\t\t|\n\n"
        "tbl(\n\t[(0,0)-(2,2)],(0,0),(1,2),(2,1))\n\t~\t\n\t~\t\t|\n\n"
        "\"q name\"=\n\tSUM(s[d!]) + tbl(Time) + M(1) + IF THEN ELSE(Time > 1 :AND: Time < 3, "
        "1, 0)\n\t~\t\n\t~\t\t|\n\n";
    char *base = mdl(eqs, 4, 1);
    migdev_model *ok = load(base); /* the unmutated file loads */
    migdev_model_free(ok);
    const size_t len = strlen(base);
    static const char alphabet[] = "[](),:;!|~\"\\=+-*/^ \n\tabZ019.{}'";
    unsigned long state = 12345;
    char *t = malloc(len + 8);
    int loaded = 0, refused = 0;
    for (int iter = 0; iter < 1500; iter++) {
        memcpy(t, base, len + 1);
        const int edits = 1 + iter % 3;
        for (int e = 0; e < edits; e++) {
            state = state * 6364136223846793005UL + 1442695040888963407UL;
            const size_t at = (size_t)(state >> 33) % len;
            const char ch = alphabet[(state >> 20) % (sizeof alphabet - 1)];
            if ((state >> 12) % 5 == 0)
                t[at] = '\0'; /* a truncated file */
            else
                t[at] = ch;
        }
        migdev_error err;
        migdev_error_clear(&err);
        migdev_model *m = migdev_model_load_string(t, "t.mdl", &err);
        if (m) {
            loaded++;
            migdev_model_free(m);
        } else {
            refused++;
            ck_assert_msg(err.code != 0 && err.message[0], "a refusal without a message");
            ck_assert_msg(err.line > 0, "no position for: %s", err.message);
        }
    }
    ck_assert_int_gt(loaded, 0);
    ck_assert_int_gt(refused, 0);
    free(t);
    free(base);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("vensim");
    TCase *core = tcase_create("core");
    tcase_add_test(core, teacup_matches_euler_recurrence);
    tcase_add_loop_test(core, builtins_follow_vensim, 0, (int)(sizeof builtins / sizeof builtins[0]));
    tcase_add_test(core, lookups_inline_and_with_lookup);
    tcase_add_test(core, arrays_are_flattened);
    tcase_add_test(core, macros_are_expanded_per_call);
    tcase_add_test(core, active_initial_serves_initialization);
    tcase_add_loop_test(core, export_round_trip_is_exact, 0,
                        (int)(sizeof round_trip_models / sizeof round_trip_models[0]));
    tcase_add_test(core, cli_runs_mdl);
    tcase_add_test(core, export_has_a_diagram);
    tcase_add_test(core, get_direct_data_modes);
    tcase_add_test(core, vector_select_by_hand);
    tcase_add_test(core, invert_matrix_by_hand);
    tcase_add_test(core, vector_functions_by_hand);
    tcase_add_test(core, allocate_by_priority_by_hand);
    tcase_add_test(core, delay_n_order_fits_the_time_step);
    tcase_add_test(core, tabbed_array_and_get_time_value);
    tcase_add_test(core, lookup_variants_by_hand);
    tcase_add_test(core, vector_elm_map_by_hand);
    tcase_add_test(core, readme_data_example);
    tcase_add_test(core, get_direct_constants_lookups_subscripts);
    tcase_add_test(core, get_xls_reads_xlsx);
    tcase_add_test(core, get_files_stay_in_the_folder);
    tcase_add_loop_test(core, probes_by_hand, 0, (int)(sizeof probes / sizeof probes[0]));
    suite_add_tcase(s, core);
    TCase *errs = tcase_create("errors");
    tcase_add_loop_test(errs, errors_point_into_the_file, 0, (int)(sizeof errors / sizeof errors[0]));
    tcase_add_test(errs, missing_control_variable);
    TCase *fuzz = tcase_create("mutations");
    tcase_set_timeout(fuzz, 300); /* slow under the sanitizers on a busy machine */
    tcase_add_test(fuzz, mutations_are_refused_cleanly);
    suite_add_tcase(s, fuzz);
    suite_add_tcase(s, errs);
    return run_suite(s);
}
