/*
** cmd_compare.c - `migdev compare A.cfg B.cfg [...]`: run each scenario,
** draw the same variables for all of them (one panel per variable, one
** line per scenario) and write the combined table.
*/
#include "commands.h"
#include "figure.h"
#include "outfile.h"
#include "plotcsv.h"
#include "plotopts.h"
#include "plotrun.h"

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
    "                     with .csv; none when drawing in a terminal)\n";

static const char help_tail[] =
    "\n"
    "example:\n"
    "  migdev compare configs/remittance_based.cfg configs/state_led.cfg \\\n"
    "      configs/compensatory_integration.cfg -o out/development_models.png\n"
    "\n"
    "exit status: 0 ok, 1 bad scenario or gnuplot failed, 2 bad usage, 3 a run failed\n";

typedef struct compare_cmd {
    const char **files;
    int n_files;
    const char *vars;
    int vars_arg;
    const char *csv;
    figure_opts fig;
} compare_cmd;

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
    return figure_opts_check(c, "compare", &p->fig);
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

/* Run scenario file i and add it to pd (the variables chosen by the first). */
static int add_scenario(const cli *c, const compare_cmd *p, int i, plot_data *pd)
{
    int status = EXIT_OK;
    migdev_scenario *s = cli_load_scenario(p->files[i], &status);
    if (!s)
        return status;
    migdev_error err;
    migdev_error_clear(&err);
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

int cmd_compare(cli *c)
{
    static char help[4096];
    snprintf(help, sizeof help, "%s%s%s", help_head, figure_opts_help, help_tail);
    compare_cmd p;
    memset(&p, 0, sizeof p);
    p.files = calloc((size_t)c->argc + 1, sizeof *p.files);
    if (!p.files) {
        fprintf(stderr, "migdev: out of memory\n");
        return EXIT_INPUT;
    }
    int status = parse(c, &p, help);
    if (status != EXIT_OK) {
        free(p.files);
        return status < 0 ? EXIT_OK : status;
    }
    /* a bad figure name is known before anything runs */
    if (p.fig.output && !figure_format(&p.fig)) {
        free(p.files);
        return EXIT_INPUT;
    }
    plot_data pd;
    plot_data_init(&pd);
    for (int i = 0; i < p.n_files && status == EXIT_OK; i++)
        status = add_scenario(c, &p, i, &pd);
    /* the table first: it is written even when gnuplot is missing */
    char *csv = p.csv ? strdup(p.csv) : default_csv(p.fig.output);
    if (status == EXIT_OK && csv)
        status = write_csv(csv, &pd);
    if (status == EXIT_OK && figure_draw(&p.fig, &pd) != 0)
        status = EXIT_INPUT;
    free(csv);
    plot_data_free(&pd);
    free(p.files);
    return status;
}
