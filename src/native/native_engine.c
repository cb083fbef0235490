/*
** native_engine.c - pick a model's engine; when native, compile and attach.
**
** The loaded code hangs off the model (migdev_model.native), so every run
** made from the model afterwards -- a single run, a sweep's workers, a
** calibration's Jacobian, the loop analysis -- uses it without knowing.
*/
#include "migdev/engine.h"

#include "error_int.h"
#include "model_int.h"
#include "native/native.h"
#include "opcodes.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Cost model of the auto choice, measured on this project's benchmarks
** (bench/, docs/design.md): the VM spends about this long per bytecode word
** of the step program per evaluation; a compile costs a fixed part plus a
** part per word. */
static const double VM_SECONDS_PER_WORD = 1e-9;
static const double CC_SECONDS_FIXED = 0.05;
static const double CC_SECONDS_PER_WORD = 1e-4;
/* Adaptive solvers: evaluations per save interval, a rough guess. */
static const double ADAPTIVE_EVALS_PER_SAVE = 20.0;

int migdev_engine_parse(const char *s, migdev_engine *e)
{
    static const char *const names[] = {"vm", "native", "auto"};
    for (int k = 0; k < 3; k++)
        if (s && !strcmp(s, names[k])) {
            *e = (migdev_engine)k;
            return 0;
        }
    return -1;
}

const char *migdev_engine_name(migdev_engine e)
{
    switch (e) {
    case MIGDEV_ENGINE_VM: return "vm";
    case MIGDEV_ENGINE_NATIVE: return "native";
    case MIGDEV_ENGINE_AUTO: return "auto";
    default: return "?";
    }
}

migdev_engine migdev_model_engine(const migdev_model *m)
{
    return m->native ? MIGDEV_ENGINE_NATIVE : MIGDEV_ENGINE_VM;
}

char *migdev_native_source(const migdev_model *m, migdev_error *err)
{
    size_t len;
    return native_gen(m, &len, err);
}

static long step_words(const migdev_model *m)
{
    long n = 0;
    for (const int32_t *pc = m->step_code; *pc != OP_END; pc += op_has_operand(*pc) ? 2 : 1)
        n++;
    return n;
}

/* Whether expected_runs runs of spec on the VM outlast a compile. */
static int native_pays(const migdev_model *m, const migdev_sim_spec *spec, double expected_runs)
{
    const double words = (double)step_words(m) + (double)m->n_vars;
    double evals;
    const double span = spec->stop - spec->start;
    if (spec->method == MIGDEV_EULER || spec->method == MIGDEV_RK4)
        evals = (span / spec->dt + 1.0) * (spec->method == MIGDEV_RK4 ? 4.0 : 1.0);
    else
        evals = (span / (spec->save_every > 0.0 ? spec->save_every : spec->dt) + 1.0) *
                ADAPTIVE_EVALS_PER_SAVE;
    const double vm = expected_runs * evals * words * VM_SECONDS_PER_WORD;
    const double cc = CC_SECONDS_FIXED + CC_SECONDS_PER_WORD * words;
    return isfinite(vm) && vm > cc;
}

int migdev_model_set_engine(migdev_model *m, migdev_engine e, const migdev_sim_spec *spec,
                            double expected_runs, migdev_engine_info *info, migdev_error *err)
{
    migdev_engine_info local;
    if (!info)
        info = &local;
    memset(info, 0, sizeof *info);
    info->used = MIGDEV_ENGINE_VM;
    if (e != MIGDEV_ENGINE_VM && e != MIGDEV_ENGINE_NATIVE && e != MIGDEV_ENGINE_AUTO)
        return err_set(err, MIGDEV_E_USAGE, m->file, 0, 0, "unknown engine %d", (int)e);
    if (e == MIGDEV_ENGINE_VM) {
        native_free(m->native);
        m->native = NULL;
        return 0;
    }
    const migdev_sim_spec sp = spec ? *spec : migdev_model_default_spec(m);
    /* auto: say why the VM is used only when the native engine would pay */
    const int pays = e == MIGDEV_ENGINE_NATIVE || native_pays(m, &sp, expected_runs);
    native_cfg cfg;
    char cc[1024];
    if (native_cfg_default(&cfg, err) != 0) {
        if (e == MIGDEV_ENGINE_NATIVE)
            return MIGDEV_E_NATIVE;
        migdev_error_clear(err);
        if (pays)
            snprintf(info->note, sizeof info->note,
                     "engine auto: no cache folder (HOME unset), using the VM");
        return 0;
    }
    if (!native_find_cc(&cfg, cc, sizeof cc)) {
        if (e == MIGDEV_ENGINE_NATIVE)
            return err_set(err, MIGDEV_E_NATIVE, m->file, 0, 0,
                           "the native engine needs a C compiler: '%s' was not found (install "
                           "gcc, or set MIGDEV_CC)",
                           cfg.cc);
        if (pays)
            snprintf(info->note, sizeof info->note,
                     "engine auto: no C compiler ('%.100s' not found), using the VM", cfg.cc);
        return 0;
    }
    size_t len;
    char *src = native_gen(m, &len, err);
    if (!src)
        return err ? err->code : MIGDEV_E_NOMEM;
    if (e == MIGDEV_ENGINE_AUTO) {
        char path[1200];
        const int cached = native_cache_path(&cfg, src, len, path, sizeof path) == 0 &&
                           access(path, R_OK) == 0;
        if (!cached && !pays) {
            free(src);
            return 0; /* the VM is done before a compile would be */
        }
    }
    migdev_error why;
    migdev_error_clear(&why);
    native_code *c = native_load(&cfg, src, len, m->n_vars, m->n_stocks, m->file, &why);
    free(src);
    if (!c && e == MIGDEV_ENGINE_AUTO) { /* the VM still does the job */
        snprintf(info->note, sizeof info->note, "engine auto: %.200s; using the VM",
                 why.message);
        return 0;
    }
    if (!c) {
        if (err && err->code == MIGDEV_OK)
            *err = why;
        return why.code;
    }
    native_free(m->native);
    m->native = c;
    info->used = MIGDEV_ENGINE_NATIVE;
    info->was_cached = c->was_cached;
    info->compile_seconds = c->compile_seconds;
    return 0;
}
