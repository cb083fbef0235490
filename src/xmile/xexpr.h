/*
** xexpr.h - parse XMILE equations (section 3.3 of the standard).
**
** Grammar (lowest precedence first; keywords in any letter case):
**   expr    = or
**   or      = and { OR and }
**   and     = equal { AND equal }
**   equal   = rel { ('=' | '<>') rel }
**   rel     = sum { ('<' | '<=' | '>' | '>=') sum }
**   sum     = term { ('+' | '-') term }
**   term    = unary { ('*' | '/' | MOD) unary }
**   unary   = ('-' | '+' | NOT) unary | power
**   power   = primary [ '^' unary ]            (right-associative; -2^2 = -4)
**   primary = number | name [ '(' [ expr { ',' expr } ] ')' ] | '(' expr ')'
**           | IF expr THEN expr ELSE expr | MOD '(' expr ',' expr ')'
**   name    = part { '.' part },  part = identifier | '"' quoted '"'
** Braces hold comments; a backslash at the end of a line continues it.
**
** The tree uses ast.h nodes with XMILE's names still unresolved: N_REF and
** N_CALL carry the identifier as written (escapes decoded, the parts of a
** qualified name joined by XN_SEP). `a MOD b` becomes the call MOD(a, b) and
** `IF c THEN a ELSE b` the call IF_THEN_ELSE(c, a, b). Every node has the
** line and column of its first character in the XML file.
*/
#ifndef MIGDEV_XMILE_XEXPR_H
#define MIGDEV_XMILE_XEXPR_H

#include "ast.h"
#include "lexer.h"
#include "migdev/error.h"

/* XMILE's rules for the one lexer (names, keywords, comments). */
extern const lex_rules xexpr_lex_rules;

/* Parse an equation whose first character sits at line:col of file. An
** equation that is empty (or only a comment) gives NULL with *empty set and
** err untouched. Returns an owned tree, or NULL with err set. */
node *xexpr_parse(const char *text, const char *file, int line, int col, int *empty,
                  migdev_error *err);

/* Parse a text that must be one name (an <inflow>, a <connect> end). Returns
** the identifier (owned, parts joined by XN_SEP), or NULL with err set. A
** leading '.' (".area": the enclosing model) is kept as an empty first
** part. */
char *xexpr_parse_name(const char *text, const char *file, int line, int col,
                       migdev_error *err);

#endif
