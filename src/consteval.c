/*
** consteval.c - the value of a constant expression tree (see consteval.h).
*/
#include "consteval.h"

#include "lexer.h"

#include <math.h>

int const_eval(const node *n, const_ref_fn ref, const void *ctx, double *x)
{
    double a, b;
    switch (n->kind) {
    case N_NUM:
        *x = n->num;
        return 0;
    case N_REF:
        return ref ? ref(ctx, n, x) : -1;
    case N_UNARY:
        if (n->op == TK_NOT || const_eval(n->args[0], ref, ctx, &a) != 0)
            return -1;
        *x = n->op == TK_MINUS ? -a : a;
        return 0;
    case N_BINARY:
        if (const_eval(n->args[0], ref, ctx, &a) != 0 ||
            const_eval(n->args[1], ref, ctx, &b) != 0)
            return -1;
        switch (n->op) {
        case TK_PLUS: *x = a + b; return 0;
        case TK_MINUS: *x = a - b; return 0;
        case TK_STAR: *x = a * b; return 0;
        case TK_SLASH: *x = a / b; return 0;
        case TK_CARET: *x = pow(a, b); return 0;
        default: return -1;
        }
    case N_CALL:
        return -1;
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
