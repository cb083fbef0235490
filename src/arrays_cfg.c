/*
** arrays_cfg.c - arrays in the native (libconfig) format, flattened before
** the model is read.
**
** The file's `dimensions` and the arrayed entries (`dimensions = [...]` in a
** constant, stock, flow or auxiliary) are handed to the XMILE reader's
** flattener (xmile/xarr.c, with the native lexer), so that both formats
** share one implementation of subscripts, reductions and per-element
** equations. What comes back, one scalar variable per element named
** "name[elem,elem]", is written into the libconfig tree in place of the
** arrayed entries: every reader of load_cfg.c then sees scalar entries only,
** with all their other fields (units, doc, source, provenance...) copied to
** each element. Nothing of the arrays is left for the run: no per-step
** lookup or allocation (see docs/design.md, "Arrays").
*/
#include "arrays_cfg.h"

#include "error_int.h"
#include "lexer.h"
#include "model_int.h"
#include "util.h"
#include "xmile/xarr.h"
#include "xmile/xdoc.h"
#include "xmile/xname.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_DIM_SIZE = 100000 };

/* The lists whose entries may be arrayed, and the field of each that holds
** the equation (or value). */
static const struct {
    const char *list, *field;
    xvar_kind kind;
} lists[] = {
    {"constants", "value", XV_AUX},
    {"stocks", "init", XV_STOCK},
    {"flows", "equation", XV_FLOW},
    {"auxiliaries", "equation", XV_AUX},
};
enum { N_LISTS = sizeof lists / sizeof lists[0] };

/* Where each variable handed to the flattener comes from. */
typedef struct origin {
    char *key;                 /* xname_key of its name */
    config_setting_t *list, *g;
    int which;                 /* index in lists[] */
    int arrayed;               /* it has dimensions */
    int stock_arrayed;         /* flows: the stock of from/to is arrayed */
    int table;                 /* an arrayed lookup or data entry (expanded
                                  already: only its dimensions are of use) */
} origin;

typedef struct actx {
    cfgfile *cf;
    xdoc doc;                  /* only dims is used */
    xmodel md;
    origin *org;
    int n_org, cap_org;
    int cap_vars;
} actx;

static int oom(actx *c) { return err_set(c->cf->err, MIGDEV_E_NOMEM, c->cf->path, 0, 0, "out of memory"); }

static int is_elem_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_' || ch == '.';
}

static int elem_name_ok(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!is_elem_char(*s))
            return 0;
    return 1;
}

/* ------------------------------------------------------------ dimensions */

static int read_dims(actx *c, const config_setting_t *l)
{
    cfgfile *cf = c->cf;
    const int t = config_setting_type(l);
    if (t != CONFIG_TYPE_LIST && !(t == CONFIG_TYPE_ARRAY && config_setting_length(l) == 0))
        return cfg_error(cf, l, MIGDEV_E_SYNTAX,
                         "'dimensions' must be a list of groups: dimensions = ( { name = "
                         "\"region\"; elements = [\"north\", \"south\"]; }, ... );");
    const int n = config_setting_length(l);
    c->doc.dims = calloc((size_t)n + 1, sizeof *c->doc.dims);
    if (!c->doc.dims)
        return oom(c);
    static const char *const fields[] = {"name", "elements", "size", "maps_to", "doc", NULL};
    for (int i = 0; i < n; i++) {
        const config_setting_t *g = config_setting_get_elem(l, (unsigned)i);
        if (config_setting_type(g) != CONFIG_TYPE_GROUP)
            return cfg_error(cf, g, MIGDEV_E_SYNTAX, "each entry of 'dimensions' must be a group { ... }");
        const config_setting_t *ns = config_setting_get_member(g, "name");
        if (!ns || config_setting_type(ns) != CONFIG_TYPE_STRING)
            return cfg_error(cf, ns ? ns : g, MIGDEV_E_SYNTAX,
                             "a dimension needs a name in quotes: name = \"region\";");
        const char *name = config_setting_get_string(ns);
        char what[300];
        snprintf(what, sizeof what, "dimension '%s'", name);
        int rc = cfg_check_fields(cf, g, fields, what);
        if (rc)
            return rc;
        if (!elem_name_ok(name) || !((name[0] >= 'a' && name[0] <= 'z') ||
                                     (name[0] >= 'A' && name[0] <= 'Z') || name[0] == '_'))
            return cfg_error(cf, ns, MIGDEV_E_NAME,
                             "'%s' is not a valid dimension name (letters, digits, '_' and '.', "
                             "starting with a letter or '_')",
                             name);
        for (int k = 0; k < c->doc.n_dims; k++)
            if (xname_equal(c->doc.dims[k].name, name))
                return cfg_error(cf, ns, MIGDEV_E_NAME, "dimension '%s' is defined twice", name);
        xdim *d = &c->doc.dims[c->doc.n_dims++];
        d->line = cfg_line(g);
        d->col = cfg_col(cf, g);
        if (!(d->name = strdup(name)))
            return oom(c);
        const config_setting_t *ms = config_setting_get_member(g, "maps_to");
        if (ms && config_setting_type(ms) != CONFIG_TYPE_STRING)
            return cfg_error(cf, ms, MIGDEV_E_TYPE,
                             "'maps_to' of %s must be the name of a dimension in quotes", what);
        if (ms && !(d->maps_to = strdup(config_setting_get_string(ms))))
            return oom(c);
        const config_setting_t *es = config_setting_get_member(g, "elements");
        const config_setting_t *ss = config_setting_get_member(g, "size");
        if (!!es == !!ss)
            return cfg_error(cf, g, MIGDEV_E_SYNTAX,
                             "%s needs either elements = [\"a\", \"b\", ...] or size = n", what);
        if (ss) {
            const double size = cfg_is_number(ss) ? cfg_number(ss) : 0;
            if (!(size >= 1 && size <= MAX_DIM_SIZE) || size != (double)(int)size)
                return cfg_error(cf, ss, MIGDEV_E_RANGE,
                                 "the size of %s must be a whole number from 1 to %d", what,
                                 MAX_DIM_SIZE);
            d->n = (int)size;
            if (!(d->elems = calloc((size_t)d->n, sizeof *d->elems)))
                return oom(c);
            for (int k = 0; k < d->n; k++) {
                char buf[16];
                snprintf(buf, sizeof buf, "%d", k + 1);
                if (!(d->elems[k] = strdup(buf)))
                    return oom(c);
            }
            continue;
        }
        const int et = config_setting_type(es);
        const int ne = config_setting_length(es);
        if ((et != CONFIG_TYPE_ARRAY && et != CONFIG_TYPE_LIST) || ne < 1 || ne > MAX_DIM_SIZE)
            return cfg_error(cf, es, MIGDEV_E_TYPE,
                             "the elements of %s must be a non-empty array of names in quotes",
                             what);
        if (!(d->elems = calloc((size_t)ne, sizeof *d->elems)))
            return oom(c);
        for (int k = 0; k < ne; k++) {
            const config_setting_t *e = config_setting_get_elem(es, (unsigned)k);
            if (config_setting_type(e) != CONFIG_TYPE_STRING)
                return cfg_error(cf, es, MIGDEV_E_TYPE,
                                 "the elements of %s must be names in quotes", what);
            const char *en = config_setting_get_string(e);
            if (!elem_name_ok(en))
                return cfg_error(cf, es, MIGDEV_E_NAME,
                                 "'%s' is not a valid element name in %s (letters, digits, '_' "
                                 "and '.')",
                                 en, what);
            for (int j = 0; j < d->n; j++)
                if (xname_equal(d->elems[j], en))
                    return cfg_error(cf, es, MIGDEV_E_NAME, "element '%s' appears twice in %s",
                                     en, what);
            if (!(d->elems[d->n++] = strdup(en)))
                return oom(c);
        }
    }
    /* a mapping names a dimension of as many elements */
    for (int i = 0; i < c->doc.n_dims; i++) {
        const xdim *d = &c->doc.dims[i];
        if (!d->maps_to)
            continue;
        const xdim *to = NULL;
        for (int k = 0; k < c->doc.n_dims && !to; k++)
            if (k != i && xname_equal(c->doc.dims[k].name, d->maps_to))
                to = &c->doc.dims[k];
        const config_setting_t *ms =
            config_setting_get_member(config_setting_get_elem(l, (unsigned)i), "maps_to");
        if (!to)
            return cfg_error(cf, ms, MIGDEV_E_NAME,
                             "dimension '%s' maps to '%s', which 'dimensions' does not define",
                             d->name, d->maps_to);
        if (to->n != d->n)
            return cfg_error(cf, ms, MIGDEV_E_RANGE,
                             "dimension '%s' (%d elements) maps to '%s' (%d elements): a mapping "
                             "pairs elements one to one, in order",
                             d->name, d->n, to->name, to->n);
    }
    return 0;
}

