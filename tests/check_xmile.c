/*
** check_xmile.c - the XMILE reader: names, expressions, builtins, graphical
** functions, sim specs, modules, behaviors, and its errors.
**
** Expected values come from the XMILE standard's definitions computed by
** hand or by the recurrences written out here (Euler steps of the defining
** stocks), never from migdev's own output.
*/
#include "testutil.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char head[] =
    "<xmile version=\"1.0\" xmlns=\"http://docs.oasis-open.org/xmile/ns/XMILE/v1.0\">\n"
    "<header><vendor>t</vendor><product version=\"1\">t</product></header>\n";

/* A whole XMILE document: sim specs (start, stop, dt) then the variables,
** which start on line 5. */
static char *doc(double start, double stop, double dt, const char *vars)
{
    char *s = malloc(strlen(vars) + 1024);
    sprintf(s,
            "%s<sim_specs><start>%.17g</start><stop>%.17g</stop><dt>%.17g</dt></sim_specs>\n"
            "<model><variables>\n%s\n</variables></model></xmile>\n",
            head, start, stop, dt, vars);
    return s;
}

static migdev_model *load(const char *text)
{
    migdev_error err;
    migdev_error_clear(&err);
    migdev_model *m = migdev_model_load_string(text, "t.xmile", &err);
    if (!m) {
        char buf[1200];
        ck_abort_msg("XMILE does not load: %s", migdev_error_format(&err, buf, sizeof buf));
    }
    return m;
}

static char *load_error(const char *text)
{
    migdev_error err;
    migdev_error_clear(&err);
    migdev_model *m = migdev_model_load_string(text, "t.xmile", &err);
    ck_assert_msg(m == NULL, "the XMILE loaded but was expected to fail:\n%s", text);
    char buf[1200];
    return strdup(migdev_error_format(&err, buf, sizeof buf));
}

/* Run m with its own spec; the series of name (copied, n values). */
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

/* The value of an aux with equation eqn at time t (start 0, dt 1). */
static double value_at(const char *eqn, int t)
{
    char vars[2048];
    snprintf(vars, sizeof vars, "<aux name=\"probe\"><eqn>%s</eqn></aux>", eqn);
    char *d = doc(0, 10, 1, vars);
    migdev_model *m = load(d);
    size_t n;
    double *s = series(m, "probe", &n);
    ck_assert((size_t)t < n);
    const double x = s[t];
    free(s);
    migdev_model_free(m);
    free(d);
    return x;
}

/* ------------------------------------------------------------------- core */

START_TEST(teacup_matches_euler_recurrence)
{
    char *d = doc(0, 30, 0.125,
                  "<flow name=\"Heat Loss to Room\"><eqn>(\"Teacup Temperature\" - "
                  "room_temperature)/characteristic_time</eqn></flow>\n"
                  "<aux name=\"Room Temperature\"><eqn>70</eqn></aux>\n"
                  "<stock name=\"Teacup Temperature\"><outflow>\"Heat Loss to Room\"</outflow>"
                  "<eqn>180</eqn></stock>\n"
                  "<aux name=\"Characteristic Time\"><eqn>10</eqn></aux>");
    migdev_model *m = load(d);
    size_t n;
    double *T = series(m, "Teacup_Temperature", &n);
    ck_assert_int_eq((int)n, 241);
    double t = 180.0;
    for (size_t k = 0; k < n; k++) {
        ck_assert_double_eq_tol(T[k], t, 1e-12 * t);
        t -= 0.125 * (t - 70.0) / 10.0;
    }
    free(T);
    migdev_model_free(m);
    free(d);
}
END_TEST

START_TEST(names_are_equivalent_as_the_standard_says)
{
    /* case, spaces, underscores (runs of them), newlines, quotes and \n are
       all the same name (XMILE 3.2.2.2) */
    char *d = doc(0, 2, 1,
                  "<aux name=\"Cash  Balance\"><eqn>2</eqn></aux>\n"
                  "<aux name=\"a\"><eqn>cash_balance + CASH__BALANCE + \"cash balance\" + "
                  "\"Cash\\nBalance\" + \"CASH\n  balance\"</eqn></aux>\n"
                  "<aux name=\"size_of_one\\ntime\"><eqn>3</eqn></aux>\n"
                  "<aux name=\"b\"><eqn>Size_Of_One_Time</eqn></aux>\n"
                  "<aux name=\"with &quot;quote&quot;, comma\"><eqn>4</eqn></aux>\n"
                  "<aux name=\"c\"><eqn>\"with \\\"quote\\\", comma\" * 2</eqn></aux>");
    migdev_model *m = load(d);
    size_t n;
    double *a = series(m, "a", &n);
    ck_assert_double_eq(a[0], 10.0);
    free(a);
    double *b = series(m, "b", &n);
    ck_assert_double_eq(b[0], 3.0);
    free(b);
    double *c = series(m, "c", &n);
    ck_assert_double_eq(c[0], 8.0);
    free(c);
    /* engine names: whitespace runs become one '_', case kept; any XMILE
       spelling finds them */
    ck_assert_int_ge(migdev_model_find(m, "Cash_Balance"), 0);
    ck_assert_int_eq(migdev_model_find(m, "cash balance"), migdev_model_find(m, "Cash_Balance"));
    ck_assert_int_eq(migdev_model_find(m, " CASH__balance "), migdev_model_find(m, "Cash_Balance"));
    ck_assert_int_eq(migdev_model_find(m, "Cash_Balance_"), MIGDEV_E_NAME);
    ck_assert_int_eq(migdev_model_find(m, "CashBalance"), MIGDEV_E_NAME);
    ck_assert_int_ge(migdev_model_find(m, "size_of_one_time"), 0);
    ck_assert_int_ge(migdev_model_find(m, "with_\"quote\",_comma"), 0);
    migdev_model_free(m);
    free(d);
}
END_TEST

typedef struct expr_case {
    const char *eqn;
    double want;
} expr_case;

/* XMILE 3.3.1: ^ binds tighter than unary minus and is right-associative;
** MOD is floored; = and <> bind looser than < <= > >=; NOT is unary. */
static const expr_case exprs[] = {
    {"-2^2", -4.0},
    {"2^3^2", 512.0},
    {"2^-1", 0.5},
    {"-2^-2", -0.25},
    {"(-2)^2", 4.0},
    {"30^ - 30^-1.2", 0.0}, /* 30^(-(30^-1.2)) checked below */
    {"7 MOD 3", 1.0},
    {"-7 MOD 3", 2.0},
    {"7 mod -3", -2.0},
    {"2 * 7 MOD 3", 2.0},
    {"1 + 7 MOD 3", 2.0},
    {"MOD(-7, 3)", 2.0},
    {"IF 1 &lt; 2 THEN 10 ELSE 20", 10.0},
    {"IF 0 THEN 1 ELSE IF 1 THEN 2 ELSE 3", 2.0},
    {"1 + (IF 0 THEN 1 ELSE 2) * 3", 7.0},
    {"( IF 3 = 4 THEN 1 ELSE 0 )", 0.0},
    {"NOT 0 + 1", 2.0},
    /* NOT after its operand (xmutil's :NOT:) negates the comparison before
       it: NOT (2 = 2), 1 AND (NOT 0), NOT (2 > 3) */
    {"2 = 2 not", 0.0},
    {"1 AND 0 NOT", 1.0},
    {"IF 2 > 3 NOT THEN 7 ELSE 8", 7.0},
    {"1 &lt; 2 = 1", 1.0},
    {"2 = 2 &lt; 3", 0.0},
    {"1 AND 0 OR 1", 1.0},
    {"0 OR 1 AND 0", 0.0},
    {"1 aNd 1", 1.0},
    {"nOt 1", 0.0},
    {"3 &lt;&gt; 3", 0.0},
    {"3 = 3", 1.0},
    {"4 &gt;= 4", 1.0},
    {".5", 0.5},
    {"1e-3", 0.001},
    {"14.", 14.0},
    {"6E5", 6e5},
    {"+8.123e-10", 8.123e-10},
    {"1 + {a comment} 2", 3.0},
    {"1 + \\\n 2", 3.0},
    {"1\n+\n2", 3.0},
    {"<![CDATA[2 < 3]]>", 1.0},
};

START_TEST(expressions_follow_the_standard)
{
    const expr_case *c = &exprs[_i];
    const double got = value_at(c->eqn, 0);
    double want = c->want;
    if (strstr(c->eqn, "30^"))
        want = pow(30.0, -pow(30.0, -1.2));
    ck_assert_msg(fabs(got - want) <= 1e-12 * (1 + fabs(want)), "%s: got %.17g, want %.17g",
                  c->eqn, got, want);
}
END_TEST

static const expr_case builtins[] = {
    {"ABS(-3)", 3.0},
    {"EXP(1)", 2.718281828459045},
    {"LN(EXP(2))", 2.0},
    {"LOG10(1000)", 3.0},
    {"SQRT(16)", 4.0},
    {"INT(-1.5)", -2.0},
    {"INT(2.7)", 2.0},
    {"MIN(3, 1)", 1.0},
    {"MAX(3, 1)", 3.0},
    {"SIN(PI/2)", 1.0},
    {"COS(0)", 1.0},
    {"TAN(0)", 0.0},
    {"ARCSIN(1)", 1.5707963267948966},
    {"ARCCOS(1)", 0.0},
    {"ARCTAN(1)", 0.7853981633974483},
    /* extensions (Stella, PySD): (e^x - e^-x)/2, (e^x + e^-x)/2, their ratio */
    {"SINH(1)", 1.1752011936438014},
    {"COSH(1)", 1.5430806348152437},
    {"TANH(0.5)", 0.46211715726000974},
    {"PI", 3.141592653589793},
    {"PI()", 3.141592653589793},
    {"std.ABS(-2)", 2.0},
    {"1/INF", 0.0},
    {"INF &gt; 1e308", 1.0},
    {"SAFEDIV(1, 0)", 0.0},
    {"SAFEDIV(1, 0, 5)", 5.0},
    {"SAFEDIV(6, 3)", 2.0},
    {"TIME + 100*DT + 1000*STARTTIME + 10000*STOPTIME", 100000 + 100 + 3}, /* t = 3 */
    {"TIME() + DT()", 4.0},
    {"STEP(5, 3)", 5.0},
    {"STEP(5, 4)", 0.0},
    {"RAMP(2, 1)", 4.0},
    {"PULSE(10, 3)", 10.0},
    {"PULSE(10, 1, 2)", 10.0},
    {"PULSE(10, 1, 0)", 0.0},
    {"PULSE(10, 2)", 0.0},
    {"IF_THEN_ELSE(1, 2, 3)", 2.0},
};

