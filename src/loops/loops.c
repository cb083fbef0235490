/*
** loops.c - feedback-loop analysis of a model over a run (loops.h).
**
** Pipeline: simulate and sample every variable (loops_sample.c); build the
** causal graph, hidden smooth/delay stocks included (loops_graph.c); take
** each link's polarity from the run's states and, when needed, its link
** scores at every save time (loops_score.c); enumerate the elementary
** cycles (loops_johnson.c), or discover the strongest ones past the cap
** (loops_discover.c); then, here: collapse each cycle into the loop the user
** sees (hidden nodes shown as the variable that holds the smooth/delay),
** merge cycles that collapse to the same loop, attach the names of the
** model's loops section, order and label the loops, and compute loop
** scores, relative scores (per cycle partition, in the log domain) and the
** periods in which loops dominate.
*/
#include "loops_int.h"

#include "error_int.h"
#include "util.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct vlink {
    int from, to;
    migdev_polarity pol;
    int is_flow, through_hidden;
    int path_off, n_paths;     /* its paths: paths[path_off .. +n_paths) */
} vlink;

typedef struct vpath {
    int from, to;              /* visible variables */
    int off, len;              /* edges in path_e[off .. off+len) */
} vpath;

typedef struct vloop {
    int off, n;                /* vars in loop_vars[off .. off+n), signs likewise */
    int n_hidden;
    char polarity;
    int partition;
    int named;                 /* index in model loops, -1 */
    long first_cycle;
    char id[16];
    char runtime[4];
    double mean_abs_rel, max_abs_rel;
} vloop;

typedef struct vperiod {
    int partition;
    size_t k0, k1;             /* save indices, inclusive */
    int off, n;                /* loops in period_loops[off .. off+n) */
    double share;
} vperiod;

struct migdev_loops {
    const migdev_model *m;
    lgraph g;
    size_t ns;
    double *times;
    unsigned char *epol;       /* per edge */
    /* links */
    vlink *links;
    int n_links;
    vpath *paths;
    int n_paths;
    int *path_e;
    double *link_ls;           /* n_links * ns, or NULL */
    vlink *clinks;             /* constant -> variable */
    int n_clinks;
    /* cycles and loops */
    cycle_set cyc;
    long *cyc_loop;            /* cycle -> loop (-1: inside a smooth/delay) */
    long n_cycles_seen;
    long cap;
    int discovered, budget_hit;
    vloop *loops;
    int n_loops, cap_loops;
    int *loop_vars;
    char *loop_signs;
    int n_lv, cap_lv;
    int *order;                /* reported order -> internal loop index */
    int n_parts;
    /* scores */
    double *score, *rel;       /* n_loops * ns, reported order */
    long n_singular, n_nonfinite;
    vperiod *periods;
    int n_periods, cap_periods;
    int *period_loops;
    int n_pl, cap_pl;
};

/* ----------------------------------------------------------------- util */

static int nomem(const migdev_model *m, migdev_error *err)
{
    return err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
}

static int pol_sign(migdev_polarity p)
{
    return p == MIGDEV_POL_POSITIVE ? 1 : p == MIGDEV_POL_NEGATIVE ? -1 : 0;
}

/* Combine the polarities of two paths between the same variables. */
static migdev_polarity pol_join(migdev_polarity a, migdev_polarity b)
{
    if (a == MIGDEV_POL_ZERO)
        return b;
    if (b == MIGDEV_POL_ZERO || a == b)
        return a;
    return MIGDEV_POL_UNKNOWN;
}

/* Product of polarities along a sequence of edges. */
static migdev_polarity pol_chain(const migdev_loops *a, const int *e, int n)
{
    int s = 1, unknown = 0;
    for (int i = 0; i < n; i++) {
        const migdev_polarity p = (migdev_polarity)a->epol[e[i]];
        if (p == MIGDEV_POL_ZERO)
            return MIGDEV_POL_ZERO;
        if (p == MIGDEV_POL_UNKNOWN)
            unknown = 1;
        else
            s *= pol_sign(p);
    }
    return unknown ? MIGDEV_POL_UNKNOWN : s > 0 ? MIGDEV_POL_POSITIVE : MIGDEV_POL_NEGATIVE;
}

/* ------------------------------------------------- links between visible */

static int cmp_path(const void *x, const void *y)
{
    const vpath *p = x, *q = y;
    if (p->from != q->from)
        return p->from < q->from ? -1 : 1;
    if (p->to != q->to)
        return p->to < q->to ? -1 : 1;
    return p->off < q->off ? -1 : p->off > q->off;
}

