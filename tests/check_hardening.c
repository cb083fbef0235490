/*
** check_hardening.c - regression tests for the defects of the adversarial
** review (issue 16): each test fails on the code before its fix (the
** memory errors under the AddressSanitizer build that scripts/test.sh
** runs). Inputs are hostile files written here; expected messages and
** exit statuses come from the rules in docs/ (inputs.md, paths.md).
*/
#include "modelutil.h"

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
    alarm(60);
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

int main(void)
{
    Suite *s = suite_create("hardening");
    TCase *in = tcase_create("inputs");
    tcase_set_timeout(in, 120);
    tcase_add_test(in, one_digit_integer_file);
    tcase_add_test(in, special_files_refused);
    suite_add_tcase(s, in);
    TCase *num = tcase_create("numbers");
    tcase_add_test(num, nan_never_hidden);
    suite_add_tcase(s, num);
    return run_suite(s);
}
