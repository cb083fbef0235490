/*
** xdoc.c - read an XMILE file with libxml2 into the structures of xdoc.h.
**
** Strict parsing: no recovery, no network, no entity substitution; the
** first error libxml2 reports is returned with its line and column. Every
** element that matters is in the XMILE namespace; elements of other
** namespaces (isee:..., vendor extensions) are skipped.
*/
#include "xdoc.h"

#include "error_int.h"
#include "xexpr.h"
#include "xname.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const xmile_ns[] = {
    "http://docs.oasis-open.org/xmile/ns/XMILE/v1.0", /* the OASIS standard */
    "http://www.systemdynamics.org/XMILE",            /* drafts, still written by some tools */
};

typedef struct reader {
    xdoc *d;
    const char *text;      /* the file, for columns */
    long *line_off;        /* offset of each line (1-based) */
    int n_lines;
    const xmlChar *ns;     /* the XMILE namespace of this file */
    migdev_error *err;
    int is_oom;            /* an attribute could not be copied (see attr) */
} reader;

static int line_of(const xmlNode *n)
{
    return (int)xmlGetLineNo(n);
}

/* The column of n's start tag ('<'), when the tag is on the line libxml2
** gives for n; else 0 (unknown). */
static int element_col(const reader *r, const xmlNode *n)
{
    const int line = line_of(n);
    if (!r->text || line < 1 || line > r->n_lines || n->type != XML_ELEMENT_NODE)
        return 0;
    const char *ls = r->text + r->line_off[line];
    const size_t len = strcspn(ls, "\n");
    const size_t nl = strlen((const char *)n->name);
    for (size_t i = 0; i < len; i++) {
        if (ls[i] != '<')
            continue;
        size_t j = i + 1, k = j;
        while (k < len && (isalnum((unsigned char)ls[k]) || ls[k] == '_' || ls[k] == '-'))
            k++;
        if (k < len && ls[k] == ':') /* a prefix: <isee:spec */
            j = k + 1;
        if (j + nl <= len && strncmp(ls + j, (const char *)n->name, nl) == 0 &&
            (j + nl == len || !(isalnum((unsigned char)ls[j + nl]) || ls[j + nl] == '_' ||
                                ls[j + nl] == '-' || ls[j + nl] == ':')))
            return (int)i + 1;
    }
    return 0;
}

static int fail(reader *r, int code, const xmlNode *at, const char *fmt, ...)
    MIGDEV_PRINTF(4, 5);

static int fail(reader *r, int code, const xmlNode *at, const char *fmt, ...)
{
    char msg[480];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return err_set(r->err, code, r->d->file, at ? line_of(at) : 0, at ? element_col(r, at) : 0,
                   "%s", msg);
}

static int oom(reader *r)
{
    return err_set(r->err, MIGDEV_E_NOMEM, r->d->file, 0, 0, "out of memory");
}

/* ---------------------------------------------------------------- helpers */

static int is_x(const reader *r, const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->ns && xmlStrEqual(n->ns->href, r->ns) &&
           (!name || xmlStrEqual(n->name, (const xmlChar *)name));
}

/* An element of migdev's own namespace. */
static int is_m(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->ns &&
           xmlStrEqual(n->ns->href, (const xmlChar *)MIGDEV_XMILE_NS) &&
           xmlStrEqual(n->name, (const xmlChar *)name);
}

static const char *el_name(const xmlNode *n)
{
    return (const char *)n->name;
}

/* Text of an element (owned, NULL when out of memory). */
static char *text_of(const xmlNode *n)
{
    xmlChar *t = xmlNodeGetContent(n);
    char *s = strdup(t ? (const char *)t : "");
    xmlFree(t);
    return s;
}

/* A plain (namespace-free) attribute, owned, or NULL. Out of memory is
** noted in r (a NULL must not pass for an absent attribute): xdoc_read
** then fails with MIGDEV_E_NOMEM whatever else it reported. */
static char *attr(reader *r, const xmlNode *n, const char *name)
{
    xmlChar *a = xmlGetNoNsProp(n, (const xmlChar *)name);
    char *s = a ? strdup((const char *)a) : NULL;
    if (a && !s)
        r->is_oom = 1;
    xmlFree(a);
    return s;
}

/* An attribute by local name in any namespace (isee:save_interval), also
** with an undeclared prefix (then "isee:save_interval" is its name). */
static char *attr_any_ns(reader *r, const xmlNode *n, const char *local)
{
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        const char *an = (const char *)a->name, *colon = strrchr(an, ':');
        if (strcmp(an, local) == 0 || (!a->ns && colon && strcmp(colon + 1, local) == 0)) {
            xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
            char *s = strdup(v ? (const char *)v : "");
            if (!s)
                r->is_oom = 1;
            xmlFree(v);
            return s;
        }
    }
    return NULL;
}

static char *trim(char *s)
{
    if (!s)
        return s;
    char *a = s;
    while (isspace((unsigned char)*a))
        a++;
    char *e = a + strlen(a);
    while (e > a && isspace((unsigned char)e[-1]))
        *--e = '\0';
    memmove(s, a, strlen(a) + 1);
    return s;
}

static int parse_number(const char *s, double *out)
{
    char *end;
    errno = 0;
    while (isspace((unsigned char)*s))
        s++;
    if (!*s)
        return MIGDEV_E_SYNTAX;
    const double x = strtod(s, &end);
    while (isspace((unsigned char)*end))
        end++;
    if (*end || errno == ERANGE)
        return MIGDEV_E_SYNTAX;
    *out = x;
    return 0;
}

/* The number in an element's text. */
static int number_el(reader *r, const xmlNode *n, const char *what, double *out)
{
    char *t = text_of(n);
    if (!t)
        return oom(r);
    const int bad = parse_number(t, out) != 0;
    int rc = 0;
    if (bad)
        rc = fail(r, MIGDEV_E_SYNTAX, n, "%s must be a number, got '%.60s'", what, trim(t));
    free(t);
    return rc;
}

