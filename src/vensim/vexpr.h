/*
** vexpr.h - Vensim equations: the dialect's name rules and operator table
** for the one lexer and expression parser (lexer.c, expr.c).
**
** Names may hold spaces ("Room Temperature", "IF THEN ELSE"): a run of
** blanks between two name characters belongs to the name, and the token's
** name has each run as one space. "Quoted names" may hold anything but '"'.
** Operators: :AND: :OR: :NOT:, = <> < <= > >=, + - * / ^; :NA: is the number
** -2^109, as Vensim's documentation gives it. '^' binds tighter than the prefix - and + (-2^2 = -4, as the
** suite's expected outputs have it) and is right-associative; :NOT: binds
** looser than the comparisons (":NOT: a = b" is not(a = b)).
** Braces hold comments; a backslash ends a continued line.
*/
#ifndef MIGDEV_VENSIM_VEXPR_H
#define MIGDEV_VENSIM_VEXPR_H

#include "ast.h"
#include "lexer.h"
#include "migdev/error.h"

/* The lexer rules of Vensim equations (for the reader's own scanning). */
extern const lex_rules vexpr_rules;

/* Parse an equation whose first character sits at line:col of file.
** Returns an owned tree (names as written, blanks collapsed), or NULL with
** err set. */
node *vexpr_parse(const char *text, const char *file, int line, int col, migdev_error *err);

/* Vensim's value of :NA:, -2^109 (Vensim's documentation, ":NA:"): a
** finite number, so that "x = :NA:" tests for missing data */
#define VENSIM_NA (-649037107316853453566312041152512.0)

#endif
