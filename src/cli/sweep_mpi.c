/*
** sweep_mpi.c - split a sweep across MPI ranks.
**
** Runs are dealt in blocks of BLOCK consecutive runs, block b to rank
** b % size; every rank runs its blocks on its own threads (the library's
** executor, with n_parts = size, part = rank). Ranks other than 0 pack each
** finished block (run, status, parameters, metrics, carried series) into
** one message (double-buffered MPI_Isend). Rank 0 writes results strictly
** in run order: before writing one of its own runs it receives, in order,
** the blocks of the other ranks that come before it. The output is the
** same bytes a single process writes.
**
** Stopping: a rank that stops early (SIGINT/SIGTERM, which mpirun forwards
** to every rank) sends its last partial block and a final message. Rank 0
** writes up to the first run it does not have, sends STOP to every rank,
** and receives (and drops) what is still coming until each rank's final
** message. Each rank other than 0 receives exactly one STOP, at the latest
** after its final message, so that no message is left unmatched.
*/
#include "sweep_mpi.h"

#include "args.h"
#include "sweep_sink.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef MIGDEV_HAVE_MPI

#if defined(MIGDEV_MPI_LAUNCHER)
#include <errno.h>
#include <unistd.h>

/* Started by mpirun/srun: become migdev-mpi, the same command built with
** MPI, found next to this executable. The migdev command itself does not
** load the MPI libraries, which would cost every other command 1-2 ms. */
static void exec_mpi_build(char **argv)
{
    if (!getenv("OMPI_COMM_WORLD_SIZE") && !getenv("PMIX_RANK") && !getenv("PMI_RANK") &&
        !getenv("PMI_SIZE"))
        return;
    char path[4096];
    const ssize_t n = readlink("/proc/self/exe", path, sizeof path - 16);
    if (n <= 0)
        return;
    path[n] = '\0';
    char *slash = strrchr(path, '/');
    if (!slash)
        return;
    snprintf(slash + 1, sizeof path - (size_t)(slash + 1 - path), "migdev-mpi");
    execv(path, argv);
    fprintf(stderr, "migdev: warning: started by MPI but %s cannot run (%s): every rank runs "
            "the whole sweep\n", path, strerror(errno));
}
#endif

int sweep_mpi_begin(int *argc, char ***argv, int *rank, int *size)
{
    (void)argc, (void)argv;
#if defined(MIGDEV_MPI_LAUNCHER)
    exec_mpi_build(*argv);
#endif
    *rank = 0;
    *size = 1;
    return 0;
}

void sweep_mpi_end(int active, int status) { (void)active, (void)status; }

int sweep_mpi_run(const migdev_sweep *sw, const char *summary, const char *series,
                  const char *bands, const char *fan, int resume, int want_progress, int jobs,
                  long stop_after, const char *title, const char *time_units, int rank, int size)
{
    (void)sw, (void)summary, (void)series, (void)bands, (void)fan, (void)resume, (void)want_progress;
    (void)jobs, (void)stop_after, (void)title, (void)time_units, (void)rank, (void)size;
    fprintf(stderr, "error: this migdev was built without MPI\n");
    return EXIT_INPUT;
}

#else

#include <mpi.h>

enum { TAG_DATA = 1, TAG_STOP = 2, BLOCK = 64, HDR = 3 };

int sweep_mpi_begin(int *argc, char ***argv, int *rank, int *size)
{
    *rank = 0;
    *size = 1;
    if (!getenv("OMPI_COMM_WORLD_SIZE") && !getenv("PMIX_RANK") && !getenv("PMI_RANK") &&
        !getenv("PMI_SIZE"))
        return 0;
    int provided = 0;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
        return 0;
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, size);
    if (*rank != 0) {
        /* one voice: rank 0 reports for everyone */
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
            return 1;
    }
    return 1;
}

void sweep_mpi_end(int active, int status)
{
    (void)status;
    if (active)
        MPI_Finalize();
}

typedef struct mpi_ctx {
    const migdev_sweep *sw;
    int rank, size;
    long first, end;
    int d, m;
    size_t rec;          /* doubles per record */
    size_t n_saves;
    int n_out;
    /* ranks > 0: double-buffered sends */
    double *buf[2];
    MPI_Request req[2];
    int cur, count;
    long cur_block;
    int got_stop;
    /* rank 0 */
    sweep_sink *sink;
    double *in;
    long next;           /* next run to write */
    int *finished;       /* final message received */
    int *stop_sent;
    int gap;             /* a run is missing: nothing more can be written */
} mpi_ctx;

static long block_of(const mpi_ctx *c, long run) { return (run - c->first) / BLOCK; }

static long block_size(const mpi_ctx *c, long b)
{
    const long lo = c->first + b * BLOCK, hi = lo + BLOCK < c->end ? lo + BLOCK : c->end;
    return hi - lo;
}

