/*
** check_hardening.c - regression tests for the defects of the adversarial
** review (issue 16): each test fails on the code before its fix (the
** memory errors under the AddressSanitizer build that scripts/test.sh
** runs). Inputs are hostile files written here; expected messages and
** exit statuses come from the rules in docs/ (inputs.md, paths.md).
*/
#include "modelutil.h"

#include "loops/loops_int.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* ------------------------------------------------------------ inputs */

START_TEST(one_digit_integer_file)
{
    /* "4" is widened to "4.0" for libconfig: three bytes from one; the
       buffer was sized 2n+1 and the NUL landed past its end */
    char *got = model_error("4");
    ck_assert_str_eq(got, "test.cfg:1:1: error: syntax error (libconfig syntax)");
    free(got);
    got = model_error("1 2 3 4 5 6 7 8 9");
    ck_assert_ptr_nonnull(strstr(got, "test.cfg:1:"));
    free(got);
    const char *p = tmp_file(0, "f.cfg", "4");
    cmd_result r = run_migdev(NULL, ARGS("check", p));
    ck_assert_int_eq(r.status, 1);
    ck_assert_ptr_nonnull(strstr(r.err, "f.cfg:1:1: error: syntax error"));
    cmd_result_free(&r);
    rm_tmp_file(p);
}
END_TEST

/* A command on a special file must end at once with exit 1 and a message,
** never read forever or wait for a writer. */
static void expect_refused(const char *const *args, const char *needle)
{
    cmd_result r = run_migdev(NULL, args);
    ck_assert_msg(r.status == 1, "exit %d for %s %s: %s", r.status, args[0], args[1], r.err);
    ck_assert_msg(strstr(r.err, needle), "no '%s' in: %s", needle, r.err);
    cmd_result_free(&r);
}

START_TEST(special_files_refused)
{
    /* a watchdog: a FIFO used to block forever */
    alarm(240);
    char *d = tmp_dir();
    char fifo[512], big[512], model[512], scen[512];
    snprintf(fifo, sizeof fifo, "%s/pipe.cfg", d);
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    const char *const not_reg = "not a regular file";
    expect_refused(ARGS("check", "/dev/zero"), not_reg);
    expect_refused(ARGS("check", "/dev/urandom"), not_reg);
    expect_refused(ARGS("check", fifo), not_reg);
    expect_refused(ARGS("run", fifo), not_reg);
    expect_refused(ARGS("check", "/tmp"), "is a folder");
    /* a file over the 64 MiB cap (sparse: no disk used) */
    snprintf(big, sizeof big, "%s/big.cfg", d);
    const int fd = open(big, O_CREAT | O_WRONLY, 0600);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, (off_t)(64 << 20) + 1), 0);
    close(fd);
    expect_refused(ARGS("check", big), "too large");
    /* a scenario naming a device as its model, a data file that is a FIFO */
    snprintf(model, sizeof model, "%s/m.cfg", d);
    FILE *f = fopen(model, "w");
    fputs("constants = ( { name = \"a\"; value = 1.0; } );\n", f);
    fclose(f);
    snprintf(scen, sizeof scen, "%s/s.cfg", d);
    f = fopen(scen, "w");
    fputs("model = \"/dev/zero\";\n", f);
    fclose(f);
    expect_refused(ARGS("check", scen), not_reg);
    expect_refused(ARGS("sweep", fifo), not_reg);
    expect_refused(ARGS("calibrate", fifo), not_reg);
    /* a table to plot that is a FIFO (named .csv, so read as a table) */
    char fifo_csv[560];
    snprintf(fifo_csv, sizeof fifo_csv, "%s/pipe.csv", d);
    ck_assert_int_eq(mkfifo(fifo_csv, 0600), 0);
    expect_refused(ARGS("plot", fifo_csv, "--terminal", "dumb"), not_reg);
    unlink(fifo_csv);
    expect_refused(ARGS("list", "/dev/urandom"), not_reg);
    rm_tree(d);
    free(d);
    alarm(0);
}
END_TEST

/* ------------------------------------------------------------ NaN */

