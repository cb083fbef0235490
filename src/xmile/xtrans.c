/*
** xtrans.c - XMILE expression trees -> engine trees: names and builtins.
**
** Tag: XMILE-BUILTINS -- the table below and xexport.c's writer agree on
** which native builtin each XMILE builtin becomes.
*/
#include "xtrans.h"

#include "builtins.h"
#include "error_int.h"
#include "lexer.h"
#include "model_int.h"
#include "xname.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum {
    SP_PLAIN,     /* same arguments, native name */
    SP_PULSE,     /* PULSE(m, first[, interval]) */
    SP_PREVIOUS,  /* PREVIOUS(x[, init = 0]) */
    SP_VALUE,     /* TIME(), DT()...: a value called with () */
    SP_INF,       /* INF */
    SP_ARRAY,     /* works on arrays: refused */
    SP_REFUSED    /* a vendor function migdev does not compute: refused */
} special;

typedef struct xbuiltin {
    const char *key;      /* XMILE name, lower case */
    int min_args, max_args;
    const char *native;   /* native builtin */
    special sp;
    const char *xmile;    /* XMILE spelling, for messages and the writer */
} xbuiltin;

static const xbuiltin table[] = {
    {"abs", 1, 1, "abs", SP_PLAIN, "ABS"},
    {"exp", 1, 1, "exp", SP_PLAIN, "EXP"},
    {"ln", 1, 1, "ln", SP_PLAIN, "LN"},
    {"log10", 1, 1, "log10", SP_PLAIN, "LOG10"},
    {"sqrt", 1, 1, "sqrt", SP_PLAIN, "SQRT"},
    {"int", 1, 1, "int", SP_PLAIN, "INT"},
    {"sin", 1, 1, "sin", SP_PLAIN, "SIN"},
    {"cos", 1, 1, "cos", SP_PLAIN, "COS"},
    {"tan", 1, 1, "tan", SP_PLAIN, "TAN"},
    {"arcsin", 1, 1, "arcsin", SP_PLAIN, "ARCSIN"},
    {"arccos", 1, 1, "arccos", SP_PLAIN, "ARCCOS"},
    {"arctan", 1, 1, "arctan", SP_PLAIN, "ARCTAN"},
    /* extensions: Stella and PySD read these (not in XMILE 1.0, 3.5) */
    {"sinh", 1, 1, "sinh", SP_PLAIN, "SINH"},
    {"cosh", 1, 1, "cosh", SP_PLAIN, "COSH"},
    {"tanh", 1, 1, "tanh", SP_PLAIN, "TANH"},
    {"min", 2, -1, "min", SP_PLAIN, "MIN"},
    {"max", 2, -1, "max", SP_PLAIN, "MAX"},
    {"mod", 2, 2, "mod", SP_PLAIN, "MOD"},
    {"safediv", 2, 3, "safediv", SP_PLAIN, "SAFEDIV"},
    {"if_then_else", 3, 3, "if_then_else", SP_PLAIN, "IF_THEN_ELSE"},
    {"step", 2, 2, "step", SP_PLAIN, "STEP"},
    /* RAMP's end time: an extension (PySD reads it; converted Vensim models) */
    {"ramp", 2, 3, "ramp", SP_PLAIN, "RAMP"},
    /* PULSE(m): one pulse at STARTTIME (Stella) */
    {"pulse", 1, 3, "pulse", SP_PULSE, "PULSE"},
    {"smth1", 2, 3, "smooth", SP_PLAIN, "SMTH1"},
    {"smth3", 2, 3, "smooth3", SP_PLAIN, "SMTH3"},
    {"smthn", 3, 4, "smoothn", SP_PLAIN, "SMTHN"},
    {"delay", 2, 3, "delay_fixed", SP_PLAIN, "DELAY"},
    {"delay1", 2, 3, "delay1", SP_PLAIN, "DELAY1"},
    {"delay3", 2, 3, "delay3", SP_PLAIN, "DELAY3"},
    {"delayn", 3, 4, "delayn", SP_PLAIN, "DELAYN"},
    {"trend", 2, 3, "trend", SP_PLAIN, "TREND"},
    {"forcst", 3, 4, "forecast", SP_PLAIN, "FORCST"},
    {"init", 1, 1, "init", SP_PLAIN, "INIT"},
    {"previous", 1, 2, "previous", SP_PREVIOUS, "PREVIOUS"},
    {"normal", 2, 3, "random_normal", SP_PLAIN, "NORMAL"},
    {"random", 2, 3, "random_uniform", SP_PLAIN, "RANDOM"},
    {"poisson", 1, 2, "random_poisson", SP_PLAIN, "POISSON"},
    {"exprnd", 1, 2, "random_exponential", SP_PLAIN, "EXPRND"},
    {"lognormal", 2, 3, "random_lognormal", SP_PLAIN, "LOGNORMAL"},
    {"time", 0, 0, "time", SP_VALUE, "TIME"},
    {"dt", 0, 0, "dt", SP_VALUE, "DT"},
    {"starttime", 0, 0, "start_time", SP_VALUE, "STARTTIME"},
    {"stoptime", 0, 0, "stop_time", SP_VALUE, "STOPTIME"},
    {"pi", 0, 0, "pi", SP_VALUE, "PI"},
    {"inf", 0, 0, NULL, SP_INF, "INF"},
    {"sum", 1, -1, NULL, SP_ARRAY, "SUM"},
    {"size", 1, 1, NULL, SP_ARRAY, "SIZE"},
    {"mean", 1, -1, NULL, SP_ARRAY, "MEAN"},
    {"stddev", 1, 1, NULL, SP_ARRAY, "STDDEV"},
    {"rank", 2, 3, NULL, SP_ARRAY, "RANK"},
    {"prod", 1, 1, NULL, SP_ARRAY, "PROD"},
    /* Stella's own functions (isee namespace) that migdev does not compute:
       refused by name rather than as unknown */
    {"history", 0, -1, NULL, SP_REFUSED, "HISTORY"},
    {"counter", 0, -1, NULL, SP_REFUSED, "COUNTER"},
    {"lookupinv", 0, -1, NULL, SP_REFUSED, "LOOKUPINV"},
    {"montecarlo", 0, -1, NULL, SP_REFUSED, "MONTECARLO"},
    {"npv", 0, -1, NULL, SP_REFUSED, "NPV"},
    {"irr", 0, -1, NULL, SP_REFUSED, "IRR"},
    {"delayinf", 0, -1, NULL, SP_REFUSED, "DELAYINF"},
    {"round", 0, -1, NULL, SP_REFUSED, "ROUND"},
};

