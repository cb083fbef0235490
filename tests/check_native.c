/*
** check_native.c - the native engine (issue 12).
**
** core: every shipped model, scenario and example, the test models and the
** XMILE models of the conformance suite (../shared, when present), under
** every solver, run by the VM and by the native engine: the same recorded
** bits, the same table bytes, and the same failure (code, time, variable,
** position) when a run fails. The expected values are the VM's: an
** independent implementation of the same operations.
** errors: no compiler, a compiler that fails, a corrupt or foreign cache
** file, two processes compiling at once.
** limits: model text reaches the generated C only as escaped comments.
**
** Needs a C compiler (skips without `cc`). Each test gets its own cache
** folder (XDG_CACHE_HOME).
*/
#include "testutil.h"

#include "native/native.h"
#include "watch_cases.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int have_cc(void)
{
    const char *cc = getenv("MIGDEV_CC");
    return have_program(cc && *cc ? cc : "cc");
}

/* A fresh cache folder for this test (owned). */
static char *fresh_cache(void)
{
    char *d = tmp_dir();
    setenv("XDG_CACHE_HOME", d, 1);
    return d;
}

/* ---------------------------------------------------------- equivalence */

typedef struct outcome {
    int status;
    migdev_error err;
    size_t n_saves;
    double *times;
    double **series;
    int n_vars;
    char *table;
    size_t table_len;
} outcome;

static void outcome_free(outcome *o)
{
    free(o->times);
    for (int i = 0; o->series && i < o->n_vars; i++)
        free(o->series[i]);
    free(o->series);
    free(o->table);
    memset(o, 0, sizeof *o);
}

/* Run s with its model's current engine under method; what came out. */
static void run_once(migdev_scenario *s, migdev_method method, outcome *o)
{
    memset(o, 0, sizeof *o);
    migdev_sim_spec sp = migdev_scenario_spec(s);
    sp.method = method;
    migdev_scenario_set_spec(s, &sp);
    migdev_error_clear(&o->err);
    migdev_run *r = migdev_scenario_new_run(s, &o->err);
    if (!r) {
        o->status = -1000;
        return;
    }
    o->status = migdev_run_execute(r, &o->err);
    const migdev_model *m = migdev_scenario_model(s);
    o->n_vars = migdev_model_n_vars(m);
    o->n_saves = migdev_run_n_saves(r);
    o->times = malloc((o->n_saves + 1) * sizeof *o->times);
    o->series = calloc((size_t)o->n_vars + 1, sizeof *o->series);
    ck_assert(o->times && o->series);
    memcpy(o->times, migdev_run_times(r), o->n_saves * sizeof *o->times);
    for (int i = 0; i < o->n_vars; i++) {
        const double *x = migdev_run_series(r, i);
        if (!x)
            continue;
        o->series[i] = malloc((o->n_saves + 1) * sizeof(double));
        ck_assert(o->series[i]);
        memcpy(o->series[i], x, o->n_saves * sizeof(double));
    }
    FILE *f = open_memstream(&o->table, &o->table_len);
    ck_assert(f);
    migdev_error e2;
    migdev_write_table(f, r, NULL, 0, MIGDEV_CSV, &e2);
    fclose(f);
    migdev_run_free(r);
}

static void expect_same(const char *what, const outcome *a, const outcome *b)
{
    ck_assert_msg(a->status == b->status, "%s: status %d (vm) vs %d (native)", what, a->status,
                  b->status);
    ck_assert_msg(!strcmp(a->err.message, b->err.message) && a->err.line == b->err.line &&
                      a->err.column == b->err.column,
                  "%s: errors differ:\n  vm:     %s\n  native: %s", what, a->err.message,
                  b->err.message);
    ck_assert_msg(a->n_saves == b->n_saves, "%s: %zu vs %zu saves", what, a->n_saves,
                  b->n_saves);
    if (a->n_saves > 0)
        ck_assert(!memcmp(a->times, b->times, a->n_saves * sizeof(double)));
    for (int i = 0; i < a->n_vars; i++) {
        ck_assert((a->series[i] == NULL) == (b->series[i] == NULL));
        if (!a->series[i])
            continue;
        for (size_t j = 0; j < a->n_saves; j++)
            ck_assert_msg(!memcmp(&a->series[i][j], &b->series[i][j], sizeof(double)),
                          "%s: variable %d at save %zu: %.17g (vm) vs %.17g (native)", what, i,
                          j, a->series[i][j], b->series[i][j]);
    }
    ck_assert_msg(a->table_len == b->table_len &&
                      (a->table_len == 0 || !memcmp(a->table, b->table, a->table_len)),
                  "%s: the tables differ", what);
}

