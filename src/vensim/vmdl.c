/*
** vmdl.c - read a Vensim .mdl file into a model (see vensim.h).
**
** A model file is a list of entries "equation ~ units ~ comment |" up to the
** sketch ("\\\---///"). An equation is one of
**   name = expression            (an auxiliary, a constant when a number)
**   name = INTEG(rate, initial)  (a level: a stock)
**   name = WITH LOOKUP(input, ([range], (x,y), ...))
**   name( [range], (x,y), ... )  (a lookup table)
** and the control entries INITIAL TIME, FINAL TIME, TIME STEP and SAVEPER
** give the simulation's times. Each level's rate, when it is a sum of
** auxiliaries with signs, makes them its inflows and outflows (the stock-
** and-flow structure that export and loop analysis use); any other rate
** becomes a flow "<level>_net_flow".
*/
#include "vensim.h"

#include "cfgfile.h"
#include "consteval.h"
#include "error_int.h"
#include "lexer.h"
#include "migdev/run.h"
#include "model_int.h"
#include "util.h"
#include "vexpr.h"
#include "vmdl_int.h"
#include "vtrans.h"
#include "xmile/xname.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { CONST_DEPTH = 50 }; /* control variables defined through others */

/* ------------------------------------------------------------- utilities */

char *vm_dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

int vm_oom(vreader *r) { return err_set(r->err, MIGDEV_E_NOMEM, r->file, 0, 0, "out of memory"); }

/* A cursor over the file: pointer and position. */
typedef struct cursor {
    const char *p;
    int line, col;
} cursor;

static void adv(cursor *c, size_t n) { lex_advance(&c->p, &c->line, &c->col, n); }

static void skip_blank(cursor *c)
{
    for (;;) {
        if (*c->p && isspace((unsigned char)*c->p)) {
            adv(c, 1);
        } else if (*c->p == '\\') {
            const char *q = c->p + 1;
            while (*q == ' ' || *q == '\t' || *q == '\r')
                q++;
            if (*q != '\n')
                return;
            adv(c, (size_t)(q - c->p) + 1);
        } else {
            return;
        }
    }
}

/* Text trimmed of blanks, continued lines joined, runs of blanks as one
** space (units and comments). Owned. */
static char *clean_text(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (!d)
        return NULL;
    size_t k = 0;
    int blank = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '\\' && i + 1 < n && (s[i + 1] == '\n' || s[i + 1] == '\r'))
            continue;
        if (isspace((unsigned char)ch)) {
            blank = 1;
            continue;
        }
        if (blank && k > 0)
            d[k++] = ' ';
        blank = 0;
        d[k++] = ch;
    }
    d[k] = '\0';
    return d;
}

/* --------------------------------------------------------------- lookups */

static int point_error(vreader *r, const cursor *c, const char *what)
{
    return err_set(r->err, MIGDEV_E_SYNTAX, r->file, c->line, c->col,
                   "lookup table: expected %s, found '%.*s'", what, *c->p ? (int)lex_char_len(c->p) : 3,
                   *c->p ? c->p : "end");
}

static int read_number(vreader *r, cursor *c, double *x)
{
    skip_blank(c);
    double sign = 1.0;
    if (*c->p == '-' || *c->p == '+') { /* "- 1": a sign apart from its number */
        sign = *c->p == '-' ? -1.0 : 1.0;
        adv(c, 1);
        skip_blank(c);
    }
    char *end;
    *x = strtod(c->p, &end);
    if (end == c->p || *c->p == '-' || *c->p == '+')
        return point_error(r, c, "a number");
    *x *= sign;
    adv(c, (size_t)(end - c->p));
    return 0;
}

static int expect(vreader *r, cursor *c, char ch, const char *what)
{
    skip_blank(c);
    if (*c->p != ch)
        return point_error(r, c, what);
    adv(c, 1);
    return 0;
}

/* The points of a lookup at c, just after its opening '(': an optional
** [range] (skipped), then (x,y) pairs up to the closing ')', or the old
** form of the x values then the y values. */
static int read_points(vreader *r, cursor *c, double **xs, double **ys, int *n)
{
    int cap = 0, cap_y = 0;
    *xs = *ys = NULL;
    *n = 0;
    skip_blank(c);
    if (*c->p == '[') {
        int depth = 0;
        while (*c->p) {
            if (*c->p == '[')
                depth++;
            else if (*c->p == ']' && --depth == 0)
                break;
            adv(c, 1);
        }
        if (*c->p != ']')
            return point_error(r, c, "']' closing the range");
        adv(c, 1);
        skip_blank(c);
        if (*c->p == ',')
            adv(c, 1);
    }
    skip_blank(c);
    if (*c->p != '(') {
        /* x1, x2, ..., y1, y2, ...: an even count of numbers */
        double *v = NULL;
        int nv = 0, capv = 0, rc = 0;
        for (;;) {
            double x;
            if ((rc = read_number(r, c, &x)) != 0)
                break;
            if (util_grow((void **)&v, &capv, nv + 1, sizeof *v)) {
                rc = vm_oom(r);
                break;
            }
            v[nv++] = x;
            skip_blank(c);
            if (*c->p == ',') {
                adv(c, 1);
                continue;
            }
            rc = expect(r, c, ')', "',' or ')'");
            break;
        }
        if (!rc && nv % 2 != 0)
            rc = point_error(r, c, "as many y values as x values");
        if (!rc) {
            *n = nv / 2;
            *xs = malloc((size_t)(*n + 1) * sizeof **xs);
            *ys = malloc((size_t)(*n + 1) * sizeof **ys);
            if (!*xs || !*ys)
                rc = vm_oom(r);
            else
                for (int i = 0; i < *n; i++) {
                    (*xs)[i] = v[i];
                    (*ys)[i] = v[*n + i];
                }
        }
        free(v);
        return rc;
    }
    for (;;) {
        double x, y;
        int rc;
        if ((rc = expect(r, c, '(', "'(' starting a point")) || (rc = read_number(r, c, &x)) ||
            (rc = expect(r, c, ',', "','")) || (rc = read_number(r, c, &y)) ||
            (rc = expect(r, c, ')', "')' closing a point")))
            return rc;
        if (util_grow((void **)xs, &cap, *n + 1, sizeof **xs) ||
            util_grow((void **)ys, &cap_y, *n + 1, sizeof **ys))
            return vm_oom(r);
        (*xs)[*n] = x;
        (*ys)[*n] = y;
        ++*n;
        skip_blank(c);
        if (*c->p == ',') {
            adv(c, 1);
            continue;
        }
        return expect(r, c, ')', "',' or ')' after a point");
    }
}

/* ---------------------------------------------------------------- entries */

ventry *vm_new_entry(vreader *r)
{
    if (util_grow((void **)&r->e, &r->cap, r->n + 1, sizeof *r->e))
        return NULL;
    ventry *e = &r->e[r->n++];
    memset(e, 0, sizeof *e);
    e->vk = VK_AUX;
    return e;
}

void vm_free_entry(ventry *e)
{
    free(e->display), free(e->name), free(e->key), free(e->eq), free(e->units), free(e->doc);
    node_free(e->tree);
    node_free(e->rate);
    node_free(e->active_init);
    free(e->x), free(e->y), free(e->table);
    for (int i = 0; i < e->n_lhs; i++)
        free(e->lhs[i]);
    free(e->lhs);
    for (int i = 0; i < e->n_except * e->n_lhs; i++)
        free(e->except[i]);
    free(e->except);
    free(e->list);
    vg_free(e->get);
    free(e->gy);
}

