/*
** scenario.h - scenario files: which model, which constants changed, what
** time span and solver, what to write.
**
** A scenario owns its model. Paths inside a scenario file are relative to
** the scenario file's folder. A scenario may also declare figures (its
** `plots` list); the library only reads and checks them, drawing is the
** caller's job. A model file may be opened as a scenario too:
** it is then its own scenario with the model's defaults.
**
** Threads: a loaded scenario is not changed by running it; any number of
** threads may read it and create runs from it (migdev_scenario_new_run),
** each run then belonging to one thread. Functions that edit a scenario
** (migdev_scenario_set_*) need it to themselves. Strings returned by the
** getters are borrowed and valid until migdev_scenario_free().
*/
#ifndef MIGDEV_SCENARIO_H
#define MIGDEV_SCENARIO_H

#include "migdev/error.h"
#include "migdev/model.h"
#include "migdev/output.h"
#include "migdev/run.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct migdev_scenario migdev_scenario;

/* Open a scenario file, or a model file as a scenario. Returns an owned
** scenario or NULL with err set at the offending file:line:col. */
MIGDEV_API migdev_scenario *migdev_scenario_load(const char *path, migdev_error *err);

/* Release a scenario and its model. NULL is a no-op. */
MIGDEV_API void migdev_scenario_free(migdev_scenario *s);

/* The model (borrowed; lives as long as the scenario). */
MIGDEV_API const migdev_model *migdev_scenario_model(const migdev_scenario *s);

/* The scenario's name (its `name`, else the file name without extension). */
MIGDEV_API const char *migdev_scenario_name(const migdev_scenario *s);
MIGDEV_API const char *migdev_scenario_doc(const migdev_scenario *s);
MIGDEV_API const char *migdev_scenario_file(const migdev_scenario *s);

/* Time span and solver (the model's defaults, then the file's settings). */
MIGDEV_API migdev_sim_spec migdev_scenario_spec(const migdev_scenario *s);
MIGDEV_API void migdev_scenario_set_spec(migdev_scenario *s, const migdev_sim_spec *spec);

/* Override constant name. Returns 0, or MIGDEV_E_NAME (unknown name, with a
** suggestion) / MIGDEV_E_TYPE (not a constant). Later calls win. */
MIGDEV_API int migdev_scenario_set(migdev_scenario *s, const char *name, double value, migdev_error *err);

/* The overrides, in the order they were made. */
MIGDEV_API int migdev_scenario_n_overrides(const migdev_scenario *s);
MIGDEV_API int migdev_scenario_override(const migdev_scenario *s, int i, int *var, double *value);

/* Output file (resolved against the scenario's folder), or NULL for
** standard output. */
MIGDEV_API const char *migdev_scenario_output(const migdev_scenario *s);
MIGDEV_API int migdev_scenario_set_output(migdev_scenario *s, const char *path, migdev_error *err);
MIGDEV_API migdev_format migdev_scenario_format(const migdev_scenario *s);
MIGDEV_API void migdev_scenario_set_format(migdev_scenario *s, migdev_format fmt);

/* Variables to write (indices). n = 0 means every variable. */
MIGDEV_API const int *migdev_scenario_outputs(const migdev_scenario *s, int *n);

/* Choose the variables to write from a comma-separated list of names.
** Returns 0 or MIGDEV_E_NAME naming the unknown one. */
MIGDEV_API int migdev_scenario_set_outputs(migdev_scenario *s, const char *names, migdev_error *err);

/* Figure layouts: one panel per variable, or every variable on one axes. */
typedef enum migdev_layout { MIGDEV_PANELS = 0, MIGDEV_OVERLAY } migdev_layout;

/* A figure declared in the scenario's `plots` list. Every pointer is
** borrowed from the scenario and stays valid until migdev_scenario_free(). */
typedef struct migdev_plot_spec {
    const char *file;     /* .png, .svg or .pdf, resolved against the scenario's folder */
    const char *title;    /* "" when none */
    const int *vars;      /* variable indices, n_vars >= 1 */
    int n_vars;
    migdev_layout layout; /* default MIGDEV_PANELS */
    int width, height;    /* pixels; 0 = the drawing program's default */
    int logscale;         /* 1: logarithmic value axes */
    int line;             /* line of the declaration in the scenario file */
} migdev_plot_spec;

/* Number of declared figures, and figure i (0-based). migdev_scenario_plot
** returns 0, or MIGDEV_E_RANGE when i is out of range (*out untouched). */
MIGDEV_API int migdev_scenario_n_plots(const migdev_scenario *s);
MIGDEV_API int migdev_scenario_plot(const migdev_scenario *s, int i, migdev_plot_spec *out);

/* A new run of the scenario: its spec, its overrides applied, recording its
** output variables and the variables of its figures. Owned by the caller. */
MIGDEV_API migdev_run *migdev_scenario_new_run(const migdev_scenario *s, migdev_error *err);

#ifdef __cplusplus
}
#endif
#endif
