/*
** units_int.h - the units checker's working state, shared by its files.
**
** units_check.c walks the model (declared units, equations, stocks and
** their flows, stateful calls); units_infer.c gives the units of one
** expression and reports what disagrees inside it; units_report.c keeps the
** findings. A ucheck lives for one migdev_units_check() call.
*/
#ifndef MIGDEV_UNITS_INT_H
#define MIGDEV_UNITS_INT_H

#include "migdev/units.h"
#include "model_int.h"
#include "units/units.h"

#include <stdarg.h>

/* What is known of the units of an expression. */
typedef enum {
    UV_UNKNOWN = 0, /* a variable without units, or an inconsistency already reported */
    UV_ANY,         /* a number: whatever units its context needs */
    UV_KNOWN        /* u */
} uv_kind;

typedef struct uval {
    uv_kind kind;
    units u;
} uval;

typedef struct ucheck {
    const migdev_model *m;
    const double *values;  /* constants' values by variable index */
    int strict_numbers;
    units_names names;
    uval time;             /* the model's time unit */
    uval *var;             /* per variable: declared (visible) or inferred (hidden) */
    signed char *state;    /* hidden variables: 0 to do, 1 under way, 2 done */
    uval *lk_y, *lk_x;     /* per lookup: output, input (x_units) */
    int owner;             /* visible variable whose equation is being read */
    int quiet;             /* > 0: inside equations compile.c made up (no findings) */
    migdev_units_report *rep;
    int oom;
} ucheck;

/* ---- units_infer.c ---- */

/* What an expression must be in, for messages:
** "<what>: expected '<u>' (<why>), found '...'". */
typedef struct uwant {
    const uval *u;
    char what[200];
    const char *why;
} uwant;

/* The units of expression n of variable c->owner. With want, n must be in
** want->u: sums, branches, min/max and the like pass it down to their terms,
** so that a finding points at the term that differs. Returns what n is
** found to be (UV_UNKNOWN after an inconsistency inside it). */
uval ui_check(ucheck *c, const node *n, const uwant *want);

/* The units of variable v: declared for the user's variables, inferred from
** the equation for hidden ones (memoized). */
uval ui_var(ucheck *c, int v);

/* Where node n is: its own position, else (a node compile.c made) the call it
** replaced, else the start of the owner's equation. */
void ui_pos(const ucheck *c, const node *n, int *line, int *col);

/* The units in canonical text ("?" when unknown, "any" for a number). */
const char *ui_text(const ucheck *c, const uval *v, char *buf, size_t n);

uval uv_known(const units *u);
uval uv_one(void);
uval uv_unknown(void);

/* ---- units_report.c ---- */

migdev_units_report *ur_new(void);

/* Add a finding (unless c->quiet); messages longer than the record are cut. */
void ur_add(ucheck *c, migdev_units_severity sev, int code, int line, int col, const char *fmt,
            ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/* Sort the findings by position (stable) and drop exact repeats. */
void ur_finish(migdev_units_report *r);

#endif
