/*
** scenario.c - read scenario files and turn them into runs.
**
** Format (docs/model-format.md, "Scenario files"):
**   name, doc, model (path relative to this file), set = { const = value; },
**   time = { start, stop, dt, save_every }, solver = { method, abs_tol,
**   rel_tol, max_step }, output = { file, variables, format }.
**   plots = ( { file, title, variables, layout, size, logscale }, ... ).
**   knobs = ( { constant, min, max, step, label, doc }, ... ): the sliders
**   of `migdev serve` (default: one per constant of `set`).
**   A `sweep` section is accepted here and read by sweep_spec.c, a
**   `calibrate` section by calib/calib_spec.c.
** A file with no `model` (and no `base`) setting is read as a model.
** base = "other.cfg" inherits everything of another scenario but what the
** file sets itself (scenario inheritance, below migdev_scenario_load).
*/
#include "migdev/scenario.h"
#include "migdev/engine.h"

#include "cfgfile.h"
#include "data/data_cfg.h"
#include "outpath.h"
#include "error_int.h"
#include "model_int.h"
#include "util.h"
#include "vensim/vensim.h"
#include "xmile/xmile.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

typedef struct override {
    int var;
    double value;
} override;

typedef struct knob_decl {
    int var, line;
    double min, max, step;
    char *label, *doc;
} knob_decl;

typedef struct plot_decl {
    char *file, *title;
    int *vars;
    int n_vars;
    migdev_layout layout;
    int width, height, logscale, line;
} plot_decl;

struct migdev_scenario {
    char *file, *name, *doc, *output;
    migdev_model *model;
    migdev_sim_spec spec;
    override *ov;
    int n_ov;
    int *outs;
    int n_outs;
    migdev_format format;
    plot_decl *plots;
    int n_plots;
    /* the first output path (file) and figure path (plots) that leaves the
       file's folder (outpath.h); code 0 when none */
    migdev_error output_path_err, plot_path_err;
    knob_decl *knobs;
    int n_knobs;
    int has_knobs; /* 1: a knobs section (else the knobs follow `set`) */
};

void migdev_scenario_free(migdev_scenario *s)
{
    if (!s)
        return;
    migdev_model_free(s->model);
    for (int i = 0; i < s->n_plots; i++)
        free(s->plots[i].file), free(s->plots[i].title), free(s->plots[i].vars);
    free(s->plots);
    for (int i = 0; i < s->n_knobs; i++)
        free(s->knobs[i].label), free(s->knobs[i].doc);
    free(s->knobs);
    free(s->file), free(s->name), free(s->doc), free(s->output), free(s->ov), free(s->outs);
    free(s);
}

static int add_override(migdev_scenario *s, int var, double value)
{
    for (int i = 0; i < s->n_ov; i++)
        if (s->ov[i].var == var) {
            s->ov[i].value = value;
            return 0;
        }
    override *o = realloc(s->ov, (size_t)(s->n_ov + 1) * sizeof *o);
    if (!o)
        return MIGDEV_E_NOMEM;
    s->ov = o;
    s->ov[s->n_ov++] = (override){var, value};
    return 0;
}

/* set = { x = 1.5; } or x = [1, 2, 3] for an arrayed constant x (its
** elements, in order; docs/model-format.md, "Arrays"). */
static int set_array(cfgfile *cf, migdev_scenario *s, const config_setting_t *e,
                     const char *name, int n_el)
{
    int *idx = malloc((size_t)n_el * sizeof *idx);
    if (!idx)
        return err_set(cf->err, MIGDEV_E_NOMEM, cf->path, 0, 0, "out of memory");
    model_array_constants(s->model, name, idx, n_el);
    const int t = config_setting_type(e);
    int rc = 0;
    if (t == CONFIG_TYPE_ARRAY || t == CONFIG_TYPE_LIST) {
        if (config_setting_length(e) != n_el)
            rc = cfg_error(cf, e, MIGDEV_E_RANGE,
                           "'%s' has %d elements, the list gives %d values (one per element, in "
                           "order, or one number for all)",
                           name, n_el, config_setting_length(e));
        for (int k = 0; !rc && k < n_el; k++) {
            const config_setting_t *v = config_setting_get_elem(e, (unsigned)k);
            if (!cfg_is_number(v))
                rc = cfg_error(cf, e, MIGDEV_E_TYPE, "the values of '%s' must be numbers", name);
            else if (add_override(s, idx[k], cfg_number(v)) != 0)
                rc = err_set(cf->err, MIGDEV_E_NOMEM, cf->path, 0, 0, "out of memory");
        }
    } else if (!cfg_is_number(e)) {
        rc = cfg_error(cf, e, MIGDEV_E_TYPE,
                       "the value of '%s' must be a number (for every element) or a list of "
                       "numbers (one per element)",
                       name);
    } else {
        for (int k = 0; !rc && k < n_el; k++)
            if (add_override(s, idx[k], cfg_number(e)) != 0)
                rc = err_set(cf->err, MIGDEV_E_NOMEM, cf->path, 0, 0, "out of memory");
    }
    free(idx);
    return rc;
}

