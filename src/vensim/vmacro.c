/*
** vmacro.c - Vensim macros, expanded where they are called.
**
**   :MACRO: NAME(input, parameter)
**   NAME = INTEG(input, parameter) ~ ~ |
**   helper = ... ~ ~ |
**   :END OF MACRO:
**
** Each call NAME(a, b) in an equation gets an instance: the macro's
** equations copied under names of their own ("NAME:k:helper", the result
** "NAME:k"), each parameter replaced by the call's argument, and the call
** replaced by a reference to the instance's result. A macro may call another
** macro; a macro that calls itself is refused. Output parameters
** (":MACRO: NAME(in : out)", called "x = NAME(a : y)") make the call define
** y, as the instance's variable out.
*/
#include "vmdl_int.h"

#include "error_int.h"
#include "lexer.h"
#include "util.h"
#include "vexpr.h"
#include "vtrans.h"
#include "xmile/xname.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_NESTING = 32, MAX_INSTANCES = 100000 };

int vmac_header(vreader *r, const char *text, int line, int col)
{
    lexer lx;
    lex_init_rules(&lx, &vexpr_rules, text + 7, line, col + 7);
    token t = lex_next(&lx);
    if (t.type != TK_NAME) {
        free(t.name);
        return err_set(r->err, MIGDEV_E_SYNTAX, r->file, t.line, t.col,
                       "expected the macro's name after :MACRO:");
    }
    if (util_grow((void **)&r->macros, &r->cap_macros, r->n_macros + 1, sizeof *r->macros)) {
        free(t.name);
        return vm_oom(r);
    }
    vmacro *m = &r->macros[r->n_macros++];
    memset(m, 0, sizeof *m);
    m->display = t.name;
    m->key = xname_key(t.name);
    m->line = t.line;
    m->col = t.col;
    if (!m->key)
        return vm_oom(r);
    token p = lex_next(&lx);
    free(p.name);
    if (p.type != TK_LPAREN)
        return err_set(r->err, MIGDEV_E_SYNTAX, r->file, p.line, p.col,
                       "expected '(' and the parameters of macro '%s'", m->display);
    int outs = 0; /* reading the output parameters, after ':' */
    for (;;) {
        token a = lex_next(&lx);
        if (a.type != TK_NAME) {
            free(a.name);
            return err_set(r->err, MIGDEV_E_SYNTAX, r->file, a.line, a.col,
                           "expected a parameter name in macro '%s'", m->display);
        }
        char ***list = outs ? &m->outs : &m->params;
        int *n = outs ? &m->n_outs : &m->n_params;
        char **np = realloc(*list, (size_t)(*n + 1) * sizeof *np);
        char *key = xname_key(a.name);
        free(a.name);
        if (!np || !key) {
            free(key);
            if (np)
                *list = np;
            return vm_oom(r);
        }
        *list = np;
        (*list)[(*n)++] = key;
        /* ':' before the outputs: the lexer knows no bare colon */
        while (*lx.p == ' ' || *lx.p == '\t' || *lx.p == '\r' || *lx.p == '\n')
            lex_skip(&lx, 1);
        if (*lx.p == ':' && !outs) {
            lex_skip(&lx, 1);
            outs = 1;
            continue;
        }
        token sep = lex_next(&lx);
        free(sep.name);
        if (sep.type == TK_COMMA)
            continue;
        if (sep.type != TK_RPAREN)
            return err_set(r->err, MIGDEV_E_SYNTAX, r->file, sep.line, sep.col,
                           "expected ',' or ')' in the parameters of macro '%s'", m->display);
        break;
    }
    r->in_macro = r->n_macros;
    return (int)(lx.p - text);
}

void vmac_free(vreader *r)
{
    for (int i = 0; i < r->n_macros; i++) {
        free(r->macros[i].display);
        free(r->macros[i].key);
        for (int k = 0; k < r->macros[i].n_params; k++)
            free(r->macros[i].params[k]);
        free(r->macros[i].params);
        for (int k = 0; k < r->macros[i].n_outs; k++)
            free(r->macros[i].outs[k]);
        free(r->macros[i].outs);
    }
    free(r->macros);
}

static int find_macro(const vreader *r, const char *key)
{
    for (int i = 0; i < r->n_macros; i++)
        if (strcmp(r->macros[i].key, key) == 0)
            return i;
    return -1;
}

/* An instance's name for the macro's variable `var` (NULL: the result). */
static char *inst_name(const vmacro *m, int k, const char *var)
{
    const size_t n = strlen(m->display) + (var ? strlen(var) : 0) + 32;
    char *s = malloc(n);
    if (s) {
        if (var)
            snprintf(s, n, "%s:%d:%s", m->display, k, var);
        else
            snprintf(s, n, "%s:%d", m->display, k);
    }
    return s;
}

