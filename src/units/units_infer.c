/*
** units_infer.c - the units of an expression, from its leaves up.
**
** Leaves: variables have their declared units, time/dt/start_time/stop_time
** the model's time unit, numbers whatever their context needs (or none, with
** strict_numbers). Rules: + - min max mod, comparisons and the branches of
** if_then_else need equal units; * and / combine them; ^ needs a
** dimensionless exponent, and a base with units needs an exponent made of
** numbers and constants, whose value scales the units; exp, ln, log10 and
** the trigonometric functions take and give dimensionless values; a lookup
** takes its x_units and gives its units; step, pulse and ramp take times.
** Calls compile.c expanded (smooth, delay, trend, init...) give their
** input's units (trend: 1/time); their arguments are checked in
** units_check.c.
**
** With an expected unit, the check is pushed down through the nodes that
** pass units on unchanged (sums, unary minus, branches, min/max, abs, int,
** step's height...), so a finding points at the term that differs.
*/
#include "units/units_int.h"

#include "builtins.h"
#include "consteval.h"
#include "lexer.h"
#include "opcodes.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uval uv_unknown(void)
{
    uval v;
    memset(&v, 0, sizeof v);
    v.kind = UV_UNKNOWN;
    return v;
}

static uval uv_any(void)
{
    uval v = uv_unknown();
    v.kind = UV_ANY;
    return v;
}

uval uv_one(void)
{
    uval v = uv_unknown();
    v.kind = UV_KNOWN;
    units_one(&v.u);
    return v;
}

uval uv_known(const units *u)
{
    uval v = uv_unknown();
    v.kind = UV_KNOWN;
    v.u = *u;
    return v;
}

static int is_known(const uval *v)
{
    return v->kind == UV_KNOWN;
}

static int differ(const uval *a, const uval *b)
{
    return is_known(a) && is_known(b) && !units_equal(&a->u, &b->u);
}

const char *ui_text(const ucheck *c, const uval *v, char *buf, size_t n)
{
    if (v->kind == UV_UNKNOWN)
        snprintf(buf, n, "?");
    else if (v->kind == UV_ANY)
        snprintf(buf, n, "any units");
    else
        units_format(&c->names, &v->u, buf, n);
    return buf;
}

static const char *owner_name(const ucheck *c)
{
    return c->m->vars[c->owner].name;
}

/* The expansion whose replacement is n, or NULL. */
static const expansion *expansion_of(const ucheck *c, const node *n)
{
    for (int i = 0; i < c->m->n_expansions; i++)
        if (c->m->expansions[i].result == n)
            return &c->m->expansions[i];
    return NULL;
}

void ui_pos(const ucheck *c, const node *n, int *line, int *col)
{
    if (n && n->line > 0) {
        *line = n->line;
        *col = n->col;
        return;
    }
    const expansion *e = n ? expansion_of(c, n) : NULL;
    if (e && e->line > 0) {
        *line = e->line;
        *col = e->col;
        return;
    }
    const variable *o = &c->m->vars[c->owner];
    *line = o->eq_line;
    *col = o->eq_col;
}

/* "<what>: expected 'W' (<why>), found 'F'" at node at. */
static void mismatch(ucheck *c, const node *at, const char *what, const uval *want,
                     const char *why, const uval *found)
{
    char w[160], f[160];
    int line, col;
    ui_pos(c, at, &line, &col);
    ur_add(c, MIGDEV_UNITS_ERROR, MIGDEV_E_TYPE, line, col, "%s: expected '%s'%s%s%s, found '%s'",
           what, ui_text(c, want, w, sizeof w), why ? " (" : "", why ? why : "", why ? ")" : "",
           ui_text(c, found, f, sizeof f));
}

/* A node that does not pass an expected unit down: compare what it is with
** what it should be. */
static uval against(ucheck *c, const node *n, uval got, const uwant *w)
{
    if (w && differ(&got, w->u)) {
        mismatch(c, n, w->what, w->u, w->why, &got);
        return uv_unknown();
    }
    return got;
}

