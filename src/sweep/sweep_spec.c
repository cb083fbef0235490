/*
** sweep_spec.c - the `sweep` section of a scenario file, command-line
** edits, and planning (migdev_sweep_prepare).
**
** Format (docs/model-format.md, "Parameter sweeps"):
**   sweep = { design, runs, seed, parameters = ( {...}, ... ),
**             metrics = ( {...}, ... ), summary, series = {...},
**             bands = {...}, sensitivity };
** Every problem is reported at the file:line:col of the offending setting.
*/
#include "sweep_int.h"

#include "cfgfile.h"
#include "outpath.h"
#include "error_int.h"
#include "model_int.h"
#include "run_int.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int sweep_whole_array(const migdev_model *m, const char *name, sweep_param *p)
{
    const int n = model_array_constants(m, name, NULL, 0);
    if (n == 0)
        return 0;
    int *idx = malloc((size_t)n * sizeof *idx);
    if (!idx)
        return -1;
    model_array_constants(m, name, idx, n);
    p->var = idx[0];
    p->n_also = n - 1;
    memmove(idx, idx + 1, (size_t)(n - 1) * sizeof *idx);
    p->also = idx;
    return n;
}

void sweep_param_clear(sweep_param *p)
{
    free(p->name);
    free(p->values);
    free(p->also);
    memset(p, 0, sizeof *p);
}

void sweep_metric_clear(sweep_metric *mt)
{
    free(mt->name);
    memset(mt, 0, sizeof *mt);
}

void migdev_sweep_free(migdev_sweep *sw)
{
    if (!sw)
        return;
    for (int i = 0; i < sw->n_params; i++)
        sweep_param_clear(&sw->params[i]);
    for (int i = 0; i < sw->n_metrics; i++)
        sweep_metric_clear(&sw->metrics[i]);
    free(sw->params), free(sw->metrics), free(sw->file);
    free(sw->summary_path), free(sw->series_path), free(sw->bands_path), free(sw->fan_path);
    free(sw->series_runs), free(sw->series_vars), free(sw->band_vars);
    free(sw->rec_vars), free(sw->out_vars), free(sw->band_col), free(sw->series_col);
    free(sw->out_rec_col), free(sw->times);
    free(sw);
}

/* ---- adding parameters and metrics (replacing one of the same name) ---- */

static int put_param(migdev_sweep *sw, sweep_param *p)
{
    for (int i = 0; i < sw->n_params; i++)
        if (strcmp(sw->params[i].name, p->name) == 0) {
            sweep_param_clear(&sw->params[i]);
            sw->params[i] = *p;
            return 0;
        }
    sweep_param *np = realloc(sw->params, (size_t)(sw->n_params + 1) * sizeof *np);
    if (!np)
        return MIGDEV_E_NOMEM;
    sw->params = np;
    sw->params[sw->n_params++] = *p;
    return 0;
}

static int put_metric(migdev_sweep *sw, sweep_metric *mt)
{
    for (int i = 0; i < sw->n_metrics; i++)
        if (strcmp(sw->metrics[i].name, mt->name) == 0) {
            sweep_metric_clear(&sw->metrics[i]);
            sw->metrics[i] = *mt;
            return 0;
        }
    sweep_metric *nm = realloc(sw->metrics, (size_t)(sw->n_metrics + 1) * sizeof *nm);
    if (!nm)
        return MIGDEV_E_NOMEM;
    sw->metrics = nm;
    sw->metrics[sw->n_metrics++] = *mt;
    return 0;
}

/* ---- reading the file ---- */

static const char *const sweep_fields[] = {"design", "runs", "seed", "parameters", "metrics",
                                           "summary", "series", "bands", "sensitivity", NULL};
static const char *const param_fields[] = {"name", "values", "from", "to", "step",
                                           "distribution", "min", "max", "mean", "sd",
                                           "mu", "sigma", "mode", "levels", NULL};
static const char *const metric_fields[] = {"name", "variable", "stat", "time",
                                            "threshold", "direction", NULL};

static int parse_design(const char *s)
{
    if (!strcmp(s, "grid"))
        return MIGDEV_GRID;
    if (!strcmp(s, "lhs"))
        return MIGDEV_LHS;
    if (!strcmp(s, "random"))
        return MIGDEV_RANDOM;
    if (!strcmp(s, "sobol"))
        return MIGDEV_SOBOL;
    return MIGDEV_E_NAME;
}

/* Whether s is a whole number in [lo, hi]. (The reader hands libconfig
** every number as a double, so 12 and 12.0 are alike.) */
static int whole(const config_setting_t *s, double lo, double hi)
{
    if (!cfg_is_number(s))
        return 0;
    const double x = cfg_number(s);
    return x == floor(x) && x >= lo && x <= hi;
}

/* A required positive-or-any number field of a parameter group. */
static int need_number(cfgfile *cf, const config_setting_t *g, const char *field,
                       const char *what, double *out)
{
    const int rc = cfg_get_number(cf, g, field, out);
    if (rc == 1)
        return cfg_error(cf, g, MIGDEV_E_SYNTAX, "%s needs '%s'", what, field);
    return rc;
}

/* Fields that do not belong to a parameter of this kind. */
static int reject_fields(cfgfile *cf, const config_setting_t *g, const char *const *bad,
                         const char *what)
{
    for (const char *const *f = bad; *f; f++) {
        const config_setting_t *s = config_setting_get_member(g, *f);
        if (s)
            return cfg_error(cf, s, MIGDEV_E_SYNTAX, "'%s' does not apply to %s", *f, what);
    }
    return 0;
}

