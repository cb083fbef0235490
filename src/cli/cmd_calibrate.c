/*
** cmd_calibrate.c - `migdev calibrate FILE`: fit constants of a scenario's
** model to data (the `calibrate` section, edited by flags), print the fit,
** and optionally write the fitted scenario (-o) and data against model
** (--csv, for `migdev plot`).
*/
#include "commands.h"
#include "figure.h"
#include "outfile.h"
#include "plotcsv.h"
#include "plotdata.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: migdev calibrate FILE [-o FITTED.cfg] [--table] [--csv FIT.csv] [options]\n"
    "\n"
    "Fit constants of a scenario's model to data by nonlinear least squares (GSL,\n"
    "trust region; Levenberg-Marquardt by default), as its `calibrate` section\n"
    "says (edited by the options below). Prints the fitted values with standard\n"
    "errors and correlations, each series' RMSE and MAPE, the iterations and why\n"
    "the fit stopped.\n"
    "\n"
    "options:\n"
    "  -o FILE              write a scenario with the fitted constants:\n"
    "                       `migdev run FILE` reproduces the fit\n"
    "  --csv FILE           write scenario,time,<variables>: the data (group \"data\")\n"
    "                       and the model (group \"model\"), for `migdev plot FILE`\n"
    "  --table              print data and model at every data point\n"
    "  -j, --jobs N         threads for the Jacobian's runs (default: every core)\n"
    "  --data FILE          the data (CSV; relative to the current folder)\n"
    "  --series SPEC        add or replace a series (repeatable):\n"
    "                         VARIABLE=COLUMN[,scale=S][,weight=W][,from=T][,to=T]\n"
    "  --fit SPEC           add or replace a constant to fit (repeatable):\n"
    "                         NAME, NAME=MIN:MAX, NAME=MIN: or NAME=:MAX (bounds)\n"
    "  --time-column NAME   the data's time column (default: time, else year)\n"
    "  --from T, --to T     compare only the data from T / up to T\n"
    "  --objective O        relative (default) or absolute errors\n"
    "  --weighting W        series (default: each series counts the same) or points\n"
    "  --algorithm A        lm (default), lmaccel, dogleg, ddogleg, subspace2D\n"
    "  --max-iter N         most iterations (default 200)\n"
    "  --xtol X, --gtol X, --ftol X   stopping tolerances (default 1e-8, 1e-8, 0)\n"
    "  --holdout T          a backtest: fit the data before time T only, and report\n"
    "                       each series' RMSE and MAPE on the data from T on\n"
    "  --holdout T1,T2,...  a rolling-origin backtest: one fit per origin, one row\n"
    "                       per origin with each series' hold-out MAPE and RMSE\n"
    "  --figure FILE        draw data (points) against model (line), one panel per\n"
    "                       series, the hold-out shaded (.png, .svg or .pdf)\n"
    "  --set NAME=VALUE     change a constant (a fitted one: its start value)\n"
    "  --method, --dt, --start, --stop, --save-every, --abs-tol, --rel-tol,\n"
    "  --max-step, --seed   as for `migdev run`\n"
    RUN_OPTS_ENGINE_HELP
    "\n"
    "exit status: 0 converged, 1 bad scenario or data, 2 bad usage, 3 the fit\n"
    "failed (not converged, or the model fails at the start values)\n";

typedef struct edit {
    const char *key, *value, *opt;
    int arg, offset; /* argv index and offset of value in it, for messages */
} edit;

typedef struct calib_opts {
    int table;
    const char *csv;
    const char *figure;
    int jobs;      /* -j: Jacobian threads, 0 = every core */
    edit *edits;
    int n_edits;
    double *origins;      /* --holdout: the origins (NULL: none) */
    int n_origins;
    int holdout_arg;      /* its argv index, for messages */
} calib_opts;