/* Two operands that must agree, b at node at_b; reported as
** "<what>: expected a (<why>), found b". */
static uval unify(ucheck *c, uval a, uval b, const node *at_b, const char *what, const char *why)
{
    if (a.kind == UV_UNKNOWN || b.kind == UV_UNKNOWN)
        return uv_unknown();
    if (a.kind == UV_ANY)
        return b;
    if (b.kind == UV_ANY)
        return a;
    if (!units_equal(&a.u, &b.u)) {
        mismatch(c, at_b, what, &a, why, &b);
        return uv_unknown();
    }
    return a;
}

/* The same, silent: each operand was already checked against an expected
** unit. */
static uval merge(uval a, uval b)
{
    if (a.kind == UV_UNKNOWN || b.kind == UV_UNKNOWN)
        return uv_unknown();
    if (a.kind == UV_ANY)
        return b;
    if (b.kind == UV_ANY || units_equal(&a.u, &b.u))
        return a;
    return uv_unknown();
}

static void too_many(ucheck *c, const node *at)
{
    int line, col;
    ui_pos(c, at, &line, &col);
    ur_add(c, MIGDEV_UNITS_ERROR, MIGDEV_E_TYPE, line, col,
           "in '%s': the units of this expression need more than %d different base units "
           "or too large a power",
           owner_name(c), UNITS_MAX_TERMS);
}

/* a * b, or a / b when div. A number is a pure factor: 2 * x has x's units. */
static uval product(ucheck *c, const node *at, uval a, uval b, int div)
{
    if (a.kind == UV_UNKNOWN || b.kind == UV_UNKNOWN)
        return uv_unknown();
    if (b.kind == UV_ANY)
        return a;
    if (a.kind == UV_ANY)
        a = uv_one();
    uval r = uv_one();
    if ((div ? units_div(&r.u, &a.u, &b.u) : units_mul(&r.u, &a.u, &b.u)) != 0) {
        too_many(c, at);
        return uv_unknown();
    }
    return r;
}

/* The value of a constant in the model (or the caller's values): for
** exponents, through const_eval. */
static int const_ref(const void *ctx, const node *n, double *x)
{
    const ucheck *c = ctx;
    if (n->ref < 0 || c->m->vars[n->ref].kind != VK_CONST)
        return -1;
    *x = c->values ? c->values[n->ref] : c->m->vars[n->ref].value;
    return 0;
}

/* base ^ expo (or pow(base, expo), named fname). */
static uval power(ucheck *c, const node *base, const node *expo, const char *fname)
{
    const uval b = ui_check(c, base, NULL), e = ui_check(c, expo, NULL);
    const uval one = uv_one();
    char what[200];
    if (is_known(&e) && !units_is_one(&e.u)) {
        snprintf(what, sizeof what, "in '%s': exponent of %s", owner_name(c), fname);
        mismatch(c, expo, what, &one, NULL, &e);
        return uv_unknown();
    }
    if (!is_known(&b) || units_is_one(&b.u))
        return b;
    double x;
    if (const_eval(expo, const_ref, c, &x) != 0) {
        snprintf(what, sizeof what,
                 "in '%s': base of %s whose exponent is not made of numbers and constants",
                 owner_name(c), fname);
        mismatch(c, base, what, &one, NULL, &b);
        return uv_unknown();
    }
    urat p;
    if (urat_from_double(x, &p) != 0) {
        char bt[160];
        int line, col;
        ui_pos(c, expo, &line, &col);
        ur_add(c, MIGDEV_UNITS_ERROR, MIGDEV_E_TYPE, line, col,
               "in '%s': the exponent of %s is %.10g, not a simple fraction (denominator up to "
               "1000): the units of '%s' to that power cannot be written",
               owner_name(c), fname, x, ui_text(c, &b, bt, sizeof bt));
        return uv_unknown();
    }
    uval r = uv_one();
    if (units_pow(&r.u, &b.u, p) != 0) {
        too_many(c, expo);
        return uv_unknown();
    }
    return r;
}

/* A condition: any non-zero value is true, but one with units is suspect. */
static void condition(ucheck *c, const node *n, const char *what)
{
    const uval u = ui_check(c, n, NULL);
    if (is_known(&u) && !units_is_one(&u.u)) {
        char t[160];
        int line, col;
        ui_pos(c, n, &line, &col);
        ur_add(c, MIGDEV_UNITS_WARNING, MIGDEV_E_TYPE, line, col,
               "in '%s': %s is in '%s': expected a comparison or a dimensionless switch",
               owner_name(c), what, ui_text(c, &u, t, sizeof t));
    }
}

