/*
** model_build.c - assemble a model from its parts before compiling it.
**
** The file readers (load_cfg.c, later XMILE) call these functions; nothing
** here knows a file format. Equations are parsed as they are added so that
** syntax errors come out in file order.
*/
#include "error_int.h"
#include "model_int.h"
#include "native/native.h"
#include "parser.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* A copy of s, "" for NULL; NULL when out of memory. */
static char *dup_str(const char *s) { return strdup(s ? s : ""); }

migdev_model *mb_new(const char *file)
{
    migdev_model *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->file = dup_str(file);
    m->name = dup_str("");
    m->doc = dup_str("");
    m->time_units = dup_str("");
    if (!m->file || !m->name || !m->doc || !m->time_units) {
        migdev_model_free(m);
        return NULL;
    }
    m->spec.start = 0.0;
    m->spec.stop = 100.0;
    m->spec.dt = 1.0;
    m->spec.save_every = 0.0; /* 0: same as dt */
    m->spec.method = MIGDEV_EULER;
    m->spec.abs_tol = 1e-6;
    m->spec.rel_tol = 1e-6;
    m->spec.max_step = 0.0;
    return m;
}

int mb_add_var(migdev_model *m, var_kind kind, const char *name, int line, int col,
               const char *eq_text, int eq_line, int eq_col, migdev_error *err)
{
    if (util_grow((void **)&m->vars, &m->cap_vars, m->n_vars + 1, sizeof(variable)) != 0)
        return err_set(err, MIGDEV_E_NOMEM, m->file, line, col, "out of memory");
    variable *v = &m->vars[m->n_vars];
    memset(v, 0, sizeof *v);
    v->kind = kind;
    v->owner = -1;
    v->line = line;
    v->col = col;
    v->eq_line = eq_line;
    v->eq_col = eq_col;
    v->code = -1;
    v->nn[0] = v->nn[1] = -1;
    v->data = -1;
    v->name = dup_str(name);
    v->units = dup_str("");
    v->doc = dup_str("");
    v->source = dup_str("");
    v->eq_text = eq_text ? dup_str(eq_text) : NULL;
    if (!v->name || !v->units || !v->doc || !v->source || (eq_text && !v->eq_text)) {
        free(v->name), free(v->units), free(v->doc), free(v->source), free(v->eq_text);
        free(v->label);
        return err_set(err, MIGDEV_E_NOMEM, m->file, line, col, "out of memory");
    }
    m->n_vars++;
    if (eq_text) {
        v->eq = parse_equation(eq_text, m->file, eq_line, eq_col, err);
        if (!v->eq)
            return err ? err->code : MIGDEV_E_SYNTAX;
    }
    return m->n_vars - 1;
}

int mb_add_var_tree(migdev_model *m, var_kind kind, const char *name, int line, int col,
                    const char *eq_text, node *tree, int eq_line, int eq_col,
                    migdev_error *err)
{
    const int i = mb_add_var(m, kind, name, line, col, NULL, eq_line, eq_col, err);
    if (i < 0) {
        node_free(tree);
        return i;
    }
    variable *v = &m->vars[i];
    v->eq = tree;
    if (eq_text && !(v->eq_text = dup_str(eq_text)))
        return err_set(err, MIGDEV_E_NOMEM, m->file, line, col, "out of memory");
    return i;
}

int mb_set_docs(migdev_model *m, int i, const char *units, const char *doc, const char *source)
{
    variable *v = &m->vars[i];
    if (util_set_str(&v->units, units) || util_set_str(&v->doc, doc) ||
        util_set_str(&v->source, source))
        return MIGDEV_E_NOMEM;
    return 0;
}

int mb_set_label(migdev_model *m, int i, const char *label)
{
    variable *v = &m->vars[i];
    free(v->label);
    v->label = NULL;
    if (label && !(v->label = dup_str(label)))
        return MIGDEV_E_NOMEM;
    return 0;
}

int mb_attach(migdev_model *m, const char *stock, const char *flow, int is_outflow, int line,
              int col, migdev_error *err)
{
    if (util_grow((void **)&m->attaches, &m->cap_attaches, m->n_attaches + 1, sizeof(attach)))
        return err_set(err, MIGDEV_E_NOMEM, m->file, line, col, "out of memory");
    attach *a = &m->attaches[m->n_attaches];
    a->stock = -1;
    a->flow = -1;
    a->stock_name = dup_str(stock);
    a->flow_name = dup_str(flow);
    a->is_outflow = is_outflow;
    a->line = line;
    a->col = col;
    if (!a->stock_name || !a->flow_name) {
        free(a->stock_name);
        free(a->flow_name);
        return err_set(err, MIGDEV_E_NOMEM, m->file, line, col, "out of memory");
    }
    m->n_attaches++;
    return 0;
}

