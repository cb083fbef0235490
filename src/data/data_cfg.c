/*
** data_cfg.c - read the `data` section of a model or scenario (data_cfg.h).
*/
#include "data/data_cfg.h"

#include "data/bind.h"
#include "error_int.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const entry_fields[] = {"name", "file", "time_column", "column",
                                           "interpolation", "outside", "scale", "units",
                                           "doc", "source", NULL};

/* A string member that must be one of two words; *which = 1 for the second. */
static int choice(cfgfile *cf, const config_setting_t *g, const char *key, const char *a,
                  const char *b, int *which)
{
    const char *s = NULL;
    const int rc = cfg_get_string(cf, g, key, &s);
    if (rc < 0)
        return rc;
    if (!s)
        return 0;
    if (strcmp(s, a) == 0 || strcmp(s, b) == 0) {
        *which = strcmp(s, b) == 0;
        return 0;
    }
    return cfg_error(cf, config_setting_get_member(g, key), MIGDEV_E_SYNTAX,
                     "unknown %s '%s' (%s or %s)", key, s, a, b);
}

static int required_string(cfgfile *cf, const config_setting_t *g, const char *key,
                           const char *what, const char **out)
{
    const int rc = cfg_get_string(cf, g, key, out);
    if (rc == 1)
        return cfg_error(cf, g, MIGDEV_E_SYNTAX, "%s has no '%s'", what, key);
    if (rc == 0 && !(*out)[0])
        return cfg_error(cf, config_setting_get_member(g, key), MIGDEV_E_SYNTAX,
                         "'%s' of %s is empty", key, what);
    return rc;
}

/* The table read last: entries that read the same file one after the
** other parse it once. */
typedef struct table_cache {
    char *path;
    csv_table t;
} table_cache;

/* The series of d from its file, through the cache. */
static int read_series(table_cache *tc, const data_decl *d, data_points *p, migdev_error *err)
{
    memset(p, 0, sizeof *p);
    if (!tc->path || strcmp(tc->path, d->path) != 0) {
        csv_free(&tc->t);
        free(tc->path);
        tc->path = NULL;
        const int rc = csv_read(&tc->t, d->path, err);
        if (rc)
            return rc;
        if (!(tc->path = strdup(d->path)))
            return err_set(err, MIGDEV_E_NOMEM, d->path, 0, 0, "out of memory");
    }
    return data_series_from_table(&tc->t, d->path, d->time_col, d->value_col, p, err);
}

static int read_entry(cfgfile *cf, migdev_model *m, const config_setting_t *g, int replace,
                      table_cache *tc)
{
    if (config_setting_type(g) != CONFIG_TYPE_GROUP)
        return cfg_error(cf, g, MIGDEV_E_SYNTAX, "each entry of 'data' must be a group { ... }");
    data_decl d;
    memset(&d, 0, sizeof d);
    d.replace = replace;
    d.file = cf->path;
    d.outside_error = 1; /* holding a series past its end must be asked for */
    const config_setting_t *ns = config_setting_get_member(g, "name");
    if (!ns)
        return cfg_error(cf, g, MIGDEV_E_SYNTAX, "a data entry without a 'name'");
    if (config_setting_type(ns) != CONFIG_TYPE_STRING)
        return cfg_error(cf, ns, MIGDEV_E_TYPE, "'name' must be a string in double quotes");
    d.name = config_setting_get_string(ns);
    cfg_string_pos(cf, ns, &d.line, &d.col);
    char what[300];
    snprintf(what, sizeof what, "data '%s'", d.name);
    int rc = cfg_check_fields(cf, g, entry_fields, what);
    const char *file = NULL, *units = NULL, *doc = NULL, *source = NULL;
    int is_hold = 0;
    double scale = 1.0;
    if (rc || (rc = required_string(cf, g, "file", what, &file)) != 0 ||
        (rc = required_string(cf, g, "column", what, &d.value_col)) != 0 ||
        (rc = cfg_get_string(cf, g, "time_column", &d.time_col)) < 0 ||
        (rc = choice(cf, g, "interpolation", "linear", "step", &d.is_step)) != 0 ||
        (rc = choice(cf, g, "outside", "error", "hold", &is_hold)) != 0 ||
        (rc = cfg_get_number(cf, g, "scale", &scale)) < 0 ||
        (rc = cfg_get_string(cf, g, "units", &units)) < 0 ||
        (rc = cfg_get_string(cf, g, "doc", &doc)) < 0 ||
        (rc = cfg_get_string(cf, g, "source", &source)) < 0)
        return rc;
    d.outside_error = !is_hold;
    d.scale = scale;
    if (!(scale != 0.0 && isfinite(scale)))
        return cfg_error(cf, config_setting_get_member(g, "scale"), MIGDEV_E_RANGE,
                         "the scale of %s must be a non-zero number, got %g", what, scale);
    char *path = cfg_join_path(cf->path, file);
    if (!path)
        return err_set(cf->err, MIGDEV_E_NOMEM, cf->path, 0, 0, "out of memory");
    d.path = path;
    data_points p;
    migdev_error local;
    migdev_error_clear(&local);
    rc = read_series(tc, &d, &p, &local);
    if (rc == MIGDEV_E_IO && local.line == 0) {
        int line, col;
        cfg_string_pos(cf, config_setting_get_member(g, "file"), &line, &col);
        rc = err_set(cf->err, MIGDEV_E_IO, cf->path, line, col, "data file '%s': %s", path,
                     local.message);
    } else if (rc) {
        if (cf->err)
            *cf->err = local;
    } else {
        if (!d.time_col) /* the column series.c chose */
            d.time_col = csv_column(&tc->t, "time") >= 0 ? "time" : "year";
        for (int i = 0; i < p.n; i++)
            p.y[i] *= scale;
        const int var = data_bind(m, &d, &p, cf->err);
        rc = var < 0 ? var : 0;
        if (!rc && (units || doc || source)) {
            variable *v = &m->vars[var];
            if ((units && util_set_str(&v->units, units)) || (doc && util_set_str(&v->doc, doc)) ||
                (source && util_set_str(&v->source, source)))
                rc = err_set(cf->err, MIGDEV_E_NOMEM, cf->path, 0, 0, "out of memory");
            if (units)
                cfg_string_pos(cf, config_setting_get_member(g, "units"), &v->units_line,
                               &v->units_col);
        }
    }
    data_points_free(&p);
    free(path);
    return rc;
}

int data_cfg_read(cfgfile *cf, migdev_model *m, const config_setting_t *l, int replace)
{
    if (!l)
        return 0;
    const int t = config_setting_type(l);
    if (t != CONFIG_TYPE_LIST && !(t == CONFIG_TYPE_ARRAY && config_setting_length(l) == 0))
        return cfg_error(cf, l, MIGDEV_E_SYNTAX,
                         "'data' must be a list of groups: data = ( { name = \"...\"; file = "
                         "\"...\"; column = \"...\"; }, ... );");
    table_cache tc;
    memset(&tc, 0, sizeof tc);
    int rc = 0;
    for (int i = 0; i < config_setting_length(l) && !rc; i++)
        rc = read_entry(cf, m, config_setting_get_elem(l, (unsigned)i), replace, &tc);
    csv_free(&tc.t);
    free(tc.path);
    return rc;
}
