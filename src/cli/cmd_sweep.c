/*
** cmd_sweep.c - `migdev sweep FILE`: run a parameter sweep on every core
** (and across MPI ranks when launched by mpirun or srun), write the summary
** and the other outputs, print the sensitivity table.
**
** Signals: SIGINT and SIGTERM only set a flag; the sweep then stops handing
** out runs, finishes those in flight, writes them, and leaves a valid
** summary (sweep_sink.c). A second signal kills at once (SA_RESETHAND).
*/
#include "commands.h"
#include "sweep_mpi.h"
#include "sweep_sink.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
    "usage: migdev sweep FILE [-j N] [-o SUMMARY.csv] [--resume] [options]\n"
    "\n"
    "Run the parameter sweep of a scenario file (its `sweep` section, edited by\n"
    "the options below): one run per sample of the parameters, on N threads\n"
    "(default: every core), or across processes under mpirun/srun. Writes one\n"
    "summary row per run, in run order (run, parameters, metrics, status), and\n"
    "prints the sensitivity of each metric to each parameter.\n"
    "\n"
    "options:\n"
    "  -j, --jobs N         worker threads (default: all cores)\n"
    "  -o FILE              summary CSV ('-': standard output)\n"
    "  --resume             continue an interrupted sweep without redoing its runs\n"
    "  --design D           grid, lhs, random or sobol\n"
    "  --runs N             number of runs (lhs, random, sobol)\n"
    "  --seed S             seed of the runs' random streams (default 1): the\n"
    "                       designs and the model's random functions\n"
    "  --param SPEC         add or replace a parameter (repeatable):\n"
    "                         NAME=1,2,3   NAME=FROM:TO:STEP   NAME=uniform(A,B)\n"
    "                         NAME=normal(MEAN,SD)[LO,HI]   NAME=lognormal(MU,SIGMA)\n"
    "                         NAME=triangular(MIN,MODE,MAX)\n"
    "  --metric SPEC        add or replace a metric (repeatable): [NAME=]final(VAR),\n"
    "                       min(VAR), max(VAR), mean(VAR), at(VAR,TIME),\n"
    "                       crossing(VAR,THRESHOLD[,up|down|either]), last_crossing(...)\n"
    "  --series-runs LIST   write the full series of these runs (\"0,5,10-20\")\n"
    "  --series-vars a,b    ... of these variables\n"
    "  --series-out FILE    ... to this file (run,time,variable,value)\n"
    "  --bands a,b          quantile bands (5/25/50/75/95 %) of these variables\n"
    "  --bands-out FILE     ... written to this CSV\n"
    "  --fan FILE           ... and drawn as a fan chart (.png, .svg, .pdf)\n"
    "  --summary-only       write the summary only (no series, bands or fan chart)\n"
    "  --no-sensitivity     do not print the sensitivity table\n"
    "  --no-progress        no progress bar (it is only shown on a terminal)\n"
    "  --set NAME=VALUE, --method, --dt, --start, --stop, --save-every, --abs-tol,\n"
    "  --rel-tol, --max-step   as for `migdev run`\n"
    RUN_OPTS_ENGINE_HELP
    "\n"
    "exit status: 0 ok, 1 bad model/scenario/sweep or output error, 2 bad usage,\n"
    "130/143 interrupted by SIGINT/SIGTERM (the summary holds every completed run)\n";

typedef struct spec_arg {
    const char *text;
    int arg, offset; /* argv index and offset of text in it, for messages */
} spec_arg;

typedef struct sweep_opts {
    int jobs, has_jobs, jobs_arg;
    int resume, no_sens, no_progress, summary_only;
    const char *design;
    int design_arg;
    long runs;
    int has_runs, runs_arg;
    spec_arg *params, *metrics;
    int n_params, n_metrics;
    const char *series_runs, *series_vars, *series_out, *bands, *bands_out, *fan;
    int series_runs_arg, series_vars_arg, bands_arg;
    long stop_after;
} sweep_opts;

/* Where the value of the current option starts in argv[c->i]. */
static int value_offset(const cli *c, const char *inl)
{
    return inl ? (int)(inl - c->argv[c->i]) : 0;
}

