/*
** sweep_design.c - which values each run gets: grid, Latin hypercube,
** Monte Carlo and Sobol' designs, and the per-run random streams.
**
** Reproducibility. Run i's random numbers come from its own stream, a
** SplitMix64 sequence started at key(seed, i) = mix(mix(seed + g) ^ i)
** (mix: the SplitMix64 finaliser, g = 0x9e3779b97f4a7c15): number k of the
** stream is mix(key + (k+1) g), whose top 53 bits give a uniform in (0,1).
** Only 64-bit integer arithmetic is involved, so every machine, thread
** count and process split gives run i the same numbers. (A GSL generator
** seeded per run would do too, but GSL seeds are 32 bits: a million runs
** would then share about a hundred seeds by the birthday bound.)
**
** Random functions of the model (random_normal, ...) in run i are seeded
** with mix(key(seed, i) + 0xd1b54a32d192ed03) through migdev_run_set_seed;
** the engine derives each call site's GSL seed from it (32 bits).
**
** Latin hypercube. With N runs, parameter k's range is cut into N strata of
** equal probability; run i lands in stratum perm_k(i), at a uniform offset
** inside it. perm_k is a pseudo-random permutation of 0..N-1 computed on
** demand (a six-round Feistel network on the next power of four, keyed by
** the seed and k, walked until it falls inside 0..N-1), so no table of N
** entries is stored and any run can be computed alone.
**
** Sobol'. GSL's gsl_qrng_sobol gives points in sequence only, so the
** sampler steps it forward to the run asked for (the executor asks in
** increasing order). The seed does not change a Sobol' design.
**
** Grid. Full factorial in the order the parameters are listed, the first
** varying slowest (like nested loops).
*/
#include "sweep_int.h"

#include "error_int.h"

#include <gsl/gsl_qrng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define GOLDEN 0x9e3779b97f4a7c15ULL

uint64_t sweep_mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t run_key(uint64_t seed, long run)
{
    return sweep_mix64(sweep_mix64(seed + GOLDEN) ^ (uint64_t)run);
}

unsigned long sweep_model_seed(uint64_t seed, long run)
{
    return (unsigned long)sweep_mix64(run_key(seed, run) + 0xd1b54a32d192ed03ULL);
}

double sweep_stream_u(uint64_t seed, long run, int k)
{
    const uint64_t key = run_key(seed, run);
    const uint64_t x = sweep_mix64(key + (uint64_t)(k + 1) * GOLDEN);
    return ((double)(x >> 11) + 0.5) * 0x1p-53;
}

struct migdev_sampler {
    const migdev_sweep *sw;
    gsl_qrng *q;
    long q_next;        /* index of the point the generator gives next */
    double *qpt;        /* last Sobol' point */
    long last;          /* last run asked for, -1 at first */
    int half_bits;      /* LHS: Feistel halves */
    uint64_t *lhs_key;  /* LHS: one key per parameter */
    long *stride;       /* grid: runs per level of each parameter */
};

void migdev_sampler_free(migdev_sampler *sp)
{
    if (!sp)
        return;
    if (sp->q)
        gsl_qrng_free(sp->q);
    free(sp->qpt), free(sp->lhs_key), free(sp->stride);
    free(sp);
}

static int grid_levels(const sweep_param *p)
{
    return p->kind == PK_VALUES ? p->n_values : p->levels;
}

