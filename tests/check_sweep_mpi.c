/*
** check_sweep_mpi.c - `mpirun -np K migdev sweep` writes the same summary,
** bands and series as one process, also when interrupted and resumed.
** Skipped (77) when mpirun is missing or migdev was built without MPI.
*/
#include "testutil.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char model[] =
    "name = \"logistic\";\n"
    "time = { start = 0.0; stop = 30.0; dt = 0.125; save_every = 1.0; };\n"
    "constants = ( { name = \"r\"; value = 0.3; }, { name = \"cap\"; value = 100.0; } );\n"
    "stocks = ( { name = \"p\"; init = 1.0; inflows = [\"births\"]; } );\n"
    "flows = ( { name = \"births\"; equation = \"r * p * (1 - p / cap)\"; } );\n";

static const char sweep[] =
    "model = \"logistic.cfg\";\n"
    "sweep = { design = \"sobol\"; runs = 3000;\n"
    "  parameters = ( { name = \"r\"; distribution = \"uniform\"; min = 0.1; max = 0.6; },\n"
    "                 { name = \"cap\"; distribution = \"normal\"; mean = 100.0; sd = 15.0; min = 10.0; } );\n"
    "  metrics = ( { variable = \"p\"; stat = \"final\"; },\n"
    "              { name = \"half\"; variable = \"p\"; stat = \"crossing\"; threshold = 50.0; } );\n"
    "  series = { runs = [1, 2000]; variables = [\"p\"]; file = \"series.csv\"; };\n"
    "  bands = { variables = [\"p\", \"births\"]; file = \"bands.csv\"; }; };\n";

static char *dir;

static char *path_of(const char *name)
{
    char *p = malloc(strlen(dir) + strlen(name) + 2);
    sprintf(p, "%s/%s", dir, name);
    return p;
}

static void put(const char *name, const char *text)
{
    char *p = path_of(name);
    FILE *f = fopen(p, "w");
    fputs(text, f);
    fclose(f);
    free(p);
}

/* Run mpirun -np n migdev sweep sweep.cfg <extra...>; returns the status. */
static int mpirun(int n, const char *const *extra)
{
    char np[16];
    snprintf(np, sizeof np, "%d", n);
    const pid_t pid = fork();
    ck_assert(pid >= 0);
    if (pid == 0) {
        const int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        if (chdir(dir) != 0)
            _exit(126);
        /* Open MPI's own allocations are not ours to report */
        setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
        const char *argv[32] = {"mpirun", "-np", np, "--allow-run-as-root", "--oversubscribe",
                                MIGDEV_BIN, "sweep", "sweep.cfg"};
        int k = 8;
        for (int i = 0; extra[i]; i++)
            argv[k++] = extra[i];
        argv[k] = NULL;
        execvp("mpirun", (char *const *)argv);
        _exit(127);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void same(const char *a, const char *b)
{
    char *pa = path_of(a), *pb = path_of(b);
    char *x = read_text(pa), *y = read_text(pb);
    ck_assert_msg(x && y, "missing %s or %s", a, b);
    ck_assert_msg(strlen(x) > 100, "%s is nearly empty", a);
    ck_assert_msg(strcmp(x, y) == 0, "%s and %s differ", a, b);
    free(x), free(y), free(pa), free(pb);
}

static void keep(const char *what, const char *tag)
{
    char from[64], to[64];
    snprintf(from, sizeof from, "%s.csv", what);
    snprintf(to, sizeof to, "%s_%s.csv", what, tag);
    char *a = path_of(from), *b = path_of(to);
    ck_assert_int_eq(rename(a, b), 0);
    free(a), free(b);
}

static void local_reference(void)
{
    const char *args[] = {"sweep", "sweep.cfg", "-j2", "-o", "summary.csv", "--no-sensitivity",
                          NULL};
    cmd_result r = run_migdev(dir, args);
    ck_assert_msg(r.status == 0, "%s", r.err);
    cmd_result_free(&r);
    keep("summary", "local");
    keep("bands", "local");
    keep("series", "local");
}

START_TEST(mpi_equals_local)
{
    local_reference();
    for (int np = 2; np <= 3; np++) {
        const char *extra[] = {"-j1", "-o", "summary.csv", NULL};
        ck_assert_int_eq(mpirun(np, extra), 0);
        same("summary.csv", "summary_local.csv");
        same("bands.csv", "bands_local.csv");
        same("series.csv", "series_local.csv");
    }
}
END_TEST

START_TEST(mpi_resume_equals_local)
{
    local_reference();
    /* each rank stops after 500 of its runs: a valid summary up to the
       first missing run, then --resume (under MPI) completes it */
    const char *stop[] = {"-j1", "-o", "summary.csv", "--stop-after", "500", "--no-sensitivity",
                          NULL};
    ck_assert_int_ne(mpirun(2, stop), 0);
    char *p = path_of("summary.csv.state");
    ck_assert(access(p, F_OK) == 0);
    free(p);
    const char *resume[] = {"-j1", "-o", "summary.csv", "--resume", "--no-sensitivity", NULL};
    ck_assert_int_eq(mpirun(2, resume), 0);
    same("summary.csv", "summary_local.csv");
    same("bands.csv", "bands_local.csv");
    same("series.csv", "series_local.csv");
}
END_TEST

static void setup(void)
{
    dir = tmp_dir();
    put("logistic.cfg", model);
    put("sweep.cfg", sweep);
}

static void teardown(void) { free(dir); }

int main(void)
{
#ifndef MIGDEV_TEST_MPI
    fprintf(stderr, "migdev was built without MPI: skipped\n");
    return 77;
#endif
    if (system("command -v mpirun >/dev/null 2>&1") != 0) {
        fprintf(stderr, "mpirun not found: skipped\n");
        return 77;
    }
    Suite *s = suite_create("sweep_mpi");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 300);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, mpi_equals_local);
    tcase_add_test(tc, mpi_resume_equals_local);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