static int read_set(cfgfile *cf, migdev_scenario *s)
{
    const config_setting_t *g = config_lookup(&cf->cfg, "set");
    if (!g)
        return 0;
    if (config_setting_type(g) != CONFIG_TYPE_GROUP)
        return cfg_error(cf, g, MIGDEV_E_SYNTAX, "'set' must be a group: set = { name = 1.5; };");
    for (int i = 0; i < config_setting_length(g); i++) {
        const config_setting_t *e = config_setting_get_elem(g, (unsigned)i);
        const char *name = config_setting_name(e);
        char msg[400];
        const int idx = model_find_constant(s->model, name, "set", msg, sizeof msg);
        const int n_el = idx < 0 ? model_array_constants(s->model, name, NULL, 0) : 0;
        if (n_el > 0) { /* a whole array: one number for all, or one per element */
            const int rc = set_array(cf, s, e, name, n_el);
            if (rc)
                return rc;
            continue;
        }
        if (idx < 0)
            return cfg_error(cf, e, idx, "%s", msg);
        if (!cfg_is_number(e))
            return cfg_error(cf, e, MIGDEV_E_TYPE, "the value of '%s' must be a number", name);
        if (add_override(s, idx, cfg_number(e)) != 0)
            return err_set(cf->err, MIGDEV_E_NOMEM, cf->path, 0, 0, "out of memory");
    }
    return 0;
}

static int read_time(cfgfile *cf, migdev_scenario *s)
{
    const config_setting_t *g = config_lookup(&cf->cfg, "time");
    if (!g)
        return 0;
    if (config_setting_type(g) != CONFIG_TYPE_GROUP)
        return cfg_error(cf, g, MIGDEV_E_SYNTAX, "'time' must be a group: time = { start = 0; ... };");
    static const char *const fields[] = {"start", "stop", "dt", "save_every", NULL};
    int rc = cfg_check_fields(cf, g, fields, "the time settings");
    if (rc)
        return rc;
    if (((rc = cfg_get_number(cf, g, "start", &s->spec.start)) < 0 ||
                (rc = cfg_get_number(cf, g, "stop", &s->spec.stop)) < 0 ||
                (rc = cfg_get_number(cf, g, "dt", &s->spec.dt)) < 0 ||
                (rc = cfg_get_number(cf, g, "save_every", &s->spec.save_every)) < 0))
        return rc;
    const config_setting_t *x;
    if ((x = config_setting_get_member(g, "dt")) && !(s->spec.dt > 0.0))
        return cfg_error(cf, x, MIGDEV_E_RANGE, "dt must be positive, got %g", s->spec.dt);
    /* a new dt keeps saving at the model's interval unless that no longer
       fits (as --dt does) */
    if (x && !config_setting_get_member(g, "save_every") && s->spec.save_every < s->spec.dt)
        s->spec.save_every = s->spec.dt;
    if ((x = config_setting_get_member(g, "save_every")) && !(s->spec.save_every > 0.0))
        return cfg_error(cf, x, MIGDEV_E_RANGE, "save_every must be positive, got %g",
                         s->spec.save_every);
    if (!(s->spec.stop > s->spec.start))
        return cfg_error(cf, g, MIGDEV_E_RANGE,
                         "the stop time (%g) must be greater than the start time (%g)",
                         s->spec.stop, s->spec.start);
    return 0;
}

static int read_solver(cfgfile *cf, migdev_scenario *s)
{
    const config_setting_t *g = config_lookup(&cf->cfg, "solver");
    if (!g)
        return 0;
    if (config_setting_type(g) != CONFIG_TYPE_GROUP)
        return cfg_error(cf, g, MIGDEV_E_SYNTAX, "'solver' must be a group: solver = { method = \"rk4\"; };");
    static const char *const fields[] = {"method", "abs_tol", "rel_tol", "max_step", NULL};
    int rc = cfg_check_fields(cf, g, fields, "the solver settings");
    if (rc)
        return rc;
    const char *method = NULL;
    if ((rc = cfg_get_string(cf, g, "method", &method)) < 0 ||
        (rc = cfg_get_number(cf, g, "abs_tol", &s->spec.abs_tol)) < 0 ||
        (rc = cfg_get_number(cf, g, "rel_tol", &s->spec.rel_tol)) < 0 ||
        (rc = cfg_get_number(cf, g, "max_step", &s->spec.max_step)) < 0)
        return rc;
    if (method) {
        const int mt = migdev_method_parse(method);
        if (mt < 0)
            return cfg_error(cf, config_setting_get_member(g, "method"), MIGDEV_E_SYNTAX,
                             "unknown method '%s' (euler, rk4, rk2, rkf45, rkck, rk8pd, rk4imp, "
                             "bsimp, msadams, msbdf)",
                             method);
        s->spec.method = (migdev_method)mt;
    }
    const config_setting_t *x;
    if ((x = config_setting_get_member(g, "abs_tol")) && !(s->spec.abs_tol > 0.0))
        return cfg_error(cf, x, MIGDEV_E_RANGE, "abs_tol must be positive");
    if ((x = config_setting_get_member(g, "rel_tol")) && !(s->spec.rel_tol >= 0.0))
        return cfg_error(cf, x, MIGDEV_E_RANGE, "rel_tol must not be negative");
    if ((x = config_setting_get_member(g, "max_step")) && !(s->spec.max_step >= 0.0))
        return cfg_error(cf, x, MIGDEV_E_RANGE, "max_step must not be negative");
    return 0;
}

