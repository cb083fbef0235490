/*
** consteval.h - the one constant evaluator: the value of an expression tree
** made of numbers, arithmetic and (optionally) references to constants.
**
** Used wherever a reader or a compiler step needs a number written in an
** equation (the order of smoothn/delayn, a random seed, the exponent the
** units checker must know, a Vensim or XMILE constant). The arithmetic is the
** VM's (pow for '^'), so a folded value equals the value the run computes.
*/
#ifndef MIGDEV_CONSTEVAL_H
#define MIGDEV_CONSTEVAL_H

#include "ast.h"

/* The value of the reference n in *x: 0, or -1 when it is not a constant.
** ctx is the caller's. */
typedef int (*const_ref_fn)(const void *ctx, const node *n, double *x);

/* The value of n: numbers, unary '+' and '-', binary '+' '-' '*' '/' '^',
** and references when ref is given (NULL: a reference is not constant).
** Returns 0 with *x set, or -1 when n is anything else (a call, 'not', a
** comparison, a reference ref refuses). */
int const_eval(const node *n, const_ref_fn ref, const void *ctx, double *x);

/* 1 when n is a number literal, possibly signed ("-3"), with its value in
** *x; 0 otherwise. The readers' test for "this variable is a constant". */
int const_is_literal(const node *n, double *x);

#endif
