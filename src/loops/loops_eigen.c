/*
** loops_eigen.c - the stability of the stocks at a point in time
** (migdev_stability_at in loops.h).
**
** Simulate to time t, take the Jacobian of the stocks' derivatives by
** central differences on the model's right-hand side (2n evaluations), its
** eigenvalues with GSL (gsl_eigen_nonsymm), then look for an equilibrium of
** the stocks from the state at t with GSL's hybrid multiroot solver, time
** frozen at t, and take the eigenvalues there too. A stable equilibrium
** (every real part negative) near the state is a trap the model settles in.
*/
#include "loops_int.h"

#include "error_int.h"
#include "run_int.h"

#include <float.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_multiroots.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct migdev_stability {
    migdev_stability_info info;
    int *ibuf;
    double *buf;
};

/* Jacobian of the rates at (t, y) into J (n*n); yw and fp, fm are scratch. */
static int jacobian(migdev_run *r, double t, const double *y, double *J, double *yw, double *fp,
                    double *fm)
{
    const int n = r->m->n_stocks;
    const double h0 = cbrt(DBL_EPSILON);
    memcpy(yw, y, (size_t)n * sizeof *y);
    for (int j = 0; j < n; j++) {
        const double h = h0 * (fabs(y[j]) > 1.0 ? fabs(y[j]) : 1.0);
        yw[j] = y[j] + h;
        const double up = yw[j];
        if (run_eval(r, t, yw, fp) != 0)
            return MIGDEV_E_NONFINITE;
        yw[j] = y[j] - h;
        const double down = yw[j];
        if (run_eval(r, t, yw, fm) != 0)
            return MIGDEV_E_NONFINITE;
        yw[j] = y[j];
        for (int i = 0; i < n; i++)
            J[i * n + j] = (fp[i] - fm[i]) / (up - down);
    }
    return 0;
}

/* Eigenvalues of the n*n matrix J, largest real part first. */
static int eigenvalues(const double *J, int n, double *re, double *im)
{
    gsl_matrix *A = gsl_matrix_alloc((size_t)n, (size_t)n);
    gsl_vector_complex *ev = gsl_vector_complex_alloc((size_t)n);
    gsl_eigen_nonsymm_workspace *w = gsl_eigen_nonsymm_alloc((size_t)n);
    int rc = MIGDEV_E_NOMEM;
    if (!A || !ev || !w)
        goto done;
    memcpy(A->data, J, (size_t)n * (size_t)n * sizeof *J); /* row-major, tda = n */
    if (gsl_eigen_nonsymm(A, ev, w) != GSL_SUCCESS) {
        rc = MIGDEV_E_INTEGRATOR; /* the QR iteration did not converge */
        goto done;
    }
    for (int i = 0; i < n; i++) {
        const gsl_complex z = gsl_vector_complex_get(ev, (size_t)i);
        re[i] = GSL_REAL(z);
        im[i] = GSL_IMAG(z);
    }
    for (int i = 1; i < n; i++) { /* insertion sort: real part desc, then imag desc */
        const double xr = re[i], xi = im[i];
        int j = i;
        while (j > 0 && (re[j - 1] < xr || (re[j - 1] == xr && im[j - 1] < xi))) {
            re[j] = re[j - 1];
            im[j] = im[j - 1];
            j--;
        }
        re[j] = xr;
        im[j] = xi;
    }
    rc = 0;
done:
    gsl_matrix_free(A);
    gsl_vector_complex_free(ev);
    if (w)
        gsl_eigen_nonsymm_free(w);
    return rc;
}

typedef struct root_ctx {
    migdev_run *r;
    double t;
} root_ctx;

static int rates(const gsl_vector *x, void *params, gsl_vector *f)
{
    root_ctx *c = params;
    return run_eval(c->r, c->t, x->data, f->data) == 0 ? GSL_SUCCESS : GSL_EBADFUNC;
}

/* Look for a root of the rates from y; 1 found (eq, residual), 0 not. */
static int equilibrium(migdev_run *r, double t, const double *y, double scale, double *eq,
                       double *residual)
{
    const size_t n = (size_t)r->m->n_stocks;
    root_ctx c = {r, t};
    gsl_multiroot_function F = {rates, n, &c};
    gsl_multiroot_fsolver *s = gsl_multiroot_fsolver_alloc(gsl_multiroot_fsolver_hybrids, n);
    gsl_vector *x = gsl_vector_alloc(n);
    int found = 0;
    if (!s || !x)
        goto done;
    memcpy(x->data, y, n * sizeof *y);
    if (gsl_multiroot_fsolver_set(s, &F, x) != GSL_SUCCESS)
        goto done;
    const double tol = 1e-10 * (scale > 1.0 ? scale : 1.0);
    for (int it = 0; it < 1000; it++) {
        if (gsl_multiroot_test_residual(s->f, tol) == GSL_SUCCESS) {
            found = 1;
            break;
        }
        if (gsl_multiroot_fsolver_iterate(s) != GSL_SUCCESS)
            break;
    }
    if (!found && gsl_multiroot_test_residual(s->f, tol) == GSL_SUCCESS)
        found = 1;
    if (found) {
        memcpy(eq, s->x->data, n * sizeof *eq);
        double mx = 0.0;
        for (size_t i = 0; i < n; i++)
            if (fabs(s->f->data[i]) > mx)
                mx = fabs(s->f->data[i]);
        *residual = mx;
        for (size_t i = 0; i < n; i++)
            if (!isfinite(eq[i]))
                found = 0;
    }
done:
    if (s)
        gsl_multiroot_fsolver_free(s);
    gsl_vector_free(x);
    return found;
}

