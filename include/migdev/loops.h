/*
** loops.h - feedback-loop analysis: the causal graph of a model, its
** elementary loops and their polarity, loop dominance over a run (Loops
** That Matter), and the stability of the stocks at a point in time.
**
** migdev_loops_analyse() simulates a run's model in a workspace of its own
** (the caller's run is only read: its spec and constant values) and returns
** an owned analysis. Every pointer handed out by the getters is borrowed from
** the analysis and stays valid until migdev_loops_free(). The model must
** outlive the analysis. An analysis is immutable once built and may be read
** from several threads.
**
** Variables are visible variable indices, as in migdev_model_var(). The
** hidden stocks and flows that smooth/delay expand into are part of the
** graph the loops are found and scored on, but are collapsed into the
** variable whose equation holds the smooth/delay when loops and links are
** reported (see docs/loops.md).
*/
#ifndef MIGDEV_LOOPS_H
#define MIGDEV_LOOPS_H

#include <stddef.h>

#include "migdev/error.h"
#include "migdev/model.h"
#include "migdev/run.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct migdev_loops migdev_loops;

/* Default cap on exhaustive enumeration (elementary cycles of the graph). */
#define MIGDEV_LOOPS_DEFAULT_CAP 10000L

/* How the partial change of a link x -> z over [t(k-1), t(k)] is taken. */
typedef enum migdev_partial {
    MIGDEV_CHANGED_LAST = 0, /* z(k) - z(x(k-1), others(k)): Stella's convention (default) */
    MIGDEV_CHANGED_FIRST     /* z(x(k), others(k-1)) - z(k-1): the 2020 paper's wording */
} migdev_partial;

typedef struct migdev_loops_opts {
    long max_loops;         /* stop exhaustive enumeration past this many cycles
                               and discover loops instead; <= 0: the default cap */
    int discover;           /* 1: strongest-path discovery even below the cap */
    int scores;             /* 1: compute link, loop and relative loop scores */
    migdev_partial partial; /* partial-change convention of the link scores */
} migdev_loops_opts;

/* Polarity of a link: the sign of the partial derivative at the run's states. */
typedef enum migdev_polarity {
    MIGDEV_POL_ZERO = 0,  /* the derivative was zero at every sampled state */
    MIGDEV_POL_POSITIVE,
    MIGDEV_POL_NEGATIVE,
    MIGDEV_POL_UNKNOWN    /* both signs occurred during the run */
} migdev_polarity;

typedef struct migdev_link_info {
    int from, to;               /* visible variables */
    migdev_polarity polarity;
    int is_flow;                /* +1: a flow filling stock `to`; -1: draining it; 0 otherwise */
    int through_hidden;         /* 1: through the hidden stocks of a smooth/delay in `to` */
} migdev_link_info;

typedef struct migdev_loop_info {
    const char *id;        /* "R1", "B2", "U1" or "Z1" (deterministic: by length, then names) */
    const char *name;      /* its name from the model's loops section, or NULL */
    const int *vars;       /* the visible variables in causal order; vars[n-1] -> vars[0] closes it */
    const char *signs;     /* signs[i]: '+', '-', '?' or '0', the polarity of vars[i] -> vars[i+1] */
    int n;                 /* its length: links between visible variables */
    int n_hidden;          /* hidden variables it also passes (inside smooth/delay) */
    char polarity;         /* 'R' reinforcing, 'B' balancing, 'U' a link changes sign,
                              '0' a link was never active */
    int partition;         /* cycle partition (stocks that feed back on each other), 0-based */
    /* with scores: */
    const char *runtime;   /* run-time polarity from the scores: "R", "B", "Ru", "Bu", "U", "-" */
    double mean_abs_rel;   /* mean |relative score| over the save times after the first */
    double max_abs_rel;    /* largest |relative score| */
} migdev_loop_info;

/* One time span over which a loop, or a smallest set of loops, dominates its
** partition: the loops with the largest |relative score| that together
** reach 0.5 at each save time from `from` to `to`. */
typedef struct migdev_dominance {
    int partition;
    double from, to;       /* save times (scores of [t(k-1), t(k)] are reported at t(k)) */
    const int *loops;      /* loop indices, largest share first */
    int n;                 /* 1: one loop dominates; more: they co-dominate; 0: nothing moves */
    double share;          /* mean of the set's sum of |relative score| over the span */
} migdev_dominance;

/* Simulate r's model with r's spec and constant values, build the causal
** graph, find its loops (Johnson's algorithm per strongly connected
** component; strongest-path discovery past the cap), take link polarities
** from the run's states and, with opts->scores, the Loops That Matter
** scores at every save time. opts may be NULL (defaults, no scores).
** Returns an owned analysis, or NULL with err set (a named loop that is not
** in the model is reported at its line; a failed run as by
** migdev_run_execute()). */
MIGDEV_API migdev_loops *migdev_loops_analyse(const migdev_run *r, const migdev_loops_opts *opts,
                                   migdev_error *err);

/* Release an analysis. NULL is a no-op. */
MIGDEV_API void migdev_loops_free(migdev_loops *a);

