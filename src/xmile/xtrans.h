/*
** xtrans.h - turn XMILE expression trees (xexpr.h) into engine trees.
**
** Names are resolved by the caller (it knows models, modules and their
** connections) through a callback; builtins are mapped here, by the table in
** xtrans.c: SMTH1 -> smooth, DELAY -> delay_fixed, IF ... THEN ... ELSE ->
** if_then_else, PULSE(m, first[, interval]) -> pulse(m/DT, first, DT,
** interval) (XMILE's PULSE is a one-step pulse of volume m), and so on.
** Calls to builtins are marked is_builtin so that no variable can shadow
** them; graphical functions become lookup calls with their index set.
*/
#ifndef MIGDEV_XMILE_XTRANS_H
#define MIGDEV_XMILE_XTRANS_H

#include "ast.h"
#include "migdev/error.h"

typedef struct xt_sym {
    int is_lookup;       /* 1: a graphical function */
    const char *engine;  /* its engine name (borrowed) */
    int lookup;          /* its lookup index when is_lookup */
} xt_sym;

/* Resolve an identifier (parts joined by XN_SEP) used at line:col; called
** is set when it is called like a function. Returns 0 with *out filled, or
** a MIGDEV_E_* code with the error recorded. */
typedef int (*xt_resolve_fn)(void *ud, const char *ident, int called, int line, int col,
                             xt_sym *out);

typedef struct xt_ctx {
    const char *file;
    migdev_error *err;
    xt_resolve_fn resolve;
    void *ud;
    const char *self;    /* engine name of the variable defined (for SELF) */
} xt_ctx;

/* Translate the tree at *np in place. Returns 0 or a MIGDEV_E_* code with
** c->err set; the tree is freed by the caller either way. */
int xt_translate(const xt_ctx *c, node **np);

/* The XMILE name of the builtin that translates to native builtin name, or
** NULL (used by the XMILE writer). */
const char *xt_xmile_name(const char *native);

#endif
