/*
** sweep_sink.c - summary, series, bands, checkpoints and resume of
** `migdev sweep` (see sweep_sink.h).
*/
#include "sweep_sink.h"

#include "args.h"
#include "fanplot.h"
#include "outfile.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

static void perr(const char *path, const char *what)
{
    fprintf(stderr, "%s: error: %s: %s\n", path, what, strerror(errno));
}

static int write_state(sweep_sink *k)
{
    char tmp[4300];
    snprintf(tmp, sizeof tmp, "%s.tmp", k->state);
    FILE *f = outfile_create_excl(tmp);
    if (!f) {
        perr(tmp, "cannot write");
        return -1;
    }
    migdev_error err;
    migdev_error_clear(&err);
    fprintf(f, "migdev-sweep-state 1\nfingerprint %016" PRIx64 "\ntotal %ld\ndone %ld\n",
            k->fingerprint, migdev_sweep_n_runs(k->sw), k->done);
    int rc = k->bands ? migdev_bands_save(k->bands, f, &err) : 0;
    rc |= ferror(f) | (fclose(f) != 0);
    if (rc || rename(tmp, k->state) != 0) {
        perr(k->state, "cannot write");
        unlink(tmp);
        return -1;
    }
    return 0;
}

/* Read the state: fingerprint check, runs done, bands. */
static int read_state(sweep_sink *k, long *done)
{
    FILE *f = outfile_open_nofollow(k->state, "r", -1);
    if (!f) {
        perr(k->state, "cannot read");
        return EXIT_INPUT;
    }
    uint64_t fp = 0;
    long total = -1;
    int ok = fscanf(f, "migdev-sweep-state 1 fingerprint %" SCNx64 " total %ld done %ld", &fp,
                    &total, done) == 3;
    if (!ok) {
        fclose(f);
        fprintf(stderr, "%s:1:1: error: not a sweep state file\n", k->state);
        return EXIT_INPUT;
    }
    if (fp != k->fingerprint || total != migdev_sweep_n_runs(k->sw)) {
        fclose(f);
        fprintf(stderr,
                "%s: error: the interrupted sweep in %s is not this sweep (the scenario, model, "
                "flags or seed changed): remove %s and %s, or run the same sweep\n",
                k->state, k->summary, k->summary, k->state);
        return EXIT_INPUT;
    }
    if (k->bands) {
        migdev_error err;
        migdev_error_clear(&err);
        if (migdev_bands_restore(k->bands, f, k->state, &err) != 0) {
            fclose(f);
            cli_print_error(&err);
            return EXIT_INPUT;
        }
    }
    fclose(f);
    return EXIT_OK;
}

/* Reopen path (a .part file) for appending after truncating it to end. */
static FILE *reopen_at(const char *path, long end)
{
    FILE *f = outfile_open_nofollow(path, "a", end);
    if (!f)
        perr(path, "cannot append to");
    return f;
}

static int open_series_fresh(sweep_sink *k)
{
    if (outfile_make_parents(k->series_part) != 0 || !(k->sf = outfile_create_excl(k->series_part))) {
        perr(k->series_part, "cannot write");
        return EXIT_INPUT;
    }
    migdev_error err;
    migdev_error_clear(&err);
    migdev_sweep_write_series_header(k->sf, &err);
    return EXIT_OK;
}

