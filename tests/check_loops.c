/*
** check_loops.c - feedback-loop analysis (loops.h) against independent
** oracles:
**  - the worked examples of the loop-analysis specification
**    (../shared/reference/loop-analysis/SPEC.md, section 6), whose numbers
**    come from its reference implementation ltm_oracle.py and, for Example A,
**    from a Stella export and, for Example C, from Table 3 of Schoenberg,
**    Davidsen & Eberlein (2020); the numbers are copied into this file, so
**    the test does not need ../shared;
**  - closed forms derived by hand (Example A: relative score of the
**    balancing loop = -P(t)/K; Example B: -(P(t)+P(t-dt))/(K+P(t)+P(t-dt)));
**  - the 2020 and 2023 papers' small link-score tables;
**  - cycle counts known in closed form (complete digraphs);
**  - loops whose polarity is known by construction.
*/
#include "testutil.h"

#include "loops/loops_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ helpers */

typedef struct fixture {
    migdev_model *m;
    migdev_run *r;
    migdev_loops *a;
} fixture;

static migdev_loops *analyse(migdev_model *m, migdev_run **rp, const migdev_sim_spec *spec,
                             const migdev_loops_opts *o)
{
    migdev_error err;
    migdev_error_clear(&err);
    migdev_run *r = migdev_run_new(m, spec, &err);
    ck_assert_msg(r != NULL, "%s", err.message);
    migdev_loops *a = migdev_loops_analyse(r, o, &err);
    char buf[1200];
    ck_assert_msg(a != NULL, "%s", migdev_error_format(&err, buf, sizeof buf));
    *rp = r;
    return a;
}

static fixture open_file(const char *rel, const migdev_loops_opts *o, const migdev_sim_spec *spec)
{
    fixture f;
    char *path = source_path(rel);
    migdev_error err;
    migdev_error_clear(&err);
    f.m = migdev_model_load(path, &err);
    ck_assert_msg(f.m != NULL, "%s: %s", path, err.message);
    free(path);
    f.a = analyse(f.m, &f.r, spec, o);
    return f;
}

static fixture open_text(const char *text, const migdev_loops_opts *o)
{
    fixture f;
    f.m = load_model_text(text);
    f.a = analyse(f.m, &f.r, NULL, o);
    return f;
}

static void close_fx(fixture *f)
{
    migdev_loops_free(f->a);
    migdev_run_free(f->r);
    migdev_model_free(f->m);
}

static int var(const fixture *f, const char *name)
{
    const int v = migdev_model_find(f->m, name);
    ck_assert_msg(v >= 0, "no variable %s", name);
    return v;
}

static int loop_id(const fixture *f, const char *id)
{
    const int i = migdev_loops_find(f->a, id);
    ck_assert_msg(i >= 0, "no loop %s", id);
    return i;
}

/* Save index of time t. */
static size_t at(const fixture *f, double t)
{
    const double *ts = migdev_loops_times(f->a);
    for (size_t k = 0; k < migdev_loops_n_times(f->a); k++)
        if (fabs(ts[k] - t) < 1e-9)
            return k;
    ck_abort_msg("no save time %g", t);
    return 0;
}

static const double *link_ls(const fixture *f, const char *from, const char *to)
{
    const int l = migdev_loops_find_link(f->a, var(f, from), var(f, to));
    ck_assert_msg(l >= 0, "no link %s -> %s", from, to);
    return migdev_loops_link_score(f->a, l);
}

static const migdev_loops_opts SCORES = {0, 0, 1, MIGDEV_CHANGED_LAST};
static const migdev_loops_opts SCORES_FIRST = {0, 0, 1, MIGDEV_CHANGED_FIRST};

/* ------------------------------------------- Example A: logistic growth */

START_TEST(logistic_relative_scores_match_spec_table)
{
    fixture f = open_file("tests/models/logistic.cfg", &SCORES, NULL);
    ck_assert_int_eq(migdev_loops_count(f.a), 2);
    const int r1 = loop_id(&f, "R1"), b1 = loop_id(&f, "B1");
    migdev_loop_info li;
    migdev_loops_get(f.a, r1, &li);
    ck_assert_int_eq(li.n, 2);
    migdev_loops_get(f.a, b1, &li);
    ck_assert_int_eq(li.n, 4);
    /* SPEC.md Example A table (Stella-compatible): t, rel R1, rel B1 */
    static const double tab[][3] = {
        {1, 0.99440, -0.00560},  {10, 0.98462, -0.01538}, {30, 0.86746, -0.13254},
        {46, 0.50142, -0.49858}, {47, 0.47142, -0.52858}, {50, 0.38286, -0.61714},
        {100, 0.00111, -0.99889}};
    const double *rr = migdev_loops_relative(f.a, r1), *rb = migdev_loops_relative(f.a, b1);
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
        const size_t k = at(&f, tab[i][0]);
        ck_assert_double_eq_tol(rr[k], tab[i][1], 6e-6);
        ck_assert_double_eq_tol(rb[k], tab[i][2], 6e-6);
    }
    /* raw loop scores at the peak, t = 47: R1 = 17.35317, B1 = -19.45748 */
    ck_assert_double_eq_tol(migdev_loops_score(f.a, r1)[at(&f, 47)], 17.35317, 6e-6);
    ck_assert_double_eq_tol(migdev_loops_score(f.a, b1)[at(&f, 47)], -19.45748, 6e-6);
    ck_assert_double_eq(rr[0], 0.0);
    /* closed form: rel B1(t) = -P(t)/K at every save time after the first */
    const double *P = migdev_run_series(f.r, var(&f, "population"));
    (void)P; /* the analysis ran its own simulation: take P from a fresh run */
    migdev_error err;
    migdev_run *r = migdev_run_new(f.m, NULL, &err);
    ck_assert_int_eq(migdev_run_execute(r, &err), 0);
    P = migdev_run_series(r, var(&f, "population"));
    for (size_t k = 1; k < migdev_loops_n_times(f.a); k++)
        ck_assert_double_eq_tol(rb[k], -P[k] / 1000.0, 1e-12);
    migdev_run_free(r);
    close_fx(&f);
}
END_TEST

