/*
** serve.c - `migdev serve FILE...`: the live classroom page over HTTP.
**
** The listening socket is opened here (so that a port in use is a clear
** error, and --port 0 picks a free one) and handed to libmicrohttpd, which
** answers on a small pool of threads through serve_app_handle(). The main
** thread blocks SIGINT and SIGTERM before any thread starts (they inherit
** the mask) and waits for one of them with sigwait(): Ctrl-C stops the
** daemon, lets running requests finish and frees everything.
*/
#include "commands.h"
#include "serve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char help[] =
    "usage: migdev serve FILE... [options]\n"
    "\n"
    "Serve a live page for a class: a slider per knob of each scenario (its\n"
    "`knobs` list, else the constants of its `set`), the curves redrawn as a\n"
    "slider moves, the scenarios side by side, the dominant feedback loop over\n"
    "time, the calibration data as points, \"reset\" and \"save this scenario\".\n"
    "Everything is served by migdev itself (no internet needed). The JSON API\n"
    "is described in docs/serve.md. Stop with Ctrl-C.\n"
    "\n"
    "options:\n"
    "  --port N       TCP port (default 8080; 0: any free port, printed)\n"
    "  --host ADDR    address to listen on (default 127.0.0.1: this machine\n"
    "                 only; 0.0.0.0 shares the page with the local network)\n"
    "  --vars a,b,c   variables to draw (default: the scenario's figures, else\n"
    "                 its output variables, else its stocks)\n"
    "  --threads N    requests answered at once (default 4)\n"
    "\n"
    "exit status: 0 stopped by Ctrl-C, 1 bad scenario or the port cannot be\n"
    "used, 2 bad usage\n";

enum { SERVE_DEFAULT_PORT = 8080, SERVE_DEFAULT_THREADS = 4, SERVE_MAX_THREADS = 64 };

/* One request in progress: its body, gathered as it arrives. */
typedef struct conn {
    char *body;
    size_t len;
    int too_large;
} conn;

static enum MHD_Result send_reply(struct MHD_Connection *mc, serve_reply *rep)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(rep->len, rep->body, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(rep->body);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type", rep->type);
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    if (rep->filename[0]) {
        char cd[200];
        snprintf(cd, sizeof cd, "attachment; filename=\"%s\"", rep->filename);
        MHD_add_response_header(resp, "Content-Disposition", cd);
    }
    const enum MHD_Result r = MHD_queue_response(mc, (unsigned)rep->status, resp);
    MHD_destroy_response(resp);
    return r;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *mc, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls)
{
    (void)version;
    const serve_app *app = cls;
    conn *c = *con_cls;
    if (!c) { /* first call: headers only */
        c = calloc(1, sizeof *c);
        if (!c)
            return MHD_NO;
        *con_cls = c;
        return MHD_YES;
    }
    if (*upload_size > 0) { /* a piece of the body */
        if (!c->too_large && c->len + *upload_size <= SERVE_MAX_BODY) {
            char *b = realloc(c->body, c->len + *upload_size + 1);
            if (!b)
                return MHD_NO;
            memcpy(b + c->len, upload_data, *upload_size);
            c->body = b;
            c->len += *upload_size;
            c->body[c->len] = '\0';
        } else {
            c->too_large = 1;
        }
        *upload_size = 0;
        return MHD_YES;
    }
    serve_reply rep;
    if (c->too_large) {
        memset(&rep, 0, sizeof rep);
        serve_reply_too_large(&rep);
    } else {
        serve_app_handle(app, method, url, NULL, c->body, c->len, &rep);
    }
    return send_reply(mc, &rep);
}

static void on_done(void *cls, struct MHD_Connection *mc, void **con_cls,
                    enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)mc, (void)toe;
    conn *c = *con_cls;
    if (c) {
        free(c->body);
        free(c);
        *con_cls = NULL;
    }
}

/* Open a listening socket on host:port. Returns the socket, or -1 after
** printing why. *bound gets the port actually bound (for port 0). */
static int open_listener(const char *host, int port, int *bound)
{
    char ps[16];
    snprintf(ps, sizeof ps, "%d", port);
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    const int gr = getaddrinfo(host, ps, &hints, &res);
    if (gr != 0) {
        fprintf(stderr, "error: --host %s: %s\n", host, gai_strerror(gr));
        return -1;
    }
    int fd = -1, why = 0;
    for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0) {
            why = errno;
            continue;
        }
        const int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 64) != 0) {
            why = errno;
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    if (fd < 0) {
        if (why == EADDRINUSE)
            fprintf(stderr, "error: port %d on %s is already in use (another migdev serve?); "
                            "choose another with --port N, or --port 0 for any free one\n",
                    port, host);
        else if (why == EACCES)
            fprintf(stderr, "error: not allowed to listen on port %d on %s (ports below 1024 "
                            "need privileges); choose another with --port N\n", port, host);
        else
            fprintf(stderr, "error: cannot listen on %s port %d: %s\n", host, port,
                    strerror(why));
        return -1;
    }
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    *bound = port;
    if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0) {
        if (ss.ss_family == AF_INET)
            *bound = ntohs(((struct sockaddr_in *)&ss)->sin_port);
        else if (ss.ss_family == AF_INET6)
            *bound = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    }
    return fd;
}

