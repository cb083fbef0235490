/*
** loops_bench.c - speed of the loop analysis on generated models of about
** 1,000 variables: enumeration (Johnson), polarity, Loops That Matter
** scores, and strongest-path discovery past the cap. Prints numbers; not a
** test (scripts/bench.sh runs it).
**
** Model "ring": N sectors, each a stock s, its inflow f and two auxiliaries
** a, b (4N variables): a_i = 0.5 s_i + 0.1 s_(i-1), b_i = a_i / (1 + |a_i|),
** f_i = k (b_i - 0.3 s_i): 2N local loops and one ring around all sectors
** (enumerated exhaustively). Model "chords": f_i also gets c s_(i+N/2), so
** loops multiply past the cap and discovery takes over. Model "mesh": every
** sector fed by 3 more others.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "loops/loops_int.h"
#include "migdev/migdev.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static char *generate(int n, int extra)
{
    size_t cap = (size_t)n * 800 + 4096, len = 0;
    char *t = malloc(cap);
#define OUT(...) (len += (size_t)snprintf(t + len, cap - len, __VA_ARGS__))
    OUT("name = \"%s_%d\";\ntime = { start = 0; stop = 100; dt = 0.25; save_every = 1; };\n",
        extra > 0 ? "mesh" : extra == 0 ? "chords" : "ring", 4 * n);
    OUT("constants = ( { name = \"k\"; value = 0.3; }, { name = \"c\"; value = 0.001; } );\nstocks = (\n");
    for (int i = 0; i < n; i++)
        OUT("  { name = \"s%d\"; init = %d; inflows = [\"f%d\"]; }%s\n", i, 1 + i % 7, i, i + 1 < n ? "," : "");
    OUT(");\nflows = (\n");
    for (int i = 0; i < n; i++) {
        OUT("  { name = \"f%d\"; equation = \"k * (b%d - 0.3 * s%d)", i, i, i);
        if (extra >= 0)
            OUT(" + c * s%d", (i + n / 2) % n);
        for (int j = 1; j <= extra; j++)
            OUT(" + c * s%d", (i * 13 + 17 * j) % n);
        OUT("\"; }%s\n", i + 1 < n ? "," : "");
    }
    OUT(");\nauxiliaries = (\n");
    for (int i = 0; i < n; i++) {
        OUT("  { name = \"a%d\"; equation = \"0.5 * s%d + 0.1 * s%d\"; },\n", i, i, (i + n - 1) % n);
        OUT("  { name = \"b%d\"; equation = \"a%d / (1 + abs(a%d))\"; }%s\n", i, i, i, i + 1 < n ? "," : "");
    }
    OUT(");\n");
#undef OUT
    return t;
}

static void bench(const char *label, int n, int extra, long cap)
{
    char *text = generate(n, extra);
    migdev_error err;
    migdev_error_clear(&err);
    double t0 = now();
    migdev_model *m = migdev_model_load_string(text, label, &err);
    free(text);
    if (!m) {
        fprintf(stderr, "%s: %s\n", label, err.message);
        return;
    }
    const double t_load = now() - t0;
    migdev_run *r = migdev_run_new(m, NULL, &err);
    t0 = now();
    migdev_run_execute(r, &err);
    const double t_run = now() - t0;
    /* enumeration alone */
    lgraph g;
    lgraph_build(&g, m, &err);
    cycle_set cs = {0};
    int truncated = 0;
    t0 = now();
    johnson_cycles(g.n, g.off, g.dst, cap, &cs, &truncated);
    const double t_enum = now() - t0;
    const long n_cycles = cs.n;
    cycles_free(&cs);
    const migdev_loops_opts structural = {cap, 0, 0, MIGDEV_CHANGED_LAST};
    const migdev_loops_opts scores = {cap, 0, 1, MIGDEV_CHANGED_LAST};
    t0 = now();
    migdev_loops *a = migdev_loops_analyse(r, &structural, &err);
    const double t_struct = now() - t0;
    const int n_loops_s = a ? migdev_loops_count(a) : -1;
    migdev_loops_free(a);
    t0 = now();
    a = migdev_loops_analyse(r, &scores, &err);
    const double t_scores = now() - t0;
    if (!a) {
        fprintf(stderr, "%s: %s\n", label, err.message);
    } else {
        printf("%-7s %5d vars %6d links %7ld cycles%s  load %.3fs  run %.3fs  enumerate %.3fs  "
               "loops+polarity %.3fs (%d loops)  +dominance %.3fs (%zu save times%s)\n",
               label, migdev_model_n_vars(m), g.n_edges, n_cycles, truncated ? "+ (cap)" : "", t_load,
               t_run, t_enum, t_struct, n_loops_s, t_scores, migdev_loops_n_times(a),
               migdev_loops_is_discovered(a) ? ", discovery" : "");
    }
    migdev_loops_free(a);
    lgraph_free(&g);
    migdev_run_free(r);
    migdev_model_free(m);
}

/* Johnson's enumeration alone on a graph of n nodes: "ring" (one cycle
** through all, n links), "chain" (a path, no cycle) or "pairs" (a path
** whose every link also goes back: n - 1 two-node cycles). */
static void bench_graph(const char *label, int n)
{
    const int pairs = strcmp(label, "pairs") == 0, ring = strcmp(label, "ring") == 0;
    int *off = calloc((size_t)n + 1, sizeof *off), *dst = malloc(2 * (size_t)n * sizeof *dst);
    int e = 0;
    for (int u = 0; u < n; u++) {
        off[u] = e;
        if (pairs && u > 0)
            dst[e++] = u - 1;
        if (u + 1 < n)
            dst[e++] = u + 1;
        else if (ring)
            dst[e++] = 0;
    }
    off[n] = e;
    cycle_set cs = {0};
    int truncated = 0;
    const double t0 = now();
    const int rc = johnson_cycles(n, off, dst, 10 * (long)n, &cs, &truncated);
    printf("johnson %-6s %7d nodes %7d links %7ld cycles  %.3fs%s\n", label, n, e, cs.n,
           now() - t0, rc ? "  (out of memory)" : "");
    cycles_free(&cs);
    free(off);
    free(dst);
}

int main(void)
{
    migdev_global_init();
    printf("loop analysis on generated models (Euler, dt 0.25, 100 time units, scores every 1)\n");
    bench("ring", 250, -1, MIGDEV_LOOPS_DEFAULT_CAP);
    bench("chords", 250, 0, MIGDEV_LOOPS_DEFAULT_CAP);
    bench("mesh", 250, 3, MIGDEV_LOOPS_DEFAULT_CAP);
    /* long chains (issue 16: quadratic before, 21 s for `loops` on 100,000 links) */
    bench_graph("ring", 100000);
    bench_graph("chain", 100000);
    bench_graph("pairs", 100000);
    return 0;
}
