/*
** calib_spec.c - the `calibrate` section of a scenario file and the edits
** of `migdev calibrate`'s flags.
**
** Format (docs/model-format.md, "Calibration"):
**   calibrate = { data, time_column, from, to, objective, weighting,
**                 series = ( { variable, column, scale, weight, from, to }, ... ),
**                 parameters = ( { name, min, max }, ... ) or [ "name", ... ],
**                 algorithm, max_iterations, xtol, gtol, ftol };
** Names are checked against the model here; everything that needs the data
** or the run is checked by calib_prep.c.
*/
#include "calib_int.h"

#include "cfgfile.h"
#include "error_int.h"
#include "model_int.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const calib_algorithm_names[] = {"lm", "lmaccel", "dogleg", "ddogleg", "subspace2D",
                                             NULL};

const gsl_multifit_nlinear_trs *calib_trs(int algorithm)
{
    switch (algorithm) {
    case 1: return gsl_multifit_nlinear_trs_lmaccel;
    case 2: return gsl_multifit_nlinear_trs_dogleg;
    case 3: return gsl_multifit_nlinear_trs_ddogleg;
    case 4: return gsl_multifit_nlinear_trs_subspace2D;
    default: return gsl_multifit_nlinear_trs_lm;
    }
}

void calib_param_set_scale(calib_param *p)
{
    p->scale = p->has_min && p->has_max ? MIGDEV_SCALE_LOGIT
               : p->has_min             ? MIGDEV_SCALE_LOG_MIN
               : p->has_max             ? MIGDEV_SCALE_LOG_MAX
                                        : MIGDEV_SCALE_LINEAR;
}

static void series_clear(calib_series *s)
{
    free(s->variable), free(s->column), free(s->time), free(s->raw), free(s->coef);
    free(s->save), free(s->model);
    memset(s, 0, sizeof *s);
}

void migdev_calib_free(migdev_calib *c)
{
    if (!c)
        return;
    for (int i = 0; i < c->n_series; i++)
        series_clear(&c->series[i]);
    for (int i = 0; i < c->n_params; i++)
        free(c->params[i].name);
    free(c->series), free(c->params), free(c->file), free(c->data), free(c->time_column);
    free(c->corr);
    migdev_run_free(c->run);
    free(c);
}

/* ---- adding (replacing one that is the same) ---- */

static int put_series(migdev_calib *c, calib_series *s)
{
    for (int i = 0; i < c->n_series; i++)
        if (c->series[i].var == s->var && strcmp(c->series[i].column, s->column) == 0) {
            series_clear(&c->series[i]);
            c->series[i] = *s;
            return 0;
        }
    calib_series *ns = realloc(c->series, (size_t)(c->n_series + 1) * sizeof *ns);
    if (!ns)
        return MIGDEV_E_NOMEM;
    c->series = ns;
    c->series[c->n_series++] = *s;
    return 0;
}

/* Index of the parameter fitting var, or MIGDEV_E_NAME. */
static int find_param(const migdev_calib *c, int var)
{
    for (int i = 0; i < c->n_params; i++)
        if (c->params[i].var == var)
            return i;
    return MIGDEV_E_NAME;
}

static int put_param(migdev_calib *c, calib_param *p)
{
    calib_param_set_scale(p);
    const int i = find_param(c, p->var);
    if (i >= 0) {
        free(c->params[i].name);
        c->params[i] = *p;
        return 0;
    }
    calib_param *np = realloc(c->params, (size_t)(c->n_params + 1) * sizeof *np);
    if (!np)
        return MIGDEV_E_NOMEM;
    c->params = np;
    c->params[c->n_params++] = *p;
    return 0;
}

/* ---- reading the file ---- */

static const char *const section_fields[] = {"data", "time_column", "from", "to", "objective",
                                             "weighting", "series", "parameters", "algorithm",
                                             "max_iterations", "xtol", "gtol", "ftol", "holdout",
                                             NULL};
static const char *const series_fields[] = {"variable", "column", "scale", "weight", "from",
                                            "to", NULL};
static const char *const param_fields[] = {"name", "min", "max", NULL};