/* true/false text of a flag element (<non_negative/> alone means true). */
static int flag_el(reader *r, const xmlNode *n, int *out)
{
    char *t = trim(text_of(n));
    if (!t)
        return oom(r);
    int rc = 0;
    if (!*t || strcasecmp(t, "true") == 0)
        *out = 1;
    else if (strcasecmp(t, "false") == 0)
        *out = 0;
    else
        rc = fail(r, MIGDEV_E_SYNTAX, n, "<%s> must be empty, true or false, got '%.60s'",
                  el_name(n), t);
    free(t);
    return rc;
}

/* Column just after the '>' of n's start tag, found in the file's text
** (libxml2 keeps lines only); 1 when not found on the element's line. */
static int content_col(const reader *r, const xmlNode *n)
{
    const int line = line_of(n);
    if (line < 1 || line > r->n_lines)
        return 1;
    const char *ls = r->text + r->line_off[line];
    const size_t len = strcspn(ls, "\n");
    const char *name = el_name(n);
    const size_t nl = strlen(name);
    for (size_t i = 0; i < len; i++) {
        if (ls[i] != '<')
            continue;
        size_t j = i + 1, k = j;
        while (k < len && (isalnum((unsigned char)ls[k]) || ls[k] == '_' || ls[k] == '-'))
            k++;
        if (k < len && ls[k] == ':') /* a prefix: <x:eqn */
            j = k + 1;
        if (j + nl > len || strncmp(ls + j, name, nl) != 0 ||
            (j + nl < len && (isalnum((unsigned char)ls[j + nl]) || ls[j + nl] == '_')))
            continue;
        const char *gt = memchr(ls + j, '>', len - j);
        return gt ? (int)(gt - ls) + 2 : 1;
    }
    return 1;
}

/* ------------------------------------------------------ graphical functions */

static int parse_points(reader *r, const xmlNode *n, double **out, int *count)
{
    char *sep = attr(r, n, "sep");
    const char sepc = (sep && sep[0]) ? sep[0] : ',';
    free(sep);
    char *t = text_of(n);
    if (!t)
        return oom(r);
    int cap = 8, k = 0;
    double *v = malloc((size_t)cap * sizeof *v);
    if (!v) {
        free(t);
        return oom(r);
    }
    char *p = t;
    int rc = 0;
    for (;;) {
        char *e = strchr(p, sepc);
        if (e)
            *e = '\0';
        trim(p);
        if (*p || e) {
            double x;
            if (parse_number(p, &x) != 0) {
                rc = fail(r, MIGDEV_E_SYNTAX, n, "<%s>: '%.40s' is not a number (separator '%c')",
                          el_name(n), p, sepc);
                break;
            }
            if (k == cap) {
                double *nv = realloc(v, (size_t)(cap *= 2) * sizeof *v);
                if (!nv) {
                    rc = oom(r);
                    break;
                }
                v = nv;
            }
            v[k++] = x;
        }
        if (!e)
            break;
        p = e + 1;
    }
    free(t);
    if (!rc && k == 0)
        rc = fail(r, MIGDEV_E_SYNTAX, n, "<%s> holds no numbers", el_name(n));
    if (rc) {
        free(v);
        return rc;
    }
    *out = v;
    *count = k;
    return 0;
}

static int read_gf(reader *r, const xmlNode *g, xgf *gf)
{
    memset(gf, 0, sizeof *gf);
    gf->present = 1;
    gf->line = line_of(g);
    gf->col = element_col(r, g);
    gf->kind = LK_CONTINUOUS;
    char *name = attr(r, g, "name");
    if (name) {
        long bad;
        gf->name = xname_unescape(name, strlen(name), 0, &bad);
        free(name);
        if (!gf->name)
            return oom(r);
    }
    char *type = attr(r, g, "type"), *disc = attr(r, g, "discrete");
    int rc = 0;
    if (type) {
        trim(type);
        if (strcasecmp(type, "continuous") == 0)
            gf->kind = LK_CONTINUOUS;
        else if (strcasecmp(type, "extrapolate") == 0)
            gf->kind = LK_EXTRAPOLATE;
        else if (strcasecmp(type, "discrete") == 0)
            gf->kind = LK_DISCRETE;
        else
            rc = fail(r, MIGDEV_E_SYNTAX, g,
                      "unknown graphical function type '%.40s' (continuous, extrapolate or "
                      "discrete)",
                      type);
    } else if (disc && strcasecmp(trim(disc), "true") == 0) {
        gf->kind = LK_DISCRETE; /* older files: discrete="true" */
    }
    free(type);
    free(disc);
    if (rc)
        return rc;
    const xmlNode *xscale = NULL, *xpts = NULL, *ypts = NULL;
    for (const xmlNode *c = g->children; c; c = c->next) {
        char **doc = is_m(c, "units") ? &gf->units : is_m(c, "doc") ? &gf->doc
                     : is_m(c, "source") ? &gf->source : is_m(c, "x_units") ? &gf->x_units
                                                              : NULL;
        if (doc) {
            free(*doc);
            if (!(*doc = trim(text_of(c))))
                return oom(r);
        } else if (is_x(r, c, "xscale"))
            xscale = c;
        else if (is_x(r, c, "xpts"))
            xpts = c;
        else if (is_x(r, c, "ypts"))
            ypts = c;
    }
    if (!ypts && !xpts && !xscale) {
        if (!gf->name)
            return fail(r, MIGDEV_E_SYNTAX, g, "<gf> without points (<ypts>) or a name");
        gf->is_ref = 1;
        return 0;
    }
    if (!ypts)
        return fail(r, MIGDEV_E_SYNTAX, g, "graphical function without <ypts>");
    if ((rc = parse_points(r, ypts, &gf->y, &gf->n)) != 0)
        return rc;
    if (xpts) { /* xpts wins when both are given (some tools write both) */
        int nx = 0;
        if ((rc = parse_points(r, xpts, &gf->x, &nx)) != 0)
            return rc;
        if (nx != gf->n)
            return fail(r, MIGDEV_E_RANGE, xpts, "graphical function has %d x values but %d y values",
                        nx, gf->n);
        return 0;
    }
    if (!xscale)
        return fail(r, MIGDEV_E_SYNTAX, g, "graphical function without <xscale> or <xpts>");
    char *mn = attr(r, xscale, "min"), *mx = attr(r, xscale, "max");
    double lo = 0, hi = 0;
    if (!mn || !mx || parse_number(mn, &lo) != 0 || parse_number(mx, &hi) != 0)
        rc = fail(r, MIGDEV_E_SYNTAX, xscale, "<xscale> needs numbers min=\"...\" and max=\"...\"");
    free(mn);
    free(mx);
    if (rc)
        return rc;
    gf->x = malloc((size_t)gf->n * sizeof *gf->x);
    if (!gf->x)
        return oom(r);
    for (int i = 0; i < gf->n; i++)
        gf->x[i] = gf->n == 1 ? lo : lo + (hi - lo) * i / (gf->n - 1);
    if (gf->n > 1)
        gf->x[gf->n - 1] = hi;
    return 0;
}

