/*
** xbuild.c - an xdoc (xdoc.h) -> a compiled migdev model.
**
** Modules are flattened: every <module> instantiates its model, whose
** variables get the engine names "module.variable" (nested modules chain
** the prefixes). A <connect to="input" from="source"/> makes the input an
** alias: references to it resolve to the source, and the input itself is
** not simulated. Names are resolved here, with XMILE's equivalences, so the
** engine only sees canonical engine names.
*/
#include "xmile.h"
#include "xarr.h"

#include "cfgfile.h"
#include "consteval.h"
#include "error_int.h"
#include "lexer.h"
#include "migdev/run.h"
#include "model_int.h"
#include "util.h"
#include "xdoc.h"
#include "xexpr.h"
#include "xname.h"
#include "xtrans.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

enum { ENT_VAR, ENT_GF, ENT_VARGF }; /* kinds of name entries */

typedef struct entry {
    const char *key;
    int kind;
    int index;        /* variable or standalone gf */
} entry;

typedef struct scope {    /* the names of one model, sorted by key */
    entry *e;
    int n;
} scope;

typedef struct inst {     /* one instance of a model: the root or a module */
    int model;            /* index in d->models */
    char *prefix;         /* "" or "hares." */
    char **full;          /* model var -> engine name (prefix + name) */
    int parent, via;      /* parent instance and the module variable there */
    int *child;           /* model var -> child instance (modules), else -1 */
    int *alias_scope;     /* model var -> instance where alias_from resolves, -1 */
    const char **alias_from;
    int *alias_line;
    char *is_flow;        /* model var -> listed as a stock's inflow or outflow */
    int *var_lookup;      /* model var -> lookup of its embedded gf, -1 */
    int *gf_lookup;       /* standalone gf -> lookup index */
} inst;

typedef struct builder {
    xdoc *d;
    migdev_model *m;
    migdev_error *err;
    scope *scopes;        /* one per model */
    inst *in;
    int n_in;
    int cur;              /* instance of the equation being translated */
} builder;

static int oom(builder *b)
{
    return err_set(b->err, MIGDEV_E_NOMEM, b->d->file, 0, 0, "out of memory");
}

static char *concat(const char *a, const char *b)
{
    const size_t na = strlen(a), nb = strlen(b);
    char *s = malloc(na + nb + 1);
    if (s) {
        memcpy(s, a, na);
        memcpy(s + na, b, nb + 1);
    }
    return s;
}

/* ------------------------------------------------------------------ scopes */

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->key, ((const entry *)b)->key);
}

