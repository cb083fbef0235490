/*
** load_cfg.c - read a model written in the libconfig format.
**
** The format is specified in docs/model-format.md. This reader only maps
** settings to model_build.c calls; all semantic checks (names, loops,
** arity) happen in compile.c.
*/
#include "arrays_cfg.h"
#include "cfgfile.h"
#include "data/data_cfg.h"
#include "error_int.h"
#include "model_int.h"
#include "provenance.h"
#include "vensim/vensim.h"
#include "util.h"
#include "migdev/run.h"
#include "xmile/xmile.h"

#include <stdlib.h>
#include <string.h>

static const config_setting_t *list_of_groups(cfgfile *cf, const char *key, int *rc)
{
    const config_setting_t *l = config_lookup(&cf->cfg, key);
    *rc = 0;
    if (!l)
        return NULL;
    const int t = config_setting_type(l);
    if (t != CONFIG_TYPE_LIST && !(t == CONFIG_TYPE_ARRAY && config_setting_length(l) == 0)) {
        *rc = cfg_error(cf, l, MIGDEV_E_SYNTAX,
                        "'%s' must be a list of groups: %s = ( { name = \"...\"; ... }, ... );",
                        key, key);
        return NULL;
    }
    for (int i = 0; i < config_setting_length(l); i++) {
        const config_setting_t *g = config_setting_get_elem(l, (unsigned)i);
        if (config_setting_type(g) != CONFIG_TYPE_GROUP) {
            *rc = cfg_error(cf, g, MIGDEV_E_SYNTAX, "each entry of '%s' must be a group { ... }",
                            key);
            return NULL;
        }
    }
    return l;
}

/* The name of an entry: a required string. */
static int entry_name(cfgfile *cf, const config_setting_t *g, const char *what, const char **name,
                      int *line, int *col)
{
    const config_setting_t *s = config_setting_get_member(g, "name");
    if (!s)
        return cfg_error(cf, g, MIGDEV_E_SYNTAX, "%s without a 'name'", what);
    if (config_setting_type(s) != CONFIG_TYPE_STRING)
        return cfg_error(cf, s, MIGDEV_E_TYPE, "'name' must be a string in double quotes");
    *name = config_setting_get_string(s);
    cfg_string_pos(cf, s, line, col);
    return 0;
}

/* Where the string value of member key of g starts (0, 0 when absent). */
static void string_member_pos(const cfgfile *cf, const config_setting_t *g, const char *key,
                              int *line, int *col)
{
    const config_setting_t *s = config_setting_get_member(g, key);
    *line = *col = 0;
    if (s && config_setting_type(s) == CONFIG_TYPE_STRING)
        cfg_string_pos(cf, s, line, col);
}

static int docs(cfgfile *cf, migdev_model *m, int idx, const config_setting_t *g)
{
    const char *units = NULL, *doc = NULL, *source = NULL, *label = NULL;
    int rc;
    if ((rc = cfg_get_string(cf, g, "units", &units)) < 0 ||
        (rc = cfg_get_string(cf, g, "doc", &doc)) < 0 ||
        (rc = cfg_get_string(cf, g, "source", &source)) < 0 ||
        (rc = cfg_get_string(cf, g, "label", &label)) < 0)
        return rc;
    if (mb_set_docs(m, idx, units, doc, source) != 0 || mb_set_label(m, idx, label) != 0)
        return err_set(cf->err, MIGDEV_E_NOMEM, cf->path, 0, 0, "out of memory");
    string_member_pos(cf, g, "units", &m->vars[idx].units_line, &m->vars[idx].units_col);
    return 0;
}

