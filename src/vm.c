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
** what the stock can give over one step, after the flows served before
** (vm_nn_limit, shared with the generated code). */
static double nn_limit(const vm_env *env, const nn_rule *r, double flow)
{
    return vm_nn_limit(env->v, env->nn_h, r->stock, r->sign, env->nn_ref + r->first,
                       env->nn_sign + r->first, r->n, flow);
}

double lookup_eval(const lookup_tbl *t, double x)
{
    return vm_lookup(t->x, t->y, t->n, t->kind == LK_DISCRETE, t->kind == LK_EXTRAPOLATE,
                     t->is_data, t->outside_nan, t->kind == LK_RAW, t->kind == LK_FORWARD, x);
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

/* Dispatch: with GCC or clang, a jump through a table of label addresses
** after each operation (one indirect branch per operation site, no bounds
** check); elsewhere the portable switch. OPCASE/NEXT read the same in
** both. */
#if defined(__GNUC__)
#define VM_GOTO 1
#define OPCASE(op) L_##op
#define NEXT goto *jump[*pc++]
#define DISPATCH_START NEXT;
#define DISPATCH_END
#else
#define VM_GOTO 0
#define OPCASE(op) case op
#define NEXT break
#define DISPATCH_START for (;;) switch ((opcode)*pc++) {
#define DISPATCH_END }
#endif

/* The top of the stack lives in a register (tos); sp points at the element
** below it, in memory. A push stores tos and loads the new value; a binary
** operation combines *sp with tos. The bits are those of a plain stack:
** the same operations on the same values, in the same order. With d
** values on the stack, stack[0 .. d-1] are in use (stack[0] holds whatever
** tos was before the first push), so max_stack slots suffice. */
static double run(const int32_t *pc, const vm_env *env, double *stack)
{
    double *sp = stack - 1;
    double tos = 0.0;
    double *const v = env->v;
    const double *const pool = env->pool;
#if VM_GOTO
    static const void *const jump[OP_COUNT + 1] = {
        [OP_END] = &&L_OP_END,
        [OP_RET] = &&L_OP_RET,
        [OP_NUM] = &&L_OP_NUM,
        [OP_LOAD] = &&L_OP_LOAD,
        [OP_STORE] = &&L_OP_STORE,
        [OP_TIME] = &&L_OP_TIME,
        [OP_DT] = &&L_OP_DT,
        [OP_START] = &&L_OP_START,
        [OP_STOP] = &&L_OP_STOP,
        [OP_ADD] = &&L_OP_ADD,
        [OP_SUB] = &&L_OP_SUB,
        [OP_MUL] = &&L_OP_MUL,
        [OP_DIV] = &&L_OP_DIV,
        [OP_POW] = &&L_OP_POW,
        [OP_NEG] = &&L_OP_NEG,
        [OP_EQ] = &&L_OP_EQ,
        [OP_NE] = &&L_OP_NE,
        [OP_LT] = &&L_OP_LT,
        [OP_LE] = &&L_OP_LE,
        [OP_GT] = &&L_OP_GT,
        [OP_GE] = &&L_OP_GE,
        [OP_AND] = &&L_OP_AND,
        [OP_OR] = &&L_OP_OR,
        [OP_NOT] = &&L_OP_NOT,
        [OP_IF] = &&L_OP_IF,
        [OP_ABS] = &&L_OP_ABS,
        [OP_EXP] = &&L_OP_EXP,
        [OP_LN] = &&L_OP_LN,
        [OP_LOG10] = &&L_OP_LOG10,
        [OP_SQRT] = &&L_OP_SQRT,
        [OP_INT] = &&L_OP_INT,
        [OP_SIN] = &&L_OP_SIN,
        [OP_COS] = &&L_OP_COS,
        [OP_TAN] = &&L_OP_TAN,
        [OP_ASIN] = &&L_OP_ASIN,
        [OP_ACOS] = &&L_OP_ACOS,
        [OP_ATAN] = &&L_OP_ATAN,
        [OP_SINH] = &&L_OP_SINH,
        [OP_COSH] = &&L_OP_COSH,
        [OP_TANH] = &&L_OP_TANH,
        [OP_MOD] = &&L_OP_MOD,
        [OP_MIN] = &&L_OP_MIN,
        [OP_MAX] = &&L_OP_MAX,
        [OP_SAFEDIV] = &&L_OP_SAFEDIV,
        [OP_STEP] = &&L_OP_STEP,
        [OP_PULSE] = &&L_OP_PULSE,
        [OP_RAMP] = &&L_OP_RAMP,
        [OP_LOOKUP] = &&L_OP_LOOKUP,
        [OP_MAX0] = &&L_OP_MAX0,
        [OP_NNLIMIT] = &&L_OP_NNLIMIT,
        [OP_ADD_V] = &&L_OP_ADD_V,
        [OP_SUB_V] = &&L_OP_SUB_V,
        [OP_MUL_V] = &&L_OP_MUL_V,
        [OP_DIV_V] = &&L_OP_DIV_V,
        [OP_ADD_K] = &&L_OP_ADD_K,
        [OP_SUB_K] = &&L_OP_SUB_K,
        [OP_MUL_K] = &&L_OP_MUL_K,
        [OP_DIV_K] = &&L_OP_DIV_K,
        [OP_RAND_NORMAL] = &&L_OP_RAND_NORMAL,
        [OP_RAND_UNIFORM] = &&L_OP_RAND_UNIFORM,
        [OP_RAND_LOGNORMAL] = &&L_OP_RAND_LOGNORMAL,
        [OP_RAND_POISSON] = &&L_OP_RAND_POISSON,
        [OP_RAND_EXPONENTIAL] = &&L_OP_RAND_EXPONENTIAL,
        [OP_ALLOC_PRIORITY] = &&L_OP_ALLOC_PRIORITY,
        [OP_ALLOC_AVAILABLE] = &&L_OP_ALLOC_AVAILABLE,
        [OP_COUNT] = &&L_OP_COUNT,
    };
#endif
    DISPATCH_START
        OPCASE(OP_END): return 0.0;
        OPCASE(OP_RET): return tos;
        OPCASE(OP_NUM): *++sp = tos; tos = pool[*pc++]; NEXT;
        OPCASE(OP_LOAD): *++sp = tos; tos = v[*pc++]; NEXT;
        OPCASE(OP_STORE): v[*pc++] = tos; tos = *sp--; NEXT;
        OPCASE(OP_TIME): *++sp = tos; tos = env->time; NEXT;
        OPCASE(OP_DT): *++sp = tos; tos = env->dt; NEXT;
        OPCASE(OP_START): *++sp = tos; tos = env->start; NEXT;
        OPCASE(OP_STOP): *++sp = tos; tos = env->stop; NEXT;
        OPCASE(OP_ADD): tos = *sp-- + tos; NEXT;
        OPCASE(OP_SUB): tos = *sp-- - tos; NEXT;
        OPCASE(OP_MUL): tos = *sp-- * tos; NEXT;
        OPCASE(OP_DIV): tos = *sp-- / tos; NEXT;
        OPCASE(OP_POW): tos = pow(*sp--, tos); NEXT;
        OPCASE(OP_NEG): tos = -tos; NEXT;
        OPCASE(OP_EQ): tos = *sp-- == tos; NEXT;
        OPCASE(OP_NE): tos = *sp-- != tos; NEXT;
        OPCASE(OP_LT): tos = *sp-- < tos; NEXT;
        OPCASE(OP_LE): tos = *sp-- <= tos; NEXT;
        OPCASE(OP_GT): tos = *sp-- > tos; NEXT;
        OPCASE(OP_GE): tos = *sp-- >= tos; NEXT;
        OPCASE(OP_AND): tos = (*sp-- != 0.0) && (tos != 0.0); NEXT;
        OPCASE(OP_OR): tos = (*sp-- != 0.0) || (tos != 0.0); NEXT;
        OPCASE(OP_NOT): tos = tos == 0.0; NEXT;
        OPCASE(OP_IF): tos = sp[-1] != 0.0 ? sp[0] : tos; sp -= 2; NEXT;
        OPCASE(OP_ABS): tos = fabs(tos); NEXT;
        OPCASE(OP_EXP): tos = exp(tos); NEXT;
        OPCASE(OP_LN): tos = log(tos); NEXT;
        OPCASE(OP_LOG10): tos = log10(tos); NEXT;
        OPCASE(OP_SQRT): tos = sqrt(tos); NEXT;
        OPCASE(OP_INT): tos = floor(tos); NEXT;
        OPCASE(OP_SIN): tos = sin(tos); NEXT;
        OPCASE(OP_COS): tos = cos(tos); NEXT;
        OPCASE(OP_TAN): tos = tan(tos); NEXT;
        OPCASE(OP_ASIN): tos = asin(tos); NEXT;
        OPCASE(OP_ACOS): tos = acos(tos); NEXT;
        OPCASE(OP_ATAN): tos = atan(tos); NEXT;
        OPCASE(OP_SINH): tos = sinh(tos); NEXT;
        OPCASE(OP_COSH): tos = cosh(tos); NEXT;
        OPCASE(OP_TANH): tos = tanh(tos); NEXT;
        OPCASE(OP_MOD): tos = vm_mod(*sp--, tos); NEXT;
        OPCASE(OP_MIN): tos = vm_min(*sp--, tos); NEXT;
        OPCASE(OP_MAX): tos = vm_max(*sp--, tos); NEXT;
        OPCASE(OP_SAFEDIV): tos = sp[0] != 0.0 ? sp[-1] / sp[0] : tos; sp -= 2; NEXT;
        OPCASE(OP_STEP):
            tos = env->time >= tos - time_eps(tos, env->dt) ? sp[0] : 0.0;
            sp--;
            NEXT;
        OPCASE(OP_PULSE):
            tos = pulse(sp[-2], sp[-1], sp[0], tos, env->time, env->dt);
            sp -= 3;
            NEXT;
        OPCASE(OP_RAMP):
            tos = ramp(sp[-1], sp[0], tos, env->time);
            sp -= 2;
            NEXT;
        OPCASE(OP_LOOKUP): tos = lookup_eval(&env->tables[*pc++], tos); NEXT;
        /* the non-negative cut: NaN passes through, to be reported */
        OPCASE(OP_MAX0): tos = tos > 0.0 || isnan(tos) ? tos : 0.0; NEXT;
        OPCASE(OP_NNLIMIT): tos = nn_limit(env, &env->nn[*pc++], tos); NEXT;
        OPCASE(OP_ADD_V): tos += v[*pc++]; NEXT;
        OPCASE(OP_SUB_V): tos -= v[*pc++]; NEXT;
        OPCASE(OP_MUL_V): tos *= v[*pc++]; NEXT;
        OPCASE(OP_DIV_V): tos /= v[*pc++]; NEXT;
        OPCASE(OP_ADD_K): tos += pool[*pc++]; NEXT;
        OPCASE(OP_SUB_K): tos -= pool[*pc++]; NEXT;
        OPCASE(OP_MUL_K): tos *= pool[*pc++]; NEXT;
        OPCASE(OP_DIV_K): tos /= pool[*pc++]; NEXT;
        OPCASE(OP_RAND_NORMAL):
        OPCASE(OP_RAND_UNIFORM):
        OPCASE(OP_RAND_LOGNORMAL):
            tos = sample(env, pc[-1], *pc, *sp--, tos);
            pc++;
            NEXT;
        OPCASE(OP_RAND_POISSON):
        OPCASE(OP_RAND_EXPONENTIAL):
            tos = sample(env, pc[-1], *pc, tos, 0.0);
            pc++;
            NEXT;
        OPCASE(OP_ALLOC_PRIORITY): {
            /* the 2n + 3 operands, tos included, as one array in memory */
            const int n = *pc++;
            *++sp = tos;
            sp -= 2 * n + 3;
            tos = vm_alloc_priority(sp + 1, n);
            NEXT;
        }
        OPCASE(OP_ALLOC_AVAILABLE): {
            /* the 5n + 2 operands, tos included, as one array in memory */
            const int n = *pc++;
            *++sp = tos;
            sp -= 5 * n + 2;
            tos = vm_alloc_available(sp + 1, n);
            NEXT;
        }
        OPCASE(OP_COUNT): return NAN; /* unreachable: compile.c emits only known ops */
    DISPATCH_END
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
    c->nn_h = env->nn_h;
    c->pool = env->pool;
    c->env = env;
    c->sample = cb_sample;
    c->pulse = cb_pulse;
    c->ramp = cb_ramp;
    c->step = cb_step;
}
