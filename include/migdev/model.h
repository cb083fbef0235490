/*
** model.h - load a stock-and-flow model and ask it questions.
**
** A model is compiled once, when it is loaded, and is immutable afterwards:
** any number of runs, on any number of threads, may share one model. Strings
** returned by the getters are borrowed and stay valid until
** migdev_model_free().
*/
#ifndef MIGDEV_MODEL_H
#define MIGDEV_MODEL_H

#include "migdev/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct migdev_model migdev_model;

typedef enum migdev_kind {
    MIGDEV_CONSTANT = 0,
    MIGDEV_STOCK,
    MIGDEV_FLOW,
    MIGDEV_AUXILIARY
} migdev_kind;

/* Integration methods. EULER and RK4 are fixed-step with the
** system-dynamics conventions; the others are GSL odeiv2 steppers. */
typedef enum migdev_method {
    MIGDEV_EULER = 0,
    MIGDEV_RK4,
    MIGDEV_RK2,
    MIGDEV_RKF45,
    MIGDEV_RKCK,
    MIGDEV_RK8PD,
    MIGDEV_RK4IMP,
    MIGDEV_BSIMP,
    MIGDEV_MSADAMS,
    MIGDEV_MSBDF,
    MIGDEV_METHOD_COUNT
} migdev_method;

/* Time span, step, output interval and solver of a run. */
typedef struct migdev_sim_spec {
    double start, stop;   /* in the model's time unit */
    double dt;            /* fixed step; initial step for adaptive methods */
    double save_every;    /* output interval (a multiple of dt for fixed steps) */
    migdev_method method;
    double abs_tol, rel_tol; /* adaptive methods only */
    double max_step;      /* adaptive methods: largest step, 0 = no limit */
    unsigned long seed;   /* random functions: the run's seed (same seed, same run) */
} migdev_sim_spec;

/* What a variable is, for listing and documentation. */
typedef struct migdev_var_info {
    const char *name;
    migdev_kind kind;
    const char *equation; /* as written; the initial value for a stock; NULL for a constant */
    double value;         /* a constant's default value */
    const char *units;    /* "" when not given */
    const char *doc;      /* "" when not given */
    const char *source;   /* "" when not given */
    const char *label;    /* a short title for figures, "" when not given */
    int line;             /* where it is defined in its file (0 = unknown) */
    int non_negative;     /* stocks and flows */
    const char *data_file; /* a data variable (an auxiliary bound to a CSV
                              column): its file; NULL otherwise */
    const char *data_column; /* and its column */
    const char *provenance; /* constants, lookups and data variables: "data",
                               "paper", "fitted", "tuned", "assumed", or ""
                               when not said (docs/model-format.md) */
    const char *tuned_to;   /* provenance "tuned": the target; else "" */
    int column;             /* with line: where the name is (0 = unknown) */
} migdev_var_info;

/* Load and compile a model file (libconfig format). Returns an owned model
** or NULL with err set (file:line:col of the first problem). */
MIGDEV_API migdev_model *migdev_model_load(const char *path, migdev_error *err);

/* The same from text in memory; file_name is used in messages. */
MIGDEV_API migdev_model *migdev_model_load_string(const char *text, const char *file_name,
                                       migdev_error *err);

/* Release a model. NULL is a no-op. No run may still use it. */
MIGDEV_API void migdev_model_free(migdev_model *m);

MIGDEV_API const char *migdev_model_name(const migdev_model *m);
MIGDEV_API const char *migdev_model_doc(const migdev_model *m);
MIGDEV_API const char *migdev_model_file(const migdev_model *m);
MIGDEV_API const char *migdev_model_time_units(const migdev_model *m);

/* The model's default time span and solver. */
MIGDEV_API migdev_sim_spec migdev_model_default_spec(const migdev_model *m);

/* Number of user-visible variables; they are numbered 0..n-1 in the order
** of the file (constants, stocks, flows, auxiliaries). */
MIGDEV_API int migdev_model_n_vars(const migdev_model *m);

/* Index of the variable called name, or MIGDEV_E_NAME (negative). For a model read from XMILE,
** any spelling XMILE counts as the same name matches (case, spaces and
** underscores). */
MIGDEV_API int migdev_model_find(const migdev_model *m, const char *name);

/* The closest variable name to name (for "did you mean"), or NULL. */
MIGDEV_API const char *migdev_model_suggest(const migdev_model *m, const char *name);

/* Fill *info for variable i. Returns 0, or MIGDEV_E_RANGE when i is out of range. */
MIGDEV_API int migdev_model_var(const migdev_model *m, int i, migdev_var_info *info);

/* Number of lookup tables, and the name/units/doc of table i (NULL when out
** of range). */
MIGDEV_API int migdev_model_n_lookups(const migdev_model *m);
MIGDEV_API int migdev_model_lookup(const migdev_model *m, int i, migdev_var_info *info);

/* Whether the model says require_provenance = true: `migdev check` then
** insists on a provenance for every constant and lookup. */
MIGDEV_API int migdev_model_requires_provenance(const migdev_model *m);

/* Name of a method ("euler", "rkf45", ...) and the method called name.
** migdev_method_parse returns MIGDEV_E_NAME for an unknown name. */
MIGDEV_API const char *migdev_method_name(migdev_method method);
MIGDEV_API int migdev_method_parse(const char *name);

/* Whether a method is adaptive (GSL with error control). */
MIGDEV_API int migdev_method_is_adaptive(migdev_method method);

#ifdef __cplusplus
}
#endif
#endif
