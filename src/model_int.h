/*
** model_int.h - the compiled model, shared by the library's modules.
**
** Variables are numbered in declaration order; hidden variables (the stocks
** and flows behind smooth/delay, init() values) follow the visible ones.
** During a run every variable has one slot in a flat array v[], addressed by
** its index.
*/
#ifndef MIGDEV_MODEL_INT_H
#define MIGDEV_MODEL_INT_H

#include <stdint.h>

#include "ast.h"
#include "migdev/model.h"

typedef enum {
    VK_CONST = MIGDEV_CONSTANT,
    VK_STOCK = MIGDEV_STOCK,
    VK_FLOW = MIGDEV_FLOW,
    VK_AUX = MIGDEV_AUXILIARY,
    VK_INIT,  /* hidden: value of an expression at the start (init()) */
    VK_HIST   /* hidden: a value held from earlier steps (delay_fixed, previous);
                 eq is its initial value, the run updates it once per step */
} var_kind;

typedef enum {
    LK_CONTINUOUS = 0,
    LK_EXTRAPOLATE,
    LK_DISCRETE, /* the value of the point at or before x (Vensim :HOLD BACKWARD:) */
    LK_FORWARD,  /* the value of the point at or after x (Vensim :LOOK FORWARD:) */
    LK_RAW       /* the value at a point's x, else Vensim's :NA: (-2^109) (:RAW:) */
} lookup_kind;

typedef struct variable {
    char *name;
    var_kind kind;
    int is_hidden;
    int owner;            /* hidden: the visible variable that made it */
    char *units, *doc, *source;
    char *label;          /* short title for figures; NULL when not given */
    char *eq_text;        /* equation (stock: initial value) as written */
    node *eq;             /* parsed equation (stock: initial value) */
    double value;         /* constant: default value */
    int line, col;        /* definition */
    int eq_line, eq_col;  /* first character of the equation */
    int non_negative;
    int is_static;        /* computed once, at the start */
    int code;             /* offset of its snippet in model.code */
    int nn[2];            /* flow: non-negative filters (nn_rule indices), -1 = none */
    int hist_in;          /* VK_HIST: variable sampled at every step */
    int hist_time;        /* VK_HIST: variable holding the delay time; -1: one step */
    int units_line, units_col; /* first character of the units string (0 = unknown) */
    int data;             /* a data variable: its binding (model.data[]); -1 otherwise */
    int prov;             /* provenance (provenance.h); PROV_NONE when not said */
    char *prov_target;    /* provenance "tuned": what it was tuned to; else NULL */
} variable;

typedef struct lookup_tbl {
    char *name;
    char *units, *doc, *source;
    char *x_units;        /* units of the input ("" when not given) */
    int units_line, units_col, x_units_line, x_units_col; /* strings' first characters */
    double *x, *y;
    int n;
    lookup_kind kind;
    int line, col;        /* definition (the name) */
    int is_data;          /* the points of a data variable: not a name of its own */
    int outside_nan;      /* NaN outside [x[0], x[n-1]] (a data binding with
                             outside = "error"; the run reports it) */
    int prov;             /* provenance, as for variables */
    char *prov_target;
} lookup_tbl;

/* A variable bound to a column of a CSV file (a `data` entry): its value
** is its table (lookups[table], is_data) at the current time. */
typedef struct data_binding {
    int var;              /* the variable */
    int table;            /* its points */
    char *path;           /* the CSV file as opened */
    char *time_col, *value_col;
    int is_step;          /* interpolation = "step" (else linear) */
    int outside_error;    /* outside = "error" (else hold the end values) */
    double scale;         /* the values are the column's times this */
    char *file;           /* the file that declared it (model or scenario) */
    int line, col;        /* the entry's name there */
} data_binding;

/* A flow named by a stock (or a stock named by a flow), resolved at compile. */
typedef struct attach {
    int stock;            /* stock index, or -1 when stock_name is used */
    int flow;             /* flow index, or -1 when flow_name is used */
    char *stock_name, *flow_name;
    int is_outflow;
    int line, col;
} attach;

