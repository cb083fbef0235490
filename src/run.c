/*
** run.c - the run workspace: create, configure, evaluate, record, read.
**
** Everything a simulation needs is allocated here, by migdev_run_new() and
** migdev_run_record(); run_eval() and integrate() only use it.
*/
#include "run_int.h"

#include "error_int.h"
#include "watch.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Adaptive methods: most steps between two save times before giving up. */
enum { RUN_MAX_STEPS_PER_SAVE = 1000000 };

static int check_spec(const char *f, const migdev_sim_spec *s, long *n_steps, long *ratio,
                      migdev_error *err)
{
    if (!isfinite(s->start) || !isfinite(s->stop) || !(s->stop > s->start))
        return err_set(err, MIGDEV_E_RANGE, f, 0, 0,
                       "the stop time (%g) must be greater than the start time (%g)", s->stop,
                       s->start);
    if (!(s->dt > 0.0) || !isfinite(s->dt))
        return err_set(err, MIGDEV_E_RANGE, f, 0, 0, "dt must be positive, got %g", s->dt);
    if (!(s->save_every > 0.0) || !isfinite(s->save_every))
        return err_set(err, MIGDEV_E_RANGE, f, 0, 0, "save_every must be positive, got %g",
                       s->save_every);
    if ((int)s->method < 0 || s->method >= MIGDEV_METHOD_COUNT)
        return err_set(err, MIGDEV_E_RANGE, f, 0, 0, "unknown integration method %d",
                       (int)s->method);
    const double span = s->stop - s->start;
    const double steps = span / s->dt;
    if (steps > 2e9)
        return err_set(err, MIGDEV_E_RANGE, f, 0, 0,
                       "dt = %g is too small for the time span %g (over 2e9 steps)", s->dt, span);
    if (span / s->save_every > 1e8)
        return err_set(err, MIGDEV_E_RANGE, f, 0, 0,
                       "save_every = %g gives over 1e8 save times", s->save_every);
    if (migdev_method_is_adaptive(s->method)) {
        if (!(s->abs_tol > 0.0) || !(s->rel_tol >= 0.0))
            return err_set(err, MIGDEV_E_RANGE, f, 0, 0,
                           "tolerances must be positive (abs_tol = %g, rel_tol = %g)",
                           s->abs_tol, s->rel_tol);
        /* double precision carries about 16 digits: a tighter relative
           tolerance can never be met, and a stiff solver then crawls forever */
        if (s->rel_tol > 0.0 && s->rel_tol < 1e-14)
            return err_set(err, MIGDEV_E_RANGE, f, 0, 0,
                           "rel_tol = %g is below what double precision can reach (use 1e-14 "
                           "or more)",
                           s->rel_tol);
        *n_steps = 0;
        *ratio = 0;
        return 0;
    }
    const double rs = nearbyint(steps);
    if (fabs(steps - rs) > 1e-6 * (rs > 1.0 ? rs : 1.0))
        return err_set(err, MIGDEV_E_RANGE, f, 0, 0,
                       "the time span %g (from %g to %g) is not a whole number of steps "
                       "dt = %g",
                       span, s->start, s->stop, s->dt);
    const double ratio_d = s->save_every / s->dt;
    const double rr = nearbyint(ratio_d);
    if (rr < 1.0 || fabs(ratio_d - rr) > 1e-6 * rr)
        return err_set(err, MIGDEV_E_RANGE, f, 0, 0,
                       "save_every = %g must be a whole multiple of dt = %g", s->save_every,
                       s->dt);
    *n_steps = (long)rs;
    /* a save interval longer than the span saves the start and the stop
       only, as any ratio above n_steps does; capped so that it fits a long */
    *ratio = rr > rs ? (long)rs + 1 : (long)rr;
    return 0;
}

