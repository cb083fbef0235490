/*
** progress.h - a progress bar on standard error, only when it is a
** terminal: runs done / total, runs per second, time left.
*/
#ifndef MIGDEV_CLI_PROGRESS_H
#define MIGDEV_CLI_PROGRESS_H

typedef struct progress {
    int on;            /* stderr is a terminal and the bar is wanted */
    long total, done;  /* runs */
    long start_done;   /* runs done before this session (resume) */
    double t0, last;   /* seconds (monotonic) */
    int drawn;
} progress;

/* Start a bar for total runs, of which done are already finished. want: 0
** to switch the bar off. */
void progress_start(progress *p, long total, long done, int want);
/* Count one more run; redraws at most 5 times a second. */
void progress_step(progress *p);
/* Redraw now if due (for polls while no run finishes). */
void progress_tick(progress *p);
/* Erase the bar (before printing anything else, and at the end). */
void progress_end(progress *p);

/* Monotonic seconds. */
double progress_now(void);

#endif
