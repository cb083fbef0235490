/*
** vsubs.c - Vensim subscripts, flattened: each subscripted variable becomes
** one scalar variable per element, named "name[elem,elem]" (the output
** columns Vensim and PySD write), with its equation's subscripts replaced by
** the element. So arrays cost nothing at run time: no per-step lookup, no
** array machinery in the engine.
**
** A subscript in an equation is an element (kept), the dimension of one of
** the left-hand side's positions (that position's element), a range whose
** elements include that position's element (a subrange or a super-range:
** the same element), or "dim!" inside SUM, PROD, VMIN, VMAX (every element,
** combined). ELMCOUNT(dim) is the number of elements.
*/
#include "vmdl_int.h"

#include "error_int.h"
#include "lexer.h"
#include "sbuf.h"
#include "util.h"
#include "vexpr.h"
#include "vtrans.h"
#include "xmile/xname.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_RANK = 8, MAX_ELEMS = 100000 };

static char *trimmed(const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    /* runs of blanks (and continued lines) as one space */
    char *d = malloc(n + 1);
    size_t k = 0;
    if (!d)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n && (s[i + 1] == '\n' || s[i + 1] == '\r'))
            continue;
        if (isspace((unsigned char)s[i])) {
            if (k && d[k - 1] != ' ')
                d[k++] = ' ';
            continue;
        }
        d[k++] = s[i];
    }
    d[k] = '\0';
    return d;
}

/* A "quoted" element name: its text, \" as ", in place (as the lexer reads
** a quoted name in an equation). */
static void unquote(char *t)
{
    const size_t n = strlen(t);
    if (n < 2 || t[0] != '"' || t[n - 1] != '"')
        return;
    size_t k = 0;
    for (size_t i = 1; i + 1 < n; i++) {
        if (t[i] == '\\' && i + 2 < n && t[i + 1] == '"')
            i++;
        t[k++] = t[i];
    }
    t[k] = '\0';
}

static vdim *new_dim(vreader *r, const char *display, int line, int col)
{
    if (util_grow((void **)&r->dims, &r->cap_dims, r->n_dims + 1, sizeof *r->dims))
        return NULL;
    vdim *d = &r->dims[r->n_dims];
    memset(d, 0, sizeof *d);
    d->display = vm_dup_n(display, strlen(display));
    d->key = xname_key(display);
    d->line = line;
    d->col = col;
    if (!d->display || !d->key) {
        free(d->display), free(d->key);
        return NULL;
    }
    r->n_dims++;
    return d;
}

static int add_raw(vdim *d, const char *s, size_t n)
{
    char **nr = realloc(d->raw, (size_t)(d->n_raw + 1) * sizeof *nr);
    if (!nr)
        return -1;
    d->raw = nr;
    char *t = trimmed(s, n);
    if (!t)
        return -1;
    unquote(t);
    d->raw[d->n_raw++] = t;
    return 0;
}

/* (a1-a5): a1, a2, ..., a5 */
static int numeric_range(vreader *r, vdim *d, const char *s, size_t n, int line, int col)
{
    const char *dash = memchr(s, '-', n);
    char *a = dash ? trimmed(s, (size_t)(dash - s)) : NULL;
    char *b = dash ? trimmed(dash + 1, n - (size_t)(dash - s) - 1) : NULL;
    int rc = 0;
    size_t la = a ? strlen(a) : 0, lb = b ? strlen(b) : 0, pa = la, pb = lb;
    while (pa && isdigit((unsigned char)a[pa - 1]))
        pa--;
    while (pb && isdigit((unsigned char)b[pb - 1]))
        pb--;
    if (!a || !b || pa == la || pb == lb || pa != pb || strncmp(a, b, pa) != 0) {
        rc = err_set(r->err, MIGDEV_E_SYNTAX, r->file, line, col,
                     "a numbered range is (prefix1-prefixN), as (A1-A5)");
    } else {
        const long lo = strtol(a + pa, NULL, 10), hi = strtol(b + pb, NULL, 10);
        if (hi < lo || hi - lo > MAX_ELEMS)
            rc = err_set(r->err, MIGDEV_E_RANGE, r->file, line, col,
                         "the numbered range (%s-%s) is empty or too long", a, b);
        for (long i = lo; !rc && i <= hi; i++) {
            char buf[256];
            snprintf(buf, sizeof buf, "%.*s%ld", (int)pa, a, i);
            if (add_raw(d, buf, strlen(buf)))
                rc = vm_oom(r);
        }
    }
    free(a);
    free(b);
    return rc;
}

int vs_read_range(vreader *r, const char *display, int line, int col, const char *text,
                  int tline, int tcol)
{
    vdim *d = new_dim(r, display, line, col);
    if (!d)
        return vm_oom(r);
    /* a mapping "-> other, ...": element i of this range stands for
       element i of the other where a subscript of the other is expected */
    const char *end = strstr(text, "->");
    const size_t n = end ? (size_t)(end - text) : strlen(text);
    for (const char *p = end ? end + 2 : NULL; p && *p;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\\' || *p == ',')
            p++;
        if (!*p)
            break;
        const int listed = *p == '(';
        const char *q = listed ? p + 1 : p;
        const char *stop = q;
        while (*stop && *stop != (listed ? ')' : ','))
            stop++;
        if (listed && !*stop)
            return err_set(r->err, MIGDEV_E_SYNTAX, r->file, tline, tcol,
                           "range '%s': the mapping's '(' is never closed", display);
        /* "(other: x, y)": the range's name before the ':', then its elements */
        const char *colon = listed ? memchr(q, ':', (size_t)(stop - q)) : NULL;
        if (listed && !colon)
            return err_set(r->err, MIGDEV_E_SYNTAX, r->file, tline, tcol,
                           "range '%s': a mapping to listed elements is '-> (range: a, b)'",
                           display);
        char *t = trimmed(q, (size_t)((colon ? colon : stop) - q));
        char *key = t ? xname_key(t) : NULL;
        free(t);
        char **nm = key ? realloc(d->maps, (size_t)(d->n_maps + 1) * sizeof *nm) : NULL;
        if (!nm) {
            free(key);
            return vm_oom(r);
        }
        d->maps = nm;
        char ***nl = realloc(d->map_list, (size_t)(d->n_maps + 1) * sizeof *nl);
        if (nl)
            d->map_list = nl;
        int *nn = nl ? realloc(d->n_map_list, (size_t)(d->n_maps + 1) * sizeof *nn) : NULL;
        if (nn)
            d->n_map_list = nn;
        if (!nn) {
            free(key);
            return vm_oom(r);
        }
        d->map_list[d->n_maps] = NULL;
        d->n_map_list[d->n_maps] = 0;
        d->maps[d->n_maps++] = key;
        for (const char *a = colon ? colon + 1 : stop; a < stop;) {
            const char *b = a;
            while (b < stop && *b != ',')
                b++;
            char *el = trimmed(a, (size_t)(b - a));
            if (el)
                unquote(el);
            char ***lst = &d->map_list[d->n_maps - 1];
            int *cnt = &d->n_map_list[d->n_maps - 1];
            char **grown = el ? realloc(*lst, (size_t)(*cnt + 1) * sizeof **lst) : NULL;
            if (!grown) {
                free(el);
                return vm_oom(r);
            }
            *lst = grown;
            (*lst)[(*cnt)++] = el;
            a = b < stop ? b + 1 : b;
        }
        p = listed ? stop + 1 : stop;
    }
    size_t i = 0;
    while (i < n) {
        while (i < n && (isspace((unsigned char)text[i]) || text[i] == '\\'))
            i++;
        if (i >= n)
            break;
        if (text[i] == '(') {
            const char *close = memchr(text + i, ')', n - i);
            if (!close)
                return err_set(r->err, MIGDEV_E_SYNTAX, r->file, tline, tcol,
                               "range '%s': '(' is never closed", display);
            const int rc = numeric_range(r, d, text + i + 1, (size_t)(close - text - i - 1), tline,
                                         tcol);
            if (rc)
                return rc;
            i = (size_t)(close - text) + 1;
        } else {
            size_t j = i;
            while (j < n && text[j] != ',')
                j++;
            if (add_raw(d, text + i, j - i))
                return vm_oom(r);
            i = j;
        }
        while (i < n && isspace((unsigned char)text[i]))
            i++;
        if (i < n && text[i] == ',')
            i++;
    }
    if (d->n_raw == 0)
        return err_set(r->err, MIGDEV_E_SYNTAX, r->file, line, col, "range '%s' has no elements",
                       display);
    return 0;
}

int vs_read_equiv(vreader *r, const char *display, int line, int col, const char *other)
{
    vdim *d = new_dim(r, display, line, col);
    if (!d)
        return vm_oom(r);
    char *t = trimmed(other, strlen(other));
    d->equiv = t ? xname_key(t) : NULL;
    free(t);
    return d->equiv ? 0 : vm_oom(r);
}

int vs_number_list(const char *text, double **vals, int *n)
{
    const char *p = text;
    int seps = 0, cap = 0;
    *vals = NULL;
    *n = 0;
    for (;;) {
        while (isspace((unsigned char)*p) || *p == '\\')
            p++;
        if (!*p)
            break;
        char *end;
        const double x = strtod(p, &end);
        if (end == p) {
            free(*vals);
            *vals = NULL;
            *n = 0;
            return 0;
        }
        if (util_grow((void **)vals, &cap, *n + 1, sizeof **vals))
            return -1;
        (*vals)[(*n)++] = x;
        p = end;
        while (isspace((unsigned char)*p) || *p == '\\')
            p++;
        if (*p == ',' || *p == ';') {
            seps++;
            p++;
        } else if (*p) {
            free(*vals);
            *vals = NULL;
            *n = 0;
            return 0;
        }
    }
    if (seps == 0) { /* one number: an ordinary equation */
        free(*vals);
        *vals = NULL;
        *n = 0;
        return 0;
    }
    return 1;
}

