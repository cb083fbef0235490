/*
** integrate.c - advance a run from start to stop.
**
** euler and rk4 are the fixed-step schemes of system-dynamics tools: the
** flows recorded at time t are those computed from the stocks at t, and
** stocks advance by dt. The other methods hand the right-hand side to a GSL
** odeiv2 driver, which lands exactly on each save time. Nothing here
** allocates.
*/
#include "run_int.h"

#include "error_int.h"

#include <stdint.h>
#include <string.h>



static int fail(migdev_run *r, migdev_error *err)
{
    return run_report_nonfinite(r, err);
}

/* Save steps come every save_ratio steps, and at the last: a countdown
** instead of a division per step. */
typedef struct save_clock {
    long left; /* steps until the next save */
} save_clock;

static int is_save_step(const migdev_run *r, save_clock *c, long k)
{
    if (--c->left == 0) { /* starts at 1: the first step saves */
        c->left = r->save_ratio;
        return 1;
    }
    return k == r->n_steps;
}

/* loop->save: record the run's current values as the next save. */
static void save_next(void *run, double t)
{
    migdev_run *r = run;
    run_record(r, r->n_saved, t);
}

/* Euler in the generated code (native_abi.h): the stocks live in v during
** the loop, and y gets them back at the end. */
static int run_euler_native(migdev_run *r, native_euler_fn euler, migdev_error *err)
{
    const migdev_model *m = r->m;
    for (int s = 0; s < m->n_stocks; s++)
        r->v[m->stocks[s]] = r->y[s];
    native_loop loop = {r->spec.start, r->spec.dt, r->spec.stop, r->n_steps, r->save_ratio,
                        r, save_next, 0.0};
    const int rc = euler(r->v, &r->nctx, &loop);
    for (int s = 0; s < m->n_stocks; s++)
        r->y[s] = r->v[m->stocks[s]];
    if (rc != 0) {
        r->env.time = loop.failed_at;
        run_find_nonfinite(r, loop.failed_at);
        return fail(r, err);
    }
    return 0;
}

/* Whether the stocks can live in v during an Euler loop: no flow is itself
** a stock (the update reads flows while it writes stocks). */
static int stocks_in_v(const migdev_model *m)
{
    for (int k = 0; k < m->flow_off[m->n_stocks]; k++)
        if (m->stock_of_var[m->flow_var[k]] >= 0)
            return 0;
    return 1;
}

/* Euler on the VM with the stocks kept in v, as the generated code does it:
** no copy of the stocks into v and of the flows out of it at every step.
** The same operations as run_eval() + run_euler() below: the derivative is
** 0.0 plus or minus each flow in the flow table's order (d + -1.0 * x is
** d - x exactly), then stock + dt * derivative. */
static int run_euler_vm(migdev_run *r, migdev_error *err)
{
    const migdev_model *m = r->m;
    const int n = m->n_stocks, n_dyn = r->n_dyn;
    const double dt = r->spec.dt, t0 = r->spec.start;
    double *const v = r->v;
    const int *const stocks = m->stocks, *const off = m->flow_off, *const fv = m->flow_var;
    const signed char *const sign = m->flow_sign;
    const int *const dyn = r->dyn;
    const int32_t *const code = m->step_code;
    const int has_hist = m->n_hist > 0;
    save_clock clk = {1};
    size_t j = 0;
    int rc = 0;
    for (int s = 0; s < n; s++)
        v[stocks[s]] = r->y[s];
    for (long k = 0;; k++) {
        const double t = k == r->n_steps ? r->spec.stop : t0 + (double)k * dt;
        r->env.time = t;
        r->env.step = k;
        vm_run(code, &r->env, r->stack);
        uint64_t bad = 0; /* as run_eval() */
        for (int i = 0; i < n_dyn; i++) {
            uint64_t u;
            memcpy(&u, &v[dyn[i]], sizeof u);
            bad |= (u & UINT64_C(0x7ff0000000000000)) + UINT64_C(0x0010000000000000);
        }
        if (bad >> 63) {
            run_find_nonfinite(r, t);
            rc = fail(r, err);
            break;
        }
        if (is_save_step(r, &clk, k))
            run_record(r, j++, t);
        if (k == r->n_steps)
            break;
        if (has_hist)
            hist_sample(r);
        for (int s = 0; s < n; s++) {
            double d = 0.0;
            for (int q = off[s]; q < off[s + 1]; q++)
                d = sign[q] > 0 ? d + v[fv[q]] : d - v[fv[q]];
            v[stocks[s]] += dt * d;
        }
        if (has_hist)
            hist_advance(r);
    }
    for (int s = 0; s < n; s++)
        r->y[s] = v[stocks[s]];
    return rc;
}

