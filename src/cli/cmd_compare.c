/*
** cmd_compare.c - `migdev compare A.cfg B.cfg [...]`: run each scenario,
** draw the same variables for all of them (one panel per variable, one
** line per scenario) and write the combined table. --set changes a
** constant in every scenario or, as SCENARIO:NAME=VALUE, in one; --watch
** draws again whenever one of the files (or their models) is saved.
*/
#include "commands.h"
#include "figure.h"
#include "outfile.h"
#include "plotcsv.h"
#include "plotopts.h"
#include "plotrun.h"
#include "watch.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

static const char help_head[] =
    "usage: migdev compare A.cfg B.cfg [C.cfg ...] [options]\n"
    "\n"
    "Run each scenario and draw the same variables for all of them: one\n"
    "panel per variable, one line per scenario, the legend naming the\n"
    "scenarios. The combined table (scenario,time,<variables>) is written\n"
    "next to the figure, or where --csv says, before gnuplot is called.\n"
    "Without -o or --terminal the figure is drawn as text in the terminal.\n"
    "\n"
    "options:\n"
    "  --vars a,b,c       variables (default: those of the first scenario's first\n"
    "                     figure in `plots`, else its output variables, else\n"
    "                     its model's stocks)\n"
    "  --csv FILE         the combined table (default: the figure's file name\n"
    "                     with .csv; none when drawing in a terminal)\n"
    "  --set NAME=VALUE   change a constant in every scenario (repeatable)\n"
    "  --set SCEN:NAME=VALUE  only in scenario SCEN: its file name without the\n"
    "                     extension (state_led for configs/state_led.cfg)\n"
    "  --watch            draw again each time a scenario or model file is\n"
    "                     saved, until Ctrl-C (in a window or the terminal)\n";

static const char help_tail[] =
    "\n"
    "example:\n"
    "  migdev compare configs/remittance_based.cfg configs/state_led.cfg \\\n"
    "      configs/compensatory_integration.cfg -o out/development_models.png\n"
    "  migdev compare configs/remittance_based.cfg configs/state_led.cfg \\\n"
    "      --set state_led:innovation_share=0.03 --vars output --terminal dumb\n"
    "\n"
    "exit status: 0 ok, 1 bad scenario or gnuplot failed, 2 bad usage, 3 a run failed\n";

/* One --set: scen (NULL: every scenario), name, value, its argument. */
typedef struct compare_set {
    char scen[256], name[256];
    int has_scen;
    double value;
    int arg;
} compare_set;

typedef struct compare_cmd {
    const char **files;
    int n_files;
    const char *vars;
    int vars_arg;
    const char *csv;
    figure_opts fig;
    compare_set *sets;
    int n_sets;
    int watch;
} compare_cmd;

/* The id of scenario file path: its file name without the extension. */
static void file_stem(const char *path, char *out, size_t n)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    const char *dot = strrchr(b, '.');
    const size_t len = dot && dot > b ? (size_t)(dot - b) : strlen(b);
    snprintf(out, n, "%.*s", (int)(len < n ? len : n - 1), b);
}

/* --set [SCEN:]NAME=VALUE */
static int parse_set(cli *c, compare_cmd *p, const char *opt, const char *inl)
{
    const char *v;
    if (cli_option_value(c, "compare", opt, inl, &v) != EXIT_OK)
        return EXIT_USAGE;
    const int arg = inl ? c->i : c->i;
    compare_set *st = &p->sets[p->n_sets];
    memset(st, 0, sizeof *st);
    st->arg = arg;
    const char *eq = strchr(v, '=');
    const char *colon = strchr(v, ':');
    if (colon && eq && colon > eq)
        colon = NULL;
    if (!eq || eq == v || (colon && (colon == v || colon + 1 == eq)))
        return cli_usage_error(c, arg, "compare", "--set expects NAME=VALUE or SCENARIO:NAME=VALUE, "
                               "got '%s'", v);
    const char *name = colon ? colon + 1 : v;
    if (colon) {
        st->has_scen = 1;
        snprintf(st->scen, sizeof st->scen, "%.*s", (int)(colon - v), v);
    }
    snprintf(st->name, sizeof st->name, "%.*s", (int)(eq - name), name);
    if (cli_number(eq + 1, &st->value) != 0)
        return cli_usage_error(c, arg, "compare", "--set %s: '%s' is not a number", st->name, eq + 1);
    p->n_sets++;
    return EXIT_OK;
}

