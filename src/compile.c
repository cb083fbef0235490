/*
** compile.c - turn a built model into an executable one.
**
** Steps, in order: check names; attach flows to stocks; resolve every
** reference and call (expanding smooth/delay/init into hidden variables);
** order the equations (rejecting algebraic loops with their path); mark what
** can be computed once; emit bytecode (folding constant subexpressions).
*/
#include "builtins.h"
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

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* ------------------------------------------------------------------ names */

typedef struct name_entry {
    const char *name;
    int index;     /* variable index, or lookup index */
    int is_lookup;
    int line, col;
} name_entry;

static int cmp_entry(const void *a, const void *b)
{
    const name_entry *x = a, *y = b;
    const int c = strcmp(x->name, y->name);
    if (c)
        return c;
    return x->line != y->line ? (x->line < y->line ? -1 : 1) : (x->col < y->col ? -1 : x->col > y->col);
}

typedef struct names {
    name_entry *e;
    int n;
} names;

static const name_entry *names_find(const names *t, const char *name)
{
    int lo = 0, hi = t->n - 1;
    while (lo <= hi) {
        const int mid = lo + (hi - lo) / 2;
        const int c = strcmp(t->e[mid].name, name);
        if (c == 0)
            return &t->e[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

/* The kind of a variable with its article, for messages ("an auxiliary"). */
static const char *kind_name(var_kind k)
{
    switch (k) {
    case VK_CONST: return "a constant";
    case VK_STOCK: return "a stock";
    case VK_FLOW: return "a flow";
    case VK_AUX: return "an auxiliary";
    case VK_INIT: return "an initial value";
    case VK_HIST: return "a delayed value";
    }
    return "a variable";
}

/* Best suggestion among variables, lookups and (when with_builtins) builtin
** names; NULL when nothing is close. */
static const char *suggest(const migdev_model *m, const names *t, const char *name,
                           int want_lookup, int with_builtins, int want_kind)
{
    name_hint h;
    name_hint_init(&h, name);
    for (int i = 0; i < t->n; i++) {
        if (want_lookup >= 0 && t->e[i].is_lookup != want_lookup)
            continue;
        if (want_kind >= 0 && (t->e[i].is_lookup || (int)m->vars[t->e[i].index].kind != want_kind))
            continue;
        name_hint_offer(&h, t->e[i].name, NULL);
    }
    if (with_builtins)
        for (int i = 0; i < builtin_count(); i++) {
            const builtin *b = builtin_at(i);
            if ((with_builtins == 1) == (b->kind != BK_VALUE))
                name_hint_offer(&h, b->name, NULL);
        }
    return h.best;
}

/* Add a variable's or lookup's name to t, after checking it when it comes
** from the native format (XMILE's reader checked its own names). */
static int add_name(const migdev_model *m, names *t, const char *name, int index, int is_lookup,
                    int line, int col, migdev_error *err)
{
    if (!m->free_names) {
        if (!name_is_valid(name))
            return err_set(err, MIGDEV_E_NAME, m->file, line, col,
                           "'%s' is not a valid name (use letters, digits, '_' and '.', "
                           "starting with a letter or '_')",
                           name);
        if (name_is_reserved(name))
            return err_set(err, MIGDEV_E_NAME, m->file, line, col,
                           "'%s' is a reserved name (a built-in function or operator)", name);
    }
    t->e[t->n++] = (name_entry){name, index, is_lookup, line, col};
    return 0;
}

static int build_names(migdev_model *m, names *t, migdev_error *err)
{
    t->n = 0;
    t->e = malloc((size_t)(m->n_vars + m->n_lookups + 1) * sizeof *t->e);
    if (!t->e)
        return err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
    int rc;
    for (int i = 0; i < m->n_vars; i++) {
        const variable *v = &m->vars[i];
        if ((rc = add_name(m, t, v->name, i, 0, v->line, v->col, err)) != 0)
            return rc;
    }
    for (int i = 0; i < m->n_lookups; i++) {
        const lookup_tbl *l = &m->lookups[i];
        if ((rc = add_name(m, t, l->name, i, 1, l->line, l->col, err)) != 0)
            return rc;
    }
    qsort(t->e, (size_t)t->n, sizeof *t->e, cmp_entry);
    /* report the later of two definitions, at its position */
    const name_entry *dup = NULL, *first = NULL;
    for (int i = 1; i < t->n; i++)
        if (strcmp(t->e[i].name, t->e[i - 1].name) == 0) {
            const name_entry *a = &t->e[i - 1], *b = &t->e[i];
            if (!dup || b->line < dup->line) {
                dup = b;
                first = a;
            }
        }
    if (dup)
        return err_set(err, MIGDEV_E_NAME, m->file, dup->line, dup->col,
                       "duplicate name '%s' (first defined at line %d)", dup->name, first->line);
    return 0;
}

/* ------------------------------------------------------------- hidden vars */

static node *mk_ref(int index)
{
    node *n = node_new(N_REF, 0, 0, NULL, 0);
    if (n)
        n->ref = index;
    return n;
}

static node *mk_num(double x)
{
    node *n = node_new(N_NUM, 0, 0, NULL, 0);
    if (n)
        n->num = x;
    return n;
}

static node *mk_bin(int op, node *a, node *b)
{
    if (!a || !b) {
        node_free(a);
        node_free(b);
        return NULL;
    }
    node *n = node_new(N_BINARY, a->line, a->col, NULL, 0);
    if (!n || node_push(n, a) != 0) {
        node_free(n);
        node_free(b);
        return NULL;
    }
    n->op = op;
    if (node_push(n, b) != 0) {
        node_free(n);
        return NULL;
    }
    return n;
}

/* Append a hidden variable owned by visible variable owner; takes eq.
** Returns its index or -1 (out of memory; eq freed). */
static int new_hidden(migdev_model *m, var_kind kind, int owner, const char *part, node *eq)
{
    if (!eq)
        return -1;
    char name[300];
    snprintf(name, sizeof name, "%s#%d.%s", m->vars[owner].name, ++m->n_hidden_made, part);
    const variable *o = &m->vars[owner];
    const int line = o->eq_line, col = o->eq_col;
    const int i = mb_add_var(m, kind, name, line, col, NULL, line, col, NULL);
    if (i < 0) {
        node_free(eq);
        return -1;
    }
    variable *h = &m->vars[i];
    h->is_hidden = 1;
    h->owner = owner;
    h->eq = eq;
    return i;
}

static int attach_hidden(migdev_model *m, int stock, int flow)
{
    if (mb_attach(m, "", "", 0, 0, 0, NULL) != 0)
        return -1;
    attach *a = &m->attaches[m->n_attaches - 1];
    a->stock = stock;
    a->flow = flow;
    return 0;
}

/* A resolved call of builtin name with nargs (1 or 2) arguments; takes a
** and b. NULL when out of memory. */
static node *mk_call(const char *name, int nargs, node *a, node *b)
{
    node *n = (a && (nargs == 1 || b)) ? node_new(N_CALL, a->line, a->col, NULL, 0) : NULL;
    if (!n) {
        node_free(a);
        node_free(b);
        return NULL;
    }
    if (node_push(n, a) != 0) { /* node_push freed a */
        node_free(b);
        node_free(n);
        return NULL;
    }
    if (b && node_push(n, b) != 0) {
        node_free(n);
        return NULL;
    }
    n->fn = (int)(builtin_find(name) - builtin_at(0));
    return n;
}

/* Expand a stateful call into hidden stocks and flows; returns the node
** that replaces it, or NULL when out of memory. Consumes call. order is the
** number of stages (smoothn/delayn: checked by the caller). */
static node *expand_stateful(migdev_model *m, int owner, node *call, int fn, int order,
                             expansion *ex)
{
    const int nth = fn == SF_SMOOTHN || fn == SF_DELAYN;
    node *input = call->args[0], *delay = call->args[1];
    node *init = call->nargs > 2 + nth ? call->args[2 + nth] : NULL;
    if (nth)
        node_free(call->args[2]); /* the order, already read */
    call->nargs = 0; /* the arguments now belong to us */
    node_free(call);

    const int is_delay = (fn == SF_DELAY1 || fn == SF_DELAY3 || fn == SF_DELAYN);
    const int hin = new_hidden(m, VK_AUX, owner, "input", input);
    if (order > 1)
        delay = mk_bin(TK_SLASH, delay, mk_num((double)order));
    const int hd = new_hidden(m, VK_AUX, owner, order > 1 ? "stage_delay" : "delay", delay);
    const int hinit = init ? new_hidden(m, VK_AUX, owner, "init", init) : hin;
    if (hin < 0 || hd < 0 || hinit < 0)
        return NULL; /* new_hidden frees what it was given */
    ex->arg[EX_INPUT] = hin;
    ex->arg[EX_TIME] = hd;
    ex->arg[EX_INIT] = init ? hinit : -1;
    int prev = hin, last = -1;
    for (int k = 0; k < order; k++) {
        /* smooth: stock starts at init, flow (prev - S)/d.
           delay:  stock starts at init*d, flow prev_out - S/d, out = S/d. */
        node *sinit = is_delay ? mk_bin(TK_STAR, mk_ref(hinit), mk_ref(hd)) : mk_ref(hinit);
        const int s = new_hidden(m, VK_STOCK, owner, "stock", sinit);
        if (s < 0)
            return NULL;
        node *in = (is_delay && k > 0) ? mk_bin(TK_SLASH, mk_ref(prev), mk_ref(hd)) : mk_ref(prev);
        node *feq = is_delay ? mk_bin(TK_MINUS, in, mk_bin(TK_SLASH, mk_ref(s), mk_ref(hd)))
                             : mk_bin(TK_SLASH, mk_bin(TK_MINUS, in, mk_ref(s)), mk_ref(hd));
        const int f = new_hidden(m, VK_FLOW, owner, "flow", feq);
        if (f < 0 || attach_hidden(m, s, f) != 0)
            return NULL;
        prev = s;
        last = s;
    }
    return is_delay ? mk_bin(TK_SLASH, mk_ref(last), mk_ref(hd)) : mk_ref(last);
}

/* trend(x, t[, g0]) and forecast(x, t, h[, g0]), as Vensim documents them:
** a smooth S of x over t starting at x/(1 + g0*t); trend = (x - S)/(t*|S|)
** (0 when S is 0); forecast = x*(1 + trend*h). Consumes call. */
static node *expand_trend(migdev_model *m, int owner, node *call, int fn, expansion *ex)
{
    const int fc = fn == SF_FORECAST;
    node *input = call->args[0], *avg = call->args[1];
    node *horizon = fc ? call->args[2] : NULL;
    const int has_g0 = call->nargs > 2 + fc;
    node *g0 = has_g0 ? call->args[2 + fc] : mk_num(0.0);
    call->nargs = 0;
    node_free(call);
    const int hin = new_hidden(m, VK_AUX, owner, "input", input);
    const int ht = new_hidden(m, VK_AUX, owner, "average_time", avg);
    const int hg = new_hidden(m, VK_AUX, owner, "initial_trend", g0);
    const int hh = fc ? new_hidden(m, VK_AUX, owner, "horizon", horizon) : -1;
    if (hin < 0 || ht < 0 || hg < 0 || (fc && hh < 0))
        return NULL;
    ex->arg[EX_INPUT] = hin;
    ex->arg[EX_TIME] = ht;
    ex->arg[EX_INIT] = has_g0 ? hg : -1;
    ex->arg[EX_HORIZON] = hh;
    node *sinit = mk_bin(TK_SLASH, mk_ref(hin),
                         mk_bin(TK_PLUS, mk_num(1.0), mk_bin(TK_STAR, mk_ref(hg), mk_ref(ht))));
    const int s = new_hidden(m, VK_STOCK, owner, "stock", sinit);
    if (s < 0)
        return NULL;
    node *feq = mk_bin(TK_SLASH, mk_bin(TK_MINUS, mk_ref(hin), mk_ref(s)), mk_ref(ht));
    const int f = new_hidden(m, VK_FLOW, owner, "flow", feq);
    if (f < 0 || attach_hidden(m, s, f) != 0)
        return NULL;
    node *trend = mk_call("safediv", 2, mk_bin(TK_MINUS, mk_ref(hin), mk_ref(s)),
                          mk_bin(TK_STAR, mk_ref(ht), mk_call("abs", 1, mk_ref(s), NULL)));
    if (!fc)
        return trend;
    return mk_bin(TK_STAR, mk_ref(hin),
                  mk_bin(TK_PLUS, mk_num(1.0), mk_bin(TK_STAR, trend, mk_ref(hh))));
}

/* delay_fixed(x, d[, init]) and previous(x, init): a VK_HIST variable that
** the run sets once per step from the samples of x it keeps (d/dt of them;
** one for previous). It starts at init (delay_fixed: x's initial value by
** default). Consumes call. */
static node *expand_hist(migdev_model *m, int owner, node *call, int fn, expansion *ex)
{
    const int fixed = fn == SF_DELAY_FIXED;
    node *input = call->args[0];
    node *delay = fixed ? call->args[1] : NULL;
    node *init = fixed ? (call->nargs > 2 ? call->args[2] : NULL) : call->args[1];
    call->nargs = 0;
    node_free(call);
    const int hin = new_hidden(m, VK_AUX, owner, "input", input);
    const int hd = fixed ? new_hidden(m, VK_AUX, owner, "delay", delay) : -1;
    const int hinit = init ? new_hidden(m, VK_AUX, owner, "init", init) : hin;
    if (hin < 0 || (fixed && hd < 0) || hinit < 0)
        return NULL;
    ex->arg[EX_INPUT] = hin;
    ex->arg[EX_TIME] = hd;
    ex->arg[EX_INIT] = init ? hinit : -1;
    const int h = new_hidden(m, VK_HIST, owner, "history", mk_ref(hinit));
    if (h < 0)
        return NULL;
    m->vars[h].hist_in = hin;
    m->vars[h].hist_time = hd;
    return mk_ref(h);
}

/* The value of a tree made of number literals and arithmetic, or -1. */
static int literal_value(const node *n, double *x)
{
    double a, b;
    switch (n->kind) {
    case N_NUM:
        *x = n->num;
        return 0;
    case N_UNARY:
        if (literal_value(n->args[0], &a) != 0 || n->op == TK_NOT)
            return -1;
        *x = n->op == TK_MINUS ? -a : a;
        return 0;
    case N_BINARY:
        if (literal_value(n->args[0], &a) != 0 || literal_value(n->args[1], &b) != 0)
            return -1;
        switch (n->op) {
        case TK_PLUS: *x = a + b; return 0;
        case TK_MINUS: *x = a - b; return 0;
        case TK_STAR: *x = a * b; return 0;
        case TK_SLASH: *x = a / b; return 0;
        default: return -1;
        }
    default:
        return -1;
    }
}

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
    const name_entry *e = names_find(rs->t, n->name);
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
    const char *s = suggest(m, rs->t, n->name, 0, 2, -1);
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
    const name_entry *e = n->is_builtin ? NULL : names_find(rs->t, n->name);
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
                       kind_name(m->vars[e->index].kind));
    const builtin *b = builtin_find(n->name);
    if (!b) {
        const char *s = suggest(m, rs->t, n->name, 1, 1, -1);
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
            if (literal_value(a, &seed) != 0 || !(seed >= 0.0 && seed < 4294967296.0) ||
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
        const int h = new_hidden(m, VK_INIT, rs->owner, "init", arg);
        *np = h >= 0 ? mk_ref(h) : NULL;
        ex.arg[EX_INPUT] = h;
        return record_expansion(rs, &ex, *np);
    }
    if (b->kind == BK_STATEFUL && (b->stateful == SF_DELAY_FIXED || b->stateful == SF_PREVIOUS)) {
        *np = expand_hist(m, rs->owner, n, b->stateful, &ex);
        return record_expansion(rs, &ex, *np);
    }
    if (b->kind == BK_STATEFUL && (b->stateful == SF_TREND || b->stateful == SF_FORECAST)) {
        *np = expand_trend(m, rs->owner, n, b->stateful, &ex);
        return record_expansion(rs, &ex, *np);
    }
    if (b->kind == BK_STATEFUL) {
        int order = (b->stateful == SF_SMOOTH3 || b->stateful == SF_DELAY3) ? 3 : 1;
        if (b->stateful == SF_SMOOTHN || b->stateful == SF_DELAYN) {
            /* the number of hidden stocks is fixed when the model compiles */
            double x;
            const node *a = n->args[2];
            if (literal_value(a, &x) != 0)
                return err_set(rs->err, MIGDEV_E_TYPE, m->file, a->line, a->col,
                               "the order of %s() must be a number written in the equation",
                               b->name);
            if (!(x >= 1.0 && x <= 1000.0) || x != floor(x))
                return err_set(rs->err, MIGDEV_E_RANGE, m->file, a->line, a->col,
                               "the order of %s() must be a whole number from 1 to 1000, got %g",
                               b->name, x);
            order = (int)x;
        }
        *np = expand_stateful(m, rs->owner, n, b->stateful, order, &ex);
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

static int resolve_all(migdev_model *m, const names *t, migdev_error *err)
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

/* -------------------------------------------------------------- attaching */

static int resolve_attaches(migdev_model *m, const names *t, migdev_error *err)
{
    for (int i = 0; i < m->n_attaches; i++) {
        attach *a = &m->attaches[i];
        if (a->stock >= 0 && a->flow >= 0)
            continue;
        const name_entry *s = names_find(t, a->stock_name);
        const name_entry *f = names_find(t, a->flow_name);
        if (!s || s->is_lookup || m->vars[s->index].kind != VK_STOCK) {
            const char *sg = suggest(m, t, a->stock_name, 0, 0, VK_STOCK);
            if (s && !s->is_lookup)
                return err_set(err, MIGDEV_E_NAME, m->file, a->line, a->col,
                               "flow '%s' is attached to '%s', which is %s, not a stock",
                               a->flow_name, a->stock_name, kind_name(m->vars[s->index].kind));
            return err_set(err, MIGDEV_E_NAME, m->file, a->line, a->col,
                           "flow '%s' is attached to a missing stock '%s'%s%s%s", a->flow_name,
                           a->stock_name, sg ? " (did you mean '" : "", sg ? sg : "",
                           sg ? "'?)" : "");
        }
        if (!f || f->is_lookup || m->vars[f->index].kind != VK_FLOW) {
            const char *sg = suggest(m, t, a->flow_name, 0, 0, VK_FLOW);
            if (f && !f->is_lookup)
                return err_set(err, MIGDEV_E_NAME, m->file, a->line, a->col,
                               "stock '%s' lists %s '%s', which is %s, not a flow",
                               a->stock_name, a->is_outflow ? "outflow" : "inflow",
                               a->flow_name, kind_name(m->vars[f->index].kind));
            return err_set(err, MIGDEV_E_NAME, m->file, a->line, a->col,
                           "stock '%s' lists %s '%s', but there is no flow called '%s'%s%s%s",
                           a->stock_name, a->is_outflow ? "outflow" : "inflow", a->flow_name,
                           a->flow_name, sg ? " (did you mean '" : "", sg ? sg : "",
                           sg ? "'?)" : "");
        }
        a->stock = s->index;
        a->flow = f->index;
        a->is_outflow = a->is_outflow ? 1 : 0;
    }
    /* each flow enters at most one stock and leaves at most one */
    for (int i = 0; i < m->n_attaches; i++)
        for (int j = 0; j < i; j++) {
            const attach *a = &m->attaches[i], *b = &m->attaches[j];
            if (a->flow != b->flow)
                continue;
            if (a->stock == b->stock && a->is_outflow == b->is_outflow)
                continue; /* the same link written twice (list and from/to) */
            if (a->stock == b->stock)
                return err_set(err, MIGDEV_E_NAME, m->file, a->line, a->col,
                               "flow '%s' is both an inflow and an outflow of stock '%s'",
                               m->vars[a->flow].name, m->vars[a->stock].name);
            if (a->is_outflow == b->is_outflow)
                return err_set(err, MIGDEV_E_NAME, m->file, a->line, a->col,
                               "flow '%s' is already an %s of stock '%s'", m->vars[a->flow].name,
                               a->is_outflow ? "outflow" : "inflow", m->vars[b->stock].name);
        }
    return 0;
}

/* One filter per flow of each non-negative stock, in priority order:
** inflows first, then outflows, each as listed (see nn_rule). */
static int build_nn_rules(migdev_model *m, migdev_error *err)
{
    int n_rules = 0, n_refs = 0;
    for (int s = 0; s < m->n_stocks; s++)
        if (m->vars[m->stocks[s]].non_negative) {
            const int n = m->flow_off[s + 1] - m->flow_off[s];
            n_rules += n;
            n_refs += n; /* every flow of the stock is written to nn_ref once */
        }
    m->nn_rules = malloc((size_t)(n_rules + 1) * sizeof *m->nn_rules);
    m->nn_ref = malloc((size_t)(n_refs + 1) * sizeof *m->nn_ref);
    m->nn_sign = malloc((size_t)(n_refs + 1) * sizeof *m->nn_sign);
    if (!m->nn_rules || !m->nn_ref || !m->nn_sign)
        return err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
    int refs = 0;
    for (int s = 0; s < m->n_stocks; s++) {
        if (!m->vars[m->stocks[s]].non_negative)
            continue;
        const int start = refs;
        for (int pass = 0; pass < 2; pass++) /* inflows, then outflows */
            for (int k = m->flow_off[s]; k < m->flow_off[s + 1]; k++) {
                const int sign = m->flow_sign[k];
                if ((pass == 0) != (sign > 0))
                    continue;
                variable *f = &m->vars[m->flow_var[k]];
                const int slot = f->nn[0] < 0 ? 0 : 1;
                f->nn[slot] = m->n_nn_rules;
                m->nn_rules[m->n_nn_rules++] = (nn_rule){m->flow_var[k], m->stocks[s], sign, start, refs - start};
                /* the flows after this one see it as served before them */
                m->nn_ref[refs] = m->flow_var[k];
                m->nn_sign[refs] = (signed char)sign;
                refs++;
            }
    }
    return 0;
}

static int build_stock_tables(migdev_model *m, migdev_error *err)
{
    m->n_stocks = 0;
    m->stock_of_var = malloc((size_t)m->n_vars * sizeof *m->stock_of_var);
    m->stocks = malloc((size_t)(m->n_vars + 1) * sizeof *m->stocks);
    m->flow_off = calloc((size_t)m->n_vars + 2, sizeof *m->flow_off);
    m->flow_var = malloc((size_t)(m->n_attaches + 1) * sizeof *m->flow_var);
    m->flow_sign = malloc((size_t)(m->n_attaches + 1) * sizeof *m->flow_sign);
    if (!m->stock_of_var || !m->stocks || !m->flow_off || !m->flow_var || !m->flow_sign)
        return err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
    for (int i = 0; i < m->n_vars; i++) {
        m->stock_of_var[i] = -1;
        if (m->vars[i].kind == VK_STOCK) {
            m->stock_of_var[i] = m->n_stocks;
            m->stocks[m->n_stocks++] = i;
        }
    }
    /* CSR by stock, attachments kept in file order (outflow priority) */
    int k = 0;
    for (int s = 0; s < m->n_stocks; s++) {
        m->flow_off[s] = k;
        for (int i = 0; i < m->n_attaches; i++) {
            const attach *a = &m->attaches[i];
            if (a->stock != m->stocks[s])
                continue;
            int seen = 0;
            for (int j = m->flow_off[s]; j < k; j++)
                seen |= m->flow_var[j] == a->flow;
            if (seen)
                continue;
            m->flow_var[k] = a->flow;
            m->flow_sign[k] = (signed char)(a->is_outflow ? -1 : 1);
            k++;
        }
    }
    m->flow_off[m->n_stocks] = k;
    return build_nn_rules(m, err);
}

/* --------------------------------------------------------------- ordering */

typedef struct edge {
    int to, line, col;
} edge;

typedef struct graph {
    int *off; /* edges of v: e[off[v]..off[v+1]) */
    edge *e;
    int n_e, cap_e;
} graph;

static int push_edge(graph *g, int to, int line, int col)
{
    if (util_grow((void **)&g->e, &g->cap_e, g->n_e + 1, sizeof *g->e))
        return -1;
    g->e[g->n_e++] = (edge){to, line, col};
    return 0;
}

static int add_edges(graph *g, const node *n, const migdev_model *m, int for_init)
{
    if (!n)
        return 0;
    if (n->kind == N_REF && n->ref >= 0) {
        const var_kind k = m->vars[n->ref].kind;
        const int keep = for_init ? k != VK_CONST : (k == VK_AUX || k == VK_FLOW);
        if (keep && push_edge(g, n->ref, n->line, n->col) != 0)
            return -1;
    }
    for (int i = 0; i < n->nargs; i++)
        if (add_edges(g, n->args[i], m, for_init) != 0)
            return -1;
    return 0;
}

static void graph_free(graph *g)
{
    free(g->off);
    free(g->e);
    g->off = NULL;
    g->e = NULL;
}

/* Returns 0, or -1 when out of memory (g then holds nothing). */
static int build_graph(const migdev_model *m, graph *g, int for_init, int with_filters)
{
    g->off = malloc((size_t)(m->n_vars + 1) * sizeof *g->off);
    g->e = NULL;
    g->n_e = g->cap_e = 0;
    if (!g->off)
        return -1;
    for (int i = 0; i < m->n_vars; i++) {
        g->off[i] = g->n_e;
        const variable *v = &m->vars[i];
        const int in_graph = for_init ? v->kind != VK_CONST : (v->kind == VK_AUX || v->kind == VK_FLOW);
        if (in_graph && add_edges(g, v->eq, m, for_init) != 0)
            goto oom;
        /* a filtered flow also depends on the flows served before it */
        for (int r = 0; with_filters && in_graph && r < 2 && v->kind == VK_FLOW && v->nn[r] >= 0; r++) {
            const nn_rule *rule = &m->nn_rules[v->nn[r]];
            for (int k = rule->first; k < rule->first + rule->n; k++)
                if (push_edge(g, m->nn_ref[k], v->eq_line, v->eq_col) != 0)
                    goto oom;
        }
    }
    g->off[m->n_vars] = g->n_e;
    return 0;
oom:
    graph_free(g);
    return -1;
}

static const char *display_name(const migdev_model *m, int i)
{
    return m->vars[i].is_hidden ? m->vars[m->vars[i].owner].name : m->vars[i].name;
}

/* Depth-first topological sort of the vertices for which member[] is set.
** Writes dependencies-first order into out; on a cycle reports its path. */
static int toposort(const migdev_model *m, const graph *g, const char *member, int *out,
                    int *n_out, const char *what, migdev_error *err)
{
    const int n = m->n_vars;
    char *color = calloc((size_t)n, 1);
    int *stack = malloc((size_t)(n + 1) * sizeof *stack);
    int *next = malloc((size_t)(n + 1) * sizeof *next);
    int rc = 0;
    *n_out = 0;
    if (!color || !stack || !next) {
        rc = err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
        goto done;
    }
    for (int root = 0; root < n && !rc; root++) {
        if (!member[root] || color[root])
            continue;
        int sp = 0;
        stack[0] = root;
        next[0] = g->off[root];
        color[root] = 1;
        while (sp >= 0) {
            const int v = stack[sp];
            if (next[sp] < g->off[v + 1]) {
                const edge *e = &g->e[next[sp]++];
                const int w = e->to;
                if (!member[w] || color[w] == 2)
                    continue;
                if (color[w] == 1) {
                    /* cycle: w ... v -> w */
                    char path[400] = "";
                    size_t len = 0;
                    int start = sp;
                    while (start > 0 && stack[start] != w)
                        start--;
                    /* hidden variables (smooth/delay parts) show as their
                       owner, once: "a -> b -> a", not "a -> a -> a -> b -> a" */
                    const char *prev = NULL;
                    for (int k = start; k <= sp && len < sizeof path - 40; k++) {
                        const char *nm = display_name(m, stack[k]);
                        if (prev && strcmp(prev, nm) == 0)
                            continue;
                        len += (size_t)snprintf(path + len, sizeof path - len, "%s -> ", nm);
                        prev = nm;
                    }
                    if (len < sizeof path)
                        snprintf(path + len, sizeof path - len, "%s", display_name(m, w));
                    const variable *vv = &m->vars[m->vars[v].is_hidden ? m->vars[v].owner : v];
                    const int line = e->line ? e->line : vv->eq_line;
                    const int col = e->line ? e->col : vv->eq_col;
                    rc = err_set(err, MIGDEV_E_CYCLE, m->file, line, col, "%s: %s", what, path);
                    goto done;
                }
                color[w] = 1;
                sp++;
                stack[sp] = w;
                next[sp] = g->off[w];
            } else {
                color[v] = 2;
                out[(*n_out)++] = v;
                sp--;
            }
        }
    }
done:
    free(color);
    free(stack);
    free(next);
    return rc;
}

static int uses_time(const node *n)
{
    if (!n)
        return 0;
    if (n->kind == N_CALL && !n->is_lookup && n->fn >= 0) {
        const builtin *b = builtin_at(n->fn);
        if (b->kind == BK_TIMED || b->kind == BK_RANDOM || (b->kind == BK_VALUE && b->op == OP_TIME))
            return 1;
    }
    for (int i = 0; i < n->nargs; i++)
        if (uses_time(n->args[i]))
            return 1;
    return 0;
}

static int refs_all_static(const migdev_model *m, const node *n)
{
    if (!n)
        return 1;
    if (n->kind == N_REF && n->ref >= 0) {
        const variable *v = &m->vars[n->ref];
        if (!(v->kind == VK_CONST || v->kind == VK_INIT || v->is_static))
            return 0;
    }
    for (int i = 0; i < n->nargs; i++)
        if (!refs_all_static(m, n->args[i]))
            return 0;
    return 1;
}

/* Whether `to` can be reached from `from` along dependency edges: those of
** g and the extra filter edges kept so far (xoff/xe, a list per variable). */
static int reaches(const graph *g, int *const *extra, const int *n_extra, int from, int to,
                   int *mark, int gen, int *stack)
{
    int sp = 0;
    stack[sp++] = from;
    mark[from] = gen;
    while (sp > 0) {
        const int v = stack[--sp];
        if (v == to)
            return 1;
        for (int k = g->off[v]; k < g->off[v + 1]; k++) {
            const int w = g->e[k].to;
            if (mark[w] != gen) {
                mark[w] = gen;
                stack[sp++] = w;
            }
        }
        for (int k = 0; k < n_extra[v]; k++) {
            const int w = extra[v][k];
            if (mark[w] != gen) {
                mark[w] = gen;
                stack[sp++] = w;
            }
        }
    }
    return 0;
}

/* A filter counts the flows served before its own, so its flow depends on
** them. Where one of them depends, in turn, on the filtered flow (two
** non-negative stocks exchanging flows both ways), counting it would make an
** algebraic loop: such a flow is left out of that filter, which then limits
** a little earlier than it could (never later: the stock stays at or above
** zero). Filters are settled in stock order, so the choice is deterministic. */
static int prune_nn_refs(migdev_model *m, migdev_error *err)
{
    if (m->n_nn_rules == 0)
        return 0;
    graph g;
    const size_t n = (size_t)m->n_vars + 1;
    int **extra = calloc(n, sizeof *extra);
    int *n_extra = calloc(n, sizeof *n_extra);
    int *mark = calloc(n, sizeof *mark);
    int *stack = malloc(n * sizeof *stack);
    int rc = 0;
    if (!extra || !n_extra || !mark || !stack || build_graph(m, &g, 1, 0) != 0) {
        rc = err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
        goto done;
    }
    /* each rule gets its own list: the lists of one stock shared a prefix */
    int total = 0;
    for (int r = 0; r < m->n_nn_rules; r++)
        total += m->nn_rules[r].n;
    int *ref = malloc((size_t)(total + 1) * sizeof *ref);
    signed char *sign = malloc((size_t)(total + 1) * sizeof *sign);
    if (!ref || !sign) {
        free(ref);
        free(sign);
        graph_free(&g);
        rc = err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
        goto done;
    }
    int gen = 0, out = 0;
    for (int r = 0; r < m->n_nn_rules && !rc; r++) {
        nn_rule *rule = &m->nn_rules[r];
        const int flow = rule->flow, first = out;
        for (int k = rule->first; k < rule->first + rule->n; k++) {
            const int p = m->nn_ref[k];
            if (p == flow || reaches(&g, extra, n_extra, p, flow, mark, ++gen, stack))
                continue;
            int *x = realloc(extra[flow], (size_t)(n_extra[flow] + 1) * sizeof *x);
            if (!x) {
                rc = err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
                break;
            }
            extra[flow] = x;
            extra[flow][n_extra[flow]++] = p;
            ref[out] = p;
            sign[out] = m->nn_sign[k];
            out++;
        }
        rule->first = first;
        rule->n = out - first;
    }
    free(m->nn_ref);
    free(m->nn_sign);
    m->nn_ref = ref;
    m->nn_sign = sign;
    graph_free(&g);
done:
    if (extra)
        for (size_t i = 0; i < n; i++)
            free(extra[i]);
    free(extra), free(n_extra), free(mark), free(stack);
    return rc;
}

static int order(migdev_model *m, migdev_error *err)
{
    graph g;
    int rc = 0;
    char *member = calloc((size_t)m->n_vars + 1, 1);
    int *tmp = malloc((size_t)(m->n_vars + 1) * sizeof *tmp);
    m->init_order = malloc((size_t)(m->n_vars + 1) * sizeof *m->init_order);
    m->step_order = malloc((size_t)(m->n_vars + 1) * sizeof *m->step_order);
    if (!member || !tmp || !m->init_order || !m->step_order) {
        free(member);
        free(tmp);
        return err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
    }
    if ((rc = prune_nn_refs(m, err)) != 0)
        goto done;
    /* 1. algebraic loops among flows and auxiliaries */
    if (build_graph(m, &g, 0, 1) != 0) {
        rc = err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
        goto done;
    }
    for (int i = 0; i < m->n_vars; i++)
        member[i] = m->vars[i].kind == VK_AUX || m->vars[i].kind == VK_FLOW;
    int n_tmp = 0;
    rc = toposort(m, &g, member, tmp, &n_tmp, "algebraic loop", err);
    graph_free(&g);
    if (rc)
        goto done;
    /* 2. initial values: everything but constants, stocks included */
    if (build_graph(m, &g, 1, 1) != 0) {
        rc = err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
        goto done;
    }
    for (int i = 0; i < m->n_vars; i++)
        member[i] = m->vars[i].kind != VK_CONST;
    rc = toposort(m, &g, member, m->init_order, &m->n_init, "circular initial values", err);
    graph_free(&g);
    if (rc)
        goto done;
    /* 3. what is computed once: no time, inputs all fixed, not limited by a
          non-negative stock */
    for (int k = 0; k < n_tmp; k++) {
        variable *v = &m->vars[tmp[k]];
        v->is_static = v->nn[0] < 0 && !uses_time(v->eq) && refs_all_static(m, v->eq);
    }
    m->n_step = 0;
    for (int k = 0; k < n_tmp; k++)
        if (!m->vars[tmp[k]].is_static)
            m->step_order[m->n_step++] = tmp[k];
done:
    free(member);
    free(tmp);
    return rc;
}

/* The VK_HIST variables; their delay times must be fixed for the run. */
static int list_history(migdev_model *m, migdev_error *err)
{
    m->n_hist = 0;
    m->hist = malloc((size_t)(m->n_vars + 1) * sizeof *m->hist);
    if (!m->hist)
        return err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
    for (int i = 0; i < m->n_vars; i++) {
        const variable *v = &m->vars[i];
        if (v->kind != VK_HIST)
            continue;
        m->hist[m->n_hist++] = i;
        const variable *d = v->hist_time >= 0 ? &m->vars[v->hist_time] : NULL;
        if (d && !d->is_static) {
            const variable *o = &m->vars[v->owner];
            return err_set(err, MIGDEV_E_TYPE, m->file, o->eq_line, o->eq_col,
                           "the delay time of delay_fixed() in '%s' changes during the run: it "
                           "may use constants only",
                           o->name);
        }
    }
    return 0;
}

/* ------------------------------------------------------------------- code */

typedef struct emitter {
    migdev_model *m;
    int depth, max_depth;
    int failed;
    double scratch[256]; /* VM stack for folding; kept off emit()'s recursive frames */
} emitter;

static void emit1(emitter *e, int32_t x)
{
    migdev_model *m = e->m;
    if (util_grow((void **)&m->code, &m->cap_code, m->n_code + 1, sizeof *m->code)) {
        e->failed = 1;
        return;
    }
    m->code[m->n_code++] = x;
}

static void push(emitter *e, int n)
{
    e->depth += n;
    if (e->depth > e->max_depth)
        e->max_depth = e->depth;
}

static void emit_num(emitter *e, double x)
{
    migdev_model *m = e->m;
    if (util_grow((void **)&m->pool, &m->cap_pool, m->n_pool + 1, sizeof *m->pool)) {
        e->failed = 1;
        return;
    }
    m->pool[m->n_pool] = x;
    emit1(e, OP_NUM);
    emit1(e, m->n_pool++);
    push(e, 1);
}

static int binop(int tok)
{
    switch (tok) {
    case TK_PLUS: return OP_ADD;
    case TK_MINUS: return OP_SUB;
    case TK_STAR: return OP_MUL;
    case TK_SLASH: return OP_DIV;
    case TK_CARET: return OP_POW;
    case TK_EQ: return OP_EQ;
    case TK_NE: return OP_NE;
    case TK_LT: return OP_LT;
    case TK_LE: return OP_LE;
    case TK_GT: return OP_GT;
    case TK_GE: return OP_GE;
    case TK_AND: return OP_AND;
    default: return OP_OR;
    }
}

/* Emit code that pushes the value of n. Returns 1 when the value is a
** compile-time constant (and then folds it into one literal). */
static int emit(emitter *e, const node *n)
{
    const int start = e->m->n_code;
    const int depth0 = e->depth;
    int is_const = 1;
    switch (n->kind) {
    case N_NUM:
        emit_num(e, n->num);
        return 1;
    case N_REF:
        emit1(e, OP_LOAD);
        emit1(e, n->ref);
        push(e, 1);
        return 0;
    case N_UNARY:
        is_const = emit(e, n->args[0]);
        if (n->op == TK_MINUS)
            emit1(e, OP_NEG);
        else if (n->op == TK_NOT)
            emit1(e, OP_NOT);
        break;
    case N_BINARY: {
        is_const = emit(e, n->args[0]);
        const int right = e->m->n_code;
        is_const &= emit(e, n->args[1]);
        const int op = binop(n->op);
        const int32_t *rc = e->m->code + right;
        if (!e->failed && e->m->n_code - right == 2 && (rc[0] == OP_LOAD || rc[0] == OP_NUM) &&
            op >= OP_ADD && op <= OP_DIV) {
            /* fuse "push operand; op" into one instruction */
            const int fused = (rc[0] == OP_LOAD ? OP_ADD_V : OP_ADD_K) + (op - OP_ADD);
            e->m->code[right] = fused;
            push(e, -1);
            break;
        }
        emit1(e, op);
        push(e, -1);
        break;
    }
    case N_CALL:
        for (int i = 0; i < n->nargs; i++)
            is_const &= emit(e, n->args[i]);
        if (n->is_lookup) {
            emit1(e, OP_LOOKUP);
            emit1(e, n->fn);
            break;
        }
        {
            const builtin *b = builtin_at(n->fn);
            if (b->kind == BK_VALUE) {
                emit1(e, b->op);
                push(e, 1);
                return 0; /* time, dt, start and stop are per run */
            }
            if (b->kind == BK_TIMED)
                is_const = 0;
            if (b->kind == BK_RANDOM) {
                emit1(e, b->op);
                emit1(e, n->ref); /* the call site */
                push(e, 1 - n->nargs);
                return 0;
            }
            if (b->op == OP_MIN || b->op == OP_MAX) {
                /* a b c -> min(min(a, b), c): emitted left to right */
                e->m->n_code = start;
                e->depth = depth0;
                emit(e, n->args[0]);
                for (int i = 1; i < n->nargs; i++) {
                    emit(e, n->args[i]);
                    emit1(e, b->op);
                    push(e, -1);
                }
                break;
            }
            if (b->op == OP_SAFEDIV && n->nargs == 2)
                emit_num(e, 0.0);
            if (b->op == OP_PULSE) {
                if (n->nargs < 3) {
                    emit1(e, OP_DT);
                    push(e, 1);
                }
                if (n->nargs < 4)
                    emit_num(e, 0.0);
            }
            if (b->op == OP_RAMP && n->nargs < 3)
                emit_num(e, INFINITY);
            const int n_in = b->op == OP_PULSE ? 4 : (b->op == OP_RAMP || b->op == OP_IF || b->op == OP_SAFEDIV) ? 3 : n->nargs;
            emit1(e, b->op);
            push(e, 1 - n_in);
        }
        break;
    }
    if (is_const && !e->failed) {
        /* fold: run the fragment now and keep only its value */
        emit1(e, OP_RET);
        if (e->failed)
            return 0;
        if (e->max_depth - depth0 < 256) {
            vm_env env = {.pool = e->m->pool, .tables = e->m->lookups};
            const double x = vm_value(e->m->code + start, &env, e->scratch);
            e->m->n_code = start;
            e->depth = depth0;
            emit_num(e, x);
        } else {
            e->m->n_code--; /* drop OP_RET, keep the code */
        }
    }
    return is_const;
}

/* Length of a snippet up to (not including) its OP_END. */
static int snippet_len(const int32_t *c)
{
    int j = 0;
    while (c[j] != OP_END)
        j += op_has_operand(c[j]) ? 2 : 1;
    return j;
}

static int generate(migdev_model *m, migdev_error *err)
{
    emitter e = {m, 0, 0, 0, {0.0}};
    for (int i = 0; i < m->n_vars && !e.failed; i++) {
        variable *v = &m->vars[i];
        if (v->kind == VK_CONST || !v->eq)
            continue;
        v->code = m->n_code;
        e.depth = 0;
        emit(&e, v->eq);
        if (v->kind == VK_FLOW && v->non_negative)
            emit1(&e, OP_MAX0);
        for (int r = 0; r < 2 && v->kind == VK_FLOW && v->nn[r] >= 0; r++) {
            emit1(&e, OP_NNLIMIT);
            emit1(&e, v->nn[r]);
        }
        emit1(&e, OP_STORE);
        emit1(&e, i);
        emit1(&e, OP_END);
    }
    if (e.failed)
        return err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
    m->max_stack = e.max_depth + 1;
    /* the step program: dynamic snippets back to back, one OP_END */
    int len = 1;
    for (int k = 0; k < m->n_step; k++) {
        len += snippet_len(m->code + m->vars[m->step_order[k]].code);
    }
    m->step_code = malloc((size_t)len * sizeof *m->step_code);
    if (!m->step_code)
        return err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
    int at = 0;
    for (int k = 0; k < m->n_step; k++) {
        const int32_t *c = m->code + m->vars[m->step_order[k]].code;
        const int j = snippet_len(c);
        memcpy(m->step_code + at, c, (size_t)j * sizeof *c);
        at += j;
    }
    m->step_code[at] = OP_END;
    return 0;
}

/* ------------------------------------------------------------------- main */

int mb_compile(migdev_model *m, migdev_error *err)
{
    names t = {NULL, 0};
    int rc = build_names(m, &t, err);
    if (!rc)
        rc = resolve_attaches(m, &t, err);
    m->n_visible = m->n_vars;
    if (!rc)
        rc = resolve_all(m, &t, err);
    free(t.e);
    if (!rc)
        rc = build_stock_tables(m, err);
    if (!rc)
        rc = order(m, err);
    if (!rc)
        rc = list_history(m, err);
    if (!rc)
        rc = generate(m, err);
    if (!rc) {
        /* sorted names for migdev_model_find */
        m->sorted = malloc((size_t)(m->n_visible + 1) * sizeof *m->sorted);
        if (!m->sorted)
            return err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
        names byname = {malloc((size_t)(m->n_visible + 1) * sizeof(name_entry)), 0};
        if (!byname.e)
            return err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
        for (int i = 0; i < m->n_visible; i++)
            byname.e[byname.n++] = (name_entry){m->vars[i].name, i, 0, m->vars[i].line, m->vars[i].col};
        qsort(byname.e, (size_t)byname.n, sizeof *byname.e, cmp_entry);
        for (int i = 0; i < byname.n; i++)
            m->sorted[i] = byname.e[i].index;
        free(byname.e);
    }
    return rc;
}
