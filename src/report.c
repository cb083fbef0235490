/*
** report.c - the `indicators` section of a scenario file and the numbers
** it asks for (see include/migdev/report.h). The section is read like the
** sweep and calibrate sections: from the scenario's file, reopened; when
** the file has none, from its base, following `base` settings.
*/
#include "migdev/report.h"

#include "cfgfile.h"
#include "error_int.h"
#include "model_int.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct indicator {
    char *name, *label, *variable;
    migdev_indicator_kind kind;
    double value, time;
    int direction, last, line;
} indicator;

struct migdev_indicators {
    indicator *v;
    int n;
};

enum { MAX_BASE_HOPS = 32 };

static const char *const kind_names[] = {"crossing", "at", "change", NULL};

void migdev_indicators_free(migdev_indicators *ind)
{
    if (!ind)
        return;
    for (int i = 0; i < ind->n; i++)
        free(ind->v[i].name), free(ind->v[i].label), free(ind->v[i].variable);
    free(ind->v);
    free(ind);
}

static int read_one(cfgfile *cf, const migdev_model *m, const config_setting_t *g, indicator *d)
{
    if (config_setting_type(g) != CONFIG_TYPE_GROUP)
        return cfg_error(cf, g, MIGDEV_E_SYNTAX,
                         "an indicator is a group: { name = \"...\"; kind = \"at\"; "
                         "variable = \"...\"; time = 2050; }");
    static const char *const fields[] = {"name", "label", "kind", "variable", "value",
                                         "direction", "occurrence", "time", NULL};
    int rc = cfg_check_fields(cf, g, fields, "an indicator");
    if (rc)
        return rc;
    const char *name = NULL, *label = NULL, *kind = NULL, *var = NULL, *dir = NULL, *occ = NULL;
    if ((rc = cfg_get_string(cf, g, "name", &name)) < 0 ||
        (rc = cfg_get_string(cf, g, "label", &label)) < 0 ||
        (rc = cfg_get_string(cf, g, "kind", &kind)) < 0 ||
        (rc = cfg_get_string(cf, g, "variable", &var)) < 0 ||
        (rc = cfg_get_string(cf, g, "direction", &dir)) < 0 ||
        (rc = cfg_get_string(cf, g, "occurrence", &occ)) < 0)
        return rc;
    d->line = cfg_line(g);
    if (!name || !*name)
        return cfg_error(cf, g, MIGDEV_E_SYNTAX, "an indicator needs a name");
    if (!kind)
        return cfg_error(cf, g, MIGDEV_E_SYNTAX,
                         "indicator '%s' needs a kind: \"crossing\", \"at\" or \"change\"", name);
    int k = 0;
    while (kind_names[k] && strcmp(kind_names[k], kind) != 0)
        k++;
    if (!kind_names[k])
        return cfg_error(cf, config_setting_get_member(g, "kind"), MIGDEV_E_SYNTAX,
                         "unknown kind '%s' of indicator '%s' (crossing, at or change)", kind,
                         name);
    d->kind = (migdev_indicator_kind)k;
    if (!var)
        return cfg_error(cf, g, MIGDEV_E_SYNTAX, "indicator '%s' needs a variable", name);
    char msg[400];
    const int vi = model_find_var(m, var, "variable", msg, sizeof msg);
    if (vi < 0)
        return cfg_error(cf, config_setting_get_member(g, "variable"), vi, "%s", msg);
    const int has_value = config_setting_get_member(g, "value") != NULL;
    const int has_time = config_setting_get_member(g, "time") != NULL;
    if ((rc = cfg_get_number(cf, g, "value", &d->value)) < 0 ||
        (rc = cfg_get_number(cf, g, "time", &d->time)) < 0)
        return rc;
    if (d->kind == MIGDEV_IND_CROSSING) {
        if (!has_value)
            return cfg_error(cf, g, MIGDEV_E_SYNTAX,
                             "indicator '%s' (crossing) needs the value crossed: value = 0;", name);
        if (has_time)
            return cfg_error(cf, config_setting_get_member(g, "time"), MIGDEV_E_SYNTAX,
                             "a crossing indicator has no time (it finds one)");
        d->direction = 0;
        if (dir && !strcmp(dir, "up"))
            d->direction = 1;
        else if (dir && !strcmp(dir, "down"))
            d->direction = -1;
        else if (dir && strcmp(dir, "either") != 0)
            return cfg_error(cf, config_setting_get_member(g, "direction"), MIGDEV_E_SYNTAX,
                             "direction must be \"up\", \"down\" or \"either\", got '%s'", dir);
        d->last = occ && !strcmp(occ, "last");
        if (occ && !d->last && strcmp(occ, "first") != 0)
            return cfg_error(cf, config_setting_get_member(g, "occurrence"), MIGDEV_E_SYNTAX,
                             "occurrence must be \"first\" or \"last\", got '%s'", occ);
    } else {
        if (!has_time)
            return cfg_error(cf, g, MIGDEV_E_SYNTAX, "indicator '%s' (%s) needs a time: time = 2050;",
                             name, kind);
        const char *extra = has_value ? "value" : dir ? "direction" : occ ? "occurrence" : NULL;
        if (extra)
            return cfg_error(cf, config_setting_get_member(g, extra), MIGDEV_E_SYNTAX,
                             "only a crossing indicator has a %s", extra);
    }
    d->name = strdup(name);
    d->label = strdup(label ? label : "");
    d->variable = strdup(var);
    if (!d->name || !d->label || !d->variable)
        return err_set(cf->err, MIGDEV_E_NOMEM, cf->path, 0, 0, "out of memory");
    return 0;
}

