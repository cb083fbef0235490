/*
** xexport.c - write a model as XMILE (migdev_model_write_xmile).
**
** Equations are re-parsed from their text (the compiled trees have their
** stateful calls expanded) and printed in XMILE's syntax with the
** parentheses XMILE's precedence needs. Tag: XMILE-BUILTINS (xtrans.c maps
** the same builtins back).
*/
#include "migdev/xmile.h"

#include "builtins.h"
#include "error_int.h"
#include "lexer.h"
#include "migdev/migdev.h"
#include "model_int.h"
#include "provenance.h"
#include "parser.h"
#include "xdoc.h"
#include "xname.h"
#include "xtrans.h"
#include "xview.h"
#include "sbuf.h"

#include <libxml/xmlwriter.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------ expressions */

typedef struct printer {
    const migdev_model *m;
    sbuf out;
} printer;

/* An identifier, bare when XMILE allows it, else in quotes. */
static void put_ident(sbuf *b, const char *name)
{
    int bare = (isalpha((unsigned char)name[0])) && name[strlen(name) - 1] != '_';
    for (const char *p = name; *p && bare; p++)
        bare = isalnum((unsigned char)*p) || *p == '_';
    if (bare) {
        sbuf_put(b, name);
        return;
    }
    sbuf_put(b, "\"");
    for (const char *p = name; *p; p++) {
        const char c[2] = {*p, '\0'};
        if (*p == '"' || *p == '\\')
            sbuf_put(b, "\\");
        sbuf_put(b, c);
    }
    sbuf_put(b, "\"");
}

/* The array whose element name is ("x[a,b]" with x an array of a native
** model), with *subs at its '['; NULL for any other name. */
static const model_array *array_of(const migdev_model *m, const char *name, const char **subs)
{
    const char *lb = strchr(name, '[');
    if (!lb)
        return NULL;
    const size_t n = (size_t)(lb - name);
    for (int i = 0; i < m->n_arrays; i++)
        if (strlen(m->arrays[i].name) == n && strncmp(m->arrays[i].name, name, n) == 0) {
            *subs = lb;
            return &m->arrays[i];
        }
    return NULL;
}

/* A variable's name in an equation: an element of an array as XMILE
** subscripts (x[a,b]), anything else as an identifier. */
static void put_var(const migdev_model *m, sbuf *b, const char *name)
{
    const char *subs;
    const model_array *a = array_of(m, name, &subs);
    if (!a) {
        put_ident(b, name);
        return;
    }
    put_ident(b, a->name);
    sbuf_put(b, subs);
}

/* XMILE precedence, higher binds tighter (xexpr.h). */
static int bin_prec(int op)
{
    switch (op) {
    case TK_OR: return 1;
    case TK_AND: return 2;
    case TK_EQ: case TK_NE: return 3;
    case TK_LT: case TK_LE: case TK_GT: case TK_GE: return 4;
    case TK_PLUS: case TK_MINUS: return 5;
    case TK_STAR: case TK_SLASH: return 6;
    default: return 8; /* ^ */
    }
}

static const char *bin_text(int op)
{
    switch (op) {
    case TK_OR: return " OR ";
    case TK_AND: return " AND ";
    case TK_EQ: return " = ";
    case TK_NE: return " <> ";
    case TK_LT: return " < ";
    case TK_LE: return " <= ";
    case TK_GT: return " > ";
    case TK_GE: return " >= ";
    case TK_PLUS: return " + ";
    case TK_MINUS: return " - ";
    case TK_STAR: return " * ";
    case TK_SLASH: return " / ";
    default: return " ^ ";
    }
}

static int is_lookup_name(const migdev_model *m, const char *name)
{
    for (int i = 0; i < m->n_lookups; i++)
        if (strcmp(m->lookups[i].name, name) == 0)
            return 1;
    return 0;
}

