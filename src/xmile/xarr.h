/*
** xarr.h - XMILE arrays, flattened before the model is built.
*/
#ifndef MIGDEV_XMILE_XARR_H
#define MIGDEV_XMILE_XARR_H

#include "migdev/error.h"
#include "xdoc.h"

/* Replace each arrayed variable of d by one variable per element, named
** "name[elem,elem]", with its equation's subscripts replaced (the element
** of the variable's own dimension, a named element, or '*' and other
** dimensions inside SUM, MEAN, MIN, MAX, PROD: the elements combined); and
** expand those reductions in every equation. Returns 0 or a MIGDEV_E_* code
** with err set. */
int xarr_flatten(xdoc *d, migdev_error *err);

#endif
