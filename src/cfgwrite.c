/*
** cfgwrite.c - writing libconfig text that migdev reads back (cfgwrite.h).
*/
#include "cfgwrite.h"

#include "migdev/model.h"
#include "migdev/output.h"
#include "model_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

void cfgw_string(FILE *f, const char *s, const char *suffix)
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
    fputs(suffix, f);
    fputc('"', f);
}

const char *cfgw_float(double x, char buf[CFGW_FLOAT_CHARS])
{
    migdev_format_number(x, buf);
    if (!strpbrk(buf, ".eEn"))
        strcat(buf, ".0");
    return buf;
}

int cfgw_name_ok(const char *name)
{
    if (!isalpha((unsigned char)name[0]) && name[0] != '*')
        return 0;
    for (const char *p = name; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' && *p != '*')
            return 0;
    return 1;
}

/* The index of var in vars[0..n), or -1. */
static int given(const int *vars, int n, int var)
{
    for (int i = 0; i < n; i++)
        if (vars[i] == var)
            return i;
    return -1;
}

/* The array whose element var is (its name up to '[', in base), or 0. */
static int array_base(const migdev_model *m, int var, char *base, size_t size)
{
    migdev_var_info vi;
    if (migdev_model_var(m, var, &vi) != 0)
        return 0;
    const char *lb = strchr(vi.name, '[');
    if (!lb || (size_t)(lb - vi.name) >= size)
        return 0;
    memcpy(base, vi.name, (size_t)(lb - vi.name));
    base[lb - vi.name] = '\0';
    return model_array_constants(m, base, NULL, 0) > 0 && cfgw_name_ok(base);
}

int cfgw_set_check(const migdev_model *m, const int *vars, int n, const char **bad)
{
    char base[256];
    migdev_var_info vi;
    for (int i = 0; i < n; i++) {
        migdev_model_var(m, vars[i], &vi);
        if (!cfgw_name_ok(vi.name) && !array_base(m, vars[i], base, sizeof base)) {
            *bad = vi.name;
            return -1;
        }
    }
    return 0;
}

int cfgw_set_entries(FILE *f, const migdev_model *m, const int *vars, const double *values,
                     const char *const *notes, int n)
{
    char base[256], b1[CFGW_FLOAT_CHARS];
    migdev_var_info vi;
    const int nv = migdev_model_n_vars(m);
    for (int var = 0; var < nv; var++) {
        const int k = given(vars, n, var);
        if (k < 0)
            continue;
        migdev_model_var(m, var, &vi);
        if (cfgw_name_ok(vi.name)) {
            fprintf(f, "  %s = %s;", vi.name, cfgw_float(values[k], b1));
            fprintf(f, notes && notes[k] ? "   # %s\n" : "\n", notes ? notes[k] : "");
            continue;
        }
        array_base(m, var, base, sizeof base);
        const int ne = model_array_constants(m, base, NULL, 0);
        int *el = malloc((size_t)ne * sizeof *el);
        if (!el)
            return -1;
        model_array_constants(m, base, el, ne);
        if (el[0] < var) { /* written with its first given element */
            int first_given = 1;
            for (int e = 0; e < ne && el[e] < var; e++)
                if (given(vars, n, el[e]) >= 0)
                    first_given = 0;
            if (!first_given) {
                free(el);
                continue;
            }
        }
        fprintf(f, "  %s = [", base);
        for (int e = 0; e < ne; e++) {
            const int g = given(vars, n, el[e]);
            migdev_var_info ei;
            migdev_model_var(m, el[e], &ei);
            fprintf(f, "%s%s", e ? ", " : "", cfgw_float(g >= 0 ? values[g] : ei.value, b1));
        }
        fputs("];", f);
        const char *sep = "   # ";
        for (int e = 0; e < ne; e++) {
            const int g = given(vars, n, el[e]);
            if (g >= 0 && notes && notes[g]) {
                migdev_var_info ei;
                migdev_model_var(m, el[e], &ei);
                fprintf(f, "%s%s: %s", sep, ei.name, notes[g]);
                sep = "; ";
            }
        }
        fputc('\n', f);
        free(el);
    }
    return 0;
}
