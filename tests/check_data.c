/*
** check_data.c - time-series data in models (src/data/): the CSV reader's
** errors with their positions, interpolation and holding against values
** computed by hand, outside = "error" at run time, scenarios that rebind a
** variable to data, and the commands that must know data variables (list,
** check --units, export --xmile).
*/
#include "modelutil.h"

#include "data/csv.h"

#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------ helpers */

typedef struct tdir {
    char *dir;
} tdir;

static void put(const tdir *d, const char *name, const char *text, size_t len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", d->dir, name);
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "cannot write %s", path);
    ck_assert(fwrite(text, 1, len, f) == len);
    fclose(f);
}

static void put_s(const tdir *d, const char *name, const char *text)
{
    put(d, name, text, strlen(text));
}

/* A model m.cfg over [start, stop] with step 1 (Euler) and the given data
** section and auxiliaries. */
static void put_model(const tdir *d, double start, double stop, const char *data,
                      const char *auxes)
{
    char text[4096];
    snprintf(text, sizeof text,
             "name = \"d\";\n"
             "time = { start = %g; stop = %g; dt = 1; units = \"year\"; };\n"
             "data = (\n%s\n);\n"
             "auxiliaries = ( %s );\n",
             start, stop, data, auxes ? auxes : "");
    put_s(d, "m.cfg", text);
}

static char *path_in(const tdir *d, const char *name)
{
    char *p = malloc(strlen(d->dir) + strlen(name) + 2);
    sprintf(p, "%s/%s", d->dir, name);
    return p;
}

/* The error of loading m.cfg, formatted, with the folder's path removed
** ("m.cfg:3:5: error: ..."). Owned. */
static char *load_error(const tdir *d, const char *name)
{
    char *path = path_in(d, name);
    migdev_error err;
    migdev_error_clear(&err);
    migdev_model *m = migdev_model_load(path, &err);
    ck_assert_msg(m == NULL, "%s loaded", name);
    char buf[1200];
    migdev_error_format(&err, buf, sizeof buf);
    free(path);
    /* drop every "<dir>/" */
    char out[1200];
    size_t o = 0;
    const size_t dl = strlen(d->dir);
    for (const char *p = buf; *p && o + 1 < sizeof out;) {
        if (strncmp(p, d->dir, dl) == 0 && p[dl] == '/')
            p += dl + 1;
        else
            out[o++] = *p++;
    }
    out[o] = '\0';
    return strdup(out);
}

#define ck_load_error(d, name, want)                                                \
    do {                                                                           \
        char *got_ = load_error(d, name);                                          \
        ck_assert_str_eq(got_, want);                                              \
        free(got_);                                                                \
    } while (0)

/* Make the folder sub in dir. */
static int mkdir_in(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/sub", dir);
    return mkdir(path, 0700);
}

static tdir tdir_new(void) { return (tdir){tmp_dir()}; }

static void tdir_free(tdir *d)
{
    rm_tree(d->dir);
    free(d->dir);
}

/* Run m.cfg (Euler, its own span) and return variable name's series. */
typedef struct drun {
    migdev_model *m;
    migdev_run *r;
} drun;

static drun drun_new(const tdir *d, const char *file)
{
    char *path = path_in(d, file);
    migdev_error err;
    migdev_error_clear(&err);
    char buf[1200];
    drun x = {migdev_model_load(path, &err), NULL};
    ck_assert_msg(x.m != NULL, "%s", migdev_error_format(&err, buf, sizeof buf));
    const migdev_sim_spec spec = migdev_model_default_spec(x.m);
    x.r = migdev_run_new(x.m, &spec, &err);
    ck_assert_msg(x.r != NULL, "%s", migdev_error_format(&err, buf, sizeof buf));
    ck_assert_msg(migdev_run_execute(x.r, &err) == 0, "%s",
                  migdev_error_format(&err, buf, sizeof buf));
    free(path);
    return x;
}

static const double *series(const drun *x, const char *name)
{
    const int i = migdev_model_find(x->m, name);
    ck_assert_msg(i >= 0, "no variable %s", name);
    const double *s = migdev_run_series(x->r, i);
    ck_assert(s != NULL);
    return s;
}