/* "T" or "T1,T2,...": the hold-out origins. Returns EXIT_OK or a usage
** error. */
static int parse_origins(cli *c, const char *cmd, const char *val, calib_opts *o)
{
    free(o->origins);
    o->n_origins = 0;
    o->origins = malloc((strlen(val) / 2 + 2) * sizeof *o->origins);
    if (!o->origins)
        return cli_usage_error(c, c->i, cmd, "out of memory");
    for (const char *p = val;;) {
        const size_t len = strcspn(p, ",");
        char buf[64];
        if (len == 0 || len >= sizeof buf)
            return cli_usage_error(c, c->i, cmd,
                                   "--holdout: expected a time or times separated by commas "
                                   "(1995,2000,2005), got '%s'",
                                   val);
        memcpy(buf, p, len);
        buf[len] = '\0';
        double x;
        if (cli_number(buf, &x) != 0)
            return cli_usage_error(c, c->i, cmd, "--holdout: '%s' is not a number", buf);
        for (int k = 0; k < o->n_origins; k++)
            if (o->origins[k] == x)
                return cli_usage_error(c, c->i, cmd, "--holdout: the origin %s is given twice",
                                       buf);
        o->origins[o->n_origins++] = x;
        if (!p[len])
            break;
        p += len + 1;
    }
    o->holdout_arg = c->i;
    return EXIT_OK;
}

static const struct {
    const char *opt, *key;
} setting_opts[] = {
    {"--data", "data"},         {"--time-column", "time_column"}, {"--from", "from"},
    {"--to", "to"},             {"--objective", "objective"},     {"--weighting", "weighting"},
    {"--algorithm", "algorithm"}, {"--max-iter", "max_iterations"}, {"--xtol", "xtol"},
    {"--gtol", "gtol"},         {"--ftol", "ftol"},               {"--series", "+series"},
    {"--fit", "+fit"},
};

static int extra_opt(cli *c, const char *cmd, const char *opt, const char *inl, void *ctx)
{
    calib_opts *o = ctx;
    if (!strcmp(opt, "--table")) {
        o->table = 1;
        return inl ? cli_usage_error(c, c->i, cmd, "--table takes no value") : EXIT_OK;
    }
    if (!strcmp(opt, "--csv"))
        return cli_option_value(c, cmd, opt, inl, &o->csv);
    if (!strcmp(opt, "--figure"))
        return cli_option_value(c, cmd, opt, inl, &o->figure);
    if (!strcmp(opt, "--holdout")) {
        const char *val;
        const int rc = cli_option_value(c, cmd, opt, inl, &val);
        return rc != EXIT_OK ? rc : parse_origins(c, cmd, val, o);
    }
    if (!strcmp(opt, "-j") || !strcmp(opt, "--jobs")) {
        const char *val;
        const int rc = cli_option_value(c, cmd, opt, inl, &val);
        double x;
        if (rc != EXIT_OK)
            return rc;
        if (cli_number(val, &x) != 0 || x < 1 || x > 1024 || x != (int)x)
            return cli_usage_error(c, c->i, cmd, "%s expects a whole number from 1 to 1024", opt);
        o->jobs = (int)x;
        return EXIT_OK;
    }
    for (size_t k = 0; k < sizeof setting_opts / sizeof setting_opts[0]; k++)
        if (!strcmp(opt, setting_opts[k].opt)) {
            const char *val;
            const int rc = cli_option_value(c, cmd, opt, inl, &val);
            if (rc != EXIT_OK)
                return rc;
            o->edits[o->n_edits++] = (edit){setting_opts[k].key, val, setting_opts[k].opt, c->i,
                                            inl ? (int)(inl - c->argv[c->i]) : 0};
            return EXIT_OK;
        }
    return -1;
}

static int apply_edits(const cli *c, const calib_opts *o, migdev_calib *cal)
{
    for (int i = 0; i < o->n_edits; i++) {
        const edit *e = &o->edits[i];
        migdev_error err;
        migdev_error_clear(&err);
        int rc;
        if (!strcmp(e->key, "+series"))
            rc = migdev_calib_add_series_text(cal, e->value, &err);
        else if (!strcmp(e->key, "+fit"))
            rc = migdev_calib_add_param_text(cal, e->value, &err);
        else
            rc = migdev_calib_set(cal, e->key, e->value, &err);
        if (rc != 0 && err.code == MIGDEV_E_NOMEM) {
            cli_print_error(&err);
            return EXIT_INPUT;
        }
        if (rc != 0)
            return cli_value_error(c, e->arg, e->offset, "calibrate", e->opt, &err);
    }
    return EXIT_OK;
}

/* ---- the report ---- */

static void print_number(double x)
{
    if (isnan(x))
        printf(" %12s", "-");
    else
        printf(" %12.6g", x);
}

