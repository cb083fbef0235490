/*
** plotdata.h - the numbers behind a figure: time series of some variables
** for one or more groups (the scenarios of a comparison, or one run).
**
** Built from runs (names and units from the model) or read from a results
** CSV (units unknown). Everything in a plot_data is owned by it.
*/
#ifndef MIGDEV_CLI_PLOTDATA_H
#define MIGDEV_CLI_PLOTDATA_H

#include <stddef.h>

#include "migdev/migdev.h"

typedef struct plot_group {
    char *name;      /* scenario name; legend entry when there are several */
    int is_data;     /* 1: observations, drawn as points (a group called "data") */
    size_t n_rows;
    double *time;    /* n_rows values */
    double *values;  /* n_rows x n_vars, row after row */
} plot_group;

typedef struct plot_data {
    int n_vars;
    char **names;       /* variable names */
    char **units;       /* their units ("" when the model gives none) */
    char **titles;      /* panel titles: the variable's label, else from its doc
                           (plot_title), else the name */
    int units_known;    /* 0 when the data came without a model */
    char *time_units;   /* "" when unknown */
    int n_groups;
    plot_group *groups;
} plot_data;

/* An empty plot_data. */
void plot_data_init(plot_data *pd);
void plot_data_free(plot_data *pd);

/* Choose the variables: names[0..n-1], with units and time units taken from
** model m (NULL: unknown). Returns 0 or -1 (out of memory, printed). */
int plot_data_set_vars(plot_data *pd, const migdev_model *m, const char *const *names, int n);

/* Append the recorded series of run r as a group called name. Every chosen
** variable must be in r's model and recorded. Returns 0, or -1 after
** printing why. */
int plot_data_add_run(plot_data *pd, const char *name, const migdev_run *r);

/* Append an empty group (rows are added with plot_data_add_row). A group
** called "data" (as `migdev calibrate --csv` writes the observations) is
** drawn as points, the others as lines. Returns the group or NULL (out of
** memory, printed). */
plot_group *plot_data_add_group(plot_data *pd, const char *name);

/* Append a row: time t and n_vars values. Returns 0 or -1 (printed). */
int plot_data_add_row(plot_data *pd, plot_group *g, double t, const double *values);

/* Keep only the variables names[0..n-1], in that order (a name may come
** twice). Returns -1 when all were found, the index in names of the first
** that is not a variable of pd, or -2 when out of memory (printed). */
int plot_data_keep(plot_data *pd, const char *const *names, int n);

/* Take units, titles (and time units) from model m for the variables it
** has. */
void plot_data_units_from_model(plot_data *pd, const migdev_model *m);

/* A panel title for a variable into buf: the first clause of its doc (up
** to '.', ':', ';' or " (") when that is short, else the name with spaces
** for underscores; the first letter upper case. (A variable's `label`, when
** the model gives one, is used as it is instead.) */
void plot_title(const char *name, const char *doc, char *buf, size_t n);

#endif
