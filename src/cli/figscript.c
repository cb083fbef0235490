/*
** figscript.c - the commands migdev sends gnuplot for one figure: the
** settings and data the template scripts/plot.gp expects, then the
** template. Only numbers and gp_quote()d strings are written before it.
*/
#include "figure.h"
#include "gpquote.h"

#include <math.h>
#include <string.h>

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

/* The SI-style factor for numbers up to m in size: 1, 1e3 (k), 1e6 (M),
** 1e9 (bn), 1e12 (tn); the suffix goes into the tick format. Below 10,000
** numbers are written as they are. */
static double si_scale(double m, const char **suffix)
{
    static const struct { double f; const char *s; } steps[] = {
        {1e12, " tn"}, {1e9, " bn"}, {1e6, " M"}, {1e4, " k"}};
    for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++)
        if (m >= steps[k].f) {
            *suffix = steps[k].s;
            return steps[k].f == 1e4 ? 1e3 : steps[k].f;
        }
    *suffix = "";
    return 1.0;
}

/* Largest |value| of variable i over every group (NaN skipped); i < 0: of
** every variable. */
static double max_abs(const plot_data *pd, int i)
{
    double m = 0.0;
    for (int g = 0; g < pd->n_groups; g++)
        for (size_t k = 0; k < pd->groups[g].n_rows; k++)
            for (int v = 0; v < pd->n_vars; v++) {
                const double x = fabs(pd->groups[g].values[k * (size_t)pd->n_vars + (size_t)v]);
                if ((i < 0 || v == i) && x > m)
                    m = x;
            }
    return m;
}

/* Whether group gr holds observations (drawn as points): a group called
** "data", or the one the caller names. */
static int is_points(const figure_opts *o, const plot_group *gr)
{
    return gr->is_data || (o->points_group && strcmp(gr->name, o->points_group) == 0);
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
    fprintf(f, "array var_title[%d]\narray var_scale[%d]\narray var_suffix[%d]\n", pd->n_vars,
            pd->n_vars, pd->n_vars);
    const char *suffix;
    char num[32];
    for (int i = 0; i < pd->n_vars; i++) {
        set_element(f, "var_name", i, pd->names[i]);
        set_element(f, "var_units", i, pd->units[i]);
        set_element(f, "var_title", i, pd->titles ? pd->titles[i] : pd->names[i]);
        const double sc = si_scale(max_abs(pd, i), &suffix);
        fprintf(f, "var_scale[%d] = %s\n", i + 1, migdev_format_number(sc, num));
        set_element(f, "var_suffix", i, suffix);
    }
    const double all = si_scale(max_abs(pd, -1), &suffix);
    fprintf(f, "all_scale = %s\n", migdev_format_number(all, num));
    set_string(f, "all_suffix", suffix);
    fprintf(f, "units_known = %d\n", pd->units_known ? 1 : 0);
    set_string(f, "time_units", pd->time_units ? pd->time_units : "");
    fprintf(f, "n_groups = %d\n", pd->n_groups);
    fprintf(f, "array group_name[%d]\n", pd->n_groups);
    /* runs are drawn as lines, observations as points: the groups of each */
    int n_pts = 0;
    for (int g = 0; g < pd->n_groups; g++) {
        set_element(f, "group_name", g, pd->groups[g].name);
        n_pts += is_points(o, &pd->groups[g]);
    }
    const int n_lines = pd->n_groups - n_pts;
    fprintf(f, "n_line_groups = %d\narray line_group[%d]\n", n_lines, n_lines > 0 ? n_lines : 1);
    fprintf(f, "n_point_groups = %d\narray point_group[%d]\n", n_pts, n_pts > 0 ? n_pts : 1);

    for (int g = 0, li = 0, pi = 0; g < pd->n_groups; g++) {
        const int pts = is_points(o, &pd->groups[g]);
        fprintf(f, "%s[%d] = %d\n", pts ? "point_group" : "line_group", pts ? ++pi : ++li, g + 1);
    }
    put_data(f, pd);
    fputs("# ---- template ----\n", f);
    fputs(template_text, f);
    fputs("\n", f);
}
