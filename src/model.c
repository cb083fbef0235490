/*
** model.c - questions about a compiled model; method names.
*/
#include "model_int.h"
#include "provenance.h"
#include "xmile/xname.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *migdev_model_name(const migdev_model *m) { return m->name; }
const char *migdev_model_doc(const migdev_model *m) { return m->doc; }
const char *migdev_model_file(const migdev_model *m) { return m->file; }
const char *migdev_model_time_units(const migdev_model *m) { return m->time_units; }

migdev_sim_spec migdev_model_default_spec(const migdev_model *m)
{
    migdev_sim_spec s = m->spec;
    if (s.save_every <= 0.0)
        s.save_every = s.dt;
    return s;
}

int migdev_model_n_vars(const migdev_model *m) { return m->n_visible; }

int model_find(const migdev_model *m, const char *name)
{
    int lo = 0, hi = m->n_visible - 1;
    while (lo <= hi) {
        const int mid = lo + (hi - lo) / 2;
        const int c = strcmp(m->vars[m->sorted[mid]].name, name);
        if (c == 0)
            return m->sorted[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return MIGDEV_E_NAME;
}

int migdev_model_find(const migdev_model *m, const char *name)
{
    if (!name)
        return MIGDEV_E_NAME;
    const int i = model_find(m, name);
    if (i >= 0 || !m->free_names)
        return i;
    /* a model read from XMILE: any XMILE spelling of the name ("Teacup
       Temperature", "teacup_temperature") */
    for (int k = 0; k < m->n_visible; k++)
        if (xname_equal(m->vars[k].name, name))
            return k;
    return MIGDEV_E_NAME;
}

const char *migdev_model_suggest(const migdev_model *m, const char *name)
{
    name_hint h;
    name_hint_init(&h, name);
    for (int i = 0; i < m->n_visible; i++)
        name_hint_offer(&h, m->vars[i].name, NULL);
    return h.best;
}

int model_find_var(const migdev_model *m, const char *name, const char *what, char *msg,
                   size_t n)
{
    const int i = migdev_model_find(m, name);
    if (i >= 0)
        return i;
    const char *sg = migdev_model_suggest(m, name);
    if (sg)
        snprintf(msg, n, "the model has no %s '%s' (did you mean '%s'?)", what, name, sg);
    else
        snprintf(msg, n, "the model has no %s '%s'", what, name);
    return MIGDEV_E_NAME;
}

static int array_elements(const migdev_model *m, const char *name, int *idx, int max,
                          int constants_only)
{
    const size_t n = strlen(name);
    int count = 0;
    if (!n || strchr(name, '['))
        return 0;
    for (int i = 0; i < m->n_visible; i++) {
        const variable *v = &m->vars[i];
        if ((!constants_only || v->kind == VK_CONST) && strncmp(v->name, name, n) == 0 &&
            v->name[n] == '[') {
            if (count < max)
                idx[count] = i;
            count++;
        }
    }
    return count;
}

int model_array_constants(const migdev_model *m, const char *name, int *idx, int max)
{
    return array_elements(m, name, idx, max, 1);
}

int model_array_elements(const migdev_model *m, const char *name, int *idx, int max)
{
    return array_elements(m, name, idx, max, 0);
}

int model_find_constant(const migdev_model *m, const char *name, const char *verb, char *msg,
                        size_t n)
{
    const int i = model_find_var(m, name, "constant", msg, n);
    if (i >= 0 && m->vars[i].kind != VK_CONST) {
        snprintf(msg, n, "'%s' is not a constant: only constants can be %s", name, verb);
        return MIGDEV_E_TYPE;
    }
    return i;
}

int migdev_model_var(const migdev_model *m, int i, migdev_var_info *info)
{
    if (i < 0 || i >= m->n_visible)
        return MIGDEV_E_RANGE;
    const variable *v = &m->vars[i];
    info->name = v->name;
    info->kind = (migdev_kind)v->kind;
    info->equation = v->eq_text;
    info->value = v->value;
    info->units = v->units;
    info->doc = v->doc;
    info->source = v->source;
    info->label = v->label ? v->label : "";
    info->line = v->line;
    info->non_negative = v->non_negative;
    info->data_file = v->data >= 0 ? m->data[v->data].path : NULL;
    info->data_column = v->data >= 0 ? m->data[v->data].value_col : NULL;
    info->provenance = prov_name(v->prov);
    info->tuned_to = v->prov_target ? v->prov_target : "";
    info->column = v->col;
    return 0;
}

int migdev_model_requires_provenance(const migdev_model *m) { return m->require_provenance; }

/* the data variables' tables end lookups[] and are not listed */
int migdev_model_n_lookups(const migdev_model *m) { return m->n_lookups - m->n_data; }

int migdev_model_lookup(const migdev_model *m, int i, migdev_var_info *info)
{
    if (i < 0 || i >= migdev_model_n_lookups(m))
        return MIGDEV_E_RANGE;
    const lookup_tbl *t = &m->lookups[i];
    memset(info, 0, sizeof *info);
    info->name = t->name;
    info->kind = MIGDEV_AUXILIARY;
    info->units = t->units;
    info->doc = t->doc;
    info->source = t->source;
    info->label = "";
    info->line = t->line;
    info->column = t->col;
    info->provenance = prov_name(t->prov);
    info->tuned_to = t->prov_target ? t->prov_target : "";
    return 0;
}

static const char *const method_names[MIGDEV_METHOD_COUNT] = {
    "euler", "rk4", "rk2", "rkf45", "rkck", "rk8pd", "rk4imp", "bsimp", "msadams", "msbdf",
};

const char *migdev_method_name(migdev_method method)
{
    if ((int)method < 0 || method >= MIGDEV_METHOD_COUNT)
        return "unknown";
    return method_names[method];
}

int migdev_method_parse(const char *name)
{
    for (int i = 0; i < MIGDEV_METHOD_COUNT; i++)
        if (strcasecmp(name, method_names[i]) == 0)
            return i;
    return MIGDEV_E_NAME;
}

int migdev_method_is_adaptive(migdev_method method)
{
    return method != MIGDEV_EULER && method != MIGDEV_RK4;
}
