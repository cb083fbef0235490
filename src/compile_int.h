/*
** compile_int.h - what the files of the compiler share (compile.c and
** compile_*.c). Private to them.
*/
#ifndef MIGDEV_COMPILE_INT_H
#define MIGDEV_COMPILE_INT_H

#include "ast.h"
#include "migdev/error.h"
#include "model_int.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

typedef struct name_entry {
    const char *name;
    int index;     /* variable index, or lookup index */
    int is_lookup;
    int line, col;
} name_entry;

typedef struct names {
    name_entry *e;
    int n;
} names;

int comp_cmp_entry(const void *a, const void *b);
const name_entry *comp_names_find(const names *t, const char *name);
const char *comp_kind_name(var_kind k);
const char *comp_suggest(const migdev_model *m, const names *t, const char *name, int want_lookup, int with_builtins, int want_kind);
int comp_build_names(migdev_model *m, names *t, migdev_error *err);
node *comp_mk_ref(int index);
int comp_new_hidden(migdev_model *m, var_kind kind, int owner, const char *part, node *eq);
node *comp_expand_stateful(migdev_model *m, int owner, node *call, int fn, int order, expansion *ex);
node *comp_expand_trend(migdev_model *m, int owner, node *call, int fn, expansion *ex);
node *comp_expand_hist(migdev_model *m, int owner, node *call, int fn, expansion *ex);
int comp_resolve_all(migdev_model *m, const names *t, migdev_error *err);
int comp_resolve_attaches(migdev_model *m, const names *t, migdev_error *err);
int comp_build_stock_tables(migdev_model *m, migdev_error *err);
int comp_order(migdev_model *m, migdev_error *err);
int comp_list_history(migdev_model *m, migdev_error *err);
int comp_generate(migdev_model *m, migdev_error *err);

#endif