int migdev_spec_check(const migdev_sim_spec *spec, migdev_error *err)
{
    migdev_sim_spec s = *spec;
    if (s.save_every == 0.0)
        s.save_every = s.dt;
    long n_steps, ratio;
    return check_spec(NULL, &s, &n_steps, &ratio, err);
}

static size_t plan_saves(const migdev_sim_spec *s, long n_steps, long ratio, double *times)
{
    size_t j = 0;
    if (n_steps > 0) {
        for (long k = 0; k <= n_steps; k += ratio) {
            if (times)
                times[j] = s->start + (double)k * s->dt;
            j++;
        }
        if (n_steps % ratio != 0) {
            if (times)
                times[j] = s->stop;
            j++;
        }
        return j;
    }
    const double span = s->stop - s->start;
    const long last = (long)floor(span / s->save_every + 1e-9);
    for (long k = 0; k <= last; k++) {
        if (times)
            times[j] = s->start + (double)k * s->save_every;
        j++;
    }
    if (s->start + (double)last * s->save_every < s->stop - 1e-9 * (fabs(s->stop) + 1.0)) {
        if (times)
            times[j] = s->stop;
        j++;
    }
    if (times)
        times[j - 1] = (j > 1 && fabs(times[j - 1] - s->stop) < 1e-9 * (fabs(s->stop) + 1.0))
                           ? s->stop
                           : times[j - 1];
    return j;
}

static int gsl_rhs(double t, const double y[], double dydt[], void *params)
{
    return run_eval(params, t, y, dydt) == 0 ? GSL_SUCCESS : GSL_EBADFUNC;
}

/* Jacobian by forward differences, for the implicit steppers. */
static int gsl_jac(double t, const double y[], double *dfdy, double dfdt[], void *params)
{
    migdev_run *r = params;
    const int n = r->m->n_stocks;
    if (run_eval(r, t, y, r->jac_f0) != 0)
        return GSL_EBADFUNC;
    memcpy(r->jac_y, y, (size_t)n * sizeof *y);
    for (int j = 0; j < n; j++) {
        const double h = 1.4901161193847656e-08 * (fabs(y[j]) > 1.0 ? fabs(y[j]) : 1.0);
        r->jac_y[j] = y[j] + h;
        if (run_eval(r, t, r->jac_y, r->jac_f1) != 0)
            return GSL_EBADFUNC;
        const double dh = r->jac_y[j] - y[j]; /* the step actually taken */
        for (int i = 0; i < n; i++)
            dfdy[i * n + j] = (r->jac_f1[i] - r->jac_f0[i]) / dh;
        r->jac_y[j] = y[j];
    }
    const double ht = 1.4901161193847656e-08 * (fabs(t) > 1.0 ? fabs(t) : 1.0);
    if (run_eval(r, t + ht, y, r->jac_f1) != 0)
        return GSL_EBADFUNC;
    for (int i = 0; i < n; i++)
        dfdt[i] = (r->jac_f1[i] - r->jac_f0[i]) / ht;
    return GSL_SUCCESS;
}

double run_first_step(const migdev_sim_spec *s)
{
    return s->max_step > 0.0 && s->max_step < s->dt ? s->max_step : s->dt;
}

static const gsl_odeiv2_step_type *gsl_type(migdev_method method)
{
    switch (method) {
    case MIGDEV_RK2: return gsl_odeiv2_step_rk2;
    case MIGDEV_RKF45: return gsl_odeiv2_step_rkf45;
    case MIGDEV_RKCK: return gsl_odeiv2_step_rkck;
    case MIGDEV_RK8PD: return gsl_odeiv2_step_rk8pd;
    case MIGDEV_RK4IMP: return gsl_odeiv2_step_rk4imp;
    case MIGDEV_BSIMP: return gsl_odeiv2_step_bsimp;
    case MIGDEV_MSADAMS: return gsl_odeiv2_step_msadams;
    case MIGDEV_MSBDF: return gsl_odeiv2_step_msbdf;
    default: return NULL;
    }
}