migdev_sampler *migdev_sampler_new(const migdev_sweep *sw, migdev_error *err)
{
    if (!sw->prepared) {
        err_set(err, MIGDEV_E_USAGE, NULL, 0, 0, "the sweep was not prepared");
        return NULL;
    }
    migdev_sampler *sp = calloc(1, sizeof *sp);
    const size_t d = (size_t)sw->n_params + 1;
    if (!sp)
        goto nomem;
    sp->sw = sw;
    sp->last = -1;
    sp->qpt = calloc(d, sizeof *sp->qpt);
    sp->lhs_key = calloc(d, sizeof *sp->lhs_key);
    sp->stride = calloc(d, sizeof *sp->stride);
    if (!sp->qpt || !sp->lhs_key || !sp->stride)
        goto nomem;
    if (sw->design == MIGDEV_SOBOL && sw->n_params > 0) {
        sp->q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)sw->n_params);
        if (!sp->q)
            goto nomem;
    }
    if (sw->design == MIGDEV_LHS) {
        int h = 1;
        while (h < 31 && ((uint64_t)1 << (2 * h)) < (uint64_t)sw->total)
            h++;
        sp->half_bits = h;
        for (int k = 0; k < sw->n_params; k++)
            sp->lhs_key[k] = sweep_mix64(sweep_mix64(sw->seed ^ 0x1f83d9abfb41bd6bULL) +
                                         (uint64_t)(k + 1) * GOLDEN);
    }
    if (sw->design == MIGDEV_GRID) {
        long s = 1;
        for (int k = sw->n_params - 1; k >= 0; k--) {
            sp->stride[k] = s;
            s *= grid_levels(&sw->params[k]);
        }
    }
    return sp;
nomem:
    migdev_sampler_free(sp);
    err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
    return NULL;
}

/* One Feistel encryption of x on 2*h bits. */
static uint64_t feistel(uint64_t x, int h, uint64_t key)
{
    const uint64_t mask = ((uint64_t)1 << h) - 1;
    uint64_t l = x >> h, r = x & mask;
    for (uint64_t round = 0; round < 6; round++) {
        const uint64_t f = sweep_mix64(r ^ (key + round * GOLDEN)) & mask;
        const uint64_t t = l ^ f;
        l = r;
        r = t;
    }
    return (l << h) | r;
}

/* A permutation of 0..n-1 (cycle walking keeps it a bijection). */
static long lhs_perm(long i, long n, int h, uint64_t key)
{
    uint64_t x = (uint64_t)i;
    do
        x = feistel(x, h, key);
    while (x >= (uint64_t)n);
    return (long)x;
}

int migdev_sampler_get_u(migdev_sampler *sp, long run, double *values, double *u)
{
    const migdev_sweep *sw = sp->sw;
    if (run < 0 || run >= sw->total)
        return MIGDEV_E_USAGE;
    const int d = sw->n_params;
    switch (sw->design) {
    case MIGDEV_GRID:
        for (int k = 0; k < d; k++) {
            const sweep_param *p = &sw->params[k];
            const long lv = (run / sp->stride[k]) % grid_levels(p);
            const double uk = ((double)lv + 0.5) / (double)grid_levels(p);
            values[k] = p->kind == PK_VALUES ? p->values[lv] : dist_value(p, uk);
            if (u)
                u[k] = uk;
        }
        break;
    case MIGDEV_LHS:
        for (int k = 0; k < d; k++) {
            const long s = lhs_perm(run, sw->total, sp->half_bits, sp->lhs_key[k]);
            const double uk = ((double)s + sweep_stream_u(sw->seed, run, k)) / (double)sw->total;
            values[k] = dist_value(&sw->params[k], uk);
            if (u)
                u[k] = uk;
        }
        break;
    case MIGDEV_RANDOM:
        for (int k = 0; k < d; k++) {
            const double uk = sweep_stream_u(sw->seed, run, k);
            values[k] = dist_value(&sw->params[k], uk);
            if (u)
                u[k] = uk;
        }
        break;
    case MIGDEV_SOBOL:
        if (run < sp->last)
            return MIGDEV_E_USAGE;
        if (d > 0 && run != sp->last) {
            while (sp->q_next <= run) {
                gsl_qrng_get(sp->q, sp->qpt);
                sp->q_next++;
            }
        }
        for (int k = 0; k < d; k++) {
            double uk = sp->qpt[k];
            /* never 0 or 1 for a Sobol' point after the first, but keep the
               quantile functions finite whatever happens */
            if (!(uk > 0.0))
                uk = 0x1p-40;
            if (!(uk < 1.0))
                uk = 1.0 - 0x1p-40;
            values[k] = dist_value(&sw->params[k], uk);
            if (u)
                u[k] = uk;
        }
        break;
    }
    sp->last = run;
    return 0;
}

int migdev_sampler_get(migdev_sampler *sp, long run, double *values)
{
    return migdev_sampler_get_u(sp, run, values, NULL);
}
