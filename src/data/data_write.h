/*
** data_write.h - write a scenario's data entries back into a scenario file
** (the fitted scenario of `migdev calibrate -o`, the scenario that `migdev
** serve` saves), so that the file runs on the same series.
*/
#ifndef MIGDEV_DATA_WRITE_H
#define MIGDEV_DATA_WRITE_H

#include <stdio.h>

#include "model_int.h"

/* Write `data = ( ... );` with the entries of m that a scenario made (not
** the model's own; nothing when there are none): name, file, time column,
** column, interpolation, outside, scale, units. File paths are written
** relative to the folder of out_path, or absolute when out_path is NULL
** (the caller does not know where the file goes). Returns 0, or
** MIGDEV_E_NOMEM. */
int data_write_bindings(const migdev_model *m, FILE *f, const char *out_path);

/* target as seen from the folder of file (newly allocated; target itself
** when either cannot be resolved; NULL when out of memory). */
char *data_relative_path(const char *target, const char *file);

#endif
