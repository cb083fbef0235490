/*
** xarr.c - XMILE arrays (section 3.7 of the standard) flattened into scalar
** variables, as the Vensim reader does (see docs/design.md): no array
** machinery in the engine, nothing looked up while the model runs.
**
** The equations are rewritten as text, token by token with the XMILE lexer:
** `x[dim]` becomes the quoted name "x[elem]" of one element variable, and a
** reduction SUM(x[*]) becomes (x[a] + x[b] + ...), a name alone gets its
** dimensions as subscripts first (expand_bare), a dimension's name its
** element's position, and a subscript computed during the run (x[idx]) a
** search tree of IFs over the positions (pick). Everything else is copied
** as written, so positions in messages stay close to the source.
*/
#include "xarr.h"

#include "consteval.h"
#include "error_int.h"
#include "lexer.h"
#include "xexpr.h"
#include "xname.h"
#include "sbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* CHUNK: terms of a sum or product written as one chain; STDDEV_MAX: the
** most elements STDDEV (written out with the mean in every term) takes. */
enum { MAX_RANK = 8, MAX_BIND = 16, MAX_ELEMS = 100000, CHUNK = 1000, STDDEV_MAX = 1000 };




/* A name as an XMILE quoted identifier; the parts of a qualified one
** (module.variable, joined by XN_SEP) each quoted, joined by '.'. */
static void put_quoted(sbuf *b, const char *name)
{
    const char *p = name;
    if (*p == XN_SEP) { /* ".a": the enclosing model's */
        sbuf_put(b, ".");
        p++;
    }
    sbuf_put(b, "\"");
    for (; *p; p++) {
        if (*p == XN_SEP) {
            sbuf_put(b, "\".\"");
            continue;
        }
        if (*p == '"' || *p == '\\')
            sbuf_put(b, "\\");
        sbuf_put_n(b, p, 1);
    }
    sbuf_put(b, "\"");
}

typedef struct binding {
    const xdim *dim;
    const char *elem;
    int star;       /* a reduction over a '*' (or a range) at this position of a
                       variable whose dimension repeats (q[*, *] of q[N, N]);
                       -1: the owner's, or bound by the dimension's name */
} binding;

typedef struct actx {
    const xarr_dialect *dl;
    const xdoc *d;
    const xmodel *md;
    const char *file;
    migdev_error *err;
    const xvar *owner;
    binding bind[MAX_BIND]; /* the owner's elements, then reductions' */
    int n_bind;
    int n_owner;            /* how many of bind are the owner's */
    int reducing;           /* inside a reduction's argument */
    xvar *hoisted;          /* reductions shared by the elements */
    char **var_keys;        /* every variable's key (scalar ones leave md while
                               the flattening goes on) */
    int n_var_keys;
    int n_hoisted, cap_hoisted;
} actx;

/* A reference to the variable name in a rewritten equation: XMILE quotes
** it ("x[a,b]"); the native format reads x[a,b] as one name. */
static void put_ref(const actx *c, sbuf *b, const char *name)
{
    sbuf_put(b, " ");
    if (c->dl->native)
        sbuf_put(b, name);
    else
        put_quoted(b, name);
    sbuf_put(b, " ");
}

static const xdim *find_dim(const xdoc *d, const char *name)
{
    for (int i = 0; i < d->n_dims; i++)
        if (xname_equal(d->dims[i].name, name))
            return &d->dims[i];
    return NULL;
}

static const char *find_elem(const xdoc *d, const char *name)
{
    for (int i = 0; i < d->n_dims; i++)
        for (int k = 0; k < d->dims[i].n; k++)
            if (xname_equal(d->dims[i].elems[k], name))
                return d->dims[i].elems[k];
    return NULL;
}

static const xvar *find_var(const xmodel *md, const char *name)
{
    char *key = xname_key(name);
    const xvar *v = NULL;
    for (int i = 0; key && !v && i < md->n_vars; i++)
        if (md->vars[i].key && strcmp(md->vars[i].key, key) == 0)
            v = &md->vars[i];
    free(key);
    return v;
}

/* The 1-based position of elem in dim d, or 0. */
static int elem_pos(const xdim *d, const char *elem)
{
    for (int k = 0; k < d->n; k++)
        if (xname_equal(d->elems[k], elem))
            return k + 1;
    return 0;
}

/* The binding a dimension's name stands for: the innermost reduction's
** over it, else the owner's; a reduction over a repeated dimension's '*'
** (q[N, *] of q[N, N] in a variable of N) never hides the owner's. -1:
** none. */
static int name_binding(const actx *c, const xdim *d)
{
    int owner = -1;
    for (int i = 0; i < c->n_owner; i++)
        if (c->bind[i].dim == d)
            owner = i;
    for (int i = c->n_bind - 1; i >= c->n_owner; i--)
        if (c->bind[i].dim == d && !(c->bind[i].star >= 0 && owner >= 0))
            return i;
    return owner;
}

/* The position of the element bound to dimension d (a reduction's, else
** the owner's), or 0 when d is not bound. */
static int bound_pos(const actx *c, const xdim *d)
{
    const int i = name_binding(c, d);
    return i >= 0 ? elem_pos(d, c->bind[i].elem) : 0;
}

/* Whether ref has dimension d at more than one position. */
static int dim_repeats(const actx *c, const xvar *ref, const xdim *d)
{
    int k = 0;
    for (int p = 0; ref && p < ref->n_dims; p++)
        k += find_dim(c->d, ref->dims[p]) == d;
    return k > 1;
}

/* A name "Dim.elem" (parts joined by XN_SEP): the element's position in the
** dimension (XMILE 3.7.1), or 0 when the name is not one. */
static int dotted_pos(const xdoc *d, const char *name)
{
    const char *sep = strchr(name, XN_SEP);
    if (!sep || strchr(sep + 1, XN_SEP))
        return 0;
    char dn[256];
    snprintf(dn, sizeof dn, "%.*s", (int)(sep - name), name);
    for (int i = 0; i < d->n_dims; i++)
        if (xname_equal(d->dims[i].name, dn))
            return elem_pos(&d->dims[i], sep + 1);
    return 0;
}

/* Whether name is a variable of the model (arrayed or not). */
static int is_var_name(const actx *c, const char *name)
{
    char *key = xname_key(name);
    int found = 0;
    for (int i = 0; key && !found && i < c->n_var_keys; i++)
        found = c->var_keys[i] && strcmp(c->var_keys[i], key) == 0;
    free(key);
    return found;
}

/* One token of the equation, with where it starts and ends. */
typedef struct tok {
    token t;
    const char *end;
} tok;

typedef struct toks {
    tok *v;
    int n;
} toks;

static void free_toks(toks *t)
{
    for (int i = 0; i < t->n; i++)
        free(t->v[i].t.name);
    free(t->v);
}

/* Tokens of text (NUL-terminated): 0, 1 when the text has a token the
** lexer cannot read (the builder reports it), -1 when out of memory. */
static int lex_all(const lex_rules *rules, const char *text, toks *out)
{
    lexer lx;
    lex_init_rules(&lx, rules, text, 1, 1);
    int cap = 0;
    out->v = NULL;
    out->n = 0;
    for (;;) {
        token t = lex_next(&lx);
        if (t.type == TK_EOF || t.type == TK_ERROR) {
            free(t.name);
            return t.type == TK_ERROR;
        }
        if (out->n >= cap) {
            cap = cap ? 2 * cap : 32;
            tok *nv = realloc(out->v, (size_t)cap * sizeof *nv);
            if (!nv) {
                free(t.name);
                return -1;
            }
            out->v = nv;
        }
        if (t.type == TK_NAME && !t.name) { /* a dialect that keeps names as text */
            t.name = malloc(t.len + 1);
            if (!t.name)
                return -1;
            memcpy(t.name, t.start, t.len);
            t.name[t.len] = '\0';
        }
        out->v[out->n++] = (tok){t, lx.p};
    }
}

static const char *tok_name(const tok *t)
{
    return t->t.name ? t->t.name : "";
}

/* What elem_of gives for a numeric subscript beyond its dimension: the
** reference is 0 (XMILE 3.7.1). */
static const char OUT_OF_RANGE[] = "";

/* What a subscript computed while the model runs gives (see pick). */
static const char DYNAMIC[] = "";