static int copy_setting(config_setting_t *parent, const config_setting_t *s, unsigned line);
static int copy_value(config_setting_t *d, const config_setting_t *s, unsigned line);
static xvar *new_var(actx *c);

/* ------------------------------------------------------------- variables */

static int has_bracket(const config_setting_t *s)
{
    if (!s)
        return 0;
    if (config_setting_type(s) == CONFIG_TYPE_STRING)
        return strchr(config_setting_get_string(s), '[') != NULL;
    if (config_setting_type(s) == CONFIG_TYPE_ARRAY || config_setting_type(s) == CONFIG_TYPE_LIST)
        for (int i = 0; i < config_setting_length(s); i++)
            if (has_bracket(config_setting_get_elem(s, (unsigned)i)))
                return 1;
    return 0;
}

/* Whether the model uses arrays at all. */
static int uses_arrays(const config_setting_t *root)
{
    if (config_setting_get_member(root, "dimensions"))
        return 1;
    static const char *const tables[] = {"lookups", "data"};
    for (size_t w = 0; w < sizeof tables / sizeof tables[0]; w++) {
        const config_setting_t *l = config_setting_get_member(root, tables[w]);
        for (int i = 0; l && i < config_setting_length(l); i++) {
            const config_setting_t *g = config_setting_get_elem(l, (unsigned)i);
            if (config_setting_type(g) == CONFIG_TYPE_GROUP &&
                config_setting_get_member(g, "dimensions"))
                return 1;
        }
    }
    for (int w = 0; w < N_LISTS; w++) {
        const config_setting_t *l = config_setting_get_member(root, lists[w].list);
        for (int i = 0; l && i < config_setting_length(l); i++) {
            const config_setting_t *g = config_setting_get_elem(l, (unsigned)i);
            if (config_setting_type(g) != CONFIG_TYPE_GROUP)
                continue;
            if (config_setting_get_member(g, "dimensions") ||
                config_setting_get_member(g, "elements") ||
                has_bracket(config_setting_get_member(g, lists[w].field)) ||
                has_bracket(config_setting_get_member(g, "name")))
                return 1;
        }
    }
    return 0;
}

/* A value (number or string) as equation text (owned); NULL when it is
** neither (the reader reports its type later: the text "0" stands in). */
static char *value_text(const config_setting_t *s)
{
    char buf[64];
    if (cfg_is_number(s)) {
        snprintf(buf, sizeof buf, "%.17g", cfg_number(s));
        return strdup(buf);
    }
    if (config_setting_type(s) == CONFIG_TYPE_STRING)
        return strdup(config_setting_get_string(s));
    return NULL;
}

