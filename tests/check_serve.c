/*
** check_serve.c - `migdev serve` over HTTP (src/cli/serve*.c): the JSON
** API against `migdev run --set`, every kind of bad request (an HTTP 4xx with
** its message, the server still answering), parallel clients (each gets the
** answer for its own values), Ctrl-C, a port in use, bad files.
**
** The server is started as a child process on a free port (--port 0; the
** URL it prints gives the port); requests go through a minimal HTTP/1.1
** client on a plain socket, so that what is sent is exactly what is
** written here (no URL normalisation).
*/
#include "testutil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct server {
    pid_t pid;
    int port;
    int err_fd; /* its standard error */
} server;

/* Start `migdev serve FILES... --port 0`; returns its pid and port. */
static server start_server(const char *const *files)
{
    int out[2], errp[2];
    ck_assert_int_eq(pipe(out), 0);
    ck_assert_int_eq(pipe(errp), 0);
    const char *argv[16] = {MIGDEV_BIN, "serve"};
    int n = 2;
    for (; *files; files++)
        argv[n++] = *files;
    argv[n++] = "--port";
    argv[n++] = "0";
    argv[n] = NULL;
    const pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(out[1], 1);
        dup2(errp[1], 2);
        close(out[0]), close(errp[0]);
        execv(MIGDEV_BIN, (char *const *)argv);
        _exit(127);
    }
    close(out[1]), close(errp[1]);
    char line[512];
    size_t len = 0;
    while (len + 1 < sizeof line) {
        const ssize_t r = read(out[0], line + len, 1);
        if (r <= 0 || line[len] == '\n')
            break;
        len++;
    }
    line[len] = '\0';
    close(out[0]);
    const char *p = strstr(line, "http://127.0.0.1:");
    ck_assert_msg(p != NULL, "no URL printed: '%s'", line);
    server s = {pid, atoi(p + strlen("http://127.0.0.1:")), errp[0]};
    ck_assert_int_gt(s.port, 0);
    return s;
}