/* The element a subscript stands for, or NULL (it is a dimension that must
** be reduced over: *reduce is set). */
static const char *elem_of(actx *c, const tok *s, const xvar *ref, int pos, const xdim **reduce,
                           int *bad)
{
    *reduce = NULL;
    if (s->t.type == TK_STAR) {
        /* '*' runs over the whole dimension: only a reduction binds it */
        const xdim *d = ref && pos < ref->n_dims ? find_dim(c->d, ref->dims[pos]) : NULL;
        const int rep = dim_repeats(c, ref, d);
        for (int i = c->n_bind - 1; d && i >= c->n_owner; i--)
            if (c->bind[i].dim == d && (!rep || c->bind[i].star == pos))
                return c->bind[i].elem;
        *reduce = d;
        *bad = d == NULL;
        return NULL;
    }
    const char *name = s->t.type == TK_NAME ? tok_name(s) : NULL;
    char num[64];
    const xdim *rd = ref && pos < ref->n_dims ? find_dim(c->d, ref->dims[pos]) : NULL;
    if (s->t.type == TK_NUM && rd) {
        /* a number indexes the dimension by position, named or not (3.7.1),
           unless it is an element's name as written (a dimension of years
           named 2020, 2021...) */
        snprintf(num, sizeof num, "%.*s", (int)s->t.len, s->t.start);
        for (int k = 0; k < rd->n; k++)
            if (strcmp(rd->elems[k], num) == 0)
                return rd->elems[k];
        const double x = s->t.num;
        if (x != (double)(long)x) {
            *bad = 1;
            return NULL;
        }
        return x >= 1 && x <= rd->n ? rd->elems[(long)x - 1] : OUT_OF_RANGE;
    }
    if (s->t.type == TK_NUM) {
        snprintf(num, sizeof num, "%.*s", (int)s->t.len, s->t.start);
        name = num;
    }
    if (!name) {
        *bad = 1;
        return NULL;
    }
    const xdim *d = find_dim(c->d, name);
    if (d) {
        const int bi = name_binding(c, d);
        if (bi >= 0)
            return c->bind[bi].elem;
        /* a subrange or a super-range of one of the owner's dimensions,
           outside a reduction: the owner's element when d has it */
        for (int i = 0; !c->reducing && i < c->n_owner; i++)
            for (int k = 0; k < d->n; k++)
                if (xname_equal(d->elems[k], c->bind[i].elem))
                    return d->elems[k];
        /* a dimension mapped to one of the owner's (or the owner's mapped to
           it): the element at the same position */
        for (int i = 0; !c->reducing && i < c->n_owner; i++) {
            const xdim *od = c->bind[i].dim;
            if (od->n != d->n || !((d->maps_to && xname_equal(d->maps_to, od->name)) ||
                                   (od->maps_to && xname_equal(od->maps_to, d->name))))
                continue;
            for (int k = 0; k < od->n; k++)
                if (xname_equal(od->elems[k], c->bind[i].elem))
                    return d->elems[k];
        }
        *reduce = d;
        return NULL;
    }
    const char *el = find_elem(c->d, name);
    const int dp = !el && rd ? dotted_pos(c->d, name) : 0;
    if (dp > 0) /* Loc.Boston as a subscript: that position */
        return dp <= rd->n ? rd->elems[dp - 1] : OUT_OF_RANGE;
    *bad = el == NULL;
    return el;
}

static int rewrite(actx *c, const tok *t, int from, int to, sbuf *out);

/* const_eval's references inside a subscript: a dimension bound to an
** element is that element's position, Dim.elem its position. */
static int sub_ref(const void *ctx, const node *n, double *x)
{
    const actx *c = ctx;
    const xdim *d = find_dim(c->d, n->name);
    const int pos = d ? bound_pos(c, d) : dotted_pos(c->d, n->name);
    if (pos <= 0)
        return -1;
    *x = pos;
    return 0;
}

/* A subscript written as an expression, tokens [from, to) (x[d - 1],
** x[Dim.b + 1]): its value, a number of dimension names bound to elements
** and numbers, indexes ref's dimension at pos. The element, OUT_OF_RANGE,
** or NULL with err set. */
static const char *subscript_expr(actx *c, const tok *t, int from, int to, const xvar *ref,
                                  int pos)
{
    const xdim *rd = ref && pos < ref->n_dims ? find_dim(c->d, ref->dims[pos]) : NULL;
    const char *a = t[from].t.start, *b = t[to - 1].end;
    const int len = b > a ? (int)(b - a) : 0;
    if (!rd) {
        err_set(c->err, MIGDEV_E_UNSUPPORTED, c->file, c->owner->eq_line, c->owner->eq_col,
                "subscript '%.*s' in the equation of '%s': an expression indexes only an "
                "arrayed variable",
                len, a, c->owner->name);
        return NULL;
    }
    char *text = malloc((size_t)len + 1);
    if (!text) {
        err_set(c->err, MIGDEV_E_NOMEM, c->file, 0, 0, "out of memory");
        return NULL;
    }
    memcpy(text, a, (size_t)len);
    text[len] = '\0';
    migdev_error perr;
    int empty = 0;
    node *n = xexpr_parse(text, c->file, c->owner->eq_line, c->owner->eq_col, &empty, &perr);
    double x = 0;
    const int ok = n && const_eval(n, sub_ref, c, &x) == 0;
    node_free(n);
    free(text);
    if (!ok && !c->dl->native)
        return DYNAMIC; /* computed while the model runs */
    if (!ok) {
        err_set(c->err, MIGDEV_E_UNSUPPORTED, c->file, c->owner->eq_line, c->owner->eq_col,
                "subscript '%.*s' in the equation of '%s' is not a whole number made of numbers "
                "and dimension names",
                len, a, c->owner->name);
        return NULL;
    }
    if (x != (double)(long)x) {
        err_set(c->err, MIGDEV_E_UNSUPPORTED, c->file, c->owner->eq_line, c->owner->eq_col,
                "subscript '%.*s' in the equation of '%s' is %g, not a whole number", len, a,
                c->owner->name, x);
        return NULL;
    }
    return x >= 1 && x <= rd->n ? rd->elems[(long)x - 1] : OUT_OF_RANGE;
}

/* A subscript that changes during the run (a[idx], a[b[N] + 1]). */
typedef struct dynsub {
    int from, to;  /* its tokens, [from, to) */
    char *index;   /* INT(its rewritten text), made once */
} dynsub;

static int pick_tree(actx *c, const char *name, const xvar *ref, const char **els,
                     dynsub *dyn, int n, int p, int lo, int hi, sbuf *out);

/* A reference to the element variable name[els[0],...,els[n-1]]. */
static int put_element_ref(const actx *c, sbuf *out, const char *name, const char *const *els,
                           int n)
{
    sbuf nm = {NULL, 0, 0, 0};
    sbuf_put(&nm, name);
    for (int e = 0; e < n; e++) {
        sbuf_put(&nm, e ? "," : "[");
        sbuf_put(&nm, els[e]);
    }
    sbuf_put(&nm, "]");
    if (nm.failed) {
        free(nm.s);
        return err_set(c->err, MIGDEV_E_NOMEM, c->file, 0, 0, "out of memory");
    }
    put_ref(c, out, nm.s);
    free(nm.s);
    return 0;
}

/* The element of name[els] where some subscripts (dyn[p].index non-NULL)
** are computed while the model runs: a search tree of IFs on each index
** (depth log2 of the dimension, so that the parser's nesting limit holds
** for large ones), 0 when an index falls outside its dimension (3.7.1). */
static int pick(actx *c, const char *name, const xvar *ref, const char **els, dynsub *dyn, int n,
                sbuf *out)
{
    int p = 0;
    while (p < n && els[p] != DYNAMIC)
        p++;
    if (p == n) {
        return put_element_ref(c, out, name, els, n);
    }
    const xdim *rd = find_dim(c->d, ref->dims[p]);
    char buf[64];
    sbuf_put(out, "(IF ");
    sbuf_put(out, dyn[p].index);
    sbuf_put(out, " >= 1 AND ");
    sbuf_put(out, dyn[p].index);
    snprintf(buf, sizeof buf, " <= %d THEN ", rd->n);
    sbuf_put(out, buf);
    const int rc = pick_tree(c, name, ref, els, dyn, n, p, 1, rd->n, out);
    sbuf_put(out, " ELSE 0)");
    els[p] = DYNAMIC;
    return rc;
}

static int pick_tree(actx *c, const char *name, const xvar *ref, const char **els,
                     dynsub *dyn, int n, int p, int lo, int hi, sbuf *out)
{
    if (lo == hi) {
        els[p] = find_dim(c->d, ref->dims[p])->elems[lo - 1];
        const int rc = pick(c, name, ref, els, dyn, n, out);
        els[p] = DYNAMIC;
        return rc;
    }
    const int mid = lo + (hi - lo) / 2;
    char buf[64];
    sbuf_put(out, "(IF ");
    sbuf_put(out, dyn[p].index);
    snprintf(buf, sizeof buf, " <= %d THEN ", mid);
    sbuf_put(out, buf);
    int rc = pick_tree(c, name, ref, els, dyn, n, p, lo, mid, out);
    sbuf_put(out, " ELSE ");
    if (!rc)
        rc = pick_tree(c, name, ref, els, dyn, n, p, mid + 1, hi, out);
    sbuf_put(out, ")");
    return rc;
}

