/*
** cmd_report.c - `migdev report SCENARIO... [--baseline S]`: run each
** scenario and print the indicators it declares (its `indicators`
** section, or its base's) as an aligned table, or as CSV with --csv.
*/
#include "commands.h"
#include "outfile.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: migdev report SCENARIO... [--baseline S] [--csv] [-o FILE]\n"
    "\n"
    "Run each scenario and print the indicators it declares in its `indicators`\n"
    "section (or its base's): the first time a variable crosses a value, the\n"
    "value of a variable at a time, and its % change against the baseline.\n"
    "\n"
    "options:\n"
    "  --baseline S       the scenario `change` indicators compare against\n"
    "  --csv              CSV (scenario,indicator,kind,variable,time,value)\n"
    "                     instead of a table; an empty value: never crossed, or\n"
    "                     a change without --baseline\n"
    "  -o, --output FILE  write to FILE instead of standard output\n"
    "\n"
    "exit status: 0 ok, 1 bad scenario, 2 bad usage, 3 a run failed\n";

typedef struct report_cmd {
    const char **files;
    int n_files;
    const char *baseline;
    const char *output;
    int csv;
} report_cmd;

static int parse(cli *c, report_cmd *p)
{
    for (; c->i < c->argc; c->i++) {
        const char *a = c->argv[c->i];
        char opt[64];
        const char *inl = cli_split_option(a, opt, sizeof opt);
        int rc = EXIT_OK;
        if (!strcmp(opt, "-h") || !strcmp(opt, "--help")) {
            fputs(help, stdout);
            return -1;
        } else if (!strcmp(opt, "--baseline")) {
            rc = cli_option_value(c, "report", opt, inl, &p->baseline);
        } else if (!strcmp(opt, "-o") || !strcmp(opt, "--output")) {
            rc = cli_option_value(c, "report", opt, inl, &p->output);
        } else if (!strcmp(opt, "--csv")) {
            if (inl)
                return cli_usage_error(c, c->i, "report", "--csv takes no value");
            p->csv = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            return cli_usage_error(c, c->i, "report", "unknown option '%s'", a);
        } else {
            p->files[p->n_files++] = a;
        }
        if (rc != EXIT_OK)
            return rc;
    }
    if (p->n_files == 0)
        return cli_usage_error(c, c->argc, "report", "missing the scenario file(s)");
    return EXIT_OK;
}

/* A loaded and executed scenario. */
typedef struct ran {
    migdev_scenario *s;
    migdev_run *r;
} ran;

static void ran_free(ran *x)
{
    migdev_run_free(x->r);
    migdev_scenario_free(x->s);
    x->r = NULL;
    x->s = NULL;
}

/* Load and run file, recording every variable. Returns an exit status. */
static int run_file(const char *file, ran *x)
{
    int status;
    x->r = NULL;
    if (!(x->s = cli_load_scenario(file, &status)))
        return status;
    migdev_error err;
    migdev_error_clear(&err);
    x->r = migdev_scenario_new_run(x->s, &err); /* its spec and overrides */
    /* every variable: indicators may name any, not only the outputs */
    const int n = migdev_model_n_vars(migdev_scenario_model(x->s));
    int *all = malloc(((size_t)n + 1) * sizeof *all);
    for (int i = 0; all && i < n; i++)
        all[i] = i;
    const int ok = x->r && all && migdev_run_record(x->r, all, n, &err) == 0 &&
                   migdev_run_execute(x->r, &err) == 0;
    free(all);
    if (ok)
        return EXIT_OK;
    if (x->r && !all) {
        fprintf(stderr, "migdev: out of memory\n");
        return EXIT_INPUT;
    }
    cli_print_error(&err);
    return cli_exit_code(err.code);
}

static const char *const kind_text[] = {"crossing", "at", "change"};

/* What an indicator measures, for the table: "net_migration crosses 0 (up)". */
static void describe(const migdev_indicator_info *in, char *buf, size_t n)
{
    char num[32];
    if (in->kind == MIGDEV_IND_CROSSING)
    {
        migdev_format_number(in->value, num);
        if (!in->last)
            snprintf(buf, n, "first time %s crosses %s%s", in->variable, num,
                     in->direction > 0 ? " upwards" : in->direction < 0 ? " downwards" : "");
        else
            snprintf(buf, n, "time from which %s stays %s %s", in->variable,
                     in->direction > 0 ? "at or above" : in->direction < 0 ? "at or below"
                                                                          : "on one side of",
                     num);
    }
    else if (in->kind == MIGDEV_IND_AT)
        snprintf(buf, n, "%s at %s", in->variable, migdev_format_number(in->time, num));
    else
        snprintf(buf, n, "%s at %s, %% change against the baseline", in->variable,
                 migdev_format_number(in->time, num));
}

