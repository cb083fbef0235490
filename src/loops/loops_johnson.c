/*
** loops_johnson.c - every elementary cycle of a directed graph (Johnson,
** "Finding all the elementary circuits of a directed graph", 1975).
**
** For each node s in increasing order, the cycles whose least node is s
** are searched in the strong component of s within the nodes >= s. The
** components are kept up to date as Johnson prescribes, but locally: when
** s is done, only its own component (without s) is split again (Tarjan on
** that component alone), so a node that lies on no remaining cycle costs
** nothing. Each split follows at least one cycle found, so the work is
** O((n + e)(c + 1)) for c cycles: a long chain or one long ring is linear
** (the search used to walk from every node to the end of its component:
** quadratic on a ring). Iterative throughout, so deep graphs do not
** overflow the C stack. Cycles come out as edge sequences starting at
** their least node, each exactly once; a cap stops it early.
**
** Johnson's bound is still quadratic when a long component holds many
** short cycles (a chain whose every link goes both ways: each start walks
** the rest of the chain). An elementary cycle never leaves a block (a
** biconnected component of the graph with directions ignored), so the
** graph is first cut into blocks (Hopcroft and Tarjan 1973, on an edge
** stack) and each block searched alone: such a chain is a row of two-node
** blocks, and the whole search is linear. The cycles of all blocks are
** then sorted into the order one search of the whole graph gives (least
** node, then edge positions), so the split changes nothing downstream.
*/
#include "loops_int.h"

#include <stdlib.h>

/* The components of the nodes >= the current start: comp[u] is u's
** component (-1 once u has been a start); the nodes of component c are
** members[cstart[c] .. cstart[c] + clen[c]). */
typedef struct comps {
    int *comp, *members;
    int *cstart, *clen;
    int n_comp, cap_comp;
    /* Tarjan's scratch, by node */
    int *index, *low, *stack, *call, *next, *roots, *seen;
    char *on;
    int round;
} comps;

static int new_comp(comps *c, int start)
{
    if (c->n_comp == c->cap_comp) {
        const int cap = c->cap_comp ? 2 * c->cap_comp : 64;
        int *s = realloc(c->cstart, (size_t)cap * sizeof *s);
        if (!s)
            return -1;
        c->cstart = s;
        int *l = realloc(c->clen, (size_t)cap * sizeof *l);
        if (!l)
            return -1;
        c->clen = l;
        c->cap_comp = cap;
    }
    c->cstart[c->n_comp] = start;
    c->clen[c->n_comp] = 0;
    return c->n_comp++;
}

/* Split the nodes roots[0 .. cnt) (all of component old, whose slot in
** members they take over from position at) into strong components, with
** Tarjan restricted to them. Returns 0 or -1 (out of memory). */
static int split(comps *c, const int *off, const int *dst, int old, int cnt, int at)
{
    const int round = ++c->round;
    int counter = 0, sp = 0;
    for (int r = 0; r < cnt; r++) {
        const int root = c->roots[r];
        if (c->seen[root] == round)
            continue;
        int depth = 0;
        c->call[0] = root;
        c->next[0] = off[root];
        c->seen[root] = round;
        c->index[root] = c->low[root] = counter++;
        c->stack[sp++] = root;
        c->on[root] = 1;
        while (depth >= 0) {
            const int v = c->call[depth];
            if (c->next[depth] < off[v + 1]) {
                const int w = dst[c->next[depth]++];
                if (c->seen[w] != round) {
                    if (c->comp[w] != old)
                        continue; /* outside the component, or a past start */
                    c->seen[w] = round;
                    c->index[w] = c->low[w] = counter++;
                    c->stack[sp++] = w;
                    c->on[w] = 1;
                    depth++;
                    c->call[depth] = w;
                    c->next[depth] = off[w];
                } else if (c->on[w] && c->index[w] < c->low[v]) {
                    c->low[v] = c->index[w];
                }
                continue;
            }
            if (c->low[v] == c->index[v]) {
                const int id = new_comp(c, at);
                if (id < 0)
                    return -1;
                int w;
                do {
                    w = c->stack[--sp];
                    c->on[w] = 0;
                    c->comp[w] = id;
                    c->members[at++] = w;
                    c->clen[id]++;
                } while (w != v);
            }
            depth--;
            if (depth >= 0 && c->low[v] < c->low[c->call[depth]])
                c->low[c->call[depth]] = c->low[v];
        }
    }
    return 0;
}