static int read_time(cfgfile *cf, migdev_model *m)
{
    const config_setting_t *g = config_lookup(&cf->cfg, "time");
    if (!g)
        return 0;
    if (config_setting_type(g) != CONFIG_TYPE_GROUP)
        return cfg_error(cf, g, MIGDEV_E_SYNTAX, "'time' must be a group: time = { start = 0; ... };");
    static const char *const fields[] = {"start", "stop", "dt", "save_every", "units", NULL};
    int rc = cfg_check_fields(cf, g, fields, "the time settings");
    if (rc)
        return rc;
    const char *units = NULL;
    if ((rc = cfg_get_number(cf, g, "start", &m->spec.start)) < 0 ||
        (rc = cfg_get_number(cf, g, "stop", &m->spec.stop)) < 0 ||
        (rc = cfg_get_number(cf, g, "dt", &m->spec.dt)) < 0 ||
        (rc = cfg_get_number(cf, g, "save_every", &m->spec.save_every)) < 0 ||
        (rc = cfg_get_string(cf, g, "units", &units)) < 0)
        return rc;
    if (util_set_str(&m->time_units, units) != 0)
        return err_set(cf->err, MIGDEV_E_NOMEM, cf->path, 0, 0, "out of memory");
    string_member_pos(cf, g, "units", &m->time_units_line, &m->time_units_col);
    const config_setting_t *s;
    if (!(m->spec.dt > 0.0) && (s = config_setting_get_member(g, "dt")))
        return cfg_error(cf, s, MIGDEV_E_RANGE, "dt must be positive, got %g", m->spec.dt);
    if (!(m->spec.save_every > 0.0) && (s = config_setting_get_member(g, "save_every")))
        return cfg_error(cf, s, MIGDEV_E_RANGE, "save_every must be positive, got %g",
                         m->spec.save_every);
    if (!(m->spec.stop > m->spec.start))
        return cfg_error(cf, g, MIGDEV_E_RANGE,
                         "the stop time (%g) must be greater than the start time (%g)",
                         m->spec.stop, m->spec.start);
    migdev_error e2;
    migdev_error_clear(&e2);
    if (migdev_spec_check(&m->spec, &e2) != 0)
        return cfg_error(cf, g, e2.code, "%s", e2.message);
    return 0;
}

static int read_constants(cfgfile *cf, migdev_model *m)
{
    int rc;
    const config_setting_t *l = list_of_groups(cf, "constants", &rc);
    static const char *const fields[] = {"name", "value", "units", "doc", "source", "label",
                                         "provenance", "tuned_to", "dimensions", "elements",
                                         NULL};
    for (int i = 0; l && !rc && i < config_setting_length(l); i++) {
        const config_setting_t *g = config_setting_get_elem(l, (unsigned)i);
        const char *name = NULL;
        int line = 0, col = 0;
        if ((rc = entry_name(cf, g, "a constant", &name, &line, &col)) != 0)
            break;
        char what[300];
        snprintf(what, sizeof what, "constant '%s'", name);
        if ((rc = cfg_check_fields(cf, g, fields, what)) != 0)
            break;
        const config_setting_t *vs = config_setting_get_member(g, "value");
        if (!vs) {
            rc = cfg_error(cf, g, MIGDEV_E_SYNTAX, "constant '%s' has no 'value'", name);
            break;
        }
        if (!cfg_is_number(vs)) {
            rc = cfg_error(cf, vs, MIGDEV_E_TYPE,
                           "the value of constant '%s' must be a number (write an expression as "
                           "an auxiliary)",
                           name);
            break;
        }
        const int idx = mb_add_var(m, VK_CONST, name, line, col, NULL, 0, 0, cf->err);
        if (idx < 0) {
            rc = idx;
            break;
        }
        m->vars[idx].value = cfg_number(vs);
        rc = docs(cf, m, idx, g);
        if (!rc)
            rc = prov_read(cf, g, what, &m->vars[idx].prov, &m->vars[idx].prov_target);
    }
    return rc;
}

static int read_flow_names(cfgfile *cf, migdev_model *m, const config_setting_t *g,
                           const char *stock, const char *key, int is_outflow)
{
    const config_setting_t *l = config_setting_get_member(g, key);
    if (!l)
        return 0;
    const int t = config_setting_type(l);
    if (t == CONFIG_TYPE_STRING) /* a single name is accepted too */
        return mb_attach(m, stock, config_setting_get_string(l), is_outflow, cfg_line(l),
                         cfg_col(cf, l), cf->err);
    if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST)
        return cfg_error(cf, l, MIGDEV_E_TYPE, "'%s' must be a list of flow names: %s = [\"a\", \"b\"];",
                         key, key);
    for (int i = 0; i < config_setting_length(l); i++) {
        const config_setting_t *e = config_setting_get_elem(l, (unsigned)i);
        if (config_setting_type(e) != CONFIG_TYPE_STRING)
            return cfg_error(cf, l, MIGDEV_E_TYPE, "'%s' must hold flow names in quotes", key);
        const int rc = mb_attach(m, stock, config_setting_get_string(e), is_outflow, cfg_line(l),
                                 cfg_col(cf, l), cf->err);
        if (rc)
            return rc;
    }
    return 0;
}