migdev_stability *migdev_stability_at(const migdev_run *r0, double t, migdev_error *err)
{
    const migdev_model *m = migdev_run_model(r0);
    migdev_sim_spec spec = *migdev_run_spec(r0);
    if (!(t >= spec.start && t <= spec.stop))
        return err_set(err, MIGDEV_E_RANGE, m->file, 0, 0,
                       "time %g is outside the run (from %g to %g)", t, spec.start, spec.stop),
               NULL;
    if (m->n_stocks == 0)
        return err_set(err, MIGDEV_E_TYPE, m->file, 0, 0,
                       "the model has no stocks, so no state to linearise"),
               NULL;
    const int fixed = !migdev_method_is_adaptive(spec.method);
    if (t > spec.start) {
        if (fixed) {
            const double k = (t - spec.start) / spec.dt;
            if (fabs(k - nearbyint(k)) > 1e-6 * (k > 1.0 ? k : 1.0))
                return err_set(err, MIGDEV_E_RANGE, m->file, 0, 0,
                               "time %g is not on the %s step grid (start %g + a whole number "
                               "of dt = %g)",
                               t, migdev_method_name(spec.method), spec.start, spec.dt),
                       NULL;
        }
        spec.stop = t;
        spec.save_every = fixed ? spec.dt : t - spec.start;
    } else {
        spec.stop = spec.start + spec.dt; /* only initialised, never run */
        spec.save_every = spec.dt;
    }
    migdev_run *r = migdev_run_new(m, &spec, err);
    if (!r)
        return NULL;
    migdev_stability *st = NULL;
    int rc = 0;
    for (int i = 0; i < m->n_visible && !rc; i++)
        if (m->vars[i].kind == VK_CONST)
            rc = migdev_run_set_constant(r, i, migdev_run_constant(r0, i), err);
    if (!rc)
        rc = migdev_run_record(r, NULL, 0, err);
    if (!rc) {
        if (t > spec.start)
            rc = migdev_run_execute(r, err);
        else if (run_initialize(r) != 0)
            rc = run_report_nonfinite(r, err);
    }
    if (rc)
        goto fail;
    const int n = m->n_stocks;
    const size_t nn = (size_t)n;
    st = calloc(1, sizeof *st);
    if (!st)
        goto oom;
    st->ibuf = malloc(2 * nn * sizeof *st->ibuf);
    st->buf = malloc((10 * nn + 2 * nn * nn) * sizeof *st->buf);
    if (!st->ibuf || !st->buf)
        goto oom;
    migdev_stability_info *in = &st->info;
    int *var = st->ibuf, *hid = st->ibuf + n;
    double *state = st->buf, *rate = state + n, *re = rate + n, *im = re + n;
    double *eq = im + n, *ere = eq + n, *eim = ere + n, *yw = eim + n, *fp = yw + n, *fm = fp + n;
    double *J = fm + n, *Jeq = J + nn * nn;
    for (int s = 0; s < n; s++) {
        const int v = m->stocks[s];
        hid[s] = m->vars[v].is_hidden;
        var[s] = hid[s] ? m->vars[v].owner : v;
    }
    memcpy(state, r->y, nn * sizeof *state);
    if (run_eval(r, t, state, rate) != 0 || jacobian(r, t, state, J, yw, fp, fm) != 0) {
        rc = run_report_nonfinite(r, err);
        goto fail;
    }
    if (eigenvalues(J, n, re, im) != 0) {
        err_set(err, MIGDEV_E_INTEGRATOR, m->file, 0, 0,
                "at t=%g: the eigenvalue computation did not converge", t);
        goto fail;
    }
    *in = (migdev_stability_info){t, n, var, hid, state, rate, J, re, im, 0, NULL, NULL, NULL, 0.0, 0.0};
    double scale = 0.0, ymax = 0.0;
    for (int i = 0; i < n; i++) {
        if (fabs(rate[i]) > scale)
            scale = fabs(rate[i]);
        if (fabs(state[i]) > ymax)
            ymax = fabs(state[i]);
    }
    double residual = 0.0;
    if (equilibrium(r, t, state, scale, eq, &residual) &&
        jacobian(r, t, eq, Jeq, yw, fp, fm) == 0 && eigenvalues(Jeq, n, ere, eim) == 0) {
        in->has_equilibrium = 1;
        in->equilibrium = eq;
        in->eq_eig_re = ere;
        in->eq_eig_im = eim;
        in->eq_residual = residual;
        double d = 0.0;
        for (int i = 0; i < n; i++)
            if (fabs(eq[i] - state[i]) > d)
                d = fabs(eq[i] - state[i]);
        in->eq_distance = d / (ymax > 1.0 ? ymax : 1.0);
    }
    migdev_run_free(r);
    return st;
oom:
    err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
fail:
    migdev_stability_free(st);
    migdev_run_free(r);
    return NULL;
}

void migdev_stability_free(migdev_stability *s)
{
    if (!s)
        return;
    free(s->ibuf);
    free(s->buf);
    free(s);
}

void migdev_stability_get(const migdev_stability *s, migdev_stability_info *out)
{
    *out = s->info;
}
