/*
** units.h - the units language and its algebra (internal to the library).
**
** A units value is a product of base units raised to rational powers, kept
** sorted by base-unit id; the empty product is dimensionless. Base units are
** any names; they are interned in a units_names table that the caller owns
** (one per check, so no global state), which folds synonyms (year, years and
** yr are one unit) and letter case. The grammar of units strings is in
** units_parse.c and docs/model-format.md.
*/
#ifndef MIGDEV_UNITS_ALGEBRA_H
#define MIGDEV_UNITS_ALGEBRA_H

#include <stddef.h>

enum { UNITS_MAX_TERMS = 16 };

/* A rational number num/den, den > 0, in lowest terms. */
typedef struct urat {
    long num, den;
} urat;

typedef struct uterm {
    int id;  /* base unit (units_names) */
    urat e;  /* its power, never 0 */
} uterm;

typedef struct units {
    int n;                        /* 0: dimensionless */
    uterm t[UNITS_MAX_TERMS];     /* sorted by id */
} units;

/* ---- base-unit names (units_names.c) ---- */

typedef struct units_names {
    char **name;  /* display spelling: the canonical one for synonyms, else as first seen */
    int n, cap;
} units_names;

void units_names_init(units_names *t);
void units_names_free(units_names *t);

/* The id of base unit s[0..len) after folding synonyms and case; MIGDEV_E_NOMEM when out
** of memory. *is_one is set when s is a word for dimensionless
** ("dimensionless", "dmnl", "unitless"); the id is then MIGDEV_E_NAME. */
int units_names_intern(units_names *t, const char *s, size_t len, int *is_one);

/* Display name of id (borrowed, valid until units_names_free). */
const char *units_names_get(const units_names *t, int id);

/* ---- rationals and products (units_algebra.c) ---- */

/* a/b in lowest terms; 0 on success, MIGDEV_E_RANGE when b is 0 or a term overflows. */
int urat_make(long a, long b, urat *out);

/* The simple fraction equal to x (denominator at most 1000, within 1e-9):
** 0.35 -> 7/20. Returns 0, or MIGDEV_E_RANGE when x is not close to one. */
int urat_from_double(double x, urat *out);

void units_one(units *u);
int units_is_one(const units *u);
int units_equal(const units *a, const units *b);

/* The base unit id alone (power 1). */
void units_base(units *u, int id);

/* out = a*b, a/b, a^p (out may alias a or b). Return 0, or MIGDEV_E_RANGE when the result
** needs more than UNITS_MAX_TERMS base units or an exponent overflows (out
** is then unspecified). */
int units_mul(units *out, const units *a, const units *b);
int units_div(units *out, const units *a, const units *b);
int units_pow(units *out, const units *a, urat p);

/* Canonical text: base units sorted by name, positive powers first, then '/'
** and the negative ones ("USD/(people*year)", "1/year", "USD^0.65",
** "people^(1/3)"); "dimensionless" for the empty product. Returns buf. */
char *units_format(const units_names *t, const units *u, char *buf, size_t n);

/* ---- the units language (units_parse.c) ---- */

enum { UNITS_OK = 0, UNITS_E_SYNTAX = -1, UNITS_E_NOMEM = -2 };

/* Parse text into *out, interning its names in t. Returns UNITS_OK, or
** UNITS_E_SYNTAX with *err_at the byte offset of the offending character and
** msg (n bytes) one sentence, or UNITS_E_NOMEM. text must not be empty. */
int units_parse(units_names *t, const char *text, units *out, size_t *err_at, char *msg,
                size_t n);

#endif
