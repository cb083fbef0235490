/*
** xmile.h - write a model as XMILE (the OASIS standard that Stella and
** other tools read).
**
** Reading needs no call of its own: migdev_model_load() and
** migdev_scenario_load() recognise XMILE files (.xmile, .stmx, or content
** starting with '<').
**
** Writing only reads the model: any thread, any number at once. The caller
** owns the stream.
*/
#ifndef MIGDEV_XMILE_H
#define MIGDEV_XMILE_H

#include <stdio.h>

#include "migdev/error.h"
#include "migdev/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Write m, a model read from migdev's own format, to f as an XMILE document
** that migdev reads back into the same model (same names, kinds, units,
** docs, and the same series bit for bit). Builtins become XMILE's where
** XMILE has the same function (smooth -> SMTH1, if_then_else -> IF THEN
** ELSE...), else migdev-qualified calls (migdev.pulse); sources, the model's
** doc and named loops go into migdev's namespace (urn:migdev:xmile), which
** other tools skip. Names that XMILE would merge (differing only in case or
** in runs of underscores) or reserves are refused. Returns 0, or
** MIGDEV_E_NAME / MIGDEV_E_USAGE / MIGDEV_E_IO with err set. */
MIGDEV_API int migdev_model_write_xmile(const migdev_model *m, FILE *f, migdev_error *err);

/* The same with a diagram (<views>: a <stock>, <flow>, <aux> per variable,
** flows as pipes between their stocks, a <connector> per link): variable i
** (0 <= i < migdev_model_n_vars) at xy[2i], xy[2i+1], in points, y
** downwards. xy NULL: no diagram. */
MIGDEV_API int migdev_model_write_xmile_view(const migdev_model *m, const double *xy, FILE *f,
                                             migdev_error *err);

/* The stock-and-flow graph of m in the DOT language, for a layout program
** (Graphviz's `dot -Tplain`): node "v<i>" for variable i, an edge for each
** link (a reference in an equation, a flow into or out of a stock). The
** positions it gives (inches, y upwards) become migdev_model_write_xmile_view's
** after scaling by 72 and flipping y. Returns 0, or MIGDEV_E_NOMEM /
** MIGDEV_E_IO with err set. */
MIGDEV_API int migdev_model_write_layout_dot(const migdev_model *m, FILE *f, migdev_error *err);

#ifdef __cplusplus
}
#endif
#endif
