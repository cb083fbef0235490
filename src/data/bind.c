/*
** bind.c - data variables (bind.h).
*/
#include "data/bind.h"

#include "error_int.h"
#include "parser.h"
#include "provenance.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* The equation of a data variable: its table called with the time. */
static node *table_of_time(const migdev_model *m, const data_decl *d, int table,
                           migdev_error *err)
{
    node *arg = parse_equation("time", d->file, d->line, d->col, err);
    node *call = arg ? node_new(N_CALL, d->line, d->col, d->name, strlen(d->name)) : NULL;
    if (!call || node_push(call, arg) != 0) {
        if (!call)
            node_free(arg);
        node_free(call);
        err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
        return NULL;
    }
    call->is_lookup = 1;
    call->fn = table;
    return call;
}

/* Copy p into table t. */
static int set_points(lookup_tbl *t, const data_points *p)
{
    double *x = malloc((size_t)p->n * sizeof *x), *y = malloc((size_t)p->n * sizeof *y);
    if (!x || !y) {
        free(x), free(y);
        return MIGDEV_E_NOMEM;
    }
    memcpy(x, p->t, (size_t)p->n * sizeof *x);
    memcpy(y, p->y, (size_t)p->n * sizeof *y);
    free(t->x), free(t->y);
    t->x = x;
    t->y = y;
    t->n = p->n;
    return 0;
}

static int find_var(const migdev_model *m, const char *name)
{
    for (int i = 0; i < m->n_vars; i++)
        if (!m->vars[i].is_hidden && strcmp(m->vars[i].name, name) == 0)
            return i;
    return -1;
}

/* The variable a scenario's entry rebinds, or an error at the entry. */
static int rebound_var(const migdev_model *m, const data_decl *d, migdev_error *err)
{
    const int i = find_var(m, d->name);
    if (i < 0) {
        name_hint h;
        name_hint_init(&h, d->name);
        for (int k = 0; k < m->n_vars; k++)
            if (!m->vars[k].is_hidden)
                name_hint_offer(&h, m->vars[k].name, NULL);
        if (h.best)
            return err_set(err, MIGDEV_E_NAME, d->file, d->line, d->col,
                           "the model has no variable '%s' to bind to data (did you mean '%s'?)",
                           d->name, h.best);
        return err_set(err, MIGDEV_E_NAME, d->file, d->line, d->col,
                       "the model has no variable '%s' to bind to data", d->name);
    }
    const var_kind k = m->vars[i].kind;
    if (k != VK_CONST && k != VK_AUX)
        return err_set(err, MIGDEV_E_TYPE, d->file, d->line, d->col,
                       "'%s' is a %s: only a constant or an auxiliary can be bound to data",
                       d->name, k == VK_STOCK ? "stock" : "flow");
    return i;
}

static int set_binding(migdev_model *m, data_binding *b, const data_decl *d)
{
    if (util_set_str(&b->path, d->path) || util_set_str(&b->time_col, d->time_col) ||
        util_set_str(&b->value_col, d->value_col) || util_set_str(&b->file, d->file))
        return MIGDEV_E_NOMEM;
    b->is_step = d->is_step;
    b->outside_error = d->outside_error;
    b->scale = d->scale;
    b->line = d->line;
    b->col = d->col;
    lookup_tbl *t = &m->lookups[b->table];
    t->kind = d->is_step ? LK_DISCRETE : LK_CONTINUOUS;
    t->outside_nan = d->outside_error;
    t->is_data = 1;
    return util_set_str(&t->x_units, m->time_units) ? MIGDEV_E_NOMEM : 0;
}

int data_bind(migdev_model *m, const data_decl *d, const data_points *p, migdev_error *err)
{
    int var = -1;
    if (d->replace && (var = rebound_var(m, d, err)) < 0)
        return var;
    if (var >= 0 && m->vars[var].data >= 0) { /* new points for a data variable */
        data_binding *b = &m->data[m->vars[var].data];
        if (set_points(&m->lookups[b->table], p) != 0 || set_binding(m, b, d) != 0)
            return err_set(err, MIGDEV_E_NOMEM, d->file, d->line, d->col, "out of memory");
        return var;
    }
    data_binding *nd = realloc(m->data, (size_t)(m->n_data + 1) * sizeof *nd);
    if (!nd)
        return err_set(err, MIGDEV_E_NOMEM, d->file, d->line, d->col, "out of memory");
    m->data = nd;
    const int table = mb_add_lookup(m, d->name, p->t, p->y, p->n, LK_CONTINUOUS, d->line, d->col,
                                    err);
    if (table < 0)
        return table;
    data_binding *b = &m->data[m->n_data];
    memset(b, 0, sizeof *b);
    b->table = table;
    b->var = -1;
    m->n_data++; /* freed with the model from here on */
    int rc = set_binding(m, b, d);
    if (rc)
        return err_set(err, MIGDEV_E_NOMEM, d->file, d->line, d->col, "out of memory");
    node *eq = table_of_time(m, d, table, err);
    if (!eq)
        return err ? err->code : MIGDEV_E_NOMEM;
    if (var < 0) {
        var = mb_add_var_tree(m, VK_AUX, d->name, d->line, d->col, "time", eq, d->line, d->col,
                              err);
        if (var < 0)
            return var;
    } else {
        variable *v = &m->vars[var];
        node_free(v->eq);
        v->eq = eq;
        v->kind = VK_AUX;
        v->value = 0.0;
        if (util_set_str(&v->eq_text, "time"))
            return err_set(err, MIGDEV_E_NOMEM, d->file, d->line, d->col, "out of memory");
    }
    m->vars[var].data = m->n_data - 1;
    m->vars[var].prov = PROV_DATA;
    free(m->vars[var].prov_target);
    m->vars[var].prov_target = NULL;
    b->var = var;
    return var;
}