static void free_gf(xgf *gf)
{
    free(gf->units);
    free(gf->x_units);
    free(gf->doc);
    free(gf->source);
    free(gf->name);
    free(gf->x);
    free(gf->y);
}

/* --------------------------------------------------------------- variables */

static int unsupported(reader *r, const xmlNode *at, const char *what, const char *whose,
                       const char *name)
{
    return fail(r, MIGDEV_E_UNSUPPORTED, at, "%s are not supported (<%s> in %s '%s')", what,
                el_name(at), whose, name);
}

static int push_ref(reader *r, const xmlNode *n, xref **a, int *count, int is_outflow)
{
    char *t = text_of(n);
    if (!t)
        return oom(r);
    const int line = line_of(n);
    char *id = xexpr_parse_name(t, r->d->file, line, content_col(r, n), r->err);
    free(t);
    if (!id)
        return r->err ? r->err->code : MIGDEV_E_SYNTAX;
    xref *na = realloc(*a, (size_t)(*count + 1) * sizeof **a);
    if (!na) {
        free(id);
        return oom(r);
    }
    *a = na;
    na[*count] = (xref){id, line, content_col(r, n), is_outflow};
    (*count)++;
    return 0;
}

static int read_connect(reader *r, const xmlNode *c, xvar *v)
{
    char *to = attr(r, c, "to"), *from = attr(r, c, "from");
    int rc = 0;
    if (!to || !from)
        rc = fail(r, MIGDEV_E_SYNTAX, c, "<connect> needs to=\"...\" and from=\"...\"");
    char *tid = rc ? NULL : xexpr_parse_name(to, r->d->file, line_of(c), 0, r->err);
    char *fid = (rc || !tid) ? NULL : xexpr_parse_name(from, r->d->file, line_of(c), 0, r->err);
    free(to);
    free(from);
    if (!rc && (!tid || !fid))
        rc = r->err ? r->err->code : MIGDEV_E_SYNTAX;
    xconnect *nc = rc ? NULL : realloc(v->conns, (size_t)(v->n_conns + 1) * sizeof *nc);
    if (!rc && !nc)
        rc = oom(r);
    if (rc) {
        free(tid);
        free(fid);
        return rc;
    }
    v->conns = nc;
    nc[v->n_conns++] = (xconnect){tid, fid, line_of(c), element_col(r, c)};
    return 0;
}

