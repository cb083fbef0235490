/*
** expr.h - the one expression parser, shared by every dialect.
**
** Precedence climbing over lexer.c tokens, as Lua's subexpr: each dialect
** gives a table of binary priorities (left and right, so associativity is a
** table entry), the priority of prefix operators' operands, and a few
** switches (IF-THEN-ELSE, binary operators that become calls). Names and
** keywords come from the dialect's lex_rules; builtins are resolved later.
**
** Priorities: a binary operator op binds while left[op] > the caller's
** limit, and its right operand is parsed with limit right[op] (right <
** left: right-associative). A prefix operator's operand is parsed with limit
** unary[op]; it may appear only where the limit is at most unary[op] (the
** native `not` is below comparisons: `a = not b` is refused).
*/
#ifndef MIGDEV_EXPR_H
#define MIGDEV_EXPR_H

#include "ast.h"
#include "lexer.h"
#include "migdev/error.h"

typedef struct expr_dialect {
    const lex_rules *lex;
    unsigned char left[TK_COUNT], right[TK_COUNT]; /* binary; 0: not binary */
    unsigned char unary[TK_COUNT];                  /* prefix; 0: not prefix */
    unsigned char postfix[TK_COUNT]; /* an operator written after its operand
                                        (XMILE: "x NOT", as xmutil wrote Vensim's
                                        :NOT:): it takes the expression to its
                                        left while postfix[op] > the limit */
    const char *as_call[TK_COUNT]; /* binary operators parsed as a call of
                                      this name (XMILE: a MOD b = MOD(a, b)) */
    const char *prefix_call[TK_COUNT]; /* keyword tokens that are also a
                                          function name before '(' (MOD(a, b)) */
    int if_then_else;  /* IF c THEN a ELSE b is the call IF_THEN_ELSE(c, a, b) */
    int brackets_refused; /* '[' is refused as an unsupported array subscript */
    int subscripts;    /* name '[' name {',' name} ']' is one name, written
                          "name[a,b]" (Vensim: the reader flattens arrays) */
    int quote_max;     /* characters of a token quoted after "found" */
} expr_dialect;

/* Parse a whole equation whose first character sits at line:col of file
** (used in messages only). An empty equation gives NULL with *empty set and
** err untouched when empty is not NULL, an "empty equation" error
** otherwise. Returns an owned tree, or NULL with err set. */
node *expr_parse(const expr_dialect *d, const char *text, const char *file, int line, int col,
                 int *empty, migdev_error *err);

/* Depth and height limits, shared by every dialect. */
enum {
    EXPR_MAX_DEPTH = 200,   /* nesting: keeps the C stack bounded */
    EXPR_MAX_HEIGHT = 10000 /* tree height: later passes recurse */
};

#endif