static const xbuiltin *find(const char *key)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(table[i].key, key) == 0)
            return &table[i];
    return NULL;
}

const char *xt_xmile_name(const char *native)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (table[i].native && strcmp(table[i].native, native) == 0 &&
            (table[i].sp == SP_PLAIN || table[i].sp == SP_VALUE || table[i].sp == SP_PREVIOUS))
            return table[i].xmile;
    return NULL;
}

static int oom(const xt_ctx *c, const node *n)
{
    return err_set(c->err, MIGDEV_E_NOMEM, c->file, n->line, n->col, "out of memory");
}

static int set_name(node *n, const char *name)
{
    char *s = malloc(strlen(name) + 1);
    if (!s)
        return MIGDEV_E_NOMEM;
    strcpy(s, name);
    free(n->name);
    n->name = s;
    return 0;
}

static node *mk_builtin(const char *name, int line, int col)
{
    node *n = node_new(N_CALL, line, col, name, strlen(name));
    if (n)
        n->is_builtin = 1;
    return n;
}

static node *mk_num(double x, int line, int col)
{
    node *n = node_new(N_NUM, line, col, NULL, 0);
    if (n)
        n->num = x;
    return n;
}

/* Turn n into a call of the native value builtin name (time, dt...). */
static int to_value(const xt_ctx *c, node *n, const char *native)
{
    n->kind = N_CALL;
    n->is_builtin = 1;
    return set_name(n, native) == 0 ? 0 : oom(c, n);
}

