/*
** scenario_write.c - write a scenario back as a scenario file: its name,
** doc, model, overrides (with extra values on top), time span, solver,
** output variables and knobs, so that `migdev run` on the file runs the
** same thing. Used by `migdev serve` to hand out "save this scenario".
** Numbers are written in the shortest form that reads back to the same
** double.
*/
#include "migdev/scenario.h"

#include "data/data_write.h"
#include "error_int.h"

#include <ctype.h>
#include <string.h>

/* A number libconfig reads back exactly, as a float. */
static const char *num(double x, char *buf)
{
    migdev_format_number(x, buf);
    if (!strpbrk(buf, ".eEn"))
        strcat(buf, ".0");
    return buf;
}

/* A libconfig string literal. */
static void put_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        const unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(f, "\\%c", ch);
        else if (ch == '\n')
            fputs("\\n", f);
        else if (ch == '\t')
            fputs("\\t", f);
        else if (ch < 0x20)
            fprintf(f, "\\x%02x", ch);
        else
            fputc(ch, f);
    }
    fputc('"', f);
}

/* Whether libconfig can read name as a setting name. */
static int name_ok(const char *name)
{
    if (!isalpha((unsigned char)name[0]) && name[0] != '*')
        return 0;
    for (const char *p = name; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' && *p != '*')
            return 0;
    return 1;
}

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
    for (int i = 0; i < nv; i++) {
        migdev_var_info vi;
        migdev_model_var(m, i, &vi);
        int found;
        value_of(s, i, vars, values, n, &found);
        if (found && !name_ok(vi.name))
            return err_set(err, MIGDEV_E_UNSUPPORTED, NULL, 0, 0,
                           "the constant '%s' cannot be written in a scenario file (libconfig "
                           "names are letters, digits, '_' and '-')", vi.name);
    }
    char b1[40], b2[40], b3[40], b4[40];
    fputs("name = ", f);
    put_string(f, migdev_scenario_name(s));
    fputs(";\ndoc = ", f);
    put_string(f, migdev_scenario_doc(s));
    fputs(";\nmodel = ", f);
    put_string(f, model_path);
    fputs(";\nset = {\n", f);
    /* in model order, so the file does not depend on the order of edits */
    for (int i = 0; i < nv; i++) {
        int found;
        const double x = value_of(s, i, vars, values, n, &found);
        if (!found)
            continue;
        migdev_var_info vi;
        migdev_model_var(m, i, &vi);
        fprintf(f, "  %s = %s;\n", vi.name, num(x, b1));
    }
    fputs("};\n", f);
    /* the scenario's data entries, with absolute paths (where f goes is not
       known here) */
    if (data_write_bindings(m, f, NULL) != 0)
        return err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
    const migdev_sim_spec sp = migdev_scenario_spec(s);
    fprintf(f, "time = { start = %s; stop = %s; dt = %s; save_every = %s; };\n",
            num(sp.start, b1), num(sp.stop, b2), num(sp.dt, b3), num(sp.save_every, b4));
    fprintf(f, "solver = { method = \"%s\"", migdev_method_name(sp.method));
    if (migdev_method_is_adaptive(sp.method))
        fprintf(f, "; abs_tol = %s; rel_tol = %s; max_step = %s", num(sp.abs_tol, b1),
                num(sp.rel_tol, b2), num(sp.max_step, b3));
    fputs("; };\n", f);
    int n_out;
    const int *outs = migdev_scenario_outputs(s, &n_out);
    if (n_out > 0) {
        fputs("output = { variables = [", f);
        for (int i = 0; i < n_out; i++) {
            migdev_var_info vi;
            migdev_model_var(m, outs[i], &vi);
            fputs(i ? ", " : "", f);
            put_string(f, vi.name);
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
            put_string(f, vi.name);
            fprintf(f, "; min = %s; max = %s; step = %s;", num(k.min, b1), num(k.max, b2),
                    num(k.step, b3));
            if (*k.label) {
                fputs(" label = ", f);
                put_string(f, k.label);
                fputc(';', f);
            }
            if (*k.doc) {
                fputs(" doc = ", f);
                put_string(f, k.doc);
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
