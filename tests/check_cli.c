/*
** check_cli.c - the migdev command end to end (src/cli/): run on models
** and scenarios with every option, numbers checked against hand
** recurrences and bit for bit against the library; check, list, help,
** version; exit statuses; failed runs leave no output file.
*/
#include "modelutil.h"

#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* ------------------------------------------------------------ csv tables */

typedef struct table {
    int n_cols, n_rows;
    char names[16][64];
    double v[512][16];
} table;

/* Parse a CSV (or TSV) produced by migdev: header, then numbers. */
static table *parse_table(const char *text, char sep)
{
    table *t = calloc(1, sizeof *t);
    const char *p = text;
    while (*p && *p != '\n') {
        const char *e = p;
        while (*e && *e != sep && *e != '\n')
            e++;
        ck_assert(t->n_cols < 16);
        snprintf(t->names[t->n_cols++], 64, "%.*s", (int)(e - p), p);
        p = *e == sep ? e + 1 : e;
    }
    ck_assert_msg(*p == '\n', "no header line in: %s", text);
    p++;
    while (*p) {
        ck_assert(t->n_rows < 512);
        for (int c = 0; c < t->n_cols; c++) {
            char *end;
            t->v[t->n_rows][c] = strtod(p, &end);
            ck_assert_msg(end != p, "not a number at: %.20s", p);
            ck_assert_msg(*end == (c + 1 < t->n_cols ? sep : '\n'), "bad separator at: %.20s", end);
            p = end + 1;
        }
        t->n_rows++;
    }
    return t;
}

static int col_of(const table *t, const char *name)
{
    for (int c = 0; c < t->n_cols; c++)
        if (strcmp(t->names[c], name) == 0)
            return c;
    ck_abort_msg("no column %s", name);
    return -1;
}

/* The column where argument `arg` (0 = the program) starts in the command
** as typed, arguments joined by single spaces. */
static int arg_col(const char *const *args, int arg)
{
    int col = 1 + (int)strlen(MIGDEV_BIN) + 1;
    for (int k = 1; k < arg; k++)
        col += (int)strlen(args[k - 1]) + 1;
    return col;
}

static char *teacup(void) { return source_path("models/examples/teacup.cfg"); }

/* teacup by hand: euler or rk4 on T' = -(T - room)/tau from T(start) = 180 */
static double teacup_rate(double T, double room, double tau) { return -((T - room) / tau); }
static double teacup_step(double T, double room, double tau, double h, int rk4)
{
    if (!rk4)
        return T + h * teacup_rate(T, room, tau);
    const double k1 = teacup_rate(T, room, tau), k2 = teacup_rate(T + h / 2 * k1, room, tau);
    const double k3 = teacup_rate(T + h / 2 * k2, room, tau), k4 = teacup_rate(T + h * k3, room, tau);
    return T + h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
}

/* Check column T of t against the recurrence: saves every `ratio` steps of
** h from start. */
static void ck_teacup(const table *t, double start, double h, int ratio, double room, double tau,
                      int rk4)
{
    const int ct = col_of(t, "teacup_temperature");
    double T = 180.0;
    for (int row = 0; row < t->n_rows; row++) {
        ck_assert_msg(t->v[row][0] == start + h * ratio * row, "time %g", t->v[row][0]);
        ck_assert_msg(close_to(t->v[row][ct], T, 1e-12, 0.0), "row %d: %.17g vs %.17g", row,
                      t->v[row][ct], T);
        for (int k = 0; k < ratio; k++)
            T = teacup_step(T, room, tau, h, rk4);
    }
}

/* ------------------------------------------------------------------ run */

