/*
** sweep.h - batch parameter sweeps: designs, samples, parallel execution,
** summaries, quantile bands and sensitivity.
**
** A sweep borrows a scenario (which must outlive it): the scenario gives
** the model, the fixed overrides, the time span and the solver; the sweep
** adds the parameters that vary, the design that picks their values, the
** metrics computed from each run and what to write. The `sweep` section of
** a scenario file is described in docs/model-format.md ("Parameter
** sweeps"); flags of `migdev sweep` edit the same object through the
** migdev_sweep_set_* / _add_* functions below.
**
** Reproducibility: run i's values depend only on the sweep, its seed and i,
** never on the thread or process that computes it, so a sweep gives the same
** runs on any number of threads or machines. Strings returned by getters are
** borrowed and live as long as the sweep.
*/
#ifndef MIGDEV_SWEEP_H
#define MIGDEV_SWEEP_H

#include <stdint.h>
#include <stdio.h>

#include "migdev/error.h"
#include "migdev/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct migdev_sweep migdev_sweep;

typedef enum migdev_design {
    MIGDEV_GRID = 0, /* full factorial over every parameter's values */
    MIGDEV_LHS,      /* Latin hypercube: one sample per stratum per parameter */
    MIGDEV_RANDOM,   /* Monte Carlo */
    MIGDEV_SOBOL     /* quasi-random (GSL gsl_qrng_sobol) */
} migdev_design;

/* ---- building ---- */

/* Read the `sweep` section of s's file (an empty sweep when it has none).
** Returns an owned sweep or NULL with err at file:line:col. */
MIGDEV_API migdev_sweep *migdev_sweep_load(const migdev_scenario *s, migdev_error *err);
MIGDEV_API void migdev_sweep_free(migdev_sweep *sw);

/* Edits from the command line. Errors leave err->file empty and err->column
** pointing into the text (1-based), so the caller can place it. */
MIGDEV_API int migdev_sweep_set_design(migdev_sweep *sw, const char *name, migdev_error *err);
MIGDEV_API int migdev_sweep_set_runs(migdev_sweep *sw, long n, migdev_error *err);
MIGDEV_API void migdev_sweep_set_seed(migdev_sweep *sw, uint64_t seed);
/* "name=1,2,3" (values), "name=FROM:TO:STEP" (range), "name=uniform(a,b)",
** "normal(mean,sd)", "lognormal(mu,sigma)", "triangular(min,mode,max)",
** each optionally followed by "[lo,hi]" (truncation; a bound may be left
** empty). Replaces a parameter of the same name. */
MIGDEV_API int migdev_sweep_add_param_text(migdev_sweep *sw, const char *text, migdev_error *err);
/* "[name=]final(var)", min, max, mean, "at(var,time)",
** "crossing(var,threshold[,up|down|either])", "last_crossing(...)".
** Replaces one of that name. */
MIGDEV_API int migdev_sweep_add_metric_text(migdev_sweep *sw, const char *text, migdev_error *err);
/* Full series of the runs in runs_list ("0,5,10-20") for the variables in
** vars ("a,b"; NULL keeps the file's list). */
MIGDEV_API int migdev_sweep_set_series(migdev_sweep *sw, const char *runs_list, const char *vars,
                            migdev_error *err);
/* Quantile bands (5/25/50/75/95 %) per save time of these variables. */
MIGDEV_API int migdev_sweep_set_bands(migdev_sweep *sw, const char *vars, migdev_error *err);
MIGDEV_API void migdev_sweep_set_sensitivity(migdev_sweep *sw, int on);
/* Drop the series and bands outputs: only the summary is written. */
MIGDEV_API void migdev_sweep_summary_only(migdev_sweep *sw);

/* Check the sweep as a whole (design against parameters, number of runs,
** names) and plan it. Must be called after the edits and before anything
** below. Returns 0 or an error at the sweep section's position. */
MIGDEV_API int migdev_sweep_prepare(migdev_sweep *sw, migdev_error *err);

/* ---- what it is ---- */

MIGDEV_API migdev_design migdev_sweep_design(const migdev_sweep *sw);
MIGDEV_API const char *migdev_design_name(migdev_design d);
MIGDEV_API long migdev_sweep_n_runs(const migdev_sweep *sw);
MIGDEV_API uint64_t migdev_sweep_seed(const migdev_sweep *sw);
MIGDEV_API int migdev_sweep_n_params(const migdev_sweep *sw);
MIGDEV_API const char *migdev_sweep_param_name(const migdev_sweep *sw, int i);
MIGDEV_API int migdev_sweep_n_metrics(const migdev_sweep *sw);
MIGDEV_API const char *migdev_sweep_metric_name(const migdev_sweep *sw, int i);
MIGDEV_API int migdev_sweep_sensitivity(const migdev_sweep *sw);
/* Number of runs whose full series are written, and of band variables. */
MIGDEV_API int migdev_sweep_n_series_runs(const migdev_sweep *sw);
MIGDEV_API int migdev_sweep_n_band_vars(const migdev_sweep *sw);
/* Output paths from the file, resolved against its folder; NULL when not
** set. */
MIGDEV_API const char *migdev_sweep_summary_path(const migdev_sweep *sw);
MIGDEV_API const char *migdev_sweep_series_path(const migdev_sweep *sw);
MIGDEV_API const char *migdev_sweep_bands_path(const migdev_sweep *sw);
MIGDEV_API const char *migdev_sweep_fan_path(const migdev_sweep *sw);
MIGDEV_API void migdev_sweep_set_paths(migdev_sweep *sw, const char *summary, const char *series,
                            const char *bands, const char *fan);
