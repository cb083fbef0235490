/*
** vensim.h - read Vensim .mdl models into a model.
**
** The equations are read; the sketch (after the "\\\---///" line) is
** ignored; units and comments are kept as the variables' docs. Vensim's
** builtins are translated to the engine's with Vensim's semantics
** (vtrans.c); subscripts are flattened (vsubs.c), macros expanded
** (vmacro.c), GET functions read from files beside the model (vget.c).
** Constructs outside what docs/vensim.md lists are refused with
** file:line:col and the construct's name.
*/
#ifndef MIGDEV_VENSIM_H
#define MIGDEV_VENSIM_H

#include "migdev/error.h"
#include "migdev/model.h"

/* Load and compile a .mdl model from path, or from text when text is not
** NULL (path then names it in messages). Returns an owned model or NULL
** with err set. */
migdev_model *vensim_load(const char *path, const char *text, migdev_error *err);

/* Whether path names a Vensim model (its extension is .mdl). */
int vensim_sniff_path(const char *path);

/* Whether text looks like a Vensim model (starts with "{UTF-8}"). */
int vensim_sniff_text(const char *text);

#endif
