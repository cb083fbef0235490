/*
** loops_int.h - the pieces of the loop analysis (loops.h), shared by the
** loops_*.c files.
**
** loops_graph.c   the causal graph of a compiled model, strongly connected
**                 components, paths through smooth/delay internals
** loops_johnson.c elementary cycles (Johnson 1975), with a cap
** loops_sample.c  simulate and keep every variable at every save time
** loops_score.c   numeric link polarity and Loops That Matter link scores
** loops_discover.c strongest-path loop discovery (Eberlein & Schoenberg 2020)
** loops.c         collapse cycles into reported loops, names, loop scores,
**                 relative scores, dominance periods (the public API)
** loops_eigen.c   Jacobian, eigenvalues and equilibrium (migdev_stability)
**
** Nothing here keeps global state; every function works on what it is given.
*/
#ifndef MIGDEV_LOOPS_INT_H
#define MIGDEV_LOOPS_INT_H

#include <stddef.h>

#include "migdev/loops.h"
#include "model_int.h"
#include "vm.h"

/* ---- cycles as edge sequences (flat) ---- */
typedef struct cycle_set {
    long n, cap;        /* cycles */
    long *off;          /* cycle c: edges e[off[c] .. off[c+1]) */
    int *e;
    long n_e, cap_e;
} cycle_set;

/* Append a cycle; returns 0 or MIGDEV_E_NOMEM. */
int cycles_add(cycle_set *cs, const int *edges, int len);
void cycles_free(cycle_set *cs);
static inline int cycle_len(const cycle_set *cs, long c)
{
    return (int)(cs->off[c + 1] - cs->off[c]);
}

/* ---- the causal graph ---- */
typedef struct lgraph {
    const migdev_model *m;
    int n;                 /* nodes: stocks, flows, auxiliaries (hidden too) */
    int *var;              /* node -> variable */
    int *node_of;          /* variable -> node, -1 for constants and init() values */
    int n_edges;
    int *off;              /* out-edges of u: off[u] .. off[u+1]) (CSR) */
    int *dst, *src;        /* edge -> its ends */
    signed char *flow_sign; /* edge: +1 inflow -> stock, -1 outflow -> stock, 0 equation link */
    int *scc;              /* node -> strongly connected component */
    int n_scc;
} lgraph;

/* Build the graph of compiled model m: x -> z for every distinct variable x
** (not a constant, not an init() value) in the equation of flow or
** auxiliary z; f -> S for every flow of stock S. Returns 0 or an error. */
int lgraph_build(lgraph *g, const migdev_model *m, migdev_error *err);
void lgraph_free(lgraph *g);
/* Whether node u is a variable the user wrote (not inside a smooth/delay). */
static inline int lgraph_visible(const lgraph *g, int u)
{
    return g->var[u] < g->m->n_visible;
}
/* The visible variable a node is shown as (hidden: its owner). */
static inline int lgraph_shown(const lgraph *g, int u)
{
    const int v = g->var[u];
    return v < g->m->n_visible ? v : g->m->vars[v].owner;
}

/* Strongly connected components of the graph with n nodes and CSR
** off/dst (Tarjan, iterative). comp[u] receives the component of u; the
** return value is the number of components, or MIGDEV_E_NOMEM. */
int graph_scc(int n, const int *off, const int *dst, int *comp);

/* ---- elementary cycles ---- */
/* Append to out every elementary cycle of the graph (n nodes, CSR off/dst),
** each as its edge sequence (CSR positions) starting at its least node.
** Stops after cap + 1 cycles and sets *truncated. Returns 0 or MIGDEV_E_NOMEM (out of
** memory). */
int johnson_cycles(int n, const int *off, const int *dst, long cap, cycle_set *out,
                   int *truncated);

/* ---- samples of a run ---- */
typedef struct samples {
    int nv;                /* variables (all of them) */
    size_t ns;             /* save times */
    double *t;             /* ns times */
    double *v;             /* ns * nv values, time-major: v[k*nv + i] */
    migdev_sim_spec spec;
} samples;

/* Simulate r's model with its spec and constants and keep every variable
** at every save time. Returns 0 or an error (as migdev_run_execute). */
int samples_take(samples *s, const migdev_run *r, migdev_error *err);
void samples_free(samples *s);

/* ---- polarity and link scores ---- */
typedef struct score_ws {
    double *scratch;       /* nv values */
    double *stack;         /* VM stack */
    vm_env env;
} score_ws;

int score_ws_init(score_ws *w, const migdev_model *m, const samples *s);
void score_ws_free(score_ws *w);

/* Polarity of every edge (migdev_polarity codes) from central differences
** at every sampled state. */
void edge_polarity(const lgraph *g, const samples *s, score_ws *w, unsigned char *pol);

/* Polarity of z's equation in variable x for the n pairs (xs[i], zs[i]),
** any variables (constants too), from every sampled state. */
void pair_polarity(const migdev_model *m, const samples *s, score_ws *w, const int *xs,
                   const int *zs, int n, unsigned char *pol);

/* Link score of every edge at every save time: ls[k*n_edges + e] (0 at
** k = 0). Counts singular flow links and non-finite results. */
void link_scores(const lgraph *g, const samples *s, migdev_partial partial, score_ws *w,
                 double *ls, long *n_singular, long *n_nonfinite);

/* Relative scores of n loop scores normalised together, in the log domain
** (no overflow): rel[i] = s[i] exp(lg[i]) / sum exp(lg), where lg[i] is
** log |score i| and sign[i] its sign (0: a zero score, which gets 0). All 0
** when every score is 0. */
void relative_scores_log(int n, const double *lg, const signed char *sign, double *rel);
/* The same from plain scores (lg and sign are scratch, n each). */
void relative_scores(int n, const double *sc, double *lg, signed char *sign, double *rel);

/* ---- discovery ---- */
/* Strongest-path search at every save time k >= 1 from every stock, with
** the best scores reset for each start stock; unique cycles are appended
** to out (starting at their least node). *budget_hit is set when a search
** was cut short. Returns 0 or MIGDEV_E_NOMEM (out of memory). */
int discover_cycles(const lgraph *g, const double *ls, size_t ns, cycle_set *out,
                    int *budget_hit);

#endif