static int read_output(cfgfile *cf, migdev_scenario *s)
{
    const config_setting_t *g = config_lookup(&cf->cfg, "output");
    if (!g)
        return 0;
    if (config_setting_type(g) != CONFIG_TYPE_GROUP)
        return cfg_error(cf, g, MIGDEV_E_SYNTAX, "'output' must be a group: output = { file = \"x.csv\"; };");
    static const char *const fields[] = {"file", "variables", "format", NULL};
    int rc = cfg_check_fields(cf, g, fields, "the output settings");
    if (rc)
        return rc;
    const char *file = NULL, *format = NULL;
    if ((rc = cfg_get_string(cf, g, "file", &file)) < 0 ||
        (rc = cfg_get_string(cf, g, "format", &format)) < 0)
        return rc;
    if (file) {
        if (!*file)
            return cfg_error(cf, config_setting_get_member(g, "file"), MIGDEV_E_SYNTAX,
                             "the output file name is empty");
        s->output = cfg_join_path(cf->path, file);
        outpath_note(cf, config_setting_get_member(g, "file"), file, &s->output_path_err);
        if (!s->output)
            return err_set(cf->err, MIGDEV_E_NOMEM, cf->path, 0, 0, "out of memory");
    }
    if (format) {
        if (strcmp(format, "csv") == 0)
            s->format = MIGDEV_CSV;
        else if (strcmp(format, "tsv") == 0)
            s->format = MIGDEV_TSV;
        else
            return cfg_error(cf, config_setting_get_member(g, "format"), MIGDEV_E_SYNTAX,
                             "unknown format '%s' (csv or tsv)", format);
    }
    const config_setting_t *a = config_setting_get_member(g, "variables");
    if (!a)
        return 0;
    rc = cfg_var_list(cf, s->model, a, "output variable", &s->outs, &s->n_outs);
    /* the model's required outputs (required_outputs) must all be listed */
    for (int k = 0; !rc && k < s->model->n_required_outputs; k++) {
        const int want = s->model->required_outputs[k];
        int found = 0;
        for (int i = 0; i < s->n_outs && !found; i++)
            found = s->outs[i] == want;
        if (!found)
            rc = cfg_error(cf, a, MIGDEV_E_NAME,
                           "the output variables lack '%s', which the model requires of every "
                           "scenario that lists its outputs (required_outputs)",
                           s->model->vars[want].name);
    }
    return rc;
}

/* Whether path ends in one of the figure formats the tool can write. */
static int is_figure_file(const char *path)
{
    static const char *const exts[] = {".png", ".svg", ".pdf"};
    const char *dot = strrchr(path, '.');
    if (!dot || strchr(dot, '/'))
        return 0;
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (strcasecmp(dot, exts[i]) == 0)
            return 1;
    return 0;
}

/* size = [width, height] in pixels. */
static int read_size(cfgfile *cf, const config_setting_t *g, plot_decl *p)
{
    const config_setting_t *a = config_setting_get_member(g, "size");
    if (!a)
        return 0;
    const config_setting_t *w = config_setting_get_elem(a, 0), *h = config_setting_get_elem(a, 1);
    if ((config_setting_type(a) != CONFIG_TYPE_ARRAY && config_setting_type(a) != CONFIG_TYPE_LIST) ||
        config_setting_length(a) != 2 || !cfg_is_number(w) || !cfg_is_number(h))
        return cfg_error(cf, a, MIGDEV_E_TYPE, "'size' must be [width, height] in pixels");
    const double wd = cfg_number(w), hd = cfg_number(h);
    if (!(wd >= 50 && wd <= 20000 && hd >= 50 && hd <= 20000) || wd != (int)wd || hd != (int)hd)
        return cfg_error(cf, a, MIGDEV_E_RANGE,
                         "'size' must be whole numbers of pixels from 50 to 20000, got [%g, %g]",
                         wd, hd);
    p->width = (int)wd;
    p->height = (int)hd;
    return 0;
}

static int read_plot(cfgfile *cf, migdev_scenario *s, const config_setting_t *g, plot_decl *p)
{
    if (config_setting_type(g) != CONFIG_TYPE_GROUP)
        return cfg_error(cf, g, MIGDEV_E_SYNTAX,
                         "each figure in 'plots' must be a group: { file = \"fig.png\"; "
                         "variables = [\"a\"]; }");
    static const char *const fields[] = {"file", "title", "variables", "layout", "size",
                                         "logscale", NULL};
    int rc = cfg_check_fields(cf, g, fields, "a figure");
    if (rc)
        return rc;
    p->line = cfg_line(g);
    const char *file = NULL, *title = NULL, *layout = NULL;
    if ((rc = cfg_get_string(cf, g, "file", &file)) < 0 ||
        (rc = cfg_get_string(cf, g, "title", &title)) < 0 ||
        (rc = cfg_get_string(cf, g, "layout", &layout)) < 0 ||
        (rc = cfg_get_bool(cf, g, "logscale", &p->logscale)) < 0 || (rc = read_size(cf, g, p)) < 0)
        return rc;
    if (!file)
        return cfg_error(cf, g, MIGDEV_E_SYNTAX, "a figure needs a 'file' (.png, .svg or .pdf)");
    if (!is_figure_file(file))
        return cfg_error(cf, config_setting_get_member(g, "file"), MIGDEV_E_SYNTAX,
                         "figure file '%s' must end in .png, .svg or .pdf", file);
    if (layout) {
        if (strcmp(layout, "panels") == 0)
            p->layout = MIGDEV_PANELS;
        else if (strcmp(layout, "overlay") == 0)
            p->layout = MIGDEV_OVERLAY;
        else
            return cfg_error(cf, config_setting_get_member(g, "layout"), MIGDEV_E_SYNTAX,
                             "unknown layout '%s' (panels or overlay)", layout);
    }
    p->file = cfg_join_path(cf->path, file);
    outpath_note(cf, config_setting_get_member(g, "file"), file, &s->plot_path_err);
    p->title = strdup(title ? title : "");
    if (!p->file || !p->title)
        return err_set(cf->err, MIGDEV_E_NOMEM, cf->path, 0, 0, "out of memory");
    const config_setting_t *a = config_setting_get_member(g, "variables");
    if (!a)
        return cfg_error(cf, g, MIGDEV_E_SYNTAX, "a figure needs its 'variables': [\"a\", \"b\"]");
    if ((rc = cfg_var_list(cf, s->model, a, "plotted variable", &p->vars, &p->n_vars)) < 0)
        return rc;
    if (p->n_vars == 0)
        return cfg_error(cf, a, MIGDEV_E_SYNTAX, "a figure needs at least one variable");
    return 0;
}