static void pack(const mpi_ctx *c, double *dst, const migdev_sweep_result *r)
{
    dst[0] = (double)r->run;
    dst[1] = (double)r->status;
    memcpy(dst + 2, r->params, (size_t)c->d * sizeof *dst);
    memcpy(dst + 2 + c->d, r->metrics, (size_t)c->m * sizeof *dst);
    if (c->n_out)
        memcpy(dst + 2 + c->d + c->m, r->series, (size_t)c->n_out * c->n_saves * sizeof *dst);
}

static migdev_sweep_result unpack(const mpi_ctx *c, const double *src)
{
    migdev_sweep_result r;
    r.run = (long)src[0];
    r.status = (int)src[1];
    r.error = NULL;
    r.params = src + 2;
    r.metrics = src + 2 + c->d;
    r.series = c->n_out ? src + 2 + c->d + c->m : NULL;
    r.row = NULL;
    return r;
}

/* ---- ranks other than 0 ---- */

static void send_block(mpi_ctx *c, int final)
{
    double *b = c->buf[c->cur];
    b[0] = (double)c->cur_block;
    b[1] = (double)c->count;
    b[2] = final;
    MPI_Isend(b, (int)(HDR + (size_t)c->count * c->rec), MPI_DOUBLE, 0, TAG_DATA, MPI_COMM_WORLD,
              &c->req[c->cur]);
    c->cur ^= 1;
    c->count = 0;
}

static int worker_result(void *ctx, const migdev_sweep_result *r)
{
    mpi_ctx *c = ctx;
    const long b = block_of(c, r->run);
    if (c->count == 0) {
        c->cur_block = b;
        MPI_Wait(&c->req[c->cur], MPI_STATUS_IGNORE);
    }
    pack(c, c->buf[c->cur] + HDR + (size_t)c->count * c->rec, r);
    c->count++;
    if (c->count == block_size(c, b))
        send_block(c, 0);
    return 0;
}