static int extra_opt(cli *c, const char *cmd, const char *opt, const char *inl, void *ctx)
{
    sweep_opts *o = ctx;
    const char *val = NULL;
    int rc;
    char *end;
    if (!strncmp(opt, "-j", 2) && strlen(opt) > 2 && opt[2] != '-') {
        inl = c->argv[c->i] + 2; /* -j4 */
        opt = "-j";
    }
    if (!strcmp(opt, "-j") || !strcmp(opt, "--jobs")) {
        if ((rc = cli_option_value(c, cmd, opt, inl, &val)) != EXIT_OK)
            return rc;
        const long j = strtol(val, &end, 10);
        if (*end || end == val || j < 0 || j > 4096)
            return cli_usage_error(c, c->i, "sweep", "%s expects a number of threads, got '%s'",
                                   opt, val);
        o->jobs = (int)j;
        o->has_jobs = 1;
        o->jobs_arg = c->i;
    } else if (!strcmp(opt, "--resume")) {
        o->resume = 1;
    } else if (!strcmp(opt, "--no-sensitivity")) {
        o->no_sens = 1;
    } else if (!strcmp(opt, "--no-progress")) {
        o->no_progress = 1;
    } else if (!strcmp(opt, "--summary-only")) {
        o->summary_only = 1;
    } else if (!strcmp(opt, "--design")) {
        if ((rc = cli_option_value(c, cmd, opt, inl, &o->design)) != EXIT_OK)
            return rc;
        o->design_arg = c->i;
    } else if (!strcmp(opt, "--runs") || !strcmp(opt, "--stop-after")) {
        if ((rc = cli_option_value(c, cmd, opt, inl, &val)) != EXIT_OK)
            return rc;
        const long n = strtol(val, &end, 10);
        if (*end || end == val || n < 1)
            return cli_usage_error(c, c->i, "sweep", "%s expects a whole number >= 1, got '%s'",
                                   opt, val);
        if (opt[2] == 'r') {
            o->runs = n;
            o->has_runs = 1;
            o->runs_arg = c->i;
        } else {
            o->stop_after = n;
        }
    } else if (!strcmp(opt, "--param") || !strcmp(opt, "--metric")) {
        if ((rc = cli_option_value(c, cmd, opt, inl, &val)) != EXIT_OK)
            return rc;
        spec_arg *list = opt[2] == 'p' ? o->params : o->metrics;
        int *n = opt[2] == 'p' ? &o->n_params : &o->n_metrics;
        list[(*n)++] = (spec_arg){val, c->i, value_offset(c, inl)};
    } else if (!strcmp(opt, "--series-runs")) {
        rc = cli_option_value(c, cmd, opt, inl, &o->series_runs);
        o->series_runs_arg = c->i;
        return rc;
    } else if (!strcmp(opt, "--series-vars")) {
        rc = cli_option_value(c, cmd, opt, inl, &o->series_vars);
        o->series_vars_arg = c->i;
        return rc;
    } else if (!strcmp(opt, "--series-out")) {
        return cli_option_value(c, cmd, opt, inl, &o->series_out);
    } else if (!strcmp(opt, "--bands")) {
        rc = cli_option_value(c, cmd, opt, inl, &o->bands);
        o->bands_arg = c->i;
        return rc;
    } else if (!strcmp(opt, "--bands-out")) {
        return cli_option_value(c, cmd, opt, inl, &o->bands_out);
    } else if (!strcmp(opt, "--fan")) {
        return cli_option_value(c, cmd, opt, inl, &o->fan);
    } else {
        return -1;
    }
    return EXIT_OK;
}