static int read_section(cfgfile *cf, const migdev_model *m, const config_setting_t *sec,
                        migdev_indicators *ind)
{
    if (config_setting_type(sec) != CONFIG_TYPE_LIST)
        return cfg_error(cf, sec, MIGDEV_E_SYNTAX,
                         "'indicators' must be a list: indicators = ( { ... }, { ... } );");
    const int n = config_setting_length(sec);
    ind->v = calloc((size_t)n + 1, sizeof *ind->v);
    if (!ind->v)
        return err_set(cf->err, MIGDEV_E_NOMEM, cf->path, 0, 0, "out of memory");
    for (int i = 0; i < n; i++) {
        indicator *d = &ind->v[ind->n++]; /* counted first: freed if half-read */
        const config_setting_t *g = config_setting_get_elem(sec, (unsigned)i);
        const int rc = read_one(cf, m, g, d);
        if (rc)
            return rc;
        for (int j = 0; j < i; j++)
            if (!strcmp(ind->v[j].name, d->name))
                return cfg_error(cf, g, MIGDEV_E_NAME,
                                 "a second indicator called '%s' (the first is on line %d)",
                                 d->name, ind->v[j].line);
    }
    return 0;
}

migdev_indicators *migdev_indicators_load(const migdev_scenario *s, migdev_error *err)
{
    migdev_indicators *ind = calloc(1, sizeof *ind);
    char *path = strdup(migdev_scenario_file(s));
    int rc = ind && path ? 0 : err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
    for (int hop = 0; !rc && path && hop < MAX_BASE_HOPS; hop++) {
        cfgfile cf;
        migdev_error open_err;
        migdev_error_clear(&open_err);
        /* the scenario loaded, so a file libconfig cannot read is an XMILE
           model: no indicators */
        if (cfgfile_open(&cf, path, NULL, &open_err) != 0) {
            cfgfile_close(&cf);
            break;
        }
        cf.err = err;
        const config_setting_t *sec = config_lookup(&cf.cfg, "indicators");
        const config_setting_t *base = config_lookup(&cf.cfg, "base");
        char *next = NULL;
        if (sec)
            rc = read_section(&cf, migdev_scenario_model(s), sec, ind);
        else if (base && config_setting_type(base) == CONFIG_TYPE_STRING &&
                 !(next = cfg_join_path(path, config_setting_get_string(base))))
            rc = err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
        cfgfile_close(&cf);
        free(path);
        path = next; /* NULL: done */
    }
    free(path);
    if (rc) {
        migdev_indicators_free(ind);
        return NULL;
    }
    return ind;
}