START_TEST(run_a_model)
{
    char *m = teacup();
    cmd_result r = run_migdev(NULL, ARGS("run", m));
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.err, "");
    static const char header[] =
        "time,room_temperature,characteristic_time,teacup_temperature,heat_loss_to_room\n";
    ck_assert(strncmp(r.out, header, strlen(header)) == 0);
    table *t = parse_table(r.out, ',');
    ck_assert_int_eq(t->n_rows, 31); /* 0..30 every minute, dt = 1/8 */
    ck_teacup(t, 0.0, 0.125, 8, 70.0, 10.0, 0);
    /* the flow is (T - room)/tau at the same time */
    for (int row = 0; row < 31; row++)
        ck_assert(close_to(t->v[row][4], (t->v[row][3] - 70.0) / 10.0, 1e-12, 0));
    free(t);
    cmd_result_free(&r);
    free(m);
}
END_TEST

START_TEST(run_a_scenario_from_elsewhere)
{
    /* the scenario's model path is relative to the scenario file, not to
       the current folder */
    char *sc = source_path("configs/default.cfg");
    cmd_result r = run_migdev("/", ARGS("run", sc));
    ck_assert_msg(r.status == 0, "%s", r.err);
    table *t = parse_table(r.out, ',');
    ck_assert_int_eq(t->n_cols, 3); /* time and the scenario's two variables */
    ck_assert_str_eq(t->names[1], "teacup_temperature");
    ck_assert_str_eq(t->names[2], "heat_loss_to_room");
    ck_teacup(t, 0.0, 0.125, 8, 68.0, 10.0, 0); /* set = { room_temperature = 68 } */
    free(t);
    cmd_result_free(&r);
    /* and relative to the current folder */
    char *src = source_path("");
    r = run_migdev(src, ARGS("run", "configs/default.cfg", "--stop", "2"));
    ck_assert_int_eq(r.status, 0);
    t = parse_table(r.out, ',');
    ck_assert_int_eq(t->n_rows, 3);
    ck_teacup(t, 0.0, 0.125, 8, 68.0, 10.0, 0);
    free(t);
    cmd_result_free(&r);
    free(src);
    free(sc);
}
END_TEST

START_TEST(set_overrides)
{
    char *m = teacup();
    /* repeatable; a later --set of the same name wins; --set=NAME=VALUE */
    cmd_result r = run_migdev(NULL, ARGS("run", m, "--set", "room_temperature=60", "-s",
                                         "characteristic_time=5", "--set=room_temperature=50"));
    ck_assert_msg(r.status == 0, "%s", r.err);
    table *t = parse_table(r.out, ',');
    ck_assert(t->v[0][1] == 50.0 && t->v[0][2] == 5.0);
    ck_teacup(t, 0.0, 0.125, 8, 50.0, 5.0, 0);
    free(t);
    cmd_result_free(&r);
    /* a scenario's own set is overridden too */
    char *sc = source_path("configs/default.cfg");
    r = run_migdev(NULL, ARGS("run", sc, "--set", "room_temperature=75"));
    t = parse_table(r.out, ',');
    ck_teacup(t, 0.0, 0.125, 8, 75.0, 10.0, 0);
    free(t);
    cmd_result_free(&r);
    free(sc);
    free(m);
}
END_TEST

