/*
** units.h - dimensional analysis of a model (migdev check --units).
**
** Infers the units of every equation from its leaves (the variables'
** declared units, the model's time unit, numbers) and reports each place
** where they disagree: an equation and its variable's units, the operands of
** a sum or a comparison, a stock and its flows, the arguments of functions.
** The language of units strings is documented in docs/model-format.md.
** The report is owned by the caller; the model is only read, so several
** threads may check one model at once, each with a report of its own.
*/
#ifndef MIGDEV_UNITS_H
#define MIGDEV_UNITS_H

#include "migdev/error.h"
#include "migdev/model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum migdev_units_severity {
    MIGDEV_UNITS_WARNING = 1, /* probably a mistake (a lookup fed a quantity with no x_units...) */
    MIGDEV_UNITS_ERROR = 2    /* units that disagree, or a units string that does not parse */
} migdev_units_severity;

typedef struct migdev_units_options {
    /* 0: a number in an equation takes the units its context needs (Vensim's
       rule): `population + 1`, `x > 0`, `2 * rate` are fine. 1: every number
       but 0 is dimensionless. */
    int strict_numbers;
    /* Values of the constants, indexed like migdev_model_var() (length
       migdev_model_n_vars(); other entries unused), used where an exponent is
       made of constants (`capital ^ capital_share`): a scenario's overrides.
       NULL: the model's own values. */
    const double *constants;
} migdev_units_options;

/* One finding. where.code is MIGDEV_E_SYNTAX for a units string that does
** not parse, MIGDEV_E_TYPE otherwise; where has the file, line and column
** and a one-sentence message naming the expected and the found units. */
typedef struct migdev_units_diag {
    migdev_units_severity severity;
    migdev_error where;
} migdev_units_diag;

typedef struct migdev_units_report migdev_units_report;

/* Check the units of model m (opt may be NULL: the defaults above). Returns
** an owned report, possibly empty, or NULL with err set (out of memory). */
MIGDEV_API migdev_units_report *migdev_units_check(const migdev_model *m, const migdev_units_options *opt,
                                        migdev_error *err);

/* Number of findings, in file order, and finding i (borrowed, valid until
** migdev_units_report_free; NULL when out of range). */
MIGDEV_API int migdev_units_report_count(const migdev_units_report *r);
MIGDEV_API const migdev_units_diag *migdev_units_report_get(const migdev_units_report *r, int i);

/* Number of findings of severity ERROR. */
MIGDEV_API int migdev_units_report_errors(const migdev_units_report *r);

/* Release a report. NULL is a no-op. */
MIGDEV_API void migdev_units_report_free(migdev_units_report *r);

/* The canonical form of a units string ("person*year/year/USD" ->
** "people/USD"), into buf of size n. Returns 0, or MIGDEV_E_SYNTAX with err
** set (column = 1 + the offending character's offset, line 0, no file). */
MIGDEV_API int migdev_units_canonical(const char *units, char *buf, size_t n, migdev_error *err);

#ifdef __cplusplus
}
#endif
#endif
