/*
** vtrans.c - Vensim builtins with Vensim's semantics, as engine trees.
**
** Tag: VENSIM-BUILTINS -- the table below is the list of Vensim functions
** migdev reads (docs/vensim.md lists them with their meaning). Where
** Vensim's meaning differs from the engine builtin of the same name the
** call is rewritten: INTEGER truncates toward zero (the engine's int is
** XMILE's floor), MODULO keeps the dividend's sign, PULSE is (start,
** width), SMOOTH N / DELAY N take (input, time, initial, order), DELAY
** FIXED reads its delay time once, at the start, rounded to whole time steps
** (at least one), ZIDZ and
** XIDZ are safe divisions, SAMPLE IF TRUE holds its previous value.
*/
#include "vtrans.h"

#include "error_int.h"
#include "lexer.h"
#include "xmile/xname.h"
#include "sbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum {
    V_PLAIN,       /* same arguments, engine name */
    V_LOG,         /* LOG(x, base) = ln(x) / ln(base) */
    V_INTEGER,     /* truncation toward zero */
    V_MODULO,      /* a - b * INTEGER(a / b) */
    V_QUANTUM,     /* b * INTEGER(a / b), a when b <= 0 */
    V_POWER,       /* a ^ b */
    V_SINH, V_COSH, V_TANH,
    V_PULSE,       /* PULSE(start, width): Vensim's time-plus formula */
    V_STEP,        /* STEP(height, time): Vensim's time-plus formula */
    V_PULSE_TRAIN, /* (start, width, interval, end) */
    V_SMOOTH_N,    /* (input, time, init, n) -> smoothn(input, time, n, init) */
    V_DELAY_N,     /* (input, time, init, n) -> delayn_staged(input, time, n, init) */
    V_DELAY_FIXED, /* the delay time is taken once, at the start, in whole steps */
    V_ZIDZ,        /* safediv(a, b, 0) */
    V_XIDZ,        /* safediv(a, b, x) */
    V_SAMPLE,      /* SAMPLE IF TRUE(c, x, init) */
    V_GAME,        /* GAME(x) = x */
    V_GET_TIME,    /* GET TIME VALUE(0 or 1, offset, 0): time (start) + offset */
    V_RANDOM_NORMAL, /* (min, max, mean, sd[, seed]): clamped */
    V_RANDOM_01,     /* RANDOM 0 1(): random_uniform(0, 1) */
    V_RANDOM_EXP,    /* (min, max, shift, stretch, seed): clamped */
    V_RANDOM_POISSON, /* (min, max, mean, shift, stretch, seed): clamped */
    V_INTEG,       /* only as a whole equation */
    V_REFUSED      /* known, not supported */
} vkind;

typedef struct vbuiltin {
    const char *key;     /* xname_key of the Vensim name */
    int min_args, max_args;
    const char *native;
    vkind k;
    const char *vensim;  /* the Vensim spelling, for messages */
} vbuiltin;

