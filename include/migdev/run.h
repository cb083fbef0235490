/*
** run.h - simulate a model.
**
** A run is the workspace of one simulation: state, scratch, solver and the
** recorded series. It borrows its model (which must outlive it) and belongs
** to one thread at a time. Executing allocates nothing: all memory is taken
** by migdev_run_new(), except the history kept by delay_fixed(), whose
** length follows the delay time (a constant the run may change): it is
** allocated at the start of an execution when it grows. A run may be executed again, e.g. with other constant
** values; each execution replaces the recorded series.
*/
#ifndef MIGDEV_RUN_H
#define MIGDEV_RUN_H

#include <stddef.h>

#include "migdev/error.h"
#include "migdev/model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct migdev_run migdev_run;

/* Create a run of m over spec (NULL: the model's default). Checks the spec
** (stop > start, dt > 0, save_every a multiple of dt for fixed steps...).
** Returns an owned run, or NULL with err set. */
MIGDEV_API migdev_run *migdev_run_new(const migdev_model *m, const migdev_sim_spec *spec,
                           migdev_error *err);

/* Check a spec as migdev_run_new() would: stop > start, dt > 0, a whole
** number of steps and save_every a multiple of dt for the fixed-step
** methods, positive tolerances. Returns 0 or MIGDEV_E_RANGE with err set
** (no file or position: the caller knows where the spec came from). */
MIGDEV_API int migdev_spec_check(const migdev_sim_spec *spec, migdev_error *err);

/* Release a run. NULL is a no-op. */
MIGDEV_API void migdev_run_free(migdev_run *r);

/* Set constant var (an index from migdev_model_find) for the next
** executions. Returns 0, or MIGDEV_E_TYPE when var is not a constant. */
MIGDEV_API int migdev_run_set_constant(migdev_run *r, int var, double value, migdev_error *err);

/* Current value of constant var (its default unless set). */
MIGDEV_API double migdev_run_constant(const migdev_run *r, int var);

/* Seed of the random functions for the next executions (the spec's seed
** until set). Lets one workspace run many seeds (parameter sweeps). */
MIGDEV_API void migdev_run_set_seed(migdev_run *r, unsigned long seed);

/* Restore every constant to the model's default. */
MIGDEV_API void migdev_run_reset_constants(migdev_run *r);

/* Record only these variables (default: all). vars is copied. Returns 0 or
** MIGDEV_E_USAGE for an index out of range. */
MIGDEV_API int migdev_run_record(migdev_run *r, const int *vars, int n, migdev_error *err);

/* Simulate from start to stop. Returns 0; MIGDEV_E_NONFINITE or
** MIGDEV_E_INTEGRATOR with err naming the time and variable when the
** simulation fails (the series recorded up to then stay readable). */
MIGDEV_API int migdev_run_execute(migdev_run *r, migdev_error *err);

/* ---- step by step (games, the live view) ----
** Instead of migdev_run_execute(), a run can be driven forward in pieces:
**
**     migdev_run_advance(r, 2000.0, &err);      runs from the start to 2000
**     migdev_run_set_constant(r, tax, 0.3, &err); a policy change in 2000
**     migdev_run_advance(r, 2050.0, &err);      goes on with it
**
** A constant set between two calls takes effect at the current time: the
** variables there are computed again with it (and its saved row, when the
** current time is a save time, rewritten) and the next step starts from
** them. The series recorded so far stay readable (migdev_run_n_saves()
** grows). With euler and rk4 the run moves in whole steps of dt, to the
** last step at or before t_until; advanced to its stop time without
** changes it records exactly what migdev_run_execute() records. The
** adaptive methods integrate to each save time in turn, and to t_until
** itself when that is not a save time (the state there is readable but not
** recorded), restarting the solver after a change. */

/* Start a step-by-step execution at the start time (constants as they are
** set): computes and records the initial values. Returns 0 or an error as
** migdev_run_execute(). */
MIGDEV_API int migdev_run_start(migdev_run *r, migdev_error *err);

/* Advance to t_until (clamped to the stop time), starting first when no
** step-by-step execution is under way. Returns 0; MIGDEV_E_RANGE when
** t_until is NaN or before the current time; MIGDEV_E_NONFINITE or
** MIGDEV_E_INTEGRATOR as migdev_run_execute(), after which the run must be
** started again. */
MIGDEV_API int migdev_run_advance(migdev_run *r, double t_until, migdev_error *err);

/* The current time of a step-by-step execution; NaN before one starts (or
** after migdev_run_execute() replaced it). */
MIGDEV_API double migdev_run_time(const migdev_run *r);

/* 1 when a step-by-step execution has reached the stop time. */
MIGDEV_API int migdev_run_is_finished(const migdev_run *r);

/* The value of variable var at the current time (a constant: its current
** value at any moment); NaN when var is out of range or, for a variable
** that is not a constant, before a step-by-step execution starts. */
MIGDEV_API double migdev_run_value(const migdev_run *r, int var);

/* The model the run borrows. */
MIGDEV_API const migdev_model *migdev_run_model(const migdev_run *r);

/* The spec the run uses. */
MIGDEV_API const migdev_sim_spec *migdev_run_spec(const migdev_run *r);

/* Number of save times recorded by the last execution, and the times. */
MIGDEV_API size_t migdev_run_n_saves(const migdev_run *r);
MIGDEV_API const double *migdev_run_times(const migdev_run *r);

/* The recorded series of var (n_saves values), or NULL when var is not
** recorded. Valid until the next execution or migdev_run_free(). */
MIGDEV_API const double *migdev_run_series(const migdev_run *r, int var);

#ifdef __cplusplus
}
#endif
#endif