/* Every path from a visible node to a visible node whose inner nodes are
** hidden, grouped into links. */
static int build_links(migdev_loops *a)
{
    const lgraph *g = &a->g;
    const size_t nn = (size_t)g->n + 1;
    int *fv = malloc(nn * sizeof *fv), *fi = malloc(nn * sizeof *fi), *fe = malloc(nn * sizeof *fe);
    char *onpath = calloc(nn, 1);
    int cap_paths = 0, cap_pe = 0, n_pe = 0, rc = MIGDEV_E_NOMEM;
    if (!fv || !fi || !fe || !onpath)
        goto done;
    for (int u = 0; u < g->n; u++) {
        if (!lgraph_visible(g, u))
            continue;
        int depth = 0;
        fv[0] = u;
        fi[0] = g->off[u];
        while (depth >= 0) {
            const int v = fv[depth];
            if (fi[depth] >= g->off[v + 1]) {
                onpath[v] = 0;
                depth--;
                continue;
            }
            const int e = fi[depth]++;
            const int w = g->dst[e];
            fe[depth + 1] = e;
            if (lgraph_visible(g, w)) {
                if (util_grow((void **)&a->paths, &cap_paths, a->n_paths + 1, sizeof *a->paths) ||
                    util_grow((void **)&a->path_e, &cap_pe, n_pe + depth + 1, sizeof *a->path_e))
                    goto done;
                memcpy(a->path_e + n_pe, fe + 1, (size_t)(depth + 1) * sizeof *fe);
                a->paths[a->n_paths++] = (vpath){g->var[u], g->var[w], n_pe, depth + 1};
                n_pe += depth + 1;
            } else if (!onpath[w]) {
                onpath[w] = 1;
                depth++;
                fv[depth] = w;
                fi[depth] = g->off[w];
            }
        }
    }
    if (a->n_paths)
        qsort(a->paths, (size_t)a->n_paths, sizeof *a->paths, cmp_path);
    a->links = malloc(((size_t)a->n_paths + 1) * sizeof *a->links);
    if (!a->links)
        goto done;
    for (int i = 0; i < a->n_paths;) {
        const vpath *p = &a->paths[i];
        vlink *l = &a->links[a->n_links++];
        *l = (vlink){p->from, p->to, MIGDEV_POL_ZERO, 0, 0, i, 0};
        int first = 1;
        for (; i < a->n_paths && a->paths[i].from == p->from && a->paths[i].to == p->to; i++) {
            const vpath *q = &a->paths[i];
            const migdev_polarity pp = pol_chain(a, a->path_e + q->off, q->len);
            l->pol = first ? pp : pol_join(l->pol, pp);
            first = 0;
            l->n_paths++;
            if (q->len > 1)
                l->through_hidden = 1;
            else if (g->flow_sign[a->path_e[q->off]])
                l->is_flow = g->flow_sign[a->path_e[q->off]];
        }
    }
    rc = 0;
done:
    free(fv), free(fi), free(fe), free(onpath);
    return rc;
}