static int apply_opts(const cli *c, const sweep_opts *o, migdev_sweep *sw)
{
    migdev_error err;
    migdev_error_clear(&err);
    if (o->design && migdev_sweep_set_design(sw, o->design, &err) != 0)
        return cli_value_error(c, o->design_arg, 0, "sweep", "--design", &err);
    if (o->has_runs && migdev_sweep_set_runs(sw, o->runs, &err) != 0)
        return cli_value_error(c, o->runs_arg, 0, "sweep", "--runs", &err);
    for (int i = 0; i < o->n_params; i++)
        if (migdev_sweep_add_param_text(sw, o->params[i].text, &err) != 0)
            return cli_value_error(c, o->params[i].arg, o->params[i].offset, "sweep", "--param", &err);
    for (int i = 0; i < o->n_metrics; i++)
        if (migdev_sweep_add_metric_text(sw, o->metrics[i].text, &err) != 0)
            return cli_value_error(c, o->metrics[i].arg, o->metrics[i].offset, "sweep", "--metric", &err);
    if (o->series_runs && migdev_sweep_set_series(sw, o->series_runs, NULL, &err) != 0)
        return cli_value_error(c, o->series_runs_arg, 0, "sweep", "--series-runs", &err);
    if (o->series_vars && migdev_sweep_set_series(sw, NULL, o->series_vars, &err) != 0)
        return cli_value_error(c, o->series_vars_arg, 0, "sweep", "--series-vars", &err);
    if (o->bands && migdev_sweep_set_bands(sw, o->bands, &err) != 0)
        return cli_value_error(c, o->bands_arg, 0, "sweep", "--bands", &err);
    migdev_sweep_set_paths(sw, NULL, o->series_out, o->bands_out, o->fan);
    if (o->summary_only)
        migdev_sweep_summary_only(sw);
    if (o->no_sens)
        migdev_sweep_set_sensitivity(sw, 0);
    return EXIT_OK;
}

/* ---- signals ---- */

static volatile sig_atomic_t got_signal = 0;

static void on_signal(int sig) { got_signal = sig; }

static void catch_signals(int on)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on ? on_signal : SIG_DFL;
    sa.sa_flags = on ? SA_RESETHAND : 0;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int sweep_interrupted(void) { return got_signal; }

/* ---- local (single process) execution ---- */

static int local_result(void *ctx, const migdev_sweep_result *r)
{
    return sink_put(ctx, r) != 0;
}

static int local_poll(void *ctx)
{
    sink_tick(ctx);
    return got_signal != 0;
}

static int run_local(const migdev_sweep *sw, sweep_sink *k, long first, int jobs, long stop_after)
{
    migdev_sweep_exec x;
    memset(&x, 0, sizeof x);
    x.first = first;
    x.end = migdev_sweep_n_runs(sw);
    x.n_parts = 1;
    x.n_threads = jobs;
    x.on_result = local_result;
    x.poll = local_poll;
    x.ctx = k;
    x.stop_after = stop_after;
    x.rows = 1; /* formatted on the workers: the writer only copies them */
    migdev_error err;
    migdev_error_clear(&err);
    long done = 0;
    const int rc = migdev_sweep_execute(sw, &x, &done, &err);
    if (rc < 0) {
        progress_end(&k->prog);
        cli_print_error(&err);
        sink_abort(k);
        return cli_exit_code(rc);
    }
    return sink_finish(k, rc == 0, got_signal);
}

