/*
** units_report.c - the findings of a units check: collect, sort, read.
*/
#include "units/units_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ur_item {
    migdev_units_diag d;
    int seq; /* order of finding, to keep the sort stable */
} ur_item;

struct migdev_units_report {
    ur_item *items;
    int n, cap;
    int n_errors;
};

migdev_units_report *ur_new(void)
{
    return calloc(1, sizeof(migdev_units_report));
}

void ur_add(ucheck *c, migdev_units_severity sev, int code, int line, int col, const char *fmt,
            ...)
{
    migdev_units_report *r = c->rep;
    if (c->quiet || c->oom)
        return;
    if (r->n == r->cap) {
        const int cap = r->cap ? 2 * r->cap : 16;
        ur_item *p = realloc(r->items, (size_t)cap * sizeof *p);
        if (!p) {
            c->oom = 1;
            return;
        }
        r->items = p;
        r->cap = cap;
    }
    ur_item *it = &r->items[r->n];
    memset(it, 0, sizeof *it);
    it->seq = r->n;
    it->d.severity = sev;
    it->d.where.code = code;
    it->d.where.line = line;
    it->d.where.column = col;
    snprintf(it->d.where.file, sizeof it->d.where.file, "%s", c->m->file);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(it->d.where.message, sizeof it->d.where.message, fmt, ap);
    va_end(ap);
    r->n++;
}

static int cmp_item(const void *a, const void *b)
{
    const ur_item *x = a, *y = b;
    if (x->d.where.line != y->d.where.line)
        return x->d.where.line < y->d.where.line ? -1 : 1;
    if (x->d.where.column != y->d.where.column)
        return x->d.where.column < y->d.where.column ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void ur_finish(migdev_units_report *r)
{
    if (r->n > 1)
        qsort(r->items, (size_t)r->n, sizeof *r->items, cmp_item);
    int k = 0;
    r->n_errors = 0;
    for (int i = 0; i < r->n; i++) {
        const ur_item *it = &r->items[i];
        if (k > 0) {
            const ur_item *prev = &r->items[k - 1];
            if (prev->d.where.line == it->d.where.line &&
                prev->d.where.column == it->d.where.column &&
                prev->d.severity == it->d.severity &&
                strcmp(prev->d.where.message, it->d.where.message) == 0)
                continue;
        }
        r->items[k++] = *it;
        if (it->d.severity == MIGDEV_UNITS_ERROR)
            r->n_errors++;
    }
    r->n = k;
}

int migdev_units_report_count(const migdev_units_report *r)
{
    return r ? r->n : 0;
}

const migdev_units_diag *migdev_units_report_get(const migdev_units_report *r, int i)
{
    return r && i >= 0 && i < r->n ? &r->items[i].d : NULL;
}

int migdev_units_report_errors(const migdev_units_report *r)
{
    return r ? r->n_errors : 0;
}

void migdev_units_report_free(migdev_units_report *r)
{
    if (!r)
        return;
    free(r->items);
    free(r);
}
