/*
** cmd_plot.c - `migdev plot FILE`: draw variables against time, from a
** scenario or model (run first) or from a results CSV; with --watch, draw
** again whenever the file is saved.
*/
#include "commands.h"
#include "figure.h"
#include "plotcsv.h"
#include "plotopts.h"
#include "plotrun.h"
#include "sweepplot.h"
#include "watch.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char help_head[] =
    "usage: migdev plot FILE [options]\n"
    "\n"
    "Draw variables against time with gnuplot. FILE is a model or scenario\n"
    "(it is run first; the run options of `migdev run` apply) or a results\n"
    "table: a .csv/.tsv written by `migdev run` or `migdev compare`, or '-'\n"
    "for one on standard input. Axis labels carry the units from the model\n"
    "(a table alone has none: give --model). Without -o or --terminal the\n"
    "figure is drawn as text in the terminal.\n"
    "\n"
    "options:\n"
    "  --vars a,b,c       variables to draw (default: those of the scenario's\n"
    "                     first figure in `plots`, else its output variables,\n"
    "                     else the stocks; every column of a table)\n";

static const char help_tail[] =
    "  --watch            draw again each time FILE (or its model) is saved;\n"
    "                     stop with Ctrl-C\n"
    "  --model FILE       a table's units come from this model\n"
    "  --style spaghetti|fan   a sweep's series file (run,time,variable,value):\n"
    "                     every run and the median (spaghetti, the default), or\n"
    "                     the 5-95 %% and 25-75 %% bands across runs (fan)\n"
    "  --set, --method, --dt, --start, --stop, --save-every, ...: as in migdev run\n"
    "\n"
    "examples:\n"
    "  migdev plot models/examples/teacup.cfg\n"
    "  migdev plot configs/default.cfg -o out/teacup.png --size 900x600\n"
    "  migdev run configs/default.cfg | migdev plot - --vars teacup_temperature\n"
    "  migdev plot configs/default.cfg --terminal window --watch\n"
    "  migdev plot out/series.csv --style fan -o out/series_fan.png\n"
    "\n"
    "exit status: 0 ok, 1 bad input or gnuplot failed, 2 bad usage, 3 the run failed\n";

typedef struct plot_cmd {
    figure_opts fig;
    int watch;
    const char *model;  /* --model */
    const char *style;  /* --style, for a sweep's series file */
    int style_arg;
    int title_given;
} plot_cmd;

static int extra_opt(cli *c, const char *cmd, const char *opt, const char *inl, void *ctx)
{
    plot_cmd *p = ctx;
    if (!strcmp(opt, "--watch")) {
        p->watch = 1;
        return inl ? cli_usage_error(c, c->i, cmd, "--watch takes no value") : EXIT_OK;
    }
    if (!strcmp(opt, "--model")) {
        return cli_option_value(c, cmd, opt, inl, &p->model);
    }
    if (!strcmp(opt, "--style")) {
        const int rc = cli_option_value(c, cmd, opt, inl, &p->style);
        p->style_arg = c->i;
        if (rc == EXIT_OK && strcmp(p->style, "spaghetti") && strcmp(p->style, "fan"))
            return cli_usage_error(c, c->i, cmd, "--style must be spaghetti or fan, got '%s'",
                                   p->style);
        return rc;
    }
    if (!strcmp(opt, "--title"))
        p->title_given = 1;
    return figure_opt(c, cmd, opt, inl, &p->fig);
}

static int is_table(const char *path)
{
    const char *dot = strrchr(path, '.');
    return strcmp(path, "-") == 0 ||
           (dot && (strcasecmp(dot, ".csv") == 0 || strcasecmp(dot, ".tsv") == 0));
}

/* A table and its variables; the units from --model. */
static int load_table(const cli *c, const run_opts *o, const plot_cmd *p, plot_data *pd,
                      watch_set *w)
{
    if (plot_csv_read(pd, o->file) != 0)
        return EXIT_INPUT;
    if (w)
        watch_add(w, o->file);
    if (o->vars) {
        char **names;
        const int n = plot_split_names(o->vars, &names);
        if (n < 0)
            return EXIT_INPUT;
        const int bad = n == 0 ? -3 : plot_data_keep(pd, (const char *const *)names, n);
        int rc = EXIT_OK;
        if (bad == -3)
            rc = cli_usage_error(c, o->vars_arg, "plot", "--vars: the list of variables is empty");
        else if (bad >= 0)
            rc = cli_usage_error(c, o->vars_arg, "plot", "--vars: %s has no column '%s'",
                                 o->file, names[bad]);
        else if (bad == -2)
            rc = EXIT_INPUT;
        plot_free_names(names, n);
        if (rc != EXIT_OK)
            return rc;
    }
    if (p->model) {
        int status;
        migdev_scenario *s = cli_load_scenario(p->model, &status);
        if (!s)
            return status;
        plot_data_units_from_model(pd, migdev_scenario_model(s));
        if (w)
            watch_add(w, migdev_model_file(migdev_scenario_model(s)));
        migdev_scenario_free(s);
    }
    return EXIT_OK;
}