/* A filter that keeps a non-negative stock from going below zero (XMILE
** 3.6.2/4.2): applied to one of its flows after the flow's own equation.
** The stock's flows are served in priority order -- its inflows, then its
** outflows, each in the order listed. A flow may take (an outflow, or an
** inflow while negative) at most what the stock holds over the step plus
** what the flows before it bring: avail = max(S, 0)/h + sum of sign*value
** over nn_ref[first .. first+n). */
typedef struct nn_rule {
    int flow;             /* the filtered flow (variable index) */
    int stock;            /* the non-negative stock (variable index) */
    int sign;             /* +1: the flow fills it; -1: the flow drains it */
    int first, n;         /* the flows served before: nn_ref/nn_sign[first..first+n) */
} nn_rule;

/* A call of a stateful function (smooth, delay, trend, ..., init) that
** compile.c replaced by hidden variables, kept for the units checker: which
** builtin, where the call was, the hidden variables that hold its arguments
** as written, and the node that replaced the call in its owner's equation. */
enum { EX_INPUT, EX_TIME, EX_INIT, EX_HORIZON, EX_N_ROLES };

typedef struct expansion {
    int fn;               /* builtin index (builtin_at) */
    int owner;            /* the variable whose equation had the call */
    int line, col;        /* the call */
    int arg[EX_N_ROLES];  /* hidden variable holding each argument, -1 when not
                             written: EX_INPUT the input (init(): the value);
                             EX_TIME the delay or averaging time (smoothn, delayn
                             and the 3rd-order functions: that time / order);
                             EX_INIT the initial value (trend, forecast: the
                             initial trend); EX_HORIZON forecast's horizon */
    const node *result;   /* the replacement in the owner's equation */
} expansion;

typedef struct named_loop {
    char *name;
    char **path;          /* variable names in loop order */
    int n;
    int line;
} named_loop;

/* The arrays of a native model (arrays_cfg.c), kept so that the XMILE
** writer can write them as XMILE arrays: its dimensions, and each arrayed
** entry with its dimensions (its elements are the variables "name[a,b]"). */
typedef struct model_dim {
    char *name;
    char **elems;
    int n;
} model_dim;

typedef struct model_array {
    char *name;
    int dims[8];          /* indices in dims[] */
    int n_dims;
} model_array;

struct migdev_model {
    char *file, *name, *doc, *time_units;
    migdev_sim_spec spec;

    variable *vars;
    int n_vars, n_visible, cap_vars;
    lookup_tbl *lookups;
    int n_lookups, cap_lookups;
    attach *attaches;
    int n_attaches, cap_attaches;
    named_loop *loops;
    int n_loops;
    int n_hidden_made;     /* counter for hidden names */
    int require_provenance; /* require_provenance = true: check insists on it */
    int *required_outputs; /* required_outputs: variables a scenario that lists
                              its output variables must list (owned) */
    int n_required_outputs;
    int from_vensim;       /* read from a Vensim .mdl file (equation texts are
                              native text made by the reader: exportable) */
    int free_names;        /* names were checked by a non-native reader (XMILE):
                              compile skips the native name rules */
    int time_units_line, time_units_col; /* the time unit's string (0 = unknown) */
    data_binding *data;    /* data variables; their tables end lookups[] */
    int n_data;
    model_dim *dims;       /* arrays (native models; NULL when none) */
    int n_dims;
    model_array *arrays;
    int n_arrays;
    expansion *expansions; /* stateful calls replaced by hidden variables */
    int n_expansions, cap_expansions;

    /* compiled */
    int *stocks;           /* var index of each stock, state order */
    int n_stocks;
    int *stock_of_var;     /* var -> stock position, -1 when not a stock */
    int *flow_off;         /* CSR: flows of stock s are flow_var[flow_off[s]..flow_off[s+1]) */
    int *flow_var;
    signed char *flow_sign; /* +1 inflow, -1 outflow */
    nn_rule *nn_rules;     /* non-negative filters (see nn_rule) */
    int n_nn_rules;
    int *nn_ref;           /* flows served before each filter's flow */
    signed char *nn_sign;  /* +1 inflow, -1 outflow of the filter's stock */
    int *init_order;       /* every non-constant variable, dependencies first */
    int n_init;
    int *step_order;       /* dynamic flows and auxiliaries, dependencies first */
    int n_step;
    int32_t *code;         /* every variable's snippet */
    int n_code, cap_code;
    int32_t *step_code;    /* the step_order snippets back to back */
    double *pool;          /* literals */
    int n_pool, cap_pool;
    int max_stack;
    int *sorted;           /* visible variable indices sorted by name */
    int *hist;             /* the VK_HIST variables */
    int n_hist;
    double *rand_seed;     /* random call sites: their seed argument, or -1 */
    int n_rand, cap_rand;