START_TEST(logistic_crossover_at_47)
{
    fixture f = open_file("tests/models/logistic.cfg", &SCORES, NULL);
    const int r1 = loop_id(&f, "R1"), b1 = loop_id(&f, "B1");
    const double *rb = migdev_loops_relative(f.a, b1);
    size_t first = 0;
    for (size_t k = 1; k < migdev_loops_n_times(f.a) && !first; k++)
        if (fabs(rb[k]) >= 0.5)
            first = k;
    ck_assert_double_eq_tol(migdev_loops_times(f.a)[first], 47.0, 1e-12);
    /* the summary: R1 dominates from t = 1 to 46, B1 from 47 to 100 */
    ck_assert_int_eq(migdev_loops_n_periods(f.a), 2);
    migdev_dominance d;
    migdev_loops_period(f.a, 0, &d);
    ck_assert_int_eq(d.n, 1);
    ck_assert_int_eq(d.loops[0], r1);
    ck_assert_double_eq_tol(d.from, 1.0, 1e-12);
    ck_assert_double_eq_tol(d.to, 46.0, 1e-12);
    migdev_loops_period(f.a, 1, &d);
    ck_assert_int_eq(d.n, 1);
    ck_assert_int_eq(d.loops[0], b1);
    ck_assert_double_eq_tol(d.from, 47.0, 1e-12);
    ck_assert_double_eq_tol(d.to, 100.0, 1e-12);
    migdev_loop_info li;
    migdev_loops_get(f.a, r1, &li);
    ck_assert_str_eq(li.runtime, "R");
    migdev_loops_get(f.a, b1, &li);
    ck_assert_str_eq(li.runtime, "B");
    close_fx(&f);
}
END_TEST

/* SPEC.md A.3: on an RK4 trajectory sampled every 1.0, rel B1(50) = -0.669669;
** and with an adaptive GSL method the identity rel B1 = -P/K still holds on
** the save grid. */
START_TEST(logistic_scores_with_other_solvers)
{
    migdev_sim_spec sp = {0.0, 100.0, 1.0, 1.0, MIGDEV_RK4, 1e-6, 1e-6, 0.0, 0};
    fixture f = open_file("tests/models/logistic.cfg", &SCORES, &sp);
    ck_assert_double_eq_tol(migdev_loops_relative(f.a, loop_id(&f, "B1"))[at(&f, 50)], -0.669669, 2e-6);
    close_fx(&f);
    migdev_sim_spec sa = {0.0, 100.0, 0.1, 2.0, MIGDEV_RKF45, 1e-10, 1e-10, 0.0, 0};
    f = open_file("tests/models/logistic.cfg", &SCORES, &sa);
    ck_assert_int_eq((int)migdev_loops_n_times(f.a), 51);
    migdev_error err;
    migdev_run *r = migdev_run_new(f.m, &sa, &err);
    ck_assert_int_eq(migdev_run_execute(r, &err), 0);
    const double *P = migdev_run_series(r, var(&f, "population"));
    const double *rb = migdev_loops_relative(f.a, loop_id(&f, "B1"));
    for (size_t k = 1; k < 51; k++)
        ck_assert_double_eq_tol(rb[k], -P[k] / 1000.0, 1e-9);
    /* continuous logistic at t = 50: P = 1000 / (1 + 199 e^-6) */
    ck_assert_double_eq_tol(rb[25], -1.0 / (1.0 + 199.0 * exp(-6.0)), 1e-6);
    migdev_run_free(r);
    close_fx(&f);
}
END_TEST

/* ----------------------------------- Example B: births and deaths flows */

START_TEST(births_deaths_closed_form)
{
    fixture f = open_file("tests/models/births_deaths.cfg", &SCORES, NULL);
    ck_assert_int_eq(migdev_loops_count(f.a), 2);
    const double *rb = migdev_loops_relative(f.a, loop_id(&f, "B1"));
    const double *rr = migdev_loops_relative(f.a, loop_id(&f, "R1"));
    migdev_error err;
    migdev_run *r = migdev_run_new(f.m, NULL, &err);
    ck_assert_int_eq(migdev_run_execute(r, &err), 0);
    const double *P = migdev_run_series(r, var(&f, "population"));
    for (size_t k = 1; k < migdev_loops_n_times(f.a); k++) {
        const double s = P[k] + P[k - 1];
        ck_assert_double_eq_tol(rb[k], -s / (1000.0 + s), 1e-12);
    }
    /* SPEC.md Example B table at t = 46, 47: B1 takes over at 47 */
    ck_assert_double_eq_tol(rr[at(&f, 46)], 0.50832, 6e-6);
    ck_assert_double_eq_tol(rb[at(&f, 47)], -0.50670, 6e-6);
    ck_assert_double_eq_tol(link_ls(&f, "deaths", "population")[at(&f, 47)], -37.8106, 6e-5);
    migdev_run_free(r);
    close_fx(&f);
}
END_TEST

/* ------------------------------------------- Example C: Bass diffusion */

/* Schoenberg, Davidsen & Eberlein (2020), Table 3: the paper reports the
** interval [t, t+dt] at t with changed-first partials; we report it at
** t+dt. Columns: paper time, LS prob->pcwa, LS contacts->pcwa, rel B1, rel R1. */
START_TEST(bass_reproduces_paper_table_3)
{
    fixture f = open_file("tests/models/bass.cfg", &SCORES_FIRST, NULL);
    ck_assert_int_eq(migdev_loops_count(f.a), 2);
    static const double tab[][5] = {{9.5, 9.958, 11.46, -0.465, 0.535},
                                    {9.5625, 9358.0, 9806.0, -0.488, 0.512},
                                    {9.625, 10.91, 10.41, -0.512, 0.488}};
    const double *lp = link_ls(&f, "probability_of_contact_with_potentials", "potentials_contacts_with_adopters");
    const double *la = link_ls(&f, "adopter_contacts", "potentials_contacts_with_adopters");
    const double *rb = migdev_loops_relative(f.a, loop_id(&f, "B1"));
    const double *rr = migdev_loops_relative(f.a, loop_id(&f, "R1"));
    for (size_t i = 0; i < 3; i++) {
        const size_t k = at(&f, tab[i][0] + 0.0625);
        ck_assert_double_eq_tol(fabs(lp[k]), tab[i][1], 0.0005 * tab[i][1]); /* 4 significant figures */
        ck_assert_double_eq_tol(la[k], tab[i][2], 0.0005 * tab[i][2]);
        ck_assert_double_eq_tol(rb[k], tab[i][3], 0.0005);
        ck_assert_double_eq_tol(rr[k], tab[i][4], 0.0005);
    }
    /* t = 1: R1 explains everything */
    ck_assert_double_eq_tol(rr[at(&f, 1.0625)], 1.0, 0.0005);
    close_fx(&f);
    /* Stella's convention gives the same relative scores to 3 decimals at the
       paper's times (SPEC.md Example C, last columns) */
    f = open_file("tests/models/bass.cfg", &SCORES, NULL);
    rb = migdev_loops_relative(f.a, loop_id(&f, "B1"));
    for (size_t i = 0; i < 3; i++)
        ck_assert_double_eq_tol(rb[at(&f, tab[i][0])], tab[i][3], 0.0005);
    close_fx(&f);
}
END_TEST

