/*
** compile_expand.c - builtin expansion: stateful calls (smooth, delay, trend, init, history) become hidden variables.
**
** Part of the compiler (see compile.c for the steps and compile_int.h).
*/
#include "builtins.h"
#include "compile_int.h"
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

/* ------------------------------------------------------------- hidden vars */

node *comp_mk_ref(int index)
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
int comp_new_hidden(migdev_model *m, var_kind kind, int owner, const char *part, node *eq)
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

/* A hidden VK_HIST variable holding src as it was one step earlier (src's
** initial value at the start): previous(src, src). -1 when out of memory. */
static int hidden_previous(migdev_model *m, int owner, int src)
{
    const int h = comp_new_hidden(m, VK_HIST, owner, "stage_history", comp_mk_ref(src));
    if (h < 0)
        return -1;
    m->vars[h].hist_in = src;
    m->vars[h].hist_time = -1;
    return h;
}

/* Expand a stateful call into hidden stocks and flows; returns the node
** that replaces it, or NULL when out of memory. Consumes call. order is the
** number of stages (smoothn/delayn: checked by the caller).
**
** delayn_staged (Vensim's DELAY N) differs from delayn only when the delay
** time T changes: stage k (from 0) drains over T(t - k*dt)/n, the delay time
** as it was k steps ago (its value at the start before that), and the
** output is n*S_last/T(t - dt). That rule reproduces Vensim's output of the
** `delays` test model (docs/vensim.md); the stage delays are a chain of
** one-step histories of T/n. */
node *comp_expand_stateful(migdev_model *m, int owner, node *call, int fn, int order,
                             expansion *ex)
{
    const int staged = fn == SF_DELAYN_STAGED;
    const int nth = fn == SF_SMOOTHN || fn == SF_DELAYN || staged;
    node *input = call->args[0], *delay = call->args[1];
    node *init = call->nargs > 2 + nth ? call->args[2 + nth] : NULL;
    if (nth)
        node_free(call->args[2]); /* the order, already read */
    call->nargs = 0; /* the arguments now belong to us */
    node_free(call);

    const int is_delay = (fn == SF_DELAY1 || fn == SF_DELAY3 || fn == SF_DELAYN || staged);
    const int hin = comp_new_hidden(m, VK_AUX, owner, "input", input);
    if (order > 1)
        delay = mk_bin(TK_SLASH, delay, mk_num((double)order));
    const int hd = comp_new_hidden(m, VK_AUX, owner, order > 1 ? "stage_delay" : "delay", delay);
    const int hinit = init ? comp_new_hidden(m, VK_AUX, owner, "init", init) : hin;
    if (hin < 0 || hd < 0 || hinit < 0)
        return NULL; /* new_hidden frees what it was given */
    ex->arg[EX_INPUT] = hin;
    ex->arg[EX_TIME] = hd;
    ex->arg[EX_INIT] = init ? hinit : -1;
    /* the stage delays: hd for every stage, or hd's history for staged */
    int hd_prev = hd, hd_out = hd;
    int prev = hin, last = -1;
    for (int k = 0; k < order; k++) {
        int hd_k = hd;
        if (staged && k > 0 && (hd_k = hidden_previous(m, owner, hd_prev)) < 0)
            return NULL;
        if (staged && k == 1)
            hd_out = hd_k;
        /* smooth: stock starts at init, flow (prev - S)/d.
           delay:  stock starts at init*d, flow prev_out - S/d, out = S/d. */
        node *sinit = is_delay ? mk_bin(TK_STAR, comp_mk_ref(hinit), comp_mk_ref(hd)) : comp_mk_ref(hinit);
        const int s = comp_new_hidden(m, VK_STOCK, owner, "stock", sinit);
        if (s < 0)
            return NULL;
        node *in = (is_delay && k > 0) ? mk_bin(TK_SLASH, comp_mk_ref(prev), comp_mk_ref(hd_prev)) : comp_mk_ref(prev);
        node *feq = is_delay ? mk_bin(TK_MINUS, in, mk_bin(TK_SLASH, comp_mk_ref(s), comp_mk_ref(hd_k)))
                             : mk_bin(TK_SLASH, mk_bin(TK_MINUS, in, comp_mk_ref(s)), comp_mk_ref(hd));
        const int f = comp_new_hidden(m, VK_FLOW, owner, "flow", feq);
        if (f < 0 || attach_hidden(m, s, f) != 0)
            return NULL;
        prev = s;
        last = s;
        hd_prev = hd_k;
    }
    if (staged && order == 1 && (hd_out = hidden_previous(m, owner, hd)) < 0)
        return NULL;
    return is_delay ? mk_bin(TK_SLASH, comp_mk_ref(last), comp_mk_ref(hd_out)) : comp_mk_ref(last);
}