static const vbuiltin table[] = {
    {"abs", 1, 1, "abs", V_PLAIN, "ABS"},
    {"exp", 1, 1, "exp", V_PLAIN, "EXP"},
    {"ln", 1, 1, "ln", V_PLAIN, "LN"},
    {"log", 2, 2, "ln", V_LOG, "LOG"},
    {"sqrt", 1, 1, "sqrt", V_PLAIN, "SQRT"},
    {"sin", 1, 1, "sin", V_PLAIN, "SIN"},
    {"cos", 1, 1, "cos", V_PLAIN, "COS"},
    {"tan", 1, 1, "tan", V_PLAIN, "TAN"},
    {"arcsin", 1, 1, "arcsin", V_PLAIN, "ARCSIN"},
    {"arccos", 1, 1, "arccos", V_PLAIN, "ARCCOS"},
    {"arctan", 1, 1, "arctan", V_PLAIN, "ARCTAN"},
    {"sinh", 1, 1, "exp", V_SINH, "SINH"},
    {"cosh", 1, 1, "exp", V_COSH, "COSH"},
    {"tanh", 1, 1, "exp", V_TANH, "TANH"},
    {"min", 2, 2, "min", V_PLAIN, "MIN"},
    {"max", 2, 2, "max", V_PLAIN, "MAX"},
    {"integer", 1, 1, "int", V_INTEGER, "INTEGER"},
    {"modulo", 2, 2, "int", V_MODULO, "MODULO"},
    {"quantum", 2, 2, "int", V_QUANTUM, "QUANTUM"},
    {"power", 2, 2, "pow", V_POWER, "POWER"},
    {"if_then_else", 3, 3, "if_then_else", V_PLAIN, "IF THEN ELSE"},
    {"step", 2, 2, "step", V_STEP, "STEP"},
    {"ramp", 3, 3, "ramp", V_PLAIN, "RAMP"},
    {"pulse", 2, 2, "pulse", V_PULSE, "PULSE"},
    {"pulse_train", 4, 4, "pulse", V_PULSE_TRAIN, "PULSE TRAIN"},
    {"smooth", 2, 2, "smooth", V_PLAIN, "SMOOTH"},
    {"smoothi", 3, 3, "smooth", V_PLAIN, "SMOOTHI"},
    {"smooth3", 2, 2, "smooth3", V_PLAIN, "SMOOTH3"},
    {"smooth3i", 3, 3, "smooth3", V_PLAIN, "SMOOTH3I"},
    {"smooth_n", 4, 4, "smoothn", V_SMOOTH_N, "SMOOTH N"},
    {"delay1", 2, 2, "delay1", V_PLAIN, "DELAY1"},
    {"delay1i", 3, 3, "delay1", V_PLAIN, "DELAY1I"},
    {"delay3", 2, 2, "delay3", V_PLAIN, "DELAY3"},
    {"delay3i", 3, 3, "delay3", V_PLAIN, "DELAY3I"},
    {"delay_n", 4, 4, "delayn_staged", V_DELAY_N, "DELAY N"},
    {"delay_fixed", 3, 3, "delay_fixed", V_DELAY_FIXED, "DELAY FIXED"},
    {"trend", 3, 3, "trend", V_PLAIN, "TREND"},
    {"forecast", 3, 3, "forecast", V_PLAIN, "FORECAST"},
    {"initial", 1, 1, "init", V_PLAIN, "INITIAL"},
    {"zidz", 2, 2, "safediv", V_ZIDZ, "ZIDZ"},
    {"xidz", 3, 3, "safediv", V_XIDZ, "XIDZ"},
    {"sample_if_true", 3, 3, "previous", V_SAMPLE, "SAMPLE IF TRUE"},
    {"game", 1, 1, NULL, V_GAME, "GAME"},
    {"random_uniform", 3, 3, "random_uniform", V_PLAIN, "RANDOM UNIFORM"},
    {"random_normal", 5, 5, "random_normal", V_RANDOM_NORMAL, "RANDOM NORMAL"},
    {"random_poisson", 6, 6, "random_poisson", V_RANDOM_POISSON, "RANDOM POISSON"},
    {"random_exponential", 5, 5, "random_exponential", V_RANDOM_EXP, "RANDOM EXPONENTIAL"},
    {"random_0_1", 0, 0, "random_uniform", V_RANDOM_01, "RANDOM 0 1"},
    {"integ", 2, 2, NULL, V_INTEG, "INTEG"},
    {"active_initial", 2, 2, NULL, V_REFUSED, "ACTIVE INITIAL (inside an expression)"},
    {"allocate_by_priority", 5, 5, NULL, V_REFUSED, "ALLOCATE BY PRIORITY"},
    {"lookup_invert", 2, 2, NULL, V_REFUSED, "LOOKUP INVERT"},
    {"lookup_extrapolate", 2, 2, NULL, V_REFUSED, "LOOKUP EXTRAPOLATE"},
    {"lookup_forward", 2, 2, NULL, V_REFUSED, "LOOKUP FORWARD"},
    {"lookup_backward", 2, 2, NULL, V_REFUSED, "LOOKUP BACKWARD"},
    {"lookup_area", 3, 3, NULL, V_REFUSED, "LOOKUP AREA"},
    {"with_lookup", 2, 2, NULL, V_REFUSED, "WITH LOOKUP"},
    {"a_function_of", 0, -1, NULL, V_REFUSED, "A FUNCTION OF"},
    {"delay_profile", 0, -1, NULL, V_REFUSED, "DELAY PROFILE"},
    {"delay_conveyor", 0, -1, NULL, V_REFUSED, "DELAY CONVEYOR"},
    {"queue_fifo", 0, -1, NULL, V_REFUSED, "QUEUE FIFO"},
    {"vector_select", 0, -1, NULL, V_REFUSED, "VECTOR SELECT"},
    {"vector_elm_map", 0, -1, NULL, V_REFUSED, "VECTOR ELM MAP"},
    {"vector_sort_order", 0, -1, NULL, V_REFUSED, "VECTOR SORT ORDER"},
    {"vector_rank", 0, -1, NULL, V_REFUSED, "VECTOR RANK"},
    {"vector_reorder", 0, -1, NULL, V_REFUSED, "VECTOR REORDER"},
    {"elmcount", 0, -1, NULL, V_REFUSED, "ELMCOUNT"},
    {"sum", 0, -1, NULL, V_REFUSED, "SUM"},
    {"prod", 0, -1, NULL, V_REFUSED, "PROD"},
    {"vmin", 0, -1, NULL, V_REFUSED, "VMIN"},
    {"vmax", 0, -1, NULL, V_REFUSED, "VMAX"},
    {"invert_matrix", 0, -1, NULL, V_REFUSED, "INVERT MATRIX"},
    {"tabbed_array", 0, -1, NULL, V_REFUSED, "TABBED ARRAY"},
    {"get_time_value", 3, 3, NULL, V_GET_TIME, "GET TIME VALUE"},
    {"npv", 0, -1, NULL, V_REFUSED, "NPV"},
};

