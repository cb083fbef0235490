/*
** check_output.c - tables of results (src/output.c): the shortest number
** text that reads back to the same double, CSV and TSV layout, choosing
** columns.
*/
#include "modelutil.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

static const char *fmt(double x)
{
    static char buf[32];
    return migdev_format_number(x, buf);
}

START_TEST(shortest_numbers)
{
    ck_assert_str_eq(fmt(0.1), "0.1");
    ck_assert_str_eq(fmt(100.0), "100");
    ck_assert_str_eq(fmt(-2.5), "-2.5");
    ck_assert_str_eq(fmt(0.1 + 0.2), "0.30000000000000004");
    ck_assert_str_eq(fmt(1.0 / 3.0), "0.3333333333333333"); /* 16 digits suffice */
    ck_assert_str_eq(fmt(2.0 / 3.0), "0.6666666666666666");
    ck_assert_str_eq(fmt(1e21), "1e+21");
    ck_assert_str_eq(fmt(1e-7), "1e-07");
    ck_assert_str_eq(fmt(123456789012345678.0), "1.2345678901234568e+17");
    ck_assert_str_eq(fmt(DBL_MAX), "1.7976931348623157e+308");
    /* the smallest subnormal: C reads "5e-324" as this very double, which
       %.15g's trial of 15 digits (4.94065645841247e-324) did not find */
    ck_assert_str_eq(fmt(5e-324), "5e-324");
    ck_assert(strtod("5e-324", NULL) == 5e-324);
    ck_assert_str_eq(fmt(1e23), "1e+23");
    ck_assert_str_eq(fmt(9007199254740993.0), "9007199254740992");
    ck_assert_str_eq(fmt(0.000123), "0.000123");
    ck_assert_str_eq(fmt(1.5e-5), "1.5e-05");
    ck_assert_str_eq(fmt(123456789012345.0), "123456789012345");
    ck_assert_str_eq(fmt(1234567890123456.0), "1234567890123456"); /* %.16g's layout */
    ck_assert_str_eq(fmt(-1.2345678901234567e-300), "-1.2345678901234568e-300"); /* Python repr */
    ck_assert_str_eq(fmt(0.0), "0");
    ck_assert_str_eq(fmt(-0.0), "0"); /* as spreadsheets and Vensim show it */
    ck_assert_str_eq(fmt(NAN), "NaN");
    ck_assert_str_eq(fmt(INFINITY), "inf");
    ck_assert_str_eq(fmt(-INFINITY), "-inf");
}
END_TEST

/* Significant digits of a number as printed. */
static int sig_digits(const char *s)
{
    int n = 0, started = 0;
    for (; *s && *s != 'e'; s++) {
        started |= *s >= '1' && *s <= '9';
        n += started && *s >= '0' && *s <= '9';
    }
    return n;
}

START_TEST(numbers_round_trip)
{
    /* 300000 bit patterns spread over the whole double range */
    uint64_t state = 0x2385175UL;
    int tested = 0;
    for (int i = 0; i < 300000; i++) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        double x;
        memcpy(&x, &state, sizeof x);
        if (!isfinite(x) || x == 0.0)
            continue;
        char buf[32];
        migdev_format_number(x, buf);
        const double back = strtod(buf, NULL);
        ck_assert_msg(same_bits(back, x), "%.17g printed as %s", x, buf);
        ck_assert(strlen(buf) <= 24);
        /* against glibc: the first of %.15g, %.16g, %.17g that reads back
           has as many digits or more, and the same text when as many */
        char ref[40];
        for (int prec = 15; prec <= 17; prec++) {
            snprintf(ref, sizeof ref, "%.*g", prec, x);
            if (strtod(ref, NULL) == x)
                break;
        }
        if (strcmp(buf, ref) != 0)
            ck_assert_msg(sig_digits(buf) < sig_digits(ref), "%s vs glibc's %s", buf, ref);
        tested++;
    }
    ck_assert(tested > 295000);
}
END_TEST

static const char model[] =
    "time = { stop = 1.0; dt = 0.5; };\n"
    "constants = ( { name = \"k\"; value = 0.1; } );\n"
    "stocks = ( { name = \"s\"; init = 1; inflows = [\"f\"]; } );\n"
    "flows = ( { name = \"f\"; equation = \"k * s\"; } );\n"
    "auxiliaries = ( { name = \"a\"; equation = \"s / 3\"; } );\n";