static int read_var(reader *r, const xmlNode *e, xvar *v)
{
    memset(v, 0, sizeof *v);
    v->non_negative = -1;
    v->line = line_of(e);
    v->col = element_col(r, e);
    const char *tag = el_name(e);
    v->kind = !strcmp(tag, "stock") ? XV_STOCK
              : !strcmp(tag, "flow") ? XV_FLOW
              : !strcmp(tag, "aux")  ? XV_AUX
                                     : XV_MODULE;
    char *name = attr(r, e, "name");
    if (!name || !trim(name)[0]) {
        free(name);
        return fail(r, MIGDEV_E_SYNTAX, e, "<%s> without a name", tag);
    }
    long bad;
    v->name = xname_unescape(name, strlen(name), 0, &bad);
    free(name);
    if (!v->name || !(v->engine = xname_engine(v->name)) || !(v->key = xname_key(v->name)))
        return oom(r);
    if (!v->engine[0])
        return fail(r, MIGDEV_E_NAME, e, "<%s> with an empty name", tag);
    if (xname_is_reserved(v->key))
        return fail(r, MIGDEV_E_NAME, e, "'%s' is a reserved XMILE name and cannot name a %s",
                    v->name, tag);
    if (v->kind == XV_MODULE) {
        char *res = attr(r, e, "resource");
        if (res) {
            free(res);
            return fail(r, MIGDEV_E_UNSUPPORTED, e,
                        "modules loaded from other files (resource=) are not supported "
                        "(module '%s')",
                        v->name);
        }
    }
    xmlChar *kc = xmlGetNsProp(e, (const xmlChar *)"constant", (const xmlChar *)MIGDEV_XMILE_NS);
    v->not_constant = kc && xmlStrEqual(kc, (const xmlChar *)"false");
    xmlFree(kc);
    int rc = 0;
    for (const xmlNode *c = e->children; c && !rc; c = c->next) {
        if (is_m(c, "source")) {
            free(v->source);
            if (!(v->source = trim(text_of(c))))
                rc = oom(r);
            continue;
        }
        if (c->type != XML_ELEMENT_NODE || !is_x(r, c, NULL))
            continue;
        const char *cn = el_name(c);
        if (v->kind == XV_MODULE) {
            if (!strcmp(cn, "connect"))
                rc = read_connect(r, c, v);
            else if (!strcmp(cn, "doc") || !strcmp(cn, "units") || !strcmp(cn, "display"))
                ; /* <display>: a pre-standard file's diagram position */
            else
                rc = fail(r, MIGDEV_E_UNSUPPORTED, c, "unsupported element <%s> in module '%s'",
                          cn, v->name);
            continue;
        }
        if (!strcmp(cn, "eqn")) {
            free(v->eqn);
            if (!(v->eqn = text_of(c)))
                rc = oom(r);
            v->eq_line = line_of(c);
            v->eq_col = content_col(r, c);
            xelement *ns = rc ? NULL : realloc(v->seq, (size_t)(v->n_seq + 1) * sizeof *ns);
            if (!rc && !ns)
                rc = oom(r);
            if (ns) {
                v->seq = ns;
                ns[v->n_seq] = (xelement){NULL, strdup(v->eqn), v->eq_line, v->eq_col,
                                          line_of(c), element_col(r, c), NULL};
                if (!ns[v->n_seq++].eqn)
                    rc = oom(r);
            }
        } else if (!strcmp(cn, "units")) {
            free(v->units);
            if (!(v->units = trim(text_of(c))))
                rc = oom(r);
            v->units_line = line_of(c);
            v->units_col = content_col(r, c);
        } else if (!strcmp(cn, "doc")) {
            free(v->doc);
            if (!(v->doc = trim(text_of(c))))
                rc = oom(r);
        } else if (!strcmp(cn, "inflow") && v->kind == XV_STOCK) {
            rc = push_ref(r, c, &v->flows, &v->n_flows, 0);
        } else if (!strcmp(cn, "outflow") && v->kind == XV_STOCK) {
            rc = push_ref(r, c, &v->flows, &v->n_flows, 1);
        } else if (!strcmp(cn, "non_negative")) {
            rc = flag_el(r, c, &v->non_negative); /* meaningless (ignored) on an aux */
        } else if (!strcmp(cn, "gf") && v->kind != XV_STOCK) {
            free_gf(&v->gf);
            rc = read_gf(r, c, &v->gf);
        } else if (!strcmp(cn, "dimensions")) {
            for (const xmlNode *g = c->children; g && !rc; g = g->next) {
                if (g->type != XML_ELEMENT_NODE || !is_x(r, g, "dim"))
                    continue;
                char *dn = attr(r, g, "name");
                char **nd = dn ? realloc(v->dims, (size_t)(v->n_dims + 1) * sizeof *nd) : NULL;
                if (!dn) {
                    rc = fail(r, MIGDEV_E_SYNTAX, g, "<dim> without a name in %s '%s'", tag,
                              v->name);
                } else if (!nd) {
                    free(dn);
                    rc = oom(r);
                } else {
                    v->dims = nd;
                    v->dims[v->n_dims++] = dn;
                }
            }
        } else if (!strcmp(cn, "element")) {
            xelement *ne = realloc(v->elems, (size_t)(v->n_elems + 1) * sizeof *ne);
            if (!ne)
                return oom(r);
            v->elems = ne;
            xelement *x = &v->elems[v->n_elems++];
            memset(x, 0, sizeof *x);
            x->line = line_of(c);
            x->col = element_col(r, c);
            x->subscript = attr(r, c, "subscript");
            if (!x->subscript)
                rc = fail(r, MIGDEV_E_SYNTAX, c, "<element> without a subscript in %s '%s'", tag,
                          v->name);
            for (const xmlNode *g = c->children; g && !rc; g = g->next) {
                if (g->type == XML_ELEMENT_NODE && is_x(r, g, "eqn")) {
                    free(x->eqn);
                    if (!(x->eqn = text_of(g)))
                        rc = oom(r);
                    x->eq_line = line_of(g);
                    x->eq_col = content_col(r, g);
                } else if (g->type == XML_ELEMENT_NODE && is_x(r, g, "gf")) {
                    /* this element's own graphical function (3.7.1) */
                    if (x->gf)
                        free_gf(x->gf);
                    else if (!(x->gf = malloc(sizeof *x->gf)))
                        return oom(r);
                    rc = read_gf(r, g, x->gf);
                }
            }
        } else if (!strcmp(cn, "conveyor")) {
            rc = unsupported(r, c, "conveyors", tag, v->name);
        } else if (!strcmp(cn, "queue") || !strcmp(cn, "overflow")) {
            rc = unsupported(r, c, "queues", tag, v->name);
        } else if (!strcmp(cn, "leak") || !strcmp(cn, "leak_integers")) {
            rc = unsupported(r, c, "conveyor leakages", tag, v->name);
        } else if (!strcmp(cn, "multiplier")) {
            rc = unsupported(r, c, "unit-conversion multipliers", tag, v->name);
        } else if (!strcmp(cn, "range") || !strcmp(cn, "scale") || !strcmp(cn, "format") ||
                   !strcmp(cn, "event_poster") || !strcmp(cn, "mathml") ||
                   !strcmp(cn, "display")) {
            /* display hints and events (which the standard lets us ignore);
               <display> is where pre-standard files put a diagram position */
        } else {
            rc = fail(r, MIGDEV_E_UNSUPPORTED, c, "unsupported element <%s> in %s '%s'", cn, tag,
                      v->name);
        }
    }
    if (!rc && v->n_seq > 1 && v->n_dims == 0)
        rc = fail(r, MIGDEV_E_SYNTAX, e, "%d <eqn>s in %s '%s', which has no <dimensions>",
                  v->n_seq, tag, v->name);
    return rc;
}

void xdoc_free_var(xvar *v)
{
    for (int i = 0; i < v->n_dims; i++)
        free(v->dims[i]);
    free(v->dims);
    for (int i = 0; i < v->n_elems; i++) {
        free(v->elems[i].subscript);
        free(v->elems[i].eqn);
        if (v->elems[i].gf)
            free_gf(v->elems[i].gf);
        free(v->elems[i].gf);
    }
    free(v->elems);
    for (int i = 0; i < v->n_seq; i++)
        free(v->seq[i].eqn);
    free(v->seq);
    free(v->name), free(v->engine), free(v->key), free(v->eqn), free(v->units), free(v->doc);
    for (int i = 0; i < v->n_flows; i++)
        free(v->flows[i].ident);
    free(v->flows);
    free(v->source);
    for (int i = 0; i < v->n_conns; i++) {
        free(v->conns[i].to);
        free(v->conns[i].from);
    }
    free(v->conns);
    free_gf(&v->gf);
}