START_TEST(builtins_of_the_core_set)
{
    const expr_case *c = &builtins[_i];
    const double got = value_at(c->eqn, 3); /* time 3, dt 1, start 0, stop 10 */
    ck_assert_msg(fabs(got - c->want) <= 1e-12 * (1 + fabs(c->want)), "%s: got %.17g, want %.17g",
                  c->eqn, got, c->want);
}
END_TEST

START_TEST(pulse_is_a_volume_over_one_step)
{
    /* XMILE 3.5.4: PULSE(20, 12, 5) is 20/DT at 12, 17, 22... */
    char *d = doc(10, 25, 0.5, "<aux name=\"p\"><eqn>PULSE(20, 12, 5)</eqn></aux>");
    migdev_model *m = load(d);
    size_t n;
    double *p = series(m, "p", &n);
    ck_assert_int_eq((int)n, 31);
    for (size_t k = 0; k < n; k++) {
        const double t = 10 + 0.5 * (double)k;
        const double want = (t == 12 || t == 17 || t == 22) ? 40.0 : 0.0;
        ck_assert_msg(p[k] == want, "t=%g: %g", t, p[k]);
    }
    free(p);
    migdev_model_free(m);
    free(d);
}
END_TEST

/* x = 10 + STEP(10, 1) sampled at t = k*dt */
static double step_input(double t) { return t >= 1.0 ? 20.0 : 10.0; }

START_TEST(smooths_and_delays_follow_their_stocks)
{
    const double dt = 0.25, T = 2.0;
    char *d = doc(0, 8, dt,
                  "<aux name=\"x\"><eqn>10 + STEP(10, 1)</eqn></aux>\n"
                  "<aux name=\"s1\"><eqn>SMTH1(x, 2)</eqn></aux>\n"
                  "<aux name=\"s1i\"><eqn>SMTH1(x, 2, 4)</eqn></aux>\n"
                  "<aux name=\"s3\"><eqn>SMTH3(x, 2)</eqn></aux>\n"
                  "<aux name=\"sn\"><eqn>SMTHN(x, 2, 2)</eqn></aux>\n"
                  "<aux name=\"d1\"><eqn>DELAY1(x, 2)</eqn></aux>\n"
                  "<aux name=\"d3\"><eqn>DELAY3(x, 2, 6)</eqn></aux>\n"
                  "<aux name=\"dn\"><eqn>DELAYN(x, 2, 2)</eqn></aux>\n"
                  "<aux name=\"tr\"><eqn>TREND(x, 2, 0.1)</eqn></aux>\n"
                  "<aux name=\"fc\"><eqn>FORCST(x, 2, 3)</eqn></aux>\n"
                  "<aux name=\"i\"><eqn>INIT(x + TIME)</eqn></aux>");
    migdev_model *m = load(d);
    size_t n;
    double *s1 = series(m, "s1", &n), *s1i = series(m, "s1i", &n), *s3 = series(m, "s3", &n);
    double *sn = series(m, "sn", &n), *d1 = series(m, "d1", &n), *d3 = series(m, "d3", &n);
    double *dn = series(m, "dn", &n), *tr = series(m, "tr", &n), *fc = series(m, "fc", &n);
    double *in = series(m, "i", &n);
    /* the defining stocks, stepped by Euler */
    double a = 10, ai = 4, b[3] = {10, 10, 10}, c[2] = {10, 10};
    double e = 10 * T, f[3] = {6 * T / 3, 6 * T / 3, 6 * T / 3}, g[2] = {10 * T / 2, 10 * T / 2};
    double S = 10 / (1 + 0.1 * T), F = 10; /* TREND's and FORCST's smooths */
    for (size_t k = 0; k < n; k++) {
        const double x = step_input(dt * (double)k);
        const double tol = 1e-12 * 20;
        ck_assert_double_eq_tol(s1[k], a, tol);
        ck_assert_double_eq_tol(s1i[k], ai, tol);
        ck_assert_double_eq_tol(s3[k], b[2], tol);
        ck_assert_double_eq_tol(sn[k], c[1], tol);
        ck_assert_double_eq_tol(d1[k], e / T, tol);
        ck_assert_double_eq_tol(d3[k], f[2] / (T / 3), tol);
        ck_assert_double_eq_tol(dn[k], g[1] / (T / 2), tol);
        const double trend = (x - S) / (T * fabs(S));
        ck_assert_double_eq_tol(tr[k], trend, 1e-12);
        ck_assert_double_eq_tol(fc[k], x * (1 + (x - F) / (T * fabs(F)) * 3), 1e-10);
        ck_assert_double_eq(in[k], 10.0);
        const double T3 = T / 3, T2 = T / 2;
        const double b0 = b[0], b1 = b[1], c0 = c[0], f0 = f[0], f1 = f[1], g0 = g[0];
        a += dt * (x - a) / T;
        ai += dt * (x - ai) / T;
        b[0] += dt * (x - b[0]) / T3;
        b[1] += dt * (b0 - b[1]) / T3;
        b[2] += dt * (b1 - b[2]) / T3;
        c[0] += dt * (x - c[0]) / T2;
        c[1] += dt * (c0 - c[1]) / T2;
        e += dt * (x - e / T);
        f[0] += dt * (x - f[0] / T3);
        f[1] += dt * (f0 / T3 - f[1] / T3);
        f[2] += dt * (f1 / T3 - f[2] / T3);
        g[0] += dt * (x - g[0] / T2);
        g[1] += dt * (g0 / T2 - g[1] / T2);
        S += dt * (x - S) / T;
        F += dt * (x - F) / T;
    }
    free(s1), free(s1i), free(s3), free(sn), free(d1), free(d3), free(dn), free(tr), free(fc);
    free(in);
    migdev_model_free(m);
    free(d);
}
END_TEST

START_TEST(delay_and_previous_shift_in_time)
{
    char *d = doc(0, 6, 0.5,
                  "<aux name=\"x\"><eqn>TIME*TIME</eqn></aux>\n"
                  "<aux name=\"d\"><eqn>DELAY(x, 2)</eqn></aux>\n"
                  "<aux name=\"di\"><eqn>DELAY(x, 2, 7)</eqn></aux>\n"
                  "<aux name=\"p\"><eqn>PREVIOUS(x, 3)</eqn></aux>\n"
                  "<aux name=\"count\"><eqn>PREVIOUS(SELF, 0) + 1</eqn></aux>");
    migdev_model *m = load(d);
    size_t n;
    double *dd = series(m, "d", &n), *di = series(m, "di", &n), *p = series(m, "p", &n);
    double *c = series(m, "count", &n);
    for (size_t k = 0; k < n; k++) {
        const double t = 0.5 * (double)k;
        ck_assert_double_eq(dd[k], t >= 2 ? (t - 2) * (t - 2) : 0.0);
        ck_assert_double_eq(di[k], t >= 2 ? (t - 2) * (t - 2) : 7.0);
        ck_assert_double_eq(p[k], k ? (t - 0.5) * (t - 0.5) : 3.0);
        ck_assert_double_eq(c[k], (double)k + 1);
    }
    free(dd), free(di), free(p), free(c);
    migdev_model_free(m);
    free(d);
}
END_TEST

START_TEST(graphical_functions)
{
    char *d = doc(0, 12, 1,
                  "<gf name=\"up\"><xscale min=\"0\" max=\"10\"/><ypts>0,5,10</ypts></gf>\n"
                  "<gf name=\"sep\"><xpts sep=\";\">0;4;10</xpts><ypts sep=\";\">1; 3 ;4</ypts></gf>\n"
                  "<aux name=\"c\"><eqn>TIME</eqn><gf><xpts>2,4</xpts><ypts>10,20</ypts></gf></aux>\n"
                  "<aux name=\"e\"><eqn>TIME</eqn><gf type=\"extrapolate\"><xpts>2,4</xpts>"
                  "<ypts>10,20</ypts></gf></aux>\n"
                  "<aux name=\"s\"><eqn>TIME</eqn><gf type=\"discrete\"><xpts>2,4,6</xpts>"
                  "<ypts>10,20,20</ypts></gf></aux>\n"
                  "<aux name=\"old\"><eqn>TIME</eqn><gf discrete=\"true\"><xpts>2,4,6</xpts>"
                  "<ypts>10,20,20</ypts></gf></aux>\n"
                  "<aux name=\"byname\"><eqn>up(TIME) + Sep(TIME)</eqn></aux>\n"
                  "<aux name=\"ref\"><eqn>TIME</eqn><gf name=\"up\"/></aux>\n"
                  "<aux name=\"named\"><eqn>TIME</eqn><gf name=\"twice\"><xpts>0,1</xpts>"
                  "<ypts>0,2</ypts></gf></aux>\n"
                  "<aux name=\"usenamed\"><eqn>twice(3)</eqn></aux>\n"
                  "<aux name=\"viafn\"><eqn>LOOKUP(twice, 3) + LOOKUP(up, TIME)</eqn></aux>");
    migdev_model *m = load(d);
    size_t n;
    double *c = series(m, "c", &n), *e = series(m, "e", &n), *s = series(m, "s", &n);
    double *o = series(m, "old", &n), *b = series(m, "byname", &n), *r = series(m, "ref", &n);
    double *un = series(m, "usenamed", &n);
    double *vf = series(m, "viafn", &n); /* LOOKUP(gf, x) is gf(x) */
    for (size_t k = 0; k < n; k++)
        ck_assert_double_eq_tol(vf[k], 2 + (k <= 10 ? (double)k : 10), 1e-12);
    free(vf);
    for (size_t k = 0; k < n; k++) {
        const double t = (double)k;
        const double cont = t <= 2 ? 10 : t >= 4 ? 20 : 10 + 5 * (t - 2);
        ck_assert_double_eq_tol(c[k], cont, 1e-12);
        ck_assert_double_eq_tol(e[k], 10 + 5 * (t - 2), 1e-12);
        const double disc = t < 4 ? 10 : 20;
        ck_assert_double_eq(s[k], disc);
        ck_assert_double_eq(o[k], disc);
        const double up = t >= 10 ? 10 : t, sep = t <= 4 ? 1 + 0.5 * t : t >= 10 ? 4 : 3 + (t - 4) / 6;
        ck_assert_double_eq_tol(b[k], up + sep, 1e-12);
        ck_assert_double_eq_tol(r[k], up, 1e-12);
        ck_assert_double_eq(un[k], 2.0);
    }
    free(c), free(e), free(s), free(o), free(b), free(r), free(un);
    migdev_model_free(m);
    free(d);
}
END_TEST