static int worker_poll(void *ctx)
{
    mpi_ctx *c = ctx;
    if (!c->got_stop) {
        int flag = 0;
        MPI_Iprobe(0, TAG_STOP, MPI_COMM_WORLD, &flag, MPI_STATUS_IGNORE);
        if (flag) {
            int dummy;
            MPI_Recv(&dummy, 1, MPI_INT, 0, TAG_STOP, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            c->got_stop = 1;
        }
    }
    return c->got_stop || sweep_interrupted();
}

/* ---- rank 0 ---- */

static void send_stop(mpi_ctx *c, int r)
{
    if (c->stop_sent[r])
        return;
    int dummy = 0;
    MPI_Send(&dummy, 1, MPI_INT, r, TAG_STOP, MPI_COMM_WORLD);
    c->stop_sent[r] = 1;
}

/* Receive the next message of rank r into c->in; returns its count. */
static long receive(mpi_ctx *c, int r, long *blk, int *final)
{
    MPI_Recv(c->in, (int)(HDR + (size_t)BLOCK * c->rec), MPI_DOUBLE, r, TAG_DATA, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    *blk = (long)c->in[0];
    *final = c->in[2] != 0.0;
    if (*final)
        c->finished[r] = 1;
    return (long)c->in[1];
}

/* Write the blocks of other ranks until run `upto` (exclusive), or until
** one of rank 0's own runs comes next when upto < 0. Sets c->gap when a
** run is missing. */
static void pull(mpi_ctx *c, long upto)
{
    while (!c->gap && c->next < c->end && (upto < 0 || c->next < upto)) {
        const long b = block_of(c, c->next);
        const int owner = (int)(b % c->size);
        if (owner == 0) {
            if (upto < 0)
                return;
            c->gap = 1; /* cannot happen: rank 0's runs come through its own results */
            return;
        }
        if (c->finished[owner]) {
            c->gap = 1;
            return;
        }
        long blk;
        int final;
        const long n = receive(c, owner, &blk, &final);
        if (n == 0 || blk != b) {
            c->gap = 1;
            return;
        }
        for (long i = 0; i < n; i++) {
            const migdev_sweep_result r = unpack(c, c->in + HDR + (size_t)i * c->rec);
            if (sink_put(c->sink, &r) != 0) {
                c->gap = 1;
                return;
            }
            c->next = r.run + 1;
        }
        if (n < block_size(c, b))
            c->gap = 1;
    }
}

static int root_result(void *ctx, const migdev_sweep_result *r)
{
    mpi_ctx *c = ctx;
    pull(c, r->run);
    if (c->gap || c->next != r->run)
        return 1;
    if (sink_put(c->sink, r) != 0) {
        c->gap = 1;
        return 1;
    }
    c->next = r->run + 1;
    return 0;
}

static int root_poll(void *ctx)
{
    mpi_ctx *c = ctx;
    sink_tick(c->sink);
    return c->gap || sweep_interrupted();
}

int sweep_mpi_run(const migdev_sweep *sw, const char *summary, const char *series,
                  const char *bands, const char *fan, int resume, int want_progress, int jobs,
                  long stop_after, const char *title, const char *time_units, int rank, int size)
{
    mpi_ctx c;
    memset(&c, 0, sizeof c);
    c.sw = sw;
    c.rank = rank;
    c.size = size;
    c.end = migdev_sweep_n_runs(sw);
    c.d = migdev_sweep_n_params(sw);
    c.m = migdev_sweep_n_metrics(sw);
    migdev_sweep_times(sw, &c.n_saves);
    migdev_sweep_out_vars(sw, &c.n_out);
    c.rec = 2 + (size_t)c.d + (size_t)c.m + (size_t)c.n_out * c.n_saves;
    sweep_sink sink;
    memset(&sink, 0, sizeof sink);
    long hdr[2] = {EXIT_OK, 0}; /* status, first run */
    if (rank == 0) {
        const int st = sink_open(&sink, sw, summary, series, bands, fan, resume, want_progress, &hdr[1]);
        hdr[0] = st;
        sink.title = title;
        sink.time_units = time_units;
    }
    MPI_Bcast(hdr, 2, MPI_LONG, 0, MPI_COMM_WORLD);
    if (hdr[0] != EXIT_OK) {
        if (rank == 0)
            sink_abort(&sink);
        return hdr[0] == SINK_NOTHING_TO_DO ? EXIT_OK : (int)hdr[0];
    }
    c.first = hdr[1];
    c.next = c.first;
    migdev_sweep_exec x;
    memset(&x, 0, sizeof x);
    x.first = c.first;
    x.end = c.end;
    x.block = BLOCK;
    x.n_parts = size;
    x.part = rank;
    x.n_threads = jobs;
    x.ctx = &c;
    x.stop_after = stop_after;
    migdev_error err;
    migdev_error_clear(&err);
    long done = 0;
    int status = EXIT_OK;
    const size_t msg = HDR + (size_t)BLOCK * c.rec;
    if (rank != 0) {
        c.buf[0] = malloc(msg * sizeof(double));
        c.buf[1] = malloc(msg * sizeof(double));
        c.req[0] = c.req[1] = MPI_REQUEST_NULL;
        if (!c.buf[0] || !c.buf[1])
            MPI_Abort(MPI_COMM_WORLD, EXIT_INPUT);
        x.on_result = worker_result;
        x.poll = worker_poll;
        const int rc = migdev_sweep_execute(sw, &x, &done, &err);
        if (rc < 0)
            status = cli_exit_code(rc);
        /* the last partial block (if any) goes out flagged final; else an
           empty final message */
        if (c.count == 0) {
            MPI_Wait(&c.req[c.cur], MPI_STATUS_IGNORE);
            c.cur_block = -1;
        }
        send_block(&c, 1);
        MPI_Waitall(2, c.req, MPI_STATUSES_IGNORE);
        if (!c.got_stop) {
            int dummy;
            MPI_Recv(&dummy, 1, MPI_INT, 0, TAG_STOP, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        }
        free(c.buf[0]);
        free(c.buf[1]);
        return status;
    }
    c.sink = &sink;
    c.in = malloc(msg * sizeof(double));
    c.finished = calloc((size_t)size, sizeof *c.finished);
    c.stop_sent = calloc((size_t)size, sizeof *c.stop_sent);
    if (!c.in || !c.finished || !c.stop_sent)
        MPI_Abort(MPI_COMM_WORLD, EXIT_INPUT);
    x.on_result = root_result;
    x.poll = root_poll;
    const int rc = migdev_sweep_execute(sw, &x, &done, &err);
    if (rc < 0) {
        progress_end(&sink.prog);
        cli_print_error(&err);
        status = cli_exit_code(rc);
    }
    /* what the other ranks finished after rank 0's last run */
    if (rc == 0)
        pull(&c, c.end);
    else if (rc > 0)
        pull(&c, -1);
    const int complete = rc == 0 && !c.gap && c.next == c.end;
    /* stop everyone, then drain what is still coming */
    for (int r = 1; r < size; r++)
        if (!c.finished[r])
            send_stop(&c, r);
    for (int r = 1; r < size; r++) {
        long blk;
        int final;
        while (!c.finished[r])
            receive(&c, r, &blk, &final);
        send_stop(&c, r);
    }
    if (status == EXIT_OK)
        status = sink_finish(&sink, complete, sweep_interrupted());
    else
        sink_abort(&sink);
    free(c.in);
    free(c.finished);
    free(c.stop_sent);
    return status;
}

#endif
