/*
** calibrate.h - fit constants of a scenario's model to observed data by
** nonlinear least squares (GSL gsl_multifit_nlinear, trust region).
**
** A calibration borrows a scenario (which must outlive it). It reads the
** `calibrate` section of the scenario file (docs/model-format.md,
** "Calibration"): a CSV data file, the series to compare (model variable,
** data column, scale, weight, time window), the constants to fit (start
** values from the scenario, optional bounds) and the objective. The flags
** of `migdev calibrate` edit the same object through migdev_calib_set and
** the migdev_calib_add_* functions.
**
** migdev_calib_prepare() reads the data and creates one run workspace;
** migdev_calib_fit() re-executes that run at every trial point (constants
** set with migdev_run_set_constant; nothing is allocated per evaluation).
** Strings and arrays returned by the getters are borrowed and stay valid
** until migdev_calib_free() (series values: until the next fit).
**
** Threads: a calibration is used by one thread at a time; calibrations of
** different scenarios may run on different threads at once.
*/
#ifndef MIGDEV_CALIBRATE_H
#define MIGDEV_CALIBRATE_H

#include <stdio.h>

#include "migdev/error.h"
#include "migdev/run.h"
#include "migdev/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct migdev_calib migdev_calib;

/* How a parameter is fitted: on its own scale, or transformed so that the
** optimiser cannot leave its bounds. */
typedef enum migdev_calib_scale {
    MIGDEV_SCALE_LINEAR = 0, /* no bounds: x = p */
    MIGDEV_SCALE_LOG_MIN,    /* min only: x = ln(p - min) */
    MIGDEV_SCALE_LOG_MAX,    /* max only: x = ln(max - p) */
    MIGDEV_SCALE_LOGIT       /* both: x = ln((p - min) / (max - p)) */
} migdev_calib_scale;

/* Why the fit stopped. The first three mean it converged. */
typedef enum migdev_calib_stop {
    MIGDEV_STOP_NONE = 0,    /* not fitted yet */
    MIGDEV_STOP_XTOL,        /* the step became small: |dx_i| <= xtol (xtol + |x_i|) */
    MIGDEV_STOP_GTOL,        /* the gradient became small (gtol) */
    MIGDEV_STOP_FTOL,        /* the cost changed by less than ftol relative */
    MIGDEV_STOP_MAXITER,     /* max_iterations reached without converging */
    MIGDEV_STOP_NOPROGRESS   /* no step from the start reduced the cost (GSL_ENOPROG):
                                the start is a minimum, e.g. a refit from a fit */
} migdev_calib_stop;

/* ---- building ---- */

/* Read the `calibrate` section of s's file (an empty calibration when it
** has none). Returns an owned calibration or NULL with err at
** file:line:col. */
MIGDEV_API migdev_calib *migdev_calib_load(const migdev_scenario *s, migdev_error *err);
MIGDEV_API void migdev_calib_free(migdev_calib *c);

/* Edits from the command line. Errors leave err->file empty and
** err->column pointing into the text (1-based).
** key: "data" (a path, relative to the current folder), "time_column",
** "from", "to", "objective" (relative | absolute), "weighting" (series |
** points), "algorithm" (lm | lmaccel | dogleg | ddogleg | subspace2D),
** "max_iterations", "xtol", "gtol", "ftol", "holdout" (a time: fit the
** data before it, score the data from it on). */
MIGDEV_API int migdev_calib_set(migdev_calib *c, const char *key, const char *value, migdev_error *err);

/* "VAR=COLUMN[,scale=S][,weight=W][,from=T][,to=T]": add a series, or
** replace the one comparing the same variable with the same column. */
MIGDEV_API int migdev_calib_add_series_text(migdev_calib *c, const char *text, migdev_error *err);

/* "NAME", "NAME=MIN:MAX", "NAME=MIN:" or "NAME=:MAX": add a constant to
** fit, or replace the one of that name. */
MIGDEV_API int migdev_calib_add_param_text(migdev_calib *c, const char *text, migdev_error *err);

/* Check the calibration against the model, read the data, create the run
** and evaluate it at the start values. Must be called after the edits and
** before migdev_calib_fit. Returns 0; an error at the scenario's or the
** data file's line:col; MIGDEV_E_NONFINITE or MIGDEV_E_INTEGRATOR (time and
** variable) when the run fails at the start values. */
MIGDEV_API int migdev_calib_prepare(migdev_calib *c, migdev_error *err);

/* Threads for the Jacobian's finite differences, one run workspace each
** (default 0: every core). The fit is the same whatever the number. */
void migdev_calib_set_jobs(migdev_calib *c, int jobs);

