/*
** check_sweep_cli.c - `migdev sweep` end to end: the same bytes on any
** number of threads, resuming after an interruption (simulated, torn, or
** by SIGTERM) gives what an uninterrupted sweep gives, flags equal the
** file's section, errors on the command line point at the column, and the
** fan chart is drawn.
*/
#include "testutil.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char model[] =
    "name = \"decay\";\n"
    "time = { start = 0.0; stop = 20.0; dt = 0.25; save_every = 1.0; units = \"year\"; };\n"
    "constants = ( { name = \"k\"; value = 0.1; }, { name = \"inflow\"; value = 1.0; },\n"
    "              { name = \"s0\"; value = 5.0; } );\n"
    "stocks = ( { name = \"s\"; init = \"s0\"; inflows = [\"f_in\"]; outflows = [\"f_out\"]; } );\n"
    "flows = ( { name = \"f_in\"; equation = \"inflow\"; },\n"
    "          { name = \"f_out\"; equation = \"k * s\"; } );\n";

static const char sweep_cfg[] =
    "name = \"decay sweep\";\n"
    "model = \"decay.cfg\";\n"
    "sweep = {\n"
    "  design = \"lhs\"; runs = 2000; seed = 42;\n"
    "  parameters = (\n"
    "    { name = \"k\"; distribution = \"lognormal\"; mu = -2.3; sigma = 0.4; },\n"
    "    { name = \"inflow\"; distribution = \"triangular\"; min = 0.5; mode = 1.0; max = 2.0; },\n"
    "    { name = \"s0\"; distribution = \"normal\"; mean = 5.0; sd = 1.0; min = 0.0; } );\n"
    "  metrics = (\n"
    "    { variable = \"s\"; stat = \"final\"; },\n"
    "    { variable = \"s\"; stat = \"max\"; },\n"
    "    { name = \"s_at_7\"; variable = \"s\"; stat = \"at\"; time = 7.5; },\n"
    "    { name = \"reach_9\"; variable = \"s\"; stat = \"crossing\"; threshold = 9.0; direction = \"up\"; } );\n"
    "  series = { runs = [0, 7, 1999]; variables = [\"s\", \"f_out\"]; file = \"series.csv\"; };\n"
    "  bands = { variables = [\"s\", \"f_out\"]; file = \"bands.csv\"; };\n"
    "  summary = \"summary.csv\";\n"
    "};\n";

static char *dir_with(const char *sweep)
{
    char *dir = tmp_dir();
    char p[4200];
    snprintf(p, sizeof p, "%s/decay.cfg", dir);
    FILE *f = fopen(p, "w");
    fputs(model, f);
    fclose(f);
    snprintf(p, sizeof p, "%s/sweep.cfg", dir);
    f = fopen(p, "w");
    fputs(sweep, f);
    fclose(f);
    return dir;
}

static char *file_in(const char *dir, const char *name)
{
    char p[4200];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return read_text(p);
}

static int exists_in(const char *dir, const char *name)
{
    char p[4200];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return stat(p, &st) == 0;
}

static void rename_in(const char *dir, const char *from, const char *to)
{
    char a[4200], b[4200];
    snprintf(a, sizeof a, "%s/%s", dir, from);
    snprintf(b, sizeof b, "%s/%s", dir, to);
    ck_assert_int_eq(rename(a, b), 0);
}

static void same_file(const char *dir, const char *a, const char *b)
{
    char *x = file_in(dir, a), *y = file_in(dir, b);
    ck_assert_msg(x && y, "missing %s or %s", a, b);
    ck_assert_msg(strlen(x) > 40, "%s is nearly empty", a);
    ck_assert_msg(strcmp(x, y) == 0, "%s and %s differ", a, b);
    free(x);
    free(y);
}

/* Every line after the header starts with its run number 0, 1, ...; returns
** the number of rows. */
static long check_rows(const char *text)
{
    const char *p = strchr(text, '\n');
    ck_assert_ptr_nonnull(p);
    long k = 0;
    for (p++; *p; k++) {
        ck_assert_msg(strtol(p, NULL, 10) == k, "row %ld has run %ld", k, strtol(p, NULL, 10));
        const char *e = strchr(p, '\n');
        ck_assert_msg(e != NULL, "row %ld has no end of line", k);
        p = e + 1;
    }
    return k;
}