START_TEST(sim_specs)
{
    char text[2048];
    snprintf(text, sizeof text,
             "%s<sim_specs method=\"gear, rk4\" time_units=\"months\" isee:save_interval=\"0.5\">"
             "<start>2</start><stop>4</stop><dt reciprocal=\"true\">8</dt></sim_specs>\n"
             "<isee:prefs x=\"1\"/>\n"
             "<model><variables><aux name=\"a\"><eqn>1</eqn></aux></variables></model></xmile>",
             head);
    migdev_model *m = load(text);
    migdev_sim_spec s = migdev_model_default_spec(m);
    ck_assert_double_eq(s.start, 2.0);
    ck_assert_double_eq(s.stop, 4.0);
    ck_assert_double_eq(s.dt, 0.125);
    ck_assert_double_eq(s.save_every, 0.5);
    ck_assert_int_eq(s.method, MIGDEV_MSBDF); /* gear */
    ck_assert_str_eq(migdev_model_time_units(m), "months");
    migdev_model_free(m);
    /* RK4, an old namespace, a save step */
    snprintf(text, sizeof text,
             "<xmile xmlns=\"http://www.systemdynamics.org/XMILE\" version=\"1.0\">\n"
             "<sim_specs method=\"RK4\"><start>0</start><stop>1</stop><dt>0.25</dt>"
             "<savestep>0.5</savestep></sim_specs>\n"
             "<model><variables><aux name=\"a\"><eqn>1</eqn></aux></variables></model></xmile>");
    m = load(text);
    s = migdev_model_default_spec(m);
    ck_assert_int_eq(s.method, MIGDEV_RK4);
    ck_assert_double_eq(s.save_every, 0.5);
    ck_assert_double_eq(s.dt, 0.25);
    migdev_model_free(m);
}
END_TEST

/* A root model with two modules, against the same model written flat. */
static const char modular[] =
    "<xmile version=\"1.0\" xmlns=\"http://docs.oasis-open.org/xmile/ns/XMILE/v1.0\">\n"
    "<sim_specs><start>0</start><stop>10</stop><dt>0.5</dt></sim_specs>\n"
    "<model><variables>\n"
    "  <module name=\"prey\"><connect to=\"eaten\" from=\"predator.eating\"/>"
    "<connect to=\"room\" from=\".room\"/></module>\n"
    "  <module name=\"predator\"><connect to=\"food\" from=\"prey.stock\"/></module>\n"
    "  <aux name=\"room\"><eqn>100</eqn></aux>\n"
    "  <aux name=\"seen\"><eqn>prey.stock + predator.stock</eqn></aux>\n"
    "</variables></model>\n"
    "<model name=\"prey\"><variables>\n"
    "  <stock name=\"stock\"><eqn>50</eqn><inflow>births</inflow><outflow>deaths</outflow></stock>\n"
    "  <flow name=\"births\"><eqn>stock * (1 - stock/room) * 0.5</eqn></flow>\n"
    "  <flow name=\"deaths\"><eqn>eaten</eqn></flow>\n"
    "  <aux name=\"eaten\" access=\"input\"><eqn>0</eqn></aux>\n"
    "  <aux name=\"room\" access=\"input\"><eqn>{placeholder}</eqn></aux>\n"
    "</variables></model>\n"
    "<model name=\"predator\"><variables>\n"
    "  <stock name=\"stock\"><eqn>5</eqn><inflow>growth</inflow></stock>\n"
    "  <flow name=\"growth\"><eqn>eating * 0.1 - stock * 0.2</eqn></flow>\n"
    "  <aux name=\"eating\" access=\"output\"><eqn>stock * food * 0.01</eqn></aux>\n"
    "  <stock name=\"food\"><eqn>0</eqn></stock>\n"
    "</variables></model>\n"
    "</xmile>\n";

static const char flat[] =
    "<xmile version=\"1.0\" xmlns=\"http://docs.oasis-open.org/xmile/ns/XMILE/v1.0\">\n"
    "<sim_specs><start>0</start><stop>10</stop><dt>0.5</dt></sim_specs>\n"
    "<model><variables>\n"
    "  <aux name=\"room\"><eqn>100</eqn></aux>\n"
    "  <stock name=\"prey\"><eqn>50</eqn><inflow>births</inflow><outflow>deaths</outflow></stock>\n"
    "  <flow name=\"births\"><eqn>prey * (1 - prey/room) * 0.5</eqn></flow>\n"
    "  <flow name=\"deaths\"><eqn>eating</eqn></flow>\n"
    "  <stock name=\"pred\"><eqn>5</eqn><inflow>growth</inflow></stock>\n"
    "  <flow name=\"growth\"><eqn>eating * 0.1 - pred * 0.2</eqn></flow>\n"
    "  <aux name=\"eating\"><eqn>pred * prey * 0.01</eqn></aux>\n"
    "</variables></model>\n"
    "</xmile>\n";


/* Stella 10 qualifies a connection's input with the module's own name
** (<module name="prey"><connect to="prey.eaten" .../>): the same model. */
START_TEST(connections_qualified_by_the_module)
{
    char *q = malloc(sizeof modular + 64);
    const char *a = strstr(modular, "to=\"eaten\""), *b = strstr(modular, "to=\"food\"");
    ck_assert(a && b && a < b);
    sprintf(q, "%.*sto=\"prey.eaten\"%.*sto=\"predator.food\"%s", (int)(a - modular), modular,
            (int)(b - a - 10), a + 10, b + 9);
    migdev_model *m = load(q), *f = load(modular);
    size_t n, k;
    double *x = series(m, "predator.stock", &n), *y = series(f, "predator.stock", &k);
    ck_assert_int_eq((int)n, (int)k);
    for (size_t j = 0; j < n; j++)
        ck_assert_double_eq(x[j], y[j]);
    free(x), free(y), free(q);
    migdev_model_free(m);
    migdev_model_free(f);
}
END_TEST


/* A flow two stocks list as an outflow: each takes the flow's value, and
** the non-negative one limits only what it takes (XMILE 4.2 cuts a
** non-negative stock's outflows), so the other stock and the flow as
** reported are unchanged. By hand, dt = 1, flow 1: a = 2, 1, 0, 0 (its
** draw cut to what it holds), b = 2, 1, 0, -1. */
START_TEST(a_flow_shared_by_two_stocks)
{
    char *d = doc(0, 3, 1,
                  "<flow name=\"out\"><eqn>1</eqn></flow>\n"
                  "<stock name=\"a\"><eqn>2</eqn><outflow>out</outflow><non_negative/></stock>\n"
                  "<stock name=\"b\"><eqn>2</eqn><outflow>out</outflow></stock>\n");
    migdev_model *m = load(d);
    size_t n;
    double *a = series(m, "a", &n), *b = series(m, "b", &n), *f = series(m, "out", &n);
    const double wa[4] = {2, 1, 0, 0}, wb[4] = {2, 1, 0, -1};
    ck_assert_int_eq((int)n, 4);
    for (int k = 0; k < 4; k++) {
        ck_assert_double_eq(a[k], wa[k]);
        ck_assert_double_eq(b[k], wb[k]);
        ck_assert_double_eq(f[k], 1);
    }
    free(a), free(b), free(f), free(d);
    migdev_model_free(m);
}
END_TEST

START_TEST(modules_match_the_flat_model)
{
    migdev_model *m = load(modular), *f = load(flat);
    size_t n, k;
    double *a = series(m, "prey.stock", &n), *b = series(f, "prey", &k);
    double *c = series(m, "predator.stock", &n), *d = series(f, "pred", &k);
    double *s = series(m, "seen", &n);
    ck_assert_int_eq((int)n, (int)k);
    for (size_t j = 0; j < n; j++) {
        ck_assert_double_eq(a[j], b[j]);
        ck_assert_double_eq(c[j], d[j]);
        ck_assert_double_eq(s[j], b[j] + d[j]);
    }
    /* inputs are aliases: not variables of their own */
    ck_assert_int_lt(migdev_model_find(m, "prey.eaten"), 0);
    ck_assert_int_lt(migdev_model_find(m, "predator.food"), 0);
    ck_assert_int_ge(migdev_model_find(m, "predator.eating"), 0);
    free(a), free(b), free(c), free(d), free(s);
    migdev_model_free(m);
    migdev_model_free(f);
}
END_TEST