/* The key of the last part of ident, and whether it had a std. prefix. */
static char *call_key(const char *ident, int *is_migdev, int *qualified)
{
    const char *sep = strchr(ident, XN_SEP);
    *is_migdev = 0;
    *qualified = sep != NULL;
    if (sep && !strchr(sep + 1, XN_SEP)) {
        char *ns = malloc((size_t)(sep - ident) + 1);
        if (!ns)
            return NULL;
        memcpy(ns, ident, (size_t)(sep - ident));
        ns[sep - ident] = '\0';
        char *k = xname_key(ns);
        free(ns);
        if (!k)
            return NULL;
        /* isee.NAME: Stella's namespace (3.6), read as the builtin */
        const int is_std = strcmp(k, "std") == 0 || strcmp(k, "isee") == 0;
        *is_migdev = strcmp(k, "migdev") == 0;
        free(k);
        if (is_std || *is_migdev) {
            *qualified = 0;
            return xname_key(sep + 1);
        }
    }
    return xname_key(ident);
}

static int translate(const xt_ctx *c, node **np);

static int translate_args(const xt_ctx *c, node *n)
{
    for (int i = 0; i < n->nargs; i++) {
        const int rc = translate(c, &n->args[i]);
        if (rc)
            return rc;
    }
    return 0;
}

static int translate_ref(const xt_ctx *c, node **np)
{
    node *n = *np;
    char *key = strchr(n->name, XN_SEP) ? NULL : xname_key(n->name);
    if (key) {
        const xbuiltin *b = find(key);
        const int is_self = strcmp(key, "self") == 0;
        free(key);
        if (is_self) {
            if (!c->self)
                return err_set(c->err, MIGDEV_E_NAME, c->file, n->line, n->col,
                               "SELF is only meaningful inside a variable's equation");
            return set_name(n, c->self) == 0 ? 0 : oom(c, n);
        }
        if (b && b->sp == SP_INF) {
            n->kind = N_NUM;
            n->num = INFINITY;
            return 0;
        }
        if (b && b->sp == SP_VALUE)
            return to_value(c, n, b->native);
    }
    xt_sym s;
    const int rc = c->resolve(c->ud, n->name, 0, n->line, n->col, &s);
    if (rc)
        return rc;
    if (s.is_lookup) {
        char *shown = xname_dotted(n->name);
        return err_set(c->err, MIGDEV_E_TYPE, c->file, n->line, n->col,
                       "'%s' is a graphical function: call it with an input, as %s(x)", shown,
                       shown);
    }
    return set_name(n, s.engine) == 0 ? 0 : oom(c, n);
}

static int arity_error(const xt_ctx *c, const node *n, const xbuiltin *b)
{
    char want[40];
    if (b->max_args < 0)
        snprintf(want, sizeof want, "at least %d arguments", b->min_args);
    else if (b->min_args == b->max_args)
        snprintf(want, sizeof want, "%d argument%s", b->min_args, b->min_args == 1 ? "" : "s");
    else
        snprintf(want, sizeof want, "%d or %d arguments", b->min_args, b->max_args);
    return err_set(c->err, MIGDEV_E_TYPE, c->file, n->line, n->col, "%s takes %s, got %d",
                   b->xmile, want, n->nargs);
}

