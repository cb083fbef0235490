/*
** check_arrays.c - arrays in the native format (src/arrays_cfg.c over the
** shared flattener xmile/xarr.c): dimensions, apply-to-all and per-element
** equations, lists of values, arrayed stocks and flows, reductions,
** subranges, element-wise builtins, output names, and the errors.
**
** Expected values are computed by hand in the comments (Euler steps written
** out, sums and standard deviations of small lists), never taken from
** migdev's own output.
*/
#include "modelutil.h"

#include "migdev/xmile.h"

#include <math.h>
#include <stdio.h>
#include <sys/stat.h>
#include <string.h>

static const char regions[] =
    "time = { start = 0; stop = 2; dt = 0.5; save_every = 0.5; };\n"
    "dimensions = (\n"
    "  { name = \"region\"; elements = [\"north\", \"centre\", \"south\"]; },\n"
    "  { name = \"coast\"; elements = [\"north\", \"south\"]; },\n"
    "  { name = \"age\"; size = 2; }\n"
    ");\n"
    "constants = (\n"
    "  { name = \"rate\"; dimensions = [\"region\"]; value = [0.02, 0.01, 0.03]; units = \"1/year\"; },\n"
    "  { name = \"p0\"; dimensions = [\"region\"]; value = 100; }\n"
    ");\n"
    "stocks = ( { name = \"pop\"; dimensions = [\"region\"]; init = \"p0[region]\";\n"
    "             inflows = [\"births\"]; units = \"people\"; doc = \"People.\"; } );\n"
    "flows = ( { name = \"births\"; dimensions = [\"region\"];\n"
    "            equation = \"rate[region] * pop[region]\"; } );\n"
    "auxiliaries = (\n"
    "  { name = \"total\"; equation = \"sum(pop[*])\"; },\n"
    "  { name = \"share\"; dimensions = [\"region\"]; equation = \"pop[region] / sum(pop[*])\"; },\n"
    "  { name = \"coastal\"; equation = \"sum(pop[coast])\"; },\n"
    "  { name = \"stats\"; equation = \"1000 * mean(rate[*]) + 100000 * min(rate[*]) + "
    "1e7 * max(rate[*])\"; },\n"
    "  { name = \"product\"; equation = \"prod(rate[*]) * 1e6\"; },\n"
    "  { name = \"spread\"; equation = \"stddev(rate[*])\"; },\n"
    "  { name = \"w\"; dimensions = [\"region\", \"age\"]; equation = [1, 2, 3, 4, 5, 6]; },\n"
    "  { name = \"row\"; dimensions = [\"region\"]; equation = \"sum(w[region, *])\"; },\n"
    "  { name = \"col\"; dimensions = [\"age\"]; equation = \"sum(w[*, age])\"; },\n"
    "  { name = \"m\"; dimensions = [\"region\", \"age\"]; equation = \"w[region, age] * 10\";\n"
    "    elements = ( { subscript = \"south, 2\"; equation = \"-1\"; } ); },\n"
    "  { name = \"coast_rate\"; dimensions = [\"coast\"]; equation = \"rate[region] * 100\"; },\n"
    "  { name = \"root\"; dimensions = [\"region\"]; equation = \"sqrt(w[region, 2]) + max(rate[region], 0.015)\"; },\n"
    "  { name = \"pick\"; equation = \"pop[south] - pop[north]\"; },\n"
    "  { name = \"n_cells\"; equation = \"size(w) * 10 + size(w[north, *])\"; }\n"
    ");\n";

static void near(double got, double want, const char *what)
{
    ck_assert_msg(fabs(got - want) <= 1e-12 * (1 + fabs(want)), "%s: got %.17g, want %.17g", what,
                  got, want);
}

START_TEST(stocks_flows_and_elements)
{
    sim s = sim_run(regions, NULL);
    /* Euler with dt = 0.5: pop grows by the factor (1 + rate/2) per step */
    const double f[3] = {1.01, 1.005, 1.015};
    const char *pop[3] = {"pop[north]", "pop[centre]", "pop[south]"};
    for (int k = 0; k < 3; k++) {
        const double *p = sim_series(&s, pop[k]);
        double want = 100;
        for (int n = 0; n <= 4; n++, want *= f[k])
            near(p[n], want, pop[k]);
    }
    /* t = 0.5: 101, 100.5, 101.5 */
    near(sim_series(&s, "total")[1], 101 + 100.5 + 101.5, "total");
    near(sim_series(&s, "share[centre]")[1], 100.5 / 303, "share[centre]");
    near(sim_series(&s, "coastal")[1], 101 + 101.5, "coastal");
    near(sim_series(&s, "pick")[1], 0.5, "pick");
    near(sim_series(&s, "births[south]")[0], 3, "births[south]");
    sim_free(&s);
}
END_TEST