static int find_link(const migdev_loops *a, int from, int to)
{
    int lo = 0, hi = a->n_links - 1;
    while (lo <= hi) {
        const int mid = lo + (hi - lo) / 2;
        const vlink *l = &a->links[mid];
        if (l->from == from && l->to == to)
            return mid;
        if (l->from < from || (l->from == from && l->to < to))
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return MIGDEV_E_NAME;
}

/* ----------------------------------------------------- cycles -> loops */

typedef struct loop_hash {
    int *slot;   /* loop index + 1 */
    int cap;
} loop_hash;

static uint64_t hash_vars(const int *v, int n)
{
    uint64_t h = 1469598103934665603ull ^ (uint64_t)n;
    for (int i = 0; i < n; i++) {
        h ^= (uint64_t)(uint32_t)v[i];
        h *= 1099511628211ull;
    }
    return h ^ (h >> 31);
}

static int lh_grow(loop_hash *h, const migdev_loops *a)
{
    const int nc = h->cap ? 2 * h->cap : 256;
    int *s = calloc((size_t)nc, sizeof *s);
    if (!s)
        return MIGDEV_E_NOMEM;
    for (int i = 0; i < a->n_loops; i++) {
        const vloop *l = &a->loops[i];
        uint64_t k = hash_vars(a->loop_vars + l->off, l->n) & (uint64_t)(nc - 1);
        while (s[k])
            k = (k + 1) & (uint64_t)(nc - 1);
        s[k] = i + 1;
    }
    free(h->slot);
    h->slot = s;
    h->cap = nc;
    return 0;
}

/* The loop with variables v[0..n) (already rotated), created if new. */
static int loop_for(migdev_loops *a, loop_hash *h, const int *v, int n, int n_hidden, long c)
{
    if (2 * (a->n_loops + 1) > h->cap && lh_grow(h, a) != 0)
        return MIGDEV_E_NOMEM;
    uint64_t k = hash_vars(v, n) & (uint64_t)(h->cap - 1);
    while (h->slot[k]) {
        const vloop *l = &a->loops[h->slot[k] - 1];
        if (l->n == n && memcmp(a->loop_vars + l->off, v, (size_t)n * sizeof *v) == 0)
            return h->slot[k] - 1;
        k = (k + 1) & (uint64_t)(h->cap - 1);
    }
    if (util_grow((void **)&a->loops, &a->cap_loops, a->n_loops + 1, sizeof *a->loops))
        return MIGDEV_E_NOMEM;
    int cap = a->cap_lv;
    if (util_grow((void **)&a->loop_vars, &a->cap_lv, a->n_lv + n, sizeof *a->loop_vars))
        return MIGDEV_E_NOMEM;
    if (a->cap_lv != cap) {
        char *s = realloc(a->loop_signs, (size_t)a->cap_lv);
        if (!s)
            return MIGDEV_E_NOMEM;
        a->loop_signs = s;
    }
    memcpy(a->loop_vars + a->n_lv, v, (size_t)n * sizeof *v);
    vloop *l = &a->loops[a->n_loops];
    memset(l, 0, sizeof *l);
    l->off = a->n_lv;
    l->n = n;
    l->n_hidden = n_hidden;
    l->named = -1;
    l->first_cycle = c;
    l->partition = -1;
    a->n_lv += n;
    h->slot[k] = ++a->n_loops;
    return a->n_loops - 1;
}

/* Rotate v[0..n) to start at its first stock (lowest index: file order),
** or at its lowest index when it holds no visible stock. */
static void rotate(const migdev_model *m, int *v, int n, int *tmp)
{
    int at = -1;
    for (int i = 0; i < n; i++)
        if (m->vars[v[i]].kind == VK_STOCK && (at < 0 || v[i] < v[at]))
            at = i;
    if (at < 0)
        for (int i = 0; i < n; i++)
            if (at < 0 || v[i] < v[at])
                at = i;
    for (int i = 0; i < n; i++)
        tmp[i] = v[(at + i) % n];
    memcpy(v, tmp, (size_t)n * sizeof *v);
}

/* Collapse every cycle into the loop it shows as. */
static int collapse(migdev_loops *a)
{
    const lgraph *g = &a->g;
    const migdev_model *m = a->m;
    int maxlen = 1;
    for (long c = 0; c < a->cyc.n; c++)
        if (cycle_len(&a->cyc, c) > maxlen)
            maxlen = cycle_len(&a->cyc, c);
    int *v = malloc((size_t)(maxlen + 1) * sizeof *v), *tmp = malloc((size_t)(maxlen + 1) * sizeof *tmp);
    a->cyc_loop = malloc(((size_t)a->cyc.n + 1) * sizeof *a->cyc_loop);
    loop_hash h = {NULL, 0};
    int rc = MIGDEV_E_NOMEM;
    if (!v || !tmp || !a->cyc_loop)
        goto done;
    for (long c = 0; c < a->cyc.n; c++) {
        const int *e = a->cyc.e + a->cyc.off[c];
        const int len = cycle_len(&a->cyc, c);
        int start = -1;
        for (int i = 0; i < len && start < 0; i++)
            if (lgraph_visible(g, g->src[e[i]]))
                start = i;
        a->cyc_loop[c] = -1;
        if (start < 0)
            continue; /* entirely inside a smooth/delay */
        int n = 0, hidden = 0;
        for (int j = 0; j < len; j++) {
            const int u = g->src[e[(start + j) % len]];
            hidden += !lgraph_visible(g, u);
            const int s = lgraph_shown(g, u);
            if (n == 0 || v[n - 1] != s)
                v[n++] = s;
        }
        if (n > 1 && v[n - 1] == v[0])
            n--;
        rotate(m, v, n, tmp);
        const int l = loop_for(a, &h, v, n, hidden, c);
        if (l < 0)
            goto done;
        a->cyc_loop[c] = l;
    }
    rc = 0;
done:
    free(v), free(tmp), free(h.slot);
    return rc;
}

/* Structural polarity, signs and partition of every loop. */
static void describe_loops(migdev_loops *a)
{
    const lgraph *g = &a->g;
    for (int i = 0; i < a->n_loops; i++) {
        a->loops[i].polarity = 0;
        a->loops[i].partition = -1;
    }
    for (long c = 0; c < a->cyc.n; c++) {
        const long li = a->cyc_loop[c];
        if (li < 0)
            continue;
        vloop *l = &a->loops[li];
        const int *e = a->cyc.e + a->cyc.off[c];
        const int len = cycle_len(&a->cyc, c);
        const migdev_polarity p = pol_chain(a, e, len);
        const char ch = p == MIGDEV_POL_ZERO ? '0' : p == MIGDEV_POL_UNKNOWN ? 'U'
                      : p == MIGDEV_POL_POSITIVE ? 'R' : 'B';
        if (!l->polarity)
            l->polarity = ch;
        else if (l->polarity != ch && l->polarity != '0')
            l->polarity = ch == '0' ? l->polarity : 'U';
        if (l->partition < 0)
            l->partition = g->scc[g->src[e[0]]];
    }
    for (int i = 0; i < a->n_loops; i++) {
        vloop *l = &a->loops[i];
        const int *v = a->loop_vars + l->off;
        for (int j = 0; j < l->n; j++) {
            const int k = find_link(a, v[j], v[(j + 1) % l->n]);
            const migdev_polarity p = k >= 0 ? a->links[k].pol : MIGDEV_POL_UNKNOWN;
            a->loop_signs[l->off + j] = p == MIGDEV_POL_POSITIVE ? '+' : p == MIGDEV_POL_NEGATIVE ? '-'
                                      : p == MIGDEV_POL_ZERO ? '0' : '?';
        }
    }
}

/* ------------------------------------------------------ named loops */

/* Shortest path of edges from node s to node t (BFS); its length, or MIGDEV_E_NAME when there is none. */
static int shortest_path(const lgraph *g, int s, int t, int *prev_e, int *queue, int *out)
{
    for (int u = 0; u < g->n; u++)
        prev_e[u] = -2;
    int qh = 0, qt = 0;
    queue[qt++] = s;
    prev_e[s] = -1;
    while (qh < qt && prev_e[t] == -2) {
        const int u = queue[qh++];
        for (int e = g->off[u]; e < g->off[u + 1]; e++)
            if (prev_e[g->dst[e]] == -2 || (g->dst[e] == t && t == s && prev_e[t] == -1)) {
                prev_e[g->dst[e]] = e;
                queue[qt++] = g->dst[e];
                if (g->dst[e] == t)
                    break;
            }
    }
    if (prev_e[t] < 0)
        return MIGDEV_E_NAME;
    int n = 0;
    for (int u = t;;) {
        const int e = prev_e[u];
        out[n++] = e;
        u = g->src[e];
        if (u == s)
            break;
    }
    for (int i = 0; i < n / 2; i++) {
        const int x = out[i];
        out[i] = out[n - 1 - i];
        out[n - 1 - i] = x;
    }
    return n;
}

/* In discovery mode: build the loop through the named variables from
** shortest paths and add it as a cycle when it is elementary. Returns 1
** when added, 0 when not possible, MIGDEV_E_NOMEM out of memory. */
static int pin_named(migdev_loops *a, const int *vars, int n)
{
    const lgraph *g = &a->g;
    const size_t nn = (size_t)g->n + 1;
    int *prev_e = malloc(nn * sizeof *prev_e), *queue = malloc(nn * sizeof *queue);
    int *path = malloc(nn * sizeof *path), *cyc = malloc(nn * sizeof *cyc);
    char *used = calloc(nn, 1);
    int rc = MIGDEV_E_NOMEM, len = 0;
    if (!prev_e || !queue || !path || !cyc || !used)
        goto done;
    rc = 0;
    for (int i = 0; i < n; i++) {
        const int s = g->node_of[vars[i]], t = g->node_of[vars[(i + 1) % n]];
        if (s < 0 || t < 0)
            goto done;
        const int k = shortest_path(g, s, t, prev_e, queue, path);
        if (k < 0 || len + k > g->n)
            goto done;
        for (int j = 0; j < k; j++) {
            const int u = g->src[path[j]];
            if (used[u])
                goto done;
            used[u] = 1;
            cyc[len++] = path[j];
        }
    }
    int at = 0;
    for (int i = 1; i < len; i++)
        if (g->src[cyc[i]] < g->src[cyc[at]])
            at = i;
    for (int i = 0; i < len; i++)
        path[i] = cyc[(at + i) % len];
    for (long c = 0; c < a->cyc.n; c++)
        if (cycle_len(&a->cyc, c) == len &&
            memcmp(a->cyc.e + a->cyc.off[c], path, (size_t)len * sizeof *path) == 0) {
            rc = 1;
            goto done;
        }
    rc = cycles_add(&a->cyc, path, len) == 0 ? 1 : MIGDEV_E_NOMEM;
done:
    free(prev_e), free(queue), free(path), free(cyc), free(used);
    return rc;
}

/* Variable indices of named loop k; error when a name is unknown. */
static int named_vars(const migdev_loops *a, int k, int *out, migdev_error *err)
{
    const migdev_model *m = a->m;
    const named_loop *nl = &m->loops[k];
    if (nl->n < 1)
        return err_set(err, MIGDEV_E_TYPE, m->file, nl->line, 0,
                       "loop '%s' lists no variables", nl->name);
    for (int i = 0; i < nl->n; i++) {
        const int v = model_find(m, nl->path[i]);
        if (v < 0) {
            const char *s = migdev_model_suggest(m, nl->path[i]);
            if (s)
                return err_set(err, MIGDEV_E_NAME, m->file, nl->line, 0,
                               "loop '%s': unknown variable '%s' (did you mean '%s'?)", nl->name,
                               nl->path[i], s);
            return err_set(err, MIGDEV_E_NAME, m->file, nl->line, 0,
                           "loop '%s': unknown variable '%s'", nl->name, nl->path[i]);
        }
        if (m->vars[v].kind == VK_CONST)
            return err_set(err, MIGDEV_E_TYPE, m->file, nl->line, 0,
                           "loop '%s': '%s' is a constant, and constants are on no loop",
                           nl->name, nl->path[i]);
        for (int j = 0; j < i; j++)
            if (out[j] == v)
                return err_set(err, MIGDEV_E_TYPE, m->file, nl->line, 0,
                               "loop '%s': '%s' is listed twice (a loop passes each variable once)",
                               nl->name, nl->path[i]);
        out[i] = v;
    }
    return 0;
}

/* Whether loop l passes vars[0..n) in this cyclic order; exact when it
** passes nothing else. 0: no, 1: in order, 2: exactly. */
static int loop_matches(const migdev_loops *a, const vloop *l, const int *vars, int n)
{
    const int *v = a->loop_vars + l->off;
    int at = -1;
    for (int i = 0; i < l->n; i++)
        if (v[i] == vars[0])
            at = i;
    if (at < 0 || n > l->n)
        return 0;
    int j = 1;
    for (int i = 1; i < l->n && j < n; i++)
        if (v[(at + i) % l->n] == vars[j])
            j++;
    if (j < n)
        return 0;
    return n == l->n ? 2 : 1;
}

static void join_names(const migdev_model *m, const int *vars, int n, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && len + 8 < cap; i++)
        len += (size_t)snprintf(buf + len, cap - len, "%s%s", i ? " -> " : "", m->vars[vars[i]].name);
    if (len + 8 < cap && n > 0)
        snprintf(buf + len, cap - len, " -> %s", m->vars[vars[0]].name);
}

