/*
** xmile.h - write a model as XMILE (the OASIS standard that Stella and
** other tools read).
**
** Reading needs no call of its own: migdev_model_load() and
** migdev_scenario_load() recognise XMILE files (.xmile, .stmx, or content
** starting with '<').
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

#ifdef __cplusplus
}
#endif
#endif
