/*
** xview.c - the <views> section of an exported XMILE file, so that Stella
** opens the file as a diagram rather than a blank canvas (XMILE 6.1: a
** <view> holds a <stock>, <flow>, <aux> per variable with x and y, flows'
** pipes as <pts>, and <connector>s from/to). The positions come from the
** caller (`migdev export` lays the graph out with Graphviz's dot).
*/
#include "xview.h"

#include "parser.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CLOUD_GAP = 70 }; /* points between a flow and the cloud at its open end */

typedef struct links {
    int *from, *to;
    int n, cap;
    int failed;
} links;

static void add(links *l, int from, int to)
{
    for (int k = 0; k < l->n; k++)
        if (l->from[k] == from && l->to[k] == to)
            return;
    if (l->n >= l->cap) {
        const int cap = l->cap ? 2 * l->cap : 16;
        int *nf = realloc(l->from, (size_t)cap * sizeof *nf);
        if (nf)
            l->from = nf;
        int *nt = nf ? realloc(l->to, (size_t)cap * sizeof *nt) : NULL;
        if (nt)
            l->to = nt;
        if (!nf || !nt) {
            l->failed = 1;
            return;
        }
        l->cap = cap;
    }
    l->from[l->n] = from;
    l->to[l->n] = to;
    l->n++;
}

static void refs(const migdev_model *m, const node *n, int to, links *l)
{
    if (n->kind == N_REF && n->name) {
        const int i = model_find(m, n->name);
        if (i >= 0 && i < m->n_visible && i != to)
            add(l, i, to);
    }
    for (int k = 0; k < n->nargs; k++)
        refs(m, n->args[k], to, l);
}

int xview_links(const migdev_model *m, int **from, int **to, int *n)
{
    links l = {NULL, NULL, 0, 0, 0};
    for (int i = 0; i < m->n_visible && !l.failed; i++) {
        const variable *v = &m->vars[i];
        if (v->kind == VK_CONST || !v->eq_text)
            continue;
        /* the equation as written (native text): its references */
        migdev_error e;
        migdev_error_clear(&e);
        node *t = (m->free_names ? parse_equation_free_names : parse_equation)(v->eq_text, m->file, v->eq_line, v->eq_col, &e);
        if (t) {
            refs(m, t, i, &l);
            node_free(t);
        } else if (e.code == MIGDEV_E_NOMEM) {
            l.failed = 1; /* a diagram without some links would be wrong */
        }
    }
    for (int s = 0; s < m->n_stocks && !l.failed; s++)
        for (int k = m->flow_off[s]; k < m->flow_off[s + 1]; k++) {
            if (m->flow_var[k] >= m->n_visible)
                continue;
            if (m->flow_sign[k] > 0)
                add(&l, m->flow_var[k], m->stocks[s]);
            else
                add(&l, m->stocks[s], m->flow_var[k]);
        }
    if (l.failed) {
        free(l.from);
        free(l.to);
        return -1;
    }
    *from = l.from;
    *to = l.to;
    *n = l.n;
    return 0;
}

typedef struct vw {
    xmlTextWriterPtr tw;
    int failed;
} vw;

static void ok(vw *w, int rc) { w->failed |= rc < 0; }

static void num_attr(vw *w, const char *name, double x)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%.1f", x);
    ok(w, xmlTextWriterWriteAttribute(w->tw, (const xmlChar *)name, (const xmlChar *)buf));
}

static void pt(vw *w, double x, double y)
{
    ok(w, xmlTextWriterStartElement(w->tw, (const xmlChar *)"pt"));
    num_attr(w, "x", x);
    num_attr(w, "y", y);
    ok(w, xmlTextWriterEndElement(w->tw));
}

/* The stock a flow leaves (sign -1) or enters (sign 1), or -1. */
static int stock_of_flow(const migdev_model *m, int flow, int sign)
{
    for (int s = 0; s < m->n_stocks; s++)
        for (int k = m->flow_off[s]; k < m->flow_off[s + 1]; k++)
            if (m->flow_var[k] == flow && m->flow_sign[k] == sign)
                return m->stocks[s];
    return -1;
}

/* The array variable i is an element of (the native format's arrays, which
** the writer writes as one XMILE variable each), or -1. */
static int array_of_var(const migdev_model *m, int i)
{
    const char *name = m->vars[i].name, *lb = strchr(name, '[');
    if (!lb)
        return -1;
    for (int a = 0; a < m->n_arrays; a++)
        if (strlen(m->arrays[a].name) == (size_t)(lb - name) &&
            strncmp(m->arrays[a].name, name, (size_t)(lb - name)) == 0)
            return a;
    return -1;
}