/* Stop the server with sig; returns its exit status (128+signal when killed). */
static int stop_server(server *s, int sig, char *err, size_t n)
{
    kill(s->pid, sig);
    int st = 0;
    for (int k = 0; k < 500; k++) { /* up to 10 s */
        if (waitpid(s->pid, &st, WNOHANG) == s->pid)
            break;
        if (k == 499) {
            kill(s->pid, SIGKILL);
            waitpid(s->pid, &st, 0);
        }
        struct timespec ts = {0, 20000000};
        nanosleep(&ts, NULL);
    }
    const ssize_t r = read(s->err_fd, err, n - 1);
    err[r > 0 ? r : 0] = '\0';
    close(s->err_fd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

typedef struct reply {
    int status;
    char *head; /* status line and headers */
    char *body;
} reply;

static void reply_free(reply *r)
{
    free(r->head);
    free(r->body);
}

/* One HTTP/1.1 request (Connection: close) with body (may be NULL) of len
** bytes. */
static reply http(int port, const char *method, const char *target, const char *body, size_t len)
{
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_ge(fd, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    char head[1024];
    const int hl = snprintf(head, sizeof head,
                            "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                            "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
                            method, target, body ? len : 0);
    ck_assert_int_eq(write(fd, head, (size_t)hl), hl);
    for (size_t off = 0; body && off < len;) {
        const ssize_t w = write(fd, body + off, len - off);
        if (w <= 0)
            break; /* the server may answer and close before reading it all */
        off += (size_t)w;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (n + 4096 > cap)
            buf = realloc(buf, cap *= 2);
        const ssize_t r = read(fd, buf + n, cap - n - 1);
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    buf[n] = '\0';
    close(fd);
    reply rp = {0, NULL, NULL};
    char *sep = strstr(buf, "\r\n\r\n");
    ck_assert_msg(sep != NULL, "%s %s: no HTTP answer: '%s'", method, target, buf);
    *sep = '\0';
    rp.head = strdup(buf);
    rp.body = strdup(sep + 4);
    rp.status = atoi(strchr(buf, ' ') + 1);
    free(buf);
    return rp;
}

static reply post(int port, const char *target, const char *body)
{
    return http(port, "POST", target, body, strlen(body));
}

/* The "error" message of a JSON reply (owned). */
static char *error_of(const reply *r)
{
    json_error_t je;
    json_t *j = json_loads(r->body, 0, &je);
    ck_assert_msg(j != NULL, "not JSON: %s", r->body);
    const char *e = json_string_value(json_object_get(j, "error"));
    char *out = strdup(e ? e : "");
    json_decref(j);
    return out;
}

/* A scenario of the paper model with knobs of its own (so that the
** expected messages do not follow the shipped configs), in a temporary
** folder as knobs.cfg. Owned. */
static char *knob_scenario(void)
{
    char *model = source_path("models/migration_development.cfg");
    char text[1200];
    snprintf(text, sizeof text,
             "name = \"Knobs\";\nmodel = \"%s\";\n"
             "set = { innovation_share = 0.035; labour_share = 0.36; };\n"
             "knobs = ( { constant = \"innovation_share\"; min = 0.0; max = 0.07; },\n"
             "          { constant = \"labour_share\"; min = 0.2; max = 0.5; } );\n",
             model);
    free(model);
    return strdup(tmp_file(1, "knobs.cfg", text));
}

static char *paper(const char *f)
{
    char rel[256];
    snprintf(rel, sizeof rel, "configs/%s", f);
    return source_path(rel);
}

/* The series of var in a /api/run reply compared with `migdev run FILE
** --set NAME=VALUE --vars var`: equal to the last bit (both print doubles
** that read back exactly). */
static void same_as_cli(const reply *r, const char *file, const char *set, const char *var)
{
    json_error_t je;
    json_t *j = json_loads(r->body, 0, &je);
    ck_assert_ptr_nonnull(j);
    const json_t *ys = json_object_get(json_object_get(j, "series"), var);
    ck_assert_msg(json_is_array(ys), "no series %s", var);
    const char *args[] = {"run", file, "--no-plots", "-o", "-", "--vars", var, "--set", set, NULL};
    if (!set)
        args[7] = NULL;
    cmd_result c = run_migdev(NULL, args);
    ck_assert_int_eq(c.status, 0);
    char *save = NULL;
    strtok_r(c.out, "\n", &save); /* header */
    size_t k = 0;
    for (char *l = strtok_r(NULL, "\n", &save); l; l = strtok_r(NULL, "\n", &save), k++) {
        const double want = strtod(strchr(l, ',') + 1, NULL);
        ck_assert_uint_lt(k, json_array_size(ys));
        const double got = json_number_value(json_array_get(ys, k));
        ck_assert_msg(got == want, "%s[%zu]: served %.17g, migdev run %.17g", var, k, got, want);
    }
    ck_assert_uint_eq(k, json_array_size(ys));
    ck_assert_uint_gt(k, 10);
    cmd_result_free(&c);
    json_decref(j);
}

START_TEST(api_runs_like_the_cli)
{
    char *sl = paper("state_led.cfg"), *mx = paper("countries/mex.cfg");
    const char *files[] = {sl, mx, NULL};
    server s = start_server(files);

    reply r = http(s.port, "GET", "/api/scenarios", NULL, 0);
    ck_assert_int_eq(r.status, 200);
    json_error_t je;
    json_t *j = json_loads(r.body, 0, &je);
    ck_assert_ptr_nonnull(j);
    const json_t *list = json_object_get(j, "scenarios");
    ck_assert_uint_eq(json_array_size(list), 2);
    const json_t *s0 = json_array_get(list, 0), *s1 = json_array_get(list, 1);
    ck_assert_str_eq(json_string_value(json_object_get(s0, "id")), "state_led");
    ck_assert_str_eq(json_string_value(json_object_get(s0, "name")), "State-led development");
    /* reform_innovation_share is a knob (one of its set), at the scenario's value */
    int found = 0;
    const json_t *kn = json_object_get(s0, "knobs");
    for (size_t i = 0; i < json_array_size(kn); i++)
        if (!strcmp(json_string_value(json_object_get(json_array_get(kn, i), "constant")),
                    "reform_innovation_share")) {
            found = 1;
            ck_assert(json_real_value(json_object_get(json_array_get(kn, i), "value")) == 0.091); /* configs/state_led.cfg */
        }
    ck_assert(found);
    /* the calibration scenario's six data series (configs/countries/mex.cfg) */
    const json_t *data = json_object_get(s1, "data");
    ck_assert_uint_eq(json_array_size(data), 6);
    json_decref(j);
    reply_free(&r);

    r = post(s.port, "/api/run", "{\"scenario\": \"state_led\", \"set\": {\"reform_innovation_share\": 0.0123}}");
    ck_assert_int_eq(r.status, 200);
    same_as_cli(&r, sl, "reform_innovation_share=0.0123", "emigrant_stock");
    same_as_cli(&r, sl, "reform_innovation_share=0.0123", "remittances");
    reply_free(&r);
    r = post(s.port, "/api/run", "{\"scenario\": \"mex\"}");
    ck_assert_int_eq(r.status, 200);
    same_as_cli(&r, mx, NULL, "remittances_recorded_current_usd");
    ck_assert_ptr_null(strstr(r.body, "\"dominant\"")); /* loops only when asked */
    reply_free(&r);

    /* loops: named loops of the model appear by name */
    r = post(s.port, "/api/loops", "{\"scenario\": \"state_led\"}");
    ck_assert_int_eq(r.status, 200);
    ck_assert_ptr_nonnull(strstr(r.body, "\"name\":\"vicious circle\""));
    ck_assert_ptr_nonnull(strstr(r.body, "\"dominant\":[{"));
    reply_free(&r);

    /* save: a download named after the scenario, that migdev run reads */
    r = post(s.port, "/api/save", "{\"scenario\": \"state_led\", \"set\": {\"reform_innovation_share\": 0.0123}}");
    ck_assert_int_eq(r.status, 200);
    ck_assert_ptr_nonnull(strstr(r.head, "Content-Disposition: attachment; filename=\"state_led-custom.cfg\""));
    ck_assert_ptr_nonnull(strstr(r.body, "reform_innovation_share = 0.0123;"));
    reply_free(&r);

    /* the page and its files come from the executable */
    r = http(s.port, "GET", "/", NULL, 0);
    ck_assert_int_eq(r.status, 200);
    ck_assert_ptr_nonnull(strstr(r.head, "Content-Type: text/html"));
    ck_assert_ptr_nonnull(strstr(r.body, "<script src=\"/app.js\"></script>"));
    reply_free(&r);
    r = http(s.port, "GET", "/app.js", NULL, 0);
    ck_assert_int_eq(r.status, 200);
    ck_assert_ptr_nonnull(strstr(r.head, "Content-Type: text/javascript"));
    reply_free(&r);

    char err[4096];
    ck_assert_int_eq(stop_server(&s, SIGINT, err, sizeof err), 0);
    ck_assert_str_eq(err, "migdev serve: stopped (Ctrl-C)\n");
    free(sl), free(mx);
}
END_TEST

/* Bad requests: each gets its status and message, and the server goes on. */
START_TEST(bad_requests)
{
    char *sl = knob_scenario();
    const char *files[] = {sl, NULL};
    server s = start_server(files);
    static const struct {
        const char *method, *target, *body;
        int status;
        const char *msg;
    } cases[] = {
        {"POST", "/api/run", "{\"scenario\": \"knobs\", \"set\": {\"innovation_share\": 9}}", 400,
         "innovation_share = 9 is out of its range [0, 0.07]"},
        {"POST", "/api/run", "{\"scenario\": \"knobs\", \"set\": {\"innovation_share\": -1e-9}}", 400,
         "innovation_share = -1e-09 is out of its range [0, 0.07]"},
        {"POST", "/api/run", "{\"scenario\": \"knobs\", \"set\": {\"innovation_shar\": 0.01}}", 400,
         "the model has no constant 'innovation_shar' (knobs of knobs: innovation_share, "
         "labour_share)"},
        {"POST", "/api/run", "{\"scenario\": \"knobs\", \"set\": {\"capital_share\": 0.3}}", 400,
         "'capital_share' is not a knob of knobs (knobs: innovation_share, labour_share)"},
        {"POST", "/api/run", "{\"scenario\": \"knobs\", \"set\": {\"innovation_share\": \"0.01\"}}",
         400, "the value of 'innovation_share' must be a number"},
        {"POST", "/api/run", "{\"scenario\": \"../../etc/passwd\"}", 400,
         "unknown scenario '../../etc/passwd' (served: knobs)"},
        {"POST", "/api/run", "{\"set\": {}}", 400,
         "the request needs \"scenario\": the id of a served scenario, in quotes"},
        {"POST", "/api/run", "{\"scenario\": \"knobs\", \"file\": \"/etc/passwd\"}", 400,
         "unknown field 'file' in the request (fields: scenario, set, loops)"},
        {"POST", "/api/run", "{\"scenario\": \"knobs\", \"loops\": 1}", 400,
         "\"loops\" must be true or false"},
        {"POST", "/api/run", "{\"scenario\": \"knobs\", \"set\": [1]}", 400,
         "\"set\" must be an object of knob values: {\"innovation_share\": 0.035}"},
        {"POST", "/api/run", "{\"scenario\": \"knobs\",", 400,
         "malformed JSON at line 1, column 21: string or '}' expected near end of file"},
        {"POST", "/api/run", "{\"scenario\": \"knobs\", \"scenario\": \"x\"}", 400,
         "malformed JSON at line 1, column 32: duplicate object key near '\"scenario\"'"},
        {"POST", "/api/run", "[1, 2]", 400,
         "the request must be a JSON object: {\"scenario\": \"knobs\", \"set\": {}}"},
        {"POST", "/api/run", "", 400,
         "the request needs a JSON body: {\"scenario\": \"knobs\", \"set\": {}}"},
        {"GET", "/api/run", NULL, 405, "GET /api/run: use POST with a JSON body"},
        {"POST", "/api/scenarios", "{}", 405, "POST /api/scenarios: use GET"},
        {"GET", "/../../etc/passwd", NULL, 404,
         "no such page: /../../etc/passwd (the page is /, the API is under /api/)"},
        {"GET", "/index.html/../../../etc/passwd", NULL, 404,
         "no such page: /index.html/../../../etc/passwd (the page is /, the API is under /api/)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        reply r = http(s.port, cases[i].method, cases[i].target, cases[i].body,
                       cases[i].body ? strlen(cases[i].body) : 0);
        ck_assert_msg(r.status == cases[i].status, "case %zu: HTTP %d, wanted %d: %s", i, r.status,
                      cases[i].status, r.body);
        char *e = error_of(&r);
        ck_assert_str_eq(e, cases[i].msg);
        free(e);
        reply_free(&r);
    }
    /* an oversized body: 400, read to its end, the connection answered */
    const size_t big = 3 * 65536;
    char *b = malloc(big + 1);
    memset(b, ' ', big);
    b[big] = '\0';
    memcpy(b, "{\"scenario\": \"knobs\"", 20);
    reply r = http(s.port, "POST", "/api/run", b, big);
    ck_assert_int_eq(r.status, 400);
    char *e = error_of(&r);
    ck_assert_str_eq(e, "the request body is larger than 65536 bytes");
    free(e);
    free(b);
    reply_free(&r);
    /* still serving */
    r = post(s.port, "/api/run", "{\"scenario\": \"knobs\"}");
    ck_assert_int_eq(r.status, 200);
    reply_free(&r);
    char err[4096];
    ck_assert_int_eq(stop_server(&s, SIGTERM, err, sizeof err), 0);
    ck_assert_str_eq(err, "migdev serve: stopped (SIGTERM)\n");
    free(sl);
}
END_TEST

/* Parallel clients: every thread asks for its own values, several times,
** and must get exactly the answer a lone request gets for them. */
enum { N_CLIENTS = 6, N_ROUNDS = 4 };
typedef struct client {
    int port, id;
    char *want;  /* the lone answer */
    int mixed;   /* answers that differed */
} client;

static char *run_body(int id)
{
    char *b = malloc(200);
    snprintf(b, 200, "{\"scenario\": \"knobs\", \"set\": {\"innovation_share\": %.4f, "
                     "\"labour_share\": %.3f}, \"loops\": true}", 0.005 * (id + 1), 0.30 + 0.01 * id);
    return b;
}

static void *client_main(void *arg)
{
    client *c = arg;
    char *body = run_body(c->id);
    for (int k = 0; k < N_ROUNDS; k++) {
        reply r = post(c->port, "/api/run", body);
        c->mixed += r.status != 200 || strcmp(r.body, c->want) != 0;
        reply_free(&r);
    }
    free(body);
    return NULL;
}

START_TEST(parallel_clients)
{
    char *sl = knob_scenario();
    const char *files[] = {sl, NULL};
    server s = start_server(files);
    client cl[N_CLIENTS];
    for (int i = 0; i < N_CLIENTS; i++) {
        char *body = run_body(i);
        reply r = post(s.port, "/api/run", body);
        ck_assert_int_eq(r.status, 200);
        cl[i] = (client){s.port, i, strdup(r.body), 0};
        reply_free(&r);
        free(body);
        for (int j = 0; j < i; j++) /* distinct values, distinct answers */
            ck_assert_str_ne(cl[i].want, cl[j].want);
    }
    pthread_t th[N_CLIENTS];
    for (int i = 0; i < N_CLIENTS; i++)
        ck_assert_int_eq(pthread_create(&th[i], NULL, client_main, &cl[i]), 0);
    for (int i = 0; i < N_CLIENTS; i++) {
        pthread_join(th[i], NULL);
        ck_assert_msg(cl[i].mixed == 0, "client %d got %d answers that were not its own", i,
                      cl[i].mixed);
        free(cl[i].want);
    }
    char err[4096];
    ck_assert_int_eq(stop_server(&s, SIGINT, err, sizeof err), 0);
    free(sl);
}
END_TEST

START_TEST(port_in_use_and_bad_files)
{
    /* hold a port, then ask migdev serve for it */
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    ck_assert_int_eq(listen(fd, 1), 0);
    socklen_t sl = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &sl);
    char port[16], want[300];
    snprintf(port, sizeof port, "%d", ntohs(a.sin_port));
    char *sc = paper("state_led.cfg");
    const char *args[] = {"serve", sc, "--port", port, NULL};
    cmd_result r = run_migdev(NULL, args);
    ck_assert_int_eq(r.status, 1);
    snprintf(want, sizeof want,
             "error: port %s on 127.0.0.1 is already in use (another migdev serve?); choose "
             "another with --port N, or --port 0 for any free one\n", port);
    ck_assert_str_eq(r.err, want);
    ck_assert_str_eq(r.out, "");
    cmd_result_free(&r);
    close(fd);

    const char *a2[] = {"serve", NULL};
    r = run_migdev(NULL, a2);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "give at least one scenario or model file"));
    cmd_result_free(&r);
    const char *a3[] = {"serve", sc, "--port", "70000", NULL};
    r = run_migdev(NULL, a3);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "--port must be a whole number from 0 to 65535, got '70000'"));
    cmd_result_free(&r);
    const char *bad = tmp_file(0, "bad.cfg", "model = \"nowhere.cfg\";\n");
    const char *a4[] = {"serve", bad, NULL};
    r = run_migdev(NULL, a4);
    ck_assert_int_eq(r.status, 1);
    ck_assert_ptr_nonnull(strstr(r.err, "bad.cfg:1:10: error: model file"));
    cmd_result_free(&r);
    const char *a5[] = {"serve", sc, "--vars", "outptu", NULL};
    r = run_migdev(NULL, a5);
    ck_assert_int_eq(r.status, 1);
    ck_assert_ptr_nonnull(strstr(r.err, "has no variable 'outptu' (did you mean 'output'?)"));
    cmd_result_free(&r);
    free(sc);
}
END_TEST

static Suite *serve_suite(void)
{
    Suite *s = suite_create("serve");
    TCase *core = tcase_create("core"), *errors = tcase_create("errors"),
          *limits = tcase_create("limits");
    tcase_set_timeout(core, 120);
    tcase_set_timeout(errors, 120);
    tcase_set_timeout(limits, 120);
    tcase_add_test(core, api_runs_like_the_cli);
    tcase_add_test(errors, bad_requests);
    tcase_add_test(errors, port_in_use_and_bad_files);
    tcase_add_test(limits, parallel_clients);
    suite_add_tcase(s, core);
    suite_add_tcase(s, errors);
    suite_add_tcase(s, limits);
    return s;
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    return run_suite(serve_suite());
}