/* Attach the model's loop names to loops (after ordering). */
static int attach_names(migdev_loops *a, migdev_error *err)
{
    const migdev_model *m = a->m;
    for (int k = 0; k < m->n_loops; k++) {
        const named_loop *nl = &m->loops[k];
        int *vars = malloc(((size_t)nl->n + 1) * sizeof *vars);
        if (!vars)
            return nomem(m, err);
        int rc = named_vars(a, k, vars, err);
        int best = -1, best_exact = 0;
        for (int r = 0; r < a->n_loops && !rc; r++) {
            const int i = a->order[r];
            const int how = loop_matches(a, &a->loops[i], vars, nl->n);
            if (!how)
                continue;
            if (how == 2 && !best_exact) {
                best = i;
                best_exact = 1;
            } else if (!best_exact && (best < 0 || a->loops[i].n < a->loops[best].n)) {
                best = i;
            }
        }
        if (!rc && best < 0) {
            char path[600];
            join_names(m, vars, nl->n, path, sizeof path);
            rc = err_set(err, MIGDEV_E_NAME, m->file, nl->line, 0,
                         "loop '%s': no feedback loop of the model passes %s%s", nl->name, path,
                         a->discovered ? " (among the loops discovered; the model has too many "
                                         "to list them all)" : "");
        }
        if (!rc && a->loops[best].named >= 0) {
            const named_loop *o = &m->loops[a->loops[best].named];
            rc = err_set(err, MIGDEV_E_NAME, m->file, nl->line, 0,
                         "loops '%s' (line %d) and '%s' name the same feedback loop", o->name,
                         o->line, nl->name);
        }
        if (!rc) {
            a->loops[best].named = k;
            /* show it from its first named variable */
            vloop *l = &a->loops[best];
            int *v = a->loop_vars + l->off;
            int at = 0;
            while (v[at] != vars[0])
                at++;
            for (int s = 0; s < at; s++) { /* rotate left by one, at times */
                const int first = v[0];
                const char fs = a->loop_signs[l->off];
                memmove(v, v + 1, (size_t)(l->n - 1) * sizeof *v);
                memmove(a->loop_signs + l->off, a->loop_signs + l->off + 1, (size_t)(l->n - 1));
                v[l->n - 1] = first;
                a->loop_signs[l->off + l->n - 1] = fs;
            }
        }
        free(vars);
        if (rc)
            return rc;
    }
    return 0;
}

/* --------------------------------------------------------- ordering */

typedef struct sort_item {
    const migdev_loops *a;
    int i;
} sort_item;