START_TEST(time_and_method_options)
{
    char *m = teacup();
    cmd_result r = run_migdev(NULL, ARGS("run", m, "--method", "rk4", "--dt", "0.5", "--start", "5",
                                         "--stop", "15", "--save-every", "2.5"));
    ck_assert_msg(r.status == 0, "%s", r.err);
    table *t = parse_table(r.out, ',');
    ck_assert_int_eq(t->n_rows, 5); /* 5, 7.5, 10, 12.5, 15 */
    ck_teacup(t, 5.0, 0.5, 5, 70.0, 10.0, 1);
    free(t);
    cmd_result_free(&r);
    /* --dt alone: the save interval (1) stays */
    r = run_migdev(NULL, ARGS("run", m, "--dt=0.25", "--stop=3"));
    t = parse_table(r.out, ',');
    ck_assert_int_eq(t->n_rows, 4);
    ck_teacup(t, 0.0, 0.25, 4, 70.0, 10.0, 0);
    free(t);
    cmd_result_free(&r);
    /* --dt above the save interval: saves every step */
    r = run_migdev(NULL, ARGS("run", m, "--dt", "2", "--stop", "6"));
    t = parse_table(r.out, ',');
    ck_assert_int_eq(t->n_rows, 4);
    ck_teacup(t, 0.0, 2.0, 1, 70.0, 10.0, 0);
    free(t);
    cmd_result_free(&r);
    /* an adaptive method with tolerances lands on the save times */
    r = run_migdev(NULL, ARGS("run", m, "--method", "rk8pd", "--abs-tol", "1e-12", "--rel-tol",
                              "1e-12", "--max-step", "0.5"));
    ck_assert_msg(r.status == 0, "%s", r.err);
    t = parse_table(r.out, ',');
    for (int row = 0; row < t->n_rows; row++) {
        ck_assert(t->v[row][0] == row);
        ck_assert(close_to(t->v[row][3], 70.0 + 110.0 * exp(-row / 10.0), 1e-9, 0));
    }
    free(t);
    cmd_result_free(&r);
    free(m);
}
END_TEST

START_TEST(output_file_vars_and_format)
{
    char *m = teacup();
    char *dir = tmp_dir();
    char out[1024];
    snprintf(out, sizeof out, "%s/new/sub/t.tsv", dir); /* folders are created */
    cmd_result r = run_migdev(NULL, ARGS("run", m, "-o", out, "--vars",
                                         "teacup_temperature, room_temperature", "--format", "tsv"));
    ck_assert_msg(r.status == 0, "%s", r.err);
    ck_assert_str_eq(r.out, "");
    char *text = read_text(out);
    ck_assert_ptr_nonnull(text);
    table *t = parse_table(text, '\t');
    ck_assert_int_eq(t->n_cols, 3);
    ck_assert_str_eq(t->names[1], "teacup_temperature");
    ck_assert_str_eq(t->names[2], "room_temperature");
    ck_teacup(t, 0.0, 0.125, 8, 70.0, 10.0, 0);
    free(t);
    free(text);
    cmd_result_free(&r);
    /* -o - is standard output; --output= works too */
    r = run_migdev(NULL, ARGS("run", m, "--output=-", "--vars=heat_loss_to_room", "--stop", "1"));
    t = parse_table(r.out, ',');
    ck_assert(t->n_cols == 2 && t->n_rows == 2);
    ck_assert_str_eq(t->names[1], "heat_loss_to_room");
    double T = 180.0;
    for (int k = 0; k < 8; k++)
        T = teacup_step(T, 70.0, 10.0, 0.125, 0);
    ck_assert(t->v[0][1] == 11.0 && close_to(t->v[1][1], (T - 70.0) / 10.0, 1e-12, 0));
    free(t);
    cmd_result_free(&r);
    /* a scenario's output file is relative to the scenario's folder */
    char sc[1024];
    snprintf(sc, sizeof sc, "%s/scen.cfg", dir);
    FILE *f = fopen(sc, "w");
    fprintf(f, "model = \"%s\";\noutput = { file = \"res/out.csv\"; variables = [\"teacup_temperature\"]; };\n", m);
    fclose(f);
    r = run_migdev("/", ARGS("run", sc));
    ck_assert_msg(r.status == 0, "%s", r.err);
    ck_assert_str_eq(r.out, "");
    snprintf(out, sizeof out, "%s/res/out.csv", dir);
    text = read_text(out);
    ck_assert_ptr_nonnull(text);
    t = parse_table(text, ',');
    ck_teacup(t, 0.0, 0.125, 8, 70.0, 10.0, 0);
    free(t);
    free(text);
    cmd_result_free(&r);
    /* -o wins over the scenario's file */
    r = run_migdev("/", ARGS("run", sc, "-o", "-", "--stop", "1"));
    t = parse_table(r.out, ',');
    ck_assert(t->n_cols == 2 && t->n_rows == 2);
    ck_teacup(t, 0.0, 0.125, 8, 70.0, 10.0, 0);
    free(t);
    cmd_result_free(&r);
    rm_tree(dir);
    free(dir);
    free(m);
}
END_TEST