static void drun_free(drun *x)
{
    migdev_run_free(x->r);
    migdev_model_free(x->m);
}

static const char points[] = "year,v,w\n"
                             "2000,10,1\n"
                             "2002,30,\n"
                             "2004,20,5\n";

/* ------------------------------------------------------ interpolation */

START_TEST(linear_step_and_hold_by_hand)
{
    tdir d = tdir_new();
    put_s(&d, "p.csv", points);
    put_model(&d, 1998, 2006,
              "{ name = \"lin\"; file = \"p.csv\"; column = \"v\"; outside = \"hold\"; },\n"
              "{ name = \"stp\"; file = \"p.csv\"; column = \"v\"; interpolation = \"step\";"
              " outside = \"hold\"; },\n"
              "{ name = \"gap\"; file = \"p.csv\"; time_column = \"year\"; column = \"w\";"
              " outside = \"hold\"; },\n"
              "{ name = \"big\"; file = \"p.csv\"; column = \"v\"; scale = 1e3;"
              " outside = \"hold\"; }",
              "{ name = \"twice\"; equation = \"2 * lin\"; }");
    drun x = drun_new(&d, "m.cfg");
    /* times 1998, 1999, ..., 2006 */
    const double lin[] = {10, 10, 10, 20, 30, 25, 20, 20, 20};
    const double stp[] = {10, 10, 10, 10, 30, 30, 20, 20, 20};
    /* w: 1 at 2000, blank at 2002 (a gap), 5 at 2004: 1 + (t-2000) */
    const double gap[] = {1, 1, 1, 2, 3, 4, 5, 5, 5};
    const double *a = series(&x, "lin"), *b = series(&x, "stp"), *c = series(&x, "gap"),
                 *t2 = series(&x, "twice");
    for (int i = 0; i < 9; i++) {
        ck_assert_msg(fabs(a[i] - lin[i]) < 1e-12, "lin at %d: %g", 1998 + i, a[i]);
        ck_assert_msg(fabs(b[i] - stp[i]) < 1e-12, "step at %d: %g", 1998 + i, b[i]);
        ck_assert_msg(fabs(c[i] - gap[i]) < 1e-12, "gap at %d: %g", 1998 + i, c[i]);
        ck_assert(fabs(t2[i] - 2 * lin[i]) < 1e-12);
        ck_assert(fabs(series(&x, "big")[i] - 1e3 * lin[i]) < 1e-9);
    }
    drun_free(&x);
    tdir_free(&d);
}
END_TEST

START_TEST(half_steps_interpolate)
{
    /* RK4 evaluates at t + dt/2: the value there is interpolated too. A
       stock integrating v over [2000, 2004] holds its exact integral:
       (10+30)/2*2 + (30+20)/2*2 = 90, which RK4 gets exactly for a
       piecewise-linear input whose kinks fall on steps. */
    tdir d = tdir_new();
    put_s(&d, "p.csv", points);
    put_s(&d, "m.cfg",
          "time = { start = 2000; stop = 2004; dt = 1; };\n"
          "data = ( { name = \"v\"; file = \"p.csv\"; column = \"v\"; } );\n"
          "stocks = ( { name = \"s\"; init = 0; inflows = [\"f\"]; } );\n"
          "flows = ( { name = \"f\"; equation = \"v\"; } );\n");
    char *path = path_in(&d, "m.cfg");
    migdev_error err;
    migdev_error_clear(&err);
    migdev_model *m = migdev_model_load(path, &err);
    ck_assert(m != NULL);
    migdev_sim_spec spec = spec_of(MIGDEV_RK4, 2000, 2004, 1);
    migdev_run *r = migdev_run_new(m, &spec, &err);
    ck_assert(r != NULL && migdev_run_execute(r, &err) == 0);
    const double *s = migdev_run_series(r, migdev_model_find(m, "s"));
    ck_assert_msg(fabs(s[4] - 90.0) < 1e-9, "integral %g", s[4]);
    ck_assert(fabs(s[2] - 40.0) < 1e-9);
    migdev_run_free(r);
    migdev_model_free(m);
    free(path);
    tdir_free(&d);
}
END_TEST