static int cmp_loop(const void *x, const void *y)
{
    const sort_item *p = x, *q = y;
    const migdev_loops *a = p->a;
    const vloop *l = &a->loops[p->i], *r = &a->loops[q->i];
    if (l->n != r->n)
        return l->n < r->n ? -1 : 1;
    for (int j = 0; j < l->n; j++) {
        const int c = strcmp(a->m->vars[a->loop_vars[l->off + j]].name,
                             a->m->vars[a->loop_vars[r->off + j]].name);
        if (c)
            return c;
    }
    if (l->n_hidden != r->n_hidden)
        return l->n_hidden < r->n_hidden ? -1 : 1;
    return l->first_cycle < r->first_cycle ? -1 : l->first_cycle > r->first_cycle;
}

static int order_loops(migdev_loops *a)
{
    sort_item *it = malloc(((size_t)a->n_loops + 1) * sizeof *it);
    a->order = malloc(((size_t)a->n_loops + 1) * sizeof *a->order);
    if (!it || !a->order) {
        free(it);
        return MIGDEV_E_NOMEM;
    }
    for (int i = 0; i < a->n_loops; i++)
        it[i] = (sort_item){a, i};
    if (a->n_loops)
        qsort(it, (size_t)a->n_loops, sizeof *it, cmp_loop);
    int nr = 0, nb = 0, nu = 0, nz = 0;
    /* partitions numbered in order of first appearance */
    int *pmap = malloc(((size_t)a->g.n_scc + 1) * sizeof *pmap);
    if (!pmap) {
        free(it);
        return MIGDEV_E_NOMEM;
    }
    for (int s = 0; s < a->g.n_scc; s++)
        pmap[s] = -1;
    a->n_parts = 0;
    for (int r = 0; r < a->n_loops; r++) {
        vloop *l = &a->loops[it[r].i];
        a->order[r] = it[r].i;
        switch (l->polarity) {
        case 'R': snprintf(l->id, sizeof l->id, "R%d", ++nr); break;
        case 'B': snprintf(l->id, sizeof l->id, "B%d", ++nb); break;
        case 'U': snprintf(l->id, sizeof l->id, "U%d", ++nu); break;
        default: snprintf(l->id, sizeof l->id, "Z%d", ++nz); break;
        }
        if (pmap[l->partition] < 0)
            pmap[l->partition] = a->n_parts++;
        l->partition = pmap[l->partition];
    }
    free(pmap);
    free(it);
    return 0;
}

/* ------------------------------------------------------------ scores */

typedef struct share_item {
    double share;
    int loop;
} share_item;

static int cmp_share_desc(const void *x, const void *y)
{
    const share_item *p = x, *q = y;
    if (p->share != q->share)
        return p->share > q->share ? -1 : 1;
    return (p->loop > q->loop) - (p->loop < q->loop);
}

static int cmp_int(const void *x, const void *y)
{
    const int p = *(const int *)x, q = *(const int *)y;
    return (p > q) - (p < q);
}

/* Record a period of partition part over save indices k0..k1 in which the
** loops set[0..n) (sorted by index) dominate; they are stored largest mean
** share first. items is scratch of n entries. */
static int add_period(migdev_loops *a, int part, size_t k0, size_t k1, const int *set, int n,
                      double share, share_item *items)
{
    if (util_grow((void **)&a->periods, &a->cap_periods, a->n_periods + 1, sizeof *a->periods) ||
        util_grow((void **)&a->period_loops, &a->cap_pl, a->n_pl + n + 1, sizeof *a->period_loops))
        return MIGDEV_E_NOMEM;
    for (int i = 0; i < n; i++) {
        double sum = 0.0;
        for (size_t k = k0; k <= k1; k++)
            sum += fabs(a->rel[(size_t)set[i] * a->ns + k]);
        items[i] = (share_item){sum, set[i]};
    }
    qsort(items, (size_t)n, sizeof *items, cmp_share_desc);
    for (int i = 0; i < n; i++)
        a->period_loops[a->n_pl + i] = items[i].loop;
    a->periods[a->n_periods++] = (vperiod){part, k0, k1, a->n_pl, n, share};
    a->n_pl += n;
    return 0;
}

/* Dominance periods of every partition (loops in reported order). */
static int find_periods(migdev_loops *a)
{
    const size_t ns = a->ns;
    const int nl = a->n_loops;
    int *members = malloc(((size_t)nl + 1) * sizeof *members);
    int *set = malloc(((size_t)nl + 1) * sizeof *set), *cur = malloc(((size_t)nl + 1) * sizeof *cur);
    share_item *items = malloc(((size_t)nl + 1) * sizeof *items);
    int rc = MIGDEV_E_NOMEM;
    if (!members || !set || !cur || !items)
        goto done;
    for (int p = 0; p < a->n_parts; p++) {
        int nm = 0;
        for (int r = 0; r < nl; r++)
            if (a->loops[a->order[r]].partition == p)
                members[nm++] = r;
        int ncur = -1;
        size_t k0 = 1;
        double share_sum = 0.0;
        for (size_t k = 1; k < ns; k++) {
            /* the active loops by |rel| descending, until they reach half */
            int na = 0;
            for (int i = 0; i < nm; i++) {
                const double r = fabs(a->rel[(size_t)members[i] * ns + k]);
                if (r > 0.0)
                    items[na++] = (share_item){r, members[i]};
            }
            qsort(items, (size_t)na, sizeof *items, cmp_share_desc);
            int n_set = 0;
            double tot = 0.0;
            for (int i = 0; i < na && tot < 0.5 - 1e-12; i++) {
                tot += items[i].share;
                set[n_set++] = items[i].loop;
            }
            qsort(set, (size_t)n_set, sizeof *set, cmp_int);
            if (ncur >= 0 && n_set == ncur && memcmp(set, cur, (size_t)n_set * sizeof *set) == 0) {
                share_sum += tot;
                continue;
            }
            if (ncur >= 0 &&
                add_period(a, p, k0, k - 1, cur, ncur, share_sum / (double)(k - k0), items))
                goto done;
            memcpy(cur, set, (size_t)n_set * sizeof *set);
            ncur = n_set;
            k0 = k;
            share_sum = tot;
        }
        if (ncur >= 0 && add_period(a, p, k0, ns - 1, cur, ncur, share_sum / (double)(ns - k0), items))
            goto done;
    }
    rc = 0;
done:
    free(members), free(set), free(cur), free(items);
    return rc;
}

