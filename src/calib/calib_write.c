/*
** calib_write.c - the fitted scenario: the scenario's own settings (model,
** overrides, time span, solver, output variables) with the fitted constants
** added to its `set`, and the calibrate section, so that `migdev run` on it
** reproduces the fit and `migdev calibrate` on it starts from the optimum.
** Paths are rewritten relative to the new file's folder; numbers are
** written in the shortest form that reads back to the same double.
*/
#define _XOPEN_SOURCE 700 /* realpath */
#include "calib_int.h"

#include "cfgwrite.h"
#include "data/data_write.h"
#include "error_int.h"
#include "migdev/output.h"
#include "model_int.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void write_section(const migdev_calib *c, FILE *f, const char *data_rel)
{
    char b1[CFGW_FLOAT_CHARS], b2[CFGW_FLOAT_CHARS];
    static const char *const objective[] = {"relative", "absolute"};
    static const char *const weighting[] = {"series", "points"};
    fputs("calibrate = {\n  data = ", f);
    cfgw_string(f, data_rel, "");
    fputs(";\n", f);
    if (c->time_column) {
        fputs("  time_column = ", f);
        cfgw_string(f, c->time_column, "");
        fputs(";\n", f);
    }
    if (c->has_from)
        fprintf(f, "  from = %s;\n", cfgw_float(c->from, b1));
    if (c->has_to)
        fprintf(f, "  to = %s;\n", cfgw_float(c->to, b1));
    if (c->has_holdout)
        fprintf(f, "  holdout = %s;\n", cfgw_float(c->holdout, b1));
    fprintf(f, "  objective = \"%s\";\n  weighting = \"%s\";\n", objective[c->objective],
            weighting[c->weighting]);
    fputs("  series = (\n", f);
    for (int i = 0; i < c->n_series; i++) {
        const calib_series *s = &c->series[i];
        fputs("    { variable = ", f);
        cfgw_string(f, s->variable, "");
        fputs("; column = ", f);
        cfgw_string(f, s->column, "");
        fprintf(f, "; scale = %s; weight = %s;", cfgw_float(s->scale, b1), cfgw_float(s->weight, b2));
        if (s->has_from)
            fprintf(f, " from = %s;", cfgw_float(s->from, b1));
        if (s->has_to)
            fprintf(f, " to = %s;", cfgw_float(s->to, b1));
        fprintf(f, " }%s\n", i + 1 < c->n_series ? "," : "");
    }
    fputs("  );\n  parameters = (\n", f);
    for (int i = 0; i < c->n_params; i++) {
        const calib_param *p = &c->params[i];
        fputs("    { name = ", f);
        cfgw_string(f, p->name, "");
        fputs(";", f);
        if (p->has_min)
            fprintf(f, " min = %s;", cfgw_float(p->min, b1));
        if (p->has_max)
            fprintf(f, " max = %s;", cfgw_float(p->max, b1));
        fprintf(f, " }%s\n", i + 1 < c->n_params ? "," : "");
    }
    fprintf(f, "  );\n  algorithm = \"%s\";\n  max_iterations = %d;\n",
            calib_algorithm_names[c->algorithm], c->max_iter);
    fprintf(f, "  xtol = %s;\n", cfgw_float(c->xtol, b1));
    fprintf(f, "  gtol = %s;\n", cfgw_float(c->gtol, b1));
    fprintf(f, "  ftol = %s;\n};\n", cfgw_float(c->ftol, b1));
}

static int write_file(const migdev_calib *c, FILE *f, const char *path, const int *set_vars,
                      const double *set_values, const char *const *notes, int n_set,
                      migdev_error *err);

int migdev_calib_write_scenario(const migdev_calib *c, FILE *f, const char *path,
                                migdev_error *err)
{
    const migdev_scenario *sc = c->sc;
    const migdev_model *m = c->m;
    /* the constants set: the scenario's overrides, then the fitted ones
       (which replace an override of the same constant), with their notes */
    const int n_ov = migdev_scenario_n_overrides(sc), n_all = n_ov + c->n_params;
    int *set_vars = malloc((size_t)n_all * sizeof *set_vars + 1);
    double *set_values = malloc((size_t)n_all * sizeof *set_values + 1);
    char **notes = calloc((size_t)n_all + 1, sizeof *notes);
    int n_set = 0;
    if (!set_vars || !set_values || !notes) {
        free(set_vars), free(set_values), free(notes);
        return err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
    }
    for (int i = 0; i < n_ov; i++) {
        int var;
        double value;
        migdev_scenario_override(sc, i, &var, &value);
        int fitted = 0;
        for (int k = 0; k < c->n_params && !fitted; k++)
            fitted = c->params[k].var == var;
        if (!fitted) {
            set_vars[n_set] = var;
            set_values[n_set++] = value;
        }
    }
    for (int k = 0; k < c->n_params; k++) {
        const calib_param *p = &c->params[k];
        char b1[CFGW_FLOAT_CHARS], note[80];
        snprintf(note, sizeof note, "fitted, std. error %s",
                 isnan(p->std_error) ? "unknown" : cfgw_float(p->std_error, b1));
        set_vars[n_set] = p->var;
        notes[n_set] = strdup(note);
        set_values[n_set++] = p->value;
    }
    const char *bad = NULL;
    int rc = cfgw_set_check(m, set_vars, n_set, &bad);
    if (rc)
        rc = err_set(err, MIGDEV_E_UNSUPPORTED, path, 0, 0,
                     "the constant '%s' cannot be set in a scenario file (libconfig names "
                     "start with a letter and hold letters, digits, '_' and '-')",
                     bad);
    for (int i = 0; !rc && i < n_set; i++)
        if (i >= n_set - c->n_params && !notes[i])
            rc = err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
    if (!rc)
        rc = write_file(c, f, path, set_vars, set_values, (const char *const *)notes, n_set, err);
    for (int i = 0; i < n_set; i++)
        free(notes[i]);
    free(set_vars), free(set_values), free(notes);
    return rc;
}