/* ------------------------------------------- Example D: arms race */

START_TEST(arms_race_eight_loops_and_scores)
{
    fixture f = open_file("tests/models/arms_race.cfg", &SCORES, NULL);
    ck_assert_int_eq(migdev_loops_count(f.a), 8);
    ck_assert_int_eq(migdev_loops_n_partitions(f.a), 1);
    static const char *const ids[8] = {"B1", "B2", "B3", "R1", "R2", "R3", "R4", "R5"};
    static const int len[8] = {2, 2, 2, 6, 6, 6, 9, 9};
    static const double tab[][9] = {
        {1, -0.2784, -0.1999, -0.0018, 0.4963, 0.0044, 0.0032, 0.0064, 0.0096},
        {2, -0.3227, -0.0845, -0.0056, 0.4615, 0.0301, 0.0079, 0.0352, 0.0526},
        {5, -0.2331, -0.0957, -0.0394, 0.2545, 0.1037, 0.0426, 0.0926, 0.1384},
        {10, -0.1465, -0.1235, -0.1041, 0.1473, 0.1229, 0.1036, 0.1011, 0.1510},
        {20, -0.1257, -0.1246, -0.1239, 0.1259, 0.1239, 0.1228, 0.1015, 0.1516},
        {50, -0.1248, -0.1248, -0.1248, 0.1250, 0.1238, 0.1238, 0.1015, 0.1516},
        {100, -0.1248, -0.1248, -0.1248, 0.1250, 0.1238, 0.1238, 0.1015, 0.1516}};
    for (int j = 0; j < 8; j++) {
        const int i = loop_id(&f, ids[j]);
        migdev_loop_info li;
        migdev_loops_get(f.a, i, &li);
        ck_assert_int_eq(li.n, len[j]);
        const double *rel = migdev_loops_relative(f.a, i);
        for (size_t r = 0; r < sizeof tab / sizeof tab[0]; r++)
            ck_assert_double_eq_tol(rel[at(&f, tab[r][0])], tab[r][j + 1], 6e-5);
    }
    /* the two three-party loops pass the same nine variables in opposite order */
    migdev_loop_info l4, l5;
    migdev_loops_get(f.a, loop_id(&f, "R4"), &l4);
    migdev_loops_get(f.a, loop_id(&f, "R5"), &l5);
    ck_assert_int_ne(l4.vars[1], l5.vars[1]);
    close_fx(&f);
}
END_TEST

/* SPEC.md section 3: discovery with best scores reset per start stock finds
** 7 of the 8 loops and misses the pairwise B <-> C loop. */
START_TEST(arms_race_discovery_recall)
{
    const migdev_loops_opts o = {0, 1, 1, MIGDEV_CHANGED_LAST};
    fixture f = open_file("tests/models/arms_race.cfg", &o, NULL);
    ck_assert(migdev_loops_is_discovered(f.a));
    ck_assert_int_eq(migdev_loops_count(f.a), 7);
    const int b = var(&f, "b_arms"), c = var(&f, "c_arms"), a = var(&f, "a_arms");
    for (int i = 0; i < 7; i++) {
        migdev_loop_info li;
        migdev_loops_get(f.a, i, &li);
        int has_a = 0, has_b = 0, has_c = 0;
        for (int j = 0; j < li.n; j++) {
            has_a |= li.vars[j] == a;
            has_b |= li.vars[j] == b;
            has_c |= li.vars[j] == c;
        }
        ck_assert_msg(!(has_b && has_c && !has_a), "found the B<->C loop");
    }
    close_fx(&f);
}
END_TEST

/* ------------------------------------------- Example E: conventions */

START_TEST(decoupled_link_scores_tell_conventions_apart)
{
    /* SPEC.md Example E: link scores at t = 0..10 */
    static const char *const links[4][2] = {{"stock_1", "flow_1"}, {"stock_2", "flow_1"},
                                            {"stock_1", "flow_2"}, {"stock_2", "flow_2"}};
    static const double last[4][11] = {{0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0},
                                       {0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1},
                                       {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0},
                                       {0, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1}};
    static const double first[4][11] = {{0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0},
                                        {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1},
                                        {0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0},
                                        {0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1}};
    for (int conv = 0; conv < 2; conv++) {
        fixture f = open_file("tests/models/decoupled.cfg", conv ? &SCORES_FIRST : &SCORES, NULL);
        for (int l = 0; l < 4; l++) {
            const double *ls = link_ls(&f, links[l][0], links[l][1]);
            for (int k = 0; k <= 10; k++)
                ck_assert_msg(fabs(ls[k] - (conv ? first : last)[l][k]) < 1e-9,
                              "%s: LS %s->%s at t=%d is %g", conv ? "changed-first" : "changed-last",
                              links[l][0], links[l][1], k, ls[k]);
        }
        close_fx(&f);
    }
}
END_TEST

/* ------------------------------------------- link-score tables */

/* Schoenberg et al. 2020 Table 1: z = 2x + y, x 5 -> 7, y 4 -> 5. */
START_TEST(paper_2020_table_1)
{
    fixture f = open_text("time = { start = 0; stop = 1; dt = 1; };\n"
                          "stocks = ( { name = \"x\"; init = 5; inflows = [\"gx\"]; },\n"
                          "           { name = \"y\"; init = 4; inflows = [\"gy\"]; } );\n"
                          "flows = ( { name = \"gx\"; equation = \"2\"; }, { name = \"gy\"; equation = \"1\"; } );\n"
                          "auxiliaries = ( { name = \"z\"; equation = \"2 * x + y\"; } );\n",
                          &SCORES);
    ck_assert_double_eq_tol(link_ls(&f, "x", "z")[1], 0.8, 1e-12);
    ck_assert_double_eq_tol(link_ls(&f, "y", "z")[1], 0.2, 1e-12);
    ck_assert_int_eq(migdev_loops_count(f.a), 0);
    close_fx(&f);
}
END_TEST