static calib_pos pos_of(const cfgfile *cf, const config_setting_t *s)
{
    return (calib_pos){cfg_line(s), cfg_col(cf, s)};
}

static calib_pos string_pos(const cfgfile *cf, const config_setting_t *s)
{
    calib_pos p;
    cfg_string_pos(cf, s, &p.line, &p.col);
    return p;
}

/* Position of the string element e ("name" in an array): inside its
** quotes on its line, or the line's start when not found there. */
static calib_pos element_pos(const cfgfile *cf, const config_setting_t *e, const char *name)
{
    const int line = cfg_line(e);
    calib_pos p = {line, 1};
    if (line < 1 || line > cf->n_lines)
        return p;
    const size_t len = strlen(name);
    for (const char *q = cf->text + cf->line_start[line]; *q && *q != '\n'; q++)
        if (*q == '"' && !strncmp(q + 1, name, len) && q[len + 1] == '"') {
            p.col = (int)(q - (cf->text + cf->line_start[line])) + 2;
            break;
        }
    return p;
}

/* An optional number member of g into *out (*has = 1 when present). */
static int opt_number(const cfgfile *cf, const config_setting_t *g, const char *name, double *out,
                      int *has)
{
    const int rc = cfg_get_number(cf, g, name, out);
    if (rc < 0)
        return rc;
    if (has)
        *has = rc == 0;
    return 0;
}

/* A required string member of g; an error at g when missing. */
static int need_string(const cfgfile *cf, const config_setting_t *g, const char *name,
                       const char *what, const char **out)
{
    const int rc = cfg_get_string(cf, g, name, out);
    if (rc < 0)
        return rc;
    if (rc == 1)
        return cfg_error(cf, g, MIGDEV_E_SYNTAX, "%s needs its '%s'", what, name);
    if (!**out)
        return cfg_error(cf, config_setting_get_member(g, name), MIGDEV_E_SYNTAX,
                         "'%s' is empty", name);
    return 0;
}

static int read_series(const cfgfile *cf, migdev_calib *c, const config_setting_t *g)
{
    if (config_setting_type(g) != CONFIG_TYPE_GROUP)
        return cfg_error(cf, g, MIGDEV_E_SYNTAX,
                         "each entry of 'series' must be a group: { variable = \"x\"; "
                         "column = \"x_data\"; }");
    int rc = cfg_check_fields(cf, g, series_fields, "a series");
    if (rc)
        return rc;
    const char *var = NULL, *col = NULL;
    if ((rc = need_string(cf, g, "variable", "a series", &var)) < 0 ||
        (rc = need_string(cf, g, "column", "a series", &col)) < 0)
        return rc;
    calib_series s = {0};
    s.scale = 1.0;
    s.weight = 1.0;
    s.pos = string_pos(cf, config_setting_get_member(g, "variable"));
    s.column_pos = string_pos(cf, config_setting_get_member(g, "column"));
    char msg[400];
    s.var = model_find_var(c->m, var, "variable", msg, sizeof msg);
    if (s.var < 0)
        return err_set(cf->err, s.var, cf->path, s.pos.line, s.pos.col, "%s", msg);
    const config_setting_t *x;
    if ((rc = opt_number(cf, g, "scale", &s.scale, NULL)) < 0 ||
        (rc = opt_number(cf, g, "weight", &s.weight, NULL)) < 0 ||
        (rc = opt_number(cf, g, "from", &s.from, &s.has_from)) < 0 ||
        (rc = opt_number(cf, g, "to", &s.to, &s.has_to)) < 0)
        return rc;
    if ((x = config_setting_get_member(g, "scale")) != NULL) {
        s.scale_pos = pos_of(cf, x);
        if (!(s.scale != 0.0 && isfinite(s.scale)))
            return cfg_error(cf, x, MIGDEV_E_RANGE, "'scale' must be a non-zero number, got %g",
                             s.scale);
    }
    if ((x = config_setting_get_member(g, "weight")) && !(s.weight > 0.0 && isfinite(s.weight)))
        return cfg_error(cf, x, MIGDEV_E_RANGE, "'weight' must be positive, got %g", s.weight);
    if (s.has_from && s.has_to && !(s.from <= s.to))
        return cfg_error(cf, config_setting_get_member(g, "to"), MIGDEV_E_RANGE,
                         "'to' (%g) is before 'from' (%g)", s.to, s.from);
    for (int i = 0; i < c->n_series; i++)
        if (c->series[i].var == s.var && strcmp(c->series[i].column, col) == 0)
            return err_set(cf->err, MIGDEV_E_NAME, cf->path, s.pos.line, s.pos.col,
                           "'%s' is already compared with column '%s' (line %d)", var, col,
                           c->series[i].pos.line);
    s.variable = strdup(var);
    s.column = strdup(col);
    if (!s.variable || !s.column || put_series(c, &s) != 0) {
        series_clear(&s);
        return err_set(cf->err, MIGDEV_E_NOMEM, cf->path, 0, 0, "out of memory");
    }
    return 0;
}