/* The value constant var has in s: its override, else the model's default. */
static double scenario_value(const migdev_scenario *s, int var)
{
    for (int i = 0; i < s->n_ov; i++)
        if (s->ov[i].var == var)
            return s->ov[i].value;
    migdev_var_info vi;
    migdev_model_var(s->model, var, &vi);
    return vi.value;
}

/* One knob: { constant = "x"; min = 0; max = 1; step = 0.01; label = ""; doc = ""; } */
static int read_knob(cfgfile *cf, migdev_scenario *s, const config_setting_t *g, knob_decl *k)
{
    if (config_setting_type(g) != CONFIG_TYPE_GROUP)
        return cfg_error(cf, g, MIGDEV_E_SYNTAX,
                         "each knob must be a group: { constant = \"x\"; min = 0; max = 1; }");
    static const char *const fields[] = {"constant", "min", "max", "step", "label", "doc", NULL};
    int rc = cfg_check_fields(cf, g, fields, "a knob");
    if (rc)
        return rc;
    k->line = cfg_line(g);
    const char *name = NULL, *label = NULL, *doc = NULL;
    k->min = k->max = k->step = NAN;
    if ((rc = cfg_get_string(cf, g, "constant", &name)) < 0 ||
        (rc = cfg_get_string(cf, g, "label", &label)) < 0 ||
        (rc = cfg_get_string(cf, g, "doc", &doc)) < 0 ||
        (rc = cfg_get_number(cf, g, "min", &k->min)) < 0 ||
        (rc = cfg_get_number(cf, g, "max", &k->max)) < 0 ||
        (rc = cfg_get_number(cf, g, "step", &k->step)) < 0)
        return rc;
    if (!name)
        return cfg_error(cf, g, MIGDEV_E_SYNTAX, "a knob needs its 'constant'");
    const config_setting_t *cs = config_setting_get_member(g, "constant");
    char msg[400];
    k->var = model_find_constant(s->model, name, "a knob", msg, sizeof msg);
    if (k->var < 0) {
        int line, col;
        cfg_string_pos(cf, cs, &line, &col);
        return err_set(cf->err, k->var, cf->path, line, col, "%s", msg);
    }
    if (isnan(k->min) || isnan(k->max))
        return cfg_error(cf, g, MIGDEV_E_SYNTAX, "the knob of '%s' needs its 'min' and 'max'",
                         name);
    if (!(k->max > k->min) || !isfinite(k->min) || !isfinite(k->max))
        return cfg_error(cf, config_setting_get_member(g, "max"), MIGDEV_E_RANGE,
                         "the knob of '%s' needs min < max, got [%g, %g]", name, k->min, k->max);
    if (isnan(k->step))
        k->step = (k->max - k->min) / MIGDEV_KNOB_STEPS;
    else if (!(k->step > 0.0) || k->step > k->max - k->min)
        return cfg_error(cf, config_setting_get_member(g, "step"), MIGDEV_E_RANGE,
                         "the step of the knob of '%s' must be positive and at most max - min "
                         "(%g), got %g", name, k->max - k->min, k->step);
    const double v = scenario_value(s, k->var);
    if (v < k->min || v > k->max)
        return cfg_error(cf, g, MIGDEV_E_RANGE,
                         "the value of '%s' in this scenario (%g) is outside its knob's range "
                         "[%g, %g]", name, v, k->min, k->max);
    k->label = strdup(label ? label : "");
    k->doc = strdup(doc ? doc : "");
    if (!k->label || !k->doc)
        return err_set(cf->err, MIGDEV_E_NOMEM, cf->path, 0, 0, "out of memory");
    return 0;
}

/* knobs = ( { ... }, ... ): the sliders of migdev serve. */
static int read_knobs(cfgfile *cf, migdev_scenario *s)
{
    const config_setting_t *l = config_lookup(&cf->cfg, "knobs");
    if (!l)
        return 0;
    if (config_setting_type(l) != CONFIG_TYPE_LIST)
        return cfg_error(cf, l, MIGDEV_E_SYNTAX,
                         "'knobs' must be a list: knobs = ( { constant = \"x\"; min = 0; "
                         "max = 1; } );");
    s->has_knobs = 1;
    const int n = config_setting_length(l);
    s->knobs = calloc((size_t)n + 1, sizeof *s->knobs);
    if (!s->knobs)
        return err_set(cf->err, MIGDEV_E_NOMEM, cf->path, 0, 0, "out of memory");
    for (int i = 0; i < n; i++) {
        const config_setting_t *g = config_setting_get_elem(l, (unsigned)i);
        knob_decl *k = &s->knobs[s->n_knobs++];
        const int rc = read_knob(cf, s, g, k);
        if (rc < 0)
            return rc;
        for (int j = 0; j < i; j++)
            if (s->knobs[j].var == k->var)
                return cfg_error(cf, g, MIGDEV_E_NAME, "a second knob for the same constant "
                                 "(the first is on line %d)", s->knobs[j].line);
    }
    return 0;
}