static int read_stocks(cfgfile *cf, migdev_model *m)
{
    int rc;
    const config_setting_t *l = list_of_groups(cf, "stocks", &rc);
    static const char *const fields[] = {"name", "init", "inflows", "outflows", "non_negative",
                                         "units", "doc", "source", "label",
                                         "dimensions", "elements", NULL};
    for (int i = 0; l && !rc && i < config_setting_length(l); i++) {
        const config_setting_t *g = config_setting_get_elem(l, (unsigned)i);
        const char *name = NULL;
        int line = 0, col = 0;
        if ((rc = entry_name(cf, g, "a stock", &name, &line, &col)) != 0)
            break;
        char what[300];
        snprintf(what, sizeof what, "stock '%s'", name);
        if ((rc = cfg_check_fields(cf, g, fields, what)) != 0)
            break;
        const config_setting_t *is = config_setting_get_member(g, "init");
        if (!is) {
            rc = cfg_error(cf, g, MIGDEV_E_SYNTAX, "stock '%s' has no initial value 'init'", name);
            break;
        }
        char numbuf[64];
        const char *text;
        int eline, ecol;
        if (cfg_is_number(is)) {
            snprintf(numbuf, sizeof numbuf, "%.17g", cfg_number(is));
            text = numbuf;
            eline = cfg_line(is);
            ecol = cfg_col(cf, is);
        } else if (config_setting_type(is) == CONFIG_TYPE_STRING) {
            text = config_setting_get_string(is);
            cfg_string_pos(cf, is, &eline, &ecol);
        } else {
            rc = cfg_error(cf, is, MIGDEV_E_TYPE,
                           "the initial value of stock '%s' must be a number or an equation in "
                           "quotes",
                           name);
            break;
        }
        const int idx = mb_add_var(m, VK_STOCK, name, line, col, text, eline, ecol, cf->err);
        if (idx < 0) {
            rc = idx;
            break;
        }
        int nn = 0;
        if ((rc = cfg_get_bool(cf, g, "non_negative", &nn)) < 0)
            break;
        m->vars[idx].non_negative = nn;
        if ((rc = docs(cf, m, idx, g)) != 0 ||
            (rc = read_flow_names(cf, m, g, name, "inflows", 0)) != 0 ||
            (rc = read_flow_names(cf, m, g, name, "outflows", 1)) != 0)
            break;
    }
    return rc;
}

/* flows and auxiliaries: name, equation, docs (flows: from, to, non_negative) */
static int read_equations(cfgfile *cf, migdev_model *m, const char *key, var_kind kind)
{
    int rc;
    const config_setting_t *l = list_of_groups(cf, key, &rc);
    static const char *const flow_fields[] = {"name", "equation", "from", "to", "non_negative",
                                              "units", "doc", "source", "label", "dimensions",
                                              "elements", NULL};
    static const char *const aux_fields[] = {"name", "equation", "units", "doc", "source",
                                             "label", "dimensions", "elements", NULL};
    const char *what_kind = kind == VK_FLOW ? "flow" : "auxiliary";
    for (int i = 0; l && !rc && i < config_setting_length(l); i++) {
        const config_setting_t *g = config_setting_get_elem(l, (unsigned)i);
        const char *name = NULL;
        int line = 0, col = 0;
        char what[300];
        snprintf(what, sizeof what, "a%s %s", kind == VK_AUX ? "n" : "", what_kind);
        if ((rc = entry_name(cf, g, what, &name, &line, &col)) != 0)
            break;
        snprintf(what, sizeof what, "%s '%s'", what_kind, name);
        if ((rc = cfg_check_fields(cf, g, kind == VK_FLOW ? flow_fields : aux_fields, what)) != 0)
            break;
        const config_setting_t *es = config_setting_get_member(g, "equation");
        if (!es) {
            rc = cfg_error(cf, g, MIGDEV_E_SYNTAX, "%s has no 'equation'", what);
            break;
        }
        char numbuf[64];
        const char *text;
        int eline, ecol;
        if (cfg_is_number(es)) {
            snprintf(numbuf, sizeof numbuf, "%.17g", cfg_number(es));
            text = numbuf;
            eline = cfg_line(es);
            ecol = cfg_col(cf, es);
        } else if (config_setting_type(es) == CONFIG_TYPE_STRING) {
            text = config_setting_get_string(es);
            cfg_string_pos(cf, es, &eline, &ecol);
        } else {
            rc = cfg_error(cf, es, MIGDEV_E_TYPE, "the equation of %s must be a string in quotes",
                           what);
            break;
        }
        const int idx = mb_add_var(m, kind, name, line, col, text, eline, ecol, cf->err);
        if (idx < 0) {
            rc = idx;
            break;
        }
        if ((rc = docs(cf, m, idx, g)) != 0)
            break;
        if (kind != VK_FLOW)
            continue;
        int nn = 0;
        if ((rc = cfg_get_bool(cf, g, "non_negative", &nn)) < 0)
            break;
        m->vars[idx].non_negative = nn;
        const char *from = NULL, *to = NULL;
        if ((rc = cfg_get_string(cf, g, "from", &from)) < 0 ||
            (rc = cfg_get_string(cf, g, "to", &to)) < 0)
            break;
        rc = 0;
        const config_setting_t *fs = config_setting_get_member(g, "from");
        const config_setting_t *ts = config_setting_get_member(g, "to");
        if (from && (rc = mb_attach(m, from, name, 1, cfg_line(fs), cfg_col(cf, fs), cf->err)) != 0)
            break;
        if (to && (rc = mb_attach(m, to, name, 0, cfg_line(ts), cfg_col(cf, ts), cf->err)) != 0)
            break;
    }
    return rc;
}