/* An argument that is a time (step's time, pulse's start...). */
static void time_arg(ucheck *c, const node *n, const char *what)
{
    uwant w = {&c->time, "", "the time unit"};
    snprintf(w.what, sizeof w.what, "in '%s': %s", owner_name(c), what);
    ui_check(c, n, is_known(&c->time) ? &w : NULL);
}

/* A function of a dimensionless argument (exp, ln, sin...). */
static void dimensionless_arg(ucheck *c, const node *n, const char *fname)
{
    const uval u = ui_check(c, n, NULL), one = uv_one();
    if (is_known(&u) && !units_is_one(&u.u)) {
        char what[200];
        snprintf(what, sizeof what, "in '%s': argument of %s()", owner_name(c), fname);
        mismatch(c, n, what, &one, NULL, &u);
    }
}

/* Arguments first..n-1 that must share units (min, max, the random
** functions' parameters): pushed the expected unit, or compared with the
** ones before. */
static uval same_units(ucheck *c, const node *n, int first, const uwant *w, const char *fname)
{
    uval acc = ui_check(c, n->args[first], w);
    for (int i = first + 1; i < n->nargs; i++) {
        const uval b = ui_check(c, n->args[i], w);
        if (w) {
            acc = merge(acc, b);
            continue;
        }
        char what[200];
        snprintf(what, sizeof what, "in '%s': argument %d of %s()", owner_name(c), i + 1, fname);
        acc = unify(c, acc, b, n->args[i], what,
                    i == first + 1 ? "the first argument's units" : "the arguments before it");
    }
    return acc;
}

/* The units an expanded call gives: its input's (trend: 1/time). */
static uval expansion_units(ucheck *c, const expansion *e)
{
    const builtin *b = builtin_at(e->fn);
    const uval in = e->arg[EX_INPUT] >= 0 ? ui_var(c, e->arg[EX_INPUT]) : uv_unknown();
    if (b->kind == BK_STATEFUL && b->stateful == SF_TREND) {
        if (!is_known(&c->time))
            return uv_unknown();
        uval r = uv_one();
        units_div(&r.u, &r.u, &c->time.u);
        return r;
    }
    if (in.kind == UV_ANY && e->arg[EX_INIT] >= 0 && b->stateful != SF_FORECAST)
        return ui_var(c, e->arg[EX_INIT]); /* smooth(5, t, x): x's units */
    return in;
}

static uval check_lookup(ucheck *c, const node *n, const uwant *w)
{
    const lookup_tbl *t = &c->m->lookups[n->fn];
    const node *a = n->args[0];
    if (is_known(&c->lk_x[n->fn])) {
        uwant wx = {&c->lk_x[n->fn], "", "its x_units"};
        snprintf(wx.what, sizeof wx.what, "in '%s': input of lookup '%s'", owner_name(c), t->name);
        ui_check(c, a, &wx);
    } else {
        const uval u = ui_check(c, a, NULL);
        if (is_known(&u) && !units_is_one(&u.u)) {
            char ut[160];
            int line, col;
            ui_pos(c, a, &line, &col);
            ui_text(c, &u, ut, sizeof ut);
            ur_add(c, MIGDEV_UNITS_WARNING, MIGDEV_E_TYPE, line, col,
                   "in '%s': the input of lookup '%s' is in '%s', but the lookup has no "
                   "x_units, so it expects a dimensionless input: give it x_units = \"%s\"",
                   owner_name(c), t->name, ut, ut);
        }
    }
    return against(c, n, c->lk_y[n->fn], w);
}