typedef struct tally {
    int files, loaded, compared, failed_runs;
} tally;

/* Both engines on one file, every method. */
static void compare_file(const char *path, tally *t)
{
    t->files++;
    migdev_error err;
    migdev_error_clear(&err);
    migdev_scenario *s = migdev_scenario_load(path, &err);
    if (!s)
        return; /* arrays, Vensim-only features...: the readers' business */
    t->loaded++;
    for (int method = 0; method < MIGDEV_METHOD_COUNT; method++) {
        outcome vm, nat;
        migdev_error_clear(&err);
        ck_assert(migdev_scenario_set_engine(s, MIGDEV_ENGINE_VM, 1, NULL, &err) == 0);
        run_once(s, (migdev_method)method, &vm);
        migdev_engine_info info;
        ck_assert_msg(migdev_scenario_set_engine(s, MIGDEV_ENGINE_NATIVE, 1, &info, &err) == 0,
                      "%s: %s", path, err.message);
        ck_assert(info.used == MIGDEV_ENGINE_NATIVE);
        run_once(s, (migdev_method)method, &nat);
        char what[1200];
        snprintf(what, sizeof what, "%s (%s)", path, migdev_method_name((migdev_method)method));
        expect_same(what, &vm, &nat);
        t->compared++;
        t->failed_runs += vm.status != 0;
        outcome_free(&vm);
        outcome_free(&nat);
    }
    migdev_scenario_free(s);
}

static int wanted(const char *name)
{
    static const char *const ext[] = {".cfg", ".xmile", ".stmx"};
    const size_t n = strlen(name);
    for (int k = 0; k < 3; k++) {
        const size_t e = strlen(ext[k]);
        if (n > e && !strcmp(name + n - e, ext[k]))
            return 1;
    }
    return 0;
}

static void walk(const char *dir, tally *t)
{
    DIR *dh = opendir(dir);
    if (!dh)
        return;
    char **names = NULL;
    int n = 0;
    for (struct dirent *e = readdir(dh); e; e = readdir(dh))
        if (e->d_name[0] != '.') {
            names = realloc(names, (size_t)(n + 1) * sizeof *names);
            names[n++] = strdup(e->d_name);
        }
    closedir(dh);
    for (int k = 0; k < n; k++) {
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, names[k]);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            walk(path, t);
        else if (wanted(names[k]))
            compare_file(path, t);
        free(names[k]);
    }
    free(names);
}

static void compare_tree(const char *rel, int min_compared)
{
    char *d = source_path(rel);
    tally t = {0, 0, 0, 0};
    walk(d, &t);
    ck_assert_msg(t.compared >= min_compared, "%s: only %d comparisons", rel, t.compared);
    free(d);
}

START_TEST(same_bits_shipped_models)
{
    if (!have_cc())
        return;
    char *cache = fresh_cache();
    compare_tree("models", 4 * MIGDEV_METHOD_COUNT);
    compare_tree("configs", 8 * MIGDEV_METHOD_COUNT);
    compare_tree("tests/models", 5 * MIGDEV_METHOD_COUNT);
    free(cache);
}
END_TEST

START_TEST(same_bits_conformance)
{
    if (!have_cc() || !have_shared())
        return;
    char *cache = fresh_cache();
    char *d = shared_path("conformance");
    tally t = {0, 0, 0, 0};
    walk(d, &t);
    ck_assert_msg(t.loaded >= 30, "only %d conformance models loaded", t.loaded);
    free(d);
    free(cache);
}
END_TEST

/* Vensim's ALLOCATE BY PRIORITY (allocate_by_priority: one operation over
** all the requesters, vm_alloc_priority in both engines) on the suite's
** model of it: 1-D to 4-D allocations, supplies that grow with time. */
START_TEST(same_bits_allocate_by_priority)
{
    if (!have_cc() || !have_shared())
        return;
    char *cache = fresh_cache();
    char *d = shared_path("conformance/tests/allocate_by_priority/test_allocate_by_priority.mdl");
    tally t = {0, 0, 0, 0};
    compare_file(d, &t);
    ck_assert_int_eq(t.loaded, 1);
    ck_assert_int_eq(t.compared, MIGDEV_METHOD_COUNT);
    free(d);
    free(cache);
}
END_TEST