/* A constant to fit, by name, at position pos (for messages). */
static int param_named(migdev_calib *c, const char *name, calib_param *p, char *msg, size_t n)
{
    memset(p, 0, sizeof *p);
    p->var = model_find_constant(c->m, name, "fitted", msg, n);
    return p->var < 0 ? p->var : 0;
}

static int read_param(const cfgfile *cf, migdev_calib *c, const config_setting_t *e)
{
    const char *name = NULL;
    const config_setting_t *at = e;
    if (config_setting_type(e) == CONFIG_TYPE_STRING) {
        name = config_setting_get_string(e);
    } else if (config_setting_type(e) == CONFIG_TYPE_GROUP) {
        int rc = cfg_check_fields(cf, e, param_fields, "a parameter");
        if (rc || (rc = need_string(cf, e, "name", "a parameter", &name)) < 0)
            return rc;
        at = config_setting_get_member(e, "name");
    } else {
        return cfg_error(cf, e, MIGDEV_E_SYNTAX,
                         "each entry of 'parameters' must be a name in quotes or a group: "
                         "{ name = \"k\"; min = 0; }");
    }
    const calib_pos pos = config_setting_type(e) == CONFIG_TYPE_STRING ? element_pos(cf, e, name)
                                                                       : string_pos(cf, at);
    calib_param p;
    char msg[400];
    const int rc0 = param_named(c, name, &p, msg, sizeof msg);
    if (rc0 < 0)
        return err_set(cf->err, rc0, cf->path, pos.line, pos.col, "%s", msg);
    p.pos = pos;
    if (config_setting_type(e) == CONFIG_TYPE_GROUP) {
        int rc;
        if ((rc = opt_number(cf, e, "min", &p.min, &p.has_min)) < 0 ||
            (rc = opt_number(cf, e, "max", &p.max, &p.has_max)) < 0)
            return rc;
        const config_setting_t *x;
        if ((x = config_setting_get_member(e, "min")) && !isfinite(p.min))
            return cfg_error(cf, x, MIGDEV_E_RANGE, "'min' must be finite");
        if ((x = config_setting_get_member(e, "max")) && !isfinite(p.max))
            return cfg_error(cf, x, MIGDEV_E_RANGE, "'max' must be finite");
        if (p.has_min && p.has_max && !(p.min < p.max))
            return cfg_error(cf, x, MIGDEV_E_RANGE, "'max' (%g) must be greater than 'min' (%g)",
                             p.max, p.min);
    }
    const int dup = find_param(c, p.var);
    if (dup >= 0)
        return err_set(cf->err, MIGDEV_E_NAME, cf->path, pos.line, pos.col,
                       "'%s' is already fitted (line %d)", name, c->params[dup].pos.line);
    p.name = strdup(name);
    if (!p.name || put_param(c, &p) != 0) {
        free(p.name);
        return err_set(cf->err, MIGDEV_E_NOMEM, cf->path, 0, 0, "out of memory");
    }
    return 0;
}

/* Index of name in a NULL-terminated list, or -1. */
static int word_index(const char *const *list, const char *name)
{
    for (int i = 0; list[i]; i++)
        if (strcmp(list[i], name) == 0)
            return i;
    return MIGDEV_E_NAME;
}

static const char *const objective_names[] = {"relative", "absolute", NULL};
static const char *const weighting_names[] = {"series", "points", NULL};

