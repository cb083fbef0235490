/*
** cmd_loops.c - `migdev loops FILE`: the feedback loops of a model, their
** polarity, their dominance over a run (--dominance: CSV, summary and a
** gnuplot figure) and the stability of the stocks at a time (--eigen T).
*/
#include "commands.h"
#include "loops_figure.h"
#include "outfile.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: migdev loops FILE [options]\n"
    "\n"
    "List the feedback loops of a model (or of a scenario's model): every\n"
    "elementary loop of its causal graph, with its variables in causal order,\n"
    "its length and its polarity (R reinforcing, B balancing, U a link changes\n"
    "sign during the run, 0 a link never acts), taken from the signs of the\n"
    "partial derivatives at the run's states. Loops named in the model's\n"
    "`loops` section are shown with their names.\n"
    "\n"
    "options:\n"
    "  --dominance        Loops That Matter: loop scores and relative loop\n"
    "                     scores at every save time, and which loops dominate when\n"
    "  -o FILE            with --dominance: write time and one relative-score\n"
    "                     column per loop as CSV\n"
    "  --raw              add the raw loop scores to the CSV (score:NAME columns)\n"
    "  --figure FILE      with --dominance: draw the relative scores over time\n"
    "                     (.png, .svg or .pdf, through gnuplot)\n"
    "  --figure-loops N   loops in the figure, the most important first (default 8)\n"
    "  --partial last|first  partial-change convention: changed-last (Stella's,\n"
    "                     the default) or changed-first (the 2020 paper's)\n"
    "  --max-loops N      enumerate at most N loops (default 10000); past that,\n"
    "                     find the loops that matter by strongest-path discovery\n"
    "  --discover         use strongest-path discovery even below the cap\n"
    "  --links            also list every link with its polarity\n"
    "  --eigen T          stability at time T: Jacobian of the stocks' rates,\n"
    "                     its eigenvalues, and an equilibrium nearby if any\n"
    "  --set NAME=VALUE, --method M, --dt X, --start X, --stop X, --save-every X,\n"
    "  --abs-tol X, --rel-tol X, --max-step X   the run, as for `migdev run`\n"
    RUN_OPTS_ENGINE_HELP
    "\n"
    "exit status: 0 ok, 1 bad model or scenario, 2 bad usage, 3 the run failed\n";

typedef struct loops_opts {
    int dominance, raw, discover, links, has_eigen;
    int eigen_arg; /* argv index of --eigen's value, for messages */
    int partial_first;
    long max_loops;
    int figure_loops;
    double eigen_t;
    const char *figure;
    int figure_arg;
} loops_opts;

static int extra(cli *c, const char *cmd, const char *opt, const char *inl, void *ctx)
{
    loops_opts *o = ctx;
    const char *val = NULL;
    int rc;
    if (!strcmp(opt, "--dominance"))
        o->dominance = 1;
    else if (!strcmp(opt, "--raw"))
        o->raw = 1;
    else if (!strcmp(opt, "--discover"))
        o->discover = 1;
    else if (!strcmp(opt, "--links"))
        o->links = 1;
    else if (!strcmp(opt, "--figure")) {
        if ((rc = cli_option_value(c, cmd, opt, inl, &val)) != EXIT_OK)
            return rc;
        if (!figure_terminal(val))
            return cli_usage_error(c, c->i, "loops", "--figure must name a .png, .svg or .pdf file, got '%s'", val);
        o->figure = val;
        o->figure_arg = c->i;
    } else if (!strcmp(opt, "--partial")) {
        if ((rc = cli_option_value(c, cmd, opt, inl, &val)) != EXIT_OK)
            return rc;
        if (strcmp(val, "last") && strcmp(val, "first"))
            return cli_usage_error(c, c->i, "loops", "--partial must be 'last' or 'first', got '%s'", val);
        o->partial_first = !strcmp(val, "first");
    } else if (!strcmp(opt, "--max-loops") || !strcmp(opt, "--figure-loops") || !strcmp(opt, "--eigen")) {
        if ((rc = cli_option_value(c, cmd, opt, inl, &val)) != EXIT_OK)
            return rc;
        double x;
        if (cli_number(val, &x) != 0)
            return cli_usage_error(c, c->i, "loops", "%s expects a number, got '%s'", opt, val);
        if (!strcmp(opt, "--eigen")) {
            o->eigen_t = x;
            o->has_eigen = 1;
            o->eigen_arg = c->i;
        } else if (x < 1 || x > 1e9 || x != floor(x)) {
            return cli_usage_error(c, c->i, "loops", "%s expects a whole number from 1, got '%s'", opt, val);
        } else if (!strcmp(opt, "--max-loops")) {
            o->max_loops = (long)x;
        } else {
            o->figure_loops = (int)x;
        }
    } else
        return -1;
    return EXIT_OK;
}