START_TEST(reductions_over_a_dimension)
{
    sim s = sim_run(regions, NULL);
    /* rate = 0.02, 0.01, 0.03: mean 0.02, min 0.01, max 0.03 */
    near(sim_series(&s, "stats")[0], 1000 * 0.02 + 100000 * 0.01 + 1e7 * 0.03, "stats");
    near(sim_series(&s, "product")[0], 0.02 * 0.01 * 0.03 * 1e6, "product");
    /* deviations 0, -0.01, 0.01: population sd sqrt(0.0002 / 3) */
    near(sim_series(&s, "spread")[0], sqrt(0.0002 / 3), "spread");
    /* w in row-major order: north (1, 2), centre (3, 4), south (5, 6) */
    near(sim_series(&s, "w[centre,1]")[0], 3, "w[centre,1]");
    near(sim_series(&s, "row[south]")[0], 11, "row[south]");
    near(sim_series(&s, "col[2]")[0], 2 + 4 + 6, "col[2]");
    /* SIZE: w has 3 x 2 elements, one row of it 2 */
    near(sim_series(&s, "n_cells")[0], 62, "n_cells");
    sim_free(&s);
}
END_TEST

START_TEST(per_element_equations_subranges_and_builtins)
{
    sim s = sim_run(regions, NULL);
    near(sim_series(&s, "m[north,2]")[0], 20, "m[north,2]");
    near(sim_series(&s, "m[south,1]")[0], 50, "m[south,1]");
    near(sim_series(&s, "m[south,2]")[0], -1, "m[south,2]");
    /* coast_rate over the subrange coast reads rate over region: the same element */
    near(sim_series(&s, "coast_rate[south]")[0], 3, "coast_rate[south]");
    ck_assert_int_lt(migdev_model_find(s.m, "coast_rate[centre]"), 0);
    /* element-wise builtins: sqrt(4) + max(0.01, 0.015) */
    near(sim_series(&s, "root[centre]")[0], 2 + 0.015, "root[centre]");
    near(sim_series(&s, "root[south]")[0], sqrt(6) + 0.03, "root[south]");
    /* every element keeps the entry's units and doc */
    const int i = migdev_model_find(s.m, "pop[centre]");
    ck_assert_int_ge(i, 0);
    migdev_var_info vi;
    ck_assert_int_eq(migdev_model_var(s.m, i, &vi), 0);
    ck_assert_str_eq(vi.units, "people");
    ck_assert_str_eq(vi.doc, "People.");
    /* the sum computed once for share[...] has the units of what it sums */
    ck_assert_int_eq(migdev_model_var(s.m, migdev_model_find(s.m, "sum_pop_all"), &vi), 0);
    ck_assert_str_eq(vi.units, "people");
    ck_assert_str_eq(vi.doc, "sum(pop[*]), computed once for every element");
    sim_free(&s);
}
END_TEST

/* A flow that names its arrayed stocks with from/to moves each element
** between the same elements; a scalar stock fed by every element works. */
START_TEST(flows_between_arrayed_stocks)
{
    static const char text[] =
        "time = { start = 0; stop = 1; dt = 1; };\n"
        "dimensions = ( { name = \"r\"; elements = [\"a\", \"b\"]; } );\n"
        "stocks = ( { name = \"home\"; dimensions = [\"r\"]; init = [10, 20]; },\n"
        "           { name = \"abroad\"; dimensions = [\"r\"]; init = 0; },\n"
        "           { name = \"pool\"; init = 0; } );\n"
        "flows = ( { name = \"move\"; dimensions = [\"r\"]; equation = \"home[r] / 10\";\n"
        "            from = \"home\"; to = \"abroad\"; },\n"
        "          { name = \"fee\"; dimensions = [\"r\"]; equation = 1; to = \"pool\"; } );\n";
    sim s = sim_run(text, NULL);
    near(sim_series(&s, "home[a]")[1], 9, "home[a]");
    near(sim_series(&s, "home[b]")[1], 18, "home[b]");
    near(sim_series(&s, "abroad[b]")[1], 2, "abroad[b]");
    near(sim_series(&s, "pool")[1], 2, "pool");
    sim_free(&s);
}
END_TEST