/* Fit from the start values. Returns 0 when the optimiser ran (whether it
** converged is in the summary; the parameters then hold the best point it
** reached and the run its series), or an error (out of memory,
** MIGDEV_E_NONFINITE when the Jacobian cannot be computed because the runs
** on both sides of a point fail). */
MIGDEV_API int migdev_calib_fit(migdev_calib *c, migdev_error *err);

/* ---- results (after prepare: at the start values; after fit: at the fit) ---- */

typedef struct migdev_calib_summary {
    int n_points, n_params;   /* data points compared, constants fitted */
    int converged;            /* 1 when stop is XTOL, GTOL or FTOL */
    migdev_calib_stop stop;
    int iterations;           /* accepted steps */
    long runs, failed_runs;   /* executions of the model; those that failed
                                 (trial points rejected, step reduced) */
    double cost_start, cost;  /* S = sum of squared weighted residuals */
    double sigma2;            /* residual variance S / (n_points - n_params) */
    const char *last_failure; /* the last failed run's error, "" when none */
} migdev_calib_summary;

MIGDEV_API void migdev_calib_get_summary(const migdev_calib *c, migdev_calib_summary *out);

typedef struct migdev_calib_param_info {
    const char *name;
    int var;                 /* the constant's index in the model */
    double start, value;     /* start value (scenario), current value */
    double std_error;        /* NaN before the fit or when not identified */
    int has_min, has_max;
    double min, max;
    migdev_calib_scale scale;
} migdev_calib_param_info;

MIGDEV_API int migdev_calib_n_params(const migdev_calib *c);
/* Returns 0, or MIGDEV_E_RANGE when i is out of range (*out untouched). */
MIGDEV_API int migdev_calib_param(const migdev_calib *c, int i, migdev_calib_param_info *out);
/* Correlation of the estimates of parameters i and j (NaN before the fit
** or when one is not identified). */
MIGDEV_API double migdev_calib_correlation(const migdev_calib *c, int i, int j);

typedef struct migdev_calib_series_info {
    const char *variable, *column; /* model variable, data column */
    int var;
    double scale, weight;    /* model = scale x data; weight of the series */
    int n_points;            /* data points compared */
    int n_mape;              /* of which non-zero (the MAPE's points) */
    double rmse, mape;       /* at the current values: RMSE in the data's
                                units (as in the file), MAPE in percent */
    double rmse_start, mape_start;
    const double *time;      /* n_points times */
    const double *data;      /* the data, as in the file */
    const double *model;     /* the model / scale at those times */
    /* the held-out points (a hold-out origin: times >= it; see
       migdev_calib_holdout), scored at the current values, not fitted;
       their arrays follow the fitted points' (holdout_time == time +
       n_points) */
    int n_holdout, n_holdout_mape;
    double rmse_holdout, mape_holdout; /* NaN without points */
    const double *holdout_time, *holdout_data, *holdout_model;
} migdev_calib_series_info;

MIGDEV_API int migdev_calib_n_series(const migdev_calib *c);

/* Whether the calibration holds data out (a backtest); *origin (may be
** NULL) is the first time held out: the data before it are fitted, the
** rest scored (migdev_calib_series_info's *_holdout fields). */
MIGDEV_API int migdev_calib_holdout(const migdev_calib *c, double *origin);
MIGDEV_API int migdev_calib_series(const migdev_calib *c, int i, migdev_calib_series_info *out);

/* The data file (resolved path) and a one-line description of the
** objective, e.g. "relative errors, each series weighted by w/N". */
MIGDEV_API const char *migdev_calib_data_path(const migdev_calib *c);
MIGDEV_API const char *migdev_calib_objective_text(const migdev_calib *c);
MIGDEV_API const char *migdev_calib_scale_text(migdev_calib_scale s);
MIGDEV_API const char *migdev_calib_stop_text(migdev_calib_stop s);

/* The run at the current values (every save time of the series'
** variables), for writing model and data side by side. */
MIGDEV_API const migdev_run *migdev_calib_run(const migdev_calib *c);

/* Write a scenario file to f that sets the current (fitted) values on top
** of the scenario's own settings, with the calibrate section, so that
** `migdev run` on it reproduces the fit. path is where f will be (paths
** inside are written relative to its folder). Returns 0, or MIGDEV_E_IO /
** MIGDEV_E_UNSUPPORTED (a constant whose name libconfig cannot spell). */
MIGDEV_API int migdev_calib_write_scenario(const migdev_calib *c, FILE *f, const char *path,
                                migdev_error *err);

#ifdef __cplusplus
}
#endif
#endif
