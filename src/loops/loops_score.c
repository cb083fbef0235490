/*
** loops_score.c - link polarity and Loops That Matter link scores.
**
** Both evaluate one equation at a time: the snippet of the target variable
** z (model.code + vars[z].code, which stores into v[z]) is run on a scratch
** copy of a sampled state with one input changed. Snippets are pure (the
** state of smooth/delay lives in hidden stocks), so this is side-effect
** free. The scratch vector and VM stack are allocated once, by
** score_ws_init(); the loops over save times and edges allocate nothing.
**
** Link score of x -> z over [t(k-1), t(k)] (Schoenberg et al. 2020, Eq. 1):
**   |dxz / dz| * sign(dxz / dx), 0 when dz = 0 or dx = 0,
** with the partial change dxz taken changed-last (Stella) or changed-first.
** Flow -> stock (Schoenberg et al. 2023, Eq. 3): +-|df / dnet|, 0 when
** df = 0, and 0 (counted as singular) when dnet = 0.
*/
#include "loops_int.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int score_ws_init(score_ws *w, const migdev_model *m, const samples *s)
{
    memset(w, 0, sizeof *w);
    w->scratch = malloc(((size_t)s->nv + 1) * sizeof *w->scratch);
    w->stack = malloc(((size_t)m->max_stack + 1) * sizeof *w->stack);
    if (!w->scratch || !w->stack) {
        score_ws_free(w);
        return MIGDEV_E_NOMEM;
    }
    vm_env_init(&w->env, m, &s->spec, w->scratch);
    return 0;
}

void score_ws_free(score_ws *w)
{
    free(w->scratch);
    free(w->stack);
    w->scratch = w->stack = NULL;
}

/* Value of variable z's equation on the scratch state; scratch[z] is put
** back to keep afterwards. */
static double eval_at(const migdev_model *m, score_ws *w, int z, double keep)
{
    vm_run(m->code + m->vars[z].code, &w->env, w->stack);
    const double x = w->scratch[z];
    w->scratch[z] = keep;
    return x;
}

/* Whether two values of an equation differ by more than rounding noise. The
** test is relative to the values, not to the derivative, so that it does not
** depend on the units of the input (a capital stock of 1e12 USD feeding a
** flow of 5e10 USD/year has a derivative of 0.05). */
static int changed(double fp, double fm)
{
    const double scale = fabs(fp) > fabs(fm) ? fabs(fp) : fabs(fm);
    return fp != fm && fabs(fp - fm) > 1000.0 * DBL_EPSILON * scale;
}

static int sgn(double x)
{
    return (x > 0.0) - (x < 0.0);
}

/* The sign of dz/dx at the state in w->scratch, by a central difference of
** relative step h0: 1 positive, 2 negative, 0 when z does not move (or the
** slope is not finite). Leaves the state as it found it. */
static unsigned char slope_sign(const migdev_model *m, score_ws *w, int x, int z, double h0)
{
    const double xv = w->scratch[x], zv = w->scratch[z];
    const double h = h0 * (fabs(xv) > 1.0 ? fabs(xv) : 1.0);
    const double xp = xv + h, xm = xv - h;
    w->scratch[x] = xp;
    const double fp = eval_at(m, w, z, zv);
    w->scratch[x] = xm;
    const double fm = eval_at(m, w, z, zv);
    w->scratch[x] = xv;
    const double d = (fp - fm) / (xp - xm);
    if (isfinite(d) && changed(fp, fm))
        return d > 0.0 ? 1 : 2;
    return 0;
}

/* The polarity of the signs seen over the samples (bits of slope_sign). */
static unsigned char seen_polarity(unsigned char seen)
{
    return seen == 3 ? MIGDEV_POL_UNKNOWN
         : seen == 1 ? MIGDEV_POL_POSITIVE
         : seen == 2 ? MIGDEV_POL_NEGATIVE
                     : MIGDEV_POL_ZERO;
}

void edge_polarity(const lgraph *g, const samples *s, score_ws *w, unsigned char *pol)
{
    const migdev_model *m = g->m;
    const size_t nv = (size_t)s->nv;
    const double h0 = cbrt(DBL_EPSILON);
    unsigned char *seen = pol; /* bit 1: positive seen, bit 2: negative seen */
    memset(seen, 0, (size_t)g->n_edges);
    for (size_t k = 0; k < s->ns; k++) {
        memcpy(w->scratch, s->v + k * nv, nv * sizeof *w->scratch);
        w->env.time = s->t[k];
        for (int e = 0; e < g->n_edges; e++)
            if (!g->flow_sign[e] && seen[e] != 3)
                seen[e] |= slope_sign(m, w, g->var[g->src[e]], g->var[g->dst[e]], h0);
    }
    for (int e = 0; e < g->n_edges; e++) {
        if (g->flow_sign[e])
            pol[e] = g->flow_sign[e] > 0 ? MIGDEV_POL_POSITIVE : MIGDEV_POL_NEGATIVE;
        else
            pol[e] = seen_polarity(seen[e]);
    }
}

