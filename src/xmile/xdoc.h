/*
** xdoc.h - an XMILE file read into plain structures (libxml2 stays here).
**
** xdoc_read() parses the XML strictly (no recovery: a malformed file is an
** error at its line and column), checks the XMILE namespace, and collects
** sim specs, behaviors, models, variables, graphical functions and module
** connections, with the line of each element. It refuses what migdev does
** not simulate (arrays, macros, conveyors, queues, includes, unit-converting
** flows) at the element that uses it. Equations stay text here; xbuild.c
** parses, resolves and hands them to the model builder.
*/
#ifndef MIGDEV_XMILE_XDOC_H
#define MIGDEV_XMILE_XDOC_H

#include <stddef.h>

#include "migdev/error.h"
#include "migdev/model.h"
#include "model_int.h"

/* The namespace of migdev's own elements and attributes in XMILE files it
** writes (sources, loops, methods...); other tools skip them. */
#define MIGDEV_XMILE_NS "urn:migdev:xmile"

typedef enum { XV_STOCK, XV_FLOW, XV_AUX, XV_MODULE } xvar_kind;

typedef struct xgf {
    int present;
    char *name;          /* display name, or NULL when anonymous */
    int is_ref;          /* <gf name="x"/>: uses the graphical function x */
    lookup_kind kind;
    double *x, *y;
    int n;
    int line, col;       /* the element's start tag (col 0: unknown) */
    char *units, *doc, *source; /* <migdev:...> of a standalone gf */
    char *x_units;       /* <migdev:x_units> of a standalone gf */
} xgf;

typedef struct xref {    /* a name written as an element's text */
    char *ident;         /* parts joined by XN_SEP */
    int line, col;
    int is_outflow;      /* stocks' flows: <outflow> (else <inflow>) */
} xref;

typedef struct xconnect {
    char *to, *from;     /* identifiers; a leading empty part means '.' */
    int line, col;       /* the element's start tag (col 0: unknown) */
} xconnect;

/* <element subscript="a, b"> of an arrayed variable: that element's own
** equation, and its own graphical function. */
typedef struct xelement {
    char *subscript;     /* as written ("a, b") */
    char *eqn;
    int eq_line, eq_col;
    int line, col;
    struct xgf *gf;      /* owned; NULL: none (the variable's, if any) */
} xelement;

/* A <dim> of the top-level <dimensions>: its elements ("1".."n" for size=). */
typedef struct xdim {
    char *name;
    char **elems;
    int n;
    char *maps_to;       /* the native format's mapping: a dimension of as many
                            elements that this one stands for, position by
                            position (NULL: none; XMILE has no mappings) */
    int line, col;
} xdim;

typedef struct xvar {
    xvar_kind kind;
    char *name;          /* display name (escapes decoded) */
    char *engine, *key;  /* xname.h forms */
    int line, col;       /* the element's start tag (col 0: unknown) */
    char *eqn;           /* as written; NULL when absent */
    int eq_line, eq_col;
    xref *flows;         /* stocks: inflows and outflows, in document order */
    int n_flows;
    int non_negative;    /* -1 not said, 0, 1 */
    char *units, *doc;
    int units_line, units_col; /* <units> */
    char *source;        /* <migdev:source> (migdev's own files) */
    int not_constant;    /* migdev:constant="false": an aux, even with a number */
    xgf gf;
    xconnect *conns;     /* modules */
    int n_conns;
    char **dims;         /* arrayed: its <dimensions>' <dim name>s */
    int n_dims;
    xelement *elems;     /* arrayed: per-element equations */
    int n_elems;
    xelement *seq;       /* every <eqn> of the variable itself, in order
                            (subscript NULL); eqn is the last of them. More
                            than one: an arrayed variable's equations, one
                            per element in order (xmutil writes them so) */
    int n_seq;
} xvar;

typedef struct xspecs {
    int has_start, has_stop, has_dt, has_save, has_method;
    double start, stop, dt, save;
    migdev_method method;
    char *time_units;
    int line, col;       /* the element's start tag (col 0: unknown) */
} xspecs;

typedef struct xmodel {
    char *name, *key;    /* NULL for the root model */
    int line, col;       /* the element's start tag (col 0: unknown) */
    xvar *vars;
    int n_vars;
    xgf *gfs;            /* standalone graphical functions */
    int n_gfs;
    int nn_stock, nn_flow; /* <behavior> defaults: -1 not said */
    int has_specs;
    xspecs specs;
    struct xloop *loops; /* <migdev:loop>s */
    int n_loops;
} xmodel;

typedef struct xloop {
    char *name;
    char **vars;         /* engine names, in loop order */
    int n;
    int line, col;       /* the element's start tag (col 0: unknown) */
} xloop;

typedef struct xdoc {
    char *file;
    char *name;          /* <header><name>, or NULL */
    char *doc;           /* <header><migdev:doc>, or NULL */
    xspecs specs;        /* top-level <sim_specs> */
    int has_specs;
    int nn_stock, nn_flow;
    xmodel *models;      /* models[0] is the root */
    int n_models;
    xdim *dims;          /* top-level <dimensions> */
    int n_dims;
} xdoc;

/* Read len bytes of text (the file's content; file names it in messages).
** Returns 0 or a MIGDEV_E_* code with err set. xdoc_free() must be called
** either way. */
/* libxml2's process-wide set-up (migdev_global_init). */
void xdoc_global_init(void);

int xdoc_read(xdoc *d, const char *file, const char *text, size_t len, migdev_error *err);
void xdoc_free(xdoc *d);

/* Free what a variable owns (not v itself). */
void xdoc_free_var(xvar *v);

#endif