/* Builtins the shipped models use little: lookups of each kind, pulse,
** ramp, step, safediv, mod, min/max, random draws, delays, smooth, init,
** allocate_by_priority and allocate_available (a varying supply, and a
** folded call),
** non-negative stocks, and a run that ends in a division by zero. */
static const char edge_model[] =
    "name = \"edge\";\n"
    "time = { start = 0.0; stop = 12.0; dt = 0.25; };\n"
    "lookups = ( { name = \"t1\"; x = [0.0, 1.0, 2.0]; y = [0.0, 2.0, 1.5]; },\n"
    "  { name = \"t2\"; x = [0.0, 5.0]; y = [1.0, 3.0]; kind = \"extrapolate\"; },\n"
    "  { name = \"t3\"; x = [0.0, 3.0, 6.0]; y = [4.0, 5.0, 6.0]; kind = \"discrete\"; } );\n"
    "constants = ( { name = \"k\"; value = 0.3; }, { name = \"h\"; value = 2.385; } );\n"
    "stocks = ( { name = \"s\"; init = 3.0; inflows = [\"fin\"]; outflows = [\"fout\"];\n"
    "             non_negative = true; },\n"
    "           { name = \"q\"; init = 1.0; inflows = [\"g\"]; } );\n"
    "flows = (\n"
    "  { name = \"fin\"; equation = \"pulse(h, 1, 0.5, 2) + ramp(0.1, 2, 8) + step(1, 3)\"; },\n"
    "  { name = \"fout\"; equation = \"k * s + random_normal(0, 0.1) * 0 + max(0, sin(time))\"; },\n"
    "  { name = \"g\"; equation = \"safediv(s, q - 1, 7) * 0.01 + mod(time, 1.5) * 0.001 - 0.002 * q\"; } );\n"
    "auxiliaries = (\n"
    "  { name = \"a\"; equation = \"t1(s) + t2(time - 6) + t3(time) + min(s, q) + abs(-s) + exp(-q)\"; },\n"
    "  { name = \"b\"; equation = \"if_then_else(s > 2 and not (q < 0) or time == 3, sqrt(s), ln(q + 2))\"; },\n"
    "  { name = \"c\"; equation = \"delay_fixed(a, 1, 0) + smooth(b, 2) + init(s) + delay3(a, 2)\"; },\n"
    "  { name = \"d\"; equation = \"previous(c, 0) + int(time / 2) + log10(q + 1) + cos(a) + tan(0.1)"
    " + arctan(s) + arcsin(0.5) + arccos(0.5) + q ^ 1.5 + random_uniform(0, 1)"
    " + random_poisson(2) + random_exponential(1) + random_lognormal(1, 0.5) + pow(q, 0.5)\"; },\n"
    "  { name = \"f\"; equation = \"allocate_by_priority(1, 2, time, s, 3, abs(q), 4 + sin(time),"
    " 1, 2) + allocate_by_priority(0, 0.5, 1, 1, 1, 2, 1)"
    " + allocate_available(0, time, s, 3, 2, 1, 0, q, 4, 1, 0.5, 0, 1, 2, 3, 2, 0)"
    " + allocate_available(1, 1, 1, 1, 2, 1, 0, 1, 1, 3, 1, 0)\"; },\n"
    "  { name = \"e\"; equation = \"1 / (6 - time)\"; } );\n";

START_TEST(same_bits_edge_cases)
{
    if (!have_cc())
        return;
    char *cache = fresh_cache();
    const char *path = tmp_file(0, "edge.cfg", edge_model);
    tally t = {0, 0, 0, 0};
    compare_file(path, &t);
    if (t.loaded != 1)
        ck_abort_msg("the edge model must load: %s", model_error(edge_model));
    ck_assert_int_eq(t.compared, MIGDEV_METHOD_COUNT);
    /* e = 1/(6 - time) is infinite at t = 6: every method fails there, and the
       comparison above checked that both engines say the same */
    ck_assert_int_eq(t.failed_runs, MIGDEV_METHOD_COUNT);
    free(cache);
}
END_TEST