/* The points of WITH LOOKUP(input, (points)) in e->eq, whose text after
** "WITH LOOKUP" starts at c (at '('). Sets e->tree to the input. */
static int with_lookup(vreader *r, ventry *e, cursor *c)
{
    adv(c, 1); /* '(' */
    /* the input ends at the first ',' outside parentheses */
    const char *s = c->p;
    int depth = 0;
    const char *q = s;
    for (; *q; q++) {
        if (*q == '(' || *q == '[')
            depth++;
        else if (*q == ')' || *q == ']')
            depth--;
        else if (*q == ',' && depth == 0)
            break;
    }
    if (*q != ',')
        return err_set(r->err, MIGDEV_E_SYNTAX, r->file, c->line, c->col,
                       "WITH LOOKUP needs an input and a table: WITH LOOKUP(input, ((x,y), ...))");
    char *input = vm_dup_n(s, (size_t)(q - s));
    if (!input)
        return vm_oom(r);
    e->tree = vexpr_parse(input, r->file, c->line, c->col, r->err);
    free(input);
    if (!e->tree)
        return -1;
    adv(c, (size_t)(q - s) + 1);
    int rc = expect(r, c, '(', "'(' starting the table");
    if (!rc)
        rc = read_points(r, c, &e->x, &e->y, &e->n_points);
    if (!rc)
        rc = expect(r, c, ')', "')' closing WITH LOOKUP");
    if (!rc) {
        skip_blank(c);
        if (*c->p)
            rc = err_set(r->err, MIGDEV_E_SYNTAX, r->file, c->line, c->col,
                         "expected the end of the equation after WITH LOOKUP(...), found '%.*s'",
                         (int)lex_char_len(c->p), c->p);
    }
    return rc;
}

/* ":EXCEPT: [a, b], [c, d]" at c: the tuples left out of the definition,
** each with as many subscripts as the left-hand side. */
static int read_except(vreader *r, ventry *e, cursor *c)
{
    adv(c, 8);
    lexer lx;
    lex_init_rules(&lx, &vexpr_rules, c->p, c->line, c->col);
    token t = lex_next(&lx);
    for (;;) {
        if (t.type != TK_LBRACKET) {
            free(t.name);
            return err_set(r->err, MIGDEV_E_SYNTAX, r->file, t.line, t.col,
                           "expected '[' starting the subscripts of :EXCEPT:");
        }
        char **ne = realloc(e->except, (size_t)(e->n_except + 1) * (size_t)e->n_lhs * sizeof *ne);
        if (!ne)
            return vm_oom(r);
        e->except = ne;
        for (int k = 0; k < e->n_lhs; k++) {
            token s = lex_next(&lx);
            if (s.type != TK_NAME) {
                free(s.name);
                for (int j = 0; j < k; j++)
                    free(e->except[e->n_except * e->n_lhs + j]);
                return err_set(r->err, MIGDEV_E_SYNTAX, r->file, s.line, s.col,
                               ":EXCEPT: needs %d subscript%s in each [...], as '%s' has",
                               e->n_lhs, e->n_lhs == 1 ? "" : "s", e->display);
            }
            e->except[e->n_except * e->n_lhs + k] = s.name;
            token sep = lex_next(&lx);
            free(sep.name);
            if (sep.type != (k + 1 < e->n_lhs ? TK_COMMA : TK_RBRACKET)) {
                for (int j = 0; j <= k; j++)
                    free(e->except[e->n_except * e->n_lhs + j]);
                return err_set(r->err, MIGDEV_E_SYNTAX, r->file, sep.line, sep.col,
                               ":EXCEPT: needs %d subscript%s in each [...], as '%s' has",
                               e->n_lhs, e->n_lhs == 1 ? "" : "s", e->display);
            }
        }
        e->n_except++;
        const char *before = lx.p;
        const int bl = lx.line, bc = lx.col;
        t = lex_next(&lx);
        if (t.type == TK_COMMA) {
            t = lex_next(&lx);
            continue;
        }
        free(t.name);
        c->p = before;
        c->line = bl;
        c->col = bc;
        skip_blank(c);
        return 0;
    }
}

/* "TABBED ARRAY(1 2 3 \n 4 5 6)" at c: the numbers, separated by blanks
** and rows, in e->list (row by row, as a list "1, 2, 3; 4, 5, 6;").
** Returns 1 when read, 0 when the equation is not one, -1 on error. */
static int tabbed_array(vreader *r, ventry *e, const cursor *c)
{
    const char *p = c->p;
    static const char word[] = "tabbed array";
    for (size_t i = 0; i < sizeof word - 1; i++, p++) {
        const char w = word[i];
        if (w == ' ' ? (*p != ' ' && *p != '_') : tolower((unsigned char)*p) != w)
            return 0;
    }
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p != '(')
        return 0;
    if (!e->n_lhs)
        return err_set(r->err, MIGDEV_E_TYPE, r->file, c->line, c->col,
                       "TABBED ARRAY gives the values of a subscripted variable");
    p++;
    int cap = 0;
    for (;;) {
        while (isspace((unsigned char)*p) || (*p == '\\' && (p[1] == '\n' || p[1] == '\r')))
            p++;
        if (*p == ')')
            break;
        char *end;
        const double x = strtod(p, &end);
        if (end == p)
            return err_set(r->err, MIGDEV_E_SYNTAX, r->file, c->line, c->col,
                           "TABBED ARRAY: expected a number or ')', found '%.*s'",
                           *p ? (int)lex_char_len(p) : 3, *p ? p : "end");
        if (util_grow((void **)&e->list, &cap, e->n_list + 1, sizeof *e->list))
            return vm_oom(r);
        e->list[e->n_list++] = x;
        p = end;
    }
    for (p++; isspace((unsigned char)*p); p++) {
    }
    if (*p)
        return err_set(r->err, MIGDEV_E_SYNTAX, r->file, c->line, c->col,
                       "expected the end of the equation after TABBED ARRAY(...), found '%.*s'",
                       (int)lex_char_len(p), p);
    return 1;
}

/* One entry: its equation text eq (at line:col), units and comment. */
/* A macro called with output parameters, "NAME(a, b : y)": the bare ':'
** inside parentheses becomes a ',' (the same column), so the call parses
** with its outputs after its inputs (vmacro.c tells them apart). Colon
** words (:AND:, :NA:...), quoted names, 'strings' and {comments} are kept. */
static void out_colons(char *t)
{
    int depth = 0;
    for (char *p = t; *p; p++) {
        if (*p == '"' || *p == '\'' || *p == '{') {
            const char close = *p == '{' ? '}' : *p;
            for (p++; *p && *p != close; p++)
                if (*p == '\\' && p[1] == close && close == '"')
                    p++;
            if (!*p)
                return;
        } else if (*p == '(') {
            depth++;
        } else if (*p == ')') {
            depth--;
        } else if (*p == ':') {
            const char *q = p + 1;
            while (isalpha((unsigned char)*q) || *q == ' ')
                q++;
            if (*q == ':' && q > p + 1)
                p = (char *)q; /* a colon word */
            else if (depth > 0)
                *p = ',';
        }
    }
}