START_TEST(steps_hold_from_their_time_despite_rounding)
{
    /* dt = 0.7: the run's time at step 90 is 0 + 90 x 0.7 =
       62.99999999999999 in doubles; the step of the data at 63 still holds
       from there (2), and step 89 (62.3) has the value before (1) */
    tdir d = tdir_new();
    put_s(&d, "p.csv", "time,v\n0,1\n63,2\n70,3\n");
    put_s(&d, "m.cfg",
          "time = { start = 0; stop = 70; dt = 0.7; save_every = 0.7; };\n"
          "data = ( { name = \"v\"; file = \"p.csv\"; column = \"v\"; interpolation = \"step\"; } );\n");
    ck_assert(0.0 + 90 * 0.7 < 63.0); /* the premise */
    drun x = drun_new(&d, "m.cfg");
    const double *v = series(&x, "v");
    ck_assert_msg(v[89] == 1.0, "%g", v[89]);
    ck_assert_msg(v[90] == 2.0, "%g", v[90]);
    ck_assert_msg(v[100] == 3.0, "%g", v[100]);
    drun_free(&x);
    tdir_free(&d);
}
END_TEST

/* ------------------------------------------------------ outside = error */

START_TEST(outside_error_at_run_time)
{
    tdir d = tdir_new();
    put_s(&d, "p.csv", points);
    put_model(&d, 2000, 2006,
              "  { name = \"v\"; file = \"p.csv\"; column = \"v\"; }", NULL);
    char *path = path_in(&d, "m.cfg");
    migdev_error err;
    migdev_error_clear(&err);
    migdev_model *m = migdev_model_load(path, &err);
    ck_assert(m != NULL);
    const migdev_sim_spec spec = migdev_model_default_spec(m);
    migdev_run *r = migdev_run_new(m, &spec, &err);
    ck_assert(r != NULL);
    ck_assert_int_eq(migdev_run_execute(r, &err), MIGDEV_E_NONFINITE);
    ck_assert_int_eq(err.line, 4);
    ck_assert_int_eq(err.column, 13);
    ck_assert_msg(strstr(err.message, "at t=2005: 'v' has no data at this time") != NULL, "%s",
                  err.message);
    ck_assert_msg(strstr(err.message, "covers 2000 to 2004") != NULL, "%s", err.message);
    migdev_run_free(r);
    migdev_model_free(m);

    /* the command: exit 3, nothing written to the output file */
    const char *args[] = {"run", path, "-o", "out.csv", NULL};
    cmd_result res = run_migdev(d.dir, args);
    ck_assert_int_eq(res.status, 3);
    ck_assert_msg(strstr(res.err, "m.cfg:4:13: error: at t=2005: 'v' has no data") != NULL, "%s",
                  res.err);
    char *out = path_in(&d, "out.csv");
    ck_assert(access(out, F_OK) != 0);
    free(out);
    cmd_result_free(&res);
    /* before the data too */
    put_model(&d, 1999, 2002, "  { name = \"v\"; file = \"p.csv\"; column = \"v\"; }", NULL);
    res = run_migdev(d.dir, args);
    ck_assert_int_eq(res.status, 3);
    ck_assert_msg(strstr(res.err, "at t=1999: 'v' has no data") != NULL, "%s", res.err);
    cmd_result_free(&res);
    free(path);
    tdir_free(&d);
}
END_TEST

START_TEST(inside_the_data_runs_with_error)
{
    /* the default is outside = "error", and the end points are inside */
    tdir d = tdir_new();
    put_s(&d, "p.csv", points);
    put_model(&d, 2000, 2004, "  { name = \"v\"; file = \"p.csv\"; column = \"v\"; }", NULL);
    drun x = drun_new(&d, "m.cfg");
    ck_assert(series(&x, "v")[4] == 20.0);
    drun_free(&x);
    tdir_free(&d);
}
END_TEST

/* --------------------------------------------------------- CSV dialect */