/* Run a model whose flow f has equation eq (non_negative when nn), with
** z = 0: z/z is NaN, and every such run must fail with exit 3 naming 'f'. */
static void expect_nan_reported(const char *eq, int nn)
{
    char text[512];
    snprintf(text, sizeof text,
             "time = { stop = 3.0; };\n"
             "constants = ( { name = \"z\"; value = 0.0; } );\n"
             "stocks = ( { name = \"s\"; init = 1.0; inflows = [\"f\"]; } );\n"
             "flows = ( { name = \"f\"; equation = \"%s\"; non_negative = %s; } );\n",
             eq, nn ? "true" : "false");
    const char *p = tmp_file(1, "nan.cfg", text);
    cmd_result r = run_migdev(NULL, ARGS("run", p));
    ck_assert_msg(r.status == 3, "%s (non_negative %d): exit %d, out %s", eq, nn, r.status, r.out);
    ck_assert_msg(strstr(r.err, "at t=0: 'f' is not a number (NaN)"), "%s: %s", eq, r.err);
    cmd_result_free(&r);
    rm_tmp_file(p);
}

START_TEST(nan_never_hidden)
{
    /* IEEE 754: 0/0 is NaN; min and max of a NaN are NaN (C's fmin/fmax
       drop it, but a model equation that fails must not pass as a number) */
    for (int nn = 0; nn < 2; nn++) {
        expect_nan_reported("z / z", nn);
        expect_nan_reported("max(0, z / z)", nn);
        expect_nan_reported("max(z / z, 0)", nn);
        expect_nan_reported("min(0, z / z)", nn);
        expect_nan_reported("min(z / z, 0)", nn);
        expect_nan_reported("max(1, 2, z / z)", nn);
        expect_nan_reported("min(z / z, 1, 2)", nn);
    }
    /* and the cut still cuts: a negative non-negative flow is 0 */
    const sim s = sim_run("time = { stop = 2.0; };\n"
                          "stocks = ( { name = \"s\"; init = 1.0; inflows = [\"f\"]; } );\n"
                          "flows = ( { name = \"f\"; equation = \"-5\"; non_negative = true; } );\n",
                          NULL);
    ck_assert(sim_series(&s, "f")[1] == 0.0);
    ck_assert(sim_series(&s, "s")[2] == 1.0);
    sim_free((sim *)&s);
}
END_TEST

/* ------------------------------------------------------------ path policy */

static void write_file(const char *dir, const char *name, const char *text)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static int exists_in(const char *dir, const char *name)
{
    char p[1024];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return lstat(p, &st) == 0;
}

static const char tiny_model[] = "constants = ( { name = \"a\"; value = 1.0; } );\n"
                                 "time = { stop = 2.0; };\n";

/* A scenario in dir/sub naming its output by path; the run must be refused
** with the position of the path (or allowed, when ok), and write nothing
** outside sub. */
static void run_output_case(const char *dir, const char *path, int ok, const char *why)
{
    char sub[600], text[600], pos[64];
    snprintf(sub, sizeof sub, "%s/sub", dir);
    snprintf(text, sizeof text, "model = \"m.cfg\";\noutput = { file = \"%s\"; };\n", path);
    write_file(sub, "s.cfg", text);
    char scen[700];
    snprintf(scen, sizeof scen, "%s/s.cfg", sub);
    cmd_result r = run_migdev(NULL, ARGS("run", scen));
    if (ok) {
        ck_assert_msg(r.status == 0, "%s: exit %d: %s", path, r.status, r.err);
    } else {
        /* output = { file = "...": the path starts at column 20 of line 2 */
        snprintf(pos, sizeof pos, "s.cfg:2:20: error: output path '");
        ck_assert_msg(r.status == 1, "%s: exit %d", path, r.status);
        ck_assert_msg(strstr(r.err, pos) && strstr(r.err, why), "%s: %s", path, r.err);
        ck_assert_msg(strstr(r.err, "--allow-output-anywhere"), "%s", r.err);
        /* check refuses it too */
        cmd_result c = run_migdev(NULL, ARGS("check", scen));
        ck_assert_int_eq(c.status, 1);
        ck_assert_ptr_nonnull(strstr(c.err, pos));
        cmd_result_free(&c);
    }
    cmd_result_free(&r);
}