static const vbuiltin *find(const char *key)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(table[i].key, key) == 0)
            return &table[i];
    return NULL;
}

/* ------------------------------------------------------------ tree making */

node *vt_copy(const node *n)
{
    node *c = node_new(n->kind, n->line, n->col, n->name, n->name ? strlen(n->name) : 0);
    if (!c)
        return NULL;
    c->op = n->op;
    c->num = n->num;
    c->is_builtin = n->is_builtin;
    for (int i = 0; i < n->nargs; i++) {
        node *a = vt_copy(n->args[i]);
        if (!a || node_push(c, a) != 0) {
            node_free(c);
            return NULL;
        }
    }
    return c;
}

/* Node builders: each takes its children, freeing them on failure, and
** returns NULL when out of memory (or when a child is NULL). */
static node *num(double x, int line, int col)
{
    node *n = node_new(N_NUM, line, col, NULL, 0);
    if (n)
        n->num = x;
    return n;
}

static node *with_args(node *n, int k, node **a)
{
    int ok = n != NULL;
    for (int i = 0; i < k; i++)
        ok = ok && a[i] != NULL;
    if (!ok) {
        node_free(n);
        for (int i = 0; i < k; i++)
            node_free(a[i]);
        return NULL;
    }
    for (int i = 0; i < k; i++)
        if (node_push(n, a[i]) != 0) { /* node_push freed a[i] */
            for (int j = i + 1; j < k; j++)
                node_free(a[j]);
            node_free(n);
            return NULL;
        }
    return n;
}

static node *bin(int op, node *a, node *b, int line, int col)
{
    node *n = node_new(N_BINARY, line, col, NULL, 0);
    if (n)
        n->op = op;
    return with_args(n, 2, (node *[]){a, b});
}