static int read_entry(vreader *r, const char *eq, int line, int col, const char *units,
                      size_t units_n, const char *doc, size_t doc_n)
{
    cursor c = {eq, line, col};
    skip_blank(&c);
    if (!*c.p)
        return 0;
    if (*c.p == '*')
        return 0; /* a group marker: "****** .Control ******" */
    if (lex_word_is(c.p, 14, ":END OF MACRO:")) {
        if (!r->in_macro)
            return err_set(r->err, MIGDEV_E_SYNTAX, r->file, c.line, c.col,
                           ":END OF MACRO: without :MACRO:");
        r->in_macro = 0;
        adv(&c, 14);
        skip_blank(&c);
        if (!*c.p || *c.p == '*') /* nothing, or a group marker, follows */
            return 0;
    }
    if (lex_word_is(c.p, 7, ":MACRO:")) {
        if (r->in_macro)
            return err_set(r->err, MIGDEV_E_SYNTAX, r->file, c.line, c.col,
                           "a macro inside a macro (:END OF MACRO: is missing)");
        const int n = vmac_header(r, c.p, c.line, c.col);
        if (n < 0)
            return -1;
        adv(&c, (size_t)n);
        skip_blank(&c);
        if (!*c.p)
            return 0;
    }
    lexer lx;
    lex_init_rules(&lx, &vexpr_rules, c.p, c.line, c.col);
    token t = lex_next(&lx);
    if (t.type != TK_NAME) {
        free(t.name);
        if (lx.err_full)
            return err_set(r->err, lx.err_code, r->file, lx.err_line, lx.err_col, "%s", lx.errbuf);
        return err_set(r->err, MIGDEV_E_SYNTAX, r->file, t.line, t.col,
                       "expected the name of a variable, found '%.*s'",
                       (int)(t.len ? (t.len > 40 ? 40 : t.len) : 1), t.len ? t.start : c.p);
    }
    ventry *e = vm_new_entry(r);
    if (!e) {
        free(t.name);
        return vm_oom(r);
    }
    e->macro = r->in_macro;
    e->display = t.name;
    e->line = t.line;
    e->col = t.col;
    e->name = xname_engine(t.name);
    e->key = xname_key(t.name);
    e->units = clean_text(units, units_n);
    e->doc = clean_text(doc, doc_n);
    if (!e->name || !e->key || !e->units || !e->doc)
        return vm_oom(r);
    /* units "Minute [0,?]": the range is not kept */
    char *br = strchr(e->units, '[');
    if (br) {
        while (br > e->units && br[-1] == ' ')
            br--;
        *br = '\0';
    }
    c.p = lx.p;
    c.line = lx.line;
    c.col = lx.col;
    skip_blank(&c);
    if (*c.p == '[') {
        /* name[sub, sub]: one equation per element, flattened later */
        lex_init_rules(&lx, &vexpr_rules, c.p + 1, c.line, c.col + 1);
        for (;;) {
            token s = lex_next(&lx);
            if (s.type != TK_NAME) {
                free(s.name);
                return err_set(r->err, MIGDEV_E_SYNTAX, r->file, s.line, s.col,
                               "expected a subscript in the brackets after '%s'", e->display);
            }
            char **nl = realloc(e->lhs, (size_t)(e->n_lhs + 1) * sizeof *nl);
            if (!nl) {
                free(s.name);
                return vm_oom(r);
            }
            e->lhs = nl;
            e->lhs[e->n_lhs++] = s.name;
            token sep = lex_next(&lx);
            free(sep.name);
            if (sep.type == TK_COMMA)
                continue;
            if (sep.type != TK_RBRACKET)
                return err_set(r->err, MIGDEV_E_SYNTAX, r->file, sep.line, sep.col,
                               "expected ',' or ']' in the subscripts of '%s'", e->display);
            break;
        }
        c.p = lx.p;
        c.line = lx.line;
        c.col = lx.col;
        skip_blank(&c);
        if (lex_word_is(c.p, 8, ":EXCEPT:")) {
            const int rc = read_except(r, e, &c);
            if (rc)
                return rc;
        }
    }
    /* a data equation's keyword: how values between the data's times are found */
    static const struct { const char *w; int kind; } data_kw[] = {
        {":INTERPOLATE:", LK_CONTINUOUS}, {":RAW:", LK_RAW},
        {":HOLD BACKWARD:", LK_DISCRETE}, {":LOOK FORWARD:", LK_FORWARD}};
    for (size_t k = 0; k < sizeof data_kw / sizeof data_kw[0]; k++) {
        const size_t n = strlen(data_kw[k].w);
        if (lex_word_is(c.p, n, data_kw[k].w)) {
            e->is_data = 1;
            e->lk_kind = data_kw[k].kind;
            adv(&c, n);
            skip_blank(&c);
            break;
        }
    }
    if (!*c.p)
        return err_set(r->err, MIGDEV_E_UNSUPPORTED, r->file, e->line, e->col,
                       "'%s' has no equation: a data variable whose values come from a data "
                       "file named at run time (Vensim's .vdf) is not supported; read them "
                       "with GET DIRECT DATA",
                       e->display);
    char ch = *c.p;
    int is_data_eq = 0;
    if (ch == ':' && c.p[1] == '=') {
        is_data_eq = 1;
        adv(&c, 1); /* then '=' as any equation */
        ch = '=';
    }
    if (ch == ':' && (lex_word_is(c.p, 15, ":THE CONDITION:") ||
                      lex_word_is(c.p, 12, ":TEST INPUT:"))) {
        /* a reality check: Vensim's simulation ignores them (they run only
           under its Reality Check command), and so does migdev */
        vm_free_entry(e);
        r->n--;
        return 0;
    }
    if (ch == ':' && !is_data_eq && !e->n_lhs) {
        /* a subscript range: not a variable */
        char *display = e->display;
        e->display = NULL;
        const int nline = e->line, ncol = e->col;
        vm_free_entry(e);
        r->n--;
        adv(&c, 1);
        char **elems = NULL;
        int n_elems = 0;
        const int got = vg_subscript(r, c.p, c.line, c.col, &elems, &n_elems);
        int rc = got < 0 ? -1 : 0;
        if (got > 0) { /* GET DIRECT SUBSCRIPT: the elements, as if listed */
            size_t len = 1;
            for (int i = 0; i < n_elems; i++)
                len += strlen(elems[i]) + 2;
            char *list = malloc(len);
            if (!list) {
                rc = vm_oom(r);
            } else {
                list[0] = '\0';
                for (int i = 0; i < n_elems; i++) {
                    strcat(list, i ? ", " : "");
                    strcat(list, elems[i]);
                }
                rc = vs_read_range(r, display, nline, ncol, list, c.line, c.col);
                free(list);
            }
            for (int i = 0; i < n_elems; i++)
                free(elems[i]);
            free(elems);
        } else if (!rc) {
            rc = vs_read_range(r, display, nline, ncol, c.p, c.line, c.col);
        }
        free(display);
        return rc;
    }
    if (ch == '<' && c.p[1] == '-' && c.p[2] == '>' && !e->n_lhs) {
        char *display = e->display;
        e->display = NULL;
        const int nline = e->line, ncol = e->col;
        vm_free_entry(e);
        r->n--;
        adv(&c, 3);
        const int rc = vs_read_equiv(r, display, nline, ncol, c.p);
        free(display);
        return rc;
    }
    if (ch == '(') {
        e->kind = VE_LOOKUP;
        adv(&c, 1);
        const int got = vg_parse(r, c.p, c.line, c.col, &e->get);
        if (got < 0)
            return -1;
        int rc = 0;
        if (got > 0) { /* name(GET XLS LOOKUPS(...)) */
            adv(&c, (size_t)got);
            rc = e->get->kind == VG_LOOKUPS ? expect(r, &c, ')', "')' closing the lookup")
                                            : err_set(r->err, MIGDEV_E_TYPE, r->file, e->line,
                                                      e->col, "a lookup's points come from GET "
                                                      "XLS LOOKUPS or GET DIRECT LOOKUPS");
        } else {
            rc = read_points(r, &c, &e->x, &e->y, &e->n_points);
        }
        if (!rc) {
            skip_blank(&c);
            if (*c.p)
                rc = err_set(r->err, MIGDEV_E_SYNTAX, r->file, c.line, c.col,
                             "expected the end of the lookup table, found '%.*s'",
                             (int)lex_char_len(c.p), c.p);
        }
        return rc;
    }
    if (ch != '=')
        return err_set(r->err, MIGDEV_E_UNSUPPORTED, r->file, e->line, e->col,
                       ch ? "expected '=' after the name '%s'"
                          : "'%s' has no equation: data variables are not supported",
                       e->display);
    adv(&c, c.p[1] == '=' ? 2 : 1); /* '=' or '==' */
    skip_blank(&c);
    if (!*c.p)
        return err_set(r->err, MIGDEV_E_SYNTAX, r->file, c.line, c.col,
                       "'%s' has an empty equation", e->display);
    /* GET XLS DATA(...) and its kin: the values come from a file */
    const int got = vg_parse(r, c.p, c.line, c.col, &e->get);
    if (got < 0)
        return -1;
    if (got > 0) {
        adv(&c, (size_t)got);
        skip_blank(&c);
        if (*c.p)
            return err_set(r->err, MIGDEV_E_UNSUPPORTED, r->file, c.line, c.col,
                           "%s is supported as a whole equation only, found '%.*s' after it",
                           e->get->fn, (int)lex_char_len(c.p), c.p);
        if (e->get->kind == VG_LOOKUPS)
            e->kind = VE_LOOKUP;
        if (e->get->kind == VG_DATA)
            e->is_data = 1;
        else
            e->is_data = 0;
        return 0;
    }
    /* "x := expression" (data computed from data and constants): Vensim
       evaluates it as any auxiliary */
    e->is_data = 0;
    /* WITH LOOKUP(input, table) */
    lex_init_rules(&lx, &vexpr_rules, c.p, c.line, c.col);
    t = lex_next(&lx);
    int is_wl = 0;
    if (t.type == TK_NAME) {
        char *k = xname_key(t.name);
        is_wl = k && strcmp(k, "with_lookup") == 0;
        free(k);
    }
    free(t.name);
    if (is_wl) {
        cursor w = {lx.p, lx.line, lx.col};
        skip_blank(&w);
        if (*w.p == '(')
            return with_lookup(r, e, &w);
    }
    e->eq = vm_dup_n(c.p, strlen(c.p));
    if (!e->eq)
        return vm_oom(r);
    e->eq_line = c.line;
    e->eq_col = c.col;
    const int tabbed = tabbed_array(r, e, &c);
    if (tabbed)
        return tabbed < 0 ? -1 : 0;
    if (e->n_lhs) {
        const int is_list = vs_number_list(e->eq, &e->list, &e->n_list);
        if (is_list < 0)
            return vm_oom(r);
        if (is_list)
            return 0;
    }
    out_colons(e->eq);
    e->tree = vexpr_parse(e->eq, r->file, c.line, c.col, r->err);
    return e->tree ? 0 : -1;
}

