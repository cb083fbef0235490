/*
** plotrun.c - figures of scenario runs (see plotrun.h).
*/
#include "plotrun.h"
#include "figure.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Append name to the growing list *buf (comma-separated). */
static int append(char **buf, size_t *len, const char *name)
{
    const size_t n = strlen(name);
    char *b = realloc(*buf, *len + n + 2);
    if (!b)
        return -1;
    if (*len)
        b[(*len)++] = ',';
    memcpy(b + *len, name, n + 1);
    *len += n;
    *buf = b;
    return 0;
}

char *plot_default_vars(const migdev_scenario *s)
{
    const migdev_model *m = migdev_scenario_model(s);
    char *buf = strdup("");
    size_t len = 0;
    int n_out;
    const int *outs = migdev_scenario_outputs(s, &n_out);
    migdev_plot_spec first;
    if (migdev_scenario_plot(s, 0, &first) == 0) {
        outs = first.vars;
        n_out = first.n_vars;
    }
    migdev_var_info info;
    for (int i = 0; buf && i < n_out; i++)
        if (migdev_model_var(m, outs[i], &info) == 0 && append(&buf, &len, info.name) != 0)
            buf = NULL;
    for (int pass = 0; pass < 2 && buf && len == 0; pass++)
        for (int i = 0; buf && i < migdev_model_n_vars(m); i++)
            if (migdev_model_var(m, i, &info) == 0 && (pass == 1 || info.kind == MIGDEV_STOCK) &&
                append(&buf, &len, info.name) != 0)
                buf = NULL;
    if (!buf)
        fprintf(stderr, "migdev: out of memory\n");
    return buf;
}

void plot_free_names(char **names, int n)
{
    for (int i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
}

int plot_split_names(const char *list, char ***names)
{
    int cap = 1, n = 0;
    for (const char *p = list; *p; p++)
        cap += *p == ',';
    char **v = calloc((size_t)cap, sizeof *v);
    if (!v)
        return -1;
    for (const char *p = list; *p;) {
        const size_t len = strcspn(p, ",");
        const char *a = p, *b = p + len;
        while (a < b && *a == ' ')
            a++;
        while (b > a && b[-1] == ' ')
            b--;
        if (b > a) {
            v[n] = malloc((size_t)(b - a) + 1);
            if (!v[n]) {
                plot_free_names(v, n);
                return -1;
            }
            memcpy(v[n], a, (size_t)(b - a));
            v[n++][b - a] = '\0';
        }
        p += len + (p[len] == ',');
    }
    *names = v;
    return n;
}

static int draw_one(const migdev_scenario *s, const migdev_run *r, const migdev_plot_spec *ps,
                    const char *template_path)
{
    const migdev_model *m = migdev_scenario_model(s);
    const char **names = calloc((size_t)ps->n_vars, sizeof *names);
    if (!names) {
        fprintf(stderr, "migdev: out of memory\n");
        return -1;
    }
    migdev_var_info info;
    for (int i = 0; i < ps->n_vars; i++)
        names[i] = migdev_model_var(m, ps->vars[i], &info) == 0 ? info.name : "?";
    plot_data pd;
    plot_data_init(&pd);
    int rc = plot_data_set_vars(&pd, m, names, ps->n_vars);
    free(names);
    if (rc == 0)
        rc = plot_data_add_run(&pd, migdev_scenario_name(s), r);
    if (rc == 0) {
        figure_opts f = {0};
        f.output = ps->file;
        f.title = ps->title[0] ? ps->title : migdev_scenario_name(s);
        f.width = ps->width;
        f.height = ps->height;
        f.logscale = ps->logscale;
        f.layout = ps->layout;
        f.template_path = template_path;
        rc = figure_draw(&f, &pd);
    }
    plot_data_free(&pd);
    return rc;
}

int plot_scenario_figures(const migdev_scenario *s, const migdev_run *r,
                          const char *template_path)
{
    int rc = 0;
    for (int i = 0; i < migdev_scenario_n_plots(s); i++) {
        migdev_plot_spec ps;
        migdev_scenario_plot(s, i, &ps);
        if (draw_one(s, r, &ps, template_path) != 0) {
            fprintf(stderr, "%s:%d: error: figure '%s' was not drawn\n", migdev_scenario_file(s),
                    ps.line, ps.file);
            rc = -1;
        }
    }
    return rc;
}