/* A model without arrays is read as before; one with arrays lists the
** elements as its variables, in the columns Vensim and PySD write. */
START_TEST(element_names_are_the_output_columns)
{
    sim s = sim_run(regions, NULL);
    ck_assert_int_ge(migdev_model_find(s.m, "w[south,2]"), 0);
    ck_assert_int_lt(migdev_model_find(s.m, "w"), 0);
    ck_assert_int_lt(migdev_model_find(s.m, "w[south, 2]"), 0);
    sim_free(&s);
}
END_TEST

START_TEST(errors_point_at_the_setting)
{
    static const char dim[] =
        "dimensions = ( { name = \"r\"; elements = [\"a\", \"b\"]; } );\n"
        "auxiliaries = ( { name = \"x\"; dimensions = [\"q\"]; equation = 1; } );\n";
    ck_model_error(dim, "dimensions = [", "'x' uses the dimension 'q', which 'dimensions' does not define");
    static const char sub[] =
        "dimensions = ( { name = \"r\"; elements = [\"a\", \"b\"]; } );\n"
        "auxiliaries = ( { name = \"x\"; dimensions = [\"r\"]; equation = \"y[z]\"; },\n"
        "                { name = \"y\"; dimensions = [\"r\"]; equation = 1; } );\n";
    ck_model_error(sub, "y[z]", "unknown subscript 'z' in the equation of 'x'");
    static const char count[] =
        "dimensions = ( { name = \"r\"; elements = [\"a\", \"b\"]; } );\n"
        "constants = ( { name = \"x\"; dimensions = [\"r\"]; value = [1, 2, 3]; } );\n";
    ck_model_error(count, "value = [1, 2, 3]", "'x' has 3 equations for its 2 elements (one per element, in order, or one for all)");
    static const char konst[] =
        "dimensions = ( { name = \"r\"; elements = [\"a\", \"b\"]; } );\n"
        "constants = ( { name = \"x\"; dimensions = [\"r\"]; value = (1, \"2 * 3\"); } );\n";
    ck_model_error(konst, "value =",
                   "the value of constant 'x[b]' must be a number, got '2 * 3' (write an "
                   "expression as an auxiliary)");
    static const char named[] = "constants = ( { name = \"x[a]\"; value = 1; } );\n";
    ck_model_error(named, "name = \"x[a]\"",
                   "'x[a]': an arrayed variable is declared by its name and its dimensions "
                   "(name = \"x\"; dimensions = [\"d\"];)");
    static const char both[] =
        "dimensions = ( { name = \"r\"; elements = [\"a\"]; size = 2; } );\n";
    ck_model_error(both, "name = \"r\"",
                   "dimension 'r' needs either elements = [\"a\", \"b\", ...] or size = n");
    static const char twice[] =
        "dimensions = ( { name = \"r\"; elements = [\"a\", \"b\", \"a\"]; } );\n";
    ck_model_error(twice, "elements", "element 'a' appears twice in dimension 'r'");
    static const char outside[] =
        "dimensions = ( { name = \"r\"; elements = [\"a\", \"b\"]; } );\n"
        "auxiliaries = ( { name = \"x\"; equation = \"y[r]\"; },\n"
        "                { name = \"y\"; dimensions = [\"r\"]; equation = 1; } );\n";
    ck_model_error(outside, "y[r]",
                   "subscript 'r' in the equation of 'x' matches no dimension of it (only SUM, "
                   "MEAN, MIN, MAX, PROD run over a dimension)");
    static const char elems[] =
        "auxiliaries = ( { name = \"x\"; equation = 1;\n"
        "                  elements = ( { subscript = \"a\"; equation = 2; } ); } );\n";
    ck_model_error(elems, "elements",
                   "'x' has per-element equations ('elements') but no 'dimensions'");
}
END_TEST