/* Table 2: z = (w + x)/y, w 7 -> 10, x 2 -> 4, y 3 -> 5: changed-first +5,
** +3.333, -6; changed-last +3, +2, -9.333. */
START_TEST(paper_2020_table_2)
{
    static const char text[] =
        "time = { start = 0; stop = 1; dt = 1; };\n"
        "stocks = ( { name = \"w\"; init = 7; inflows = [\"gw\"]; },\n"
        "           { name = \"x\"; init = 2; inflows = [\"gx\"]; },\n"
        "           { name = \"y\"; init = 3; inflows = [\"gy\"]; } );\n"
        "flows = ( { name = \"gw\"; equation = \"3\"; }, { name = \"gx\"; equation = \"2\"; },\n"
        "          { name = \"gy\"; equation = \"2\"; } );\n"
        "auxiliaries = ( { name = \"z\"; equation = \"(w + x) / y\"; } );\n";
    fixture f = open_text(text, &SCORES_FIRST);
    ck_assert_double_eq_tol(link_ls(&f, "w", "z")[1], 5.0, 1e-9);
    ck_assert_double_eq_tol(link_ls(&f, "x", "z")[1], 10.0 / 3.0, 1e-9);
    ck_assert_double_eq_tol(link_ls(&f, "y", "z")[1], -6.0, 1e-9);
    close_fx(&f);
    f = open_text(text, &SCORES);
    ck_assert_double_eq_tol(link_ls(&f, "w", "z")[1], 3.0, 1e-9);
    ck_assert_double_eq_tol(link_ls(&f, "x", "z")[1], 2.0, 1e-9);
    ck_assert_double_eq_tol(link_ls(&f, "y", "z")[1], -28.0 / 3.0, 1e-9);
    close_fx(&f);
}
END_TEST

/* Schoenberg, Hayward & Eberlein 2023, Tables 1-3: inflow 5 -> 10, outflow
** 4 -> 5: LS(in) = 1.25, LS(out) = -0.25. Both flows up by 1: the net flow
** does not change, the scores are 0 and the events are counted. */
START_TEST(paper_2023_flow_links)
{
    fixture f = open_text("time = { start = 0; stop = 1; dt = 1; };\n"
                          "stocks = ( { name = \"S\"; init = 100; inflows = [\"i\"]; outflows = [\"o\"]; } );\n"
                          "flows = ( { name = \"i\"; equation = \"5 + step(5, 1)\"; },\n"
                          "          { name = \"o\"; equation = \"4 + step(1, 1)\"; } );\n",
                          &SCORES);
    ck_assert_double_eq_tol(link_ls(&f, "i", "S")[1], 1.25, 1e-12);
    ck_assert_double_eq_tol(link_ls(&f, "o", "S")[1], -0.25, 1e-12);
    ck_assert_int_eq((int)migdev_loops_n_singular(f.a), 0);
    close_fx(&f);
    f = open_text("time = { start = 0; stop = 1; dt = 1; };\n"
                  "stocks = ( { name = \"S\"; init = 100; inflows = [\"i\"]; outflows = [\"o\"]; } );\n"
                  "flows = ( { name = \"i\"; equation = \"5 + step(1, 1)\"; },\n"
                  "          { name = \"o\"; equation = \"4 + step(1, 1)\"; } );\n",
                  &SCORES);
    ck_assert_double_eq(link_ls(&f, "i", "S")[1], 0.0);
    ck_assert_double_eq(link_ls(&f, "o", "S")[1], 0.0);
    ck_assert_int_eq((int)migdev_loops_n_singular(f.a), 2);
    close_fx(&f);
}
END_TEST

/* An isolated loop scores exactly 1 (2020 paper, Appendix B); at equilibrium
** everything is 0 and nothing is NaN. */
START_TEST(isolated_loop_and_equilibrium)
{
    fixture f = open_text("time = { start = 0; stop = 5; dt = 0.25; };\n"
                          "stocks = ( { name = \"P\"; init = 10; inflows = [\"g\"]; } );\n"
                          "flows = ( { name = \"g\"; equation = \"0.1 * P\"; } );\n",
                          &SCORES);
    ck_assert_int_eq(migdev_loops_count(f.a), 1);
    for (size_t k = 1; k < migdev_loops_n_times(f.a); k++) {
        ck_assert_double_eq_tol(migdev_loops_score(f.a, 0)[k], 1.0, 1e-9);
        ck_assert_double_eq_tol(migdev_loops_relative(f.a, 0)[k], 1.0, 1e-9);
    }
    close_fx(&f);
    f = open_text("time = { start = 0; stop = 5; dt = 1; };\n"
                  "stocks = ( { name = \"P\"; init = 100; inflows = [\"b\"]; outflows = [\"d\"]; } );\n"
                  "flows = ( { name = \"b\"; equation = \"0.1 * P\"; }, { name = \"d\"; equation = \"0.1 * P\"; } );\n",
                  &SCORES);
    ck_assert_int_eq(migdev_loops_count(f.a), 2);
    for (int i = 0; i < 2; i++)
        for (size_t k = 0; k < migdev_loops_n_times(f.a); k++) {
            ck_assert_double_eq(migdev_loops_score(f.a, i)[k], 0.0);
            ck_assert_double_eq(migdev_loops_relative(f.a, i)[k], 0.0);
        }
    ck_assert_int_eq(migdev_loops_n_periods(f.a), 1);
    migdev_dominance d;
    migdev_loops_period(f.a, 0, &d);
    ck_assert_int_eq(d.n, 0);
    close_fx(&f);
}
END_TEST

START_TEST(relative_scores_log_domain)
{
    double lg[3], rel[3];
    signed char sg[3];
    const double sc[3] = {3.0, -1.0, 0.0};
    relative_scores(3, sc, lg, sg, rel);
    ck_assert_double_eq_tol(rel[0], 0.75, 1e-15);
    ck_assert_double_eq_tol(rel[1], -0.25, 1e-15);
    ck_assert_double_eq(rel[2], 0.0);
    /* scores far beyond the double range: log|s| = 1000 and 1000 + ln 3 */
    const double big[2] = {1000.0, 1000.0 + log(3.0)};
    const signed char s2[2] = {1, -1};
    relative_scores_log(2, big, s2, rel);
    ck_assert_double_eq_tol(rel[0], 0.25, 1e-12);
    ck_assert_double_eq_tol(rel[1], -0.75, 1e-12);
}
END_TEST

