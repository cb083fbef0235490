/*
** compile_stocks.c - attachments: flows to stocks, the per-stock flow table and the non-negative filters.
**
** Part of the compiler (see compile.c for the steps and compile_int.h).
*/
#include "builtins.h"
#include "compile_int.h"
#include "error_int.h"
#include "lexer.h"
#include "model_int.h"
#include "opcodes.h"
#include "util.h"
#include "vm.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* -------------------------------------------------------------- attaching */

int comp_resolve_attaches(migdev_model *m, const names *t, migdev_error *err)
{
    for (int i = 0; i < m->n_attaches; i++) {
        attach *a = &m->attaches[i];
        if (a->stock >= 0 && a->flow >= 0)
            continue;
        const name_entry *s = comp_names_find(t, a->stock_name);
        const name_entry *f = comp_names_find(t, a->flow_name);
        if (!s || s->is_lookup || m->vars[s->index].kind != VK_STOCK) {
            const char *sg = comp_suggest(m, t, a->stock_name, 0, 0, VK_STOCK);
            if (s && !s->is_lookup)
                return err_set(err, MIGDEV_E_NAME, m->file, a->line, a->col,
                               "flow '%s' is attached to '%s', which is %s, not a stock",
                               a->flow_name, a->stock_name, comp_kind_name(m->vars[s->index].kind));
            return err_set(err, MIGDEV_E_NAME, m->file, a->line, a->col,
                           "flow '%s' is attached to a missing stock '%s'%s%s%s", a->flow_name,
                           a->stock_name, sg ? " (did you mean '" : "", sg ? sg : "",
                           sg ? "'?)" : "");
        }
        if (!f || f->is_lookup || m->vars[f->index].kind != VK_FLOW) {
            const char *sg = comp_suggest(m, t, a->flow_name, 0, 0, VK_FLOW);
            if (f && !f->is_lookup)
                return err_set(err, MIGDEV_E_NAME, m->file, a->line, a->col,
                               "stock '%s' lists %s '%s', which is %s, not a flow",
                               a->stock_name, a->is_outflow ? "outflow" : "inflow",
                               a->flow_name, comp_kind_name(m->vars[f->index].kind));
            return err_set(err, MIGDEV_E_NAME, m->file, a->line, a->col,
                           "stock '%s' lists %s '%s', but there is no flow called '%s'%s%s%s",
                           a->stock_name, a->is_outflow ? "outflow" : "inflow", a->flow_name,
                           a->flow_name, sg ? " (did you mean '" : "", sg ? sg : "",
                           sg ? "'?)" : "");
        }
        a->stock = s->index;
        a->flow = f->index;
        a->is_outflow = a->is_outflow ? 1 : 0;
    }
    /* each flow enters at most one stock and leaves at most one: the first
       later link that contradicts an earlier one is reported, against the
       earliest link it contradicts (first[] holds, per flow and direction,
       the first link; all earlier links of one direction agree) */
    int *first = malloc((size_t)(2 * m->n_vars + 1) * sizeof *first);
    if (!first)
        return err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
    for (int v = 0; v < 2 * m->n_vars; v++)
        first[v] = -1;
    for (int i = 0; i < m->n_attaches; i++) {
        const attach *a = &m->attaches[i];
        const int dir = a->is_outflow ? 1 : 0;
        const int same_dir = first[2 * a->flow + dir];
        const int other_dir = first[2 * a->flow + !dir];
        /* earliest contradiction: the other direction on the same stock
           ("both"), or this direction on another stock ("already") */
        const int both = other_dir >= 0 && m->attaches[other_dir].stock == a->stock ? other_dir : -1;
        const int again = same_dir >= 0 && m->attaches[same_dir].stock != a->stock ? same_dir : -1;
        if (both >= 0 && (again < 0 || both < again)) {
            free(first);
            return err_set(err, MIGDEV_E_NAME, m->file, a->line, a->col,
                           "flow '%s' is both an inflow and an outflow of stock '%s'",
                           m->vars[a->flow].name, m->vars[a->stock].name);
        }
        if (again >= 0) {
            const attach *b = &m->attaches[again];
            free(first);
            return err_set(err, MIGDEV_E_NAME, m->file, a->line, a->col,
                           "flow '%s' is already an %s of stock '%s'", m->vars[a->flow].name,
                           a->is_outflow ? "outflow" : "inflow", m->vars[b->stock].name);
        }
        if (same_dir < 0)
            first[2 * a->flow + dir] = i;
    }
    free(first);
    return 0;
}

