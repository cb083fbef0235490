/*
** loops_sample.c - simulate once and keep every variable (hidden stocks,
** constants and init() values included) at every save time, time-major,
** for the loop analysis. Works with every solver: the samples are the save
** grid, each a consistent set of stocks, flows and auxiliaries.
*/
#include "loops_int.h"

#include "error_int.h"
#include "run_int.h"

#include <stdlib.h>
#include <string.h>

int samples_take(samples *s, const migdev_run *r, migdev_error *err)
{
    const migdev_model *m = migdev_run_model(r);
    memset(s, 0, sizeof *s);
    s->spec = *migdev_run_spec(r);
    migdev_run *own = migdev_run_new(m, &s->spec, err);
    if (!own)
        return err ? err->code : MIGDEV_E_NOMEM;
    int rc = 0;
    for (int i = 0; i < m->n_visible && !rc; i++)
        if (m->vars[i].kind == VK_CONST)
            rc = migdev_run_set_constant(own, i, migdev_run_constant(r, i), err);
    if (!rc)
        rc = run_record_all(own, err);
    if (!rc)
        rc = migdev_run_execute(own, err);
    if (rc) {
        migdev_run_free(own);
        return rc;
    }
    s->nv = m->n_vars;
    s->ns = migdev_run_n_saves(own);
    s->t = malloc((s->ns + 1) * sizeof *s->t);
    s->v = malloc((s->ns * (size_t)s->nv + 1) * sizeof *s->v);
    if (!s->t || !s->v) {
        migdev_run_free(own);
        samples_free(s);
        return err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
    }
    memcpy(s->t, migdev_run_times(own), s->ns * sizeof *s->t);
    for (int i = 0; i < s->nv; i++) {
        const double *x = run_series_any(own, i);
        for (size_t k = 0; k < s->ns; k++)
            s->v[k * (size_t)s->nv + (size_t)i] = x[k];
    }
    migdev_run_free(own);
    return 0;
}

void samples_free(samples *s)
{
    free(s->t);
    free(s->v);
    s->t = s->v = NULL;
    s->ns = 0;
}