/* A string member naming one of list (*out its index); position for errors. */
static int read_word(const cfgfile *cf, const config_setting_t *g, const char *name,
                     const char *const *list, const char *choices, int *out)
{
    const char *s = NULL;
    const int rc = cfg_get_string(cf, g, name, &s);
    if (rc != 0)
        return rc < 0 ? rc : 0;
    const int k = word_index(list, s);
    if (k < 0)
        return cfg_error(cf, config_setting_get_member(g, name), MIGDEV_E_SYNTAX,
                         "unknown %s '%s' (%s)", name, s, choices);
    *out = k;
    return 0;
}

static int read_section(const cfgfile *cf, migdev_calib *c, const config_setting_t *sec)
{
    if (config_setting_type(sec) != CONFIG_TYPE_GROUP)
        return cfg_error(cf, sec, MIGDEV_E_SYNTAX,
                         "'calibrate' must be a group: calibrate = { data = \"data.csv\"; ... };");
    c->has_section = 1;
    c->section_pos = pos_of(cf, sec);
    int rc = cfg_check_fields(cf, sec, section_fields, "the calibration");
    if (rc)
        return rc;
    const char *data = NULL, *tcol = NULL;
    if ((rc = cfg_get_string(cf, sec, "data", &data)) < 0 ||
        (rc = cfg_get_string(cf, sec, "time_column", &tcol)) < 0)
        return rc;
    if (data) {
        if (!*data)
            return cfg_error(cf, config_setting_get_member(sec, "data"), MIGDEV_E_SYNTAX,
                             "the data file name is empty");
        c->data = cfg_join_path(cf->path, data);
        c->data_pos = string_pos(cf, config_setting_get_member(sec, "data"));
        if (!c->data)
            return err_set(cf->err, MIGDEV_E_NOMEM, cf->path, 0, 0, "out of memory");
    }
    if (tcol) {
        c->time_column = strdup(tcol);
        c->time_column_pos = string_pos(cf, config_setting_get_member(sec, "time_column"));
        if (!c->time_column)
            return err_set(cf->err, MIGDEV_E_NOMEM, cf->path, 0, 0, "out of memory");
    }
    if ((rc = opt_number(cf, sec, "from", &c->from, &c->has_from)) < 0 ||
        (rc = opt_number(cf, sec, "to", &c->to, &c->has_to)) < 0 ||
        (rc = opt_number(cf, sec, "holdout", &c->holdout, &c->has_holdout)) < 0)
        return rc;
    if (c->has_holdout) {
        const config_setting_t *hs = config_setting_get_member(sec, "holdout");
        c->holdout_pos = (calib_pos){cfg_line(hs), cfg_col(cf, hs)};
    }
    if (c->has_from && c->has_to && !(c->from <= c->to))
        return cfg_error(cf, config_setting_get_member(sec, "to"), MIGDEV_E_RANGE,
                         "'to' (%g) is before 'from' (%g)", c->to, c->from);
    int k = (int)c->objective;
    if ((rc = read_word(cf, sec, "objective", objective_names, "relative or absolute", &k)) < 0)
        return rc;
    c->objective = (calib_objective)k;
    k = (int)c->weighting;
    if ((rc = read_word(cf, sec, "weighting", weighting_names, "series or points", &k)) < 0)
        return rc;
    c->weighting = (calib_weighting)k;
    if ((rc = read_word(cf, sec, "algorithm", calib_algorithm_names,
                        "lm, lmaccel, dogleg, ddogleg or subspace2D", &c->algorithm)) < 0)
        return rc;
    const config_setting_t *x;
    if ((x = config_setting_get_member(sec, "max_iterations")) != NULL) {
        const double d = cfg_is_number(x) ? cfg_number(x) : 0.0;
        if (d != floor(d) || d < 1 || d > 1e6)
            return cfg_error(cf, x, MIGDEV_E_RANGE,
                             "'max_iterations' must be a whole number from 1 to 1000000");
        c->max_iter = (int)d;
    }
    static const char *const tols[] = {"xtol", "gtol", "ftol"};
    double *tol_out[] = {&c->xtol, &c->gtol, &c->ftol};
    for (int i = 0; i < 3; i++) {
        if ((rc = cfg_get_number(cf, sec, tols[i], tol_out[i])) < 0)
            return rc;
        if (rc == 0 && !(*tol_out[i] >= 0.0 && *tol_out[i] < 1.0))
            return cfg_error(cf, config_setting_get_member(sec, tols[i]), MIGDEV_E_RANGE,
                             "'%s' must be from 0 to below 1, got %g", tols[i], *tol_out[i]);
    }
    const config_setting_t *l = config_setting_get_member(sec, "series");
    if (l) {
        if (config_setting_type(l) != CONFIG_TYPE_LIST)
            return cfg_error(cf, l, MIGDEV_E_SYNTAX,
                             "'series' must be a list: series = ( { variable = \"x\"; "
                             "column = \"x_data\"; } );");
        for (int i = 0; i < config_setting_length(l); i++)
            if ((rc = read_series(cf, c, config_setting_get_elem(l, (unsigned)i))) < 0)
                return rc;
    }
    l = config_setting_get_member(sec, "parameters");
    if (l) {
        if (config_setting_type(l) != CONFIG_TYPE_LIST && config_setting_type(l) != CONFIG_TYPE_ARRAY)
            return cfg_error(cf, l, MIGDEV_E_SYNTAX,
                             "'parameters' must be a list: parameters = ( { name = \"k\"; "
                             "min = 0; } ); or [\"k\", \"m\"]");
        for (int i = 0; i < config_setting_length(l); i++)
            if ((rc = read_param(cf, c, config_setting_get_elem(l, (unsigned)i))) < 0)
                return rc;
    }
    return 0;
}