START_TEST(bom_crlf_quotes_blank_lines)
{
    tdir d = tdir_new();
    static const char csv[] = "\xEF\xBB\xBF" "year, \"the value\"\r\n"
                              "2000,\"1.5\"\r\n"
                              "\r\n"
                              "2001 , 2.5 \r\n";
    put_s(&d, "p.csv", csv);
    put_model(&d, 2000, 2001,
              "  { name = \"v\"; file = \"p.csv\"; column = \"the value\"; }", NULL);
    drun x = drun_new(&d, "m.cfg");
    ck_assert(series(&x, "v")[0] == 1.5 && series(&x, "v")[1] == 2.5);
    drun_free(&x);
    tdir_free(&d);
}
END_TEST

/* One CSV text and the error it must give, with the position counted by
** hand in the text. */
static void ck_csv(const char *csv, size_t len, const char *column, const char *want)
{
    tdir d = tdir_new();
    put(&d, "p.csv", csv, len);
    char entry[300];
    snprintf(entry, sizeof entry, "  { name = \"v\"; file = \"p.csv\"; column = \"%s\"; }",
             column);
    put_model(&d, 2000, 2001, entry, NULL);
    ck_load_error(&d, "m.cfg", want);
    tdir_free(&d);
}

#define CK_CSV(text, column, want) ck_csv(text, sizeof text - 1, column, want)

START_TEST(csv_errors_with_positions)
{
    CK_CSV("year,v\n2000,1\n2001,abc\n", "v",
           "p.csv:3:6: error: 'abc' is not a number (leave the cell empty for a missing value)");
    CK_CSV("year,v\n2000,nan\n", "v", "p.csv:2:6: error: 'nan' is not a finite number");
    CK_CSV("year,v\n2000,1\n2001,-inf\n", "v", "p.csv:3:6: error: '-inf' is not a finite number");
    CK_CSV("year,v\n2000,1e999\n", "v", "p.csv:2:6: error: '1e999' is not a finite number");
    CK_CSV("year,v\n2000,1\n1999,2\n", "v",
           "p.csv:3:1: error: time 1999 comes after 2000 (line 2): the rows must be in "
           "increasing time order");
    CK_CSV("year,v\n2000,1\n2001,2\n2001,3\n", "v",
           "p.csv:4:1: error: time 2001 appears twice (also on line 3)");
    /* a repeated time is an error even where the value is blank */
    CK_CSV("year,v\n2000,1\n2000,\n", "v",
           "p.csv:3:1: error: time 2000 appears twice (also on line 2)");
    CK_CSV("year,v\n2000,1\n,2\n", "v", "p.csv:3:1: error: the time is missing");
    CK_CSV("year,v\n2000,1\n2001\n", "v", "p.csv:3:5: error: this row has 1 field, the header has 2");
    CK_CSV("year,v\n2000,\"1\n", "v",
           "p.csv:2:6: error: unterminated quoted field (a line break inside quotes is not "
           "supported)");
    CK_CSV("year,v,v\n2000,1,2\n", "v", "p.csv:1:8: error: column 'v' appears twice in the header");
    CK_CSV("year,v\n2000,1\n2001,\n", "zzz",
           "p.csv:1:1: error: no column 'zzz' in the header (columns: year, v)");
    CK_CSV("year,value\n2000,1\n", "valeu",
           "p.csv:1:1: error: no column 'valeu' in the header (did you mean 'value'?)");
    CK_CSV("year,v\n2000,\n2001,\n", "v", "p.csv:2:1: error: column 'v' has no values");
    CK_CSV("", "v", "p.csv:1:1: error: the file is empty (expected a header row: time,<columns>)");
    CK_CSV("year,v\n20\0000,1\n", "v", "p.csv:2:3: error: not a text file (contains a NUL byte)");
    CK_CSV("date,v\n2000,1\n", "v",
           "p.csv:1:1: error: no 'time' or 'year' column (columns: date, v): name the time "
           "column with time_column (the separator is a comma)");
}
END_TEST

