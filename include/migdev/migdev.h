/*
** migdev.h - the whole public API of the migdev system-dynamics engine.
**
**   model.h     load and compile a model, ask about its variables
**   run.h       simulate a model: one run, one workspace, one thread
**   scenario.h  scenario files: a model plus overrides, time, solver, output
**   output.h    write recorded series as CSV/TSV
**   sweep.h     parameter sweeps: designs, parallel runs, summaries, bands
**   calibrate.h fit constants to data (nonlinear least squares)
**   csv.h       the CSV reader every CSV input goes through
**   report.h    indicators a scenario declares (migdev report)
**   xmile.h     write a model as XMILE (reading is automatic)
**   error.h     errors as values, with file:line:col
*/
#ifndef MIGDEV_MIGDEV_H
#define MIGDEV_MIGDEV_H

#include "migdev/calibrate.h"
#include "migdev/csv.h"
#include "migdev/engine.h"
#include "migdev/error.h"
#include "migdev/loops.h"
#include "migdev/model.h"
#include "migdev/output.h"
#include "migdev/report.h"
#include "migdev/run.h"
#include "migdev/scenario.h"
#include "migdev/sweep.h"
#include "migdev/units.h"
#include "migdev/version.h"
#include "migdev/xmile.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The library version, "MAJOR.MINOR.PATCH". */
MIGDEV_API const char *migdev_version(void);

/* Process-wide set-up: switches GSL's default error handler (which aborts)
** off so that solver failures come back as values, and initialises libxml2
** (XMILE files). Call once from main() before starting threads; it is the
** library's only global side effect. */
MIGDEV_API void migdev_global_init(void);

#ifdef __cplusplus
}
#endif
#endif
