/*
** check_loops_cli.c - `migdev loops` and `migdev graph` end to end: the
** listing, the dominance CSV and summary, the gnuplot figure (names are never
** executed by gnuplot), the Graphviz diagram, stability, and usage errors.
** Expected numbers are the loop-analysis spec's (Example A table).
*/
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *model_path(const char *name)
{
    char rel[200];
    snprintf(rel, sizeof rel, "tests/models/%s", name);
    return source_path(rel);
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

START_TEST(listing)
{
    char *m = model_path("logistic.cfg");
    const char *args[] = {"loops", m, NULL};
    cmd_result r = run_migdev(NULL, args);
    ck_assert_msg(r.status == 0, "%s", r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "2 loops, all elementary loops"));
    ck_assert_ptr_nonnull(strstr(r.out, "R1  -     R              2  population -(+)-> net_birth_rate -(+)-> population"));
    ck_assert_ptr_nonnull(strstr(r.out, "fraction_of_carrying_capacity_used -(-)-> fractional_growth_rate"));
    cmd_result_free(&r);
    free(m);
}
END_TEST

START_TEST(dominance_csv_and_summary)
{
    char *m = model_path("logistic.cfg");
    char *d = tmp_dir();
    char csv[4200];
    snprintf(csv, sizeof csv, "%s/out/scores.csv", d);
    const char *args[] = {"loops", m, "--dominance", "-o", csv, "--raw", NULL};
    cmd_result r = run_migdev(NULL, args);
    ck_assert_msg(r.status == 0, "%s", r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "t = 1          .. 46         R1"));
    ck_assert_ptr_nonnull(strstr(r.out, "t = 47         .. 100        B1"));
    char *text = read_text(csv);
    ck_assert_ptr_nonnull(text);
    ck_assert(strncmp(text, "time,R1,B1,score:R1,score:B1\n", 29) == 0);
    /* the row of t = 47: rel R1 0.47142, rel B1 -0.52858 (SPEC.md Example A) */
    const char *row = strstr(text, "\n47,");
    ck_assert_ptr_nonnull(row);
    double t, r1, b1;
    ck_assert_int_eq(sscanf(row + 1, "%lf,%lf,%lf", &t, &r1, &b1), 3);
    ck_assert_double_eq_tol(r1, 0.47142, 6e-6);
    ck_assert_double_eq_tol(b1, -0.52858, 6e-6);
    int lines = 0;
    for (const char *p = text; *p; p++)
        lines += *p == '\n';
    ck_assert_int_eq(lines, 102);
    free(text);
    cmd_result_free(&r);
    free(d);
    free(m);
}
END_TEST

/* Loop names with quotes, backquotes, @macros and commas reach gnuplot and
** the CSV without being executed or breaking the format. */
static const char evil_model[] =
    "stocks = ( { name = \"P\"; init = 5; inflows = [\"births\"]; outflows = [\"deaths\"]; } );\n"
    "flows = ( { name = \"births\"; equation = \"0.1 * P\"; },\n"
    "          { name = \"deaths\"; equation = \"P * P / 2000\"; } );\n"
    "loops = ( { name = \"it's `touch %s/pwned1` @x, \\\"q\\\"\"; variables = [\"P\", \"births\"]; },\n"
    "          { name = \"b'; system('touch %s/pwned2'); '\"; variables = [\"P\", \"deaths\"]; } );\n";

START_TEST(names_are_never_executed)
{
    char *d = tmp_dir();
    char text[3000], path[4200], fig[4200], csv[4200], p1[4200], p2[4200];
    snprintf(text, sizeof text, evil_model, d, d);
    snprintf(path, sizeof path, "%s/evil.cfg", d);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    snprintf(fig, sizeof fig, "%s/fig.svg", d);
    snprintf(csv, sizeof csv, "%s/s.csv", d);
    snprintf(p1, sizeof p1, "%s/pwned1", d);
    snprintf(p2, sizeof p2, "%s/pwned2", d);
    const char *args[] = {"loops", path, "--dominance", "-o", csv, "--figure", fig, NULL};
    cmd_result r = run_migdev(NULL, args);
    if (have_program("gnuplot")) {
        ck_assert_msg(r.status == 0, "%s", r.err);
        ck_assert(exists(fig));
        char *svg = read_text(fig);
        ck_assert_ptr_nonnull(strstr(svg, "touch"));   /* shown as text */
        /* the key names each loop by its name, then its id */
        ck_assert_ptr_nonnull(strstr(svg, "@x, \"q\" (R1)"));
        ck_assert_ptr_nonnull(strstr(svg, "'); ' (B1)"));
        free(svg);
    }
    ck_assert(!exists(p1));
    ck_assert(!exists(p2));
    char *c = read_text(csv);
    ck_assert_ptr_nonnull(c);
    ck_assert_ptr_nonnull(strstr(c, "time,\"it's `touch "));
    ck_assert_ptr_nonnull(strstr(c, "@x, \"\"q\"\"\",b'; system("));
    free(c);
    cmd_result_free(&r);
    /* the diagram escapes them too */
    char dot[4200];
    snprintf(dot, sizeof dot, "%s/g.dot", d);
    const char *gargs[] = {"graph", path, "-o", dot, "--loop", "R1", NULL};
    r = run_migdev(NULL, gargs);
    ck_assert_msg(r.status == 0, "%s", r.err);
    char *g = read_text(dot);
    ck_assert_ptr_nonnull(strstr(g, "@x, \\\"q\\\""));
    cmd_result_free(&r);
    free(g);
    free(d);
}
END_TEST