START_TEST(numbers_round_trip_bit_for_bit)
{
    /* the CSV read back with strtod gives the library's doubles exactly */
    char *m = teacup();
    cmd_result r = run_migdev(NULL, ARGS("run", m, "--method", "rk4", "--set", "room_temperature=68.3",
                                         "--save-every", "0.125", "--stop", "20"));
    ck_assert_int_eq(r.status, 0);
    table *t = parse_table(r.out, ',');
    migdev_error err;
    migdev_error_clear(&err);
    migdev_model *mod = migdev_model_load(m, &err);
    migdev_sim_spec sp = migdev_model_default_spec(mod);
    sp.method = MIGDEV_RK4;
    sp.save_every = 0.125;
    sp.stop = 20;
    migdev_run *run = migdev_run_new(mod, &sp, &err);
    ck_assert_int_eq(migdev_run_set_constant(run, 0, 68.3, &err), 0);
    ck_assert_int_eq(migdev_run_execute(run, &err), 0);
    ck_assert_int_eq(t->n_rows, (int)migdev_run_n_saves(run));
    ck_assert_int_eq(t->n_rows, 161);
    int compared = 0;
    for (int row = 0; row < t->n_rows; row++) {
        ck_assert(same_bits(t->v[row][0], migdev_run_times(run)[row]));
        for (int v = 0; v < 4; v++) {
            const double lib = migdev_run_series(run, v)[row];
            /* -0 is printed as 0 */
            ck_assert_msg(lib == 0.0 ? t->v[row][v + 1] == 0.0 : same_bits(t->v[row][v + 1], lib),
                          "row %d var %d: %.17g vs %.17g", row, v, t->v[row][v + 1], lib);
            compared++;
        }
    }
    ck_assert_int_eq(compared, 161 * 4);
    migdev_run_free(run);
    migdev_model_free(mod);
    free(t);
    cmd_result_free(&r);
    free(m);
}
END_TEST

/* --------------------------------------------------------------- errors */

START_TEST(run_failures_leave_no_file)
{
    char *dir = tmp_dir();
    char model[1024], out[1024], old[1024];
    snprintf(model, sizeof model, "%s/div.cfg", dir);
    static const char text[] =
        "time = { stop = 5.0; dt = 0.5; };\n"
        "auxiliaries = ( { name = \"x\"; equation = \"1 / (time - 2.5)\"; } );\n";
    FILE *f = fopen(model, "w");
    fputs(text, f);
    fclose(f);
    snprintf(out, sizeof out, "%s/out.csv", dir);
    cmd_result r = run_migdev(NULL, ARGS("run", model, "-o", out));
    ck_assert_int_eq(r.status, 3);
    int l, c;
    text_pos(text, "1 / (", &l, &c);
    char want[1400];
    snprintf(want, sizeof want, "%s:%d:%d: error: at t=2.5: 'x' became +infinity\n", model, l, c);
    ck_assert_str_eq(r.err, want);
    ck_assert_str_eq(r.out, "");
    ck_assert_int_eq(access(out, F_OK), -1);
    cmd_result_free(&r);
    /* an existing file is left as it was */
    snprintf(old, sizeof old, "%s/old.csv", dir);
    f = fopen(old, "w");
    fputs("previous results\n", f);
    fclose(f);
    r = run_migdev(NULL, ARGS("run", model, "-o", old));
    ck_assert_int_eq(r.status, 3);
    char *kept = read_text(old);
    ck_assert_str_eq(kept, "previous results\n");
    free(kept);
    cmd_result_free(&r);
    /* ln of a negative number */
    f = fopen(model, "w");
    fputs("time = { stop = 3.0; dt = 0.75; };\n"
          "auxiliaries = ( { name = \"y\"; equation = \"ln(2 - time)\"; } );\n", f);
    fclose(f);
    r = run_migdev(NULL, ARGS("run", model, "-o", out));
    ck_assert_int_eq(r.status, 3);
    ck_assert_msg(strstr(r.err, "error: at t=2.25: 'y' is not a number (NaN)"), "%s", r.err);
    ck_assert_int_eq(access(out, F_OK), -1);
    cmd_result_free(&r);
    /* nothing but the model and the old file in the folder: no temporary
       files left behind */
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (e->d_name[0] != '.') {
            ck_assert_msg(!strcmp(e->d_name, "div.cfg") || !strcmp(e->d_name, "old.csv"), "left: %s",
                          e->d_name);
            n++;
        }
    closedir(d);
    ck_assert_int_eq(n, 2);
    rm_tree(dir);
    free(dir);
}
END_TEST