static node *neg(node *a, int line, int col)
{
    node *n = node_new(N_UNARY, line, col, NULL, 0);
    if (n)
        n->op = TK_MINUS;
    return with_args(n, 1, (node *[]){a});
}

static node *call(const char *name, int k, node **a, int line, int col)
{
    node *n = node_new(N_CALL, line, col, name, strlen(name));
    if (n)
        n->is_builtin = 1;
    return with_args(n, k, a);
}

/* Vensim's "time plus", Time + TIME STEP / 2, with which STEP and PULSE
** compare their times. */
static node *time_plus(int line, int col)
{
    return bin(TK_PLUS, call("time", 0, NULL, line, col),
               bin(TK_SLASH, call("dt", 0, NULL, line, col), num(2, line, col), line, col),
               line, col);
}

/* Vensim's INTEGER(x): truncation toward zero,
** IF THEN ELSE(x < 0, -int(-x), int(x)) with the engine's floor int. */
static node *truncate(node *x, int line, int col)
{
    node *x2 = x ? vt_copy(x) : NULL, *x3 = x ? vt_copy(x) : NULL;
    node *cond = bin(TK_LT, x, num(0, line, col), line, col);
    node *negf = neg(call("int", 1, (node *[]){neg(x2, line, col)}, line, col), line, col);
    node *posf = call("int", 1, (node *[]){x3}, line, col);
    return call("if_then_else", 3, (node *[]){cond, negf, posf}, line, col);
}

/* ------------------------------------------------------------ translation */

static int oom(const vt_ctx *c)
{
    return err_set(c->err, MIGDEV_E_NOMEM, c->file, 0, 0, "out of memory");
}

static int set_name(node *n, const char *name)
{
    char *s = malloc(strlen(name) + 1);
    if (!s)
        return -1;
    strcpy(s, name);
    free(n->name);
    n->name = s;
    return 0;
}

/* Take the arguments of call n (leaving it without them). */
static node **take_args(node *n, int *k)
{
    node **a = n->args;
    *k = n->nargs;
    n->args = NULL;
    n->nargs = 0;
    return a;
}