START_TEST(graph_outputs)
{
    char *m = model_path("logistic.cfg");
    char *d = tmp_dir();
    char dot[4200], svg[4200];
    snprintf(dot, sizeof dot, "%s/g.dot", d);
    snprintf(svg, sizeof svg, "%s/g.svg", d);
    const char *a1[] = {"graph", m, "-o", dot, "--loop", "B1", "--constants", NULL};
    cmd_result r = run_migdev(NULL, a1);
    ck_assert_msg(r.status == 0, "%s", r.err);
    char *g = read_text(dot);
    ck_assert_ptr_nonnull(strstr(g, "\"population\" [label=\"population\", shape=box"));
    ck_assert_ptr_nonnull(strstr(g, "\"net_birth_rate\" [label=\"net birth\\nrate\", shape=hexagon"));
    /* long names on lines of about 12 characters */
    ck_assert_ptr_nonnull(strstr(g, "\"fraction_of_carrying_capacity_used\" [label=\"fraction of\\ncarrying\\ncapacity\\nused\", shape=ellipse"));
    ck_assert_ptr_nonnull(strstr(g, "\"carrying_capacity\" [label=\"carrying\\ncapacity\", shape=plaintext"));
    /* one sector: the stock and everything that reaches it; fitted to a page */
    ck_assert_ptr_nonnull(strstr(g, "subgraph \"cluster_"));
    ck_assert_ptr_nonnull(strstr(g, "size=\"7.2,10.5\", ratio=compress"));
    ck_assert_ptr_nonnull(strstr(g, "\"fraction_of_carrying_capacity_used\" -> \"fractional_growth_rate\" [headlabel=\"-\""));
    ck_assert_ptr_nonnull(strstr(g, "loop B1 (balancing)"));
    free(g);
    cmd_result_free(&r);
    /* --loop-only: the loop's variables and links alone; no page scaling
       with --full-size, no clusters with --no-clusters */
    const char *a3[] = {"graph", m, "-o", dot, "--loop-only", "B1", "--constants", "--full-size",
                        "--no-clusters", NULL};
    r = run_migdev(NULL, a3);
    ck_assert_msg(r.status == 0, "%s", r.err);
    g = read_text(dot);
    ck_assert_ptr_null(strstr(g, "\"carrying_capacity\" [")); /* not on B1 */
    ck_assert_ptr_nonnull(strstr(g, "\"fraction_of_carrying_capacity_used\" -> \"fractional_growth_rate\""));
    ck_assert_ptr_null(strstr(g, ", size=\""));
    ck_assert_ptr_null(strstr(g, "cluster"));
    free(g);
    cmd_result_free(&r);
    if (have_program("dot")) {
        const char *a2[] = {"graph", m, "-o", svg, NULL};
        r = run_migdev(NULL, a2);
        ck_assert_msg(r.status == 0, "%s", r.err);
        char *s = read_text(svg);
        ck_assert_ptr_nonnull(strstr(s, "<svg"));
        free(s);
        cmd_result_free(&r);
    }
    free(d);
    free(m);
}
END_TEST

START_TEST(eigen_report)
{
    char *m = model_path("logistic.cfg");
    const char *args[] = {"loops", m, "--eigen", "50", NULL};
    cmd_result r = run_migdev(NULL, args);
    ck_assert_msg(r.status == 0, "%s", r.err);
    /* d/dP 0.12 P (1 - P/1000) at P = 617.1436: 0.12 (1 - 1.2342872) */
    ck_assert_ptr_nonnull(strstr(r.out, "eigenvalues (largest real part first): -0.028114"));
    ck_assert_ptr_nonnull(strstr(r.out, "a stable equilibrium"));
    cmd_result_free(&r);
    free(m);
}
END_TEST

