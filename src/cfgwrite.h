/*
** cfgwrite.h - writing libconfig text that migdev reads back: string
** literals, floats, setting names. One place for what the fitted scenario
** (calib_write.c), the saved scenario (scenario_write.c) and data entries
** (data_write.c) all write.
*/
#ifndef MIGDEV_CFGWRITE_H
#define MIGDEV_CFGWRITE_H

#include <stdio.h>

/* Buffer size for cfgw_float. */
#define CFGW_FLOAT_CHARS 40

/* s then suffix (plain text, may be ""), escaped, in double quotes. */
void cfgw_string(FILE *f, const char *s, const char *suffix);

/* x in the shortest form that reads back to the same double, with a decimal
** point or an exponent so that libconfig reads a float. Returns buf. */
const char *cfgw_float(double x, char buf[CFGW_FLOAT_CHARS]);

/* Whether libconfig can read name as a setting name. */
int cfgw_name_ok(const char *name);

struct migdev_model;

/* The entries of a scenario's set = { ... } for the n constants vars[i] =
** values[i] (notes[i]: a comment to append, or NULL; notes may be NULL), in
** the model's order: "  name = v;" for a plain constant; the elements of an
** arrayed constant (name[a], name[b], ...) together as "  name = [v1, v2];",
** the model's own value for an element not given (libconfig setting names
** cannot hold brackets). Check the names first with cfgw_set_check.
** Returns 0, or -1 when out of memory. */
int cfgw_set_entries(FILE *f, const struct migdev_model *m, const int *vars,
                     const double *values, const char *const *notes, int n);

/* Whether cfgw_set_entries can write the constants vars[0..n): 0, or -1
** with *bad set to the first one whose name libconfig cannot spell. */
int cfgw_set_check(const struct migdev_model *m, const int *vars, int n, const char **bad);

#endif