    /* the native engine's code for step_code (engine.h), NULL: the VM */
    struct native_code *native;
};

/* ---- building (model_build.c) ---- */

/* A new empty model; file is copied (used in messages). NULL when out of
** memory. */
migdev_model *mb_new(const char *file);

/* Add a variable. The equation text (NULL for constants) is parsed here;
** eq_line/eq_col locate its first character. Returns the new index or a
** negative error code with err set. */
int mb_add_var(migdev_model *m, var_kind kind, const char *name, int line, int col,
               const char *eq_text, int eq_line, int eq_col, migdev_error *err);

/* The same with an equation already parsed into a tree (readers of other
** formats); takes tree (freed on failure). eq_text is kept for display. */
int mb_add_var_tree(migdev_model *m, var_kind kind, const char *name, int line, int col,
                    const char *eq_text, node *tree, int eq_line, int eq_col,
                    migdev_error *err);

/* Set the documentation of variable i (strings copied; NULL leaves "").
** Returns 0 or MIGDEV_E_NOMEM. */
int mb_set_docs(migdev_model *m, int i, const char *units, const char *doc,
                const char *source);

/* Attach a flow to a stock, by name. Resolved by mb_compile(). */
/* Set variable i's figure label (copied; NULL clears it). 0 or MIGDEV_E_NOMEM. */
int mb_set_label(migdev_model *m, int i, const char *label);

int mb_attach(migdev_model *m, const char *stock, const char *flow, int is_outflow,
              int line, int col, migdev_error *err);

/* Add a lookup table (points copied; x must increase). */
int mb_add_lookup(migdev_model *m, const char *name, const double *x, const double *y,
                  int n, lookup_kind kind, int line, int col, migdev_error *err);

/* Name a feedback loop by the variables on it, in order. */
int mb_add_loop(migdev_model *m, const char *name, const char *const *path, int n,
                int line, migdev_error *err);

/* Resolve names, expand stateful functions, order equations and generate
** code. After success the model is immutable. */
int mb_compile(migdev_model *m, migdev_error *err);

/* ---- queries used across modules ---- */

/* Index of a visible variable (exact name), or MIGDEV_E_NAME. */
int model_find(const migdev_model *m, const char *name);

/* Index of the visible variable name (migdev_model_find); else
** MIGDEV_E_NAME with msg (n bytes) set to "the model has no <what> 'name'"
** and a suggestion. */
int model_find_var(const migdev_model *m, const char *name, const char *what, char *msg,
                   size_t n);

/* The constants that are the elements of the array name ("name[a]",
** "name[b]", ... in the model's order): their indices in idx (up to max);
** returns how many there are (0: name is no arrayed constant). */
int model_array_constants(const migdev_model *m, const char *name, int *idx, int max);

/* The same for the elements of an array of any kind ("name[a]"...). */
int model_array_elements(const migdev_model *m, const char *name, int *idx, int max);

/* Index of the constant name; else MIGDEV_E_NAME as model_find_var (a
** "constant"), or MIGDEV_E_TYPE with msg "'name' is not a constant: only
** constants can be <verb>". */
int model_find_constant(const migdev_model *m, const char *name, const char *verb, char *msg,
                        size_t n);

/* Levenshtein distance capped at cap+1 (names.c). */
int name_distance(const char *a, const char *b, int cap);

/* How close a typed name is to a candidate, for "did you mean": their
** distance when at most cap; cap when typed (4 characters or more) begins
** the candidate; cap+1 otherwise. */
int name_closeness(const char *typed, const char *cand, int cap);

/* "Did you mean": the candidate closest to a typed name, by
** name_closeness with a cap that grows with the name's length (1 up to 3
** characters, 2 up to 8, else 3); the first of equally close ones wins. */
typedef struct name_hint {
    const char *typed;
    int cap, best_d;
    const char *best; /* the suggestion so far; NULL while nothing is close */
} name_hint;

void name_hint_init(name_hint *h, const char *typed);

/* Consider candidate cand, to be suggested as shown (cand when NULL). */
void name_hint_offer(name_hint *h, const char *cand, const char *shown);

/* Whether name is reserved (a builtin or an operator word). */
int name_is_reserved(const char *name);

/* Whether s is a valid variable name. */
int name_is_valid(const char *s);

#endif