START_TEST(usage_errors)
{
    char *m = model_path("logistic.cfg");
    static const struct {
        const char *a, *b, *c;
        int status;
        const char *msg;
    } cases[] = {
        {"-o", "x.csv", NULL, 2, "-o, --figure and --raw need --dominance"},
        {"--partial", "middle", NULL, 2, "--partial must be 'last' or 'first'"},
        {"--max-loops", "0", NULL, 2, "--max-loops expects a whole number from 1"},
        {"--dominance", "--figure", "f.txt", 2, "--figure must name a .png, .svg or .pdf file"},
        /* a time the run cannot give: a bad flag value, pointed at (the program, 'loops',
           the model path and '--eigen' come first) */
        {"--eigen", "50.5", NULL, 2, "--eigen: time 50.5 is not on the euler step grid"},
        {"--eigen", "200", NULL, 2, "--eigen: time 200 is outside the run"},
        {"--bogus", NULL, NULL, 2, "unknown option '--bogus'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *args[] = {"loops", m, cases[i].a, cases[i].b, cases[i].c, NULL};
        cmd_result r = run_migdev(NULL, args);
        ck_assert_msg(r.status == cases[i].status, "case %zu: status %d: %s", i, r.status, r.err);
        ck_assert_msg(strstr(r.err, cases[i].msg) != NULL, "case %zu: %s", i, r.err);
        if (!strcmp(cases[i].a, "--eigen")) {
            char want[600];
            snprintf(want, sizeof want, "command line:1:%d: error: %s",
                     (int)(strlen(MIGDEV_BIN) + strlen(" loops ") + strlen(m) + strlen(" --eigen ")) + 1,
                     cases[i].msg);
            ck_assert_msg(strncmp(r.err, want, strlen(want)) == 0, "got %s, want %s", r.err, want);
        }
        cmd_result_free(&r);
    }
    const char *g1[] = {"graph", m, NULL};
    cmd_result r = run_migdev(NULL, g1);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "missing -o OUT"));
    cmd_result_free(&r);
    const char *g2[] = {"graph", m, "-o", "/tmp/x.dot", "--loop", "R7", NULL};
    r = run_migdev(NULL, g2);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "no loop 'R7' in the model (loops: R1, B1)"));
    cmd_result_free(&r);
    const char *bad = tmp_file(0, "bad.cfg", "stocks = ( { name = \"S\"; init = 1; inflows = [\"f\"]; } );\n"
                                             "flows = ( { name = \"f\"; equation = \"S * k\"; } );\n");
    const char *g3[] = {"loops", bad, NULL};
    r = run_migdev(NULL, g3);
    ck_assert_int_eq(r.status, 1);
    ck_assert_ptr_nonnull(strstr(r.err, "bad.cfg:2:41: error: unknown variable 'k'"));
    cmd_result_free(&r);
    free(m);
}
END_TEST

/* The figure and diagram commands need gnuplot and Graphviz. */
static int needs_missing_tools(const char *cmd)
{
    return (strstr(cmd, "--figure") || strstr(cmd, ".svg")) &&
           !(have_program("gnuplot") && have_program("dot"));
}

/* The commands of the README's "Feedback loops" section run as shown, from
** a folder with the repository's models, configs and test models. */
START_TEST(readme_commands)
{
    char *dir = tmp_dir_linking((const char *const[]){"models", "configs", "tests", NULL});
    ck_assert_int_eq(run_readme_commands("## Feedback loops", dir, needs_missing_tools), 6);
    char link[4200];
    snprintf(link, sizeof link, "%s/out/logistic_loops.csv", dir);
    char *csv = read_text(link);
    ck_assert_ptr_nonnull(csv);
    ck_assert(strncmp(csv, "time,R1,B1\n", 11) == 0);
    free(csv);
    free(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("loops_cli");
    TCase *core = tcase_create("core");
    tcase_set_timeout(core, 120);
    tcase_add_test(core, listing);
    tcase_add_test(core, dominance_csv_and_summary);
    tcase_add_test(core, names_are_never_executed);
    tcase_add_test(core, graph_outputs);
    tcase_add_test(core, eigen_report);
    tcase_add_test(core, readme_commands);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_set_timeout(errors, 120);
    tcase_add_test(errors, usage_errors);
    suite_add_tcase(s, errors);
    return run_suite(s);
}