static int read_param(cfgfile *cf, migdev_sweep *sw, const config_setting_t *g)
{
    int rc = cfg_check_fields(cf, g, param_fields, "a sweep parameter");
    if (rc)
        return rc;
    const config_setting_t *ns = config_setting_get_member(g, "name");
    if (!ns)
        return cfg_error(cf, g, MIGDEV_E_SYNTAX, "a sweep parameter without a 'name'");
    if (config_setting_type(ns) != CONFIG_TYPE_STRING)
        return cfg_error(cf, ns, MIGDEV_E_TYPE, "'name' must be a string in double quotes");
    const char *name = config_setting_get_string(ns);
    sweep_param p;
    memset(&p, 0, sizeof p);
    cfg_string_pos(cf, ns, &p.line, &p.col);
    char msg[400];
    p.var = model_find_constant(sw->m, name, "swept", msg, sizeof msg);
    if (p.var < 0 && sweep_whole_array(sw->m, name, &p) < 0)
        return err_set(cf->err, MIGDEV_E_NOMEM, cf->path, 0, 0, "out of memory");
    if (p.var < 0)
        return err_set(cf->err, p.var, cf->path, p.line, p.col, "%s", msg);
    for (int i = 0; i < sw->n_params; i++)
        if (!strcmp(sw->params[i].name, name))
            return err_set(cf->err, MIGDEV_E_NAME, cf->path, p.line, p.col,
                           "parameter '%s' is swept twice", name);
    const config_setting_t *vals = config_setting_get_member(g, "values");
    const config_setting_t *from = config_setting_get_member(g, "from");
    const config_setting_t *dist = config_setting_get_member(g, "distribution");
    const int n_forms = (vals != NULL) + (from != NULL || config_setting_get_member(g, "to") ||
                                          config_setting_get_member(g, "step")) +
                        (dist != NULL);
    if (n_forms != 1)
        return cfg_error(cf, g, MIGDEV_E_SYNTAX,
                         "parameter '%s' needs exactly one of: values = [...]; from/to/step; "
                         "distribution = \"...\"",
                         name);
    static const char *const dist_only[] = {"min", "max", "mean", "sd", "mu", "sigma", "mode",
                                            "levels", NULL};
    if (vals) {
        if ((rc = reject_fields(cf, g, dist_only, "a list of values")) != 0)
            return rc;
        const int t = config_setting_type(vals);
        if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST)
            return cfg_error(cf, vals, MIGDEV_E_TYPE, "'values' must be an array of numbers: [1.0, 2.0]");
        const int n = config_setting_length(vals);
        if (n == 0)
            return cfg_error(cf, vals, MIGDEV_E_RANGE, "'values' is empty");
        p.kind = PK_VALUES;
        p.values = malloc((size_t)n * sizeof *p.values);
        if (!p.values)
            return err_set(cf->err, MIGDEV_E_NOMEM, cf->path, 0, 0, "out of memory");
        for (int i = 0; i < n; i++) {
            const config_setting_t *e = config_setting_get_elem(vals, (unsigned)i);
            if (!cfg_is_number(e)) {
                free(p.values);
                return cfg_error(cf, vals, MIGDEV_E_TYPE, "'values' must hold numbers only");
            }
            p.values[i] = cfg_number(e);
        }
        p.n_values = n;
    } else if (!dist) {
        if ((rc = reject_fields(cf, g, dist_only, "a range")) != 0)
            return rc;
        double a = 0, b = 0, st = 0;
        if ((rc = need_number(cf, g, "from", "a range", &a)) != 0 ||
            (rc = need_number(cf, g, "to", "a range", &b)) != 0 ||
            (rc = need_number(cf, g, "step", "a range", &st)) != 0)
            return rc;
        const config_setting_t *ss = config_setting_get_member(g, "step");
        if (!(st != 0.0) || (b - a) * st < 0.0)
            return cfg_error(cf, ss, MIGDEV_E_RANGE,
                             "step %g does not lead from %g to %g", st, a, b);
        const double cnt = floor((b - a) / st + 1e-9) + 1.0;
        if (cnt > 1e7)
            return cfg_error(cf, ss, MIGDEV_E_RANGE, "the range has over 10 million values");
        p.kind = PK_VALUES;
        p.n_values = (int)cnt;
        p.values = malloc((size_t)p.n_values * sizeof *p.values);
        if (!p.values)
            return err_set(cf->err, MIGDEV_E_NOMEM, cf->path, 0, 0, "out of memory");
        for (int i = 0; i < p.n_values; i++)
            p.values[i] = a + (double)i * st;
    } else {
        if (config_setting_type(dist) != CONFIG_TYPE_STRING)
            return cfg_error(cf, dist, MIGDEV_E_TYPE, "'distribution' must be a string in double quotes");
        const char *dn = config_setting_get_string(dist);
        double dummy;
        if (!strcmp(dn, "uniform")) {
            static const char *const bad[] = {"mean", "sd", "mu", "sigma", "mode", NULL};
            p.kind = PK_UNIFORM;
            if ((rc = reject_fields(cf, g, bad, "a uniform distribution")) != 0 ||
                (rc = need_number(cf, g, "min", "a uniform distribution", &p.a)) != 0 ||
                (rc = need_number(cf, g, "max", "a uniform distribution", &p.b)) != 0)
                return rc;
            if (!(p.b > p.a))
                return cfg_error(cf, config_setting_get_member(g, "max"), MIGDEV_E_RANGE,
                                 "max (%g) must be greater than min (%g)", p.b, p.a);
        } else if (!strcmp(dn, "triangular")) {
            static const char *const bad[] = {"mean", "sd", "mu", "sigma", NULL};
            p.kind = PK_TRIANGULAR;
            if ((rc = reject_fields(cf, g, bad, "a triangular distribution")) != 0 ||
                (rc = need_number(cf, g, "min", "a triangular distribution", &p.a)) != 0 ||
                (rc = need_number(cf, g, "mode", "a triangular distribution", &p.c)) != 0 ||
                (rc = need_number(cf, g, "max", "a triangular distribution", &p.b)) != 0)
                return rc;
            if (!(p.b > p.a) || p.c < p.a || p.c > p.b)
                return cfg_error(cf, config_setting_get_member(g, "mode"), MIGDEV_E_RANGE,
                                 "a triangular distribution needs min <= mode <= max and min < max "
                                 "(got %g, %g, %g)",
                                 p.a, p.c, p.b);
        } else if (!strcmp(dn, "normal") || !strcmp(dn, "lognormal")) {
            const int ln = dn[0] == 'l';
            static const char *const bad_n[] = {"mu", "sigma", "mode", NULL};
            static const char *const bad_l[] = {"mean", "sd", "mode", NULL};
            const char *what = ln ? "a lognormal distribution" : "a normal distribution";
            p.kind = ln ? PK_LOGNORMAL : PK_NORMAL;
            if ((rc = reject_fields(cf, g, ln ? bad_l : bad_n, what)) != 0 ||
                (rc = need_number(cf, g, ln ? "mu" : "mean", what, &p.a)) != 0 ||
                (rc = need_number(cf, g, ln ? "sigma" : "sd", what, &p.b)) != 0)
                return rc;
            if (!(p.b > 0.0))
                return cfg_error(cf, config_setting_get_member(g, ln ? "sigma" : "sd"),
                                 MIGDEV_E_RANGE, "'%s' must be positive", ln ? "sigma" : "sd");
            if ((rc = cfg_get_number(cf, g, "min", &p.lo)) < 0 ||
                (rc = cfg_get_number(cf, g, "max", &dummy)) < 0)
                return rc;
            p.has_lo = config_setting_get_member(g, "min") != NULL;
            p.has_hi = rc == 0;
            if (p.has_hi)
                p.hi = dummy;
            if (p.has_lo && p.has_hi && !(p.hi > p.lo))
                return cfg_error(cf, config_setting_get_member(g, "max"), MIGDEV_E_RANGE,
                                 "max (%g) must be greater than min (%g)", p.hi, p.lo);
            if (ln && p.has_hi && !(p.hi > 0.0))
                return cfg_error(cf, config_setting_get_member(g, "max"), MIGDEV_E_RANGE,
                                 "a lognormal value is positive: max must be positive");
            if (dist_prepare(&p, msg, sizeof msg) != 0) {
                const config_setting_t *at = config_setting_get_member(g, p.has_lo ? "min" : "max");
                return cfg_error(cf, at, MIGDEV_E_RANGE, "parameter '%s': %s", name, msg);
            }
        } else {
            return cfg_error(cf, dist, MIGDEV_E_SYNTAX,
                             "unknown distribution '%s' (uniform, normal, lognormal, triangular)",
                             dn);
        }
        const config_setting_t *lv = config_setting_get_member(g, "levels");
        if (lv) {
            if (!whole(lv, 1.0, 1e7))
                return cfg_error(cf, lv, MIGDEV_E_RANGE,
                                 "'levels' must be a whole number from 1 to 10000000");
            p.levels = (int)cfg_number(lv);
        }
    }
    p.name = strdup(name);
    if (!p.name || put_param(sw, &p) != 0) {
        sweep_param_clear(&p);
        return err_set(cf->err, MIGDEV_E_NOMEM, cf->path, 0, 0, "out of memory");
    }
    return 0;
}

