/*
** loops_figure.h - the figure of relative loop scores over time, drawn by
** gnuplot (a child process fed through a pipe).
*/
#ifndef MIGDEV_CLI_LOOPS_FIGURE_H
#define MIGDEV_CLI_LOOPS_FIGURE_H

#include <stdio.h>

#include "migdev/migdev.h"

/* The gnuplot terminal for a figure file, by its extension (.png, .svg,
** .pdf), or NULL. */
const char *figure_terminal(const char *path);

/* Draw the relative scores of at most max_loops loops (the largest mean
** |relative score| first) against time into path, written atomically.
** Returns 0, or -1 after printing why. */
int loops_figure(const char *path, const migdev_loops *a, const migdev_model *m, int max_loops);

#endif
