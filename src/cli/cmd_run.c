/*
** cmd_run.c - `migdev run FILE`: simulate and write the table.
*/
#include "commands.h"
#include "outfile.h"
#include "plotrun.h"

#include <stdio.h>
#include <string.h>

static const char help[] =
    "usage: migdev run FILE [options]\n"
    "\n"
    "Simulate a model or a scenario and write time,<variables> as CSV, one row\n"
    "per save time. Output goes to the scenario's output file, or to -o FILE,\n"
    "or to standard output.\n"
    "\n"
    "options:\n"
    "  --set NAME=VALUE   override a constant (repeatable)\n"
    "  --method M         euler (default), rk4, rk2, rkf45, rkck, rk8pd, rk4imp,\n"
    "                     bsimp, msadams, msbdf\n"
    "  --dt X             time step (initial step for adaptive methods)\n"
    "  --start X          start time\n"
    "  --stop X           stop time\n"
    "  --save-every X     output interval (a multiple of dt for euler/rk4)\n"
    "  --abs-tol X        absolute tolerance (adaptive methods)\n"
    "  --rel-tol X        relative tolerance (adaptive methods)\n"
    "  --max-step X       largest step of an adaptive method\n"
    "  --seed N           seed of the random functions (default 0; same seed, same run)\n"
    "  -o, --output FILE  output file ('-' for standard output)\n"
    "  --vars a,b,c       variables to write (default: all)\n"
    "  --format csv|tsv   table format (default csv)\n"
    "  --no-plots         do not draw the figures of the scenario's `plots`\n"
    "  --template FILE    gnuplot template for those figures (default scripts/plot.gp)\n"
    RUN_OPTS_ENGINE_HELP
    "  -q, --quiet        do not say what was written (one line on standard error)\n"
    "\n"
    "exit status: 0 ok, 1 bad model or scenario, 2 bad usage, 3 the run failed\n";

typedef struct figure_flags {
    int no_plots;
    int quiet;
    const char *template_path;
} figure_flags;

static int figure_flag(cli *c, const char *cmd, const char *opt, const char *inl, void *ctx)
{
    figure_flags *f = ctx;
    if (!strcmp(opt, "--no-plots")) {
        f->no_plots = 1;
        return inl ? cli_usage_error(c, c->i, cmd, "--no-plots takes no value") : EXIT_OK;
    }
    if (!strcmp(opt, "-q") || !strcmp(opt, "--quiet")) {
        f->quiet = 1;
        return inl ? cli_usage_error(c, c->i, cmd, "%s takes no value", opt) : EXIT_OK;
    }
    if (!strcmp(opt, "--template")) {
        return cli_option_value(c, cmd, opt, inl, &f->template_path);
    }
    return -1;
}

/* The one line `run` prints on standard error: what it wrote. */
static void say_written(const char *path, const migdev_run *r, int n_vars, int n_figures)
{
    fprintf(stderr, "migdev: wrote %s (%zu times x %d variables)", path, migdev_run_n_saves(r),
            n_vars);
    if (n_figures > 0)
        fprintf(stderr, " and %d figure%s", n_figures, n_figures > 1 ? "s" : "");
    fputc('\n', stderr);
}

int cmd_run(cli *c)
{
    run_opts o;
    figure_flags ff = {0, 0, NULL};
    int status = run_opts_parse_ext(c, "run", help, &o, figure_flag, &ff);
    if (status != EXIT_OK) {
        run_opts_free(&o);
        return status < 0 ? EXIT_OK : status;
    }
    migdev_scenario *s = run_opts_scenario(c, &o, &status);
    if (!s) {
        run_opts_free(&o);
        return status;
    }
    migdev_error err;
    migdev_error_clear(&err);
    migdev_run *r = NULL;
    /* the path policy, before anything runs: outputs the file names */
    if ((!o.output && (status = cli_check_path(c, migdev_scenario_output_path_error(s))) != EXIT_OK) ||
        (!ff.no_plots && (status = cli_check_path(c, migdev_scenario_plot_path_error(s))) != EXIT_OK))
        goto done;
    if ((status = run_opts_engine(&o, s, 1.0)) != EXIT_OK)
        goto done;
    r = migdev_scenario_new_run(s, &err);
    if (!r) {
        cli_print_error(&err);
        status = cli_exit_code(err.code);
        goto done;
    }
    if (migdev_run_execute(r, &err) != 0) {
        cli_print_error(&err);
        status = cli_exit_code(err.code);
        goto done;
    }
    const char *path = o.output ? o.output : migdev_scenario_output(s);
    outfile out;
    if (outfile_open(&out, path) != 0) {
        status = EXIT_INPUT;
        goto done;
    }
    int n_vars;
    const int *vars = migdev_scenario_outputs(s, &n_vars);
    const int rc = migdev_write_table(out.f, r, vars, n_vars, migdev_scenario_format(s), &err);
    if (outfile_close(&out, rc == 0) != 0 || rc != 0) {
        if (rc != 0)
            cli_print_error(&err);
        status = EXIT_INPUT;
        goto done;
    }
    status = EXIT_OK;
    /* the figures come after the table, which stays written if they fail */
    const int n_figures = ff.no_plots ? 0 : migdev_scenario_n_plots(s);
    if (n_figures > 0 && plot_scenario_figures(s, r, ff.template_path) != 0)
        status = EXIT_INPUT;
    if (!ff.quiet && status == EXIT_OK && !out.is_stdout && !out.is_direct)
        say_written(path, r, n_vars > 0 ? n_vars : migdev_model_n_vars(migdev_run_model(r)),
                    n_figures);
done:
    migdev_run_free(r);
    migdev_scenario_free(s);
    run_opts_free(&o);
    return status;
}
