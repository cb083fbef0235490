/*
** arrays_cfg.h - arrays in the native format: dimensions and arrayed
** entries flattened into one entry per element before the model is read.
*/
#ifndef MIGDEV_ARRAYS_CFG_H
#define MIGDEV_ARRAYS_CFG_H

#include "cfgfile.h"

/* Rewrite cf's tree: each arrayed constant, stock, flow or auxiliary
** becomes one entry per element, named "name[elem,elem]", and equations
** that read elements or reduce over a dimension are rewritten. A model
** without arrays is left untouched. m (when not NULL) keeps the
** dimensions and the arrays, for the XMILE writer. Returns 0 or a MIGDEV_E_* code with
** cf->err set (at the setting at fault). */
int arrays_cfg_flatten(cfgfile *cf, migdev_model *m);

#endif
