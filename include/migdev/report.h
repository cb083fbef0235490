/*
** report.h - indicators: the numbers a scenario declares about its run
** (its `indicators` section, docs/model-format.md "Indicators"), for
** `migdev report`.
**
**   crossing  the first save time at which a variable has crossed a value
**             (up, down or either way); NaN when it never does. With
**             occurrence = "last": the save time from which it stays
**             crossed to the end of the run (NaN when it ends uncrossed)
**   at        the value of a variable at a time (linear between save times)
**   change    the % change of that value against a baseline run at the
**             same time: 100 (x - x_baseline) / |x_baseline|
**
** An indicator set is owned by the caller (migdev_indicators_free) and
** borrows nothing: it may outlive the scenario it was read from. It is
** immutable once loaded; any number of threads may evaluate it at once.
*/
#ifndef MIGDEV_REPORT_H
#define MIGDEV_REPORT_H

#include "migdev/error.h"
#include "migdev/run.h"
#include "migdev/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct migdev_indicators migdev_indicators;

typedef enum migdev_indicator_kind {
    MIGDEV_IND_CROSSING = 0,
    MIGDEV_IND_AT,
    MIGDEV_IND_CHANGE
} migdev_indicator_kind;

typedef struct migdev_indicator_info {
    const char *name;          /* as declared */
    const char *label;         /* its `label`, or "" */
    migdev_indicator_kind kind;
    const char *variable;      /* the variable's name */
    double value;              /* crossing: the value crossed */
    int direction;             /* crossing: +1 up, -1 down, 0 either */
    int last;                  /* crossing: 1 for occurrence = "last" */
    double time;               /* at, change: the time */
    int line;                  /* of the declaration in its file */
} migdev_indicator_info;

/* Read the `indicators` section of s's file, or of its base (and the
** base's base...) when the file has none. An empty set when there is none
** anywhere. Returns an owned set, or NULL with err at file:line:col. */
MIGDEV_API migdev_indicators *migdev_indicators_load(const migdev_scenario *s, migdev_error *err);
MIGDEV_API void migdev_indicators_free(migdev_indicators *ind);

MIGDEV_API int migdev_indicators_count(const migdev_indicators *ind);
/* Fill *out for indicator i (strings borrowed from ind). Returns 0, or
** MIGDEV_E_RANGE when i is out of range. */
MIGDEV_API int migdev_indicators_get(const migdev_indicators *ind, int i, migdev_indicator_info *out);

/* Indicator i of run r (executed), into *out. baseline (executed, any
** model with a variable of that name) is needed by `change` indicators and
** may be NULL otherwise. *out is NaN when a crossing never happens.
** Returns 0; MIGDEV_E_NAME when r's model (or the baseline's) has no such
** variable or does not record it; MIGDEV_E_RANGE when the time is outside
** the run; MIGDEV_E_USAGE for a `change` without a baseline. */
MIGDEV_API int migdev_indicator_eval(const migdev_indicators *ind, int i, const migdev_run *r,
                                     const migdev_run *baseline, double *out, migdev_error *err);

#ifdef __cplusplus
}
#endif
#endif