START_TEST(behavior_and_docs)
{
    char text[4096];
    snprintf(text, sizeof text,
             "%s<sim_specs><start>0</start><stop>4</stop></sim_specs>\n"
             "<behavior><stock><non_negative/></stock></behavior>\n"
             "<model><behavior><flow><non_negative/></flow></behavior><variables>\n"
             "<stock name=\"s\"><eqn>2</eqn><outflow>out</outflow><units>people</units>"
             "<doc>  A stock.  </doc></stock>\n"
             "<stock name=\"free\"><eqn>2</eqn><outflow>out2</outflow>"
             "<non_negative>false</non_negative></stock>\n"
             "<flow name=\"out\"><eqn>1</eqn></flow>\n"
             "<flow name=\"out2\"><eqn>1</eqn></flow>\n"
             "<flow name=\"bi\"><eqn>-1</eqn><non_negative> FALSE </non_negative></flow>\n"
             "<flow name=\"uni\"><eqn>-1</eqn></flow>\n"
             "<isee:dependencies><var name=\"x\"/></isee:dependencies>\n"
             "</variables></model></xmile>",
             head);
    migdev_model *m = load(text);
    migdev_var_info info;
    migdev_model_var(m, migdev_model_find(m, "s"), &info);
    ck_assert_int_eq(info.non_negative, 1);
    ck_assert_str_eq(info.units, "people");
    ck_assert_str_eq(info.doc, "A stock.");
    migdev_model_var(m, migdev_model_find(m, "free"), &info);
    ck_assert_int_eq(info.non_negative, 0);
    size_t n;
    double *s = series(m, "s", &n), *fr = series(m, "free", &n), *bi = series(m, "bi", &n);
    double *uni = series(m, "uni", &n);
    const double want_s[] = {2, 1, 0, 0, 0}, want_f[] = {2, 1, 0, -1, -2};
    for (size_t k = 0; k < n; k++) {
        ck_assert_double_eq(s[k], want_s[k]);
        ck_assert_double_eq(fr[k], want_f[k]);
        ck_assert_double_eq(bi[k], -1.0);
        ck_assert_double_eq(uni[k], 0.0);
    }
    free(s), free(fr), free(bi), free(uni);
    migdev_model_free(m);
}
END_TEST

START_TEST(aux_listed_as_a_flow_is_a_flow)
{
    /* xmutil writes Vensim rates as <aux> named in <inflow> */
    char *d = doc(0, 3, 1,
                  "<stock name=\"s\"><eqn>1</eqn><inflow>r</inflow><outflow>o</outflow></stock>\n"
                  "<aux name=\"r\"><eqn>.5</eqn></aux>\n"
                  "<aux name=\"o\"><eqn>TIME</eqn></aux>");
    migdev_model *m = load(d);
    migdev_var_info info;
    migdev_model_var(m, migdev_model_find(m, "r"), &info);
    ck_assert_int_eq(info.kind, MIGDEV_FLOW);
    size_t n;
    double *s = series(m, "s", &n);
    ck_assert_double_eq(s[3], 1 + 1.5 - (0 + 1 + 2));
    free(s);
    migdev_model_free(m);
    free(d);
}
END_TEST

START_TEST(cli_reads_xmile)
{
    char *d = doc(0, 2, 1, "<aux name=\"Growth Rate\"><eqn>0.5</eqn><units>1/year</units></aux>\n"
                           "<stock name=\"Pop\"><eqn>10</eqn><inflow>g</inflow></stock>\n"
                           "<flow name=\"g\"><eqn>Pop * growth_rate</eqn></flow>");
    const char *path = tmp_file(0, "pop.xmile", d);
    const char *const run[] = {"run", path, "--set", "Growth_Rate=1", "--vars", "Pop", NULL};
    cmd_result r = run_migdev(NULL, run);
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "time,Pop\n0,10\n1,20\n2,40\n");
    cmd_result_free(&r);
    const char *const chk[] = {"check", path, NULL};
    r = run_migdev(NULL, chk);
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.err, "");
    cmd_result_free(&r);
    const char *const lst[] = {"list", path, NULL};
    r = run_migdev(NULL, lst);
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "Growth_Rate\tconstant\t1/year"));
    cmd_result_free(&r);
    /* a scenario may name an XMILE model */
    char scen[512];
    snprintf(scen, sizeof scen, "model = \"%s\";\nset = { Growth_Rate = 0.25; };\n", path);
    const char *sp = tmp_file(1, "s.cfg", scen);
    const char *const run2[] = {"run", sp, "--vars", "Pop", NULL};
    r = run_migdev(NULL, run2);
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "time,Pop\n0,10\n1,12.5\n2,15.625\n");
    cmd_result_free(&r);
    free(d);
}
END_TEST

/* ----------------------------------------------------------------- errors */

typedef struct err_case {
    const char *vars;     /* the variables (line 5 on), or a whole document */
    const char *want;     /* expected formatted error (prefix) */
} err_case;

static const err_case errors[] = {
    /* equations */
    {"<aux name=\"room_temperature\"><eqn>70</eqn></aux>\n<aux name=\"a\"><eqn>1 + room_temperatur</eqn></aux>",
     "t.xmile:6:24: error: unknown variable 'room_temperatur' (did you mean 'room_temperature'?)"},
    {"<aux name=\"Room Temperature\"><eqn>70</eqn></aux>\n<aux name=\"a\"><eqn>room_temp</eqn></aux>",
     "t.xmile:6:20: error: unknown variable 'room_temp' (did you mean 'Room_Temperature'?)"},
    {"<aux name=\"a\"><eqn>b</eqn></aux>\n<aux name=\"b\"><eqn>2 * a</eqn></aux>",
     "t.xmile:6:24: error: algebraic loop: a -> b -> a"},
    {"<aux name=\"a\"><eqn>FOO(1)</eqn></aux>", "t.xmile:5:20: error: unknown function 'FOO'"},
    {"<aux name=\"a\"><eqn>SMTH1(1)</eqn></aux>",
     "t.xmile:5:20: error: SMTH1 takes 2 or 3 arguments, got 1"},
    {"<aux name=\"a\"><eqn>1 + * 2</eqn></aux>",
     "t.xmile:5:24: error: expected a number, a name or '(', found '*'"},
    {"<aux name=\"a\"><eqn>1.2.3</eqn></aux>", "t.xmile:5:20: error: malformed number '1.2.3'"},
    {"<aux name=\"a\"><eqn>2 * 1e999</eqn></aux>", "t.xmile:5:24: error: number out of range '1e999'"},
    {"<aux name=\"a\"><eqn>\"x\\ty\"</eqn></aux>",
     "t.xmile:5:22: error: invalid escape '\\t' in a quoted name"},
    {"<aux name=\"a\"><eqn>1 + {open</eqn></aux>", "t.xmile:5:24: error: comment '{' is never closed"},
    {"<aux name=\"a\"><eqn>IF 1 THEN 2</eqn></aux>", "t.xmile:5:31: error: expected ELSE"},
    {"<aux name=\"a\"><eqn>{just a comment}</eqn></aux>", "t.xmile:5:1: error: aux 'a' has no equation"},
    {"<stock name=\"s\"/>", "t.xmile:5:1: error: stock 's' has no initial value"},
    {"<aux name=\"a\"><eqn>DELAY(1, TIME)</eqn></aux>", "t.xmile:5:20: error: the delay time of"},
    {"<aux name=\"a\"><eqn>SMTHN(1, 2, a)</eqn></aux>", "t.xmile:5:32: error: the order of smoothn()"},
    {"<aux name=\"a\"><eqn>NORMAL(0, 1, TIME)</eqn></aux>", "t.xmile:5:33: error: the seed of"},
    {"<aux name=\"a\"><eqn>SELF</eqn></aux>", "t.xmile:5:20: error: algebraic loop: a -> a"},
    /* names */
    {"<aux name=\"A b\"><eqn>1</eqn></aux>\n<aux name=\"a_B\"><eqn>1</eqn></aux>",
     "t.xmile:6:1: error: duplicate name 'a_B'"},
    {"<aux name=\"Time\"><eqn>1</eqn></aux>", "t.xmile:5:1: error: 'Time' is a reserved XMILE name"},
    {"<gf name=\"g\"><ypts>1,2</ypts></gf>", "t.xmile:5:1: error: graphical function without <xscale>"},
    {"<aux name=\"a\"><eqn>1</eqn><gf><xpts>0,1,2</xpts><ypts>1,2</ypts></gf></aux>",
     "t.xmile:5:31: error: graphical function has 3 x values but 2 y values"},
    {"<aux name=\"a\"><eqn>1</eqn><gf><xpts>0,x</xpts><ypts>1,2</ypts></gf></aux>",
     "t.xmile:5:31: error: <xpts>: 'x' is not a number"},
    {"<aux name=\"a\"><eqn>g</eqn></aux>\n<gf name=\"g\"><xscale min=\"0\" max=\"1\"/><ypts>1,2</ypts></gf>",
     "t.xmile:5:20: error: 'g' is a graphical function: call it with an input"},
    {"<flow name=\"f\"><eqn>1</eqn><non_negative>maybe</non_negative></flow>",
     "t.xmile:5:28: error: <non_negative> must be empty, true or false"},
    {"<stock name=\"s\"><eqn>1</eqn><inflow>nothing</inflow></stock>",
     "t.xmile:5:37: error: unknown variable 'nothing'"},
    {"<stock name=\"s\"><eqn>1</eqn><inflow>s</inflow></stock>",
     "t.xmile:5:37: error: stock 's' lists 's' as a flow, but it is not a flow"},
    /* refused features */
    /* arrays (flattened): a dimension <dimensions> lacks, an <element> of a
       variable without dimensions, a subscript that is no element */
    {"<aux name=\"a\"><dimensions><dim name=\"d\"/></dimensions><eqn>1</eqn></aux>",
     "t.xmile:5:1: error: 'a' uses the dimension 'd', which <dimensions> does not define"},
    {"<aux name=\"a\"><element subscript=\"1\"><eqn>1</eqn></element></aux>",
     "t.xmile:5:15: error: <element> in aux 'a', which has no <dimensions>"},
    {"<aux name=\"a\"><eqn>b[1]</eqn></aux>",
     "t.xmile:5:20: error: unknown subscript '1' in the equation of 'a'"},
    {"<aux name=\"a\"><eqn>SUM(b)</eqn></aux>",
     "t.xmile:5:20: error: SUM(x) works on an array: its argument is no arrayed variable"},
    {"<aux name=\"a\"><eqn>HISTORY(TIME, 1)</eqn></aux>",
     "t.xmile:5:20: error: HISTORY (a Stella function outside XMILE 1.0's builtins) is not supported"},
    {"<aux name=\"a\"><eqn>isee.COUNTER(0, 10)</eqn></aux>",
     "t.xmile:5:20: error: COUNTER (a Stella function outside XMILE 1.0's builtins) is not supported"},
    {"<aux name=\"a\"><eqn>1'</eqn></aux>", "t.xmile:5:21: error: expected an operator"},
    {"<stock name=\"s\"><eqn>1</eqn><conveyor><len>4</len></conveyor></stock>",
     "t.xmile:5:29: error: conveyors are not supported (<conveyor> in stock 's')"},
    {"<stock name=\"s\"><eqn>1</eqn><queue/></stock>",
     "t.xmile:5:29: error: queues are not supported (<queue> in stock 's')"},
    {"<flow name=\"f\"><eqn>1</eqn><multiplier>3</multiplier></flow>",
     "t.xmile:5:28: error: unit-conversion multipliers are not supported"},
    {"<module name=\"m\" resource=\"other.xmile\"/>",
     "t.xmile:5:1: error: modules loaded from other files (resource=) are not supported"},
    {"<module name=\"m\"/>", "t.xmile:5:1: error: module 'm' has no <model name=\"m\"> in the file"},
    {"<aux name=\"a\"><eqn>1</eqn><label>x</label></aux>",
     "t.xmile:5:27: error: unsupported element <label> in aux 'a'"},
};