/* The fitted scenario file, its constants given. */
static int write_file(const migdev_calib *c, FILE *f, const char *path, const int *set_vars,
                      const double *set_values, const char *const *notes, int n_set,
                      migdev_error *err)
{
    const migdev_scenario *sc = c->sc;
    const migdev_model *m = c->m;
    migdev_var_info info;
    char *model_rel = data_relative_path(migdev_model_file(m), path);
    char *data_rel = data_relative_path(c->data, path);
    if (!model_rel || !data_rel) {
        free(model_rel);
        free(data_rel);
        return err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
    }
    char b1[CFGW_FLOAT_CHARS], b2[CFGW_FLOAT_CHARS];
    migdev_calib_summary sum;
    migdev_calib_get_summary(c, &sum);
    fprintf(f, "# Written by `migdev calibrate %s`: that scenario with the fitted\n", c->file);
    fprintf(f, "# constants (%s, %d iterations, cost %s).\n", migdev_calib_stop_text(c->stop),
            c->iterations, cfgw_float(c->cost, b1));
    fputs("# `migdev run` on this file reproduces the fit.\n", f);
    const migdev_sim_spec sp = migdev_scenario_spec(sc);
    if (sp.seed != 0)
        fprintf(f, "# The fit was made with --seed %lu: run it with the same seed.\n", sp.seed);
    fputs("name = ", f);
    cfgw_string(f, migdev_scenario_name(sc), " (fitted)"); /* nothing to allocate */
    fputs(";\ndoc = ", f);
    cfgw_string(f, migdev_scenario_doc(sc), "");
    fputs(";\nmodel = ", f);
    cfgw_string(f, model_rel, "");
    fputs(";\nset = {\n", f);
    if (cfgw_set_entries(f, m, set_vars, set_values, notes, n_set) != 0) {
        free(model_rel);
        free(data_rel);
        return err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
    }
    fputs("};\n", f);
    fprintf(f, "time = { start = %s; stop = %s; ", cfgw_float(sp.start, b1), cfgw_float(sp.stop, b2));
    fprintf(f, "dt = %s; ", cfgw_float(sp.dt, b1));
    fprintf(f, "save_every = %s; };\n", cfgw_float(sp.save_every, b1));
    fprintf(f, "solver = { method = \"%s\"", migdev_method_name(sp.method));
    if (migdev_method_is_adaptive(sp.method)) {
        fprintf(f, "; abs_tol = %s", cfgw_float(sp.abs_tol, b1));
        fprintf(f, "; rel_tol = %s", cfgw_float(sp.rel_tol, b1));
        fprintf(f, "; max_step = %s", cfgw_float(sp.max_step, b1));
    }
    fputs("; };\n", f);
    int n_out;
    const int *outs = migdev_scenario_outputs(sc, &n_out);
    if (n_out > 0) {
        /* the scenario's output variables, then the series' not among them */
        fputs("output = { variables = [", f);
        int first = 1, count = 0;
        for (int i = 0; i < n_out + c->n_series; i++) {
            const int var = i < n_out ? outs[i] : c->series[i - n_out].var;
            int seen = 0;
            for (int k = 0; k < n_out && i >= n_out && !seen; k++)
                seen = outs[k] == var;
            for (int k = 0; k < i - n_out && !seen; k++)
                seen = c->series[k].var == var;
            if (seen)
                continue;
            migdev_model_var(m, var, &info);
            fputs(first ? "" : count % 3 == 0 ? ",\n    " : ", ", f);
            cfgw_string(f, info.name, "");
            first = 0;
            count++;
        }
        fputs("]; };\n", f);
    }
    if (data_write_bindings(m, f, path) != 0) {
        free(model_rel);
        free(data_rel);
        return err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
    }
    write_section(c, f, data_rel);
    free(model_rel);
    free(data_rel);
    if (ferror(f))
        return err_set(err, MIGDEV_E_IO, path, 0, 0, "write error");
    return 0;
}