static xvar *new_var(actx *c)
{
    if (util_grow((void **)&c->md.vars, &c->cap_vars, c->md.n_vars + 1, sizeof *c->md.vars) ||
        util_grow((void **)&c->org, &c->cap_org, c->n_org + 1, sizeof *c->org))
        return NULL;
    xvar *v = &c->md.vars[c->md.n_vars++];
    memset(v, 0, sizeof *v);
    v->non_negative = -1;
    memset(&c->org[c->n_org++], 0, sizeof *c->org);
    return v;
}

static int push_flow(actx *c, xvar *v, const char *ident, int line, int col, int is_outflow)
{
    xref *nf = realloc(v->flows, (size_t)(v->n_flows + 1) * sizeof *nf);
    if (!nf)
        return oom(c);
    v->flows = nf;
    nf[v->n_flows] = (xref){strdup(ident), line, col, is_outflow};
    if (!nf[v->n_flows++].ident)
        return oom(c);
    return 0;
}

/* A stock's inflows or outflows (a name or an array of names). */
static int read_flows(actx *c, xvar *v, const config_setting_t *g, const char *key, int is_outflow)
{
    const config_setting_t *l = config_setting_get_member(g, key);
    if (!l)
        return 0;
    const int line = cfg_line(l), col = cfg_col(c->cf, l);
    if (config_setting_type(l) == CONFIG_TYPE_STRING)
        return push_flow(c, v, config_setting_get_string(l), line, col, is_outflow);
    if (config_setting_type(l) != CONFIG_TYPE_ARRAY && config_setting_type(l) != CONFIG_TYPE_LIST)
        return cfg_error(c->cf, l, MIGDEV_E_TYPE,
                         "'%s' must be a list of flow names: %s = [\"a\", \"b\"];", key, key);
    for (int i = 0; i < config_setting_length(l); i++) {
        const config_setting_t *e = config_setting_get_elem(l, (unsigned)i);
        if (config_setting_type(e) != CONFIG_TYPE_STRING)
            return cfg_error(c->cf, l, MIGDEV_E_TYPE, "'%s' must hold flow names in quotes", key);
        const int rc = push_flow(c, v, config_setting_get_string(e), line, col, is_outflow);
        if (rc)
            return rc;
    }
    return 0;
}

/* Per-element equations: elements = ( { subscript = "a, b"; equation = "..."; }, ... ). */
static int read_elements(actx *c, xvar *v, const config_setting_t *g, const char *field,
                         const char *what)
{
    const config_setting_t *l = config_setting_get_member(g, "elements");
    if (!l)
        return 0;
    if (!v->n_dims)
        return cfg_error(c->cf, l, MIGDEV_E_SYNTAX,
                         "%s has per-element equations ('elements') but no 'dimensions'", what);
    if (config_setting_type(l) != CONFIG_TYPE_LIST)
        return cfg_error(c->cf, l, MIGDEV_E_SYNTAX,
                         "'elements' of %s must be a list of groups: elements = ( { subscript = "
                         "\"a\"; %s = ...; } );",
                         what, field);
    const char *fields[] = {"subscript", field, NULL};
    for (int i = 0; i < config_setting_length(l); i++) {
        const config_setting_t *e = config_setting_get_elem(l, (unsigned)i);
        if (config_setting_type(e) != CONFIG_TYPE_GROUP)
            return cfg_error(c->cf, l, MIGDEV_E_SYNTAX,
                             "each entry of 'elements' must be a group { subscript = ...; %s = "
                             "...; }",
                             field);
        int rc = cfg_check_fields(c->cf, e, fields, "a per-element equation");
        if (rc)
            return rc;
        const config_setting_t *ss = config_setting_get_member(e, "subscript");
        const config_setting_t *es = config_setting_get_member(e, field);
        if (!ss || config_setting_type(ss) != CONFIG_TYPE_STRING)
            return cfg_error(c->cf, ss ? ss : e, MIGDEV_E_SYNTAX,
                             "a per-element equation of %s needs subscript = \"elem, elem\"",
                             what);
        char *text = es ? value_text(es) : NULL;
        if (!text)
            return cfg_error(c->cf, es ? es : e, MIGDEV_E_TYPE,
                             "a per-element equation of %s needs %s = a number or an equation "
                             "in quotes",
                             what, field);
        xelement *ne = realloc(v->elems, (size_t)(v->n_elems + 1) * sizeof *ne);
        if (!ne) {
            free(text);
            return oom(c);
        }
        v->elems = ne;
        xelement *x = &v->elems[v->n_elems++];
        memset(x, 0, sizeof *x);
        x->eqn = text;
        x->line = cfg_line(e);
        x->col = cfg_col(c->cf, e);
        if (config_setting_type(es) == CONFIG_TYPE_STRING)
            cfg_string_pos(c->cf, es, &x->eq_line, &x->eq_col);
        else
            x->eq_line = cfg_line(es), x->eq_col = cfg_col(c->cf, es);
        if (!(x->subscript = strdup(config_setting_get_string(ss))))
            return oom(c);
    }
    return 0;
}