/* plots = ( { ... }, ... ): the figures to draw after a run. */
static int read_plots(cfgfile *cf, migdev_scenario *s)
{
    const config_setting_t *l = config_lookup(&cf->cfg, "plots");
    if (!l)
        return 0;
    if (config_setting_type(l) != CONFIG_TYPE_LIST)
        return cfg_error(cf, l, MIGDEV_E_SYNTAX,
                         "'plots' must be a list of figures: plots = ( { file = \"fig.png\"; "
                         "variables = [\"a\"]; } );");
    const int n = config_setting_length(l);
    s->plots = calloc((size_t)n + 1, sizeof *s->plots);
    if (!s->plots)
        return err_set(cf->err, MIGDEV_E_NOMEM, cf->path, 0, 0, "out of memory");
    for (int i = 0; i < n; i++) {
        /* counted first, so that migdev_scenario_free releases a half-read figure */
        plot_decl *p = &s->plots[s->n_plots++];
        const int rc = read_plot(cf, s, config_setting_get_elem(l, (unsigned)i), p);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* ---------------------------------------------------------- inheritance */

/* The files a scenario's `base` chain has passed through, to refuse cycles. */
typedef struct base_chain {
    dev_t dev;                     /* the file itself, however it is named */
    ino_t ino;
    const char *shown;             /* as it was named */
    const struct base_chain *next; /* the file that named this one as its base */
    int depth;
} base_chain;

enum { MAX_BASE_DEPTH = 32 };

static migdev_scenario *scenario_load(const char *path, const base_chain *chain,
                                      migdev_error *err);

/* "a.cfg -> b.cfg -> a.cfg": the chain from its first file to path. */
static void chain_text(const base_chain *c, const char *path, char *buf, size_t n)
{
    const base_chain *order[MAX_BASE_DEPTH + 2];
    int k = 0;
    for (; c && k < MAX_BASE_DEPTH + 1; c = c->next)
        order[k++] = c;
    size_t at = 0;
    buf[0] = '\0';
    while (k-- > 0 && at < n)
        at += (size_t)snprintf(buf + at, n - at, "%s -> ", order[k]->shown);
    if (at < n)
        snprintf(buf + at, n - at, "%s", path);
}

/* A rename of the base's output file for the scenario at path: the same
** folder and extension, path's stem (so that two scenarios never write
** the same table). */
static char *derived_output(const char *base_output, const char *path)
{
    char *stem = util_path_stem(path);
    if (!stem)
        return NULL;
    const char *slash = strrchr(base_output, '/');
    const size_t dir = slash ? (size_t)(slash - base_output) + 1 : 0;
    const char *dot = strrchr(base_output + dir, '.');
    const char *ext = dot ? dot : "";
    const size_t n = dir + strlen(stem) + strlen(ext) + 1;
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "%.*s%s%s", (int)dir, base_output, stem, ext);
    free(stem);
    return out;
}

/* The base's figure file for the scenario at path: the base's stem
** replaced by path's ("../out/remittance_based.png" -> "../out/mine.png"),
** or path's stem put in front of another name ("fig.png" -> "mine_fig.png"). */
static char *derived_figure(const char *figure, const char *base_path, const char *path)
{
    char *bstem = util_path_stem(base_path), *stem = util_path_stem(path);
    char *out = NULL;
    if (bstem && stem) {
        const char *slash = strrchr(figure, '/');
        const size_t dir = slash ? (size_t)(slash - figure) + 1 : 0;
        const char *name = figure + dir, *dot = strrchr(name, '.');
        const size_t nlen = dot ? (size_t)(dot - name) : strlen(name);
        const int same = strlen(bstem) == nlen && strncmp(name, bstem, nlen) == 0;
        const size_t n = strlen(figure) + strlen(stem) + 2;
        if ((out = malloc(n)) != NULL) {
            if (same)
                snprintf(out, n, "%.*s%s%s", (int)dir, figure, stem, dot ? dot : "");
            else
                snprintf(out, n, "%.*s%s_%s", (int)dir, figure, stem, name);
        }
    }
    free(bstem);
    free(stem);
    return out;
}

/* Load the scenario named by `base` (bs) in the file being read and take
** over everything it holds (model, overrides, time, solver, output,
** figures) into s, whose own settings are read afterwards on top. */
static int inherit_base(cfgfile *cf, const config_setting_t *bs, const config_setting_t *ms,
                        const char *path, const base_chain *chain, migdev_scenario *s)
{
    if (ms)
        return cfg_error(cf, ms, MIGDEV_E_SYNTAX,
                         "a scenario with a 'base' uses the base's model: remove 'model' "
                         "(or 'base')");
    if (config_setting_type(bs) != CONFIG_TYPE_STRING)
        return cfg_error(cf, bs, MIGDEV_E_TYPE, "'base' must be the path of a scenario file, in quotes");
    const config_setting_t *ds = config_lookup(&cf->cfg, "data");
    if (ds) /* data entries are bound into the model when it is compiled */
        return cfg_error(cf, ds, MIGDEV_E_SYNTAX,
                         "a scenario with a 'base' uses the base's model and its data: put "
                         "'data' in the base");
    int line, col;
    cfg_string_pos(cf, bs, &line, &col);
    base_chain here = {0, 0, path, chain, chain ? chain->depth + 1 : 0};
    struct stat st;
    if (stat(path, &st) == 0)
        here.dev = st.st_dev, here.ino = st.st_ino;
    if (here.depth >= MAX_BASE_DEPTH)
        return err_set(cf->err, MIGDEV_E_RANGE, path, line, col,
                       "more than %d scenarios in a chain of bases", MAX_BASE_DEPTH);
    char *bpath = cfg_join_path(path, config_setting_get_string(bs));
    if (!bpath)
        return err_set(cf->err, MIGDEV_E_NOMEM, path, 0, 0, "out of memory");
    if (stat(bpath, &st) != 0) {
        const int rc = err_set(cf->err, MIGDEV_E_IO, path, line, col,
                               "base scenario '%s': cannot open: %s", bpath, strerror(errno));
        free(bpath);
        return rc;
    }
    for (const base_chain *c = &here; c; c = c->next)
        if (c->dev == st.st_dev && c->ino == st.st_ino) {
            char text[1024];
            chain_text(&here, bpath, text, sizeof text);
            const int rc = err_set(cf->err, MIGDEV_E_CYCLE, path, line, col,
                                   "the bases of this scenario go round in a circle: %s", text);
            free(bpath);
            return rc;
        }
    migdev_error berr; /* an error in the base is reported at its own position */
    migdev_error_clear(&berr);
    migdev_scenario *b = scenario_load(bpath, &here, &berr);
    free(bpath);
    if (!b) {
        if (cf->err && cf->err->code == MIGDEV_OK)
            *cf->err = berr;
        return berr.code;
    }
    /* what the base writes is renamed after this file, so that running
       both never writes one over the other */
    char *renamed = b->output ? derived_output(b->output, path) : NULL;
    int oom = b->output && !renamed;
    for (int i = 0; i < b->n_plots && !oom; i++) {
        char *f = derived_figure(b->plots[i].file, b->file, path);
        oom = !f;
        if (f) {
            free(b->plots[i].file);
            b->plots[i].file = f;
        }
    }
    if (oom) {
        free(renamed);
        migdev_scenario_free(b);
        return err_set(cf->err, MIGDEV_E_NOMEM, path, 0, 0, "out of memory");
    }
    char *file = s->file;
    free(b->file), free(b->name), free(b->doc), free(b->output);
    *s = *b; /* every section of the base, whatever the struct holds */
    s->file = file;
    s->name = s->doc = NULL;
    s->output = renamed;
    free(b);
    return 0;
}

/* Sections of the file being read that replace what the base set as a
** whole (rather than add to it): the output file, the output variables,
** the figures. Cleared before they are read. */
static void drop_replaced(const cfgfile *cf, migdev_scenario *s)
{
    const config_setting_t *o = config_lookup(&cf->cfg, "output");
    if (o && config_setting_get_member(o, "file")) {
        free(s->output);
        s->output = NULL;
        migdev_error_clear(&s->output_path_err);
    }
    if (o && config_setting_get_member(o, "variables")) {
        free(s->outs);
        s->outs = NULL;
        s->n_outs = 0;
    }
    if (config_lookup(&cf->cfg, "plots")) {
        for (int i = 0; i < s->n_plots; i++)
            free(s->plots[i].file), free(s->plots[i].title), free(s->plots[i].vars);
        free(s->plots);
        s->plots = NULL;
        s->n_plots = 0;
        migdev_error_clear(&s->plot_path_err);
    }
    if (config_lookup(&cf->cfg, "knobs")) {
        for (int i = 0; i < s->n_knobs; i++)
            free(s->knobs[i].label), free(s->knobs[i].doc);
        free(s->knobs);
        s->knobs = NULL;
        s->n_knobs = 0;
        s->has_knobs = 0;
    }
}

/* ---------------------------------------------------------------- loading */

migdev_scenario *migdev_scenario_load(const char *path, migdev_error *err)
{
    return scenario_load(path, NULL, err);
}

static migdev_scenario *scenario_load(const char *path, const base_chain *chain,
                                      migdev_error *err)
{
    migdev_scenario *s = calloc(1, sizeof *s);
    if (!s) {
        err_set(err, MIGDEV_E_NOMEM, path, 0, 0, "out of memory");
        return NULL;
    }
    cfgfile cf;
    /* an XMILE or Vensim model: its own scenario */
    const int is_xmile = xmile_sniff_path(path) || vensim_sniff_path(path);
    int rc = is_xmile ? 0 : cfgfile_open(&cf, path, NULL, err);
    if (is_xmile)
        memset(&cf, 0, sizeof cf);
    s->file = strdup(path);
    if (!rc && !s->file)
        rc = err_set(err, MIGDEV_E_NOMEM, path, 0, 0, "out of memory");
    const config_setting_t *ms = (rc || is_xmile) ? NULL : config_lookup(&cf.cfg, "model");
    const config_setting_t *bs = (rc || is_xmile) ? NULL : config_lookup(&cf.cfg, "base");
    if (!rc && !ms && !bs) {
        /* a model file: it is its own scenario */
        cfgfile_close(&cf);
        s->model = migdev_model_load(path, err);
        if (!s->model) {
            migdev_scenario_free(s);
            return NULL;
        }
        s->spec = migdev_model_default_spec(s->model);
        s->name = strdup(migdev_model_name(s->model));
        s->doc = strdup(migdev_model_doc(s->model));
        if (!s->name || !s->doc) {
            err_set(err, MIGDEV_E_NOMEM, path, 0, 0, "out of memory");
            migdev_scenario_free(s);
            return NULL;
        }
        return s;
    }
    if (!rc) {
        static const char *const fields[] = {"name", "doc", "base", "model", "set", "time",
                                             "solver", "output", "plots", "knobs", "sweep",
                                             "calibrate", "data", "indicators", NULL};
        rc = cfg_check_fields(&cf, config_root_setting(&cf.cfg), fields, "the scenario");
    }
    if (!rc && bs) {
        rc = inherit_base(&cf, bs, ms, path, chain, s);
        if (!rc)
            drop_replaced(&cf, s);
    } else if (!rc && config_setting_type(ms) != CONFIG_TYPE_STRING)
        rc = cfg_error(&cf, ms, MIGDEV_E_TYPE, "'model' must be the path of a model file, in quotes");
    if (!rc && !bs) {
        char *mpath = cfg_join_path(path, config_setting_get_string(ms));
        if (!mpath)
            rc = err_set(err, MIGDEV_E_NOMEM, path, 0, 0, "out of memory");
        migdev_error merr;
        migdev_error_clear(&merr);
        if (!rc && !(s->model = model_load_bound(mpath, &cf, config_lookup(&cf.cfg, "data"),
                                                 &merr))) {
            if (merr.code == MIGDEV_E_IO && merr.line == 0 && strcmp(merr.file, mpath) == 0) {
                int line, col;
                cfg_string_pos(&cf, ms, &line, &col);
                rc = err_set(err, MIGDEV_E_IO, path, line, col, "model file '%s': %s", mpath,
                             merr.message);
            } else {
                if (err)
                    *err = merr;
                rc = merr.code;
            }
        }
        free(mpath);
    }
    if (!rc) {
        if (!bs)
            s->spec = migdev_model_default_spec(s->model);
        const char *name = NULL, *doc = NULL;
        if ((rc = cfg_get_string(&cf, config_root_setting(&cf.cfg), "name", &name)) >= 0 &&
            (rc = cfg_get_string(&cf, config_root_setting(&cf.cfg), "doc", &doc)) >= 0) {
            rc = 0;
            s->name = name ? strdup(name) : util_path_stem(path);
            s->doc = strdup(doc ? doc : "");
            if (!s->name || !s->doc)
                rc = err_set(err, MIGDEV_E_NOMEM, path, 0, 0, "out of memory");
        }
    }
    if (!rc)
        rc = read_set(&cf, s);
    if (!rc)
        rc = read_time(&cf, s);
    if (!rc)
        rc = read_solver(&cf, s);
    if (!rc)
        rc = read_output(&cf, s);
    if (!rc)
        rc = read_plots(&cf, s);
    if (!rc)
        rc = read_knobs(&cf, s);
    if (!rc && s->spec.save_every <= 0.0)
        s->spec.save_every = s->spec.dt;
    if (!rc) {
        /* a time span or solver that cannot run is an error of this file */
        migdev_error e2;
        migdev_error_clear(&e2);
        if (migdev_spec_check(&s->spec, &e2) != 0) {
            const config_setting_t *at = config_lookup(&cf.cfg, "time");
            if (!at)
                at = config_lookup(&cf.cfg, "solver");
            if (at)
                rc = cfg_error(&cf, at, e2.code, "%s", e2.message);
            else
                rc = err_set(err, e2.code, path, 1, 1, "%s (the model's time settings, as used here)",
                             e2.message);
        }
    }
    cfgfile_close(&cf);
    if (rc) {
        migdev_scenario_free(s);
        return NULL;
    }
    return s;
}

const migdev_model *migdev_scenario_model(const migdev_scenario *s) { return s->model; }
const char *migdev_scenario_name(const migdev_scenario *s) { return s->name; }
const char *migdev_scenario_doc(const migdev_scenario *s) { return s->doc; }
const char *migdev_scenario_file(const migdev_scenario *s) { return s->file; }
migdev_sim_spec migdev_scenario_spec(const migdev_scenario *s) { return s->spec; }
void migdev_scenario_set_spec(migdev_scenario *s, const migdev_sim_spec *spec) { s->spec = *spec; }
const char *migdev_scenario_output(const migdev_scenario *s) { return s->output; }
migdev_format migdev_scenario_format(const migdev_scenario *s) { return s->format; }
void migdev_scenario_set_format(migdev_scenario *s, migdev_format fmt) { s->format = fmt; }

int migdev_scenario_set(migdev_scenario *s, const char *name, double value, migdev_error *err)
{
    char msg[400];
    const int idx = model_find_constant(s->model, name, "set", msg, sizeof msg);
    const int n_el = idx < 0 ? model_array_constants(s->model, name, NULL, 0) : 0;
    if (n_el > 0) { /* an arrayed constant: every element */
        int *el = malloc((size_t)n_el * sizeof *el);
        if (!el)
            return err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
        model_array_constants(s->model, name, el, n_el);
        int rc = 0;
        for (int k = 0; !rc && k < n_el; k++)
            if (add_override(s, el[k], value) != 0)
                rc = err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
        free(el);
        return rc;
    }
    if (idx < 0)
        return err_set(err, idx, NULL, 0, 0, "%s", msg);
    if (add_override(s, idx, value) != 0)
        return err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
    return 0;
}

int migdev_scenario_n_overrides(const migdev_scenario *s) { return s->n_ov; }

int migdev_scenario_override(const migdev_scenario *s, int i, int *var, double *value)
{
    if (i < 0 || i >= s->n_ov)
        return MIGDEV_E_RANGE;
    *var = s->ov[i].var;
    *value = s->ov[i].value;
    return 0;
}

int migdev_scenario_set_output(migdev_scenario *s, const char *path, migdev_error *err)
{
    char *p = path ? strdup(path) : NULL;
    if (path && !p)
        return err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
    free(s->output);
    s->output = p;
    migdev_error_clear(&s->output_path_err); /* the caller's own path */
    return 0;
}

const migdev_error *migdev_scenario_output_path_error(const migdev_scenario *s)
{
    return s->output_path_err.code ? &s->output_path_err : NULL;
}

const migdev_error *migdev_scenario_plot_path_error(const migdev_scenario *s)
{
    return s->plot_path_err.code ? &s->plot_path_err : NULL;
}

const int *migdev_scenario_outputs(const migdev_scenario *s, int *n)
{
    *n = s->n_outs;
    return s->outs;
}

int migdev_scenario_set_outputs(migdev_scenario *s, const char *names, migdev_error *err)
{
    int count = 1;
    for (const char *p = names; *p; p++)
        count += *p == ',';
    int *outs = malloc((size_t)count * sizeof *outs);
    char *buf = strdup(names);
    if (!outs || !buf) {
        free(outs);
        free(buf);
        return err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
    }
    int n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        char *end = tok + strlen(tok);
        while (end > tok && end[-1] == ' ')
            *--end = '\0';
        if (!*tok)
            continue;
        char msg[400];
        const int idx = model_find_var(s->model, tok, "variable", msg, sizeof msg);
        const int n_el = idx < 0 ? model_array_elements(s->model, tok, NULL, 0) : 0;
        if (n_el > 0) { /* an array: every element */
            int *more = realloc(outs, (size_t)(count + n_el) * sizeof *outs);
            if (!more) {
                free(outs);
                free(buf);
                return err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
            }
            outs = more;
            count += n_el;
            n += model_array_elements(s->model, tok, outs + n, n_el);
            continue;
        }
        if (idx < 0) {
            const int rc = err_set(err, idx, NULL, 0, 0, "%s", msg);
            free(outs);
            free(buf);
            return rc;
        }
        outs[n++] = idx;
    }
    free(buf);
    if (n == 0) {
        free(outs);
        return err_set(err, MIGDEV_E_NAME, NULL, 0, 0, "the list of variables is empty");
    }
    free(s->outs);
    s->outs = outs;
    s->n_outs = n;
    return 0;
}

