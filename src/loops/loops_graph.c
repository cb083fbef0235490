/*
** loops_graph.c - the causal graph of a compiled model, as system-dynamics
** tools build it for loop analysis.
**
** Nodes are the stocks, flows and auxiliaries, hidden ones (the stocks and
** flows of smooth/delay) included. Edges: x -> z for each distinct variable
** x referenced by the equation of flow or auxiliary z, unless x is a
** constant or an init() value; f -> S for each inflow (+) and outflow (-)
** of stock S. A stock's initial value, time and lookup tables add nothing.
** Also: Tarjan's strongly connected components, and a growable list of
** cycles.
*/
#include "loops_int.h"

#include "error_int.h"

#include <stdlib.h>
#include <string.h>

int cycles_add(cycle_set *cs, const int *edges, int len)
{
    if (cs->n + 1 >= cs->cap) {
        const long nc = cs->cap ? 2 * cs->cap : 64;
        long *o = realloc(cs->off, (size_t)nc * sizeof *o);
        if (!o)
            return MIGDEV_E_NOMEM;
        cs->off = o;
        cs->cap = nc;
        if (cs->n == 0)
            cs->off[0] = 0;
    }
    if (cs->n_e + len > cs->cap_e) {
        long nc = cs->cap_e ? 2 * cs->cap_e : 256;
        while (nc < cs->n_e + len)
            nc *= 2;
        int *e = realloc(cs->e, (size_t)nc * sizeof *e);
        if (!e)
            return MIGDEV_E_NOMEM;
        cs->e = e;
        cs->cap_e = nc;
    }
    memcpy(cs->e + cs->n_e, edges, (size_t)len * sizeof *edges);
    cs->n_e += len;
    cs->n++;
    cs->off[cs->n] = cs->n_e;
    return 0;
}

void cycles_free(cycle_set *cs)
{
    free(cs->off);
    free(cs->e);
    memset(cs, 0, sizeof *cs);
}

/* ------------------------------------------------------------ the graph */

typedef struct edge_list {
    int *src, *dst;
    signed char *sign;
    int n, cap;
} edge_list;

static int push_edge(edge_list *l, int u, int v, int sign)
{
    if (l->n == l->cap) {
        const int nc = l->cap ? 2 * l->cap : 256;
        int *s = realloc(l->src, (size_t)nc * sizeof *s);
        if (!s)
            return MIGDEV_E_NOMEM;
        l->src = s;
        int *d = realloc(l->dst, (size_t)nc * sizeof *d);
        if (!d)
            return MIGDEV_E_NOMEM;
        l->dst = d;
        signed char *g = realloc(l->sign, (size_t)nc);
        if (!g)
            return MIGDEV_E_NOMEM;
        l->sign = g;
        l->cap = nc;
    }
    l->src[l->n] = u;
    l->dst[l->n] = v;
    l->sign[l->n] = (signed char)sign;
    l->n++;
    return 0;
}

/* Edges into node z from the distinct references in equation n; seen[]
** holds the stamp z+1 for sources already added. */
static int refs_into(const lgraph *g, const node *n, int z, int *seen, edge_list *l)
{
    if (!n)
        return 0;
    if (n->kind == N_REF && n->ref >= 0) {
        const int u = g->node_of[n->ref];
        if (u >= 0 && seen[u] != z + 1) {
            seen[u] = z + 1;
            if (push_edge(l, u, z, 0) != 0)
                return MIGDEV_E_NOMEM;
        }
    }
    for (int i = 0; i < n->nargs; i++)
        if (refs_into(g, n->args[i], z, seen, l) != 0)
            return MIGDEV_E_NOMEM;
    return 0;
}