/* The equation of an entry: a number, a string, or an array of them (one
** per element, in order). */
static int read_eqn(actx *c, xvar *v, const config_setting_t *es, const char *what)
{
    if (!es)
        return 0; /* the reader reports the missing field */
    const int t = config_setting_type(es);
    if (t == CONFIG_TYPE_ARRAY || t == CONFIG_TYPE_LIST) {
        const int n = config_setting_length(es);
        if (!v->n_dims)
            return cfg_error(c->cf, es, MIGDEV_E_TYPE,
                             "%s has a list of values but no 'dimensions'", what);
        v->seq = calloc((size_t)n + 1, sizeof *v->seq);
        if (!v->seq)
            return oom(c);
        for (int i = 0; i < n; i++) {
            const config_setting_t *e = config_setting_get_elem(es, (unsigned)i);
            char *text = value_text(e);
            if (!text)
                return cfg_error(c->cf, es, MIGDEV_E_TYPE,
                                 "item %d of the values of %s is neither a number nor an "
                                 "equation in quotes",
                                 i + 1, what);
            xelement *x = &v->seq[v->n_seq++];
            x->eqn = text;
            x->eq_line = x->line = cfg_line(es);
            x->eq_col = x->col = cfg_col(c->cf, es);
        }
        if (n == 0)
            return cfg_error(c->cf, es, MIGDEV_E_TYPE, "%s has an empty list of values", what);
        v->eqn = strdup(v->seq[n - 1].eqn);
        v->eq_line = cfg_line(es);
        v->eq_col = cfg_col(c->cf, es);
        return v->eqn ? 0 : oom(c);
    }
    v->eqn = value_text(es);
    if (!v->eqn)
        return 0; /* a wrong type: the reader says so */
    if (t == CONFIG_TYPE_STRING)
        cfg_string_pos(c->cf, es, &v->eq_line, &v->eq_col);
    else
        v->eq_line = cfg_line(es), v->eq_col = cfg_col(c->cf, es);
    return 0;
}

static int read_vars(actx *c, config_setting_t *root)
{
    for (int w = 0; w < N_LISTS; w++) {
        config_setting_t *l = config_setting_get_member(root, lists[w].list);
        if (!l || config_setting_type(l) != CONFIG_TYPE_LIST)
            continue; /* the reader reports a wrong type */
        for (int i = 0; i < config_setting_length(l); i++) {
            config_setting_t *g = config_setting_get_elem(l, (unsigned)i);
            const config_setting_t *ns = g ? config_setting_get_member(g, "name") : NULL;
            if (config_setting_type(g) != CONFIG_TYPE_GROUP || !ns ||
                config_setting_type(ns) != CONFIG_TYPE_STRING)
                continue; /* reported by the reader */
            const char *name = config_setting_get_string(ns);
            if (strchr(name, '['))
                return cfg_error(c->cf, ns, MIGDEV_E_NAME,
                                 "'%s': an arrayed variable is declared by its name and its "
                                 "dimensions (name = \"x\"; dimensions = [\"d\"];)",
                                 name);
            xvar *v = new_var(c);
            if (!v)
                return oom(c);
            origin *o = &c->org[c->n_org - 1];
            o->list = l;
            o->g = g;
            o->which = w;
            v->kind = lists[w].kind;
            v->line = cfg_line(g);
            v->col = cfg_col(c->cf, g);
            if (!(v->name = strdup(name)) || !(v->engine = strdup(name)) ||
                !(v->key = xname_key(name)) || !(o->key = strdup(v->key)))
                return oom(c);
            char what[300];
            snprintf(what, sizeof what, "'%s'", name);
            const config_setting_t *ds = config_setting_get_member(g, "dimensions");
            if (ds) {
                const int dt = config_setting_type(ds);
                if ((dt != CONFIG_TYPE_ARRAY && dt != CONFIG_TYPE_LIST) ||
                    config_setting_length(ds) < 1)
                    return cfg_error(c->cf, ds, MIGDEV_E_TYPE,
                                     "the dimensions of %s must be an array of dimension names: "
                                     "dimensions = [\"region\"];",
                                     what);
                const int nd = config_setting_length(ds);
                if (!(v->dims = calloc((size_t)nd, sizeof *v->dims)))
                    return oom(c);
                for (int k = 0; k < nd; k++) {
                    const config_setting_t *e = config_setting_get_elem(ds, (unsigned)k);
                    if (config_setting_type(e) != CONFIG_TYPE_STRING)
                        return cfg_error(c->cf, ds, MIGDEV_E_TYPE,
                                         "the dimensions of %s must be names in quotes", what);
                    const char *dn = config_setting_get_string(e);
                    int known = 0;
                    for (int j = 0; j < c->doc.n_dims && !known; j++)
                        known = xname_equal(c->doc.dims[j].name, dn);
                    if (!known)
                        return cfg_error(c->cf, ds, MIGDEV_E_NAME,
                                         "%s uses the dimension '%s', which 'dimensions' does "
                                         "not define",
                                         what, dn);
                    if (!(v->dims[v->n_dims++] = strdup(dn)))
                        return oom(c);
                }
                o->arrayed = 1;
            }
            int rc = read_eqn(c, v, config_setting_get_member(g, lists[w].field), what);
            if (!rc)
                rc = read_elements(c, v, g, lists[w].field, what);
            if (!rc && v->kind == XV_STOCK && o->arrayed &&
                !(rc = read_flows(c, v, g, "inflows", 0)))
                rc = read_flows(c, v, g, "outflows", 1);
            if (rc)
                return rc;
        }
    }
    return 0;
}

static int find_org(const actx *c, const char *name)
{
    char *key = xname_key(name);
    int found = -1;
    for (int i = 0; key && found < 0 && i < c->n_org; i++)
        if (strcmp(c->org[i].key, key) == 0)
            found = i;
    free(key);
    return found;
}