/* Loop scores, relative scores, run-time polarity and periods from the
** edge link scores ls (ns * n_edges). */
static int score_loops(migdev_loops *a, const double *ls)
{
    const size_t ns = a->ns, ne = (size_t)a->g.n_edges;
    const int nl = a->n_loops;
    int *rank = malloc(((size_t)nl + 1) * sizeof *rank);     /* internal -> reported */
    double *lg = malloc(((size_t)nl + 1) * sizeof *lg);
    signed char *sg = malloc((size_t)nl + 1);
    double *glg = malloc(((size_t)nl + 1) * sizeof *glg), *grel = malloc(((size_t)nl + 1) * sizeof *grel);
    signed char *gsg = malloc((size_t)nl + 1);
    int *pstart = calloc((size_t)a->n_parts + 2, sizeof *pstart), *pmem = malloc(((size_t)nl + 1) * sizeof *pmem);
    a->score = calloc((size_t)nl * ns + 1, sizeof *a->score);
    a->rel = calloc((size_t)nl * ns + 1, sizeof *a->rel);
    int rc = MIGDEV_E_NOMEM;
    if (!rank || !lg || !sg || !glg || !grel || !gsg || !pstart || !pmem || !a->score || !a->rel)
        goto done;
    for (int r = 0; r < nl; r++) {
        rank[a->order[r]] = r;
        pstart[a->loops[a->order[r]].partition + 1]++;
    }
    for (int p = 0; p < a->n_parts; p++)
        pstart[p + 1] += pstart[p];
    {
        int *fillp = calloc((size_t)a->n_parts + 1, sizeof *fillp);
        if (!fillp)
            goto done;
        for (int r = 0; r < nl; r++) {
            const int p = a->loops[a->order[r]].partition;
            pmem[pstart[p] + fillp[p]++] = r;
        }
        free(fillp);
    }
    double *lrow = malloc((ne + 1) * sizeof *lrow); /* log |link score| of this step */
    if (!lrow)
        goto done;
    for (size_t k = 1; k < ns; k++) {
        const double *row = ls + k * ne;
        for (size_t e = 0; e < ne; e++)
            lrow[e] = row[e] != 0.0 ? log(fabs(row[e])) : 0.0;
        for (int r = 0; r < nl; r++) {
            lg[r] = -INFINITY;
            sg[r] = 0;
        }
        for (long c = 0; c < a->cyc.n; c++) {
            if (a->cyc_loop[c] < 0)
                continue;
            const int *e = a->cyc.e + a->cyc.off[c];
            const int len = cycle_len(&a->cyc, c);
            double sum = 0.0;
            int s = 1;
            for (int i = 0; i < len && s; i++) {
                const double x = row[e[i]];
                if (x == 0.0)
                    s = 0;
                else {
                    sum += lrow[e[i]];
                    if (x < 0.0)
                        s = -s;
                }
            }
            const int r = rank[a->cyc_loop[c]];
            if (s && (sg[r] == 0 || sum > lg[r])) {
                lg[r] = sum;
                sg[r] = (signed char)s;
            }
        }
        for (int r = 0; r < nl; r++)
            a->score[(size_t)r * ns + k] = sg[r] ? sg[r] * exp(lg[r]) : 0.0;
        for (int p = 0; p < a->n_parts; p++) {
            const int n = pstart[p + 1] - pstart[p];
            for (int i = 0; i < n; i++) {
                const int r = pmem[pstart[p] + i];
                glg[i] = lg[r];
                gsg[i] = sg[r];
            }
            relative_scores_log(n, glg, gsg, grel);
            for (int i = 0; i < n; i++)
                a->rel[(size_t)pmem[pstart[p] + i] * ns + k] = grel[i];
        }
    }
    free(lrow);
    /* run-time polarity (Schoenberg & Eberlein 2020: confidence |P-N|/(P+N), 0.99) */
    for (int r = 0; r < nl; r++) {
        vloop *l = &a->loops[a->order[r]];
        double P = 0.0, N = 0.0, sum = 0.0, mx = 0.0;
        for (size_t k = 1; k < ns; k++) {
            const double x = a->score[(size_t)r * ns + k];
            if (isfinite(x)) {
                if (x > 0.0)
                    P += x;
                else
                    N -= x;
            }
            const double q = fabs(a->rel[(size_t)r * ns + k]);
            sum += q;
            if (q > mx)
                mx = q;
        }
        l->mean_abs_rel = ns > 1 ? sum / (double)(ns - 1) : 0.0;
        l->max_abs_rel = mx;
        if (P == 0.0 && N == 0.0)
            snprintf(l->runtime, sizeof l->runtime, "-");
        else if (N == 0.0)
            snprintf(l->runtime, sizeof l->runtime, "R");
        else if (P == 0.0)
            snprintf(l->runtime, sizeof l->runtime, "B");
        else if (fabs(P - N) / (P + N) >= 0.99)
            snprintf(l->runtime, sizeof l->runtime, P > N ? "Ru" : "Bu");
        else
            snprintf(l->runtime, sizeof l->runtime, "U");
    }
    /* composite link scores: the strongest path through a smooth/delay */
    a->link_ls = calloc((size_t)a->n_links * ns + 1, sizeof *a->link_ls);
    if (!a->link_ls)
        goto done;
    for (int i = 0; i < a->n_links; i++) {
        const vlink *l = &a->links[i];
        for (size_t k = 1; k < ns; k++) {
            const double *row = ls + k * ne;
            double best = 0.0;
            for (int p = 0; p < l->n_paths; p++) {
                const vpath *q = &a->paths[l->path_off + p];
                double x = 1.0;
                for (int j = 0; j < q->len; j++)
                    x *= row[a->path_e[q->off + j]];
                if (fabs(x) > fabs(best))
                    best = x;
            }
            a->link_ls[(size_t)i * ns + k] = best;
        }
    }
    rc = find_periods(a);
done:
    free(rank), free(lg), free(sg), free(glg), free(grel), free(gsg), free(pstart), free(pmem);
    return rc;
}