static void print_value(FILE *f, const migdev_indicator_info *in, double v, int csv)
{
    char num[32];
    if (csv) {
        if (!isnan(v))
            fputs(migdev_format_number(v, num), f);
    } else if (isnan(v)) {
        fputs("never", f);
    } else if (in->kind == MIGDEV_IND_CHANGE) {
        fprintf(f, "%+.1f %%", v);
    } else if (in->kind == MIGDEV_IND_CROSSING) {
        fprintf(f, "%.10g", v);
    } else {
        fprintf(f, "%.6g", v);
    }
}

/* Report one scenario's indicators into f. Returns an exit status. */
static int report_one(FILE *f, const char *file, const ran *x, const ran *base, int csv)
{
    migdev_error err;
    migdev_error_clear(&err);
    migdev_indicators *ind = migdev_indicators_load(x->s, &err);
    if (!ind) {
        cli_print_error(&err);
        return cli_exit_code(err.code);
    }
    int status = EXIT_OK;
    const int n = migdev_indicators_count(ind);
    if (!csv)
        fprintf(f, "%s (%s)\n", migdev_scenario_name(x->s), file);
    if (n == 0 && !csv)
        fprintf(f, "  no indicators: declare them in an `indicators` section\n");
    for (int i = 0; i < n && status == EXIT_OK; i++) {
        migdev_indicator_info in;
        migdev_indicators_get(ind, i, &in);
        double v;
        migdev_error_clear(&err);
        int no_baseline = 0;
        if (migdev_indicator_eval(ind, i, x->r, base ? base->r : NULL, &v, &err) != 0) {
            no_baseline = err.code == MIGDEV_E_USAGE; /* a change, and no --baseline */
            if (!no_baseline) {
                cli_print_error(&err);
                status = cli_exit_code(err.code);
                break;
            }
        }
        char num[32], what[512];
        if (csv) {
            fprintf(f, "%s,%s,%s,%s,", migdev_scenario_name(x->s), in.name, kind_text[in.kind],
                    in.variable);
            if (in.kind != MIGDEV_IND_CROSSING)
                fputs(migdev_format_number(in.time, num), f);
            fputc(',', f);
        } else {
            describe(&in, what, sizeof what);
            fprintf(f, "  %-34s %-62s ", *in.label ? in.label : in.name, what);
        }
        if (no_baseline && !csv)
            fputs("needs --baseline", f);
        else if (!no_baseline)
            print_value(f, &in, v, csv);
        fputc('\n', f);
    }
    migdev_indicators_free(ind);
    return status;
}

int cmd_report(cli *c)
{
    report_cmd p;
    memset(&p, 0, sizeof p);
    p.files = calloc((size_t)c->argc + 1, sizeof *p.files);
    if (!p.files) {
        fprintf(stderr, "migdev: out of memory\n");
        return EXIT_INPUT;
    }
    int status = parse(c, &p);
    if (status != EXIT_OK) {
        free(p.files);
        return status < 0 ? EXIT_OK : status;
    }
    ran base = {NULL, NULL};
    if (p.baseline && (status = run_file(p.baseline, &base)) != EXIT_OK) {
        ran_free(&base);
        free(p.files);
        return status;
    }
    outfile out;
    if (outfile_open(&out, p.output) != 0) {
        ran_free(&base);
        free(p.files);
        return EXIT_INPUT;
    }
    if (p.csv)
        fputs("scenario,indicator,kind,variable,time,value\n", out.f);
    for (int i = 0; i < p.n_files && status == EXIT_OK; i++) {
        ran x;
        status = run_file(p.files[i], &x);
        if (status == EXIT_OK) {
            if (!p.csv && i > 0)
                fputc('\n', out.f);
            status = report_one(out.f, p.files[i], &x, p.baseline ? &base : NULL, p.csv);
        }
        ran_free(&x);
    }
    if (outfile_close(&out, status == EXIT_OK) != 0 && status == EXIT_OK)
        status = EXIT_INPUT;
    ran_free(&base);
    free(p.files);
    return status;
}
