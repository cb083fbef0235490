/*
** native_abi.h - what generated code and the library share.
**
** The native engine (native_gen.c) writes C for a model's step program; the
** library compiles it into a shared object and calls it. Both sides see the
** same declarations: they are written once here, inside NATIVE_ABI(), which
** the library expands as code (NATIVE_ABI(NATIVE_AS_CODE)) and the
** generator pastes into every source as text (NATIVE_ABI(NATIVE_AS_TEXT)).
** Standard C only; no name here may depend on the model.
**
** Bump NATIVE_ABI_VERSION with any change: it is part of the cache key, and
** a loaded object whose entry reports another version is refused.
**
** Tag: OPCODES -- vm_min/vm_max/vm_mod are the VM's own operations; vm.c
** uses these same definitions so that both engines give the same bits.
** min and max return NaN when either argument is NaN (a comparison alone
** would drop a NaN second argument and hide a failed equation).
*/
#ifndef MIGDEV_NATIVE_ABI_H
#define MIGDEV_NATIVE_ABI_H

#define NATIVE_ABI_VERSION 3
#define NATIVE_MAGIC 0x6d69676eu /* "migN" */
#define NATIVE_ENTRY_SYMBOL "migdev_native_entry"

#define NATIVE_AS_CODE(...) __VA_ARGS__
#define NATIVE_AS_TEXT(...) #__VA_ARGS__

/* The run's side of a step: times, literals the generated code does not
** spell (non-finite ones), and the operations it leaves to the library,
** each given the context first (the run's vm_env is c->env; the time is
** c->time, which the generated Euler loop advances).
**
** step evaluates once, as run_eval() does with the VM: the stocks y in,
** the derivatives dydt out, 1 when a watched value (watch.c) is not finite.
** euler, when the model has no delays and no random draws (else NULL), is
** integrate.c's Euler loop itself with the stocks kept in v: it calls
** loop->save(loop->run, t) at each save time and returns 0, or 1 with
** loop->failed_at set to the time of a step with a non-finite value (v then
** holds that step's values). */
#define NATIVE_ABI(X) X(                                                          \
typedef struct native_ctx {                                                        \
    double time, dt, start, stop;                                                  \
    const double *pool;                                                            \
    const void *env;                                                               \
    double (*lookup)(const struct native_ctx *c, int table, double x);             \
    double (*nnlimit)(const struct native_ctx *c, int rule, double flow);          \
    double (*sample)(const struct native_ctx *c, int op, int site, double a,       \
                     double b);                                                    \
    double (*pulse)(const struct native_ctx *c, double h, double start,            \
                    double width, double interval);                                \
    double (*ramp)(const struct native_ctx *c, double slope, double start,         \
                   double end);                                                    \
    double (*step)(const struct native_ctx *c, double h, double t);                \
} native_ctx;                                                                      \
typedef struct native_loop {                                                       \
    double start, dt, stop;                                                        \
    long n_steps, save_ratio;                                                      \
    void *run;                                                                     \
    void (*save)(void *run, double t);                                             \
    double failed_at;                                                              \
} native_loop;                                                                     \
typedef int (*native_step_fn)(double *v, const double *y, double *dydt,           \
                              const native_ctx *c);                                \
typedef int (*native_euler_fn)(double *v, native_ctx *c, native_loop *loop);       \
typedef struct native_entry {                                                      \
    unsigned magic;                                                                \
    int abi, n_vars, n_stocks, n_code;                                             \
    native_step_fn step;                                                           \
    native_euler_fn euler;                                                         \
} native_entry;                                                                    \
static inline double vm_min(double a, double b) { return b < a || b != b ? b : a; } \
static inline double vm_max(double a, double b) { return b > a || b != b ? b : a; } \
static inline double vm_mod(double a, double b) { return a - b * floor(a / b); }   \
)

#endif