static int resume(sweep_sink *k, long *first)
{
    const int have_part = exists(k->part), have_state = exists(k->state),
              have_sum = exists(k->summary);
    migdev_error err;
    migdev_error_clear(&err);
    if (!have_state) {
        if (have_part) {
            fprintf(stderr,
                    "%s: error: no %s beside it: cannot tell whether it belongs to this sweep "
                    "(remove it to start again)\n",
                    k->part, k->state);
            return EXIT_INPUT;
        }
        if (have_sum) {
            FILE *f = outfile_open_nofollow(k->summary, "r", -1);
            long rows = 0, end = 0;
            const int rc = f ? migdev_sweep_scan_summary(k->sw, f, k->summary, -1, &rows, &end, &err)
                             : MIGDEV_E_IO;
            if (f)
                fclose(f);
            if (rc == 0 && rows == migdev_sweep_n_runs(k->sw)) {
                fprintf(stderr, "%s: the sweep is complete: nothing to resume\n", k->summary);
                return SINK_NOTHING_TO_DO;
            }
            fprintf(stderr,
                    "%s: error: not an interrupted sweep (no %s): remove it, or run without "
                    "--resume\n",
                    k->summary, k->state);
            return EXIT_INPUT;
        }
        return -1; /* nothing there: start afresh */
    }
    long done = 0;
    int st = read_state(k, &done);
    if (st != EXIT_OK)
        return st;
    if (!have_part && !have_sum) {
        fprintf(stderr, "%s: error: the summary of this interrupted sweep is gone; remove %s\n",
                k->summary, k->state);
        return EXIT_INPUT;
    }
    if (!have_part && rename(k->summary, k->part) != 0) {
        perr(k->summary, "cannot rename");
        return EXIT_INPUT;
    }
    FILE *f = outfile_open_nofollow(k->part, "r", -1);
    if (!f) {
        perr(k->part, "cannot read");
        return EXIT_INPUT;
    }
    long rows = 0, end = 0;
    const int rc = migdev_sweep_scan_summary(k->sw, f, k->part, k->bands ? done : -1, &rows, &end,
                                             &err);
    fclose(f);
    if (rc != 0) {
        cli_print_error(&err);
        return EXIT_INPUT;
    }
    if (k->bands && rows < done) {
        fprintf(stderr, "%s: error: the summary has %ld runs but the saved bands count %ld\n",
                k->part, rows, done);
        return EXIT_INPUT;
    }
    if (end == 0) { /* not even a header */
        if (!(k->f = outfile_create_excl(k->part)) || migdev_sweep_write_header(k->sw, k->f, &err) != 0) {
            perr(k->part, "cannot write");
            return EXIT_INPUT;
        }
    } else if (!(k->f = reopen_at(k->part, end))) {
        return EXIT_INPUT;
    }
    k->done = rows;
    *first = rows;
    if (k->series) {
        if (!exists(k->series_part) && exists(k->series) && rename(k->series, k->series_part) != 0) {
            perr(k->series, "cannot rename");
            return EXIT_INPUT;
        }
        if (!exists(k->series_part))
            return open_series_fresh(k);
        FILE *s = outfile_open_nofollow(k->series_part, "r", -1);
        long send = 0;
        const int r2 = s ? migdev_sweep_scan_series(s, k->series_part, rows, &send, &err) : MIGDEV_E_IO;
        if (s)
            fclose(s);
        if (r2 != 0) {
            cli_print_error(&err);
            return EXIT_INPUT;
        }
        if (send == 0)
            return open_series_fresh(k);
        if (!(k->sf = reopen_at(k->series_part, send)))
            return EXIT_INPUT;
    }
    return EXIT_OK;
}

