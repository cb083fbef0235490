/*
** scenario_write.c - write a scenario back as a scenario file: its name,
** doc, model, overrides (with extra values on top), time span, solver,
** output variables and knobs, so that `migdev run` on the file runs the
** same thing. Used by `migdev serve` to hand out "save this scenario".
** Numbers are written in the shortest form that reads back to the same
** double.
*/
#include "migdev/scenario.h"

#include "cfgwrite.h"
#include "data/data_write.h"
#include "error_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* The value of constant var: extra values first, then the scenario's
** overrides; *found = 0 when neither sets it. */
static double value_of(const migdev_scenario *s, int var, const int *vars, const double *values,
                       int n, int *found)
{
    *found = 1;
    for (int i = 0; i < n; i++)
        if (vars[i] == var)
            return values[i];
    for (int i = 0; i < migdev_scenario_n_overrides(s); i++) {
        int v;
        double x;
        migdev_scenario_override(s, i, &v, &x);
        if (v == var)
            return x;
    }
    *found = 0;
    return 0.0;
}

int migdev_scenario_write(const migdev_scenario *s, const int *vars, const double *values, int n,
                          const char *model_path, FILE *f, migdev_error *err)
{
    const migdev_model *m = migdev_scenario_model(s);
    const int nv = migdev_model_n_vars(m);
    /* the constants set, in model order */
    int *set_vars = malloc((size_t)nv * sizeof *set_vars + 1);
    double *set_values = malloc((size_t)nv * sizeof *set_values + 1);
    int n_set = 0;
    if (!set_vars || !set_values) {
        free(set_vars);
        free(set_values);
        return err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
    }
    for (int i = 0; i < nv; i++) {
        int found;
        const double x = value_of(s, i, vars, values, n, &found);
        if (found) {
            set_vars[n_set] = i;
            set_values[n_set++] = x;
        }
    }
    /* checked before anything is written */
    const char *bad = NULL;
    if (cfgw_set_check(m, set_vars, n_set, &bad) != 0) {
        free(set_vars);
        free(set_values);
        return err_set(err, MIGDEV_E_UNSUPPORTED, NULL, 0, 0,
                       "the constant '%s' cannot be written in a scenario file (libconfig "
                       "names are letters, digits, '_' and '-')", bad);
    }
    char b1[CFGW_FLOAT_CHARS], b2[CFGW_FLOAT_CHARS], b3[CFGW_FLOAT_CHARS], b4[CFGW_FLOAT_CHARS];
    fputs("name = ", f);
    cfgw_string(f, migdev_scenario_name(s), "");
    fputs(";\ndoc = ", f);
    cfgw_string(f, migdev_scenario_doc(s), "");
    fputs(";\nmodel = ", f);
    cfgw_string(f, model_path, "");
    fputs(";\nset = {\n", f);
    /* in model order, so the file does not depend on the order of edits */
    const int wrc = cfgw_set_entries(f, m, set_vars, set_values, NULL, n_set);
    free(set_vars);
    free(set_values);
    if (wrc != 0)
        return err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
    fputs("};\n", f);
    /* the scenario's data entries, with absolute paths (where f goes is not
       known here) */
    if (data_write_bindings(m, f, NULL) != 0)
        return err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
    const migdev_sim_spec sp = migdev_scenario_spec(s);
    fprintf(f, "time = { start = %s; stop = %s; dt = %s; save_every = %s; };\n",
            cfgw_float(sp.start, b1), cfgw_float(sp.stop, b2), cfgw_float(sp.dt, b3), cfgw_float(sp.save_every, b4));
    fprintf(f, "solver = { method = \"%s\"", migdev_method_name(sp.method));
    if (migdev_method_is_adaptive(sp.method))
        fprintf(f, "; abs_tol = %s; rel_tol = %s; max_step = %s", cfgw_float(sp.abs_tol, b1),
                cfgw_float(sp.rel_tol, b2), cfgw_float(sp.max_step, b3));
    fputs("; };\n", f);
    int n_out;
    const int *outs = migdev_scenario_outputs(s, &n_out);
    if (n_out > 0) {
        fputs("output = { variables = [", f);
        for (int i = 0; i < n_out; i++) {
            migdev_var_info vi;
            migdev_model_var(m, outs[i], &vi);
            fputs(i ? ", " : "", f);
            cfgw_string(f, vi.name, "");
        }
        fputs("]; };\n", f);
    }
    const int nk = migdev_scenario_n_knobs(s);
    if (nk > 0) {
        fputs("knobs = (\n", f);
        for (int i = 0; i < nk; i++) {
            migdev_knob k;
            migdev_scenario_knob(s, i, &k);
            migdev_var_info vi;
            migdev_model_var(m, k.var, &vi);
            fputs("  { constant = ", f);
            cfgw_string(f, vi.name, "");
            fprintf(f, "; min = %s; max = %s; step = %s;", cfgw_float(k.min, b1), cfgw_float(k.max, b2),
                    cfgw_float(k.step, b3));
            if (*k.label) {
                fputs(" label = ", f);
                cfgw_string(f, k.label, "");
                fputc(';', f);
            }
            if (*k.doc) {
                fputs(" doc = ", f);
                cfgw_string(f, k.doc, "");
                fputc(';', f);
            }
            fputs(i + 1 < nk ? " },\n" : " }\n", f);
        }
        fputs(");\n", f);
    }
    if (ferror(f))
        return err_set(err, MIGDEV_E_IO, NULL, 0, 0, "write error");
    return 0;
}