static char pol_char(migdev_polarity p)
{
    return p == MIGDEV_POL_POSITIVE ? '+' : p == MIGDEV_POL_NEGATIVE ? '-' : p == MIGDEV_POL_ZERO ? '0' : '?';
}

static const char *var_name(const migdev_model *m, int v)
{
    migdev_var_info info;
    migdev_model_var(m, v, &info);
    return info.name;
}

static void print_path(const migdev_model *m, const migdev_loop_info *l)
{
    for (int j = 0; j < l->n; j++)
        printf("%s -(%c)-> ", var_name(m, l->vars[j]), l->signs[j]);
    printf("%s", var_name(m, l->vars[0]));
}

static void print_listing(const migdev_model *m, const migdev_loops *a, const migdev_sim_spec *sp,
                          int show_links)
{
    const int n = migdev_loops_count(a);
    printf("feedback loops of %s (%s): %d loop%s", migdev_model_name(m), migdev_model_file(m), n,
           n == 1 ? "" : "s");
    if (migdev_loops_is_discovered(a))
        printf(", found by strongest-path discovery\n");
    else
        printf(", all elementary loops (Johnson's algorithm)\n");
    printf("polarity from the partial derivatives at the states of a %s run, t = %g..%g\n",
           migdev_method_name(sp->method), sp->start, sp->stop);
    if (migdev_loops_is_discovered(a)) {
        if (migdev_loops_n_cycles(a) > migdev_loops_cap(a))
            printf("note: the model has more than %ld loops (--max-loops); listed are the loops "
                   "that carried the most change at some save time (Eberlein & Schoenberg 2020), "
                   "plus any named in the model; relative scores are normalised over them\n",
                   migdev_loops_cap(a));
        else
            printf("note: --discover: listed are the loops that carried the most change at some "
                   "save time, plus any named in the model\n");
        if (migdev_loops_discovery_cut(a))
            printf("note: some searches hit their work budget; a few loops may be missing\n");
    }
    int wname = 4, wid = 2;
    for (int i = 0; i < n; i++) {
        migdev_loop_info l;
        migdev_loops_get(a, i, &l);
        if (l.name && (int)strlen(l.name) > wname)
            wname = (int)strlen(l.name);
        if ((int)strlen(l.id) > wid)
            wid = (int)strlen(l.id);
    }
    if (n)
        printf("\n%-*s  %-*s  polarity  length  loop\n", wid, "id", wname, "name");
    for (int i = 0; i < n; i++) {
        migdev_loop_info l;
        migdev_loops_get(a, i, &l);
        printf("%-*s  %-*s  %-8c  %6d  ", wid, l.id, wname, l.name ? l.name : "-", l.polarity, l.n);
        print_path(m, &l);
        if (l.n_hidden)
            printf("  [through a smooth/delay]");
        putchar('\n');
    }
    if (n)
        printf("(polarity: R reinforcing, B balancing, U a link changes sign during the run, "
               "0 a link never acts; -(+)-> marks each link's sign)\n");
    if (show_links) {
        printf("\nlinks (%d):\nfrom\tto\tpolarity\tkind\n", migdev_loops_n_links(a));
        for (int i = 0; i < migdev_loops_n_links(a); i++) {
            migdev_link_info k;
            migdev_loops_link(a, i, &k);
            printf("%s\t%s\t%c\t%s\n", var_name(m, k.from), var_name(m, k.to), pol_char(k.polarity),
                   k.is_flow > 0 ? "inflow" : k.is_flow < 0 ? "outflow"
                   : k.through_hidden ? "through smooth/delay" : "equation");
        }
    }
}

static const char *loop_label(const migdev_loop_info *l)
{
    return l->name ? l->name : l->id;
}