/* trend(x, t[, g0]) and forecast(x, t, h[, g0]), as Vensim documents them:
** a smooth S of x over t starting at x/(1 + g0*t); trend = (x - S)/(t*|S|)
** (0 when S is 0); forecast = x*(1 + trend*h). Consumes call. */
node *comp_expand_trend(migdev_model *m, int owner, node *call, int fn, expansion *ex)
{
    const int fc = fn == SF_FORECAST;
    node *input = call->args[0], *avg = call->args[1];
    node *horizon = fc ? call->args[2] : NULL;
    const int has_g0 = call->nargs > 2 + fc;
    node *g0 = has_g0 ? call->args[2 + fc] : mk_num(0.0);
    call->nargs = 0;
    node_free(call);
    const int hin = comp_new_hidden(m, VK_AUX, owner, "input", input);
    const int ht = comp_new_hidden(m, VK_AUX, owner, "average_time", avg);
    const int hg = comp_new_hidden(m, VK_AUX, owner, "initial_trend", g0);
    const int hh = fc ? comp_new_hidden(m, VK_AUX, owner, "horizon", horizon) : -1;
    if (hin < 0 || ht < 0 || hg < 0 || (fc && hh < 0))
        return NULL;
    ex->arg[EX_INPUT] = hin;
    ex->arg[EX_TIME] = ht;
    ex->arg[EX_INIT] = has_g0 ? hg : -1;
    ex->arg[EX_HORIZON] = hh;
    node *sinit = mk_bin(TK_SLASH, comp_mk_ref(hin),
                         mk_bin(TK_PLUS, mk_num(1.0), mk_bin(TK_STAR, comp_mk_ref(hg), comp_mk_ref(ht))));
    const int s = comp_new_hidden(m, VK_STOCK, owner, "stock", sinit);
    if (s < 0)
        return NULL;
    node *feq = mk_bin(TK_SLASH, mk_bin(TK_MINUS, comp_mk_ref(hin), comp_mk_ref(s)), comp_mk_ref(ht));
    const int f = comp_new_hidden(m, VK_FLOW, owner, "flow", feq);
    if (f < 0 || attach_hidden(m, s, f) != 0)
        return NULL;
    node *trend = mk_call("safediv", 2, mk_bin(TK_MINUS, comp_mk_ref(hin), comp_mk_ref(s)),
                          mk_bin(TK_STAR, comp_mk_ref(ht), mk_call("abs", 1, comp_mk_ref(s), NULL)));
    if (!fc)
        return trend;
    return mk_bin(TK_STAR, comp_mk_ref(hin),
                  mk_bin(TK_PLUS, mk_num(1.0), mk_bin(TK_STAR, trend, comp_mk_ref(hh))));
}

/* delay_fixed(x, d[, init]) and previous(x, init): a VK_HIST variable that
** the run sets once per step from the samples of x it keeps (d/dt of them;
** one for previous). It starts at init (delay_fixed: x's initial value by
** default). Consumes call. */
node *comp_expand_hist(migdev_model *m, int owner, node *call, int fn, expansion *ex)
{
    const int fixed = fn == SF_DELAY_FIXED;
    node *input = call->args[0];
    node *delay = fixed ? call->args[1] : NULL;
    node *init = fixed ? (call->nargs > 2 ? call->args[2] : NULL) : call->args[1];
    call->nargs = 0;
    node_free(call);
    const int hin = comp_new_hidden(m, VK_AUX, owner, "input", input);
    const int hd = fixed ? comp_new_hidden(m, VK_AUX, owner, "delay", delay) : -1;
    const int hinit = init ? comp_new_hidden(m, VK_AUX, owner, "init", init) : hin;
    if (hin < 0 || (fixed && hd < 0) || hinit < 0)
        return NULL;
    ex->arg[EX_INPUT] = hin;
    ex->arg[EX_TIME] = hd;
    ex->arg[EX_INIT] = init ? hinit : -1;
    const int h = comp_new_hidden(m, VK_HIST, owner, "history", comp_mk_ref(hinit));
    if (h < 0)
        return NULL;
    m->vars[h].hist_in = hin;
    m->vars[h].hist_time = hd;
    return comp_mk_ref(h);
}