static int is_reduction(const char *name, const char **op)
{
    static const struct { const char *k, *op; } r[] = {
        {"sum", "+"}, {"prod", "*"}, {"mean", "+"}, {"min", ","}, {"max", ","},
        {"stddev", "s"}};
    char *key = xname_key(name);
    int found = 0;
    for (size_t i = 0; key && i < sizeof r / sizeof r[0]; i++)
        if (strcmp(key, r[i].k) == 0) {
            *op = r[i].op;
            found = (int)i + 1;
        }
    free(key);
    return found;
}

/* The first dimension to reduce over in tokens [from, to), or NULL. */
/* The position in d that one token of a range (a[2:3], a[B:C]) names, or
** 0. */
static int range_pos(const xdim *d, const tok *k)
{
    if (k->t.type == TK_NUM)
        return k->t.num >= 1 && k->t.num <= d->n && k->t.num == (double)(int)k->t.num
                   ? (int)k->t.num
                   : 0;
    return k->t.type == TK_NAME ? elem_pos(d, tok_name(k)) : 0;
}

/* The element a reduction has bound d to (at position pos of ref when
** ref's dimension d repeats), or NULL. */
static const char *reduction_elem(const actx *c, const xdim *d, const xvar *ref, int pos)
{
    const int rep = dim_repeats(c, ref, d);
    for (int b = c->n_bind - 1; d && b >= c->n_owner; b--)
        if (c->bind[b].dim == d && (!rep || c->bind[b].star == pos))
            return c->bind[b].elem;
    return NULL;
}

/* The first dimension to reduce over in tokens [from, to), or NULL; with
** the positions it runs over in *lo, *hi (all of it, or a range a[2:3]). */
static const xdim *reduce_dim(actx *c, const tok *t, int from, int to, int *lo, int *hi,
                              int *star)
{
    for (int i = from; i < to; i++) {
        if (t[i].t.type != TK_NAME || i + 1 >= to || t[i + 1].t.type != TK_LBRACKET)
            continue;
        const xvar *ref = find_var(c->md, tok_name(&t[i]));
        int pos = 0;
        for (int j = i + 2; j < to && t[j].t.type != TK_RBRACKET; j++) {
            if (t[j].t.type == TK_COMMA) {
                pos++;
                continue;
            }
            if (j + 2 < to && t[j + 1].t.type == TK_COLON) { /* a range: lo:hi */
                const xdim *rd = ref && pos < ref->n_dims ? find_dim(c->d, ref->dims[pos]) : NULL;
                const int a = rd ? range_pos(rd, &t[j]) : 0, b = rd ? range_pos(rd, &t[j + 2]) : 0;
                if (rd && a && b && a <= b && !reduction_elem(c, rd, ref, pos)) {
                    *lo = a;
                    *hi = b;
                    *star = dim_repeats(c, ref, rd) ? pos : -1;
                    return rd;
                }
                j += 2;
                continue;
            }
            const xdim *d;
            int bad = 0;
            elem_of(c, &t[j], ref, pos, &d, &bad);
            if (d) {
                *lo = 1;
                *hi = d->n;
                *star = t[j].t.type == TK_STAR && dim_repeats(c, ref, d) ? pos : -1;
                return d;
            }
        }
    }
    return NULL;
}

/* Whether tokens [from, to) (a reduction's argument) name a dimension of
** the owner: then the reduction differs from element to element. */
static int uses_owner(actx *c, const tok *t, int from, int to)
{
    for (int i = from; i < to; i++) {
        if (t[i].t.type != TK_NAME)
            continue;
        const xdim *d = find_dim(c->d, tok_name(&t[i]));
        for (int b = 0; d && b < c->n_owner; b++)
            if (c->bind[b].dim == d)
                return 1;
    }
    return 0;
}

static int rewrite(actx *c, const tok *t, int from, int to, sbuf *out);

/* A name the native format reads for a reduction computed once: its text
** with '*' spelled "all" and every other character outside names an '_'
** (sum(x[*]) is sum_x_all), made unique among the reductions with _2, _3. */
static char *native_name(const actx *c, const char *text)
{
    sbuf b = {NULL, 0, 0, 0};
    sbuf_put(&b, "");
    for (const char *p = text; *p; p++) {
        const int ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                       (*p >= '0' && *p <= '9') || *p == '.';
        if (ok)
            sbuf_put_n(&b, p, 1);
        else if (*p == '*')
            sbuf_put(&b, b.n && b.s[b.n - 1] != '_' ? "_all" : "all");
        else if (b.n && b.s[b.n - 1] != '_')
            sbuf_put(&b, "_");
    }
    while (!b.failed && b.n && b.s[b.n - 1] == '_')
        b.s[--b.n] = '\0';
    if (b.failed)
        return NULL;
    const size_t base = b.n;
    for (int k = 2;; k++) {
        int taken = 0;
        for (int h = 0; h < c->n_hoisted && !taken; h++)
            taken = c->hoisted[h].name && strcmp(c->hoisted[h].name, b.s) == 0;
        if (!taken)
            return b.s;
        char suf[16];
        snprintf(suf, sizeof suf, "_%d", k);
        b.n = base;
        sbuf_put(&b, suf);
        if (b.failed)
            return NULL;
    }
}

/* The reduction tokens [i, j] as a variable of its own, computed once
** (share = x[d] / SUM(x[*])): out gets a reference to it. */
static int hoist(actx *c, const tok *t, int i, int j, sbuf *out)
{
    char *name = NULL;
    {
        sbuf nm = {NULL, 0, 0, 0};
        const char *a = t[i].t.start, *b = t[j].end;
        sbuf_put_n(&nm, a, b > a ? (size_t)(b - a) : 0);
        if (nm.failed)
            return err_set(c->err, MIGDEV_E_NOMEM, c->file, 0, 0, "out of memory");
        name = nm.s;
    }
    /* the name as written, blanks dropped ("SUM(x[*])") */
    size_t k = 0;
    for (size_t p = 0; name[p]; p++)
        if (name[p] != ' ' && name[p] != '\t' && name[p] != '\n' && name[p] != '\r')
            name[k++] = name[p];
    name[k] = '\0';
    int found = -1;
    for (int h = 0; h < c->n_hoisted && found < 0; h++)
        if (c->dl->native ? strcmp(c->hoisted[h].doc, name) == 0
                          : xname_equal(c->hoisted[h].name, name))
            found = h;
    if (found < 0) {
        const int n_owner = c->n_owner, n_bind = c->n_bind;
        c->n_owner = c->n_bind = 0; /* the same for every element */
        sbuf eq = {NULL, 0, 0, 0};
        sbuf_put(&eq, "");
        const int rc = rewrite(c, t, i, j + 1, &eq);
        c->n_owner = n_owner;
        c->n_bind = n_bind;
        if (rc || eq.failed) {
            free(name);
            free(eq.s);
            return rc ? rc : err_set(c->err, MIGDEV_E_NOMEM, c->file, 0, 0, "out of memory");
        }
        if (c->n_hoisted >= c->cap_hoisted) {
            const int cap = c->cap_hoisted ? 2 * c->cap_hoisted : 8;
            xvar *nh = realloc(c->hoisted, (size_t)cap * sizeof *nh);
            if (!nh) {
                free(name);
                free(eq.s);
                return err_set(c->err, MIGDEV_E_NOMEM, c->file, 0, 0, "out of memory");
            }
            c->hoisted = nh;
            c->cap_hoisted = cap;
        }
        xvar *h = &c->hoisted[c->n_hoisted++];
        memset(h, 0, sizeof *h);
        h->kind = XV_AUX;
        h->non_negative = -1;
        h->line = c->owner->line;
        h->col = c->owner->col;
        h->eq_line = c->owner->eq_line;
        h->eq_col = c->owner->eq_col;
        h->name = name;
        h->eqn = eq.s;
        if (c->dl->native) { /* the text is kept as its doc, the name made native */
            h->doc = name;
            h->name = NULL;
            h->name = native_name(c, name);
            if (!h->name)
                return err_set(c->err, MIGDEV_E_NOMEM, c->file, 0, 0, "out of memory");
        }
        h->engine = xname_engine(h->name);
        h->key = xname_key(h->name);
        if (!h->engine || !h->key)
            return err_set(c->err, MIGDEV_E_NOMEM, c->file, 0, 0, "out of memory");
        found = c->n_hoisted - 1;
    } else {
        free(name);
    }
    put_ref(c, out, c->hoisted[found].name);
    return 0;
}

