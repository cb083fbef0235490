/*
** bench.c - engine speed: steps per second and nanoseconds per equation.
**
** Generates models of growing size (N stocks, 3N auxiliaries, N flows), runs
** each with euler and rk4, and prints steps/s and ns per equation evaluated,
** so that linear growth of the per-step cost can be read off the table.
** Then times the small example models given on the command line.
** Not a test: it prints numbers and always succeeds.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "migdev/migdev.h"
#include "model_int.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* A model with n stocks coupled to their neighbours through 3 auxiliaries
** each: a_i from two stocks, b_i from two a's, c_i from b_i and a_i, and a
** flow f_i = k*(c_i - s_i) into s_i. */
static char *generate(int n)
{
    size_t cap = (size_t)n * 600 + 4096, len = 0;
    char *t = malloc(cap);
#define OUT(...) (len += (size_t)snprintf(t + len, cap - len, __VA_ARGS__))
    OUT("name = \"generated_%d\";\ntime = { start = 0; stop = 100; dt = 0.125; save_every = 100; };\n", n);
    OUT("constants = ( { name = \"k\"; value = 0.3; } );\nstocks = (\n");
    for (int i = 0; i < n; i++)
        OUT("  { name = \"s%d\"; init = %d; inflows = [\"f%d\"]; }%s\n", i, 1 + i % 7, i, i + 1 < n ? "," : "");
    OUT(");\nflows = (\n");
    for (int i = 0; i < n; i++)
        OUT("  { name = \"f%d\"; equation = \"k * (c%d - s%d)\"; }%s\n", i, i, i, i + 1 < n ? "," : "");
    OUT(");\nauxiliaries = (\n");
    for (int i = 0; i < n; i++) {
        OUT("  { name = \"a%d\"; equation = \"s%d * 0.5 + s%d * 0.1\"; },\n", i, i, (i + 1) % n);
        OUT("  { name = \"b%d\"; equation = \"a%d / (1 + abs(a%d))\"; },\n", i, i, (i * 7 + 3) % n);
        OUT("  { name = \"c%d\"; equation = \"exp(-0.01 * b%d) * a%d + if_then_else(b%d > 0.5, 0.1, 0)\"; }%s\n",
            i, i, i, i, i + 1 < n ? "," : "");
    }
    OUT(");\n");
#undef OUT
    return t;
}

/* Run m with method until at least min_seconds have passed; print a row. */
static void time_model(const char *label, const migdev_model *m, migdev_method method,
                       double min_seconds)
{
    migdev_sim_spec spec = migdev_model_default_spec(m);
    spec.method = method;
    spec.save_every = spec.stop - spec.start;
    migdev_error err;
    migdev_error_clear(&err);
    migdev_run *r = migdev_run_new(m, &spec, &err);
    if (!r) {
        char buf[1200];
        fprintf(stderr, "%s\n", migdev_error_format(&err, buf, sizeof buf));
        return;
    }
    const long steps_per_run = (long)((spec.stop - spec.start) / spec.dt + 0.5);
    const int evals_per_step = method == MIGDEV_RK4 ? 4 : 1;
    long runs = 0;
    const double t0 = now();
    double el = 0.0;
    do {
        if (migdev_run_execute(r, &err) != 0) {
            char buf[1200];
            fprintf(stderr, "%s\n", migdev_error_format(&err, buf, sizeof buf));
            break;
        }
        runs++;
        el = now() - t0;
    } while (el < min_seconds);
    const double steps = (double)runs * (double)steps_per_run;
    const double eqs = (double)(m->n_step + m->n_stocks); /* equations + stock sums */
    printf("%-22s %-6s %6d %6d %12.0f %10.1f %8.2f\n", label, migdev_method_name(method),
           m->n_stocks, m->n_step, steps / el, 1e9 * el / steps,
           1e9 * el / (steps * evals_per_step * eqs));
    migdev_run_free(r);
}

int main(int argc, char **argv)
{
    migdev_global_init();
    const double secs = getenv("MIGDEV_BENCH_SECONDS") ? atof(getenv("MIGDEV_BENCH_SECONDS")) : 1.0;
    printf("%-22s %-6s %6s %6s %12s %10s %8s\n", "model", "method", "stocks", "eqs", "steps/s",
           "ns/step", "ns/eq");
    const int sizes[] = {10, 100, 250, 500, 1000, 2000};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        char *text = generate(sizes[k]);
        migdev_error err;
        migdev_error_clear(&err);
        const double t0 = now();
        migdev_model *m = migdev_model_load_string(text, "generated", &err);
        const double tc = now() - t0;
        free(text);
        if (!m) {
            char buf[1200];
            fprintf(stderr, "%s\n", migdev_error_format(&err, buf, sizeof buf));
            return 1;
        }
        char label[64];
        snprintf(label, sizeof label, "generated-%d", sizes[k]);
        time_model(label, m, MIGDEV_EULER, secs);
        time_model(label, m, MIGDEV_RK4, secs);
        fprintf(stderr, "  (%s: loaded and compiled in %.1f ms)\n", label, 1e3 * tc);
        migdev_model_free(m);
    }
    for (int i = 1; i < argc; i++) {
        migdev_error err;
        migdev_error_clear(&err);
        migdev_model *m = migdev_model_load(argv[i], &err);
        if (!m) {
            char buf[1200];
            fprintf(stderr, "%s\n", migdev_error_format(&err, buf, sizeof buf));
            continue;
        }
        const char *base = strrchr(argv[i], '/');
        time_model(base ? base + 1 : argv[i], m, MIGDEV_EULER, secs);
        time_model(base ? base + 1 : argv[i], m, MIGDEV_RK4, secs);
        migdev_model_free(m);
    }
    return 0;
}