/* A flow's from = "s" / to = "s" with an arrayed stock s: the stock lists
** the flow instead, so that each element of s gets the same element of the
** flow. */
static int flows_to_arrayed_stocks(actx *c)
{
    for (int i = 0; i < c->n_org; i++) {
        if (lists[c->org[i].which].kind != XV_FLOW)
            continue;
        for (int side = 0; side < 2; side++) {
            const config_setting_t *s = config_setting_get_member(c->org[i].g, side ? "to" : "from");
            if (!s || config_setting_type(s) != CONFIG_TYPE_STRING)
                continue;
            const int k = find_org(c, config_setting_get_string(s));
            if (k < 0 || !c->org[k].arrayed || lists[c->org[k].which].kind != XV_STOCK)
                continue;
            const int rc = push_flow(c, &c->md.vars[k], c->md.vars[i].name, cfg_line(s),
                                     cfg_col(c->cf, s), side == 0);
            if (rc)
                return rc;
            c->org[i].stock_arrayed = 1;
        }
    }
    return 0;
}

/* --------------------------------------------------- back into the tree */

static int copy_value(config_setting_t *d, const config_setting_t *s, unsigned line)
{
    d->line = line ? line : s->line;
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT: return config_setting_set_int(d, config_setting_get_int(s)) ? 0 : -1;
    case CONFIG_TYPE_INT64:
        return config_setting_set_int64(d, config_setting_get_int64(s)) ? 0 : -1;
    case CONFIG_TYPE_FLOAT:
        return config_setting_set_float(d, config_setting_get_float(s)) ? 0 : -1;
    case CONFIG_TYPE_BOOL: return config_setting_set_bool(d, config_setting_get_bool(s)) ? 0 : -1;
    case CONFIG_TYPE_STRING:
        return config_setting_set_string(d, config_setting_get_string(s)) ? 0 : -1;
    default:
        for (int i = 0; i < config_setting_length(s); i++)
            if (copy_setting(d, config_setting_get_elem(s, (unsigned)i), line))
                return -1;
        return 0;
    }
}

static int copy_setting(config_setting_t *parent, const config_setting_t *s, unsigned line)
{
    const int pt = config_setting_type(parent);
    config_setting_t *d = config_setting_add(
        parent, pt == CONFIG_TYPE_GROUP ? config_setting_name(s) : NULL, config_setting_type(s));
    return d ? copy_value(d, s, line) : -1;
}

/* Whether text is a plain number (written as a number, not a string). */
static int is_number(const char *text, double *x)
{
    char *end;
    while (*text == ' ')
        text++;
    *x = strtod(text, &end);
    if (end == text)
        return 0;
    while (*end == ' ')
        end++;
    return *end == '\0';
}

/* Set field of g to the equation text: a number when it is one. */
static int set_eqn(config_setting_t *g, const char *field, const char *text, unsigned line)
{
    config_setting_t *old = config_setting_get_member(g, field);
    if (old)
        line = old->line;
    config_setting_remove(g, field);
    double x;
    config_setting_t *s;
    if (is_number(text, &x)) {
        s = config_setting_add(g, field, CONFIG_TYPE_FLOAT);
        if (!s || !config_setting_set_float(s, x))
            return -1;
    } else {
        s = config_setting_add(g, field, CONFIG_TYPE_STRING);
        if (!s || !config_setting_set_string(s, text))
            return -1;
    }
    s->line = line;
    return 0;
}

/* The fields an element's group does not copy from its array's. */
static int skipped_field(const char *name)
{
    static const char *const skip[] = {"name", "dimensions", "elements", "value", "init",
                                       "equation", "inflows", "outflows", NULL};
    for (int i = 0; skip[i]; i++)
        if (strcmp(skip[i], name) == 0)
            return 1;
    return 0;
}

static int write_element(actx *c, const xvar *o, const origin *org)
{
    cfgfile *cf = c->cf;
    const config_setting_t *src = org->g;
    const unsigned line = src->line;
    config_setting_t *g = config_setting_add(org->list, NULL, CONFIG_TYPE_GROUP);
    if (!g)
        return oom(c);
    g->line = line;
    config_setting_t *ns = config_setting_add(g, "name", CONFIG_TYPE_STRING);
    if (!ns || !config_setting_set_string(ns, o->name))
        return oom(c);
    const config_setting_t *srcname = config_setting_get_member(src, "name");
    ns->line = srcname ? srcname->line : line;
    for (int i = 0; i < config_setting_length(src); i++) {
        const config_setting_t *m = config_setting_get_elem(src, (unsigned)i);
        const char *mn = config_setting_name(m);
        if (skipped_field(mn) ||
            (org->stock_arrayed && (!strcmp(mn, "from") || !strcmp(mn, "to"))))
            continue;
        if (copy_setting(g, m, 0))
            return oom(c);
    }
    const char *field = lists[org->which].field;
    const config_setting_t *fs = config_setting_get_member(src, field);
    if (o->eqn) {
        double x;
        if (org->which == 0 && !is_number(o->eqn, &x))
            return cfg_error(cf, fs ? fs : src, MIGDEV_E_TYPE,
                             "the value of constant '%s' must be a number, got '%s' (write an "
                             "expression as an auxiliary)",
                             o->name, o->eqn);
        if (set_eqn(g, field, o->eqn, fs ? fs->line : line))
            return oom(c);
    }
    for (int side = 0; side < 2 && o->n_flows; side++) {
        config_setting_t *a = NULL;
        for (int f = 0; f < o->n_flows; f++) {
            if (o->flows[f].is_outflow != side)
                continue;
            if (!a && !(a = config_setting_add(g, side ? "outflows" : "inflows", CONFIG_TYPE_ARRAY)))
                return oom(c);
            a->line = (unsigned)o->flows[f].line;
            config_setting_t *e = config_setting_add(a, NULL, CONFIG_TYPE_STRING);
            if (!e || !config_setting_set_string(e, o->flows[f].ident))
                return oom(c);
        }
    }
    return 0;
}

static int write_hoisted_in(actx *c, config_setting_t *g, const xvar *o);