migdev_run *migdev_run_new(const migdev_model *m, const migdev_sim_spec *spec, migdev_error *err)
{
    migdev_sim_spec s = spec ? *spec : migdev_model_default_spec(m);
    if (s.save_every == 0.0) /* 0 means: every step */
        s.save_every = s.dt;
    long n_steps = 0, ratio = 0;
    if (check_spec(m->file, &s, &n_steps, &ratio, err) != 0)
        return NULL;
    if (migdev_method_is_adaptive(s.method) && m->n_rand > 0) {
        err_set(err, MIGDEV_E_UNSUPPORTED, m->file, 0, 0,
                "the model draws random numbers once per time step, which needs a fixed-step "
                "method (euler or rk4), not %s",
                migdev_method_name(s.method));
        return NULL;
    }
    if (migdev_method_is_adaptive(s.method) && m->n_hist > 0) {
        const variable *o = &m->vars[m->vars[m->hist[0]].owner];
        err_set(err, MIGDEV_E_UNSUPPORTED, m->file, o->eq_line, o->eq_col,
                "'%s' uses delay_fixed() or previous(), which need a fixed-step method "
                "(euler or rk4), not %s",
                o->name, migdev_method_name(s.method));
        return NULL;
    }
    migdev_run *r = calloc(1, sizeof *r);
    if (!r) {
        err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
        return NULL;
    }
    r->m = m;
    r->spec = s;
    r->n_steps = n_steps;
    r->save_ratio = ratio;
    const size_t nv = (size_t)m->n_vars + 1, ns = (size_t)m->n_stocks + 1;
    /* the native engine scans v in blocks of four: zeros after the end */
    r->v = calloc(nv + 3, sizeof *r->v);
    r->y = calloc(ns, sizeof *r->y);
    r->dydt = calloc(ns, sizeof *r->dydt);
    r->k2 = calloc(ns, sizeof *r->k2);
    r->k3 = calloc(ns, sizeof *r->k3);
    r->k4 = calloc(ns, sizeof *r->k4);
    r->ytmp = calloc(ns, sizeof *r->ytmp);
    r->jac_y = calloc(ns, sizeof *r->jac_y);
    r->jac_f0 = calloc(ns, sizeof *r->jac_f0);
    r->jac_f1 = calloc(ns, sizeof *r->jac_f1);
    r->stack = calloc((size_t)m->max_stack + 1, sizeof *r->stack);
    r->dyn = malloc(((size_t)m->n_stocks + (size_t)m->n_step + 1) * sizeof *r->dyn);
    r->hist_off = calloc((size_t)m->n_hist + 1, sizeof *r->hist_off);
    r->hist_len = calloc((size_t)m->n_hist + 1, sizeof *r->hist_len);
    r->hist_pos = calloc((size_t)m->n_hist + 1, sizeof *r->hist_pos);
    r->rand.gen = calloc((size_t)m->n_rand + 1, sizeof *r->rand.gen);
    r->rand.value = calloc((size_t)m->n_rand + 1, sizeof *r->rand.value);
    r->rand.stamp = calloc((size_t)m->n_rand + 1, sizeof *r->rand.stamp);
    for (int k = 0; r->rand.gen && k < m->n_rand; k++)
        if (!(r->rand.gen[k] = gsl_rng_alloc(gsl_rng_mt19937)))
            goto nomem;
    r->col_of_var = malloc(nv * sizeof *r->col_of_var);
    r->n_saves = plan_saves(&s, n_steps, ratio, NULL);
    r->times = calloc(r->n_saves, sizeof *r->times);
    if (!r->v || !r->y || !r->dydt || !r->k2 || !r->k3 || !r->k4 || !r->ytmp || !r->jac_y ||
        !r->jac_f0 || !r->jac_f1 || !r->stack || !r->col_of_var || !r->times || !r->hist_off ||
        !r->hist_len || !r->hist_pos || !r->rand.gen || !r->rand.value || !r->rand.stamp ||
        !r->dyn)
        goto nomem;
    /* constants, static and init() values are checked once, at the start;
       of what a step sets, the values no later one carries (watch.c) */
    r->n_dyn = watch_list(m, r->dyn);
    if (r->n_dyn < 0)
        goto nomem;
    plan_saves(&s, n_steps, ratio, r->times);
    for (int i = 0; i < m->n_vars; i++)
        r->v[i] = m->vars[i].kind == VK_CONST ? m->vars[i].value : 0.0;
    vm_env_init(&r->env, m, &s, r->v);
    r->env.rand = &r->rand;
    r->native = m->native;
    vm_native_ctx_init(&r->nctx, &r->env);
    if (migdev_method_is_adaptive(s.method) && m->n_stocks > 0) {
        r->sys.function = gsl_rhs;
        r->sys.jacobian = gsl_jac;
        r->sys.dimension = (size_t)m->n_stocks;
        r->sys.params = r;
        r->drv = gsl_odeiv2_driver_alloc_y_new(&r->sys, gsl_type(s.method), run_first_step(&s),
                                               s.abs_tol, s.rel_tol);
        if (!r->drv)
            goto nomem;
        if (s.max_step > 0.0)
            gsl_odeiv2_driver_set_hmax(r->drv, s.max_step);
        /* a step budget per save interval, so that tolerances the solver
           cannot meet end in a failure (status 3) instead of a hang */
        gsl_odeiv2_driver_set_nmax(r->drv, RUN_MAX_STEPS_PER_SAVE);
    }
    /* record every visible variable by default */
    int *all = malloc((size_t)(m->n_visible + 1) * sizeof *all);
    if (!all)
        goto nomem;
    for (int i = 0; i < m->n_visible; i++)
        all[i] = i;
    const int rc = migdev_run_record(r, all, m->n_visible, err);
    free(all);
    if (rc != 0) {
        migdev_run_free(r);
        return NULL;
    }
    return r;
nomem:
    migdev_run_free(r);
    err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
    return NULL;
}