/* A chain of same-shape links: the generator writes pairs of equations as
** two-lane statements (native_gen.c); the bits must not change, under every
** method, nor the failure when a link overflows. */
static const char chain_model[] =
    "name = \"chain\";\n"
    "time = { start = 0.0; stop = 8.0; dt = 0.25; };\n"
    "constants = ( { name = \"k\"; value = 0.7; }, { name = \"tau\"; value = 3.0; } );\n"
    "stocks = ( { name = \"s0\"; init = 1; inflows = [\"f0\"]; },\n"
    "  { name = \"s1\"; init = 2; inflows = [\"f1\"]; outflows = [\"g1\"]; },\n"
    "  { name = \"s2\"; init = 3; inflows = [\"f2\"]; outflows = [\"g2\"]; },\n"
    "  { name = \"s3\"; init = 4; inflows = [\"f3\"]; outflows = [\"g3\"]; },\n"
    "  { name = \"s4\"; init = 5; inflows = [\"f4\"]; outflows = [\"g4\"]; } );\n"
    "flows = ( { name = \"f0\"; equation = \"(1 - s0) / tau\"; },\n"
    "  { name = \"f1\"; equation = \"-(a1 * a1) / (1 + a1) + time * 0.1\"; },\n"
    "  { name = \"f2\"; equation = \"-(a2 * a2) / (1 + a2) + time * 0.1\"; },\n"
    "  { name = \"f3\"; equation = \"-(a3 * a3) / (1 + a3) + time * 0.1\"; },\n"
    "  { name = \"f4\"; equation = \"-(a4 * a4) / (1 + a4) + time * 0.1\"; },\n"
    "  { name = \"g1\"; equation = \"s1 / tau - 1 / (6 - time)\"; },\n"
    "  { name = \"g2\"; equation = \"s2 / tau - 1 / (7 - time)\"; },\n"
    "  { name = \"g3\"; equation = \"s3 / tau - 1.5 / (9 - time)\"; },\n"
    "  { name = \"g4\"; equation = \"s4 / tau - 2.5 / (9 - time)\"; } );\n"
    "auxiliaries = ( { name = \"a1\"; equation = \"s0 * k - dt\"; },\n"
    "  { name = \"a2\"; equation = \"s1 * k - dt\"; },\n"
    "  { name = \"a3\"; equation = \"s2 * k - dt\"; },\n"
    "  { name = \"a4\"; equation = \"s3 * k - dt\"; } );\n";

START_TEST(same_bits_paired_equations)
{
    if (!have_cc())
        return;
    char *cache = fresh_cache();
    const char *path = tmp_file(0, "chain.cfg", chain_model);
    tally t = {0, 0, 0, 0};
    compare_file(path, &t);
    if (t.loaded != 1)
        ck_abort_msg("the chain model must load: %s", model_error(chain_model));
    ck_assert_int_eq(t.compared, MIGDEV_METHOD_COUNT);
    /* g2 = s2/3 - 1/(7 - time) is infinite at t = 7 (6 - time at t = 6 for
       g1 first): every fixed-step run fails there, in both engines alike */
    ck_assert_int_ge(t.failed_runs, 2);
    /* and the generated code did pair the links */
    migdev_model *m = load_model_text(chain_model);
    char *src = migdev_native_source(m, NULL);
    ck_assert_ptr_nonnull(src);
    ck_assert_msg(strstr(src, " f1 and v[") && strstr(src, "(D2){"), "no pairs:\n%s", src);
    free(src);
    migdev_model_free(m);
    free(cache);
}
END_TEST

/* The generated file's portable half (#if NATIVE_VEC: pairs as two scalar
** equations, no builtins) under tcc, when it is installed: the same bits. */
START_TEST(same_bits_without_vector_extension)
{
    if (!have_program("tcc"))
        return; /* tcc is optional (MIGDEV_CC=tcc) */
    char *cache = fresh_cache();
    setenv("MIGDEV_CC", "tcc", 1);
    const char *path = tmp_file(0, "chain.cfg", chain_model);
    tally t = {0, 0, 0, 0};
    compare_file(path, &t);
    ck_assert_int_eq(t.compared, MIGDEV_METHOD_COUNT);
    char *paper = source_path("models/migration_development.cfg");
    compare_file(paper, &t);
    ck_assert_int_eq(t.compared, 2 * MIGDEV_METHOD_COUNT);
    free(paper);
    unsetenv("MIGDEV_CC");
    free(cache);
}
END_TEST

/* Failures that later equations hide (watch_cases.h): both engines stop at
** the same time naming the same variable, under every method, and under
** euler (the generated code's own loop) with the message worked out by
** hand. */
START_TEST(same_failure_hidden_from_later_equations)
{
    if (!have_cc())
        return;
    char *cache = fresh_cache();
    for (int k = 0; k < N_WATCH_CASES; k++) {
        char name[32];
        snprintf(name, sizeof name, "watch%d.cfg", k);
        const char *path = tmp_file(0, name, watch_cases[k].text);
        tally t = {0, 0, 0, 0};
        compare_file(path, &t);
        ck_assert_int_eq(t.loaded, 1);
        migdev_error err;
        migdev_error_clear(&err);
        migdev_scenario *s = migdev_scenario_load(path, &err);
        ck_assert_ptr_nonnull(s);
        ck_assert(migdev_scenario_set_engine(s, MIGDEV_ENGINE_NATIVE, 1, NULL, &err) == 0);
        outcome o;
        run_once(s, MIGDEV_EULER, &o);
        ck_assert_int_eq(o.status, MIGDEV_E_NONFINITE);
        ck_assert_msg(!strcmp(o.err.message, watch_cases[k].message), "case %d: %s", k,
                      o.err.message);
        ck_assert_int_eq((int)o.n_saves, 2);
        outcome_free(&o);
        migdev_scenario_free(s);
    }
    free(cache);
}
END_TEST