/* SUM, PROD or MEAN of numbers (no array among them: the flattener has
** written out the arrays): a + b + ..., a * b * ..., (a + b + ...) / n. */
static int fold_numbers(const xt_ctx *c, node **np, const char *which)
{
    node *n = *np;
    int rc = translate_args(c, n);
    if (rc)
        return rc;
    const int prod = !strcmp(which, "PROD");
    node *acc = n->args[0];
    n->args[0] = NULL;
    for (int i = 1; i < n->nargs; i++) {
        node *b = node_new(N_BINARY, n->line, n->col, NULL, 0);
        if (!b) {
            node_free(acc);
            return oom(c, n);
        }
        b->op = prod ? TK_STAR : TK_PLUS;
        if (node_push(b, acc) != 0) { /* acc is freed */
            node_free(b);
            return oom(c, n);
        }
        node *arg = n->args[i];
        n->args[i] = NULL;
        if (node_push(b, arg) != 0) {
            node_free(b);
            return oom(c, n);
        }
        acc = b;
    }
    if (!strcmp(which, "MEAN")) {
        node *cnt = mk_num((double)n->nargs, n->line, n->col);
        node *d = cnt ? node_new(N_BINARY, n->line, n->col, NULL, 0) : NULL;
        if (!d) {
            node_free(cnt);
            node_free(acc);
            return oom(c, n);
        }
        d->op = TK_SLASH;
        if (node_push(d, acc) != 0) { /* acc is freed */
            node_free(cnt);
            node_free(d);
            return oom(c, n);
        }
        if (node_push(d, cnt) != 0) {
            node_free(d);
            return oom(c, n);
        }
        acc = d;
    }
    node_free(n);
    *np = acc;
    return 0;
}

