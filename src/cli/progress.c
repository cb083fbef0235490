/*
** progress.c - the progress bar of `migdev sweep` (see progress.h).
*/
#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

double progress_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void progress_start(progress *p, long total, long done, int want)
{
    p->on = want && isatty(STDERR_FILENO);
    p->total = total;
    p->done = done;
    p->start_done = done;
    p->t0 = progress_now();
    p->last = 0.0;
    p->drawn = 0;
}

static void draw(progress *p, double now)
{
    const double el = now - p->t0;
    const long fresh = p->done - p->start_done;
    const double rate = el > 0.0 ? (double)fresh / el : 0.0;
    const double frac = p->total > 0 ? (double)p->done / (double)p->total : 1.0;
    char bar[31];
    const int fill = (int)(frac * 30.0);
    for (int i = 0; i < 30; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[30] = '\0';
    char eta[32] = "--:--";
    if (rate > 0.0) {
        const long left = (long)((double)(p->total - p->done) / rate);
        if (left >= 3600)
            snprintf(eta, sizeof eta, "%ld:%02ld:%02ld", left / 3600, left / 60 % 60, left % 60);
        else
            snprintf(eta, sizeof eta, "%ld:%02ld", left / 60, left % 60);
    }
    fprintf(stderr, "\r[%s] %ld/%ld runs %5.1f%%  %.0f runs/s  %s left \033[K", bar, p->done,
            p->total, 100.0 * frac, rate, eta);
    fflush(stderr);
    p->drawn = 1;
    p->last = now;
}

void progress_tick(progress *p)
{
    if (!p->on)
        return;
    const double now = progress_now();
    if (now - p->last >= 0.2)
        draw(p, now);
}

void progress_step(progress *p)
{
    p->done++;
    progress_tick(p);
}

void progress_end(progress *p)
{
    if (p->on && p->drawn) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        p->drawn = 0;
    }
}