int migdev_scenario_n_plots(const migdev_scenario *s) { return s->n_plots; }

int migdev_scenario_plot(const migdev_scenario *s, int i, migdev_plot_spec *out)
{
    if (i < 0 || i >= s->n_plots)
        return MIGDEV_E_RANGE;
    const plot_decl *p = &s->plots[i];
    *out = (migdev_plot_spec){p->file, p->title, p->vars, p->n_vars, p->layout,
                              p->width, p->height, p->logscale, p->line};
    return 0;
}

/* The output variables followed by the plotted ones not among them
** (allocated, caller frees), or NULL with *n = 0 when everything is
** recorded anyway (no output list). */
static int *recorded_vars(const migdev_scenario *s, int *n)
{
    *n = 0;
    if (s->n_outs == 0)
        return NULL;
    int cap = s->n_outs;
    for (int i = 0; i < s->n_plots; i++)
        cap += s->plots[i].n_vars;
    int *v = malloc((size_t)cap * sizeof *v);
    if (!v)
        return NULL;
    for (int i = 0; i < s->n_outs; i++)
        v[(*n)++] = s->outs[i];
    for (int i = 0; i < s->n_plots; i++)
        for (int k = 0; k < s->plots[i].n_vars; k++) {
            int seen = 0;
            for (int j = 0; j < *n && !seen; j++)
                seen = v[j] == s->plots[i].vars[k];
            if (!seen)
                v[(*n)++] = s->plots[i].vars[k];
        }
    return v;
}