/* ------------------------------------------------- polarity */

static char polarity_of_only_loop(const char *text)
{
    fixture f = open_text(text, NULL);
    ck_assert_int_eq(migdev_loops_count(f.a), 1);
    migdev_loop_info li;
    migdev_loops_get(f.a, 0, &li);
    const char p = li.polarity;
    close_fx(&f);
    return p;
}

START_TEST(polarity_of_simple_loops)
{
    /* cooling: the gap drains the stock -> balancing */
    ck_assert_int_eq(polarity_of_only_loop(
        "stocks = ( { name = \"T\"; init = 180; outflows = [\"loss\"]; } );\n"
        "flows = ( { name = \"loss\"; equation = \"(T - 70) / 10\"; } );\n"), 'B');
    /* compound interest -> reinforcing */
    ck_assert_int_eq(polarity_of_only_loop(
        "stocks = ( { name = \"M\"; init = 100; inflows = [\"interest\"]; } );\n"
        "flows = ( { name = \"interest\"; equation = \"0.05 * M\"; } );\n"), 'R');
    /* two negative links make a reinforcing loop: S -> gap(-) -> flow(+) -> S
       through an outflow (-) */
    ck_assert_int_eq(polarity_of_only_loop(
        "stocks = ( { name = \"S\"; init = 10; outflows = [\"f\"]; } );\n"
        "flows = ( { name = \"f\"; equation = \"gap\"; } );\n"
        "auxiliaries = ( { name = \"gap\"; equation = \"5 - 0.1 * S\"; } );\n"), 'R');
    /* a link whose sign follows cos(time) -> undetermined */
    ck_assert_int_eq(polarity_of_only_loop(
        "time = { start = 0; stop = 20; dt = 0.25; };\n"
        "stocks = ( { name = \"S\"; init = 10; inflows = [\"f\"]; } );\n"
        "flows = ( { name = \"f\"; equation = \"0.1 * S * cos(time)\"; } );\n"), 'U');
    /* a branch never taken -> the loop never acts */
    ck_assert_int_eq(polarity_of_only_loop(
        "stocks = ( { name = \"S\"; init = 10; inflows = [\"f\"]; } );\n"
        "flows = ( { name = \"f\"; equation = \"if_then_else(time > 1000, S, 1)\"; } );\n"), '0');
}
END_TEST

/* Oscillator: x' = v, v' = -x: one balancing loop of two stocks, and the
** Jacobian [[0, 1], [-1, 0]] with eigenvalues +-i; equilibrium at 0. */
START_TEST(oscillator_loop_and_eigenvalues)
{
    static const char text[] =
        "time = { start = 0; stop = 10; dt = 0.01; save_every = 0.1; };\n"
        "stocks = ( { name = \"x\"; init = 1; inflows = [\"dx\"]; },\n"
        "           { name = \"v\"; init = 0; inflows = [\"dv\"]; } );\n"
        "flows = ( { name = \"dx\"; equation = \"v\"; }, { name = \"dv\"; equation = \"-x\"; } );\n";
    fixture f = open_text(text, NULL);
    ck_assert_int_eq(migdev_loops_count(f.a), 1);
    migdev_loop_info li;
    migdev_loops_get(f.a, 0, &li);
    ck_assert_int_eq(li.polarity, 'B');
    ck_assert_int_eq(li.n, 4);
    migdev_error err;
    migdev_stability *st = migdev_stability_at(f.r, 5.0, &err);
    ck_assert_msg(st != NULL, "%s", err.message);
    migdev_stability_info s;
    migdev_stability_get(st, &s);
    ck_assert_int_eq(s.n, 2);
    ck_assert_double_eq_tol(s.jacobian[0], 0.0, 1e-8);
    ck_assert_double_eq_tol(s.jacobian[1], 1.0, 1e-8);
    ck_assert_double_eq_tol(s.jacobian[2], -1.0, 1e-8);
    ck_assert_double_eq_tol(s.eig_re[0], 0.0, 1e-8);
    ck_assert_double_eq_tol(fabs(s.eig_im[0]), 1.0, 1e-8);
    ck_assert(s.has_equilibrium);
    ck_assert_double_eq_tol(s.equilibrium[0], 0.0, 1e-8);
    ck_assert_double_eq_tol(s.equilibrium[1], 0.0, 1e-8);
    migdev_stability_free(st);
    close_fx(&f);
}
END_TEST

/* Logistic at t = 50: d/dP 0.12 P (1 - P/1000) = 0.12 (1 - 2P/1000), with P
** from the run; the stable equilibrium is P = 1000 with eigenvalue -0.12. */
START_TEST(logistic_eigen_analytic)
{
    fixture f = open_file("tests/models/logistic.cfg", NULL, NULL);
    migdev_error err;
    migdev_error_clear(&err);
    migdev_stability *st = migdev_stability_at(f.r, 50.0, &err);
    ck_assert_msg(st != NULL, "%s", err.message);
    migdev_stability_info s;
    migdev_stability_get(st, &s);
    ck_assert_double_eq_tol(s.state[0], 617.1436, 1e-4); /* SPEC.md Example A, t = 50 */
    ck_assert_double_eq_tol(s.jacobian[0], 0.12 * (1.0 - 2.0 * s.state[0] / 1000.0), 1e-9);
    ck_assert_double_eq_tol(s.eig_re[0], s.jacobian[0], 1e-12);
    ck_assert(s.has_equilibrium);
    ck_assert_double_eq_tol(s.equilibrium[0], 1000.0, 1e-6);
    ck_assert_double_eq_tol(s.eq_eig_re[0], -0.12, 1e-8);
    migdev_stability_free(st);
    /* SPEC.md A.4: lambda at t = 0 (P = 5) is 0.118800 */
    st = migdev_stability_at(f.r, 0.0, &err);
    ck_assert_ptr_nonnull(st);
    migdev_stability_get(st, &s);
    ck_assert_double_eq_tol(s.eig_re[0], 0.118800, 1e-6);
    migdev_stability_free(st);
    migdev_error_clear(&err);
    ck_assert_ptr_null(migdev_stability_at(f.r, 50.5, &err));
    ck_assert_int_eq(err.code, MIGDEV_E_RANGE);
    migdev_error_clear(&err);
    ck_assert_ptr_null(migdev_stability_at(f.r, 101.0, &err));
    ck_assert_int_eq(err.code, MIGDEV_E_RANGE);
    close_fx(&f);
}
END_TEST