static void print_params(const migdev_calib *cal)
{
    const int np = migdev_calib_n_params(cal);
    printf("\n%-32s %12s %12s %12s  %s\n", "constant", "start", "fitted", "std. error",
           "fitted on the scale");
    for (int i = 0; i < np; i++) {
        migdev_calib_param_info p;
        migdev_calib_param(cal, i, &p);
        printf("%-32s", p.name);
        print_number(p.start);
        print_number(p.value);
        if (isnan(p.std_error))
            printf(" %12s", "unknown");
        else
            print_number(p.std_error);
        printf("  %s", migdev_calib_scale_text(p.scale));
        if (p.has_min && p.has_max)
            printf(" on [%g, %g]", p.min, p.max);
        else if (p.has_min)
            printf(", min %g", p.min);
        else if (p.has_max)
            printf(", max %g", p.max);
        printf("\n");
    }
    if (np < 2)
        return;
    printf("\ncorrelations of the estimates\n%-32s", "");
    for (int j = 0; j < np; j++)
        printf(" %7d", j + 1);
    printf("\n");
    for (int i = 0; i < np; i++) {
        migdev_calib_param_info p;
        migdev_calib_param(cal, i, &p);
        printf("%2d %-29s", i + 1, p.name);
        for (int j = 0; j <= i; j++) {
            const double r = migdev_calib_correlation(cal, i, j);
            if (isnan(r))
                printf(" %7s", "-");
            else
                printf(" %7.3f", r);
        }
        printf("\n");
    }
}

static void print_series(const migdev_calib *cal)
{
    printf("\n%-34s %-32s %6s %12s %8s   %s\n", "series (model variable)", "data column x scale",
           "points", "RMSE", "MAPE %", "at the start: RMSE, MAPE %");
    for (int i = 0; i < migdev_calib_n_series(cal); i++) {
        migdev_calib_series_info s;
        migdev_calib_series(cal, i, &s);
        char col[160];
        if (s.scale == 1.0)
            snprintf(col, sizeof col, "%s", s.column);
        else
            snprintf(col, sizeof col, "%s x %g", s.column, s.scale);
        printf("%-34s %-32s %6d %12.6g %8.3f   %.6g, %.3f\n", s.variable, col, s.n_points, s.rmse,
               s.mape, s.rmse_start, s.mape_start);
    }
    printf("(RMSE in the data's units, as in the file; MAPE over the points with non-zero data)\n");
}

static void print_holdout(const migdev_calib *cal)
{
    double origin;
    if (!migdev_calib_holdout(cal, &origin))
        return;
    printf("\nbacktest: fitted on the data before %g; scored on the data from %g on\n", origin,
           origin);
    printf("%-34s %-32s %6s %12s %8s\n", "series (model variable)", "data column x scale",
           "points", "RMSE", "MAPE %");
    for (int i = 0; i < migdev_calib_n_series(cal); i++) {
        migdev_calib_series_info s;
        migdev_calib_series(cal, i, &s);
        char col[160];
        if (s.scale == 1.0)
            snprintf(col, sizeof col, "%s", s.column);
        else
            snprintf(col, sizeof col, "%s x %g", s.column, s.scale);
        printf("%-34s %-32s %6d", s.variable, col, s.n_holdout);
        if (s.n_holdout == 0)
            printf(" %12s %8s\n", "-", "-");
        else if (isnan(s.mape_holdout))
            printf(" %12.6g %8s\n", s.rmse_holdout, "-");
        else
            printf(" %12.6g %8.3f\n", s.rmse_holdout, s.mape_holdout);
    }
}

static void print_table(const migdev_calib *cal)
{
    for (int i = 0; i < migdev_calib_n_series(cal); i++) {
        migdev_calib_series_info s;
        migdev_calib_series(cal, i, &s);
        printf("\n%s against %s (data units)\n%12s %14s %14s %10s\n", s.variable, s.column, "time",
               "data", "model", "error %");
        for (int k = 0; k < s.n_points; k++) {
            printf("%12g %14.6g %14.6g", s.time[k], s.data[k], s.model[k]);
            if (s.data[k] != 0.0)
                printf(" %10.2f\n", 100.0 * (s.model[k] - s.data[k]) / fabs(s.data[k]));
            else
                printf(" %10s\n", "-");
        }
        for (int k = 0; k < s.n_holdout; k++) {
            const double d = s.holdout_data[k], m = s.holdout_model[k];
            printf("%12g %14.6g %14.6g", s.holdout_time[k], d, m);
            if (d != 0.0)
                printf(" %10.2f  (held out)\n", 100.0 * (m - d) / fabs(d));
            else
                printf(" %10s  (held out)\n", "-");
        }
    }
}