static uval check_call(ucheck *c, const node *n, const uwant *w)
{
    const builtin *b = builtin_at(n->fn);
    if (!b)
        return uv_unknown();
    const node *const *a = (const node *const *)n->args;
    char what[200];
    uval u;
    switch (b->kind == BK_RANDOM ? -1 : b->op) {
    case OP_TIME:
    case OP_DT:
    case OP_START:
    case OP_STOP:
        return against(c, n, c->time, w);
    case OP_IF:
        condition(c, a[0], "the condition of if_then_else()");
        if (w)
            return merge(ui_check(c, a[1], w), ui_check(c, a[2], w));
        snprintf(what, sizeof what, "in '%s': else branch of if_then_else()", owner_name(c));
        u = ui_check(c, a[1], NULL);
        return unify(c, u, ui_check(c, a[2], NULL), a[2], what, "the then branch's units");
    case OP_MIN:
    case OP_MAX:
        return same_units(c, n, 0, w, b->name);
    case OP_ABS:
    case OP_INT:
        return ui_check(c, a[0], w);
    case OP_MOD:
        u = ui_check(c, a[0], w);
        snprintf(what, sizeof what, "in '%s': argument 2 of mod()", owner_name(c));
        unify(c, u, ui_check(c, a[1], NULL), a[1], what, "the first argument's units");
        return u;
    case OP_EXP:
    case OP_LN:
    case OP_LOG10:
    case OP_SIN:
    case OP_COS:
    case OP_TAN:
    case OP_ASIN:
    case OP_ACOS:
    case OP_ATAN:
    case OP_SINH:
    case OP_COSH:
    case OP_TANH:
        dimensionless_arg(c, a[0], b->name);
        return against(c, n, uv_one(), w);
    case OP_SQRT:
        u = ui_check(c, a[0], NULL);
        if (is_known(&u)) {
            const urat half = {1, 2};
            if (units_pow(&u.u, &u.u, half) != 0) {
                too_many(c, n);
                u = uv_unknown();
            }
        }
        return against(c, n, u, w);
    case OP_POW:
        return against(c, n, power(c, a[0], a[1], "pow()"), w);
    case OP_SAFEDIV:
        u = product(c, n, ui_check(c, a[0], NULL), ui_check(c, a[1], NULL), 1);
        if (n->nargs > 2) {
            snprintf(what, sizeof what, "in '%s': argument 3 of safediv()", owner_name(c));
            u = unify(c, u, ui_check(c, a[2], NULL), a[2], what, "argument 1 / argument 2");
        }
        return against(c, n, u, w);
    case OP_STEP:
        u = ui_check(c, a[0], w);
        time_arg(c, a[1], "time of step()");
        return u;
    case OP_PULSE:
        u = ui_check(c, a[0], w);
        time_arg(c, a[1], "start of pulse()");
        if (n->nargs > 2)
            time_arg(c, a[2], "width of pulse()");
        if (n->nargs > 3)
            time_arg(c, a[3], "interval of pulse()");
        return u;
    case OP_RAMP:
        u = ui_check(c, a[0], NULL);
        time_arg(c, a[1], "start of ramp()");
        if (n->nargs > 2)
            time_arg(c, a[2], "end of ramp()");
        if (u.kind == UV_KNOWN)
            u = is_known(&c->time) ? product(c, n, u, c->time, 0) : uv_unknown();
        return against(c, n, u, w); /* slope x time */
    case -1: /* random samples: in the units of their parameters */
        return same_units(c, n, 0, w, b->name);
    default:
        for (int i = 0; i < n->nargs; i++)
            ui_check(c, a[i], NULL);
        return uv_unknown();
    }
}

/* Operators that parse left to right (a + b + c is (a + b) + c): one class
** per precedence level, 0 for ^ (right-associative, depth-limited by the
** parser). */
static int op_class(int op)
{
    switch (op) {
    case TK_PLUS:
    case TK_MINUS: return 1;
    case TK_STAR:
    case TK_SLASH: return 2;
    case TK_EQ:
    case TK_NE:
    case TK_LT:
    case TK_LE:
    case TK_GT:
    case TK_GE: return 3;
    case TK_AND: return 4;
    case TK_OR: return 5;
    default: return 0;
    }
}

enum { CHAIN_ON_STACK = 16 };