/* An output that is a pipe or a device is written in place: renaming a
** temporary file over it would replace it (as root, `-o /dev/null` would
** replace the device). A folder is refused before the run, by name. */
START_TEST(output_to_pipe_or_folder)
{
    char *dir = tmp_dir();
    char fifo[1024], sub[1024];
    snprintf(fifo, sizeof fifo, "%s/pipe.csv", dir);
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    /* a reader is there already, so migdev's open for writing does not wait */
    const int rd = open(fifo, O_RDONLY | O_NONBLOCK);
    ck_assert_int_ge(rd, 0);
    char *m = teacup();
    cmd_result r = run_migdev(NULL, ARGS("run", m, "--vars", "teacup_temperature", "--stop", "1",
                                         "--dt", "0.5", "--save-every", "0.5", "-o", fifo));
    ck_assert_msg(r.status == 0, "%s", r.err);
    ck_assert_str_eq(r.err, "");
    cmd_result_free(&r);
    struct stat st;
    ck_assert_int_eq(stat(fifo, &st), 0);
    ck_assert_msg(S_ISFIFO(st.st_mode), "the pipe was replaced by a file");
    char buf[256] = "";
    const ssize_t n = read(rd, buf, sizeof buf - 1);
    close(rd);
    ck_assert_int_gt(n, 0);
    buf[n] = '\0';
    /* T' = -(T - 70)/10 from 180, Euler with h = 0.5: 180, 174.5, 169.275 */
    ck_assert_str_eq(buf, "time,teacup_temperature\n0,180\n0.5,174.5\n1,169.275\n");
    /* a folder: the error names it, before anything runs */
    snprintf(sub, sizeof sub, "%s/results", dir);
    ck_assert_int_eq(mkdir(sub, 0755), 0);
    r = run_migdev(NULL, ARGS("run", m, "-o", sub));
    ck_assert_int_eq(r.status, 1);
    char want[1200];
    snprintf(want, sizeof want, "%s: error: is a folder, not a file\n", sub);
    ck_assert_str_eq(r.err, want);
    cmd_result_free(&r);
    /* nothing left beside them */
    DIR *d = opendir(dir);
    int k = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (e->d_name[0] != '.') {
            ck_assert_msg(!strcmp(e->d_name, "pipe.csv") || !strcmp(e->d_name, "results"),
                          "left: %s", e->d_name);
            k++;
        }
    closedir(d);
    ck_assert_int_eq(k, 2);
    unlink(fifo);
    rmdir(sub);
    rm_tree(dir);
    free(dir);
    free(m);
}
END_TEST