START_TEST(output_paths_stay_in_folder)
{
    char *d = tmp_dir();
    char sub[600], abs_path[700], outside[600];
    snprintf(sub, sizeof sub, "%s/sub", d);
    ck_assert_int_eq(mkdir(sub, 0700), 0);
    snprintf(outside, sizeof outside, "%s/outside", d);
    ck_assert_int_eq(mkdir(outside, 0700), 0);
    write_file(sub, "m.cfg", tiny_model);
    /* refused: climbing out, absolute, through a link out */
    run_output_case(d, "../x.csv", 0, "climbs out of its folder with '..'");
    ck_assert(!exists_in(d, "x.csv"));
    run_output_case(d, "a/../../x.csv", 0, "climbs out");
    ck_assert(!exists_in(d, "x.csv"));
    snprintf(abs_path, sizeof abs_path, "%s/abs.csv", d);
    run_output_case(d, abs_path, 0, "is absolute");
    ck_assert(!exists_in(d, "abs.csv"));
    char link[800];
    snprintf(link, sizeof link, "%s/link", sub);
    ck_assert_int_eq(symlink(outside, link), 0);
    run_output_case(d, "link/x.csv", 0, "symbolic link out of its folder");
    ck_assert(!exists_in(d, "outside/x.csv"));
    /* a link planted at the output's own name, leading out */
    snprintf(link, sizeof link, "%s/planted.csv", sub);
    char target[800];
    snprintf(target, sizeof target, "%s/victim.csv", outside);
    write_file(outside, "victim.csv", "precious\n");
    ck_assert_int_eq(symlink(target, link), 0);
    run_output_case(d, "planted.csv", 0, "symbolic link out of its folder");
    char *v = read_text(target);
    ck_assert_str_eq(v, "precious\n");
    free(v);
    /* allowed: inside the folder tree, even by a detour */
    run_output_case(d, "new/dir/y.csv", 1, NULL);
    ck_assert(exists_in(d, "sub/new/dir/y.csv"));
    run_output_case(d, "new/../z.csv", 1, NULL);
    ck_assert(exists_in(d, "sub/z.csv"));
    /* the user's flag allows it; so does -o, the user's own path */
    char scen[700];
    snprintf(scen, sizeof scen, "%s/s.cfg", sub);
    write_file(sub, "s.cfg", "model = \"m.cfg\";\noutput = { file = \"../x.csv\"; };\n");
    cmd_result r = run_migdev(NULL, ARGS("run", scen, "--allow-output-anywhere"));
    ck_assert_msg(r.status == 0, "%s", r.err);
    ck_assert(exists_in(d, "x.csv"));
    cmd_result_free(&r);
    snprintf(abs_path, sizeof abs_path, "%s/own.csv", d);
    r = run_migdev(NULL, ARGS("run", scen, "-o", abs_path));
    ck_assert_msg(r.status == 0, "%s", r.err);
    ck_assert(exists_in(d, "own.csv"));
    cmd_result_free(&r);
    /* the flag moves no column: an error after it points as typed */
    r = run_migdev(NULL, ARGS("--allow-output-anywhere", "run", scen, "--bogus"));
    ck_assert_int_eq(r.status, 2);
    char want[64];
    snprintf(want, sizeof want, "command line:1:%d:",
             (int)(strlen(MIGDEV_BIN) + strlen(" --allow-output-anywhere run ") + strlen(scen) + 2));
    ck_assert_msg(strstr(r.err, want), "want %s in %s", want, r.err);
    cmd_result_free(&r);
    /* a project root marker widens the tree to the marked folder */
    write_file(d, ".migdev-root", "");
    unlink(link);
    run_output_case(d, "../outside/w.csv", 1, NULL);
    ck_assert(exists_in(d, "outside/w.csv"));
    rm_tree(d);
    free(d);
}
END_TEST