/* SIZE(x) or SIZE(x[*, d]) at tokens [i, j] (j the ')'): how many
** elements, or -1 with err set. */
static long size_of(actx *c, const tok *t, int i, int j)
{
    const xvar *ref = NULL;
    if (i + 2 < j && t[i + 2].t.type == TK_NAME) /* SIZE(SELF): the variable's own (3.5.6) */
        ref = xname_equal(tok_name(&t[i + 2]), "self") ? c->owner
                                                        : find_var(c->md, tok_name(&t[i + 2]));
    if (!ref || !ref->n_dims) {
        err_set(c->err, MIGDEV_E_TYPE, c->file, c->owner->eq_line, c->owner->eq_col,
                "SIZE needs an arrayed variable, as SIZE(x) or SIZE(x[*]) (in the equation of "
                "'%s')",
                c->owner->name);
        return -1;
    }
    long n = 1;
    if (i + 3 >= j) { /* SIZE(x): all its elements */
        for (int p = 0; p < ref->n_dims; p++) {
            const xdim *d = find_dim(c->d, ref->dims[p]);
            n *= d ? d->n : 1;
        }
        return n;
    }
    int pos = 0;
    for (int q = i + 4; q < j && t[q].t.type != TK_RBRACKET; q++) {
        if (t[q].t.type == TK_COMMA) {
            pos++;
            continue;
        }
        const xdim *d = NULL;
        int bad = 0;
        c->reducing++;
        const char *el = elem_of(c, &t[q], ref, pos, &d, &bad);
        c->reducing--;
        if (!el && d)
            n *= d->n;
        else if (!el) {
            err_set(c->err, MIGDEV_E_NAME, c->file, c->owner->eq_line, c->owner->eq_col,
                    "unknown subscript '%.*s' in the equation of '%s'", (int)t[q].t.len,
                    t[q].t.start, c->owner->name);
            return -1;
        }
    }
    return n;
}

/* The terms of a reduction's argument, tokens [from, to): one term per
** element of each dimension it runs over (nested, first dimension
** outermost: SUM(m[*, *]) is m[a,1] + m[a,2] + m[b,1]...), or the argument
** itself when it runs over none. Each term is written after sep (after
** chunk_sep every CHUNK terms, when not NULL), except the first of all;
** *count counts them. out NULL: only count. */
static int reduce_terms(actx *c, const tok *t, int from, int to, const char *sep,
                        const char *chunk_sep, long *count, sbuf *out)
{
    int lo = 0, hi = 0, star = -1;
    c->reducing++;
    const xdim *d = reduce_dim(c, t, from, to, &lo, &hi, &star);
    c->reducing--;
    if (!d) {
        if (out && *count)
            sbuf_put(out, chunk_sep && *count % CHUNK == 0 ? chunk_sep : sep);
        if (++*count > MAX_ELEMS)
            return err_set(c->err, MIGDEV_E_RANGE, c->file, c->owner->eq_line, c->owner->eq_col,
                           "a reduction over more than %d elements in the equation of '%s'",
                           MAX_ELEMS, c->owner->name);
        if (!out)
            return 0;
        c->reducing++;
        const int rc = rewrite(c, t, from, to, out);
        c->reducing--;
        return rc;
    }
    if (c->n_bind >= MAX_BIND)
        return err_set(c->err, MIGDEV_E_UNSUPPORTED, c->file, c->owner->eq_line,
                       c->owner->eq_col, "reductions nested too deep in the equation of '%s'",
                       c->owner->name);
    for (int e = lo - 1; e < hi; e++) {
        c->bind[c->n_bind++] = (binding){d, d->elems[e], star};
        const int rc = reduce_terms(c, t, from, to, sep, chunk_sep, count, out);
        c->n_bind--;
        if (rc)
            return rc;
    }
    return 0;
}