void migdev_run_free(migdev_run *r)
{
    if (!r)
        return;
    if (r->drv)
        gsl_odeiv2_driver_free(r->drv);
    free(r->v), free(r->y), free(r->dydt), free(r->k2), free(r->k3), free(r->k4);
    free(r->ytmp), free(r->jac_y), free(r->jac_f0), free(r->jac_f1), free(r->stack);
    free(r->dyn);
    free(r->col_of_var), free(r->times), free(r->slab), free(r->rec);
    free(r->hist), free(r->hist_off), free(r->hist_len), free(r->hist_pos);
    for (int k = 0; r->rand.gen && k < r->m->n_rand; k++)
        if (r->rand.gen[k])
            gsl_rng_free(r->rand.gen[k]);
    free(r->rand.gen), free(r->rand.value), free(r->rand.stamp);
    free(r);
}

int migdev_run_set_constant(migdev_run *r, int var, double value, migdev_error *err)
{
    const migdev_model *m = r->m;
    if (var < 0 || var >= m->n_visible)
        return err_set(err, MIGDEV_E_USAGE, m->file, 0, 0, "variable index %d out of range", var);
    if (m->vars[var].kind != VK_CONST)
        return err_set(err, MIGDEV_E_TYPE, m->file, m->vars[var].line, m->vars[var].col,
                       "'%s' is not a constant: only constants can be set", m->vars[var].name);
    r->v[var] = value;
    r->cur.changed = 1;
    return 0;
}

double migdev_run_constant(const migdev_run *r, int var)
{
    if (var < 0 || var >= r->m->n_visible || r->m->vars[var].kind != VK_CONST)
        return NAN;
    return r->v[var];
}

void migdev_run_set_seed(migdev_run *r, unsigned long seed) { r->spec.seed = seed; }

