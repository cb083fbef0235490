/*
** vm.c - the stack machine that evaluates equations (opcodes.h).
**
** Tag: OPCODES. One switch, no allocation, no name lookups. Arithmetic
** follows IEEE 754: a division by zero gives an infinity that the run loop
** reports with the variable's name; nothing here traps.
*/
#include "vm.h"

#include "opcodes.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <string.h>

/* Time comparisons tolerate rounding in start + k*dt. */
static double time_eps(double t, double dt)
{
    return 1e-9 * (fabs(t) + fabs(dt) + 1.0);
}

static double pulse(double h, double start, double width, double interval, double time,
                    double dt)
{
    const double eps = time_eps(time, dt);
    if (width <= 0.0)
        width = dt;
    if (time < start - eps)
        return 0.0;
    double since = time - start;
    if (interval > 0.0) {
        since = fmod(since + eps, interval) - eps;
    }
    return (since > -eps && since < width - eps) ? h : 0.0;
}

static double ramp(double slope, double start, double end, double time)
{
    if (time <= start)
        return 0.0;
    if (time >= end)
        return slope * (end - start);
    return slope * (time - start);
}

/* A flow's value after the non-negative filter of rule r (model_int.h):
** what the stock can give over one step, after the flows served before. */
static double nn_limit(const vm_env *env, const nn_rule *r, double flow)
{
    const double stock = env->v[r->stock];
    const int takes = r->sign < 0 ? flow > 0.0 : flow < 0.0;
    if (!takes)
        return flow;
    if (env->nn_h <= 0.0 && stock > 0.0)
        return flow; /* adaptive methods: only a stock at zero is held */
    double avail = env->nn_h > 0.0 && stock > 0.0 ? stock / env->nn_h : 0.0;
    for (int k = r->first; k < r->first + r->n; k++)
        avail += env->nn_sign[k] * env->v[env->nn_ref[k]];
    if (avail < 0.0)
        avail = 0.0;
    const double want = r->sign < 0 ? flow : -flow;
    if (want <= avail)
        return flow;
    return r->sign < 0 ? avail : -avail;
}

double lookup_eval(const lookup_tbl *t, double x)
{
    const int n = t->n;
    const double *xs = t->x, *ys = t->y;
    if (t->is_data) {
        const double tol = 1e-9 * (fabs(x) + 1.0);
        if (t->outside_nan && !(x >= xs[0] - tol && x <= xs[n - 1] + tol))
            return NAN; /* a data binding with outside = "error" */
        if (t->kind == LK_DISCRETE)
            x += tol; /* a step at t = 63 holds from 63, even when the run's time is
                         0 + 90 x 0.7 = 62.99999999999999 */
    }
    if (n == 1 || isnan(x))
        return n == 1 ? ys[0] : x;
    if (x <= xs[0]) {
        if (t->kind == LK_EXTRAPOLATE && x < xs[0])
            return ys[0] + (x - xs[0]) * (ys[1] - ys[0]) / (xs[1] - xs[0]);
        return ys[0];
    }
    if (x >= xs[n - 1]) {
        if (t->kind == LK_EXTRAPOLATE && x > xs[n - 1])
            return ys[n - 1] + (x - xs[n - 1]) * (ys[n - 1] - ys[n - 2]) / (xs[n - 1] - xs[n - 2]);
        return ys[n - 1];
    }
    int lo = 0, hi = n - 1; /* xs[lo] <= x < xs[hi] */
    while (hi - lo > 1) {
        const int mid = lo + (hi - lo) / 2;
        if (xs[mid] <= x)
            lo = mid;
        else
            hi = mid;
    }
    if (t->kind == LK_DISCRETE)
        return ys[lo];
    return ys[lo] + (x - xs[lo]) * (ys[hi] - ys[lo]) / (xs[hi] - xs[lo]);
}

