/*
** cmd_info.c - `migdev check FILE` and `migdev list FILE`.
*/
#include "check_units.h"
#include "commands.h"

#include <stdio.h>
#include <string.h>

static const char check_help[] =
    "usage: migdev check FILE [--units] [--strict-numbers] [--strict] [--provenance]\n"
    "\n"
    "Load and compile a model or scenario, and check its time span and its\n"
    "sweep and calibrate sections (if any; a calibration reads its data and\n"
    "runs the model once at the start values). Prints\n"
    "nothing and exits 0 when all is well; otherwise prints file:line:col:\n"
    "error: ... and exits 1.\n"
    "\n"
    "  --units           also check the units of every equation (dimensional\n"
    "                    analysis): each inconsistency is printed as\n"
    "                    file:line:col: error: ... with the expected and the found\n"
    "                    units; exit 1 when there is an error (warnings alone: 0)\n"
    "  --strict-numbers  with --units: numbers in equations are dimensionless\n"
    "                    (except 0) instead of taking the units their context needs\n"
    "  --strict          every constant, stock, flow, auxiliary and lookup must\n"
    "                    also have units and a doc line, every constant a source;\n"
    "                    the units are checked, and warnings count as errors\n"
    "  --provenance      every constant and lookup must say where its numbers come\n"
    "                    from: provenance = \"data\", \"paper\", \"fitted\", \"tuned\"\n"
    "                    (with tuned_to = \"the target\") or \"assumed\". A model with\n"
    "                    require_provenance = true is always checked so\n";

static const char list_help[] =
    "usage: migdev list FILE [--provenance]\n"
    "\n"
    "Print each variable of a model (or of a scenario's model): name, kind,\n"
    "units and doc, one per line, tab-separated. The kind of a variable bound\n"
    "to a column of a CSV file (a data entry) is 'data'.\n"
    "\n"
    "  --provenance  instead, the provenance of every constant, lookup and data\n"
    "                variable (name, kind, provenance, tuned_to, source), then the\n"
    "                count of each provenance\n";

static const char *kind_word(migdev_kind k)
{
    switch (k) {
    case MIGDEV_CONSTANT: return "constant";
    case MIGDEV_STOCK: return "stock";
    case MIGDEV_FLOW: return "flow";
    case MIGDEV_AUXILIARY: return "auxiliary";
    }
    return "?";
}

typedef struct check_flags {
    int strict, units, strict_numbers, provenance;
    int is_list; /* `list`: only --provenance */
} check_flags;

/* Parse `FILE [flags]` (flags: check's, when not NULL); returns EXIT_OK, an
** error status, or -1 for help. */
static int file_arg(cli *c, const char *cmd, const char *help, const char **file,
                    check_flags *flags)
{
    *file = NULL;
    for (; c->i < c->argc; c->i++) {
        const char *a = c->argv[c->i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(help, stdout);
            return -1;
        }
        if (flags && !strcmp(a, "--provenance")) {
            flags->provenance = 1;
            continue;
        }
        if (flags && !flags->is_list && !strcmp(a, "--strict")) {
            flags->strict = 1;
            continue;
        }
        if (flags && !flags->is_list && !strcmp(a, "--units")) {
            flags->units = 1;
            continue;
        }
        if (flags && !flags->is_list && !strcmp(a, "--strict-numbers")) {
            flags->units = flags->strict_numbers = 1;
            continue;
        }
        if (a[0] == '-' && a[1])
            return cli_usage_error(c, c->i, cmd, "unknown option '%s'", a);
        if (*file)
            return cli_usage_error(c, c->i, cmd, "unexpected argument '%s' (one file at a time)", a);
        *file = a;
    }
    if (!*file)
        return cli_usage_error(c, c->argc, cmd, "missing the model or scenario file");
    return EXIT_OK;
}

static int strict_check(const migdev_model *m)
{
    int bad = 0;
    migdev_var_info info;
    for (int i = 0; i < migdev_model_n_vars(m); i++) {
        migdev_model_var(m, i, &info);
        const char *missing = !info.units[0] ? "units" : !info.doc[0] ? "doc" :
                              (info.kind == MIGDEV_CONSTANT && !info.source[0]) ? "source" : NULL;
        if (missing) {
            fprintf(stderr, "%s:%d: error: %s '%s' has no %s\n", migdev_model_file(m), info.line,
                    kind_word(info.kind), info.name, missing);
            bad = 1;
        }
    }
    for (int i = 0; i < migdev_model_n_lookups(m); i++) {
        migdev_model_lookup(m, i, &info);
        const char *missing = !info.units[0] ? "units" : !info.doc[0] ? "doc" : NULL;
        if (missing) {
            fprintf(stderr, "%s:%d: error: lookup '%s' has no %s\n", migdev_model_file(m),
                    info.line, info.name, missing);
            bad = 1;
        }
    }
    return bad ? EXIT_INPUT : EXIT_OK;
}

/* Every constant and lookup says its provenance (data variables are
** data); each one that does not is an error at its name. */
static int provenance_check(const migdev_model *m)
{
    int bad = 0;
    migdev_var_info info;
    static const char want[] =
        "write provenance = \"data\", \"paper\", \"fitted\", \"tuned\" or \"assumed\"";
    for (int i = 0; i < migdev_model_n_vars(m); i++) {
        migdev_model_var(m, i, &info);
        if (info.kind == MIGDEV_CONSTANT && !info.provenance[0]) {
            fprintf(stderr, "%s:%d:%d: error: constant '%s' has no provenance (%s)\n",
                    migdev_model_file(m), info.line, info.column, info.name, want);
            bad = 1;
        }
    }
    for (int i = 0; i < migdev_model_n_lookups(m); i++) {
        migdev_model_lookup(m, i, &info);
        if (!info.provenance[0]) {
            fprintf(stderr, "%s:%d:%d: error: lookup '%s' has no provenance (%s)\n",
                    migdev_model_file(m), info.line, info.column, info.name, want);
            bad = 1;
        }
    }
    return bad ? EXIT_INPUT : EXIT_OK;
}