/* Every SCEN of a --set names one of the files. */
static int check_sets(const cli *c, const compare_cmd *p)
{
    for (int k = 0; k < p->n_sets; k++) {
        if (!p->sets[k].has_scen)
            continue;
        int found = 0;
        char ids[600] = "";
        size_t len = 0;
        for (int i = 0; i < p->n_files; i++) {
            char id[256];
            file_stem(p->files[i], id, sizeof id);
            found |= strcmp(id, p->sets[k].scen) == 0;
            if (len < sizeof ids)
                len += (size_t)snprintf(ids + len, sizeof ids - len, "%s%s", i ? ", " : "", id);
        }
        if (!found)
            return cli_usage_error(c, p->sets[k].arg, "compare",
                                   "--set: no scenario '%s' among those compared (%s)",
                                   p->sets[k].scen, ids);
    }
    return EXIT_OK;
}

static int parse(cli *c, compare_cmd *p, const char *help)
{
    for (; c->i < c->argc; c->i++) {
        const char *a = c->argv[c->i];
        char opt[64];
        const char *inl = cli_split_option(a, opt, sizeof opt);
        int rc = EXIT_OK;
        if (!strcmp(opt, "-h") || !strcmp(opt, "--help")) {
            fputs(help, stdout);
            return -1;
        } else if (!strcmp(opt, "--vars")) {
            rc = cli_option_value(c, "compare", opt, inl, &p->vars);
            p->vars_arg = c->i;
        } else if (!strcmp(opt, "--csv")) {
            rc = cli_option_value(c, "compare", opt, inl, &p->csv);
        } else if (!strcmp(opt, "--set")) {
            rc = parse_set(c, p, opt, inl);
        } else if (!strcmp(opt, "--watch")) {
            p->watch = 1;
            if (inl)
                rc = cli_usage_error(c, c->i, "compare", "--watch takes no value");
        } else if (a[0] == '-' && a[1] != '\0') {
            rc = figure_opt(c, "compare", opt, inl, &p->fig);
            if (rc < 0)
                return cli_usage_error(c, c->i, "compare", "unknown option '%s'", a);
        } else {
            p->files[p->n_files++] = a;
        }
        if (rc != EXIT_OK)
            return rc;
    }
    if (p->n_files < 2)
        return cli_usage_error(c, c->argc, "compare", "compare needs two or more scenario files");
    const int rc = check_sets(c, p);
    return rc != EXIT_OK ? rc : figure_opts_check(c, "compare", &p->fig);
}

/* The figure's name with .csv instead of its extension (owned), or NULL. */
static char *default_csv(const char *figure)
{
    if (!figure)
        return NULL;
    const char *dot = strrchr(figure, '.');
    const size_t stem = dot && !strchr(dot, '/') ? (size_t)(dot - figure) : strlen(figure);
    char *s = malloc(stem + 5);
    if (s) {
        memcpy(s, figure, stem);
        strcpy(s + stem, ".csv");
    }
    return s;
}

/* Run scenario file i and add it to pd (the variables chosen by the
** first); its files join w (may be NULL). */
static int add_scenario(const cli *c, const compare_cmd *p, int i, plot_data *pd, watch_set *w)
{
    int status = EXIT_OK;
    if (w)
        watch_add(w, p->files[i]);
    migdev_scenario *s = cli_load_scenario(p->files[i], &status);
    if (!s)
        return status;
    if (w)
        watch_add(w, migdev_model_file(migdev_scenario_model(s)));
    migdev_error err;
    migdev_error_clear(&err);
    char id[256];
    file_stem(p->files[i], id, sizeof id);
    for (int k = 0; k < p->n_sets; k++) {
        if (p->sets[k].has_scen && strcmp(p->sets[k].scen, id) != 0)
            continue;
        if (migdev_scenario_set(s, p->sets[k].name, p->sets[k].value, &err) != 0) {
            migdev_scenario_free(s);
            return cli_usage_error(c, p->sets[k].arg, "compare", "--set: %s (in %s)", err.message,
                                   p->files[i]);
        }
    }
    char *list = NULL;
    char **names = NULL;
    int n = -1;
    if (i == 0) {
        list = p->vars ? strdup(p->vars) : plot_default_vars(s);
        if (!list || (n = plot_split_names(list, &names)) < 0 ||
            plot_data_set_vars(pd, migdev_scenario_model(s), (const char *const *)names, n) != 0)
            status = EXIT_INPUT;
    } else {
        /* the same variables, by name, in this scenario's model */
        size_t len = 0;
        for (int k = 0; k < pd->n_vars; k++)
            len += strlen(pd->names[k]) + 1;
        list = malloc(len + 1);
        if (list) {
            list[0] = '\0';
            for (int k = 0; k < pd->n_vars; k++)
                strcat(strcat(list, k ? "," : ""), pd->names[k]);
        } else {
            status = EXIT_INPUT;
        }
    }
    migdev_run *r = NULL;
    if (status == EXIT_OK && migdev_scenario_set_outputs(s, list, &err) != 0) {
        if (i == 0 && p->vars)
            status = cli_usage_error(c, p->vars_arg, "compare", "--vars: %s", err.message);
        else {
            fprintf(stderr, "%s: error: %s\n", p->files[i], err.message);
            status = EXIT_INPUT;
        }
    } else if (status == EXIT_OK &&
               (!(r = migdev_scenario_new_run(s, &err)) || migdev_run_execute(r, &err) != 0)) {
        cli_print_error(&err);
        status = cli_exit_code(err.code);
    } else if (status == EXIT_OK && plot_data_add_run(pd, migdev_scenario_name(s), r) != 0) {
        status = EXIT_INPUT;
    }
    migdev_run_free(r);
    migdev_scenario_free(s);
    plot_free_names(names, n);
    free(list);
    return status;
}