/* Rewrite tokens [from, to) of the equation into out. */
static int rewrite(actx *c, const tok *t, int from, int to, sbuf *out)
{
    for (int i = from; i < to; i++) {
        const tok *k = &t[i];
        const char *op;
        if (k->t.type == TK_NAME && i + 1 < to && t[i + 1].t.type == TK_LPAREN &&
            xname_equal(tok_name(k), "rank"))
            return err_set(c->err, MIGDEV_E_UNSUPPORTED, c->file, c->owner->eq_line,
                           c->owner->eq_col,
                           "RANK is not supported (in the equation of '%s'; the array builtins "
                           "read are SUM, PROD, MEAN, MIN, MAX, STDDEV and SIZE)",
                           c->owner->name);
        if (k->t.type == TK_NAME && i + 1 < to && t[i + 1].t.type == TK_LPAREN &&
            xname_equal(tok_name(k), "size")) {
            int depth = 0, j = i + 1;
            for (; j < to; j++) {
                depth += t[j].t.type == TK_LPAREN;
                depth -= t[j].t.type == TK_RPAREN;
                if (depth == 0)
                    break;
            }
            const long n = j < to ? size_of(c, t, i, j) : -1;
            if (n < 0)
                return j < to ? -1
                              : err_set(c->err, MIGDEV_E_SYNTAX, c->file, c->owner->eq_line,
                                        c->owner->eq_col, "'(' is never closed in the equation of '%s'",
                                        c->owner->name);
            char buf[32];
            snprintf(buf, sizeof buf, " %ld ", n);
            sbuf_put(out, buf);
            i = j;
            continue;
        }
        if (k->t.type == TK_NAME && i + 1 < to && t[i + 1].t.type == TK_LPAREN &&
            is_reduction(tok_name(k), &op)) {
            /* the matching ')' */
            int depth = 0, j = i + 1;
            for (; j < to; j++) {
                depth += t[j].t.type == TK_LPAREN;
                depth -= t[j].t.type == TK_RPAREN;
                if (depth == 0)
                    break;
            }
            c->reducing++;
            int lo_, hi_, star_;
            const xdim *d = j < to ? reduce_dim(c, t, i + 2, j, &lo_, &hi_, &star_) : NULL;
            c->reducing--;
            if (d && c->n_owner > 0 && c->n_bind == c->n_owner && !uses_owner(c, t, i + 2, j)) {
                const int rc = hoist(c, t, i, j, out);
                if (rc)
                    return rc;
                i = j;
                continue;
            }
            if (d && !strcmp(op, "s")) {
                /* the population standard deviation: sqrt of the mean
                   squared deviation from the mean, both written out over
                   every element (of one dimension or several) */
                long count = 0;
                int rc = reduce_terms(c, t, i + 2, j, NULL, NULL, &count, NULL);
                if (rc)
                    return rc;
                if (count > STDDEV_MAX)
                    return err_set(c->err, MIGDEV_E_UNSUPPORTED, c->file, c->owner->eq_line,
                                   c->owner->eq_col,
                                   "STDDEV over %ld elements in the equation of '%s': at most %d "
                                   "(it is written out term by term; compute the mean in a "
                                   "variable of its own and the root of the mean squared "
                                   "deviation from it)",
                                   count, c->owner->name, STDDEV_MAX);
                sbuf mean = {NULL, 0, 0, 0};
                sbuf_put(&mean, "(((");
                long done = 0;
                rc = reduce_terms(c, t, i + 2, j, ") + (", NULL, &done, &mean);
                char buf[48];
                snprintf(buf, sizeof buf, ")) / %ld)", count);
                sbuf_put(&mean, buf);
                if (!rc && mean.failed)
                    rc = err_set(c->err, MIGDEV_E_NOMEM, c->file, 0, 0, "out of memory");
                sbuf sep = {NULL, 0, 0, 0};
                sbuf_put(&sep, ") - ");
                sbuf_put(&sep, mean.s ? mean.s : "");
                sbuf_put(&sep, ")^2 + ((");
                if (!rc && sep.failed)
                    rc = err_set(c->err, MIGDEV_E_NOMEM, c->file, 0, 0, "out of memory");
                if (!rc) {
                    sbuf_put(out, "sqrt((((");
                    done = 0;
                    rc = reduce_terms(c, t, i + 2, j, sep.s, NULL, &done, out);
                    sbuf_put(out, ") - ");
                    sbuf_put(out, mean.s);
                    snprintf(buf, sizeof buf, ")^2) / %ld)", count);
                    sbuf_put(out, buf);
                }
                free(mean.s);
                free(sep.s);
                if (rc)
                    return rc;
                i = j;
                continue;
            }
            if (d) {
                const int mean = is_reduction(tok_name(k), &op) == 3;
                const int minmax = !strcmp(op, ",");
                const char *sep = minmax ? "), (" : strcmp(op, "*") ? ") + (" : ") * (";
                /* MIN and MAX take any mix of arrays and numbers: each
                   argument gives its elements (3.7.1.3); SUM, PROD and
                   MEAN the same (Stella's reading) */
                int args[64], n_args = 0, level = 0;
                args[n_args++] = i + 2;
                for (int q = i + 2; q < j; q++) {
                    level += t[q].t.type == TK_LPAREN || t[q].t.type == TK_LBRACKET;
                    level -= t[q].t.type == TK_RPAREN || t[q].t.type == TK_RBRACKET;
                    if (level == 0 && t[q].t.type == TK_COMMA && n_args < 63)
                        args[n_args++] = q + 1;
                }
                args[n_args] = j + 1; /* each argument ends before the next's start */
                long count = 0;
                for (int a = 0; a < n_args; a++) {
                    const int rc = reduce_terms(c, t, args[a], args[a + 1] - 1, NULL, NULL, &count, NULL);
                    if (rc)
                        return rc;
                }
                /* a long sum or product in chunks of CHUNK terms, so that the
                   tree stays shallow ((a + b + ...) + (... + z)): the same
                   order of operations as one chain up to CHUNK elements */
                const int chunked = !minmax && count > CHUNK;
                const char *chunk_sep = chunked ? strcmp(op, "*") ? ")) + ((" : ")) * ((" : NULL;
                sbuf_put(out, minmax ? tok_name(k) : "");
                sbuf_put(out, chunked ? "(((" : "((");
                long done = 0;
                for (int a = 0; a < n_args; a++) {
                    const int rc =
                        reduce_terms(c, t, args[a], args[a + 1] - 1, sep, chunk_sep, &done, out);
                    if (rc)
                        return rc;
                }
                sbuf_put(out, chunked ? ")))" : "))");
                if (mean) {
                    char buf[32];
                    snprintf(buf, sizeof buf, " / %ld", count);
                    sbuf_put(out, buf);
                }
                i = j;
                continue;
            }
        }
        if (k->t.type == TK_NAME && i + 1 < to && t[i + 1].t.type == TK_LBRACKET) {
            const xvar *ref = find_var(c->md, tok_name(k));
            const char *els[MAX_RANK];
            dynsub dyn[MAX_RANK];
            int n = 0, j = i + 2, outside = 0, dynamic = 0;
            while (j < to && t[j].t.type != TK_RBRACKET) {
                /* one subscript: the tokens up to a ',' or ']' outside parentheses */
                int e = j, depth = 0;
                for (; e < to; e++) {
                    const tok_type ty = t[e].t.type;
                    if (depth == 0 && (ty == TK_COMMA || ty == TK_RBRACKET))
                        break;
                    depth += ty == TK_LPAREN || ty == TK_LBRACKET;
                    depth -= ty == TK_RPAREN || ty == TK_RBRACKET;
                }
                if (e >= to) {
                    j = to;
                    break;
                }
                if (e == j || n >= MAX_RANK)
                    return err_set(c->err, MIGDEV_E_SYNTAX, c->file, c->owner->eq_line,
                                   c->owner->eq_col,
                                   e == j ? "empty subscript of '%s' in the equation of '%s'"
                                          : "more than 8 subscripts of '%s' in the equation of "
                                            "'%s'",
                                   tok_name(k), c->owner->name);
                const char *el;
                if (t[j].t.type == TK_AT) {
                    /* @k: the element of the owner's k-th dimension, by position */
                    const xdim *rd = ref && n < ref->n_dims ? find_dim(c->d, ref->dims[n]) : NULL;
                    const double kx = e == j + 2 && t[j + 1].t.type == TK_NUM ? t[j + 1].t.num : 0;
                    const int kd = kx >= 1 && kx <= c->n_owner && kx == (double)(int)kx ? (int)kx : 0;
                    if (!rd || !kd)
                        return err_set(c->err, MIGDEV_E_SYNTAX, c->file, c->owner->eq_line,
                                       c->owner->eq_col,
                                       "'@' in the equation of '%s' must be followed by the "
                                       "number of one of its dimensions (1 to %d) and index an "
                                       "arrayed variable",
                                       c->owner->name, c->n_owner);
                    const int p = elem_pos(c->bind[kd - 1].dim, c->bind[kd - 1].elem);
                    el = p >= 1 && p <= rd->n ? rd->elems[p - 1] : OUT_OF_RANGE;
                } else if (e == j + 1) {
                    const xdim *d;
                    int bad = 0;
                    el = elem_of(c, &t[j], ref, n, &d, &bad);
                    /* a[idx]: the value of a variable (scalar ones have left
                       md already: any other name is one; the builder says
                       when it is unknown) */
                    const xvar *av = !el && bad && t[j].t.type == TK_NAME
                                         ? find_var(c->md, tok_name(&t[j]))
                                         : NULL;
                    if (!el && bad && !c->dl->native && t[j].t.type == TK_NAME &&
                        !(av && av->n_dims) && ref &&
                        n < ref->n_dims && find_dim(c->d, ref->dims[n]))
                        el = DYNAMIC;
                    if (!el)
                        return err_set(c->err, MIGDEV_E_UNSUPPORTED, c->file, c->owner->eq_line,
                                       c->owner->eq_col,
                                       bad ? "unknown subscript '%.*s' in the equation of '%s'"
                                           : "subscript '%.*s' in the equation of '%s' matches "
                                             "no dimension of it (only SUM, MEAN, MIN, MAX, "
                                             "PROD run over a dimension)",
                                       (int)t[j].t.len, t[j].t.start, c->owner->name);
                } else if (t[j + 1].t.type == TK_COLON || t[e - 1].t.type == TK_COLON) {
                    /* a range: the element a reduction over it has bound */
                    const xdim *rd =
                        ref && n < ref->n_dims ? find_dim(c->d, ref->dims[n]) : NULL;
                    el = e == j + 3 ? reduction_elem(c, rd, ref, n) : NULL;
                    if (!el)
                        return err_set(c->err, MIGDEV_E_UNSUPPORTED, c->file, c->owner->eq_line,
                                       c->owner->eq_col,
                                       "array range '%.*s' in the equation of '%s': a range of "
                                       "two elements or positions is read only inside SUM, "
                                       "PROD, MEAN, MIN, MAX, STDDEV (SUM(a[2:3]))",
                                       (int)(t[e - 1].end - t[j].t.start), t[j].t.start,
                                       c->owner->name);
                } else if (!(el = subscript_expr(c, t, j, e, ref, n))) {
                    return -1;
                }
                outside |= el == OUT_OF_RANGE;
                if (el == DYNAMIC)
                    dyn[dynamic++] = (dynsub){j, e, NULL};
                els[n++] = el;
                j = t[e].t.type == TK_COMMA ? e + 1 : e;
            }
            if (j >= to)
                return err_set(c->err, MIGDEV_E_SYNTAX, c->file, c->owner->eq_line,
                               c->owner->eq_col, "'[' is never closed in the equation of '%s'",
                               c->owner->name);
            if (outside) { /* an index beyond its dimension: 0 (3.7.1) */
                sbuf_put(out, " 0 ");
                i = j;
                continue;
            }
            if (dynamic) {
                /* each computed subscript as INT(...) of its rewritten text,
                   in dyn by position */
                dynsub bypos[MAX_RANK];
                int rc = 0;
                for (int p = 0, q = 0; p < n; p++) {
                    bypos[p] = (dynsub){0, 0, NULL};
                    if (els[p] != DYNAMIC)
                        continue;
                    bypos[p] = dyn[q++];
                    sbuf ix = {NULL, 0, 0, 0};
                    sbuf_put(&ix, "INT(");
                    if (!rc)
                        rc = rewrite(c, t, bypos[p].from, bypos[p].to, &ix);
                    sbuf_put(&ix, ")");
                    bypos[p].index = ix.s;
                    if (!rc && ix.failed)
                        rc = err_set(c->err, MIGDEV_E_NOMEM, c->file, 0, 0, "out of memory");
                }
                if (!rc)
                    rc = pick(c, tok_name(k), ref, els, bypos, n, out);
                for (int p = 0; p < n; p++)
                    free(bypos[p].index);
                if (rc)
                    return rc;
                i = j;
                continue;
            }
            const int rc = put_element_ref(c, out, tok_name(k), els, n);
            if (rc)
                return rc;
            i = j;
            continue;
        }
        if (k->t.type == TK_APOS || k->t.type == TK_COLON || k->t.type == TK_AT)
            return err_set(
                c->err, MIGDEV_E_UNSUPPORTED, c->file, c->owner->eq_line, c->owner->eq_col,
                k->t.type == TK_APOS
                    ? "transposition (') in the equation of '%s' is read only right after the "
                      "name of an arrayed variable (A'), not after a subscript or an expression"
                : k->t.type == TK_COLON
                    ? "array ranges (A[1:3]) are not supported (in the equation of '%s')"
                    : "'@' (a dimension position) in the equation of '%s' is read only as a "
                      "whole subscript (A[@2, @1])",
                c->owner->name);
        if (!c->dl->native && k->t.type == TK_NAME &&
            !(i + 1 < to && t[i + 1].t.type == TK_LPAREN) && !is_var_name(c, tok_name(k))) {
            /* a dimension's name in an apply-to-all equation is the position of
               the element being computed; Dim.elem an element's position */
            const xdim *d = find_dim(c->d, tok_name(k));
            const int pos = d ? bound_pos(c, d) : dotted_pos(c->d, tok_name(k));
            if (pos > 0) {
                char buf[32];
                snprintf(buf, sizeof buf, " %d ", pos);
                sbuf_put(out, buf);
                continue;
            }
        }
        /* as written (with the blanks before it) */
        const char *start = i > from ? t[i - 1].end : k->t.start;
        sbuf_put_n(out, start, (size_t)(k->end - start));
    }
    return 0;
}