START_TEST(sweep_and_figure_paths_stay_in_folder)
{
    char *d = tmp_dir();
    char sub[600];
    snprintf(sub, sizeof sub, "%s/sub", d);
    ck_assert_int_eq(mkdir(sub, 0700), 0);
    write_file(sub, "m.cfg", tiny_model);
    write_file(sub, "sw.cfg",
               "model = \"m.cfg\";\n"
               "sweep = { parameters = ( { name = \"a\"; values = [1.0, 2.0]; } );\n"
               "  metrics = ( { name = \"fa\"; variable = \"a\"; stat = \"final\"; } );\n"
               "  summary = \"../sum.csv\"; };\n");
    char sw[700];
    snprintf(sw, sizeof sw, "%s/sw.cfg", sub);
    cmd_result r = run_migdev(NULL, ARGS("sweep", sw, "-j", "1", "--no-progress"));
    ck_assert_msg(r.status == 1, "exit %d: %s", r.status, r.err);
    ck_assert_msg(strstr(r.err, "sw.cfg:4:14: error: output path '../sum.csv' climbs out"), "%s",
                  r.err);
    ck_assert(!exists_in(d, "sum.csv"));
    cmd_result_free(&r);
    char own[700];
    snprintf(own, sizeof own, "%s/own.csv", d);
    r = run_migdev(NULL, ARGS("sweep", sw, "-j", "1", "--no-progress", "-o", own));
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    ck_assert(exists_in(d, "own.csv"));
    cmd_result_free(&r);
    /* a figure named outside */
    write_file(sub, "fig.cfg",
               "model = \"m.cfg\";\n"
               "plots = ( { file = \"../f.png\"; variables = [\"a\"]; } );\n");
    char fig[700];
    snprintf(fig, sizeof fig, "%s/fig.cfg", sub);
    r = run_migdev(NULL, ARGS("run", fig));
    ck_assert_msg(r.status == 1, "exit %d: %s", r.status, r.err);
    ck_assert_msg(strstr(r.err, "fig.cfg:2:21: error: output path '../f.png'"), "%s", r.err);
    ck_assert(!exists_in(d, "f.png"));
    cmd_result_free(&r);
    rm_tree(d);
    free(d);
}
END_TEST

START_TEST(csv_header_names_quoted)
{
    /* XMILE names may hold any character: the header must keep each name
       one field, and one that a spreadsheet would evaluate must stay text
       (the rule of docs/paths.md, written out here by hand) */
    static const char text[] =
        "<xmile version=\"1.0\" xmlns=\"http://docs.oasis-open.org/xmile/ns/XMILE/v1.0\">\n"
        "<header><vendor>t</vendor><product version=\"1\">t</product></header>\n"
        "<sim_specs><start>0</start><stop>1</stop><dt>1</dt></sim_specs>\n"
        "<model><variables>\n"
        "<aux name=\"$(touch x)\"><eqn>1</eqn></aux>\n"
        "<aux name=\"=1+1\"><eqn>2</eqn></aux>\n"
        "<aux name=\"a,b &quot;c&quot;\"><eqn>3</eqn></aux>\n"
        "<aux name=\"plain name.2\"><eqn>4</eqn></aux>\n"
        "</variables></model></xmile>\n";
    migdev_error err;
    migdev_error_clear(&err);
    migdev_model *m = migdev_model_load_string(text, "t.xmile", &err);
    ck_assert_msg(m != NULL, "%s", err.message);
    migdev_sim_spec sp = migdev_model_default_spec(m);
    migdev_run *r = migdev_run_new(m, &sp, &err);
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(migdev_run_execute(r, &err), 0);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_int_eq(migdev_write_table(f, r, NULL, 0, MIGDEV_CSV, &err), 0);
    fclose(f);
    const char *eol = strchr(buf, '\n');
    ck_assert_ptr_nonnull(eol);
    /* (XMILE names keep their spaces as '_', XMILE 1.0 section 3.2.2) */
    const char want[] = "time,\"$(touch_x)\",\"'=1+1\",\"a,b_\"\"c\"\"\",plain_name.2";
    ck_assert_msg(strncmp(buf, want, strlen(want)) == 0 && (size_t)(eol - buf) == strlen(want),
                  "header: %.*s", (int)(eol - buf), buf);
    free(buf);
    migdev_run_free(r);
    migdev_model_free(m);
}
END_TEST

/* ------------------------------------------------------------ temporary files */