int cmd_check(cli *c)
{
    const char *file;
    check_flags flags = {0, 0, 0, 0, 0};
    int status = file_arg(c, "check", check_help, &file, &flags);
    if (status != EXIT_OK)
        return status < 0 ? EXIT_OK : status;
    migdev_scenario *s = cli_load_scenario(file, &status);
    if (!s)
        return status;
    migdev_error err;
    migdev_error_clear(&err);
    /* the time span and solver must make a valid run too */
    migdev_run *r = migdev_scenario_new_run(s, &err);
    if (!r) {
        cli_print_error(&err);
        status = cli_exit_code(err.code);
    } else {
        if (flags.strict)
            status = strict_check(migdev_scenario_model(s));
        if (flags.provenance || migdev_model_requires_provenance(migdev_scenario_model(s))) {
            const int ps = provenance_check(migdev_scenario_model(s));
            if (status == EXIT_OK)
                status = ps;
        }
        if (flags.units || flags.strict) {
            const int us = cli_check_units(s, flags.strict_numbers, flags.strict);
            if (status == EXIT_OK)
                status = us;
        }
    }
    /* outputs named in the file stay in its folder (docs/paths.md) */
    if (status == EXIT_OK)
        status = cli_check_path(c, migdev_scenario_output_path_error(s));
    if (status == EXIT_OK)
        status = cli_check_path(c, migdev_scenario_plot_path_error(s));
    /* and a sweep section must plan */
    if (status == EXIT_OK) {
        migdev_sweep *sw = migdev_sweep_load(s, &err);
        if (!sw || ((migdev_sweep_n_params(sw) > 0 || migdev_sweep_n_metrics(sw) > 0) &&
                    migdev_sweep_prepare(sw, &err) != 0)) {
            cli_print_error(&err);
            status = cli_exit_code(err.code);
        } else {
            status = cli_check_path(c, migdev_sweep_path_error(sw));
        }
        migdev_sweep_free(sw);
    }
    /* and a calibration must find its data and start */
    if (status == EXIT_OK) {
        migdev_calib *cal = migdev_calib_load(s, &err);
        if (!cal || ((migdev_calib_n_series(cal) > 0 || migdev_calib_n_params(cal) > 0 ||
                      *migdev_calib_data_path(cal)) &&
                     migdev_calib_prepare(cal, &err) != 0)) {
            cli_print_error(&err);
            status = cli_exit_code(err.code);
        }
        migdev_calib_free(cal);
    }
    migdev_run_free(r);
    migdev_scenario_free(s);
    return status;
}

/* The provenance table and the counts (`list --provenance`). */
static void list_provenance(const migdev_model *m)
{
    static const char *const words[] = {"data", "paper", "fitted", "tuned", "assumed", ""};
    enum { N_WORDS = sizeof words / sizeof words[0] };
    int count[N_WORDS] = {0};
    migdev_var_info info;
    printf("name\tkind\tprovenance\ttuned_to\tsource\n");
    const int nv = migdev_model_n_vars(m), nl = migdev_model_n_lookups(m);
    for (int i = 0; i < nv + nl; i++) {
        if (i < nv)
            migdev_model_var(m, i, &info);
        else
            migdev_model_lookup(m, i - nv, &info);
        const char *kind = i >= nv ? "lookup" : info.data_file ? "data" : "constant";
        if (i < nv && !info.data_file && info.kind != MIGDEV_CONSTANT)
            continue;
        int w = 0;
        while (w < N_WORDS - 1 && strcmp(words[w], info.provenance) != 0)
            w++;
        count[w]++;
        printf("%s\t%s\t%s\t%s\t%s\n", info.name, kind,
               info.provenance[0] ? info.provenance : "-", info.tuned_to, info.source);
    }
    int total = 0;
    printf("\nprovenance\tcount\n");
    for (int w = 0; w < N_WORDS; w++) {
        printf("%s\t%d\n", words[w][0] ? words[w] : "not said", count[w]);
        total += count[w];
    }
    printf("total\t%d\n", total);
}

int cmd_list(cli *c)
{
    const char *file;
    check_flags flags = {0, 0, 0, 0, 1};
    int status = file_arg(c, "list", list_help, &file, &flags);
    if (status != EXIT_OK)
        return status < 0 ? EXIT_OK : status;
    migdev_scenario *s = cli_load_scenario(file, &status);
    if (!s)
        return status;
    const migdev_model *m = migdev_scenario_model(s);
    if (flags.provenance) {
        list_provenance(m);
        migdev_scenario_free(s);
        return EXIT_OK;
    }
    migdev_var_info info;
    printf("name\tkind\tunits\tdoc\n");
    for (int i = 0; i < migdev_model_n_vars(m); i++) {
        migdev_model_var(m, i, &info);
        printf("%s\t%s\t%s\t%s\n", info.name, info.data_file ? "data" : kind_word(info.kind),
               info.units, info.doc);
    }
    for (int i = 0; i < migdev_model_n_lookups(m); i++) {
        migdev_model_lookup(m, i, &info);
        printf("%s\tlookup\t%s\t%s\n", info.name, info.units, info.doc);
    }
    migdev_scenario_free(s);
    return EXIT_OK;
}