/* Mutated array models never crash the loader (fixed seed; run under the
** sanitizers by test.sh): each loads or is refused with a message. The
** edits stay inside the strings (names, elements, equations), where the
** arrays are: a libconfig syntax error would hit the libconfig lexer's
** known leak (tests/fuzz/lsan.supp), which is not this code's. */
START_TEST(mutations_are_refused_cleanly)
{
    const size_t len = strlen(regions);
    static const char alphabet[] = "[](),*=+-/ abknrsw012.{};";
    size_t *inside = malloc(len * sizeof *inside), n_inside = 0;
    int in_str = 0;
    for (size_t i = 0; i < len; i++) {
        if (regions[i] == '"')
            in_str = !in_str;
        else if (in_str)
            inside[n_inside++] = i;
    }
    unsigned long state = 1717;
    char *t = malloc(len + 1);
    int loaded = 0, refused = 0;
    for (int iter = 0; iter < 600; iter++) {
        memcpy(t, regions, len + 1);
        for (int e = 0; e < 1 + iter % 3; e++) {
            state = state * 6364136223846793005UL + 1442695040888963407UL;
            const size_t at = inside[(size_t)(state >> 33) % n_inside];
            t[at] = alphabet[(state >> 20) % (sizeof alphabet - 1)];
        }
        migdev_error err;
        migdev_error_clear(&err);
        migdev_model *m = migdev_model_load_string(t, "t.cfg", &err);
        if (m) {
            loaded++;
            migdev_model_free(m);
        } else {
            refused++;
            ck_assert_msg(err.code != 0 && err.message[0], "a refusal without a message");
        }
    }
    ck_assert_int_gt(loaded, 0);
    ck_assert_int_gt(refused, 0);
    free(t);
    free(inside);
}
END_TEST

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert(f != NULL);
    fputs(text, f);
    fclose(f);
}

/* A scenario sets a whole array (one number for all, or one per element)
** or one element; --set the same from the command line. */
START_TEST(scenarios_and_set_reach_the_elements)
{
    char *dir = tmp_dir();
    char model[600], scen[600], bad[600];
    snprintf(model, sizeof model, "%s/m.cfg", dir);
    snprintf(scen, sizeof scen, "%s/s.cfg", dir);
    snprintf(bad, sizeof bad, "%s/bad.cfg", dir);
    write_file(model,
                                 "time = { start = 0; stop = 1; dt = 1; };\n"
                                 "dimensions = ( { name = \"r\"; elements = [\"a\", \"b\"]; } );\n"
                                 "constants = ( { name = \"k\"; dimensions = [\"r\"]; value = [1, 2]; },\n"
                                 "              { name = \"j\"; dimensions = [\"r\"]; value = 0; } );\n"
                                 "auxiliaries = ( { name = \"y\"; dimensions = [\"r\"]; "
                                 "equation = \"100 * k[r] + j[r]\"; } );\n");
    write_file(scen,
                                "model = \"m.cfg\";\n"
                                "set = { k = [5, 6]; j = 7; };\n");
    cmd_result r = run_migdev(NULL, (const char *const[]){"run", scen, "-o", "-", "--vars",
                                                          "y[a],y[b]", NULL});
    ck_assert_msg(r.status == 0, "%s", r.err);
    ck_assert_msg(strstr(r.out, "0,507,607\n"), "%s", r.out); /* 100*5 + 7, 100*6 + 7 */
    cmd_result_free(&r);
    r = run_migdev(NULL, (const char *const[]){"run", model, "--set", "k=3", "--set", "j[b]=1",
                                               "-o", "-", "--vars", "y[a],y[b]", NULL});
    ck_assert_msg(r.status == 0, "%s", r.err);
    ck_assert_msg(strstr(r.out, "0,300,301\n"), "%s", r.out);
    cmd_result_free(&r);
    /* --vars with an array's name: every element, in order */
    r = run_migdev(NULL, (const char *const[]){"run", model, "-o", "-", "--vars", "j[b],y", NULL});
    ck_assert_msg(r.status == 0, "%s", r.err);
    ck_assert_msg(strncmp(r.out, "time,\"j[b]\",\"y[a]\",\"y[b]\"\n0,0,100,200\n", 37) == 0, "%s",
                  r.out);
    cmd_result_free(&r);
    write_file(bad, "model = \"m.cfg\";\nset = { k = [5, 6, 7]; };\n");
    r = run_migdev(NULL, (const char *const[]){"run", bad, "-o", "-", NULL});
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(strstr(r.err, "bad.cfg:2:9: error: 'k' has 2 elements, the list gives 3 values"),
                  "%s", r.err);
    cmd_result_free(&r);
    rm_tree(dir);
    free(dir);
}
END_TEST