static int read_metric(cfgfile *cf, migdev_sweep *sw, const config_setting_t *g)
{
    int rc = cfg_check_fields(cf, g, metric_fields, "a sweep metric");
    if (rc)
        return rc;
    sweep_metric mt;
    memset(&mt, 0, sizeof mt);
    const char *var = NULL, *stat = NULL, *name = NULL, *dir = NULL;
    if ((rc = cfg_get_string(cf, g, "variable", &var)) < 0 ||
        (rc = cfg_get_string(cf, g, "stat", &stat)) < 0 ||
        (rc = cfg_get_string(cf, g, "name", &name)) < 0 ||
        (rc = cfg_get_string(cf, g, "direction", &dir)) < 0)
        return rc;
    if (!var)
        return cfg_error(cf, g, MIGDEV_E_SYNTAX, "a sweep metric needs 'variable'");
    if (!stat)
        return cfg_error(cf, g, MIGDEV_E_SYNTAX,
                         "a sweep metric needs 'stat' (final, min, max, mean, at, crossing, "
                         "last_crossing)");
    char msg[400];
    const config_setting_t *vs = config_setting_get_member(g, "variable");
    mt.var = model_find_var(sw->m, var, "variable", msg, sizeof msg);
    if (mt.var < 0) {
        int l, c;
        cfg_string_pos(cf, vs, &l, &c);
        return err_set(cf->err, mt.var, cf->path, l, c, "%s", msg);
    }
    const config_setting_t *ss = config_setting_get_member(g, "stat");
    static const char *const stats[] = {"final", "min", "max", "mean", "at", "crossing",
                                        "last_crossing", NULL};
    int k = 0;
    while (stats[k] && strcmp(stats[k], stat))
        k++;
    if (!stats[k])
        return cfg_error(cf, ss, MIGDEV_E_SYNTAX,
                         "unknown stat '%s' (final, min, max, mean, at, crossing, last_crossing)",
                         stat);
    mt.stat = (metric_stat)k;
    const config_setting_t *ts = config_setting_get_member(g, "time");
    /* later complaints (a time outside the run, a clashing name) point here */
    const config_setting_t *pos = ts ? ts : ss;
    mt.line = cfg_line(pos);
    mt.col_pos = cfg_col(cf, pos);
    const config_setting_t *th = config_setting_get_member(g, "threshold");
    const config_setting_t *ds = config_setting_get_member(g, "direction");
    if (mt.stat == MS_AT) {
        if (!ts)
            return cfg_error(cf, g, MIGDEV_E_SYNTAX, "stat \"at\" needs 'time'");
        if ((rc = cfg_get_number(cf, g, "time", &mt.time)) < 0)
            return rc;
    } else if (ts) {
        return cfg_error(cf, ts, MIGDEV_E_SYNTAX, "'time' applies to stat \"at\" only");
    }
    if (mt.stat == MS_CROSSING || mt.stat == MS_LAST_CROSSING) {
        if (!th)
            return cfg_error(cf, g, MIGDEV_E_SYNTAX, "stat \"%s\" needs 'threshold'", stat);
        if ((rc = cfg_get_number(cf, g, "threshold", &mt.threshold)) < 0)
            return rc;
        if (dir) {
            if (!strcmp(dir, "up"))
                mt.dir = DIR_UP;
            else if (!strcmp(dir, "down"))
                mt.dir = DIR_DOWN;
            else if (!strcmp(dir, "either"))
                mt.dir = DIR_EITHER;
            else
                return cfg_error(cf, ds, MIGDEV_E_SYNTAX,
                                 "unknown direction '%s' (up, down, either)", dir);
        }
    } else if (th || ds) {
        return cfg_error(cf, th ? th : ds, MIGDEV_E_SYNTAX,
                         "'%s' applies to the crossing stats only", th ? "threshold" : "direction");
    }
    if (name) {
        const config_setting_t *nm = config_setting_get_member(g, "name");
        if (!sweep_name_ok(name))
            return cfg_error(cf, nm, MIGDEV_E_SYNTAX,
                             "metric name '%s' may only use letters, digits and _ . + -", name);
        for (int i = 0; i < sw->n_metrics; i++)
            if (!strcmp(sw->metrics[i].name, name))
                return cfg_error(cf, nm, MIGDEV_E_NAME, "two metrics are called '%s'", name);
        mt.name = strdup(name);
    } else {
        mt.name = sweep_metric_default_name(sw->m, &mt);
        for (int i = 0; mt.name && i < sw->n_metrics; i++)
            if (!strcmp(sw->metrics[i].name, mt.name)) {
                const int r2 = cfg_error(cf, g, MIGDEV_E_NAME,
                                         "two metrics are called '%s': give this one a 'name'",
                                         mt.name);
                free(mt.name);
                return r2;
            }
    }
    if (!mt.name || put_metric(sw, &mt) != 0) {
        sweep_metric_clear(&mt);
        return err_set(cf->err, MIGDEV_E_NOMEM, cf->path, 0, 0, "out of memory");
    }
    return 0;
}