void migdev_run_reset_constants(migdev_run *r)
{
    for (int i = 0; i < r->m->n_vars; i++)
        if (r->m->vars[i].kind == VK_CONST)
            r->v[i] = r->m->vars[i].value;
    r->cur.changed = 1;
}

/* Set the recorded variables; any index below limit is allowed. */
static int record(migdev_run *r, const int *vars, int n, int limit, migdev_error *err)
{
    const migdev_model *m = r->m;
    for (int i = 0; i < n; i++)
        if (vars[i] < 0 || vars[i] >= limit)
            return err_set(err, MIGDEV_E_USAGE, m->file, 0, 0, "variable index %d out of range",
                           vars[i]);
    int *rec = malloc((size_t)(n + 1) * sizeof *rec);
    double *slab = malloc(((size_t)n * r->n_saves + 1) * sizeof *slab);
    if (!rec || !slab) {
        free(rec);
        free(slab);
        return err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
    }
    if (n)
        memcpy(rec, vars, (size_t)n * sizeof *vars);
    free(r->rec);
    free(r->slab);
    r->rec = rec;
    r->slab = slab;
    r->n_rec = n;
    r->n_saved = 0;
    for (int i = 0; i < m->n_vars; i++)
        r->col_of_var[i] = -1;
    for (int c = 0; c < n; c++)
        if (r->col_of_var[rec[c]] < 0)
            r->col_of_var[rec[c]] = c;
    return 0;
}

int migdev_run_record(migdev_run *r, const int *vars, int n, migdev_error *err)
{
    return record(r, vars, n, r->m->n_visible, err);
}

int run_record_all(migdev_run *r, migdev_error *err)
{
    const migdev_model *m = r->m;
    int *all = malloc((size_t)(m->n_vars + 1) * sizeof *all);
    if (!all)
        return err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
    for (int i = 0; i < m->n_vars; i++)
        all[i] = i;
    const int rc = record(r, all, m->n_vars, m->n_vars, err);
    free(all);
    return rc;
}

const double *run_series_any(const migdev_run *r, int var)
{
    if (var < 0 || var >= r->m->n_vars || r->col_of_var[var] < 0)
        return NULL;
    return r->slab + (size_t)r->col_of_var[var] * r->n_saves;
}

static int find_nonfinite(migdev_run *r, const int *order, int n, double t)
{
    const migdev_model *m = r->m;
    for (int s = 0; s < m->n_stocks; s++)
        if (!isfinite(r->v[m->stocks[s]])) {
            r->bad_var = m->stocks[s];
            r->bad_time = t;
            return MIGDEV_E_NONFINITE;
        }
    for (int k = 0; k < n; k++)
        if (!isfinite(r->v[order[k]])) {
            r->bad_var = order[k];
            r->bad_time = t;
            return MIGDEV_E_NONFINITE;
        }
    for (int i = 0; i < m->n_vars; i++)
        if (!isfinite(r->v[i])) {
            r->bad_var = i;
            r->bad_time = t;
            return MIGDEV_E_NONFINITE;
        }
    return 0;
}

void run_find_nonfinite(migdev_run *r, double t)
{
    (void)find_nonfinite(r, r->m->step_order, r->m->n_step, t);
}