/* -------------------------------------------------- sim specs and behavior */

static int read_specs(reader *r, const xmlNode *s, xspecs *sp)
{
    sp->line = line_of(s);
    sp->col = element_col(r, s);
    int rc = 0;
    char *m = attr(r, s, "method");
    if (m) {
        /* a list with fallbacks ("gear, rk4"): the first one we have */
        int found = 0;
        char *save = NULL;
        for (char *tok = strtok_r(m, ",", &save); tok && !found; tok = strtok_r(NULL, ",", &save)) {
            trim(tok);
            static const struct { const char *n; migdev_method m; } map[] = {
                {"euler", MIGDEV_EULER}, {"rk4", MIGDEV_RK4},
                {"rk2", MIGDEV_RK4}, /* XMILE 3.4.1: RK4 is RK2's fallback */
                {"rk45", MIGDEV_RKF45}, {"gear", MIGDEV_MSBDF}};
            for (size_t i = 0; i < sizeof map / sizeof map[0] && !found; i++)
                if (strcasecmp(tok, map[i].n) == 0) {
                    sp->method = map[i].m;
                    found = 1;
                }
            if (!found && strncmp(tok, "migdev.", 7) == 0 && migdev_method_parse(tok + 7) >= 0) {
                sp->method = (migdev_method)migdev_method_parse(tok + 7); /* migdev's files */
                found = 1;
            }
        }
        if (!found) {
            char *again = attr(r, s, "method");
            rc = fail(r, MIGDEV_E_UNSUPPORTED, s,
                      "unknown integration method '%.60s' (euler, rk4, rk2, rk45 or gear)",
                      again ? again : "");
            free(again);
        }
        sp->has_method = 1;
        free(m);
    }
    char *tu = attr(r, s, "time_units");
    if (tu) {
        free(sp->time_units);
        sp->time_units = trim(tu);
    }
    char *si = attr_any_ns(r, s, "save_interval");
    if (si && !rc) {
        if (parse_number(si, &sp->save) != 0 || !(sp->save > 0))
            rc = fail(r, MIGDEV_E_RANGE, s, "save_interval must be a positive number, got '%.40s'",
                      si);
        sp->has_save = 1;
    }
    free(si);
    for (const xmlNode *c = s->children; c && !rc; c = c->next) {
        if (is_x(r, c, "start")) {
            rc = number_el(r, c, "<start>", &sp->start);
            sp->has_start = 1;
        } else if (is_x(r, c, "stop")) {
            rc = number_el(r, c, "<stop>", &sp->stop);
            sp->has_stop = 1;
        } else if (is_x(r, c, "dt")) {
            rc = number_el(r, c, "<dt>", &sp->dt);
            char *rec = attr(r, c, "reciprocal");
            if (!rc && rec && strcasecmp(trim(rec), "true") == 0) {
                if (!(sp->dt > 0))
                    rc = fail(r, MIGDEV_E_RANGE, c, "a reciprocal <dt> must be positive");
                else
                    sp->dt = 1.0 / sp->dt;
            }
            free(rec);
            if (!rc && !(sp->dt > 0))
                rc = fail(r, MIGDEV_E_RANGE, c, "dt must be positive, got %g", sp->dt);
            sp->has_dt = 1;
        } else if (is_x(r, c, "savestep") || is_x(r, c, "save_step") ||
                   is_x(r, c, "save_interval")) {
            rc = number_el(r, c, "the save step", &sp->save);
            if (!rc && !(sp->save > 0))
                rc = fail(r, MIGDEV_E_RANGE, c, "the save step must be positive, got %g", sp->save);
            sp->has_save = 1;
        }
    }
    return rc;
}

static int read_behavior(reader *r, const xmlNode *b, int *nn_stock, int *nn_flow)
{
    int rc = 0;
    for (const xmlNode *c = b->children; c && !rc; c = c->next) {
        if (is_x(r, c, "non_negative")) {
            int f = 0;
            rc = flag_el(r, c, &f);
            *nn_stock = *nn_flow = f;
        } else if (is_x(r, c, "stock") || is_x(r, c, "flow")) {
            for (const xmlNode *cc = c->children; cc && !rc; cc = cc->next)
                if (is_x(r, cc, "non_negative")) {
                    int f = 0;
                    rc = flag_el(r, cc, &f);
                    *(is_x(r, c, "stock") ? nn_stock : nn_flow) = f;
                }
        }
    }
    return rc;
}

/* ------------------------------------------------------------------ models */

/* <migdev:loops><migdev:loop name="..."><migdev:variable>x</migdev:variable>... */
static int read_loops(reader *r, const xmlNode *ls, xmodel *m)
{
    for (const xmlNode *l = ls->children; l; l = l->next) {
        if (!is_m(l, "loop"))
            continue;
        xloop *nl = realloc(m->loops, (size_t)(m->n_loops + 1) * sizeof *nl);
        if (!nl)
            return oom(r);
        m->loops = nl;
        xloop *lp = &m->loops[m->n_loops++];
        memset(lp, 0, sizeof *lp);
        lp->line = line_of(l);
    lp->col = element_col(r, l);
        if (!(lp->name = attr(r, l, "name")))
            return fail(r, MIGDEV_E_SYNTAX, l, "<migdev:loop> without a name");
        for (const xmlNode *v = l->children; v; v = v->next) {
            if (!is_m(v, "variable"))
                continue;
            char **nv = realloc(lp->vars, (size_t)(lp->n + 1) * sizeof *nv);
            if (!nv)
                return oom(r);
            lp->vars = nv;
            if (!(lp->vars[lp->n] = trim(text_of(v))))
                return oom(r);
            lp->n++;
        }
    }
    return 0;
}