/* An output file name relative to the scenario's folder. */
static int read_path(cfgfile *cf, migdev_sweep *sw, const config_setting_t *g, const char *field,
                     char **out)
{
    const char *s = NULL;
    int rc = cfg_get_string(cf, g, field, &s);
    if (rc)
        return rc < 0 ? rc : 0;
    if (!*s || strchr(s, '\n'))
        return cfg_error(cf, config_setting_get_member(g, field), MIGDEV_E_SYNTAX,
                         "'%s' must be a file name (not empty, on one line)", field);
    free(*out);
    *out = cfg_join_path(cf->path, s);
    if (!*out)
        return err_set(cf->err, MIGDEV_E_NOMEM, cf->path, 0, 0, "out of memory");
    char **const slots[4] = {&sw->summary_path, &sw->series_path, &sw->bands_path, &sw->fan_path};
    for (int k = 0; k < 4; k++)
        if (out == slots[k])
            outpath_note(cf, config_setting_get_member(g, field), s, &sw->path_err[k]);
    return 0;
}

static int cmp_long(const void *a, const void *b)
{
    const long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* Sort and drop repeats. */
static int unique_runs(long *r, int n)
{
    qsort(r, (size_t)n, sizeof *r, cmp_long);
    int k = 0;
    for (int i = 0; i < n; i++)
        if (k == 0 || r[k - 1] != r[i])
            r[k++] = r[i];
    return k;
}

static int read_series(cfgfile *cf, migdev_sweep *sw, const config_setting_t *g)
{
    static const char *const fields[] = {"runs", "variables", "file", NULL};
    if (config_setting_type(g) != CONFIG_TYPE_GROUP)
        return cfg_error(cf, g, MIGDEV_E_SYNTAX,
                         "'series' must be a group: series = { runs = [0, 1]; variables = [\"x\"]; };");
    int rc = cfg_check_fields(cf, g, fields, "the series settings");
    if (rc)
        return rc;
    const config_setting_t *rs = config_setting_get_member(g, "runs");
    const config_setting_t *vs = config_setting_get_member(g, "variables");
    if (!rs || !vs)
        return cfg_error(cf, g, MIGDEV_E_SYNTAX, "'series' needs 'runs' and 'variables'");
    const int t = config_setting_type(rs);
    if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST)
        return cfg_error(cf, rs, MIGDEV_E_TYPE, "'runs' must be an array of run numbers: [0, 5]");
    const int n = config_setting_length(rs);
    long *runs = malloc((size_t)(n + 1) * sizeof *runs);
    if (!runs)
        return err_set(cf->err, MIGDEV_E_NOMEM, cf->path, 0, 0, "out of memory");
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(rs, (unsigned)i);
        if (!whole(e, 0.0, 0x1p53)) {
            free(runs);
            return cfg_error(cf, rs, MIGDEV_E_TYPE, "'runs' must hold run numbers (0, 1, ...)");
        }
        runs[i] = (long)cfg_number(e);
    }
    free(sw->series_runs);
    sw->series_runs = runs;
    sw->n_series_runs = unique_runs(runs, n);
    if ((rc = cfg_var_list(cf, sw->m, vs, NULL, &sw->series_vars, &sw->n_series_vars)) != 0)
        return rc;
    return read_path(cf, sw, g, "file", &sw->series_path);
}

static int read_bands(cfgfile *cf, migdev_sweep *sw, const config_setting_t *g)
{
    static const char *const fields[] = {"variables", "file", "plot", NULL};
    if (config_setting_type(g) != CONFIG_TYPE_GROUP)
        return cfg_error(cf, g, MIGDEV_E_SYNTAX,
                         "'bands' must be a group: bands = { variables = [\"x\"]; file = \"b.csv\"; };");
    int rc = cfg_check_fields(cf, g, fields, "the bands settings");
    if (rc)
        return rc;
    const config_setting_t *vs = config_setting_get_member(g, "variables");
    if (!vs)
        return cfg_error(cf, g, MIGDEV_E_SYNTAX, "'bands' needs 'variables'");
    if ((rc = cfg_var_list(cf, sw->m, vs, NULL, &sw->band_vars, &sw->n_band_vars)) != 0)
        return rc;
    if ((rc = read_path(cf, sw, g, "file", &sw->bands_path)) != 0)
        return rc;
    return read_path(cf, sw, g, "plot", &sw->fan_path);
}

static int read_list(cfgfile *cf, migdev_sweep *sw, const config_setting_t *sec, const char *key,
                     int (*fn)(cfgfile *, migdev_sweep *, const config_setting_t *))
{
    const config_setting_t *l = config_setting_get_member(sec, key);
    if (!l)
        return 0;
    const int t = config_setting_type(l);
    if (t != CONFIG_TYPE_LIST && !(t == CONFIG_TYPE_ARRAY && config_setting_length(l) == 0))
        return cfg_error(cf, l, MIGDEV_E_SYNTAX,
                         "'%s' must be a list of groups: %s = ( { ... }, { ... } );", key, key);
    for (int i = 0; i < config_setting_length(l); i++) {
        const config_setting_t *g = config_setting_get_elem(l, (unsigned)i);
        if (config_setting_type(g) != CONFIG_TYPE_GROUP)
            return cfg_error(cf, g, MIGDEV_E_SYNTAX, "each entry of '%s' must be a group { ... }",
                             key);
        const int rc = fn(cf, sw, g);
        if (rc)
            return rc;
    }
    return 0;
}

