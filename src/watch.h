/*
** watch.h - the values a step's finiteness check looks at (watch.c).
*/
#ifndef MIGDEV_WATCH_H
#define MIGDEV_WATCH_H

#include "model_int.h"

/* The stocks and step equations of m whose non-finite value no later
** equation of the same step is sure to carry into its own (watch.c), in
** the order stocks, then step order, into out (room for n_stocks + n_step
** entries). Any value of a step is non-finite exactly when one of these
** is. Returns their number, or -1 when out of memory. */
int watch_list(const migdev_model *m, int *out);

#endif