/* XMILE lets an apply-to-all equation name an arrayed variable without
** subscripts when its dimensions are the owner's (revenue = sales, 3.7.1),
** and a reduction take a whole array (SUM(a)): each such name gets its
** dimensions as subscripts (a becomes a[D1, D2]), which the rewriting
** binds as written. Not SIZE's argument, which counts the whole array.
** 0, or -1 when out of memory. */
static int expand_bare(const actx *c, toks *t)
{
    int extra = 0;
    for (int i = 0; i < t->n; i++) {
        const xvar *v = t->v[i].t.type == TK_NAME ? find_var(c->md, tok_name(&t->v[i])) : NULL;
        if (v && v->n_dims && !(i + 1 < t->n && t->v[i + 1].t.type == TK_LBRACKET))
            extra += 3 * v->n_dims + 1;
    }
    if (!extra)
        return 0;
    tok *nv = calloc((size_t)(t->n + extra), sizeof *nv);
    if (!nv)
        return -1;
    int n = 0, failed = 0;
    /* inside the parentheses of an array builtin (SUM(w), MAX(w, 0)), a
       name alone is the whole array: w[*] */
    unsigned long in_red = 0; /* bit d: the d-th open '(' is a reduction's or inside one */
    int depth = 0;
    for (int i = 0; i < t->n; i++) {
        const tok *k = &t->v[i];
        nv[n++] = *k;
        const char *op;
        if (k->t.type == TK_LPAREN) {
            const int red = (depth > 0 && depth <= 63 && (in_red >> (depth - 1) & 1)) ||
                            (i > 0 && t->v[i - 1].t.type == TK_NAME &&
                             is_reduction(tok_name(&t->v[i - 1]), &op));
            depth++;
            if (depth <= 63)
                in_red = red ? in_red | 1UL << (depth - 1) : in_red & ~(1UL << (depth - 1));
            continue;
        }
        if (k->t.type == TK_RPAREN && depth > 0)
            depth--;
        const int whole = depth > 0 && depth <= 63 && (in_red >> (depth - 1) & 1);
        const xvar *v = k->t.type == TK_NAME ? find_var(c->md, tok_name(k)) : NULL;
        if (!v || !v->n_dims || (i + 1 < t->n && t->v[i + 1].t.type == TK_LBRACKET))
            continue;
        if (i >= 2 && t->v[i - 1].t.type == TK_LPAREN && t->v[i - 2].t.type == TK_NAME &&
            xname_equal(tok_name(&t->v[i - 2]), "size"))
            continue;
        /* '[', then each dimension's name followed by ',' or ']': tokens
           that sit where the name ends, so that the text after it is
           copied as written */
        tok s = *k;
        s.t.name = NULL;
        s.t.type = TK_LBRACKET;
        nv[n++] = s;
        if (i + 1 < t->n && t->v[i + 1].t.type == TK_APOS) {
            /* A' (3.7.1.1): A's dimensions reversed, A[@n, ..., @1] */
            for (int p = 0; p < v->n_dims; p++) {
                s.t.type = TK_AT;
                nv[n++] = s;
                s.t.type = TK_NUM;
                s.t.num = v->n_dims - p;
                nv[n++] = s;
                s.t.type = p + 1 == v->n_dims ? TK_RBRACKET : TK_COMMA;
                nv[n++] = s;
            }
            nv[n - 1].end = t->v[i + 1].end; /* the ' is consumed */
            i++;
            continue;
        }
        /* the owner's own dimensions, in its order: by position (@1, @2),
           which also holds when a dimension repeats (q of q[N, N]) */
        int same = !whole && c->owner && c->owner->n_dims == v->n_dims;
        for (int p = 0; same && p < v->n_dims; p++)
            same = xname_equal(c->owner->dims[p], v->dims[p]);
        for (int p = 0; same && p < v->n_dims; p++) {
            s.t.type = TK_AT;
            nv[n++] = s;
            s.t.type = TK_NUM;
            s.t.num = p + 1;
            nv[n++] = s;
            s.t.type = p + 1 == v->n_dims ? TK_RBRACKET : TK_COMMA;
            nv[n++] = s;
        }
        for (int p = 0; !same && p < v->n_dims; p++) {
            if (whole) {
                s.t.type = TK_STAR;
                s.t.start = "*";
                s.t.len = 1;
                s.t.name = NULL;
            } else {
                s.t.type = TK_NAME;
                s.t.start = v->dims[p];
                s.t.len = strlen(v->dims[p]);
                s.t.name = strdup(v->dims[p]);
                failed |= s.t.name == NULL;
            }
            nv[n++] = s;
            s.t.name = NULL;
            s.t.type = p + 1 == v->n_dims ? TK_RBRACKET : TK_COMMA;
            nv[n++] = s;
        }
    }
    free(t->v);
    t->v = nv;
    t->n = n;
    return failed ? -1 : 0;
}

/* The equation text of owner (with its elements bound in c), rewritten.
** Owned; NULL with err set. */
static char *rewrite_eqn(actx *c, const char *eqn)
{
    toks t;
    const int lr = lex_all(c->dl->lex, eqn, &t);
    if (lr != 0) {
        free_toks(&t);
        if (lr > 0) /* unreadable: left for the builder to report */
            return strdup(eqn);
        err_set(c->err, MIGDEV_E_NOMEM, c->file, 0, 0, "out of memory");
        return NULL;
    }
    /* a dimension the owner has twice cannot be named: which one? */
    for (int i = 0; !c->dl->native && i < t.n; i++) {
        const xdim *d = t.v[i].t.type == TK_NAME ? find_dim(c->d, tok_name(&t.v[i])) : NULL;
        int twice = 0;
        for (int b = 0; d && b < c->n_owner; b++)
            twice += c->bind[b].dim == d;
        if (twice > 1) {
            free_toks(&t);
            err_set(c->err, MIGDEV_E_UNSUPPORTED, c->file, c->owner->eq_line, c->owner->eq_col,
                    "'%s' has the dimension '%s' twice: its equation names their elements by "
                    "position, @1, @2 (XMILE 3.7.1.1), not by the dimension's name",
                    c->owner->name, d->name);
            return NULL;
        }
    }
    if (!c->dl->native && expand_bare(c, &t) != 0) {
        free_toks(&t);
        err_set(c->err, MIGDEV_E_NOMEM, c->file, 0, 0, "out of memory");
        return NULL;
    }
    sbuf out = {NULL, 0, 0, 0};
    sbuf_put(&out, "");
    const int rc = rewrite(c, t.v, 0, t.n, &out);
    free_toks(&t);
    if (rc || out.failed) {
        if (!rc)
            err_set(c->err, MIGDEV_E_NOMEM, c->file, 0, 0, "out of memory");
        free(out.s);
        return NULL;
    }
    return out.s;
}

/* Whether an equation has anything to rewrite: a subscript, or SIZE. */
static int has_brackets(const char *s)
{
    if (!s)
        return 0;
    if (strchr(s, '['))
        return 1;
    for (const char *p = s; (p = strpbrk(p, "sS")); p++)
        if (strncasecmp(p, "size", 4) == 0)
            return 1;
    return 0;
}