int run_eval(migdev_run *r, double t, const double *y, double *dydt)
{
    const migdev_model *m = r->m;
    double *const v = r->v;
    r->env.time = t;
    if (r->native) { /* the same work, compiled (native_gen.c) */
        r->nctx.time = t;
        if (r->native->entry->step(v, y, dydt, &r->nctx) != 0)
            return find_nonfinite(r, m->step_order, m->n_step, t);
        return 0;
    }
    for (int s = 0; s < m->n_stocks; s++)
        v[m->stocks[s]] = y[s];
    vm_run(m->step_code, &r->env, r->stack);
    for (int s = 0; s < m->n_stocks; s++) {
        double d = 0.0;
        for (int k = m->flow_off[s]; k < m->flow_off[s + 1]; k++)
            d += m->flow_sign[k] * v[m->flow_var[k]];
        dydt[s] = d;
    }
    /* only what the step changed (run_initialize checked the rest): a value
       is not finite when its exponent bits are all set, so that adding one
       to them carries into bit 63 (integer work, no floating-point chain) */
    uint64_t bad = 0;
    const int *const dyn = r->dyn;
    for (int k = 0; k < r->n_dyn; k++) {
        uint64_t u;
        memcpy(&u, &v[dyn[k]], sizeof u);
        bad |= (u & UINT64_C(0x7ff0000000000000)) + UINT64_C(0x0010000000000000);
    }
    if (bad >> 63)
        return find_nonfinite(r, m->step_order, m->n_step, t);
    return 0;
}

int run_initialize(migdev_run *r)
{
    const migdev_model *m = r->m;
    r->env.time = r->spec.start;
    for (int k = 0; k < m->n_init; k++) {
        const variable *v = &m->vars[m->init_order[k]];
        if (v->code >= 0)
            vm_run(m->code + v->code, &r->env, r->stack);
    }
    for (int s = 0; s < m->n_stocks; s++)
        r->y[s] = r->v[m->stocks[s]];
    double acc = 0.0;
    for (int i = 0; i < m->n_vars; i++)
        acc += r->v[i] * 0.0;
    if (acc != 0.0 || acc != acc)
        return find_nonfinite(r, m->init_order, m->n_init, r->spec.start);
    return 0;
}

void run_record(migdev_run *r, size_t j, double t)
{
    r->times[j] = t;
    const size_t n = r->n_saves;
    for (int c = 0; c < r->n_rec; c++)
        r->slab[(size_t)c * n + j] = r->v[r->rec[c]];
    r->n_saved = j + 1;
}

int run_report_nonfinite(const migdev_run *r, migdev_error *err)
{
    const migdev_model *m = r->m;
    const variable *v = &m->vars[r->bad_var];
    const variable *shown = v->is_hidden ? &m->vars[v->owner] : v;
    const double x = r->v[r->bad_var];
    const char *what = isnan(x) ? "is not a number (NaN)" : (x > 0 ? "became +infinity" : "became -infinity");
    if (v->data >= 0 && m->data[v->data].outside_error) {
        const data_binding *d = &m->data[v->data];
        const lookup_tbl *t = &m->lookups[d->table];
        return err_set(err, MIGDEV_E_NONFINITE, d->file, d->line, d->col,
                       "at t=%.10g: '%s' has no data at this time: column '%s' of '%s' covers "
                       "%.10g to %.10g (outside = \"error\"; write outside = \"hold\" to "
                       "keep the end values)",
                       r->bad_time, v->name, d->value_col, d->path, t->x[0], t->x[t->n - 1]);
    }
    const int line = shown->eq_line ? shown->eq_line : shown->line;
    const int col = shown->eq_line ? shown->eq_col : shown->col;
    if (v->is_hidden)
        return err_set(err, MIGDEV_E_NONFINITE, m->file, line, col,
                       "at t=%.10g: the %s inside '%s' %s", r->bad_time,
                       v->kind == VK_STOCK ? "stock of a smooth/delay" : "input of a smooth/delay/init",
                       shown->name, what);
    return err_set(err, MIGDEV_E_NONFINITE, m->file, line, col, "at t=%.10g: '%s' %s",
                   r->bad_time, shown->name, what);
}

