/*
** sweep_sink.h - where the results of `migdev sweep` go, in run order:
** the summary, the series of selected runs, the quantile bands, the
** progress bar, and the checkpoints that make --resume possible.
**
** Files. While the sweep runs, rows are appended to SUMMARY.part (and
** SERIES.part), flushed every second. SUMMARY.state records a fingerprint
** of the sweep, the number of runs written and the band accumulators; it is
** rewritten (atomically) every 10 seconds and when the sweep stops. On
** completion the .part files are renamed into place, the bands and the fan
** chart written, and the state removed. On SIGINT/SIGTERM the runs in
** flight are finished, written, and SUMMARY.part is renamed to SUMMARY (a
** valid summary of every completed run) while SUMMARY.state stays behind
** to mark it unfinished. --resume checks the fingerprint, keeps the
** complete rows (and drops a torn last line) and continues after them.
*/
#ifndef MIGDEV_CLI_SWEEP_SINK_H
#define MIGDEV_CLI_SWEEP_SINK_H

#include <stdint.h>
#include <stdio.h>

#include "migdev/migdev.h"
#include "progress.h"

typedef struct sweep_sink {
    const migdev_sweep *sw;
    const char *summary;       /* NULL: standard output */
    const char *series, *bands_path, *fan_path;
    char part[4200], state[4200], series_part[4200];
    FILE *f;                   /* summary rows */
    FILE *copy;                /* summary on stdout: a copy for the sensitivity */
    FILE *sf;                  /* series rows */
    migdev_bands *bands;
    progress prog;
    long done;                 /* runs written: 0 .. done-1 */
    long first;                /* where this session started */
    double last_flush, last_state, t0;
    uint64_t fingerprint;
    long n_failed;
    const char *title, *time_units; /* for the fan chart (set by the caller) */
    int io_failed;
} sweep_sink;

enum { SINK_NOTHING_TO_DO = -3 };

/* Open the outputs (fresh, or resuming when resume is set). *first gets
** the first run still to do. Returns EXIT_OK, SINK_NOTHING_TO_DO (the
** summary is already complete), or an exit status after printing why. */
int sink_open(sweep_sink *k, const migdev_sweep *sw, const char *summary, const char *series,
              const char *bands, const char *fan, int resume, int want_progress, long *first);

/* Write one result (the next run in order). Returns 0, or -1 after an
** output error (the sweep should stop). */
int sink_put(sweep_sink *k, const migdev_sweep_result *r);

/* Let the progress bar move while no result arrives. */
void sink_tick(sweep_sink *k);

/* Finish: complete (every run written) or interrupted by signal sig (0:
** stopped for another reason). Returns the exit status. */
int sink_finish(sweep_sink *k, int complete, int sig);

/* Close everything after an error (keeps the .part files for --resume). */
void sink_abort(sweep_sink *k);

#endif