static void print_dominance(const migdev_model *m, const migdev_loops *a)
{
    const int n = migdev_loops_count(a);
    printf("\ndominance (Loops That Matter): at each save time the loop with the largest "
           "|relative score| dominates its partition when it explains at least half of the "
           "change; otherwise the smallest set of loops that does co-dominates\n");
    int last_part = -1;
    for (int i = 0; i < migdev_loops_n_periods(a); i++) {
        migdev_dominance d;
        migdev_loops_period(a, i, &d);
        if (d.partition != last_part) {
            last_part = d.partition;
            if (migdev_loops_n_partitions(a) > 1)
                printf("partition %d:\n", d.partition + 1);
        }
        printf("  t = %-10g .. %-10g ", d.from, d.to);
        if (d.n == 0)
            printf("no loop active (nothing changes)\n");
        else {
            printf("%s", d.n == 1 ? "" : "co-dominant: ");
            for (int j = 0; j < d.n; j++) {
                migdev_loop_info l;
                migdev_loops_get(a, d.loops[j], &l);
                printf("%s%s", j ? " + " : "", loop_label(&l));
                if (l.name)
                    printf(" (%s)", l.id);
            }
            printf("   [share %.2f]\n", d.share);
        }
    }
    printf("\nper loop: run-time polarity (from the signs of its scores), mean and largest "
           "|relative score|\n");
    for (int i = 0; i < n; i++) {
        migdev_loop_info l;
        migdev_loops_get(a, i, &l);
        printf("  %-6s %-4s mean %.3f  max %.3f  %s\n", l.id, l.runtime, l.mean_abs_rel, l.max_abs_rel,
               l.name ? l.name : "");
    }
    (void)m;
    if (migdev_loops_n_singular(a) || migdev_loops_n_nonfinite(a))
        printf("note: %ld flow link score%s taken as 0 where a flow changed but its stock's net "
               "flow did not; %ld non-finite score%s taken as 0\n",
               migdev_loops_n_singular(a), migdev_loops_n_singular(a) == 1 ? "" : "s",
               migdev_loops_n_nonfinite(a), migdev_loops_n_nonfinite(a) == 1 ? "" : "s");
}