static int read_numbers(cfgfile *cf, const config_setting_t *g, const char *key, double **out,
                        int *n, const char *what)
{
    const config_setting_t *a = config_setting_get_member(g, key);
    if (!a)
        return cfg_error(cf, g, MIGDEV_E_SYNTAX, "%s has no '%s' points", what, key);
    const int t = config_setting_type(a);
    if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST)
        return cfg_error(cf, a, MIGDEV_E_TYPE, "'%s' of %s must be an array of numbers [a, b, ...]",
                         key, what);
    *n = config_setting_length(a);
    *out = malloc((size_t)(*n + 1) * sizeof **out);
    if (!*out)
        return err_set(cf->err, MIGDEV_E_NOMEM, cf->path, 0, 0, "out of memory");
    for (int i = 0; i < *n; i++) {
        const config_setting_t *e = config_setting_get_elem(a, (unsigned)i);
        if (!cfg_is_number(e))
            return cfg_error(cf, a, MIGDEV_E_TYPE, "'%s' of %s: element %d is not a number", key,
                             what, i + 1);
        (*out)[i] = cfg_number(e);
    }
    return 0;
}

static int read_lookups(cfgfile *cf, migdev_model *m)
{
    int rc;
    const config_setting_t *l = list_of_groups(cf, "lookups", &rc);
    static const char *const fields[] = {"name", "x", "y", "kind", "units", "x_units", "doc",
                                         "source", "provenance", "tuned_to", NULL};
    for (int i = 0; l && !rc && i < config_setting_length(l); i++) {
        const config_setting_t *g = config_setting_get_elem(l, (unsigned)i);
        const char *name = NULL;
        int line = 0, col = 0;
        if ((rc = entry_name(cf, g, "a lookup", &name, &line, &col)) != 0)
            break;
        char what[300];
        snprintf(what, sizeof what, "lookup '%s'", name);
        if ((rc = cfg_check_fields(cf, g, fields, what)) != 0)
            break;
        double *x = NULL, *y = NULL;
        int nx = 0, ny = 0;
        rc = read_numbers(cf, g, "x", &x, &nx, what);
        if (!rc)
            rc = read_numbers(cf, g, "y", &y, &ny, what);
        if (!rc && nx != ny)
            rc = cfg_error(cf, config_setting_get_member(g, "y"), MIGDEV_E_RANGE,
                           "%s has %d x values but %d y values", what, nx, ny);
        lookup_kind kind = LK_CONTINUOUS;
        const char *ks = NULL;
        if (!rc && (rc = cfg_get_string(cf, g, "kind", &ks)) >= 0) {
            rc = 0;
            if (ks && strcmp(ks, "extrapolate") == 0)
                kind = LK_EXTRAPOLATE;
            else if (ks && strcmp(ks, "discrete") == 0)
                kind = LK_DISCRETE;
            else if (ks && strcmp(ks, "continuous") != 0)
                rc = cfg_error(cf, config_setting_get_member(g, "kind"), MIGDEV_E_SYNTAX,
                               "unknown lookup kind '%s' (continuous, extrapolate or discrete)", ks);
        }
        const config_setting_t *xs = config_setting_get_member(g, "x");
        if (!rc) {
            const int r = mb_add_lookup(m, name, x, y, nx, kind, xs ? cfg_line(xs) : line,
                                        xs ? cfg_col(cf, xs) : col, cf->err);
            rc = r < 0 ? r : 0;
            if (!rc) {
                lookup_tbl *t = &m->lookups[r];
                t->line = line;
                t->col = col;
                const char *u = NULL, *d = NULL, *s = NULL, *xu = NULL;
                if ((rc = cfg_get_string(cf, g, "units", &u)) < 0 ||
                    (rc = cfg_get_string(cf, g, "x_units", &xu)) < 0 ||
                    (rc = cfg_get_string(cf, g, "doc", &d)) < 0 ||
                    (rc = cfg_get_string(cf, g, "source", &s)) < 0)
                    ;
                else {
                    rc = 0;
                    if (util_set_str(&t->units, u) || util_set_str(&t->doc, d) ||
                        util_set_str(&t->source, s) || util_set_str(&t->x_units, xu))
                        rc = err_set(cf->err, MIGDEV_E_NOMEM, cf->path, 0, 0, "out of memory");
                    string_member_pos(cf, g, "units", &t->units_line, &t->units_col);
                    string_member_pos(cf, g, "x_units", &t->x_units_line, &t->x_units_col);
                    if (!rc)
                        rc = prov_read(cf, g, what, &t->prov, &t->prov_target);
                }
            }
        }
        free(x);
        free(y);
    }
    return rc;
}

