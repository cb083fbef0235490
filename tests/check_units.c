/*
** check_units.c - dimensional analysis: the units language and its algebra,
** inference on hand-made expressions, every kind of finding with its
** message and position, and `migdev check --units` on the shipped models.
**
** Expected units are derived by hand from the rules of docs/model-format.md
** ("Units"); expected positions are needles in each test's own model text.
*/
#include "modelutil.h"

#include "model_int.h"
#include "units/units.h"

#include <dirent.h>
#include <stdarg.h>
#include <string.h>

/* ------------------------------------------------------------- helpers */

/* The canonical form of units text (fails the test when it does not parse). */
static const char *canon(const char *text)
{
    static char buf[256];
    migdev_error err;
    migdev_error_clear(&err);
    ck_assert_msg(migdev_units_canonical(text, buf, sizeof buf, &err) == 0, "'%s': %s", text,
                  err.message);
    return buf;
}

/* The findings on a model written as text, one per line, as the CLI prints
** them ("test.cfg:L:C: error: ..."). Owned. */
static char *findings_opt(const char *text, int strict_numbers, const double *constants)
{
    migdev_model *m = load_model_text(text);
    migdev_error err;
    migdev_error_clear(&err);
    const migdev_units_options opt = {strict_numbers, constants};
    migdev_units_report *r = migdev_units_check(m, &opt, &err);
    ck_assert_msg(r != NULL, "%s", err.message);
    size_t cap = 256, len = 0;
    char *out = malloc(cap);
    out[0] = '\0';
    for (int i = 0; i < migdev_units_report_count(r); i++) {
        const migdev_units_diag *d = migdev_units_report_get(r, i);
        char line[1400];
        const int n = d->where.line > 0
                          ? snprintf(line, sizeof line, "%s:%d:%d: %s: %s\n", d->where.file,
                                     d->where.line, d->where.column,
                                     d->severity == MIGDEV_UNITS_ERROR ? "error" : "warning",
                                     d->where.message)
                          : snprintf(line, sizeof line, "%s: %s: %s\n", d->where.file,
                                     d->severity == MIGDEV_UNITS_ERROR ? "error" : "warning",
                                     d->where.message);
        while (len + (size_t)n + 1 > cap)
            out = realloc(out, cap *= 2);
        memcpy(out + len, line, (size_t)n + 1);
        len += (size_t)n;
    }
    ck_assert_ptr_null(migdev_units_report_get(r, migdev_units_report_count(r)));
    migdev_units_report_free(r);
    migdev_model_free(m);
    return out;
}

static char *findings(const char *text)
{
    return findings_opt(text, 0, NULL);
}

/* "test.cfg:L:C: <sev>: <msg>\n" with L:C the first occurrence of needle
** after the first occurrence of after (NULL: from the start). Owned. */
static char *finding(const char *text, const char *after, const char *needle, const char *sev,
                     const char *msg)
{
    int l, c;
    text_pos_after(text, after, needle, &l, &c);
    char *s = malloc(strlen(msg) + 64);
    sprintf(s, "test.cfg:%d:%d: %s: %s\n", l, c, sev, msg);
    return s;
}

/* Concatenate and free a NULL-terminated list of owned strings. Owned. */
static char *cat(char *first, ...)
{
    va_list ap;
    size_t n = 1;
    va_start(ap, first);
    for (char *s = first; s; s = va_arg(ap, char *))
        n += strlen(s);
    va_end(ap);
    char *out = malloc(n);
    out[0] = '\0';
    va_start(ap, first);
    for (char *s = first; s; s = va_arg(ap, char *)) {
        strcat(out, s);
        free(s);
    }
    va_end(ap);
    return out;
}

#define ck_findings(text, want)                                                    \
    do {                                                                           \
        char *got_ = findings(text);                                               \
        char *want_ = (want);                                                      \
        ck_assert_str_eq(got_, want_);                                             \
        free(got_);                                                                \
        free(want_);                                                               \
    } while (0)

/* ------------------------------------------------------ the units algebra */