/* One sample of distribution op with parameters a (and b) for call site k,
** drawn at the first evaluation of a step and kept for the step's others. */
static double sample(const vm_env *env, int op, int k, double a, double b)
{
    vm_rand *R = env->rand;
    if (!R)
        return NAN;
    if (R->stamp[k] == env->step)
        return R->value[k];
    gsl_rng *g = R->gen[k];
    double x;
    switch (op) {
    case OP_RAND_NORMAL:
        x = b < 0.0 ? NAN : a + gsl_ran_gaussian(g, b);
        break;
    case OP_RAND_UNIFORM:
        x = a + (b - a) * gsl_rng_uniform(g);
        break;
    case OP_RAND_POISSON:
        x = !(a >= 0.0) || a > 1e15 ? NAN : (double)gsl_ran_poisson(g, a);
        break;
    case OP_RAND_EXPONENTIAL:
        x = !(a >= 0.0) ? NAN : (a == 0.0 ? 0.0 : gsl_ran_exponential(g, a));
        break;
    default: { /* lognormal with mean a and standard deviation b */
        if (!(a > 0.0) || !(b >= 0.0)) {
            x = NAN;
            break;
        }
        const double s2 = log1p((b / a) * (b / a));
        x = gsl_ran_lognormal(g, log(a) - 0.5 * s2, sqrt(s2));
        break;
    }
    }
    R->value[k] = x;
    R->stamp[k] = env->step;
    return x;
}

static double run(const int32_t *pc, const vm_env *env, double *stack)
{
    double *sp = stack - 1; /* sp points at the top element */
    double *const v = env->v;
    const double *const pool = env->pool;
    for (;;) {
        switch ((opcode)*pc++) {
        case OP_END: return 0.0;
        case OP_RET: return *sp;
        case OP_NUM: *++sp = pool[*pc++]; break;
        case OP_LOAD: *++sp = v[*pc++]; break;
        case OP_STORE: v[*pc++] = *sp--; break;
        case OP_TIME: *++sp = env->time; break;
        case OP_DT: *++sp = env->dt; break;
        case OP_START: *++sp = env->start; break;
        case OP_STOP: *++sp = env->stop; break;
        case OP_ADD: sp[-1] += sp[0]; sp--; break;
        case OP_SUB: sp[-1] -= sp[0]; sp--; break;
        case OP_MUL: sp[-1] *= sp[0]; sp--; break;
        case OP_DIV: sp[-1] /= sp[0]; sp--; break;
        case OP_POW: sp[-1] = pow(sp[-1], sp[0]); sp--; break;
        case OP_NEG: sp[0] = -sp[0]; break;
        case OP_EQ: sp[-1] = sp[-1] == sp[0]; sp--; break;
        case OP_NE: sp[-1] = sp[-1] != sp[0]; sp--; break;
        case OP_LT: sp[-1] = sp[-1] < sp[0]; sp--; break;
        case OP_LE: sp[-1] = sp[-1] <= sp[0]; sp--; break;
        case OP_GT: sp[-1] = sp[-1] > sp[0]; sp--; break;
        case OP_GE: sp[-1] = sp[-1] >= sp[0]; sp--; break;
        case OP_AND: sp[-1] = (sp[-1] != 0.0) && (sp[0] != 0.0); sp--; break;
        case OP_OR: sp[-1] = (sp[-1] != 0.0) || (sp[0] != 0.0); sp--; break;
        case OP_NOT: sp[0] = sp[0] == 0.0; break;
        case OP_IF: sp[-2] = sp[-2] != 0.0 ? sp[-1] : sp[0]; sp -= 2; break;
        case OP_ABS: sp[0] = fabs(sp[0]); break;
        case OP_EXP: sp[0] = exp(sp[0]); break;
        case OP_LN: sp[0] = log(sp[0]); break;
        case OP_LOG10: sp[0] = log10(sp[0]); break;
        case OP_SQRT: sp[0] = sqrt(sp[0]); break;
        case OP_INT: sp[0] = floor(sp[0]); break;
        case OP_SIN: sp[0] = sin(sp[0]); break;
        case OP_COS: sp[0] = cos(sp[0]); break;
        case OP_TAN: sp[0] = tan(sp[0]); break;
        case OP_ASIN: sp[0] = asin(sp[0]); break;
        case OP_ACOS: sp[0] = acos(sp[0]); break;
        case OP_ATAN: sp[0] = atan(sp[0]); break;
        case OP_MOD: sp[-1] = vm_mod(sp[-1], sp[0]); sp--; break;
        case OP_MIN: sp[-1] = vm_min(sp[-1], sp[0]); sp--; break;
        case OP_MAX: sp[-1] = vm_max(sp[-1], sp[0]); sp--; break;
        case OP_SAFEDIV: sp[-2] = sp[-1] != 0.0 ? sp[-2] / sp[-1] : sp[0]; sp -= 2; break;
        case OP_STEP:
            sp[-1] = env->time >= sp[0] - time_eps(sp[0], env->dt) ? sp[-1] : 0.0;
            sp--;
            break;
        case OP_PULSE:
            sp[-3] = pulse(sp[-3], sp[-2], sp[-1], sp[0], env->time, env->dt);
            sp -= 3;
            break;
        case OP_RAMP:
            sp[-2] = ramp(sp[-2], sp[-1], sp[0], env->time);
            sp -= 2;
            break;
        case OP_LOOKUP: sp[0] = lookup_eval(&env->tables[*pc++], sp[0]); break;
        /* the non-negative cut: NaN passes through, to be reported */
        case OP_MAX0: sp[0] = sp[0] > 0.0 || isnan(sp[0]) ? sp[0] : 0.0; break;
        case OP_NNLIMIT: sp[0] = nn_limit(env, &env->nn[*pc++], sp[0]); break;
        case OP_ADD_V: sp[0] += v[*pc++]; break;
        case OP_SUB_V: sp[0] -= v[*pc++]; break;
        case OP_MUL_V: sp[0] *= v[*pc++]; break;
        case OP_DIV_V: sp[0] /= v[*pc++]; break;
        case OP_ADD_K: sp[0] += pool[*pc++]; break;
        case OP_SUB_K: sp[0] -= pool[*pc++]; break;
        case OP_MUL_K: sp[0] *= pool[*pc++]; break;
        case OP_DIV_K: sp[0] /= pool[*pc++]; break;
        case OP_RAND_NORMAL:
        case OP_RAND_UNIFORM:
        case OP_RAND_LOGNORMAL:
            sp[-1] = sample(env, pc[-1], *pc, sp[-1], sp[0]);
            pc++;
            sp--;
            break;
        case OP_RAND_POISSON:
        case OP_RAND_EXPONENTIAL:
            sp[0] = sample(env, pc[-1], *pc, sp[0], 0.0);
            pc++;
            break;
        case OP_COUNT:
        default: return NAN; /* unreachable: compile.c emits only known ops */
        }
    }
}

