/*
** parser.c - the native format's equations: its operator table for the one
** expression parser (expr.c); grammar in parser.h.
*/
#include "parser.h"

#include "expr.h"

/* Priorities (higher binds tighter), as the grammar in parser.h: or, and,
** not (prefix), comparisons, sums, terms, sign (prefix), power (right-
** associative: its right operand may carry a sign, 2^-1). */
enum { P_OR = 1, P_AND = 2, P_NOT = 3, P_CMP = 4, P_SUM = 5, P_TERM = 6, P_SIGN = 7, P_POW = 9 };

static const expr_dialect native = {
    .lex = &lex_native_rules,
    .left = {[TK_OR] = P_OR, [TK_AND] = P_AND,
             [TK_EQ] = P_CMP, [TK_NE] = P_CMP, [TK_LT] = P_CMP, [TK_LE] = P_CMP,
             [TK_GT] = P_CMP, [TK_GE] = P_CMP,
             [TK_PLUS] = P_SUM, [TK_MINUS] = P_SUM, [TK_STAR] = P_TERM, [TK_SLASH] = P_TERM,
             [TK_CARET] = P_POW},
    .right = {[TK_OR] = P_OR, [TK_AND] = P_AND,
              [TK_EQ] = P_CMP, [TK_NE] = P_CMP, [TK_LT] = P_CMP, [TK_LE] = P_CMP,
              [TK_GT] = P_CMP, [TK_GE] = P_CMP,
              [TK_PLUS] = P_SUM, [TK_MINUS] = P_SUM, [TK_STAR] = P_TERM, [TK_SLASH] = P_TERM,
              [TK_CARET] = P_SIGN},
    .unary = {[TK_NOT] = P_NOT, [TK_MINUS] = P_SIGN, [TK_PLUS] = P_SIGN},
    .quote_max = 1 << 20,
};

node *parse_equation(const char *text, const char *file, int line, int col, migdev_error *err)
{
    return expr_parse(&native, text, file, line, col, NULL, err);
}

node *parse_equation_free_names(const char *text, const char *file, int line, int col,
                                migdev_error *err)
{
    expr_dialect d = native;
    d.lex = &lex_free_name_rules;
    return expr_parse(&d, text, file, line, col, NULL, err);
}