static int read_section(cfgfile *cf, migdev_sweep *sw, const config_setting_t *sec)
{
    if (config_setting_type(sec) != CONFIG_TYPE_GROUP)
        return cfg_error(cf, sec, MIGDEV_E_SYNTAX, "'sweep' must be a group: sweep = { ... };");
    sw->sec_line = cfg_line(sec);
    sw->sec_col = cfg_col(cf, sec);
    int rc = cfg_check_fields(cf, sec, sweep_fields, "the sweep");
    if (rc)
        return rc;
    const char *design = NULL;
    if ((rc = cfg_get_string(cf, sec, "design", &design)) < 0)
        return rc;
    if (design) {
        const int d = parse_design(design);
        if (d < 0)
            return cfg_error(cf, config_setting_get_member(sec, "design"), MIGDEV_E_SYNTAX,
                             "unknown design '%s' (grid, lhs, random, sobol)", design);
        sw->design = (migdev_design)d;
        sw->has_design = 1;
    }
    const config_setting_t *rs = config_setting_get_member(sec, "runs");
    if (rs) {
        if (!whole(rs, 1.0, 0x1p53))
            return cfg_error(cf, rs, MIGDEV_E_RANGE, "'runs' must be a whole number, at least 1");
        sw->runs = (long)cfg_number(rs);
        sw->has_runs = 1;
        sw->runs_line = cfg_line(rs);
        sw->runs_col = cfg_col(cf, rs);
    }
    const config_setting_t *ss = config_setting_get_member(sec, "seed");
    if (ss) {
        if (!whole(ss, 0.0, 0x1p53))
            return cfg_error(cf, ss, MIGDEV_E_RANGE,
                             "'seed' must be a whole number from 0 to 2^53");
        sw->seed = (uint64_t)cfg_number(ss);
    }
    if ((rc = read_list(cf, sw, sec, "parameters", read_param)) != 0 ||
        (rc = read_list(cf, sw, sec, "metrics", read_metric)) != 0 ||
        (rc = read_path(cf, sw, sec, "summary", &sw->summary_path)) != 0)
        return rc;
    const config_setting_t *g;
    if ((g = config_setting_get_member(sec, "series")) && (rc = read_series(cf, sw, g)) != 0)
        return rc;
    if ((g = config_setting_get_member(sec, "bands")) && (rc = read_bands(cf, sw, g)) != 0)
        return rc;
    if ((rc = cfg_get_bool(cf, sec, "sensitivity", &sw->sensitivity)) < 0)
        return rc;
    return 0;
}

