/*
** engine.h - choose how runs evaluate a model's equations.
**
** The VM (a stack machine over the model's bytecode) needs nothing and
** starts at once. The native engine writes the model's step program as C,
** compiles it with the system C compiler (MIGDEV_CC, default `cc`) into a
** shared object kept in $XDG_CACHE_HOME/migdev (or ~/.cache/migdev), and
** loads it: each run is then several times faster, after a compile of tens
** to hundreds of milliseconds the first time a model is seen. Both engines
** give the same bits (docs/design.md).
*/
#ifndef MIGDEV_ENGINE_H
#define MIGDEV_ENGINE_H

#include <stddef.h>

#include "migdev/error.h"
#include "migdev/model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum migdev_engine {
    MIGDEV_ENGINE_VM = 0,
    MIGDEV_ENGINE_NATIVE,
    MIGDEV_ENGINE_AUTO   /* native when it pays for its compile, else the VM */
} migdev_engine;

/* "vm", "native" or "auto" into *e. Returns 0, or -1 for anything else. */
int migdev_engine_parse(const char *s, migdev_engine *e);

/* Name of an engine ("vm", "native", "auto"). */
const char *migdev_engine_name(migdev_engine e);

/* What migdev_model_set_engine() did. */
typedef struct migdev_engine_info {
    migdev_engine used;       /* MIGDEV_ENGINE_VM or MIGDEV_ENGINE_NATIVE */
    int was_cached;           /* native: the code came from the cache */
    double compile_seconds;   /* native: time spent compiling now */
    char note[256];           /* auto falling back to the VM: why, one line; else "" */
} migdev_engine_info;

/* Make every run created from m from now on use engine e. Call it before
** sharing m between threads (it changes the model). AUTO picks the native
** engine when the code is already in the cache or when expected_runs runs of
** spec (NULL: the model's default) would take longer on the VM than the
** compile; without a C compiler it keeps the VM and says so in info->note.
** NATIVE without a compiler, or a compile that fails, is an error
** (MIGDEV_E_NATIVE naming the compiler's first message). Returns 0 or a
** MIGDEV_E_* code with err set; info may be NULL. */
int migdev_model_set_engine(migdev_model *m, migdev_engine e, const migdev_sim_spec *spec,
                            double expected_runs, migdev_engine_info *info, migdev_error *err);

/* The engine runs of m use now. */
migdev_engine migdev_model_engine(const migdev_model *m);

/* The C source the native engine generates for m (what it would compile),
** owned by the caller (free()); NULL with err set when out of memory. */
char *migdev_native_source(const migdev_model *m, migdev_error *err);

/* migdev_model_set_engine() for a scenario's model, with the scenario's
** time span and solver. */
typedef struct migdev_scenario migdev_scenario;
int migdev_scenario_set_engine(migdev_scenario *s, migdev_engine e, double expected_runs,
                               migdev_engine_info *info, migdev_error *err);

#ifdef __cplusplus
}
#endif
#endif
