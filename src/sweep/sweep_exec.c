/*
** sweep_exec.c - run a sweep on worker threads and deliver the results in
** run order.
**
** Each worker owns one run workspace, created before the threads start and
** re-executed for every sample with new constant values: the hot path
** allocates nothing. Runs are handed out in increasing order, in batches
** of consecutive runs (batch_size; the sampler, which Sobol' designs need
** sequential, is used under the lock); a worker writes the result of run
** j (and, when asked, its summary row) into slot j % window of a reorder
** buffer. The calling
** thread delivers slots strictly in order to on_result, so the output does
** not depend on the number of threads. A worker waits when it is `window`
** runs ahead of delivery, which bounds memory whatever the number of runs.
**
** Stopping (poll or on_result says so, or stop_after): no new run is
** handed out, runs in flight finish and are delivered, so what has been
** delivered is always a prefix 0..k-1 of this process's runs.
*/
#include "sweep_int.h"

#include "error_int.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Slots of neighbouring runs are written by different threads (the sampler
** under the lock, a worker's results, the caller's delivery): each slot and
** each slot's numbers start on a cache line of their own, so that no two
** threads write one line (SLOT_ALIGN). */
enum { SLOT_ALIGN = 64 };

typedef struct slot {
    _Alignas(SLOT_ALIGN) int ready;
    long run;
    int status;
    migdev_error err;
    double *params, *metrics, *series; /* in one block, a line apart */
    char *row;                         /* the summary row (exec rows), after series */
    void *block;                       /* malloc()ed: params rounded up to a line */
} slot;

/* p rounded up to a multiple of SLOT_ALIGN (malloc, which the allocation
** tests can fail, rather than aligned_alloc, which they cannot). */
static void *line_up(void *p)
{
    const uintptr_t u = (uintptr_t)p;
    return (void *)((u + SLOT_ALIGN - 1) / SLOT_ALIGN * SLOT_ALIGN);
}

typedef struct exec {
    const migdev_sweep *sw;
    const migdev_sweep_exec *x;
    pthread_mutex_t mu;
    pthread_cond_t cv_space;  /* workers: a slot came free, or stop */
    pthread_cond_t cv_ready;  /* caller: the next slot is ready, or a worker left */
    long n_local, n_limit;    /* runs of this process; how many to hand out */
    long next, written;
    long wake_at;             /* the caller sleeps until this run is ready */
    long ready_end;           /* runs written .. ready_end-1 are all ready */
    int stop, n_running;
    int space_waiters, writer_waiting;
    slot *slots;               /* in slots_block, on a line boundary */
    void *slots_block;
    int window;
    migdev_sampler *sampler;
} exec;

typedef struct worker {
    exec *e;
    migdev_run *run;
    const double **cols;
    pthread_t tid;
    int started;
    int failed;          /* the workspace could not be made: err holds why */
    migdev_error err;
} worker;

long migdev_sweep_exec_count(const migdev_sweep_exec *x)
{
    const long span = x->end - x->first;
    const long b = x->block > 0 ? x->block : 64;
    const long parts = x->n_parts > 0 ? x->n_parts : 1;
    if (span <= 0)
        return 0;
    const long nb = (span + b - 1) / b;
    if (x->part >= nb)
        return 0;
    const long mine = (nb - 1 - x->part) / parts + 1;
    const long last_b = x->part + (mine - 1) * parts;
    const long last_size = last_b == nb - 1 ? span - (nb - 1) * b : b;
    return (mine - 1) * b + last_size;
}

long migdev_sweep_exec_run(const migdev_sweep_exec *x, long j)
{
    const long b = x->block > 0 ? x->block : 64;
    const long parts = x->n_parts > 0 ? x->n_parts : 1;
    return x->first + (x->part + (j / b) * parts) * b + j % b;
}