migdev_run *migdev_scenario_new_run(const migdev_scenario *s, migdev_error *err)
{
    migdev_error local;
    migdev_error_clear(&local);
    migdev_run *r = migdev_run_new(s->model, &s->spec, &local);
    if (!r) {
        /* a bad time span is the scenario's fault: name its file */
        if (err) {
            *err = local;
            if (!err->line)
                snprintf(err->file, sizeof err->file, "%s", s->file);
        }
        return NULL;
    }
    for (int i = 0; i < s->n_ov; i++)
        if (migdev_run_set_constant(r, s->ov[i].var, s->ov[i].value, err) != 0) {
            migdev_run_free(r);
            return NULL;
        }
    if (s->n_outs > 0) {
        int n;
        int *rec = recorded_vars(s, &n);
        if (!rec) {
            migdev_run_free(r);
            err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
            return NULL;
        }
        const int rc = migdev_run_record(r, rec, n, err);
        free(rec);
        if (rc != 0) {
            migdev_run_free(r);
            return NULL;
        }
    }
    return r;
}

int migdev_scenario_n_knobs(const migdev_scenario *s)
{
    return s->has_knobs ? s->n_knobs : s->n_ov;
}

/* The range of a knob that follows `set`: from 0 to twice the larger of the
** scenario's value and the model's default (a negative value mirrors it;
** [0, 1] when both are 0). */
static void default_range(double v, double dflt, double *lo, double *hi)
{
    const double a = fmax(fabs(v), fabs(dflt));
    if (a == 0.0) {
        *lo = 0.0, *hi = 1.0;
    } else if (v < 0.0 || dflt < 0.0) {
        *lo = -2.0 * a, *hi = (v > 0.0 || dflt > 0.0) ? 2.0 * a : 0.0;
    } else {
        *lo = 0.0, *hi = 2.0 * a;
    }
}

int migdev_scenario_knob(const migdev_scenario *s, int i, migdev_knob *out)
{
    if (i < 0 || i >= migdev_scenario_n_knobs(s))
        return -1;
    if (s->has_knobs) {
        const knob_decl *k = &s->knobs[i];
        *out = (migdev_knob){k->var, scenario_value(s, k->var), k->min, k->max, k->step,
                             k->label, k->doc, k->line};
        return 0;
    }
    const int var = s->ov[i].var;
    migdev_var_info vi;
    migdev_model_var(s->model, var, &vi);
    double lo, hi;
    default_range(s->ov[i].value, vi.value, &lo, &hi);
    *out = (migdev_knob){var, s->ov[i].value, lo, hi, (hi - lo) / MIGDEV_KNOB_STEPS, "", "", 0};
    return 0;
}

int migdev_scenario_set_engine(migdev_scenario *s, migdev_engine e, double expected_runs,
                               migdev_engine_info *info, migdev_error *err)
{
    return migdev_model_set_engine(s->model, e, &s->spec, expected_runs, info, err);
}