/* ---- the CSV: data and model, for `migdev plot` ---- */

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Column name of series i: its variable, or variable:column when another
** series compares the same variable. */
static void column_name(const migdev_calib *cal, int i, char *buf, size_t n)
{
    migdev_calib_series_info s, t;
    migdev_calib_series(cal, i, &s);
    int shared = 0;
    for (int k = 0; k < migdev_calib_n_series(cal) && !shared; k++) {
        migdev_calib_series(cal, k, &t);
        shared = k != i && t.var == s.var;
    }
    if (shared)
        snprintf(buf, n, "%s:%s", s.variable, s.column);
    else
        snprintf(buf, n, "%s", s.variable);
}

/* Group "data" at every data time, held-out points included (in the
** model's units, scale x data; NaN where a series has no point), group
** "model" at every save time. (The held-out arrays of a series follow its
** fitted ones: s.time[n_points + k] is s.holdout_time[k].) */
static int fill_plot_data(plot_data *pd, const migdev_calib *cal)
{
    const int ns = migdev_calib_n_series(cal);
    char **names = calloc((size_t)ns + 1, sizeof *names);
    double *row = malloc(((size_t)ns + 1) * sizeof *row);
    size_t total = 0;
    for (int i = 0; i < ns; i++) {
        migdev_calib_series_info s;
        migdev_calib_series(cal, i, &s);
        total += (size_t)(s.n_points + s.n_holdout); /* held-out points follow */
    }
    double *times = malloc((total + 1) * sizeof *times);
    int rc = names && row && times ? 0 : -1;
    for (int i = 0; !rc && i < ns; i++) {
        char buf[600];
        column_name(cal, i, buf, sizeof buf);
        if (!(names[i] = strdup(buf)))
            rc = -1;
    }
    if (!rc)
        rc = plot_data_set_vars(pd, NULL, (const char *const *)names, ns);
    plot_group *g = rc ? NULL : plot_data_add_group(pd, "data");
    size_t nt = 0;
    for (int i = 0; g && i < ns; i++) {
        migdev_calib_series_info s;
        migdev_calib_series(cal, i, &s);
        for (int k = 0; k < s.n_points + s.n_holdout; k++)
            times[nt++] = s.time[k];
    }
    if (g)
        qsort(times, nt, sizeof *times, cmp_double);
    for (size_t j = 0; g && !rc && j < nt; j++) {
        if (j > 0 && times[j] == times[j - 1])
            continue;
        for (int i = 0; i < ns; i++) {
            migdev_calib_series_info s;
            migdev_calib_series(cal, i, &s);
            row[i] = NAN;
            for (int k = 0; k < s.n_points + s.n_holdout; k++)
                if (s.time[k] == times[j])
                    row[i] = s.scale * s.data[k];
        }
        rc = plot_data_add_row(pd, g, times[j], row);
    }
    const migdev_run *r = migdev_calib_run(cal);
    g = g && !rc ? plot_data_add_group(pd, "model") : NULL;
    for (size_t k = 0; g && !rc && k < migdev_run_n_saves(r); k++) {
        for (int i = 0; i < ns; i++) {
            migdev_calib_series_info s;
            migdev_calib_series(cal, i, &s);
            row[i] = migdev_run_series(r, s.var)[k];
        }
        rc = plot_data_add_row(pd, g, migdev_run_times(r)[k], row);
    }
    for (int i = 0; names && i < ns; i++)
        free(names[i]);
    free(names);
    free(row);
    free(times);
    return g ? rc : -1;
}

/* ---- the command ---- */