int cmd_sweep(cli *c)
{
    sweep_opts so;
    memset(&so, 0, sizeof so);
    so.params = calloc((size_t)c->argc + 1, sizeof *so.params);
    so.metrics = calloc((size_t)c->argc + 1, sizeof *so.metrics);
    run_opts o;
    memset(&o, 0, sizeof o);
    migdev_scenario *s = NULL;
    migdev_sweep *sw = NULL;
    int status = EXIT_INPUT;
    int mpi_rank = 0, mpi_size = 1;
    const int mpi = sweep_mpi_begin(&c->argc, &c->argv, &mpi_rank, &mpi_size);
    if (!so.params || !so.metrics) {
        fprintf(stderr, "migdev: out of memory\n");
        goto done;
    }
    status = run_opts_parse_ext(c, "sweep", help, &o, extra_opt, &so);
    if (status != EXIT_OK) {
        status = status < 0 ? EXIT_OK : status;
        goto done;
    }
    if (o.vars || o.has_format) {
        status = cli_usage_error(c, 2, "sweep",
                                 "--vars and --format do not apply to sweeps (see --metric, "
                                 "--series-vars, --bands)");
        goto done;
    }
    if (!(s = run_opts_scenario(c, &o, &status)))
        goto done;
    migdev_error err;
    migdev_error_clear(&err);
    if (!(sw = migdev_sweep_load(s, &err))) {
        cli_print_error(&err);
        status = cli_exit_code(err.code);
        goto done;
    }
    if ((status = apply_opts(c, &so, sw)) != EXIT_OK)
        goto done;
    /* --seed (run_opts) seeds the sweep: designs and the model's random
       functions, run by run */
    if (o.set_mask & SET_SEED)
        migdev_sweep_set_seed(sw, (uint64_t)o.spec.seed);
    if (migdev_sweep_prepare(sw, &err) != 0) {
        /* an error without a file is about a flag: point at it */
        const int is_runs = !strncmp(err.message, "--runs: ", 8),
                  is_metric = !strncmp(err.message, "--metric: ", 10);
        if (!err.file[0] && ((is_runs && so.has_runs) || (is_metric && so.n_metrics > 0))) {
            migdev_error e2 = err;
            memmove(e2.message, err.message + (is_runs ? 8 : 10),
                    strlen(err.message + (is_runs ? 8 : 10)) + 1);
            e2.column = 0;
            status = is_runs ? cli_value_error(c, so.runs_arg, 0, "sweep", "--runs", &e2)
                             : cli_value_error(c, so.metrics[0].arg, so.metrics[0].offset,
                                               "sweep", "--metric", &e2);
            goto done;
        }
        cli_print_error(&err);
        status = err.file[0] || err.code == MIGDEV_E_NOMEM ? cli_exit_code(err.code) : EXIT_USAGE;
        goto done;
    }
    if (o.output) /* the user's own path */
        migdev_sweep_set_paths(sw, o.output, NULL, NULL, NULL);
    if ((status = cli_check_path(c, migdev_sweep_path_error(sw))) != EXIT_OK)
        goto done;
    const char *summary = o.output ? o.output : migdev_sweep_summary_path(sw);
    if (summary && !strcmp(summary, "-"))
        summary = NULL;
    if (so.resume && !summary) {
        status = cli_usage_error(c, 1, "sweep", "--resume needs the summary in a file (-o FILE)");
        goto done;
    }
    const char *series = migdev_sweep_series_path(sw), *bands = migdev_sweep_bands_path(sw);
    if (migdev_sweep_n_series_runs(sw) > 0 && !series) {
        status = cli_usage_error(c, 1, "sweep",
                                 "the series of selected runs need a file (--series-out FILE, "
                                 "or series = { file = \"...\"; } in the sweep)");
        goto done;
    }
    if (migdev_sweep_n_band_vars(sw) > 0 && !bands) {
        status = cli_usage_error(c, 1, "sweep",
                                 "the quantile bands need a file (--bands-out FILE, or "
                                 "bands = { file = \"...\"; } in the sweep)");
        goto done;
    }
    if (migdev_sweep_n_band_vars(sw) == 0 && migdev_sweep_fan_path(sw)) {
        status = cli_usage_error(c, 1, "sweep", "a fan chart needs bands (--bands VARS)");
        goto done;
    }
    /* each process (MPI rank) compiles or finds the cached code itself */
    if ((status = run_opts_engine(&o, s, (double)migdev_sweep_n_runs(sw) / mpi_size)) !=
        EXIT_OK)
        goto done;
    int jobs = so.has_jobs ? so.jobs : 0;
    if (jobs == 0) {
        const long n = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = n > 0 ? (int)n : 1;
    }
    catch_signals(1);
    if (mpi) {
        status = sweep_mpi_run(sw, summary, series, bands, migdev_sweep_fan_path(sw), so.resume,
                               !so.no_progress, jobs, so.stop_after, migdev_scenario_name(s),
                               migdev_model_time_units(migdev_scenario_model(s)), mpi_rank,
                               mpi_size);
    } else {
        sweep_sink k;
        long first = 0;
        status = sink_open(&k, sw, summary, series, bands, migdev_sweep_fan_path(sw), so.resume,
                           !so.no_progress, &first);
        if (status == SINK_NOTHING_TO_DO) {
            sink_abort(&k);
            status = EXIT_OK;
        } else if (status != EXIT_OK) {
            sink_abort(&k);
        } else {
            k.title = migdev_scenario_name(s);
            k.time_units = migdev_model_time_units(migdev_scenario_model(s));
            status = run_local(sw, &k, first, jobs, so.stop_after);
        }
    }
    catch_signals(0);
done:
    migdev_sweep_free(sw);
    migdev_scenario_free(s);
    run_opts_free(&o);
    free(so.params);
    free(so.metrics);
    sweep_mpi_end(mpi, status);
    return status;
}
