/*
** fanplot.h - draw quantile bands as a fan chart with gnuplot.
*/
#ifndef MIGDEV_CLI_FANPLOT_H
#define MIGDEV_CLI_FANPLOT_H

#include "migdev/migdev.h"

/* One panel per band variable: the 5-95 % and 25-75 % bands filled, the
** median as a line. The format follows the extension of path (.png, .svg,
** .pdf; anything else: png). Every string from a file (title, units,
** variable names, the path) reaches gnuplot only as a single-quoted
** constant (gpquote.h); one that holds a newline or a carriage return is
** refused. Draws into a temporary file, renamed into place when gnuplot
** succeeds. Returns 0, or -1 after printing why. */
int fanplot_draw(const migdev_bands *b, const char *path, const char *title,
                 const char *time_units);

#endif
