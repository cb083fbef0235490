/*
** sweep_int.h - the sweep object, shared by the sweep_*.c modules.
**
**   sweep_spec.c    the `sweep` section, command-line edits, planning
**   sweep_text.c    the compact text forms of parameters and metrics
**   sweep_dist.c    distributions: value at a quantile
**   sweep_design.c  designs and per-run random streams (the sampler)
**   sweep_metric.c  metrics of one run from its recorded series
**   sweep_exec.c    worker threads, reorder buffer
**   sweep_out.c     summary and series files, resume scans
**   sweep_bands.c   quantile bands (exact, then P-squared)
**   sweep_sens.c    PRCC and first-order indices
*/
#ifndef MIGDEV_SWEEP_INT_H
#define MIGDEV_SWEEP_INT_H

#include "migdev/sweep.h"

#include <stdint.h>

typedef enum {
    PK_VALUES = 0, /* a list, or a range expanded to one */
    PK_UNIFORM,    /* a = min, b = max */
    PK_NORMAL,     /* a = mean, b = sd */
    PK_LOGNORMAL,  /* a = mu, b = sigma (of ln x) */
    PK_TRIANGULAR  /* a = min, c = mode, b = max */
} param_kind;

typedef struct sweep_param {
    char *name;
    int var;              /* constant's index in the model */
    int *also;            /* a whole arrayed constant: its other elements, */
    int n_also;           /* set to the same value (owned) */
    param_kind kind;
    double *values;       /* PK_VALUES */
    int n_values;
    double a, b, c;
    int has_lo, has_hi;   /* truncation bounds (normal, lognormal) */
    double lo, hi;
    int levels;           /* grid levels of a distribution (0: none) */
    /* set by dist_prepare */
    int use_upper;        /* truncated in the upper tail: work with Q = 1-P */
    double p_lo, p_hi;    /* P (or Q) at the bounds */
    int line, col;        /* where it is defined ("" file: command line) */
} sweep_param;

typedef enum { MS_FINAL = 0, MS_MIN, MS_MAX, MS_MEAN, MS_AT, MS_CROSSING, MS_LAST_CROSSING } metric_stat;
typedef enum { DIR_EITHER = 0, DIR_UP, DIR_DOWN } cross_dir;

typedef struct sweep_metric {
    char *name;
    int var;
    metric_stat stat;
    double time;          /* MS_AT */
    double threshold;     /* MS_CROSSING, MS_LAST_CROSSING */
    cross_dir dir;
    int col;              /* column of var among the recorded variables */
    int line, col_pos;
} sweep_metric;

struct migdev_sweep {
    const migdev_scenario *sc;
    const migdev_model *m;
    char *file;           /* the scenario file, for messages */
    int sec_line, sec_col; /* position of the sweep section (0: none) */

    migdev_design design;
    int has_design;
    long runs;            /* requested (lhs, random, sobol) */
    int has_runs, runs_line, runs_col;
    uint64_t seed;

    sweep_param *params;
    int n_params;
    sweep_metric *metrics;
    int n_metrics;

    char *summary_path, *series_path, *bands_path, *fan_path;
    migdev_error path_err[4]; /* per path above: leaves the file's folder (outpath.h) */
    long *series_runs;    /* sorted, distinct */
    int n_series_runs;
    int *series_vars;
    int n_series_vars;
    int *band_vars;
    int n_band_vars;
    int sensitivity;

    /* planned by migdev_sweep_prepare */
    int prepared;
    long total;
    int *rec_vars;        /* recorded by each workspace */
    int n_rec;
    int *out_vars;        /* carried with results: bands, then series */
    int n_out;
    int *band_col;        /* band k -> column in out_vars */
    int *series_col;      /* series variable k -> column in out_vars */
    int *out_rec_col;     /* out column -> recorded column */
    size_t n_saves;
    double *times;
};

/* sweep_dist.c: cache what the quantile function needs (CDF at the
** truncation bounds). Returns 0 or a message in msg when the bounds leave
** no probability. */
int dist_prepare(sweep_param *p, char *msg, size_t n);
/* Value of p at uniform coordinate u in (0,1). */
double dist_value(const sweep_param *p, double u);

/* sweep_text.c: parse the compact forms into p / mt (fields owned by the
** caller on success). Errors set err->column inside text. */
int sweep_parse_param_text(const migdev_model *m, const char *text, sweep_param *p,
                           migdev_error *err);
int sweep_parse_metric_text(const migdev_model *m, const char *text, sweep_metric *mt,
                            migdev_error *err);
/* Default name of a metric ("final_x", "x_at_10"...), malloc'd. */
char *sweep_metric_default_name(const migdev_model *m, const sweep_metric *mt);
/* Whether name is allowed as a CSV column ([A-Za-z0-9_.+-]+). */
int sweep_name_ok(const char *name);

/* sweep_design.c */
uint64_t sweep_mix64(uint64_t x);
/* Uniform k of run's stream, in (0,1). */
double sweep_stream_u(uint64_t seed, long run, int k);
/* Seed of the model's random functions in run (migdev_run_set_seed). */
unsigned long sweep_model_seed(uint64_t seed, long run);

/* sweep_metric.c: the metrics of one run. series[c] is recorded column c,
** times has n entries (fewer than planned when the run failed: then the
** metrics are NaN). */
void sweep_metrics_eval(const migdev_sweep *sw, const double *const *series, const double *times,
                        size_t n, double *out);

/* sweep_out.c: the summary row of r (with its newline, NUL-terminated)
** into out, which has room for sweep_row_max(sw) bytes; returns its length. */
size_t sweep_row_max(const migdev_sweep *sw);
size_t sweep_row_text(const migdev_sweep *sw, const migdev_sweep_result *r, char *out);

/* sweep_spec.c */
void sweep_param_clear(sweep_param *p);

/* name as a whole arrayed constant (its elements "name[a]", ...): p->var
** is its first element, p->also the others. Returns how many elements (0:
** it is none; p untouched), or -1 when out of memory. */
int sweep_whole_array(const migdev_model *m, const char *name, sweep_param *p);
void sweep_metric_clear(sweep_metric *mt);

#endif