void vm_env_init(vm_env *env, const migdev_model *m, const migdev_sim_spec *spec, double *v)
{
    memset(env, 0, sizeof *env);
    env->v = v;
    env->pool = m->pool;
    env->tables = m->lookups;
    env->dt = spec->dt;
    env->start = spec->start;
    env->stop = spec->stop;
    env->nn = m->nn_rules;
    env->nn_ref = m->nn_ref;
    env->nn_sign = m->nn_sign;
    env->nn_h = migdev_method_is_adaptive(spec->method) ? 0.0 : spec->dt;
}

void vm_run(const int32_t *pc, const vm_env *env, double *stack)
{
    (void)run(pc, env, stack);
}

double vm_value(const int32_t *pc, const vm_env *env, double *stack)
{
    return run(pc, env, stack);
}

/* ---- the native engine's calls back into the VM's operations (native_abi.h) */

/* The run's vm_env behind a context; the time is the context's own (the
** generated Euler loop advances c->time only). */
static const vm_env *env_of(const native_ctx *c) { return c->env; }

static double cb_lookup(const native_ctx *c, int t, double x)
{
    return lookup_eval(&env_of(c)->tables[t], x);
}

static double cb_nnlimit(const native_ctx *c, int r, double flow)
{
    const vm_env *env = env_of(c);
    return nn_limit(env, &env->nn[r], flow);
}

static double cb_sample(const native_ctx *c, int op, int k, double a, double b)
{
    return sample(env_of(c), op, k, a, b); /* only from step(): env->step is set */
}

static double cb_pulse(const native_ctx *c, double h, double start, double width,
                       double interval)
{
    return pulse(h, start, width, interval, c->time, c->dt);
}

static double cb_ramp(const native_ctx *c, double slope, double start, double end)
{
    return ramp(slope, start, end, c->time);
}

static double cb_step(const native_ctx *c, double h, double t)
{
    return c->time >= t - time_eps(t, c->dt) ? h : 0.0; /* as OP_STEP */
}

void vm_native_ctx_init(native_ctx *c, const vm_env *env)
{
    memset(c, 0, sizeof *c);
    c->time = env->time;
    c->dt = env->dt;
    c->start = env->start;
    c->stop = env->stop;
    c->pool = env->pool;
    c->env = env;
    c->lookup = cb_lookup;
    c->nnlimit = cb_nnlimit;
    c->sample = cb_sample;
    c->pulse = cb_pulse;
    c->ramp = cb_ramp;
    c->step = cb_step;
}
