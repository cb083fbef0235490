/*
** dtoa.h - the shortest decimal that reads back as the same double.
*/
#ifndef MIGDEV_DTOA_H
#define MIGDEV_DTOA_H

#include <stdint.h>

/* The shortest decimal digits of finite, non-zero |x| that round-trip:
** digits (no leading or trailing zeros) in *mantissa, so that |x| reads back
** from mantissa * 10^*exponent. Returns the number of digits (1..17). */
int dtoa_shortest(double x, uint64_t *mantissa, int *exponent);

/* x as printf's %.Pg would print it with P the smallest precision of 15, 16
** or 17 at which it reads back -- the shortest round-trip digits, in %g's
** layout (fixed, or d.ddde+XX when the exponent is below -4 or at least P).
** Finite, non-zero x only. buf holds at least 32 bytes; returns buf. */
char *dtoa_format_g(double x, char *buf);

#endif
