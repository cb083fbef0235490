/*
** xmile.h - XMILE models (the OASIS standard that Stella and other tools
** write): read them into migdev models, and write migdev models as XMILE.
**
** migdev_model_load() and migdev_scenario_load() call these when a file
** looks like XMILE (xmile_sniff_*), so every command reads XMILE files.
*/
#ifndef MIGDEV_XMILE_XMILE_H
#define MIGDEV_XMILE_XMILE_H

#include "migdev/error.h"
#include "migdev/model.h"

/* 1 when path names an XMILE file: extension .xmile, .stmx, .itmx or .xml,
** or (any other name) content whose first non-blank character is '<'. */
int xmile_sniff_path(const char *path);

/* 1 when text (a whole file) starts, after blanks and a UTF-8 BOM, with
** '<'. */
int xmile_sniff_text(const char *text);

/* Load and compile an XMILE file; text is its content, or NULL to read
** path. Returns an owned model or NULL with err set (file:line:col). */
migdev_model *xmile_load(const char *path, const char *text, migdev_error *err);

#endif