/* The example of docs/model-format.md: each region loses the share
** rate * dt of its people per step (Euler), and what it loses is abroad. */
START_TEST(example_model_numbers)
{
    char *path = source_path("models/examples/regions.cfg");
    migdev_error err;
    migdev_error_clear(&err);
    migdev_model *m = migdev_model_load(path, &err);
    ck_assert_msg(m != NULL, "%s", err.message);
    migdev_run *r = migdev_run_new(m, NULL, &err);
    ck_assert(r && migdev_run_execute(r, &err) == 0);
    const size_t last = migdev_run_n_saves(r) - 1; /* t = 20: 80 steps of 0.25 */
    const double p0[3] = {4e6, 10e6, 6e6}, d0[3] = {1e6, 0.5e6, 2e6}, rate[3] = {0.02, 0.01, 0.03};
    const char *pop[3] = {"population[north]", "population[centre]", "population[south]"};
    const char *dia[3] = {"diaspora[north]", "diaspora[centre]", "diaspora[south]"};
    double abroad = 0;
    for (int k = 0; k < 3; k++) {
        const double p = p0[k] * pow(1 - rate[k] * 0.25, 80);
        near(migdev_run_series(r, migdev_model_find(m, pop[k]))[last], p, pop[k]);
        near(migdev_run_series(r, migdev_model_find(m, dia[k]))[last], d0[k] + p0[k] - p, dia[k]);
        abroad += d0[k] + p0[k] - p;
    }
    near(migdev_run_series(r, migdev_model_find(m, "total_remittances"))[last], 3000 * abroad,
         "total_remittances");
    near(migdev_run_series(r, migdev_model_find(m, "largest_emigration_rate"))[0], 0.03,
         "largest_emigration_rate");
    migdev_run_free(r);
    migdev_model_free(m);
    free(path);
}
END_TEST

/* Export as XMILE: the arrays become XMILE arrays (<dimensions>, one
** <element> per element), and the file read back runs bit for bit the
** same, every variable by its name. */
static void ck_round_trip(const char *text)
{
    migdev_model *m = load_model_text(text);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    migdev_error err;
    migdev_error_clear(&err);
    ck_assert_msg(migdev_model_write_xmile(m, f, &err) == 0, "%s", err.message);
    fclose(f);
    ck_assert_msg(strstr(buf, "<dimensions>") && strstr(buf, "<element subscript="), "%s", buf);
    migdev_model *x = migdev_model_load_string(buf, "t.xmile", &err);
    ck_assert_msg(x != NULL, "%s\n%s", err.message, buf);
    migdev_run *a = migdev_run_new(m, NULL, &err), *b = migdev_run_new(x, NULL, &err);
    ck_assert(a && b && migdev_run_execute(a, &err) == 0 && migdev_run_execute(b, &err) == 0);
    ck_assert_int_eq((int)migdev_run_n_saves(a), (int)migdev_run_n_saves(b));
    migdev_var_info vi;
    for (int i = 0; migdev_model_var(m, i, &vi) == 0; i++) {
        const int j = migdev_model_find(x, vi.name);
        ck_assert_msg(j >= 0, "'%s' is not in the XMILE file", vi.name);
        ck_assert_msg(memcmp(migdev_run_series(a, i), migdev_run_series(b, j),
                             migdev_run_n_saves(a) * sizeof(double)) == 0,
                      "'%s' differs after the round trip", vi.name);
    }
    migdev_run_free(a);
    migdev_run_free(b);
    migdev_model_free(x);
    migdev_model_free(m);
    free(buf);
}

START_TEST(xmile_export_round_trips)
{
    ck_round_trip(regions);
    char *path = source_path("models/examples/regions.cfg");
    char *text = read_text(path);
    ck_round_trip(text);
    free(text);
    free(path);
}
END_TEST

START_TEST(readme_commands_run)
{
    char *dir = tmp_dir_linking((const char *const[]){"models", NULL});
    char out[4200];
    snprintf(out, sizeof out, "%s/out", dir);
    ck_assert(mkdir(out, 0700) == 0);
    ck_assert_int_eq(run_readme_commands("### Arrays", dir, NULL), 4);
    rm_tree(dir);
    free(dir);
}
END_TEST