START_TEST(csv_parse_in_memory)
{
    csv_table t;
    migdev_error err;
    migdev_error_clear(&err);
    static const char text[] = "a,\"b \"\"q\"\"\"\r\n1, 2\r\n";
    ck_assert_int_eq(csv_parse(&t, "x.csv", text, sizeof text - 1, &err), 0);
    ck_assert_int_eq(t.n_cols, 2);
    ck_assert_int_eq(t.n_rows, 1);
    ck_assert_str_eq(t.head[1].text, "b \"q\"");
    ck_assert_str_eq(csv_at(&t, 0, 1)->text, "2");
    ck_assert_int_eq(csv_at(&t, 0, 1)->col, 4);
    double v = 0;
    ck_assert_int_eq(csv_number(csv_at(&t, 0, 1), "x.csv", &v, &err), 0);
    ck_assert(v == 2.0);
    csv_free(&t);
    /* a NUL byte inside the given length */
    static const char nul[] = "a\nb\0c\n";
    ck_assert_int_eq(csv_parse(&t, "x.csv", nul, sizeof nul - 1, &err), MIGDEV_E_SYNTAX);
    ck_assert_int_eq(err.line, 2);
    ck_assert_int_eq(err.column, 2);
    csv_free(&t);
}
END_TEST

/* ------------------------------------------------------- entry errors */

START_TEST(entry_errors)
{
    tdir d = tdir_new();
    put_s(&d, "p.csv", points);
    put_model(&d, 2000, 2001, "  { name = \"v\"; file = \"nope.csv\"; column = \"v\"; }", NULL);
    char want[600];
    char *nope = path_in(&d, "nope.csv");
    snprintf(want, sizeof want,
             "m.cfg:4:25: error: data file 'nope.csv': cannot open: No such file or directory");
    ck_load_error(&d, "m.cfg", want);
    free(nope);
    put_model(&d, 2000, 2001, "  { name = \"v\"; file = \"p.csv\"; }", NULL);
    ck_load_error(&d, "m.cfg", "m.cfg:4:5: error: data 'v' has no 'column'");
    put_model(&d, 2000, 2001,
              "  { name = \"v\"; file = \"p.csv\"; column = \"v\"; interpolation = \"cubic\"; }",
              NULL);
    ck_load_error(&d, "m.cfg", "m.cfg:4:47: error: unknown interpolation 'cubic' (linear or step)");
    put_model(&d, 2000, 2001,
              "  { name = \"v\"; file = \"p.csv\"; column = \"v\"; outside = \"extrapolate\"; }",
              NULL);
    ck_load_error(&d, "m.cfg", "m.cfg:4:47: error: unknown outside 'extrapolate' (error or hold)");
    put_model(&d, 2000, 2001,
              "  { name = \"v\"; file = \"p.csv\"; column = \"v\"; scale = 0; }", NULL);
    ck_load_error(&d, "m.cfg", "m.cfg:4:47: error: the scale of data 'v' must be a non-zero number, got 0");
    put_model(&d, 2000, 2001,
              "  { name = \"v\"; file = \"p.csv\"; column = \"v\"; colour = 1; }", NULL);
    char *got = load_error(&d, "m.cfg");
    ck_assert_msg(strncmp(got, "m.cfg:4:47: error: unknown field 'colour' in data 'v'", 52) == 0,
                  "%s", got);
    free(got);
    /* a data variable's name is a variable's name */
    put_model(&d, 2000, 2001, "  { name = \"v\"; file = \"p.csv\"; column = \"v\"; }",
              "{ name = \"v\"; equation = 1; }");
    got = load_error(&d, "m.cfg");
    ck_assert_str_eq(got, "m.cfg:6:27: error: duplicate name 'v' (first defined at line 4)");
    free(got);
    tdir_free(&d);
}
END_TEST

/* ----------------------------------------------------------- scenarios */