typedef struct serve_opts {
    long port, threads;
    const char *host, *vars;
    const char **files;
    int n_files;
} serve_opts;

/* A whole number in [lo, hi] for option opt. */
static int int_option(cli *c, const char *opt, const char *inl, long lo, long hi, long *out)
{
    const char *v;
    if (cli_option_value(c, "serve", opt, inl, &v) != EXIT_OK)
        return EXIT_USAGE;
    char *end;
    errno = 0;
    const long x = strtol(v, &end, 10);
    if (!*v || *end || errno || x < lo || x > hi)
        return cli_usage_error(c, c->i - (inl ? 0 : 1), "serve",
                               "%s must be a whole number from %ld to %ld, got '%s'", opt, lo, hi,
                               v);
    *out = x;
    return EXIT_OK;
}

static int parse(cli *c, serve_opts *o)
{
    for (; c->i < c->argc; c->i++) {
        const char *a = c->argv[c->i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(help, stdout);
            return -1;
        }
        if (a[0] != '-' || !a[1]) {
            o->files[o->n_files++] = a;
            continue;
        }
        char opt[64];
        const char *inl = cli_split_option(a, opt, sizeof opt);
        int st;
        if (!strcmp(opt, "--port"))
            st = int_option(c, opt, inl, 0, 65535, &o->port);
        else if (!strcmp(opt, "--threads"))
            st = int_option(c, opt, inl, 1, SERVE_MAX_THREADS, &o->threads);
        else if (!strcmp(opt, "--host"))
            st = cli_option_value(c, "serve", opt, inl, &o->host);
        else if (!strcmp(opt, "--vars"))
            st = cli_option_value(c, "serve", opt, inl, &o->vars);
        else
            st = cli_usage_error(c, c->i, "serve", "unknown option '%s'", opt);
        if (st != EXIT_OK)
            return st;
    }
    if (o->n_files == 0)
        return cli_usage_error(c, c->argc, "serve", "give at least one scenario or model file");
    return EXIT_OK;
}

int cmd_serve(cli *c)
{
    serve_opts o = {SERVE_DEFAULT_PORT, SERVE_DEFAULT_THREADS, "127.0.0.1", NULL, NULL, 0};
    o.files = calloc((size_t)c->argc + 1, sizeof *o.files);
    if (!o.files)
        return EXIT_INPUT;
    int st = parse(c, &o);
    if (st != EXIT_OK) {
        free(o.files);
        return st < 0 ? EXIT_OK : st;
    }
    migdev_error err;
    migdev_error_clear(&err);
    serve_app *app = serve_app_open(o.files, o.n_files, o.vars, &err);
    free(o.files);
    if (!app) {
        cli_print_error(&err);
        return cli_exit_code(err.code) == EXIT_OK ? EXIT_INPUT : cli_exit_code(err.code);
    }
    int port = 0;
    const int fd = open_listener(o.host, (int)o.port, &port);
    if (fd < 0) {
        serve_app_free(app);
        return EXIT_INPUT;
    }
    /* block the stop signals in every thread; this one waits for them */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG, 0, NULL,
        NULL, on_request, app, MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)o.threads, MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL,
        MHD_OPTION_CONNECTION_TIMEOUT, 60u, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "error: the HTTP server (libmicrohttpd) did not start\n");
        close(fd);
        serve_app_free(app);
        return EXIT_INPUT;
    }
    const int v6 = strchr(o.host, ':') != NULL;
    printf("migdev serve: %d scenario%s at http://%s%s%s:%d/ (Ctrl-C to stop)\n",
           serve_app_n(app), serve_app_n(app) == 1 ? "" : "s", v6 ? "[" : "", o.host,
           v6 ? "]" : "", port);
    fflush(stdout);
    int sig = 0;
    sigwait(&stop, &sig);
    MHD_stop_daemon(d);
    close(fd);
    serve_app_free(app);
    fprintf(stderr, "migdev serve: stopped (%s)\n", sig == SIGINT ? "Ctrl-C" : "SIGTERM");
    return EXIT_OK;
}