/* The XMILE value builtin a native value name becomes, or NULL. */
static const char *value_name(const char *name)
{
    static const char *const map[][2] = {
        {"time", "TIME"}, {"dt", "DT"}, {"start_time", "STARTTIME"},
        {"stop_time", "STOPTIME"}, {"pi", "PI"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcasecmp(map[i][0], name) == 0)
            return map[i][1];
    return NULL;
}

static int prec_of(const printer *p, const node *n)
{
    switch (n->kind) {
    case N_UNARY: return 7;
    case N_BINARY: return bin_prec(n->op);
    case N_CALL: {
        if (is_lookup_name(p->m, n->name))
            return 9;
        const builtin *b = builtin_find(n->name);
        if (b && strcmp(b->name, "if_then_else") == 0)
            return 0; /* IF ... ELSE takes all that follows: parenthesize inside others */
        if (b && strcmp(b->name, "pow") == 0 && n->nargs == 2)
            return 8;
        if (b && strcmp(b->name, "mod") == 0 && n->nargs == 2)
            return 6;
        return 9;
    }
    default: return 9;
    }
}

static void print(printer *p, const node *n, int min_prec);

static void print_args(printer *p, const node *n, int from, int to)
{
    for (int i = from; i < to; i++) {
        if (i > from)
            sbuf_put(&p->out, ", ");
        print(p, n->args[i], 0);
    }
}

/* min/max of more than two: nested pairs, left to right (as evaluated). */
static void print_minmax(printer *p, const node *n, const char *name, int k)
{
    sbuf_put(&p->out, name);
    sbuf_put(&p->out, "(");
    if (k > 2)
        print_minmax(p, n, name, k - 1);
    else
        print(p, n->args[0], 0);
    sbuf_put(&p->out, ", ");
    print(p, n->args[k - 1], 0);
    sbuf_put(&p->out, ")");
}

static void print_call(printer *p, const node *n)
{
    if (is_lookup_name(p->m, n->name)) {
        put_ident(&p->out, n->name);
        sbuf_put(&p->out, "(");
        print_args(p, n, 0, n->nargs);
        sbuf_put(&p->out, ")");
        return;
    }
    const builtin *b = builtin_find(n->name);
    const char *name = b ? b->name : n->name;
    if (value_name(name) && n->nargs == 0) {
        sbuf_put(&p->out, value_name(name));
        return;
    }
    if (!strcmp(name, "if_then_else") && n->nargs == 3) {
        sbuf_put(&p->out, "IF ");
        print(p, n->args[0], 0);
        sbuf_put(&p->out, " THEN ");
        print(p, n->args[1], 0);
        sbuf_put(&p->out, " ELSE ");
        print(p, n->args[2], 0);
        return;
    }
    if (!strcmp(name, "pow") && n->nargs == 2) {
        print(p, n->args[0], 9);
        sbuf_put(&p->out, " ^ ");
        print(p, n->args[1], 7);
        return;
    }
    if (!strcmp(name, "mod") && n->nargs == 2) { /* XMILE's operator */
        print(p, n->args[0], 6);
        sbuf_put(&p->out, " MOD ");
        print(p, n->args[1], 7);
        return;
    }
    if ((!strcmp(name, "min") || !strcmp(name, "max")) && n->nargs > 2) {
        print_minmax(p, n, !strcmp(name, "min") ? "MIN" : "MAX", n->nargs);
        return;
    }
    const char *x = xt_xmile_name(name);
    if (!strcmp(name, "ramp") && n->nargs != 2)
        x = NULL; /* XMILE's RAMP has no end time */
    if (x) {
        sbuf_put(&p->out, x);
    } else { /* no XMILE equivalent (pulse with a width, ...): migdev's own */
        sbuf_put(&p->out, "migdev.");
        sbuf_put(&p->out, name);
    }
    sbuf_put(&p->out, "(");
    print_args(p, n, 0, n->nargs);
    sbuf_put(&p->out, ")");
}

static void print(printer *p, const node *n, int min_prec)
{
    const int prec = prec_of(p, n);
    if (prec < min_prec)
        sbuf_put(&p->out, "(");
    switch (n->kind) {
    case N_NUM: {
        char buf[32];
        sbuf_put(&p->out, migdev_format_number(n->num, buf));
        break;
    }
    case N_REF:
        if (value_name(n->name))
            sbuf_put(&p->out, value_name(n->name));
        else
            put_var(p->m, &p->out, n->name);
        break;
    case N_UNARY:
        sbuf_put(&p->out, n->op == TK_MINUS ? "-" : n->op == TK_PLUS ? "+" : "NOT ");
        print(p, n->args[0], 7);
        break;
    case N_BINARY: {
        const int bp = bin_prec(n->op);
        print(p, n->args[0], n->op == TK_CARET ? 9 : bp);
        sbuf_put(&p->out, bin_text(n->op));
        print(p, n->args[1], n->op == TK_CARET ? 7 : bp + 1);
        break;
    }
    case N_CALL:
        print_call(p, n);
        break;
    }
    if (prec < min_prec)
        sbuf_put(&p->out, ")");
}

/* The XMILE text of variable v's equation (owned), or NULL with err set. */
static char *xmile_equation(const migdev_model *m, const variable *v, migdev_error *err)
{
    node *t = (m->free_names ? parse_equation_free_names : parse_equation)(v->eq_text, m->file, v->eq_line, v->eq_col, err);
    if (!t)
        return NULL;
    printer p = {m, {NULL, 0, 0, 0}};
    print(&p, t, 0);
    node_free(t);
    if (p.out.failed || !p.out.s) {
        free(p.out.s);
        err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
        return NULL;
    }
    return p.out.s;
}

/* ------------------------------------------------------------------ names */

static int check_names(const migdev_model *m, migdev_error *err)
{
    const int n = m->n_visible + m->n_lookups - m->n_data; /* data tables end lookups[] */
    char **keys = calloc((size_t)n + 1, sizeof *keys);
    if (!keys)
        return err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
    int rc = 0;
    for (int i = 0; i < n && !rc; i++) {
        const char *name = i < m->n_visible ? m->vars[i].name : m->lookups[i - m->n_visible].name;
        const int line = i < m->n_visible ? m->vars[i].line : m->lookups[i - m->n_visible].line;
        const int col = i < m->n_visible ? m->vars[i].col : m->lookups[i - m->n_visible].col;
        char *eng = xname_engine(name);
        keys[i] = xname_key(name);
        if (!eng || !keys[i]) {
            free(eng);
            rc = err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
            break;
        }
        if (strcmp(eng, name) != 0)
            rc = err_set(err, MIGDEV_E_NAME, m->file, line, col,
                         "'%s' cannot be written as XMILE: XMILE reads runs of underscores as "
                         "one ('%s')",
                         name, eng);
        else if (xname_is_reserved(keys[i]))
            rc = err_set(err, MIGDEV_E_NAME, m->file, line, col,
                         "'%s' cannot be written as XMILE: it is a reserved XMILE name", name);
        for (int j = 0; j < i && !rc; j++)
            if (strcmp(keys[i], keys[j]) == 0)
                rc = err_set(err, MIGDEV_E_NAME, m->file, line, col,
                             "'%s' cannot be written as XMILE: XMILE does not tell it from '%s' "
                             "(names differing only in case are the same)",
                             name, j < m->n_visible ? m->vars[j].name
                                                    : m->lookups[j - m->n_visible].name);
        free(eng);
    }
    for (int i = 0; i < n; i++)
        free(keys[i]);
    free(keys);
    return rc;
}

/* ---------------------------------------------------------------- writing */

typedef struct writer {
    xmlTextWriterPtr w;
    int failed;
} writer;

static void wr(writer *w, int rc)
{
    if (rc < 0)
        w->failed = 1;
}

static void start(writer *w, const char *el)
{
    wr(w, xmlTextWriterStartElement(w->w, (const xmlChar *)el));
}

static void end(writer *w)
{
    wr(w, xmlTextWriterEndElement(w->w));
}

static void attr(writer *w, const char *name, const char *value)
{
    wr(w, xmlTextWriterWriteAttribute(w->w, (const xmlChar *)name, (const xmlChar *)value));
}

static void text_el(writer *w, const char *el, const char *text)
{
    if (!text || !*text)
        return;
    wr(w, xmlTextWriterWriteElement(w->w, (const xmlChar *)el, (const xmlChar *)text));
}

static void number_el(writer *w, const char *el, double x)
{
    char buf[32];
    text_el(w, el, migdev_format_number(x, buf));
}

static void name_attr(writer *w, const char *name)
{
    attr(w, "name", name);
}

static const char *method_text(migdev_method m, char *buf, size_t n)
{
    switch (m) {
    case MIGDEV_EULER: return "euler";
    case MIGDEV_RK4: return "rk4";
    case MIGDEV_RKF45: return "rk45";
    case MIGDEV_MSBDF: return "gear";
    default:
        snprintf(buf, n, "migdev.%s, rk4", migdev_method_name(m));
        return buf;
    }
}

static void write_points(writer *w, const char *el, const double *v, int n)
{
    sbuf b = {NULL, 0, 0, 0};
    char buf[32];
    for (int i = 0; i < n; i++) {
        if (i)
            sbuf_put(&b, ",");
        sbuf_put(&b, migdev_format_number(v[i], buf));
    }
    if (b.failed)
        w->failed = 1;
    else
        text_el(w, el, b.s ? b.s : "");
    free(b.s);
}

/* A data variable's points, as the graphical function of its auxiliary
** (its equation is TIME). outside = "error" has no XMILE form: the
** exported model holds the end values. */
static void write_data_gf(writer *w, const migdev_model *m, const variable *v)
{
    const data_binding *d = &m->data[v->data];
    const lookup_tbl *t = &m->lookups[d->table];
    start(w, "gf");
    attr(w, "type", d->is_step ? "discrete" : "continuous");
    write_points(w, "xpts", t->x, t->n);
    write_points(w, "ypts", t->y, t->n);
    /* its input is the time: the units checker needs to know (the reader
       keeps migdev:x_units on embedded graphical functions too) */
    text_el(w, "migdev:x_units", migdev_model_time_units(m));
    end(w);
}

/* The <eqn> of variable v (and its graphical function, for data). */
static int write_eqn(writer *w, const migdev_model *m, const variable *v, migdev_error *err)
{
    if (v->kind == VK_CONST) {
        char buf[32];
        text_el(w, "eqn", migdev_format_number(v->value, buf));
        return 0;
    }
    char *eq = xmile_equation(m, v, err);
    if (!eq)
        return err ? err->code : MIGDEV_E_SYNTAX;
    text_el(w, "eqn", eq);
    free(eq);
    if (v->data >= 0)
        write_data_gf(w, m, v);
    return 0;
}

static int write_var(writer *w, const migdev_model *m, int i, migdev_error *err)
{
    const variable *v = &m->vars[i];
    const char *el = v->kind == VK_STOCK ? "stock" : v->kind == VK_FLOW ? "flow" : "aux";
    const char *subs;
    const model_array *a = array_of(m, v->name, &subs);
    start(w, el);
    name_attr(w, a ? a->name : v->name);
    /* an auxiliary that is just a number stays an auxiliary */
    if (v->kind == VK_AUX && v->eq && v->eq->kind == N_NUM)
        attr(w, "migdev:constant", "false");
    if (a) { /* an array: its dimensions, then every element's equation */
        start(w, "dimensions");
        for (int d = 0; d < a->n_dims; d++) {
            start(w, "dim");
            name_attr(w, m->dims[a->dims[d]].name);
            end(w);
        }
        end(w);
        for (int k = i; k < m->n_visible; k++) {
            const char *ks;
            if (array_of(m, m->vars[k].name, &ks) != a)
                continue;
            char sub[512];
            snprintf(sub, sizeof sub, "%.*s", (int)strlen(ks + 1) - 1, ks + 1);
            start(w, "element");
            attr(w, "subscript", sub);
            const int rc = write_eqn(w, m, &m->vars[k], err);
            if (rc)
                return rc;
            end(w);
        }
    } else {
        const int rc = write_eqn(w, m, v, err);
        if (rc)
            return rc;
    }
    if (v->kind == VK_STOCK) {
        const int s = m->stock_of_var[i];
        for (int k = m->flow_off[s]; k < m->flow_off[s + 1]; k++) { /* in priority order */
            const char *fname = m->vars[m->flow_var[k]].name, *fsubs;
            const model_array *fa = a ? array_of(m, fname, &fsubs) : NULL;
            text_el(w, m->flow_sign[k] > 0 ? "inflow" : "outflow", fa ? fa->name : fname);
        }
    }
    if ((v->kind == VK_STOCK || v->kind == VK_FLOW) && v->non_negative) {
        start(w, "non_negative");
        end(w);
    }
    text_el(w, "units", v->units);
    text_el(w, "doc", v->doc);
    text_el(w, "migdev:source", v->source);
    if (v->prov != PROV_NONE && v->data < 0) { /* migdev namespace: the reader skips it */
        text_el(w, "migdev:provenance", prov_name(v->prov));
        if (v->prov_target)
            text_el(w, "migdev:tuned_to", v->prov_target);
    }
    end(w);
    return 0;
}

static void write_lookup(writer *w, const lookup_tbl *t)
{
    start(w, "gf");
    name_attr(w, t->name);
    attr(w, "type", t->kind == LK_EXTRAPOLATE ? "extrapolate"
                    : t->kind == LK_DISCRETE  ? "discrete"
                                              : "continuous");
    write_points(w, "xpts", t->x, t->n);
    write_points(w, "ypts", t->y, t->n);
    text_el(w, "migdev:units", t->units);
    text_el(w, "migdev:x_units", t->x_units);
    text_el(w, "migdev:doc", t->doc);
    text_el(w, "migdev:source", t->source);
    if (t->prov != PROV_NONE) {
        text_el(w, "migdev:provenance", prov_name(t->prov));
        if (t->prov_target)
            text_el(w, "migdev:tuned_to", t->prov_target);
    }
    end(w);
}

int migdev_model_write_layout_dot(const migdev_model *m, FILE *f, migdev_error *err)
{
    int *from = NULL, *to = NULL, n = 0;
    if (xview_links(m, &from, &to, &n) != 0)
        return err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
    /* stocks as boxes, flows and auxiliaries smaller; left to right */
    fprintf(f, "digraph migdev {\n  rankdir=LR; nodesep=0.4; ranksep=0.6;\n");
    for (int i = 0; i < m->n_visible; i++)
        fprintf(f, "  v%d [shape=%s, width=%s, height=%s];\n", i,
                m->vars[i].kind == VK_STOCK ? "box" : "ellipse",
                m->vars[i].kind == VK_STOCK ? "0.8" : "0.4",
                m->vars[i].kind == VK_STOCK ? "0.5" : "0.3");
    for (int k = 0; k < n; k++)
        fprintf(f, "  v%d -> v%d;\n", from[k], to[k]);
    fprintf(f, "}\n");
    free(from);
    free(to);
    if (ferror(f))
        return err_set(err, MIGDEV_E_IO, NULL, 0, 0, "write error");
    return 0;
}

int migdev_model_write_xmile(const migdev_model *m, FILE *f, migdev_error *err)
{
    return migdev_model_write_xmile_view(m, NULL, f, err);
}

int migdev_model_write_xmile_view(const migdev_model *m, const double *xy, FILE *f,
                                  migdev_error *err)
{
    if (m->free_names && !m->from_vensim)
        return err_set(err, MIGDEV_E_USAGE, m->file, 0, 0,
                       "the model was read from an XMILE file: it is XMILE already");
    int rc = check_names(m, err);
    if (rc)
        return rc;
    for (int i = 0; i < m->n_lookups; i++) {
        const lookup_tbl *t = &m->lookups[i];
        if (t->kind == LK_FORWARD || t->kind == LK_RAW) /* a Vensim data variable's */
            return err_set(err, MIGDEV_E_UNSUPPORTED, m->file, t->line, t->col,
                           "'%s' reads its points %s, which XMILE cannot say (a graphical "
                           "function interpolates, extrapolates or holds the value before)",
                           t->name, t->kind == LK_RAW ? "raw (:RAW: data)"
                                                      : "looking forward (:LOOK FORWARD: data, "
                                                        "LOOKUP FORWARD)");
    }
    xmlBufferPtr buf = xmlBufferCreate();
    xmlTextWriterPtr tw = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
    if (!tw) {
        if (buf)
            xmlBufferFree(buf);
        return err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
    }
    writer w = {tw, 0};
    wr(&w, xmlTextWriterSetIndent(tw, 1));
    wr(&w, xmlTextWriterSetIndentString(tw, (const xmlChar *)"  "));
    wr(&w, xmlTextWriterStartDocument(tw, NULL, "UTF-8", NULL));
    start(&w, "xmile");
    attr(&w, "version", "1.0");
    attr(&w, "xmlns", "http://docs.oasis-open.org/xmile/ns/XMILE/v1.0");
    attr(&w, "xmlns:isee", "http://iseesystems.com/XMILE");
    attr(&w, "xmlns:migdev", MIGDEV_XMILE_NS);

    start(&w, "header");
    text_el(&w, "vendor", "migdev");
    start(&w, "product");
    attr(&w, "version", migdev_version());
    wr(&w, xmlTextWriterWriteString(tw, (const xmlChar *)"migdev"));
    end(&w);
    text_el(&w, "name", m->name);
    text_el(&w, "migdev:doc", m->doc);
    end(&w);

    const migdev_sim_spec *s = &m->spec;
    char mb[64];
    start(&w, "sim_specs");
    attr(&w, "method", method_text(s->method, mb, sizeof mb));
    if (m->time_units[0])
        attr(&w, "time_units", m->time_units);
    if (s->save_every > 0 && s->save_every != s->dt) {
        char nb[32];
        attr(&w, "isee:save_interval", migdev_format_number(s->save_every, nb));
    }
    number_el(&w, "start", s->start);
    number_el(&w, "stop", s->stop);
    number_el(&w, "dt", s->dt);
    end(&w);

    if (m->n_dims > 0) { /* the arrays of a native model */
        start(&w, "dimensions");
        for (int i = 0; i < m->n_dims; i++) {
            start(&w, "dim");
            name_attr(&w, m->dims[i].name);
            for (int k = 0; k < m->dims[i].n; k++) {
                start(&w, "elem");
                name_attr(&w, m->dims[i].elems[k]);
                end(&w);
            }
            end(&w);
        }
        end(&w);
    }

    start(&w, "model");
    start(&w, "variables");
    for (int i = 0; i < m->n_visible && !rc; i++) {
        const char *subs;
        const model_array *a = array_of(m, m->vars[i].name, &subs);
        int seen = 0; /* an array is written at its first element */
        for (int k = 0; a && k < i && !seen; k++)
            seen = array_of(m, m->vars[k].name, &subs) == a;
        if (!seen)
            rc = write_var(&w, m, i, err);
    }
    for (int i = 0; i < m->n_lookups && !rc; i++)
        if (!m->lookups[i].is_data)
            write_lookup(&w, &m->lookups[i]);
    end(&w);
    if (xy && !rc && xview_write(tw, m, xy) != 0)
        w.failed = 1;
    if (m->n_loops > 0 && !rc) {
        start(&w, "migdev:loops");
        for (int i = 0; i < m->n_loops; i++) {
            start(&w, "migdev:loop");
            attr(&w, "name", m->loops[i].name);
            for (int k = 0; k < m->loops[i].n; k++)
                text_el(&w, "migdev:variable", m->loops[i].path[k]);
            end(&w);
        }
        end(&w);
    }
    end(&w); /* model */
    end(&w); /* xmile */
    wr(&w, xmlTextWriterEndDocument(tw));
    xmlFreeTextWriter(tw); /* flushes into buf */
    if (!rc && w.failed)
        rc = err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory: could not build the XML document");
    if (!rc) {
        const size_t n = (size_t)xmlBufferLength(buf);
        if (fwrite(xmlBufferContent(buf), 1, n, f) != n || ferror(f))
            rc = err_set(err, MIGDEV_E_IO, NULL, 0, 0, "write error");
    }
    xmlBufferFree(buf);
    return rc;
}