START_TEST(threads_give_identical_bytes)
{
    char *dir = dir_with(sweep_cfg);
    const char *jobs[] = {"-j1", "-j2", "-j3"};
    for (int i = 0; i < 3; i++) {
        const char *args[] = {"sweep", "sweep.cfg", jobs[i], "--no-sensitivity", NULL};
        cmd_result r = run_migdev(dir, args);
        ck_assert_msg(r.status == 0, "%s", r.err);
        /* not a terminal: no progress bar */
        ck_assert_ptr_null(strchr(r.err, '\r'));
        cmd_result_free(&r);
        char n[64];
        snprintf(n, sizeof n, "summary%d.csv", i);
        rename_in(dir, "summary.csv", n);
        snprintf(n, sizeof n, "bands%d.csv", i);
        rename_in(dir, "bands.csv", n);
        snprintf(n, sizeof n, "series%d.csv", i);
        rename_in(dir, "series.csv", n);
    }
    same_file(dir, "summary0.csv", "summary1.csv");
    same_file(dir, "summary0.csv", "summary2.csv");
    same_file(dir, "bands0.csv", "bands1.csv");
    same_file(dir, "bands0.csv", "bands2.csv");
    same_file(dir, "series0.csv", "series1.csv");
    same_file(dir, "series0.csv", "series2.csv");
    char *s = file_in(dir, "summary0.csv");
    ck_assert_int_eq(check_rows(s), 2000);
    ck_assert(strncmp(s, "run,k,inflow,s0,final_s,max_s,s_at_7,reach_9,status\n", 52) == 0);
    free(s);
    char *se = file_in(dir, "series0.csv");
    /* 3 runs x 21 save times x 2 variables */
    int lines = 0;
    for (const char *p = se; *p; p++)
        lines += *p == '\n';
    ck_assert_int_eq(lines, 1 + 3 * 21 * 2);
    ck_assert_ptr_nonnull(strstr(se, "\n1999,20,f_out,"));
    free(se);
    ck_assert(!exists_in(dir, "summary.csv.state") && !exists_in(dir, "summary.csv.part"));
    free(dir);
}
END_TEST

/* Run the full sweep once into *_full files. */
static void full_run(const char *dir)
{
    const char *args[] = {"sweep", "sweep.cfg", "-j2", "--no-sensitivity", NULL};
    cmd_result r = run_migdev(dir, args);
    ck_assert_msg(r.status == 0, "%s", r.err);
    cmd_result_free(&r);
    rename_in(dir, "summary.csv", "summary_full.csv");
    rename_in(dir, "bands.csv", "bands_full.csv");
    rename_in(dir, "series.csv", "series_full.csv");
}

static void resume_and_compare(const char *dir)
{
    const char *args[] = {"sweep", "sweep.cfg", "-j2", "--resume", "--no-sensitivity", NULL};
    cmd_result r = run_migdev(dir, args);
    ck_assert_msg(r.status == 0, "%s", r.err);
    cmd_result_free(&r);
    same_file(dir, "summary.csv", "summary_full.csv");
    same_file(dir, "bands.csv", "bands_full.csv");
    same_file(dir, "series.csv", "series_full.csv");
    ck_assert(!exists_in(dir, "summary.csv.state"));
}

START_TEST(resume_after_stop_equals_full)
{
    char *dir = dir_with(sweep_cfg);
    full_run(dir);
    const char *args[] = {"sweep", "sweep.cfg", "-j2", "--stop-after", "1234", "--no-sensitivity",
                          NULL};
    cmd_result r = run_migdev(dir, args);
    ck_assert_int_ne(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.err, "--resume"));
    cmd_result_free(&r);
    /* a valid summary of exactly the runs done, marked unfinished */
    char *s = file_in(dir, "summary.csv");
    ck_assert_int_eq(check_rows(s), 1234);
    free(s);
    ck_assert(exists_in(dir, "summary.csv.state"));
    resume_and_compare(dir);
    free(dir);
}
END_TEST

START_TEST(resume_drops_a_torn_line)
{
    char *dir = dir_with(sweep_cfg);
    full_run(dir);
    const char *args[] = {"sweep", "sweep.cfg", "-j1", "--stop-after", "700", "--no-sensitivity",
                          NULL};
    cmd_result r = run_migdev(dir, args);
    cmd_result_free(&r);
    /* as if killed while writing: a partial row at the end of the .part */
    rename_in(dir, "summary.csv", "summary.csv.part");
    char p[4200];
    snprintf(p, sizeof p, "%s/summary.csv.part", dir);
    FILE *f = fopen(p, "a");
    fputs("700,0.1234", f);
    fclose(f);
    resume_and_compare(dir);
    free(dir);
}
END_TEST

