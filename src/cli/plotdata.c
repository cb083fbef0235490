/*
** plotdata.c - series for figures, gathered from runs (see plotdata.h).
*/
#include "plotdata.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TITLE_MAX = 256, TITLE_LONGEST = 60 };

void plot_title(const char *name, const char *doc, char *buf, size_t n)
{
    size_t len = 0;
    for (const char *p = doc; *p; p++, len++)
        if (*p == '.' || *p == ':' || *p == ';' || (p[0] == ' ' && p[1] == '('))
            break;
    if (len >= 3 && len <= TITLE_LONGEST) {
        snprintf(buf, n, "%.*s", (int)len, doc);
    } else {
        snprintf(buf, n, "%s", name);
        for (char *q = buf; *q; q++)
            if (*q == '_')
                *q = ' ';
    }
    if (buf[0] >= 'a' && buf[0] <= 'z')
        buf[0] = (char)(buf[0] - 'a' + 'A');
}

static int oom(void)
{
    fprintf(stderr, "migdev: out of memory\n");
    return -1;
}

void plot_data_init(plot_data *pd) { memset(pd, 0, sizeof *pd); }

void plot_data_free(plot_data *pd)
{
    for (int i = 0; i < pd->n_vars; i++) {
        free(pd->names[i]);
        if (pd->units)
            free(pd->units[i]);
        if (pd->titles)
            free(pd->titles[i]);
    }
    free(pd->names);
    free(pd->units);
    free(pd->titles);
    free(pd->time_units);
    for (int g = 0; g < pd->n_groups; g++) {
        free(pd->groups[g].name);
        free(pd->groups[g].time);
        free(pd->groups[g].values);
    }
    free(pd->groups);
    plot_data_init(pd);
}

int plot_data_set_vars(plot_data *pd, const migdev_model *m, const char *const *names, int n)
{
    pd->names = calloc((size_t)n + 1, sizeof *pd->names);
    pd->units = calloc((size_t)n + 1, sizeof *pd->units);
    pd->titles = calloc((size_t)n + 1, sizeof *pd->titles);
    pd->time_units = strdup("");
    if (!pd->names || !pd->units || !pd->titles || !pd->time_units)
        return oom();
    for (int i = 0; i < n; i++) {
        char title[TITLE_MAX];
        plot_title(names[i], "", title, sizeof title);
        pd->names[i] = strdup(names[i]);
        pd->units[i] = strdup("");
        pd->titles[i] = strdup(title);
        pd->n_vars = i + 1;
        if (!pd->names[i] || !pd->units[i] || !pd->titles[i])
            return oom();
    }
    if (m)
        plot_data_units_from_model(pd, m);
    return 0;
}

void plot_data_units_from_model(plot_data *pd, const migdev_model *m)
{
    for (int i = 0; i < pd->n_vars; i++) {
        migdev_var_info info;
        const int k = migdev_model_find(m, pd->names[i]);
        if (k < 0 || migdev_model_var(m, k, &info) != 0)
            continue;
        char *u = strdup(info.units);
        if (u) {
            free(pd->units[i]);
            pd->units[i] = u;
        }
        char title[TITLE_MAX];
        plot_title(info.name, *info.label ? info.label : info.doc, title, sizeof title);
        if (*info.label)
            snprintf(title, sizeof title, "%s", info.label);
        char *t = strdup(title);
        if (t) {
            free(pd->titles[i]);
            pd->titles[i] = t;
        }
    }
    char *tu = strdup(migdev_model_time_units(m));
    if (tu) {
        free(pd->time_units);
        pd->time_units = tu;
    }
    pd->units_known = 1;
}

plot_group *plot_data_add_group(plot_data *pd, const char *name)
{
    plot_group *gs = realloc(pd->groups, (size_t)(pd->n_groups + 1) * sizeof *gs);
    if (!gs) {
        oom();
        return NULL;
    }
    pd->groups = gs;
    plot_group *g = &gs[pd->n_groups];
    memset(g, 0, sizeof *g);
    g->name = strdup(name);
    g->is_data = strcmp(name, "data") == 0;
    if (!g->name) {
        oom();
        return NULL;
    }
    pd->n_groups++;
    return g;
}

