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

#endif