START_TEST(bad_input_exits_1)
{
    cmd_result r = run_migdev(NULL, ARGS("run", "/nonexistent/m.cfg"));
    ck_assert_int_eq(r.status, 1);
    ck_assert_str_eq(r.err, "/nonexistent/m.cfg: error: cannot open: No such file or directory\n");
    cmd_result_free(&r);
    /* the README's example: a typo in the teacup's flow */
    char *m = teacup();
    char *text = read_text(m);
    char *at = strstr(text, "- room_temperature)");
    ck_assert_ptr_nonnull(at);
    memmove(at + 11, at + 18, strlen(at + 18) + 1); /* "- room_temp)" */
    const char *bad = tmp_file(0, "bad.cfg", text);
    int l, c;
    text_pos(text, "room_temp)", &l, &c);
    char want[1200];
    snprintf(want, sizeof want,
             "%s:%d:%d: error: unknown variable 'room_temp' (did you mean 'room_temperature'?)\n", bad,
             l, c);
    r = run_migdev(NULL, ARGS("check", bad));
    ck_assert_int_eq(r.status, 1);
    ck_assert_str_eq(r.err, want);
    ck_assert_str_eq(r.out, "");
    cmd_result_free(&r);
    r = run_migdev(NULL, ARGS("run", bad));
    ck_assert_int_eq(r.status, 1);
    ck_assert_str_eq(r.err, want);
    cmd_result_free(&r);
    r = run_migdev(NULL, ARGS("list", bad));
    ck_assert_int_eq(r.status, 1);
    cmd_result_free(&r);
    rm_tmp_file(bad);
    free(text);
    r = run_migdev(NULL, ARGS("check", m, "--start", "40"));
    ck_assert_int_eq(r.status, 2); /* check takes no time options */
    cmd_result_free(&r);
    free(m);
}
END_TEST

/* `migdev args...` must exit 2 with `command line:1:COL: error: msg` where
** COL is where argument bad_arg starts */
static void ck_usage(const char *const *args, int bad_arg, const char *msg, const char *cmd)
{
    cmd_result r = run_migdev(NULL, args);
    ck_assert_msg(r.status == 2, "status %d: %s", r.status, r.err);
    char want[1200];
    snprintf(want, sizeof want, "command line:1:%d: error: %s\n(see: migdev %s%s--help)\n",
             arg_col(args, bad_arg), msg, cmd ? cmd : "", cmd ? " " : "");
    ck_assert_str_eq(r.err, want);
    ck_assert_str_eq(r.out, "");
    cmd_result_free(&r);
}

START_TEST(bad_usage_exits_2)
{
    char *m = teacup();
    ck_usage(ARGS("frob"), 1, "unknown command 'frob' (commands: run, check, list, plot, compare, loops, graph, export, sweep, calibrate, serve, report)", NULL);
    ck_usage(ARGS("run", m, "--frob"), 3, "unknown option '--frob'", "run");
    ck_usage(ARGS("check", m, "--frob"), 3, "unknown option '--frob'", "check");
    ck_usage(ARGS("list", "--strict", m), 2, "unknown option '--strict'", "list");
    ck_usage(ARGS("run"), 2, "missing the model or scenario file", "run");
    ck_usage(ARGS("check"), 2, "missing the model or scenario file", "check");
    char msg[1200];
    snprintf(msg, sizeof msg, "unexpected argument '%s' (one file at a time)", m);
    ck_usage(ARGS("run", m, m), 3, msg, "run");
    ck_usage(ARGS("run", m, "--dt"), 3, "--dt needs a value", "run");
    ck_usage(ARGS("run", m, "--dt", "fast"), 4, "--dt expects a number, got 'fast'", "run");
    ck_usage(ARGS("run", m, "--stop=1e999"), 3, "--stop expects a number, got '1e999'", "run");
    ck_usage(ARGS("run", m, "--method", "rk5"), 4,
             "unknown method 'rk5' (euler, rk4, rk2, rkf45, rkck, rk8pd, rk4imp, bsimp, msadams, msbdf)",
             "run");
    ck_usage(ARGS("run", m, "--format", "json"), 4, "--format must be csv or tsv, got 'json'", "run");
    ck_usage(ARGS("run", m, "--set", "room_temperature"), 4,
             "--set expects NAME=VALUE, got 'room_temperature'", "run");
    ck_usage(ARGS("run", m, "--set", "room_temperature=warm"), 4,
             "--set room_temperature: 'warm' is not a number", "run");
    ck_usage(ARGS("run", m, "--set", "room_temp=60"), 4,
             "--set: the model has no constant 'room_temp' (did you mean 'room_temperature'?)", "run");
    ck_usage(ARGS("run", m, "--set", "teacup_temperature=60"), 4,
             "--set: 'teacup_temperature' is not a constant: only constants can be set", "run");
    /* a time span the model cannot run with: the flag is named */
    ck_usage(ARGS("run", m, "--save-every", "0.3"), 4,
             "save_every = 0.3 must be a whole multiple of dt = 0.125", "run");
    ck_usage(ARGS("run", m, "--dt", "0.7"), 4,
             "the time span 30 (from 0 to 30) is not a whole number of steps dt = 0.7", "run");
    ck_usage(ARGS("run", m, "--stop=-1"), 3,
             "the stop time (-1) must be greater than the start time (0)", "run");
    ck_usage(ARGS("run", m, "--vars", "teacup,room_temperature"), 4,
             "--vars: the model has no variable 'teacup' (did you mean 'teacup_temperature'?)", "run");
    free(m);
    /* no command at all: the help, on standard error */
    static const char *const none[] = {NULL};
    cmd_result r = run_migdev(NULL, none);
    ck_assert_int_eq(r.status, 2);
    ck_assert(strncmp(r.err, "usage: migdev COMMAND", 21) == 0);
    cmd_result_free(&r);
}
END_TEST