/* ------------------------------------------------------------ dimensions */

static vdim *find_dim(vreader *r, const char *key)
{
    for (int i = 0; i < r->n_dims; i++)
        if (strcmp(r->dims[i].key, key) == 0)
            return &r->dims[i];
    return NULL;
}

static int push_elem(vdim *d, const char *e)
{
    for (int k = 0; k < d->n; k++)
        if (xname_equal(d->elems[k], e))
            return 0; /* listed twice (a subrange and its elements) */
    char **ne = realloc(d->elems, (size_t)(d->n + 1) * sizeof *ne);
    if (!ne)
        return -1;
    d->elems = ne;
    d->elems[d->n] = vm_dup_n(e, strlen(e));
    return d->elems[d->n++] ? 0 : -1;
}

/* The elements of d, other ranges among them expanded. */
static int resolve_dim(vreader *r, vdim *d, int depth)
{
    if (d->n > 0)
        return 0;
    if (depth > r->n_dims)
        return err_set(r->err, MIGDEV_E_NAME, r->file, d->line, d->col,
                       "range '%s' is defined through itself", d->display);
    if (d->equiv) {
        vdim *o = find_dim(r, d->equiv);
        if (!o)
            return err_set(r->err, MIGDEV_E_NAME, r->file, d->line, d->col,
                           "range '%s' is equivalent to an unknown range", d->display);
        int rc = resolve_dim(r, o, depth + 1);
        for (int k = 0; !rc && k < o->n; k++)
            if (push_elem(d, o->elems[k]))
                rc = vm_oom(r);
        return rc;
    }
    for (int i = 0; i < d->n_raw; i++) {
        char *key = xname_key(d->raw[i]);
        if (!key)
            return vm_oom(r);
        vdim *sub = find_dim(r, key);
        free(key);
        if (sub && sub != d) {
            const int rc = resolve_dim(r, sub, depth + 1);
            if (rc)
                return rc;
            for (int k = 0; k < sub->n; k++)
                if (push_elem(d, sub->elems[k]))
                    return vm_oom(r);
        } else if (push_elem(d, d->raw[i])) {
            return vm_oom(r);
        }
    }
    return 0;
}

/* Whether name is an element of d. */
static int has_elem(const vdim *d, const char *name)
{
    for (int k = 0; k < d->n; k++)
        if (xname_equal(d->elems[k], name))
            return 1;
    return 0;
}

/* An element of any range called name, or NULL. */
static const char *find_elem(const vreader *r, const char *name)
{
    for (int i = 0; i < r->n_dims; i++)
        for (int k = 0; k < r->dims[i].n; k++)
            if (xname_equal(r->dims[i].elems[k], name))
                return r->dims[i].elems[k];
    return NULL;
}

/* The index of a's mapping to b, or -1. */
static int map_index(const vdim *a, const vdim *b)
{
    for (int k = 0; k < a->n_maps; k++)
        if (strcmp(a->maps[k], b->key) == 0)
            return k;
    return -1;
}

/* The element of `to` that element i of `from` stands for through from's
** mapping k: the listed one, or the one in the same position. */
static const char *map_target(const vdim *from, int k, int i, const vdim *to)
{
    if (from->map_list && from->map_list[k])
        return i < from->n_map_list[k] ? from->map_list[k][i] : NULL;
    return i < to->n ? to->elems[i] : NULL;
}

/* Whether a and b are mapped to each other ("a: ... -> b" or "b: ... -> a")
** and have as many elements (or a listed element of b for each of a's). */
static int mapped(const vdim *a, const vdim *b)
{
    const int ka = map_index(a, b), kb = ka < 0 ? map_index(b, a) : -1;
    const vdim *from = ka >= 0 ? a : b;
    const int k = ka >= 0 ? ka : kb;
    if (k < 0)
        return 0;
    if (from->map_list && from->map_list[k])
        return from->n_map_list[k] == from->n;
    return a->n == b->n;
}

/* Whether the listed item t of a mapping stands for element el: el itself,
** or a range (a subrange of the mapped-to range) that holds el. */
static int item_holds(const vreader *r, const char *t, const char *el)
{
    if (xname_equal(t, el))
        return 1;
    for (int i = 0; i < r->n_dims; i++)
        if (xname_equal(r->dims[i].display, t)) {
            for (int k = 0; k < r->dims[i].n; k++)
                if (xname_equal(r->dims[i].elems[k], el))
                    return 1;
            return 0;
        }
    return 0;
}

/* Whether the listed item t is a range's name. */
static int item_is_range(const vreader *r, const char *t)
{
    for (int i = 0; i < r->n_dims; i++)
        if (xname_equal(r->dims[i].display, t))
            return 1;
    return 0;
}

/* The element of `to` in the position of element el of `from` (through the
** mapping of either to the other). A listed item that is a subrange
** ("-> (other: sub, z)") stands for each of its elements where `other` is
** the left-hand side's; the other way it names no one element (NULL). */
static const char *mapped_elem(const vreader *r, const vdim *from, const char *el,
                               const vdim *to)
{
    int k = map_index(from, to);
    if (k >= 0) {
        for (int i = 0; i < from->n; i++)
            if (xname_equal(from->elems[i], el)) {
                const char *t = map_target(from, k, i, to);
                return t && !item_is_range(r, t) ? t : NULL;
            }
        return NULL;
    }
    k = map_index(to, from);
    for (int i = 0; k >= 0 && i < to->n; i++) {
        const char *t = map_target(to, k, i, from);
        if (t && item_holds(r, t, el))
            return to->elems[i];
    }
    return NULL;
}

/* Each listed element of a mapping "-> (other: x, y)" is an element of
** other, and there is one for each of the range's elements. */
static int check_map_lists(vreader *r, const vdim *d)
{
    for (int k = 0; d->map_list && k < d->n_maps; k++) {
        if (!d->map_list[k])
            continue;
        const vdim *o = NULL;
        for (int i = 0; i < r->n_dims && !o; i++)
            if (strcmp(r->dims[i].key, d->maps[k]) == 0)
                o = &r->dims[i];
        if (!o)
            return err_set(r->err, MIGDEV_E_NAME, r->file, d->line, d->col,
                           "range '%s' is mapped to an unknown range", d->display);
        if (d->n_map_list[k] != d->n)
            return err_set(r->err, MIGDEV_E_RANGE, r->file, d->line, d->col,
                           "range '%s' has %d elements but its mapping to '%s' lists %d",
                           d->display, d->n, o->display, d->n_map_list[k]);
        for (int j = 0; j < d->n_map_list[k]; j++) {
            int found = 0;
            for (int i = 0; i < o->n && !found; i++)
                found = item_holds(r, d->map_list[k][j], o->elems[i]);
            if (!found)
                return err_set(r->err, MIGDEV_E_NAME, r->file, d->line, d->col,
                               "range '%s': '%s' in its mapping is no element (nor subrange) "
                               "of '%s'",
                               d->display, d->map_list[k][j], o->display);
        }
    }
    return 0;
}

/* ------------------------------------------------------------ flattening */

typedef struct binding {
    const vdim *dim;
    const char *elem;
} binding;

typedef struct fctx {
    vreader *r;
    const ventry *e;
    binding lhs[MAX_RANK]; /* the left-hand side's ranges and elements */
    int n_lhs;
    binding bang[MAX_RANK]; /* dim! being summed over */
    int n_bang;
} fctx;

/* "base[a,b]" -> base (owned) and its subscripts (owned, in subs). */
static int split_name(const char *name, char **base, char **subs, int *n)
{
    const char *lb = strchr(name, '[');
    *n = 0;
    *base = vm_dup_n(name, (size_t)(lb - name));
    if (!*base)
        return -1;
    const char *p = lb + 1;
    while (*p && *p != ']') {
        const char *q = p;
        while (*q && *q != ',' && *q != ']')
            q++;
        if (*n >= MAX_RANK)
            return -2;
        subs[(*n)++] = vm_dup_n(p, (size_t)(q - p));
        if (!subs[*n - 1])
            return -1;
        p = *q == ',' ? q + 1 : q;
    }
    return 0;
}

/* The element that subscript s stands for in this instance, or NULL with
** err set. */
static const char *subscript_elem(fctx *c, const node *at, const char *s)
{
    char *plain = vm_dup_n(s, strlen(s));
    if (!plain)
        return NULL;
    const size_t n = strlen(plain);
    const int has_bang = n && plain[n - 1] == '!';
    if (has_bang)
        plain[n - 1] = '\0';
    char *key = xname_key(plain);
    const char *el = NULL;
    if (key) {
        /* "d!" is the element a reduction runs over; a plain "d" is the
           left-hand side's (VECTOR SELECT(s[a!, d], x[d!]...) crosses them) */
        for (int pass = 0; pass < 2 && !el; pass++) {
            if (pass == has_bang ? 0 : 1)
                for (int i = c->n_bang - 1; !el && i >= 0; i--)
                    if (strcmp(c->bang[i].dim->key, key) == 0)
                        el = c->bang[i].elem;
            if (pass == has_bang ? 1 : 0)
                for (int i = 0; !el && i < c->n_lhs; i++)
                    if (c->lhs[i].dim && strcmp(c->lhs[i].dim->key, key) == 0)
                        el = c->lhs[i].elem;
        }
        const vdim *d = el ? NULL : find_dim(c->r, key);
        /* a range mapped to the left-hand side's (element by element), before
           a range that merely holds its element */
        for (int i = 0; d && !el && i < c->n_lhs; i++)
            if (c->lhs[i].dim && mapped(d, c->lhs[i].dim))
                el = mapped_elem(c->r, c->lhs[i].dim, c->lhs[i].elem, d);
        for (int i = 0; d && !el && i < c->n_lhs; i++)
            if (has_elem(d, c->lhs[i].elem))
                el = c->lhs[i].elem; /* a subrange or super-range of position i */
        if (!el && !d)
            el = find_elem(c->r, plain);
        if (!el)
            err_set(c->r->err, d ? MIGDEV_E_UNSUPPORTED : MIGDEV_E_NAME, c->r->file, at->line,
                    at->col,
                    d ? "subscript '%s' matches no subscript of '%s' (nor a range mapped to "
                        "one)"
                      : "unknown subscript '%s' in the equation of '%s'",
                    plain, c->e->display);
    } else {
        vm_oom(c->r);
    }
    free(key);
    free(plain);
    return el;
}

