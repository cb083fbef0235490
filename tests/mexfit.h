/*
** mexfit.h - compare a run of the paper model with the Mexican history in
** data/mexico_migration_1970_2014.csv (remittances, Mexican-born in the US).
**
** A test helper for tests/check_paper_model.c: an independent scorer,
** written for these two series only, of the bound on the fit and of the
** statistics `migdev calibrate` reports for the paper model. Plain C over
** the public migdev API; no globals.
*/
#ifndef MEXFIT_H
#define MEXFIT_H

#include <stddef.h>

#include "migdev/migdev.h"

#define MEXFIT_MAX_YEARS 128

/* The two series the model is fitted to; NaN where the file has no figure. */
typedef struct mexfit_data {
    int n;                                /* rows read */
    int year[MEXFIT_MAX_YEARS];
    double remittances[MEXFIT_MAX_YEARS]; /* current USD/year (file: USD bn) */
    double mex_born[MEXFIT_MAX_YEARS];    /* people (file: millions) */
} mexfit_data;

/* Read the CSV at path (columns found by their header names). Returns 0, or
** -1 with "file:line: error: message" in msg (size n). */
int mexfit_read(const char *path, mexfit_data *d, char *msg, size_t n);

/* Goodness of fit of one series over the compared years. */
typedef struct mexfit_stats {
    int n;       /* data points compared */
    double rmse; /* root mean square error, in the data's units (USD/year or people) */
    double mape; /* mean absolute percentage error, percent */
} mexfit_stats;

/* Variables of the model the data are compared with. */
#define MEXFIT_REMITTANCES "remittances_recorded_current_usd"
#define MEXFIT_MEX_BORN "migrant_stock_abroad"

/* Compare run r (executed, recording both variables above, saving at every
** whole year) with d over [first, last]. The migrant stock is compared from
** first+1 (its first-year value is the initial condition). When resid is
** not NULL it receives the relative errors, remittances first then stock,
** each series scaled by 1/sqrt(its count) so both weigh the same; *n_resid
** is their number (at most 2*MEXFIT_MAX_YEARS). Returns 0, or -1 with msg
** set when a variable is missing or a year is not on the save grid. */
int mexfit_compare(const migdev_run *r, const mexfit_data *d, int first, int last,
                   double *resid, int *n_resid, mexfit_stats *remit, mexfit_stats *stock,
                   char *msg, size_t n);

#endif