START_TEST(resume_refuses_another_sweep)
{
    char *dir = dir_with(sweep_cfg);
    const char *args[] = {"sweep", "sweep.cfg", "--stop-after", "100", "--no-sensitivity", NULL};
    cmd_result r = run_migdev(dir, args);
    cmd_result_free(&r);
    const char *again[] = {"sweep", "sweep.cfg", "--seed", "43", "--resume", NULL};
    r = run_migdev(dir, again);
    ck_assert_int_eq(r.status, 1);
    ck_assert_ptr_nonnull(strstr(r.err, "is not this sweep"));
    cmd_result_free(&r);
    /* nor does a fresh start overwrite the interrupted one */
    const char *fresh[] = {"sweep", "sweep.cfg", NULL};
    r = run_migdev(dir, fresh);
    ck_assert_int_eq(r.status, 1);
    ck_assert_ptr_nonnull(strstr(r.err, "holds an interrupted sweep"));
    cmd_result_free(&r);
    char *s = file_in(dir, "summary.csv");
    ck_assert_int_eq(check_rows(s), 100);
    free(s);
    free(dir);
}
END_TEST

/* A sweep of slower runs (about 10,000 steps each). */
static const char slow_cfg[] =
    "model = \"decay.cfg\";\n"
    "time = { stop = 25000.0; save_every = 1000.0; };\n"
    "sweep = { design = \"random\"; runs = 4000; seed = 9;\n"
    "  parameters = ( { name = \"k\"; distribution = \"uniform\"; min = 0.01; max = 0.2; } );\n"
    "  metrics = ( { variable = \"s\"; stat = \"mean\"; } );\n"
    "  bands = { variables = [\"s\"]; file = \"bands.csv\"; };\n"
    "  summary = \"summary.csv\"; };\n";

static pid_t spawn(const char *dir, const char *const *args)
{
    const pid_t pid = fork();
    ck_assert(pid >= 0);
    if (pid == 0) {
        const int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        if (chdir(dir) != 0)
            _exit(126);
        char *argv[16];
        int n = 0;
        argv[n++] = (char *)MIGDEV_BIN;
        for (int i = 0; args[i]; i++)
            argv[n++] = (char *)args[i];
        argv[n] = NULL;
        execv(MIGDEV_BIN, argv);
        _exit(127);
    }
    return pid;
}