/* This instance's position along its left-hand side's last range (from
** 0), or -1 when it has none or that range has not size elements. */
static int lhs_last_position(const fctx *c, int size)
{
    const binding *b = c->n_lhs ? &c->lhs[c->n_lhs - 1] : NULL;
    if (!b || !b->dim || b->dim->n != size)
        return -1;
    for (int q = 0; q < b->dim->n; q++)
        if (xname_equal(b->dim->elems[q], b->elem))
            return q;
    return -1;
}

/* An element's name, "base[p0,...,t0,...]": the subscripts kept (prefix,
** np of them) and then those chosen (tail, nt); owned, NULL when out of
** memory. */
static char *elem_name(const char *base, char *const *prefix, int np, const char *const *tail,
                       int nt)
{
    sbuf b = {NULL, 0, 0, 0};
    sbuf_put(&b, base);
    for (int i = 0; i < np + nt; i++) {
        sbuf_put(&b, i ? "," : "[");
        sbuf_put(&b, i < np ? prefix[i] : tail[i - np]);
    }
    sbuf_put(&b, "]");
    if (b.failed) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

static int rename_ref(fctx *c, node *n)
{
    char *base, *subs[MAX_RANK];
    int k = 0;
    const int sr = split_name(n->name, &base, subs, &k);
    int rc = sr == -1 ? vm_oom(c->r)
             : sr == -2 ? err_set(c->r->err, MIGDEV_E_UNSUPPORTED, c->r->file, n->line, n->col,
                                  "more than %d subscripts", MAX_RANK)
                        : 0;
    const char *el[MAX_RANK];
    for (int i = 0; !rc && i < k; i++) {
        el[i] = subscript_elem(c, n, subs[i]);
        if (!el[i])
            rc = -1;
    }
    if (!rc) {
        char *name = elem_name(base, NULL, 0, el, k);
        if (!name) {
            rc = vm_oom(c->r);
        } else {
            free(n->name);
            n->name = name;
        }
    }
    for (int i = 0; i < k; i++)
        free(subs[i]);
    free(base);
    return rc < 0 ? rc : 0;
}

/* The first "dim!" in n's names, or NULL. */
static const vdim *find_bang(fctx *c, const node *n)
{
    if ((n->kind == N_REF || n->kind == N_CALL) && n->name && strchr(n->name, '[')) {
        const char *p = strchr(n->name, '[') + 1;
        while (*p && *p != ']') {
            const char *q = p;
            while (*q && *q != ',' && *q != ']')
                q++;
            if (q > p && q[-1] == '!') {
                char *s = vm_dup_n(p, (size_t)(q - p - 1));
                char *key = s ? xname_key(s) : NULL;
                const vdim *d = key ? find_dim(c->r, key) : NULL;
                int bound = 0;
                for (int i = 0; d && i < c->n_bang; i++)
                    bound |= c->bang[i].dim == d;
                free(s);
                free(key);
                if (d && !bound)
                    return d;
            }
            p = *q == ',' ? q + 1 : q;
        }
    }
    for (int i = 0; i < n->nargs; i++) {
        const vdim *d = find_bang(c, n->args[i]);
        if (d)
            return d;
    }
    return NULL;
}

static int subst(fctx *c, node **np);

/* The largest range holding every element of d (d itself when none). */
static const vdim *root_of(const vreader *r, const vdim *d)
{
    const vdim *best = NULL;
    for (int i = 0; i < r->n_dims; i++) { /* of equal ones, the first defined */
        const vdim *o = &r->dims[i];
        if (best && o->n <= best->n)
            continue;
        int all = 1;
        for (int k = 0; all && k < d->n; k++)
            all = has_elem(o, d->elems[k]);
        if (all)
            best = o;
    }
    return best ? best : d;
}

/* A range named as a value ("dim = subA"): the position (from 1) of this
** instance's element in the largest range holding that range (a subrange's
** elements count from the start of their parent), as Vensim computes it. */
static int dim_value(fctx *c, node *n)
{
    char *key = xname_key(n->name);
    if (!key)
        return vm_oom(c->r);
    const vdim *d = find_dim(c->r, key);
    const char *el = NULL;
    if (!d) {
        /* an element named as a value ("dimA = B"), unless a variable has
           that name */
        el = find_elem(c->r, n->name);
        for (int i = 0; el && i < c->r->n; i++)
            if (c->r->e[i].key && strcmp(c->r->e[i].key, key) == 0)
                el = NULL;
        for (int i = 0; el && !d && i < c->r->n_dims; i++)
            if (has_elem(&c->r->dims[i], el))
                d = &c->r->dims[i];
        free(key);
        if (!el)
            return 0; /* a variable */
    } else {
        free(key);
        el = subscript_elem(c, n, n->name);
    }
    d = root_of(c->r, d);
    if (!el)
        return -1;
    for (int k = 0; k < d->n; k++)
        if (xname_equal(d->elems[k], el)) {
            free(n->name);
            n->name = NULL;
            n->kind = N_NUM;
            n->num = k + 1;
            return 0;
        }
    return err_set(c->r->err, MIGDEV_E_NAME, c->r->file, n->line, n->col,
                   "'%s' is not an element of '%s'", el, d->display);
}

static int call_key_is(const node *n, const char *key)
{
    if (n->kind != N_CALL || !n->name)
        return 0;
    char *k = xname_key(n->name);
    const int is = k && strcmp(k, key) == 0;
    free(k);
    return is;
}

/* SUM(x[d!]) and its kin: the elements combined by op (a TK_ or, for
** VMIN/VMAX, the builtin min or max). */
/* Whether the argument of a reduction over d depends on the instance: a
** subscript other than d! and fixed elements (a range of the left-hand
** side, an outer reduction's), or a range named as a value. */
static int depends_on_instance(fctx *c, const node *n, const vdim *d)
{
    if ((n->kind == N_REF || n->kind == N_CALL) && n->name) {
        const char *lb = strchr(n->name, '[');
        if (!lb && n->kind == N_REF) {
            char *key = xname_key(n->name);
            const int is_dim = key && find_dim(c->r, key) != NULL;
            free(key);
            if (is_dim || !key)
                return 1;
        }
        for (const char *p = lb ? lb + 1 : NULL; p && *p && *p != ']';) {
            const char *q = p;
            while (*q && *q != ',' && *q != ']')
                q++;
            size_t len = (size_t)(q - p);
            if (len && p[len - 1] == '!')
                len--;
            char *sub = vm_dup_n(p, len);
            char *key = sub ? xname_key(sub) : NULL;
            const vdim *sd = key ? find_dim(c->r, key) : NULL;
            free(sub);
            free(key);
            if (!key || (sd && sd != d))
                return 1;
            p = *q == ',' ? q + 1 : q;
        }
    }
    for (int i = 0; i < n->nargs; i++)
        if (depends_on_instance(c, n->args[i], d))
            return 1;
    return 0;
}

static int reduce_expand(fctx *c, node **np, int op, const char *fn);

/* A reduction whose argument is the same for every element of the
** variable (share = x[d] / SUM(x[d!])) is computed once, in a variable of
** its own named as written ("SUM(x[d!])"), not once per element. */
static int reduce(fctx *c, node **np, int op, const char *fn)
{
    node *n = *np;
    const vdim *d = n->nargs == 1 ? find_bang(c, n->args[0]) : NULL;
    if (!d || c->n_lhs == 0 || c->n_bang > 0 || depends_on_instance(c, n->args[0], d))
        return reduce_expand(c, np, op, fn);
    char *text = vt_native_text(n);
    char *key = text ? xname_key(text) : NULL;
    if (!key) {
        free(text);
        return vm_oom(c->r);
    }
    vreader *r = c->r;
    int found = -1;
    for (int i = 0; i < r->n_hoisted && found < 0; i++)
        if (strcmp(r->hoisted[i].key, key) == 0)
            found = i;
    if (found < 0) {
        node *t = vt_copy(n);
        fctx scalar;
        memset(&scalar, 0, sizeof scalar);
        scalar.r = r;
        scalar.e = c->e;
        int rc = t ? reduce_expand(&scalar, &t, op, fn) : vm_oom(r);
        if (!rc && util_grow((void **)&r->hoisted, &r->cap_hoisted, r->n_hoisted + 1,
                             sizeof *r->hoisted))
            rc = vm_oom(r);
        if (rc) {
            node_free(t);
            free(text);
            free(key);
            return rc;
        }
        ventry *h = &r->hoisted[r->n_hoisted++];
        memset(h, 0, sizeof *h);
        h->kind = VE_EQ;
        h->vk = VK_AUX;
        h->display = text;
        h->name = xname_engine(text);
        h->key = key;
        h->line = c->e->line;
        h->col = c->e->col;
        h->eq_line = n->line;
        h->eq_col = n->col;
        h->units = vm_dup_n("", 0);
        h->doc = vm_dup_n("", 0);
        h->tree = t;
        if (!h->name || !h->units || !h->doc)
            return vm_oom(r);
        found = r->n_hoisted - 1;
    } else {
        free(text);
        free(key);
    }
    node *ref = node_new(N_REF, n->line, n->col, r->hoisted[found].display,
                         strlen(r->hoisted[found].display));
    if (!ref)
        return vm_oom(r);
    node_free(n);
    *np = ref;
    return 0;
}

static int reduce_expand(fctx *c, node **np, int op, const char *fn)
{
    node *n = *np;
    if (n->nargs != 1)
        return err_set(c->r->err, MIGDEV_E_TYPE, c->r->file, n->line, n->col,
                       "%s takes 1 argument, got %d", n->name, n->nargs);
    const vdim *d = find_bang(c, n->args[0]);
    if (!d)
        return err_set(c->r->err, MIGDEV_E_UNSUPPORTED, c->r->file, n->line, n->col,
                       "%s needs a range marked with '!' to run over (as SUM(x[dim!]))",
                       n->name);
    if (c->n_bang >= MAX_RANK)
        return err_set(c->r->err, MIGDEV_E_UNSUPPORTED, c->r->file, n->line, n->col,
                       "more than %d nested sums", MAX_RANK);
    node *acc = NULL;
    for (int k = 0; k < d->n; k++) {
        node *t = vt_copy(n->args[0]);
        if (!t) {
            node_free(acc);
            return vm_oom(c->r);
        }
        c->bang[c->n_bang++] = (binding){d, d->elems[k]};
        int rc = 0;
        if (find_bang(c, t)) {
            /* another dim! in the same argument: the same reduction over it
               (PROD(x[a!, b!]) is the product over both) */
            node *inner = node_new(N_CALL, n->line, n->col, n->name, strlen(n->name));
            if (!inner)
                node_free(t);
            if (!inner || node_push(inner, t) != 0) { /* node_push freed t */
                node_free(inner);
                c->n_bang--;
                node_free(acc);
                return vm_oom(c->r);
            }
            t = inner;
        }
        rc = subst(c, &t);
        c->n_bang--;
        if (rc) {
            node_free(t);
            node_free(acc);
            return rc;
        }
        if (!acc) {
            acc = t;
            continue;
        }
        node *j = node_new(fn ? N_CALL : N_BINARY, n->line, n->col, fn, fn ? strlen(fn) : 0);
        if (!j || node_push(j, acc) != 0) {
            node_free(j);
            node_free(t);
            return vm_oom(c->r);
        }
        if (node_push(j, t) != 0) {
            node_free(j);
            return vm_oom(c->r);
        }
        j->op = op;
        j->is_builtin = fn != NULL;
        acc = j;
    }
    node_free(n);
    *np = acc;
    return 0;
}

/* ----------------------------------------------------- VECTOR SELECT */

/* Tree builders for the expansions below: each takes ownership of its
** operands and returns NULL (having freed them) when out of memory. */
static node *mk_num(const node *at, double x)
{
    node *n = node_new(N_NUM, at->line, at->col, NULL, 0);
    if (n)
        n->num = x;
    return n;
}

static node *mk_op(const node *at, node_kind kind, int op, const char *fn, node *a, node *b,
                   node *c3)
{
    node *n = a && b && (c3 || kind != N_CALL || !fn || strcmp(fn, "IF THEN ELSE") != 0)
                  ? node_new(kind, at->line, at->col, fn, fn ? strlen(fn) : 0)
                  : NULL;
    if (!n) {
        node_free(a), node_free(b), node_free(c3);
        return NULL;
    }
    n->op = op;
    if (node_push(n, a) != 0) {
        node_free(b), node_free(c3), node_free(n);
        return NULL;
    }
    if (node_push(n, b) != 0) {
        node_free(c3), node_free(n);
        return NULL;
    }
    if (c3 && node_push(n, c3) != 0) {
        node_free(n);
        return NULL;
    }
    return n;
}

static node *mk_neg(const node *at, node *a)
{
    node *n = a ? node_new(N_UNARY, at->line, at->col, NULL, 0) : NULL;
    if (!n || node_push(n, a) != 0) { /* node_push freed a */
        if (!n)
            node_free(a);
        node_free(n);
        return NULL;
    }
    n->op = TK_MINUS;
    return n;
}

static node *mk_bin(const node *at, int op, node *a, node *b)
{
    return mk_op(at, N_BINARY, op, NULL, a, b, NULL);
}

static node *mk_if(const node *at, node *cond, node *then, node *other)
{
    return mk_op(at, N_CALL, 0, "IF THEN ELSE", cond, then, other);
}

/* The ranges marked "dim!" in n that no reduction binds yet, in order of
** appearance, added to d (n_d of them, at most MAX_RANK). */
static int collect_bangs(fctx *c, const node *n, const vdim **d, int *n_d)
{
    for (;;) {
        const vdim *x = find_bang(c, n);
        if (!x)
            return 0;
        if (*n_d >= MAX_RANK || c->n_bang >= MAX_RANK)
            return -1;
        d[(*n_d)++] = x;
        c->bang[c->n_bang++] = (binding){x, x->elems[0]}; /* bound while looking further */
    }
}

enum { VS_ACTIONS = 11 };   /* VECTOR SELECT's numerical actions 0..10 */
#define VS_HUGE 1e308       /* the start of a minimum (maximum: its negative) */

/* One numerical action over the n selected terms s[k], e[k] (copied). */
static node *select_action(const node *at, int action, node *const *s, node *const *e, int n)
{
    node *acc = NULL;
    for (int k = 0; k < n; k++) {
        node *w;
        if (action < 5)
            w = mk_bin(at, TK_STAR, vt_copy(s[k]), vt_copy(e[k]));
        else if (action == 5)
            w = mk_bin(at, TK_CARET, vt_copy(e[k]), vt_copy(s[k]));
        else
            w = vt_copy(e[k]);
        const int kind = action % 5 == 0 && action != 5 ? 0 /* sum */
                         : action == 1 || action == 5 || action == 7 ? 1 /* product */
                         : action == 2 || action == 8                 ? 2 /* minimum */
                         : action == 3 || action == 9                 ? 3 /* maximum */
                                                                      : 4; /* mean */
        const double none = kind == 1 ? 1.0 : kind == 2 ? VS_HUGE : kind == 3 ? -VS_HUGE : 0.0;
        node *term = mk_if(at, mk_bin(at, TK_NE, vt_copy(s[k]), mk_num(at, 0)), w,
                           mk_num(at, none));
        if (!acc)
            acc = term;
        else if (kind == 1)
            acc = mk_bin(at, TK_STAR, acc, term);
        else if (kind == 2 || kind == 3)
            acc = mk_op(at, N_CALL, 0, kind == 2 ? "MIN" : "MAX", acc, term, NULL);
        else
            acc = mk_bin(at, TK_PLUS, acc, term);
        if (!acc)
            return NULL;
    }
    return acc;
}

/* VECTOR SELECT(selection[d!], expression[d!], missing, action, error):
** the selected elements (selection not 0) combined by the numerical
** action (0 weighted sum, 1 weighted product, 2/3 weighted min/max, 4
** weighted mean, 5 product of expression ^ selection, 6-10 the unweighted
** sum, product, min, max, mean), missing when nothing is selected; ranges
** of the two arrays that differ are crossed (PySD's broadcast). Expanded
** into an expression of the elements; an action that is not a number is
** chosen at run time. */
static int vector_select(fctx *c, node **np)
{
    node *n = *np;
    if (n->nargs != 5)
        return err_set(c->r->err, MIGDEV_E_TYPE, c->r->file, n->line, n->col,
                       "VECTOR SELECT takes 5 arguments, got %d", n->nargs);
    const node *err_action = n->args[4];
    if (err_action->kind != N_NUM || err_action->num != 0)
        return err_set(c->r->err, MIGDEV_E_UNSUPPORTED, c->r->file, err_action->line,
                       err_action->col,
                       "VECTOR SELECT: only the error action 0 (no error) is supported");
    const vdim *d[MAX_RANK];
    int nd = 0;
    const int bound0 = c->n_bang;
    int rc = collect_bangs(c, n->args[0], d, &nd) || collect_bangs(c, n->args[1], d, &nd);
    c->n_bang = bound0;
    if (rc)
        return err_set(c->r->err, MIGDEV_E_UNSUPPORTED, c->r->file, n->line, n->col,
                       "VECTOR SELECT over more than %d ranges", MAX_RANK);
    if (nd == 0)
        return err_set(c->r->err, MIGDEV_E_UNSUPPORTED, c->r->file, n->line, n->col,
                       "VECTOR SELECT needs ranges marked with '!' to run over");
    long total = 1;
    for (int i = 0; i < nd; i++)
        total *= d[i]->n;
    if (total > MAX_ELEMS)
        return err_set(c->r->err, MIGDEV_E_RANGE, c->r->file, n->line, n->col,
                       "VECTOR SELECT over more than %d elements", MAX_ELEMS);
    node **s = calloc((size_t)total, sizeof *s), **e = calloc((size_t)total, sizeof *e);
    node *missing = NULL, *action = NULL, *out = NULL;
    rc = s && e ? 0 : vm_oom(c->r);
    int idx[MAX_RANK] = {0};
    for (long k = 0; !rc && k < total; k++) {
        for (int i = 0; i < nd; i++)
            c->bang[c->n_bang++] = (binding){d[i], d[i]->elems[idx[i]]};
        s[k] = vt_copy(n->args[0]);
        e[k] = vt_copy(n->args[1]);
        rc = !s[k] || !e[k] ? vm_oom(c->r) : 0;
        if (!rc)
            rc = subst(c, &s[k]);
        if (!rc)
            rc = subst(c, &e[k]);
        c->n_bang = bound0;
        for (int i = nd - 1; i >= 0; i--) {
            if (++idx[i] < d[i]->n)
                break;
            idx[i] = 0;
        }
    }
    if (!rc) {
        missing = vt_copy(n->args[2]);
        action = vt_copy(n->args[3]);
        rc = missing && action ? subst(c, &missing) : vm_oom(c->r);
        if (!rc)
            rc = subst(c, &action);
    }
    if (!rc) {
        if (action->kind == N_NUM) {
            const double a = action->num;
            if (a != floor(a) || a < 0 || a >= VS_ACTIONS)
                rc = err_set(c->r->err, MIGDEV_E_RANGE, c->r->file, action->line, action->col,
                             "VECTOR SELECT: the numerical action is 0 to 10, got %g", a);
            else
                out = select_action(n, (int)a, s, e, (int)total);
        } else { /* chosen at run time: IF action = 0 THEN ... ELSE IF ... */
            for (int a = VS_ACTIONS - 1; a >= 0 && (a == VS_ACTIONS - 1 || out); a--) {
                node *op = select_action(n, a, s, e, (int)total);
                out = a == VS_ACTIONS - 1
                          ? op
                          : mk_if(n, mk_bin(n, TK_EQ, vt_copy(action), mk_num(n, a)), op, out);
            }
        }
        if (!rc && out) {
            /* the mean: divided by the count; nothing selected: missing */
            node *count = NULL;
            for (long k = 0; k < total; k++) {
                node *t = mk_bin(n, TK_NE, vt_copy(s[k]), mk_num(n, 0));
                count = count ? mk_bin(n, TK_PLUS, count, t) : t;
            }
            if (action->kind != N_NUM || action->num == 4 || action->num == 10) {
                node *div = mk_bin(n, TK_SLASH, vt_copy(out), mk_op(n, N_CALL, 0, "MAX",
                                                                    vt_copy(count), mk_num(n, 1),
                                                                    NULL));
                if (action->kind == N_NUM) {
                    node_free(out);
                    out = div;
                } else {
                    out = mk_if(n,
                                mk_bin(n, TK_OR, mk_bin(n, TK_EQ, vt_copy(action), mk_num(n, 4)),
                                       mk_bin(n, TK_EQ, vt_copy(action), mk_num(n, 10))),
                                div, out);
                }
            }
            out = mk_if(n, mk_bin(n, TK_EQ, count, mk_num(n, 0)), vt_copy(missing), out);
        }
        if (!rc && !out)
            rc = vm_oom(c->r);
    }
    for (long k = 0; s && e && k < total; k++)
        node_free(s[k]), node_free(e[k]);
    free(s), free(e);
    node_free(missing), node_free(action);
    if (rc) {
        node_free(out);
        return rc;
    }
    node_free(n);
    *np = out;
    return 0;
}

/* ------------------------------------------------------ INVERT MATRIX */

enum { MAX_INVERT = 4 }; /* cofactors grow as n!: larger matrices are refused */

/* The determinant of m (n x n, row-major trees) restricted to the rows
** rows[0..k) and the columns whose bit is clear in used (Laplace expansion
** along the first row). */
static node *det(const node *at, node *const *m, int n, const int *rows, int k, unsigned used)
{
    if (k == 0)
        return mk_num(at, 1);
    node *acc = NULL;
    int sign = 1;
    for (int col = 0; col < n; col++) {
        if (used & (1u << col))
            continue;
        node *minor = det(at, m, n, rows + 1, k - 1, used | (1u << col));
        node *term = mk_bin(at, TK_STAR, vt_copy(m[rows[0] * n + col]), minor);
        if (!acc)
            acc = sign > 0 ? term : mk_neg(at, term);
        else
            acc = mk_bin(at, sign > 0 ? TK_PLUS : TK_MINUS, acc, term);
        if (!acc)
            return NULL;
        sign = -sign;
    }
    return acc;
}

/* INVERT MATRIX(x[..., r, c], n): this instance's element (i, j) of the
** inverse of the square matrix that x's last two ranges span (the other
** subscripts as in any reference), as cofactor(j, i) / determinant. */
static int invert_matrix(fctx *c, node **np)
{
    node *n = *np;
    vreader *r = c->r;
    const node *a = n->nargs == 2 ? n->args[0] : NULL;
    if (!a || a->kind != N_REF || !a->name || !strchr(a->name, '['))
        return err_set(r->err, MIGDEV_E_TYPE, r->file, n->line, n->col,
                       "INVERT MATRIX takes a subscripted matrix and its size: "
                       "INVERT MATRIX(m[d1, d2], n)");
    char *base, *subs[MAX_RANK];
    int k = 0;
    const int sr = split_name(a->name, &base, subs, &k);
    int rc = sr == -1 ? vm_oom(r) : sr == -2 || k < 2 ? -2 : 0;
    const vdim *dr = NULL, *dc = NULL;
    if (!rc) {
        char *kr = xname_key(subs[k - 2]), *kc = xname_key(subs[k - 1]);
        dr = kr ? find_dim(r, kr) : NULL;
        dc = kc ? find_dim(r, kc) : NULL;
        free(kr), free(kc);
        if (!dr || !dc || dr->n != dc->n)
            rc = -2;
    }
    if (rc == -2)
        rc = err_set(r->err, MIGDEV_E_UNSUPPORTED, r->file, a->line, a->col,
                     "INVERT MATRIX: the last two subscripts of '%s' must be ranges of the same "
                     "size (the square matrix)", a->name);
    const int dim = rc ? 0 : dr->n;
    if (!rc && dim > MAX_INVERT)
        rc = err_set(r->err, MIGDEV_E_UNSUPPORTED, r->file, n->line, n->col,
                     "INVERT MATRIX of a %dx%d matrix is not supported (at most %dx%d)", dim, dim,
                     MAX_INVERT, MAX_INVERT);
    /* this instance's row and column of the inverse */
    int i = -1, j = -1;
    if (!rc) {
        const char *er = subscript_elem(c, a, subs[k - 2]);
        const char *ec = er ? subscript_elem(c, a, subs[k - 1]) : NULL;
        for (int q = 0; ec && q < dim; q++) {
            if (xname_equal(dr->elems[q], er))
                i = q;
            if (xname_equal(dc->elems[q], ec))
                j = q;
        }
        if (!er || !ec)
            rc = -1;
        else if (i < 0 || j < 0)
            rc = err_set(r->err, MIGDEV_E_UNSUPPORTED, r->file, a->line, a->col,
                         "INVERT MATRIX: '%s' is defined over the matrix's ranges", c->e->display);
    }
    node *m[MAX_INVERT * MAX_INVERT] = {NULL};
    for (int p = 0; !rc && p < dim * dim; p++) {
        const char *rc_el[2] = {dr->elems[p / dim], dc->elems[p % dim]};
        char *name = elem_name(base, subs, k - 2, rc_el, 2);
        if (!name) {
            rc = vm_oom(r);
            break;
        }
        m[p] = node_new(N_REF, a->line, a->col, name, strlen(name));
        free(name);
        rc = m[p] ? rename_ref(c, m[p]) : vm_oom(r);
    }
    node *out = NULL;
    if (!rc) {
        int all[MAX_INVERT], minor_rows[MAX_INVERT], nm = 0;
        for (int q = 0; q < dim; q++) {
            all[q] = q;
            if (q != j)
                minor_rows[nm++] = q;
        }
        node *cof = det(n, m, dim, minor_rows, nm, 1u << i);
        if (cof && (i + j) % 2)
            cof = mk_neg(n, cof);
        out = mk_bin(n, TK_SLASH, cof, det(n, m, dim, all, dim, 0));
        if (!out)
            rc = vm_oom(r);
    }
    for (int p = 0; p < MAX_INVERT * MAX_INVERT; p++)
        node_free(m[p]);
    for (int q = 0; q < k; q++)
        free(subs[q]);
    free(base);
    if (rc)
        return rc < 0 ? rc : -1;
    node_free(n);
    *np = out;
    return 0;
}

/* ------------------------------------------------ VECTOR RANK and kin */

enum { MAX_VECTOR = 200 }; /* the expansions grow as n^2 per element */

typedef enum { VV_RANK, VV_SORT_ORDER, VV_REORDER } vvec_kind;

/* The elements v[0..n) of the vector that reference a runs over: its last
** subscript's range, the other subscripts as in any reference. */
static int vector_elems(fctx *c, const node *a, const char *fn, node **v, int *n)
{
    vreader *r = c->r;
    if (a->kind != N_REF || !a->name || !strchr(a->name, '['))
        return err_set(r->err, MIGDEV_E_TYPE, r->file, a->line, a->col,
                       "%s runs over a subscripted variable (the last subscript)", fn);
    char *base, *subs[MAX_RANK];
    int k = 0;
    const int sr = split_name(a->name, &base, subs, &k);
    int rc = sr == -1 ? vm_oom(r) : 0;
    const vdim *d = NULL;
    if (!rc && sr == 0 && k > 0) {
        size_t l = strlen(subs[k - 1]);
        if (l && subs[k - 1][l - 1] == '!')
            subs[k - 1][--l] = '\0';
        char *key = xname_key(subs[k - 1]);
        d = key ? find_dim(r, key) : NULL;
        free(key);
    }
    if (!rc && (!d || d->n > MAX_VECTOR))
        rc = err_set(r->err, MIGDEV_E_UNSUPPORTED, r->file, a->line, a->col,
                     d ? "%s over more than %d elements is not supported"
                       : "%s: the last subscript of the vector must be a range",
                     fn, MAX_VECTOR);
    for (int i = 0; !rc && i < d->n; i++) {
        const char *el = d->elems[i];
        char *name = elem_name(base, subs, k - 1, &el, 1);
        if (!name) {
            rc = vm_oom(r);
            break;
        }
        v[i] = node_new(N_REF, a->line, a->col, name, strlen(name));
        free(name);
        rc = v[i] ? rename_ref(c, v[i]) : vm_oom(r);
        *n = i + 1;
    }
    for (int q = 0; q < k; q++)
        free(subs[q]);
    free(base);
    return rc < 0 ? rc : rc ? -1 : 0;
}

/* The 0-based position of element i in the ascending order of v (ties by
** index): #{j: v_j < v_i} + #{j < i: v_j = v_i}. */
static node *position(const node *at, node *const *v, int n, int i)
{
    node *acc = mk_num(at, 0);
    for (int j = 0; acc && j < n; j++) {
        if (j == i)
            continue;
        acc = mk_bin(at, TK_PLUS, acc,
                     mk_bin(at, j < i ? TK_LE : TK_LT, vt_copy(v[j]), vt_copy(v[i])));
    }
    return acc;
}

/* VECTOR RANK(v, dir): this element's rank, from 1, ascending when dir > 0
** (descending: the ascending order reversed). VECTOR SORT ORDER(v, dir):
** the index, from 0, of the vector's element in this position of the
** order. VECTOR REORDER(v, order): v's element at this position's order.
** Positions are the left-hand side's last subscript's (a range
** mapped to the vector's, or the vector's own), as PySD reads them. */
static int vector_fn(fctx *c, node **np, vvec_kind kind)
{
    node *n = *np;
    vreader *r = c->r;
    static const char *const names[] = {"VECTOR RANK", "VECTOR SORT ORDER", "VECTOR REORDER"};
    const char *fn = names[kind];
    if (n->nargs != 2)
        return err_set(r->err, MIGDEV_E_TYPE, r->file, n->line, n->col,
                       "%s takes 2 arguments, got %d", fn, n->nargs);
    node *v[MAX_VECTOR] = {NULL};
    int nv = 0, rc = vector_elems(c, n->args[0], fn, v, &nv);
    /* this instance's position: its last subscript's index */
    int k = -1;
    if (!rc) {
        k = lhs_last_position(c, nv);
        if (k < 0)
            rc = err_set(r->err, MIGDEV_E_UNSUPPORTED, r->file, n->line, n->col,
                         "%s: the last subscript of '%s' must be a range of the vector's size "
                         "(%d elements)", fn, c->e->display, nv);
    }
    node *arg = NULL, *out = NULL;
    if (!rc) {
        arg = vt_copy(n->args[1]);
        rc = arg ? subst(c, &arg) : vm_oom(r);
    }
    if (!rc && kind == VV_RANK) {
        node *asc = mk_bin(n, TK_PLUS, position(n, v, nv, k), mk_num(n, 1));
        node *desc = mk_bin(n, TK_MINUS, mk_num(n, nv), position(n, v, nv, k));
        out = mk_if(n, mk_bin(n, TK_GT, vt_copy(arg), mk_num(n, 0)), asc, desc);
    } else if (!rc && kind == VV_SORT_ORDER) {
        node *asc = NULL, *desc = NULL;
        for (int i = 0; i < nv; i++) {
            node *ta = mk_bin(n, TK_STAR, mk_num(n, i),
                              mk_bin(n, TK_EQ, position(n, v, nv, i), mk_num(n, k)));
            node *td = mk_bin(n, TK_STAR, mk_num(n, i),
                              mk_bin(n, TK_EQ, position(n, v, nv, i), mk_num(n, nv - 1 - k)));
            asc = asc ? mk_bin(n, TK_PLUS, asc, ta) : ta;
            desc = desc ? mk_bin(n, TK_PLUS, desc, td) : td;
        }
        out = mk_if(n, mk_bin(n, TK_GT, vt_copy(arg), mk_num(n, 0)), asc, desc);
    } else if (!rc) { /* REORDER: the element whose index (from 0) the order gives */
        for (int i = 0; i < nv; i++) {
            node *t = mk_bin(n, TK_STAR, vt_copy(v[i]),
                             mk_bin(n, TK_EQ, vt_copy(arg), mk_num(n, i)));
            out = out ? mk_bin(n, TK_PLUS, out, t) : t;
        }
    }
    if (!rc && !out)
        rc = vm_oom(r);
    for (int i = 0; i < nv; i++)
        node_free(v[i]);
    node_free(arg);
    if (rc) {
        node_free(out);
        return rc;
    }
    node_free(n);
    *np = out;
    return 0;
}

/* A call of the engine's builtin name at n's position whose first argument
** is this instance's element index k (the allocation builtins); NULL when
** out of memory. */
static node *builtin_at_element(const node *n, const char *name, int k)
{
    node *out = node_new(N_CALL, n->line, n->col, name, strlen(name));
    if (!out)
        return NULL;
    out->is_builtin = 1;
    node *kn = mk_num(n, k);
    if (!kn || node_push(out, kn) != 0) {
        node_free(out);
        return NULL;
    }
    return out;
}

/* Append to call a copy of arg with this instance's subscripts put in. */
static int push_substituted(fctx *c, node *call, const node *arg)
{
    node *t = vt_copy(arg);
    int rc = t ? subst(c, &t) : vm_oom(c->r);
    if (rc) {
        node_free(t);
        return rc;
    }
    return node_push(call, t) ? vm_oom(c->r) : 0;
}

/* ALLOCATE BY PRIORITY(request[d], priority[d], size, width, supply): this
** element's share of supply among the requesters d (the left-hand side's
** last subscript, as in PySD), by the engine's allocate_by_priority: the
** element's index, width, supply, then each requester's request and
** priority (the last subscript of both references runs over d). */
static int allocate_fn(fctx *c, node **np)
{
    node *n = *np;
    vreader *r = c->r;
    const char *fn = "ALLOCATE BY PRIORITY";
    if (n->nargs != 5)
        return err_set(r->err, MIGDEV_E_TYPE, r->file, n->line, n->col,
                       "%s takes 5 arguments, got %d", fn, n->nargs);
    node *req[MAX_VECTOR] = {NULL}, *pri[MAX_VECTOR] = {NULL};
    int nr = 0, np_ = 0;
    int rc = vector_elems(c, n->args[0], fn, req, &nr);
    if (!rc)
        rc = vector_elems(c, n->args[1], fn, pri, &np_);
    int k = -1;
    if (!rc) {
        k = lhs_last_position(c, nr);
        if (k < 0 || np_ != nr)
            rc = err_set(r->err, MIGDEV_E_UNSUPPORTED, r->file, n->line, n->col,
                         "%s: the requests, the priorities and the last subscript of '%s' "
                         "must run over ranges of the same size (%d elements)",
                         fn, c->e->display, nr);
    }
    node *size = NULL, *out = NULL;
    if (!rc) {
        size = vt_copy(n->args[2]);
        rc = size ? subst(c, &size) : vm_oom(r);
    }
    if (!rc && (size->kind != N_NUM || size->num != (double)nr))
        rc = err_set(r->err, MIGDEV_E_UNSUPPORTED, r->file, n->args[2]->line, n->args[2]->col,
                     "%s: the size must be the number of requesters (%d), as ELMCOUNT of "
                     "their range",
                     fn, nr);
    if (!rc && !(out = builtin_at_element(n, "allocate_by_priority", k)))
        rc = vm_oom(r);
    for (int a = 3; !rc && a < 5; a++)
        rc = push_substituted(c, out, n->args[a]);
    for (int i = 0; !rc && i < nr; i++) {
        rc = node_push(out, req[i]) ? vm_oom(r) : 0;
        req[i] = NULL;
        if (!rc)
            rc = node_push(out, pri[i]) ? vm_oom(r) : 0;
        pri[i] = NULL;
    }
    for (int i = 0; i < MAX_VECTOR; i++)
        node_free(req[i]), node_free(pri[i]);
    node_free(size);
    if (rc) {
        node_free(out);
        return rc;
    }
    node_free(n);
    *np = out;
    return 0;
}

/* ALLOCATE AVAILABLE(request[d], pp[d, profile], avail): this element's
** share of avail among the requesters d (the left-hand side's last
** subscript), by the engine's allocate_available: the element's index,
** avail, then each requester's request and the 4 values of its priority
** profile (pp's last subscript: type, priority, width, extra; the one
** before it runs over d). */
static int available_fn(fctx *c, node **np)
{
    node *n = *np;
    vreader *r = c->r;
    const char *fn = "ALLOCATE AVAILABLE";
    if (n->nargs != 3)
        return err_set(r->err, MIGDEV_E_TYPE, r->file, n->line, n->col,
                       "%s takes 3 arguments, got %d", fn, n->nargs);
    node *req[MAX_VECTOR] = {NULL}, *pp[4 * MAX_VECTOR] = {NULL};
    int nr = 0, npp = 0;
    int rc = vector_elems(c, n->args[0], fn, req, &nr);
    /* pp[..., d, profile]: the profile's elements for each of d's */
    const node *a = n->args[1];
    char *base = NULL, *subs[MAX_RANK];
    int k = 0;
    if (!rc && (a->kind != N_REF || !a->name || !strchr(a->name, '[')))
        rc = err_set(r->err, MIGDEV_E_TYPE, r->file, a->line, a->col,
                     "%s: the priority profiles are a variable subscripted by the requesters "
                     "and the profile (pp[d, pprofile])", fn);
    if (!rc) {
        const int sr = split_name(a->name, &base, subs, &k);
        rc = sr == -1 ? vm_oom(r) : sr == -2 || k < 2 ? err_set(r->err, MIGDEV_E_TYPE, r->file,
                                                               a->line, a->col,
                                                               "%s: the priority profiles are "
                                                               "pp[d, pprofile]", fn)
                                                  : 0;
    }
    const vdim *dd = NULL, *pd = NULL;
    int p0 = 0; /* pd's first element in the profile */
    if (!rc) {
        for (int q = k - 2; q < k; q++) {
            size_t l = strlen(subs[q]);
            if (l && subs[q][l - 1] == '!')
                subs[q][--l] = '\0';
            char *key = xname_key(subs[q]);
            const vdim *d = key ? find_dim(r, key) : NULL;
            free(key);
            if (q == k - 2)
                dd = d;
            else
                pd = d;
        }
        /* pp[d, ptype]: an element, as Vensim's documentation writes it,
           stands for the 4 elements of its range from it on */
        const int whole = pd != NULL;
        for (int i = 0; !pd && i < r->n_dims; i++)
            for (int j = 0; j + 4 <= r->dims[i].n && !pd; j++)
                if (xname_equal(r->dims[i].elems[j], subs[k - 1])) {
                    pd = &r->dims[i];
                    p0 = j;
                }
        if (!dd || !pd || (whole && pd->n != 4) || dd->n != nr)
            rc = err_set(r->err, MIGDEV_E_UNSUPPORTED, r->file, a->line, a->col,
                         "%s: the priority profiles are pp[d, pprofile] (or pp[d, ptype]), d "
                         "the requesters' range (%d elements) and pprofile a range of 4 "
                         "(type, priority, width, extra)",
                         fn, nr);
    }
    for (int i = 0; !rc && i < nr; i++)
        for (int j = 0; !rc && j < 4; j++) {
            const char *pe = pd->elems[p0 + j];
            const char *el[2] = {dd->elems[i], pe};
            char *name = elem_name(base, subs, k - 2, el, 2);
            if (!name) {
                rc = vm_oom(r);
                break;
            }
            node *v = node_new(N_REF, a->line, a->col, name, strlen(name));
            free(name);
            rc = v ? rename_ref(c, v) : vm_oom(r);
            pp[npp++] = v;
        }
    for (int q = 0; q < k; q++)
        free(subs[q]);
    free(base);
    int kk = -1;
    if (!rc) {
        kk = lhs_last_position(c, nr);
        if (kk < 0)
            rc = err_set(r->err, MIGDEV_E_UNSUPPORTED, r->file, n->line, n->col,
                         "%s: the requests and the last subscript of '%s' must run over "
                         "ranges of the same size (%d elements)",
                         fn, c->e->display, nr);
    }
    node *out = NULL;
    if (!rc && !(out = builtin_at_element(n, "allocate_available", kk)))
        rc = vm_oom(r);
    if (!rc)
        rc = push_substituted(c, out, n->args[2]);
    for (int i = 0; !rc && i < nr; i++) {
        rc = node_push(out, req[i]) ? vm_oom(r) : 0;
        req[i] = NULL;
        for (int j = 0; !rc && j < 4; j++) {
            rc = node_push(out, pp[4 * i + j]) ? vm_oom(r) : 0;
            pp[4 * i + j] = NULL;
        }
    }
    for (int i = 0; i < MAX_VECTOR; i++)
        node_free(req[i]);
    for (int i = 0; i < 4 * MAX_VECTOR; i++)
        node_free(pp[i]);
    if (rc) {
        node_free(out);
        return rc;
    }
    node_free(n);
    *np = out;
    return 0;
}

/* ------------------------------------------------------ VECTOR ELM MAP */

enum { MAX_ELM_MAP = 1000 }; /* one term per element of the variable */

/* The largest range that holds element el (NULL when none does). */
static const vdim *range_of(const vreader *r, const char *el)
{
    const vdim *best = NULL;
    for (int i = 0; i < r->n_dims; i++)
        if (has_elem(&r->dims[i], el) && (!best || r->dims[i].n > best->n))
            best = &r->dims[i];
    return best;
}

/* VECTOR ELM MAP(v[e1, ..., ek], offset): v's element offset places after
** the one named (the elements of v in order, the last subscript fastest,
** each over the largest range holding the named element), :NA: outside
** them; as Vensim's documentation defines it. */
static int vector_elm_map(fctx *c, node **np)
{
    node *n = *np;
    vreader *r = c->r;
    const node *a = n->nargs == 2 ? n->args[0] : NULL;
    if (!a || a->kind != N_REF || !a->name || !strchr(a->name, '['))
        return err_set(r->err, MIGDEV_E_TYPE, r->file, n->line, n->col,
                       "VECTOR ELM MAP takes a subscripted variable and an offset: "
                       "VECTOR ELM MAP(v[e1], offset)");
    char *base, *subs[MAX_RANK];
    int k = 0;
    const int sr = split_name(a->name, &base, subs, &k);
    int rc = sr == -1 ? vm_oom(r)
             : sr == -2 ? err_set(r->err, MIGDEV_E_UNSUPPORTED, r->file, a->line, a->col,
                                  "more than %d subscripts", MAX_RANK)
                        : 0;
    const vdim *d[MAX_RANK];
    int at[MAX_RANK];
    long total = 1, start = 0;
    for (int i = 0; !rc && i < k; i++) {
        const char *el = subscript_elem(c, a, subs[i]);
        d[i] = el ? range_of(r, el) : NULL;
        if (!el)
            rc = -1;
        else if (!d[i])
            rc = err_set(r->err, MIGDEV_E_NAME, r->file, a->line, a->col,
                         "VECTOR ELM MAP: '%s' is in no range", el);
        for (int q = 0; !rc && q < d[i]->n; q++)
            if (xname_equal(d[i]->elems[q], el))
                at[i] = q;
        if (!rc) {
            total *= d[i]->n;
            start = start * d[i]->n + at[i];
        }
    }
    if (!rc && total > MAX_ELM_MAP)
        rc = err_set(r->err, MIGDEV_E_UNSUPPORTED, r->file, n->line, n->col,
                     "VECTOR ELM MAP over more than %d elements is not supported", MAX_ELM_MAP);
    node *off = NULL, *out = NULL;
    if (!rc) {
        off = vt_copy(n->args[1]);
        rc = off ? subst(c, &off) : vm_oom(r);
    }
    /* sum over the elements j of v[j] * (start + offset = j), :NA: outside */
    int idx[MAX_RANK] = {0};
    for (long j = 0; !rc && j < total; j++) {
        const char *el[MAX_RANK];
        for (int i = 0; i < k; i++)
            el[i] = d[i]->elems[idx[i]];
        char *name = elem_name(base, NULL, 0, el, k);
        if (!name) {
            rc = vm_oom(r);
            break;
        }
        node *ref = node_new(N_REF, a->line, a->col, name, strlen(name));
        free(name);
        node *hit = mk_bin(n, TK_EQ, mk_bin(n, TK_PLUS, mk_num(n, (double)start), vt_copy(off)),
                           mk_num(n, (double)j));
        node *t = mk_bin(n, TK_STAR, ref, hit);
        if (!t) {
            node_free(out);
            out = NULL;
        } else {
            out = out ? mk_bin(n, TK_PLUS, out, t) : t;
        }
        if (!out)
            rc = vm_oom(r);
        for (int i = k - 1; i >= 0; i--) {
            if (++idx[i] < d[i]->n)
                break;
            idx[i] = 0;
        }
    }
    if (!rc) {
        node *pos = mk_bin(n, TK_PLUS, mk_num(n, (double)start), vt_copy(off));
        node *pos2 = pos ? vt_copy(pos) : NULL;
        node *inside = mk_bin(n, TK_AND, mk_bin(n, TK_GE, pos, mk_num(n, 0)),
                              mk_bin(n, TK_LT, pos2, mk_num(n, (double)total)));
        out = mk_if(n, inside, out, mk_num(n, VENSIM_NA));
        if (!out)
            rc = vm_oom(r);
    }
    node_free(off);
    for (int i = 0; i < k; i++)
        free(subs[i]);
    free(base);
    if (rc) {
        node_free(out);
        return rc < 0 ? rc : -1;
    }
    node_free(n);
    *np = out;
    return 0;
}

static int subst(fctx *c, node **np)
{
    node *n = *np;
    if (call_key_is(n, "sum"))
        return reduce(c, np, TK_PLUS, NULL);
    if (call_key_is(n, "prod"))
        return reduce(c, np, TK_STAR, NULL);
    if (call_key_is(n, "vmin"))
        return reduce(c, np, 0, "min");
    if (call_key_is(n, "vmax"))
        return reduce(c, np, 0, "max");
    if (call_key_is(n, "vector_select"))
        return vector_select(c, np);
    if (call_key_is(n, "invert_matrix"))
        return invert_matrix(c, np);
    if (call_key_is(n, "vector_elm_map"))
        return vector_elm_map(c, np);
    if (call_key_is(n, "vector_rank"))
        return vector_fn(c, np, VV_RANK);
    if (call_key_is(n, "vector_sort_order"))
        return vector_fn(c, np, VV_SORT_ORDER);
    if (call_key_is(n, "vector_reorder"))
        return vector_fn(c, np, VV_REORDER);
    if (call_key_is(n, "allocate_by_priority"))
        return allocate_fn(c, np);
    if (call_key_is(n, "allocate_available"))
        return available_fn(c, np);
    if (call_key_is(n, "elmcount") && n->nargs == 1 && n->args[0]->kind == N_REF) {
        char *key = xname_key(n->args[0]->name);
        const vdim *d = key ? find_dim(c->r, key) : NULL;
        free(key);
        if (d) {
            node *k = node_new(N_NUM, n->line, n->col, NULL, 0);
            if (!k)
                return vm_oom(c->r);
            k->num = d->n;
            node_free(n);
            *np = k;
            return 0;
        }
    }
    for (int i = 0; i < n->nargs; i++) {
        const int rc = subst(c, &n->args[i]);
        if (rc)
            return rc;
    }
    if ((n->kind == N_REF || n->kind == N_CALL) && n->name && strchr(n->name, '['))
        return rename_ref(c, n);
    if (n->kind == N_REF && n->name && c->n_lhs + c->n_bang > 0)
        return dim_value(c, n);
    return 0;
}

/* The name "base[e1,e2]" of one instance (owned). */
static char *instance_name(const char *base, const binding *b, int n)
{
    const char *el[MAX_RANK];
    for (int i = 0; i < n && i < MAX_RANK; i++)
        el[i] = b[i].elem;
    return elem_name(base, NULL, 0, el, n < MAX_RANK ? n : MAX_RANK);
}

/* The next element tuple: the last position runs fastest. */
static void advance_index(const ventry *e, const vdim *const *dims, int *idx)
{
    for (int i = e->n_lhs - 1; i >= 0; i--) {
        if (!dims[i])
            continue;
        if (++idx[i] < dims[i]->n)
            break;
        idx[i] = 0;
    }
}

/* Whether the tuple b is left out by the entry's :EXCEPT: (a subscript
** there is an element, or a range holding the element). */
static int excepted(vreader *r, const ventry *e, const binding *b)
{
    for (int x = 0; x < e->n_except; x++) {
        int all = 1;
        for (int i = 0; all && i < e->n_lhs; i++) {
            const char *s = e->except[x * e->n_lhs + i];
            char *key = xname_key(s);
            const vdim *d = key ? find_dim(r, key) : NULL;
            free(key);
            all = d ? has_elem(d, b[i].elem) : xname_equal(s, b[i].elem);
        }
        if (all)
            return 1;
    }
    return 0;
}

/* One scalar entry for each element of the template t (an index in r->e,
** which may move as entries are added). */
static int expand(vreader *r, int t, ventry *out, int *n_out, int cap)
{
    fctx c;
    memset(&c, 0, sizeof c);
    c.r = r;
    const ventry *e = &r->e[t];
    c.e = e;
    if (e->n_lhs > MAX_RANK)
        return err_set(r->err, MIGDEV_E_UNSUPPORTED, r->file, e->line, e->col,
                       "more than %d subscripts", MAX_RANK);
    const vdim *dims[MAX_RANK];
    const char *fixed[MAX_RANK];
    long total = 1;
    for (int i = 0; i < e->n_lhs; i++) {
        char *key = xname_key(e->lhs[i]);
        if (!key)
            return vm_oom(r);
        dims[i] = find_dim(r, key);
        free(key);
        fixed[i] = dims[i] ? NULL : find_elem(r, e->lhs[i]);
        if (!dims[i] && !fixed[i])
            return err_set(r->err, MIGDEV_E_NAME, r->file, e->line, e->col,
                           "unknown subscript '%s' in the definition of '%s'", e->lhs[i],
                           e->display);
        total *= dims[i] ? dims[i]->n : 1;
    }
    if (e->list && e->n_list != total)
        return err_set(r->err, MIGDEV_E_RANGE, r->file, e->eq_line, e->eq_col,
                       "'%s' lists %d values for %ld elements", e->display, e->n_list, total);
    int idx[MAX_RANK] = {0};
    c.n_lhs = e->n_lhs;
    for (long k = 0; k < total; k++) {
        /* the element of each position; a fixed element binds the ranges
           that hold it, so x[a] = y[dim] picks y[a] */
        for (int i = 0; i < e->n_lhs; i++) {
            c.lhs[i].elem = dims[i] ? dims[i]->elems[idx[i]] : fixed[i];
            c.lhs[i].dim = dims[i];
        }
        if (excepted(r, e, c.lhs)) {
            advance_index(e, dims, idx);
            continue;
        }
        if (*n_out >= cap)
            return vm_oom(r);
        ventry *o = &out[(*n_out)++];
        memset(o, 0, sizeof *o);
        o->kind = e->kind;
        o->vk = VK_AUX;
        o->line = e->line;
        o->col = e->col;
        o->eq_line = e->eq_line;
        o->eq_col = e->eq_col;
        o->display = instance_name(e->display, c.lhs, e->n_lhs);
        o->name = o->display ? xname_engine(o->display) : NULL;
        o->key = o->display ? xname_key(o->display) : NULL;
        o->units = vm_dup_n(e->units, strlen(e->units));
        o->doc = vm_dup_n(e->doc, strlen(e->doc));
        o->eq = e->eq ? vm_dup_n(e->eq, strlen(e->eq)) : NULL;
        if (!o->display || !o->name || !o->key || !o->units || !o->doc || (e->eq && !o->eq))
            return vm_oom(r);
        o->is_data = e->is_data;
        o->lk_kind = e->lk_kind;
        if (e->x) {
            o->x = malloc((size_t)e->n_points * sizeof *o->x);
            o->y = malloc((size_t)e->n_points * sizeof *o->y);
            if (!o->x || !o->y)
                return vm_oom(r);
            memcpy(o->x, e->x, (size_t)e->n_points * sizeof *o->x);
            /* a GET of data or lookups: this element's column */
            memcpy(o->y, e->gy ? e->gy + k * e->n_points : e->y,
                   (size_t)e->n_points * sizeof *o->y);
            o->n_points = e->n_points;
        }
        if (e->list) {
            o->tree = node_new(N_NUM, e->eq_line, e->eq_col, NULL, 0);
            if (!o->tree)
                return vm_oom(r);
            o->tree->num = e->list[k];
        } else if (e->tree) {
            o->tree = vt_copy(e->tree);
            if (!o->tree)
                return vm_oom(r);
            const int rc = subst(&c, &o->tree);
            if (rc)
                return rc;
        }
        advance_index(e, dims, idx);
    }
    return 0;
}

/* The values of an entry's GET function, read from its file: a scalar's
** become its equation (a number, or its table at TIME), a subscripted
** entry's its list or its columns (expand gives each element its own). */
static int resolve_get(vreader *r, ventry *e)
{
    if (!e->get)
        return 0;
    int dims[MAX_RANK];
    if (e->n_lhs > MAX_RANK)
        return err_set(r->err, MIGDEV_E_UNSUPPORTED, r->file, e->line, e->col,
                       "more than %d subscripts", MAX_RANK);
    for (int i = 0; i < e->n_lhs; i++) {
        char *key = xname_key(e->lhs[i]);
        if (!key)
            return vm_oom(r);
        const vdim *d = find_dim(r, key);
        free(key);
        dims[i] = d ? d->n : 1;
    }
    int rc = vg_resolve(r, e, dims, e->n_lhs);
    if (rc)
        return rc;
    if (e->get->kind == VG_DATA) { /* its table is read at TIME */
        node_free(e->tree);
        e->tree = node_new(N_REF, e->get->line, e->get->col, "Time", 4);
        if (!e->tree)
            return vm_oom(r);
        e->eq_line = e->get->line;
        e->eq_col = e->get->col;
    }
    if (e->n_lhs == 0) {
        if (e->list) {
            e->tree = node_new(N_NUM, e->get->line, e->get->col, NULL, 0);
            if (!e->tree)
                return vm_oom(r);
            e->tree->num = e->list[0];
            free(e->list);
            e->list = NULL;
            e->n_list = 0;
        } else {
            e->y = e->gy;
            e->gy = NULL;
        }
    }
    return 0;
}

int vs_flatten(vreader *r)
{
    for (int i = 0; i < r->n_dims; i++) {
        const int rc = resolve_dim(r, &r->dims[i], 0);
        if (rc)
            return rc;
    }
    for (int i = 0; i < r->n_dims; i++) {
        const int rc = check_map_lists(r, &r->dims[i]);
        if (rc)
            return rc;
    }
    long total = 0;
    for (int i = 0; i < r->n; i++) {
        long k = 1;
        for (int j = 0; j < r->e[i].n_lhs; j++) {
            char *key = xname_key(r->e[i].lhs[j]);
            const vdim *d = key ? find_dim(r, key) : NULL;
            free(key);
            k *= d ? (d->n > 0 ? d->n : 1) : 1;
            if (k > MAX_ELEMS)
                return err_set(r->err, MIGDEV_E_RANGE, r->file, r->e[i].line, r->e[i].col,
                               "'%s' has more than %d elements", r->e[i].display, MAX_ELEMS);
        }
        total += k;
    }
    for (int i = 0; i < r->n; i++) {
        const int rc = resolve_get(r, &r->e[i]);
        if (rc)
            return rc;
    }
    ventry *out = calloc((size_t)total + 1, sizeof *out);
    if (!out)
        return vm_oom(r);
    int n_out = 0, rc = 0;
    for (int i = 0; !rc && i < r->n; i++) {
        if (r->e[i].n_lhs == 0) {
            /* a scalar: its subscripted references and sums still resolve */
            fctx c;
            memset(&c, 0, sizeof c);
            c.r = r;
            c.e = &r->e[i];
            if (r->e[i].tree)
                rc = subst(&c, &r->e[i].tree);
            out[n_out++] = r->e[i];
            memset(&r->e[i], 0, sizeof r->e[i]);
            continue;
        }
        rc = expand(r, i, out, &n_out, (int)total + 1);
    }
    for (int i = 0; i < r->n; i++)
        vm_free_entry(&r->e[i]);
    free(r->e);
    r->e = out;
    r->n = n_out;
    r->cap = (int)total + 1;
    /* the shared reductions join the model's variables */
    for (int i = 0; i < r->n_hoisted; i++) {
        if (!rc) {
            ventry *e = vm_new_entry(r);
            if (!e) {
                rc = vm_oom(r);
            } else {
                *e = r->hoisted[i];
                continue;
            }
        }
        vm_free_entry(&r->hoisted[i]);
    }
    free(r->hoisted);
    r->hoisted = NULL;
    r->n_hoisted = r->cap_hoisted = 0;
    return rc;
}