/* ------------------------------------------------- enumeration */

/* Elementary cycles of the complete digraph K_n (no self-loops):
** sum over k = 2..n of C(n,k) (k-1)!. */
static long kn_cycles(int n)
{
    long total = 0;
    for (int k = 2; k <= n; k++) {
        double c = 1.0;
        for (int i = 0; i < k; i++)
            c = c * (n - i) / (i + 1);
        double f = 1.0;
        for (int i = 2; i < k; i++)
            f *= i;
        total += (long)llround(c * f);
    }
    return total;
}

static long count_cycles(int n, int self_loops, long cap, int *truncated)
{
    int *off = malloc((size_t)(n + 1) * sizeof *off), *dst = malloc((size_t)(n * n + 1) * sizeof *dst);
    int e = 0;
    for (int u = 0; u < n; u++) {
        off[u] = e;
        for (int v = 0; v < n; v++)
            if (u != v || self_loops)
                dst[e++] = v;
    }
    off[n] = e;
    cycle_set cs = {0};
    ck_assert_int_eq(johnson_cycles(n, off, dst, cap, &cs, truncated), 0);
    /* every cycle is elementary and closed */
    for (long c = 0; c < cs.n; c++) {
        const int len = cycle_len(&cs, c);
        for (int i = 0; i < len; i++) {
            const int ed = cs.e[cs.off[c] + i], nx = cs.e[cs.off[c] + (i + 1) % len];
            int src_nx = 0;
            while (!(off[src_nx] <= nx && nx < off[src_nx + 1]))
                src_nx++;
            ck_assert_int_eq(dst[ed], src_nx);
        }
    }
    const long n_c = cs.n;
    cycles_free(&cs);
    free(off);
    free(dst);
    return n_c;
}

START_TEST(johnson_complete_digraphs)
{
    int tr;
    for (int n = 1; n <= 7; n++) {
        ck_assert_int_eq(count_cycles(n, 0, 1000000, &tr), kn_cycles(n));
        ck_assert_int_eq(tr, 0);
        ck_assert_int_eq(count_cycles(n, 1, 1000000, &tr), kn_cycles(n) + n);
    }
    ck_assert_int_eq(kn_cycles(5), 84); /* by hand: 10 + 20 + 30 + 24 */
    ck_assert_int_eq(count_cycles(7, 0, 100, &tr), 101);
    ck_assert_int_eq(tr, 1);
}
END_TEST

/* The graph of the networkx simple_cycles documentation: 5 circuits. */
START_TEST(johnson_networkx_example)
{
    const int off[4] = {0, 3, 4, 7}, dst[7] = {0, 1, 2, 2, 0, 1, 2};
    cycle_set cs = {0};
    int tr;
    ck_assert_int_eq(johnson_cycles(3, off, dst, 100, &cs, &tr), 0);
    ck_assert_int_eq((int)cs.n, 5);
    cycles_free(&cs);
}
END_TEST

/* A model whose stocks all feed each other's inflows: its loops are the
** cycles of K_n over the stocks. Past the cap, discovery takes over. */
static char *kn_model(int n)
{
    char *t = malloc(20000);
    size_t len = (size_t)sprintf(t, "time = { start = 0; stop = 5; dt = 1; };\nstocks = (\n");
    for (int i = 0; i < n; i++)
        len += (size_t)sprintf(t + len, "  { name = \"s%d\"; init = %d; inflows = [\"f%d\"]; }%s\n", i,
                               i + 1, i, i + 1 < n ? "," : "");
    len += (size_t)sprintf(t + len, ");\nflows = (\n");
    for (int i = 0; i < n; i++) {
        len += (size_t)sprintf(t + len, "  { name = \"f%d\"; equation = \"0", i);
        for (int j = 0; j < n; j++)
            if (j != i)
                len += (size_t)sprintf(t + len, " + 0.0%d * s%d", j + 1, j);
        len += (size_t)sprintf(t + len, "\"; }%s\n", i + 1 < n ? "," : "");
    }
    sprintf(t + len, ");\n");
    return t;
}

START_TEST(model_loop_counts_and_cap)
{
    char *t = kn_model(5);
    fixture f = open_text(t, NULL);
    ck_assert_int_eq(migdev_loops_count(f.a), kn_cycles(5));
    ck_assert(!migdev_loops_is_discovered(f.a));
    close_fx(&f);
    const migdev_loops_opts capped = {20, 0, 1, MIGDEV_CHANGED_LAST};
    f = open_text(t, &capped);
    ck_assert(migdev_loops_is_discovered(f.a));
    ck_assert_int_eq((int)migdev_loops_n_cycles(f.a), 21);
    ck_assert_int_gt(migdev_loops_count(f.a), 0);
    ck_assert_int_le(migdev_loops_count(f.a), kn_cycles(5));
    /* relative scores of the discovered set still add up to 1 in magnitude */
    double sum = 0.0;
    for (int i = 0; i < migdev_loops_count(f.a); i++)
        sum += fabs(migdev_loops_relative(f.a, i)[3]);
    ck_assert_double_eq_tol(sum, 1.0, 1e-9);
    close_fx(&f);
    free(t);
}
END_TEST

/* ------------------------------------------------- smooth and delay */

START_TEST(smooth_and_delay_collapse_into_their_variable)
{
    /* x -> g -> x through a smooth: one loop of length 2 passing 3 hidden
       variables; the smooth's own stock-flow loop is not reported */
    fixture f = open_text("time = { start = 0; stop = 20; dt = 0.25; };\n"
                          "stocks = ( { name = \"x\"; init = 1; inflows = [\"g\"]; } );\n"
                          "flows = ( { name = \"g\"; equation = \"0.1 * smooth(x, 3)\"; } );\n",
                          &SCORES);
    ck_assert_int_eq(migdev_loops_count(f.a), 1);
    migdev_loop_info li;
    migdev_loops_get(f.a, 0, &li);
    ck_assert_int_eq(li.n, 2);
    ck_assert_int_eq(li.n_hidden, 3);
    ck_assert_int_eq(li.polarity, 'R');
    ck_assert_int_eq(li.signs[0], '+');
    /* an isolated loop, even through a smooth, scores 1 */
    ck_assert_double_eq_tol(migdev_loops_relative(f.a, 0)[10], 1.0, 1e-12);
    const int l = migdev_loops_find_link(f.a, var(&f, "x"), var(&f, "g"));
    ck_assert_int_ge(l, 0);
    migdev_link_info k;
    migdev_loops_link(f.a, l, &k);
    ck_assert(k.through_hidden);
    ck_assert_int_eq(k.polarity, MIGDEV_POL_POSITIVE);
    close_fx(&f);
    /* delay3 whose delay time depends on x: several hidden paths from d to g
       collapse into one loop x -> d -> g -> x, besides x -> g -> x */
    f = open_text("time = { start = 0; stop = 20; dt = 0.25; };\n"
                  "stocks = ( { name = \"x\"; init = 1; inflows = [\"g\"]; } );\n"
                  "flows = ( { name = \"g\"; equation = \"0.1 * delay3(x, d)\"; } );\n"
                  "auxiliaries = ( { name = \"d\"; equation = \"2 + x / 100\"; } );\n",
                  &SCORES);
    ck_assert_int_eq(migdev_loops_count(f.a), 2);
    migdev_loops_get(f.a, 1, &li);
    ck_assert_int_eq(li.n, 3);
    ck_assert_int_gt((int)migdev_loops_n_cycles(f.a), 2);
    close_fx(&f);
}
END_TEST