static int read_loops(cfgfile *cf, migdev_model *m)
{
    int rc;
    const config_setting_t *l = list_of_groups(cf, "loops", &rc);
    static const char *const fields[] = {"name", "variables", "doc", NULL};
    for (int i = 0; l && !rc && i < config_setting_length(l); i++) {
        const config_setting_t *g = config_setting_get_elem(l, (unsigned)i);
        const char *name = NULL;
        int line = 0, col = 0;
        if ((rc = entry_name(cf, g, "a loop", &name, &line, &col)) != 0)
            break;
        char what[300];
        snprintf(what, sizeof what, "loop '%s'", name);
        if ((rc = cfg_check_fields(cf, g, fields, what)) != 0)
            break;
        const config_setting_t *a = config_setting_get_member(g, "variables");
        if (!a || (config_setting_type(a) != CONFIG_TYPE_ARRAY && config_setting_type(a) != CONFIG_TYPE_LIST)) {
            rc = cfg_error(cf, a ? a : g, MIGDEV_E_SYNTAX,
                           "%s needs 'variables = [\"a\", \"b\", ...]' in loop order", what);
            break;
        }
        const int n = config_setting_length(a);
        const char **path = calloc((size_t)n + 1, sizeof *path);
        if (!path)
            return err_set(cf->err, MIGDEV_E_NOMEM, cf->path, 0, 0, "out of memory");
        for (int k = 0; k < n && !rc; k++) {
            const config_setting_t *e = config_setting_get_elem(a, (unsigned)k);
            if (config_setting_type(e) != CONFIG_TYPE_STRING)
                rc = cfg_error(cf, a, MIGDEV_E_TYPE, "%s: variables must be names in quotes", what);
            else
                path[k] = config_setting_get_string(e);
        }
        if (!rc)
            rc = mb_add_loop(m, name, path, n, line, cf->err);
        free(path);
    }
    return rc;
}