/* ---------------------------------------------------------- check, list */

START_TEST(check_command)
{
    char *m = teacup(), *sc = source_path("configs/default.cfg");
    const char *const *cases[] = {ARGS("check", m), ARGS("check", sc), ARGS("check", m, "--strict")};
    for (int i = 0; i < 3; i++) {
        cmd_result r = run_migdev(NULL, cases[i]);
        ck_assert_int_eq(r.status, 0);
        ck_assert_str_eq(r.out, ""); /* silent on success */
        ck_assert_str_eq(r.err, "");
        cmd_result_free(&r);
    }
    /* --strict: every variable documented, every constant sourced */
    static const char undocumented[] =
        "constants = ( { name = \"k\"; value = 1; units = \"1/year\"; doc = \"rate\"; },\n"
        "              { name = \"j\"; value = 1; units = \"1\"; doc = \"d\"; source = \"assumed\"; } );\n"
        "stocks = ( { name = \"s\"; init = 1; doc = \"a stock\"; } );\n"
        "auxiliaries = ( { name = \"a\"; equation = \"s\"; units = \"1\"; } );\n"
        "lookups = ( { name = \"t\"; x = [0.0]; y = [0.0]; units = \"1\"; } );\n";
    const char *p = tmp_file(1, "u.cfg", undocumented);
    cmd_result r = run_migdev(NULL, ARGS("check", p));
    ck_assert_int_eq(r.status, 0); /* fine without --strict */
    cmd_result_free(&r);
    r = run_migdev(NULL, ARGS("check", "--strict", p));
    ck_assert_int_eq(r.status, 1);
    char want[2000];
    snprintf(want, sizeof want,
             "%s:1: error: constant 'k' has no source\n"
             "%s:3: error: stock 's' has no units\n"
             "%s:4: error: auxiliary 'a' has no doc\n"
             "%s:5: error: lookup 't' has no doc\n",
             p, p, p, p);
    ck_assert_str_eq(r.err, want);
    ck_assert_str_eq(r.out, "");
    cmd_result_free(&r);
    rm_tmp_file(p);
    free(m);
    free(sc);
}
END_TEST

