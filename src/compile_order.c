/*
** compile_order.c - ordering: dependency graphs, the evaluation order (rejecting algebraic loops with their path) and what is computed once.
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
            return -1;
        /* a filtered flow also depends on the flows served before it */
        for (int r = 0; with_filters && in_graph && r < 2 && v->kind == VK_FLOW && v->nn[r] >= 0; r++) {
            const nn_rule *rule = &m->nn_rules[v->nn[r]];
            for (int k = rule->first; k < rule->first + rule->n; k++)
                if (push_edge(g, m->nn_ref[k], v->eq_line, v->eq_col) != 0)
                    return -1;
        }
    }
    g->off[m->n_vars] = g->n_e;
    return 0;
}

static void graph_free(graph *g)
{
    free(g->off);
    free(g->e);
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

int comp_order(migdev_model *m, migdev_error *err)
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
int comp_list_history(migdev_model *m, migdev_error *err)
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
