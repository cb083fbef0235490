/*
** fanplot.h - draw quantile bands as a fan chart with gnuplot.
*/
#ifndef MIGDEV_CLI_FANPLOT_H
#define MIGDEV_CLI_FANPLOT_H

#include <stddef.h>

#include "migdev/migdev.h"

/* Quote s for gnuplot: single quotes, a quote inside doubled. Strings from
** files are only ever passed this way, so gnuplot never executes them.
** Returns 0, or -1 when s holds a newline (or out is too small). */
int gp_quote(const char *s, char *out, size_t n);

/* One panel per band variable: the 5-95 % and 25-75 % bands filled, the
** median as a line. The format follows the extension of path (.png, .svg,
** .pdf; anything else: png). Draws into a temporary file, renamed into
** place when gnuplot succeeds. Returns 0, or -1 after printing why. */
int fanplot_draw(const migdev_bands *b, const char *path, const char *title,
                 const char *time_units);

#endif