START_TEST(planted_links_not_followed)
{
    char *d = tmp_dir();
    write_file(d, "m.cfg", "constants = ( { name = \"a\"; value = 1.0; } );\n"
                           "stocks = ( { name = \"s\"; init = 0.0; inflows = [\"f\"]; } );\n"
                           "flows = ( { name = \"f\"; equation = \"a\"; } );\n"
                           "time = { stop = 2.0; };\n");
    write_file(d, "sw.cfg",
               "model = \"m.cfg\";\n"
               "sweep = { parameters = ( { name = \"a\"; values = [1.0, 2.0, 3.0]; } );\n"
               "  metrics = ( { name = \"fs\"; variable = \"s\"; stat = \"final\"; } ); };\n");
    write_file(d, "victim.txt", "precious\n");
    char victim[700], sw[700], sum[700], ser[700], bands[700];
    snprintf(victim, sizeof victim, "%s/victim.txt", d);
    snprintf(sw, sizeof sw, "%s/sw.cfg", d);
    snprintf(sum, sizeof sum, "%s/sum.csv", d);
    snprintf(ser, sizeof ser, "%s/ser.csv", d);
    snprintf(bands, sizeof bands, "%s/bands.csv", d);
    /* a link at every fixed temporary name of a sweep */
    static const char *const planted[] = {"sum.csv.part", "sum.csv.state", "sum.csv.state.tmp",
                                          "ser.csv.part", NULL};
    for (int i = 0; planted[i]; i++) {
        char l[800];
        snprintf(l, sizeof l, "%s/%s", d, planted[i]);
        ck_assert_int_eq(symlink(victim, l), 0);
    }
    /* the resume must refuse the planted state and part, not read or cut
       through them */
    cmd_result r = run_migdev(NULL, ARGS("sweep", sw, "-j", "1", "--no-progress", "-o", sum,
                                         "--resume"));
    ck_assert_int_ne(r.status, 0);
    cmd_result_free(&r);
    char *v = read_text(victim);
    ck_assert_str_eq(v, "precious\n");
    free(v);
    /* a fresh sweep (the user removed the state, as the message says)
       replaces the other links by its own files */
    char state[800];
    snprintf(state, sizeof state, "%s/sum.csv.state", d);
    ck_assert_int_eq(unlink(state), 0);
    r = run_migdev(NULL, ARGS("sweep", sw, "-j", "1", "--no-progress", "-o", sum, "--series-runs",
                              "0,1", "--series-vars", "s", "--series-out", ser, "--bands", "s",
                              "--bands-out", bands));
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    cmd_result_free(&r);
    v = read_text(victim);
    ck_assert_str_eq(v, "precious\n");
    free(v);
    char *summary = read_text(sum);
    ck_assert_ptr_nonnull(summary);
    ck_assert_ptr_nonnull(strstr(summary, "run,a,fs,status\n0,1,2,ok\n1,2,4,ok\n2,3,6,ok\n"));
    free(summary);
    struct stat st;
    ck_assert_int_eq(lstat(ser, &st), 0);
    ck_assert(S_ISREG(st.st_mode));
    rm_tree(d);
    free(d);
}
END_TEST

/* ------------------------------------------------------------ write errors */