static int run_euler(migdev_run *r, migdev_error *err)
{
    if (r->native && r->native->entry->euler)
        return run_euler_native(r, r->native->entry->euler, err);
    if (!r->native && stocks_in_v(r->m))
        return run_euler_vm(r, err);
    const int n = r->m->n_stocks;
    const double dt = r->spec.dt, t0 = r->spec.start;
    double *y = r->y, *f = r->dydt;
    const int has_hist = r->m->n_hist > 0;
    save_clock clk = {1};
    size_t j = 0;
    for (long k = 0;; k++) {
        const double t = k == r->n_steps ? r->spec.stop : t0 + (double)k * dt;
        r->env.step = k;
        if (run_eval(r, t, y, f) != 0)
            return fail(r, err);
        if (is_save_step(r, &clk, k))
            run_record(r, j++, t);
        if (k == r->n_steps)
            return 0;
        if (has_hist) /* delays: no calls in models without them */
            hist_sample(r);
        for (int s = 0; s < n; s++)
            y[s] += dt * f[s];
        if (has_hist)
            hist_advance(r);
    }
}

static int run_rk4(migdev_run *r, migdev_error *err)
{
    const int n = r->m->n_stocks;
    const double dt = r->spec.dt, t0 = r->spec.start, h2 = 0.5 * dt;
    double *y = r->y, *k1 = r->dydt, *k2 = r->k2, *k3 = r->k3, *k4 = r->k4, *yt = r->ytmp;
    const int has_hist = r->m->n_hist > 0;
    save_clock clk = {1};
    size_t j = 0;
    for (long k = 0;; k++) {
        const double t = k == r->n_steps ? r->spec.stop : t0 + (double)k * dt;
        r->env.step = k; /* random samples hold through the stages */
        if (run_eval(r, t, y, k1) != 0)
            return fail(r, err);
        if (is_save_step(r, &clk, k))
            run_record(r, j++, t);
        if (k == r->n_steps)
            return 0;
        if (has_hist) /* delayed values hold through the step's stages */
            hist_sample(r);
        for (int s = 0; s < n; s++)
            yt[s] = y[s] + h2 * k1[s];
        if (run_eval(r, t + h2, yt, k2) != 0)
            return fail(r, err);
        for (int s = 0; s < n; s++)
            yt[s] = y[s] + h2 * k2[s];
        if (run_eval(r, t + h2, yt, k3) != 0)
            return fail(r, err);
        for (int s = 0; s < n; s++)
            yt[s] = y[s] + dt * k3[s];
        if (run_eval(r, t + dt, yt, k4) != 0)
            return fail(r, err);
        for (int s = 0; s < n; s++)
            y[s] += dt / 6.0 * (k1[s] + 2.0 * k2[s] + 2.0 * k3[s] + k4[s]);
        if (has_hist)
            hist_advance(r);
    }
}

/* No stocks: nothing to integrate, evaluate at each save time. */
static int run_static(migdev_run *r, migdev_error *err)
{
    for (size_t j = 0; j < r->n_saves; j++) {
        const double t = r->times[j];
        if (run_eval(r, t, r->y, r->dydt) != 0)
            return fail(r, err);
        run_record(r, j, t);
    }
    return 0;
}

static int run_gsl(migdev_run *r, migdev_error *err)
{
    double t = r->spec.start;
    double *y = r->y;
    gsl_odeiv2_driver_reset_hstart(r->drv, run_first_step(&r->spec));
    if (run_eval(r, t, y, r->dydt) != 0)
        return fail(r, err);
    run_record(r, 0, t);
    for (size_t j = 1; j < r->n_saves; j++) {
        const double target = r->times[j];
        const int st = gsl_odeiv2_driver_apply(r->drv, &t, target, y);
        if (st == GSL_EBADFUNC)
            return fail(r, err);
        if (st != GSL_SUCCESS)
            return err_set(err, MIGDEV_E_INTEGRATOR, r->m->file, 0, 0,
                           "at t=%.10g: the %s solver failed before t=%.10g: %s (try %s)", t,
                           migdev_method_name(r->spec.method), target, gsl_strerror(st),
                           r->spec.method == MIGDEV_MSBDF || r->spec.method == MIGDEV_BSIMP
                               ? "a looser tolerance, or euler with a small dt"
                               : "a looser tolerance, a stiff method such as msbdf, or euler");
        t = target;
        if (run_eval(r, t, y, r->dydt) != 0)
            return fail(r, err);
        run_record(r, j, t);
    }
    return 0;
}

int integrate(migdev_run *r, migdev_error *err)
{
    if (r->m->n_stocks == 0 && r->m->n_hist == 0 && r->m->n_rand == 0)
        return run_static(r, err); /* delayed and random values need every step */
    switch (r->spec.method) {
    case MIGDEV_EULER: return run_euler(r, err);
    case MIGDEV_RK4: return run_rk4(r, err);
    default: return run_gsl(r, err);
    }
}