/* The first of those four paths named in the file that leaves its folder
** tree (docs/paths.md), as an error at its position; NULL when none. A path
** set by migdev_sweep_set_paths() is the caller's own and clears its error.
** Borrowed; valid until the next edit of sw. */
const migdev_error *migdev_sweep_path_error(const migdev_sweep *sw);
/* Save times of every run (planned), and their number. */
MIGDEV_API const double *migdev_sweep_times(const migdev_sweep *sw, size_t *n);
/* Variables carried with each result for bands and series (model indices). */
MIGDEV_API const int *migdev_sweep_out_vars(const migdev_sweep *sw, int *n);
/* 64-bit digest of everything that decides the runs and their outputs
** (model and scenario text, overrides, time span, solver, the sweep).
** Used to refuse resuming a different sweep. */
MIGDEV_API uint64_t migdev_sweep_fingerprint(const migdev_sweep *sw);

/* ---- samples ---- */

typedef struct migdev_sampler migdev_sampler;

/* A sampler gives run i's parameter values. Sobol points come in sequence,
** so successive calls must ask for non-decreasing i (skipping is allowed).
** One sampler per thread, or guarded by the caller. */
MIGDEV_API migdev_sampler *migdev_sampler_new(const migdev_sweep *sw, migdev_error *err);
MIGDEV_API void migdev_sampler_free(migdev_sampler *sp);
/* Write run's n_params values. Returns 0, or MIGDEV_E_USAGE when run is out
** of range or before a previous one. */
MIGDEV_API int migdev_sampler_get(migdev_sampler *sp, long run, double *values);
/* Same, with each parameter's uniform coordinate in (0,1) (the quantile it
** was drawn at; for grids the level's centre). u may be NULL. */
MIGDEV_API int migdev_sampler_get_u(migdev_sampler *sp, long run, double *values, double *u);

/* ---- execution ---- */

typedef struct migdev_sweep_result {
    long run;
    int status;                  /* MIGDEV_OK, or the code of the run's failure */
    const migdev_error *error;   /* the failure, NULL when status is OK */
    const double *params;        /* n_params values */
    const double *metrics;       /* n_metrics values; NaN = empty */
    const double *series;        /* n_out_vars x n_saves, variable-major; NULL
                                    when the sweep carries no series. Failed
                                    runs: NaN after the failure. */
    const char *row;             /* the summary row, with its newline, as
                                    migdev_sweep_write_row writes it, when
                                    the sweep was run with rows set; else NULL */
} migdev_sweep_result;

typedef struct migdev_sweep_exec {
    long first, end;    /* runs first .. end-1 */
    long block;         /* runs are dealt in blocks of this many (default 64) */
    int n_parts, part;  /* this process does blocks b with b % n_parts == part
                           (blocks counted from first); 1, 0 for all */
    int n_threads;      /* worker threads (>= 1) */
    int window;         /* reorder buffer slots (0: 256 per thread, fewer
                           when results carry long series: 64 MiB at most) */
    /* Called in run order from the calling thread; a non-zero return stops
    ** the sweep (runs in flight are finished and delivered first). */
    int (*on_result)(void *ctx, const migdev_sweep_result *r);
    /* Called from the calling thread at least every 100 ms and after each
    ** result; non-zero stops dispatching new runs. May be NULL. */
    int (*poll)(void *ctx);
    void *ctx;
    long stop_after;    /* testing: stop after this many results (0: no) */
    int rows;           /* the workers also format each run's summary row
                           (migdev_sweep_result.row): the calling thread,
                           which writes the rows, then only copies text */
} migdev_sweep_exec;

/* Run this process's share of the sweep on n_threads threads, each with
** one workspace created here and reused for every run. Results are handed
** to on_result strictly in run order. *n_done gets the number delivered.
** Returns 0 when every run was delivered, 1 when stopped early (poll,
** on_result or stop_after), or a negative MIGDEV_E_* with err set. A run
** that fails is a result with its status, not an error of the sweep. */
MIGDEV_API int migdev_sweep_execute(const migdev_sweep *sw, const migdev_sweep_exec *x, long *n_done,
                         migdev_error *err);