static int translate_call(const xt_ctx *c, node **np)
{
    node *n = *np;
    int is_migdev, qualified;
    char *key = call_key(n->name, &is_migdev, &qualified);
    if (!key)
        return oom(c, n);
    if (is_migdev) { /* migdev.name(...): a native builtin (written by migdev export) */
        const builtin *nb = builtin_find(key);
        free(key);
        if (!nb)
            return err_set(c->err, MIGDEV_E_NAME, c->file, n->line, n->col,
                           "unknown function '%s' in the migdev namespace",
                           xname_dotted(n->name));
        if (set_name(n, nb->name) != 0)
            return oom(c, n);
        n->is_builtin = 1;
        return translate_args(c, n);
    }
    if (!qualified && strcmp(key, "lookup") == 0 && n->nargs == 2 &&
        n->args[0]->kind == N_REF) {
        /* LOOKUP(gf, x) (XMILE 3.5.7): the graphical function gf at x */
        free(key);
        xt_sym s;
        const node *g = n->args[0];
        const int rc = c->resolve(c->ud, g->name, 1, g->line, g->col, &s);
        if (rc)
            return rc;
        if (!s.is_lookup)
            return err_set(c->err, MIGDEV_E_TYPE, c->file, g->line, g->col,
                           "the first argument of LOOKUP must be a graphical function");
        if (set_name(n, s.engine) != 0)
            return oom(c, n);
        node_free(n->args[0]);
        n->args[0] = n->args[1];
        n->nargs = 1;
        n->is_lookup = 1;
        n->fn = s.lookup;
        return translate_args(c, n);
    }
    const xbuiltin *b = qualified ? NULL : find(key);
    free(key);
    if (!b) {
        xt_sym s;
        const int rc = c->resolve(c->ud, n->name, 1, n->line, n->col, &s);
        if (rc)
            return rc;
        if (!s.is_lookup) {
            char *shown = xname_dotted(n->name);
            return err_set(c->err, MIGDEV_E_TYPE, c->file, n->line, n->col,
                           "'%s' is a variable, not a function or graphical function", shown);
        }
        if (n->nargs != 1)
            return err_set(c->err, MIGDEV_E_TYPE, c->file, n->line, n->col,
                           "graphical function '%s' takes 1 argument, got %d",
                           xname_dotted(n->name), n->nargs);
        if (set_name(n, s.engine) != 0)
            return oom(c, n);
        n->is_lookup = 1;
        n->fn = s.lookup;
        return translate_args(c, n);
    }
    if (b->sp == SP_REFUSED)
        return err_set(c->err, MIGDEV_E_UNSUPPORTED, c->file, n->line, n->col,
                       "%s (a Stella function outside XMILE 1.0's builtins) is not supported",
                       b->xmile);
    if (b->sp == SP_ARRAY && n->nargs >= 1 && strcmp(b->xmile, "RANK") == 0)
        return err_set(c->err, MIGDEV_E_UNSUPPORTED, c->file, n->line, n->col,
                       "RANK is not supported (the array builtins read are SUM, PROD, MEAN, "
                       "MIN, MAX, STDDEV and SIZE)");
    if (b->sp == SP_ARRAY && n->nargs >= 2 &&
        (!strcmp(b->xmile, "SUM") || !strcmp(b->xmile, "PROD") || !strcmp(b->xmile, "MEAN")))
        return fold_numbers(c, np, b->xmile);
    if (b->sp == SP_ARRAY || ((b->sp == SP_PLAIN && b->max_args < 0) && n->nargs == 1))
        return err_set(c->err, MIGDEV_E_TYPE, c->file, n->line, n->col,
                       "%s(%s) works on an array: its argument is no arrayed variable (write "
                       "x[*] of one, or several arguments)",
                       b->xmile, n->nargs == 1 ? "x" : "...");
    if (n->nargs < b->min_args || (b->max_args >= 0 && n->nargs > b->max_args))
        return arity_error(c, n, b);
    int rc = translate_args(c, n);
    if (rc)
        return rc;
    switch (b->sp) {
    case SP_INF:
        n->kind = N_NUM;
        n->num = INFINITY;
        return 0;
    case SP_VALUE:
        return to_value(c, n, b->native);
    case SP_PREVIOUS:
        if (n->nargs == 1) {
            node *z = mk_num(0.0, n->line, n->col);
            if (!z || node_push(n, z) != 0)
                return oom(c, n);
        }
        break;
    case SP_PULSE: {
        /* PULSE(m, first[, interval]) = m/DT for one step at first, first +
           interval, ...; once when the interval is absent or 0 */
        node *dt = mk_builtin("dt", n->line, n->col);
        node *div = dt ? node_new(N_BINARY, n->args[0]->line, n->args[0]->col, NULL, 0) : NULL;
        if (!div) {
            node_free(dt);
            return oom(c, n);
        }
        div->op = TK_SLASH;
        if (node_push(div, n->args[0]) != 0) { /* frees the argument: detach first */
            n->args[0] = NULL;
            node_free(dt);
            node_free(div);
            return oom(c, n);
        }
        if (node_push(div, dt) != 0) {
            n->args[0] = NULL;
            node_free(div);
            return oom(c, n);
        }
        n->args[0] = div;
        if (n->nargs == 1) { /* PULSE(m): at the start of the run */
            node *st = mk_builtin("start_time", n->line, n->col);
            if (!st || node_push(n, st) != 0)
                return oom(c, n);
        }
        node *interval = n->nargs == 3 ? n->args[2] : mk_num(0.0, n->line, n->col);
        if (n->nargs == 3)
            n->nargs = 2; /* detached: pushed back after the width */
        node *width = mk_num(0.0, n->line, n->col); /* 0: one step */
        if (!interval || !width) {
            node_free(interval);
            node_free(width);
            return oom(c, n);
        }
        if (node_push(n, width) != 0) {
            node_free(interval);
            return oom(c, n);
        }
        if (node_push(n, interval) != 0)
            return oom(c, n);
        break;
    }
    default:
        break;
    }
    n->is_builtin = 1;
    return set_name(n, b->native) == 0 ? 0 : oom(c, n);
}

static int translate(const xt_ctx *c, node **np)
{
    node *n = *np;
    switch (n->kind) {
    case N_NUM: return 0;
    case N_REF: return translate_ref(c, np);
    case N_CALL: return translate_call(c, np);
    default: return translate_args(c, n);
    }
}

int xt_translate(const xt_ctx *c, node **np)
{
    return translate(c, np);
}