migdev_sweep *migdev_sweep_load(const migdev_scenario *s, migdev_error *err)
{
    migdev_sweep *sw = calloc(1, sizeof *sw);
    if (!sw) {
        err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    sw->sc = s;
    sw->m = migdev_scenario_model(s);
    sw->seed = 1;
    sw->sensitivity = 1;
    sw->file = strdup(migdev_scenario_file(s));
    if (!sw->file) {
        migdev_sweep_free(sw);
        err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    cfgfile cf;
    migdev_error open_err;
    migdev_error_clear(&open_err);
    /* the scenario loaded, so a file libconfig cannot read is a model in
       another format (XMILE): no sweep section */
    if (cfgfile_open(&cf, sw->file, NULL, &open_err) != 0) {
        cfgfile_close(&cf);
        if (open_err.code == MIGDEV_E_NOMEM) { /* not a matter of format */
            if (err)
                *err = open_err;
            migdev_sweep_free(sw);
            return NULL;
        }
        return sw;
    }
    cf.err = err;
    int rc = 0;
    const config_setting_t *sec = config_lookup(&cf.cfg, "sweep");
    if (!rc && sec && (config_lookup(&cf.cfg, "model") || config_lookup(&cf.cfg, "base")))
        rc = read_section(&cf, sw, sec);
    else if (!rc && sec)
        rc = cfg_error(&cf, sec, MIGDEV_E_SYNTAX,
                       "a sweep belongs in a scenario file (one with model = \"...\")");
    cfgfile_close(&cf);
    if (rc) {
        migdev_sweep_free(sw);
        return NULL;
    }
    return sw;
}

/* ---- command-line edits ---- */

int migdev_sweep_set_design(migdev_sweep *sw, const char *name, migdev_error *err)
{
    const int d = parse_design(name);
    if (d < 0)
        return err_set(err, MIGDEV_E_USAGE, NULL, 0, 1,
                       "unknown design '%s' (grid, lhs, random, sobol)", name);
    sw->design = (migdev_design)d;
    sw->has_design = 1;
    sw->prepared = 0;
    return 0;
}

int migdev_sweep_set_runs(migdev_sweep *sw, long n, migdev_error *err)
{
    if (n < 1)
        return err_set(err, MIGDEV_E_USAGE, NULL, 0, 1, "the number of runs must be at least 1");
    sw->runs = n;
    sw->has_runs = 1;
    sw->runs_line = 0;
    sw->prepared = 0;
    return 0;
}

void migdev_sweep_set_seed(migdev_sweep *sw, uint64_t seed)
{
    sw->seed = seed;
    sw->prepared = 0;
}

void migdev_sweep_set_sensitivity(migdev_sweep *sw, int on) { sw->sensitivity = on; }

void migdev_sweep_summary_only(migdev_sweep *sw)
{
    sw->n_series_runs = 0;
    sw->n_band_vars = 0;
    free(sw->series_path), free(sw->bands_path), free(sw->fan_path);
    sw->series_path = sw->bands_path = sw->fan_path = NULL;
    for (int k = 1; k < 4; k++) /* nothing is written there any more */
        migdev_error_clear(&sw->path_err[k]);
    sw->prepared = 0;
}

int migdev_sweep_add_param_text(migdev_sweep *sw, const char *text, migdev_error *err)
{
    sweep_param p;
    memset(&p, 0, sizeof p);
    int rc = sweep_parse_param_text(sw->m, text, &p, err);
    if (rc)
        return rc;
    if (put_param(sw, &p) != 0) {
        sweep_param_clear(&p);
        return err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
    }
    sw->prepared = 0;
    return 0;
}

int migdev_sweep_add_metric_text(migdev_sweep *sw, const char *text, migdev_error *err)
{
    sweep_metric mt;
    memset(&mt, 0, sizeof mt);
    int rc = sweep_parse_metric_text(sw->m, text, &mt, err);
    if (rc)
        return rc;
    if (put_metric(sw, &mt) != 0) {
        sweep_metric_clear(&mt);
        return err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
    }
    sw->prepared = 0;
    return 0;
}

/* "a,b,c" into variable indices. */
static int parse_var_names(const migdev_model *m, const char *text, int **out, int *n_out,
                           migdev_error *err)
{
    const size_t len = strlen(text);
    int *v = malloc((len / 2 + 2) * sizeof *v);
    if (!v)
        return err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
    int n = 0;
    const char *p = text;
    while (*p) {
        const char *e = strchr(p, ',');
        const size_t k = e ? (size_t)(e - p) : strlen(p);
        char name[256];
        if (k == 0 || k >= sizeof name) {
            free(v);
            return err_set(err, MIGDEV_E_USAGE, NULL, 0, (int)(p - text) + 1,
                           "expected a variable name");
        }
        memcpy(name, p, k);
        name[k] = '\0';
        char msg[400];
        const int idx = model_find_var(m, name, "variable", msg, sizeof msg);
        if (idx < 0) {
            free(v);
            return err_set(err, idx, NULL, 0, (int)(p - text) + 1, "%s", msg);
        }
        v[n++] = idx;
        p += k;
        if (*p == ',')
            p++;
    }
    if (n == 0) {
        free(v);
        return err_set(err, MIGDEV_E_USAGE, NULL, 0, 1, "the list of variables is empty");
    }
    free(*out);
    *out = v;
    *n_out = n;
    return 0;
}

/* Limits of --series-runs: a run number (2^53, as in files), and how many
** runs may be listed in all. */
#define MAX_RUN_NUMBER 9007199254740992L
#define MAX_SERIES_RUNS 1000000

int migdev_sweep_set_series(migdev_sweep *sw, const char *runs_list, const char *vars,
                            migdev_error *err)
{
    if (runs_list) {
        /* "0,5,10-20" */
        long *runs = NULL;
        int n = 0, cap = 0;
        const char *p = runs_list;
        while (*p) {
            char *end;
            errno = 0;
            const long a = strtol(p, &end, 10);
            if (end == p || a < 0 || a > MAX_RUN_NUMBER || errno == ERANGE) {
                free(runs);
                return err_set(err, MIGDEV_E_USAGE, NULL, 0, (int)(p - runs_list) + 1,
                               "expected a run number");
            }
            long b = a;
            if (*end == '-') {
                const char *q = end + 1;
                errno = 0;
                b = strtol(q, &end, 10);
                if (end == q || b < a || b - a > MAX_SERIES_RUNS || b > MAX_RUN_NUMBER ||
                    errno == ERANGE) {
                    free(runs);
                    return err_set(err, MIGDEV_E_USAGE, NULL, 0, (int)(q - runs_list) + 1,
                                   "expected the end of a range of runs (at most a million)");
                }
            }
            if ((long)n + (b - a) >= MAX_SERIES_RUNS) {
                free(runs);
                return err_set(err, MIGDEV_E_USAGE, NULL, 0, (int)(p - runs_list) + 1,
                               "too many runs (at most a million in all)");
            }
            for (long r = a; r <= b; r++) {
                if (n == cap) {
                    cap = cap ? 2 * cap : 16;
                    long *nr = realloc(runs, (size_t)cap * sizeof *nr);
                    if (!nr) {
                        free(runs);
                        return err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
                    }
                    runs = nr;
                }
                runs[n++] = r;
            }
            p = end;
            if (*p == ',')
                p++;
            else if (*p) {
                free(runs);
                return err_set(err, MIGDEV_E_USAGE, NULL, 0, (int)(p - runs_list) + 1,
                               "expected ',' between run numbers");
            }
        }
        free(sw->series_runs);
        sw->series_runs = runs;
        sw->n_series_runs = n ? unique_runs(runs, n) : 0;
    }
    if (vars) {
        const int rc = parse_var_names(sw->m, vars, &sw->series_vars, &sw->n_series_vars, err);
        if (rc)
            return rc;
    }
    sw->prepared = 0;
    return 0;
}

int migdev_sweep_set_bands(migdev_sweep *sw, const char *vars, migdev_error *err)
{
    sw->prepared = 0;
    return parse_var_names(sw->m, vars, &sw->band_vars, &sw->n_band_vars, err);
}

void migdev_sweep_set_paths(migdev_sweep *sw, const char *summary, const char *series,
                            const char *bands, const char *fan)
{
    const char *in[4] = {summary, series, bands, fan};
    char **out[4] = {&sw->summary_path, &sw->series_path, &sw->bands_path, &sw->fan_path};
    for (int k = 0; k < 4; k++)
        if (in[k]) {
            char *d = strdup(in[k]);
            if (d) {
                free(*out[k]);
                *out[k] = d;
                migdev_error_clear(&sw->path_err[k]);
            }
        }
}

const migdev_error *migdev_sweep_path_error(const migdev_sweep *sw)
{
    for (int k = 0; k < 4; k++)
        if (sw->path_err[k].code)
            return &sw->path_err[k];
    return NULL;
}

/* ---- planning ---- */

static int sec_error(const migdev_sweep *sw, migdev_error *err, int code, const char *msg)
{
    if (sw->sec_line)
        return err_set(err, code, sw->file, sw->sec_line, sw->sec_col, "%s", msg);
    return err_set(err, code, sw->file, 0, 0, "%s", msg);
}

static int param_error(const migdev_sweep *sw, const sweep_param *p, migdev_error *err, int code,
                       const char *msg)
{
    if (p->line)
        return err_set(err, code, sw->file, p->line, p->col, "%s", msg);
    return err_set(err, code, NULL, 0, 0, "--param %s: %s", p->name, msg);
}

static int add_unique(int *list, int *n, int v)
{
    for (int i = 0; i < *n; i++)
        if (list[i] == v)
            return i;
    list[*n] = v;
    return (*n)++;
}

int migdev_sweep_prepare(migdev_sweep *sw, migdev_error *err)
{
    char msg[512];
    sw->prepared = 0;
    if (sw->n_params == 0)
        return sec_error(sw, err, MIGDEV_E_SYNTAX,
                         "the sweep has no parameters (sweep = { parameters = ( ... ); }; or --param)");
    int all_discrete = 1;
    for (int i = 0; i < sw->n_params; i++)
        if (sw->params[i].kind != PK_VALUES && sw->params[i].levels == 0)
            all_discrete = 0;
    if (!sw->has_design)
        sw->design = all_discrete ? MIGDEV_GRID : MIGDEV_LHS;
    if (sw->design == MIGDEV_GRID) {
        double total = 1.0;
        for (int i = 0; i < sw->n_params; i++) {
            const sweep_param *p = &sw->params[i];
            if (p->kind != PK_VALUES && p->levels == 0) {
                snprintf(msg, sizeof msg,
                         "a grid needs values, a range or 'levels' for '%s' (or use the lhs, "
                         "random or sobol design)",
                         p->name);
                return param_error(sw, p, err, MIGDEV_E_SYNTAX, msg);
            }
            total *= p->kind == PK_VALUES ? p->n_values : p->levels;
        }
        if (total > 1e12)
            return sec_error(sw, err, MIGDEV_E_RANGE, "the grid has over 1e12 runs");
        sw->total = (long)total;
        if (sw->has_runs && sw->runs != sw->total) {
            snprintf(msg, sizeof msg,
                     "the grid has %ld runs (every combination of the values), not %ld: "
                     "leave 'runs' out",
                     sw->total, sw->runs);
            if (sw->runs_line)
                return err_set(err, MIGDEV_E_RANGE, sw->file, sw->runs_line, sw->runs_col, "%s", msg);
            return err_set(err, MIGDEV_E_USAGE, NULL, 0, 0, "--runs: %s", msg);
        }
    } else {
        if (!sw->has_runs) {
            snprintf(msg, sizeof msg, "the %s design needs the number of runs (runs = N; or --runs N)",
                     migdev_design_name(sw->design));
            return sec_error(sw, err, MIGDEV_E_SYNTAX, msg);
        }
        if (sw->runs > (1L << 40))
            return sec_error(sw, err, MIGDEV_E_RANGE, "over 2^40 runs");
        sw->total = sw->runs;
        for (int i = 0; i < sw->n_params; i++)
            if (sw->params[i].levels) {
                snprintf(msg, sizeof msg, "'levels' applies to the grid design only");
                return param_error(sw, &sw->params[i], err, MIGDEV_E_SYNTAX, msg);
            }
        if (sw->design == MIGDEV_SOBOL && sw->n_params > 40)
            return sec_error(sw, err, MIGDEV_E_RANGE,
                             "the sobol design handles at most 40 parameters (GSL's limit)");
    }
    for (int i = 0; i < sw->n_params; i++)
        if (dist_prepare(&sw->params[i], msg, sizeof msg) != 0)
            return param_error(sw, &sw->params[i], err, MIGDEV_E_RANGE, msg);
    /* names: columns of the summary */
    for (int i = 0; i < sw->n_metrics; i++) {
        const char *nm = sw->metrics[i].name;
        int clash = !strcmp(nm, "run") || !strcmp(nm, "status");
        for (int k = 0; k < sw->n_params; k++)
            clash |= !strcmp(nm, sw->params[k].name);
        if (clash) {
            snprintf(msg, sizeof msg, "metric name '%s' is already a column of the summary", nm);
            if (sw->metrics[i].line)
                return err_set(err, MIGDEV_E_NAME, sw->file, sw->metrics[i].line,
                               sw->metrics[i].col_pos, "%s", msg);
            return err_set(err, MIGDEV_E_USAGE, NULL, 0, 0, "--metric: %s", msg);
        }
    }
    for (int i = 0; i < sw->n_series_runs; i++)
        if (sw->series_runs[i] >= sw->total) {
            snprintf(msg, sizeof msg, "series: run %ld does not exist (runs are 0 to %ld)",
                     sw->series_runs[i], sw->total - 1);
            return sec_error(sw, err, MIGDEV_E_RANGE, msg);
        }
    if (sw->n_series_runs > 0 && sw->n_series_vars == 0)
        return sec_error(sw, err, MIGDEV_E_SYNTAX, "series: which variables? (--series-vars)");
    /* the time span: a probe workspace gives the save times */
    migdev_run *probe = migdev_scenario_new_run(sw->sc, err);
    if (!probe)
        return err ? err->code : MIGDEV_E_RANGE;
    free(sw->times);
    sw->n_saves = probe->n_saves;
    sw->times = malloc((sw->n_saves + 1) * sizeof *sw->times);
    if (!sw->times) {
        migdev_run_free(probe);
        return err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
    }
    memcpy(sw->times, probe->times, sw->n_saves * sizeof *sw->times);
    const migdev_sim_spec spec = *migdev_run_spec(probe);
    migdev_run_free(probe);
    for (int i = 0; i < sw->n_metrics; i++) {
        const sweep_metric *mt = &sw->metrics[i];
        if (mt->stat == MS_AT && (mt->time < spec.start || mt->time > spec.stop)) {
            snprintf(msg, sizeof msg, "metric '%s': time %g is outside the run (%g to %g)",
                     mt->name, mt->time, spec.start, spec.stop);
            if (mt->line)
                return err_set(err, MIGDEV_E_RANGE, sw->file, mt->line, mt->col_pos, "%s", msg);
            return err_set(err, MIGDEV_E_USAGE, NULL, 0, 0, "--metric: %s", msg);
        }
    }
    /* recorded and carried variables */
    const int cap = sw->n_metrics + sw->n_band_vars + sw->n_series_vars + 1;
    free(sw->rec_vars), free(sw->out_vars), free(sw->band_col), free(sw->series_col);
    free(sw->out_rec_col);
    sw->rec_vars = malloc((size_t)cap * sizeof(int));
    sw->out_vars = malloc((size_t)cap * sizeof(int));
    sw->band_col = malloc((size_t)cap * sizeof(int));
    sw->series_col = malloc((size_t)cap * sizeof(int));
    sw->out_rec_col = malloc((size_t)cap * sizeof(int));
    if (!sw->times || !sw->rec_vars || !sw->out_vars || !sw->band_col || !sw->series_col ||
        !sw->out_rec_col)
        return err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
    sw->n_rec = sw->n_out = 0;
    for (int i = 0; i < sw->n_band_vars; i++)
        sw->band_col[i] = add_unique(sw->out_vars, &sw->n_out, sw->band_vars[i]);
    if (sw->n_series_runs > 0)
        for (int i = 0; i < sw->n_series_vars; i++)
            sw->series_col[i] = add_unique(sw->out_vars, &sw->n_out, sw->series_vars[i]);
    for (int i = 0; i < sw->n_out; i++)
        sw->out_rec_col[i] = add_unique(sw->rec_vars, &sw->n_rec, sw->out_vars[i]);
    for (int i = 0; i < sw->n_metrics; i++)
        sw->metrics[i].col = add_unique(sw->rec_vars, &sw->n_rec, sw->metrics[i].var);
    sw->prepared = 1;
    return 0;
}

/* ---- getters ---- */

const char *migdev_design_name(migdev_design d)
{
    static const char *const names[] = {"grid", "lhs", "random", "sobol"};
    return (unsigned)d < 4 ? names[d] : "?";
}

migdev_design migdev_sweep_design(const migdev_sweep *sw) { return sw->design; }
long migdev_sweep_n_runs(const migdev_sweep *sw) { return sw->total; }
uint64_t migdev_sweep_seed(const migdev_sweep *sw) { return sw->seed; }
int migdev_sweep_n_params(const migdev_sweep *sw) { return sw->n_params; }
int migdev_sweep_n_metrics(const migdev_sweep *sw) { return sw->n_metrics; }
int migdev_sweep_sensitivity(const migdev_sweep *sw) { return sw->sensitivity; }
int migdev_sweep_n_series_runs(const migdev_sweep *sw) { return sw->n_series_runs; }
int migdev_sweep_n_band_vars(const migdev_sweep *sw) { return sw->n_band_vars; }
const char *migdev_sweep_summary_path(const migdev_sweep *sw) { return sw->summary_path; }
const char *migdev_sweep_series_path(const migdev_sweep *sw) { return sw->series_path; }
const char *migdev_sweep_bands_path(const migdev_sweep *sw) { return sw->bands_path; }
const char *migdev_sweep_fan_path(const migdev_sweep *sw) { return sw->fan_path; }

const char *migdev_sweep_param_name(const migdev_sweep *sw, int i)
{
    return i >= 0 && i < sw->n_params ? sw->params[i].name : NULL;
}

const char *migdev_sweep_metric_name(const migdev_sweep *sw, int i)
{
    return i >= 0 && i < sw->n_metrics ? sw->metrics[i].name : NULL;
}

const double *migdev_sweep_times(const migdev_sweep *sw, size_t *n)
{
    *n = sw->n_saves;
    return sw->times;
}

const int *migdev_sweep_out_vars(const migdev_sweep *sw, int *n)
{
    *n = sw->n_out;
    return sw->out_vars;
}

/* ---- fingerprint: FNV-1a over a canonical description ---- */

typedef struct fnv {
    uint64_t h;
} fnv;

static void fnv_bytes(fnv *f, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        f->h ^= b[i];
        f->h *= 0x100000001b3ULL;
    }
}

static void fnv_str(fnv *f, const char *s) { fnv_bytes(f, s, strlen(s) + 1); }

static void fnv_num(fnv *f, double x)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%a;", x);
    fnv_str(f, buf);
}