/* Global run index of local index j under x's block dealing. */
MIGDEV_API long migdev_sweep_exec_run(const migdev_sweep_exec *x, long j);
/* Number of runs this process does under x. */
MIGDEV_API long migdev_sweep_exec_count(const migdev_sweep_exec *x);

/* ---- summary and series files ---- */

/* Write the summary header: run,<parameters>,<metrics>,status. */
MIGDEV_API int migdev_sweep_write_header(const migdev_sweep *sw, FILE *f, migdev_error *err);
/* Write one summary row. */
MIGDEV_API int migdev_sweep_write_row(const migdev_sweep *sw, FILE *f, const migdev_sweep_result *r,
                           migdev_error *err);
/* Header and rows of the long-format series file (run,time,variable,value);
** write_series_rows writes nothing unless r->run is a selected run. */
MIGDEV_API int migdev_sweep_write_series_header(FILE *f, migdev_error *err);
MIGDEV_API int migdev_sweep_write_series_rows(const migdev_sweep *sw, FILE *f, const migdev_sweep_result *r,
                                   migdev_error *err);

/* Check that f (opened for reading at its start) is a summary of this
** sweep: its header matches and its rows are runs 0, 1, ... . Sets *n_rows
** to the number of complete rows (at most max_rows when max_rows >= 0) and
** *end to the byte offset just after the last of them (a torn last line is
** not counted). Returns 0, or MIGDEV_E_SYNTAX naming path:line when it is
** not. */
MIGDEV_API int migdev_sweep_scan_summary(const migdev_sweep *sw, FILE *f, const char *path, long max_rows,
                              long *n_rows, long *end, migdev_error *err);
/* Byte offset in a series file just after the last complete row of a run
** before n_runs. */
MIGDEV_API int migdev_sweep_scan_series(FILE *f, const char *path, long n_runs, long *end,
                             migdev_error *err);

/* ---- quantile bands ---- */

typedef struct migdev_bands migdev_bands;

/* The five quantiles of every band. */
MIGDEV_API extern const double migdev_band_levels[5];

/* Accumulators for the sweep's band variables at each save time: exact
** quantiles up to 1,000 runs, P-squared estimates beyond (memory does not
** grow with the number of runs). NULL with err set on failure; a sweep
** without bands gives a valid accumulator with no variables. */
MIGDEV_API migdev_bands *migdev_bands_new(const migdev_sweep *sw, migdev_error *err);
MIGDEV_API void migdev_bands_free(migdev_bands *b);
/* Add a result (failed runs are skipped). */
MIGDEV_API void migdev_bands_add(migdev_bands *b, const migdev_sweep_result *r);
/* Runs added. */
MIGDEV_API long migdev_bands_count(const migdev_bands *b);
/* The five quantiles of band variable k (0..n_band_vars-1) at save time j;
** NaN when no run was added. */
MIGDEV_API void migdev_bands_get(const migdev_bands *b, int k, size_t j, double q[5]);
MIGDEV_API int migdev_bands_n_vars(const migdev_bands *b);
/* The save times of the bands (borrowed from the sweep). */
MIGDEV_API const double *migdev_bands_times(const migdev_bands *b, size_t *n);
MIGDEV_API const char *migdev_bands_var_name(const migdev_bands *b, int k);
/* Write variable,time,p5,p25,p50,p75,p95 as CSV. */
MIGDEV_API int migdev_bands_write(const migdev_bands *b, FILE *f, migdev_error *err);
/* Save and restore the accumulators exactly (text, hexadecimal floats),
** for resuming an interrupted sweep. */
MIGDEV_API int migdev_bands_save(const migdev_bands *b, FILE *f, migdev_error *err);
MIGDEV_API int migdev_bands_restore(migdev_bands *b, FILE *f, const char *path, migdev_error *err);

/* ---- sensitivity ---- */

typedef struct migdev_sensitivity migdev_sensitivity;

/* Read a finished (or interrupted) summary back from f and compute, for
** each metric, the partial rank correlation coefficient (PRCC) of each
** parameter with its p-value, and a first-order Sobol' index estimated from
** the same runs (correlation ratio over equal-count bins). Runs that failed
** or left the metric empty are left out. Memory: 8 bytes x runs x
** (2 x parameters + metrics + 1). Returns an owned result or NULL with err set. */
MIGDEV_API migdev_sensitivity *migdev_sensitivity_compute(const migdev_sweep *sw, FILE *f, const char *path,
                                               migdev_error *err);
MIGDEV_API void migdev_sensitivity_free(migdev_sensitivity *s);
/* Index i of metric k: prcc, p-value, S1 (NaN when undefined), and the
** number of runs used. */
MIGDEV_API void migdev_sensitivity_get(const migdev_sensitivity *s, int metric, int param, double *prcc,
                            double *p_value, double *s1, long *n_used);
/* Print the table, parameters ranked by |PRCC| for each metric. */
MIGDEV_API int migdev_sensitivity_print(const migdev_sensitivity *s, FILE *f);

#ifdef __cplusplus
}
#endif
#endif