migdev_calib *migdev_calib_load(const migdev_scenario *s, migdev_error *err)
{
    migdev_calib *c = calloc(1, sizeof *c);
    if (!c) {
        err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    c->sc = s;
    c->m = migdev_scenario_model(s);
    c->max_iter = 200;
    c->xtol = 1e-8;
    c->gtol = 1e-8;
    c->ftol = 0.0;
    c->stop = MIGDEV_STOP_NONE;
    c->file = strdup(migdev_scenario_file(s));
    if (!c->file) {
        migdev_calib_free(c);
        err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    cfgfile cf;
    migdev_error open_err;
    migdev_error_clear(&open_err);
    /* the scenario loaded, so a file libconfig cannot read is a model in
       another format (XMILE): no calibrate section */
    if (cfgfile_open(&cf, c->file, NULL, &open_err) != 0) {
        cfgfile_close(&cf);
        return c;
    }
    cf.err = err;
    int rc = 0;
    const config_setting_t *sec = config_lookup(&cf.cfg, "calibrate");
    if (sec && (config_lookup(&cf.cfg, "model") || config_lookup(&cf.cfg, "base")))
        rc = read_section(&cf, c, sec);
    else if (sec)
        rc = cfg_error(&cf, sec, MIGDEV_E_SYNTAX,
                       "a calibration belongs in a scenario file (one with model = \"...\")");
    cfgfile_close(&cf);
    if (rc) {
        migdev_calib_free(c);
        return NULL;
    }
    return c;
}

/* ---- command-line edits ---- */

/* Strict number from text[0..len). Returns 0 or -1. */
static int parse_number(const char *text, size_t len, double *out)
{
    char buf[64];
    if (len == 0 || len >= sizeof buf)
        return MIGDEV_E_SYNTAX;
    memcpy(buf, text, len);
    buf[len] = '\0';
    char *end;
    errno = 0;
    const double x = strtod(buf, &end);
    if (*end || errno == ERANGE || !isfinite(x))
        return MIGDEV_E_SYNTAX;
    *out = x;
    return 0;
}

int migdev_calib_set(migdev_calib *c, const char *key, const char *value, migdev_error *err)
{
    double x = 0.0;
    const int is_num = parse_number(value, strlen(value), &x) == 0;
    int k;
    if (!strcmp(key, "data") || !strcmp(key, "time_column")) {
        if (!*value)
            return err_set(err, MIGDEV_E_USAGE, NULL, 0, 1, "the %s is empty",
                           key[0] == 'd' ? "data file name" : "time column");
        char *copy = strdup(value);
        if (!copy)
            return err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
        char **dst = key[0] == 'd' ? &c->data : &c->time_column;
        free(*dst);
        *dst = copy;
        if (key[0] == 'd')
            c->data_pos = (calib_pos){0, 0};
        else
            c->time_column_pos = (calib_pos){0, 0};
    } else if (!strcmp(key, "holdout")) {
        if (!is_num)
            return err_set(err, MIGDEV_E_USAGE, NULL, 0, 1, "'%s' is not a number", value);
        c->holdout = x, c->has_holdout = 1;
        c->holdout_pos = (calib_pos){0, 0};
    } else if (!strcmp(key, "from") || !strcmp(key, "to")) {
        if (!is_num)
            return err_set(err, MIGDEV_E_USAGE, NULL, 0, 1, "'%s' is not a number", value);
        if (key[0] == 'f')
            c->from = x, c->has_from = 1;
        else
            c->to = x, c->has_to = 1;
    } else if (!strcmp(key, "objective")) {
        if ((k = word_index(objective_names, value)) < 0)
            return err_set(err, MIGDEV_E_USAGE, NULL, 0, 1,
                           "unknown objective '%s' (relative or absolute)", value);
        c->objective = (calib_objective)k;
    } else if (!strcmp(key, "weighting")) {
        if ((k = word_index(weighting_names, value)) < 0)
            return err_set(err, MIGDEV_E_USAGE, NULL, 0, 1,
                           "unknown weighting '%s' (series or points)", value);
        c->weighting = (calib_weighting)k;
    } else if (!strcmp(key, "algorithm")) {
        if ((k = word_index(calib_algorithm_names, value)) < 0)
            return err_set(err, MIGDEV_E_USAGE, NULL, 0, 1,
                           "unknown algorithm '%s' (lm, lmaccel, dogleg, ddogleg or subspace2D)",
                           value);
        c->algorithm = k;
    } else if (!strcmp(key, "max_iterations")) {
        if (!is_num || x != floor(x) || x < 1 || x > 1e6)
            return err_set(err, MIGDEV_E_USAGE, NULL, 0, 1,
                           "expected a whole number from 1 to 1000000, got '%s'", value);
        c->max_iter = (int)x;
    } else if (!strcmp(key, "xtol") || !strcmp(key, "gtol") || !strcmp(key, "ftol")) {
        if (!is_num || !(x >= 0.0 && x < 1.0))
            return err_set(err, MIGDEV_E_USAGE, NULL, 0, 1,
                           "expected a tolerance from 0 to below 1, got '%s'", value);
        *(key[0] == 'x' ? &c->xtol : key[0] == 'g' ? &c->gtol : &c->ftol) = x;
    } else {
        return err_set(err, MIGDEV_E_USAGE, NULL, 0, 1, "unknown calibration setting '%s'", key);
    }
    c->prepared = 0;
    return 0;
}

int migdev_calib_add_series_text(migdev_calib *c, const char *text, migdev_error *err)
{
    const char *eq = strchr(text, '=');
    const size_t vlen = eq ? (size_t)(eq - text) : 0;
    if (!eq || vlen == 0)
        return err_set(err, MIGDEV_E_USAGE, NULL, 0, 1,
                       "expected VARIABLE=COLUMN[,scale=S][,weight=W][,from=T][,to=T], got '%s'",
                       text);
    char var[256];
    if (vlen >= sizeof var)
        return err_set(err, MIGDEV_E_USAGE, NULL, 0, 1, "the variable name is too long");
    memcpy(var, text, vlen);
    var[vlen] = '\0';
    calib_series s = {0};
    s.scale = 1.0;
    s.weight = 1.0;
    char msg[400];
    s.var = model_find_var(c->m, var, "variable", msg, sizeof msg);
    if (s.var < 0)
        return err_set(err, MIGDEV_E_USAGE, NULL, 0, 1, "%s", msg);
    const char *col = eq + 1;
    const size_t clen = strcspn(col, ",");
    if (clen == 0)
        return err_set(err, MIGDEV_E_USAGE, NULL, 0, (int)(col - text) + 1,
                       "the data column is missing after '='");
    for (const char *p = col + clen; *p == ',';) {
        const char *opt = p + 1;
        const size_t olen = strcspn(opt, ",");
        const char *oeq = memchr(opt, '=', olen);
        const int at = (int)(opt - text) + 1;
        double x;
        if (!oeq || parse_number(oeq + 1, olen - (size_t)(oeq + 1 - opt), &x) != 0)
            return err_set(err, MIGDEV_E_USAGE, NULL, 0, at,
                           "expected scale=S, weight=W, from=T or to=T with a number");
        const size_t klen = (size_t)(oeq - opt);
        if (klen == 5 && !strncmp(opt, "scale", 5)) {
            if (x == 0.0)
                return err_set(err, MIGDEV_E_USAGE, NULL, 0, at, "the scale must not be zero");
            s.scale = x;
        } else if (klen == 6 && !strncmp(opt, "weight", 6)) {
            if (!(x > 0.0))
                return err_set(err, MIGDEV_E_USAGE, NULL, 0, at, "the weight must be positive");
            s.weight = x;
        } else if (klen == 4 && !strncmp(opt, "from", 4)) {
            s.from = x, s.has_from = 1;
        } else if (klen == 2 && !strncmp(opt, "to", 2)) {
            s.to = x, s.has_to = 1;
        } else {
            return err_set(err, MIGDEV_E_USAGE, NULL, 0, at,
                           "unknown series option '%.*s' (scale, weight, from, to)", (int)klen, opt);
        }
        p = opt + olen;
    }
    if (s.has_from && s.has_to && !(s.from <= s.to))
        return err_set(err, MIGDEV_E_USAGE, NULL, 0, 1, "'to' (%g) is before 'from' (%g)", s.to,
                       s.from);
    s.variable = strdup(var);
    s.column = strndup(col, clen);
    if (!s.variable || !s.column || put_series(c, &s) != 0) {
        series_clear(&s);
        return err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
    }
    c->prepared = 0;
    return 0;
}

int migdev_calib_add_param_text(migdev_calib *c, const char *text, migdev_error *err)
{
    const char *eq = strchr(text, '=');
    const size_t nlen = eq ? (size_t)(eq - text) : strlen(text);
    char name[256];
    if (nlen == 0 || nlen >= sizeof name)
        return err_set(err, MIGDEV_E_USAGE, NULL, 0, 1,
                       "expected NAME, NAME=MIN:MAX, NAME=MIN: or NAME=:MAX, got '%s'", text);
    memcpy(name, text, nlen);
    name[nlen] = '\0';
    calib_param p;
    char msg[400];
    const int rc = param_named(c, name, &p, msg, sizeof msg);
    if (rc < 0)
        return err_set(err, MIGDEV_E_USAGE, NULL, 0, 1, "%s", msg);
    if (eq) {
        const char *lo = eq + 1, *colon = strchr(lo, ':');
        if (!colon)
            return err_set(err, MIGDEV_E_USAGE, NULL, 0, (int)(lo - text) + 1,
                           "bounds are MIN:MAX (either may be left out: 0: or :1)");
        const char *hi = colon + 1;
        if (colon > lo) {
            if (parse_number(lo, (size_t)(colon - lo), &p.min) != 0)
                return err_set(err, MIGDEV_E_USAGE, NULL, 0, (int)(lo - text) + 1,
                               "the lower bound is not a number");
            p.has_min = 1;
        }
        if (*hi) {
            if (parse_number(hi, strlen(hi), &p.max) != 0)
                return err_set(err, MIGDEV_E_USAGE, NULL, 0, (int)(hi - text) + 1,
                               "the upper bound is not a number");
            p.has_max = 1;
        }
        if (p.has_min && p.has_max && !(p.min < p.max))
            return err_set(err, MIGDEV_E_USAGE, NULL, 0, (int)(hi - text) + 1,
                           "the upper bound (%g) must be greater than the lower (%g)", p.max, p.min);
    }
    p.name = strdup(name);
    if (!p.name || put_param(c, &p) != 0) {
        free(p.name);
        return err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
    }
    c->prepared = 0;
    return 0;
}