/* Run migdev with standard output on /dev/full (every write fails with
** ENOSPC); returns the exit status, stderr in *err (owned). */
static int run_on_full(const char *const *args, char **err)
{
    char err_path[] = "/tmp/migdev_full_XXXXXX";
    const int efd = mkstemp(err_path);
    ck_assert_int_ge(efd, 0);
    const pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        const int full = open("/dev/full", O_WRONLY);
        if (full < 0)
            _exit(125);
        dup2(full, 1);
        dup2(efd, 2);
        int n = 0;
        while (args[n])
            n++;
        char **argv = calloc((size_t)n + 2, sizeof *argv);
        argv[0] = (char *)MIGDEV_BIN;
        for (int i = 0; i < n; i++)
            argv[i + 1] = (char *)args[i];
        execv(MIGDEV_BIN, argv);
        _exit(127);
    }
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    close(efd);
    *err = read_text(err_path);
    unlink(err_path);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int count_lines_with(const char *text, const char *needle)
{
    int n = 0;
    for (const char *p = text; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

START_TEST(every_command_checks_stdout)
{
    struct stat st;
    if (stat("/dev/full", &st) != 0)
        return; /* not Linux: nothing to test with */
    char *teacup = source_path("models/examples/teacup.cfg");
    char *calib = source_path("configs/examples/teacup_calibration.cfg");
    char *d = tmp_dir();
    char sum[600], dot[600];
    snprintf(sum, sizeof sum, "%s/sum.csv", d);
    snprintf(dot, sizeof dot, "%s/g.dot", d);
    const int have_gp = have_program("gnuplot");
    struct {
        const char *const *args;
        int needs_gnuplot;
    } cases[] = {
        {ARGS("--help"), 0},
        {ARGS("--version"), 0},
        {ARGS("run", "--help"), 0},
        {ARGS("sweep", "--help"), 0},
        {ARGS("run", teacup), 0},
        {ARGS("list", teacup), 0},
        {ARGS("loops", teacup), 0},
        {ARGS("export", "--xmile", teacup), 0},
        {ARGS("calibrate", calib), 0},
        {ARGS("calibrate", calib, "--table"), 0},
        {ARGS("sweep", teacup, "--param", "room_temperature=60:80:1", "--metric",
              "final(teacup_temperature)", "-o", "-", "-j", "1", "--no-progress"), 0},
        {ARGS("sweep", teacup, "--param", "room_temperature=60:80:1", "--metric",
              "final(teacup_temperature)", "-o", sum, "-j", "1", "--no-progress"), 0},
        {ARGS("plot", teacup, "--terminal", "dumb"), 1},
        {ARGS("compare", teacup, teacup, "--terminal", "dumb"), 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (cases[i].needs_gnuplot && !have_gp)
            continue;
        char *err = NULL;
        const int status = run_on_full(cases[i].args, &err);
        ck_assert_msg(status == 1, "%s %s: exit %d: %s", cases[i].args[0],
                      cases[i].args[1] ? cases[i].args[1] : "", status, err);
        ck_assert_msg(count_lines_with(err, "error") == 1 &&
                          count_lines_with(err, "standard output") == 1,
                      "%s %s: not one message: %s", cases[i].args[0],
                      cases[i].args[1] ? cases[i].args[1] : "", err);
        free(err);
    }
    /* check prints nothing: nothing to lose */
    char *err = NULL;
    ck_assert_int_eq(run_on_full(ARGS("check", teacup), &err), 0);
    free(err);
    rm_tree(d);
    free(d);
    free(teacup);
    free(calib);
}
END_TEST

/* ------------------------------------------------------------ small ones */

START_TEST(series_runs_bounded)
{
    alarm(240); /* LONG_MAX used to overflow the loop and grow without end */
    char *teacup = source_path("models/examples/teacup.cfg");
    char *d = tmp_dir();
    char ser[600];
    snprintf(ser, sizeof ser, "%s/ser.csv", d);
    static const char *const lists[] = {"9223372036854775807", "99999999999999999999",
                                        "9223372036854775806-9223372036854775807",
                                        "0-999999,0-999999", NULL};
    for (int i = 0; lists[i]; i++) {
        cmd_result r = run_migdev(NULL, ARGS("sweep", teacup, "--param", "room_temperature=60,70",
                                             "--metric", "final(teacup_temperature)", "-o", "-",
                                             "--series-runs", lists[i], "--series-vars",
                                             "teacup_temperature", "--series-out", ser, "-j", "1",
                                             "--no-progress"));
        ck_assert_msg(r.status == 2, "%s: exit %d: %s", lists[i], r.status, r.err);
        ck_assert_msg(strstr(r.err, "--series-runs"), "%s", r.err);
        cmd_result_free(&r);
    }
    alarm(0);
    rm_tree(d);
    free(d);
    free(teacup);
}
END_TEST

START_TEST(save_every_zero_refused)
{
    char *got = model_error("time = { stop = 10.0; save_every = 0.0; };\n"
                            "constants = ( { name = \"a\"; value = 1.0; } );\n");
    ck_assert_str_eq(got, "test.cfg:1:23: error: save_every must be positive, got 0");
    free(got);
}
END_TEST

START_TEST(set_values_strict_and_symmetric)
{
    char *teacup = source_path("models/examples/teacup.cfg");
    /* a decimal number, nothing around it: hexadecimal and spaces on
       either side are refused alike */
    static const char *const bad[] = {"room_temperature=0x10", "room_temperature= 5",
                                      "room_temperature=5 ", "room_temperature=0x1p4",
                                      "room_temperature=inf", NULL};
    for (int i = 0; bad[i]; i++) {
        cmd_result r = run_migdev(NULL, ARGS("run", teacup, "--set", bad[i]));
        ck_assert_msg(r.status == 2, "%s: exit %d", bad[i], r.status);
        ck_assert_msg(strstr(r.err, "is not a number"), "%s: %s", bad[i], r.err);
        cmd_result_free(&r);
    }
    cmd_result r = run_migdev(NULL, ARGS("run", teacup, "--set", "room_temperature=-1.5e1"));
    ck_assert_int_eq(r.status, 0);
    cmd_result_free(&r);
    free(teacup);
}
END_TEST

START_TEST(wide_table_not_drawn)
{
    /* 20,000 columns used to become 20,000 panels */
    const int n = 20000;
    size_t cap = (size_t)n * 16 + 64, len = 0;
    char *text = malloc(cap);
    len += (size_t)snprintf(text + len, cap - len, "time");
    for (int i = 0; i < n; i++)
        len += (size_t)snprintf(text + len, cap - len, ",v%d", i);
    for (int t = 0; t < 2; t++) {
        len += (size_t)snprintf(text + len, cap - len, "\n%d", t);
        for (int i = 0; i < n; i++)
            len += (size_t)snprintf(text + len, cap - len, ",1");
    }
    len += (size_t)snprintf(text + len, cap - len, "\n");
    const char *p = tmp_file(4, "wide.csv", text);
    cmd_result r = run_migdev(NULL, ARGS("plot", p, "--terminal", "dumb"));
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(strstr(r.err, "the table has 20000 variables; a figure draws at most 100"), "%s",
                  r.err);
    cmd_result_free(&r);
    rm_tmp_file(p);
    free(text);
}
END_TEST

START_TEST(graph_long_names)
{
    if (!have_program("dot"))
        return;
    /* a 20,000-character name (Graphviz refuses strings over 16,384) in a
       loop with a short one */
    const size_t n = 20000;
    char *name = malloc(n + 1);
    memset(name, 'x', n);
    name[n] = '\0';
    const size_t cap = 3 * n + 2048;
    char *text = malloc(cap);
    snprintf(text, cap,
             "<xmile version=\"1.0\" xmlns=\"http://docs.oasis-open.org/xmile/ns/XMILE/v1.0\">\n"
             "<header><vendor>t</vendor><product version=\"1\">t</product></header>\n"
             "<sim_specs><start>0</start><stop>1</stop><dt>1</dt></sim_specs>\n"
             "<model><variables>\n"
             "<stock name=\"s\"><eqn>1</eqn><inflow>%s</inflow></stock>\n"
             "<flow name=\"%s\"><eqn>-s/10</eqn></flow>\n"
             "</variables></model></xmile>\n",
             name, name);
    const char *p = tmp_file(3, "long.xmile", text);
    char out[600];
    snprintf(out, sizeof out, "%s.svg", p);
    cmd_result r = run_migdev(NULL, ARGS("graph", p, "-o", out));
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    char *svg = read_text(out);
    ck_assert_ptr_nonnull(svg);
    ck_assert_ptr_nonnull(strstr(svg, "xxx..."));
    free(svg);
    cmd_result_free(&r);
    unlink(out);
    rm_tmp_file(p);
    free(text);
    free(name);
}
END_TEST

/* ------------------------------------------------------------ loops */

/* Brute force: every elementary cycle, by a plain DFS from each start s
** through nodes > s, edges in CSR order: the order Johnson's search gives. */
static void brute(int n, const int *off, const int *dst, int s, int v, int *path, int depth,
                  char *on, cycle_set *out)
{
    for (int e = off[v]; e < off[v + 1]; e++) {
        const int w = dst[e];
        path[depth] = e;
        if (w == s)
            ck_assert_int_eq(cycles_add(out, path, depth + 1), 0);
        else if (w > s && !on[w]) {
            on[w] = 1;
            brute(n, off, dst, s, w, path, depth + 1, on, out);
            on[w] = 0;
        }
    }
}

static long count_cycles(int n, const int *off, const int *dst, cycle_set *cs)
{
    int truncated = 0;
    ck_assert_int_eq(johnson_cycles(n, off, dst, 1L << 40, cs, &truncated), 0);
    ck_assert_int_eq(truncated, 0);
    return cs->n;
}

START_TEST(johnson_matches_brute_force)
{
    /* random graphs of 1..9 nodes (self-loops, two-way links, articulation
       points): the same cycles, in the same order */
    unsigned seed = 12345;
    for (int trial = 0; trial < 400; trial++) {
        const int n = 1 + trial % 9;
        const int density = 10 + (trial * 7) % 60; /* percent */
        int off[10], dst[100], e = 0;
        for (int u = 0; u < n; u++) {
            off[u] = e;
            for (int w = 0; w < n; w++) {
                seed = seed * 1103515245u + 12345u;
                if ((int)((seed >> 16) % 100) < density)
                    dst[e++] = w;
            }
        }
        off[n] = e;
        cycle_set got = {0}, want = {0};
        count_cycles(n, off, dst, &got);
        int path[100];
        char on[10] = {0};
        for (int s = 0; s < n; s++)
            brute(n, off, dst, s, s, path, 0, on, &want);
        ck_assert_msg(got.n == want.n, "trial %d: %ld cycles, want %ld", trial, got.n, want.n);
        for (long c = 0; c < got.n; c++) {
            ck_assert_int_eq(cycle_len(&got, c), cycle_len(&want, c));
            for (int k = 0; k < cycle_len(&got, c); k++)
                ck_assert_int_eq(got.e[got.off[c] + k], want.e[want.off[c] + k]);
        }
        cycles_free(&got);
        cycles_free(&want);
    }
}
END_TEST

START_TEST(johnson_known_counts)
{
    /* complete digraph on 6 nodes: sum over k = 2..6 of C(6,k) (k-1)!
       = 15 + 40 + 90 + 144 + 120 = 409 elementary cycles */
    int off[7], dst[36], e = 0;
    for (int u = 0; u < 6; u++) {
        off[u] = e;
        for (int w = 0; w < 6; w++)
            if (w != u)
                dst[e++] = w;
    }
    off[6] = e;
    cycle_set cs = {0};
    ck_assert_int_eq(count_cycles(6, off, dst, &cs), 409);
    cycles_free(&cs);
    /* a chain of 100,000 nodes whose every link goes both ways: 99,999
       two-node cycles (quadratic before: every start walked the chain) */
    const int n = 100000;
    int *o = malloc(((size_t)n + 1) * sizeof *o), *d = malloc(2 * (size_t)n * sizeof *d);
    e = 0;
    for (int u = 0; u < n; u++) {
        o[u] = e;
        if (u > 0)
            d[e++] = u - 1;
        if (u + 1 < n)
            d[e++] = u + 1;
    }
    o[n] = e;
    ck_assert_int_eq(count_cycles(n, o, d, &cs), n - 1);
    for (long c = 0; c < cs.n; c++) /* in order of least node */
        ck_assert_int_eq(cycle_len(&cs, c), 2);
    cycles_free(&cs);
    /* a ring of 100,000: one cycle */
    for (int u = 0; u < n; u++) {
        o[u] = u;
        d[u] = (u + 1) % n;
    }
    o[n] = n;
    ck_assert_int_eq(count_cycles(n, o, d, &cs), 1);
    ck_assert_int_eq(cycle_len(&cs, 0), n);
    cycles_free(&cs);
    free(o);
    free(d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("hardening");
    TCase *in = tcase_create("inputs");
    tcase_set_timeout(in, 300);
    tcase_add_test(in, one_digit_integer_file);
    tcase_add_test(in, special_files_refused);
    suite_add_tcase(s, in);
    TCase *num = tcase_create("numbers");
    tcase_set_timeout(num, 300);
    tcase_add_test(num, nan_never_hidden);
    suite_add_tcase(s, num);
    TCase *paths = tcase_create("paths");
    tcase_set_timeout(paths, 300);
    tcase_add_test(paths, output_paths_stay_in_folder);
    tcase_add_test(paths, sweep_and_figure_paths_stay_in_folder);
    tcase_add_test(paths, csv_header_names_quoted);
    tcase_add_test(paths, planted_links_not_followed);
    suite_add_tcase(s, paths);
    TCase *wr = tcase_create("writes");
    tcase_set_timeout(wr, 300);
    tcase_add_test(wr, every_command_checks_stdout);
    suite_add_tcase(s, wr);
    TCase *sm = tcase_create("small");
    tcase_set_timeout(sm, 300);
    tcase_add_test(sm, series_runs_bounded);
    tcase_add_test(sm, save_every_zero_refused);
    tcase_add_test(sm, set_values_strict_and_symmetric);
    tcase_add_test(sm, graph_long_names);
    tcase_add_test(sm, wide_table_not_drawn);
    suite_add_tcase(s, sm);
    TCase *lp = tcase_create("loops");
    tcase_set_timeout(lp, 300);
    tcase_add_test(lp, johnson_matches_brute_force);
    tcase_add_test(lp, johnson_known_counts);
    suite_add_tcase(s, lp);
    return run_suite(s);
}
