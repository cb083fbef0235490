/*
** sweep_dist.c - the value of a swept parameter at a uniform coordinate.
**
** Every design draws a point u in (0,1)^d and maps coordinate k through
** parameter k's quantile function (inverse CDF, GSL's gsl_cdf_*_Pinv), so
** Latin hypercube strata and Sobol' points keep their structure in the
** parameter's own distribution. Truncation to [lo, hi] rescales u to the
** CDF interval [F(lo), F(hi)]; when that interval lies in the upper tail the
** complementary CDF is used instead, so that a bound far from the mean keeps
** its precision.
*/
#include "sweep_int.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>

/* Standardized bounds of a normal or lognormal parameter. */
static void z_bounds(const sweep_param *p, double *zl, double *zh)
{
    *zl = -INFINITY;
    *zh = INFINITY;
    if (p->kind == PK_NORMAL) {
        if (p->has_lo)
            *zl = (p->lo - p->a) / p->b;
        if (p->has_hi)
            *zh = (p->hi - p->a) / p->b;
    } else {
        if (p->has_lo && p->lo > 0.0)
            *zl = (log(p->lo) - p->a) / p->b;
        if (p->has_hi)
            *zh = p->hi > 0.0 ? (log(p->hi) - p->a) / p->b : -INFINITY;
    }
}

int dist_prepare(sweep_param *p, char *msg, size_t n)
{
    p->use_upper = 0;
    p->p_lo = 0.0;
    p->p_hi = 1.0;
    if (p->kind != PK_NORMAL && p->kind != PK_LOGNORMAL)
        return 0;
    if (!p->has_lo && !p->has_hi)
        return 0;
    double zl, zh;
    z_bounds(p, &zl, &zh);
    if (zl > 0.0) {
        p->use_upper = 1;
        p->p_lo = gsl_cdf_ugaussian_Q(zl);
        p->p_hi = isinf(zh) ? 0.0 : gsl_cdf_ugaussian_Q(zh);
    } else {
        p->p_lo = isinf(zl) ? 0.0 : gsl_cdf_ugaussian_P(zl);
        p->p_hi = isinf(zh) ? 1.0 : gsl_cdf_ugaussian_P(zh);
    }
    const double mass = p->use_upper ? p->p_lo - p->p_hi : p->p_hi - p->p_lo;
    if (!(mass > 0.0)) {
        snprintf(msg, n, "the bounds [%g, %g] leave no probability to sample from", p->lo,
                 p->hi);
        return MIGDEV_E_RANGE;
    }
    return 0;
}

static double std_normal_at(const sweep_param *p, double u)
{
    if (!p->has_lo && !p->has_hi)
        return gsl_cdf_ugaussian_Pinv(u);
    if (p->use_upper)
        return gsl_cdf_ugaussian_Qinv(p->p_lo - u * (p->p_lo - p->p_hi));
    return gsl_cdf_ugaussian_Pinv(p->p_lo + u * (p->p_hi - p->p_lo));
}

static double clamp_bounds(const sweep_param *p, double x)
{
    if (p->has_lo && x < p->lo)
        x = p->lo;
    if (p->has_hi && x > p->hi)
        x = p->hi;
    return x;
}

double dist_value(const sweep_param *p, double u)
{
    switch (p->kind) {
    case PK_VALUES: {
        long k = (long)floor(u * (double)p->n_values);
        if (k < 0)
            k = 0;
        if (k >= p->n_values)
            k = p->n_values - 1;
        return p->values[k];
    }
    case PK_UNIFORM: return p->a + u * (p->b - p->a);
    case PK_NORMAL: return clamp_bounds(p, p->a + p->b * std_normal_at(p, u));
    case PK_LOGNORMAL: return clamp_bounds(p, exp(p->a + p->b * std_normal_at(p, u)));
    case PK_TRIANGULAR: {
        const double lo = p->a, hi = p->b, mode = p->c, w = hi - lo;
        const double fc = w > 0.0 ? (mode - lo) / w : 0.5;
        if (u < fc)
            return lo + sqrt(u * w * (mode - lo));
        return hi - sqrt((1.0 - u) * w * (hi - mode));
    }
    }
    return NAN;
}