/* Array constructs migdev does not read are refused by name, at the
** equation, never run wrongly. */
START_TEST(array_refusals_name_the_construct)
{
    static const err_case cases[] = {
        {"<aux name=\"x\"><dimensions><dim name=\"N\"/><dim name=\"N\"/></dimensions>"
         "<eqn>a[N]</eqn></aux>",
         "t.xmile:7:75: error: 'x' has the dimension 'N' twice: its equation names their elements "
         "by position, @1, @2"},
        {"<aux name=\"x\"><dimensions><dim name=\"N\"/></dimensions>"
         "<element subscript=\"1\"><eqn>1</eqn></element>"
         "<element subscript=\"2\"><eqn>2</eqn></element>"
         "<element subscript=\"3\"><eqn>3</eqn></element>"
         "<element subscript=\"4\"><eqn>4</eqn></element></aux>",
         "t.xmile:7:55: error: <element subscript=\"4\"> names no element of 'x'"},
        {"<aux name=\"x\"><eqn>RANK(a, 1)</eqn></aux>",
         "t.xmile:7:20: error: RANK is not supported (in the equation of 'x'"},
        {"<aux name=\"x\"><eqn>a[1:2]</eqn></aux>",
         "t.xmile:7:20: error: array range '1:2' in the equation of 'x': a range of two elements "
         "or positions is read only inside SUM"},
        {"<aux name=\"x\"><eqn>SUM(a[1:2:3])</eqn></aux>",
         "t.xmile:7:20: error: array range '1:2:3' in the equation of 'x'"},
        {"<aux name=\"x\"><eqn>a[nothing]</eqn></aux>", "t.xmile:7:2"}, /* inside the eqn */
        {"<aux name=\"x\"><eqn>a[N + 0.5]</eqn></aux>", /* N outside an array of N */
         "t.xmile:7:28: error: unknown variable 'N'"},
        {"<aux name=\"x\"><dimensions><dim name=\"N\"/></dimensions><eqn>a[N + 0.5]</eqn></aux>",
         "t.xmile:7:60: error: subscript 'N + 0.5' in the equation of 'x' is 1.5, not a whole"},
        {"<aux name=\"x\"><dimensions><dim name=\"N\"/></dimensions><eqn>a[N]'</eqn></aux>",
         "t.xmile:7:60: error: transposition (') in the equation of 'x' is read only right after"},
        {"<aux name=\"x\"><dimensions><dim name=\"N\"/></dimensions><eqn>a[@2]</eqn></aux>",
         "t.xmile:7:60: error: '@' in the equation of 'x' must be followed by the number of one"},
        {"<aux name=\"x\"><eqn>a[1.5]</eqn></aux>",
         "t.xmile:7:20: error: unknown subscript '1.5' in the equation of 'x'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[2048];
        snprintf(text, sizeof text,
                 "%s<sim_specs><start>0</start><stop>1</stop></sim_specs>\n"
                 "<dimensions><dim name=\"N\" size=\"3\"/></dimensions>\n"
                 "<model><variables>\n"
                 "<aux name=\"a\"><dimensions><dim name=\"N\"/></dimensions><eqn>N</eqn></aux>"
                 "<aux name=\"idx\"><eqn>2</eqn></aux>\n%s\n"
                 "</variables></model></xmile>",
                 head, cases[i].vars);
        char *e = load_error(text);
        ck_assert_msg(strncmp(e, cases[i].want, strlen(cases[i].want)) == 0, "got:  %s\nwant: %s",
                      e, cases[i].want);
        free(e);
    }
}
END_TEST

START_TEST(errors_point_into_the_file)
{
    const err_case *c = &errors[_i];
    char *d = doc(0, 1, 1, c->vars);
    char *e = load_error(d);
    ck_assert_msg(strncmp(e, c->want, strlen(c->want)) == 0, "got:  %s\nwant: %s", e, c->want);
    free(e);
    free(d);
}
END_TEST

static const err_case doc_errors[] = {
    {"<xmile xmlns=\"http://docs.oasis-open.org/xmile/ns/XMILE/v1.0\">\n<sim_specs><start>0</start>",
     "t.xmile:2:28: error: malformed XML: Premature end of data in tag sim_specs line 2"},
    {"<xmile xmlns=\"http://docs.oasis-open.org/xmile/ns/XMILE/v1.0\">\n<model>\n</variables>\n</model></xmile>",
     "t.xmile:3:13: error: malformed XML: Opening and ending tag mismatch: model line 2 and variables"},
    {"<xmile xmlns=\"http://example.com/other\">\n<model/></xmile>",
     "t.xmile:1:1: error: <xmile> is in the wrong namespace ('http://example.com/other'"},
    {"<xmile>\n<model/></xmile>", "t.xmile:1:1: error: <xmile> is in the wrong namespace ('none'"},
    {"<smile xmlns=\"http://docs.oasis-open.org/xmile/ns/XMILE/v1.0\"/>",
     "t.xmile:1:1: error: the root element is <smile>, not <xmile>"},
    {"<xmile xmlns=\"http://docs.oasis-open.org/xmile/ns/XMILE/v1.0\"><sim_specs><start>0</start>"
     "<stop>1</stop></sim_specs>\n<macro name=\"m\"/>\n<model/></xmile>",
     "t.xmile:2:1: error: macros are not supported (<macro>)"},
    {"<xmile xmlns=\"http://docs.oasis-open.org/xmile/ns/XMILE/v1.0\">\n<model><variables>"
     "<aux name=\"a\"><eqn>1</eqn></aux></variables></model></xmile>",
     "t.xmile:2:1: error: no <sim_specs> (start and stop times) in the file"},
    {"<xmile xmlns=\"http://docs.oasis-open.org/xmile/ns/XMILE/v1.0\">\n<sim_specs><start>0</start>"
     "</sim_specs>\n<model/></xmile>",
     "t.xmile:2:1: error: <sim_specs> needs <start> and <stop>"},
    {"<xmile xmlns=\"http://docs.oasis-open.org/xmile/ns/XMILE/v1.0\">\n<sim_specs><start>0</start>"
     "<stop>x</stop></sim_specs>\n<model/></xmile>",
     "t.xmile:2:28: error: <stop> must be a number, got 'x'"},
    {"<xmile xmlns=\"http://docs.oasis-open.org/xmile/ns/XMILE/v1.0\">\n<sim_specs method=\"odd\">"
     "<start>0</start><stop>1</stop></sim_specs>\n<model/></xmile>",
     "t.xmile:2:1: error: unknown integration method 'odd'"},
    {"<xmile xmlns=\"http://docs.oasis-open.org/xmile/ns/XMILE/v1.0\">\n<sim_specs><start>0</start>"
     "<stop>1</stop></sim_specs>\n<model><variables><module name=\"m\"><connect to=\"x\" from=\".a\"/>"
     "</module></variables></model>\n<model name=\"m\"><variables><aux name=\"y\"><eqn>1</eqn></aux>"
     "</variables></model></xmile>",
     "t.xmile:3:36: error: unknown variable 'x' in module 'm'"},
    {"", "t.xmile: error: cannot open"},
};

START_TEST(document_errors)
{
    const err_case *c = &doc_errors[_i];
    if (!c->vars[0]) { /* a missing file */
        migdev_error err;
        migdev_error_clear(&err);
        ck_assert_ptr_null(migdev_model_load("/nonexistent/t.xmile", &err));
        ck_assert_int_eq(err.code, MIGDEV_E_IO);
        return;
    }
    char *e = load_error(c->vars);
    ck_assert_msg(strncmp(e, c->want, strlen(c->want)) == 0, "got:  %s\nwant: %s", e, c->want);
    free(e);
}
END_TEST

START_TEST(cli_bad_xml_exits_1)
{
    const char *path = tmp_file(0, "bad.stmx", "<xmile xmlns=\"http://docs.oasis-open.org/xmile/ns/XMILE/v1.0\">\n<model>");
    const char *const run[] = {"run", path, NULL};
    cmd_result r = run_migdev(NULL, run);
    ck_assert_int_eq(r.status, 1);
    ck_assert_str_eq(r.out, "");
    ck_assert_ptr_nonnull(strstr(r.err, "bad.stmx:2:8: error: malformed XML:"));
    cmd_result_free(&r);
}
END_TEST

/* ----------------------------------------------------------------- limits */

START_TEST(deeply_nested_equation_is_refused_not_crashed)
{
    const int depth = 5000;
    char *eq = malloc((size_t)depth * 2 + 16);
    char *p = eq;
    for (int i = 0; i < depth; i++)
        *p++ = '(';
    *p++ = '1';
    for (int i = 0; i < depth; i++)
        *p++ = ')';
    *p = '\0';
    char *vars = malloc(strlen(eq) + 64);
    sprintf(vars, "<aux name=\"a\"><eqn>%s</eqn></aux>", eq);
    char *d = doc(0, 1, 1, vars);
    char *e = load_error(d);
    ck_assert_ptr_nonnull(strstr(e, "nested too deeply"));
    free(e), free(d), free(vars), free(eq);
}
END_TEST

START_TEST(long_chain_is_refused_not_crashed)
{
    /* 1+1+...+1 with 20000 terms: read by a loop, but a tree 20000 deep that
       later passes walk recursively (a crash under `run` before the limit) */
    const int terms = 20000;
    char *vars = malloc((size_t)terms * 2 + 64);
    char *p = vars + sprintf(vars, "<aux name=\"a\"><eqn>1");
    for (int i = 1; i < terms; i++)
        p += sprintf(p, "+1");
    sprintf(p, "</eqn></aux>");
    char *d = doc(0, 1, 1, vars);
    char *e = load_error(d);
    ck_assert_msg(strstr(e, "expression too long: over 10000 nested operations") != NULL, "%s", e);
    free(e), free(d), free(vars);
}
END_TEST

START_TEST(module_that_contains_itself)
{
    const char *text =
        "<xmile xmlns=\"http://docs.oasis-open.org/xmile/ns/XMILE/v1.0\">\n"
        "<sim_specs><start>0</start><stop>1</stop></sim_specs>\n"
        "<model><variables><module name=\"m\"/></variables></model>\n"
        "<model name=\"m\"><variables>\n<module name=\"m\"/></variables></model></xmile>";
    char *e = load_error(text);
    ck_assert_str_eq(e, "t.xmile:5:1: error: module 'm' contains itself");
    free(e);
}
END_TEST

/* Arrays are flattened: one variable per element, name[elem,elem]. */
START_TEST(arrays_are_flattened)
{
    const char *text =
        "<?xml version=\"1.0\"?>\n"
        "<xmile version=\"1.0\" xmlns=\"http://docs.oasis-open.org/xmile/ns/XMILE/v1.0\">\n"
        "<header><name>t</name></header>\n"
        "<sim_specs><start>0</start><stop>2</stop><dt>1</dt></sim_specs>\n"
        "<dimensions><dim name=\"region\"><elem name=\"north\"/><elem name=\"south\"/></dim>\n"
        "<dim name=\"k\" size=\"3\"/></dimensions>\n"
        "<model><variables>\n"
        "<stock name=\"pop\"><dimensions><dim name=\"region\"/></dimensions><eqn>100</eqn>"
        "<inflow>growth</inflow></stock>\n"
        "<flow name=\"growth\"><dimensions><dim name=\"region\"/></dimensions>"
        "<eqn>pop[region] * rate[region]</eqn></flow>\n"
        "<aux name=\"rate\"><dimensions><dim name=\"region\"/></dimensions>"
        "<element subscript=\"north\"><eqn>0.1</eqn></element>"
        "<element subscript=\"south\"><eqn>0.2</eqn></element></aux>\n"
        "<aux name=\"w\"><dimensions><dim name=\"k\"/></dimensions><eqn>1, 2, 4</eqn></aux>\n"
        "<aux name=\"total\"><eqn>SUM(pop[*])</eqn></aux>\n"
        "<aux name=\"biggest\"><eqn>MAX(w[*]) + MEAN(w[*]) + w[2]</eqn></aux>\n"
        "<aux name=\"spread\"><eqn>STDDEV(w[*]) + 100 * SIZE(w)</eqn></aux>\n"
        "<aux name=\"share\"><dimensions><dim name=\"region\"/></dimensions>"
        "<eqn>pop[region] / SUM(pop[*])</eqn></aux>\n"
        "</variables></model></xmile>\n";
    migdev_model *m = load(text);
    size_t n;
    double *s = series(m, "pop[south]", &n);
    ck_assert_double_eq_tol(s[1], 120, 1e-12);  /* 100 * 1.2 */
    ck_assert_double_eq_tol(s[2], 144, 1e-12);
    free(s);
    s = series(m, "total", &n);
    ck_assert_double_eq_tol(s[1], 110 + 120, 1e-12);
    free(s);
    s = series(m, "biggest", &n);
    ck_assert_double_eq_tol(s[0], 4 + 7.0 / 3 + 2, 1e-12);
    free(s);
    /* w = 1, 2, 4: mean 7/3, squared deviations 16/9, 1/9, 25/9 */
    s = series(m, "spread", &n);
    ck_assert_double_eq_tol(s[0], sqrt(42.0 / 27) + 300, 1e-12);
    free(s);
    s = series(m, "share[south]", &n); /* '*' runs over all, even in an arrayed variable */
    ck_assert_double_eq_tol(s[1], 120.0 / 230, 1e-12);
    free(s);
    s = series(m, "SUM(pop[*])", &n);  /* the same for every element: computed once */
    ck_assert_double_eq_tol(s[1], 230, 1e-12);
    free(s);
    migdev_model_free(m);
}
END_TEST

/* The array forms of XMILE 3.7.1 beyond subscripts by dimension: a
** dimension's name as the element's position, Dim.elem, names without
** subscripts, positions and expressions as subscripts, transposition,
** reductions over one dimension of two, MIN/MAX of arrays and numbers, and
** graphical functions per element. Values by hand from the equations. */
START_TEST(array_forms_of_the_standard)
{
    const char *text =
        "<?xml version=\"1.0\"?>\n"
        "<xmile version=\"1.0\" xmlns=\"http://docs.oasis-open.org/xmile/ns/XMILE/v1.0\">\n"
        "<header><name>t</name></header>\n"
        "<sim_specs><start>0</start><stop>2</stop><dt>1</dt></sim_specs>\n"
        "<dimensions><dim name=\"N\" size=\"3\"/>"
        "<dim name=\"Loc\"><elem name=\"Boston\"/><elem name=\"Chicago\"/></dim></dimensions>\n"
        "<model><variables>\n"
        /* a = 10, 20, 30; m2[Loc, N] = 100 * Loc + a */
        "<aux name=\"a\"><dimensions><dim name=\"N\"/></dimensions><eqn>N * 10</eqn></aux>\n"
        "<aux name=\"m2\"><dimensions><dim name=\"Loc\"/><dim name=\"N\"/></dimensions>"
        "<eqn>Loc * 100 + a</eqn></aux>\n"
        "<aux name=\"tr\"><dimensions><dim name=\"N\"/><dim name=\"Loc\"/></dimensions>"
        "<eqn>m2'</eqn></aux>\n"
        "<aux name=\"byname\"><dimensions><dim name=\"N\"/><dim name=\"Loc\"/></dimensions>"
        "<eqn>m2</eqn></aux>\n"
        "<aux name=\"rows\"><dimensions><dim name=\"Loc\"/></dimensions>"
        "<eqn>SUM(m2[Loc, *])</eqn></aux>\n"
        "<aux name=\"cols\"><dimensions><dim name=\"N\"/></dimensions>"
        "<eqn>SUM(m2[*, N])</eqn></aux>\n"
        "<aux name=\"shift\"><dimensions><dim name=\"N\"/></dimensions>"
        "<eqn>a[N - 1] + a[N + 1] / 1000</eqn></aux>\n"
        "<aux name=\"q\"><dimensions><dim name=\"N\"/><dim name=\"N\"/></dimensions>"
        "<eqn>1, 2, 3, 4, 5, 6, 7, 8, 9</eqn></aux>\n"
        "<aux name=\"qt\"><dimensions><dim name=\"N\"/><dim name=\"N\"/></dimensions>"
        "<eqn>q[@2, @1]</eqn></aux>\n"
        /* a repeated dimension: each '*' runs on its own, a name alone by position */
        "<aux name=\"qsum\"><eqn>SUM(q[*, *]) + SUM(q) * 100</eqn></aux>\n"
        "<aux name=\"qrow\"><dimensions><dim name=\"N\"/></dimensions>"
        "<eqn>SUM(q[N, *]) + SUM(q[*, N]) * 100</eqn></aux>\n"
        "<aux name=\"qcopy\"><dimensions><dim name=\"N\"/><dim name=\"N\"/></dimensions>"
        "<eqn>q</eqn></aux>\n"
        "<aux name=\"pos\"><eqn>Loc.Chicago + 10 * SIZE(a)</eqn></aux>\n"
        "<aux name=\"idx\"><eqn>m2[2, 3] + m2[Loc.Chicago, 1] / 1000 + a[4]</eqn></aux>\n"
        "<aux name=\"whole\"><eqn>SUM(a) + MIN(m2) * 1000 + MEAN(m2) / 1000</eqn></aux>\n"
        "<aux name=\"sd\"><eqn>STDDEV(m2)</eqn></aux>\n"
        "<aux name=\"rng\"><eqn>SUM(a[2:3]) + MEAN(m2[Chicago, 1:2]) * 1000 + "
        "SUM(m2[Boston:Chicago, 3]) * 1e6</eqn></aux>\n"
        "<aux name=\"sz\"><dimensions><dim name=\"Loc\"/><dim name=\"N\"/></dimensions>"
        "<eqn>SIZE(SELF) + 10 * SIZE(SELF[1, *])</eqn></aux>\n"
        "<aux name=\"mix\"><eqn>SUM(a, 5) + MEAN(1, 2, 6) / 1000 + PROD(2, 3) * 1000 + "
        "MEAN(a[*], 20) * 1e6</eqn></aux>\n"
        /* inside an array builtin, a name alone is the whole array */
        "<aux name=\"share\"><dimensions><dim name=\"N\"/></dimensions>"
        "<eqn>a / SUM(a) + MAX(a, 0) * 1000</eqn></aux>\n"
        "<aux name=\"mx\"><eqn>MAX(a, 25) + MIN(a[*], 25) / 100 + MAX(a, 40) * 1000</eqn></aux>\n"
        "<aux name=\"g\"><dimensions><dim name=\"Loc\"/></dimensions><eqn>TIME</eqn>"
        "<element subscript=\"Boston\"><gf><xscale min=\"0\" max=\"2\"/><ypts>0,1,2</ypts></gf>"
        "</element><element subscript=\"Chicago\"><gf type=\"discrete\"><xpts>0,1,2</xpts>"
        "<ypts>5,6,7</ypts></gf></element></aux>\n"
        "<aux name=\"ga\"><dimensions><dim name=\"Loc\"/></dimensions><eqn>TIME / 2</eqn>"
        "<gf><xscale min=\"0\" max=\"1\"/><ypts>0,10</ypts></gf></aux>\n"
        "<aux name=\"gcall\"><eqn>g[Chicago](1.5) + LOOKUP(g[Boston], 0.5) / 10</eqn></aux>\n"
        /* subscripts computed during the run: 0 outside the dimension */
        "<aux name=\"dyn\"><eqn>a[TIME + 0.5] + m2[2, TIME * 2 - 1] / 1000</eqn></aux>\n"
        "<aux name=\"dyn2\"><dimensions><dim name=\"N\"/></dimensions>"
        "<eqn>a[a[N] / 10 + TIME - 1]</eqn></aux>\n"
        "</variables></model></xmile>\n";
    migdev_model *m = load(text);
    static const struct {
        const char *name;
        double t0, t2; /* values at times 0 and 2 */
    } want[] = {
        {"a[2]", 20, 20},
        {"m2[Chicago,3]", 230, 230},
        {"tr[3,Boston]", 130, 130},    /* m2[Boston, 3] */
        {"byname[1,Chicago]", 210, 210},
        {"rows[Boston]", 110 + 120 + 130, 360},
        {"cols[2]", 120 + 220, 340},
        {"shift[1]", 0 + 20 / 1000.0, 0.02}, /* a[0] is outside N: 0 */
        {"shift[2]", 10 + 30 / 1000.0, 10.03},
        {"shift[3]", 20 + 0, 20},
        {"qt[1,2]", 4, 4}, /* q[2, 1]: row-major 4 */
        {"qt[3,1]", 3, 3},
        {"qsum", 45 + 4500, 4545},
        {"qrow[2]", 4 + 5 + 6 + (2 + 5 + 8) * 100, 1515}, /* row 2; column 2 */
        {"qcopy[1,3]", 3, 3},
        {"pos", 2 + 30, 32},
        {"idx", 230 + 0.21 + 0, 230.21},
        {"whole", 60 + 110000 + 170 / 1000.0, 110060 + 0.17},
        {"mx", 30 + 0.1 + 40000, 40030.1},
        /* m2 = 110, 120, 130, 210, 220, 230: mean 170, squared deviations
           3600, 2500, 1600 twice: sqrt(15400 / 6) */
        {"sd", 50.662280511902214, 50.662280511902214},
        {"rng", 50 + 215e3 + 360e6, 50 + 215e3 + 360e6}, /* 20 + 30; (210 + 220) / 2; 130 + 230 */
        {"sz[Chicago,2]", 6 + 10 * 3, 36}, /* 2 x 3 elements; a row has 3 */
        {"mix", 65 + 0.003 + 6000 + 20e6, 65 + 0.003 + 6000 + 20e6}, /* MEAN(10,20,30,20) */
        {"share[2]", 20.0 / 60 + 30000, 20.0 / 60 + 30000},
        {"g[Boston]", 0, 2},
        {"g[Chicago]", 5, 7},           /* discrete at TIME */
        {"ga[Chicago]", 0, 10},         /* the one gf at TIME/2 */
        {"gcall", 6 + 0.05, 6.05},      /* discrete at 1.5: 6; linear at 0.5: 0.5 */
        {"dyn", 0 + 0, 20 + 0.23},      /* a[0], m2[2, -1]; a[2], m2[2, 3] = 230 */
        {"dyn2[1]", 0, 20},             /* a[0]; a[2] */
        {"dyn2[3]", 20, 0},             /* a[2]; a[4] */
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        size_t n;
        double *s = series(m, want[i].name, &n);
        ck_assert_uint_eq(n, 3);
        ck_assert_msg(fabs(s[0] - want[i].t0) < 1e-9 && fabs(s[2] - want[i].t2) < 1e-9,
                      "%s: %.17g %.17g, want %.17g %.17g", want[i].name, s[0], s[2], want[i].t0,
                      want[i].t2);
        free(s);
    }
    migdev_model_free(m);
}
END_TEST

/* What Stella files carry: unit aliases, a save interval element, isee.
** functions, PULSE(m), RAMP with an end. */
START_TEST(stella_spellings)
{
    char text[4096];
    snprintf(text, sizeof text,
             "%s<sim_specs time_units=\"mo\"><start>0</start><stop>4</stop>"
             "<dt reciprocal=\"true\">2</dt><save_interval>1</save_interval></sim_specs>\n"
             "<model_units><unit name=\"Months\"><eqn/><alias>mo</alias></unit>"
             "<unit name=\"Widgets\"><eqn/><alias>wdg</alias><alias>widget</alias></unit>"
             "</model_units>\n"
             "<model><variables>\n"
             "<aux name=\"p\"><eqn>PULSE(4)</eqn><units>wdg/mo</units></aux>\n"
             "<aux name=\"r\"><eqn>RAMP(2, 1, 2.5)</eqn></aux>\n"
             "<aux name=\"i\"><eqn>isee.MAX(TIME, 1)</eqn></aux>\n"
             "</variables></model></xmile>",
             head);
    migdev_model *m = load(text);
    ck_assert_str_eq(migdev_model_time_units(m), "Months");
    migdev_var_info info;
    ck_assert_int_eq(migdev_model_var(m, migdev_model_find(m, "p"), &info), 0);
    ck_assert_str_eq(info.units, "Widgets/Months");
    migdev_sim_spec sp = migdev_model_default_spec(m);
    ck_assert_double_eq(sp.dt, 0.5);
    ck_assert_double_eq(sp.save_every, 1.0);
    size_t n;
    double *s = series(m, "p", &n);
    ck_assert_uint_eq(n, 5); /* 0, 1, 2, 3, 4 */
    ck_assert_double_eq_tol(s[0], 8, 1e-12); /* 4 / DT at STARTTIME */
    ck_assert_double_eq_tol(s[1], 0, 1e-12);
    free(s);
    s = series(m, "r", &n); /* 2 per time from 1, flat after 2.5 */
    ck_assert_double_eq_tol(s[1], 0, 1e-12);
    ck_assert_double_eq_tol(s[2], 2, 1e-12);
    ck_assert_double_eq_tol(s[3], 3, 1e-12);
    ck_assert_double_eq_tol(s[4], 3, 1e-12);
    free(s);
    s = series(m, "i", &n);
    ck_assert_double_eq_tol(s[0], 1, 1e-12);
    ck_assert_double_eq_tol(s[3], 3, 1e-12);
    free(s);
    migdev_model_free(m);
}
END_TEST

/* A module's arrayed input connected to an arrayed variable, element by
** element, and its arrayed output read back with a subscript. */
START_TEST(arrays_through_modules)
{
    const char *text =
        "<xmile version=\"1.0\" xmlns=\"http://docs.oasis-open.org/xmile/ns/XMILE/v1.0\">\n"
        "<header><vendor>t</vendor><product version=\"1\">t</product></header>\n"
        "<sim_specs><start>0</start><stop>1</stop><dt>1</dt></sim_specs>\n"
        "<dimensions><dim name=\"N\" size=\"2\"/></dimensions>\n"
        "<model><variables>\n"
        "<aux name=\"a\"><dimensions><dim name=\"N\"/></dimensions><eqn>N * 10</eqn></aux>\n"
        "<module name=\"m\"><connect to=\"inp\" from=\".a\"/></module>\n"
        "<aux name=\"got\"><dimensions><dim name=\"N\"/></dimensions><eqn>m.out[N] * 2</eqn></aux>\n"
        "</variables></model>\n"
        "<model name=\"m\"><variables>\n"
        "<aux name=\"inp\" access=\"input\"><dimensions><dim name=\"N\"/></dimensions>"
        "<eqn>0</eqn></aux>\n"
        "<aux name=\"out\" access=\"output\"><dimensions><dim name=\"N\"/></dimensions>"
        "<eqn>inp + 1</eqn></aux>\n"
        "</variables></model></xmile>\n";
    migdev_model *m = load(text);
    size_t n;
    double *s = series(m, "got[2]", &n);
    ck_assert_double_eq_tol(s[0], (20 + 1) * 2, 1e-12);
    free(s);
    s = series(m, "m.out[1]", &n);
    ck_assert_double_eq_tol(s[1], 11, 1e-12);
    free(s);
    migdev_model_free(m);
}
END_TEST

/* Elements named by numbers (years): a number that is an element's name
** is that element; any other number a position. */
START_TEST(numbers_as_element_names)
{
    const char *text =
        "<xmile version=\"1.0\" xmlns=\"http://docs.oasis-open.org/xmile/ns/XMILE/v1.0\">\n"
        "<header><vendor>t</vendor><product version=\"1\">t</product></header>\n"
        "<sim_specs><start>0</start><stop>1</stop><dt>1</dt></sim_specs>\n"
        "<dimensions><dim name=\"Y\"><elem name=\"2020\"/><elem name=\"2021\"/></dim></dimensions>\n"
        "<model><variables>\n"
        "<aux name=\"a\"><dimensions><dim name=\"Y\"/></dimensions><eqn>Y * 10</eqn></aux>\n"
        "<aux name=\"x\"><eqn>a[2021] + a[1] / 100</eqn></aux>\n"
        "</variables></model></xmile>\n";
    migdev_model *m = load(text);
    size_t n;
    double *s = series(m, "x", &n);
    ck_assert_double_eq_tol(s[0], 20 + 0.1, 1e-12);
    free(s);
    migdev_model_free(m);
}
END_TEST

/* Mutated array files never crash the reader (fixed seed; run under the
** sanitizers by test.sh): each loads or is refused with a message. */
START_TEST(array_mutations_are_refused_cleanly)
{
    const char *base =
        "<?xml version=\"1.0\"?>\n"
        "<xmile version=\"1.0\" xmlns=\"http://docs.oasis-open.org/xmile/ns/XMILE/v1.0\">\n"
        "<header><name>t</name></header>\n"
        "<sim_specs><start>0</start><stop>2</stop><dt>1</dt></sim_specs>\n"
        "<dimensions><dim name=\"r\"><elem name=\"n\"/><elem name=\"s\"/></dim>"
        "<dim name=\"k\" size=\"3\"/></dimensions>\n"
        "<model><variables>\n"
        "<stock name=\"p\"><dimensions><dim name=\"r\"/></dimensions><eqn>100</eqn>"
        "<inflow>g</inflow></stock>\n"
        "<flow name=\"g\"><dimensions><dim name=\"r\"/></dimensions>"
        "<eqn>p[r] * q[r] + SUM(w[*]) / MEAN(w[*])</eqn></flow>\n"
        "<aux name=\"q\"><dimensions><dim name=\"r\"/></dimensions>"
        "<element subscript=\"n\"><eqn>0.1</eqn></element>"
        "<element subscript=\"s\"><eqn>MAX(w[*]) * 0.01</eqn></element></aux>\n"
        "<aux name=\"w\"><dimensions><dim name=\"k\"/></dimensions><eqn>1, 2, 4</eqn></aux>\n"
        "<aux name=\"t\"><eqn>PROD(p[*]) + w[2] + p[s]</eqn></aux>\n"
        "<aux name=\"u\"><dimensions><dim name=\"k\"/><dim name=\"r\"/></dimensions>"
        "<eqn>w[k - 1] * k + w[TIME + 1] + SUM(w) + MAX(w, 0) + p[@2] + r.s</eqn></aux>\n"
        "<aux name=\"v\"><dimensions><dim name=\"r\"/><dim name=\"k\"/></dimensions>"
        "<eqn>u' + STDDEV(u)</eqn><gf><xscale min=\"0\" max=\"1\"/><ypts>0,1</ypts></gf></aux>\n"
        "</variables></model></xmile>\n";
    migdev_model_free(load(base));
    const size_t len = strlen(base);
    static const char alphabet[] = "[](),*\"=+-/ abknrsw012.{}<>@:'";
    unsigned long state = 4242;
    char *t = malloc(len + 1);
    int loaded = 0, refused = 0;
    for (int iter = 0; iter < 1500; iter++) {
        memcpy(t, base, len + 1);
        for (int e = 0; e < 1 + iter % 3; e++) {
            state = state * 6364136223846793005UL + 1442695040888963407UL;
            /* edit inside the <variables>, where the arrays are */
            const size_t from = (size_t)(strstr(base, "<model>") - base);
            const size_t at = from + (size_t)(state >> 33) % (len - from);
            t[at] = alphabet[(state >> 20) % (sizeof alphabet - 1)];
        }
        migdev_error err;
        migdev_error_clear(&err);
        migdev_model *m = migdev_model_load_string(t, "t.xmile", &err);
        if (m) {
            loaded++;
            migdev_model_free(m);
        } else {
            refused++;
            ck_assert_msg(err.code != 0 && err.message[0], "a refusal without a message");
        }
    }
    ck_assert_int_gt(loaded, 0);
    ck_assert_int_gt(refused, 0);
    free(t);
}
END_TEST

/* A pre-standard file (Stella 10's draft namespace): variables directly in
** <model>, diagram positions in <display>. */
START_TEST(pre_standard_layout)
{
    const char *text =
        "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n"
        "<xmile version=\"1.0\" level=\"3\" xmlns=\"http://www.systemdynamics.org/XMILE\">\n"
        "<header><name>t</name></header>\n"
        "<sim_specs method=\"Euler\"><start>0</start><stop>2</stop><dt>0.5</dt></sim_specs>\n"
        "<model>\n"
        "<stock name=\"s\"><eqn>10</eqn><outflow>f</outflow><display x=\"1\" y=\"2\"/></stock>\n"
        "<flow name=\"f\"><eqn>s * k</eqn><display x=\"3\" y=\"4\"/></flow>\n"
        "<aux name=\"k\"><eqn>0.2</eqn></aux>\n"
        "<display page_width=\"0\"/>\n"
        "</model></xmile>\n";
    migdev_model *m = load(text);
    size_t n;
    double *s = series(m, "s", &n);
    ck_assert_int_eq((int)n, 5);
    double x = 10; /* Euler: s -= 0.5 * 0.2 * s */
    for (size_t k = 0; k < n; k++) {
        ck_assert_double_eq_tol(s[k], x, 1e-12);
        x -= 0.5 * 0.2 * x;
    }
    free(s);
    migdev_model_free(m);
}
END_TEST

/* What converters write beyond the standard, read the one way it can mean:
** several <eqn>s in an arrayed variable (one per element, in order), a
** table of values with ';' ending each row (row-major), and a flow named
** in <inflow> without the quotes its '/' would need in an equation. */
START_TEST(converter_layouts)
{
    const char *text =
        "<?xml version=\"1.0\"?>\n"
        "<xmile version=\"1.0\" xmlns=\"http://docs.oasis-open.org/xmile/ns/XMILE/v1.0\">\n"
        "<header><name>t</name></header>\n"
        "<sim_specs><start>0</start><stop>2</stop><dt>1</dt></sim_specs>\n"
        "<dimensions><dim name=\"r\"><elem name=\"a\"/><elem name=\"b\"/></dim>\n"
        "<dim name=\"c\"><elem name=\"x\"/><elem name=\"y\"/><elem name=\"z\"/></dim>"
        "</dimensions>\n"
        "<model><variables>\n"
        "<aux name=\"v\"><dimensions><dim name=\"r\"/></dimensions>"
        "<eqn>TIME + 1</eqn><eqn>10 * TIME</eqn></aux>\n"
        "<aux name=\"tab\"><dimensions><dim name=\"r\"/><dim name=\"c\"/></dimensions>"
        "<eqn>1, 2, 3;\n 4, 5, 6;</eqn></aux>\n"
        "<stock name=\"s\"><eqn>0</eqn><inflow>in/flow</inflow></stock>\n"
        "<flow name=\"in/flow\"><eqn>2</eqn></flow>\n"
        "</variables></model></xmile>\n";
    migdev_model *m = load(text);
    size_t n;
    double *s = series(m, "v[a]", &n);
    ck_assert_double_eq_tol(s[2], 3, 1e-12);
    free(s);
    s = series(m, "v[b]", &n);
    ck_assert_double_eq_tol(s[2], 20, 1e-12);
    free(s);
    s = series(m, "tab[b,x]", &n); /* row b, column x: the fourth number */
    ck_assert_double_eq(s[0], 4);
    free(s);
    s = series(m, "tab[a,z]", &n);
    ck_assert_double_eq(s[0], 3);
    free(s);
    s = series(m, "s", &n);
    ck_assert_double_eq_tol(s[2], 4, 1e-12); /* 0 + 2 + 2 */
    free(s);
    migdev_model_free(m);
    /* three <eqn>s for two elements, or two in a scalar: refused */
    char *e = load_error(
        "<?xml version=\"1.0\"?>\n"
        "<xmile version=\"1.0\" xmlns=\"http://docs.oasis-open.org/xmile/ns/XMILE/v1.0\">\n"
        "<header><name>t</name></header>\n"
        "<dimensions><dim name=\"r\"><elem name=\"a\"/><elem name=\"b\"/></dim></dimensions>\n"
        "<model><variables>\n"
        "<aux name=\"v\"><dimensions><dim name=\"r\"/></dimensions>"
        "<eqn>1</eqn><eqn>2</eqn><eqn>3</eqn></aux>\n"
        "</variables></model></xmile>\n");
    ck_assert_msg(strstr(e, "t.xmile:6:") && strstr(e, "has 3 equations for its 2 elements"), "%s", e);
    free(e);
    char *d = doc(0, 1, 1, "<aux name=\"v\"><eqn>1</eqn><eqn>2</eqn></aux>");
    e = load_error(d);
    ck_assert_msg(strstr(e, "t.xmile:5:") && strstr(e, "2 <eqn>s in aux 'v', which has no"), "%s", e);
    free(e);
    free(d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("xmile");
    TCase *core = tcase_create("core");
    tcase_add_test(core, teacup_matches_euler_recurrence);
    tcase_add_test(core, names_are_equivalent_as_the_standard_says);
    tcase_add_loop_test(core, expressions_follow_the_standard, 0,
                        (int)(sizeof exprs / sizeof exprs[0]));
    tcase_add_loop_test(core, builtins_of_the_core_set, 0,
                        (int)(sizeof builtins / sizeof builtins[0]));
    tcase_add_test(core, pulse_is_a_volume_over_one_step);
    tcase_add_test(core, smooths_and_delays_follow_their_stocks);
    tcase_add_test(core, delay_and_previous_shift_in_time);
    tcase_add_test(core, graphical_functions);
    tcase_add_test(core, sim_specs);
    tcase_add_test(core, modules_match_the_flat_model);
    tcase_add_test(core, connections_qualified_by_the_module);
    tcase_add_test(core, a_flow_shared_by_two_stocks);
    tcase_add_test(core, behavior_and_docs);
    tcase_add_test(core, aux_listed_as_a_flow_is_a_flow);
    tcase_add_test(core, cli_reads_xmile);
    tcase_add_test(core, pre_standard_layout);
    tcase_add_test(core, arrays_are_flattened);
    tcase_add_test(core, array_forms_of_the_standard);
    tcase_add_test(core, stella_spellings);
    tcase_add_test(core, arrays_through_modules);
    tcase_add_test(core, numbers_as_element_names);
    tcase_add_test(core, converter_layouts);
    suite_add_tcase(s, core);
    TCase *errs = tcase_create("errors");
    tcase_add_loop_test(errs, errors_point_into_the_file, 0, (int)(sizeof errors / sizeof errors[0]));
    tcase_add_loop_test(errs, document_errors, 0, (int)(sizeof doc_errors / sizeof doc_errors[0]));
    tcase_add_test(errs, cli_bad_xml_exits_1);
    tcase_add_test(errs, array_refusals_name_the_construct);
    suite_add_tcase(s, errs);
    TCase *fuzz = tcase_create("mutations");
    tcase_set_timeout(fuzz, 300); /* slow under the sanitizers on a busy machine */
    tcase_add_test(fuzz, array_mutations_are_refused_cleanly);
    suite_add_tcase(s, fuzz);
    TCase *lim = tcase_create("limits");
    tcase_add_test(lim, deeply_nested_equation_is_refused_not_crashed);
    tcase_add_test(lim, long_chain_is_refused_not_crashed);
    tcase_add_test(lim, module_that_contains_itself);
    suite_add_tcase(s, lim);
    return run_suite(s);
}
