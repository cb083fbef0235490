/*
** loops_johnson.c - every elementary cycle of a directed graph (Johnson,
** "Finding all the elementary circuits of a directed graph", 1975).
**
** For each node s in increasing order, the cycles whose least node is s
** are searched in the strongest component of s within the nodes >= s
** (and within s's component of the whole graph). Iterative throughout, so
** deep graphs do not overflow the C stack. Cycles come out as edge
** sequences starting at their least node, each exactly once. The work is
** O((n + e)(c + 1)) for c cycles; a cap stops it early.
*/
#include "loops_int.h"

#include <stdlib.h>

int johnson_cycles(int n, const int *off, const int *dst, long cap, cycle_set *out,
                   int *truncated)
{
    const size_t nn = (size_t)n + 1, ne = (size_t)off[n] + 1;
    int *comp = malloc(nn * sizeof *comp);
    int *csize = calloc(nn, sizeof *csize);
    int *poff = calloc(nn + 1, sizeof *poff);   /* predecessors, CSR */
    int *pred = malloc(ne * sizeof *pred);
    int *fill = calloc(nn, sizeof *fill);
    int *fw = calloc(nn, sizeof *fw), *in = calloc(nn, sizeof *in);
    int *queue = malloc(nn * sizeof *queue);
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
    if (!comp || !csize || !poff || !pred || !fill || !fw || !in || !queue || !blocked || !bset ||
        !bn || !fv || !fp || !fe || !ff || !work)
        goto done;
    if (graph_scc(n, off, dst, comp) < 0)
        goto done;
    for (int u = 0; u < n; u++) {
        csize[comp[u]]++;
        for (int e = off[u]; e < off[u + 1]; e++)
            poff[dst[e] + 1]++;
    }
    for (int u = 0; u < n; u++)
        poff[u + 1] += poff[u];
    for (int u = 0; u < n; u++)
        for (int e = off[u]; e < off[u + 1]; e++)
            pred[poff[dst[e]] + fill[dst[e]]++] = u;

    for (int s = 0; s < n; s++) {
        const int stamp = s + 1, cs = comp[s];
        int self = 0;
        for (int e = off[s]; e < off[s + 1]; e++)
            self |= dst[e] == s;
        if (csize[cs] == 1 && !self)
            continue;
        /* s's strong component among the nodes >= s of its component:
           reachable from s and reaching s */
        int qh = 0, qt = 0;
        queue[qt++] = s;
        fw[s] = stamp;
        while (qh < qt) {
            const int u = queue[qh++];
            for (int e = off[u]; e < off[u + 1]; e++) {
                const int w = dst[e];
                if (w > s && comp[w] == cs && fw[w] != stamp) {
                    fw[w] = stamp;
                    queue[qt++] = w;
                }
            }
        }
        qh = qt = 0;
        queue[qt++] = s;
        in[s] = stamp;
        int size = 1;
        while (qh < qt) {
            const int u = queue[qh++];
            for (int k = poff[u]; k < poff[u + 1]; k++) {
                const int w = pred[k];
                if (fw[w] == stamp && in[w] != stamp) {
                    in[w] = stamp;
                    queue[qt++] = w;
                    size++;
                }
            }
        }
        if (size == 1 && !self)
            continue;
        for (int k = 0; k < qt; k++) {
            blocked[queue[k]] = 0;
            bn[queue[k]] = 0;
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
    }
    rc = 0;
done:
    free(comp), free(csize), free(poff), free(pred), free(fill), free(fw), free(in);
    free(queue), free(blocked), free(bset), free(bn), free(fv), free(fp), free(fe), free(ff);
    free(work);
    return rc;
}
