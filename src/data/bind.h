/*
** bind.h - make a variable of a model under construction a data variable:
** its value at any time is a table over time read from a CSV file (a
** `data` entry of a model or a scenario). The table is an ordinary lookup
** table (flagged is_data) called with the time, so a data variable
** compiles like an auxiliary `table(time)`: nothing is looked up by name
** while the model runs.
*/
#ifndef MIGDEV_BIND_H
#define MIGDEV_BIND_H

#include "data/series.h"
#include "model_int.h"

typedef struct data_decl {
    const char *name;
    const char *path;             /* the CSV file as opened */
    const char *time_col, *value_col; /* time_col: the column used, never NULL */
    int is_step;                  /* interpolation = "step" */
    int outside_error;            /* outside = "error" */
    double scale;                 /* the points were multiplied by it */
    const char *file;             /* the model or scenario that declares it */
    int line, col;                /* its name there */
    int replace;                  /* a scenario's entry: rebind an existing
                                     constant, auxiliary or data variable */
} data_decl;

/* Bind d to the points p (copied) before mb_compile(). A model's entry
** adds an auxiliary (a name used twice is reported by the compiler); a
** scenario's replaces the variable of that name. Returns the variable's
** index or an error at d's position. */
int data_bind(migdev_model *m, const data_decl *d, const data_points *p, migdev_error *err);

#endif