/* ---- the causal graph, between visible variables ----
** The getters migdev_loops_link, _constant_link, _get and _period fill *out
** and return 0, or MIGDEV_E_RANGE when i is out of range. What they point
** to is borrowed from the analysis and valid until migdev_loops_free(). */
MIGDEV_API int migdev_loops_n_links(const migdev_loops *a);
MIGDEV_API int migdev_loops_link(const migdev_loops *a, int i, migdev_link_info *out);
/* Links from constants into the variables that use them (not part of the
** causal graph: constants never change; for diagrams). Through a
** smooth/delay their polarity is MIGDEV_POL_UNKNOWN. */
MIGDEV_API int migdev_loops_n_constant_links(const migdev_loops *a);
MIGDEV_API int migdev_loops_constant_link(const migdev_loops *a, int i, migdev_link_info *out);
/* Index of the link from -> to, or MIGDEV_E_NAME when there is none. */
MIGDEV_API int migdev_loops_find_link(const migdev_loops *a, int from, int to);

/* ---- the loops ---- */
MIGDEV_API int migdev_loops_count(const migdev_loops *a);
MIGDEV_API int migdev_loops_get(const migdev_loops *a, int i, migdev_loop_info *out);
/* Index of the loop with this name or id, or MIGDEV_E_NAME. */
MIGDEV_API int migdev_loops_find(const migdev_loops *a, const char *name_or_id);
/* 1 when the loops were found by strongest-path discovery (the cap was
** exceeded, or discovery was asked for): then they are the loops that
** mattered at some save time, not necessarily all. */
MIGDEV_API int migdev_loops_is_discovered(const migdev_loops *a);
/* 1 when a discovery search hit its work budget (some loops may be missed). */
MIGDEV_API int migdev_loops_discovery_cut(const migdev_loops *a);
/* Cycles found in the full graph (hidden variables included) before they
** were collapsed into loops; with discovery, how many enumeration reached. */
MIGDEV_API long migdev_loops_n_cycles(const migdev_loops *a);
MIGDEV_API long migdev_loops_cap(const migdev_loops *a);
MIGDEV_API int migdev_loops_n_partitions(const migdev_loops *a);

/* ---- scores (NULL / 0 unless computed) ---- */
MIGDEV_API size_t migdev_loops_n_times(const migdev_loops *a);
MIGDEV_API const double *migdev_loops_times(const migdev_loops *a);
/* Loop score and relative loop score of loop i at each save time (0 at the
** first). A loop that passes a smooth/delay takes, at each time, its
** strongest path through it (Stella's composite link score). */
MIGDEV_API const double *migdev_loops_score(const migdev_loops *a, int i);
MIGDEV_API const double *migdev_loops_relative(const migdev_loops *a, int i);
/* Link score of link i at each save time (through a smooth/delay: the
** strongest path's product). */
MIGDEV_API const double *migdev_loops_link_score(const migdev_loops *a, int i);
/* Events where a flow changed while its stock's net flow did not (the
** score is then 0), and non-finite scores replaced by 0. */
MIGDEV_API long migdev_loops_n_singular(const migdev_loops *a);
MIGDEV_API long migdev_loops_n_nonfinite(const migdev_loops *a);

/* Dominance periods, by partition then time. */
MIGDEV_API int migdev_loops_n_periods(const migdev_loops *a);
MIGDEV_API int migdev_loops_period(const migdev_loops *a, int i, migdev_dominance *out);

/* ---- stability at a point in time ---- */

typedef struct migdev_stability migdev_stability;

typedef struct migdev_stability_info {
    double time;
    int n;                      /* stocks, hidden smooth/delay stocks included */
    const int *var;             /* visible variable of each stock (a hidden stock: its owner) */
    const int *is_hidden;       /* 1 for the stock of a smooth/delay */
    const double *state;        /* stocks at `time` */
    const double *rate;         /* their derivatives there */
    const double *jacobian;     /* n*n, row-major: d rate[i] / d state[j] */
    const double *eig_re, *eig_im; /* eigenvalues, largest real part first */
    int has_equilibrium;        /* 1 when a root of the rates was found from `state` */
    const double *equilibrium;  /* n stock values (NULL without one) */
    const double *eq_eig_re, *eq_eig_im; /* eigenvalues of the Jacobian there */
    double eq_residual;         /* max |rate| at the equilibrium */
    double eq_distance;         /* |equilibrium - state| / max(1, |state|) (max norms) */
} migdev_stability_info;

/* Simulate r's model up to time t (r's spec and constants; t from start to
** stop, on the step grid for euler/rk4), take the Jacobian of the stocks'
** derivatives by central differences, its eigenvalues (GSL), and look for
** an equilibrium of the stocks from there (GSL multiroot, with time frozen
** at t). Returns an owned result or NULL with err set. */
MIGDEV_API migdev_stability *migdev_stability_at(const migdev_run *r, double t, migdev_error *err);
MIGDEV_API void migdev_stability_free(migdev_stability *s);
MIGDEV_API void migdev_stability_get(const migdev_stability *s, migdev_stability_info *out);

#ifdef __cplusplus
}
#endif
#endif