int sink_open(sweep_sink *k, const migdev_sweep *sw, const char *summary, const char *series,
              const char *bands, const char *fan, int want_resume, int want_progress, long *first)
{
    memset(k, 0, sizeof *k);
    k->sw = sw;
    k->summary = summary;
    k->series = series;
    k->bands_path = bands;
    k->fan_path = fan;
    k->fingerprint = migdev_sweep_fingerprint(sw);
    *first = 0;
    migdev_error err;
    migdev_error_clear(&err);
    int n_band_vars = 0;
    if (bands) {
        k->bands = migdev_bands_new(sw, &err);
        if (!k->bands) {
            cli_print_error(&err);
            return EXIT_INPUT;
        }
        n_band_vars = migdev_bands_n_vars(k->bands);
    }
    (void)n_band_vars;
    if (summary) {
        if (strlen(summary) > 4000) {
            fprintf(stderr, "%s: error: path too long\n", summary);
            return EXIT_INPUT;
        }
        snprintf(k->part, sizeof k->part, "%s.part", summary);
        snprintf(k->state, sizeof k->state, "%s.state", summary);
    }
    if (series)
        snprintf(k->series_part, sizeof k->series_part, "%s.part", series);
    /* before any run: these files are written beside and renamed over */
    const char *const targets[] = {summary, series, bands, fan};
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        const int kind = targets[i] ? outfile_target_kind(targets[i]) : 0;
        if (kind > 0 && targets[i] != bands)
            fprintf(stderr, "%s: error: not a regular file: a sweep writes its %s to a file "
                            "(the summary goes to standard output with -o -)\n",
                    targets[i], i == 0 ? "summary" : i == 1 ? "series" : "fan chart");
        if (kind < 0 || (kind > 0 && targets[i] != bands))
            return EXIT_INPUT;
    }
    int st = -1;
    if (want_resume)
        st = resume(k, first);
    if (st == -1) { /* a fresh start */
        if (summary && exists(k->state)) {
            fprintf(stderr,
                    "%s: error: %s holds an interrupted sweep: continue it with --resume, or "
                    "remove %s to start again\n",
                    k->state, summary, k->state);
            return EXIT_INPUT;
        }
        if (summary) {
            if (outfile_make_parents(k->part) != 0 || !(k->f = outfile_create_excl(k->part))) {
                perr(k->part, "cannot write");
                return EXIT_INPUT;
            }
        } else {
            k->f = stdout;
            k->copy = tmpfile();
        }
        if (migdev_sweep_write_header(sw, k->f, &err) != 0 ||
            (k->copy && migdev_sweep_write_header(sw, k->copy, &err) != 0)) {
            cli_print_error(&err);
            return EXIT_INPUT;
        }
        if (series && (st = open_series_fresh(k)) != EXIT_OK)
            return st;
        st = EXIT_OK;
    }
    if (st != EXIT_OK)
        return st;
    k->first = *first;
    if (summary) {
        fflush(k->f);
        if (write_state(k) != 0)
            return EXIT_INPUT;
    }
    k->t0 = progress_now();
    k->last_flush = k->last_state = k->t0;
    progress_start(&k->prog, migdev_sweep_n_runs(sw), *first, want_progress);
    return EXIT_OK;
}

static int checkpoint(sweep_sink *k)
{
    if (fflush(k->f) != 0 || (k->sf && fflush(k->sf) != 0))
        return -1;
    return k->summary ? write_state(k) : 0;
}

int sink_put(sweep_sink *k, const migdev_sweep_result *r)
{
    if (k->io_failed) /* said once; the sweep is stopping */
        return -1;
    migdev_error err;
    migdev_error_clear(&err);
    if (r->status != MIGDEV_OK) {
        if (k->n_failed++ == 0) {
            progress_end(&k->prog);
            char buf[1200];
            if (r->error)
                fprintf(stderr, "warning: run %ld failed: %s\n", r->run,
                        migdev_error_format(r->error, buf, sizeof buf));
            else
                fprintf(stderr, "warning: run %ld failed (%s)\n", r->run,
                        migdev_error_name(r->status));
        }
    }
    if (migdev_sweep_write_row(k->sw, k->f, r, &err) != 0 ||
        (k->copy && migdev_sweep_write_row(k->sw, k->copy, r, &err) != 0) ||
        (k->sf && migdev_sweep_write_series_rows(k->sw, k->sf, r, &err) != 0)) {
        progress_end(&k->prog);
        fprintf(stderr, "%s: error: write failed: %s\n", k->summary ? k->part : "standard output",
                strerror(errno));
        k->io_failed = 1;
        return -1;
    }
    if (k->bands)
        migdev_bands_add(k->bands, r);
    k->done++;
    progress_step(&k->prog);
    const double now = k->prog.on ? k->prog.last : progress_now();
    if (now - k->last_flush >= 1.0) {
        k->last_flush = now;
        if (now - k->last_state >= 10.0) {
            k->last_state = now;
            if (checkpoint(k) != 0) {
                k->io_failed = 1;
                return -1;
            }
        } else {
            fflush(k->f);
            if (k->sf)
                fflush(k->sf);
        }
    }
    return 0;
}