/* The units of a reduction "f(x[...])" with f keeping its argument's units
** (sum, mean, min, max, stddev) and x an entry with units: x's; else NULL
** (the units checker still infers them). */
static const char *hoisted_units(const actx *c, const char *text)
{
    static const char *const keep[] = {"sum(", "mean(", "min(", "max(", "stddev(", NULL};
    const char *p = NULL;
    for (int i = 0; keep[i] && !p; i++)
        if (strncmp(text, keep[i], strlen(keep[i])) == 0)
            p = text + strlen(keep[i]);
    if (!p)
        return NULL;
    const char *lb = strchr(p, '[');
    const char *rb = lb ? strchr(lb, ']') : NULL;
    if (!lb || !rb || strcmp(rb, "])") != 0)
        return NULL;
    char name[256];
    if ((size_t)(lb - p) >= sizeof name)
        return NULL;
    memcpy(name, p, (size_t)(lb - p));
    name[lb - p] = '\0';
    const int k = find_org(c, name);
    const config_setting_t *us = k >= 0 ? config_setting_get_member(c->org[k].g, "units") : NULL;
    return us && config_setting_type(us) == CONFIG_TYPE_STRING ? config_setting_get_string(us) : NULL;
}

/* A reduction computed once: a new auxiliary at the end of the list. */
static int write_hoisted(actx *c, config_setting_t *l, const xvar *o)
{
    const char *units = o->doc ? hoisted_units(c, o->doc) : NULL;
    if (units) {
        config_setting_t *g = config_setting_add(l, NULL, CONFIG_TYPE_GROUP);
        config_setting_t *us = g ? config_setting_add(g, "units", CONFIG_TYPE_STRING) : NULL;
        if (!us || !config_setting_set_string(us, units))
            return oom(c);
        g->line = us->line = (unsigned)o->line;
        return write_hoisted_in(c, g, o);
    }
    config_setting_t *g = config_setting_add(l, NULL, CONFIG_TYPE_GROUP);
    return g ? write_hoisted_in(c, g, o) : oom(c);
}

static int write_hoisted_in(actx *c, config_setting_t *g, const xvar *o)
{
    config_setting_t *ns = config_setting_add(g, "name", CONFIG_TYPE_STRING);
    config_setting_t *es = ns ? config_setting_add(g, "equation", CONFIG_TYPE_STRING) : NULL;
    config_setting_t *ds = es ? config_setting_add(g, "doc", CONFIG_TYPE_STRING) : NULL;
    char doc[400];
    snprintf(doc, sizeof doc, "%s, computed once for every element", o->doc ? o->doc : "");
    if (!ds || !config_setting_set_string(ns, o->name) || !config_setting_set_string(es, o->eqn) ||
        !config_setting_set_string(ds, doc))
        return oom(c);
    g->line = ns->line = es->line = ds->line = (unsigned)o->line;
    return 0;
}

/* Each list rebuilt in its order: an arrayed entry replaced by its
** elements, a scalar one copied (its equation rewritten when it read
** elements), entries the flattener did not take (the reader reports them)
** copied as they are; the reductions computed once end the auxiliaries. */
static int write_back(actx *c, config_setting_t *root)
{
    const int n = c->md.n_vars;
    int *head = malloc((size_t)(c->n_org + 1) * sizeof *head);
    int *tail = malloc((size_t)(c->n_org + 1) * sizeof *tail);
    int *next = malloc((size_t)(n + 1) * sizeof *next);
    int rc = head && tail && next ? 0 : oom(c);
    for (int i = 0; !rc && i < c->n_org; i++)
        head[i] = tail[i] = -1;
    for (int i = 0; !rc && i < n; i++) {
        const xvar *o = &c->md.vars[i];
        const char *lb = strchr(o->name, '[');
        const size_t bn = lb ? (size_t)(lb - o->name) : strlen(o->name);
        char *base = malloc(bn + 1);
        if (!base) {
            rc = oom(c);
            break;
        }
        memcpy(base, o->name, bn);
        base[bn] = '\0';
        const int k = find_org(c, base);
        free(base);
        next[i] = -1;
        if (k < 0)
            continue; /* a reduction computed once */
        if (tail[k] >= 0)
            next[tail[k]] = i;
        else
            head[k] = i;
        tail[k] = i;
    }
    int k = 0; /* the origins come in list order */
    int n_old[N_LISTS] = {0};
    for (int w = 0; !rc && w < N_LISTS; w++) {
        config_setting_t *l = config_setting_get_member(root, lists[w].list);
        if (w == N_LISTS - 1 && !l) {
            int any = 0;
            for (int i = 0; i < n && !any; i++)
                any = next[i] == -1 && find_org(c, c->md.vars[i].name) < 0 &&
                      !strchr(c->md.vars[i].name, '[');
            if (any && !(l = config_setting_add(root, lists[w].list, CONFIG_TYPE_LIST)))
                rc = oom(c);
        }
        if (!l || rc || config_setting_type(l) != CONFIG_TYPE_LIST)
            continue;
        const int n_orig = config_setting_length(l);
        for (int j = 0; !rc && j < n_orig; j++) {
            config_setting_t *g = config_setting_get_elem(l, (unsigned)j);
            while (k < c->n_org && c->org[k].table)
                k++;
            const origin *org = k < c->n_org && c->org[k].g == g ? &c->org[k++] : NULL;
            if (!org || !org->arrayed) {
                if (copy_setting(l, g, 0)) {
                    rc = oom(c);
                    break;
                }
                const int hi = org ? head[org - c->org] : -1;
                config_setting_t *copy = config_setting_get_elem(l, (unsigned)config_setting_length(l) - 1);
                const char *field = lists[w].field;
                const config_setting_t *fs = config_setting_get_member(g, field);
                const int rewritten = fs && config_setting_type(fs) == CONFIG_TYPE_STRING &&
                                      hi >= 0 && c->md.vars[hi].eqn &&
                                      strcmp(c->md.vars[hi].eqn, config_setting_get_string(fs)) != 0;
                if (rewritten &&
                    set_eqn(copy, field, c->md.vars[hi].eqn, 0))
                    rc = oom(c);
                continue;
            }
            for (int i = head[org - c->org]; !rc && i >= 0; i = next[i])
                rc = write_element(c, &c->md.vars[i], org);
        }
        if (w == N_LISTS - 1)
            for (int i = 0; !rc && i < n; i++) {
                const xvar *o = &c->md.vars[i];
                if (!strchr(o->name, '[') && find_org(c, o->name) < 0)
                    rc = write_hoisted(c, l, o);
            }
        n_old[w] = n_orig;
    }
    /* the old entries go last: the reductions' units are read from them */
    for (int w = 0; !rc && w < N_LISTS; w++) {
        config_setting_t *l = config_setting_get_member(root, lists[w].list);
        for (int j = 0; l && j < n_old[w]; j++)
            config_setting_remove_elem(l, 0);
    }
    free(head);
    free(tail);
    free(next);
    return rc;
}