static void fnv_file(fnv *f, const char *path)
{
    migdev_error e;
    migdev_error_clear(&e);
    char *t = path ? cfgfile_slurp(path, &e) : NULL;
    fnv_str(f, t ? t : "");
    free(t);
}

uint64_t migdev_sweep_fingerprint(const migdev_sweep *sw)
{
    fnv f = {0xcbf29ce484222325ULL};
    fnv_str(&f, "migdev sweep 1");
    fnv_file(&f, sw->file);
    fnv_file(&f, migdev_model_file(sw->m));
    for (int i = 0; i < migdev_scenario_n_overrides(sw->sc); i++) {
        int var;
        double v;
        migdev_scenario_override(sw->sc, i, &var, &v);
        fnv_num(&f, var);
        fnv_num(&f, v);
    }
    const migdev_sim_spec sp = migdev_scenario_spec(sw->sc);
    const double spec[] = {sp.start, sp.stop, sp.dt, sp.save_every, (double)sp.method,
                           sp.abs_tol, sp.rel_tol, sp.max_step};
    for (size_t i = 0; i < sizeof spec / sizeof spec[0]; i++)
        fnv_num(&f, spec[i]);
    fnv_num(&f, sw->design);
    fnv_num(&f, (double)sw->total);
    fnv_bytes(&f, &sw->seed, sizeof sw->seed);
    for (int i = 0; i < sw->n_params; i++) {
        const sweep_param *p = &sw->params[i];
        fnv_str(&f, p->name);
        const double v[] = {p->kind, p->a, p->b, p->c, p->has_lo, p->lo, p->has_hi, p->hi,
                            p->levels, p->n_values};
        for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
            fnv_num(&f, v[k]);
        for (int k = 0; k < p->n_values; k++)
            fnv_num(&f, p->values[k]);
    }
    for (int i = 0; i < sw->n_metrics; i++) {
        const sweep_metric *mt = &sw->metrics[i];
        fnv_str(&f, mt->name);
        const double v[] = {mt->var, mt->stat, mt->time, mt->threshold, mt->dir};
        for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
            fnv_num(&f, v[k]);
    }
    fnv_num(&f, sw->n_series_runs);
    for (int i = 0; i < sw->n_series_runs; i++)
        fnv_num(&f, (double)sw->series_runs[i]);
    for (int i = 0; i < sw->n_series_vars; i++)
        fnv_num(&f, sw->series_vars[i]);
    fnv_num(&f, -1);
    for (int i = 0; i < sw->n_band_vars; i++)
        fnv_num(&f, sw->band_vars[i]);
    return f.h;
}
