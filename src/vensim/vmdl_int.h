/*
** vmdl_int.h - what the files of the Vensim reader share (vmdl.c, vsubs.c).
*/
#ifndef MIGDEV_VENSIM_VMDL_INT_H
#define MIGDEV_VENSIM_VMDL_INT_H

#include "ast.h"
#include "migdev/error.h"
#include "model_int.h"

typedef enum { VE_EQ, VE_LOOKUP } ve_kind;

typedef struct ventry {
    ve_kind kind;
    char *display, *name, *key; /* as written (blanks collapsed), engine, key */
    int line, col;              /* the name */
    char *eq;                   /* VE_EQ: the expression text (NUL-terminated copy) */
    int eq_line, eq_col;
    char *units, *doc;
    node *tree;                 /* VE_EQ: equation; a level's initial value */
    node *rate;                 /* a level's rate */
    var_kind vk;
    double value;               /* VK_CONST */
    double *x, *y;              /* VE_LOOKUP (and WITH LOOKUP's table) */
    int n_points;
    char *table;                /* WITH LOOKUP: engine name of its table */
    int net_flow;               /* a level whose rate gets its own flow */
    char **lhs;                 /* subscripts written after the name (display) */
    int n_lhs;
    double *list;               /* a constant list "1, 2; 3, 4" (row-major) */
    int n_list;
    int macro;                  /* 1 + the macro it belongs to; 0: the model */
    node *active_init;          /* ACTIVE INITIAL(expr, init): init, the value
                                   while the model initializes */
    char **except;              /* :EXCEPT: [a, b], [c, d]: n_except tuples of
                                   n_lhs subscripts each (display) */
    int n_except;
    struct vget *get;           /* GET XLS/DIRECT ...(...): the equation reads a file */
    int is_data;                /* a data variable: its table is read at TIME */
    int lk_kind;                /* is_data: a lookup_kind, how values between the
                                   data's times are found (:INTERPOLATE:...) */
    double *gy;                 /* per element: n_points y values each (a GET of
                                   DATA or LOOKUPS for a subscripted entry) */
} ventry;

/* A GET function: which, its arguments (the quoted strings), its position. */
typedef enum { VG_CONSTANTS, VG_DATA, VG_LOOKUPS } vget_kind;

typedef struct vget {
    vget_kind kind;
    char *fn;       /* as written, "GET XLS DATA" */
    char *arg[4];
    int n_arg;
    int line, col;
} vget;

/* A sheet read once for the model: a workbook's sheet or a text file. */
typedef struct vbook_entry {
    char *path, *sheet;
    struct vsheet *s;
} vbook_entry;

/* A subscript range (dimension): its elements, in order. */
typedef struct vdim {
    char *display, *key;
    char **raw;     /* elements as listed (may name other ranges), display */
    int n_raw;
    char **elems;   /* the elements (display), other ranges expanded */
    int n;
    char *equiv;    /* "dim <-> other": key of the other range */
    char **maps;    /* "dim: ... -> other, ...": keys of the ranges it maps to,
                       element by element in order */
    char ***map_list; /* per map: "-> (other: x, y)" the elements of other that
                       this range's elements stand for, in order (display);
                       NULL for a whole range */
    int *n_map_list;
    int n_maps;
    int line, col;
} vdim;

/* A macro: its parameters; its equations are the entries whose macro field
** names it. */
typedef struct vmacro {
    char *display, *key;
    char **params;  /* keys */
    int n_params;
    char **outs;    /* output parameters "NAME(in : out)": keys */
    int n_outs;
    int line, col;
} vmacro;

typedef struct vreader {
    const char *file;
    migdev_error *err;
    ventry *e;
    int n, cap;
    int *by_key; /* entry indices sorted by key */
    vdim *dims;
    int n_dims, cap_dims;
    vmacro *macros;
    int n_macros, cap_macros;
    ventry *hoisted;   /* while flattening: reductions shared by the elements */
    int n_hoisted, cap_hoisted;
    int in_macro;   /* while reading: 1 + the macro being read, 0 outside */
    int n_instances;
    vbook_entry *books; /* the sheets GET functions have read */
    int n_books;
} vreader;


int vm_oom(vreader *r);
char *vm_dup_n(const char *s, size_t n);
ventry *vm_new_entry(vreader *r);
void vm_free_entry(ventry *e);

/* Read a subscript range definition "name: a, b, (c1-c9) [-> map]" whose
** text after the ':' is text at line:col. */
int vs_read_range(vreader *r, const char *display, int line, int col, const char *text,
                  int tline, int tcol);

/* Read "name <-> other". */
int vs_read_equiv(vreader *r, const char *display, int line, int col, const char *other);

/* A constant list ("1, 2, 3" or "1, 2; 3, 4;"): 1 with the values (owned)
** when text is one, 0 when not, -1 when out of memory. */
int vs_number_list(const char *text, double **vals, int *n);

/* Replace every subscripted entry by one scalar entry per element,
** substituting subscripts in its equation, and expand SUM, PROD, VMIN, VMAX
** over dim! and ELMCOUNT. */
int vs_flatten(vreader *r);

/* Read "GET XLS DATA('file', 'sheet', ...)" at text (line:col) into *out
** (owned). Returns the number of characters read, 0 when text is not a GET
** function, -1 with r->err set. */
int vg_parse(vreader *r, const char *text, int line, int col, vget **out);

/* Read the values of the GET function of entry e, whose left-hand side has
** n_dims ranges of sizes dims[] (1 for a fixed element): constants into
** e->list, data and lookups into e->x and e->gy (or e->y for a scalar). */
int vg_resolve(vreader *r, ventry *e, const int *dims, int n_dims);

/* A subscript range read from a file (GET DIRECT SUBSCRIPT): its elements
** (owned strings, *n of them). */
int vg_subscript(vreader *r, const char *text, int line, int col, char ***elems, int *n);

void vg_free(vget *g);
void vg_free_books(vreader *r);

/* Read ":MACRO: NAME(param, ...)" at text (line:col); returns the number of
** characters of the header line read, or -1 with r->err set. */
int vmac_header(vreader *r, const char *text, int line, int col);

/* Replace every call of a macro in the model's equations by a reference to
** an instance of the macro (its equations copied, the parameters replaced by
** the call's arguments), and drop the macros' own entries. */
int vmac_expand(vreader *r);

/* Free the macros. */
void vmac_free(vreader *r);

#endif
