/*
** units_check.c - dimensional analysis of a compiled model.
**
** Reads every units string (reporting those that do not parse at their
** column), then checks: each auxiliary's and flow's equation against its
** units, each stock's initial value against the stock's, each flow against
** the units of the stocks it fills or drains per time unit, and the
** arguments of the stateful calls compile.c expanded (delay times in the
** time unit, initial values in the input's units). Works on the compiled
** ASTs and the expansion records of model_int.h; the model is not changed.
*/
#include "units/units_int.h"

#include "builtins.h"
#include "error_int.h"
#include "lexer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parse units string s (at line:col in the file) into *out; UV_UNKNOWN when
** empty. A syntax error is reported as "<what>: <why>" at its column. */
static int read_units(ucheck *c, const char *s, int line, int col, const char *what, uval *out)
{
    *out = uv_unknown();
    if (!s || !s[0])
        return 0;
    units u;
    size_t at = 0;
    char msg[200];
    const int rc = units_parse(&c->names, s, &u, &at, msg, sizeof msg);
    if (rc == UNITS_E_NOMEM) {
        c->oom = 1;
        return MIGDEV_E_NOMEM;
    }
    if (rc != UNITS_OK) {
        /* the offset is a column when the string has no line break before it */
        const int one_line = memchr(s, '\n', at) == NULL;
        ur_add(c, MIGDEV_UNITS_ERROR, MIGDEV_E_SYNTAX, line,
               line > 0 && col > 0 && one_line ? col + (int)at : col, "%s \"%s\": %s", what, s,
               msg);
        return 0;
    }
    *out = uv_known(&u);
    return 0;
}

static int read_declared(ucheck *c)
{
    const migdev_model *m = c->m;
    char what[300];
    if (read_units(c, m->time_units, m->time_units_line, m->time_units_col, "the time unit",
                   &c->time) != 0)
        return MIGDEV_E_NOMEM;
    /* no time unit: like a variable without units, what depends on it is not
       checked (check --strict asks for units) */
    for (int i = 0; i < m->n_visible; i++) {
        const variable *v = &m->vars[i];
        snprintf(what, sizeof what, "units of '%s'", v->name);
        if (read_units(c, v->units, v->units_line ? v->units_line : v->line,
                       v->units_line ? v->units_col : 0, what, &c->var[i]) != 0)
            return MIGDEV_E_NOMEM;
    }
    for (int i = 0; i < m->n_lookups; i++) {
        const lookup_tbl *t = &m->lookups[i];
        snprintf(what, sizeof what, "units of lookup '%s'", t->name);
        if (read_units(c, t->units, t->units_line ? t->units_line : t->line,
                       t->units_line ? t->units_col : 0, what, &c->lk_y[i]) != 0)
            return MIGDEV_E_NOMEM;
        snprintf(what, sizeof what, "x_units of lookup '%s'", t->name);
        if (read_units(c, t->x_units, t->x_units_line ? t->x_units_line : t->line,
                       t->x_units_line ? t->x_units_col : 0, what, &c->lk_x[i]) != 0)
            return MIGDEV_E_NOMEM;
    }
    return 0;
}

/* Whether an equation is a number alone (-3 included): a value written for
** its variable, which has the variable's units even with strict numbers. */
static int is_bare_number(const node *n)
{
    while (n->kind == N_UNARY && n->op != TK_NOT)
        n = n->args[0];
    return n->kind == N_NUM;
}

/* Each user equation against its variable's units. */
static void check_equations(ucheck *c)
{
    const migdev_model *m = c->m;
    for (int i = 0; i < m->n_visible; i++) {
        const variable *v = &m->vars[i];
        if (v->kind == VK_CONST || !v->eq || is_bare_number(v->eq))
            continue;
        c->owner = i;
        uwant w = {&c->var[i], "", v->kind == VK_STOCK ? "the stock's units" : "its units"};
        if (v->kind == VK_STOCK)
            snprintf(w.what, sizeof w.what, "initial value of stock '%s'", v->name);
        else
            snprintf(w.what, sizeof w.what, "'%s'", v->name);
        ui_check(c, v->eq, &w);
    }
}

/* Each flow of each stock: the stock's units per time unit. Reported at the
** flow's units (where the fix usually goes). */
static void check_flows(ucheck *c)
{
    const migdev_model *m = c->m;
    if (c->time.kind != UV_KNOWN)
        return;
    char tt[160], want_t[160], found_t[160];
    ui_text(c, &c->time, tt, sizeof tt);
    for (int s = 0; s < m->n_stocks; s++) {
        const int sv = m->stocks[s];
        if (m->vars[sv].is_hidden || c->var[sv].kind != UV_KNOWN)
            continue;
        uval want = uv_one();
        if (units_div(&want.u, &c->var[sv].u, &c->time.u) != 0)
            continue;
        for (int k = m->flow_off[s]; k < m->flow_off[s + 1]; k++) {
            const int f = m->flow_var[k];
            const variable *fv = &m->vars[f];
            if (fv->is_hidden || c->var[f].kind != UV_KNOWN || units_equal(&c->var[f].u, &want.u))
                continue;
            ur_add(c, MIGDEV_UNITS_ERROR, MIGDEV_E_TYPE, fv->units_line ? fv->units_line : fv->line,
                   fv->units_line ? fv->units_col : fv->col,
                   "flow '%s' (%s of stock '%s'): expected '%s' (the stock's units per %s), "
                   "found '%s'",
                   fv->name, m->flow_sign[k] > 0 ? "inflow" : "outflow", m->vars[sv].name,
                   ui_text(c, &want, want_t, sizeof want_t), tt,
                   ui_text(c, &c->var[f], found_t, sizeof found_t));
        }
    }
}