static int write_outputs(const migdev_calib *cal, const run_opts *o, const calib_opts *co)
{
    outfile out;
    migdev_error err;
    migdev_error_clear(&err);
    if (o->output) {
        if (outfile_open(&out, o->output) != 0)
            return EXIT_INPUT;
        const int rc = migdev_calib_write_scenario(cal, out.f, out.is_stdout ? "-" : o->output, &err);
        if (outfile_close(&out, rc == 0) != 0 || rc != 0) {
            if (rc)
                cli_print_error(&err);
            return EXIT_INPUT;
        }
    }
    if (co->csv) {
        plot_data pd;
        plot_data_init(&pd);
        if (fill_plot_data(&pd, cal) != 0 || outfile_open(&out, co->csv) != 0) {
            plot_data_free(&pd);
            return EXIT_INPUT;
        }
        const int rc = plot_csv_write(out.f, &pd);
        plot_data_free(&pd);
        if (outfile_close(&out, rc == 0) != 0 || rc != 0) {
            if (rc)
                fprintf(stderr, "%s: error: cannot write the table\n", co->csv);
            return EXIT_INPUT;
        }
    }
    if (co->figure) {
        /* data as points against the model's line, a panel per series, the
           hold-out shaded */
        plot_data pd;
        plot_data_init(&pd);
        figure_opts f;
        memset(&f, 0, sizeof f);
        f.output = co->figure;
        f.layout = MIGDEV_PANELS;
        f.points_group = "data";
        double origin;
        char title[300];
        if (migdev_calib_holdout(cal, &origin)) {
            f.has_shade = 1;
            f.shade_from = origin;
            f.shade_label = "hold-out";
            snprintf(title, sizeof title, "Backtest: fitted before %g, held out from %g on", origin,
                     origin);
        } else {
            snprintf(title, sizeof title, "Calibration: data (points) against model (lines)");
        }
        f.title = title;
        const int rc = fill_plot_data(&pd, cal) != 0 ? -1 : figure_draw(&f, &pd);
        plot_data_free(&pd);
        if (rc != 0)
            return EXIT_INPUT;
    }
    return EXIT_OK;
}

/* A calibration of s with the section, the edits and (origin not NULL) a
** hold-out origin, prepared. NULL after printing, with *status set. */
static migdev_calib *open_calib(const cli *c, const migdev_scenario *s, const calib_opts *co,
                                const double *origin, int *status)
{
    migdev_error err;
    migdev_error_clear(&err);
    migdev_calib *cal = migdev_calib_load(s, &err);
    if (!cal) {
        cli_print_error(&err);
        *status = cli_exit_code(err.code);
        return NULL;
    }
    if ((*status = apply_edits(c, co, cal)) != EXIT_OK) {
        migdev_calib_free(cal);
        return NULL;
    }
    migdev_calib_set_jobs(cal, co->jobs);
    if (origin) {
        char buf[40];
        snprintf(buf, sizeof buf, "%.17g", *origin);
        if (migdev_calib_set(cal, "holdout", buf, &err) != 0) {
            cli_print_error(&err);
            *status = EXIT_INPUT;
            migdev_calib_free(cal);
            return NULL;
        }
    }
    if (migdev_calib_prepare(cal, &err) != 0) {
        if (err.code == MIGDEV_E_NONFINITE || err.code == MIGDEV_E_INTEGRATOR)
            fprintf(stderr, "migdev calibrate: the model fails at the start values:\n");
        cli_print_error(&err);
        *status = cli_exit_code(err.code);
        migdev_calib_free(cal);
        return NULL;
    }
    return cal;
}

/* --holdout T1,T2,...: one fit per origin, one row per origin. */
static int rolling_origin(const cli *c, const run_opts *o, const calib_opts *co,
                          const migdev_scenario *s)
{
    int status = EXIT_OK, any_failed = 0;
    for (int k = 0; k < co->n_origins; k++) {
        migdev_calib *cal = open_calib(c, s, co, &co->origins[k], &status);
        if (!cal)
            return status;
        const int ns = migdev_calib_n_series(cal);
        if (k == 0) {
            printf("rolling-origin backtest of %s against %s: for each origin, a fit on the "
                   "data before it, scored on the data from it on\n",
                   o->file, migdev_calib_data_path(cal));
            printf("%-10s %-14s", "origin", "fit");
            for (int i = 0; i < ns; i++) {
                migdev_calib_series_info si;
                migdev_calib_series(cal, i, &si);
                char h[300];
                snprintf(h, sizeof h, "%s: points", si.variable);
                printf(" %*s %10s %12s", (int)strlen(h), h, "MAPE %", "RMSE");
            }
            printf("\n");
        }
        migdev_error err;
        migdev_error_clear(&err);
        if (migdev_calib_fit(cal, &err) != 0) {
            cli_print_error(&err);
            migdev_calib_free(cal);
            return err.code == MIGDEV_E_NOMEM ? EXIT_INPUT : EXIT_RUN;
        }
        migdev_calib_summary sum;
        migdev_calib_get_summary(cal, &sum);
        any_failed |= !sum.converged;
        printf("%-10g %-14s", co->origins[k], sum.converged ? "converged" : "NOT CONVERGED");
        for (int i = 0; i < ns; i++) {
            migdev_calib_series_info si;
            migdev_calib_series(cal, i, &si);
            char h[300];
            snprintf(h, sizeof h, "%s: points", si.variable);
            printf(" %*d", (int)strlen(h), si.n_holdout);
            if (isnan(si.mape_holdout))
                printf(" %10s", "-");
            else
                printf(" %10.3f", si.mape_holdout);
            if (isnan(si.rmse_holdout))
                printf(" %12s", "-");
            else
                printf(" %12.6g", si.rmse_holdout);
        }
        printf("\n");
        migdev_calib_free(cal);
    }
    if (any_failed) {
        fprintf(stderr, "migdev calibrate: a fit did not converge (its row says so)\n");
        return EXIT_RUN;
    }
    return EXIT_OK;
}