/* Arrayed lookups (one table per element: y as a list of arrays) and data
** (one column per element); reductions over them. By hand at t = 5:
** effect[a] 0.5, effect[b] 1 (halfway along y = 0..1 and 0..2); the data
** halfway between 1 and 2, and 10 and 20. */
START_TEST(lookups_and_data_as_arrays)
{
    char *dir = tmp_dir();
    char model[600], csv[600];
    snprintf(model, sizeof model, "%s/m.cfg", dir);
    snprintf(csv, sizeof csv, "%s/series.csv", dir);
    write_file(csv, "year,a,b\n0,1,10\n10,2,20\n");
    write_file(model,
               "time = { start = 0; stop = 10; dt = 5; };\n"
               "dimensions = ( { name = \"r\"; elements = [\"a\", \"b\"]; } );\n"
               "lookups = ( { name = \"effect\"; dimensions = [\"r\"]; x = [0, 10];\n"
               "              y = ([0, 1], [0, 2]); } );\n"
               "data = ( { name = \"d\"; dimensions = [\"r\"]; file = \"series.csv\";\n"
               "           time_column = \"year\"; column = [\"a\", \"b\"]; } );\n"
               "auxiliaries = ( { name = \"e\"; dimensions = [\"r\"]; equation = \"effect[r](time)\"; },\n"
               "                { name = \"total\"; equation = \"sum(d[*])\"; } );\n");
    migdev_error err;
    migdev_error_clear(&err);
    migdev_model *m = migdev_model_load(model, &err);
    ck_assert_msg(m != NULL, "%s", err.message);
    migdev_run *r = migdev_run_new(m, NULL, &err);
    ck_assert(r && migdev_run_execute(r, &err) == 0);
    near(migdev_run_series(r, migdev_model_find(m, "e[a]"))[1], 0.5, "e[a]");
    near(migdev_run_series(r, migdev_model_find(m, "e[b]"))[1], 1, "e[b]");
    near(migdev_run_series(r, migdev_model_find(m, "d[b]"))[1], 15, "d[b]");
    near(migdev_run_series(r, migdev_model_find(m, "total"))[1], 1.5 + 15, "total");
    migdev_run_free(r);
    migdev_model_free(m);
    rm_tree(dir);
    free(dir);
    static const char bad[] =
        "dimensions = ( { name = \"r\"; elements = [\"a\", \"b\"]; } );\n"
        "lookups = ( { name = \"g\"; dimensions = [\"r\"]; x = [0, 1]; y = ([0, 1]); } );\n";
    ck_model_error(bad, "y = (", "'g' has 2 elements, its 'y' gives 1 (one per element, in order)");
}
END_TEST

/* A sweep parameter that names an arrayed constant gives every element the
** sampled value; one that names an element varies that element. By hand
** (dt 1, one step): y[b] = 100 * k[b] + j[b]. */
START_TEST(sweeps_over_a_whole_array_or_an_element)
{
    char *dir = tmp_dir();
    char model[600], scen[600];
    snprintf(model, sizeof model, "%s/m.cfg", dir);
    snprintf(scen, sizeof scen, "%s/s.cfg", dir);
    write_file(model, "time = { start = 0; stop = 1; dt = 1; };\n"
                      "dimensions = ( { name = \"r\"; elements = [\"a\", \"b\"]; } );\n"
                      "constants = ( { name = \"k\"; dimensions = [\"r\"]; value = [1, 2]; },\n"
                      "              { name = \"j\"; dimensions = [\"r\"]; value = 0; } );\n"
                      "auxiliaries = ( { name = \"y\"; dimensions = [\"r\"]; "
                      "equation = \"100 * k[r] + j[r]\"; } );\n");
    write_file(scen, "model = \"m.cfg\";\n"
                     "sweep = { design = \"grid\";\n"
                     "  parameters = ( { name = \"k\"; values = [3, 4]; },\n"
                     "                 { name = \"j[b]\"; values = [5]; } );\n"
                     "  metrics = ( { name = \"ya\"; variable = \"y[a]\"; stat = \"final\"; },\n"
                     "              { name = \"yb\"; variable = \"y[b]\"; stat = \"final\"; } ); };\n");
    cmd_result r = run_migdev(NULL, (const char *const[]){"sweep", scen, "-o", "-", NULL});
    ck_assert_msg(r.status == 0, "%s", r.err);
    ck_assert_msg(strstr(r.out, "0,3,5,300,305,ok\n") && strstr(r.out, "1,4,5,400,405,ok\n"), "%s",
                  r.out);
    cmd_result_free(&r);
    rm_tree(dir);
    free(dir);
}
END_TEST