/* Run the scenario and gather the variables to draw. */
static int load_run(const cli *c, const run_opts *o, plot_cmd *p, plot_data *pd, watch_set *w)
{
    int status = EXIT_OK;
    if (w)
        watch_add(w, o->file);
    migdev_scenario *s = run_opts_scenario(c, o, &status);
    if (!s)
        return status;
    const migdev_model *m = migdev_scenario_model(s);
    if (w)
        watch_add(w, migdev_model_file(m));
    migdev_error err;
    migdev_error_clear(&err);
    char *list = o->vars ? NULL : plot_default_vars(s);
    char **names = NULL;
    int n = -1;
    migdev_run *r = NULL;
    if (!o->vars && !list)
        status = EXIT_INPUT;
    else if ((n = plot_split_names(o->vars ? o->vars : list, &names)) < 0)
        status = EXIT_INPUT;
    else if (!o->vars && migdev_scenario_set_outputs(s, list, &err) != 0)
        status = cli_exit_code(err.code);
    else if (!(r = migdev_scenario_new_run(s, &err)) || migdev_run_execute(r, &err) != 0) {
        cli_print_error(&err);
        status = cli_exit_code(err.code);
    } else if (plot_data_set_vars(pd, m, (const char *const *)names, n) != 0 ||
               plot_data_add_run(pd, migdev_scenario_name(s), r) != 0) {
        status = EXIT_INPUT;
    }
    if (status == EXIT_OK && !p->title_given) {
        /* the scenario's name titles the figure unless --title says otherwise */
        static char title[512];
        snprintf(title, sizeof title, "%s", migdev_scenario_name(s));
        p->fig.title = title;
    }
    plot_free_names(names, n);
    free(list);
    migdev_run_free(r);
    migdev_scenario_free(s);
    return status;
}

static int load(const cli *c, const run_opts *o, plot_cmd *p, plot_data *pd, watch_set *w)
{
    return is_table(o->file) ? load_table(c, o, p, pd, w) : load_run(c, o, p, pd, w);
}

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

/* Draw, then draw again after every save until Ctrl-C. */
static int watch_loop(const cli *c, const run_opts *o, plot_cmd *p, const char *format)
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
        if (load(c, o, p, &pd, &w) == EXIT_OK) {
            if (live)
                figure_session_draw(&session, &p->fig, format, &pd);
            else
                figure_draw(&p->fig, &pd);
        }
        plot_data_free(&pd);
        fprintf(stderr, "migdev plot: watching %s (Ctrl-C to stop)\n", o->file);
    } while (watch_wait(&w, &stop_requested));
    figure_session_close(&session);
    return EXIT_OK;
}

int cmd_plot(cli *c)
{
    static char help[4096];
    snprintf(help, sizeof help, "%s%s%s", help_head, figure_opts_help, help_tail);
    plot_cmd p;
    memset(&p, 0, sizeof p);
    run_opts o;
    int status = run_opts_parse_ext(c, "plot", help, &o, extra_opt, &p);
    if (status != EXIT_OK) {
        run_opts_free(&o);
        return status < 0 ? EXIT_OK : status;
    }
    p.fig.output = o.output ? o.output : p.fig.output; /* run_opts takes -o first */
    if ((status = figure_opts_check(c, "plot", &p.fig)) != EXIT_OK)
        goto done;
    if (is_table(o.file) && (o.n_set || o.set_mask || o.has_format)) {
        status = cli_usage_error(c, c->argc, "plot", "the run options (--set, --method, --dt, "
                                 "...) need a model or scenario, not a table");
        goto done;
    }
    if (p.watch && strcmp(o.file, "-") == 0) {
        status = cli_usage_error(c, c->argc, "plot", "--watch needs a file, not standard input");
        goto done;
    }
    if (p.model && !is_table(o.file)) {
        status = cli_usage_error(c, c->argc, "plot", "--model is for tables (.csv, .tsv); a "
                                 "scenario names its model itself");
        goto done;
    }
    /* a sweep's series file: its own drawing */
    const int series = is_table(o.file) && strcmp(o.file, "-") && sweepplot_is_series(o.file);
    if (p.style && !series) {
        status = cli_usage_error(c, p.style_arg, "plot", "--style is for a sweep's series file "
                                 "(run,time,variable,value)");
        goto done;
    }
    if (series) {
        status = sweepplot_draw(o.file, p.style, p.fig.output, p.fig.title) == 0 ? EXIT_OK
                                                                                  : EXIT_INPUT;
        goto done;
    }
    const char *format = figure_format(&p.fig);
    if (!format) {
        status = EXIT_INPUT;
        goto done;
    }
    if (p.watch) {
        status = watch_loop(c, &o, &p, format);
        goto done;
    }
    plot_data pd;
    plot_data_init(&pd);
    status = load(c, &o, &p, &pd, NULL);
    if (status == EXIT_OK && figure_draw(&p.fig, &pd) != 0)
        status = EXIT_INPUT;
    plot_data_free(&pd);
done:
    run_opts_free(&o);
    return status;
}