/* ------------------------------------------------- named loops */

static const char named_base[] =
    "stocks = ( { name = \"P\"; init = 5; inflows = [\"births\"]; outflows = [\"deaths\"]; } );\n"
    "flows = ( { name = \"births\"; equation = \"0.1 * P\"; },\n"
    "          { name = \"deaths\"; equation = \"P * crowding / 20\"; } );\n"
    "auxiliaries = ( { name = \"crowding\"; equation = \"P / 100\"; } );\n";

START_TEST(named_loops_are_used)
{
    char text[2000];
    snprintf(text, sizeof text, "%s"
             "loops = ( { name = \"growth\"; variables = [\"births\", \"P\"]; },\n"
             "          { name = \"crowding out\"; variables = [\"P\", \"crowding\"]; } );\n",
             named_base);
    fixture f = open_text(text, NULL);
    ck_assert_int_eq(migdev_loops_count(f.a), 3);
    const int g = migdev_loops_find(f.a, "growth"), c = migdev_loops_find(f.a, "crowding out");
    ck_assert_int_ge(g, 0);
    ck_assert_int_ge(c, 0);
    migdev_loop_info li;
    migdev_loops_get(f.a, g, &li);
    ck_assert_str_eq(li.name, "growth");
    ck_assert_int_eq(li.polarity, 'R');
    ck_assert_int_eq(li.vars[0], var(&f, "births")); /* shown from its first named variable */
    migdev_loops_get(f.a, c, &li);
    ck_assert_int_eq(li.n, 3); /* P -> crowding -> deaths -> P: the shortest through both */
    ck_assert_int_eq(li.polarity, 'B');
    close_fx(&f);
}
END_TEST

static char *named_error(const char *loops)
{
    char text[2000];
    snprintf(text, sizeof text, "%s%s", named_base, loops);
    migdev_model *m = load_model_text(text);
    migdev_error err;
    migdev_error_clear(&err);
    migdev_run *r = migdev_run_new(m, NULL, &err);
    migdev_loops *a = migdev_loops_analyse(r, NULL, &err);
    ck_assert_ptr_null(a);
    char buf[1200];
    char *s = strdup(migdev_error_format(&err, buf, sizeof buf));
    migdev_run_free(r);
    migdev_model_free(m);
    return s;
}