/* ---------------------------------------------------- constant links */

static void const_refs(const node *n, int *out, int *k, int cap, const migdev_model *m)
{
    if (!n)
        return;
    if (n->kind == N_REF && n->ref >= 0 && m->vars[n->ref].kind == VK_CONST) {
        int seen = 0;
        for (int i = 0; i < *k && !seen; i++)
            seen = out[i] == n->ref;
        if (!seen && *k < cap)
            out[(*k)++] = n->ref;
    }
    for (int i = 0; i < n->nargs; i++)
        const_refs(n->args[i], out, k, cap, m);
}

static int cmp_vlink(const void *x, const void *y)
{
    const vlink *p = x, *q = y;
    if (p->from != q->from)
        return p->from < q->from ? -1 : 1;
    if (p->to != q->to)
        return p->to < q->to ? -1 : 1;
    return p->through_hidden - q->through_hidden;
}

/* Links from constants into the flows and auxiliaries that use them (for
** diagrams); through a smooth/delay their polarity is unknown. */
static int build_const_links(migdev_loops *a, const samples *s, score_ws *w)
{
    const migdev_model *m = a->m;
    const lgraph *g = &a->g;
    int cap = 0, n = 0, rc = MIGDEV_E_NOMEM;
    int *xs = NULL, *zs = NULL, *refs = malloc(((size_t)m->n_vars + 1) * sizeof *refs);
    unsigned char *pol = NULL;
    if (!refs)
        goto done;
    for (int u = 0; u < g->n; u++) {
        const variable *v = &m->vars[g->var[u]];
        if (v->kind == VK_STOCK)
            continue;
        int k = 0;
        const_refs(v->eq, refs, &k, m->n_vars, m);
        const int old_cap = cap;
        if (util_grow((void **)&xs, &cap, n + k, sizeof *xs))
            goto done;
        if (cap != old_cap) { /* zs grows with xs */
            int *z2 = realloc(zs, (size_t)cap * sizeof *zs);
            if (!z2)
                goto done;
            zs = z2;
        }
        for (int i = 0; i < k; i++) {
            xs[n] = refs[i];
            zs[n++] = g->var[u];
        }
    }
    pol = malloc((size_t)n + 1);
    a->clinks = malloc(((size_t)n + 1) * sizeof *a->clinks);
    if (!pol || !a->clinks)
        goto done;
    pair_polarity(m, s, w, xs, zs, n, pol);
    for (int i = 0; i < n; i++) {
        const int z = zs[i], hidden = z >= m->n_visible;
        a->clinks[i] = (vlink){xs[i], hidden ? m->vars[z].owner : z,
                               hidden ? MIGDEV_POL_UNKNOWN : (migdev_polarity)pol[i], 0, hidden, 0, 0};
    }
    if (n)
        qsort(a->clinks, (size_t)n, sizeof *a->clinks, cmp_vlink);
    /* one link per (constant, variable): the direct one if any */
    for (int i = 0; i < n; i++)
        if (a->n_clinks == 0 || a->clinks[a->n_clinks - 1].from != a->clinks[i].from ||
            a->clinks[a->n_clinks - 1].to != a->clinks[i].to)
            a->clinks[a->n_clinks++] = a->clinks[i];
    rc = 0;
done:
    free(refs), free(xs), free(zs), free(pol);
    return rc;
}

/* ------------------------------------------------------------- public */

migdev_loops *migdev_loops_analyse(const migdev_run *r, const migdev_loops_opts *opts,
                                   migdev_error *err)
{
    const migdev_loops_opts def = {0, 0, 0, MIGDEV_CHANGED_LAST};
    const migdev_loops_opts *o = opts ? opts : &def;
    const migdev_model *m = migdev_run_model(r);
    migdev_loops *a = calloc(1, sizeof *a);
    samples s = {0};
    score_ws w = {0};
    double *ls = NULL;
    if (!a) {
        nomem(m, err);
        return NULL;
    }
    a->m = m;
    a->cap = o->max_loops > 0 ? o->max_loops : MIGDEV_LOOPS_DEFAULT_CAP;
    if (samples_take(&s, r, err) != 0)
        goto fail;
    a->ns = s.ns;
    a->times = malloc((s.ns + 1) * sizeof *a->times);
    if (!a->times)
        goto oom;
    memcpy(a->times, s.t, s.ns * sizeof *s.t);
    if (lgraph_build(&a->g, m, err) != 0)
        goto fail;
    const size_t ne = (size_t)a->g.n_edges;
    a->epol = malloc(ne + 1);
    if (!a->epol || score_ws_init(&w, m, &s) != 0)
        goto oom;
    edge_polarity(&a->g, &s, &w, a->epol);
    int truncated = 0;
    if (!o->discover) {
        if (johnson_cycles(a->g.n, a->g.off, a->g.dst, a->cap, &a->cyc, &truncated) != 0)
            goto oom;
        a->n_cycles_seen = a->cyc.n;
    }
    const int discover = o->discover || truncated;
    if (o->scores || discover) {
        ls = malloc((ne * s.ns + 1) * sizeof *ls);
        if (!ls)
            goto oom;
        link_scores(&a->g, &s, o->partial, &w, ls, &a->n_singular, &a->n_nonfinite);
    }
    if (discover) {
        cycles_free(&a->cyc);
        a->discovered = 1;
        if (discover_cycles(&a->g, ls, s.ns, &a->cyc, &a->budget_hit) != 0)
            goto oom;
        /* loops named in the model are always analysed (pinned) */
        int *vars = malloc(((size_t)m->n_vars + 1) * sizeof *vars);
        if (!vars)
            goto oom;
        for (int k = 0; k < m->n_loops; k++) {
            if (named_vars(a, k, vars, err) != 0) {
                free(vars);
                goto fail;
            }
            if (pin_named(a, vars, m->loops[k].n) < 0) {
                free(vars);
                goto oom;
            }
        }
        free(vars);
    }
    if (build_links(a) != 0 || build_const_links(a, &s, &w) != 0 || collapse(a) != 0)
        goto oom;
    describe_loops(a);
    if (order_loops(a) != 0)
        goto oom;
    if (attach_names(a, err) != 0)
        goto fail;
    if (o->scores && score_loops(a, ls) != 0)
        goto oom;
    free(ls);
    score_ws_free(&w);
    samples_free(&s);
    return a;
oom:
    nomem(m, err);
fail:
    free(ls);
    score_ws_free(&w);
    samples_free(&s);
    migdev_loops_free(a);
    return NULL;
}

