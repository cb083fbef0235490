/*
** sweep_metric.c - the metrics of one run, from its recorded series.
**
** All statistics are taken over the save times (set save_every = dt to use
** every step): final value, minimum, maximum, arithmetic mean of the saved
** values, the value at a time (linear interpolation between the two save
** times around it), and the first crossing of a threshold. A crossing up
** happens between save times t0 < t1 when x(t0) < c <= x(t1), a crossing
** down when x(t0) > c >= x(t1); its time is interpolated linearly inside
** (t0, t1]. A variable that starts past the threshold has not crossed it.
** The last crossing is the time from which the variable stays past the
** threshold until the end of the run: the last crossing in the direction
** asked for, provided the run ends on its far side (for `either`, the last
** crossing of any kind).
** No crossing, or a failed run, gives NaN (an empty field in the summary).
** Pure functions: nothing allocated, nothing shared.
*/
#include "sweep_int.h"

#include <math.h>

static double value_at(const double *x, const double *t, size_t n, double when)
{
    if (when <= t[0])
        return x[0];
    for (size_t j = 1; j < n; j++) {
        if (when == t[j])
            return x[j];
        if (when < t[j]) {
            const double f = (when - t[j - 1]) / (t[j] - t[j - 1]);
            return x[j - 1] + f * (x[j] - x[j - 1]);
        }
    }
    return x[n - 1];
}

static double crossing(const double *x, const double *t, size_t n, double c, cross_dir dir)
{
    for (size_t j = 1; j < n; j++) {
        const double a = x[j - 1], b = x[j];
        const int up = a < c && c <= b, down = a > c && c >= b;
        if ((up && dir != DIR_DOWN) || (down && dir != DIR_UP)) {
            const double f = (c - a) / (b - a);
            return t[j - 1] + f * (t[j] - t[j - 1]);
        }
    }
    return NAN;
}

static double last_crossing(const double *x, const double *t, size_t n, double c, cross_dir dir)
{
    for (size_t j = n - 1; j >= 1; j--) {
        const double a = x[j - 1], b = x[j];
        const int up = a < c && c <= b, down = a > c && c >= b;
        if ((up && dir != DIR_DOWN) || (down && dir != DIR_UP)) {
            if ((dir == DIR_UP && !(x[n - 1] >= c)) || (dir == DIR_DOWN && !(x[n - 1] <= c)))
                return NAN; /* it ends back on the near side */
            const double f = (c - a) / (b - a);
            return t[j - 1] + f * (t[j] - t[j - 1]);
        }
    }
    return NAN;
}

void sweep_metrics_eval(const migdev_sweep *sw, const double *const *series, const double *times,
                        size_t n, double *out)
{
    for (int i = 0; i < sw->n_metrics; i++) {
        const sweep_metric *mt = &sw->metrics[i];
        const double *x = series[mt->col];
        if (n == 0 || n < sw->n_saves) {
            out[i] = NAN;
            continue;
        }
        double v = NAN;
        switch (mt->stat) {
        case MS_FINAL: v = x[n - 1]; break;
        case MS_MIN:
            v = x[0];
            for (size_t j = 1; j < n; j++)
                v = x[j] < v ? x[j] : v;
            break;
        case MS_MAX:
            v = x[0];
            for (size_t j = 1; j < n; j++)
                v = x[j] > v ? x[j] : v;
            break;
        case MS_MEAN: {
            double s = 0.0;
            for (size_t j = 0; j < n; j++)
                s += x[j];
            v = s / (double)n;
            break;
        }
        case MS_AT: v = value_at(x, times, n, mt->time); break;
        case MS_CROSSING: v = crossing(x, times, n, mt->threshold, mt->dir); break;
        case MS_LAST_CROSSING: v = last_crossing(x, times, n, mt->threshold, mt->dir); break;
        }
        out[i] = v;
    }
}