/* A chain of left-to-right operators of one class, such as a 10000-term
** sum, is walked in a loop (the parser allows trees 10000 high: recursing
** down the left operands would exhaust the stack). ops[k] are the operator
** nodes from the innermost (the leftmost operator) out. */
static uval check_binary(ucheck *c, const node *n, const uwant *w)
{
    const int cls = op_class(n->op);
    if (cls == 0)
        return against(c, n, power(c, n->args[0], n->args[1], "'^'"), w);
    const node *stack_ops[CHAIN_ON_STACK] = {n};
    const node **ops = stack_ops;
    int n_ops = 0;
    for (const node *k = n; k->kind == N_BINARY && op_class(k->op) == cls; k = k->args[0])
        n_ops++;
    if (n_ops > CHAIN_ON_STACK && !(ops = malloc((size_t)n_ops * sizeof *ops))) {
        c->oom = 1;
        return uv_unknown();
    }
    int k = n_ops;
    for (const node *x = n; k > 0; x = x->args[0])
        ops[--k] = x;
    const node *first = ops[0]->args[0];
    char what[200];
    uval acc;
    switch (cls) {
    case 1: /* + - : equal units */
        acc = ui_check(c, first, w);
        for (k = 0; k < n_ops; k++) {
            const node *r = ops[k]->args[1];
            const uval b = ui_check(c, r, w);
            if (w) {
                acc = merge(acc, b);
                continue;
            }
            snprintf(what, sizeof what, "in '%s': right operand of %s", owner_name(c),
                     lex_type_name((tok_type)ops[k]->op));
            acc = unify(c, acc, b, r, what, "the left operand's units");
        }
        break;
    case 2: /* * / : units multiply */
        acc = ui_check(c, first, NULL);
        for (k = 0; k < n_ops; k++)
            acc = product(c, ops[k], acc, ui_check(c, ops[k]->args[1], NULL),
                          ops[k]->op == TK_SLASH);
        acc = against(c, n, acc, w);
        break;
    case 3: /* comparisons: equal units, a dimensionless result */
        acc = ui_check(c, first, NULL);
        for (k = 0; k < n_ops; k++) {
            const node *r = ops[k]->args[1];
            snprintf(what, sizeof what, "in '%s': right operand of %s", owner_name(c),
                     lex_type_name((tok_type)ops[k]->op));
            unify(c, acc, ui_check(c, r, NULL), r, what, "the left operand's units");
            acc = uv_one();
        }
        acc = against(c, n, acc, w);
        break;
    default: /* and, or: conditions */
        snprintf(what, sizeof what, "the left operand of %s", lex_type_name((tok_type)n->op));
        condition(c, first, what);
        snprintf(what, sizeof what, "the right operand of %s", lex_type_name((tok_type)n->op));
        for (k = 0; k < n_ops; k++)
            condition(c, ops[k]->args[1], what);
        acc = against(c, n, uv_one(), w);
        break;
    }
    if (ops != stack_ops)
        free(ops);
    return acc;
}

uval ui_check(ucheck *c, const node *n, const uwant *w)
{
    if (!n)
        return uv_unknown();
    if (w && !is_known(w->u))
        w = NULL;
    const expansion *e = n->line > 0 ? NULL : expansion_of(c, n);
    if (e)
        return against(c, n, expansion_units(c, e), w);
    switch (n->kind) {
    case N_NUM:
        if (c->strict_numbers && n->num != 0.0)
            return against(c, n, uv_one(), w);
        return uv_any();
    case N_REF:
        return against(c, n, n->ref >= 0 ? ui_var(c, n->ref) : uv_unknown(), w);
    case N_UNARY:
        if (n->op == TK_NOT) {
            condition(c, n->args[0], "the operand of 'not'");
            return against(c, n, uv_one(), w);
        }
        return ui_check(c, n->args[0], w);
    case N_BINARY:
        return check_binary(c, n, w);
    case N_CALL:
        if (n->is_lookup)
            return n->fn >= 0 && n->fn < c->m->n_lookups ? check_lookup(c, n, w) : uv_unknown();
        return check_call(c, n, w);
    }
    return uv_unknown();
}

uval ui_var(ucheck *c, int v)
{
    const variable *x = &c->m->vars[v];
    if (!x->is_hidden || c->state[v] == 2)
        return c->var[v];
    if (c->state[v] == 1 || !x->eq)
        return uv_unknown();
    c->state[v] = 1;
    /* the arguments of expanded calls are the user's text and are reported;
       the stocks and flows compile.c made up are not */
    const int synthetic = x->kind == VK_STOCK || x->kind == VK_FLOW || x->kind == VK_HIST;
    const int saved_quiet = c->quiet, saved_owner = c->owner;
    c->quiet = synthetic ? saved_quiet + 1 : 0;
    c->owner = x->owner >= 0 ? x->owner : v;
    const uval u = ui_check(c, x->eq, NULL);
    c->quiet = saved_quiet;
    c->owner = saved_owner;
    c->var[v] = u;
    c->state[v] = 2;
    return u;
}