/* What the XMILE writer needs to write the arrays back (model_int.h). */
static int keep_arrays(actx *c, migdev_model *m)
{
    m->dims = calloc((size_t)c->doc.n_dims + 1, sizeof *m->dims);
    m->arrays = calloc((size_t)c->n_org + 1, sizeof *m->arrays);
    if (!m->dims || !m->arrays)
        return oom(c);
    for (int i = 0; i < c->doc.n_dims; i++) {
        const xdim *d = &c->doc.dims[i];
        model_dim *md = &m->dims[m->n_dims++];
        md->name = strdup(d->name);
        md->elems = calloc((size_t)d->n, sizeof *md->elems);
        if (!md->name || !md->elems)
            return oom(c);
        for (int k = 0; k < d->n; k++, md->n++)
            if (!(md->elems[k] = strdup(d->elems[k])))
                return oom(c);
    }
    for (int i = 0; i < c->n_org; i++) {
        if (!c->org[i].arrayed)
            continue;
        const config_setting_t *ds = config_setting_get_member(c->org[i].g, "dimensions");
        const config_setting_t *ns = config_setting_get_member(c->org[i].g, "name");
        model_array *a = &m->arrays[m->n_arrays++];
        if (!(a->name = strdup(config_setting_get_string(ns))))
            return oom(c);
        for (int k = 0; k < config_setting_length(ds) && k < 8; k++) {
            const char *dn = config_setting_get_string(config_setting_get_elem(ds, (unsigned)k));
            for (int j = 0; j < c->doc.n_dims; j++)
                if (xname_equal(c->doc.dims[j].name, dn))
                    a->dims[a->n_dims++] = j;
        }
    }
    return 0;
}

/* ---------------------------------------------------- lookups and data */

/* The tables that may be arrays, and their fields that may hold one value
** per element: a lookup's y (and x) as a list of arrays, ( [..], [..] ); a
** data entry's column (and file) as an array of names. */
static const struct {
    const char *list;
    const char *per_element[3];
    int list_only; /* per element only when written as a list ( ... ) */
} tables[] = {
    {"lookups", {"x", "y", NULL}, 1},
    {"data", {"column", "file", NULL}, 0},
};

static int is_per_element(int w, const config_setting_t *m)
{
    const char *name = config_setting_name(m);
    const int t = config_setting_type(m);
    for (int k = 0; tables[w].per_element[k]; k++)
        if (!strcmp(name, tables[w].per_element[k]))
            return tables[w].list_only ? t == CONFIG_TYPE_LIST
                                       : t == CONFIG_TYPE_LIST || t == CONFIG_TYPE_ARRAY;
    return 0;
}