int lgraph_build(lgraph *g, const migdev_model *m, migdev_error *err)
{
    memset(g, 0, sizeof *g);
    g->m = m;
    edge_list l = {NULL, NULL, NULL, 0, 0};
    int *seen = NULL;
    g->var = malloc((size_t)(m->n_vars + 1) * sizeof *g->var);
    g->node_of = malloc((size_t)(m->n_vars + 1) * sizeof *g->node_of);
    if (!g->var || !g->node_of)
        goto nomem;
    for (int i = 0; i < m->n_vars; i++) {
        const var_kind k = m->vars[i].kind;
        g->node_of[i] = -1;
        if (k == VK_STOCK || k == VK_FLOW || k == VK_AUX) {
            g->node_of[i] = g->n;
            g->var[g->n++] = i;
        }
    }
    seen = calloc((size_t)g->n + 1, sizeof *seen);
    if (!seen)
        goto nomem;
    for (int z = 0; z < g->n; z++) {
        const variable *v = &m->vars[g->var[z]];
        if (v->kind != VK_STOCK && refs_into(g, v->eq, z, seen, &l) != 0)
            goto nomem;
    }
    for (int s = 0; s < m->n_stocks; s++) {
        const int sn = g->node_of[m->stocks[s]];
        for (int k = m->flow_off[s]; k < m->flow_off[s + 1]; k++) {
            const int fn = g->node_of[m->flow_var[k]];
            if (seen[fn] == sn + 1)
                continue; /* a flow both filling and draining one stock: one edge */
            seen[fn] = sn + 1;
            if (push_edge(&l, fn, sn, m->flow_sign[k]) != 0)
                goto nomem;
        }
    }
    /* CSR by source, keeping the order edges were found in */
    g->n_edges = l.n;
    g->off = calloc((size_t)g->n + 2, sizeof *g->off);
    g->dst = malloc(((size_t)l.n + 1) * sizeof *g->dst);
    g->src = malloc(((size_t)l.n + 1) * sizeof *g->src);
    g->flow_sign = malloc((size_t)l.n + 1);
    g->scc = malloc(((size_t)g->n + 1) * sizeof *g->scc);
    if (!g->off || !g->dst || !g->src || !g->flow_sign || !g->scc)
        goto nomem;
    for (int i = 0; i < l.n; i++)
        g->off[l.src[i] + 1]++;
    for (int u = 0; u < g->n; u++)
        g->off[u + 1] += g->off[u];
    memset(seen, 0, ((size_t)g->n + 1) * sizeof *seen);
    for (int i = 0; i < l.n; i++) {
        const int u = l.src[i];
        const int at = g->off[u] + seen[u]++;
        g->src[at] = u;
        g->dst[at] = l.dst[i];
        g->flow_sign[at] = l.sign[i];
    }
    g->n_scc = graph_scc(g->n, g->off, g->dst, g->scc);
    if (g->n_scc < 0)
        goto nomem;
    free(seen);
    free(l.src), free(l.dst), free(l.sign);
    return 0;
nomem:
    free(seen);
    free(l.src), free(l.dst), free(l.sign);
    lgraph_free(g);
    return err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
}

void lgraph_free(lgraph *g)
{
    free(g->var), free(g->node_of), free(g->off), free(g->dst), free(g->src);
    free(g->flow_sign), free(g->scc);
    memset(g, 0, sizeof *g);
}

/* ------------------------------------------------------------- Tarjan */

int graph_scc(int n, const int *off, const int *dst, int *comp)
{
    int *index = malloc(((size_t)n + 1) * sizeof *index);
    int *low = malloc(((size_t)n + 1) * sizeof *low);
    int *stack = malloc(((size_t)n + 1) * sizeof *stack);
    int *call = malloc(((size_t)n + 1) * sizeof *call);  /* DFS path */
    int *next = malloc(((size_t)n + 1) * sizeof *next);  /* next edge per path entry */
    char *on = calloc((size_t)n + 1, 1);
    int n_comp = MIGDEV_E_NOMEM;
    if (!index || !low || !stack || !call || !next || !on)
        goto done;
    for (int u = 0; u < n; u++)
        index[u] = -1;
    int counter = 0, sp = 0;
    n_comp = 0;
    for (int root = 0; root < n; root++) {
        if (index[root] >= 0)
            continue;
        int depth = 0;
        call[0] = root;
        next[0] = off[root];
        index[root] = low[root] = counter++;
        stack[sp++] = root;
        on[root] = 1;
        while (depth >= 0) {
            const int v = call[depth];
            if (next[depth] < off[v + 1]) {
                const int w = dst[next[depth]++];
                if (index[w] < 0) {
                    index[w] = low[w] = counter++;
                    stack[sp++] = w;
                    on[w] = 1;
                    depth++;
                    call[depth] = w;
                    next[depth] = off[w];
                } else if (on[w] && index[w] < low[v]) {
                    low[v] = index[w];
                }
                continue;
            }
            if (low[v] == index[v]) {
                int w;
                do {
                    w = stack[--sp];
                    on[w] = 0;
                    comp[w] = n_comp;
                } while (w != v);
                n_comp++;
            }
            depth--;
            if (depth >= 0 && low[v] < low[call[depth]])
                low[call[depth]] = low[v];
        }
    }
done:
    free(index), free(low), free(stack), free(call), free(next), free(on);
    return n_comp;
}
