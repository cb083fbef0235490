/*
** plotrun.h - figures of scenario runs: which variables to draw by
** default, and the figures a scenario declares in its `plots` list.
*/
#ifndef MIGDEV_CLI_PLOTRUN_H
#define MIGDEV_CLI_PLOTRUN_H

#include "plotdata.h"

/* The variables to draw when none are named: those of the scenario's first
** declared figure, else its output variables, else the model's stocks,
** else all its variables. Returns a
** comma-separated list (owned by the caller) or NULL (out of memory). */
char *plot_default_vars(const migdev_scenario *s);

/* Split a comma-separated list of names (spaces around names dropped) into
** *names (owned by the caller; free with plot_free_names). Returns the
** count, or -1 when out of memory. */
int plot_split_names(const char *list, char ***names);
void plot_free_names(char **names, int n);

/* Draw the figures declared in scenario s from its run r (already
** executed). template_path may be NULL. Returns 0, or -1 when any figure
** failed (each failure printed; the others are still drawn). */
int plot_scenario_figures(const migdev_scenario *s, const migdev_run *r,
                          const char *template_path);

#endif