static void comps_free(comps *c)
{
    free(c->comp), free(c->members), free(c->cstart), free(c->clen), free(c->index);
    free(c->low), free(c->stack), free(c->call), free(c->next), free(c->roots), free(c->seen);
    free(c->on);
}

/* Johnson's search on one graph (n nodes, CSR off/dst). */
static int johnson_graph(int n, const int *off, const int *dst, long cap, cycle_set *out,
                         int *truncated)
{
    const size_t nn = (size_t)n + 1, ne = (size_t)off[n] + 1;
    comps c = {0};
    c.comp = malloc(nn * sizeof *c.comp);
    c.members = malloc(nn * sizeof *c.members);
    c.index = malloc(nn * sizeof *c.index);
    c.low = malloc(nn * sizeof *c.low);
    c.stack = malloc(nn * sizeof *c.stack);
    c.call = malloc(nn * sizeof *c.call);
    c.next = malloc(nn * sizeof *c.next);
    c.roots = malloc(nn * sizeof *c.roots);
    c.seen = calloc(nn, sizeof *c.seen);
    c.on = calloc(nn, 1);
    int *poff = calloc(nn + 1, sizeof *poff);   /* predecessors, CSR */
    int *pred = malloc(ne * sizeof *pred);
    int *fill = calloc(nn, sizeof *fill);
    int *in = calloc(nn, sizeof *in);
    char *blocked = calloc(nn, 1);
    int *bset = malloc(ne * sizeof *bset);      /* B[w] at bset[poff[w] ..], bn[w] entries */
    int *bn = calloc(nn, sizeof *bn);
    int *fv = malloc(nn * sizeof *fv), *fp = malloc(nn * sizeof *fp);
    int *fe = malloc(nn * sizeof *fe);
    char *ff = malloc(nn);
    int *work = malloc(nn * sizeof *work);
    int rc = MIGDEV_E_NOMEM;
    long found = 0;
    *truncated = 0;
    if (!c.comp || !c.members || !c.index || !c.low || !c.stack || !c.call || !c.next ||
        !c.roots || !c.seen || !c.on || !poff || !pred || !fill || !in || !blocked || !bset ||
        !bn || !fv || !fp || !fe || !ff || !work)
        goto done;
    for (int u = 0; u < n; u++)
        for (int e = off[u]; e < off[u + 1]; e++)
            poff[dst[e] + 1]++;
    for (int u = 0; u < n; u++)
        poff[u + 1] += poff[u];
    for (int u = 0; u < n; u++)
        for (int e = off[u]; e < off[u + 1]; e++)
            pred[poff[dst[e]] + fill[dst[e]]++] = u;
    /* the whole graph is one "component" split once */
    for (int u = 0; u < n; u++) {
        c.comp[u] = -2;
        c.roots[u] = u;
    }
    if (split(&c, off, dst, -2, n, 0) != 0)
        goto done;

    for (int s = 0; s < n; s++) {
        const int stamp = s + 1, cs = c.comp[s];
        int self = 0;
        for (int e = off[s]; e < off[s + 1]; e++)
            self |= dst[e] == s;
        const int at = c.cstart[cs], size = c.clen[cs];
        if (size == 1 && !self) {
            c.comp[s] = -1;
            continue;
        }
        /* s is the least node of its component (every node before it has
           been a start and left): the search stays in that component */
        for (int k = at; k < at + size; k++) {
            const int w = c.members[k];
            in[w] = stamp;
            blocked[w] = 0;
            bn[w] = 0;
        }
        /* CIRCUIT(s), with an explicit stack of frames */
        int depth = 0;
        fv[0] = s;
        fp[0] = off[s];
        ff[0] = 0;
        blocked[s] = 1;
        while (depth >= 0) {
            const int v = fv[depth];
            if (fp[depth] < off[v + 1]) {
                const int e = fp[depth]++;
                const int w = dst[e];
                if (in[w] != stamp)
                    continue;
                if (w == s) {
                    fe[depth + 1] = e;
                    if (cycles_add(out, fe + 1, depth + 1) != 0)
                        goto done;
                    ff[depth] = 1;
                    if (++found > cap) {
                        *truncated = 1;
                        rc = 0;
                        goto done;
                    }
                } else if (!blocked[w]) {
                    depth++;
                    fv[depth] = w;
                    fp[depth] = off[w];
                    ff[depth] = 0;
                    fe[depth] = e;
                    blocked[w] = 1;
                }
                continue;
            }
            if (ff[depth]) {
                /* UNBLOCK(v), with a work list */
                int nw = 0;
                blocked[v] = 0;
                work[nw++] = v;
                while (nw > 0) {
                    const int x = work[--nw];
                    while (bn[x] > 0) {
                        const int w = bset[poff[x] + --bn[x]];
                        if (blocked[w]) {
                            blocked[w] = 0;
                            work[nw++] = w;
                        }
                    }
                }
            } else {
                for (int e = off[v]; e < off[v + 1]; e++) {
                    const int w = dst[e];
                    if (in[w] != stamp)
                        continue;
                    int has = 0;
                    for (int k = 0; k < bn[w] && !has; k++)
                        has = bset[poff[w] + k] == v;
                    if (!has)
                        bset[poff[w] + bn[w]++] = v;
                }
            }
            const char f = ff[depth];
            depth--;
            if (depth >= 0 && f)
                ff[depth] = 1;
        }
        /* s leaves; the rest of its component is split again */
        c.comp[s] = -1;
        int cnt = 0;
        for (int k = at; k < at + size; k++)
            if (c.members[k] != s)
                c.roots[cnt++] = c.members[k];
        if (cnt > 0 && split(&c, off, dst, cs, cnt, at) != 0)
            goto done;
    }
    rc = 0;
done:
    comps_free(&c);
    free(poff), free(pred), free(fill), free(in), free(blocked), free(bset), free(bn);
    free(fv), free(fp), free(fe), free(ff), free(work);
    return rc;
}

