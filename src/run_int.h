/*
** run_int.h - the run workspace, shared by run.c and integrate.c.
*/
#ifndef MIGDEV_RUN_INT_H
#define MIGDEV_RUN_INT_H

#include <gsl/gsl_errno.h>
#include <gsl/gsl_odeiv2.h>

#include "migdev/run.h"
#include "model_int.h"
#include "vm.h"

/* Where a run driven step by step (run_step.c) stands. */
typedef struct run_cursor {
    int active;            /* started by migdev_run_advance, not yet replaced by an execution */
    int changed;           /* a constant was set since the last evaluation */
    long k;                /* fixed step: the current step */
    double t;              /* the current time: r->v and r->y hold the state there */
} run_cursor;

struct migdev_run {
    const migdev_model *m;
    migdev_sim_spec spec;
    double *v;             /* one slot per variable */
    double *y, *dydt;      /* state and its derivative, one per stock */
    double *k2, *k3, *k4, *ytmp; /* RK4 stages */
    double *stack;         /* VM scratch */
    vm_env env;
    const native_code *native; /* the model's compiled step program, or NULL */
    native_ctx nctx;       /* its context (points at env) */
    int *dyn;              /* what a step's finiteness check reads (watch.c) */
    int n_dyn;

    long n_steps;          /* fixed step: steps from start to stop */
    long save_ratio;       /* fixed step: steps between saves */
    size_t n_saves;        /* save times planned */
    size_t n_saved;        /* save times recorded by the last execution */
    double *times;         /* planned save times */
    double *slab;          /* series, variable-major: slab[c * n_saves + j] */
    int *rec;              /* recorded variables */
    int n_rec;
    int *col_of_var;       /* var -> column in slab, -1 when not recorded */

    /* adaptive methods */
    gsl_odeiv2_system sys;
    gsl_odeiv2_driver *drv;
    double *jac_y, *jac_f0, *jac_f1;

    /* delay_fixed/previous: one ring of samples per VK_HIST variable, back to
       back in hist; sized at the start of each execution (delay times are
       constants, which the run may change) */
    double *hist;
    size_t hist_cap;
    size_t *hist_off;      /* ring k: hist[hist_off[k] .. hist_off[k] + hist_len[k]) */
    long *hist_len, *hist_pos;

    /* random functions: a generator per call site, seeded at each execution */
    vm_rand rand;

    run_cursor cur;        /* the step API's position (run_step.c) */

    /* failure details, set by the right-hand side */
    int bad_var;
    double bad_time;
};

/* Evaluate every dynamic equation at (t, y) into r->v and the stocks'
** derivatives into dydt. Returns 0, or MIGDEV_E_NONFINITE when a value is not finite (the
** culprit in r->bad_var, r->bad_time). Allocates nothing. */
int run_eval(migdev_run *r, double t, const double *y, double *dydt);

/* After a step found a non-finite value at time t (r->v holds the step's
** values): the variable to report into r->bad_var, r->bad_time. */
void run_find_nonfinite(migdev_run *r, double t);

/* Compute the initial values at the start time into r->v and r->y. */
int run_initialize(migdev_run *r);

/* Record the current r->v as save number j at time t. */
void run_record(migdev_run *r, size_t j, double t);

/* Start an execution: seed the random functions, compute the initial
** values, fill the delay rings. Returns 0 or a MIGDEV_E_* code with err set. */
int run_begin(migdev_run *r, migdev_error *err);

/* Integrate from start to stop with r->spec.method, recording save times.
** Returns 0 or a MIGDEV_E_* code with err set. */
int integrate(migdev_run *r, migdev_error *err);

/* Record every variable, hidden ones (smooth/delay stocks, init values)
** and constants included, in index order: column c holds variable c. For
** analyses that need the whole state (loops.c). Returns 0 or an error. */
int run_record_all(migdev_run *r, migdev_error *err);

/* The recorded series of any variable, hidden ones included (NULL when not
** recorded). Valid until the next execution or migdev_run_free(). */
const double *run_series_any(const migdev_run *r, int var);

/* Once per time step, after the evaluation at the step's start time: keep
** the inputs of the delayed values (hist_sample); then, when the step is
** done, move the delayed values on to the next step (hist_advance). */
void hist_sample(migdev_run *r);
void hist_advance(migdev_run *r);
/* First step of an adaptive method: dt, but no more than max_step (GSL
** refuses a largest step below the current one). */
double run_first_step(const migdev_sim_spec *s);

/* Fill err for a non-finite value found by run_eval or run_initialize. */
int run_report_nonfinite(const migdev_run *r, migdev_error *err);

#endif