START_TEST(list_command)
{
    char *m = teacup();
    cmd_result r = run_migdev(NULL, ARGS("list", m));
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out,
                     "name\tkind\tunits\tdoc\n"
                     "room_temperature\tconstant\tdegF\tTemperature of the room around the cup.\n"
                     "characteristic_time\tconstant\tminute\tTime for the gap to the room "
                     "temperature to shrink by a factor e.\n"
                     "teacup_temperature\tstock\tdegF\tTemperature of the tea.\n"
                     "heat_loss_to_room\tflow\tdegF/minute\tCooling proportional to the "
                     "temperature gap.\n");
    cmd_result_free(&r);
    /* a scenario lists its model; lookups are listed */
    static const char lk[] =
        "lookups = ( { name = \"t\"; x = [0.0]; y = [0.0]; units = \"u\"; doc = \"a table\"; } );\n";
    const char *lp = tmp_file(2, "l.cfg", lk);
    r = run_migdev(NULL, ARGS("list", lp));
    ck_assert_str_eq(r.out, "name\tkind\tunits\tdoc\nt\tlookup\tu\ta table\n");
    cmd_result_free(&r);
    rm_tmp_file(lp);
    free(m);
}
END_TEST

START_TEST(help_and_version)
{
    const char *const *helps[] = {ARGS("--help"), ARGS("-h"), ARGS("help"), ARGS("run", "--help"),
                                  ARGS("check", "--help"), ARGS("list", "-h"),
                                  ARGS("run", "x.cfg", "--set", "a=1", "--help")};
    const char *starts[] = {"usage: migdev COMMAND", "usage: migdev COMMAND", "usage: migdev COMMAND",
                            "usage: migdev run FILE", "usage: migdev check FILE",
                            "usage: migdev list FILE", "usage: migdev run FILE"};
    for (int i = 0; i < 7; i++) {
        cmd_result r = run_migdev(NULL, helps[i]);
        ck_assert_int_eq(r.status, 0);
        ck_assert_msg(strncmp(r.out, starts[i], strlen(starts[i])) == 0, "%s", r.out);
        ck_assert_str_eq(r.err, "");
        cmd_result_free(&r);
    }
    /* run --help documents every option */
    cmd_result r = run_migdev(NULL, ARGS("run", "--help"));
    const char *opts[] = {"--set", "--method", "--dt", "--start", "--stop", "--save-every",
                          "--abs-tol", "--rel-tol", "--max-step", "-o", "--vars", "--format"};
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
        ck_assert_msg(strstr(r.out, opts[i]) != NULL, "run --help lacks %s", opts[i]);
    cmd_result_free(&r);
    char want[64];
    snprintf(want, sizeof want, "migdev %s\n", migdev_version());
    const char *const *versions[] = {ARGS("--version"), ARGS("-V")};
    for (int i = 0; i < 2; i++) {
        r = run_migdev(NULL, versions[i]);
        ck_assert_int_eq(r.status, 0);
        ck_assert_str_eq(r.out, want);
        cmd_result_free(&r);
    }
    ck_assert_int_eq(strspn(migdev_version(), "0123456789."), strlen(migdev_version()));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cli");
    TCase *core = tcase_create("core");
    tcase_add_test(core, run_a_model);
    tcase_add_test(core, run_a_scenario_from_elsewhere);
    tcase_add_test(core, set_overrides);
    tcase_add_test(core, time_and_method_options);
    tcase_add_test(core, output_file_vars_and_format);
    tcase_add_test(core, numbers_round_trip_bit_for_bit);
    tcase_add_test(core, check_command);
    tcase_add_test(core, list_command);
    tcase_add_test(core, help_and_version);
    tcase_set_timeout(core, 60);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, run_failures_leave_no_file);
    tcase_add_test(errors, output_to_pipe_or_folder);
    tcase_add_test(errors, bad_input_exits_1);
    tcase_add_test(errors, bad_usage_exits_2);
    tcase_set_timeout(errors, 60);
    suite_add_tcase(s, errors);
    return run_suite(s);
}