START_TEST(parse_and_print)
{
    static const char *const cases[][2] = {
        {"people", "people"},
        {"USD/year", "USD/year"},
        {"USD/(person*year)", "USD/(people*year)"},      /* person is people */
        {"person*year/year/USD", "people/USD"},          /* year cancels */
        {"1/year", "1/year"},
        {"1", "dimensionless"},
        {"Dmnl", "dimensionless"},
        {"dimensionless", "dimensionless"},
        {"years/yr", "dimensionless"},                   /* synonyms cancel */
        {"a/b/c", "a/(b*c)"},                            /* left to right */
        {"a/b*c", "a*c/b"},
        {"Month * months^2", "month^3"},                 /* case and plural folded */
        {"USD^0.35*USD^0.65", "USD"},                    /* exact fractions */
        {"people^(1/3)", "people^(1/3)"},
        {"(people^(1/3))^3", "people"},
        {"USD^0.65/(people^0.65*yr)", "USD^0.65/(people^0.65*year)"},
        {"m^-1", "1/m"},
        {"year^(-1/2)", "1/year^0.5"},
        {"(USD/year)^2", "USD^2/year^2"},
        {"%", "percent"},
        {"  degF / minute ", "degF/minute"},
        {"z*b*A", "A*b*z"},                              /* sorted by name */
        {"€/household", "€/household"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        ck_assert_msg(strcmp(canon(cases[i][0]), cases[i][1]) == 0, "'%s' -> '%s', expected '%s'",
                      cases[i][0], canon(cases[i][0]), cases[i][1]);
}
END_TEST

START_TEST(algebra)
{
    units_names t;
    units_names_init(&t);
    int one;
    const int people = units_names_intern(&t, "people", 6, &one);
    ck_assert_int_eq(units_names_intern(&t, "Persons", 7, &one), people);
    const int year = units_names_intern(&t, "yr", 2, &one);
    ck_assert_str_eq(units_names_get(&t, year), "year");
    ck_assert_int_eq(units_names_intern(&t, "dmnl", 4, &one), MIGDEV_E_NAME);
    ck_assert_int_eq(one, 1);
    units p, y, py, back, r;
    units_base(&p, people);
    units_base(&y, year);
    ck_assert_int_eq(units_mul(&py, &p, &y), 0);
    ck_assert_int_eq(py.n, 2);
    ck_assert_int_eq(units_div(&back, &py, &y), 0);
    ck_assert(units_equal(&back, &p));
    ck_assert(!units_equal(&py, &p));
    ck_assert_int_eq(units_div(&r, &p, &p), 0);
    ck_assert(units_is_one(&r));
    /* (people^(1/3))^3 = people; people^(2/3) is not people */
    urat third, three;
    ck_assert_int_eq(urat_make(1, 3, &third), 0);
    ck_assert_int_eq(urat_make(6, 2, &three), 0);
    ck_assert(three.num == 3 && three.den == 1);
    ck_assert_int_eq(units_pow(&r, &p, third), 0);
    ck_assert(!units_equal(&r, &p));
    ck_assert_int_eq(units_pow(&r, &r, three), 0);
    ck_assert(units_equal(&r, &p));
    /* x^0 is dimensionless */
    const urat zero = {0, 1};
    ck_assert_int_eq(units_pow(&r, &py, zero), 0);
    ck_assert(units_is_one(&r));
    char buf[64];
    ck_assert_str_eq(units_format(&t, &py, buf, sizeof buf), "people*year");
    units_div(&r, &p, &py);
    ck_assert_str_eq(units_format(&t, &r, buf, sizeof buf), "1/year");
    /* more base units than a value holds */
    units big;
    units_one(&big);
    int rc = 0;
    for (int i = 0; i <= UNITS_MAX_TERMS && rc == 0; i++) {
        char name[8];
        snprintf(name, sizeof name, "u%d", i);
        units b;
        units_base(&b, units_names_intern(&t, name, strlen(name), &one));
        rc = units_mul(&big, &big, &b);
    }
    ck_assert_int_eq(rc, MIGDEV_E_RANGE);
    ck_assert_int_eq(urat_make(1, 0, &r.t[0].e), MIGDEV_E_RANGE);
    units_names_free(&t);
}
END_TEST

START_TEST(fractions_from_decimals)
{
    urat q;
    ck_assert_int_eq(urat_from_double(0.35, &q), 0);
    ck_assert(q.num == 7 && q.den == 20);
    ck_assert_int_eq(urat_from_double(1.0 - 0.35, &q), 0); /* computed, not written */
    ck_assert(q.num == 13 && q.den == 20);
    ck_assert_int_eq(urat_from_double(1.0 / 3.0, &q), 0);
    ck_assert(q.num == 1 && q.den == 3);
    ck_assert_int_eq(urat_from_double(-2.5, &q), 0);
    ck_assert(q.num == -5 && q.den == 2);
    ck_assert_int_eq(urat_from_double(4.0, &q), 0);
    ck_assert(q.num == 4 && q.den == 1);
    ck_assert_int_eq(urat_from_double(0.123456789, &q), MIGDEV_E_RANGE);
    ck_assert_int_eq(urat_from_double(1e300, &q), MIGDEV_E_RANGE);
}
END_TEST

START_TEST(parse_errors)
{
    /* text, 1-based column of the offending character, message */
    static const struct {
        const char *text;
        int col;
        const char *msg;
    } cases[] = {
        {"people/(year", 13, "expected ')', found the end"},
        {"people year", 8, "expected '*', '/' or '^' between units, found 'year'"},
        {"people)", 7, "expected '*', '/', '^' or the end of the units, found ')'"},
        {"1000*people", 1,
         "the only number allowed as units is 1 (no units); scale factors such as 1000 belong "
         "in the equation"},
        {"USD^x", 5, "expected a number, found 'x'"},
        {"USD^0.123456789", 5,
         "the exponent must be a simple fraction (denominator up to 1000), as ^0.35 or ^(1/3)"},
        {"USD^(1.5/2)", 5, "a fractional exponent is written with whole numbers, as ^(1/3)"},
        {"people/", 8, "expected a unit name, '1' or '(', found the end"},
        {"*people", 1, "expected a unit name, '1' or '(', found '*'"},
        {"", 1, "expected a unit name, '1' or '(', found the end"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[64];
        migdev_error err;
        migdev_error_clear(&err);
        ck_assert_int_eq(migdev_units_canonical(cases[i].text, buf, sizeof buf, &err),
                         MIGDEV_E_SYNTAX);
        ck_assert_msg(err.column == cases[i].col, "'%s': column %d, expected %d", cases[i].text,
                      err.column, cases[i].col);
        ck_assert_str_eq(err.message, cases[i].msg);
    }
}
END_TEST

/* ------------------------------------------------------------- inference */

/* A model with constants of known units and one auxiliary y = expr in
** units; lookups tbl (USD, dimensionless input) and over_time (x in year). */
static char *probe_model(const char *expr, const char *declared)
{
    char *s = malloc(4096);
    snprintf(s, 4096,
             "time = { start = 0.0; stop = 10.0; dt = 1.0; units = \"year\"; };\n"
             "constants = (\n"
             "  { name = \"p\"; value = 2.0; units = \"people\"; },\n"
             "  { name = \"u\"; value = 3.0; units = \"USD\"; },\n"
             "  { name = \"t\"; value = 4.0; units = \"yr\"; },\n"
             "  { name = \"r\"; value = 0.1; units = \"1/years\"; },\n"
             "  { name = \"d\"; value = 0.5; units = \"dmnl\"; },\n"
             "  { name = \"pc\"; value = 5.0; units = \"percent\"; },\n"
             "  { name = \"k\"; value = 0.35; units = \"dimensionless\"; }\n"
             ");\n"
             "lookups = (\n"
             "  { name = \"tbl\"; x = [0.0, 1.0]; y = [0.0, 1.0]; units = \"USD\"; },\n"
             "  { name = \"over_time\"; x = [0.0, 10.0]; y = [0.0, 1.0]; x_units = \"year\"; "
             "units = \"people\"; }\n"
             ");\n"
             "auxiliaries = ( { name = \"y\"; equation = \"%s\"; units = \"%s\"; } );\n",
             expr, declared);
    return s;
}

START_TEST(inference)
{
    /* expression, its units by the rules (derived by hand) */
    static const char *const cases[][2] = {
        {"p", "people"},
        {"p * r", "people/year"},
        {"p / t", "people/year"},
        {"u / p / t", "USD/(people*year)"},
        {"p + 1", "people"},
        {"2 * p", "people"},
        {"1 / t", "1/year"},
        {"-p", "people"},
        {"p ^ 2", "people^2"},
        {"(p / t) ^ 2", "people^2/year^2"},
        {"p ^ k", "people^0.35"},
        {"p ^ (1 - k)", "people^0.65"},
        {"p ^ k * p ^ (1 - k)", "people"},
        {"pow(p, 3)", "people^3"},
        {"sqrt(p * p)", "people"},
        {"time", "year"},
        {"dt", "year"},
        {"time - start_time", "year"},
        {"stop_time - 1", "year"},
        {"if_then_else(p > 0, u, 0)", "USD"},
        {"max(p, 0, p)", "people"},
        {"min(u, u)", "USD"},
        {"abs(-u)", "USD"},
        {"int(u)", "USD"},
        {"mod(u, u)", "USD"},
        {"exp(d)", "dimensionless"},
        {"ln(p / p)", "dimensionless"},
        {"sin(k) + arctan(d)", "dimensionless"},
        {"(p > 1) and (u < 2)", "dimensionless"},
        {"not (p = p)", "dimensionless"},
        {"step(u, 5)", "USD"},
        {"pulse(u, 1, 2)", "USD"},
        {"ramp(r, 1, 5)", "dimensionless"},
        {"ramp(p, t)", "people*year"},
        {"smooth(u, t)", "USD"},
        {"smooth3(u, 3, u)", "USD"},
        {"delay1(p, t)", "people"},
        {"delay3(p, 3)", "people"},
        {"smoothn(p, t, 4)", "people"},
        {"trend(p, t)", "1/year"},
        {"forecast(u, t, t)", "USD"},
        {"init(p)", "people"},
        {"delay_fixed(u, 1)", "USD"},
        {"previous(u, 0)", "USD"},
        {"safediv(u, p)", "USD/people"},
        {"safediv(u, p, u / p)", "USD/people"},
        {"random_normal(u, u)", "USD"},
        {"random_poisson(p)", "people"},
        {"tbl(d)", "USD"},
        {"over_time(time)", "people"},
        {"pc * r", "percent/year"},
        {"u * smooth(p, t) / init(p)", "USD"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        /* declared as inferred: nothing to report */
        char *text = probe_model(cases[i][0], cases[i][1]);
        char *got = findings(text);
        ck_assert_msg(!*got, "y = %s in %s: %s", cases[i][0], cases[i][1], got);
        free(got);
        free(text);
        /* declared in another unit: the finding names what was inferred */
        text = probe_model(cases[i][0], "probe");
        got = findings(text);
        char want[200];
        snprintf(want, sizeof want, "expected 'probe' (its units), found '%s'\n", cases[i][1]);
        const char *first_end = strchr(got, '\n');
        ck_assert_msg(first_end && (size_t)(first_end + 1 - got) >= strlen(want) &&
                          strncmp(first_end + 1 - strlen(want), want, strlen(want)) == 0,
                      "y = %s: %s", cases[i][0], got);
        free(got);
        free(text);
    }
}
END_TEST

START_TEST(numbers_fit_or_are_strict)
{
    /* a number takes the units it needs; with strict numbers it is
       dimensionless (but 0, and an equation that is a number alone) */
    char *text = probe_model("p + 1", "people");
    char *got = findings_opt(text, 1, NULL);
    char *want = finding(text, "equation = \"p + ", "1", "error",
                         "'y': expected 'people' (its units), found 'dimensionless'");
    ck_assert_str_eq(got, want);
    free(got), free(want), free(text);
    static const char *const fine_when_strict[][2] = {
        {"max(0, p)", "people"}, {"2 * p", "people"}, {"5", "people"}, {"-5", "USD"},
        {"p > 0", "dimensionless"}};
    for (size_t i = 0; i < sizeof fine_when_strict / sizeof fine_when_strict[0]; i++) {
        text = probe_model(fine_when_strict[i][0], fine_when_strict[i][1]);
        got = findings_opt(text, 1, NULL);
        ck_assert_msg(!*got, "%s: %s", fine_when_strict[i][0], got);
        free(got), free(text);
    }
    /* without strict numbers a number in a sum fits anything */
    text = probe_model("u - 1", "USD");
    got = findings(text);
    ck_assert_str_eq(got, "");
    free(got), free(text);
}
END_TEST

START_TEST(constant_exponents_use_given_values)
{
    /* p ^ k with k = 0.35 is people^0.35; with k = 0.5 (a scenario's
       value) it is people^0.5 */
    char *text = probe_model("p ^ k", "people^0.35");
    double values[16] = {2.0, 3.0, 4.0, 0.1, 0.5, 5.0, 0.5};
    char *got = findings_opt(text, 0, values);
    char *want = finding(text, "equation = \"", "p ^ k", "error",
                         "'y': expected 'people^0.35' (its units), found 'people^0.5'");
    ck_assert_str_eq(got, want);
    free(got), free(want), free(text);
}
END_TEST

/* ----------------------------------------------------------------- errors */

static const char head[] =
    "time = { start = 0.0; stop = 10.0; dt = 0.5; units = \"year\"; };\n"
    "constants = (\n"
    "  { name = \"p0\"; value = 100.0; units = \"people\"; },\n"
    "  { name = \"tau\"; value = 2.0; units = \"month\"; },\n"
    "  { name = \"rate\"; value = 0.1; units = \"1/year\"; },\n"
    "  { name = \"share\"; value = 5.0; units = \"percent\"; },\n"
    "  { name = \"frac\"; value = 0.5; units = \"dimensionless\"; },\n"
    "  { name = \"money\"; value = 5.0; units = \"USD\"; },\n"
    "  { name = \"odd\"; value = 0.123456789; units = \"dimensionless\"; }\n"
    ");\n";

static char *model(const char *rest)
{
    char *s = malloc(sizeof head + strlen(rest) + 1);
    strcpy(s, head);
    strcat(s, rest);
    return s;
}

START_TEST(units_strings_that_do_not_parse)
{
    char *text = model(
        "stocks = ( { name = \"s\"; init = 0.0; units = \"people/(year\"; } );\n"
        "lookups = ( { name = \"l\"; x = [0.0, 1.0]; y = [0.0, 1.0]; units = \"USD\";\n"
        "              x_units = \"year year\"; } );\n");
    ck_findings(text, cat(finding(text, "people/(year", "\"", "error",
                                  "units of 's' \"people/(year\": expected ')', found the end"),
                          finding(text, "x_units = \"year ", "year\"", "error",
                                  "x_units of lookup 'l' \"year year\": expected '*', '/' or '^' "
                                  "between units, found 'year'"),
                          NULL));
    free(text);
    /* the column is the offending character's, inside the string */
    char *t2 = model("auxiliaries = ( { name = \"a\"; equation = \"p0\"; units = \"people ^ q\"; } );\n");
    ck_findings(t2, finding(t2, "people ^ ", "q", "error",
                            "units of 'a' \"people ^ q\": expected a number, found 'q'"));
    free(t2);
    /* and the time unit's */
    const char t3[] = "time = { start = 0.0; stop = 1.0; units = \"year)\"; };\n"
                      "auxiliaries = ( { name = \"a\"; equation = \"time\"; units = \"year\"; } );\n";
    ck_findings(t3, finding(t3, "\"year", ")", "error",
                            "the time unit \"year)\": expected '*', '/', '^' or the end of the "
                            "units, found ')'"));
}
END_TEST

START_TEST(equation_and_its_units)
{
    /* the term of a sum that differs, not the whole sum */
    char *text = model("auxiliaries = (\n"
                       "  { name = \"a\"; equation = \"p0 + p0 * rate\"; units = \"people\"; },\n"
                       "  { name = \"b\"; equation = \"p0 * rate\"; units = \"people\"; },\n"
                       "  { name = \"c\"; equation = \"if_then_else(frac > 0, p0, money)\"; units = \"people\"; }\n"
                       ");\n");
    ck_findings(text,
                cat(finding(text, "p0 + ", "p0 * rate", "error",
                            "'a': expected 'people' (its units), found 'people/year'"),
                    finding(text, "\"b\"; equation = \"", "p0 * rate", "error",
                            "'b': expected 'people' (its units), found 'people/year'"),
                    finding(text, "p0, ", "money", "error",
                            "'c': expected 'people' (its units), found 'USD'"),
                    NULL));
    free(text);
}
END_TEST

START_TEST(operands_that_differ)
{
    /* no declared units: the operands are compared with each other */
    char *text = model("auxiliaries = (\n"
                       "  { name = \"a\"; equation = \"p0 + money\"; },\n"
                       "  { name = \"b\"; equation = \"if_then_else(p0 >= money, 1, 0)\"; units = \"dimensionless\"; },\n"
                       "  { name = \"c\"; equation = \"if_then_else(frac > 0, p0, money)\"; },\n"
                       "  { name = \"d\"; equation = \"max(p0, p0, money)\"; },\n"
                       "  { name = \"e\"; equation = \"mod(money, p0) * safediv(p0, money, frac)\"; }\n"
                       ");\n");
    ck_findings(text,
                cat(finding(text, "p0 + ", "money", "error",
                            "in 'a': right operand of '+': expected 'people' (the left "
                            "operand's units), found 'USD'"),
                    finding(text, "p0 >= ", "money", "error",
                            "in 'b': right operand of '>=': expected 'people' (the left "
                            "operand's units), found 'USD'"),
                    finding(text, "0, p0, ", "money", "error",
                            "in 'c': else branch of if_then_else(): expected 'people' (the "
                            "then branch's units), found 'USD'"),
                    finding(text, "p0, p0, ", "money", "error",
                            "in 'd': argument 3 of max(): expected 'people' (the arguments "
                            "before it), found 'USD'"),
                    finding(text, "mod(money, ", "p0", "error",
                            "in 'e': argument 2 of mod(): expected 'USD' (the first argument's "
                            "units), found 'people'"),
                    finding(text, "safediv(p0, money, ", "frac", "error",
                            "in 'e': argument 3 of safediv(): expected 'people/USD' (argument 1 "
                            "/ argument 2), found 'dimensionless'"),
                    NULL));
    free(text);
}
END_TEST

START_TEST(functions_of_dimensionless_values)
{
    char *text = model("auxiliaries = (\n"
                       "  { name = \"a\"; equation = \"exp(p0)\"; },\n"
                       "  { name = \"b\"; equation = \"frac ^ rate\"; },\n"
                       "  { name = \"c\"; equation = \"p0 ^ frac\"; units = \"people^0.5\"; },\n"
                       "  { name = \"d\"; equation = \"p0 ^ b\"; },\n"
                       "  { name = \"e\"; equation = \"p0 ^ odd\"; },\n"
                       "  { name = \"f\"; equation = \"log10(share)\"; }\n"
                       ");\n");
    ck_findings(text,
                cat(finding(text, "exp(", "p0", "error",
                            "in 'a': argument of exp(): expected 'dimensionless', found 'people'"),
                    finding(text, "frac ^ ", "rate", "error",
                            "in 'b': exponent of '^': expected 'dimensionless', found '1/year'"),
                    finding(text, "\"d\"; equation = \"", "p0", "error",
                            "in 'd': base of '^' whose exponent is not made of numbers and "
                            "constants: expected 'dimensionless', found 'people'"),
                    finding(text, "p0 ^ ", "odd", "error",
                            "in 'e': the exponent of '^' is 0.123456789, not a simple fraction "
                            "(denominator up to 1000): the units of 'people' to that power "
                            "cannot be written"),
                    finding(text, "log10(", "share", "error",
                            "in 'f': argument of log10(): expected 'dimensionless', found "
                            "'percent'"),
                    NULL));
    free(text);
}
END_TEST

START_TEST(times_of_time_functions)
{
    char *text = model("auxiliaries = (\n"
                       "  { name = \"a\"; equation = \"step(p0, tau)\"; units = \"people\"; },\n"
                       "  { name = \"b\"; equation = \"pulse(p0, 1, tau)\"; units = \"people\"; },\n"
                       "  { name = \"c\"; equation = \"ramp(rate, p0)\"; units = \"dimensionless\"; },\n"
                       "  { name = \"d\"; equation = \"time + tau\"; units = \"year\"; }\n"
                       ");\n");
    ck_findings(text,
                cat(finding(text, "step(p0, ", "tau", "error",
                            "in 'a': time of step(): expected 'year' (the time unit), found "
                            "'month'"),
                    finding(text, "pulse(p0, 1, ", "tau", "error",
                            "in 'b': width of pulse(): expected 'year' (the time unit), found "
                            "'month'"),
                    finding(text, "ramp(rate, ", "p0", "error",
                            "in 'c': start of ramp(): expected 'year' (the time unit), found "
                            "'people'"),
                    finding(text, "time + ", "tau", "error",
                            "'d': expected 'year' (its units), found 'month'"),
                    NULL));
    free(text);
}
END_TEST

START_TEST(stateful_functions)
{
    char *text = model("auxiliaries = (\n"
                       "  { name = \"a\"; equation = \"smooth(p0, tau)\"; units = \"people\"; },\n"
                       "  { name = \"b\"; equation = \"delay1(p0, 2, money)\"; units = \"people\"; },\n"
                       "  { name = \"c\"; equation = \"trend(p0, 3, rate * rate)\"; units = \"1/year\"; },\n"
                       "  { name = \"e\"; equation = \"forecast(p0, 3, p0)\"; units = \"people\"; },\n"
                       "  { name = \"f\"; equation = \"p0 + smooth3(money, 1)\"; units = \"people\"; },\n"
                       "  { name = \"g\"; equation = \"delay_fixed(p0, 1, exp(p0))\"; units = \"people\"; }\n"
                       ");\n");
    ck_findings(text,
                cat(finding(text, "smooth(p0, ", "tau", "error",
                            "in 'a': delay time of smooth(): expected 'year' (the time unit), "
                            "found 'month'"),
                    finding(text, "delay1(p0, 2, ", "money", "error",
                            "in 'b': initial value of delay1(): expected 'people' (the input's "
                            "units), found 'USD'"),
                    finding(text, "trend(p0, 3, ", "rate * rate", "error",
                            "in 'c': initial trend of trend(): expected '1/year' (1 per time "
                            "unit), found '1/year^2'"),
                    finding(text, "forecast(p0, 3, ", "p0", "error",
                            "in 'e': horizon of forecast(): expected 'year' (the time unit), "
                            "found 'people'"),
                    finding(text, "p0 + ", "smooth3", "error",
                            "'f': expected 'people' (its units), found 'USD'"),
                    finding(text, "delay_fixed(p0, 1, ", "exp", "error",
                            "in 'g': initial value of delay_fixed(): expected 'people' (the "
                            "input's units), found 'dimensionless'"),
                    finding(text, "delay_fixed(p0, 1, exp(", "p0", "error",
                            "in 'g': argument of exp(): expected 'dimensionless', found 'people'"),
                    NULL));
    free(text);
}
END_TEST

START_TEST(lookups)
{
    char *text = model(
        "lookups = (\n"
        "  { name = \"by_year\"; x = [0.0, 1.0]; y = [0.0, 1.0]; x_units = \"year\"; units = \"people\"; },\n"
        "  { name = \"plain\"; x = [0.0, 1.0]; y = [0.0, 1.0]; units = \"dimensionless\"; }\n"
        ");\n"
        "auxiliaries = (\n"
        "  { name = \"a\"; equation = \"by_year(tau)\"; units = \"people\"; },\n"
        "  { name = \"b\"; equation = \"plain(time)\"; units = \"dimensionless\"; },\n"
        "  { name = \"c\"; equation = \"by_year(time) + plain(frac)\"; units = \"people\"; }\n"
        ");\n");
    ck_findings(text,
                cat(finding(text, "by_year(", "tau", "error",
                            "in 'a': input of lookup 'by_year': expected 'year' (its x_units), "
                            "found 'month'"),
                    finding(text, "plain(", "time", "warning",
                            "in 'b': the input of lookup 'plain' is in 'year', but the lookup "
                            "has no x_units, so it expects a dimensionless input: give it "
                            "x_units = \"year\""),
                    finding(text, "by_year(time) + ", "plain", "error",
                            "'c': expected 'people' (its units), found 'dimensionless'"),
                    NULL));
    free(text);
}
END_TEST

START_TEST(stocks_and_flows)
{
    char *text = model(
        "stocks = (\n"
        "  { name = \"pop\"; init = \"p0 * frac + money\"; inflows = [\"births\", \"arrivals\"];\n"
        "    outflows = [\"deaths\"]; units = \"people\"; }\n"
        ");\n"
        "flows = (\n"
        "  { name = \"births\"; equation = \"pop * rate\"; units = \"people/year\"; },\n"
        "  { name = \"arrivals\"; equation = \"pop / tau\"; units = \"people/month\"; },\n"
        "  { name = \"deaths\"; equation = \"pop * rate\"; units = \"people\"; }\n"
        ");\n");
    ck_findings(text,
                cat(finding(text, "frac + ", "money", "error",
                            "initial value of stock 'pop': expected 'people' (the stock's "
                            "units), found 'USD'"),
                    finding(text, "\"arrivals\"; equation = \"pop / tau\"; units = \"",
                            "people/month", "error",
                            "flow 'arrivals' (inflow of stock 'pop'): expected 'people/year' "
                            "(the stock's units per year), found 'people/month'"),
                    finding(text, "\"deaths\"; equation = \"", "pop * rate", "error",
                            "'deaths': expected 'people' (its units), found 'people/year'"),
                    finding(text, "\"deaths\"; equation = \"pop * rate\"; units = \"", "people",
                            "error",
                            "flow 'deaths' (outflow of stock 'pop'): expected 'people/year' "
                            "(the stock's units per year), found 'people'"),
                    NULL));
    free(text);
}
END_TEST

START_TEST(percent_is_not_dimensionless)
{
    char *text = model("auxiliaries = (\n"
                       "  { name = \"a\"; equation = \"share + frac\"; },\n"
                       "  { name = \"b\"; equation = \"share / 100\"; units = \"dimensionless\"; },\n"
                       "  { name = \"c\"; equation = \"share * frac\"; units = \"percent\"; }\n"
                       ");\n");
    ck_findings(text,
                cat(finding(text, "share + ", "frac", "error",
                            "in 'a': right operand of '+': expected 'percent' (the left "
                            "operand's units), found 'dimensionless'"),
                    finding(text, "\"b\"; equation = \"", "share", "error",
                            "'b': expected 'dimensionless' (its units), found 'percent'"),
                    NULL));
    free(text);
}
END_TEST

START_TEST(conditions_and_no_time_unit)
{
    char *text = model("auxiliaries = (\n"
                       "  { name = \"a\"; equation = \"if_then_else(p0, 1, 0)\"; units = \"dimensionless\"; },\n"
                       "  { name = \"b\"; equation = \"(p0 > 1) and money\"; units = \"dimensionless\"; }\n"
                       ");\n");
    ck_findings(text,
                cat(finding(text, "if_then_else(", "p0", "warning",
                            "in 'a': the condition of if_then_else() is in 'people': expected a "
                            "comparison or a dimensionless switch"),
                    finding(text, "and ", "money", "warning",
                            "in 'b': the right operand of 'and' is in 'USD': expected a "
                            "comparison or a dimensionless switch"),
                    NULL));
    free(text);
    /* without a time unit, what depends on it is not checked (as with a
       variable without units); the rest is */
    const char t2[] = "time = { start = 0.0; stop = 1.0; };\n"
                      "constants = ( { name = \"p\"; value = 1.0; units = \"people\"; } );\n"
                      "auxiliaries = ( { name = \"a\"; equation = \"step(p, p) + time * p\"; },\n"
                      "  { name = \"b\"; equation = \"p\"; units = \"year\"; } );\n";
    ck_findings(t2, finding(t2, "\"b\"; equation = \"", "p", "error",
                            "'b': expected 'year' (its units), found 'people'"));
}
END_TEST

START_TEST(variables_without_units_are_not_checked)
{
    /* x has no units: nothing computed from it is checked (check --strict
       reports the missing units) */
    char *text = model("auxiliaries = (\n"
                       "  { name = \"x\"; equation = \"p0 * 2\"; },\n"
                       "  { name = \"a\"; equation = \"x + money\"; units = \"USD\"; }\n"
                       ");\n");
    char *got = findings(text);
    ck_assert_str_eq(got, "");
    free(got);
    free(text);
}
END_TEST

START_TEST(consistent_model_passes)
{
    /* the teacup and the logistic population of docs/model-format.md, and
       a model using every kind of rule consistently */
    static const char *const files[] = {"models/examples/teacup.cfg",
                                        "models/examples/logistic.cfg"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *path = source_path(files[i]);
        char *text = read_text(path);
        char *got = findings(text);
        ck_assert_msg(!*got, "%s: %s", files[i], got);
        free(got), free(text), free(path);
    }
    char *text = model(
        "stocks = ( { name = \"pop\"; init = \"p0\"; inflows = [\"births\"]; units = \"people\"; } );\n"
        "flows = ( { name = \"births\"; equation = \"smooth(pop * rate, tau / 12 * 12 * 1)\"; "
        "units = \"people/year\"; } );\n"
        "auxiliaries = ( { name = \"w\"; "
        "equation = \"money / pop * exp(-rate * (time - start_time)) + step(money / p0, 2)\"; "
        "units = \"USD/people\"; } );\n");
    char *got = findings(text);
    /* tau is in months: the delay time is the one thing wrong */
    char *want = finding(text, "rate, ", "tau", "error",
                         "in 'births': delay time of smooth(): expected 'year' (the time unit), "
                         "found 'month'");
    ck_assert_str_eq(got, want);
    free(got), free(want), free(text);
}
END_TEST

/* ----------------------------------------------------------------- limits */

/* An equation of n terms "t <op> t <op> ... <op> last" (owned). */
static char *chain(int n, const char *t, const char *op, const char *last)
{
    char *s = malloc((size_t)n * (strlen(t) + strlen(op)) + strlen(last) + 1);
    s[0] = '\0';
    size_t len = 0;
    for (int i = 0; i < n - 1; i++)
        len += (size_t)sprintf(s + len, "%s%s", t, op);
    strcpy(s + len, last);
    return s;
}

START_TEST(long_chains)
{
    /* the parser accepts trees 10000 high; the checker walks such chains
       without exhausting the stack, and still points at the odd term */
    char *sum = chain(9000, "p0", " + ", "money");
    char *prod = chain(5000, "p0", " * ", "p0");
    char *cmp = chain(9000, "frac", " < ", "money");
    char *conj = chain(9000, "frac", " and ", "money");
    const size_t size = 2 * strlen(sum) + strlen(prod) + strlen(cmp) + strlen(conj) + 1000;
    char *rest = malloc(size);
    snprintf(rest, size,
             "auxiliaries = (\n"
             "  { name = \"s\"; equation = \"%s\"; units = \"people\"; },\n"
             "  { name = \"u\"; equation = \"%s\"; },\n"
             "  { name = \"m\"; equation = \"%s\"; units = \"people\"; },\n"
             "  { name = \"c\"; equation = \"%s\"; },\n"
             "  { name = \"a\"; equation = \"%s\"; }\n"
             ");\n",
             sum, sum, prod, cmp, conj);
    char *text = model(rest);
    ck_findings(text,
                cat(finding(text, "\"s\"; equation = \"", "money", "error",
                            "'s': expected 'people' (its units), found 'USD'"),
                    finding(text, "\"u\"; equation = \"", "money", "error",
                            "in 'u': right operand of '+': expected 'people' (the left operand's "
                            "units), found 'USD'"),
                    finding(text, "\"m\"; equation = \"", "p0", "error",
                            "'m': expected 'people' (its units), found 'people^5000'"),
                    finding(text, "\"c\"; equation = \"", "money", "error",
                            "in 'c': right operand of '<': expected 'dimensionless' (the left "
                            "operand's units), found 'USD'"),
                    finding(text, "\"a\"; equation = \"", "money", "warning",
                            "in 'a': the right operand of 'and' is in 'USD': expected a "
                            "comparison or a dimensionless switch"),
                    NULL));
    free(text), free(rest), free(sum), free(prod), free(cmp), free(conj);
}
END_TEST

/* ------------------------------------------------------- the command line */

/* Every shipped model and scenario passes `check --units` (and --strict). */
START_TEST(shipped_models_pass)
{
    static const char *const dirs[] = {"models", "models/examples", "configs", "configs/examples"};
    int n = 0;
    for (size_t d = 0; d < sizeof dirs / sizeof dirs[0]; d++) {
        char *dir = source_path(dirs[d]);
        DIR *dh = opendir(dir);
        ck_assert_ptr_nonnull(dh);
        for (struct dirent *e = readdir(dh); e; e = readdir(dh)) {
            const size_t len = strlen(e->d_name);
            if (len < 5 || strcmp(e->d_name + len - 4, ".cfg") != 0)
                continue;
            char path[1200];
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            cmd_result r = run_migdev(NULL, (const char *const[]){"check", "--units", path, NULL});
            ck_assert_msg(r.status == 0 && !*r.err, "check --units %s: %s", path, r.err);
            cmd_result_free(&r);
            n++;
        }
        closedir(dh);
        free(dir);
    }
    ck_assert_int_ge(n, 14);
    /* the paper model, with all that --strict asks */
    char *paper = source_path("models/migration_development.cfg");
    cmd_result r = run_migdev(NULL, (const char *const[]){"check", "--strict", paper, NULL});
    ck_assert_msg(r.status == 0 && !*r.err, "%s", r.err);
    cmd_result_free(&r);
    free(paper);
}
END_TEST

START_TEST(cli_exit_status_and_output)
{
    char *text = model("auxiliaries = (\n"
                       "  { name = \"a\"; equation = \"p0 + money\"; units = \"people\"; doc = \"d\"; }\n"
                       ");\n");
    const char *path = tmp_file(0, "bad_units.cfg", text);
    /* without --units the model is fine */
    cmd_result r = run_migdev(NULL, (const char *const[]){"check", path, NULL});
    ck_assert_int_eq(r.status, 0);
    cmd_result_free(&r);
    r = run_migdev(NULL, (const char *const[]){"check", "--units", path, NULL});
    ck_assert_int_eq(r.status, 1);
    ck_assert_str_eq(r.out, "");
    int l, c;
    text_pos_after(text, "p0 + ", "money", &l, &c);
    char want[600];
    snprintf(want, sizeof want, "%s:%d:%d: error: 'a': expected 'people' (its units), found 'USD'\n",
             path, l, c);
    ck_assert_str_eq(r.err, want);
    cmd_result_free(&r);
    free(text);

    /* a warning alone: exit 0 with --units, 1 with --strict */
    text = model("auxiliaries = ( { name = \"a\"; equation = \"if_then_else(p0, 1, 0)\"; "
                 "units = \"dimensionless\"; doc = \"d\"; } );\n");
    path = tmp_file(1, "warn_units.cfg", text);
    r = run_migdev(NULL, (const char *const[]){"check", "--units", path, NULL});
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.err, ": warning: in 'a': the condition of if_then_else()"));
    cmd_result_free(&r);
    free(text);
    char *strict_text = malloc(4096);
    snprintf(strict_text, 4096,
             "time = { start = 0.0; stop = 1.0; units = \"year\"; };\n"
             "constants = ( { name = \"p0\"; value = 1.0; units = \"people\"; doc = \"d\"; "
             "source = \"s\"; } );\n"
             "auxiliaries = ( { name = \"a\"; equation = \"if_then_else(p0, 1, 0)\"; "
             "units = \"dimensionless\"; doc = \"d\"; } );\n");
    path = tmp_file(2, "strict_units.cfg", strict_text);
    r = run_migdev(NULL, (const char *const[]){"check", "--strict", path, NULL});
    ck_assert_int_eq(r.status, 1);
    ck_assert_ptr_nonnull(strstr(r.err, ": warning: in 'a': the condition of if_then_else()"));
    cmd_result_free(&r);
    free(strict_text);

    /* --strict-numbers */
    text = model("auxiliaries = ( { name = \"a\"; equation = \"p0 + 1\"; units = \"people\"; } );\n");
    path = tmp_file(3, "numbers.cfg", text);
    r = run_migdev(NULL, (const char *const[]){"check", "--units", path, NULL});
    ck_assert_int_eq(r.status, 0);
    cmd_result_free(&r);
    r = run_migdev(NULL, (const char *const[]){"check", "--strict-numbers", path, NULL});
    ck_assert_int_eq(r.status, 1);
    ck_assert_ptr_nonnull(strstr(r.err, "error: 'a': expected 'people' (its units), found "
                                        "'dimensionless'"));
    cmd_result_free(&r);
    free(text);
}
END_TEST

START_TEST(scenario_values_reach_exponents)
{
    /* a Cobb-Douglas scale factor declared for share = 0.35 is in
       USD^0.65/(people^0.65*year); a scenario that sets share = 0.4 makes the
       declared units wrong, and check --units on the scenario says so */
    char *dir = tmp_dir();
    char model[1200], scen[1200];
    snprintf(model, sizeof model, "%s/cd.cfg", dir);
    snprintf(scen, sizeof scen, "%s/share.cfg", dir);
    FILE *f = fopen(model, "w");
    fputs("time = { units = \"year\"; };\n"
          "constants = ( { name = \"share\"; value = 0.35; units = \"dimensionless\"; },\n"
          "  { name = \"k\"; value = 10.0; units = \"USD\"; },\n"
          "  { name = \"l\"; value = 5.0; units = \"people\"; },\n"
          "  { name = \"a\"; value = 2.0; units = \"USD^0.65/(people^0.65*year)\"; } );\n"
          "auxiliaries = ( { name = \"y\"; equation = \"a * k ^ share * l ^ (1 - share)\";\n"
          "                  units = \"USD/year\"; } );\n", f);
    fclose(f);
    f = fopen(scen, "w");
    fprintf(f, "model = \"cd.cfg\";\nset = { share = 0.4; };\n");
    fclose(f);
    cmd_result r = run_migdev(NULL, (const char *const[]){"check", "--units", model, NULL});
    ck_assert_msg(r.status == 0, "%s", r.err);
    cmd_result_free(&r);
    r = run_migdev(NULL, (const char *const[]){"check", "--units", scen, NULL});
    ck_assert_int_eq(r.status, 1);
    /* by hand: USD^0.65 people^-0.65 year^-1 * USD^0.4 * people^0.6 */
    ck_assert_msg(strstr(r.err, "error: 'y': expected 'USD/year' (its units), found "
                                "'USD^1.05/(people^0.05*year)'") != NULL,
                  "%s", r.err);
    cmd_result_free(&r);
    /* the paper model's production function is normalised to 1980, so its
       units hold whatever the capital share */
    char paper_scen[1200];
    snprintf(paper_scen, sizeof paper_scen, "%s/paper.cfg", dir);
    char *paper = source_path("models/migration_development.cfg");
    f = fopen(paper_scen, "w");
    fprintf(f, "model = \"%s\";\nset = { capital_share = 0.4; };\n", paper);
    fclose(f);
    r = run_migdev(NULL, (const char *const[]){"check", "--units", paper_scen, NULL});
    ck_assert_msg(r.status == 0, "%s", r.err);
    cmd_result_free(&r);
    rm_tree(dir);
    free(dir);
    free(paper);
}
END_TEST

/* The README's "Checking units" example and the one of docs/model-format.md
** print what they show. */
START_TEST(documented_examples)
{
    static const char *const docs[] = {"README.md", "docs/model-format.md"};
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        char *p = source_path(docs[i]);
        char *text = read_text(p);
        const char *shown = strstr(text, "\ntests/models/bass.cfg:30:44: error:");
        ck_assert_msg(shown != NULL, "%s shows no check --units output", docs[i]);
        shown++;
        const char *end = strstr(shown, "\n```");
        ck_assert_ptr_nonnull(end);
        char *want = strndup(shown, (size_t)(end - shown) + 1);
        char *dir = tmp_dir_linking((const char *const[]){"models", "tests", NULL});
        cmd_result r =
            run_migdev(dir, (const char *const[]){"check", "--units", "tests/models/bass.cfg", NULL});
        ck_assert_int_eq(r.status, 1);
        ck_assert_str_eq(r.err, want);
        cmd_result_free(&r);
        r = run_migdev(dir, (const char *const[]){"check", "--units",
                                                  "models/migration_development.cfg", NULL});
        ck_assert_int_eq(r.status, 0);
        ck_assert_str_eq(r.err, "");
        cmd_result_free(&r);
        rm_tree(dir);
        free(dir);
        free(want);
        free(text);
        free(p);
    }
}
END_TEST

/* ------------------------------------------------------------------ XMILE */

START_TEST(xmile_models_are_checked)
{
    const char text[] =
        "<xmile version=\"1.0\" xmlns=\"http://docs.oasis-open.org/xmile/ns/XMILE/v1.0\">\n"
        "<sim_specs time_units=\"Months\"><start>0</start><stop>4</stop><dt>1</dt></sim_specs>\n"
        "<model><variables>\n"
        "<stock name=\"Stock\"><eqn>10</eqn><inflow>Inflow</inflow><units>Widgets</units></stock>\n"
        "<flow name=\"Inflow\"><eqn>Stock * Rate</eqn><units>Widgets/Month</units></flow>\n"
        "<aux name=\"Rate\"><eqn>0.1</eqn><units>1/Month)</units></aux>\n"
        "<aux name=\"Wrong\"><eqn>Stock + Inflow</eqn><units>Widgets</units></aux>\n"
        "</variables></model></xmile>\n";
    migdev_error err;
    migdev_error_clear(&err);
    migdev_model *m = migdev_model_load_string(text, "t.xmile", &err);
    ck_assert_msg(m != NULL, "%s", err.message);
    migdev_units_report *r = migdev_units_check(m, NULL, &err);
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(migdev_units_report_count(r), 2);
    /* the units string that does not parse, at its column */
    const migdev_units_diag *d = migdev_units_report_get(r, 0);
    int l, c;
    text_pos_after(text, "<units>1/Month", ")", &l, &c);
    ck_assert_int_eq(d->where.line, l);
    ck_assert_int_eq(d->where.column, c);
    ck_assert_str_eq(d->where.message, "units of 'Rate' \"1/Month)\": expected '*', '/', '^' or "
                                       "the end of the units, found ')'");
    d = migdev_units_report_get(r, 1);
    text_pos_after(text, "Stock + ", "Inflow", &l, &c);
    ck_assert_int_eq(d->where.line, l);
    ck_assert_int_eq(d->where.column, c);
    ck_assert_str_eq(d->where.message, "'Wrong': expected 'Widgets' (its units), found "
                                       "'Widgets/month'");
    migdev_units_report_free(r);
    migdev_model_free(m);
}
END_TEST

START_TEST(x_units_survive_xmile_export)
{
    /* the paper model written as XMILE and read back keeps its units and
       is as consistent as the original */
    char *paper = source_path("models/migration_development.cfg");
    char *dir = tmp_dir();
    char out[1200];
    snprintf(out, sizeof out, "%s/paper.xmile", dir);
    cmd_result r = run_migdev(NULL, (const char *const[]){"export", "--xmile", paper, "-o", out, NULL});
    ck_assert_msg(r.status == 0, "%s", r.err);
    cmd_result_free(&r);
    migdev_error err;
    migdev_error_clear(&err);
    migdev_model *m = migdev_model_load(out, &err);
    ck_assert_msg(m != NULL, "%s", err.message);
    /* the paper model's series over time are data variables, exported as
       graphical functions of TIME; they keep their units */
    const int v = migdev_model_find(m, "destination_gdp_per_capita");
    ck_assert_int_ge(v, 0);
    migdev_var_info info;
    migdev_model_var(m, v, &info);
    ck_assert_str_eq(info.units, "USD/(person*year)");
    const int found = 1;
    ck_assert(found);
    migdev_units_report *rep = migdev_units_check(m, NULL, &err);
    ck_assert_ptr_nonnull(rep);
    ck_assert_int_eq(migdev_units_report_count(rep), 0);
    migdev_units_report_free(rep);
    migdev_model_free(m);
    rm_tree(dir);
    free(dir);
    free(paper);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("units");
    TCase *core = tcase_create("core");
    tcase_add_test(core, parse_and_print);
    tcase_add_test(core, algebra);
    tcase_add_test(core, fractions_from_decimals);
    tcase_add_test(core, inference);
    tcase_add_test(core, numbers_fit_or_are_strict);
    tcase_add_test(core, constant_exponents_use_given_values);
    tcase_add_test(core, consistent_model_passes);
    tcase_add_test(core, variables_without_units_are_not_checked);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, parse_errors);
    tcase_add_test(errors, units_strings_that_do_not_parse);
    tcase_add_test(errors, equation_and_its_units);
    tcase_add_test(errors, operands_that_differ);
    tcase_add_test(errors, functions_of_dimensionless_values);
    tcase_add_test(errors, times_of_time_functions);
    tcase_add_test(errors, stateful_functions);
    tcase_add_test(errors, lookups);
    tcase_add_test(errors, stocks_and_flows);
    tcase_add_test(errors, percent_is_not_dimensionless);
    tcase_add_test(errors, conditions_and_no_time_unit);
    tcase_add_test(errors, xmile_models_are_checked);
    suite_add_tcase(s, errors);
    TCase *limits = tcase_create("limits");
    tcase_add_test(limits, long_chains);
    tcase_set_timeout(limits, 60);
    suite_add_tcase(s, limits);
    TCase *cli = tcase_create("cli");
    tcase_add_test(cli, shipped_models_pass);
    tcase_add_test(cli, cli_exit_status_and_output);
    tcase_add_test(cli, scenario_values_reach_exponents);
    tcase_add_test(cli, documented_examples);
    tcase_add_test(cli, x_units_survive_xmile_export);
    tcase_set_timeout(cli, 120);
    suite_add_tcase(s, cli);
    return run_suite(s);
}