/* Whether the equation of a variable without dimensions has anything to
** rewrite: a subscript, SIZE, a whole array (SUM(a)) or a Dim.elem. */
static int needs_rewrite(const actx *c, const char *eqn)
{
    if (has_brackets(eqn))
        return 1;
    if (!eqn || c->dl->native)
        return 0;
    toks t;
    int found = lex_all(c->dl->lex, eqn, &t) != 0; /* unreadable or no memory: let rewrite say */
    for (int i = 0; !found && i < t.n; i++) {
        if (t.v[i].t.type != TK_NAME)
            continue;
        const xvar *v = find_var(c->md, tok_name(&t.v[i]));
        found = v ? v->n_dims > 0 : dotted_pos(c->d, tok_name(&t.v[i])) > 0;
    }
    free_toks(&t);
    return found;
}

/* The k-th number of a list "1, 2, 3" (an arrayed constant's values, one
** per element in order), as a new string; NULL when eqn is not such a list
** of exactly total numbers. Rows of a two-dimensional table may be ended by
** ';' ("1, 2; 3, 4;", Vensim's tabular constants as xmutil leaves them): the
** numbers are taken in row-major order, the order of the elements. */
static char *list_item(const char *eqn, long k, long total)
{
    const char *p = eqn;
    long i = 0;
    char *item = NULL;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        char *end;
        strtod(p, &end);
        if (end == p) {
            free(item);
            return NULL;
        }
        if (i == k) {
            item = malloc((size_t)(end - p) + 1);
            if (!item)
                return NULL;
            memcpy(item, p, (size_t)(end - p));
            item[end - p] = '\0';
        }
        i++;
        p = end;
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (*p == ',' || *p == ';') {
            const int row_end = *p == ';';
            p++;
            while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
                p++;
            if (*p || !row_end) /* a ';' may end the last row */
                continue;
        }
        if (*p || i != total || total < 2) {
            free(item);
            return NULL;
        }
        return item;
    }
}

static char *dup_or_null(const char *s, int *failed)
{
    char *d = s ? strdup(s) : NULL;
    *failed |= s && !d;
    return d;
}

static double *dup_points(const double *p, int n, int *failed)
{
    double *d = p && n > 0 ? malloc((size_t)n * sizeof *d) : NULL;
    if (d)
        memcpy(d, p, (size_t)n * sizeof *d);
    *failed |= p && n > 0 && !d;
    return d;
}

/* A deep copy of src into dst (an element's graphical function): 0, or -1
** when out of memory (what was copied stays in dst for xdoc_free_var). */
static int gf_copy(xgf *dst, const xgf *src)
{
    int failed = 0;
    *dst = *src;
    dst->name = dup_or_null(src->name, &failed);
    dst->x = dup_points(src->x, src->n, &failed);
    dst->y = dup_points(src->y, src->n, &failed);
    dst->units = dup_or_null(src->units, &failed);
    dst->doc = dup_or_null(src->doc, &failed);
    dst->source = dup_or_null(src->source, &failed);
    dst->x_units = dup_or_null(src->x_units, &failed);
    return failed ? -1 : 0;
}

/* A copy of v for one element (names and flows renamed, eqn rewritten);
** the element is the k-th of total. */
static int element_var(actx *c, const xvar *v, const binding *b, int n, xvar *o, long k,
                       long total)
{
    memset(o, 0, sizeof *o);
    o->kind = v->kind;
    o->line = v->line;
    o->col = v->col;
    o->non_negative = v->non_negative;
    o->not_constant = v->not_constant;
    o->units_line = v->units_line;
    o->units_col = v->units_col;
    sbuf name = {NULL, 0, 0, 0};
    sbuf_put(&name, v->name);
    for (int i = 0; i < n; i++) {
        sbuf_put(&name, i ? "," : "[");
        sbuf_put(&name, b[i].elem);
    }
    sbuf_put(&name, "]");
    o->name = name.s;
    if (name.failed || !(o->engine = xname_engine(o->name)) || !(o->key = xname_key(o->name)))
        return err_set(c->err, MIGDEV_E_NOMEM, c->file, 0, 0, "out of memory");
    o->units = v->units ? strdup(v->units) : NULL;
    o->doc = v->doc ? strdup(v->doc) : NULL;
    /* this element's own equation, else the variable's */
    const char *eqn = v->eqn;
    const xgf *elem_gf = NULL;
    o->eq_line = v->eq_line;
    o->eq_col = v->eq_col;
    for (int e = 0; e < v->n_elems; e++) {
        const char *s = v->elems[e].subscript;
        int pos = 0, match = 1;
        while (*s && match) {
            while (*s == ' ' || *s == ',')
                s++;
            const char *q = s;
            while (*q && *q != ',')
                q++;
            const char *t = q;
            while (t > s && t[-1] == ' ')
                t--;
            char part[256];
            snprintf(part, sizeof part, "%.*s", (int)(t - s), s);
            match = pos < n && xname_equal(part, b[pos].elem);
            pos++;
            s = q;
        }
        if (match && pos == n) {
            if (v->elems[e].eqn) {
                eqn = v->elems[e].eqn;
                o->eq_line = v->elems[e].eq_line;
                o->eq_col = v->elems[e].eq_col;
            }
            elem_gf = v->elems[e].gf ? v->elems[e].gf : elem_gf;
        }
    }
    if (eqn == v->eqn && v->n_seq > 1) { /* one <eqn> per element, in order */
        if (v->n_seq != total)
            return err_set(c->err, MIGDEV_E_SYNTAX, c->file, v->seq[0].line, v->seq[0].col,
                           "'%s' has %d equations for its %ld elements (one per element, in "
                           "order, or one for all)",
                           v->name, v->n_seq, total);
        eqn = v->seq[k].eqn;
        o->eq_line = v->seq[k].eq_line;
        o->eq_col = v->seq[k].eq_col;
    }
    if (eqn) {
        o->eqn = eqn == v->eqn ? list_item(eqn, k, total) : NULL;
        if (!o->eqn)
            o->eqn = rewrite_eqn(c, eqn);
        if (!o->eqn)
            return -1;
    }
    /* a stock's flows: the same element of an arrayed flow */
    if (v->n_flows) {
        o->flows = calloc((size_t)v->n_flows, sizeof *o->flows);
        if (!o->flows)
            return err_set(c->err, MIGDEV_E_NOMEM, c->file, 0, 0, "out of memory");
        o->n_flows = v->n_flows;
        for (int f = 0; f < v->n_flows; f++) {
            o->flows[f] = v->flows[f];
            const xvar *fv = find_var(c->md, v->flows[f].ident);
            sbuf fn = {NULL, 0, 0, 0};
            sbuf_put(&fn, v->flows[f].ident);
            for (int i = 0; fv && fv->n_dims && i < n; i++) {
                sbuf_put(&fn, i ? "," : "[");
                sbuf_put(&fn, b[i].elem);
            }
            if (fv && fv->n_dims)
                sbuf_put(&fn, "]");
            o->flows[f].ident = fn.s;
            if (fn.failed)
                return err_set(c->err, MIGDEV_E_NOMEM, c->file, 0, 0, "out of memory");
        }
    }
    /* its graphical function: the element's own, else the variable's */
    const xgf *gf = elem_gf ? elem_gf : v->gf.present ? &v->gf : NULL;
    if (gf && gf_copy(&o->gf, gf) != 0)
        return err_set(c->err, MIGDEV_E_NOMEM, c->file, 0, 0, "out of memory");
    return 0;
}

