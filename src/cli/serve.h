/*
** serve.h - `migdev serve`: the live classroom page.
**
** serve_app.c holds the served scenarios (read once at start, immutable
** afterwards, shared by the server's threads) and answers requests as
** values (status, content type, body): the JSON API of docs/serve.md and
** the page's files, compiled into the executable (serve_assets.c, generated
** by cmake/embed.cmake from src/cli/web/). serve.c is the command: options,
** the listening socket, libmicrohttpd, Ctrl-C.
*/
#ifndef MIGDEV_CLI_SERVE_H
#define MIGDEV_CLI_SERVE_H

#include "migdev/migdev.h"

#include <stddef.h>

/* A file of the page, compiled in. */
typedef struct serve_asset {
    const char *path; /* "/app.js" */
    const char *type; /* Content-Type */
    const unsigned char *data;
    size_t len;
} serve_asset;

extern const serve_asset serve_assets[];
extern const int serve_n_assets;

/* Largest request body accepted (bytes); more is an HTTP 400. */
#define SERVE_MAX_BODY 65536

typedef struct serve_app serve_app;

/* Open the scenarios files[0..n-1] for serving. vars: comma-separated
** variables to draw (NULL: each scenario's figure variables, else its
** output variables, else its stocks), plus the variables that have
** calibration data. Returns an owned app, or NULL with err set (the
** offending file:line:col). */
serve_app *serve_app_open(const char *const *files, int n, const char *vars, migdev_error *err);
void serve_app_free(serve_app *a);

/* Number of scenarios served and the id of scenario i (for messages). */
int serve_app_n(const serve_app *a);
const char *serve_app_id(const serve_app *a, int i);

/* An answer: HTTP status, content type, body (owned, malloc'ed), and a file
** name for Content-Disposition (a download) or "". */
typedef struct serve_reply {
    int status;
    const char *type;
    char *body;
    size_t len;
    char filename[128];
} serve_reply;

/* Answer method url with the request body (len bytes; may be NULL). The url
** is only compared with fixed names: it never reaches the file system.
** Thread-safe: any number of calls may run at once. Fills *out (free
** out->body). */
void serve_app_handle(const serve_app *a, const char *method, const char *url, const char *query,
                      const char *body, size_t len, serve_reply *out);

/* An HTTP 400 reply for a body over SERVE_MAX_BODY. */
void serve_reply_too_large(serve_reply *out);

#endif