typedef struct ictx {
    vreader *r;
    int macro;       /* index */
    int k;           /* instance number */
    node **args;     /* the call's arguments, by parameter */
} ictx;

/* The macro-local entry whose key is key, or -1. */
static int local_entry(const vreader *r, int macro, const char *key)
{
    for (int i = 0; i < r->n; i++)
        if (r->e[i].macro == macro + 1 && r->e[i].key && strcmp(r->e[i].key, key) == 0)
            return i;
    return -1;
}

/* Inside a copied macro equation: parameters become the arguments, local
** names the instance's names. */
static int rewrite(ictx *c, node **np)
{
    node *n = *np;
    for (int i = 0; i < n->nargs; i++) {
        const int rc = rewrite(c, &n->args[i]);
        if (rc)
            return rc;
    }
    if (n->kind != N_REF && n->kind != N_CALL)
        return 0;
    char *key = xname_key(n->name);
    if (!key)
        return vm_oom(c->r);
    const vmacro *m = &c->r->macros[c->macro];
    int rc = 0;
    if (n->kind == N_REF) {
        for (int p = 0; p < m->n_params; p++)
            if (strcmp(m->params[p], key) == 0) {
                node *a = vt_copy(c->args[p]);
                free(key);
                if (!a)
                    return vm_oom(c->r);
                node_free(n);
                *np = a;
                return 0;
            }
    }
    const int local = local_entry(c->r, c->macro, key);
    if (local >= 0 || strcmp(key, m->key) == 0) {
        if (n->kind == N_REF || (local >= 0 && c->r->e[local].kind == VE_LOOKUP)) {
            char *s = strcmp(key, m->key) == 0 ? inst_name(m, c->k, NULL)
                                              : inst_name(m, c->k, c->r->e[local].display);
            if (!s) {
                rc = vm_oom(c->r);
            } else {
                free(n->name);
                n->name = s;
            }
        }
    }
    free(key);
    return rc;
}

static int expand_in(vreader *r, node **np, int depth, int line, int col);