/* One filter per flow of each non-negative stock, in priority order:
** inflows first, then outflows, each as listed (see nn_rule). */
static int build_nn_rules(migdev_model *m, migdev_error *err)
{
    int n_rules = 0, n_refs = 0;
    for (int s = 0; s < m->n_stocks; s++)
        if (m->vars[m->stocks[s]].non_negative) {
            const int n = m->flow_off[s + 1] - m->flow_off[s];
            n_rules += n;
            n_refs += n; /* every flow of the stock is written to nn_ref once */
        }
    m->nn_rules = malloc((size_t)(n_rules + 1) * sizeof *m->nn_rules);
    m->nn_ref = malloc((size_t)(n_refs + 1) * sizeof *m->nn_ref);
    m->nn_sign = malloc((size_t)(n_refs + 1) * sizeof *m->nn_sign);
    if (!m->nn_rules || !m->nn_ref || !m->nn_sign)
        return err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
    int refs = 0;
    for (int s = 0; s < m->n_stocks; s++) {
        if (!m->vars[m->stocks[s]].non_negative)
            continue;
        const int start = refs;
        for (int pass = 0; pass < 2; pass++) /* inflows, then outflows */
            for (int k = m->flow_off[s]; k < m->flow_off[s + 1]; k++) {
                const int sign = m->flow_sign[k];
                if ((pass == 0) != (sign > 0))
                    continue;
                variable *f = &m->vars[m->flow_var[k]];
                const int slot = f->nn[0] < 0 ? 0 : 1;
                f->nn[slot] = m->n_nn_rules;
                m->nn_rules[m->n_nn_rules++] = (nn_rule){m->flow_var[k], m->stocks[s], sign, start, refs - start};
                /* the flows after this one see it as served before them */
                m->nn_ref[refs] = m->flow_var[k];
                m->nn_sign[refs] = (signed char)sign;
                refs++;
            }
    }
    return 0;
}

int comp_build_stock_tables(migdev_model *m, migdev_error *err)
{
    m->n_stocks = 0;
    m->stock_of_var = malloc((size_t)m->n_vars * sizeof *m->stock_of_var);
    m->stocks = malloc((size_t)(m->n_vars + 1) * sizeof *m->stocks);
    m->flow_off = calloc((size_t)m->n_vars + 2, sizeof *m->flow_off);
    m->flow_var = malloc((size_t)(m->n_attaches + 1) * sizeof *m->flow_var);
    m->flow_sign = malloc((size_t)(m->n_attaches + 1) * sizeof *m->flow_sign);
    if (!m->stock_of_var || !m->stocks || !m->flow_off || !m->flow_var || !m->flow_sign)
        return err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
    for (int i = 0; i < m->n_vars; i++) {
        m->stock_of_var[i] = -1;
        if (m->vars[i].kind == VK_STOCK) {
            m->stock_of_var[i] = m->n_stocks;
            m->stocks[m->n_stocks++] = i;
        }
    }
    /* CSR by stock, attachments kept in file order (outflow priority): a
       stable counting sort by stock, a link written twice kept once */
    int *count = calloc((size_t)m->n_stocks + 1, sizeof *count);
    /* placed[2 * flow + direction]: a flow enters one stock and leaves one
       (checked above), so a second link of that flow and direction is the
       same link written twice */
    unsigned char *placed = calloc(2 * (size_t)m->n_vars + 1, 1);
    if (!count || !placed) {
        free(count);
        free(placed);
        return err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
    }
    for (int i = 0; i < m->n_attaches; i++) {
        const attach *a = &m->attaches[i];
        const size_t key = 2 * (size_t)a->flow + (a->is_outflow ? 1 : 0);
        if (!placed[key]) {
            placed[key] = 1;
            count[m->stock_of_var[a->stock]]++;
        }
    }
    int k = 0;
    for (int s = 0; s < m->n_stocks; s++) {
        m->flow_off[s] = k;
        k += count[s];
        count[s] = m->flow_off[s]; /* next free place of stock s */
    }
    memset(placed, 0, 2 * (size_t)m->n_vars + 1);
    for (int i = 0; i < m->n_attaches; i++) {
        const attach *a = &m->attaches[i];
        const size_t key = 2 * (size_t)a->flow + (a->is_outflow ? 1 : 0);
        if (placed[key])
            continue;
        placed[key] = 1;
        const int s = m->stock_of_var[a->stock];
        m->flow_var[count[s]] = a->flow;
        m->flow_sign[count[s]] = (signed char)(a->is_outflow ? -1 : 1);
        count[s]++;
    }
    free(count);
    free(placed);
    m->flow_off[m->n_stocks] = k;
    return build_nn_rules(m, err);
}