int xarr_flatten_vars(const xdoc *d, xmodel *md, const char *file, const xarr_dialect *dl,
                      migdev_error *err)
{
    int any = 0;
    for (int i = 0; i < md->n_vars; i++)
        any |= md->vars[i].n_dims > 0 || md->vars[i].n_elems > 0 || has_brackets(md->vars[i].eqn) ||
               (!dl->native && d->n_dims > 0);
    if (!any)
        return 0;
    actx c;
    memset(&c, 0, sizeof c);
    c.dl = dl;
    c.d = d;
    c.md = md;
    c.file = file;
    c.err = err;
    xvar *out = NULL;
    int n_out = 0, cap = 0, rc = 0;
    c.var_keys = malloc(((size_t)md->n_vars + 1) * sizeof *c.var_keys);
    if (!c.var_keys)
        return err_set(err, MIGDEV_E_NOMEM, file, 0, 0, "out of memory");
    for (int i = 0; i < md->n_vars; i++) /* borrowed: md's keys move to out unchanged */
        c.var_keys[c.n_var_keys++] = md->vars[i].key;
    for (int i = 0; !rc && i < md->n_vars; i++) {
        const xvar *v = &md->vars[i];
        c.owner = v;
        c.n_bind = c.n_owner = 0;
        if (v->n_dims == 0 && v->n_elems > 0) {
            rc = err_set(err, MIGDEV_E_SYNTAX, file, v->elems[0].line, v->elems[0].col,
                         "<element> in %s '%s', which has no <dimensions>",
                         v->kind == XV_STOCK ? "stock" : v->kind == XV_FLOW ? "flow" : "aux",
                         v->name);
            break;
        }
        if (v->n_dims == 0) {
            xvar o = *v;
            if (needs_rewrite(&c, v->eqn)) {
                char *e = rewrite_eqn(&c, v->eqn);
                if (!e) {
                    rc = -1;
                    break;
                }
                free(o.eqn);
                o.eqn = e;
            }
            if (n_out >= cap) {
                cap = cap ? 2 * cap : 16;
                xvar *no = realloc(out, (size_t)cap * sizeof *no);
                if (!no) {
                    rc = err_set(err, MIGDEV_E_NOMEM, file, 0, 0, "out of memory");
                    break;
                }
                out = no;
            }
            out[n_out++] = o;
            memset(&md->vars[i], 0, sizeof md->vars[i]);
            continue;
        }
        const xdim *dims[MAX_RANK];
        long total = 1;
        if (v->n_dims > MAX_RANK)
            rc = err_set(err, MIGDEV_E_UNSUPPORTED, file, v->line, v->col,
                         "'%s' has more than %d dimensions", v->name, MAX_RANK);
        for (int k = 0; !rc && k < v->n_dims; k++) {
            dims[k] = find_dim(d, v->dims[k]);
            if (!dims[k])
                rc = err_set(err, MIGDEV_E_NAME, file, v->line, v->col,
                             "'%s' uses the dimension '%s', which <dimensions> does not define",
                             v->name, v->dims[k]);
            else
                total *= dims[k]->n;
            if (total > MAX_ELEMS)
                rc = err_set(err, MIGDEV_E_RANGE, file, v->line, v->col,
                             "'%s' has more than %d elements", v->name, MAX_ELEMS);
        }
        /* every <element subscript="..."> names an element of the variable */
        for (int e = 0; !rc && e < v->n_elems; e++) {
            const char *q = v->elems[e].subscript;
            int pos = 0, ok = 1;
            while (ok && *q) {
                while (*q == ' ' || *q == ',')
                    q++;
                if (!*q)
                    break;
                const char *end = q;
                while (*end && *end != ',')
                    end++;
                const char *t = end;
                while (t > q && t[-1] == ' ')
                    t--;
                char part[256];
                snprintf(part, sizeof part, "%.*s", (int)(t - q), q);
                ok = pos < v->n_dims && elem_pos(dims[pos], part) > 0;
                pos++;
                q = end;
            }
            if (!ok || pos != v->n_dims)
                rc = err_set(err, MIGDEV_E_NAME, file, v->elems[e].line, v->elems[e].col,
                             "<element subscript=\"%s\"> names no element of '%s' (its "
                             "dimensions: %d)",
                             v->elems[e].subscript, v->name, v->n_dims);
        }
        int idx[MAX_RANK] = {0};
        for (long k = 0; !rc && k < total; k++) {
            c.n_bind = c.n_owner = v->n_dims;
            for (int p = 0; p < v->n_dims; p++)
                c.bind[p] = (binding){dims[p], dims[p]->elems[idx[p]], -1};
            if (n_out >= cap) {
                cap = cap ? 2 * cap : 16;
                xvar *no = realloc(out, (size_t)cap * sizeof *no);
                if (!no) {
                    rc = err_set(err, MIGDEV_E_NOMEM, file, 0, 0, "out of memory");
                    break;
                }
                out = no;
            }
            rc = element_var(&c, v, c.bind, v->n_dims, &out[n_out], k, total);
            n_out++; /* freed below even when incomplete */
            for (int p = v->n_dims - 1; p >= 0; p--) {
                if (++idx[p] < dims[p]->n)
                    break;
                idx[p] = 0;
            }
        }
    }
    for (int i = 0; i < c.n_hoisted; i++) { /* the shared reductions join the model */
        if (!rc && n_out >= cap) {
            cap = cap ? 2 * cap : 16;
            xvar *no = realloc(out, (size_t)cap * sizeof *no);
            if (!no)
                rc = err_set(err, MIGDEV_E_NOMEM, file, 0, 0, "out of memory");
            else
                out = no;
        }
        if (!rc)
            out[n_out++] = c.hoisted[i];
        else
            xdoc_free_var(&c.hoisted[i]);
    }
    free(c.hoisted);
    free(c.var_keys);
    for (int i = 0; i < md->n_vars; i++)
        xdoc_free_var(&md->vars[i]);
    free(md->vars);
    md->vars = out;
    md->n_vars = n_out;
    return rc;
}

/* The variable of md whose key is the last part of ident, or NULL. */
static const xvar *last_part_var(const xmodel *md, const char *ident)
{
    const char *last = strrchr(ident, XN_SEP);
    return find_var(md, last ? last + 1 : ident);
}

/* A module's <connect> to or from an arrayed variable joins each element:
** to="inp" from=".a" becomes to="inp[1]" from=".a[1]", ... (the elements
** are variables of their own once flattened). 0, or an error. */
static int connect_elements(xdoc *d, migdev_error *err)
{
    for (int i = 0; i < d->n_models; i++) {
        xmodel *md = &d->models[i];
        for (int v = 0; v < md->n_vars; v++) {
            xvar *mv = &md->vars[v];
            if (mv->kind != XV_MODULE || !mv->n_conns)
                continue;
            const xmodel *sub = NULL;
            for (int k = 0; k < d->n_models; k++)
                if (d->models[k].key && mv->key && strcmp(d->models[k].key, mv->key) == 0)
                    sub = &d->models[k];
            for (int k = 0; sub && k < mv->n_conns; k++) {
                const xconnect cn = mv->conns[k];
                const int to_here = cn.to[0] == XN_SEP; /* an output of the module */
                const xvar *tv = last_part_var(to_here ? md : sub, cn.to);
                if (!tv || !tv->n_dims)
                    continue;
                const xdim *dims[MAX_RANK];
                long total = 1;
                for (int p = 0; p < tv->n_dims && p < MAX_RANK; p++) {
                    dims[p] = find_dim(d, tv->dims[p]);
                    total *= dims[p] ? dims[p]->n : 0;
                }
                if (tv->n_dims > MAX_RANK || total <= 0 || total > MAX_ELEMS)
                    continue; /* the flattening reports it */
                xconnect *nc = realloc(mv->conns, (size_t)(mv->n_conns + total - 1) * sizeof *nc);
                if (!nc)
                    return err_set(err, MIGDEV_E_NOMEM, d->file, 0, 0, "out of memory");
                mv->conns = nc;
                int idx[MAX_RANK] = {0};
                for (long e = 0; e < total; e++) {
                    sbuf sub_s = {NULL, 0, 0, 0};
                    for (int p = 0; p < tv->n_dims; p++) {
                        sbuf_put(&sub_s, p ? "," : "[");
                        sbuf_put(&sub_s, dims[p]->elems[idx[p]]);
                    }
                    sbuf_put(&sub_s, "]");
                    sbuf to = {NULL, 0, 0, 0}, from = {NULL, 0, 0, 0};
                    sbuf_put(&to, cn.to);
                    sbuf_put(&to, sub_s.s ? sub_s.s : "");
                    sbuf_put(&from, cn.from);
                    sbuf_put(&from, sub_s.s ? sub_s.s : "");
                    free(sub_s.s);
                    if (sub_s.failed || to.failed || from.failed) {
                        free(to.s);
                        free(from.s);
                        return err_set(err, MIGDEV_E_NOMEM, d->file, 0, 0, "out of memory");
                    }
                    /* the first element takes the connection's place */
                    const int at = e == 0 ? k : mv->n_conns++;
                    mv->conns[at] = (xconnect){to.s, from.s, cn.line, cn.col};
                    for (int p = tv->n_dims - 1; p >= 0; p--) {
                        if (++idx[p] < dims[p]->n)
                            break;
                        idx[p] = 0;
                    }
                }
                free(cn.to);
                free(cn.from);
            }
        }
    }
    return 0;
}

int xarr_flatten(xdoc *d, migdev_error *err)
{
    static const xarr_dialect xmile = {&xexpr_lex_rules, 0};
    if (d->n_dims > 0) {
        const int rc = connect_elements(d, err);
        if (rc)
            return rc;
    }
    for (int i = 0; i < d->n_models; i++) {
        const int rc = xarr_flatten_vars(d, &d->models[i], d->file, &xmile, err);
        if (rc)
            return rc;
    }
    return 0;
}