/* Size and fill the rings of the delayed values from their delay times
** and initial values (after run_initialize). */
static int hist_start(migdev_run *r, migdev_error *err)
{
    const migdev_model *m = r->m;
    size_t total = 0;
    for (int k = 0; k < m->n_hist; k++) {
        const variable *h = &m->vars[m->hist[k]];
        long n = 1;
        if (h->hist_time >= 0) {
            const variable *o = &m->vars[h->owner];
            const double d = r->v[h->hist_time], steps = d / r->spec.dt;
            const double ns = nearbyint(steps);
            if (!(ns >= 1.0) || ns > 1e9)
                return err_set(err, MIGDEV_E_RANGE, m->file, o->eq_line, o->eq_col,
                               "the delay time of delay_fixed() in '%s' is %g: it must be at "
                               "least one time step (dt = %g)",
                               o->name, d, r->spec.dt);
            if (fabs(steps - ns) > 1e-9 * ns)
                return err_set(err, MIGDEV_E_RANGE, m->file, o->eq_line, o->eq_col,
                               "the delay time of delay_fixed() in '%s' is %g: it must be a "
                               "whole number of time steps (dt = %g)",
                               o->name, d, r->spec.dt);
            n = (long)ns;
        }
        r->hist_off[k] = total;
        r->hist_len[k] = n;
        r->hist_pos[k] = 0;
        total += (size_t)n;
    }
    if (total > r->hist_cap) {
        double *nh = realloc(r->hist, total * sizeof *nh);
        if (!nh)
            return err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
        r->hist = nh;
        r->hist_cap = total;
    }
    for (int k = 0; k < m->n_hist; k++)
        for (long j = 0; j < r->hist_len[k]; j++)
            r->hist[r->hist_off[k] + (size_t)j] = r->v[m->hist[k]];
    return 0;
}

void hist_sample(migdev_run *r)
{
    const migdev_model *m = r->m;
    for (int k = 0; k < m->n_hist; k++) {
        r->hist[r->hist_off[k] + (size_t)r->hist_pos[k]] = r->v[m->vars[m->hist[k]].hist_in];
        if (++r->hist_pos[k] == r->hist_len[k])
            r->hist_pos[k] = 0;
    }
}

void hist_advance(migdev_run *r)
{
    const migdev_model *m = r->m;
    for (int k = 0; k < m->n_hist; k++)
        r->v[m->hist[k]] = r->hist[r->hist_off[k] + (size_t)r->hist_pos[k]];
}

/* The seed of random call site k: its own seed argument, else one derived
** from the run's seed (splitmix64), so that sites draw independent streams. */
static unsigned long site_seed(const migdev_model *m, unsigned long seed, int k)
{
    if (m->rand_seed[k] >= 0.0)
        return (unsigned long)m->rand_seed[k];
    uint64_t z = (uint64_t)seed + (uint64_t)(k + 1) * UINT64_C(0x9E3779B97F4A7C15);
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    z ^= z >> 31;
    return (unsigned long)(z & 0xffffffffu);
}

int run_begin(migdev_run *r, migdev_error *err)
{
    r->n_saved = 0;
    r->bad_var = -1;
    r->env.step = 0;
    for (int k = 0; k < r->m->n_rand; k++) { /* the same seed gives the same run */
        gsl_rng_set(r->rand.gen[k], site_seed(r->m, r->spec.seed, k));
        r->rand.stamp[k] = -1;
    }
    if (run_initialize(r) != 0)
        return run_report_nonfinite(r, err);
    return hist_start(r, err);
}

int migdev_run_execute(migdev_run *r, migdev_error *err)
{
    r->cur.active = 0; /* an execution ends any step-by-step one */
    const int rc = run_begin(r, err);
    if (rc)
        return rc;
    return integrate(r, err);
}

const migdev_model *migdev_run_model(const migdev_run *r) { return r->m; }
const migdev_sim_spec *migdev_run_spec(const migdev_run *r) { return &r->spec; }
size_t migdev_run_n_saves(const migdev_run *r) { return r->n_saved; }
const double *migdev_run_times(const migdev_run *r) { return r->times; }

const double *migdev_run_series(const migdev_run *r, int var)
{
    if (var < 0 || var >= r->m->n_visible || r->col_of_var[var] < 0)
        return NULL;
    return r->slab + (size_t)r->col_of_var[var] * r->n_saves;
}