START_TEST(sigterm_leaves_a_valid_summary)
{
    char *dir = dir_with(slow_cfg);
    const char *args[] = {"sweep", "sweep.cfg", "-j2", "--no-sensitivity", NULL};
    const pid_t pid = spawn(dir, args);
    /* the .part file appears once the sweep has started (signal handlers
       are in place by then); give it a moment more to have runs in flight */
    const struct timespec tick = {0, 10000000L};
    for (int i = 0; i < 3000 && !exists_in(dir, "summary.csv.part"); i++)
        nanosleep(&tick, NULL);
    ck_assert_msg(exists_in(dir, "summary.csv.part"), "the sweep did not start");
    const struct timespec ts = {0, 200000000L};
    nanosleep(&ts, NULL);
    kill(pid, SIGTERM);
    int st = 0;
    waitpid(pid, &st, 0);
    ck_assert_msg(WIFEXITED(st), "killed by signal %d", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    ck_assert_int_eq(WEXITSTATUS(st), 128 + SIGTERM);
    char *s = file_in(dir, "summary.csv");
    ck_assert_ptr_nonnull(s);
    const long rows = check_rows(s);
    ck_assert_msg(rows < 4000, "the sweep finished before the signal");
    free(s);
    ck_assert(exists_in(dir, "summary.csv.state"));
    rename_in(dir, "summary.csv", "summary_cut.csv");
    rename_in(dir, "summary.csv.state", "summary_cut.csv.state");
    /* the full sweep, for comparison */
    cmd_result r = run_migdev(dir, args);
    ck_assert_msg(r.status == 0, "%s", r.err);
    cmd_result_free(&r);
    rename_in(dir, "summary.csv", "summary_full.csv");
    rename_in(dir, "bands.csv", "bands_full.csv");
    rename_in(dir, "summary_cut.csv", "summary.csv");
    rename_in(dir, "summary_cut.csv.state", "summary.csv.state");
    const char *resume[] = {"sweep", "sweep.cfg", "-j1", "--resume", "--no-sensitivity", NULL};
    r = run_migdev(dir, resume);
    ck_assert_msg(r.status == 0, "%s", r.err);
    cmd_result_free(&r);
    same_file(dir, "summary.csv", "summary_full.csv");
    same_file(dir, "bands.csv", "bands_full.csv");
    free(dir);
}
END_TEST

START_TEST(flags_equal_the_file)
{
    /* the same sweep from flags on a scenario without a sweep section */
    char *dir = dir_with(sweep_cfg);
    full_run(dir);
    char p[4200];
    snprintf(p, sizeof p, "%s/plain.cfg", dir);
    FILE *f = fopen(p, "w");
    fputs("model = \"decay.cfg\";\n", f);
    fclose(f);
    const char *args[] = {"sweep", "plain.cfg", "--design", "lhs", "--runs", "2000", "--seed", "42",
                          "--param", "k=lognormal(-2.3,0.4)",
                          "--param", "inflow=triangular(0.5,1,2)",
                          "--param=s0=normal(5,1)[0,]",
                          "--metric", "final(s)", "--metric", "max(s)",
                          "--metric", "s_at_7=at(s,7.5)", "--metric", "reach_9=crossing(s,9,up)",
                          "--series-runs", "0,7,1999", "--series-vars", "s,f_out",
                          "--series-out", "series_flags.csv",
                          "--bands", "s,f_out", "--bands-out", "bands_flags.csv",
                          "-o", "summary_flags.csv", "--no-sensitivity", NULL};
    cmd_result r = run_migdev(dir, args);
    ck_assert_msg(r.status == 0, "%s", r.err);
    cmd_result_free(&r);
    same_file(dir, "summary_flags.csv", "summary_full.csv");
    same_file(dir, "bands_flags.csv", "bands_full.csv");
    same_file(dir, "series_flags.csv", "series_full.csv");
    /* a grid from flags: 3 x 4 runs */
    const char *grid[] = {"sweep", "plain.cfg", "--param", "k=0.1,0.2,0.3", "--param",
                          "inflow=1:2.5:0.5", "--metric", "final(s)", "-o", "-", NULL};
    r = run_migdev(dir, grid);
    ck_assert_msg(r.status == 0, "%s", r.err);
    ck_assert_int_eq(check_rows(r.out), 12);
    ck_assert_ptr_nonnull(strstr(r.out, "\n11,0.3,2.5,"));
    /* summary on stdout: the sensitivity table goes to stderr */
    ck_assert_ptr_nonnull(strstr(r.err, "PRCC"));
    cmd_result_free(&r);
    free(dir);
}
END_TEST

/* Column where argument `arg` starts in the command line as typed. */
static int col_of(const char *const *args, int arg)
{
    int col = 1 + (int)strlen(MIGDEV_BIN) + 1;
    for (int k = 0; k < arg; k++)
        col += (int)strlen(args[k]) + 1;
    return col;
}

START_TEST(flag_errors_point_at_the_column)
{
    char *dir = dir_with(sweep_cfg);
    char p0[4200];
    const char *a1[] = {"sweep", "sweep.cfg", "--param", "k=uniform(5,2)", NULL};
    cmd_result r = run_migdev(dir, a1);
    ck_assert_int_eq(r.status, 2);
    char want[300];
    snprintf(want, sizeof want, "command line:1:%d: error: --param: uniform(min,max) needs min < max",
             col_of(a1, 3) + 2);
    ck_assert_msg(strstr(r.err, want), "got: %s\nwant: %s", r.err, want);
    cmd_result_free(&r);
    const char *a2[] = {"sweep", "sweep.cfg", "--metric", "final(f_ot)", NULL};
    r = run_migdev(dir, a2);
    ck_assert_int_ne(r.status, 0);
    snprintf(want, sizeof want,
             "command line:1:%d: error: --metric: the model has no variable 'f_ot' (did you mean 'f_out'?)",
             col_of(a2, 3) + 6);
    ck_assert_msg(strstr(r.err, want), "got: %s\nwant: %s", r.err, want);
    cmd_result_free(&r);
    const char *a3[] = {"sweep", "sweep.cfg", "--design", "latin", NULL};
    r = run_migdev(dir, a3);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "unknown design 'latin'"));
    cmd_result_free(&r);
    const char *a4[] = {"sweep", "sweep.cfg", "-j", "many", NULL};
    r = run_migdev(dir, a4);
    ck_assert_int_eq(r.status, 2);
    cmd_result_free(&r);
    const char *a5[] = {"sweep", "sweep.cfg", "--param", "k=1,2,x", NULL};
    r = run_migdev(dir, a5);
    snprintf(want, sizeof want, "command line:1:%d: error: --param: expected a number",
             col_of(a5, 3) + 6);
    ck_assert_msg(strstr(r.err, want), "got: %s\nwant: %s", r.err, want);
    cmd_result_free(&r);
    /* errors found when the whole sweep is planned point at their flag too */
    snprintf(p0, sizeof p0, "%s/grid.cfg", dir);
    FILE *g = fopen(p0, "w");
    fputs("model = \"decay.cfg\";\nsweep = { design = \"grid\";\n"
          "  parameters = ( { name = \"k\"; values = [0.1, 0.2]; } );\n"
          "  metrics = ( { variable = \"s\"; stat = \"final\"; } ); };\n", g);
    fclose(g);
    const char *a8[] = {"sweep", "grid.cfg", "--runs", "5", NULL};
    r = run_migdev(dir, a8);
    ck_assert_int_eq(r.status, 2);
    snprintf(want, sizeof want,
             "command line:1:%d: error: --runs: the grid has 2 runs (every combination of the "
             "values), not 5: leave 'runs' out\n",
             col_of(a8, 3));
    ck_assert_msg(strncmp(r.err, want, strlen(want)) == 0, "got: %s\nwant: %s", r.err, want);
    cmd_result_free(&r);
    const char *a9[] = {"sweep", "grid.cfg", "--metric", "at(s,99)", NULL};
    r = run_migdev(dir, a9);
    ck_assert_int_eq(r.status, 2);
    snprintf(want, sizeof want,
             "command line:1:%d: error: --metric: metric 's_at_99': time 99 is outside the run "
             "(0 to 20)\n",
             col_of(a9, 3));
    ck_assert_msg(strncmp(r.err, want, strlen(want)) == 0, "got: %s\nwant: %s", r.err, want);
    cmd_result_free(&r);
    /* an unknown parameter: the same words as in a sweep file */
    const char *a0[] = {"sweep", "sweep.cfg", "--param", "kk=1,2", NULL};
    r = run_migdev(dir, a0);
    ck_assert_int_eq(r.status, 2);
    snprintf(want, sizeof want,
             "command line:1:%d: error: --param: the model has no constant 'kk' (did you mean 'k'?)",
             col_of(a0, 3));
    ck_assert_msg(strstr(r.err, want), "got: %s\nwant: %s", r.err, want);
    cmd_result_free(&r);
    /* migdev check reads the sweep section too */
    char p[4200];
    snprintf(p, sizeof p, "%s/bad.cfg", dir);
    FILE *f = fopen(p, "w");
    fputs("model = \"decay.cfg\";\nsweep = { design = \"lhs\";\n"
          "  parameters = ( { name = \"k\"; distribution = \"uniform\"; min = 0.0; max = 1.0; } ); };\n",
          f);
    fclose(f);
    const char *a6[] = {"check", "bad.cfg", NULL};
    r = run_migdev(dir, a6);
    ck_assert_int_eq(r.status, 1);
    ck_assert_str_eq(r.err, "bad.cfg:2:1: error: the lhs design needs the number of runs (runs = N; or --runs N)\n");
    cmd_result_free(&r);
    const char *a7[] = {"check", "sweep.cfg", NULL};
    r = run_migdev(dir, a7);
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.err, "");
    cmd_result_free(&r);
    /* nothing written after an error */
    ck_assert(!exists_in(dir, "summary.csv") && !exists_in(dir, "summary.csv.part"));
    free(dir);
}
END_TEST

