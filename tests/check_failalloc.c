/*
** check_failalloc.c - allocation failures, SQLite style: migdev_failalloc
** (the migdev command with tests/failalloc.c) is run with its N-th
** allocation failing, for N = 1, 2, ... over load, compile, run, sweep,
** calibrate and export of small inputs. Every run must end cleanly: exit
** 0, or 1 or 3 with "out of memory" said; never a signal; no more blocks
** left allocated at exit than a run without failure leaves (no leak); and
** no half-written output: the output file is absent, or exactly what a
** run without failure writes.
*/
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Every N up to this is tried; past it, about as many again, evenly spread. */
#define DENSE_RUNS 250

typedef struct outcome {
    int status;   /* exit status, 128 + signal when killed */
    char *err;    /* standard error (owned) */
    long calls;   /* allocations made */
    int failed;   /* whether the N-th one failed */
    long live;    /* blocks allocated at exit */
} outcome;

static outcome run_failing(long n, const char *const *args)
{
    outcome o = {-1, NULL, -1, 0, -1};
    char err_path[] = "/tmp/migdev_failalloc_XXXXXX";
    const int efd = mkstemp(err_path);
    ck_assert_int_ge(efd, 0);
    const pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        const int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(efd, 2);
        char at[32];
        snprintf(at, sizeof at, "%ld", n);
        setenv("MIGDEV_FAIL_ALLOC_AT", at, 1);
        setenv("MIGDEV_FAIL_ALLOC_REPORT", "1", 1);
        int k = 0;
        while (args[k])
            k++;
        char **argv = calloc((size_t)k + 2, sizeof *argv);
        argv[0] = (char *)MIGDEV_FAILALLOC_BIN;
        for (int i = 0; i < k; i++)
            argv[i + 1] = (char *)args[i];
        execv(MIGDEV_FAILALLOC_BIN, argv);
        _exit(127);
    }
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    close(efd);
    o.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    o.err = read_text(err_path);
    unlink(err_path);
    const char *rep = o.err ? strstr(o.err, "failalloc: calls ") : NULL;
    if (rep)
        sscanf(rep, "failalloc: calls %ld failed %d live %ld", &o.calls, &o.failed, &o.live);
    return o;
}

/* Run args with each N; out (may be NULL) is the output file the command
** writes, compared with a run without failure. */
static void sweep_failures(const char *what, const char *const *args, const char *out)
{
    if (out)
        unlink(out);
    outcome base = run_failing(0, args);
    ck_assert_msg(base.status == 0, "%s without failure: exit %d: %s", what, base.status, base.err);
    ck_assert_msg(base.calls > 0, "%s: no report from failalloc: %s", what, base.err);
    char *want = out ? read_text(out) : NULL;
    ck_assert(!out || want);
    long step = 1, tried = 0, n_failed_runs = 0;
    for (long n = 1; n <= base.calls; n += step) {
        if (n > DENSE_RUNS)
            step = (base.calls - DENSE_RUNS) / DENSE_RUNS + 1;
        if (out) {
            /* a sweep that fails keeps what it did for --resume (out.part,
               out.state, documented): start each run afresh */
            char side[700];
            unlink(out);
            snprintf(side, sizeof side, "%s.part", out);
            unlink(side);
            snprintf(side, sizeof side, "%s.state", out);
            unlink(side);
        }
        outcome o = run_failing(n, args);
        tried++;
        ck_assert_msg(o.status < 128, "%s, allocation %ld failing: killed by signal %d: %s", what,
                      n, o.status - 128, o.err);
        ck_assert_msg(o.calls >= 0, "%s, allocation %ld failing: no report (exit %d): %s", what,
                      n, o.status, o.err);
        if (o.status != 0) {
            n_failed_runs++;
            ck_assert_msg(o.status == 1 || o.status == 3, "%s, allocation %ld failing: exit %d: %s",
                          what, n, o.status, o.err);
            ck_assert_msg(strstr(o.err, "out of memory") != NULL,
                          "%s, allocation %ld failing: exit %d without 'out of memory': %s", what,
                          n, o.status, o.err);
        }
        ck_assert_msg(o.live <= base.live, "%s, allocation %ld failing: %ld blocks left, %ld without failure",
                      what, n, o.live, base.live);
        if (out) {
            char *got = read_text(out);
            if (o.status != 0)
                ck_assert_msg(got == NULL, "%s, allocation %ld failing: exit %d left %s", what, n,
                              o.status, out);
            else
                ck_assert_msg(got && strcmp(got, want) == 0,
                              "%s, allocation %ld failing: exit 0 but a different %s", what, n, out);
            free(got);
        }
        free(o.err);
    }
    printf("%s: %ld allocations, %ld failure points tried, %ld ended in an error\n", what,
           base.calls, tried, n_failed_runs);
    free(want);
    free(base.err);
}

static char *teacup(void) { return source_path("models/examples/teacup.cfg"); }

START_TEST(load_and_compile)
{
    char *m = teacup();
    sweep_failures("check teacup.cfg", ARGS("check", m), NULL);
    char *x = source_path("models/examples/teacup.xmile");
    sweep_failures("check teacup.xmile", ARGS("check", x), NULL);
    free(x);
    free(m);
}
END_TEST

START_TEST(run_and_write)
{
    char *m = teacup();
    char *d = tmp_dir();
    char out[600];
    snprintf(out, sizeof out, "%s/out.csv", d);
    sweep_failures("run", ARGS("run", m, "-o", out), out);
    snprintf(out, sizeof out, "%s/t.xmile", d);
    sweep_failures("export", ARGS("export", "--xmile", m, "-o", out), out);
    unlink(out);
    rmdir(d);
    free(d);
    free(m);
}
END_TEST

START_TEST(sweep_small)
{
    char *m = teacup();
    char *d = tmp_dir();
    char out[600];
    snprintf(out, sizeof out, "%s/sum.csv", d);
    sweep_failures("sweep", ARGS("sweep", m, "--param", "room_temperature=60,70", "--metric",
                                 "final(teacup_temperature)", "-o", out, "-j", "1",
                                 "--no-progress", "--no-sensitivity"),
                   out);
    unlink(out);
    rmdir(d);
    free(d);
    free(m);
}
END_TEST

START_TEST(calibrate_small)
{
    char *c = source_path("configs/examples/teacup_calibration.cfg");
    char *d = tmp_dir();
    char out[600];
    snprintf(out, sizeof out, "%s/fit.cfg", d);
    sweep_failures("calibrate", ARGS("calibrate", c, "-o", out), out);
    unlink(out);
    rmdir(d);
    free(d);
    free(c);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("failalloc");
    TCase *t = tcase_create("core");
    tcase_set_timeout(t, 1400);
    tcase_add_test(t, load_and_compile);
    tcase_add_test(t, run_and_write);
    tcase_add_test(t, sweep_small);
    tcase_add_test(t, calibrate_small);
    suite_add_tcase(s, t);
    return run_suite(s);
}