static const entry *scope_find(const scope *s, const char *key)
{
    int lo = 0, hi = s->n - 1;
    while (lo <= hi) {
        const int mid = lo + (hi - lo) / 2;
        const int c = strcmp(s->e[mid].key, key);
        if (!c)
            return &s->e[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

static int entry_line(const xmodel *md, const entry *e)
{
    return e->kind == ENT_GF ? md->gfs[e->index].line
           : e->kind == ENT_VARGF ? md->vars[e->index].gf.line
                                  : md->vars[e->index].line;
}

static int entry_col(const xmodel *md, const entry *e)
{
    return e->kind == ENT_GF ? md->gfs[e->index].col
           : e->kind == ENT_VARGF ? md->vars[e->index].gf.col
                                  : md->vars[e->index].col;
}

static int build_scope(builder *b, const xmodel *md, scope *s)
{
    s->e = malloc((size_t)(2 * md->n_vars + md->n_gfs + 1) * sizeof *s->e);
    if (!s->e)
        return oom(b);
    s->n = 0;
    char **gf_keys = calloc((size_t)(md->n_vars + md->n_gfs + 1), sizeof *gf_keys);
    if (!gf_keys) {
        free(s->e);
        s->e = NULL;
        return oom(b);
    }
    int n_keys = 0, rc = 0;
    for (int i = 0; i < md->n_vars; i++) {
        s->e[s->n++] = (entry){md->vars[i].key, ENT_VAR, i};
        const xgf *g = &md->vars[i].gf;
        if (g->present && !g->is_ref && g->name) {
            char *k = xname_key(g->name);
            if (!k) {
                rc = oom(b);
                break;
            }
            gf_keys[n_keys++] = k;
            if (strcmp(k, md->vars[i].key) != 0)
                s->e[s->n++] = (entry){k, ENT_VARGF, i};
        }
    }
    for (int i = 0; !rc && i < md->n_gfs; i++) {
        char *k = xname_key(md->gfs[i].name);
        if (!k) {
            rc = oom(b);
            break;
        }
        gf_keys[n_keys++] = k;
        s->e[s->n++] = (entry){k, ENT_GF, i};
    }
    if (!rc) {
        qsort(s->e, (size_t)s->n, sizeof *s->e, cmp_entry);
        for (int i = 1; i < s->n && !rc; i++)
            if (strcmp(s->e[i].key, s->e[i - 1].key) == 0) {
                const entry *x = &s->e[i - 1], *y = &s->e[i];
                const int lx = entry_line(md, x), ly = entry_line(md, y);
                const entry *later = ly >= lx ? y : x;
                rc = err_set(b->err, MIGDEV_E_NAME, b->d->file, ly >= lx ? ly : lx,
                             entry_col(md, later),
                             "duplicate name '%s' (names differing only in case, spaces or "
                             "underscores are the same; first defined at line %d)",
                             later->kind == ENT_VAR ? md->vars[later->index].name : later->key,
                             ly >= lx ? lx : ly);
            }
    }
    if (rc) {
        for (int i = 0; i < n_keys; i++)
            free(gf_keys[i]);
        free(gf_keys);
        free(s->e);
        s->e = NULL;
        s->n = 0;
        return rc;
    }
    /* store the owned keys after the entries (freed in free_scope) */
    entry *grown = realloc(s->e, (size_t)(s->n + n_keys + 1) * sizeof *s->e);
    if (!grown) {
        for (int i = 0; i < n_keys; i++)
            free(gf_keys[i]);
        free(gf_keys);
        free(s->e);
        s->e = NULL;
        s->n = 0;
        return oom(b);
    }
    s->e = grown;
    for (int i = 0; i < n_keys; i++)
        s->e[s->n + i] = (entry){gf_keys[i], -1, -1};
    s->e[s->n + n_keys] = (entry){NULL, -1, -1};
    free(gf_keys);
    return 0;
}

static void free_scope(scope *s)
{
    if (!s->e)
        return;
    for (int i = s->n; s->e[i].key; i++)
        free((char *)s->e[i].key);
    free(s->e);
}

/* --------------------------------------------------------------- instances */

static int find_model(const xdoc *d, const char *key)
{
    for (int i = 0; i < d->n_models; i++)
        if (d->models[i].key && strcmp(d->models[i].key, key) == 0)
            return i;
    return MIGDEV_E_NAME;
}

static int make_inst(builder *b, int model, const char *prefix, int parent, int via)
{
    const xmodel *md = &b->d->models[model];
    for (int p = parent; p >= 0; p = b->in[p].parent)
        if (b->in[p].model == model)
            return err_set(b->err, MIGDEV_E_CYCLE, b->d->file,
                           b->d->models[b->in[parent].model].vars[via].line,
                           b->d->models[b->in[parent].model].vars[via].col,
                           "module '%s' contains itself", md->name ? md->name : "?");
    if (b->n_in > 10000)
        return err_set(b->err, MIGDEV_E_RANGE, b->d->file, md->line, md->col, "too many modules");
    inst *ni = realloc(b->in, (size_t)(b->n_in + 1) * sizeof *ni);
    if (!ni)
        return oom(b);
    b->in = ni;
    const int me = b->n_in++;
    inst *I = &b->in[me];
    memset(I, 0, sizeof *I);
    const size_t nv = (size_t)md->n_vars + 1;
    I->model = model;
    I->parent = parent;
    I->via = via;
    I->prefix = concat(prefix, "");
    I->child = malloc(nv * sizeof *I->child);
    I->alias_scope = malloc(nv * sizeof *I->alias_scope);
    I->alias_from = calloc(nv, sizeof *I->alias_from);
    I->alias_line = calloc(nv, sizeof *I->alias_line);
    I->is_flow = calloc(nv, 1);
    I->var_lookup = malloc(nv * sizeof *I->var_lookup);
    I->gf_lookup = malloc(((size_t)md->n_gfs + 1) * sizeof *I->gf_lookup);
    I->full = calloc(nv, sizeof *I->full);
    if (!I->full)
        return oom(b);
    for (int v = 0; v < md->n_vars; v++)
        if (!(I->full[v] = concat(prefix, md->vars[v].engine)))
            return oom(b);
    if (!I->prefix || !I->child || !I->alias_scope || !I->alias_from || !I->alias_line ||
        !I->is_flow || !I->var_lookup || !I->gf_lookup)
        return oom(b);
    for (int v = 0; v < md->n_vars; v++)
        I->child[v] = I->alias_scope[v] = I->var_lookup[v] = -1;
    for (int v = 0; v < md->n_vars; v++) {
        const xvar *mv = &md->vars[v];
        if (mv->kind != XV_MODULE)
            continue;
        const int sub = find_model(b->d, mv->key);
        if (sub < 0)
            return err_set(b->err, MIGDEV_E_NAME, b->d->file, mv->line, mv->col,
                           "module '%s' has no <model name=\"%s\"> in the file", mv->name,
                           mv->name);
        char *cp = concat(b->in[me].prefix, mv->engine);
        char *cp2 = cp ? concat(cp, ".") : NULL;
        free(cp);
        if (!cp2)
            return oom(b);
        const int c = make_inst(b, sub, cp2, me, v);
        free(cp2);
        if (c < 0)
            return c;
        b->in[me].child[v] = c; /* b->in may have moved */
    }
    return me;
}

static void free_inst(inst *I, int n_vars)
{
    for (int v = 0; I->full && v < n_vars; v++)
        free(I->full[v]);
    free(I->full);
    free(I->prefix), free(I->child), free(I->alias_scope), free(I->alias_from);
    free(I->alias_line), free(I->is_flow), free(I->var_lookup), free(I->gf_lookup);
}

/* ---------------------------------------------------------------- resolving */

/* Count the parts of an identifier. */
static int n_parts(const char *id)
{
    int n = 1;
    for (const char *p = id; *p; p++)
        n += *p == XN_SEP;
    return n;
}

/* Key of part k of id (owned). */
static char *part_key(const char *id, int k)
{
    const char *s = id;
    for (int i = 0; i < k; i++)
        s = strchr(s, XN_SEP) + 1;
    const char *e = strchr(s, XN_SEP);
    const size_t n = e ? (size_t)(e - s) : strlen(s);
    char *p = malloc(n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    char *key = xname_key(p);
    free(p);
    return key;
}

static void shown_name(const char *id, char *buf, size_t n)
{
    snprintf(buf, n, "%s", id[0] == XN_SEP ? id + 1 : id);
    xname_dotted(buf);
}

/* Suggest the name closest to key in a scope (engine spelling), or NULL. */
static const char *suggest(const builder *b, int in, const char *key)
{
    const xmodel *md = &b->d->models[b->in[in].model];
    const scope *s = &b->scopes[b->in[in].model];
    name_hint h;
    name_hint_init(&h, key);
    for (int i = 0; i < s->n; i++)
        name_hint_offer(&h, s->e[i].key,
                        s->e[i].kind == ENT_VAR ? md->vars[s->e[i].index].engine : s->e[i].key);
    return h.best;
}

static int resolve_what(builder *b, int in, const char *id, int k, int follow, int depth,
                        int line, int col, const char *what, int *out_in, const entry **out_e);

/* Resolve part k.. of id in instance in. Sets *out_in and *e (the entry);
** follows connections (aliases) when follow is set. what names the kind of
** name in messages ("variable", "function"). */
static int resolve_from(builder *b, int in, const char *id, int k, int follow, int depth,
                        int line, int col, int *out_in, const entry **out_e)
{
    return resolve_what(b, in, id, k, follow, depth, line, col, "variable", out_in, out_e);
}

static int resolve_what(builder *b, int in, const char *id, int k, int follow, int depth,
                        int line, int col, const char *what, int *out_in, const entry **out_e)
{
    const int np = n_parts(id);
    char *key = part_key(id, k);
    if (!key)
        return oom(b);
    const xmodel *md = &b->d->models[b->in[in].model];
    const entry *e = scope_find(&b->scopes[b->in[in].model], key);
    char shown[300];
    if (!e) {
        shown_name(id, shown, sizeof shown);
        const char *sg = suggest(b, in, key);
        free(key);
        char where[200] = "";
        if (md->name)
            snprintf(where, sizeof where, " in module '%s'", md->name);
        if (sg)
            return err_set(b->err, MIGDEV_E_NAME, b->d->file, line, col,
                           "unknown %s '%s'%s (did you mean '%s'?)", what, shown, where, sg);
        return err_set(b->err, MIGDEV_E_NAME, b->d->file, line, col, "unknown %s '%s'%s", what,
                       shown, where);
    }
    free(key);
    if (k + 1 < np) {
        if (e->kind != ENT_VAR || md->vars[e->index].kind != XV_MODULE) {
            shown_name(id, shown, sizeof shown);
            return err_set(b->err, MIGDEV_E_NAME, b->d->file, line, col,
                           "'%s': '%s' is not a module", shown, md->vars[e->index].name);
        }
        return resolve_what(b, b->in[in].child[e->index], id, k + 1, follow, depth, line, col,
                            what, out_in, out_e);
    }
    if (follow && e->kind == ENT_VAR && b->in[in].alias_scope[e->index] >= 0) {
        if (depth > 64)
            return err_set(b->err, MIGDEV_E_CYCLE, b->d->file,
                           b->in[in].alias_line[e->index], 0,
                           "circular module connections through '%s'", md->vars[e->index].name);
        const char *src = b->in[in].alias_from[e->index];
        return resolve_from(b, b->in[in].alias_scope[e->index], src, src[0] == XN_SEP ? 1 : 0,
                            1, depth + 1, b->in[in].alias_line[e->index], 0, out_in, out_e);
    }
    *out_in = in;
    *out_e = e;
    return 0;
}

/* xt_resolve_fn for equations of instance b->cur. */
static int resolve_cb(void *ud, const char *ident, int called, int line, int col, xt_sym *out)
{
    builder *b = ud;
    int in;
    const entry *e;
    const int rc = resolve_what(b, b->cur, ident, ident[0] == XN_SEP ? 1 : 0, 1, 0, line, col,
                                called ? "function" : "variable", &in, &e);
    if (rc)
        return rc;
    const xmodel *md = &b->d->models[b->in[in].model];
    char shown[300];
    shown_name(ident, shown, sizeof shown);
    memset(out, 0, sizeof *out);
    if (e->kind == ENT_GF) {
        out->is_lookup = 1;
        out->lookup = b->in[in].gf_lookup[e->index];
        out->engine = b->m->lookups[out->lookup].name;
        return 0;
    }
    const xvar *v = &md->vars[e->index];
    if (e->kind == ENT_VARGF || (called && v->gf.present && b->in[in].var_lookup[e->index] >= 0)) {
        out->is_lookup = 1;
        out->lookup = b->in[in].var_lookup[e->index];
        out->engine = b->m->lookups[out->lookup].name;
        return 0;
    }
    if (v->kind == XV_MODULE)
        return err_set(b->err, MIGDEV_E_TYPE, b->d->file, line, col,
                       "'%s' is a module: name one of its variables, as %s.x", shown, shown);
    out->engine = b->in[in].full[e->index];
    return 0;
}

/* ------------------------------------------------------------- connections */

/* Apply the <connect>s of every module: each makes its "to" an alias of its
** "from". */
static int connect_all(builder *b)
{
    for (int p = 0; p < b->n_in; p++) {
        const xmodel *md = &b->d->models[b->in[p].model];
        for (int v = 0; v < md->n_vars; v++) {
            const xvar *mv = &md->vars[v];
            for (int k = 0; k < mv->n_conns; k++) {
                const xconnect *c = &mv->conns[k];
                /* to: in the module, or (leading '.') in this model; from: in
                   this model, module outputs qualified by their module */
                const int to_here = c->to[0] == XN_SEP;
                /* to="m.input" inside module m: the input qualified by the
                   module's own name, as Stella 10 writes it */
                int first = to_here ? 1 : 0;
                if (!to_here && n_parts(c->to) > 1) {
                    char *k0 = part_key(c->to, 0);
                    if (!k0)
                        return oom(b);
                    first = strcmp(k0, mv->key) == 0;
                    free(k0);
                }
                int ti;
                const entry *te;
                int rc = resolve_from(b, to_here ? p : b->in[p].child[v], c->to, first, 0, 0,
                                      c->line, c->col, &ti, &te);
                if (rc)
                    return rc;
                const xmodel *tm = &b->d->models[b->in[ti].model];
                if (te->kind != ENT_VAR || tm->vars[te->index].kind == XV_MODULE)
                    return err_set(b->err, MIGDEV_E_TYPE, b->d->file, c->line, c->col,
                                   "<connect to=...> must name a variable of module '%s'",
                                   mv->name);
                if (b->in[ti].alias_scope[te->index] >= 0)
                    return err_set(b->err, MIGDEV_E_NAME, b->d->file, c->line, c->col,
                                   "'%s' is connected twice (first at line %d)",
                                   tm->vars[te->index].name, b->in[ti].alias_line[te->index]);
                b->in[ti].alias_scope[te->index] = p;
                b->in[ti].alias_from[te->index] = c->from;
                b->in[ti].alias_line[te->index] = c->line;
            }
        }
    }
    /* every source must exist (and no circle of connections) */
    for (int i = 0; i < b->n_in; i++) {
        const xmodel *md = &b->d->models[b->in[i].model];
        for (int v = 0; v < md->n_vars; v++) {
            if (b->in[i].alias_scope[v] < 0)
                continue;
            int si;
            const entry *se;
            const char *src = b->in[i].alias_from[v];
            const int rc = resolve_from(b, b->in[i].alias_scope[v], src, src[0] == XN_SEP ? 1 : 0,
                                        1, 0, b->in[i].alias_line[v], 0, &si, &se);
            if (rc)
                return rc;
            const xmodel *sm = &b->d->models[b->in[si].model];
            if (se->kind != ENT_VAR || sm->vars[se->index].kind == XV_MODULE)
                return err_set(b->err, MIGDEV_E_TYPE, b->d->file, b->in[i].alias_line[v], 0,
                               "<connect from=...> must name a variable");
        }
    }
    return 0;
}

/* ------------------------------------------------------------------- flows */

/* Resolve the flows a stock lists (in its own model) and mark them. */
static int stock_flow(builder *b, int in, const xvar *stock, const xref *r, int *out_var)
{
    int fi;
    const entry *e;
    int rc = resolve_from(b, in, r->ident, 0, 0, 0, r->line, r->col, &fi, &e);
    if (rc)
        return rc;
    const xmodel *md = &b->d->models[b->in[in].model];
    if (fi != in || e->kind != ENT_VAR || md->vars[e->index].kind == XV_STOCK ||
        md->vars[e->index].kind == XV_MODULE)
        return err_set(b->err, MIGDEV_E_TYPE, b->d->file, r->line, r->col,
                       "stock '%s' lists '%s' as a flow, but it is not a flow of its model",
                       stock->name, fi == in && e->kind == ENT_VAR ? md->vars[e->index].name : "?");
    if (b->in[in].alias_scope[e->index] >= 0)
        return err_set(b->err, MIGDEV_E_TYPE, b->d->file, r->line, r->col,
                       "stock '%s' lists '%s', a module input, as a flow", stock->name,
                       md->vars[e->index].name);
    *out_var = e->index;
    return 0;
}

static int mark_flows(builder *b)
{
    for (int i = 0; i < b->n_in; i++) {
        const xmodel *md = &b->d->models[b->in[i].model];
        for (int v = 0; v < md->n_vars; v++) {
            const xvar *s = &md->vars[v];
            if (s->kind != XV_STOCK || b->in[i].alias_scope[v] >= 0)
                continue;
            for (int k = 0; k < s->n_flows; k++) {
                int f;
                const int rc = stock_flow(b, i, s, &s->flows[k], &f);
                if (rc)
                    return rc;
                b->in[i].is_flow[f] = 1; /* an aux listed as a flow is a flow */
            }
        }
    }
    return 0;
}

/* ----------------------------------------------------------------- lookups */

static int add_gf(builder *b, const xgf *g, const char *name, int *out)
{
    const int r = mb_add_lookup(b->m, name, g->x, g->y, g->n, g->kind, g->line, g->col, b->err);
    if (r < 0)
        return r;
    lookup_tbl *t = &b->m->lookups[r];
    if (util_set_str(&t->units, g->units) || util_set_str(&t->doc, g->doc) ||
        util_set_str(&t->source, g->source) || util_set_str(&t->x_units, g->x_units))
        return oom(b);
    *out = r;
    return 0;
}

static int add_lookups(builder *b)
{
    for (int i = 0; i < b->n_in; i++) {
        const xmodel *md = &b->d->models[b->in[i].model];
        for (int g = 0; g < md->n_gfs; g++) {
            char *en = xname_engine(md->gfs[g].name);
            char *full = en ? concat(b->in[i].prefix, en) : NULL;
            free(en);
            if (!full)
                return oom(b);
            const int rc = add_gf(b, &md->gfs[g], full, &b->in[i].gf_lookup[g]);
            free(full);
            if (rc)
                return rc;
        }
        for (int v = 0; v < md->n_vars; v++) {
            const xgf *g = &md->vars[v].gf;
            if (!g->present || g->is_ref || b->in[i].alias_scope[v] >= 0)
                continue;
            char *full = concat(b->in[i].full[v], "#gf");
            if (!full)
                return oom(b);
            const int rc = add_gf(b, g, full, &b->in[i].var_lookup[v]);
            free(full);
            if (rc)
                return rc;
        }
    }
    /* variables that use a named graphical function: <gf name="x"/> */
    for (int i = 0; i < b->n_in; i++) {
        const xmodel *md = &b->d->models[b->in[i].model];
        for (int v = 0; v < md->n_vars; v++) {
            const xgf *g = &md->vars[v].gf;
            if (!g->present || !g->is_ref)
                continue;
            b->cur = i;
            xt_sym s;
            const int rc = resolve_cb(b, g->name, 1, g->line, g->col, &s);
            if (rc)
                return rc;
            if (!s.is_lookup)
                return err_set(b->err, MIGDEV_E_TYPE, b->d->file, g->line, g->col,
                               "<gf name=\"%s\"/> in '%s' names no graphical function", g->name,
                               md->vars[v].name);
            b->in[i].var_lookup[v] = s.lookup;
        }
    }
    return 0;
}

/* --------------------------------------------------------------- variables */

static int default_nn(const builder *b, const xmodel *md, int is_stock)
{
    const int m = is_stock ? md->nn_stock : md->nn_flow;
    const int f = is_stock ? b->d->nn_stock : b->d->nn_flow;
    return m >= 0 ? m : (f >= 0 ? f : 0);
}

static char *trimmed_copy(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

static int add_var(builder *b, int in, int v)
{
    const xmodel *md = &b->d->models[b->in[in].model];
    const xvar *x = &md->vars[v];
    const char *full = b->in[in].full[v];
    const char *what = x->kind == XV_STOCK ? "stock" : x->kind == XV_FLOW ? "flow" : "aux";
    int empty = 1;
    node *tree = NULL;
    if (x->eqn)
        tree = xexpr_parse(x->eqn, b->d->file, x->eq_line, x->eq_col, &empty, b->err);
    if (!tree && !empty)
        return b->err ? b->err->code : MIGDEV_E_SYNTAX;
    if (!tree) {
        if (md->name)
            return err_set(b->err, MIGDEV_E_SYNTAX, b->d->file, x->line, x->col,
                           "%s '%s' of module '%s' has no equation (<eqn>) and no connection",
                           what, x->name, md->name);
        return err_set(b->err, MIGDEV_E_SYNTAX, b->d->file, x->line, x->col,
                       x->kind == XV_STOCK ? "stock '%s' has no initial value (<eqn>)"
                                           : "%s '%s' has no equation (<eqn>)",
                       x->kind == XV_STOCK ? x->name : what, x->name);
    }
    b->cur = in;
    const xt_ctx ctx = {b->d->file, b->err, resolve_cb, b, full};
    int rc = xt_translate(&ctx, &tree);
    if (rc) {
        node_free(tree);
        return rc;
    }
    const int lk = b->in[in].var_lookup[v];
    if (x->gf.present && x->kind != XV_STOCK) {
        node *call = node_new(N_CALL, tree->line, tree->col, b->m->lookups[lk].name,
                              strlen(b->m->lookups[lk].name));
        if (!call || node_push(call, tree) != 0) {
            node_free(call);
            return oom(b);
        }
        call->is_lookup = 1;
        call->fn = lk;
        tree = call;
    }
    char *text = trimmed_copy(x->eqn);
    if (!text) {
        node_free(tree);
        return oom(b);
    }
    const int is_flow = x->kind == XV_FLOW || b->in[in].is_flow[v];
    double value;
    int idx;
    if (x->kind == XV_AUX && !is_flow && !x->gf.present && !x->not_constant &&
        const_is_literal(tree, &value)) {
        node_free(tree);
        idx = mb_add_var(b->m, VK_CONST, full, x->line, x->col, NULL, x->eq_line, x->eq_col, b->err);
        if (idx >= 0)
            b->m->vars[idx].value = value;
    } else {
        const var_kind k = x->kind == XV_STOCK ? VK_STOCK : is_flow ? VK_FLOW : VK_AUX;
        idx = mb_add_var_tree(b->m, k, full, x->line, x->col, text, tree, x->eq_line, x->eq_col,
                              b->err);
    }
    free(text);
    if (idx < 0)
        return idx;
    if (mb_set_docs(b->m, idx, x->units, x->doc, x->source) != 0)
        return oom(b);
    b->m->vars[idx].units_line = x->units_line;
    b->m->vars[idx].units_col = x->units_col;
    if (x->kind == XV_STOCK || x->kind == XV_FLOW)
        b->m->vars[idx].non_negative =
            x->non_negative >= 0 ? x->non_negative : default_nn(b, md, x->kind == XV_STOCK);
    return 0;
}

/* How many stocks of instance i list flow f as an outflow (is_outflow) or
** an inflow. */
static int stocks_listing(builder *b, int i, int f, int is_outflow)
{
    const xmodel *md = &b->d->models[b->in[i].model];
    int n = 0;
    for (int v = 0; v < md->n_vars; v++) {
        const xvar *s = &md->vars[v];
        if (s->kind != XV_STOCK || b->in[i].alias_scope[v] >= 0)
            continue;
        for (int k = 0; k < s->n_flows; k++) {
            int g;
            if (s->flows[k].is_outflow == is_outflow &&
                stock_flow(b, i, s, &s->flows[k], &g) == 0 && g == f) {
                n++;
                break;
            }
        }
    }
    return n;
}

/* A flow that several stocks list on the same side (an outflow of two
** stocks) reaches each through a flow of its own, "flow (from stock)" or
** "flow (to stock)", whose value is the flow's: so a non-negative stock
** limits what it draws itself (XMILE 4.2: a non-negative stock cuts its
** outflows), and the other stocks, and the flow as reported, are left as
** they are. *name is set to the new flow's name (owned by the model). */
static int shadow_flow(builder *b, int i, int v, int f, const xref *r, const char **name)
{
    const char *flow = b->in[i].full[f], *stock = b->in[i].full[v];
    const size_t n = strlen(flow) + strlen(stock) + 16;
    char *shadow = malloc(n);
    if (!shadow)
        return oom(b);
    snprintf(shadow, n, "%s (%s %s)", flow, r->is_outflow ? "from" : "to", stock);
    node *ref = node_new(N_REF, r->line, r->col, flow, strlen(flow));
    if (!ref) {
        free(shadow);
        return oom(b);
    }
    const int idx = mb_add_var_tree(b->m, VK_FLOW, shadow, r->line, r->col, flow, ref, r->line,
                                    r->col, b->err);
    free(shadow);
    if (idx < 0)
        return idx;
    /* the units, doc and uniflow option of the flow it copies */
    int fi = -1;
    for (int k = 0; k < b->m->n_vars && fi < 0; k++)
        if (strcmp(b->m->vars[k].name, flow) == 0)
            fi = k;
    if (fi >= 0) {
        const variable *o = &b->m->vars[fi];
        char doc[300];
        snprintf(doc, sizeof doc, "'%s' as the stock '%s' takes it", flow, stock);
        if (mb_set_docs(b->m, idx, o->units, doc, "") != 0)
            return oom(b);
        b->m->vars[idx].non_negative = o->non_negative;
    }
    *name = b->m->vars[idx].name;
    return 0;
}

static int add_vars(builder *b)
{
    for (int i = 0; i < b->n_in; i++) {
        const xmodel *md = &b->d->models[b->in[i].model];
        for (int v = 0; v < md->n_vars; v++) {
            if (md->vars[v].kind == XV_MODULE || b->in[i].alias_scope[v] >= 0)
                continue;
            const int rc = add_var(b, i, v);
            if (rc)
                return rc;
        }
    }
    /* stocks and their flows, in priority order */
    for (int i = 0; i < b->n_in; i++) {
        const xmodel *md = &b->d->models[b->in[i].model];
        for (int v = 0; v < md->n_vars; v++) {
            const xvar *s = &md->vars[v];
            if (s->kind != XV_STOCK || b->in[i].alias_scope[v] >= 0)
                continue;
            for (int k = 0; k < s->n_flows; k++) {
                const xref *r = &s->flows[k];
                int f;
                int rc = stock_flow(b, i, s, r, &f);
                const char *flow = b->in[i].full[f];
                if (!rc && stocks_listing(b, i, f, r->is_outflow) > 1)
                    rc = shadow_flow(b, i, v, f, r, &flow);
                if (!rc)
                    rc = mb_attach(b->m, b->in[i].full[v], flow, r->is_outflow, r->line, r->col,
                                   b->err);
                if (rc)
                    return rc;
            }
        }
    }
    return 0;
}

/* --------------------------------------------------------------- sim specs */

static void merge_specs(xspecs *to, const xspecs *from)
{
    if (from->has_start)
        to->start = from->start, to->has_start = 1;
    if (from->has_stop)
        to->stop = from->stop, to->has_stop = 1;
    if (from->has_dt)
        to->dt = from->dt, to->has_dt = 1;
    if (from->has_save)
        to->save = from->save, to->has_save = 1;
    if (from->has_method)
        to->method = from->method, to->has_method = 1;
    if (from->time_units)
        to->time_units = from->time_units;
    if (from->line)
        to->line = from->line, to->col = from->col;
}

static int set_specs(builder *b)
{
    xspecs sp;
    memset(&sp, 0, sizeof sp);
    if (b->d->has_specs)
        merge_specs(&sp, &b->d->specs);
    const xmodel *root = &b->d->models[0];
    if (root->has_specs)
        merge_specs(&sp, &root->specs);
    if (!b->d->has_specs && !root->has_specs)
        return err_set(b->err, MIGDEV_E_SYNTAX, b->d->file, root->line, root->col,
                       "no <sim_specs> (start and stop times) in the file");
    if (!sp.has_start || !sp.has_stop)
        return err_set(b->err, MIGDEV_E_SYNTAX, b->d->file, sp.line, sp.col,
                       "<sim_specs> needs <start> and <stop>");
    if (!(sp.stop > sp.start))
        return err_set(b->err, MIGDEV_E_RANGE, b->d->file, sp.line, sp.col,
                       "the stop time (%g) must be greater than the start time (%g)", sp.stop,
                       sp.start);
    /* a submodel may repeat the specs, not change them */
    for (int i = 1; i < b->n_in; i++) {
        const xmodel *md = &b->d->models[b->in[i].model];
        if (!md->has_specs)
            continue;
        const xspecs *s = &md->specs;
        if ((s->has_start && s->start != sp.start) || (s->has_stop && s->stop != sp.stop) ||
            (s->has_dt && s->dt != (sp.has_dt ? sp.dt : 1.0)) ||
            (s->has_method && s->method != sp.method))
            return err_set(b->err, MIGDEV_E_UNSUPPORTED, b->d->file, s->line, s->col,
                           "model '%s' has its own <sim_specs>: submodels with another time "
                           "base are not supported",
                           md->name ? md->name : "?");
    }
    migdev_sim_spec *ms = &b->m->spec;
    ms->start = sp.start;
    ms->stop = sp.stop;
    ms->dt = sp.has_dt ? sp.dt : 1.0;
    ms->save_every = sp.has_save ? sp.save : 0.0;
    ms->method = sp.has_method ? sp.method : MIGDEV_EULER;
    migdev_error e2; /* a whole number of steps, save interval a multiple of dt... */
    migdev_error_clear(&e2);
    if (migdev_spec_check(ms, &e2) != 0)
        return err_set(b->err, e2.code, b->d->file, sp.line, sp.col, "<sim_specs>: %s", e2.message);
    if (sp.time_units) {
        char *tu = trimmed_copy(sp.time_units);
        if (!tu)
            return oom(b);
        free(b->m->time_units);
        b->m->time_units = tu;
        b->m->time_units_line = sp.line;
    }
    return 0;
}

/* ------------------------------------------------------------------- main */

static migdev_model *build(xdoc *d, migdev_error *err)
{
    builder b;
    memset(&b, 0, sizeof b);
    b.d = d;
    b.err = err;
    b.m = mb_new(d->file);
    if (!b.m) {
        err_set(err, MIGDEV_E_NOMEM, d->file, 0, 0, "out of memory");
        return NULL;
    }
    b.m->free_names = 1;
    int rc = 0;
    b.scopes = calloc((size_t)d->n_models, sizeof *b.scopes);
    if (!b.scopes)
        rc = oom(&b);
    for (int i = 0; !rc && i < d->n_models; i++)
        rc = build_scope(&b, &d->models[i], &b.scopes[i]);
    if (!rc) {
        const int r = make_inst(&b, 0, "", -1, -1);
        rc = r < 0 ? r : 0;
    }
    if (!rc)
        rc = connect_all(&b);
    if (!rc)
        rc = mark_flows(&b);
    if (!rc)
        rc = add_lookups(&b);
    if (!rc)
        rc = add_vars(&b);
    if (!rc)
        rc = set_specs(&b);
    if (!rc) {
        char *name = d->name && d->name[0] ? trimmed_copy(d->name) : util_path_stem(d->file);
        if (!name) {
            rc = oom(&b);
        } else {
            free(b.m->name);
            b.m->name = name;
        }
    }
    if (!rc && util_set_str(&b.m->doc, d->doc))
        rc = oom(&b);
    const xmodel *root = &d->models[0];
    for (int i = 0; !rc && i < root->n_loops; i++)
        rc = mb_add_loop(b.m, root->loops[i].name, (const char *const *)root->loops[i].vars,
                         root->loops[i].n, root->loops[i].line, err);
    if (!rc)
        rc = mb_compile(b.m, err);
    for (int i = 0; i < b.n_in; i++)
        free_inst(&b.in[i], d->models[b.in[i].model].n_vars);
    free(b.in);
    for (int i = 0; b.scopes && i < d->n_models; i++)
        free_scope(&b.scopes[i]);
    free(b.scopes);
    if (rc) {
        migdev_model_free(b.m);
        return NULL;
    }
    return b.m;
}

migdev_model *xmile_load(const char *path, const char *text, migdev_error *err)
{
    char *own = NULL;
    if (!text) {
        own = cfgfile_slurp(path, err);
        if (!own)
            return NULL;
        text = own;
    }
    xdoc d;
    migdev_model *m = NULL;
    if (xdoc_read(&d, path, text, strlen(text), err) == 0 && xarr_flatten(&d, err) == 0)
        m = build(&d, err);
    xdoc_free(&d);
    free(own);
    return m;
}

/* ----------------------------------------------------------------- sniffing */

int xmile_sniff_text(const char *text)
{
    const unsigned char *p = (const unsigned char *)text;
    if (p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
        p += 3;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return *p == '<';
}

int xmile_sniff_path(const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (dot && (!slash || dot > slash))
        for (const char *const *e = (const char *const[]){".xmile", ".stmx", ".itmx", ".xml", NULL};
             *e; e++)
            if (strcasecmp(dot, *e) == 0)
                return 1;
    /* only a regular file is looked into: a FIFO must not block here (the
       reader then refuses it with a message) */
    const int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return 0;
    struct stat st;
    char buf[256];
    ssize_t n = 0;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
        n = read(fd, buf, sizeof buf - 1);
    close(fd);
    buf[n > 0 ? n : 0] = '\0';
    return xmile_sniff_text(buf);
}
