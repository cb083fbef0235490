/*
** check_units.c - `migdev check --units`: run the library's units check on
** a scenario's model and print what it finds.
*/
#include "check_units.h"

#include "args.h"

#include <stdio.h>
#include <stdlib.h>

/* The model's constants with the scenario's overrides, by variable index;
** NULL when out of memory. */
static double *constant_values(const migdev_scenario *s)
{
    const migdev_model *m = migdev_scenario_model(s);
    const int n = migdev_model_n_vars(m);
    double *v = malloc((size_t)(n > 0 ? n : 1) * sizeof *v);
    if (!v)
        return NULL;
    migdev_var_info info;
    for (int i = 0; i < n; i++)
        v[i] = migdev_model_var(m, i, &info) == 0 ? info.value : 0.0;
    for (int k = 0; k < migdev_scenario_n_overrides(s); k++) {
        int var;
        double x;
        if (migdev_scenario_override(s, k, &var, &x) == 0 && var >= 0 && var < n)
            v[var] = x;
    }
    return v;
}

static void print_diag(const migdev_units_diag *d)
{
    const migdev_error *e = &d->where;
    const char *sev = d->severity == MIGDEV_UNITS_ERROR ? "error" : "warning";
    if (e->file[0] && e->line > 0 && e->column > 0)
        fprintf(stderr, "%s:%d:%d: %s: %s\n", e->file, e->line, e->column, sev, e->message);
    else if (e->file[0] && e->line > 0)
        fprintf(stderr, "%s:%d: %s: %s\n", e->file, e->line, sev, e->message);
    else
        fprintf(stderr, "%s: %s: %s\n", e->file[0] ? e->file : "migdev", sev, e->message);
}

int cli_check_units(const migdev_scenario *s, int strict_numbers, int warnings_fail)
{
    migdev_error err;
    migdev_error_clear(&err);
    double *values = constant_values(s);
    if (!values) {
        fprintf(stderr, "migdev: out of memory\n");
        return EXIT_INPUT;
    }
    const migdev_units_options opt = {strict_numbers, values};
    migdev_units_report *r = migdev_units_check(migdev_scenario_model(s), &opt, &err);
    free(values);
    if (!r) {
        cli_print_error(&err);
        return cli_exit_code(err.code);
    }
    const int n = migdev_units_report_count(r);
    for (int i = 0; i < n; i++)
        print_diag(migdev_units_report_get(r, i));
    const int failed = migdev_units_report_errors(r) > 0 || (warnings_fail && n > 0);
    migdev_units_report_free(r);
    return failed ? EXIT_INPUT : EXIT_OK;
}