/* ------------------------------------------------------------------ cache */

static const char teacup[] =
    "name = \"cup\";\n"
    "time = { start = 0.0; stop = 10.0; dt = 0.5; };\n"
    "constants = ( { name = \"room\"; value = 70.0; }, { name = \"tau\"; value = 10.0; } );\n"
    "stocks = ( { name = \"temp\"; init = 180.0; outflows = [\"loss\"]; } );\n"
    "flows = ( { name = \"loss\"; equation = \"(temp - room) / tau\"; } );\n";

static char *cache_file_of(migdev_model *m)
{
    native_cfg cfg;
    ck_assert(native_cfg_default(&cfg, NULL) == 0);
    char *src = migdev_native_source(m, NULL);
    ck_assert(src);
    char *path = malloc(1200);
    ck_assert(native_cache_path(&cfg, src, strlen(src), path, 1200) == 0);
    free(src);
    return path;
}

static double final_temp(const migdev_model *m)
{
    migdev_run *r = migdev_run_new(m, NULL, NULL);
    ck_assert(r && migdev_run_execute(r, NULL) == 0);
    const double x = migdev_run_series(r, migdev_model_find(m, "temp"))[migdev_run_n_saves(r) - 1];
    migdev_run_free(r);
    return x;
}

START_TEST(cache_reuse_and_corrupt_file)
{
    if (!have_cc())
        return;
    char *cache = fresh_cache();
    migdev_model *m = load_model_text(teacup);
    migdev_engine_info info;
    migdev_error err;
    ck_assert(migdev_model_set_engine(m, MIGDEV_ENGINE_NATIVE, NULL, 1, &info, &err) == 0);
    ck_assert(info.used == MIGDEV_ENGINE_NATIVE && !info.was_cached);
    ck_assert(migdev_model_engine(m) == MIGDEV_ENGINE_NATIVE);
    /* Euler by hand: T' = T - 0.05 (T - 70) twenty times */
    double T = 180.0;
    for (int k = 0; k < 20; k++)
        T = T + 0.5 * (-((T - 70.0) / 10.0));
    ck_assert(final_temp(m) == T);
    ck_assert(migdev_model_set_engine(m, MIGDEV_ENGINE_NATIVE, NULL, 1, &info, &err) == 0);
    ck_assert(info.was_cached);
    /* damage the cached object: rebuilt, never loaded */
    char *path = cache_file_of(m);
    FILE *f = fopen(path, "r+b");
    ck_assert(f);
    fseek(f, 100, SEEK_SET);
    fputs("garbage", f);
    fclose(f);
    ck_assert(migdev_model_set_engine(m, MIGDEV_ENGINE_NATIVE, NULL, 1, &info, &err) == 0);
    ck_assert(!info.was_cached);
    ck_assert(final_temp(m) == T);
    /* truncated to nothing, then random bytes */
    f = fopen(path, "wb");
    fclose(f);
    ck_assert(migdev_model_set_engine(m, MIGDEV_ENGINE_NATIVE, NULL, 1, &info, &err) == 0);
    ck_assert(!info.was_cached);
    f = fopen(path, "wb");
    for (int k = 0; k < 5000; k++)
        fputc((k * 7919) & 0xff, f);
    fclose(f);
    ck_assert(migdev_model_set_engine(m, MIGDEV_ENGINE_NATIVE, NULL, 1, &info, &err) == 0);
    ck_assert(!info.was_cached);
    ck_assert(final_temp(m) == T);
    free(path);
    migdev_model_free(m);
    free(cache);
}
END_TEST

START_TEST(cache_foreign_file)
{
    if (!have_cc())
        return;
    char *cache = fresh_cache();
    migdev_model *a = load_model_text(teacup);
    char *other = strdup(teacup); /* another model: loss = (temp - room) * 0.3 */
    char *p = strstr(other, "/ tau");
    ck_assert(p);
    memcpy(p, "* 0.3", 5);
    migdev_model *b = load_model_text(other);
    migdev_engine_info info;
    ck_assert(migdev_model_set_engine(a, MIGDEV_ENGINE_NATIVE, NULL, 1, &info, NULL) == 0);
    char *pa = cache_file_of(a), *pb = cache_file_of(b);
    ck_assert_str_ne(pa, pb);
    /* a's object where b's should be: its trailer names a's key, so b
       rebuilds instead of running a's equations */
    char cmd[3000];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", pa, pb);
    ck_assert_int_eq(system(cmd), 0);
    const double vm_b = final_temp(b);
    ck_assert(migdev_model_set_engine(b, MIGDEV_ENGINE_NATIVE, NULL, 1, &info, NULL) == 0);
    ck_assert(!info.was_cached);
    ck_assert(final_temp(b) == vm_b);
    /* a file that is not ours to trust: writable by others */
    ck_assert_int_eq(chmod(pb, 0666), 0);
    ck_assert(migdev_model_set_engine(b, MIGDEV_ENGINE_NATIVE, NULL, 1, &info, NULL) == 0);
    ck_assert(!info.was_cached);
    free(pa), free(pb), free(other);
    migdev_model_free(a);
    migdev_model_free(b);
    free(cache);
}
END_TEST