static void simulate(worker *w, slot *s)
{
    const migdev_sweep *sw = w->e->sw;
    migdev_run *r = w->run;
    for (int k = 0; k < sw->n_params; k++) {
        migdev_run_set_constant(r, sw->params[k].var, s->params[k], NULL);
        for (int j = 0; j < sw->params[k].n_also; j++) /* the rest of a whole array */
            migdev_run_set_constant(r, sw->params[k].also[j], s->params[k], NULL);
    }
    migdev_run_set_seed(r, sweep_model_seed(sw->seed, s->run));
    migdev_error_clear(&s->err);
    s->status = migdev_run_execute(r, &s->err);
    const size_t n = migdev_run_n_saves(r);
    const double *times = migdev_run_times(r);
    for (int c = 0; c < sw->n_rec; c++)
        w->cols[c] = migdev_run_series(r, sw->rec_vars[c]);
    sweep_metrics_eval(sw, w->cols, times, s->status ? 0 : n, s->metrics);
    for (int o = 0; o < sw->n_out; o++) {
        const double *src = w->cols[sw->out_rec_col[o]];
        double *dst = s->series + (size_t)o * sw->n_saves;
        for (size_t j = 0; j < sw->n_saves; j++)
            dst[j] = j < n ? src[j] : NAN;
    }
    if (s->row) {
        const migdev_sweep_result res = {s->run, s->status, NULL, s->params, s->metrics, NULL, NULL};
        sweep_row_text(sw, &res, s->row);
    }
}

/* Mark slot s (run j) ready and wake the caller when a batch is ready.
** Called with the lock held. */
static void mark_ready(exec *e, slot *s, long j)
{
    s->ready = 1;
    if (e->ready_end < e->written)
        e->ready_end = e->written;
    (void)j;
    while (e->ready_end < e->next && e->slots[e->ready_end % e->window].ready)
        e->ready_end++;
    /* wake the caller for a batch of results in order, not for each one
       (each wake-up is a system call) */
    if (e->writer_waiting &&
        (e->ready_end > e->wake_at || (e->ready_end == e->next && (e->stop || e->next >= e->n_limit))))
        pthread_cond_signal(&e->cv_ready);
}

static void request_stop(exec *e)
{
    e->stop = 1;
    pthread_cond_broadcast(&e->cv_space);
}