int cmd_calibrate(cli *c)
{
    calib_opts co = {0, NULL, NULL, 0, calloc((size_t)c->argc + 1, sizeof(edit)), 0, NULL, 0, 0};
    run_opts o;
    migdev_calib *cal = NULL;
    migdev_scenario *s = NULL;
    if (!co.edits) {
        fprintf(stderr, "migdev: out of memory\n");
        return EXIT_INPUT;
    }
    int status = run_opts_parse_ext(c, "calibrate", help, &o, extra_opt, &co);
    if (status != EXIT_OK) {
        status = status < 0 ? EXIT_OK : status;
        goto done;
    }
    if (o.vars || o.has_format) {
        status = cli_usage_error(c, o.vars ? o.vars_arg : 2, "calibrate",
                                 "--vars and --format have no use here (see --csv)");
        goto done;
    }
    if (co.n_origins > 1 && (o.output || co.csv || co.figure || co.table)) {
        status = cli_usage_error(c, co.holdout_arg, "calibrate",
                                 "with several hold-out origins, -o, --csv, --figure and --table "
                                 "have no single fit to show: give one origin");
        goto done;
    }
    if (co.figure) {
        figure_opts fo;
        memset(&fo, 0, sizeof fo);
        fo.output = co.figure;
        if (!figure_format(&fo)) {
            status = EXIT_USAGE;
            goto done;
        }
    }
    if (!(s = run_opts_scenario(c, &o, &status)))
        goto done;
    /* a fit runs the model for every trial point and Jacobian column */
    if ((status = run_opts_engine(&o, s, 100.0)) != EXIT_OK)
        goto done;
    if (co.n_origins > 1) {
        status = rolling_origin(c, &o, &co, s);
        goto done;
    }
    if (!(cal = open_calib(c, s, &co, co.n_origins == 1 ? &co.origins[0] : NULL, &status)))
        goto done;
    migdev_error err;
    migdev_error_clear(&err);
    migdev_calib_summary sum;
    migdev_calib_get_summary(cal, &sum);
    printf("calibration of %s against %s\n", o.file, migdev_calib_data_path(cal));
    printf("objective: %s; %d points, %d constant%s\n", migdev_calib_objective_text(cal),
           sum.n_points, sum.n_params, sum.n_params == 1 ? "" : "s");
    if (migdev_calib_fit(cal, &err) != 0) {
        cli_print_error(&err);
        status = err.code == MIGDEV_E_NOMEM ? EXIT_INPUT : EXIT_RUN;
        goto done;
    }
    migdev_calib_get_summary(cal, &sum);
    printf("fit: %s, after %d iteration%s (%ld runs of the model", migdev_calib_stop_text(sum.stop),
           sum.iterations, sum.iterations == 1 ? "" : "s", sum.runs);
    if (sum.failed_runs)
        printf(", %ld failed: their trial points were rejected and the step reduced", sum.failed_runs);
    printf(")\n");
    if (sum.failed_runs)
        printf("last failure: %s\n", sum.last_failure);
    printf("cost S (sum of squared weighted residuals): %.6g at the start, %.6g at the fit\n",
           sum.cost_start, sum.cost);
    printf("residual variance sigma^2 = S/(n-p) = %.6g; std. errors from sigma^2 (J^T J)^-1\n",
           sum.sigma2);
    print_params(cal);
    print_series(cal);
    print_holdout(cal);
    if (co.table)
        print_table(cal);
    if (!sum.converged) {
        fprintf(stderr, "migdev calibrate: the fit did not converge (%s); no file written\n",
                migdev_calib_stop_text(sum.stop));
        status = EXIT_RUN;
        goto done;
    }
    fflush(stdout);
    status = write_outputs(cal, &o, &co);
done:
    migdev_calib_free(cal);
    migdev_scenario_free(s);
    run_opts_free(&o);
    free(co.edits);
    free(co.origins);
    return status;
}
