/*
** compile_names.c - names: the table of variable and lookup names, lookups and suggestions.
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

/* ------------------------------------------------------------------ names */


int comp_cmp_entry(const void *a, const void *b)
{
    const name_entry *x = a, *y = b;
    const int c = strcmp(x->name, y->name);
    if (c)
        return c;
    return x->line != y->line ? (x->line < y->line ? -1 : 1) : (x->col < y->col ? -1 : x->col > y->col);
}


const name_entry *comp_names_find(const names *t, const char *name)
{
    int lo = 0, hi = t->n - 1;
    while (lo <= hi) {
        const int mid = lo + (hi - lo) / 2;
        const int c = strcmp(t->e[mid].name, name);
        if (c == 0)
            return &t->e[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

/* The kind of a variable with its article, for messages ("an auxiliary"). */
const char *comp_kind_name(var_kind k)
{
    switch (k) {
    case VK_CONST: return "a constant";
    case VK_STOCK: return "a stock";
    case VK_FLOW: return "a flow";
    case VK_AUX: return "an auxiliary";
    case VK_INIT: return "an initial value";
    case VK_HIST: return "a delayed value";
    }
    return "a variable";
}

/* Best suggestion among variables, lookups and (when with_builtins) builtin
** names; NULL when nothing is close. */
const char *comp_suggest(const migdev_model *m, const names *t, const char *name,
                           int want_lookup, int with_builtins, int want_kind)
{
    name_hint h;
    name_hint_init(&h, name);
    for (int i = 0; i < t->n; i++) {
        if (want_lookup >= 0 && t->e[i].is_lookup != want_lookup)
            continue;
        if (want_kind >= 0 && (t->e[i].is_lookup || (int)m->vars[t->e[i].index].kind != want_kind))
            continue;
        name_hint_offer(&h, t->e[i].name, NULL);
    }
    if (with_builtins)
        for (int i = 0; i < builtin_count(); i++) {
            const builtin *b = builtin_at(i);
            if ((with_builtins == 1) == (b->kind != BK_VALUE))
                name_hint_offer(&h, b->name, NULL);
        }
    return h.best;
}

/* Add a variable's or lookup's name to t, after checking it when it comes
** from the native format (XMILE's reader checked its own names). */
static int add_name(const migdev_model *m, names *t, const char *name, int index, int is_lookup,
                    int line, int col, migdev_error *err)
{
    if (!m->free_names) {
        if (!name_is_valid(name))
            return err_set(err, MIGDEV_E_NAME, m->file, line, col,
                           "'%s' is not a valid name (use letters, digits, '_' and '.', "
                           "starting with a letter or '_')",
                           name);
        if (name_is_reserved(name))
            return err_set(err, MIGDEV_E_NAME, m->file, line, col,
                           "'%s' is a reserved name (a built-in function or operator)", name);
    }
    t->e[t->n++] = (name_entry){name, index, is_lookup, line, col};
    return 0;
}

int comp_build_names(migdev_model *m, names *t, migdev_error *err)
{
    t->n = 0;
    t->e = malloc((size_t)(m->n_vars + m->n_lookups + 1) * sizeof *t->e);
    if (!t->e)
        return err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
    int rc;
    for (int i = 0; i < m->n_vars; i++) {
        const variable *v = &m->vars[i];
        if ((rc = add_name(m, t, v->name, i, 0, v->line, v->col, err)) != 0)
            return rc;
    }
    for (int i = 0; i < m->n_lookups; i++) {
        const lookup_tbl *l = &m->lookups[i];
        if (l->is_data) /* called by its data variable only */
            continue;
        if ((rc = add_name(m, t, l->name, i, 1, l->line, l->col, err)) != 0)
            return rc;
    }
    qsort(t->e, (size_t)t->n, sizeof *t->e, comp_cmp_entry);
    /* report the later of two definitions, at its position */
    const name_entry *dup = NULL, *first = NULL;
    for (int i = 1; i < t->n; i++)
        if (strcmp(t->e[i].name, t->e[i - 1].name) == 0) {
            const name_entry *a = &t->e[i - 1], *b = &t->e[i];
            if (!dup || b->line < dup->line) {
                dup = b;
                first = a;
            }
        }
    if (dup)
        return err_set(err, MIGDEV_E_NAME, m->file, dup->line, dup->col,
                       "duplicate name '%s' (first defined at line %d)", dup->name, first->line);
    return 0;
}
