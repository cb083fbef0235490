/*
** loops_discover.c - strongest-path loop discovery for models with too
** many loops to enumerate (Eberlein & Schoenberg 2020, "Finding the Loops
** that Matter", Appendix I).
**
** At every save time the out-edges of each node are ordered by |link
** score|, and a depth-first search from each stock follows the strongest
** links first, abandoning a node reached with a smaller path score than the
** best seen there. Best scores are reset for each start stock (the paper
** shares them within a time step, which finds far fewer loops: 3 of the 8
** of the three-party arms race, against 7 of 8). Zero-score links are not
** followed, and a node is searched again only when reached with a strictly
** higher score. Each search is bounded by a work budget (5 expansions per
** link of the graph): in dense graphs whose link scores exceed 1 the number
** of simple paths explodes, and the strongest paths come first anyway. Loops
** found at any time are kept once (by their edge sequence from the least
** node).
*/
#include "loops_int.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct cycle_hash {
    long *slot;   /* cycle index + 1, 0 = empty */
    long cap;     /* power of two */
} cycle_hash;

static uint64_t hash_edges(const int *e, int n)
{
    uint64_t h = 1469598103934665603ull ^ (uint64_t)n;
    for (int i = 0; i < n; i++) {
        h ^= (uint64_t)(uint32_t)e[i];
        h *= 1099511628211ull;
    }
    return h ^ (h >> 29);
}

static int same(const cycle_set *cs, long c, const int *e, int n)
{
    return cycle_len(cs, c) == n && memcmp(cs->e + cs->off[c], e, (size_t)n * sizeof *e) == 0;
}

static int hash_grow(cycle_hash *h, const cycle_set *cs)
{
    const long nc = h->cap ? 2 * h->cap : 1024;
    long *s = calloc((size_t)nc, sizeof *s);
    if (!s)
        return MIGDEV_E_NOMEM;
    for (long c = 0; c < cs->n; c++) {
        uint64_t k = hash_edges(cs->e + cs->off[c], cycle_len(cs, c)) & (uint64_t)(nc - 1);
        while (s[k])
            k = (k + 1) & (uint64_t)(nc - 1);
        s[k] = c + 1;
    }
    free(h->slot);
    h->slot = s;
    h->cap = nc;
    return 0;
}

/* Add edge sequence e (rotated to start at its least node) unless known. */
static int add_unique(const lgraph *g, cycle_hash *h, cycle_set *cs, const int *path, int n,
                      int *rot)
{
    int at = 0;
    for (int i = 1; i < n; i++)
        if (g->src[path[i]] < g->src[path[at]])
            at = i;
    for (int i = 0; i < n; i++)
        rot[i] = path[(at + i) % n];
    if (2 * (cs->n + 1) > h->cap && hash_grow(h, cs) != 0)
        return MIGDEV_E_NOMEM;
    uint64_t k = hash_edges(rot, n) & (uint64_t)(h->cap - 1);
    while (h->slot[k]) {
        if (same(cs, h->slot[k] - 1, rot, n))
            return 0;
        k = (k + 1) & (uint64_t)(h->cap - 1);
    }
    if (cycles_add(cs, rot, n) != 0)
        return MIGDEV_E_NOMEM;
    h->slot[k] = cs->n;
    return 0;
}

/* Sort the out-edges of every node by |score| descending (insertion sort:
** out-degrees are small; ties keep the graph's order). */
static void order_edges(const lgraph *g, const double *row, int *sorted)
{
    for (int u = 0; u < g->n; u++) {
        int *a = sorted + g->off[u];
        const int d = g->off[u + 1] - g->off[u];
        for (int i = 0; i < d; i++) {
            const int e = g->off[u] + i;
            const double key = fabs(row[e]);
            int j = i;
            while (j > 0 && fabs(row[a[j - 1]]) < key) {
                a[j] = a[j - 1];
                j--;
            }
            a[j] = e;
        }
    }
}

int discover_cycles(const lgraph *g, const double *ls, size_t ns, cycle_set *out,
                    int *budget_hit)
{
    const int n = g->n;
    const size_t nn = (size_t)n + 1, ne = (size_t)g->n_edges;
    const long budget = 1000L + 5L * (long)ne; /* node expansions per search */
    int *sorted = malloc((ne + 1) * sizeof *sorted);
    double *best = calloc(nn, sizeof *best);
    unsigned *stamp = calloc(nn, sizeof *stamp);
    char *visiting = calloc(nn, 1);
    int *fv = malloc(nn * sizeof *fv), *fi = malloc(nn * sizeof *fi), *fe = malloc(nn * sizeof *fe);
    double *fs = malloc(nn * sizeof *fs);
    int *rot = malloc(nn * sizeof *rot);
    cycle_hash h = {NULL, 0};
    int rc = MIGDEV_E_NOMEM;
    unsigned cur = 0;
    *budget_hit = 0;
    if (!sorted || !best || !stamp || !visiting || !fv || !fi || !fe || !fs || !rot)
        goto done;
    if (hash_grow(&h, out) != 0)
        goto done;
    for (size_t k = 1; k < ns; k++) {
        const double *row = ls + k * ne;
        order_edges(g, row, sorted);
        for (int target = 0; target < n; target++) {
            if (g->m->vars[g->var[target]].kind != VK_STOCK)
                continue;
            cur++;
            long work = 0;
            int depth = 0;
            fv[0] = target;
            fi[0] = g->off[target];
            fs[0] = 1.0;
            best[target] = 1.0;
            stamp[target] = cur;
            visiting[target] = 1;
            while (depth >= 0) {
                const int v = fv[depth];
                if (fi[depth] >= g->off[v + 1] || ++work > budget) {
                    if (work > budget)
                        *budget_hit = 1;
                    visiting[v] = 0;
                    depth--;
                    continue;
                }
                const int e = sorted[fi[depth]++];
                const int w = g->dst[e];
                const double score = fs[depth] * fabs(row[e]);
                if (visiting[w]) {
                    if (w == target) {
                        fe[depth + 1] = e;
                        if (add_unique(g, &h, out, fe + 1, depth + 1, rot) != 0)
                            goto done;
                    }
                    continue;
                }
                if (score == 0.0 || (stamp[w] == cur && score <= best[w]))
                    continue;
                best[w] = score;
                stamp[w] = cur;
                visiting[w] = 1;
                depth++;
                fv[depth] = w;
                fi[depth] = g->off[w];
                fs[depth] = score;
                fe[depth] = e;
            }
            /* a cut-short search leaves no node marked */
            for (int d = 0; d <= depth; d++)
                visiting[fv[d]] = 0;
        }
    }
    rc = 0;
done:
    free(sorted), free(best), free(stamp), free(visiting), free(fv), free(fi), free(fe);
    free(fs), free(rot), free(h.slot);
    return rc;
}