void pair_polarity(const migdev_model *m, const samples *s, score_ws *w, const int *xs,
                   const int *zs, int n, unsigned char *pol)
{
    const size_t nv = (size_t)s->nv;
    const double h0 = cbrt(DBL_EPSILON);
    memset(pol, 0, (size_t)n);
    for (size_t k = 0; k < s->ns; k++) {
        memcpy(w->scratch, s->v + k * nv, nv * sizeof *w->scratch);
        w->env.time = s->t[k];
        for (int i = 0; i < n; i++)
            if (pol[i] != 3)
                pol[i] |= slope_sign(m, w, xs[i], zs[i], h0);
    }
    for (int i = 0; i < n; i++)
        pol[i] = seen_polarity(pol[i]);
}

/* Net flow of stock variable sv in the state vals. */
static double net_flow(const migdev_model *m, int sv, const double *vals)
{
    const int s = m->stock_of_var[sv];
    double net = 0.0;
    for (int k = m->flow_off[s]; k < m->flow_off[s + 1]; k++)
        net += m->flow_sign[k] * vals[m->flow_var[k]];
    return net;
}

void link_scores(const lgraph *g, const samples *s, migdev_partial partial, score_ws *w,
                 double *ls, long *n_singular, long *n_nonfinite)
{
    const migdev_model *m = g->m;
    const size_t nv = (size_t)s->nv, ne = (size_t)g->n_edges;
    const int last = partial == MIGDEV_CHANGED_LAST;
    memset(ls, 0, ne * sizeof *ls); /* k = 0: nothing has changed yet */
    for (size_t k = 1; k < s->ns; k++) {
        const double *prev = s->v + (k - 1) * nv, *cur = s->v + k * nv;
        double *out = ls + k * ne;
        const double *base = last ? cur : prev;
        memcpy(w->scratch, base, nv * sizeof *w->scratch);
        w->env.time = last ? s->t[k] : s->t[k - 1];
        for (size_t e = 0; e < ne; e++) {
            const int x = g->var[g->src[e]], z = g->var[g->dst[e]];
            double r = 0.0;
            if (g->flow_sign[e]) {
                const double df = cur[x] - prev[x];
                if (df != 0.0) {
                    const double dnet = net_flow(m, z, cur) - net_flow(m, z, prev);
                    if (dnet == 0.0)
                        (*n_singular)++;
                    else
                        r = g->flow_sign[e] * fabs(df / dnet);
                }
            } else {
                const double dz = cur[z] - prev[z], dx = cur[x] - prev[x];
                if (dz != 0.0 && dx != 0.0) {
                    double dxz;
                    if (last) {
                        w->scratch[x] = prev[x];
                        dxz = cur[z] - eval_at(m, w, z, cur[z]);
                        w->scratch[x] = cur[x];
                    } else {
                        w->scratch[x] = cur[x];
                        dxz = eval_at(m, w, z, prev[z]) - prev[z];
                        w->scratch[x] = prev[x];
                    }
                    r = fabs(dxz / dz) * (double)(sgn(dxz) * sgn(dx));
                }
            }
            if (!isfinite(r)) {
                (*n_nonfinite)++;
                r = 0.0;
            }
            out[e] = r;
        }
    }
}

void relative_scores_log(int n, const double *lg, const signed char *sign, double *rel)
{
    double mx = -INFINITY;
    for (int i = 0; i < n; i++)
        if (sign[i] && lg[i] > mx)
            mx = lg[i];
    if (mx == -INFINITY) {
        for (int i = 0; i < n; i++)
            rel[i] = 0.0;
        return;
    }
    double den = 0.0;
    for (int i = 0; i < n; i++)
        if (sign[i])
            den += exp(lg[i] - mx);
    for (int i = 0; i < n; i++)
        rel[i] = sign[i] ? sign[i] * exp(lg[i] - mx) / den : 0.0;
}

void relative_scores(int n, const double *sc, double *lg, signed char *sign, double *rel)
{
    for (int i = 0; i < n; i++) {
        sign[i] = (signed char)sgn(sc[i]);
        lg[i] = sc[i] != 0.0 ? log(fabs(sc[i])) : -INFINITY;
    }
    relative_scores_log(n, lg, sign, rel);
}