void sink_tick(sweep_sink *k) { progress_tick(&k->prog); }

static int close_into_place(FILE *f, const char *part, const char *final)
{
    const int bad = ferror(f) | (fclose(f) != 0);
    if (bad) {
        fprintf(stderr, "%s: error: write failed\n", part);
        return -1;
    }
    if (rename(part, final) != 0) {
        perr(final, "cannot rename into place");
        return -1;
    }
    return 0;
}

void sink_abort(sweep_sink *k)
{
    progress_end(&k->prog);
    if (k->f && k->f != stdout)
        fclose(k->f);
    if (k->sf)
        fclose(k->sf);
    if (k->copy)
        fclose(k->copy);
    migdev_bands_free(k->bands);
    memset(k, 0, sizeof *k);
}

static int write_bands(sweep_sink *k)
{
    outfile o;
    if (outfile_open(&o, k->bands_path) != 0)
        return EXIT_INPUT;
    migdev_error err;
    migdev_error_clear(&err);
    const int rc = migdev_bands_write(k->bands, o.f, &err);
    if (outfile_close(&o, rc == 0) != 0 || rc != 0)
        return EXIT_INPUT;
    if (k->fan_path && fanplot_draw(k->bands, k->fan_path, k->title, k->time_units) != 0)
        return EXIT_INPUT;
    return EXIT_OK;
}

static int sensitivity(sweep_sink *k)
{
    FILE *f = k->copy;
    if (f)
        rewind(f);
    else if (!(f = outfile_open_nofollow(k->summary, "r", -1))) {
        perr(k->summary, "cannot read back");
        return EXIT_INPUT;
    }
    migdev_error err;
    migdev_error_clear(&err);
    migdev_sensitivity *s = migdev_sensitivity_compute(k->sw, f, k->summary ? k->summary : "-", &err);
    if (f != k->copy)
        fclose(f);
    if (!s) {
        cli_print_error(&err);
        return EXIT_INPUT;
    }
    migdev_sensitivity_print(s, k->summary ? stdout : stderr);
    migdev_sensitivity_free(s);
    return EXIT_OK;
}

int sink_finish(sweep_sink *k, int complete, int sig)
{
    progress_end(&k->prog);
    int status = EXIT_OK;
    const double el = progress_now() - k->t0;
    const long fresh = k->done - k->first;
    if (k->io_failed) {
        sink_abort(k);
        return EXIT_INPUT;
    }
    if (!complete && k->summary && checkpoint(k) != 0) {
        sink_abort(k);
        return EXIT_INPUT;
    }
    if (k->summary) {
        const int bad = close_into_place(k->f, k->part, k->summary);
        k->f = NULL;
        if (bad)
            status = EXIT_INPUT;
    } else if (fflush(stdout) != 0) {
        fprintf(stderr, "error: writing standard output: %s\n", strerror(errno));
        status = EXIT_INPUT;
    }
    if (k->sf) {
        if (close_into_place(k->sf, k->series_part, k->series) != 0)
            status = EXIT_INPUT;
        k->sf = NULL;
    }
    if (status == EXIT_OK && complete) {
        if (k->bands && write_bands(k) != EXIT_OK)
            status = EXIT_INPUT;
        if (k->summary)
            unlink(k->state);
    }
    fprintf(stderr, "sweep: %ld of %ld runs done (%ld failed), %ld in %.2f s (%.0f runs/s)%s%s\n",
            k->done, migdev_sweep_n_runs(k->sw), k->n_failed, fresh, el,
            el > 0 ? (double)fresh / el : 0.0, k->summary ? " -> " : "",
            k->summary ? k->summary : "");
    if (!complete) {
        if (k->summary)
            fprintf(stderr,
                    "sweep: interrupted; %s holds every completed run. Continue with --resume.\n",
                    k->summary);
        sink_abort(k);
        return sig ? 128 + sig : EXIT_INPUT;
    }
    if (status == EXIT_OK && migdev_sweep_sensitivity(k->sw))
        status = sensitivity(k);
    sink_abort(k);
    return status;
}
