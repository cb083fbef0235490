/*
** figscript.c - the commands migdev sends gnuplot for one figure: the
** settings and data the template scripts/plot.gp expects, then the
** template. Only numbers and gp_quote()d strings are written before it.
*/
#include "figure.h"
#include "gpquote.h"

static void set_string(FILE *f, const char *name, const char *value)
{
    fprintf(f, "%s = ", name);
    gp_quote(f, value);
    fputc('\n', f);
}

static void set_element(FILE *f, const char *array, int i, const char *value)
{
    fprintf(f, "%s[%d] = ", array, i + 1);
    gp_quote(f, value);
    fputc('\n', f);
}

/* The data block: per group, rows `time v1 ... vn`; groups are separated
** by two blank lines so that `index g-1` selects group g. Only numbers. */
static void put_data(FILE *f, const plot_data *pd)
{
    char num[32];
    fputs("$data << EOD\n", f);
    for (int g = 0; g < pd->n_groups; g++) {
        const plot_group *gr = &pd->groups[g];
        if (g > 0)
            fputs("\n\n", f);
        for (size_t k = 0; k < gr->n_rows; k++) {
            fputs(migdev_format_number(gr->time[k], num), f);
            for (int i = 0; i < pd->n_vars; i++) {
                fputc(' ', f);
                fputs(migdev_format_number(gr->values[k * (size_t)pd->n_vars + (size_t)i], num), f);
            }
            fputc('\n', f);
        }
    }
    fputs("EOD\n", f);
}

void figure_script(FILE *f, const figure_opts *o, const char *fmt, const plot_data *pd,
                   const char *template_text)
{
    fputs("# migdev figure: settings and data for the template\n", f);
    fputs("reset\n", f);
    set_string(f, "fig_format", fmt);
    fprintf(f, "fig_width = %d\nfig_height = %d\n", o->width, o->height);
    set_string(f, "fig_layout", o->layout == MIGDEV_OVERLAY ? "overlay" : "panels");
    fprintf(f, "fig_logscale = %d\n", o->logscale ? 1 : 0);
    set_string(f, "fig_title", o->title ? o->title : "");
    fprintf(f, "fig_shade = %d\nfig_shade_from = %.17g\n", o->has_shade ? 1 : 0,
            o->has_shade ? o->shade_from : 0.0);
    set_string(f, "fig_shade_label", o->shade_label ? o->shade_label : "");
    set_string(f, "fig_points_group", o->points_group ? o->points_group : "");
    fprintf(f, "n_vars = %d\n", pd->n_vars);
    fprintf(f, "array var_name[%d]\narray var_units[%d]\n", pd->n_vars, pd->n_vars);
    for (int i = 0; i < pd->n_vars; i++) {
        set_element(f, "var_name", i, pd->names[i]);
        set_element(f, "var_units", i, pd->units[i]);
    }
    fprintf(f, "units_known = %d\n", pd->units_known ? 1 : 0);
    set_string(f, "time_units", pd->time_units ? pd->time_units : "");
    fprintf(f, "n_groups = %d\n", pd->n_groups);
    fprintf(f, "array group_name[%d]\n", pd->n_groups);
    for (int g = 0; g < pd->n_groups; g++)
        set_element(f, "group_name", g, pd->groups[g].name);
    put_data(f, pd);
    fputs("# ---- template ----\n", f);
    fputs(template_text, f);
    fputs("\n", f);
}
