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

#include <stdio.h>

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
/* The path policy (docs/paths.md): when the file's output file (resp. one
** of its figures) is named by a path that leaves the file's folder tree
** (absolute, climbing out with "..", through a symbolic link), the error at
** that path's position; NULL when the path is fine. The caller refuses to
** write it unless its user allowed it. migdev_scenario_set_output() clears
** the output's. Borrowed; valid until the scenario is freed. */
MIGDEV_API const migdev_error *migdev_scenario_output_path_error(const migdev_scenario *s);
MIGDEV_API const migdev_error *migdev_scenario_plot_path_error(const migdev_scenario *s);
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

/* A knob: a constant a reader of the scenario may move (the sliders of
** `migdev serve`), declared in the scenario's `knobs` list. A scenario
** without that list has one knob per constant of its `set`, ranging from 0
** to twice the larger of the set value and the model's default (mirrored
** for negative values; [0, 1] for 0), in MIGDEV_KNOB_STEPS steps. Strings
** are borrowed from the scenario ("" when not given). */
typedef struct migdev_knob {
    int var;                /* the constant (a variable index) */
    double value;           /* its value in the scenario (set, else the model's) */
    double min, max, step;  /* the range (min < max) and the slider step (> 0) */
    const char *label;      /* short title for the slider, "" when none */
    const char *doc;        /* longer explanation, "" when none */
    int line;               /* line of the declaration; 0 for a knob that follows `set` */
} migdev_knob;

#define MIGDEV_KNOB_STEPS 100.0

/* Number of knobs, and knob i (0-based). migdev_scenario_knob returns 0, or
** -1 when i is out of range (*out untouched). */
int migdev_scenario_n_knobs(const migdev_scenario *s);
int migdev_scenario_knob(const migdev_scenario *s, int i, migdev_knob *out);

/* Write s to f as a scenario file that `migdev run` reads back to the same
** run: name, doc, model_path as its `model` (the caller chooses it: the
** file's folder decides how a relative path reads), the overrides with
** vars[i] = values[i] (n of them, constants) on top, time span, solver,
** output variables (not the output file, so the table goes to standard
** output), knobs (those that follow `set` written out) and the scenario's
** own data entries (with absolute file paths). Figures are left
** out (their paths belong to the original file). Returns 0, or
** MIGDEV_E_UNSUPPORTED (a constant whose name libconfig cannot spell) /
** MIGDEV_E_IO. */
int migdev_scenario_write(const migdev_scenario *s, const int *vars, const double *values, int n,
                          const char *model_path, FILE *f, migdev_error *err);

/* A new run of the scenario: its spec, its overrides applied, recording its
** output variables and the variables of its figures. Owned by the caller. */
MIGDEV_API migdev_run *migdev_scenario_new_run(const migdev_scenario *s, migdev_error *err);

#ifdef __cplusplus
}
#endif
#endif