START_TEST(scenario_rebinds_a_constant)
{
    tdir d = tdir_new();
    put_s(&d, "m.cfg", "time = { start = 2000; stop = 2004; dt = 1; };\n"
                       "constants = ( { name = \"k\"; value = 7; units = \"people\"; } );\n"
                       "auxiliaries = ( { name = \"y\"; equation = \"k + 1\"; } );\n");
    ck_assert(mkdir_in(d.dir) == 0);
    put_s(&d, "sub/p.csv", points);
    put_s(&d, "sub/s.cfg", "model = \"../m.cfg\";\n"
                           "data = ( { name = \"k\"; file = \"p.csv\"; column = \"v\"; } );\n");
    char *path = path_in(&d, "sub/s.cfg");
    migdev_error err;
    migdev_error_clear(&err);
    char buf[1200];
    migdev_scenario *s = migdev_scenario_load(path, &err);
    ck_assert_msg(s != NULL, "%s", migdev_error_format(&err, buf, sizeof buf));
    migdev_run *r = migdev_scenario_new_run(s, &err);
    ck_assert(r != NULL && migdev_run_execute(r, &err) == 0);
    const migdev_model *m = migdev_scenario_model(s);
    const double *y = migdev_run_series(r, migdev_model_find(m, "y"));
    const double want[] = {11, 21, 31, 26, 21};
    for (int i = 0; i < 5; i++)
        ck_assert_msg(y[i] == want[i], "y at %d: %g", 2000 + i, y[i]);
    migdev_var_info info;
    migdev_model_var(m, migdev_model_find(m, "k"), &info);
    ck_assert(info.kind == MIGDEV_AUXILIARY && info.data_file != NULL);
    ck_assert_str_eq(info.units, "people"); /* kept from the model */
    migdev_run_free(r);
    migdev_scenario_free(s);
    /* a stock cannot be bound; an unknown name is an error at the entry */
    put_s(&d, "sub/s.cfg", "model = \"../m.cfg\";\n"
                           "data = ( { name = \"kk\"; file = \"p.csv\"; column = \"v\"; } );\n");
    ck_assert(migdev_scenario_load(path, &err) == NULL);
    ck_assert_int_eq(err.line, 2);
    ck_assert_int_eq(err.column, 20);
    ck_assert_msg(strstr(err.message, "no variable 'kk' to bind to data (did you mean 'k'?)"),
                  "%s", err.message);
    ck_assert_msg(strstr(err.file, "s.cfg") != NULL, "%s", err.file);
    /* the CSV's own errors name the CSV file */
    put_s(&d, "sub/p.csv", "year,v\n2000,x\n");
    put_s(&d, "sub/s.cfg", "model = \"../m.cfg\";\n"
                           "data = ( { name = \"k\"; file = \"p.csv\"; column = \"v\"; } );\n");
    migdev_error_clear(&err);
    ck_assert(migdev_scenario_load(path, &err) == NULL);
    ck_assert_msg(strstr(err.file, "sub/p.csv") != NULL && err.line == 2 && err.column == 6, "%s:%d:%d",
                  err.file, err.line, err.column);
    free(path);
    tdir_free(&d);
}
END_TEST

START_TEST(fitted_scenario_keeps_the_bindings)
{
    /* v is rebound by the scenario to column v of p.csv times 2 (no time
       column named: "year"); y = a * v is fitted to y = 6 * v of the file,
       so a = 3; the fitted scenario (-o) must bind v the same way */
    tdir d = tdir_new();
    put_s(&d, "m.cfg", "time = { start = 2000; stop = 2004; dt = 1; };\n"
                       "constants = ( { name = \"a\"; value = 1; }, { name = \"v\"; value = 0; } );\n"
                       "auxiliaries = ( { name = \"y\"; equation = \"a * v\"; } );\n");
    put_s(&d, "p.csv", "year,v,y\n2000,10,60\n2002,30,180\n2004,20,120\n");
    put_s(&d, "s.cfg", "model = \"m.cfg\";\n"
                       "data = ( { name = \"v\"; file = \"p.csv\"; column = \"v\"; scale = 2; } );\n"
                       "calibrate = { data = \"p.csv\"; series = ( { variable = \"y\"; column = \"y\"; } );\n"
                       "  parameters = [\"a\"]; };\n");
    cmd_result r = run_migdev(d.dir, (const char *const[]){"calibrate", "s.cfg", "-o", "fit.cfg", NULL});
    ck_assert_msg(r.status == 0, "%s", r.err);
    cmd_result_free(&r);
    char *fit = path_in(&d, "fit.cfg");
    char *text = read_text(fit);
    ck_assert_msg(strstr(text, "scale = 2") && strstr(text, "time_column = \"year\""), "%s", text);
    free(text);
    r = run_migdev(d.dir, (const char *const[]){"run", "fit.cfg", "--vars", "y", NULL});
    ck_assert_msg(r.status == 0, "%s", r.err);
    /* 2001: v = 2 x 20 (halfway from 10 to 30), y = 3 x 40 */
    const char *row = strstr(r.out, "\n2001,");
    ck_assert_msg(row && close_to(strtod(row + 6, NULL), 120.0, 1e-8, 0), "%s", r.out);
    cmd_result_free(&r);
    free(fit);
    tdir_free(&d);
}
END_TEST

