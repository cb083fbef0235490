/*
** vtrans.h - Vensim expression trees -> engine trees: names and builtins.
*/
#ifndef MIGDEV_VENSIM_VTRANS_H
#define MIGDEV_VENSIM_VTRANS_H

#include "ast.h"
#include "migdev/error.h"

/* How the translator finds the model's names: the engine name of the
** variable (is_lookup 0) or lookup table (is_lookup 1) whose key (xname_key)
** is key, or NULL when the model has none. */
typedef const char *(*vt_lookup_fn)(const void *ctx, const char *key, int *is_lookup);

typedef struct vt_ctx {
    const char *file;
    vt_lookup_fn find;
    const void *find_ctx;
    const char *owner;  /* engine name of the variable being translated */
    migdev_error *err;
} vt_ctx;

/* Translate *np in place (it may be replaced): references become engine
** names (TIME the time builtin), calls of lookups keep their table's name,
** and Vensim builtins become engine builtins with Vensim's semantics.
** Returns 0, or a negative code with c->err set (an unknown or unsupported
** function, at its position). */
int vt_translate(const vt_ctx *c, node **np);

/* The equation as native-format text (owned; NULL when out of memory), so
** that the model can be listed and exported. */
char *vt_native_text(const node *n);

/* A deep copy of n (NULL when out of memory). */
node *vt_copy(const node *n);

#endif