/* ---- blocks ---- */

/* Order of cycles: least node (the tail of the first edge, src), then the
** edge positions lexicographically, as one search of the whole graph finds
** them. */
typedef struct cyc_ref {
    const int *e;
    int len, first;
} cyc_ref;

static int cmp_int(const void *pa, const void *pb)
{
    const int a = *(const int *)pa, b = *(const int *)pb;
    return (a > b) - (a < b);
}

static int cmp_cyc(const void *pa, const void *pb)
{
    const cyc_ref *a = pa, *b = pb;
    if (a->first != b->first)
        return a->first < b->first ? -1 : 1;
    for (int k = 0; k < a->len && k < b->len; k++)
        if (a->e[k] != b->e[k])
            return a->e[k] < b->e[k] ? -1 : 1;
    return (a->len > b->len) - (a->len < b->len);
}

/* Label each edge (other than self-loops) with its block of the undirected
** multigraph: block[e] >= 0. Returns the number of blocks, -1 when out of
** memory. src[e] is the tail of edge e. */
static int edge_blocks(int n, const int *off, const int *dst, const int *src, int *block)
{
    const int ne = off[n];
    int *uoff = calloc((size_t)n + 2, sizeof *uoff);
    int *uadj = malloc(2 * ((size_t)ne + 1) * sizeof *uadj); /* edge ids */
    int *fill = calloc((size_t)n + 1, sizeof *fill);
    int *disc = malloc(((size_t)n + 1) * sizeof *disc), *low = malloc(((size_t)n + 1) * sizeof *low);
    int *call = malloc(((size_t)n + 1) * sizeof *call), *pe = malloc(((size_t)n + 1) * sizeof *pe);
    int *next = malloc(((size_t)n + 1) * sizeof *next);
    int *estack = malloc(((size_t)ne + 1) * sizeof *estack);
    int n_blocks = -1;
    if (!uoff || !uadj || !fill || !disc || !low || !call || !pe || !next || !estack)
        goto done;
    for (int e = 0; e < ne; e++)
        if (src[e] != dst[e]) {
            uoff[src[e] + 1]++;
            uoff[dst[e] + 1]++;
        }
    for (int u = 0; u < n; u++)
        uoff[u + 1] += uoff[u];
    for (int e = 0; e < ne; e++) {
        block[e] = -1;
        if (src[e] != dst[e]) {
            uadj[uoff[src[e]] + fill[src[e]]++] = e;
            uadj[uoff[dst[e]] + fill[dst[e]]++] = e;
        }
    }
    for (int u = 0; u < n; u++)
        disc[u] = -1;
    int counter = 0, sp = 0;
    n_blocks = 0;
    for (int root = 0; root < n; root++) {
        if (disc[root] >= 0)
            continue;
        int depth = 0;
        call[0] = root;
        pe[0] = -1;
        next[0] = uoff[root];
        disc[root] = low[root] = counter++;
        while (depth >= 0) {
            const int v = call[depth];
            if (next[depth] < uoff[v + 1]) {
                const int e = uadj[next[depth]++];
                if (e == pe[depth])
                    continue; /* the tree edge itself (a parallel one is not) */
                const int w = src[e] == v ? dst[e] : src[e];
                if (disc[w] < 0) {
                    estack[sp++] = e;
                    disc[w] = low[w] = counter++;
                    depth++;
                    call[depth] = w;
                    pe[depth] = e;
                    next[depth] = uoff[w];
                } else if (disc[w] < disc[v]) {
                    estack[sp++] = e; /* a back edge */
                    if (disc[w] < low[v])
                        low[v] = disc[w];
                }
                continue;
            }
            depth--;
            if (depth < 0)
                break;
            const int u = call[depth];
            if (low[v] < low[u])
                low[u] = low[v];
            if (low[v] >= disc[u]) { /* u cuts v's block off: pop it */
                const int tree = pe[depth + 1];
                int e;
                do {
                    e = estack[--sp];
                    block[e] = n_blocks;
                } while (e != tree);
                n_blocks++;
            }
        }
    }
done:
    free(uoff), free(uadj), free(fill), free(disc), free(low), free(call), free(pe), free(next);
    free(estack);
    return n_blocks;
}

