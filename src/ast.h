/*
** ast.h - expression trees built by the parser.
**
** Every node carries the line and column of its first token so that later
** stages (name resolution, arity checks, compilation) report positions.
** A tree owns its children and its name strings.
*/
#ifndef MIGDEV_AST_H
#define MIGDEV_AST_H

#include <stddef.h>

typedef enum {
    N_NUM,    /* literal: num */
    N_REF,    /* variable reference: name, then ref = variable index */
    N_UNARY,  /* op args[0]; op is TK_MINUS, TK_PLUS or TK_NOT */
    N_BINARY, /* args[0] op args[1] */
    N_CALL    /* name(args...): builtin or lookup table */
} node_kind;

typedef struct node {
    node_kind kind;
    int op;          /* a tok_type for N_UNARY / N_BINARY */
    int line, col;
    double num;
    char *name;      /* N_REF, N_CALL */
    int ref;         /* N_REF: resolved variable index, -1 before */
    int fn;          /* N_CALL: builtin id or lookup index, -1 before */
    int is_lookup;   /* N_CALL: 1 when name is a lookup table */
    int is_builtin;  /* N_CALL: name is a builtin, never a variable or lookup
                        (set by readers whose variables may shadow builtin names) */
    int nargs;
    struct node **args;
    int height;      /* 1 + the tallest child's: bounds the recursion of later passes */
} node;

/* Allocate a node; NULL on allocation failure. name is copied (may be
** NULL). */
node *node_new(node_kind kind, int line, int col, const char *name, size_t name_len);

/* Append a child; returns 0, or MIGDEV_E_NOMEM on allocation failure (child is then
** freed). */
int node_push(node *parent, node *child);

/* Free a tree. NULL-safe. */
void node_free(node *n);

#endif