/* A CSV header cell: quoted when it holds a comma, a quote or a space at an end. */
static void csv_name(FILE *f, const char *prefix, const char *s)
{
    const size_t n = strlen(s);
    const int quote = strpbrk(s, ",\"\r\n") != NULL || (n && (s[0] == ' ' || s[n - 1] == ' '));
    if (!quote) {
        fprintf(f, ",%s%s", prefix, s);
        return;
    }
    fprintf(f, ",\"%s", prefix);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static int write_csv(const char *path, const migdev_loops *a, int raw)
{
    outfile out;
    if (outfile_open(&out, path) != 0)
        return -1;
    const int n = migdev_loops_count(a);
    const size_t nt = migdev_loops_n_times(a);
    const double *t = migdev_loops_times(a);
    fputs("time", out.f);
    for (int pass = 0; pass < (raw ? 2 : 1); pass++)
        for (int i = 0; i < n; i++) {
            migdev_loop_info l;
            migdev_loops_get(a, i, &l);
            csv_name(out.f, pass ? "score:" : "", loop_label(&l));
        }
    fputc('\n', out.f);
    char buf[40];
    for (size_t k = 0; k < nt; k++) {
        fputs(migdev_format_number(t[k], buf), out.f);
        for (int pass = 0; pass < (raw ? 2 : 1); pass++)
            for (int i = 0; i < n; i++) {
                const double *x = pass ? migdev_loops_score(a, i) : migdev_loops_relative(a, i);
                fputc(',', out.f);
                fputs(migdev_format_number(x[k], buf), out.f);
            }
        fputc('\n', out.f);
    }
    return outfile_close(&out, 1);
}

static void print_eigen(const migdev_model *m, const migdev_stability *st)
{
    migdev_stability_info s;
    migdev_stability_get(st, &s);
    printf("\nstability at t = %g: %d stock%s", s.time, s.n, s.n == 1 ? "" : "s");
    printf(" (a smooth/delay stock is shown as [in VARIABLE])\n");
    int w = 5;
    for (int i = 0; i < s.n; i++) {
        const int len = (int)strlen(var_name(m, s.var[i])) + (s.is_hidden[i] ? 5 : 0);
        if (len > w)
            w = len;
    }
    char nm[400];
    printf("  %-*s  %14s  %14s\n", w, "stock", "value", "rate");
    for (int i = 0; i < s.n; i++) {
        snprintf(nm, sizeof nm, s.is_hidden[i] ? "[in %s]" : "%s", var_name(m, s.var[i]));
        printf("  %-*s  %14.6g  %14.6g\n", w, nm, s.state[i], s.rate[i]);
    }
    if (s.n <= 12) {
        printf("  Jacobian d(rate of row)/d(stock of column):\n");
        for (int i = 0; i < s.n; i++) {
            printf("   ");
            for (int j = 0; j < s.n; j++)
                printf(" %11.4g", s.jacobian[i * s.n + j]);
            putchar('\n');
        }
    }
    printf("  eigenvalues (largest real part first):");
    for (int i = 0; i < s.n; i++) {
        if (s.eig_im[i] == 0.0)
            printf(" %.6g", s.eig_re[i]);
        else
            printf(" %.6g%+.6gi", s.eig_re[i], s.eig_im[i]);
    }
    printf("\n  locally, near this state: %s\n",
           s.eig_re[0] > 0.0 ? "a mode grows (positive real part: reinforcing feedback prevails)"
           : s.eig_re[0] < 0.0 ? "every mode decays (balancing feedback prevails)"
                               : "the largest real part is zero (neutral)");
    if (!s.has_equilibrium) {
        printf("  no equilibrium of the stocks found from this state (time frozen at t = %g)\n", s.time);
        return;
    }
    printf("  equilibrium found from this state (time frozen at t = %g; largest |rate| %.3g, "
           "distance %.3g of the state's size):\n", s.time, s.eq_residual, s.eq_distance);
    for (int i = 0; i < s.n; i++) {
        snprintf(nm, sizeof nm, s.is_hidden[i] ? "[in %s]" : "%s", var_name(m, s.var[i]));
        printf("    %-*s  %14.6g\n", w, nm, s.equilibrium[i]);
    }
    printf("  eigenvalues there:");
    for (int i = 0; i < s.n; i++) {
        if (s.eq_eig_im[i] == 0.0)
            printf(" %.6g", s.eq_eig_re[i]);
        else
            printf(" %.6g%+.6gi", s.eq_eig_re[i], s.eq_eig_im[i]);
    }
    printf("\n  -> %s\n",
           s.eq_eig_re[0] < 0.0 ? "a stable equilibrium: nearby states are drawn into it (a trap, if it is a bad one)"
           : s.eq_eig_re[0] > 0.0 ? "an unstable equilibrium: the state moves away from it"
                                  : "a marginal equilibrium (largest real part zero)");
}

int cmd_loops(cli *c)
{
    run_opts o;
    loops_opts lo = {0};
    lo.figure_loops = 8;
    int status = run_opts_parse_ext(c, "loops", help, &o, extra, &lo);
    if (status != EXIT_OK) {
        run_opts_free(&o);
        return status < 0 ? EXIT_OK : status;
    }
    if (o.vars || o.has_format) {
        run_opts_free(&o);
        return cli_usage_error(c, 2, "loops", "--vars and --format are options of `migdev run`");
    }
    if ((o.output || lo.figure || lo.raw) && !lo.dominance) {
        run_opts_free(&o);
        return cli_usage_error(c, 2, "loops", "-o, --figure and --raw need --dominance");
    }
    migdev_scenario *s = run_opts_scenario(c, &o, &status);
    if (!s) {
        run_opts_free(&o);
        return status;
    }
    const migdev_model *m = migdev_scenario_model(s);
    migdev_error err;
    migdev_error_clear(&err);
    migdev_loops *a = NULL;
    migdev_stability *st = NULL;
    migdev_run *r = NULL;
    /* the dominance analysis runs the model again and again */
    if ((status = run_opts_engine(&o, s, lo.dominance ? 20.0 : 1.0)) != EXIT_OK)
        goto done;
    if (!(r = migdev_scenario_new_run(s, &err)))
        goto fail;
    const migdev_loops_opts opts = {lo.max_loops, lo.discover, lo.dominance,
                                    lo.partial_first ? MIGDEV_CHANGED_FIRST : MIGDEV_CHANGED_LAST};
    a = migdev_loops_analyse(r, &opts, &err);
    if (!a)
        goto fail;
    if (lo.has_eigen && !(st = migdev_stability_at(r, lo.eigen_t, &err))) {
        if (err.code != MIGDEV_E_RANGE || err.line != 0)
            goto fail;
        /* a time the run cannot linearise at: the flag's value is wrong */
        status = cli_usage_error(c, lo.eigen_arg, "loops", "--eigen: %s", err.message);
        goto done;
    }
    print_listing(m, a, migdev_run_spec(r), lo.links);
    status = EXIT_OK;
    if (lo.dominance) {
        print_dominance(m, a);
        if (o.output && write_csv(o.output, a, lo.raw) != 0)
            status = EXIT_INPUT;
        if (lo.figure && loops_figure(lo.figure, a, m, lo.figure_loops) != 0)
            status = EXIT_INPUT;
    }
    if (st)
        print_eigen(m, st);
    goto done;
fail:
    cli_print_error(&err);
    status = cli_exit_code(err.code);
done:
    migdev_stability_free(st);
    migdev_loops_free(a);
    migdev_run_free(r);
    migdev_scenario_free(s);
    run_opts_free(&o);
    return status;
}