/* Argument of an expanded call held by hidden variable h against want. */
static void check_arg(ucheck *c, const expansion *e, int h, const uval *want, const char *role,
                      const char *why)
{
    if (h < 0)
        return;
    const uval got = ui_var(c, h);
    if (got.kind != UV_KNOWN || want->kind != UV_KNOWN || units_equal(&got.u, &want->u))
        return;
    char w[160], f[160];
    int line, col;
    c->owner = e->owner;
    ui_pos(c, c->m->vars[h].eq, &line, &col);
    ur_add(c, MIGDEV_UNITS_ERROR, MIGDEV_E_TYPE, line, col,
           "in '%s': %s of %s(): expected '%s' (%s), found '%s'", c->m->vars[e->owner].name, role,
           builtin_at(e->fn)->name, ui_text(c, want, w, sizeof w), why, ui_text(c, &got, f, sizeof f));
}

/* smooth/delay/trend/... : the arguments compile.c moved into hidden
** variables. Each is read (and reported inside) once, by ui_var. */
static void check_expansions(ucheck *c)
{
    const migdev_model *m = c->m;
    for (int i = 0; i < m->n_expansions; i++) {
        const expansion *e = &m->expansions[i];
        const builtin *b = builtin_at(e->fn);
        c->owner = e->owner;
        const uval in = e->arg[EX_INPUT] >= 0 ? ui_var(c, e->arg[EX_INPUT]) : uv_unknown();
        if (b->kind != BK_STATEFUL)
            continue; /* init(): its argument is all there is */
        const int trendlike = b->stateful == SF_TREND || b->stateful == SF_FORECAST;
        check_arg(c, e, e->arg[EX_TIME], &c->time,
                  trendlike ? "averaging time" : "delay time", "the time unit");
        check_arg(c, e, e->arg[EX_HORIZON], &c->time, "horizon", "the time unit");
        if (trendlike) {
            uval per_time = uv_one();
            if (c->time.kind == UV_KNOWN) {
                units_div(&per_time.u, &per_time.u, &c->time.u);
                check_arg(c, e, e->arg[EX_INIT], &per_time, "initial trend", "1 per time unit");
            }
        } else {
            check_arg(c, e, e->arg[EX_INIT], &in, "initial value", "the input's units");
        }
    }
}

static void ucheck_free(ucheck *c)
{
    units_names_free(&c->names);
    free(c->var);
    free(c->state);
    free(c->lk_y);
    free(c->lk_x);
}

migdev_units_report *migdev_units_check(const migdev_model *m, const migdev_units_options *opt,
                                        migdev_error *err)
{
    ucheck c;
    memset(&c, 0, sizeof c);
    c.m = m;
    c.values = opt ? opt->constants : NULL;
    c.strict_numbers = opt ? opt->strict_numbers : 0;
    units_names_init(&c.names);
    c.time = uv_unknown();
    const size_t nv = (size_t)(m->n_vars > 0 ? m->n_vars : 1);
    const size_t nl = (size_t)(m->n_lookups > 0 ? m->n_lookups : 1);
    c.var = calloc(nv, sizeof *c.var);
    c.state = calloc(nv, 1);
    c.lk_y = calloc(nl, sizeof *c.lk_y);
    c.lk_x = calloc(nl, sizeof *c.lk_x);
    c.rep = ur_new();
    if (c.var && c.state && c.lk_y && c.lk_x && c.rep && read_declared(&c) == 0) {
        check_equations(&c);
        check_expansions(&c);
        check_flows(&c);
    }
    if (!c.var || !c.state || !c.lk_y || !c.lk_x || !c.rep || c.oom) {
        migdev_units_report_free(c.rep);
        ucheck_free(&c);
        err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
        return NULL;
    }
    ur_finish(c.rep);
    ucheck_free(&c);
    return c.rep;
}

int migdev_units_canonical(const char *text, char *buf, size_t n, migdev_error *err)
{
    units_names names;
    units_names_init(&names);
    units u;
    size_t at = 0;
    char msg[200];
    const int rc = units_parse(&names, text ? text : "", &u, &at, msg, sizeof msg);
    if (rc == UNITS_OK)
        units_format(&names, &u, buf, n);
    units_names_free(&names);
    if (rc == UNITS_E_NOMEM)
        return err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
    if (rc != UNITS_OK)
        return err_set(err, MIGDEV_E_SYNTAX, NULL, 0, (int)at + 1, "%s", msg);
    return 0;
}
