/*
** serve_app.c - what `migdev serve` answers: the served scenarios and the
** JSON API (docs/serve.md).
**
** Everything a request may touch is read when the server starts (the
** scenarios, their models, their calibration data) and never written
** again, so the server's threads share it without locks. A run request
** creates its own run workspace (and loop analysis), executes it and frees
** it: requests never share mutable state. Requests are validated before
** anything runs: only the served scenarios, only their knobs, only values
** in the knobs' ranges; a request names scenarios and constants, never a
** file. JSON is read and written with jansson.
*/
#define _XOPEN_SOURCE 700 /* realpath */
#include "serve.h"

#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Calibration data of one variable: points to draw over its curve. */
typedef struct serve_points {
    int var;
    char *column;
    double *t, *y; /* y in the model's units (data x scale) */
    int n;
} serve_points;

typedef struct serve_scen {
    char id[64];
    migdev_scenario *s;
    char *model_abs;   /* the model file, absolute: what a saved scenario points at */
    migdev_knob *knobs;
    int n_knobs;
    int *show;         /* variables drawn */
    int n_show;
    serve_points *pts;
    int n_pts;
} serve_scen;

struct serve_app {
    serve_scen *sc;
    int n;
};

int serve_app_n(const serve_app *a) { return a->n; }
const char *serve_app_id(const serve_app *a, int i) { return a->sc[i].id; }

void serve_app_free(serve_app *a)
{
    if (!a)
        return;
    for (int i = 0; i < a->n; i++) {
        serve_scen *c = &a->sc[i];
        for (int k = 0; k < c->n_pts; k++)
            free(c->pts[k].column), free(c->pts[k].t), free(c->pts[k].y);
        free(c->pts);
        free(c->show);
        free(c->knobs);
        free(c->model_abs);
        migdev_scenario_free(c->s);
    }
    free(a->sc);
    free(a);
}