int migdev_indicators_count(const migdev_indicators *ind) { return ind->n; }

int migdev_indicators_get(const migdev_indicators *ind, int i, migdev_indicator_info *out)
{
    if (i < 0 || i >= ind->n)
        return MIGDEV_E_RANGE;
    const indicator *d = &ind->v[i];
    *out = (migdev_indicator_info){d->name, d->label, d->kind, d->variable, d->value,
                                   d->direction, d->last, d->time, d->line};
    return 0;
}

/* The recorded series of d's variable in r, or NULL with err set. */
static const double *series_of(const indicator *d, const migdev_run *r, migdev_error *err)
{
    const migdev_model *m = migdev_run_model(r);
    const int v = migdev_model_find(m, d->variable);
    const double *x = v >= 0 ? migdev_run_series(r, v) : NULL;
    if (!x)
        err_set(err, MIGDEV_E_NAME, migdev_model_file(m), 0, 0,
                "indicator '%s': the run %s '%s'", d->name,
                v >= 0 ? "does not record" : "has no variable", d->variable);
    return x;
}

/* x at time t, linear between save times. */
static int value_at(const indicator *d, const migdev_run *r, double *out, migdev_error *err)
{
    const double *x = series_of(d, r, err);
    if (!x)
        return MIGDEV_E_NAME;
    const double *t = migdev_run_times(r);
    const size_t n = migdev_run_n_saves(r);
    const double eps = 1e-9 * (n > 1 ? fabs(t[n - 1] - t[0]) : 1.0);
    if (n == 0 || d->time < t[0] - eps || d->time > t[n - 1] + eps)
        return err_set(err, MIGDEV_E_RANGE, migdev_model_file(migdev_run_model(r)), 0, 0,
                       "indicator '%s': time %g is outside the run (%g to %g)", d->name, d->time,
                       n ? t[0] : NAN, n ? t[n - 1] : NAN);
    for (size_t j = 0; j < n; j++)
        if (fabs(t[j] - d->time) <= eps) {
            *out = x[j];
            return 0;
        }
    size_t j = 1;
    while (j < n - 1 && t[j] < d->time)
        j++;
    const double w = (d->time - t[j - 1]) / (t[j] - t[j - 1]);
    *out = x[j - 1] + w * (x[j] - x[j - 1]);
    return 0;
}

int migdev_indicator_eval(const migdev_indicators *ind, int i, const migdev_run *r,
                          const migdev_run *baseline, double *out, migdev_error *err)
{
    if (i < 0 || i >= ind->n)
        return err_set(err, MIGDEV_E_RANGE, NULL, 0, 0, "no indicator %d", i);
    const indicator *d = &ind->v[i];
    if (d->kind == MIGDEV_IND_CROSSING) {
        const double *x = series_of(d, r, err);
        if (!x)
            return MIGDEV_E_NAME;
        const double *t = migdev_run_times(r);
        const size_t n = migdev_run_n_saves(r);
        *out = NAN;
        for (size_t j = 1; j < n; j++) {
            const int up = x[j - 1] < d->value && x[j] >= d->value;
            const int down = x[j - 1] > d->value && x[j] <= d->value;
            if ((d->direction >= 0 && up) || (d->direction <= 0 && down)) {
                *out = t[j]; /* the first, or with `last` the latest so far */
                if (!d->last)
                    break;
            } else if (d->last && (up || down)) {
                *out = NAN; /* crossed back: not for good */
            }
        }
        return 0;
    }
    double x;
    int rc = value_at(d, r, &x, err);
    if (rc)
        return rc;
    if (d->kind == MIGDEV_IND_AT) {
        *out = x;
        return 0;
    }
    if (!baseline)
        return err_set(err, MIGDEV_E_USAGE, NULL, 0, 0,
                       "indicator '%s' is a change against a baseline: give one", d->name);
    double b;
    if ((rc = value_at(d, baseline, &b, err)) != 0)
        return rc;
    *out = 100.0 * (x - b) / fabs(b);
    return 0;
}