/* Read the model of cf; scen_data, when not NULL, is the `data` list of
** scenario scen, whose entries rebind the model's variables. */
static migdev_model *load(cfgfile *cf, cfgfile *scen, const config_setting_t *scen_data,
                          migdev_error *err)
{
    migdev_model *m = mb_new(cf->path);
    if (!m) {
        err_set(err, MIGDEV_E_NOMEM, cf->path, 0, 0, "out of memory");
        return NULL;
    }
    const config_setting_t *root = config_root_setting(&cf->cfg);
    static const char *const fields[] = {"name", "doc", "time", "constants", "stocks",
                                         "flows", "auxiliaries", "lookups", "data", "loops",
                                         "require_provenance", "required_outputs",
                                         "dimensions", NULL};
    int rc = cfg_check_fields(cf, root, fields, "the model");
    if (!rc) /* arrayed entries become one entry per element */
        rc = arrays_cfg_flatten(cf, m);
    const char *name = NULL, *doc = NULL;
    if (!rc && (rc = cfg_get_string(cf, root, "name", &name)) >= 0 &&
        (rc = cfg_get_string(cf, root, "doc", &doc)) >= 0) {
        rc = 0;
        char *base = name ? NULL : util_path_stem(cf->path);
        if (util_set_str(&m->name, name) || util_set_str(&m->name, base) ||
            util_set_str(&m->doc, doc))
            rc = err_set(err, MIGDEV_E_NOMEM, cf->path, 0, 0, "out of memory");
        free(base);
    }
    if (!rc && (rc = cfg_get_bool(cf, root, "require_provenance", &m->require_provenance)) > 0)
        rc = 0;
    if (!rc)
        rc = read_time(cf, m);
    if (!rc)
        rc = read_constants(cf, m);
    if (!rc)
        rc = read_stocks(cf, m);
    if (!rc)
        rc = read_equations(cf, m, "flows", VK_FLOW);
    if (!rc)
        rc = read_equations(cf, m, "auxiliaries", VK_AUX);
    if (!rc)
        rc = read_lookups(cf, m);
    if (!rc) /* after the lookups: data tables end the model's tables */
        rc = data_cfg_read(cf, m, config_lookup(&cf->cfg, "data"), 0);
    if (!rc && scen_data) {
        migdev_error *const scen_err = scen->err;
        scen->err = err;
        rc = data_cfg_read(scen, m, scen_data, 1);
        scen->err = scen_err;
    }
    if (!rc)
        rc = read_loops(cf, m);
    if (!rc && config_setting_length(root) == 0) /* empty, or only comments */
        rc = err_set(err, MIGDEV_E_SYNTAX, cf->path, 1, 1,
                     "the file is empty: a model has at least one setting "
                     "(constants, stocks, flows, auxiliaries, lookups or time)");
    if (!rc)
        rc = mb_compile(m, err);
    /* after compiling: the names must be the model's variables */
    const config_setting_t *req = rc ? NULL : config_setting_get_member(root, "required_outputs");
    if (req)
        rc = cfg_var_list(cf, m, req, "required output", &m->required_outputs,
                          &m->n_required_outputs);
    if (rc) {
        migdev_model_free(m);
        return NULL;
    }
    return m;
}

migdev_model *migdev_model_load_string(const char *text, const char *file_name, migdev_error *err)
{
    if (text && xmile_sniff_text(text))
        return xmile_load(file_name ? file_name : "<string>", text, err);
    if (text && (vensim_sniff_text(text) || (file_name && vensim_sniff_path(file_name))))
        return vensim_load(file_name ? file_name : "<string>", text, err);
    cfgfile cf;
    migdev_model *m = NULL;
    if (cfgfile_open(&cf, file_name ? file_name : "<string>", text ? text : "", err) == 0)
        m = load(&cf, NULL, NULL, err);
    cfgfile_close(&cf);
    return m;
}

migdev_model *model_load_bound(const char *path, cfgfile *scen, const config_setting_t *data,
                               migdev_error *err)
{
    if (xmile_sniff_path(path)) {
        if (!data)
            return xmile_load(path, NULL, err);
        err_set(err, MIGDEV_E_UNSUPPORTED, scen->path, cfg_line(data), cfg_col(scen, data),
                "a scenario's data section needs a model in the migdev format, not XMILE");
        return NULL;
    }
    cfgfile cf;
    migdev_model *m = NULL;
    if (cfgfile_open(&cf, path, NULL, err) == 0)
        m = load(&cf, scen, data, err);
    cfgfile_close(&cf);
    return m;
}

migdev_model *migdev_model_load(const char *path, migdev_error *err)
{
    if (xmile_sniff_path(path))
        return xmile_load(path, NULL, err);
    if (vensim_sniff_path(path))
        return vensim_load(path, NULL, err);
    cfgfile cf;
    migdev_model *m = NULL;
    if (cfgfile_open(&cf, path, NULL, err) == 0)
        m = load(&cf, NULL, NULL, err);
    cfgfile_close(&cf);
    return m;
}