/* A mapping pairs the elements of two dimensions by position, both ways:
** arrivals[us] reads leavers[mx], back[gt] reads arrivals[ca]. */
START_TEST(mappings_pair_elements_in_order)
{
    static const char text[] =
        "time = { start = 0; stop = 1; dt = 1; };\n"
        "dimensions = ( { name = \"origin\"; elements = [\"mx\", \"gt\"]; maps_to = \"destination\"; },\n"
        "               { name = \"destination\"; elements = [\"us\", \"ca\"]; } );\n"
        "constants = ( { name = \"leavers\"; dimensions = [\"origin\"]; value = [10, 20]; } );\n"
        "auxiliaries = ( { name = \"arrivals\"; dimensions = [\"destination\"]; equation = \"leavers[origin] * 2\"; },\n"
        "                { name = \"back\"; dimensions = [\"origin\"]; equation = \"arrivals[destination] + 1\"; } );\n";
    sim s = sim_run(text, NULL);
    near(sim_series(&s, "arrivals[us]")[0], 20, "arrivals[us]");
    near(sim_series(&s, "arrivals[ca]")[0], 40, "arrivals[ca]");
    near(sim_series(&s, "back[gt]")[0], 41, "back[gt]");
    sim_free(&s);
    static const char uneven[] =
        "dimensions = ( { name = \"o\"; elements = [\"a\", \"b\"]; maps_to = \"d\"; },\n"
        "               { name = \"d\"; elements = [\"x\"]; } );\n";
    ck_model_error(uneven, "maps_to",
                   "dimension 'o' (2 elements) maps to 'd' (1 elements): a mapping pairs "
                   "elements one to one, in order");
    static const char nowhere[] =
        "dimensions = ( { name = \"o\"; elements = [\"a\"]; maps_to = \"q\"; } );\n";
    ck_model_error(nowhere, "maps_to", "dimension 'o' maps to 'q', which 'dimensions' does not define");
}
END_TEST

/* Calibrating one element of an arrayed constant: data made by the Euler
** recurrence y(n+1) = y(n) (1 - 0.2) give k[b] = 0.2; the fitted scenario
** sets the whole array (k[a] keeps the model's 0.1) and runs. */
START_TEST(calibrate_an_element)
{
    char *dir = tmp_dir();
    char path[600], data[2000] = "time,yb\n";
    snprintf(path, sizeof path, "%s/m.cfg", dir);
    write_file(path, "time = { start = 0; stop = 10; dt = 1; };\n"
                     "dimensions = ( { name = \"r\"; elements = [\"a\", \"b\"]; } );\n"
                     "constants = ( { name = \"k\"; dimensions = [\"r\"]; value = 0.1; } );\n"
                     "stocks = ( { name = \"y\"; dimensions = [\"r\"]; init = 100; outflows = [\"loss\"]; } );\n"
                     "flows = ( { name = \"loss\"; dimensions = [\"r\"]; equation = \"k[r] * y[r]\"; } );\n");
    double y = 100;
    for (int t = 0; t <= 10; t++, y *= 0.8) {
        char row[64];
        snprintf(row, sizeof row, "%d,%.17g\n", t, y);
        strcat(data, row);
    }
    snprintf(path, sizeof path, "%s/d.csv", dir);
    write_file(path, data);
    snprintf(path, sizeof path, "%s/fit.cfg", dir);
    write_file(path, "model = \"m.cfg\";\n"
                     "calibrate = { data = \"d.csv\"; series = ( { variable = \"y[b]\"; column = \"yb\"; } );\n"
                     "  parameters = [\"k[b]\"]; };\n");
    cmd_result r = run_migdev(dir, (const char *const[]){"calibrate", "fit.cfg", "-o", "fitted.cfg", NULL});
    ck_assert_msg(r.status == 0, "%s", r.err);
    cmd_result_free(&r);
    snprintf(path, sizeof path, "%s/fitted.cfg", dir);
    char *text = read_text(path);
    const char *line = strstr(text, "  k = [0.1, ");
    ck_assert_msg(line != NULL, "%s", text);
    ck_assert(fabs(strtod(line + 12, NULL) - 0.2) < 1e-9);
    ck_assert_msg(strstr(line, "# k[b]: fitted, std. error"), "%s", text);
    free(text);
    r = run_migdev(dir, (const char *const[]){"run", "fitted.cfg", "--vars", "y[a],y[b]", "-o", "-", NULL});
    ck_assert_msg(r.status == 0, "%s", r.err);
    ck_assert_msg(strstr(r.out, "\n1,90,80"), "%s", r.out); /* 100 (1 - 0.1), 100 (1 - 0.2) */
    cmd_result_free(&r);
    rm_tree(dir);
    free(dir);
}
END_TEST