/* Each variable's box: itself, or for the elements of an array its first
** element's, drawn once under the array's name (rep[i] == i for the ones
** drawn). NULL when out of memory. */
static int *representatives(const migdev_model *m)
{
    int *rep = malloc((size_t)m->n_visible * sizeof *rep + 1);
    int *first = calloc((size_t)m->n_arrays + 1, sizeof *first);
    if (!rep || !first) {
        free(rep);
        free(first);
        return NULL;
    }
    for (int i = 0; i < m->n_visible; i++) {
        const int a = array_of_var(m, i);
        if (a < 0) {
            rep[i] = i;
            continue;
        }
        if (!first[a])
            first[a] = i + 1;
        rep[i] = first[a] - 1;
    }
    free(first);
    return rep;
}

static const char *shown_name(const migdev_model *m, int i)
{
    const int a = array_of_var(m, i);
    return a >= 0 ? m->arrays[a].name : m->vars[i].name;
}

static int cmp_pair(const void *a, const void *b)
{
    const int *x = a, *y = b;
    return x[0] != y[0] ? (x[0] > y[0]) - (x[0] < y[0]) : (x[1] > y[1]) - (x[1] < y[1]);
}

int xview_write(xmlTextWriterPtr tw, const migdev_model *m, const double *xy)
{
    vw w = {tw, 0};
    int *rep = representatives(m);
    if (!rep)
        return -1;
    ok(&w, xmlTextWriterStartElement(tw, (const xmlChar *)"views"));
    ok(&w, xmlTextWriterStartElement(tw, (const xmlChar *)"view"));
    for (int i = 0; i < m->n_visible; i++) {
        if (rep[i] != i)
            continue; /* an array is one box */
        const variable *v = &m->vars[i];
        const char *el = v->kind == VK_STOCK ? "stock" : v->kind == VK_FLOW ? "flow" : "aux";
        const double x = xy[2 * i], y = xy[2 * i + 1];
        ok(&w, xmlTextWriterStartElement(tw, (const xmlChar *)el));
        ok(&w, xmlTextWriterWriteAttribute(tw, (const xmlChar *)"name",
                                           (const xmlChar *)shown_name(m, i)));
        num_attr(&w, "x", x);
        num_attr(&w, "y", y);
        if (v->kind == VK_FLOW) {
            /* the pipe: from the stock it drains (or a cloud) to the stock
               it fills (or a cloud) */
            const int src = stock_of_flow(m, i, -1), dst = stock_of_flow(m, i, 1);
            ok(&w, xmlTextWriterStartElement(tw, (const xmlChar *)"pts"));
            if (src >= 0)
                pt(&w, xy[2 * src], xy[2 * src + 1]);
            else
                pt(&w, x - CLOUD_GAP, y);
            if (dst >= 0)
                pt(&w, xy[2 * dst], xy[2 * dst + 1]);
            else
                pt(&w, x + CLOUD_GAP, y);
            ok(&w, xmlTextWriterEndElement(tw));
        }
        ok(&w, xmlTextWriterEndElement(tw));
    }
    int *from = NULL, *to = NULL, n = 0;
    if (xview_links(m, &from, &to, &n) != 0) {
        free(rep);
        return -1;
    }
    /* the links between boxes: an array's elements' links drawn once */
    int *pairs = malloc((size_t)n * 2 * sizeof *pairs + 1);
    if (!pairs) {
        free(rep), free(from), free(to);
        return -1;
    }
    int np = 0;
    for (int k = 0; k < n; k++) {
        const var_kind a = m->vars[from[k]].kind, b = m->vars[to[k]].kind;
        if ((a == VK_FLOW && b == VK_STOCK) || (a == VK_STOCK && b == VK_FLOW &&
                                                 stock_of_flow(m, to[k], -1) == from[k]))
            continue; /* drawn as the pipe */
        if (rep[from[k]] == rep[to[k]])
            continue; /* within one array */
        pairs[2 * np] = rep[from[k]];
        pairs[2 * np + 1] = rep[to[k]];
        np++;
    }
    qsort(pairs, (size_t)np, 2 * sizeof *pairs, cmp_pair);
    int uid = 0;
    for (int k = 0; k < np; k++) {
        if (k && pairs[2 * k] == pairs[2 * k - 2] && pairs[2 * k + 1] == pairs[2 * k - 1])
            continue;
        char id[16];
        snprintf(id, sizeof id, "%d", ++uid);
        ok(&w, xmlTextWriterStartElement(tw, (const xmlChar *)"connector"));
        ok(&w, xmlTextWriterWriteAttribute(tw, (const xmlChar *)"uid", (const xmlChar *)id));
        ok(&w, xmlTextWriterWriteElement(tw, (const xmlChar *)"from",
                                         (const xmlChar *)shown_name(m, pairs[2 * k])));
        ok(&w, xmlTextWriterWriteElement(tw, (const xmlChar *)"to",
                                         (const xmlChar *)shown_name(m, pairs[2 * k + 1])));
        ok(&w, xmlTextWriterEndElement(tw));
    }
    free(pairs);
    free(rep);
    free(from);
    free(to);
    ok(&w, xmlTextWriterEndElement(tw)); /* view */
    ok(&w, xmlTextWriterEndElement(tw)); /* views */
    return w.failed ? -1 : 0;
}