static int write_csv(const char *path, const plot_data *pd)
{
    outfile out;
    if (outfile_open(&out, path) != 0)
        return EXIT_INPUT;
    const int rc = plot_csv_write(out.f, pd);
    return outfile_close(&out, rc == 0) == 0 && rc == 0 ? EXIT_OK : EXIT_INPUT;
}

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

/* Run every scenario into pd; their files join w (may be NULL). */
static int load_all(const cli *c, const compare_cmd *p, plot_data *pd, watch_set *w)
{
    int status = EXIT_OK;
    for (int i = 0; i < p->n_files && status == EXIT_OK; i++)
        status = add_scenario(c, p, i, pd, w);
    return status;
}

/* Draw, then again after every save until Ctrl-C. */
static int watch_loop(const cli *c, const compare_cmd *p, const char *format)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    const int live = figure_format_is_live(format);
    figure_session session = {0};
    watch_set w;
    memset(&w, 0, sizeof w);
    do {
        watch_clear(&w);
        plot_data pd;
        plot_data_init(&pd);
        if (load_all(c, p, &pd, &w) == EXIT_OK) {
            if (live)
                figure_session_draw(&session, &p->fig, format, &pd);
            else
                figure_draw(&p->fig, &pd);
        }
        plot_data_free(&pd);
        fprintf(stderr, "migdev compare: watching %d scenarios (Ctrl-C to stop)\n", p->n_files);
    } while (watch_wait(&w, &stop_requested));
    figure_session_close(&session);
    return EXIT_OK;
}

int cmd_compare(cli *c)
{
    static char help[4096];
    snprintf(help, sizeof help, "%s%s%s", help_head, figure_opts_help, help_tail);
    compare_cmd p;
    memset(&p, 0, sizeof p);
    p.files = calloc((size_t)c->argc + 1, sizeof *p.files);
    p.sets = calloc((size_t)c->argc + 1, sizeof *p.sets);
    if (!p.files || !p.sets) {
        free(p.files);
        free(p.sets);
        fprintf(stderr, "migdev: out of memory\n");
        return EXIT_INPUT;
    }
    int status = parse(c, &p, help);
    if (status != EXIT_OK) {
        free(p.files);
        free(p.sets);
        return status < 0 ? EXIT_OK : status;
    }
    /* a bad figure name is known before anything runs */
    const char *format = figure_format(&p.fig);
    if (!format) {
        free(p.files);
        free(p.sets);
        return EXIT_INPUT;
    }
    if (p.watch) {
        status = watch_loop(c, &p, format);
        free(p.files);
        free(p.sets);
        return status;
    }
    plot_data pd;
    plot_data_init(&pd);
    status = load_all(c, &p, &pd, NULL);
    /* the table first: it is written even when gnuplot is missing */
    char *csv = p.csv ? strdup(p.csv) : default_csv(p.fig.output);
    if (status == EXIT_OK && csv)
        status = write_csv(csv, &pd);
    if (status == EXIT_OK && figure_draw(&p.fig, &pd) != 0)
        status = EXIT_INPUT;
    free(csv);
    plot_data_free(&pd);
    free(p.files);
    free(p.sets);
    return status;
}
