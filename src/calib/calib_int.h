/*
** calib_int.h - the calibration object, shared by the calib_*.c modules.
**
**   calib_spec.c   the `calibrate` section and command-line edits
**   calib_prep.c   checks against model and data, the points, the run
**   calib_fit.c    residuals, Jacobian, the GSL trust-region loop,
**                  covariance, statistics
**   calib_write.c  the fitted scenario file
*/
#ifndef MIGDEV_CALIB_INT_H
#define MIGDEV_CALIB_INT_H

#include "data/csv.h"
#include "migdev/calibrate.h"

#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_vector.h>

typedef enum { OBJ_RELATIVE = 0, OBJ_ABSOLUTE } calib_objective;
typedef enum { WEIGHT_SERIES = 0, WEIGHT_POINTS } calib_weighting;

/* Where an item was declared: a line:col of the scenario file, or line 0
** for the command line. */
typedef struct calib_pos {
    int line, col;
} calib_pos;

typedef struct calib_series {
    char *variable, *column;
    int var;                 /* model index */
    double scale, weight;
    int has_from, has_to;
    double from, to;
    calib_pos pos, column_pos, scale_pos;
    /* set by prepare */
    int n;                   /* points fitted */
    int n_held;              /* held-out points (times >= the hold-out
                                origin), after the n fitted ones in the
                                arrays below; scored, not fitted */
    double *time, *raw;      /* time, data as in the file */
    double *coef;            /* residual_i = (model_i - scale*raw_i) * coef_i */
    size_t *save;            /* index of the save time */
    double *model;           /* model / scale at the points (statistics) */
    int n_mape;
    double rmse, mape, rmse_start, mape_start;
    int n_held_mape;
    double rmse_held, mape_held; /* over the held-out points */
} calib_series;

typedef struct calib_param {
    char *name;
    int var;
    int has_min, has_max;
    double min, max;
    migdev_calib_scale scale;
    calib_pos pos;
    double start, value, std_error;
} calib_param;

struct migdev_calib {
    const migdev_scenario *sc;
    const migdev_model *m;
    char *file;              /* the scenario file */
    char *data;              /* data file, resolved; NULL until given */
    calib_pos data_pos;
    char *time_column;       /* NULL: "time" or "year" */
    calib_pos time_column_pos;
    int has_from, has_to;
    double from, to;
    int has_holdout;
    double holdout;          /* fit the data before this time, score the rest */
    calib_pos holdout_pos;
    calib_objective objective;
    calib_weighting weighting;
    int algorithm;           /* index into calib_algorithms */
    int max_iter;
    int jobs;                /* Jacobian threads; 0: every core */
    double xtol, gtol, ftol;
    calib_series *series;
    int n_series;
    calib_param *params;
    int n_params;
    int has_section;
    calib_pos section_pos;

    /* set by prepare */
    int prepared;
    migdev_run *run;
    size_t n_points;
    double cost_start, cost;
    long runs, failed_runs;
    char last_failure[600];
    /* set by fit */
    migdev_calib_stop stop;
    int iterations;
    double sigma2;
    double *corr;            /* n_params x n_params, NaN when unknown */
    char objective_text[96];
};

/* The trust-region subproblem methods: names (NULL-terminated, the
** default first) and GSL's type for each (calib_spec.c). */
extern const char *const calib_algorithm_names[];
const gsl_multifit_nlinear_trs *calib_trs(int algorithm);

/* Parameter transforms (calib_fit.c): x from p, p from x, dp/dx. */
double calib_to_x(const calib_param *p, double value);
double calib_from_x(const calib_param *p, double x);
double calib_dp_dx(const calib_param *p, double x);

/* Choose the scale from the bounds (calib_spec.c). */
void calib_param_set_scale(calib_param *p);

/* ---- preparation and fitting ---- */

/* Evaluate the statistics of every series at the run's current series
** (calib_fit.c); start = 1 also stores them as the start values. */
void calib_stats(migdev_calib *c, int start);

/* Residuals of the run's current series into f (n_points values). */
void calib_residuals(const migdev_calib *c, double *f);

#endif