/* Instantiate macro mi for the call n; *np becomes a reference to the
** result. */
static int instantiate(vreader *r, int mi, node **np, int depth)
{
    node *n = *np;
    const vmacro *m = &r->macros[mi];
    /* NAME(in, ... : out, ...): the outputs follow the inputs (the reader
       wrote the call's ':' as a ','), each a name the call defines */
    const int with_outs = m->n_outs > 0 && n->nargs == m->n_params + m->n_outs;
    if (n->nargs != m->n_params && !with_outs)
        return err_set(r->err, MIGDEV_E_TYPE, r->file, n->line, n->col,
                       m->n_outs ? "macro '%s' takes %d argument%s and %d output%s, got %d"
                                 : "macro '%s' takes %d argument%s, got %d",
                       m->display, m->n_params, m->n_params == 1 ? "" : "s",
                       m->n_outs ? m->n_outs : n->nargs, m->n_outs == 1 ? "" : "s", n->nargs);
    for (int j = 0; with_outs && j < m->n_outs; j++) {
        const node *o = n->args[m->n_params + j];
        if (o->kind != N_REF)
            return err_set(r->err, MIGDEV_E_SYNTAX, r->file, o->line, o->col,
                           "output %d of macro '%s' must be a variable's name", j + 1,
                           m->display);
        if (local_entry(r, mi, m->outs[j]) < 0)
            return err_set(r->err, MIGDEV_E_NAME, r->file, m->line, m->col,
                           "macro '%s' has no equation for its output '%s'", m->display,
                           m->outs[j]);
    }
    if (r->n_instances >= MAX_INSTANCES)
        return err_set(r->err, MIGDEV_E_RANGE, r->file, n->line, n->col,
                       "more than %d macro instances", MAX_INSTANCES);
    const int k = ++r->n_instances;
    ictx c = {r, mi, k, n->args};
    const int n_before = r->n;
    for (int i = 0; i < n_before; i++) {
        if (r->e[i].macro != mi + 1)
            continue;
        ventry *o = vm_new_entry(r);
        if (!o)
            return vm_oom(r);
        const ventry *e = &r->e[i]; /* after vm_new_entry: r->e may have moved */
        o->kind = e->kind;
        o->line = e->line;
        o->col = e->col;
        o->eq_line = e->eq_line;
        o->eq_col = e->eq_col;
        char *key = xname_key(e->display);
        const int is_result = key && strcmp(key, m->key) == 0;
        free(key);
        o->display = is_result ? inst_name(m, k, NULL) : inst_name(m, k, e->display);
        o->name = o->display ? xname_engine(o->display) : NULL;
        o->key = o->display ? xname_key(o->display) : NULL;
        o->units = vm_dup_n(e->units, strlen(e->units));
        o->doc = vm_dup_n(e->doc, strlen(e->doc));
        if (!o->display || !o->name || !o->key || !o->units || !o->doc)
            return vm_oom(r);
        if (e->x) {
            o->x = malloc((size_t)e->n_points * sizeof *o->x);
            o->y = malloc((size_t)e->n_points * sizeof *o->y);
            if (!o->x || !o->y)
                return vm_oom(r);
            memcpy(o->x, e->x, (size_t)e->n_points * sizeof *o->x);
            memcpy(o->y, e->y, (size_t)e->n_points * sizeof *o->y);
            o->n_points = e->n_points;
        }
        if (e->n_lhs)
            return err_set(r->err, MIGDEV_E_UNSUPPORTED, r->file, e->line, e->col,
                           "subscripted variables inside macros are not supported");
        if (e->tree) {
            o->tree = vt_copy(e->tree);
            if (!o->tree)
                return vm_oom(r);
            const int rc = rewrite(&c, &o->tree);
            if (rc)
                return rc;
            /* a macro called inside the macro; the tree is held apart while
               the expansion adds entries (and moves r->e) */
            const int oi = r->n - 1, oline = o->line, ocol = o->col;
            node *t = o->tree;
            o->tree = NULL;
            const int rc2 = expand_in(r, &t, depth + 1, oline, ocol);
            r->e[oi].tree = t;
            if (rc2)
                return rc2;
        }
    }
    /* each output variable: an equation naming the instance's variable */
    for (int j = 0; with_outs && j < m->n_outs; j++) {
        const node *o = n->args[m->n_params + j];
        const int local = local_entry(r, mi, m->outs[j]);
        char *src = inst_name(m, k, r->e[local].display);
        ventry *v = src ? vm_new_entry(r) : NULL;
        if (!v) {
            free(src);
            return vm_oom(r);
        }
        v->kind = VE_EQ;
        v->line = o->line;
        v->col = o->col;
        v->eq_line = o->line;
        v->eq_col = o->col;
        v->display = vm_dup_n(o->name, strlen(o->name));
        v->name = xname_engine(o->name);
        v->key = xname_key(o->name);
        v->units = vm_dup_n("", 0);
        v->doc = vm_dup_n("", 0);
        v->tree = node_new(N_REF, o->line, o->col, src, strlen(src));
        free(src);
        if (!v->display || !v->name || !v->key || !v->units || !v->doc || !v->tree)
            return vm_oom(r);
    }
    char *res = inst_name(m, k, NULL);
    node *ref = res ? node_new(N_REF, n->line, n->col, res, strlen(res)) : NULL;
    free(res);
    if (!ref)
        return vm_oom(r);
    node_free(n);
    *np = ref;
    return 0;
}

static int expand_in(vreader *r, node **np, int depth, int line, int col)
{
    if (depth > MAX_NESTING)
        return err_set(r->err, MIGDEV_E_UNSUPPORTED, r->file, line, col,
                       "macros nested more than %d deep (a macro that calls itself?)",
                       MAX_NESTING);
    node *n = *np;
    for (int i = 0; i < n->nargs; i++) {
        const int rc = expand_in(r, &n->args[i], depth, line, col);
        if (rc)
            return rc;
    }
    if (n->kind != N_CALL)
        return 0;
    char *key = xname_key(n->name);
    if (!key)
        return vm_oom(r);
    const int mi = find_macro(r, key);
    free(key);
    return mi >= 0 ? instantiate(r, mi, np, depth) : 0;
}

int vmac_expand(vreader *r)
{
    if (r->n_macros == 0)
        return 0;
    const int n_model = r->n;
    for (int i = 0; i < n_model; i++) {
        if (r->e[i].macro || !r->e[i].tree)
            continue;
        node *t = r->e[i].tree; /* held apart: expansion moves r->e */
        r->e[i].tree = NULL;
        const int rc = expand_in(r, &t, 0, r->e[i].line, r->e[i].col);
        r->e[i].tree = t;
        if (rc)
            return rc;
    }
    /* drop the macros' own entries */
    int k = 0;
    for (int i = 0; i < r->n; i++) {
        if (r->e[i].macro) {
            vm_free_entry(&r->e[i]);
            continue;
        }
        r->e[k++] = r->e[i];
    }
    r->n = k;
    return 0;
}