static node *rewrite(const vt_ctx *c, const vbuiltin *b, node *n)
{
    const int line = n->line, col = n->col;
    int k;
    node **a = take_args(n, &k);
    node *r = NULL;
    switch (b->k) {
    case V_PLAIN:
        r = call(b->native, k, a, line, col);
        break;
    case V_LOG:
        r = bin(TK_SLASH, call("ln", 1, (node *[]){a[0]}, line, col),
                call("ln", 1, (node *[]){a[1]}, line, col), line, col);
        break;
    case V_INTEGER:
        r = truncate(a[0], line, col);
        break;
    case V_MODULO: {
        /* a - b * INTEGER(a / b) */
        node *a2 = vt_copy(a[0]), *b2 = vt_copy(a[1]);
        r = bin(TK_MINUS, a[0],
                bin(TK_STAR, a[1], truncate(bin(TK_SLASH, a2, b2, line, col), line, col),
                    line, col),
                line, col);
        break;
    }
    case V_QUANTUM: {
        /* IF THEN ELSE(b <= 0, a, b * INTEGER(a / b)) */
        node *a2 = vt_copy(a[0]), *a3 = vt_copy(a[0]), *b2 = vt_copy(a[1]), *b3 = vt_copy(a[1]);
        node *cond = bin(TK_LE, a[1], num(0, line, col), line, col);
        node *q = bin(TK_STAR, b2, truncate(bin(TK_SLASH, a3, b3, line, col), line, col), line,
                      col);
        r = call("if_then_else", 3, (node *[]){cond, a2, q}, line, col);
        node_free(a[0]);
        break;
    }
    case V_POWER:
        r = bin(TK_CARET, a[0], a[1], line, col);
        break;
    case V_SINH:
    case V_COSH:
    case V_TANH: {
        /* (exp(x) -/+ exp(-x)) / 2, tanh = sinh / cosh */
        node *x2 = vt_copy(a[0]);
        node *ep = call("exp", 1, (node *[]){a[0]}, line, col);
        node *em = call("exp", 1, (node *[]){neg(x2, line, col)}, line, col);
        if (b->k == V_TANH) {
            node *ep2 = ep ? vt_copy(ep) : NULL, *em2 = em ? vt_copy(em) : NULL;
            r = bin(TK_SLASH, bin(TK_MINUS, ep, em, line, col), bin(TK_PLUS, ep2, em2, line, col),
                    line, col);
        } else {
            r = bin(TK_SLASH, bin(b->k == V_SINH ? TK_MINUS : TK_PLUS, ep, em, line, col),
                    num(2, line, col), line, col);
        }
        break;
    }
    case V_STEP: {
        /* IF THEN ELSE(Time + TIME STEP / 2 > t, h, 0): Vensim's definition
           (time plus), which puts a step time between two time steps on the
           nearer one */
        node *cond = bin(TK_GT, time_plus(line, col), a[1], line, col);
        r = call("if_then_else", 3, (node *[]){cond, a[0], num(0, line, col)}, line, col);
        break;
    }
    case V_PULSE: {
        /* IF THEN ELSE(tp > start :AND: tp < start + width, 1, 0), tp = Time
           + TIME STEP / 2, a width of 0 one TIME STEP: Vensim's definition */
        node *s2 = vt_copy(a[0]), *w2 = vt_copy(a[1]);
        node *w = call("if_then_else", 3,
                       (node *[]){bin(TK_EQ, a[1], num(0, line, col), line, col),
                                  call("dt", 0, NULL, line, col), w2},
                       line, col);
        node *cond = bin(TK_AND, bin(TK_GT, time_plus(line, col), a[0], line, col),
                         bin(TK_LT, time_plus(line, col), bin(TK_PLUS, s2, w, line, col), line,
                             col),
                         line, col);
        r = call("if_then_else", 3, (node *[]){cond, num(1, line, col), num(0, line, col)}, line,
                 col);
        break;
    }
    case V_PULSE_TRAIN: {
        /* IF THEN ELSE(time < end, pulse(1, start, width, interval), 0) */
        node *p = call("pulse", 4, (node *[]){num(1, line, col), a[0], a[1], a[2]}, line, col);
        node *cond = bin(TK_LT, call("time", 0, NULL, line, col), a[3], line, col);
        r = call("if_then_else", 3, (node *[]){cond, p, num(0, line, col)}, line, col);
        break;
    }
    case V_SMOOTH_N:
    case V_DELAY_N:
        r = call(b->native, 4, (node *[]){a[0], a[1], a[3], a[2]}, line, col);
        break;
    case V_DELAY_FIXED: {
        /* the delay time, read at the start, in whole time steps (at least
           one): init(max(int(t / dt + 0.5), 1) * dt) */
        node *steps = call("int", 1,
                           (node *[]){bin(TK_PLUS,
                                          bin(TK_SLASH, a[1], call("dt", 0, NULL, line, col),
                                              line, col),
                                          num(0.5, line, col), line, col)},
                           line, col);
        node *t = bin(TK_STAR, call("max", 2, (node *[]){steps, num(1, line, col)}, line, col),
                      call("dt", 0, NULL, line, col), line, col);
        t = call("init", 1, (node *[]){t}, line, col);
        r = call("delay_fixed", 3, (node *[]){a[0], t, a[2]}, line, col);
        break;
    }
    case V_ZIDZ:
        r = call("safediv", 3, (node *[]){a[0], a[1], num(0, line, col)}, line, col);
        break;
    case V_XIDZ:
        r = call("safediv", 3, (node *[]){a[0], a[1], a[2]}, line, col);
        break;
    case V_SAMPLE: {
        /* IF THEN ELSE(c, x, previous(self, init)): the value of the step
           before, the initial value at the start */
        node *self = node_new(N_REF, line, col, c->owner, strlen(c->owner));
        node *prev = call("previous", 2, (node *[]){self, a[2]}, line, col);
        r = call("if_then_else", 3, (node *[]){a[0], a[1], prev}, line, col);
        break;
    }
    case V_GAME:
        r = a[0];
        break;
    case V_GET_TIME: /* checked by vt_translate: a[0] is 0 or 1, a[2] is 0 */
        r = bin(TK_PLUS,
                call(a[0]->num == 0 ? "time" : "start_time", 0, NULL, line, col), a[1],
                line, col);
        node_free(a[0]);
        node_free(a[2]);
        break;
    case V_RANDOM_NORMAL: {
        /* min(max(random_normal(mean, sd, seed), lo), hi) */
        node *rn = call("random_normal", 3, (node *[]){a[2], a[3], a[4]}, line, col);
        r = call("min", 2, (node *[]){call("max", 2, (node *[]){rn, a[0]}, line, col), a[1]},
                 line, col);
        break;
    }
    case V_RANDOM_01:
        r = call("random_uniform", 2, (node *[]){num(0, line, col), num(1, line, col)}, line,
                 col);
        break;
    case V_RANDOM_EXP:
    case V_RANDOM_POISSON: {
        /* min(max(shift + stretch * sample, lo), hi), Vensim's shifted and
           stretched draw: an exponential of mean 1, or a Poisson of the mean */
        const int pois = b->k == V_RANDOM_POISSON;
        node *rn = pois ? call("random_poisson", 2, (node *[]){a[2], a[5]}, line, col)
                        : call("random_exponential", 2, (node *[]){num(1, line, col), a[4]},
                               line, col);
        node *v = bin(TK_PLUS, a[pois ? 3 : 2], bin(TK_STAR, a[pois ? 4 : 3], rn, line, col),
                      line, col);
        r = call("min", 2, (node *[]){call("max", 2, (node *[]){v, a[0]}, line, col), a[1]},
                 line, col);
        break;
    }
    case V_INTEG:
    case V_REFUSED:
        break;
    }
    free(a);
    return r;
}