/* The workspace is made by the thread that uses it: its memory then comes
** from that thread's malloc arena, away from the other workers' (hot arrays
** of two workers sharing a cache line cost a third of the speed). */
static int make_workspace(worker *w)
{
    const migdev_sweep *sw = w->e->sw;
    migdev_error_clear(&w->err);
    w->run = migdev_scenario_new_run(sw->sc, &w->err);
    w->cols = calloc((size_t)sw->n_rec + 1, sizeof *w->cols);
    if (!w->run || !w->cols) {
        if (w->run)
            err_set(&w->err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
        return MIGDEV_E_NOMEM;
    }
    return migdev_run_record(w->run, sw->rec_vars, sw->n_rec, &w->err);
}

/* Runs are handed to a worker in batches (one lock for a whole batch):
** short runs (a few microseconds) would otherwise spend a good part of
** their time on the lock and on waking threads. A batch lasts about
** BATCH_TARGET_NS, judged from the worker's previous batch, so that long
** runs still go one at a time and a stop is not delayed by a batch of them;
** never more than BATCH_MAX runs, nor a quarter of the window. */
enum { BATCH_MAX = 32 };
static const double BATCH_TARGET_NS = 50e3;

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static long batch_size(const exec *e, double per_run_ns)
{
    long b = per_run_ns > 0 ? (long)(BATCH_TARGET_NS / per_run_ns) : 1;
    const long quarter = e->window / 4;
    if (b > BATCH_MAX)
        b = BATCH_MAX;
    if (b > quarter)
        b = quarter;
    if (b > e->window - (e->next - e->written))
        b = e->window - (e->next - e->written);
    if (b > e->n_limit - e->next)
        b = e->n_limit - e->next;
    return b < 1 ? 1 : b;
}

static void *work(void *arg)
{
    worker *w = arg;
    exec *e = w->e;
    long done_first = 0, done_n = 0; /* the last batch: runs done_first.. */
    double per_run_ns = 0;           /* of the last batch; 0: one run first */
    w->failed = make_workspace(w) != 0;
    pthread_mutex_lock(&e->mu);
    if (w->failed)
        request_stop(e);
    for (;;) {
        /* one lock per batch: hand in the last results, take the next runs */
        for (long i = 0; i < done_n; i++)
            mark_ready(e, &e->slots[(done_first + i) % e->window], done_first + i);
        done_n = 0;
        while (!e->stop && e->next < e->n_limit && e->next - e->written >= e->window) {
            e->space_waiters++;
            pthread_cond_wait(&e->cv_space, &e->mu);
            e->space_waiters--;
        }
        if (e->stop || e->next >= e->n_limit)
            break;
        const long first = e->next, n = batch_size(e, per_run_ns);
        e->next += n;
        for (long j = first; j < first + n; j++) {
            slot *s = &e->slots[j % e->window];
            s->run = migdev_sweep_exec_run(e->x, j);
            migdev_sampler_get(e->sampler, s->run, s->params);
        }
        pthread_mutex_unlock(&e->mu);
        const double t0 = now_ns();
        for (long j = first; j < first + n; j++)
            simulate(w, &e->slots[j % e->window]);
        per_run_ns = (now_ns() - t0) / (double)n;
        pthread_mutex_lock(&e->mu);
        done_first = first;
        done_n = n;
    }
    e->n_running--;
    pthread_cond_signal(&e->cv_ready);
    pthread_mutex_unlock(&e->mu);
    return NULL;
}

/* Wait on cv_ready for at most 100 ms, or until the run half a window
** ahead is ready. */
static void wait_ready(exec *e)
{
    long w = e->written + e->window / 2;
    if (w > e->n_limit - 1)
        w = e->n_limit - 1;
    e->wake_at = w;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 100000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    e->writer_waiting = 1;
    pthread_cond_timedwait(&e->cv_ready, &e->mu, &ts);
    e->writer_waiting = 0;
}


/* Deliver results in order until everything handed out is delivered and
** nothing more will be. Called with the lock held; the ready runs are
** delivered as a batch without it (no worker touches a slot before it has
** been delivered). */
static void deliver(exec *e)
{
    const migdev_sweep_exec *x = e->x;
    while (e->written < e->n_local) {
        slot *s = &e->slots[e->written % e->window];
        if (s->ready) {
            if (e->ready_end <= e->written)
                e->ready_end = e->written;
            while (e->ready_end < e->next && e->slots[e->ready_end % e->window].ready)
                e->ready_end++;
            const long first = e->written, end = e->ready_end;
            pthread_mutex_unlock(&e->mu);
            long k = first;
            int halt = 0;
            while (k < end && !halt) {
                const slot *r = &e->slots[k % e->window];
                const migdev_sweep_result res = {r->run,    r->status,  r->status ? &r->err : NULL,
                                                 r->params, r->metrics, e->sw->n_out ? r->series : NULL,
                                                 r->row};
                halt = x->on_result ? x->on_result(x->ctx, &res) : 0;
                if (!halt && x->poll)
                    halt = x->poll(x->ctx);
                k++;
            }
            pthread_mutex_lock(&e->mu);
            for (long i = first; i < k; i++)
                e->slots[i % e->window].ready = 0;
            e->written = k;
            /* workers wait for a full window: let them go when half is free */
            if (e->space_waiters > 0 && e->next - e->written <= e->window / 2)
                pthread_cond_broadcast(&e->cv_space);
            if (halt)
                request_stop(e);
            continue;
        }
        /* nothing in flight for this slot: done */
        if (e->written == e->next && (e->stop || e->next >= e->n_limit || e->n_running == 0))
            break;
        wait_ready(e);
        if (!s->ready && x->poll) {
            pthread_mutex_unlock(&e->mu);
            const int halt = x->poll(x->ctx);
            pthread_mutex_lock(&e->mu);
            if (halt)
                request_stop(e);
        }
    }
}

static void free_slots(exec *e)
{
    if (!e->slots)
        return;
    for (int i = 0; i < e->window; i++)
        free(e->slots[i].block);
    free(e->slots_block);
}

int migdev_sweep_execute(const migdev_sweep *sw, const migdev_sweep_exec *x, long *n_done,
                         migdev_error *err)
{
    if (n_done)
        *n_done = 0;
    if (!sw->prepared)
        return err_set(err, MIGDEV_E_USAGE, NULL, 0, 0, "the sweep was not prepared");
    if (x->first < 0 || x->end > sw->total || x->n_threads < 1 || x->n_parts < 1 ||
        x->part < 0 || x->part >= x->n_parts)
        return err_set(err, MIGDEV_E_USAGE, NULL, 0, 0, "bad sweep execution settings");
    exec e;
    memset(&e, 0, sizeof e);
    e.sw = sw;
    e.x = x;
    e.n_local = migdev_sweep_exec_count(x);
    e.n_limit = x->stop_after > 0 && x->stop_after < e.n_local ? x->stop_after : e.n_local;
    if (e.n_local == 0)
        return 0;
    int n_threads = x->n_threads;
    if ((long)n_threads > e.n_limit)
        n_threads = e.n_limit > 0 ? (int)e.n_limit : 1;
    /* the reorder buffer: 256 slots per thread absorb scheduling hiccups of
       the writer; fewer when each slot carries long series (64 MiB in all) */
    const size_t slot_bytes = sizeof(slot) + sizeof(double) * ((size_t)sw->n_params +
                                                               (size_t)sw->n_metrics + 2 +
                                                               (size_t)sw->n_out * sw->n_saves);
    long win = 256L * n_threads;
    if ((size_t)win * slot_bytes > ((size_t)64 << 20))
        win = (long)(((size_t)64 << 20) / slot_bytes);
    if (win < 4L * n_threads)
        win = 4L * n_threads;
    e.window = x->window > 0 ? x->window : (int)win;
    int rc = 0;
    worker *ws = calloc((size_t)n_threads, sizeof *ws);
    e.slots_block = calloc((size_t)e.window + 1, sizeof *e.slots);
    e.slots = e.slots_block ? line_up(e.slots_block) : NULL;
    e.sampler = migdev_sampler_new(sw, err);
    if (!ws || !e.slots || !e.sampler) {
        rc = e.sampler ? err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory")
                       : (err ? err->code : MIGDEV_E_NOMEM);
        goto done;
    }
    /* params (written under the lock) and metrics, series (by a worker) a
       line apart; the block a whole number of lines */
    const size_t line = SLOT_ALIGN / sizeof(double);
    const size_t n_p = ((size_t)sw->n_params + line) / line * line;
    const size_t n_m = ((size_t)sw->n_metrics + line) / line * line;
    const size_t n_s = ((size_t)sw->n_out * sw->n_saves + line) / line * line;
    const size_t n_r = x->rows ? (sweep_row_max(sw) + SLOT_ALIGN - 1) / sizeof(double) : 0;
    for (int i = 0; i < e.window; i++) {
        slot *s = &e.slots[i];
        s->block = malloc((n_p + n_m + n_s + n_r) * sizeof(double) + SLOT_ALIGN);
        if (!s->block) {
            rc = err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
            goto done;
        }
        s->params = line_up(s->block);
        s->metrics = s->params + n_p;
        s->series = s->params + n_p + n_m;
        s->row = x->rows ? (char *)(s->series + n_s) : NULL;
    }
    for (int i = 0; i < n_threads; i++)
        ws[i].e = &e;
    pthread_mutex_init(&e.mu, NULL);
    pthread_cond_init(&e.cv_space, NULL);
    pthread_cond_init(&e.cv_ready, NULL);
    pthread_mutex_lock(&e.mu);
    for (int i = 0; i < n_threads; i++) {
        if (pthread_create(&ws[i].tid, NULL, work, &ws[i]) != 0)
            break;
        ws[i].started = 1;
        e.n_running++;
    }
    if (e.n_running == 0) {
        pthread_mutex_unlock(&e.mu);
        rc = err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "cannot start a worker thread: %s",
                     strerror(errno));
    } else {
        deliver(&e);
        request_stop(&e);
        pthread_mutex_unlock(&e.mu);
        for (int i = 0; i < n_threads; i++)
            if (ws[i].started)
                pthread_join(ws[i].tid, NULL);
        rc = e.written == e.n_local ? 0 : 1;
        for (int i = 0; i < n_threads; i++)
            if (ws[i].started && ws[i].failed) {
                if (err)
                    *err = ws[i].err;
                rc = ws[i].err.code ? ws[i].err.code : MIGDEV_E_NOMEM;
                break;
            }
    }
    pthread_cond_destroy(&e.cv_ready);
    pthread_cond_destroy(&e.cv_space);
    pthread_mutex_destroy(&e.mu);
done:
    if (n_done)
        *n_done = e.written;
    if (ws)
        for (int i = 0; i < n_threads; i++) {
            migdev_run_free(ws[i].run);
            free(ws[i].cols);
        }
    free(ws);
    free_slots(&e);
    migdev_sampler_free(e.sampler);
    return rc;
}