/* One element of <variables> (in_variables) or, in pre-standard files, of
** <model>: a variable, a module or a graphical function. Anything else is
** refused inside <variables> and skipped in <model> (its display, etc.). */
static int read_entity(reader *r, xmodel *m, const xmlNode *v, int in_variables)
{
    int rc = 0;
    const char *vn = el_name(v);
    if (!strcmp(vn, "stock") || !strcmp(vn, "flow") || !strcmp(vn, "aux") ||
        !strcmp(vn, "module")) {
        xvar *nv = realloc(m->vars, (size_t)(m->n_vars + 1) * sizeof *nv);
        if (!nv)
            return oom(r);
        m->vars = nv;
        rc = read_var(r, v, &m->vars[m->n_vars]);
        m->n_vars++; /* freed by xdoc_free even when incomplete */
    } else if (!strcmp(vn, "gf")) {
        xgf *ng = realloc(m->gfs, (size_t)(m->n_gfs + 1) * sizeof *ng);
        if (!ng)
            return oom(r);
        m->gfs = ng;
        rc = read_gf(r, v, &m->gfs[m->n_gfs]);
        m->n_gfs++;
        if (!rc && !m->gfs[m->n_gfs - 1].name)
            rc = fail(r, MIGDEV_E_SYNTAX, v, "a graphical function outside a "
                                             "variable needs a name");
        if (!rc && m->gfs[m->n_gfs - 1].is_ref)
            rc = fail(r, MIGDEV_E_SYNTAX, v, "graphical function '%s' has no points",
                      m->gfs[m->n_gfs - 1].name);
    } else if (!strcmp(vn, "group")) {
        /* groups only organize the diagram */
    } else if (in_variables) {
        rc = fail(r, MIGDEV_E_UNSUPPORTED, v, "unsupported element <%s> in <variables>", vn);
    }
    return rc;
}

static int read_model(reader *r, const xmlNode *e, xmodel *m)
{
    memset(m, 0, sizeof *m);
    m->nn_stock = m->nn_flow = -1;
    m->line = line_of(e);
    m->col = element_col(r, e);
    char *name = attr(r, e, "name");
    if (name && trim(name)[0]) {
        long bad;
        m->name = xname_unescape(name, strlen(name), 0, &bad);
        if (!m->name || !(m->key = xname_key(m->name))) {
            free(name);
            return oom(r);
        }
    }
    free(name);
    char *res = attr(r, e, "resource"), *enc = attr(r, e, "encryption-scheme");
    const int has_res = res != NULL, has_enc = enc != NULL;
    free(res);
    free(enc);
    if (has_res)
        return fail(r, MIGDEV_E_UNSUPPORTED, e,
                    "models stored in other files (resource=) are not supported");
    if (has_enc)
        return fail(r, MIGDEV_E_UNSUPPORTED, e, "encrypted models are not supported");
    int rc = 0;
    for (const xmlNode *c = e->children; c && !rc; c = c->next) {
        if (is_x(r, c, "sim_specs")) {
            m->has_specs = 1;
            rc = read_specs(r, c, &m->specs);
        } else if (is_x(r, c, "behavior")) {
            rc = read_behavior(r, c, &m->nn_stock, &m->nn_flow);
        } else if (is_m(c, "loops")) {
            rc = read_loops(r, c, m);
        } else if (is_x(r, c, "variables")) {
            for (const xmlNode *v = c->children; v && !rc; v = v->next) {
                if (v->type != XML_ELEMENT_NODE || !is_x(r, v, NULL))
                    continue;
                rc = read_entity(r, m, v, 1);
            }
        } else if (c->type == XML_ELEMENT_NODE && is_x(r, c, NULL)) {
            /* pre-standard files put the variables directly in <model> */
            rc = read_entity(r, m, c, 0);
        }
    }
    return rc;
}

static void free_model(xmodel *m)
{
    free(m->name);
    free(m->key);
    for (int i = 0; i < m->n_vars; i++)
        xdoc_free_var(&m->vars[i]);
    free(m->vars);
    for (int i = 0; i < m->n_gfs; i++)
        free_gf(&m->gfs[i]);
    free(m->gfs);
    free(m->specs.time_units);
    for (int i = 0; i < m->n_loops; i++) {
        for (int k = 0; k < m->loops[i].n; k++)
            free(m->loops[i].vars[k]);
        free(m->loops[i].vars);
        free(m->loops[i].name);
    }
    free(m->loops);
}

static int push_str(char ***a, int *n, char *s)
{
    char **na = s ? realloc(*a, (size_t)(*n + 1) * sizeof *na) : NULL;
    if (!na) {
        free(s);
        return -1;
    }
    *a = na;
    (*a)[(*n)++] = s;
    return 0;
}

/* The top-level <dimensions>: each <dim name> with its <elem name>s, or
** size="n" (elements 1..n). */
static int read_dims(reader *r, const xmlNode *e, xdoc *d)
{
    int rc = 0;
    for (const xmlNode *g = e->children; g && !rc; g = g->next) {
        if (g->type != XML_ELEMENT_NODE || !is_x(r, g, "dim"))
            continue;
        xdim *nd = realloc(d->dims, (size_t)(d->n_dims + 1) * sizeof *nd);
        if (!nd)
            return oom(r);
        d->dims = nd;
        xdim *x = &d->dims[d->n_dims++];
        memset(x, 0, sizeof *x);
        x->line = line_of(g);
        x->col = element_col(r, g);
        x->name = attr(r, g, "name");
        if (!x->name)
            return fail(r, MIGDEV_E_SYNTAX, g, "<dim> without a name");
        for (const xmlNode *el = g->children; el && !rc; el = el->next)
            if (el->type == XML_ELEMENT_NODE && is_x(r, el, "elem")) {
                char *en = attr(r, el, "name");
                if (!en)
                    rc = fail(r, MIGDEV_E_SYNTAX, el, "<elem> without a name in <dim> '%s'",
                              x->name);
                else if (push_str(&x->elems, &x->n, en))
                    rc = oom(r);
            }
        char *size = attr(r, g, "size");
        if (!rc && size && x->n == 0) {
            char *end;
            const long k = strtol(size, &end, 10);
            if (end == size || k < 1 || k > 100000)
                rc = fail(r, MIGDEV_E_SYNTAX, g, "<dim> '%s': bad size \"%s\"", x->name, size);
            for (long i = 1; !rc && i <= k; i++) {
                char buf[32];
                snprintf(buf, sizeof buf, "%ld", i);
                if (push_str(&x->elems, &x->n, strdup(buf)))
                    rc = oom(r);
            }
        }
        free(size);
        if (!rc && x->n == 0)
            rc = fail(r, MIGDEV_E_SYNTAX, g, "<dim> '%s' has no elements", x->name);
    }
    return rc;
}