START_TEST(cache_two_processes_at_once)
{
    if (!have_cc())
        return;
    char *cache = fresh_cache();
    migdev_model *m = load_model_text(teacup);
    const double want = final_temp(m);
    pid_t pid[2];
    for (int k = 0; k < 2; k++) {
        pid[k] = fork();
        ck_assert(pid[k] >= 0);
        if (pid[k] == 0) {
            migdev_engine_info info;
            const int rc = migdev_model_set_engine(m, MIGDEV_ENGINE_NATIVE, NULL, 1, &info, NULL);
            _exit(rc == 0 && info.used == MIGDEV_ENGINE_NATIVE && final_temp(m) == want ? 0 : 1);
        }
    }
    for (int k = 0; k < 2; k++) {
        int st;
        ck_assert(waitpid(pid[k], &st, 0) == pid[k]);
        ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "process %d failed", k);
    }
    /* one entry, no build folders left behind */
    int n = 0;
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/migdev", cache);
    DIR *dh = opendir(dir);
    ck_assert(dh);
    for (struct dirent *e = readdir(dh); e; e = readdir(dh))
        if (e->d_name[0] != '.')
            n++, ck_assert_msg(strstr(e->d_name, ".so") != NULL, "left over: %s", e->d_name);
    closedir(dh);
    ck_assert_int_eq(n, 1);
    migdev_model_free(m);
    free(cache);
}
END_TEST

/* The calibration's Jacobian on 1 and 2 threads, on each engine: the same
** report, byte for byte (the runs are independent; their results are put
** together in column order). */
START_TEST(calibrate_threads_and_engines_agree)
{
    if (!have_cc())
        return;
    char *cache = fresh_cache();
    char *root = source_path(".");
    const char *const engines[] = {"vm", "native"}, *const jobs[] = {"1", "2"};
    char *first = NULL;
    for (int e = 0; e < 2; e++)
        for (int j = 0; j < 2; j++) {
            const char *args[] = {"calibrate", "configs/countries/mex.cfg", "-j", jobs[j],
                                  "--engine", engines[e], "--table", NULL};
            cmd_result r = run_migdev(root, args);
            ck_assert_msg(r.status == 0, "%s -j %s: %s", engines[e], jobs[j], r.err);
            if (!first)
                first = strdup(r.out);
            else
                ck_assert_msg(!strcmp(first, r.out), "%s -j %s differs:\n%s\nvs\n%s", engines[e],
                              jobs[j], r.out, first);
            cmd_result_free(&r);
        }
    free(first);
    free(root);
    free(cache);
}
END_TEST

/* The other commands that take --engine print the same with either. */
START_TEST(commands_agree_across_engines)
{
    if (!have_cc())
        return;
    char *cache = fresh_cache();
    char *root = source_path(".");
    char *out[2] = {NULL, NULL};
    const char *const engines[] = {"vm", "native"};
    for (int e = 0; e < 2; e++) {
        const char *loops[] = {"loops", "models/migration_development.cfg", "--dominance",
                               "--eigen", "2000", "--engine", engines[e], NULL};
        cmd_result r = run_migdev(root, loops);
        ck_assert_msg(r.status == 0, "%s", r.err);
        out[e] = strdup(r.out);
        cmd_result_free(&r);
    }
    ck_assert_str_eq(out[0], out[1]);
    free(out[0]), free(out[1]);
    for (int e = 0; e < 2; e++) {
        const char *sweep[] = {"sweep", "configs/sweep_remittance_investment.cfg", "--runs", "40",
                               "-j", "2", "-o", "-", "--no-progress", "--engine", engines[e],
                               NULL};
        cmd_result r = run_migdev(root, sweep);
        ck_assert_msg(r.status == 0, "%s", r.err);
        out[e] = strdup(r.out);
        cmd_result_free(&r);
    }
    ck_assert_str_eq(out[0], out[1]);
    free(out[0]), free(out[1]);
    free(root);
    free(cache);
}
END_TEST