/* The line that starts the sketch: backslashes, then "---///". */
static int is_sketch(const char *p)
{
    if (*p != '\\')
        return 0;
    while (*p == '\\')
        p++;
    return strncmp(p, "---///", 6) == 0;
}

/* Split the file into entries up to the sketch. */
static int read_entries(vreader *r, const char *text)
{
    cursor c = {text, 1, 1};
    if ((unsigned char)c.p[0] == 0xEF && (unsigned char)c.p[1] == 0xBB &&
        (unsigned char)c.p[2] == 0xBF)
        c.p += 3;
    skip_blank(&c);
    if (*c.p == '{') { /* {UTF-8} */
        const char *q = strchr(c.p, '}');
        if (q && q - c.p < 40)
            adv(&c, (size_t)(q - c.p) + 1);
    }
    for (;;) {
        skip_blank(&c);
        if (!*c.p || is_sketch(c.p))
            return 0;
        const cursor start = c;
        /* the equation ends at the first '~' (or '|') outside quotes */
        const char *q = c.p;
        int quoted = 0;
        for (; *q; q++) {
            if (*q == '"')
                quoted = !quoted;
            else if (quoted && *q == '\\' && q[1])
                q++; /* \" in a quoted name */
            else if (!quoted && (*q == '~' || *q == '|'))
                break;
        }
        const char *units = q, *doc = q, *bar = q;
        size_t units_n = 0, doc_n = 0;
        if (*q == '~') {
            units = q + 1;
            const char *u = units;
            while (*u && *u != '~' && *u != '|')
                u++;
            units_n = (size_t)(u - units);
            doc = u;
            if (*u == '~') {
                doc = u + 1;
                const char *d = doc;
                while (*d && *d != '|')
                    d++;
                doc_n = (size_t)(d - doc);
                bar = d;
            } else {
                bar = u;
            }
        }
        if (*bar != '|')
            return err_set(r->err, MIGDEV_E_SYNTAX, r->file, start.line, start.col,
                           "this equation is not ended by '|'");
        char *eq = vm_dup_n(start.p, (size_t)(q - start.p));
        if (!eq)
            return vm_oom(r);
        const int rc = read_entry(r, eq, start.line, start.col, units, units_n, doc, doc_n);
        free(eq);
        if (rc)
            return rc;
        adv(&c, (size_t)(bar - c.p) + 1);
    }
}

/* ------------------------------------------------------------------ names */

static int by_key_cmp(const vreader *r, int a, int b)
{
    const int c = strcmp(r->e[a].key, r->e[b].key);
    return c ? c : (a < b ? -1 : a > b);
}

/* insertion into a sorted index would be quadratic: merge sort instead */
static void sort_keys(const vreader *r, int *a, int *tmp, int n)
{
    if (n < 2)
        return;
    const int h = n / 2;
    sort_keys(r, a, tmp, h);
    sort_keys(r, a + h, tmp, n - h);
    int i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = by_key_cmp(r, a[i], a[j]) <= 0 ? a[i++] : a[j++];
    while (i < h)
        tmp[k++] = a[i++];
    while (j < n)
        tmp[k++] = a[j++];
    memcpy(a, tmp, (size_t)n * sizeof *a);
}