static char *table(const sim *s, const int *vars, int n, migdev_format f, int *rc)
{
    FILE *out = tmpfile();
    migdev_error err;
    migdev_error_clear(&err);
    *rc = migdev_write_table(out, s->r, vars, n, f, &err);
    fflush(out);
    rewind(out);
    char *text = calloc(4096, 1);
    const size_t got = fread(text, 1, 4095, out);
    text[got] = '\0';
    fclose(out);
    if (*rc) {
        free(text);
        return strdup(err.message);
    }
    return text;
}

/* the model's values by hand: euler, dt = 0.5, f = 0.1 s */
static double S[3], F[3];
static void hand(void)
{
    S[0] = 1.0;
    for (int k = 0; k < 3; k++) {
        F[k] = 0.1 * S[k];
        if (k < 2)
            S[k + 1] = S[k] + 0.5 * F[k];
    }
}

/* "x,y,...": the shortest forms of the given numbers joined by sep */
static char *row(char sep, int n, const double *x)
{
    static char buf[400];
    size_t len = 0;
    for (int i = 0; i < n; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%c", fmt(x[i]), i + 1 < n ? sep : '\n');
    return buf;
}

START_TEST(csv_and_tsv)
{
    hand();
    sim s = sim_run(model, NULL);
    int rc;
    char want[1200] = "time,k,s,f,a\n";
    for (int k = 0; k < 3; k++) {
        const double x[] = {0.5 * k, 0.1, S[k], F[k], S[k] / 3.0};
        strcat(want, row(',', 5, x));
    }
    char *t = table(&s, NULL, 0, MIGDEV_CSV, &rc);
    ck_assert_int_eq(rc, 0);
    ck_assert_str_eq(t, want);
    ck_assert(strstr(t, "\n0.5,0.1,1.05,") != NULL); /* shortest forms */
    free(t);
    /* chosen columns, in the order asked, tab-separated */
    const int vars[] = {3, 1};
    strcpy(want, "time\ta\ts\n");
    for (int k = 0; k < 3; k++) {
        const double x[] = {0.5 * k, S[k] / 3.0, S[k]};
        strcat(want, row('\t', 3, x));
    }
    t = table(&s, vars, 2, MIGDEV_TSV, &rc);
    ck_assert_int_eq(rc, 0);
    ck_assert_str_eq(t, want);
    free(t);
    /* a bad index */
    const int bad[] = {9};
    t = table(&s, bad, 1, MIGDEV_CSV, &rc);
    ck_assert_int_eq(rc, MIGDEV_E_USAGE);
    ck_assert_str_eq(t, "variable index 9 out of range");
    free(t);
    sim_free(&s);
}
END_TEST

START_TEST(only_recorded_columns)
{
    hand();
    migdev_model *m = load_model_text(model);
    migdev_error err;
    migdev_error_clear(&err);
    migdev_run *r = migdev_run_new(m, NULL, &err);
    const int rec[] = {2};
    ck_assert_int_eq(migdev_run_record(r, rec, 1, &err), 0);
    ck_assert_int_eq(migdev_run_execute(r, &err), 0);
    sim s = {m, r};
    int rc;
    /* "all" means all that were recorded */
    char want[600] = "time,f\n";
    for (int k = 0; k < 3; k++) {
        const double x[] = {0.5 * k, F[k]};
        strcat(want, row(',', 2, x));
    }
    char *t = table(&s, NULL, 0, MIGDEV_CSV, &rc);
    ck_assert_int_eq(rc, 0);
    ck_assert_str_eq(t, want);
    free(t);
    const int wanted[] = {1};
    t = table(&s, wanted, 1, MIGDEV_CSV, &rc);
    ck_assert_int_eq(rc, MIGDEV_E_USAGE);
    ck_assert_str_eq(t, "variable 's' was not recorded");
    free(t);
    /* nothing recorded: just the times */
    ck_assert_int_eq(migdev_run_record(r, NULL, 0, &err), 0);
    ck_assert_int_eq(migdev_run_execute(r, &err), 0);
    t = table(&s, NULL, 0, MIGDEV_CSV, &rc);
    ck_assert_str_eq(t, "time\n0\n0.5\n1\n");
    free(t);
    sim_free(&s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("output");
    TCase *core = tcase_create("core");
    tcase_add_test(core, shortest_numbers);
    tcase_add_test(core, numbers_round_trip);
    tcase_add_test(core, csv_and_tsv);
    tcase_add_test(core, only_recorded_columns);
    tcase_set_timeout(core, 60);
    suite_add_tcase(s, core);
    return run_suite(s);
}