int vt_translate(const vt_ctx *c, node **np)
{
    node *n = *np;
    for (int i = 0; i < n->nargs; i++) {
        const int rc = vt_translate(c, &n->args[i]);
        if (rc)
            return rc;
    }
    if (n->kind != N_REF && n->kind != N_CALL)
        return 0;
    if (n->is_builtin)
        return 0; /* made by a rewrite below */
    char *key = xname_key(n->name);
    if (!key)
        return oom(c);
    int is_lookup = 0;
    const char *engine = c->find(c->find_ctx, key, &is_lookup);
    if (n->kind == N_REF) {
        int rc = 0;
        if (engine && !is_lookup) {
            rc = set_name(n, engine) ? oom(c) : 0;
        } else if (strcmp(key, "time") == 0) {
            n->kind = N_CALL;
            n->is_builtin = 1;
            rc = set_name(n, "time") ? oom(c) : 0;
        } else if (engine) {
            rc = set_name(n, engine) ? oom(c) : 0; /* the compiler says how to call it */
        }
        /* an unknown name is left for the compiler, which reports it */
        free(key);
        return rc;
    }
    if (engine && is_lookup) {
        free(key);
        if (n->nargs != 1)
            return err_set(c->err, MIGDEV_E_TYPE, c->file, n->line, n->col,
                           "lookup '%s' takes 1 argument, got %d", n->name, n->nargs);
        return set_name(n, engine) ? oom(c) : 0;
    }
    const vbuiltin *b = find(key);
    free(key);
    if (!b)
        return err_set(c->err, MIGDEV_E_UNSUPPORTED, c->file, n->line, n->col,
                       "unknown or unsupported Vensim function '%s'", n->name);
    if (b->k == V_REFUSED)
        return err_set(c->err, MIGDEV_E_UNSUPPORTED, c->file, n->line, n->col,
                       "the Vensim function %s is not supported", b->vensim);
    if (b->k == V_INTEG)
        return err_set(c->err, MIGDEV_E_UNSUPPORTED, c->file, n->line, n->col,
                       "INTEG must be the whole equation of a level (name = INTEG(rate, initial))");
    if (n->nargs < b->min_args || (b->max_args >= 0 && n->nargs > b->max_args)) {
        if (b->min_args == b->max_args)
            return err_set(c->err, MIGDEV_E_TYPE, c->file, n->line, n->col,
                           "%s takes %d argument%s, got %d", b->vensim, b->min_args,
                           b->min_args == 1 ? "" : "s", n->nargs);
        return err_set(c->err, MIGDEV_E_TYPE, c->file, n->line, n->col,
                       "%s takes %d to %d arguments, got %d", b->vensim, b->min_args,
                       b->max_args, n->nargs);
    }
    if (b->k == V_GET_TIME &&
        (n->args[0]->kind != N_NUM || (n->args[0]->num != 0 && n->args[0]->num != 1) ||
         n->args[2]->kind != N_NUM || n->args[2]->num != 0))
        return err_set(c->err, MIGDEV_E_UNSUPPORTED, c->file, n->line, n->col,
                       "GET TIME VALUE is supported relative to the simulation's time (0) or "
                       "its start (1), measured in its time units (0): GET TIME VALUE(0, "
                       "offset, 0); calendar and clock times are not");
    node *r = rewrite(c, b, n);
    if (!r) {
        node_free(n);
        *np = NULL;
        return oom(c);
    }
    node_free(n);
    *np = r;
    return 0;
}