/* ------------------------------------------------------------------ errors */

START_TEST(no_compiler)
{
    char *cache = fresh_cache();
    setenv("MIGDEV_CC", "/nonexistent/cc", 1);
    migdev_model *m = load_model_text(teacup);
    migdev_engine_info info;
    migdev_error err;
    migdev_error_clear(&err);
    ck_assert_int_eq(migdev_model_set_engine(m, MIGDEV_ENGINE_NATIVE, NULL, 1e9, &info, &err),
                     MIGDEV_E_NATIVE);
    ck_assert_msg(strstr(err.message, "needs a C compiler") != NULL, "%s", err.message);
    migdev_error_clear(&err);
    ck_assert_int_eq(migdev_model_set_engine(m, MIGDEV_ENGINE_AUTO, NULL, 1e9, &info, &err), 0);
    ck_assert(info.used == MIGDEV_ENGINE_VM);
    ck_assert_msg(strstr(info.note, "no C compiler") && !strchr(info.note, '\n'), "%s",
                  info.note);
    /* the command says it in one line and runs */
    const char *path = tmp_file(1, "cup.cfg", teacup);
    const char *args[] = {"run", path, "--engine", "auto", "-o", "-", NULL};
    cmd_result r = run_migdev(NULL, args);
    ck_assert_int_eq(r.status, 0);
    const char *args2[] = {"run", path, "--engine", "native", "-o", "-", NULL};
    cmd_result r2 = run_migdev(NULL, args2);
    ck_assert_int_eq(r2.status, 1);
    ck_assert_msg(strstr(r2.err, "error: the native engine needs a C compiler"), "%s", r2.err);
    cmd_result_free(&r);
    cmd_result_free(&r2);
    const char *args3[] = {"sweep", path, "--engine", "jit", NULL};
    cmd_result r3 = run_migdev(NULL, args3);
    ck_assert_int_eq(r3.status, 2);
    ck_assert_msg(strstr(r3.err, "--engine must be vm, native or auto"), "%s", r3.err);
    cmd_result_free(&r3);
    migdev_model_free(m);
    unsetenv("MIGDEV_CC");
    free(cache);
}
END_TEST

START_TEST(compiler_fails)
{
    char *cache = fresh_cache();
    const char *cc = tmp_file(2, "badcc",
                              "#!/bin/sh\n"
                              "echo 'model.c: In function step:' >&2\n"
                              "echo 'model.c:3:7: error: the compiler refuses this' >&2\n"
                              "exit 1\n");
    ck_assert_int_eq(chmod(cc, 0755), 0);
    setenv("MIGDEV_CC", cc, 1);
    migdev_model *m = load_model_text(teacup);
    migdev_error err;
    migdev_error_clear(&err);
    ck_assert_int_eq(migdev_model_set_engine(m, MIGDEV_ENGINE_NATIVE, NULL, 1, NULL, &err),
                     MIGDEV_E_NATIVE);
    ck_assert_msg(strstr(err.message, "the C compiler failed") &&
                      strstr(err.message, "error: the compiler refuses this"),
                  "%s", err.message);
    ck_assert(migdev_model_engine(m) == MIGDEV_ENGINE_VM);
    /* a compiler that says nothing, and one killed by a signal */
    cc = tmp_file(3, "mutecc", "#!/bin/sh\nexit 3\n");
    ck_assert_int_eq(chmod(cc, 0755), 0);
    setenv("MIGDEV_CC", cc, 1);
    migdev_error_clear(&err);
    ck_assert_int_eq(migdev_model_set_engine(m, MIGDEV_ENGINE_NATIVE, NULL, 1, NULL, &err),
                     MIGDEV_E_NATIVE);
    ck_assert_msg(strstr(err.message, "no message"), "%s", err.message);
    cc = tmp_file(4, "killcc", "#!/bin/sh\nkill -9 $$\n");
    ck_assert_int_eq(chmod(cc, 0755), 0);
    setenv("MIGDEV_CC", cc, 1);
    migdev_error_clear(&err);
    ck_assert_int_eq(migdev_model_set_engine(m, MIGDEV_ENGINE_NATIVE, NULL, 1, NULL, &err),
                     MIGDEV_E_NATIVE);
    /* a compiler that "succeeds" without writing the object */
    cc = tmp_file(5, "lazycc", "#!/bin/sh\nexit 0\n");
    ck_assert_int_eq(chmod(cc, 0755), 0);
    setenv("MIGDEV_CC", cc, 1);
    migdev_error_clear(&err);
    ck_assert_int_eq(migdev_model_set_engine(m, MIGDEV_ENGINE_NATIVE, NULL, 1, NULL, &err),
                     MIGDEV_E_NATIVE);
    ck_assert(migdev_model_engine(m) == MIGDEV_ENGINE_VM);
    /* runs still work, on the VM */
    ck_assert(final_temp(m) > 70.0);
    migdev_model_free(m);
    unsetenv("MIGDEV_CC");
    free(cache);
}
END_TEST