static int find_key(const vreader *r, const char *key)
{
    int lo = 0, hi = r->n - 1;
    while (lo <= hi) {
        const int mid = lo + (hi - lo) / 2;
        const int c = strcmp(r->e[r->by_key[mid]].key, key);
        if (c == 0)
            return r->by_key[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

static int index_names(vreader *r)
{
    r->by_key = malloc((size_t)(r->n + 1) * sizeof *r->by_key);
    int *tmp = malloc((size_t)(r->n + 1) * sizeof *tmp);
    if (!r->by_key || !tmp) {
        free(tmp);
        return vm_oom(r);
    }
    for (int i = 0; i < r->n; i++)
        r->by_key[i] = i;
    sort_keys(r, r->by_key, tmp, r->n);
    free(tmp);
    for (int i = 1; i < r->n; i++) {
        const ventry *a = &r->e[r->by_key[i - 1]], *b = &r->e[r->by_key[i]];
        if (strcmp(a->key, b->key) == 0)
            return err_set(r->err, MIGDEV_E_NAME, r->file, b->line, b->col,
                           "'%s' is defined twice (first at line %d)", b->display, a->line);
    }
    return 0;
}

static const char *find_name(const void *ctx, const char *key, int *is_lookup)
{
    const vreader *r = ctx;
    const int i = find_key(r, key);
    if (i < 0)
        return NULL;
    *is_lookup = r->e[i].kind == VE_LOOKUP;
    return r->e[i].name;
}

/* --------------------------------------------------------------- building */

static int is_call_of(const node *n, const char *key)
{
    if (n->kind != N_CALL || n->is_builtin)
        return 0;
    char *k = xname_key(n->name);
    const int is = k && strcmp(k, key) == 0;
    free(k);
    return is;
}

static int translate(vreader *r, ventry *e, node **np)
{
    const vt_ctx c = {r->file, find_name, r, e->name, r->err};
    return vt_translate(&c, np);
}

static int control_ref(const void *ctx, const node *n, double *x);

typedef struct cctx {
    const vreader *r;
    int depth;
    int at_start;   /* evaluating at the start of the run: calls allowed */
    double start;   /* INITIAL TIME */
} cctx;

/* Builtins at the start of the run (INITIAL TIME), for the values Vensim
** reads once at initialization (the order of SMOOTH N and DELAY N). */
static int start_call(const void *ctx, const node *n, const double *a, double *x)
{
    const cctx *c = ctx;
    if (!n->is_builtin)
        return -1;
    const double t = c->start;
    if (!strcmp(n->name, "time") && n->nargs == 0)
        *x = t;
    else if (!strcmp(n->name, "step") && n->nargs == 2)
        *x = t >= a[1] ? a[0] : 0.0;
    else if (!strcmp(n->name, "ramp") && n->nargs == 3)
        *x = t <= a[1] ? 0.0 : a[0] * ((t < a[2] ? t : a[2]) - a[1]);
    else if (!strcmp(n->name, "min") && n->nargs == 2)
        *x = a[0] < a[1] ? a[0] : a[1];
    else if (!strcmp(n->name, "max") && n->nargs == 2)
        *x = a[0] > a[1] ? a[0] : a[1];
    else if (!strcmp(n->name, "init") && n->nargs == 1)
        *x = a[0];
    else if (!strcmp(n->name, "if_then_else") && n->nargs == 3)
        *x = a[0] != 0.0 ? a[1] : a[2]; /* STEP and PULSE are made of it */
    else if (!strcmp(n->name, "dt") && n->nargs == 0) {
        const int ks = find_key(c->r, "time_step");
        cctx cd = {c->r, 0, 0, 0.0};
        if (ks < 0 || c->r->e[ks].kind != VE_EQ ||
            const_eval(c->r->e[ks].tree, control_ref, &cd, x) != 0)
            return -1;
    } else
        return -1;
    return 0;
}

/* The order of SMOOTH N and DELAY N fixes the number of stages when the
** model compiles: a constant (or an equation of constants) is folded to its
** number here, as Vensim reads it at the start. */
static void fold_orders(const vreader *r, node *n)
{
    for (int i = 0; i < n->nargs; i++)
        fold_orders(r, n->args[i]);
    if (n->kind != N_CALL || !n->is_builtin || n->nargs < 3 ||
        (strcmp(n->name, "smoothn") != 0 && strcmp(n->name, "delayn_staged") != 0))
        return;
    node *a = n->args[2];
    cctx c = {r, 0, 1, 0.0};
    double x;
    const ventry *t0 = NULL;
    const int k0 = find_key(r, "initial_time");
    if (k0 >= 0)
        t0 = &r->e[k0];
    cctx c0 = {r, 0, 0, 0.0};
    if (t0 && t0->kind == VE_EQ && const_eval(t0->tree, control_ref, &c0, &c.start) != 0)
        t0 = NULL;
    if (a->kind != N_NUM && t0 && const_eval_calls(a, control_ref, start_call, &c, &x) == 0) {
        for (int i = 0; i < a->nargs; i++)
            node_free(a->args[i]);
        free(a->args);
        a->args = NULL;
        a->nargs = 0;
        free(a->name);
        a->name = NULL;
        a->kind = N_NUM;
        a->num = x;
        a->height = 1;
    }
    /* DELAY N whose delay time (a constant) is shorter than n time steps:
       the order drops until n steps fit in it, as Vensim (and PySD) compute
       it; a delay time that changes keeps the order */
    const int ks = find_key(r, "time_step");
    double dt, delay;
    cctx cd = {r, 0, 0, 0.0};
    if (strcmp(n->name, "delayn_staged") == 0 && a->kind == N_NUM && ks >= 0 && t0 &&
        r->e[ks].kind == VE_EQ && const_eval(r->e[ks].tree, control_ref, &cd, &dt) == 0 &&
        dt > 0 && const_eval(n->args[1], control_ref, &cd, &delay) == 0)
        while (a->num > 1 && a->num * dt > delay * (1 + 1e-12))
            a->num -= 1;
}

/* name with a suffix (and a number k > 0) before its subscripts:
** "x[a,b]" -> "x_lookup[a,b]", a name the engine's lexer reads as one, as
** it reads the element's own. */
static void suffixed(char *out, size_t n, const char *name, const char *suffix, int k)
{
    const char *lb = strchr(name, '[');
    const int base = lb ? (int)(lb - name) : (int)strlen(name);
    if (k > 0)
        snprintf(out, n, "%.*s%s_%d%s", base, name, suffix, k, lb ? lb : "");
    else
        snprintf(out, n, "%.*s%s%s", base, name, suffix, lb ? lb : "");
}

/* Levels, translation, constants. */
static int analyse(vreader *r)
{
    for (int i = 0; i < r->n; i++) {
        ventry *e = &r->e[i];
        if (e->kind != VE_EQ)
            continue;
        if (e->x) { /* WITH LOOKUP: a table of its own, called with the input */
            const size_t n = strlen(e->name) + 16;
            e->table = malloc(n);
            node *call = e->table ? node_new(N_CALL, e->eq_line, e->eq_col, NULL, 0) : NULL;
            if (!call)
                return vm_oom(r);
            suffixed(e->table, n, e->name, "_lookup", 0);
            call->name = vm_dup_n(e->table, strlen(e->table));
            if (!call->name || translate(r, e, &e->tree) != 0) {
                node_free(call);
                return call->name ? -1 : vm_oom(r);
            }
            if (node_push(call, e->tree) != 0) {
                e->tree = NULL;
                return vm_oom(r);
            }
            e->tree = call;
            continue;
        }
        if (is_call_of(e->tree, "integ")) {
            node *t = e->tree;
            if (t->nargs != 2)
                return err_set(r->err, MIGDEV_E_TYPE, r->file, t->line, t->col,
                               "INTEG takes 2 arguments (rate, initial value), got %d", t->nargs);
            e->rate = t->args[0];
            e->tree = t->args[1];
            t->nargs = 0;
            node_free(t);
            e->vk = VK_STOCK;
            if (translate(r, e, &e->rate) != 0)
                return -1;
        }
        if (is_call_of(e->tree, "active_initial") && e->tree->nargs == 2) {
            /* the equation runs; the initial value serves initialization */
            node *t = e->tree;
            e->tree = t->args[0];
            e->active_init = t->args[1];
            t->nargs = 0;
            node_free(t);
            if (translate(r, e, &e->active_init) != 0)
                return -1;
        }
        if (translate(r, e, &e->tree) != 0)
            return -1;
        if (e->vk != VK_STOCK && const_is_literal(e->tree, &e->value))
            e->vk = VK_CONST;
    }
    /* once every equation is translated: orders read at the start */
    for (int i = 0; i < r->n; i++) {
        if (r->e[i].tree)
            fold_orders(r, r->e[i].tree);
        if (r->e[i].rate)
            fold_orders(r, r->e[i].rate);
    }
    return 0;
}

/* In a tree evaluated while the model initializes, each reference to an
** ACTIVE INITIAL variable becomes its initial-value expression. */
static int initial_subst(vreader *r, node **np, int depth)
{
    node *n = *np;
    if (depth > CONST_DEPTH)
        return err_set(r->err, MIGDEV_E_NAME, r->file, n->line, n->col,
                       "ACTIVE INITIAL values defined through each other");
    for (int i = 0; i < n->nargs; i++) {
        const int rc = initial_subst(r, &n->args[i], depth);
        if (rc)
            return rc;
    }
    if (n->kind != N_REF)
        return 0;
    char *key = xname_key(n->name);
    const int i = key ? find_key(r, key) : -1;
    free(key);
    if (i < 0 || !r->e[i].active_init)
        return 0;
    node *c = vt_copy(r->e[i].active_init);
    if (!c)
        return vm_oom(r);
    const int rc = initial_subst(r, &c, depth + 1);
    if (rc) {
        node_free(c);
        return rc;
    }
    node_free(n);
    *np = c;
    return 0;
}

/* The initial values of stocks, INITIAL() and the stocks behind SMOOTH and
** DELAY (their initial value, the input's when not given) see ACTIVE
** INITIAL variables' initial values. */
static int apply_active_initial(vreader *r, node **np, int is_init)
{
    node *n = *np;
    if (is_init)
        return initial_subst(r, np, 0);
    if (n->kind == N_CALL && n->is_builtin) {
        static const struct { const char *name; int n_args, init_arg; } st[] = {
            {"smooth", 2, 2}, {"smooth3", 2, 2}, {"delay1", 2, 2}, {"delay3", 2, 2},
            {"smoothn", 3, 3}, {"delayn_staged", 3, 3}, {"init", 1, 0}};
        for (size_t k = 0; k < sizeof st / sizeof st[0]; k++) {
            if (strcmp(n->name, st[k].name) != 0)
                continue;
            if (st[k].init_arg == 0)
                return initial_subst(r, &n->args[0], 0);
            if (n->nargs == st[k].n_args) { /* the input is the initial value */
                node *c = vt_copy(n->args[0]);
                if (!c || node_push(n, c) != 0)
                    return vm_oom(r);
            }
            if (n->nargs > st[k].init_arg) {
                const int rc = initial_subst(r, &n->args[st[k].init_arg], 0);
                if (rc)
                    return rc;
            }
        }
    }
    for (int i = 0; i < n->nargs; i++) {
        const int rc = apply_active_initial(r, &n->args[i], 0);
        if (rc)
            return rc;
    }
    return 0;
}

static int active_initials(vreader *r)
{
    int any = 0;
    for (int i = 0; i < r->n; i++)
        any |= r->e[i].active_init != NULL;
    for (int i = 0; any && i < r->n; i++) {
        ventry *e = &r->e[i];
        if (e->kind != VE_EQ || !e->tree)
            continue;
        int rc = apply_active_initial(r, &e->tree, e->vk == VK_STOCK);
        if (!rc && e->rate)
            rc = apply_active_initial(r, &e->rate, 0);
        if (rc)
            return rc;
    }
    return 0;
}

/* The terms of a sum with their signs; 0, or -1 when a term is not a
** reference (the rate then gets a flow of its own). */
typedef struct term {
    int entry, sign;
} term;

static int sum_terms(const vreader *r, const node *n, int sign, term *out, int *k, int cap)
{
    if (n->kind == N_BINARY && (n->op == TK_PLUS || n->op == TK_MINUS))
        return sum_terms(r, n->args[0], sign, out, k, cap) ||
               sum_terms(r, n->args[1], n->op == TK_MINUS ? -sign : sign, out, k, cap);
    if (n->kind == N_UNARY && (n->op == TK_MINUS || n->op == TK_PLUS))
        return sum_terms(r, n->args[0], n->op == TK_MINUS ? -sign : sign, out, k, cap);
    if (n->kind != N_REF || *k >= cap)
        return -1;
    char *key = xname_key(n->name);
    const int i = key ? find_key(r, key) : -1;
    free(key);
    if (i < 0)
        return -1;
    out[(*k)++] = (term){i, sign};
    return 0;
}

enum { MAX_TERMS = 64 };

static int is_control(const char *key)
{
    return !strcmp(key, "initial_time") || !strcmp(key, "final_time") ||
           !strcmp(key, "time_step") || !strcmp(key, "saveper");
}

/* Which auxiliaries are flows: those of each level's rate when it is a
** signed sum of auxiliaries, each entering one level and leaving one. */
static int assign_flows(vreader *r, int **in_of, int **out_of)
{
    *in_of = malloc((size_t)(r->n + 1) * sizeof **in_of);
    *out_of = malloc((size_t)(r->n + 1) * sizeof **out_of);
    if (!*in_of || !*out_of)
        return vm_oom(r);
    for (int i = 0; i < r->n; i++)
        (*in_of)[i] = (*out_of)[i] = -1;
    for (int s = 0; s < r->n; s++) {
        ventry *e = &r->e[s];
        if (e->vk != VK_STOCK)
            continue;
        term t[MAX_TERMS];
        int k = 0, ok = sum_terms(r, e->rate, 1, t, &k, MAX_TERMS) == 0;
        for (int j = 0; ok && j < k; j++) {
            const ventry *f = &r->e[t[j].entry];
            int *slot = t[j].sign > 0 ? &(*in_of)[t[j].entry] : &(*out_of)[t[j].entry];
            ok = f->kind == VE_EQ && !f->x && (f->vk == VK_AUX || f->vk == VK_FLOW) &&
                 !is_control(f->key) && *slot < 0;
            for (int i = 0; ok && i < j; i++)
                ok = t[i].entry != t[j].entry;
        }
        if (!ok) {
            e->net_flow = 1;
            continue;
        }
        for (int j = 0; j < k; j++) {
            r->e[t[j].entry].vk = VK_FLOW;
            (t[j].sign > 0 ? *in_of : *out_of)[t[j].entry] = s;
        }
    }
    return 0;
}

/* The value of a control variable (a constant expression of constants). */
static int control_ref(const void *ctx, const node *n, double *x)
{
    cctx *c = (cctx *)ctx; /* the depth guard changes while evaluating */
    char *key = xname_key(n->name);
    const int i = key ? find_key(c->r, key) : -1;
    free(key);
    if (i < 0 || c->r->e[i].kind != VE_EQ || c->r->e[i].vk == VK_STOCK || c->depth > CONST_DEPTH)
        return -1;
    c->depth++;
    const int rc = c->at_start
                       ? const_eval_calls(c->r->e[i].tree, control_ref, start_call, c, x)
                       : const_eval(c->r->e[i].tree, control_ref, c, x);
    c->depth--;
    return rc;
}

static int control(vreader *r, const char *key, const char *vensim, int required, double *x,
                   const ventry **at)
{
    const int i = find_key(r, key);
    *at = i >= 0 ? &r->e[i] : NULL;
    if (i < 0) {
        if (!required)
            return 1;
        return err_set(r->err, MIGDEV_E_NAME, r->file, 1, 1,
                       "the model has no %s (the simulation's times are its control "
                       "variables INITIAL TIME, FINAL TIME, TIME STEP)", vensim);
    }
    const ventry *e = &r->e[i];
    cctx c = {r, 0, 0, 0.0};
    if (e->kind != VE_EQ || e->vk == VK_STOCK || const_eval(e->tree, control_ref, &c, x) != 0)
        return err_set(r->err, MIGDEV_E_UNSUPPORTED, r->file, e->line, e->col,
                       "%s must be a constant (an equation of numbers and constants)", vensim);
    return 0;
}

static int set_spec(vreader *r, migdev_model *m)
{
    const ventry *at = NULL, *fin = NULL, *step = NULL;
    double t0, t1, dt, save;
    int rc;
    if ((rc = control(r, "initial_time", "INITIAL TIME", 1, &t0, &at)) != 0 ||
        (rc = control(r, "final_time", "FINAL TIME", 1, &t1, &fin)) != 0 ||
        (rc = control(r, "time_step", "TIME STEP", 1, &dt, &step)) != 0)
        return rc;
    rc = control(r, "saveper", "SAVEPER", 0, &save, &at);
    if (rc < 0)
        return rc;
    if (rc > 0)
        save = dt;
    m->spec.start = t0;
    m->spec.stop = t1;
    m->spec.dt = dt;
    m->spec.save_every = save;
    m->spec.method = MIGDEV_EULER; /* Vensim's default integration */
    migdev_error e2;
    migdev_error_clear(&e2);
    if (migdev_spec_check(&m->spec, &e2) != 0)
        return err_set(r->err, e2.code, r->file, fin->line, fin->col, "simulation times: %s",
                       e2.message);
    if (step->units[0] && util_set_str(&m->time_units, step->units))
        return vm_oom(r);
    m->time_units_line = step->line;
    return 0;
}

/* A name for a level's own flow, not taken by any entry. */
static char *net_flow_name(const vreader *r, const ventry *s)
{
    const size_t n = strlen(s->name) + 32;
    char *name = malloc(n);
    for (int k = 0; name; k++) {
        suffixed(name, n, s->name, "_net_flow", k);
        char *key = xname_key(name);
        if (!key) {
            free(name);
            return NULL;
        }
        const int taken = find_key(r, key) >= 0;
        free(key);
        if (!taken)
            return name;
    }
    return NULL;
}

static int add_var(vreader *r, migdev_model *m, var_kind k, const char *name, const ventry *e,
                   node **tree)
{
    int idx;
    if (k == VK_CONST) {
        char *text = vt_native_text(*tree);
        idx = text ? mb_add_var(m, VK_CONST, name, e->line, e->col, NULL, e->eq_line, e->eq_col,
                                r->err)
                   : vm_oom(r);
        free(text);
        if (idx >= 0)
            m->vars[idx].value = e->value;
    } else {
        char *text = vt_native_text(*tree);
        if (!text)
            return vm_oom(r);
        idx = mb_add_var_tree(m, k, name, e->line, e->col, text, *tree, e->eq_line, e->eq_col,
                              r->err);
        *tree = NULL; /* taken */
        free(text);
    }
    if (idx < 0)
        return idx;
    return mb_set_docs(m, idx, e->units, e->doc, NULL) ? vm_oom(r) : 0;
}

/* The points of a lookup in x order (insertion sort: tables are short and
** nearly always sorted already); equal x values stay for mb_add_lookup to
** refuse. */
static void sort_points(double *x, double *y, int n)
{
    for (int i = 1; i < n; i++) {
        const double kx = x[i], ky = y[i];
        int j = i - 1;
        while (j >= 0 && x[j] > kx) {
            x[j + 1] = x[j];
            y[j + 1] = y[j];
            j--;
        }
        x[j + 1] = kx;
        y[j + 1] = ky;
    }
}

static int build(vreader *r, migdev_model *m)
{
    int *in_of = NULL, *out_of = NULL;
    int rc = assign_flows(r, &in_of, &out_of);
    for (int i = 0; !rc && i < r->n; i++) {
        ventry *e = &r->e[i];
        if (e->x)
            sort_points(e->x, e->y, e->n_points);
        if (e->kind == VE_LOOKUP) {
            rc = mb_add_lookup(m, e->name, e->x, e->y, e->n_points, (lookup_kind)e->lk_kind, e->line,
                               e->col, r->err);
            rc = rc < 0 ? rc : 0; /* the table's index */
            if (!rc) {
                lookup_tbl *t = &m->lookups[m->n_lookups - 1];
                rc = util_set_str(&t->units, e->units) || util_set_str(&t->doc, e->doc) ? vm_oom(r)
                                                                                         : 0;
            }
            continue;
        }
        if (e->table) {
            rc = mb_add_lookup(m, e->table, e->x, e->y, e->n_points,
                               e->is_data ? (lookup_kind)e->lk_kind : LK_CONTINUOUS, e->line,
                               e->col, r->err);
            rc = rc < 0 ? rc : 0;
            /* a data variable's table is read at TIME: its x is in time units */
            if (!rc && e->is_data && m->time_units &&
                util_set_str(&m->lookups[m->n_lookups - 1].x_units, m->time_units))
                rc = vm_oom(r);
        }
        if (!rc)
            rc = add_var(r, m, e->vk, e->name, e, &e->tree);
        if (!rc && e->vk == VK_STOCK && e->net_flow) {
            char *fname = net_flow_name(r, e);
            if (!fname)
                rc = vm_oom(r);
            else {
                rc = add_var(r, m, VK_FLOW, fname, e, &e->rate);
                if (!rc)
                    rc = mb_attach(m, e->name, fname, 0, e->line, e->col, r->err);
                free(fname);
            }
        }
    }
    for (int i = 0; !rc && i < r->n; i++) {
        if (in_of[i] >= 0)
            rc = mb_attach(m, r->e[in_of[i]].name, r->e[i].name, 0, r->e[in_of[i]].line,
                           r->e[in_of[i]].col, r->err);
        if (!rc && out_of[i] >= 0)
            rc = mb_attach(m, r->e[out_of[i]].name, r->e[i].name, 1, r->e[out_of[i]].line,
                           r->e[out_of[i]].col, r->err);
    }
    free(in_of);
    free(out_of);
    return rc;
}

/* ------------------------------------------------------ lookup variants */

/* Node builders for the rewrites below: each takes its children and frees
** them (and itself) when any is NULL or out of memory. */
static node *numnode(double x, const node *at)
{
    node *n = node_new(N_NUM, at->line, at->col, NULL, 0);
    if (n)
        n->num = x;
    return n;
}

static node *with3(node *n, node *a, node *b, node *c)
{
    node *k[3] = {a, b, c};
    int ok = n != NULL;
    for (int i = 0; i < 3; i++)
        ok = ok && k[i] != NULL;
    for (int i = 0; i < 3; i++) {
        if (ok && node_push(n, k[i]) != 0) /* node_push freed k[i] */
            ok = 0;
        else if (!ok)
            node_free(k[i]);
    }
    if (!ok) {
        node_free(n);
        return NULL;
    }
    return n;
}

static node *node2(node_kind kind, int op, node *a, node *b)
{
    node *n = a ? node_new(kind, a->line, a->col, NULL, 0) : NULL;
    if (n)
        n->op = op;
    if (!n || !b || node_push(n, a) != 0) {
        if (n && b)
            a = NULL; /* node_push freed it */
        node_free(n), node_free(a), node_free(b);
        return NULL;
    }
    if (node_push(n, b) != 0) {
        node_free(n);
        return NULL;
    }
    return n;
}

/* LOOKUP EXTRAPOLATE(table, x), LOOKUP FORWARD(...), LOOKUP BACKWARD(...):
** the table read another way (extrapolated past its ends; the value of the
** point at or after x; at or before x) is a copy of the table of that kind,
** made once ("table_extrapolate[a]"), which the call then calls.
** LOOKUP INVERT(table, y): the x at which the table gives y, :NA: when y is
** outside the table's values (Vensim's documentation); the copy has the
** points with x and y swapped, which needs a table whose values strictly
** rise or fall (else there may be several x, and it is refused). */
static int lookup_variants(vreader *r, node **np)
{
    node *n = *np;
    for (int i = 0; i < n->nargs; i++) {
        const int rc = lookup_variants(r, &n->args[i]);
        if (rc)
            return rc;
    }
    static const struct { const char *key, *suffix; lookup_kind kind; } v[] = {
        {"lookup_extrapolate", "_extrapolate", LK_EXTRAPOLATE},
        {"lookup_forward", "_forward", LK_FORWARD},
        {"lookup_backward", "_backward", LK_DISCRETE},
        {"lookup_invert", "_invert", LK_CONTINUOUS}};
    const int invert_k = 3;
    int k = -1;
    for (int i = 0; i < 4 && n->kind == N_CALL && !n->is_builtin && n->name; i++)
        if (is_call_of(n, v[i].key))
            k = i;
    if (k < 0)
        return 0;
    if (n->nargs != 2 || n->args[0]->kind != N_REF)
        return err_set(r->err, MIGDEV_E_TYPE, r->file, n->line, n->col,
                       "%s takes a lookup's name and its input: %s(table, x)", n->name, n->name);
    char *key = xname_key(n->args[0]->name);
    int t = -1;
    for (int i = 0; key && i < r->n && t < 0; i++)
        if (r->e[i].kind == VE_LOOKUP && r->e[i].key && strcmp(r->e[i].key, key) == 0)
            t = i;
    free(key);
    if (t < 0)
        return err_set(r->err, MIGDEV_E_NAME, r->file, n->args[0]->line, n->args[0]->col,
                       "%s: '%s' is not a lookup", n->name, n->args[0]->name);
    const size_t len = strlen(r->e[t].display) + 16;
    char *name = malloc(len);
    if (!name)
        return vm_oom(r);
    suffixed(name, len, r->e[t].display, v[k].suffix, 0);
    char *nkey = xname_key(name);
    int found = -1;
    for (int i = 0; nkey && i < r->n && found < 0; i++)
        if (r->e[i].key && strcmp(r->e[i].key, nkey) == 0)
            found = i;
    int rc = nkey ? 0 : vm_oom(r);
    if (!rc && found < 0) { /* the copy, once */
        ventry *c = vm_new_entry(r);
        const ventry *src = c ? &r->e[t] : NULL; /* r->e may have moved */
        if (!c) {
            rc = vm_oom(r);
        } else {
            c->kind = VE_LOOKUP;
            c->lk_kind = v[k].kind;
            c->line = src->line;
            c->col = src->col;
            c->display = vm_dup_n(name, strlen(name));
            c->name = xname_engine(name);
            c->key = vm_dup_n(nkey, strlen(nkey));
            c->units = vm_dup_n(src->units, strlen(src->units));
            c->doc = vm_dup_n(src->doc, strlen(src->doc));
            c->x = malloc((size_t)src->n_points * sizeof *c->x);
            c->y = malloc((size_t)src->n_points * sizeof *c->y);
            c->n_points = src->n_points;
            if (!c->display || !c->name || !c->key || !c->units || !c->doc || !c->x || !c->y) {
                rc = vm_oom(r);
            } else if (k != invert_k) {
                memcpy(c->x, src->x, (size_t)src->n_points * sizeof *c->x);
                memcpy(c->y, src->y, (size_t)src->n_points * sizeof *c->y);
            } else {
                const int npt = src->n_points;
                int up = 1, down = 1;
                for (int i = 1; i < npt; i++) {
                    up &= src->y[i] > src->y[i - 1];
                    down &= src->y[i] < src->y[i - 1];
                }
                if (npt < 1 || (!up && !down))
                    rc = err_set(r->err, MIGDEV_E_UNSUPPORTED, r->file, n->line, n->col,
                                 "LOOKUP INVERT of '%s', whose values do not strictly rise or "
                                 "fall, is not supported",
                                 src->display);
                for (int i = 0; !rc && i < npt; i++) { /* swapped, in order of y */
                    const int j = up ? i : npt - 1 - i;
                    c->x[i] = src->y[j];
                    c->y[i] = src->x[j];
                }
            }
        }
    }
    if (!rc) { /* the call becomes table_kind(x) */
        free(n->name);
        n->name = name;
        name = NULL;
        node_free(n->args[0]);
        n->args[0] = n->args[1];
        n->nargs = 1;
    }
    free(name);
    free(nkey);
    if (!rc && k == invert_k) {
        /* IF THEN ELSE(y < lowest :OR: y > highest, :NA:, table_invert(y)) */
        int t2 = -1;
        char *ik = xname_key(n->name);
        for (int i = 0; ik && i < r->n && t2 < 0; i++)
            if (r->e[i].key && strcmp(r->e[i].key, ik) == 0)
                t2 = i;
        free(ik);
        if (t2 < 0)
            return vm_oom(r);
        const ventry *inv = &r->e[t2];
        const int line = n->line, col = n->col;
        node *y1 = vt_copy(n->args[0]), *y2 = vt_copy(n->args[0]), *call = vt_copy(n);
        node *cond = node2(N_BINARY, TK_OR, node2(N_BINARY, TK_LT, y1, numnode(inv->x[0], n)),
                           node2(N_BINARY, TK_GT, y2,
                                 numnode(inv->x[inv->n_points - 1], n)));
        node *ite = node_new(N_CALL, line, col, "if_then_else", strlen("if_then_else"));
        if (ite)
            ite->is_builtin = 1;
        ite = with3(ite, cond, numnode(VENSIM_NA, n), call);
        if (!ite)
            return vm_oom(r);
        node_free(n);
        *np = ite;
    }
    return rc;
}

/* ------------------------------------------------------------------- main */

/* Vensim's NPV, as its documentation defines it by equations: a macro
** read when the model calls NPV and defines no macro of that name. */
static const char npv_macro[] =
    ":MACRO: NPV(stream, discount rate, init val, factor)\n"
    "NPV = (NPV ACCUM + stream * TIME STEP * df) * factor ~~|\n"
    "NPV ACCUM = INTEG(stream * df, init val) ~~|\n"
    "df = INTEG(-df * discount rate / (1 + discount rate * TIME STEP), 1) ~~|\n"
    ":END OF MACRO: ~~|\n";

static int calls(const node *n, const char *key)
{
    if (!n)
        return 0;
    if (is_call_of(n, key))
        return 1;
    for (int i = 0; i < n->nargs; i++)
        if (calls(n->args[i], key))
            return 1;
    return 0;
}

static int builtin_macros(vreader *r)
{
    for (int i = 0; i < r->n_macros; i++)
        if (strcmp(r->macros[i].key, "npv") == 0)
            return 0;
    for (int i = 0; i < r->n; i++)
        if (calls(r->e[i].tree, "npv"))
            return read_entries(r, npv_macro);
    return 0;
}

migdev_model *vensim_load(const char *path, const char *text, migdev_error *err)
{
    char *own = NULL;
    if (!text) {
        own = cfgfile_slurp(path, err);
        if (!own)
            return NULL;
        text = own;
    }
    vreader r;
    memset(&r, 0, sizeof r);
    r.file = path;
    r.err = err;
    migdev_model *m = mb_new(path);
    int rc = m ? 0 : vm_oom(&r);
    if (!rc)
        rc = read_entries(&r, text);
    if (!rc && r.in_macro)
        rc = err_set(err, MIGDEV_E_SYNTAX, path, r.macros[r.in_macro - 1].line,
                     r.macros[r.in_macro - 1].col, "macro '%s' has no :END OF MACRO:",
                     r.macros[r.in_macro - 1].display);
    if (!rc)
        rc = builtin_macros(&r);
    /* flattened first, so that a macro called in a subscripted equation
       gets an instance per element, with that element's arguments */
    if (!rc)
        rc = vs_flatten(&r);
    if (!rc)
        rc = vmac_expand(&r);
    for (int i = 0; !rc && i < r.n; i++) {
        if (r.e[i].tree)
            rc = lookup_variants(&r, &r.e[i].tree);
        if (!rc && r.e[i].rate)
            rc = lookup_variants(&r, &r.e[i].rate);
    }
    if (!rc)
        rc = index_names(&r);
    if (!rc)
        rc = analyse(&r);
    if (!rc)
        rc = active_initials(&r);
    if (!rc) {
        m->free_names = 1;
        m->from_vensim = 1;
        rc = set_spec(&r, m);
    }
    if (!rc)
        rc = build(&r, m);
    if (!rc) {
        char *name = util_path_stem(path);
        if (!name)
            rc = vm_oom(&r);
        else {
            free(m->name);
            m->name = name;
        }
    }
    if (!rc)
        rc = mb_compile(m, err);
    for (int i = 0; i < r.n; i++)
        vm_free_entry(&r.e[i]);
    free(r.e);
    free(r.by_key);
    for (int i = 0; i < r.n_dims; i++) {
        vdim *d = &r.dims[i];
        for (int k = 0; k < d->n_raw; k++)
            free(d->raw[k]);
        for (int k = 0; k < d->n; k++)
            free(d->elems[k]);
        for (int k = 0; k < d->n_maps; k++) {
            free(d->maps[k]);
            for (int j = 0; d->map_list && j < d->n_map_list[k]; j++)
                free(d->map_list[k][j]);
            if (d->map_list)
                free(d->map_list[k]);
        }
        free(d->maps);
        free(d->map_list);
        free(d->n_map_list);
        free(d->raw), free(d->elems), free(d->display), free(d->key), free(d->equiv);
    }
    free(r.dims);
    vmac_free(&r);
    vg_free_books(&r);
    free(own);
    if (rc) {
        migdev_model_free(m);
        return NULL;
    }
    return m;
}

int vensim_sniff_path(const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    return dot && (!slash || dot > slash) && strcasecmp(dot, ".mdl") == 0;
}

int vensim_sniff_text(const char *text)
{
    const unsigned char *p = (const unsigned char *)text;
    if (p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
        p += 3;
    return strncmp((const char *)p, "{UTF-8}", 7) == 0;
}