static int set_error(migdev_error *err, int code, const char *file, const char *fmt, ...)
{
    if (err) {
        err->code = code;
        err->line = err->column = 0;
        snprintf(err->file, sizeof err->file, "%s", file ? file : "");
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return code;
}

/* A URL-safe id from the file name: letters, digits, '_' and '-'; a
** number appended when two files share a stem. */
static void make_id(serve_app *a, int i, const char *file)
{
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    char id[48];
    size_t n = 0;
    for (const char *p = base; *p && *p != '.' && n + 1 < sizeof id; p++) {
        const char ch = *p;
        const int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                       (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
        id[n++] = ok ? ch : '_';
    }
    id[n] = '\0';
    if (n == 0)
        snprintf(id, sizeof id, "scenario");
    snprintf(a->sc[i].id, sizeof a->sc[i].id, "%s", id);
    for (int k = 2;; k++) {
        int taken = 0;
        for (int j = 0; j < i && !taken; j++)
            taken = strcmp(a->sc[j].id, a->sc[i].id) == 0;
        if (!taken)
            return;
        snprintf(a->sc[i].id, sizeof a->sc[i].id, "%s-%d", id, k);
    }
}

static int add_show(serve_scen *c, int var)
{
    for (int k = 0; k < c->n_show; k++)
        if (c->show[k] == var)
            return 0;
    int *v = realloc(c->show, (size_t)(c->n_show + 1) * sizeof *v);
    if (!v)
        return MIGDEV_E_NOMEM;
    c->show = v;
    c->show[c->n_show++] = var;
    return 0;
}

/* The variables to draw: --vars, else the scenario's figures, else its
** outputs, else its stocks. */
static int choose_vars(serve_scen *c, const char *vars, migdev_error *err)
{
    const migdev_model *m = migdev_scenario_model(c->s);
    if (vars) {
        char *buf = strdup(vars), *save = NULL;
        if (!buf)
            return set_error(err, MIGDEV_E_NOMEM, NULL, "out of memory");
        for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
            const int v = migdev_model_find(m, tok);
            if (v < 0) {
                const char *sug = migdev_model_suggest(m, tok);
                set_error(err, MIGDEV_E_NAME, NULL, "--vars: the model of %s has no variable '%s'%s%s%s",
                          migdev_scenario_file(c->s), tok, sug ? " (did you mean '" : "",
                          sug ? sug : "", sug ? "'?)" : "");
                free(buf);
                return MIGDEV_E_NAME;
            }
            if (add_show(c, v)) {
                free(buf);
                return set_error(err, MIGDEV_E_NOMEM, NULL, "out of memory");
            }
        }
        free(buf);
        return 0;
    }
    for (int p = 0; p < migdev_scenario_n_plots(c->s); p++) {
        migdev_plot_spec ps;
        migdev_scenario_plot(c->s, p, &ps);
        for (int k = 0; k < ps.n_vars; k++)
            if (add_show(c, ps.vars[k]))
                return set_error(err, MIGDEV_E_NOMEM, NULL, "out of memory");
    }
    enum { MAX_DEFAULT_VARS = 8 };
    if (c->n_show == 0) {
        int n;
        const int *outs = migdev_scenario_outputs(c->s, &n);
        for (int k = 0; k < n && k < MAX_DEFAULT_VARS; k++)
            if (add_show(c, outs[k]))
                return set_error(err, MIGDEV_E_NOMEM, NULL, "out of memory");
    }
    const int none = c->n_show == 0;
    for (int v = 0; none && v < migdev_model_n_vars(m) && c->n_show < MAX_DEFAULT_VARS; v++) {
        migdev_var_info vi;
        migdev_model_var(m, v, &vi);
        if (vi.kind == MIGDEV_STOCK && add_show(c, v))
            return set_error(err, MIGDEV_E_NOMEM, NULL, "out of memory");
    }
    return 0;
}

/* The calibration data of the scenario (its `calibrate` section), read
** once: drawn as points over the curves of its variables. */
static int read_points(serve_scen *c, migdev_error *err)
{
    migdev_calib *cal = migdev_calib_load(c->s, err);
    if (!cal)
        return err ? err->code : MIGDEV_E_IO;
    const int ns = migdev_calib_n_series(cal);
    int rc = 0;
    if (ns > 0 && (rc = migdev_calib_prepare(cal, err)) != 0) {
        migdev_calib_free(cal);
        return rc;
    }
    c->pts = calloc((size_t)ns + 1, sizeof *c->pts);
    if (!c->pts)
        rc = set_error(err, MIGDEV_E_NOMEM, NULL, "out of memory");
    for (int i = 0; !rc && i < ns; i++) {
        migdev_calib_series_info si;
        migdev_calib_series(cal, i, &si);
        serve_points *p = &c->pts[c->n_pts++];
        p->var = si.var;
        p->n = si.n_points;
        p->column = strdup(si.column);
        p->t = malloc((size_t)(p->n + 1) * sizeof *p->t);
        p->y = malloc((size_t)(p->n + 1) * sizeof *p->y);
        if (!p->column || !p->t || !p->y) {
            rc = set_error(err, MIGDEV_E_NOMEM, NULL, "out of memory");
            break;
        }
        for (int k = 0; k < p->n; k++) {
            p->t[k] = si.time[k];
            p->y[k] = si.data[k] * si.scale;
        }
        rc = add_show(c, si.var) ? set_error(err, MIGDEV_E_NOMEM, NULL, "out of memory") : 0;
    }
    migdev_calib_free(cal);
    return rc;
}

serve_app *serve_app_open(const char *const *files, int n, const char *vars, migdev_error *err)
{
    serve_app *a = calloc(1, sizeof *a);
    if (!a || !(a->sc = calloc((size_t)n, sizeof *a->sc))) {
        free(a);
        set_error(err, MIGDEV_E_NOMEM, NULL, "out of memory");
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        serve_scen *c = &a->sc[a->n++];
        if (!(c->s = migdev_scenario_load(files[i], err)))
            goto fail;
        make_id(a, i, files[i]);
        const char *mf = migdev_model_file(migdev_scenario_model(c->s));
        c->model_abs = realpath(mf, NULL);
        if (!c->model_abs) {
            set_error(err, MIGDEV_E_IO, files[i], "cannot resolve the path of the model '%s'", mf);
            goto fail;
        }
        c->n_knobs = migdev_scenario_n_knobs(c->s);
        c->knobs = calloc((size_t)c->n_knobs + 1, sizeof *c->knobs);
        if (!c->knobs) {
            set_error(err, MIGDEV_E_NOMEM, NULL, "out of memory");
            goto fail;
        }
        for (int k = 0; k < c->n_knobs; k++)
            migdev_scenario_knob(c->s, k, &c->knobs[k]);
        if (choose_vars(c, vars, err) != 0 || read_points(c, err) != 0)
            goto fail;
    }
    return a;
fail:
    serve_app_free(a);
    return NULL;
}

/* ---- replies ---- */

static void reply_text(serve_reply *out, int status, const char *type, char *body)
{
    out->status = status;
    out->type = type;
    out->body = body;
    out->len = body ? strlen(body) : 0;
    out->filename[0] = '\0';
}

/* A JSON reply from value (consumed). */
static void reply_json(serve_reply *out, int status, json_t *value)
{
    char *text = value ? json_dumps(value, JSON_COMPACT) : NULL;
    json_decref(value);
    if (!text) {
        reply_text(out, 500, "application/json", strdup("{\"error\":\"out of memory\"}"));
        return;
    }
    reply_text(out, status, "application/json", text);
}

static void reply_error(serve_reply *out, int status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void reply_error(serve_reply *out, int status, const char *fmt, ...)
{
    char msg[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    reply_json(out, status, json_pack("{s:s}", "error", msg));
}

void serve_reply_too_large(serve_reply *out)
{
    reply_error(out, 400, "the request body is larger than %d bytes", SERVE_MAX_BODY);
}

/* A number, or null for NaN and infinities (JSON has no such numbers). */
static json_t *json_num(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

static json_t *json_nums(const double *x, size_t n)
{
    json_t *a = json_array();
    for (size_t k = 0; a && k < n; k++)
        json_array_append_new(a, json_num(x[k]));
    return a;
}

static const char *var_name(const migdev_model *m, int v)
{
    migdev_var_info vi;
    return migdev_model_var(m, v, &vi) == 0 ? vi.name : "";
}

/* GET /api/scenarios */
static json_t *scenarios_json(const serve_app *a)
{
    json_t *list = json_array();
    for (int i = 0; i < a->n; i++) {
        const serve_scen *c = &a->sc[i];
        const migdev_model *m = migdev_scenario_model(c->s);
        const migdev_sim_spec sp = migdev_scenario_spec(c->s);
        json_t *knobs = json_array(), *vars = json_array(), *data = json_array();
        for (int k = 0; k < c->n_knobs; k++) {
            const migdev_knob *kb = &c->knobs[k];
            migdev_var_info vi;
            migdev_model_var(m, kb->var, &vi);
            json_array_append_new(
                knobs, json_pack("{s:s,s:s,s:s,s:s,s:f,s:f,s:f,s:f,s:f}", "constant", vi.name,
                                 "label", *kb->label ? kb->label : vi.label, "doc", *kb->doc ? kb->doc : vi.doc, "units",
                                 vi.units, "min", kb->min, "max", kb->max, "step", kb->step,
                                 "value", kb->value, "model_default", vi.value));
        }
        for (int k = 0; k < c->n_show; k++) {
            migdev_var_info vi;
            migdev_model_var(m, c->show[k], &vi);
            json_array_append_new(vars, json_pack("{s:s,s:s,s:s,s:s}", "name", vi.name, "label",
                                                  vi.label, "units", vi.units, "doc", vi.doc));
        }
        for (int k = 0; k < c->n_pts; k++) {
            const serve_points *p = &c->pts[k];
            json_array_append_new(
                data, json_pack("{s:s,s:s,s:o,s:o}", "variable", var_name(m, p->var), "column",
                                p->column, "time", json_nums(p->t, (size_t)p->n), "value",
                                json_nums(p->y, (size_t)p->n)));
        }
        json_array_append_new(
            list, json_pack("{s:s,s:s,s:s,s:s,s:f,s:f,s:o,s:o,s:o}", "id", c->id, "name",
                            migdev_scenario_name(c->s), "doc", migdev_scenario_doc(c->s),
                            "time_units", migdev_model_time_units(m), "start", sp.start, "stop",
                            sp.stop, "knobs", knobs, "variables", vars, "data", data));
    }
    return json_pack("{s:o}", "scenarios", list);
}

/* ---- requests ---- */

/* A validated request: the scenario and the knob values to apply. */
typedef struct request {
    const serve_scen *c;
    int vars[64];
    double values[64];
    int n;
    int loops; /* 1: add the dominant loops */
} request;

static int knob_index(const serve_scen *c, const char *name)
{
    const migdev_model *m = migdev_scenario_model(c->s);
    for (int k = 0; k < c->n_knobs; k++)
        if (strcmp(var_name(m, c->knobs[k].var), name) == 0)
            return k;
    return -1;
}

/* The knobs of c as "a, b, c" into buf. */
static const char *knob_list(const serve_scen *c, char *buf, size_t n)
{
    const migdev_model *m = migdev_scenario_model(c->s);
    size_t len = 0;
    buf[0] = '\0';
    for (int k = 0; k < c->n_knobs && len < n; k++)
        len += (size_t)snprintf(buf + len, n - len, "%s%s", k ? ", " : "",
                                var_name(m, c->knobs[k].var));
    if (c->n_knobs == 0)
        snprintf(buf, n, "none");
    return buf;
}

/* Parse and check a request body {"scenario": ID, "set": {NAME: NUMBER},
** "loops": BOOL}. Returns 0, or fills *out with a 400 reply. */
static int parse_request(const serve_app *a, const char *body, size_t len, request *rq,
                         serve_reply *out)
{
    memset(rq, 0, sizeof *rq);
    if (!body || len == 0) {
        reply_error(out, 400, "the request needs a JSON body: {\"scenario\": \"%s\", \"set\": {}}",
                    a->sc[0].id);
        return -1;
    }
    json_error_t je;
    json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        reply_error(out, 400, "malformed JSON at line %d, column %d: %s", je.line, je.column,
                    je.text);
        return -1;
    }
    int rc = -1;
    if (!json_is_object(root)) {
        reply_error(out, 400, "the request must be a JSON object: {\"scenario\": \"%s\", \"set\": {}}",
                    a->sc[0].id);
        goto done;
    }
    const char *key;
    json_t *val;
    json_object_foreach(root, key, val)
    {
        if (strcmp(key, "scenario") && strcmp(key, "set") && strcmp(key, "loops")) {
            reply_error(out, 400, "unknown field '%.100s' in the request (fields: scenario, set, "
                                  "loops)", key);
            goto done;
        }
    }
    const json_t *js = json_object_get(root, "scenario");
    if (!json_is_string(js)) {
        reply_error(out, 400, "the request needs \"scenario\": the id of a served scenario, in "
                              "quotes");
        goto done;
    }
    const char *id = json_string_value(js);
    for (int i = 0; i < a->n && !rq->c; i++)
        if (strcmp(a->sc[i].id, id) == 0)
            rq->c = &a->sc[i];
    if (!rq->c) {
        char ids[400];
        size_t l = 0;
        for (int i = 0; i < a->n && l < sizeof ids; i++)
            l += (size_t)snprintf(ids + l, sizeof ids - l, "%s%s", i ? ", " : "", a->sc[i].id);
        reply_error(out, 400, "unknown scenario '%.100s' (served: %s)", id, ids);
        goto done;
    }
    const json_t *jl = json_object_get(root, "loops");
    if (jl && !json_is_boolean(jl)) {
        reply_error(out, 400, "\"loops\" must be true or false");
        goto done;
    }
    rq->loops = jl && json_is_true(jl);
    const json_t *set = json_object_get(root, "set");
    if (set && !json_is_object(set)) {
        reply_error(out, 400, "\"set\" must be an object of knob values: {\"%s\": %g}",
                    rq->c->n_knobs ? var_name(migdev_scenario_model(rq->c->s), rq->c->knobs[0].var)
                                   : "name",
                    rq->c->n_knobs ? rq->c->knobs[0].value : 1.0);
        goto done;
    }
    json_object_foreach((json_t *)set, key, val)
    {
        const int k = knob_index(rq->c, key);
        if (k < 0) {
            char list[600];
            const migdev_model *m = migdev_scenario_model(rq->c->s);
            const int v = migdev_model_find(m, key);
            if (v < 0)
                reply_error(out, 400, "the model has no constant '%.100s' (knobs of %s: %s)", key,
                            rq->c->id, knob_list(rq->c, list, sizeof list));
            else
                reply_error(out, 400, "'%.100s' is not a knob of %s (knobs: %s)", key, rq->c->id,
                            knob_list(rq->c, list, sizeof list));
            goto done;
        }
        if (!json_is_number(val)) {
            reply_error(out, 400, "the value of '%.100s' must be a number", key);
            goto done;
        }
        const migdev_knob *kb = &rq->c->knobs[k];
        const double x = json_number_value(val);
        if (!(x >= kb->min && x <= kb->max)) {
            reply_error(out, 400, "%.100s = %g is out of its range [%g, %g]", key, x, kb->min,
                        kb->max);
            goto done;
        }
        rq->vars[rq->n] = kb->var; /* knobs are distinct and at most a scenario's knobs */
        rq->values[rq->n++] = x;
        if (rq->n == (int)(sizeof rq->vars / sizeof rq->vars[0])) {
            reply_error(out, 400, "too many values in \"set\"");
            goto done;
        }
    }
    rc = 0;
done:
    json_decref(root);
    return rc;
}

/* The run of a request: the scenario's run, the request's values set, the
** drawn variables recorded. NULL with err set. */
static migdev_run *request_run(const request *rq, migdev_error *err)
{
    migdev_run *r = migdev_scenario_new_run(rq->c->s, err);
    if (!r)
        return NULL;
    for (int i = 0; i < rq->n; i++)
        if (migdev_run_set_constant(r, rq->vars[i], rq->values[i], err) != 0) {
            migdev_run_free(r);
            return NULL;
        }
    if (migdev_run_record(r, rq->c->show, rq->c->n_show, err) != 0) {
        migdev_run_free(r);
        return NULL;
    }
    return r;
}

/* A loop as shown: "name (id)" or "id". */
static json_t *loop_json(const migdev_loops *lp, int i)
{
    migdev_loop_info li;
    migdev_loops_get(lp, i, &li);
    char pol[2] = {li.polarity, '\0'};
    return json_pack("{s:s,s:s?,s:s}", "id", li.id, "name", li.name, "polarity", pol);
}

/* The loop with the largest |relative score| at each save time after the
** first, merged into spans: [{from, to, loop, share}] (share: the mean
** |relative score| of that loop over the span). */
static json_t *dominance_json(const migdev_loops *lp)
{
    json_t *spans = json_array();
    const size_t nt = migdev_loops_n_times(lp);
    const double *t = migdev_loops_times(lp);
    const int nl = migdev_loops_count(lp);
    int cur = -1;
    double from = 0.0, to = 0.0, sum = 0.0;
    int count = 0;
    for (size_t k = 1; k <= nt; k++) {
        int best = -1;
        double bv = 0.0;
        for (int i = 0; k < nt && i < nl; i++) {
            const double v = fabs(migdev_loops_relative(lp, i)[k]);
            if (v > bv)
                bv = v, best = i;
        }
        if (k == nt || best != cur) {
            if (cur >= 0) {
                json_t *o = loop_json(lp, cur);
                json_object_set_new(o, "from", json_real(from));
                json_object_set_new(o, "to", json_real(to));
                json_object_set_new(o, "share", json_real(sum / count));
                json_array_append_new(spans, o);
            }
            cur = best, from = k < nt ? t[k] : 0.0, sum = 0.0, count = 0;
        }
        if (k < nt)
            to = t[k], sum += bv, count++;
    }
    return spans;
}

/* POST /api/run */
static void handle_run(const request *rq, serve_reply *out)
{
    migdev_error err;
    migdev_error_clear(&err);
    migdev_run *r = request_run(rq, &err);
    if (!r || migdev_run_execute(r, &err) != 0) {
        char buf[1200];
        reply_error(out, 422, "%s", migdev_error_format(&err, buf, sizeof buf));
        migdev_run_free(r);
        return;
    }
    const migdev_model *m = migdev_scenario_model(rq->c->s);
    const size_t n = migdev_run_n_saves(r);
    json_t *series = json_object(), *set = json_object();
    for (int k = 0; k < rq->c->n_show; k++)
        json_object_set_new(series, var_name(m, rq->c->show[k]),
                            json_nums(migdev_run_series(r, rq->c->show[k]), n));
    for (int k = 0; k < rq->c->n_knobs; k++) {
        const int v = rq->c->knobs[k].var;
        json_object_set_new(set, var_name(m, v), json_real(migdev_run_constant(r, v)));
    }
    json_t *res = json_pack("{s:s,s:o,s:o,s:o}", "scenario", rq->c->id, "set", set, "time",
                            json_nums(migdev_run_times(r), n), "series", series);
    if (rq->loops) {
        const migdev_loops_opts lo = {0, 0, 1, MIGDEV_CHANGED_LAST};
        migdev_loops *lp = migdev_loops_analyse(r, &lo, &err);
        if (!lp) {
            char buf[1200];
            json_object_set_new(res, "loops_error",
                                json_string(migdev_error_format(&err, buf, sizeof buf)));
        } else {
            json_object_set_new(res, "dominant", dominance_json(lp));
            migdev_loops_free(lp);
        }
    }
    migdev_run_free(r);
    reply_json(out, 200, res);
}

/* POST /api/loops: every loop and the dominant ones over time. */
static void handle_loops(const request *rq, serve_reply *out)
{
    migdev_error err;
    migdev_error_clear(&err);
    migdev_run *r = request_run(rq, &err);
    const migdev_loops_opts lo = {0, 0, 1, MIGDEV_CHANGED_LAST};
    migdev_loops *lp = r ? migdev_loops_analyse(r, &lo, &err) : NULL;
    if (!lp) {
        char buf[1200];
        reply_error(out, 422, "%s", migdev_error_format(&err, buf, sizeof buf));
        migdev_run_free(r);
        return;
    }
    const migdev_model *m = migdev_scenario_model(rq->c->s);
    json_t *loops = json_array();
    for (int i = 0; i < migdev_loops_count(lp); i++) {
        migdev_loop_info li;
        migdev_loops_get(lp, i, &li);
        json_t *o = loop_json(lp, i), *vars = json_array();
        for (int k = 0; k < li.n; k++)
            json_array_append_new(vars, json_string(var_name(m, li.vars[k])));
        json_object_set_new(o, "variables", vars);
        json_object_set_new(o, "mean_abs_relative", json_num(li.mean_abs_rel));
        json_array_append_new(loops, o);
    }
    json_t *res = json_pack("{s:s,s:o,s:o}", "scenario", rq->c->id, "loops", loops, "dominant",
                            dominance_json(lp));
    migdev_loops_free(lp);
    migdev_run_free(r);
    reply_json(out, 200, res);
}

/* POST /api/save: the scenario file, with the request's values. */
static void handle_save(const request *rq, serve_reply *out)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) {
        reply_error(out, 500, "out of memory");
        return;
    }
    migdev_error err;
    migdev_error_clear(&err);
    fprintf(f, "# Saved from migdev serve (scenario %s). The model path is absolute:\n"
               "# run it on this machine with: migdev run FILE\n", rq->c->id);
    const int rc = migdev_scenario_write(rq->c->s, rq->vars, rq->values, rq->n,
                                         rq->c->model_abs, f, &err);
    fclose(f);
    if (rc != 0) {
        free(text);
        reply_error(out, 422, "%s", err.message);
        return;
    }
    reply_text(out, 200, "text/plain; charset=utf-8", text);
    out->len = len;
    snprintf(out->filename, sizeof out->filename, "%s-custom.cfg", rq->c->id);
}

void serve_app_handle(const serve_app *a, const char *method, const char *url, const char *query,
                      const char *body, size_t len, serve_reply *out)
{
    (void)query;
    memset(out, 0, sizeof *out);
    const int is_get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    const int is_post = strcmp(method, "POST") == 0;
    if (strcmp(url, "/api/scenarios") == 0) {
        if (!is_get)
            reply_error(out, 405, "%s /api/scenarios: use GET", method);
        else
            reply_json(out, 200, scenarios_json(a));
        return;
    }
    static const char *const posts[] = {"/api/run", "/api/loops", "/api/save"};
    for (int k = 0; k < 3; k++) {
        if (strcmp(url, posts[k]) != 0)
            continue;
        if (!is_post) {
            reply_error(out, 405, "%s %s: use POST with a JSON body", method, url);
            return;
        }
        request rq;
        if (parse_request(a, body, len, &rq, out) != 0)
            return;
        if (k == 0)
            handle_run(&rq, out);
        else if (k == 1)
            handle_loops(&rq, out);
        else
            handle_save(&rq, out);
        return;
    }
    const char *path = strcmp(url, "/") == 0 ? "/index.html" : url;
    for (int k = 0; k < serve_n_assets; k++)
        if (strcmp(path, serve_assets[k].path) == 0) {
            if (!is_get) {
                reply_error(out, 405, "%s %s: use GET", method, url);
                return;
            }
            char *copy = malloc(serve_assets[k].len + 1);
            if (!copy) {
                reply_error(out, 500, "out of memory");
                return;
            }
            memcpy(copy, serve_assets[k].data, serve_assets[k].len);
            copy[serve_assets[k].len] = '\0';
            reply_text(out, 200, serve_assets[k].type, copy);
            out->len = serve_assets[k].len;
            return;
        }
    reply_error(out, 404, "no such page: %.200s (the page is /, the API is under /api/)", url);
}
