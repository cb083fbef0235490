/*
** vm.h - evaluate compiled equations.
**
** The evaluator runs snippets built by compile.c against one run's slots.
** It allocates nothing and touches nothing but env->v, the run's random
** generators (env->rand) and the caller's stack, so it is reentrant.
*/
#ifndef MIGDEV_VM_H
#define MIGDEV_VM_H

#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "model_int.h"
#include "native/native.h"

/* The run's random call sites: a generator each, and the sample of the
** current step (drawn at the step's first evaluation, kept for the others). */
typedef struct vm_rand {
    gsl_rng **gen;
    double *value;
    long *stamp;                /* the step value was drawn at; -1 none */
} vm_rand;

typedef struct vm_env {
    double *v;                  /* the run's slots, one per variable */
    const double *pool;         /* the model's literals */
    const lookup_tbl *tables;   /* the model's lookup tables */
    double time, dt, start, stop;
    vm_rand *rand;              /* NULL when folding constants */
    const nn_rule *nn;          /* the model's non-negative filters */
    const int *nn_ref;
    const signed char *nn_sign;
    double nn_h;                /* the filters' step: dt, or 0 for adaptive methods */
    long step;                  /* the time step being evaluated (0: the start) */
} vm_env;

/* Set env up for model m run over spec with slots v: literals, tables,
** non-negative filters, time span. time, step and rand are left at zero /
** NULL for the caller. Every evaluator of a model's code starts here. */
void vm_env_init(vm_env *env, const migdev_model *m, const migdev_sim_spec *spec, double *v);

/* Run code from pc until OP_END, storing results into env->v. stack must
** hold the model's max_stack values. */
void vm_run(const int32_t *pc, const vm_env *env, double *stack);

/* Run code from pc until OP_RET and return the value on top of the stack. */
double vm_value(const int32_t *pc, const vm_env *env, double *stack);

/* Set the native engine's context up for env (which must outlive it):
** its times, literals and the calls back into this file's operations. */
void vm_native_ctx_init(native_ctx *c, const vm_env *env);

/* Look up x in table t (linear interpolation; clamped, extrapolated or
** stepwise by the table's kind). */
double lookup_eval(const lookup_tbl *t, double x);

#endif