void migdev_loops_free(migdev_loops *a)
{
    if (!a)
        return;
    lgraph_free(&a->g);
    cycles_free(&a->cyc);
    free(a->times), free(a->epol), free(a->links), free(a->paths), free(a->path_e);
    free(a->link_ls), free(a->clinks), free(a->cyc_loop), free(a->loops), free(a->loop_vars), free(a->loop_signs);
    free(a->order), free(a->score), free(a->rel), free(a->periods), free(a->period_loops);
    free(a);
}

int migdev_loops_n_links(const migdev_loops *a) { return a->n_links; }

int migdev_loops_link(const migdev_loops *a, int i, migdev_link_info *out)
{
    if (i < 0 || i >= a->n_links)
        return MIGDEV_E_RANGE;
    const vlink *l = &a->links[i];
    *out = (migdev_link_info){l->from, l->to, l->pol, l->is_flow, l->through_hidden};
    return 0;
}

int migdev_loops_n_constant_links(const migdev_loops *a) { return a->n_clinks; }

int migdev_loops_constant_link(const migdev_loops *a, int i, migdev_link_info *out)
{
    if (i < 0 || i >= a->n_clinks)
        return MIGDEV_E_RANGE;
    const vlink *l = &a->clinks[i];
    *out = (migdev_link_info){l->from, l->to, l->pol, 0, l->through_hidden};
    return 0;
}

int migdev_loops_find_link(const migdev_loops *a, int from, int to)
{
    return find_link(a, from, to);
}

int migdev_loops_count(const migdev_loops *a) { return a->n_loops; }

int migdev_loops_get(const migdev_loops *a, int i, migdev_loop_info *out)
{
    if (i < 0 || i >= a->n_loops)
        return MIGDEV_E_RANGE;
    const vloop *l = &a->loops[a->order[i]];
    out->id = l->id;
    out->name = l->named >= 0 ? a->m->loops[l->named].name : NULL;
    out->vars = a->loop_vars + l->off;
    out->signs = a->loop_signs + l->off;
    out->n = l->n;
    out->n_hidden = l->n_hidden;
    out->polarity = l->polarity;
    out->partition = l->partition;
    out->runtime = a->score ? l->runtime : "-";
    out->mean_abs_rel = l->mean_abs_rel;
    out->max_abs_rel = l->max_abs_rel;
    return 0;
}

int migdev_loops_find(const migdev_loops *a, const char *name_or_id)
{
    for (int i = 0; i < a->n_loops; i++) {
        const vloop *l = &a->loops[a->order[i]];
        if (!strcmp(l->id, name_or_id) ||
            (l->named >= 0 && !strcmp(a->m->loops[l->named].name, name_or_id)))
            return i;
    }
    return MIGDEV_E_NAME;
}

int migdev_loops_is_discovered(const migdev_loops *a) { return a->discovered; }
int migdev_loops_discovery_cut(const migdev_loops *a) { return a->budget_hit; }
long migdev_loops_n_cycles(const migdev_loops *a) { return a->discovered ? a->n_cycles_seen : a->cyc.n; }
long migdev_loops_cap(const migdev_loops *a) { return a->cap; }
int migdev_loops_n_partitions(const migdev_loops *a) { return a->n_parts; }
size_t migdev_loops_n_times(const migdev_loops *a) { return a->score ? a->ns : 0; }
const double *migdev_loops_times(const migdev_loops *a) { return a->times; }

const double *migdev_loops_score(const migdev_loops *a, int i)
{
    return a->score && i >= 0 && i < a->n_loops ? a->score + (size_t)i * a->ns : NULL;
}

const double *migdev_loops_relative(const migdev_loops *a, int i)
{
    return a->rel && i >= 0 && i < a->n_loops ? a->rel + (size_t)i * a->ns : NULL;
}

const double *migdev_loops_link_score(const migdev_loops *a, int i)
{
    return a->link_ls && i >= 0 && i < a->n_links ? a->link_ls + (size_t)i * a->ns : NULL;
}

long migdev_loops_n_singular(const migdev_loops *a) { return a->n_singular; }
long migdev_loops_n_nonfinite(const migdev_loops *a) { return a->n_nonfinite; }
int migdev_loops_n_periods(const migdev_loops *a) { return a->n_periods; }

int migdev_loops_period(const migdev_loops *a, int i, migdev_dominance *out)
{
    if (i < 0 || i >= a->n_periods)
        return MIGDEV_E_RANGE;
    const vperiod *p = &a->periods[i];
    *out = (migdev_dominance){p->partition, a->times[p->k0], a->times[p->k1],
                              a->period_loops + p->off, p->n, p->share};
    return 0;
}