START_TEST(fan_chart_is_drawn)
{
    if (access("/usr/bin/gnuplot", X_OK) != 0)
        return; /* no gnuplot here: nothing to check */
    char *dir = dir_with(sweep_cfg);
    const char *args[] = {"sweep", "sweep.cfg", "--runs", "200", "--series-runs", "0", "--fan", "fan.png",
                          "--no-sensitivity", NULL};
    cmd_result r = run_migdev(dir, args);
    ck_assert_msg(r.status == 0, "%s", r.err);
    cmd_result_free(&r);
    char *png = file_in(dir, "fan.png");
    ck_assert_ptr_nonnull(png);
    ck_assert(memcmp(png, "\x89PNG", 4) == 0);
    free(png);
    free(dir);
}
END_TEST

START_TEST(fan_chart_strings_stay_text)
{
    if (access("/usr/bin/gnuplot", X_OK) != 0)
        return;
    /* a title that would run a shell command if gnuplot evaluated it */
    char *dir = dir_with("name = \"it's `touch pwned` @x\";\nmodel = \"decay.cfg\";\n");
    const char *args[] = {"sweep", "sweep.cfg", "--param", "k=0.1,0.2", "--bands", "s",
                          "--bands-out", "b.csv", "--fan", "fan.svg", "--no-sensitivity", NULL};
    cmd_result r = run_migdev(dir, args);
    ck_assert_msg(r.status == 0, "%s", r.err);
    cmd_result_free(&r);
    char *svg = file_in(dir, "fan.svg");
    ck_assert_ptr_nonnull(svg);
    ck_assert_ptr_nonnull(strstr(svg, "`touch pwned`"));
    free(svg);
    ck_assert(!exists_in(dir, "pwned"));
    free(dir);
    /* a title over two lines is refused */
    dir = dir_with("name = \"two\\nlines\";\nmodel = \"decay.cfg\";\n");
    r = run_migdev(dir, args);
    ck_assert_int_eq(r.status, 1);
    ck_assert_ptr_nonnull(strstr(r.err, "line break"));
    cmd_result_free(&r);
    ck_assert(!exists_in(dir, "fan.svg"));
    free(dir);
}
END_TEST