int plot_data_add_row(plot_data *pd, plot_group *g, double t, const double *values)
{
    /* grow by doubling: capacity is the next power of two above n_rows */
    const size_t n = g->n_rows;
    if ((n & (n - 1)) == 0) {
        const size_t cap = n ? 2 * n : 1;
        double *tt = realloc(g->time, cap * sizeof *tt);
        if (!tt)
            return oom();
        g->time = tt;
        double *vv = realloc(g->values, cap * (size_t)(pd->n_vars ? pd->n_vars : 1) * sizeof *vv);
        if (!vv)
            return oom();
        g->values = vv;
    }
    g->time[n] = t;
    memcpy(g->values + n * (size_t)pd->n_vars, values, (size_t)pd->n_vars * sizeof *values);
    g->n_rows = n + 1;
    return 0;
}

int plot_data_add_run(plot_data *pd, const char *name, const migdev_run *r)
{
    const migdev_model *m = migdev_run_model(r);
    const double **series = calloc((size_t)pd->n_vars + 1, sizeof *series);
    if (!series)
        return oom();
    for (int i = 0; i < pd->n_vars; i++) {
        const int k = migdev_model_find(m, pd->names[i]);
        series[i] = k < 0 ? NULL : migdev_run_series(r, k);
        if (!series[i]) {
            fprintf(stderr, "%s: error: variable '%s' is %s\n", migdev_model_file(m), pd->names[i],
                    k < 0 ? "not in the model" : "not recorded");
            free(series);
            return -1;
        }
    }
    plot_group *g = plot_data_add_group(pd, name);
    const size_t n = migdev_run_n_saves(r);
    const double *t = migdev_run_times(r);
    double *row = malloc(((size_t)pd->n_vars + 1) * sizeof *row);
    int rc = g && row ? 0 : -1;
    for (size_t k = 0; k < n && rc == 0; k++) {
        for (int i = 0; i < pd->n_vars; i++)
            row[i] = series[i][k];
        rc = plot_data_add_row(pd, g, t[k], row);
    }
    if (!row)
        oom();
    free(row);
    free(series);
    return rc;
}

int plot_data_keep(plot_data *pd, const char *const *names, int n)
{
    int *idx = malloc(((size_t)n + 1) * sizeof *idx);
    if (!idx)
        return oom() - 1;
    for (int i = 0; i < n; i++) {
        idx[i] = -1;
        for (int k = 0; k < pd->n_vars && idx[i] < 0; k++)
            if (strcmp(pd->names[k], names[i]) == 0)
                idx[i] = k;
        if (idx[i] < 0) {
            free(idx);
            return i;
        }
    }
    plot_data out;
    plot_data_init(&out);
    int rc = plot_data_set_vars(&out, NULL, names, n);
    for (int i = 0; i < n && !rc; i++) {
        char *u = strdup(pd->units[idx[i]]);
        if (!u) {
            rc = oom();
            break;
        }
        free(out.units[i]);
        out.units[i] = u;
        char *t = strdup(pd->titles[idx[i]]);
        if (!t) {
            rc = oom();
            break;
        }
        free(out.titles[i]);
        out.titles[i] = t;
    }
    double *row = malloc(((size_t)n + 1) * sizeof *row);
    if (!row)
        rc = -1;
    for (int g = 0; g < pd->n_groups && !rc; g++) {
        const plot_group *src = &pd->groups[g];
        plot_group *dst = plot_data_add_group(&out, src->name);
        if (!dst)
            rc = -1;
        for (size_t k = 0; dst && k < src->n_rows && !rc; k++) {
            for (int i = 0; i < n; i++)
                row[i] = src->values[k * (size_t)pd->n_vars + (size_t)idx[i]];
            rc = plot_data_add_row(&out, dst, src->time[k], row);
        }
    }
    free(row);
    free(idx);
    if (rc) {
        plot_data_free(&out);
        return -2;
    }
    char *tu = strdup(pd->time_units ? pd->time_units : "");
    if (!tu) {
        plot_data_free(&out);
        return oom() - 1;
    }
    free(out.time_units);
    out.time_units = tu;
    out.units_known = pd->units_known;
    plot_data_free(pd);
    *pd = out;
    return -1;
}
