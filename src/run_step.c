/*
** run_step.c - drive a run step by step (migdev_run_start, _advance, _time,
** _value; see run.h): for games and the live view, a constant may change
** between two calls, a policy change in the middle of a run.
**
** The fixed-step schemes take exactly the steps integrate.c takes, in the
** same order (evaluate at t, record, sample the delays, move the stocks,
** move the delays), so a run advanced piecewise to its stop time records
** the same numbers, to the bit, as migdev_run_execute(). The adaptive
** methods integrate to each save time in turn as integrate.c does, and to
** t_until when that is not a save time. Nothing here allocates.
*/
#include "error_int.h"
#include "run_int.h"

#include <math.h>

static int is_save_step(const migdev_run *r, long k)
{
    return k % r->save_ratio == 0 || k == r->n_steps;
}

/* No stocks, delays or random functions: nothing to integrate. */
static int is_static(const migdev_run *r)
{
    const migdev_model *m = r->m;
    return m->n_stocks == 0 && m->n_hist == 0 && m->n_rand == 0;
}

static int is_fixed(const migdev_run *r)
{
    return r->spec.method == MIGDEV_EULER || r->spec.method == MIGDEV_RK4;
}

/* Evaluate at the current time (and step), recording save row j when asked. */
static int eval_here(migdev_run *r, int record_row, size_t j, migdev_error *err)
{
    r->env.step = r->cur.k;
    if (run_eval(r, r->cur.t, r->y, r->dydt) != 0)
        return run_report_nonfinite(r, err);
    if (record_row)
        run_record(r, j, r->cur.t);
    return 0;
}

int migdev_run_start(migdev_run *r, migdev_error *err)
{
    r->cur.active = 0;
    const int rc = run_begin(r, err);
    if (rc)
        return rc;
    r->cur.k = 0;
    r->cur.t = r->spec.start;
    r->cur.changed = 0;
    if (!is_static(r) && !is_fixed(r))
        gsl_odeiv2_driver_reset_hstart(r->drv, run_first_step(&r->spec));
    const int erc = eval_here(r, 1, 0, err);
    if (erc)
        return erc;
    r->cur.active = 1;
    return 0;
}

/* One fixed step from step k to k + 1, then the evaluation there. */
static int step_fixed(migdev_run *r, migdev_error *err)
{
    const int n = r->m->n_stocks;
    const double dt = r->spec.dt;
    double *y = r->y, *k1 = r->dydt;
    hist_sample(r);
    if (r->spec.method == MIGDEV_EULER) {
        for (int s = 0; s < n; s++)
            y[s] += dt * k1[s];
    } else {
        const double t = r->cur.t, h2 = 0.5 * dt;
        double *k2 = r->k2, *k3 = r->k3, *k4 = r->k4, *yt = r->ytmp;
        for (int s = 0; s < n; s++)
            yt[s] = y[s] + h2 * k1[s];
        if (run_eval(r, t + h2, yt, k2) != 0)
            return run_report_nonfinite(r, err);
        for (int s = 0; s < n; s++)
            yt[s] = y[s] + h2 * k2[s];
        if (run_eval(r, t + h2, yt, k3) != 0)
            return run_report_nonfinite(r, err);
        for (int s = 0; s < n; s++)
            yt[s] = y[s] + dt * k3[s];
        if (run_eval(r, t + dt, yt, k4) != 0)
            return run_report_nonfinite(r, err);
        for (int s = 0; s < n; s++)
            y[s] += dt / 6.0 * (k1[s] + 2.0 * k2[s] + 2.0 * k3[s] + k4[s]);
    }
    hist_advance(r);
    const long k = ++r->cur.k;
    r->cur.t = k == r->n_steps ? r->spec.stop : r->spec.start + (double)k * dt;
    return eval_here(r, is_save_step(r, k), r->n_saved, err);
}

static int advance_fixed(migdev_run *r, double t_until, migdev_error *err)
{
    const double slack = 1e-9 * r->spec.dt; /* t_until given as start + k*dt in decimal */
    while (r->cur.k < r->n_steps) {
        const long k = r->cur.k + 1;
        const double next = k == r->n_steps ? r->spec.stop : r->spec.start + (double)k * r->spec.dt;
        if (next > t_until + slack)
            break;
        const int rc = step_fixed(r, err);
        if (rc)
            return rc;
    }
    return 0;
}

static int gsl_failed(migdev_run *r, int st, double target, migdev_error *err)
{
    if (st == GSL_EBADFUNC)
        return run_report_nonfinite(r, err);
    return err_set(err, MIGDEV_E_INTEGRATOR, r->m->file, 0, 0,
                   "at t=%.10g: the %s solver failed before t=%.10g: %s", r->cur.t,
                   migdev_method_name(r->spec.method), target, gsl_strerror(st));
}

static int advance_adaptive(migdev_run *r, double t_until, migdev_error *err)
{
    const int integrate_on = !is_static(r);
    while (r->n_saved < r->n_saves && r->times[r->n_saved] <= t_until) {
        const double target = r->times[r->n_saved];
        if (integrate_on) {
            const int st = gsl_odeiv2_driver_apply(r->drv, &r->cur.t, target, r->y);
            if (st != GSL_SUCCESS)
                return gsl_failed(r, st, target, err);
        }
        r->cur.t = target;
        const int rc = eval_here(r, 1, r->n_saved, err);
        if (rc)
            return rc;
    }
    if (r->cur.t < t_until) { /* between two save times: the state there, not recorded */
        if (integrate_on) {
            const int st = gsl_odeiv2_driver_apply(r->drv, &r->cur.t, t_until, r->y);
            if (st != GSL_SUCCESS)
                return gsl_failed(r, st, t_until, err);
        }
        r->cur.t = t_until;
        return eval_here(r, 0, 0, err);
    }
    return 0;
}

int migdev_run_advance(migdev_run *r, double t_until, migdev_error *err)
{
    if (!r->cur.active) {
        const int rc = migdev_run_start(r, err);
        if (rc)
            return rc;
    }
    if (isnan(t_until) || t_until < r->cur.t)
        return err_set(err, MIGDEV_E_RANGE, NULL, 0, 0,
                       "cannot advance to t=%.10g: the run is already at t=%.10g", t_until,
                       r->cur.t);
    if (t_until > r->spec.stop)
        t_until = r->spec.stop;
    if (r->cur.changed) {
        /* a constant changed here: the variables at the current time follow
           it (and so does its saved row), and the next step starts from them */
        r->cur.changed = 0;
        if (!is_static(r) && !is_fixed(r))
            gsl_odeiv2_driver_reset(r->drv);
        const size_t last = r->n_saved - 1;
        const int rc = eval_here(r, r->n_saved > 0 && r->times[last] == r->cur.t, last, err);
        if (rc)
            return rc;
    }
    if (is_fixed(r) && !is_static(r))
        return advance_fixed(r, t_until, err);
    return advance_adaptive(r, t_until, err);
}

double migdev_run_time(const migdev_run *r)
{
    return r->cur.active ? r->cur.t : NAN;
}

int migdev_run_is_finished(const migdev_run *r)
{
    return r->cur.active && r->cur.t >= r->spec.stop;
}

double migdev_run_value(const migdev_run *r, int var)
{
    if (var < 0 || var >= r->m->n_visible)
        return NAN;
    if (r->m->vars[var].kind == VK_CONST)
        return r->v[var];
    return r->cur.active ? r->v[var] : NAN;
}