static int read_header(reader *r, const xmlNode *h)
{
    for (const xmlNode *c = h->children; c; c = c->next) {
        if (is_x(r, c, "name")) {
            free(r->d->name);
            if (!(r->d->name = trim(text_of(c))))
                return oom(r);
        } else if (is_m(c, "doc")) {
            free(r->d->doc);
            if (!(r->d->doc = trim(text_of(c))))
                return oom(r);
        } else if (is_x(r, c, "includes")) {
            for (const xmlNode *i = c->children; i; i = i->next)
                if (is_x(r, i, "include"))
                    return fail(r, MIGDEV_E_UNSUPPORTED, i, "included files are not supported");
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- parsing */

typedef struct first_error {
    int set;
    int line, col;
    char msg[300];
} first_error;

/* libxml2 reports through the parser context's structured handler, so no
** global state is touched and nothing is printed. */
static void on_error(void *ctx, xmlErrorPtr e)
{
    const xmlParserCtxtPtr pc = ctx;
    first_error *fe = pc ? pc->_private : NULL;
    if (!fe || fe->set || !e || e->level < XML_ERR_ERROR)
        return;
    /* An undeclared prefix (xmutil writes <isee:prefs> without xmlns:isee)
       breaks a namespace rule, not well-formedness: the element is parsed
       whole, named "isee:prefs" in no namespace, and skipped like any other
       vendor element. Every other error stops the reading. */
    if (e->domain == XML_FROM_NAMESPACE && e->code == XML_NS_ERR_UNDEFINED_NAMESPACE)
        return;
    fe->set = 1;
    fe->line = e->line;
    fe->col = e->int2;
    snprintf(fe->msg, sizeof fe->msg, "%s", e->message ? e->message : "malformed XML");
    size_t n = strlen(fe->msg);
    while (n && (fe->msg[n - 1] == '\n' || fe->msg[n - 1] == ' '))
        fe->msg[--n] = '\0';
}

/* <model_units>: each <unit name="..."> may have <alias>es, other names of
** the same unit (Stella writes <alias>mo</alias> in Months). */
typedef struct ualias {
    char *alias, *name;
} ualias;

typedef struct ualiases {
    ualias *a;
    int n;
} ualiases;

static int read_model_units(reader *r, const xmlNode *mu, ualiases *ua)
{
    for (const xmlNode *u = mu->children; u; u = u->next) {
        if (u->type != XML_ELEMENT_NODE || !is_x(r, u, "unit"))
            continue;
        char *name = attr(r, u, "name");
        if (!name || !trim(name)[0]) {
            free(name);
            return fail(r, MIGDEV_E_SYNTAX, u, "<unit> without a name in <model_units>");
        }
        for (const xmlNode *a = u->children; a; a = a->next) {
            if (a->type != XML_ELEMENT_NODE || !is_x(r, a, "alias"))
                continue;
            char *al = trim(text_of(a));
            char *nm = strdup(name);
            ualias *na = al && nm ? realloc(ua->a, (size_t)(ua->n + 1) * sizeof *na) : NULL;
            if (!na) {
                free(al), free(nm), free(name);
                return oom(r);
            }
            ua->a = na;
            ua->a[ua->n++] = (ualias){al, nm};
        }
        free(name);
    }
    return 0;
}

/* units with every alias replaced by its unit's name: a unit is what stands
** between the operators * / ^ ( ) (blanks around it trimmed). Owned; NULL
** when out of memory; units itself when nothing changes. */
static char *unalias(char *units, const ualiases *ua)
{
    if (!units || !ua->n)
        return units;
    size_t cap = strlen(units) + 1, n = 0;
    for (int i = 0; i < ua->n; i++)
        cap += strlen(units) * strlen(ua->a[i].name); /* enough for every part replaced */
    char *out = malloc(cap);
    if (!out)
        return NULL;
    int changed = 0;
    for (const char *p = units; *p;) {
        const size_t len = strcspn(p, "*/^()");
        size_t a = 0, b = len;
        while (a < b && isspace((unsigned char)p[a]))
            a++;
        while (b > a && isspace((unsigned char)p[b - 1]))
            b--;
        const char *rep = NULL;
        char part[256];
        snprintf(part, sizeof part, "%.*s", (int)(b - a), p + a);
        for (int i = 0; b > a && !rep && i < ua->n; i++)
            if (xname_equal(part, ua->a[i].alias))
                rep = ua->a[i].name;
        if (rep) {
            memcpy(out + n, p, a);
            n += a;
            memcpy(out + n, rep, strlen(rep));
            n += strlen(rep);
            memcpy(out + n, p + b, len - b);
            n += len - b;
            changed = 1;
        } else {
            memcpy(out + n, p, len);
            n += len;
        }
        p += len;
        if (*p)
            out[n++] = *p++;
    }
    out[n] = '\0';
    if (!changed) {
        free(out);
        return units;
    }
    free(units);
    return out;
}

/* Replace the aliases in every unit of the document: 0 or -1 (memory). */
static int apply_aliases(xdoc *d, const ualiases *ua)
{
    if (!ua->n)
        return 0;
    if (d->specs.time_units && !(d->specs.time_units = unalias(d->specs.time_units, ua)))
        return -1;
    for (int m = 0; m < d->n_models; m++) {
        xmodel *md = &d->models[m];
        if (md->specs.time_units && !(md->specs.time_units = unalias(md->specs.time_units, ua)))
            return -1;
        for (int i = 0; i < md->n_vars; i++) {
            if (md->vars[i].units && !(md->vars[i].units = unalias(md->vars[i].units, ua)))
                return -1;
            if (md->vars[i].gf.units && !(md->vars[i].gf.units = unalias(md->vars[i].gf.units, ua)))
                return -1;
        }
        for (int i = 0; i < md->n_gfs; i++)
            if (md->gfs[i].units && !(md->gfs[i].units = unalias(md->gfs[i].units, ua)))
                return -1;
    }
    return 0;
}

void xdoc_global_init(void)
{
    xmlInitParser();
}

int xdoc_read(xdoc *d, const char *file, const char *text, size_t len, migdev_error *err)
{
    memset(d, 0, sizeof *d);
    d->nn_stock = d->nn_flow = -1;
    reader r = {d, text, NULL, 0, NULL, err, 0};
    if (!(d->file = strdup(file)))
        return oom(&r);
    /* line offsets, for columns */
    int lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    r.line_off = malloc((size_t)(lines + 2) * sizeof *r.line_off);
    if (!r.line_off)
        return oom(&r);
    r.n_lines = lines;
    r.line_off[1] = 0;
    for (size_t i = 0, l = 1; i < len; i++)
        if (text[i] == '\n')
            r.line_off[++l] = (long)i + 1;

    if (len > (size_t)0x7fffffff) {
        free(r.line_off);
        return err_set(err, MIGDEV_E_RANGE, file, 0, 0, "file too large");
    }
    xmlParserCtxtPtr pc = xmlNewParserCtxt();
    if (!pc) {
        free(r.line_off);
        return oom(&r);
    }
    first_error fe = {0, 0, 0, ""};
    pc->_private = &fe;
    pc->sax->serror = on_error;
    xmlDocPtr doc = xmlCtxtReadMemory(pc, text, (int)len, file, NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                          XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA);
    int rc = 0;
    ualiases ua = {NULL, 0};
    if (!doc || !pc->wellFormed || fe.set) {
        if (fe.set)
            rc = err_set(err, MIGDEV_E_SYNTAX, file, fe.line, fe.col > 0 ? fe.col : 0,
                         "malformed XML: %s", fe.msg);
        else
            rc = err_set(err, MIGDEV_E_SYNTAX, file, 0, 0, "malformed XML");
        goto done;
    }
    const xmlNode *root = xmlDocGetRootElement(doc);
    if (!root) {
        rc = err_set(err, MIGDEV_E_SYNTAX, file, 0, 0, "empty XML document");
        goto done;
    }
    if (!xmlStrEqual(root->name, (const xmlChar *)"xmile")) {
        rc = fail(&r, MIGDEV_E_SYNTAX, root, "the root element is <%s>, not <xmile>",
                  el_name(root));
        goto done;
    }
    for (size_t i = 0; i < sizeof xmile_ns / sizeof xmile_ns[0] && root->ns; i++)
        if (xmlStrEqual(root->ns->href, (const xmlChar *)xmile_ns[i]))
            r.ns = root->ns->href;
    if (!r.ns) {
        rc = fail(&r, MIGDEV_E_SYNTAX, root,
                  "<xmile> is in the wrong namespace ('%s'; expected xmlns=\"%s\")",
                  root->ns ? (const char *)root->ns->href : "none", xmile_ns[0]);
        goto done;
    }
    const xmlNode *root_model = NULL;
    for (const xmlNode *c = root->children; c && !rc; c = c->next) {
        if (is_x(&r, c, "header")) {
            rc = read_header(&r, c);
        } else if (is_x(&r, c, "sim_specs")) {
            d->has_specs = 1;
            rc = read_specs(&r, c, &d->specs);
        } else if (is_x(&r, c, "behavior")) {
            rc = read_behavior(&r, c, &d->nn_stock, &d->nn_flow);
        } else if (is_x(&r, c, "dimensions")) {
            rc = read_dims(&r, c, d);
        } else if (is_x(&r, c, "model_units")) {
            rc = read_model_units(&r, c, &ua);
        } else if (is_x(&r, c, "macro")) {
            rc = fail(&r, MIGDEV_E_UNSUPPORTED, c, "macros are not supported (<macro>)");
        } else if (is_x(&r, c, "model")) {
            xmodel *nm = realloc(d->models, (size_t)(d->n_models + 1) * sizeof *nm);
            if (!nm) {
                rc = oom(&r);
                break;
            }
            d->models = nm;
            rc = read_model(&r, c, &d->models[d->n_models]);
            d->n_models++;
            if (!root_model && !d->models[d->n_models - 1].name)
                root_model = c;
        }
    }
    if (!rc && d->n_models == 0)
        rc = fail(&r, MIGDEV_E_SYNTAX, root, "no <model> in the file");
    if (!rc) {
        /* the root model is the unnamed one (else the first): put it first */
        for (int i = 1; i < d->n_models; i++)
            if (!d->models[i].name && d->models[0].name) {
                const xmodel t = d->models[0];
                d->models[0] = d->models[i];
                d->models[i] = t;
                break;
            }
    }
    if (!rc && apply_aliases(d, &ua) != 0)
        rc = oom(&r);
done:
    for (int i = 0; i < ua.n; i++)
        free(ua.a[i].alias), free(ua.a[i].name);
    free(ua.a);
    if (r.is_oom) { /* whatever the missing attribute made it say */
        if (err)
            migdev_error_clear(err);
        rc = oom(&r);
    }
    if (doc)
        xmlFreeDoc(doc);
    xmlFreeParserCtxt(pc);
    free(r.line_off);
    return rc;
}

void xdoc_free(xdoc *d)
{
    if (!d)
        return;
    for (int i = 0; i < d->n_dims; i++) {
        free(d->dims[i].name);
        free(d->dims[i].maps_to);
        for (int k = 0; k < d->dims[i].n; k++)
            free(d->dims[i].elems[k]);
        free(d->dims[i].elems);
    }
    free(d->dims);
    for (int i = 0; i < d->n_models; i++)
        free_model(&d->models[i]);
    free(d->models);
    free(d->file);
    free(d->name);
    free(d->doc);
    free(d->specs.time_units);
    memset(d, 0, sizeof *d);
}