START_TEST(written_scenario_keeps_the_bindings)
{
    /* migdev_scenario_write (what `migdev serve` saves): the scenario's
       data entry comes back, so the file runs on the same series */
    tdir d = tdir_new();
    put_s(&d, "m.cfg", "time = { start = 2000; stop = 2004; dt = 1; };\n"
                       "constants = ( { name = \"v\"; value = 0; units = \"people\"; } );\n");
    ck_assert(mkdir_in(d.dir) == 0);
    put_s(&d, "sub/p.csv", points);
    put_s(&d, "sub/s.cfg", "model = \"../m.cfg\";\n"
                           "data = ( { name = \"v\"; file = \"p.csv\"; column = \"v\"; scale = 0.5;"
                           " interpolation = \"step\"; } );\n");
    char *path = path_in(&d, "sub/s.cfg"), *out = path_in(&d, "w.cfg"), *mp = path_in(&d, "m.cfg");
    migdev_error err;
    migdev_error_clear(&err);
    migdev_scenario *s = migdev_scenario_load(path, &err);
    ck_assert(s != NULL);
    FILE *f = fopen(out, "w");
    ck_assert(f != NULL);
    ck_assert_int_eq(migdev_scenario_write(s, NULL, NULL, 0, mp, f, &err), 0);
    fclose(f);
    migdev_scenario_free(s);
    s = migdev_scenario_load(out, &err);
    char buf[1200];
    ck_assert_msg(s != NULL, "%s", migdev_error_format(&err, buf, sizeof buf));
    migdev_run *r = migdev_scenario_new_run(s, &err);
    ck_assert(r != NULL && migdev_run_execute(r, &err) == 0);
    const double *v = migdev_run_series(r, migdev_model_find(migdev_scenario_model(s), "v"));
    const double want[] = {5, 5, 15, 15, 10}; /* step, halved */
    for (int i = 0; i < 5; i++)
        ck_assert_msg(v[i] == want[i], "v at %d: %g", 2000 + i, v[i]);
    migdev_run_free(r);
    migdev_scenario_free(s);
    free(path), free(out), free(mp);
    tdir_free(&d);
}
END_TEST

/* ------------------------------------------------------------- commands */

START_TEST(list_units_and_xmile)
{
    tdir d = tdir_new();
    put_s(&d, "p.csv", points);
    put_s(&d, "m.cfg",
          "time = { start = 2000; stop = 2004; dt = 1; units = \"year\"; };\n"
          "data = ( { name = \"v\"; file = \"p.csv\"; column = \"v\"; units = \"people\";\n"
          "           doc = \"A series.\"; interpolation = \"step\"; } );\n"
          "auxiliaries = ( { name = \"y\"; equation = \"v * 2\"; units = \"USD\"; } );\n");
    const char *list[] = {"list", "m.cfg", NULL};
    cmd_result res = run_migdev(d.dir, list);
    ck_assert_int_eq(res.status, 0);
    ck_assert_msg(strstr(res.out, "v\tdata\tpeople\tA series.\n") != NULL, "%s", res.out);
    cmd_result_free(&res);
    /* the data variable's units are checked where it is used */
    const char *units[] = {"check", "--units", "m.cfg", NULL};
    res = run_migdev(d.dir, units);
    ck_assert_int_eq(res.status, 1);
    ck_assert_msg(strstr(res.err, "'y': expected 'USD' (its units), found 'people'") != NULL, "%s",
                  res.err);
    cmd_result_free(&res);
    /* XMILE: an auxiliary of TIME with the points as its graphical
       function; read back, it gives the same values */
    const char *exp[] = {"export", "--xmile", "m.cfg", "-o", "m.xmile", NULL};
    res = run_migdev(d.dir, exp);
    ck_assert_msg(res.status == 0, "%s", res.err);
    cmd_result_free(&res);
    char *xp = path_in(&d, "m.xmile");
    char *x = read_text(xp);
    ck_assert(x != NULL);
    ck_assert_msg(strstr(x, "<aux name=\"v\">\n        <eqn>TIME</eqn>\n        <gf type=\"discrete\">\n"
                            "          <xpts>2000,2002,2004</xpts>\n          <ypts>10,30,20</ypts>")
                      != NULL,
                  "%s", x);
    free(x);
    drun a = drun_new(&d, "m.cfg"), b = drun_new(&d, "m.xmile");
    for (int i = 0; i < 5; i++)
        ck_assert(series(&a, "y")[i] == series(&b, "y")[i]);
    ck_assert(series(&b, "y")[3] == 60.0);
    drun_free(&a);
    drun_free(&b);
    free(xp);
    tdir_free(&d);
}
END_TEST