int johnson_cycles(int n, const int *off, const int *dst, long cap, cycle_set *out,
                   int *truncated)
{
    const int ne = off[n];
    *truncated = 0;
    int *src = malloc(((size_t)ne + 1) * sizeof *src);
    int *block = malloc(((size_t)ne + 1) * sizeof *block);
    int *bcount = NULL, *bstart = NULL, *bedges = NULL, *local = NULL, *nodes = NULL;
    int *loff = NULL, *ldst = NULL, *lglob = NULL, *tmp = NULL;
    cycle_set all = {0}, part = {0};
    cyc_ref *refs = NULL;
    int rc = -1;
    if (!src || !block)
        goto done;
    for (int u = 0; u < n; u++)
        for (int e = off[u]; e < off[u + 1]; e++)
            src[e] = u;
    const int nb = edge_blocks(n, off, dst, src, block);
    if (nb < 0)
        goto done;
    /* the edges of each block, in CSR order (so by tail, then position) */
    bcount = calloc((size_t)nb + 2, sizeof *bcount);
    bstart = calloc((size_t)nb + 2, sizeof *bstart);
    bedges = malloc(((size_t)ne + 1) * sizeof *bedges);
    local = malloc(((size_t)n + 1) * sizeof *local);
    nodes = malloc(((size_t)n + 1) * sizeof *nodes);
    loff = malloc(((size_t)n + 2) * sizeof *loff);
    ldst = malloc(((size_t)ne + 1) * sizeof *ldst);
    lglob = malloc(((size_t)ne + 1) * sizeof *lglob);
    tmp = malloc(((size_t)n + 1) * sizeof *tmp);
    if (!bcount || !bstart || !bedges || !local || !nodes || !loff || !ldst || !lglob || !tmp)
        goto done;
    for (int e = 0; e < ne; e++)
        if (block[e] >= 0)
            bcount[block[e] + 1]++;
    for (int b = 0; b < nb; b++)
        bstart[b + 1] = bstart[b] + bcount[b + 1];
    for (int b = 0; b <= nb; b++)
        bcount[b] = 0;
    for (int e = 0; e < ne; e++)
        if (block[e] >= 0)
            bedges[bstart[block[e]] + bcount[block[e]]++] = e;
    for (int u = 0; u < n; u++)
        local[u] = -1;
    long found = 0;
    /* self-loops: cycles of one edge */
    for (int e = 0; e < ne && !*truncated; e++)
        if (src[e] == dst[e]) {
            if (cycles_add(&all, &e, 1) != 0)
                goto done;
            if (++found > cap)
                *truncated = 1;
        }
    for (int b = 0; b < nb && !*truncated; b++) {
        const int first = bstart[b], cnt = bstart[b + 1] - first;
        if (cnt < 2)
            continue; /* one edge: no cycle */
        /* its nodes, numbered in increasing global order; the edges are
           in CSR order, so tails come sorted */
        int nn = 0;
        for (int k = first; k < first + cnt; k++) {
            const int e = bedges[k];
            if (local[src[e]] == -1)
                local[src[e]] = -2, nodes[nn++] = src[e];
            if (local[dst[e]] == -1)
                local[dst[e]] = -2, nodes[nn++] = dst[e];
        }
        for (int i = 0; i < nn; i++)
            tmp[i] = nodes[i];
        qsort(tmp, (size_t)nn, sizeof *tmp, cmp_int);
        for (int i = 0; i < nn; i++)
            local[tmp[i]] = i;
        for (int i = 0; i <= nn; i++)
            loff[i] = 0;
        for (int k = first; k < first + cnt; k++)
            loff[local[src[bedges[k]]] + 1]++;
        for (int i = 0; i < nn; i++)
            loff[i + 1] += loff[i];
        for (int k = first; k < first + cnt; k++) { /* CSR order kept per tail */
            const int e = bedges[k], at = loff[local[src[e]]]++;
            ldst[at] = local[dst[e]];
            lglob[at] = e;
        }
        for (int i = nn; i > 0; i--)
            loff[i] = loff[i - 1];
        loff[0] = 0;
        int tr = 0;
        cycles_free(&part);
        if (johnson_graph(nn, loff, ldst, cap - found, &part, &tr) != 0)
            goto done;
        for (long c = 0; c < part.n; c++) {
            const int len = cycle_len(&part, c);
            int *es = part.e + part.off[c];
            for (int k = 0; k < len; k++)
                es[k] = lglob[es[k]];
            if (cycles_add(&all, es, len) != 0)
                goto done;
        }
        found += part.n;
        if (tr)
            *truncated = 1;
        for (int i = 0; i < nn; i++)
            local[tmp[i]] = -1;
    }
    /* one search's order */
    refs = malloc(((size_t)all.n + 1) * sizeof *refs);
    if (!refs)
        goto done;
    for (long c = 0; c < all.n; c++) {
        refs[c].e = all.e + all.off[c];
        refs[c].len = cycle_len(&all, c);
        refs[c].first = src[refs[c].e[0]];
    }
    qsort(refs, (size_t)all.n, sizeof *refs, cmp_cyc);
    for (long c = 0; c < all.n; c++)
        if (cycles_add(out, refs[c].e, refs[c].len) != 0)
            goto done;
    rc = 0;
done:
    cycles_free(&all);
    cycles_free(&part);
    free(src), free(block), free(bcount), free(bstart), free(bedges), free(local), free(nodes);
    free(loff), free(ldst), free(lglob), free(tmp), free(refs);
    return rc;
}
