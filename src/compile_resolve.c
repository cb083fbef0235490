/*
** compile_resolve.c - resolve every reference and call of every equation to an index.
**
** Part of the compiler (see compile.c for the steps and compile_int.h).
*/
#include "builtins.h"
#include "compile_int.h"
#include "consteval.h"
#include "error_int.h"
#include "lexer.h"
#include "model_int.h"
#include "opcodes.h"
#include "util.h"
#include "vm.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* -------------------------------------------------------------- resolving */

typedef struct resolver {
    migdev_model *m;
    const names *t;
    migdev_error *err;
    int owner;        /* variable whose equation this is */
    int in_stock_init;
} resolver;

static int resolve(resolver *rs, node **np);

/* Keep the record of an expanded call (model_int.h, for the units checker);
** result is its replacement, NULL when the expansion ran out of memory. */
static int record_expansion(resolver *rs, expansion *ex, const node *result)
{
    migdev_model *m = rs->m;
    if (!result || util_grow((void **)&m->expansions, &m->cap_expansions, m->n_expansions + 1,
                             sizeof *m->expansions))
        return err_set(rs->err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
    ex->result = result;
    m->expansions[m->n_expansions++] = *ex;
    return 0;
}

static int resolve_ref(resolver *rs, node **np)
{
    node *n = *np;
    migdev_model *m = rs->m;
    const name_entry *e = comp_names_find(rs->t, n->name);
    if (e && !e->is_lookup) {
        n->ref = e->index;
        return 0;
    }
    if (e && e->is_lookup)
        return err_set(rs->err, MIGDEV_E_TYPE, m->file, n->line, n->col,
                       "'%s' is a lookup table: call it with an input, as %s(x)", n->name,
                       n->name);
    const builtin *b = builtin_find(n->name);
    if (b && b->kind == BK_VALUE) {
        if (b->op == OP_NUM) { /* pi */
            n->kind = N_NUM;
            n->num = M_PI;
            return 0;
        }
        n->kind = N_CALL;
        n->fn = (int)(b - builtin_at(0));
        return 0;
    }
    if (b)
        return err_set(rs->err, MIGDEV_E_TYPE, m->file, n->line, n->col,
                       "'%s' is a function: call it as %s", n->name, b->signature);
    const char *s = comp_suggest(m, rs->t, n->name, 0, 2, -1);
    if (s)
        return err_set(rs->err, MIGDEV_E_NAME, m->file, n->line, n->col,
                       "unknown variable '%s' (did you mean '%s'?)", n->name, s);
    return err_set(rs->err, MIGDEV_E_NAME, m->file, n->line, n->col, "unknown variable '%s'",
                   n->name);
}

static int resolve_call(resolver *rs, node **np)
{
    node *n = *np;
    migdev_model *m = rs->m;
    const name_entry *e = n->is_builtin ? NULL : comp_names_find(rs->t, n->name);
    if (e && e->is_lookup) {
        if (n->nargs != 1)
            return err_set(rs->err, MIGDEV_E_TYPE, m->file, n->line, n->col,
                           "lookup '%s' takes 1 argument, got %d", n->name, n->nargs);
        n->is_lookup = 1;
        n->fn = e->index;
        return 0;
    }
    if (e)
        return err_set(rs->err, MIGDEV_E_TYPE, m->file, n->line, n->col,
                       "'%s' is %s, not a function or lookup table", n->name,
                       comp_kind_name(m->vars[e->index].kind));
    const builtin *b = builtin_find(n->name);
    if (!b) {
        const char *s = comp_suggest(m, rs->t, n->name, 1, 1, -1);
        if (s)
            return err_set(rs->err, MIGDEV_E_NAME, m->file, n->line, n->col,
                           "unknown function '%s' (did you mean '%s'?)", n->name, s);
        return err_set(rs->err, MIGDEV_E_NAME, m->file, n->line, n->col,
                       "unknown function '%s'", n->name);
    }
    if (n->nargs < b->min_args || (b->max_args >= 0 && n->nargs > b->max_args)) {
        char want[32];
        if (b->max_args < 0)
            snprintf(want, sizeof want, "at least %d", b->min_args);
        else if (b->min_args == b->max_args)
            snprintf(want, sizeof want, "%d", b->min_args);
        else
            snprintf(want, sizeof want, "%d to %d", b->min_args, b->max_args);
        return err_set(rs->err, MIGDEV_E_TYPE, m->file, n->line, n->col,
                       "%s() takes %s argument%s, got %d: %s", b->name, want,
                       (b->max_args == 1 && b->min_args == 1) ? "" : "s", n->nargs,
                       b->signature);
    }
    if (b->op == OP_ALLOC_AVAILABLE && (n->nargs - 2) % 5 != 0)
        return err_set(rs->err, MIGDEV_E_TYPE, m->file, n->line, n->col,
                       "%s() takes a request and 4 profile values per requester, got %d "
                       "arguments after the supply: %s",
                       b->name, n->nargs - 2, b->signature);
    if (b->op == OP_ALLOC_PRIORITY && n->nargs % 2 == 0)
        return err_set(rs->err, MIGDEV_E_TYPE, m->file, n->line, n->col,
                       "%s() takes a request and a priority per requester, got %d arguments "
                       "after the supply: %s",
                       b->name, n->nargs - 3, b->signature);
    n->fn = (int)(b - builtin_at(0));
    if (b->kind == BK_VALUE && b->op == OP_NUM) {
        n->kind = N_NUM;
        n->num = M_PI;
        return 0;
    }
    if (b->kind == BK_RANDOM) {
        /* a call site: its own generator, seeded by its seed argument (a
           number in the equation) or by the run's seed */
        double seed = -1.0;
        if (n->nargs == b->max_args) {
            node *a = n->args[n->nargs - 1];
            if (const_eval(a, NULL, NULL, &seed) != 0 || !(seed >= 0.0 && seed < 4294967296.0) ||
                seed != floor(seed))
                return err_set(rs->err, MIGDEV_E_TYPE, m->file, a->line, a->col,
                               "the seed of %s() must be a whole number from 0 to 2^32-1 "
                               "written in the equation",
                               b->name);
            node_free(a);
            n->nargs--;
        }
        if (util_grow((void **)&m->rand_seed, &m->cap_rand, m->n_rand + 1, sizeof *m->rand_seed))
            return err_set(rs->err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
        m->rand_seed[m->n_rand] = seed;
        n->ref = m->n_rand++;
        return 0;
    }
    if (b->kind == BK_STATEFUL || b->kind == BK_INIT) {
        if (rs->in_stock_init)
            return err_set(rs->err, MIGDEV_E_TYPE, m->file, n->line, n->col,
                           "%s() cannot appear in the initial value of a stock", b->name);
        if (m->vars[rs->owner].kind == VK_INIT)
            return err_set(rs->err, MIGDEV_E_TYPE, m->file, n->line, n->col,
                           "%s() cannot appear inside init()", b->name);
    }
    expansion ex = {(int)(b - builtin_at(0)), rs->owner, n->line, n->col, {-1, -1, -1, -1}, NULL};
    if (b->kind == BK_INIT) {
        node *arg = n->args[0];
        n->nargs = 0;
        node_free(n);
        const int h = comp_new_hidden(m, VK_INIT, rs->owner, "init", arg);
        *np = h >= 0 ? comp_mk_ref(h) : NULL;
        ex.arg[EX_INPUT] = h;
        return record_expansion(rs, &ex, *np);
    }
    if (b->kind == BK_STATEFUL && (b->stateful == SF_DELAY_FIXED || b->stateful == SF_PREVIOUS)) {
        *np = comp_expand_hist(m, rs->owner, n, b->stateful, &ex);
        return record_expansion(rs, &ex, *np);
    }
    if (b->kind == BK_STATEFUL && (b->stateful == SF_TREND || b->stateful == SF_FORECAST)) {
        *np = comp_expand_trend(m, rs->owner, n, b->stateful, &ex);
        return record_expansion(rs, &ex, *np);
    }
    if (b->kind == BK_STATEFUL) {
        int order = (b->stateful == SF_SMOOTH3 || b->stateful == SF_DELAY3) ? 3 : 1;
        if (b->stateful == SF_SMOOTHN || b->stateful == SF_DELAYN ||
            b->stateful == SF_DELAYN_STAGED) {
            /* the number of hidden stocks is fixed when the model compiles */
            double x;
            const node *a = n->args[2];
            if (const_eval(a, NULL, NULL, &x) != 0)
                return err_set(rs->err, MIGDEV_E_TYPE, m->file, a->line, a->col,
                               "the order of %s() must be a number written in the equation",
                               b->name);
            if (!(x >= 1.0 && x <= 1000.0) || x != floor(x))
                return err_set(rs->err, MIGDEV_E_RANGE, m->file, a->line, a->col,
                               "the order of %s() must be a whole number from 1 to 1000, got %g",
                               b->name, x);
            order = (int)x;
        }
        *np = comp_expand_stateful(m, rs->owner, n, b->stateful, order, &ex);
        return record_expansion(rs, &ex, *np);
    }
    return 0;
}

static int resolve(resolver *rs, node **np)
{
    node *n = *np;
    for (int i = 0; i < n->nargs; i++) {
        const int rc = resolve(rs, &n->args[i]);
        if (rc)
            return rc;
    }
    switch (n->kind) {
    case N_REF: return n->ref >= 0 ? 0 : resolve_ref(rs, np);
    case N_CALL: return n->fn >= 0 || n->is_lookup ? 0 : resolve_call(rs, np);
    default: return 0;
    }
}

int comp_resolve_all(migdev_model *m, const names *t, migdev_error *err)
{
    const int n_user = m->n_vars;
    for (int i = 0; i < n_user; i++) {
        if (!m->vars[i].eq)
            continue;
        resolver rs = {m, t, err, i, m->vars[i].kind == VK_STOCK};
        node *eq = m->vars[i].eq;
        const int rc = resolve(&rs, &eq);
        m->vars[i].eq = eq; /* vars may have moved: write through the index */
        if (rc)
            return rc;
    }
    return 0;
}
