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
** Tag: OPCODES -- vm_min/vm_max/vm_mod, vm_nn_limit (a flow after the
** non-negative filter of its stock: h is the filters' step, ref/sgn the
** flows served before) and vm_lookup (a table at x: the
** kinds of model_int.h's lookup_kind as flags, the data bindings' time
** tolerance) are the VM's own operations; vm.c uses these same definitions
** so that both engines give the same bits, and the generated code calls
** vm_lookup on its own static copy of each table, which the compiler then
** specialises. vm_alloc_priority (Vensim's ALLOCATE BY PRIORITY, one
** requester's share) is the VM's OP_ALLOC_PRIORITY, shared the same way,
** as is vm_alloc_available (ALLOCATE AVAILABLE, OP_ALLOC_AVAILABLE).
** Standard C and <math.h> only (no __builtin_*): tcc compiles
** it too.
** min and max return NaN when either argument is NaN (a comparison alone
** would drop a NaN second argument and hide a failed equation).
*/
#ifndef MIGDEV_NATIVE_ABI_H
#define MIGDEV_NATIVE_ABI_H

#define NATIVE_ABI_VERSION 7
#define NATIVE_MAGIC 0x6d69676eu /* "migN" */
#define NATIVE_ENTRY_SYMBOL "migdev_native_entry"

#define NATIVE_AS_CODE(...) __VA_ARGS__
#define NATIVE_AS_TEXT(...) #__VA_ARGS__

/* The run's side of a step: times, literals the generated code does not
** spell (non-finite ones), the non-negative filters' step, and the
** operations it leaves to the library (random draws, pulse, ramp, step),
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
    double nn_h;                                                                   \
    const double *pool;                                                            \
    const void *env;                                                               \
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
enum { VM_ALLOC_MAX_HALVINGS = 2200 }; /* halvings of any finite interval */   \
static const double VM_RAW_MISSING = -649037107316853453566312041152512.0; /* :NA:, -2^109 */ \
static inline double vm_min(double a, double b) { return b < a || b != b ? b : a; } \
static inline double vm_max(double a, double b) { return b > a || b != b ? b : a; } \
static inline double vm_mod(double a, double b) { return a - b * floor(a / b); }   \
static inline double vm_lookup(const double *xs, const double *ys, int n,         \
                               int discrete, int extrapolate, int is_data,        \
                               int outside_nan, int raw, int forward, double x)  \
{                                                                                  \
    if (is_data) {                                                                 \
        const double tol = 1e-9 * ((x < 0.0 ? -x : x) + 1.0);                      \
        if (outside_nan && !(x >= xs[0] - tol && x <= xs[n - 1] + tol))            \
            return NAN; /* a data binding with outside = "error" */                \
        if (discrete) /* a step at 63 holds from 63, even at 0 + 90 x 0.7 */       \
            x += tol;                                                              \
    }                                                                              \
    if (raw || forward) { /* data read at its own times */                        \
        const double tol = 1e-9 * ((x < 0.0 ? -x : x) + 1.0);                      \
        int lo = 0, hi = n - 1;                                                    \
        while (lo < hi) { /* the first point at or after x - tol */                \
            const int mid = lo + (hi - lo) / 2;                                    \
            if (xs[mid] < x - tol)                                                 \
                lo = mid + 1;                                                      \
            else                                                                   \
                hi = mid;                                                          \
        }                                                                          \
        const double d = xs[lo] - x;                                               \
        if ((d < 0.0 ? -d : d) <= tol)                                             \
            return ys[lo];                                                         \
        if (raw || x != x)                                                         \
            return raw ? VM_RAW_MISSING : x;                                       \
        return xs[lo] < x ? ys[n - 1] : ys[lo]; /* past the last point: held */    \
    }                                                                              \
    if (n == 1 || x != x)                                                          \
        return n == 1 ? ys[0] : x;                                                 \
    if (x <= xs[0]) {                                                              \
        if (extrapolate && x < xs[0])                                              \
            return ys[0] + (x - xs[0]) * (ys[1] - ys[0]) / (xs[1] - xs[0]);        \
        return ys[0];                                                              \
    }                                                                              \
    if (x >= xs[n - 1]) {                                                          \
        if (extrapolate && x > xs[n - 1])                                          \
            return ys[n - 1] + (x - xs[n - 1]) * (ys[n - 1] - ys[n - 2]) /         \
                                   (xs[n - 1] - xs[n - 2]);                        \
        return ys[n - 1];                                                          \
    }                                                                              \
    int lo = 0, hi = n - 1; /* xs[lo] <= x < xs[hi] */                             \
    while (hi - lo > 1) {                                                          \
        const int mid = lo + (hi - lo) / 2;                                        \
        if (xs[mid] <= x)                                                          \
            lo = mid;                                                              \
        else                                                                       \
            hi = mid;                                                              \
    }                                                                              \
    if (discrete)                                                                  \
        return ys[lo];                                                             \
    return ys[lo] + (x - xs[lo]) * (ys[hi] - ys[lo]) / (xs[hi] - xs[lo]);         \
}                                                                                  \
static inline double vm_nn_limit(const double *v, double h, int stock, int sign,  \
                                 const int *ref, const signed char *sgn, int n,   \
                                 double flow)                                     \
{                                                                                  \
    const double st = v[stock];                                                    \
    const int takes = sign < 0 ? flow > 0.0 : flow < 0.0;                          \
    if (!takes)                                                                    \
        return flow;                                                               \
    if (h <= 0.0 && st > 0.0)                                                      \
        return flow;                                                               \
    double avail = h > 0.0 && st > 0.0 ? st / h : 0.0;                             \
    for (int k = 0; k < n; k++)                                                    \
        avail += sgn[k] * v[ref[k]];                                               \
    if (avail < 0.0)                                                               \
        avail = 0.0;                                                               \
    const double want = sign < 0 ? flow : -flow;                                   \
    if (want <= avail)                                                             \
        return flow;                                                               \
    return sign < 0 ? avail : -avail;                                              \
}                                                                                  \
static inline double vm_alloc_served(const double *a, int n, double w, double lvl)  \
{                                                                                  \
    double s = 0.0;                                                                \
    for (int i = 0; i < n; i++) {                                                  \
        const double f = (a[4 + 2 * i] - lvl) / w;                                 \
        s += a[3 + 2 * i] * (f <= 0.0 ? 0.0 : f >= 1.0 ? 1.0 : f);                 \
    }                                                                              \
    return s;                                                                      \
}                                                                                  \
static inline double vm_alloc_priority(const double *a, int n)                    \
{                                                                                  \
    const double w = a[1], supply = a[2];                                          \
    if (!(a[0] >= 0.0 && a[0] < n) || !(w > 0.0) || supply != supply)              \
        return NAN;                                                                \
    const int k = (int)a[0];                                                       \
    double total = 0.0, lo = a[4], hi = a[4];                                      \
    for (int i = 0; i < n; i++) {                                                  \
        const double r = a[3 + 2 * i], p = a[4 + 2 * i];                           \
        if (!(r >= 0.0) || p != p)                                                 \
            return NAN; /* a negative request: no allocation means anything */    \
        total += r;                                                                \
        lo = p < lo ? p : lo;                                                      \
        hi = p > hi ? p : hi;                                                      \
    }                                                                              \
    if (supply >= total)                                                           \
        return a[3 + 2 * k];                                                       \
    if (supply <= 0.0)                                                             \
        return 0.0;                                                                \
    lo -= w; /* served(lo) = total > supply >= served(hi) = 0 */                   \
    for (int it = 0; it < VM_ALLOC_MAX_HALVINGS; it++) {                           \
        const double mid = lo + 0.5 * (hi - lo);                                   \
        if (!(mid > lo && mid < hi) || hi - lo <= 4e-16 * (fabs(lo) + fabs(hi) + w)) \
            break; /* converged, also when L is near 0 */                        \
        if (vm_alloc_served(a, n, w, mid) > supply)                                \
            lo = mid;                                                              \
        else                                                                       \
            hi = mid;                                                              \
    }                                                                              \
    const double f = (a[4 + 2 * k] - hi) / w;                                      \
    return a[3 + 2 * k] * (f <= 0.0 ? 0.0 : f >= 1.0 ? 1.0 : f);                   \
}                                                                                  \
/* ALLOCATE AVAILABLE: the share of requester k (a[0]) of avail (a[1]);            \
   requester i is a[2 + 5i ..]: request, profile type, priority, width,            \
   extra. The fraction of its request a requester gets at priority level L         \
   follows its profile (Vensim's: 1 rectangular, 2 triangular, 3 normal,           \
   4 exponential, each centred on its priority; other types: NaN); L is            \
   found where the shares sum to avail, by bisection. */                           \
static inline double vm_avail_frac(const double *q, double x)                      \
{                                                                                  \
    const double t = q[1], p = q[2], w = q[3];                                     \
    if (t == 1.0 || t == 2.0) {                                                    \
        if (x <= p - 0.5 * w)                                                      \
            return 1.0;                                                            \
        if (x >= p + 0.5 * w)                                                      \
            return 0.0;                                                            \
        if (t == 1.0)                                                              \
            return 1.0 - (x - p + 0.5 * w) / w;                                    \
        if (x < p)                                                                 \
            return 1.0 - 2.0 * (x - p + 0.5 * w) * (x - p + 0.5 * w) / (w * w);    \
        return 2.0 * (p + 0.5 * w - x) * (p + 0.5 * w - x) / (w * w);              \
    }                                                                              \
    if (t == 3.0)                                                                  \
        return 0.5 * erfc((x - p) / (1.4142135623730951 * w));                     \
    return x < p ? 1.0 - 0.5 * exp((x - p) / w) : 0.5 * exp((p - x) / w);          \
}                                                                                  \
static inline double vm_avail_served(const double *a, int n, double x)             \
{                                                                                  \
    double s = 0.0;                                                                \
    for (int i = 0; i < n; i++)                                                    \
        s += a[2 + 5 * i] * vm_avail_frac(a + 2 + 5 * i, x);                       \
    return s;                                                                      \
}                                                                                  \
static inline double vm_alloc_available(const double *a, int n)                    \
{                                                                                  \
    const double avail = a[1];                                                     \
    if (!(a[0] >= 0.0 && a[0] < n) || avail != avail)                              \
        return NAN;                                                                \
    const int k = (int)a[0];                                                       \
    double total = 0.0, lo = 0.0, hi = 0.0;                                        \
    for (int i = 0; i < n; i++) {                                                  \
        const double *q = a + 2 + 5 * i;                                           \
        const double reach = q[1] == 3.0 ? 8.5 : q[1] == 4.0 ? 40.0 : 0.5;         \
        if (!(q[0] >= 0.0) || !(q[3] > 0.0) || q[2] != q[2] ||                     \
            !(q[1] == 1.0 || q[1] == 2.0 || q[1] == 3.0 || q[1] == 4.0))           \
            return NAN; /* a negative request, a width not above 0, an unknown profile */\
        total += q[0];                                                             \
        if (i == 0 || q[2] - reach * q[3] < lo)                                    \
            lo = q[2] - reach * q[3];                                              \
        if (i == 0 || q[2] + reach * q[3] > hi)                                    \
            hi = q[2] + reach * q[3];                                              \
    }                                                                              \
    if (avail >= total)                                                            \
        return a[2 + 5 * k];                                                       \
    if (avail <= 0.0)                                                              \
        return 0.0;                                                                \
    for (int it = 0; it < VM_ALLOC_MAX_HALVINGS; it++) {                           \
        const double mid = lo + 0.5 * (hi - lo);                                   \
        if (!(mid > lo && mid < hi))                                               \
            break;                                                                 \
        if (vm_avail_served(a, n, mid) > avail)                                    \
            lo = mid;                                                              \
        else                                                                       \
            hi = mid;                                                              \
    }                                                                              \
    return a[2 + 5 * k] * vm_avail_frac(a + 2 + 5 * k, lo + 0.5 * (hi - lo));      \
}                                                                                  \
)

#endif