/* Reductions over long dimensions stay within the parser's depth (a sum
** of 12,000 terms, past the 10,000-deep limit of one chain, is written in
** chunks): each of the 12,000 stocks gains 1 in the first step, so they
** sum to 12,000. STDDEV, written out with the
** mean in every term, is refused beyond 1,000 elements. */
START_TEST(long_reductions)
{
    static const char text[] =
        "time = { start = 0; stop = 1; dt = 1; };\n"
        "dimensions = ( { name = \"i\"; size = 12000; } );\n"
        "constants = ( { name = \"one\"; dimensions = [\"i\"]; value = 1; } );\n"
        "stocks = ( { name = \"x\"; dimensions = [\"i\"]; init = 0; inflows = [\"up\"]; } );\n"
        "flows = ( { name = \"up\"; dimensions = [\"i\"]; equation = \"one[i] * (1 + size(one[*]) * 0)\"; } );\n"
        "auxiliaries = ( { name = \"total\"; equation = \"sum(x[*])\"; },\n"
        "                { name = \"avg\"; equation = \"mean(one[*])\"; } );\n";
    sim s = sim_run(text, NULL);
    near(sim_series(&s, "total")[1], 12000, "total");
    near(sim_series(&s, "avg")[0], 1, "avg");
    sim_free(&s);
    static const char sd[] =
        "dimensions = ( { name = \"i\"; size = 1001; } );\n"
        "constants = ( { name = \"one\"; dimensions = [\"i\"]; value = 1; } );\n"
        "auxiliaries = ( { name = \"v\"; equation = \"stddev(one[*])\"; } );\n";
    char *e = model_error(sd);
    ck_assert_msg(strstr(e, "STDDEV over 1001 elements in the equation of 'v': at most 1000"), "%s", e);
    free(e);
}
END_TEST

/* The exported diagram draws an array once, under its name, with one
** connector per pair of arrays (not per pair of elements). */
START_TEST(export_draws_an_array_once)
{
    if (!have_program("dot"))
        return; /* the diagram needs Graphviz's dot; covered where it is installed */
    char *path = source_path("models/examples/regions.cfg");
    cmd_result r = run_migdev(NULL, (const char *const[]){"export", "--xmile", path, NULL});
    ck_assert_msg(r.status == 0, "%s", r.err);
    const char *views = strstr(r.out, "<views>");
    ck_assert_ptr_nonnull(views);
    ck_assert_ptr_nonnull(strstr(views, "<stock name=\"population\" x=\""));
    ck_assert_ptr_nonnull(strstr(views, "<flow name=\"emigration\" x=\""));
    ck_assert_ptr_null(strstr(views, "population[north]"));
    const char *c = strstr(views, "<from>remittances</from>\n          <to>total_remittances</to>");
    ck_assert_ptr_nonnull(c);
    ck_assert_ptr_null(strstr(c + 1, "<from>remittances</from>\n          <to>total_remittances</to>"));
    cmd_result_free(&r);
    free(path);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("arrays");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, stocks_flows_and_elements);
    tcase_add_test(tc, reductions_over_a_dimension);
    tcase_add_test(tc, per_element_equations_subranges_and_builtins);
    tcase_add_test(tc, flows_between_arrayed_stocks);
    tcase_add_test(tc, element_names_are_the_output_columns);
    tcase_add_test(tc, errors_point_at_the_setting);
    tcase_add_test(tc, scenarios_and_set_reach_the_elements);
    tcase_add_test(tc, example_model_numbers);
    tcase_add_test(tc, xmile_export_round_trips);
    tcase_add_test(tc, readme_commands_run);
    tcase_add_test(tc, lookups_and_data_as_arrays);
    tcase_add_test(tc, sweeps_over_a_whole_array_or_an_element);
    tcase_add_test(tc, mappings_pair_elements_in_order);
    tcase_add_test(tc, calibrate_an_element);
    tcase_add_test(tc, export_draws_an_array_once);
    suite_add_tcase(s, tc);
    TCase *big = tcase_create("big");
    tcase_set_timeout(big, 300); /* 12,000 elements: slow under the sanitizers */
    tcase_add_test(big, long_reductions);
    suite_add_tcase(s, big);
    TCase *fz = tcase_create("mutations");
    tcase_set_timeout(fz, 300);
    tcase_add_test(fz, mutations_are_refused_cleanly);
    suite_add_tcase(s, fz);
    return run_suite(s);
}