START_TEST(named_loop_errors)
{
    static const struct {
        const char *loops, *want;
    } cases[] = {
        {"loops = ( { name = \"a\"; variables = [\"P\", \"birth\"]; } );\n",
         "test.cfg:5: error: loop 'a': unknown variable 'birth' (did you mean 'births'?)"},
        {"loops = ( { name = \"a\"; variables = [\"births\", \"crowding\"]; } );\n",
         "test.cfg:5: error: loop 'a': no feedback loop of the model passes births -> crowding -> births"},
        {"loops = ( { name = \"a\"; variables = [\"P\", \"births\"]; },\n"
         "          { name = \"b\"; variables = [\"births\", \"P\"]; } );\n",
         "test.cfg:6: error: loops 'a' (line 5) and 'b' name the same feedback loop"},
        {"loops = ( { name = \"a\"; variables = [\"P\", \"P\"]; } );\n",
         "test.cfg:5: error: loop 'a': 'P' is listed twice (a loop passes each variable once)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *e = named_error(cases[i].loops);
        ck_assert_str_eq(e, cases[i].want);
        free(e);
    }
}
END_TEST

START_TEST(failed_run_is_reported)
{
    migdev_model *m = load_model_text("stocks = ( { name = \"S\"; init = 1; inflows = [\"f\"]; } );\n"
                                      "flows = ( { name = \"f\"; equation = \"ln(S - 5)\"; } );\n");
    migdev_error err;
    migdev_error_clear(&err);
    migdev_run *r = migdev_run_new(m, NULL, &err);
    ck_assert_ptr_null(migdev_loops_analyse(r, NULL, &err));
    ck_assert_int_eq(err.code, MIGDEV_E_NONFINITE);
    migdev_run_free(r);
    migdev_model_free(m);
}
END_TEST

/* ------------------------------------------------- the paper's model */

static migdev_loops *analyse_scenario(const char *rel, migdev_scenario **sp, migdev_run **rp)
{
    char *path = source_path(rel);
    migdev_error err;
    migdev_error_clear(&err);
    *sp = migdev_scenario_load(path, &err);
    ck_assert_msg(*sp != NULL, "%s: %s", path, err.message);
    free(path);
    *rp = migdev_scenario_new_run(*sp, &err);
    ck_assert_ptr_nonnull(*rp);
    migdev_loops *a = migdev_loops_analyse(*rp, &SCORES, &err);
    ck_assert_msg(a != NULL, "%s", err.message);
    return a;
}

/* Whether loop i is in the dominant set of any period. */
static int ever_dominant(const migdev_loops *a, int i)
{
    for (int p = 0; p < migdev_loops_n_periods(a); p++) {
        migdev_dominance d;
        migdev_loops_period(a, p, &d);
        for (int j = 0; j < d.n; j++)
            if (d.loops[j] == i)
                return 1;
    }
    return 0;
}

/* Save times at which a loop through both variables a and b is in the
** dominant set. */
static int dominant_times_through(const migdev_loops *a, int va, int vb)
{
    int count = 0;
    for (int p = 0; p < migdev_loops_n_periods(a); p++) {
        migdev_dominance d;
        migdev_loops_period(a, p, &d);
        int hit = 0;
        for (int j = 0; j < d.n && !hit; j++) {
            migdev_loop_info li;
            migdev_loops_get(a, d.loops[j], &li);
            int ha = 0, hb = 0;
            for (int k = 0; k < li.n; k++) {
                ha |= li.vars[k] == va;
                hb |= li.vars[k] == vb;
            }
            hit = ha && hb;
        }
        if (hit) {
            const double *t = migdev_loops_times(a);
            size_t k0 = 0, k1 = 0;
            for (size_t k = 0; k < migdev_loops_n_times(a); k++) {
                if (t[k] == d.from)
                    k0 = k;
                if (t[k] == d.to)
                    k1 = k;
            }
            count += (int)(k1 - k0 + 1);
        }
    }
    return count;
}

/* The paper's vicious circle (DESIGN: migration -> remittances ->
** stability -> less development effort -> lower wages -> asymmetry ->
** migration) is a reinforcing loop of the model. It acts in the
** remittance-based regime; in the state-led regime remittance reliance
** falls to 0 (the reform of 1994 phases in by 2004), which cuts its link
** from stability to development effort, so it stops acting. (Neither regime lets it dominate by Loops That Matter: see
** docs/loops.md for the numbers.) */
START_TEST(paper_vicious_circle)
{
    migdev_scenario *s1, *s2;
    migdev_run *r1, *r2;
    migdev_loops *rb = analyse_scenario("configs/remittance_based.cfg", &s1, &r1);
    migdev_loops *sl = analyse_scenario("configs/state_led.cfg", &s2, &r2);
    const int v1 = migdev_loops_find(rb, "vicious circle"), v2 = migdev_loops_find(sl, "vicious circle");
    ck_assert_int_ge(v1, 0);
    ck_assert_int_ge(v2, 0);
    migdev_loop_info l1, l2;
    migdev_loops_get(rb, v1, &l1);
    migdev_loops_get(sl, v2, &l2);
    ck_assert_int_eq(l1.polarity, 'R');
    ck_assert_msg(!strcmp(l1.runtime, "R") || !strcmp(l1.runtime, "Ru"), "runtime %s", l1.runtime);
    ck_assert_int_eq(l1.n, 17);   /* the 17 variables the model lists for it */
    /* active in the remittance-based regime; in the state-led one silent
       once the reform has phased in (1994 + 10 years) */
    ck_assert(l1.max_abs_rel > 0.0);
    const double *tt = migdev_loops_times(sl), *rel = migdev_loops_relative(sl, v2);
    int late = 0;
    for (size_t k = 0; k < migdev_loops_n_times(sl); k++)
        if (tt[k] >= 2004.0) {
            ck_assert_msg(rel[k] == 0.0, "state-led: vicious circle acts at %g", tt[k]);
            late++;
        }
    ck_assert_int_gt(late, 0);
    ck_assert(!ever_dominant(sl, v2));
    /* its mechanism (remittances -> dependence -> stability -> less
       development effort -> ... -> emigration) co-dominates for some years
       in the remittance-based regime, through the loops that close over
       surplus labour; less often in the state-led regime (only before its
       reform has phased in) */
    const migdev_model *m = migdev_scenario_model(s1);
    const int rem = migdev_model_find(m, "remittances"), eff = migdev_model_find(m, "development_effort");
    const int n_rb = dominant_times_through(rb, rem, eff), n_sl = dominant_times_through(sl, rem, eff);
    ck_assert_int_ge(n_rb, 5);
    ck_assert_int_lt(n_sl, n_rb);
    /* the other named loops of the paper have the polarity DESIGN gives them */
    static const struct {
        const char *name;
        char pol;
    } named[] = {{"migrant networks", 'R'}, {"brain drain", 'R'}, {"labour-market relief", 'B'},
                 {"development and reconversion", 'B'}, {"innovation", 'R'},
                 {"collective-migrant investment", 'B'}};
    for (size_t k = 0; k < sizeof named / sizeof named[0]; k++) {
        migdev_loop_info li;
        ck_assert_int_eq(migdev_loops_get(rb, migdev_loops_find(rb, named[k].name), &li), 0);
        ck_assert_msg(li.polarity == named[k].pol, "%s: %c", named[k].name, li.polarity);
    }
    migdev_loops_free(rb);
    migdev_loops_free(sl);
    migdev_run_free(r1);
    migdev_run_free(r2);
    migdev_scenario_free(s1);
    migdev_scenario_free(s2);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("loops");
    TCase *core = tcase_create("core");
    tcase_set_timeout(core, 120);
    tcase_add_test(core, logistic_relative_scores_match_spec_table);
    tcase_add_test(core, logistic_crossover_at_47);
    tcase_add_test(core, logistic_scores_with_other_solvers);
    tcase_add_test(core, births_deaths_closed_form);
    tcase_add_test(core, bass_reproduces_paper_table_3);
    tcase_add_test(core, arms_race_eight_loops_and_scores);
    tcase_add_test(core, arms_race_discovery_recall);
    tcase_add_test(core, decoupled_link_scores_tell_conventions_apart);
    tcase_add_test(core, paper_2020_table_1);
    tcase_add_test(core, paper_2020_table_2);
    tcase_add_test(core, paper_2023_flow_links);
    tcase_add_test(core, isolated_loop_and_equilibrium);
    tcase_add_test(core, relative_scores_log_domain);
    tcase_add_test(core, polarity_of_simple_loops);
    tcase_add_test(core, oscillator_loop_and_eigenvalues);
    tcase_add_test(core, logistic_eigen_analytic);
    tcase_add_test(core, smooth_and_delay_collapse_into_their_variable);
    tcase_add_test(core, named_loops_are_used);
    suite_add_tcase(s, core);
    TCase *limits = tcase_create("limits");
    tcase_set_timeout(limits, 120);
    tcase_add_test(limits, johnson_complete_digraphs);
    tcase_add_test(limits, johnson_networkx_example);
    tcase_add_test(limits, model_loop_counts_and_cap);
    suite_add_tcase(s, limits);
    TCase *paper = tcase_create("paper model");
    tcase_set_timeout(paper, 300);
    tcase_add_test(paper, paper_vicious_circle);
    suite_add_tcase(s, paper);
    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, named_loop_errors);
    tcase_add_test(errors, failed_run_is_reported);
    suite_add_tcase(s, errors);
    return run_suite(s);
}
