/*
** consteval.c - the value of a constant expression tree (see consteval.h).
*/
#include "consteval.h"

#include "lexer.h"

#include <math.h>

enum { MAX_CALL_ARGS = 16 };

int const_eval(const node *n, const_ref_fn ref, const void *ctx, double *x)
{
    return const_eval_calls(n, ref, NULL, ctx, x);
}

int const_eval_calls(const node *n, const_ref_fn ref, const_call_fn call, const void *ctx,
                     double *x)
{
    double a, b;
    switch (n->kind) {
    case N_NUM:
        *x = n->num;
        return 0;
    case N_REF:
        return ref ? ref(ctx, n, x) : -1;
    case N_UNARY:
        if (n->op == TK_NOT || const_eval_calls(n->args[0], ref, call, ctx, &a) != 0)
            return -1;
        *x = n->op == TK_MINUS ? -a : a;
        return 0;
    case N_BINARY:
        if (const_eval_calls(n->args[0], ref, call, ctx, &a) != 0 ||
            const_eval_calls(n->args[1], ref, call, ctx, &b) != 0)
            return -1;
        switch (n->op) {
        case TK_PLUS: *x = a + b; return 0;
        case TK_MINUS: *x = a - b; return 0;
        case TK_STAR: *x = a * b; return 0;
        case TK_SLASH: *x = a / b; return 0;
        case TK_CARET: *x = pow(a, b); return 0;
        /* comparisons and logic, 1 or 0 as the engine computes them */
        case TK_LT: *x = a < b; return 0;
        case TK_LE: *x = a <= b; return 0;
        case TK_GT: *x = a > b; return 0;
        case TK_GE: *x = a >= b; return 0;
        case TK_EQ: *x = a == b; return 0;
        case TK_NE: *x = a != b; return 0;
        case TK_AND: *x = a != 0.0 && b != 0.0; return 0;
        case TK_OR: *x = a != 0.0 || b != 0.0; return 0;
        default: return -1;
        }
    case N_CALL: {
        double args[MAX_CALL_ARGS];
        if (!call || n->nargs > MAX_CALL_ARGS)
            return -1;
        for (int i = 0; i < n->nargs; i++)
            if (const_eval_calls(n->args[i], ref, call, ctx, &args[i]) != 0)
                return -1;
        return call(ctx, n, args, x);
    }
    }
    return -1;
}

int const_is_literal(const node *n, double *x)
{
    if (n->kind == N_NUM) {
        *x = n->num;
        return 1;
    }
    if (n->kind == N_UNARY && (n->op == TK_MINUS || n->op == TK_PLUS) && n->args[0]->kind == N_NUM) {
        *x = n->op == TK_MINUS ? -n->args[0]->num : n->args[0]->num;
        return 1;
    }
    return 0;
}
