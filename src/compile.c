/*
** compile.c - turn a built model into an executable one.
**
** Steps, in order: check names; attach flows to stocks; resolve every
** reference and call (expanding smooth/delay/init into hidden variables);
** order the equations (rejecting algebraic loops with their path); mark what
** can be computed once; emit bytecode (folding constant subexpressions).
** Each step lives in its own file: compile_names.c, compile_stocks.c,
** compile_resolve.c (with compile_expand.c), compile_order.c, compile_emit.c.
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

/* ------------------------------------------------------------------- main */

int mb_compile(migdev_model *m, migdev_error *err)
{
    names t = {NULL, 0};
    int rc = comp_build_names(m, &t, err);
    if (!rc)
        rc = comp_resolve_attaches(m, &t, err);
    m->n_visible = m->n_vars;
    if (!rc)
        rc = comp_resolve_all(m, &t, err);
    free(t.e);
    if (!rc)
        rc = comp_build_stock_tables(m, err);
    if (!rc)
        rc = comp_order(m, err);
    if (!rc)
        rc = comp_list_history(m, err);
    if (!rc)
        rc = comp_generate(m, err);
    if (!rc) {
        /* sorted names for migdev_model_find */
        m->sorted = malloc((size_t)(m->n_visible + 1) * sizeof *m->sorted);
        if (!m->sorted)
            return err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
        names byname = {malloc((size_t)(m->n_visible + 1) * sizeof(name_entry)), 0};
        if (!byname.e)
            return err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
        for (int i = 0; i < m->n_visible; i++)
            byname.e[byname.n++] = (name_entry){m->vars[i].name, i, 0, m->vars[i].line, m->vars[i].col};
        qsort(byname.e, (size_t)byname.n, sizeof *byname.e, comp_cmp_entry);
        for (int i = 0; i < byname.n; i++)
            m->sorted[i] = byname.e[i].index;
        free(byname.e);
    }
    return rc;
}