/* A summary, series or bands path that is a folder is refused before any
** run, by name, and leaves no .part or .state file behind; a pipe or
** device as summary (renamed over, resumed from) is refused too. */
START_TEST(output_folder_refused_up_front)
{
    char *dir = dir_with(sweep_cfg);
    char p[4200];
    const char *const names[] = {"summary.csv", "series.csv", "bands.csv"};
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        ck_assert_int_eq(mkdir(p, 0755), 0);
        cmd_result r = run_migdev(dir, (const char *const[]){"sweep", "sweep.cfg", "-j", "1",
                                                             "--no-progress", NULL});
        ck_assert_int_eq(r.status, 1);
        char want[4400];
        snprintf(want, sizeof want, "%s: error: is a folder, not a file\n", names[i]);
        ck_assert_str_eq(r.err, want);
        cmd_result_free(&r);
        ck_assert(!exists_in(dir, "summary.csv.part") && !exists_in(dir, "summary.csv.state") &&
                  !exists_in(dir, "series.csv.part"));
        ck_assert_int_eq(rmdir(p), 0);
    }
    snprintf(p, sizeof p, "%s/pipe.csv", dir);
    ck_assert_int_eq(mkfifo(p, 0600), 0);
    cmd_result r = run_migdev(dir, (const char *const[]){"sweep", "sweep.cfg", "-j", "1",
                                                         "--no-progress", "-o", "pipe.csv", NULL});
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(strstr(r.err, "pipe.csv: error: not a regular file"), "%s", r.err);
    cmd_result_free(&r);
    struct stat st;
    ck_assert(stat(p, &st) == 0 && S_ISFIFO(st.st_mode));
    ck_assert(!exists_in(dir, "pipe.csv.part") && !exists_in(dir, "pipe.csv.state"));
    unlink(p);
    free(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sweep_cli");
    TCase *core = tcase_create("core");
    tcase_set_timeout(core, 300);
    tcase_add_test(core, threads_give_identical_bytes);
    tcase_add_test(core, resume_after_stop_equals_full);
    tcase_add_test(core, resume_drops_a_torn_line);
    tcase_add_test(core, resume_refuses_another_sweep);
    tcase_add_test(core, sigterm_leaves_a_valid_summary);
    tcase_add_test(core, flags_equal_the_file);
    tcase_add_test(core, fan_chart_is_drawn);
    tcase_add_test(core, fan_chart_strings_stay_text);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, flag_errors_point_at_the_column);
    tcase_add_test(errors, output_folder_refused_up_front);
    suite_add_tcase(s, errors);
    return run_suite(s);
}