/* A model with a data variable goes through sweep, loops and calibrate like
** any other: the example real_savings.cfg. */
START_TEST(sweep_loops_calibrate)
{
    char *model = source_path("models/examples/real_savings.cfg");
    /* interest 0: the real value in 1982 is 1000 x CPI(1970) / CPI(1982),
       38.825 / 96.5 from the BLS series in the CSV file */
    cmd_result r = run_migdev(NULL, (const char *const[]){"sweep", model, "-j", "1", "--param",
                                                          "interest_rate=0", "--metric",
                                                          "final(real_savings)", "-o", "-", NULL});
    ck_assert_msg(r.status == 0, "%s", r.err);
    const char *row = strstr(r.out, "\n0,0,");
    ck_assert_msg(row != NULL, "%s", r.out);
    ck_assert(close_to(strtod(row + 5, NULL), 1000.0 * 38.825 / 96.5, 1e-12, 0));
    cmd_result_free(&r);
    r = run_migdev(NULL, (const char *const[]){"loops", model, NULL});
    ck_assert_msg(r.status == 0 && strstr(r.out, "savings -(+)-> interest -(+)-> savings"), "%s%s",
                  r.out, r.err);
    cmd_result_free(&r);
    /* data made by the model at interest 0.05: the fit finds 0.05 again */
    tdir d = tdir_new();
    char *obs = path_in(&d, "obs.csv");
    r = run_migdev(NULL, (const char *const[]){"run", model, "--vars", "savings", "-o", obs, NULL});
    ck_assert_int_eq(r.status, 0);
    cmd_result_free(&r);
    r = run_migdev(NULL, (const char *const[]){"calibrate", model, "--data", obs, "--time-column",
                                               "time", "--series", "savings=savings", "--set",
                                               "interest_rate=0.03", "--fit", "interest_rate=0:",
                                               NULL});
    ck_assert_msg(r.status == 0, "%s", r.err);
    const char *p = strstr(r.out, "\ninterest_rate ");
    ck_assert(p != NULL);
    double start, fitted;
    ck_assert(sscanf(p, " interest_rate %lf %lf", &start, &fitted) == 2);
    ck_assert_msg(close_to(fitted, 0.05, 1e-6, 0), "%s", r.out);
    cmd_result_free(&r);
    free(obs);
    tdir_free(&d);
    free(model);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("data");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, linear_step_and_hold_by_hand);
    tcase_add_test(tc, half_steps_interpolate);
    tcase_add_test(tc, steps_hold_from_their_time_despite_rounding);
    tcase_add_test(tc, outside_error_at_run_time);
    tcase_add_test(tc, inside_the_data_runs_with_error);
    tcase_add_test(tc, bom_crlf_quotes_blank_lines);
    tcase_add_test(tc, csv_errors_with_positions);
    tcase_add_test(tc, csv_parse_in_memory);
    tcase_add_test(tc, entry_errors);
    tcase_add_test(tc, scenario_rebinds_a_constant);
    tcase_add_test(tc, fitted_scenario_keeps_the_bindings);
    tcase_add_test(tc, written_scenario_keeps_the_bindings);
    tcase_add_test(tc, list_units_and_xmile);
    tcase_add_test(tc, sweep_loops_calibrate);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return run_suite(suite()); }
