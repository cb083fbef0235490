/*
** parser.h - equation text -> expression tree.
**
** Grammar (lowest precedence first):
**   expr    = or
**   or      = and { 'or' and }
**   and     = not { 'and' not }
**   not     = 'not' not | compare
**   compare = sum { ('='|'=='|'<>'|'!='|'<'|'<='|'>'|'>=') sum }
**   sum     = term { ('+'|'-') term }
**   term    = unary { ('*'|'/') unary }
**   unary   = ('-'|'+') unary | power
**   power   = primary [ '^' unary ]          (right-associative; -2^2 = -4)
**   primary = number | name | name '(' [ expr { ',' expr } ] ')' | '(' expr ')'
*/
#ifndef MIGDEV_PARSER_H
#define MIGDEV_PARSER_H

#include "ast.h"
#include "migdev/error.h"

/* Parse a whole equation. text starts at line:col of file (file is used in
** error messages only). Returns an owned tree, or NULL with err set. */
node *parse_equation(const char *text, const char *file, int line, int col,
                     migdev_error *err);

/* The same, reading names as the XMILE and Vensim readers give them
** (lex_free_name_rules): for the equation text of a model they read. */
node *parse_equation_free_names(const char *text, const char *file, int line, int col,
                                migdev_error *err);

#endif