/* ---------------------------------------------------------- native text */



static const char *op_text(int op)
{
    switch (op) {
    case TK_PLUS: return " + ";
    case TK_MINUS: return " - ";
    case TK_STAR: return " * ";
    case TK_SLASH: return " / ";
    case TK_CARET: return " ^ ";
    case TK_EQ: return " = ";
    case TK_NE: return " <> ";
    case TK_LT: return " < ";
    case TK_LE: return " <= ";
    case TK_GT: return " > ";
    case TK_GE: return " >= ";
    case TK_AND: return " and ";
    case TK_OR: return " or ";
    default: return " ? ";
    }
}

/* Every operation in parentheses: the text reads back to the same tree
** whatever the dialects' priorities. */
static void print(sbuf *b, const node *n, int top)
{
    char num_text[40];
    switch (n->kind) {
    case N_NUM:
        snprintf(num_text, sizeof num_text, "%.17g", n->num);
        sbuf_put(b, num_text);
        break;
    case N_REF:
        sbuf_put(b, n->name);
        break;
    case N_UNARY:
        sbuf_put(b, top ? "" : "(");
        sbuf_put(b, n->op == TK_NOT ? "not " : n->op == TK_MINUS ? "-" : "+");
        print(b, n->args[0], 0);
        sbuf_put(b, top ? "" : ")");
        break;
    case N_BINARY:
        sbuf_put(b, top ? "" : "(");
        print(b, n->args[0], 0);
        sbuf_put(b, op_text(n->op));
        print(b, n->args[1], 0);
        sbuf_put(b, top ? "" : ")");
        break;
    case N_CALL:
        sbuf_put(b, n->name);
        if (n->nargs == 0 && n->is_builtin)
            break; /* time */
        sbuf_put(b, "(");
        for (int i = 0; i < n->nargs; i++) {
            if (i)
                sbuf_put(b, ", ");
            print(b, n->args[i], 1);
        }
        sbuf_put(b, ")");
        break;
    }
}

char *vt_native_text(const node *n)
{
    sbuf b = {NULL, 0, 0, 0};
    print(&b, n, 1);
    if (b.failed) {
        free(b.s);
        return NULL;
    }
    return b.s;
}