int mb_add_lookup(migdev_model *m, const char *name, const double *x, const double *y, int n,
                  lookup_kind kind, int line, int col, migdev_error *err)
{
    if (n < 1)
        return err_set(err, MIGDEV_E_RANGE, m->file, line, col,
                       "lookup '%s' needs at least one point", name);
    for (int i = 1; i < n; i++)
        if (!(x[i] > x[i - 1]))
            return err_set(err, MIGDEV_E_RANGE, m->file, line, col,
                           "lookup '%s': x values must increase (point %d, x = %g, follows x = %g)",
                           name, i + 1, x[i], x[i - 1]);
    if (util_grow((void **)&m->lookups, &m->cap_lookups, m->n_lookups + 1, sizeof(lookup_tbl)) != 0)
        return err_set(err, MIGDEV_E_NOMEM, m->file, line, col, "out of memory");
    lookup_tbl *t = &m->lookups[m->n_lookups];
    memset(t, 0, sizeof *t);
    t->name = dup_str(name);
    t->units = dup_str("");
    t->doc = dup_str("");
    t->source = dup_str("");
    t->x_units = dup_str("");
    t->x = malloc((size_t)n * sizeof *t->x);
    t->y = malloc((size_t)n * sizeof *t->y);
    t->n = n;
    t->kind = kind;
    t->line = line;
    t->col = col;
    if (!t->name || !t->units || !t->doc || !t->source || !t->x_units || !t->x || !t->y) {
        free(t->name), free(t->units), free(t->doc), free(t->source), free(t->x_units);
        free(t->x), free(t->y);
        return err_set(err, MIGDEV_E_NOMEM, m->file, line, col, "out of memory");
    }
    memcpy(t->x, x, (size_t)n * sizeof *x);
    memcpy(t->y, y, (size_t)n * sizeof *y);
    m->n_lookups++;
    return m->n_lookups - 1;
}

int mb_add_loop(migdev_model *m, const char *name, const char *const *path, int n, int line,
                migdev_error *err)
{
    named_loop *l = realloc(m->loops, (size_t)(m->n_loops + 1) * sizeof *l);
    if (!l)
        return err_set(err, MIGDEV_E_NOMEM, m->file, line, 0, "out of memory");
    m->loops = l;
    l = &m->loops[m->n_loops];
    l->name = dup_str(name);
    l->path = calloc((size_t)(n > 0 ? n : 1), sizeof *l->path);
    l->n = n;
    l->line = line;
    int ok = l->name && l->path;
    for (int i = 0; ok && i < n; i++)
        ok = (l->path[i] = dup_str(path[i])) != NULL;
    m->n_loops++; /* freed by migdev_model_free even when incomplete */
    if (!ok)
        return err_set(err, MIGDEV_E_NOMEM, m->file, line, 0, "out of memory");
    return 0;
}

void migdev_model_free(migdev_model *m)
{
    if (!m)
        return;
    native_free(m->native);
    free(m->required_outputs);
    for (int i = 0; i < m->n_vars; i++) {
        variable *v = &m->vars[i];
        free(v->name), free(v->units), free(v->doc), free(v->source), free(v->eq_text);
        free(v->label);
        free(v->prov_target);
        node_free(v->eq);
    }
    free(m->vars);
    for (int i = 0; i < m->n_lookups; i++) {
        lookup_tbl *t = &m->lookups[i];
        free(t->name), free(t->units), free(t->doc), free(t->source), free(t->x), free(t->y);
        free(t->prov_target);
        free(t->x_units);
    }
    free(m->lookups);
    for (int i = 0; i < m->n_data; i++) {
        data_binding *d = &m->data[i];
        free(d->path), free(d->time_col), free(d->value_col), free(d->file);
    }
    free(m->data);
    for (int i = 0; i < m->n_dims; i++) {
        for (int k = 0; k < m->dims[i].n; k++)
            free(m->dims[i].elems[k]);
        free(m->dims[i].elems);
        free(m->dims[i].name);
    }
    free(m->dims);
    for (int i = 0; i < m->n_arrays; i++)
        free(m->arrays[i].name);
    free(m->arrays);
    free(m->expansions);
    for (int i = 0; i < m->n_attaches; i++) {
        free(m->attaches[i].stock_name);
        free(m->attaches[i].flow_name);
    }
    free(m->attaches);
    for (int i = 0; i < m->n_loops; i++) {
        for (int j = 0; j < m->loops[i].n; j++)
            if (m->loops[i].path)
                free(m->loops[i].path[j]);
        free(m->loops[i].path);
        free(m->loops[i].name);
    }
    free(m->loops);
    free(m->nn_rules), free(m->nn_ref), free(m->nn_sign);
    free(m->stocks), free(m->stock_of_var), free(m->flow_off), free(m->flow_var);
    free(m->flow_sign), free(m->init_order), free(m->step_order), free(m->code);
    free(m->step_code), free(m->pool), free(m->sorted), free(m->hist);
    free(m->rand_seed);
    free(m->file), free(m->name), free(m->doc), free(m->time_units);
    free(m);
}