/* ------------------------------------------------------------------ limits */

/* XMILE names may hold any character: a name written to break out of a
** comment or a string must end up as an index and an escaped comment. */
static const char hostile_xmile[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<xmile version=\"1.0\" xmlns=\"http://docs.oasis-open.org/xmile/ns/XMILE/v1.0\">\n"
    "  <header><name>*/ system(touch PWNED); /*</name></header>\n"
    "  <sim_specs><start>0</start><stop>5</stop><dt>0.5</dt></sim_specs>\n"
    "  <model><variables>\n"
    "    <aux name=\"x); system(touch PWNED); /* */ (\"><eqn>0.2</eqn>"
    "<doc>*/ int main(void) { return system(touch PWNED); } /*</doc></aux>\n"
    "    <stock name=\"s */ #include &lt;stdlib.h&gt;\"><eqn>10</eqn>"
    "<outflow>out</outflow></stock>\n"
    "    <aux name=\"y ?\?/\"><eqn>0.5</eqn></aux>\n"
    "    <flow name=\"out\"><eqn>\"s */ #include &lt;stdlib.h&gt;\" * "
    "\"x); system(touch PWNED); /* */ (\" * \"y ?\?/\"</eqn></flow>\n"
    "  </variables></model>\n"
    "</xmile>\n";

START_TEST(hostile_names_stay_comments)
{
    if (!have_cc())
        return;
    char *cache = fresh_cache();
    const char *path = tmp_file(6, "hostile.xmile", hostile_xmile);
    migdev_error err;
    migdev_model *m = migdev_model_load(path, &err);
    ck_assert_msg(m != NULL, "%s", err.message);
    ck_assert_int_ge(migdev_model_find(m, "x); system(touch PWNED); /* */ ("), 0);
    char *src = migdev_native_source(m, &err);
    ck_assert(src);
    ck_assert_msg(!strstr(src, "system") && !strstr(src, "PWNED") && !strstr(src, "#include <std") &&
                      !strstr(src, "?\?/") && !strstr(src, "main"),
                  "model text leaked into the generated C:\n%s", src);
    /* every comment closes on its own line, where the generator meant */
    int comments = 0;
    for (const char *p = strstr(src, "/*"); p; p = strstr(p, "/*")) {
        const char *end = strstr(p + 2, "*/");
        ck_assert(end);
        if (comments > 0)
            ck_assert_msg(!memchr(p + 2, '\n', (size_t)(end - p - 2)), "a comment spans lines");
        comments++;
        p = end + 2;
    }
    ck_assert_int_ge(comments, 2); /* the header, the flow */
    free(src);
    migdev_model_free(m);
    /* and it compiles and runs as the VM does */
    tally t = {0, 0, 0, 0};
    compare_file(path, &t);
    ck_assert_int_eq(t.compared, MIGDEV_METHOD_COUNT);
    ck_assert_int_ne(access("PWNED", F_OK), 0);
    free(cache);
}
END_TEST

static Suite *native_suite(void)
{
    Suite *s = suite_create("native");
    TCase *core = tcase_create("core");
    tcase_set_timeout(core, 600);
    tcase_add_test(core, same_bits_shipped_models);
    tcase_add_test(core, same_bits_conformance);
    tcase_add_test(core, same_bits_edge_cases);
    tcase_add_test(core, same_bits_allocate_by_priority);
    tcase_add_test(core, same_failure_hidden_from_later_equations);
    tcase_add_test(core, same_bits_paired_equations);
    tcase_add_test(core, same_bits_without_vector_extension);
    tcase_add_test(core, cache_reuse_and_corrupt_file);
    tcase_add_test(core, cache_foreign_file);
    tcase_add_test(core, cache_two_processes_at_once);
    tcase_add_test(core, calibrate_threads_and_engines_agree);
    tcase_add_test(core, commands_agree_across_engines);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_set_timeout(errors, 120);
    tcase_add_test(errors, no_compiler);
    tcase_add_test(errors, compiler_fails);
    suite_add_tcase(s, errors);
    TCase *limits = tcase_create("limits");
    tcase_set_timeout(limits, 120);
    tcase_add_test(limits, hostile_names_stay_comments);
    suite_add_tcase(s, limits);
    return s;
}

int main(void)
{
    return run_suite(native_suite());
}