/* An arrayed lookup or data entry becomes one entry per element, named
** "name[a,b]", with the per-element fields' k-th item; a placeholder
** variable lets reductions find its dimensions (x[*]). */
static int expand_table(actx *c, config_setting_t *l, const config_setting_t *g, int w)
{
    cfgfile *cf = c->cf;
    const config_setting_t *ns = config_setting_get_member(g, "name");
    const config_setting_t *ds = config_setting_get_member(g, "dimensions");
    if (!ns || config_setting_type(ns) != CONFIG_TYPE_STRING)
        return cfg_error(cf, g, MIGDEV_E_SYNTAX, "an arrayed entry of '%s' without a 'name'",
                         tables[w].list);
    const char *name = config_setting_get_string(ns);
    const int dt = config_setting_type(ds);
    const int nd = config_setting_length(ds);
    if ((dt != CONFIG_TYPE_ARRAY && dt != CONFIG_TYPE_LIST) || nd < 1 || nd > 8)
        return cfg_error(cf, ds, MIGDEV_E_TYPE,
                         "the dimensions of '%s' must be an array of one to 8 dimension names",
                         name);
    const xdim *dims[8];
    long total = 1;
    for (int k = 0; k < nd; k++) {
        const config_setting_t *e = config_setting_get_elem(ds, (unsigned)k);
        const char *dn = config_setting_type(e) == CONFIG_TYPE_STRING ? config_setting_get_string(e) : "";
        dims[k] = NULL;
        for (int j = 0; j < c->doc.n_dims && !dims[k]; j++)
            if (xname_equal(c->doc.dims[j].name, dn))
                dims[k] = &c->doc.dims[j];
        if (!dims[k])
            return cfg_error(cf, ds, MIGDEV_E_NAME,
                             "'%s' uses the dimension '%s', which 'dimensions' does not define",
                             name, dn);
        total *= dims[k]->n;
        if (total > MAX_DIM_SIZE)
            return cfg_error(cf, ds, MIGDEV_E_RANGE, "'%s' has more than %d elements", name,
                             MAX_DIM_SIZE);
    }
    for (int i = 0; i < config_setting_length(g); i++) {
        const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
        if (is_per_element(w, m) && config_setting_length(m) != total)
            return cfg_error(cf, m, MIGDEV_E_RANGE,
                             "'%s' has %ld elements, its '%s' gives %d (one per element, in "
                             "order)",
                             name, total, config_setting_name(m), config_setting_length(m));
    }
    /* a placeholder, so that x[*] knows the dimensions */
    xvar *v = new_var(c);
    if (!v)
        return oom(c);
    origin *o = &c->org[c->n_org - 1];
    o->table = 1;
    v->kind = XV_AUX;
    if (!(v->name = strdup(name)) || !(v->engine = strdup(name)) || !(v->key = xname_key(name)) ||
        !(o->key = strdup(v->key)) || !(v->dims = calloc((size_t)nd, sizeof *v->dims)))
        return oom(c);
    for (int k = 0; k < nd; k++)
        if (!(v->dims[v->n_dims++] = strdup(dims[k]->name)))
            return oom(c);
    int idx[8] = {0};
    for (long e = 0; e < total; e++) {
        config_setting_t *ng = config_setting_add(l, NULL, CONFIG_TYPE_GROUP);
        if (!ng)
            return oom(c);
        ng->line = g->line;
        char el[1024];
        size_t n = (size_t)snprintf(el, sizeof el, "%s", name);
        for (int k = 0; k < nd && n < sizeof el; k++)
            n += (size_t)snprintf(el + n, sizeof el - n, "%s%s", k ? "," : "[",
                                  dims[k]->elems[idx[k]]);
        if (n + 2 > sizeof el)
            return cfg_error(cf, ns, MIGDEV_E_NAME, "the element names of '%s' are too long", name);
        strcat(el, "]");
        for (int i = 0; i < config_setting_length(g); i++) {
            const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
            const char *mn = config_setting_name(m);
            if (!strcmp(mn, "dimensions"))
                continue;
            if (!strcmp(mn, "name")) {
                config_setting_t *s2 = config_setting_add(ng, "name", CONFIG_TYPE_STRING);
                if (!s2 || !config_setting_set_string(s2, el))
                    return oom(c);
                s2->line = m->line;
                continue;
            }
            if (is_per_element(w, m)) {
                const config_setting_t *item = config_setting_get_elem(m, (unsigned)e);
                config_setting_t *s2 = config_setting_add(ng, mn, config_setting_type(item));
                if (!s2 || copy_value(s2, item, m->line))
                    return oom(c);
                continue;
            }
            if (copy_setting(ng, m, 0))
                return oom(c);
        }
        for (int k = nd - 1; k >= 0; k--) {
            if (++idx[k] < dims[k]->n)
                break;
            idx[k] = 0;
        }
    }
    return 0;
}

static int expand_tables(actx *c, config_setting_t *root)
{
    for (int w = 0; w < (int)(sizeof tables / sizeof tables[0]); w++) {
        config_setting_t *l = config_setting_get_member(root, tables[w].list);
        if (!l || config_setting_type(l) != CONFIG_TYPE_LIST)
            continue;
        const int n = config_setting_length(l);
        int any = 0;
        for (int i = 0; i < n; i++) {
            const config_setting_t *g = config_setting_get_elem(l, (unsigned)i);
            any |= config_setting_type(g) == CONFIG_TYPE_GROUP &&
                   config_setting_get_member(g, "dimensions") != NULL;
        }
        if (!any)
            continue;
        /* rebuilt in order: each arrayed entry replaced by its elements */
        for (int i = 0; i < n; i++) {
            const config_setting_t *g = config_setting_get_elem(l, (unsigned)i);
            const int rc = config_setting_type(g) == CONFIG_TYPE_GROUP &&
                                   config_setting_get_member(g, "dimensions")
                               ? expand_table(c, l, g, w)
                               : (copy_setting(l, g, 0) ? oom(c) : 0);
            if (rc)
                return rc;
        }
        for (int i = 0; i < n; i++)
            config_setting_remove_elem(l, 0);
    }
    return 0;
}

int arrays_cfg_flatten(cfgfile *cf, migdev_model *m)
{
    config_setting_t *root = config_root_setting(&cf->cfg);
    if (!uses_arrays(root))
        return 0;
    actx c;
    memset(&c, 0, sizeof c);
    c.cf = cf;
    int rc = 0;
    const config_setting_t *dl = config_setting_get_member(root, "dimensions");
    if (dl)
        rc = read_dims(&c, dl);
    if (!rc)
        rc = expand_tables(&c, root);
    if (!rc)
        rc = read_vars(&c, root);
    if (!rc)
        rc = flows_to_arrayed_stocks(&c);
    if (!rc) {
        static const xarr_dialect native = {&lex_native_array_rules, 1};
        rc = xarr_flatten_vars(&c.doc, &c.md, cf->path, &native, cf->err);
    }
    if (!rc && m)
        rc = keep_arrays(&c, m); /* before write_back drops the arrayed entries */
    if (!rc)
        rc = write_back(&c, root);
    for (int i = 0; i < c.md.n_vars; i++)
        xdoc_free_var(&c.md.vars[i]);
    free(c.md.vars);
    for (int i = 0; i < c.n_org; i++)
        free(c.org[i].key);
    free(c.org);
    for (int i = 0; i < c.doc.n_dims; i++) {
        for (int k = 0; k < c.doc.dims[i].n; k++)
            free(c.doc.dims[i].elems[k]);
        free(c.doc.dims[i].elems);
        free(c.doc.dims[i].name);
        free(c.doc.dims[i].maps_to);
    }
    free(c.doc.dims);
    return rc;
}
