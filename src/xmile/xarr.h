/*
** xarr.h - XMILE arrays, flattened before the model is built.
*/
#ifndef MIGDEV_XMILE_XARR_H
#define MIGDEV_XMILE_XARR_H

#include "lexer.h"
#include "migdev/error.h"
#include "xdoc.h"

/* Replace each arrayed variable of d by one variable per element, named
** "name[elem,elem]", with its equation's subscripts replaced (the element
** of the variable's own dimension, a named element or a position, an
** expression of numbers and dimension names, @k, or '*', ranges and other
** dimensions inside SUM, MEAN, MIN, MAX, PROD, STDDEV: the elements
** combined; a subscript computed during the run picks its element through
** IFs), names without subscripts given the variable's dimensions, and
** dimension names outside brackets replaced by the element's position; a
** module's connection to an arrayed variable joins each element. Returns 0
** or a MIGDEV_E_* code with err set. */
int xarr_flatten(xdoc *d, migdev_error *err);

/* How a dialect's equations are read and written by the flattener. */
typedef struct xarr_dialect {
    const lex_rules *lex; /* its lexer, with '[' and ']' as tokens */
    int native;           /* 0: element references written as XMILE quoted names
                             ("x[a,b]"); 1: as x[a,b], which the native lexer reads
                             as one name, and a reduction computed once named in
                             the native way (sum_x_all), its text kept as its doc */
} xarr_dialect;

/* The same for the variables of md alone, with the dimensions of d (only
** d->dims is read): the native format's arrays (src/arrays_cfg.c) go
** through here, so that both formats share one flattener. */
int xarr_flatten_vars(const xdoc *d, xmodel *md, const char *file, const xarr_dialect *dl,
                      migdev_error *err);

#endif
