/*
** lexer.h - equation text -> tokens, each with its line and column.
**
** A lexer reads one equation string. Positions are absolute: the caller gives
** the line and column of the equation's first character in its file, and the
** lexer advances them (a newline inside the text starts a new line).
*/
#ifndef MIGDEV_LEXER_H
#define MIGDEV_LEXER_H

#include <stddef.h>

typedef enum {
    TK_EOF = 0,
    TK_NUM,    /* number literal; value in tok.num */
    TK_NAME,   /* identifier; text in tok.start/len */
    TK_LPAREN, TK_RPAREN, TK_COMMA,
    TK_PLUS, TK_MINUS, TK_STAR, TK_SLASH, TK_CARET,
    TK_EQ, TK_NE, TK_LT, TK_LE, TK_GT, TK_GE,
    TK_AND, TK_OR, TK_NOT,
    TK_ERROR   /* a character or number the lexer cannot read */
} tok_type;

typedef struct token {
    tok_type type;
    const char *start; /* points into the equation text */
    size_t len;
    double num;
    int line, col;
} token;

typedef struct lexer {
    const char *text, *p;
    int line, col;     /* position of *p */
    const char *errmsg; /* set with TK_ERROR */
} lexer;

/* Start lexing text, whose first character sits at line:col. */
void lex_init(lexer *lx, const char *text, int line, int col);

/* Read the next token. On TK_ERROR, lx->errmsg says why. */
token lex_next(lexer *lx);

/* Move *p forward n characters (not past the end of the text), keeping
** *line and *col on the character *p points to. */
void lex_advance(const char **p, int *line, int *col, size_t n);

/* The number of bytes of the character at s: 1, or the whole of a UTF-8
** sequence (so that an error message never quotes half a character). */
size_t lex_char_len(const char *s);

/* The length of the number at s: digits [ '.' digits ] [ (e|E) [+-] digits ]
** or '.' digits [ (e|E) [+-] digits ]. An e or E not followed by exponent
** digits is left out and sets *bad_exponent (cleared otherwise). What may
** follow a number is each reader's own rule. Shared by the XMILE reader. */
size_t lex_number_len(const char *s, int *bad_exponent);

/* The value of the number text s[0..n) that lex_number_len delimited, in
** *x (infinity beyond the largest double). Returns 0, or MIGDEV_E_SYNTAX when the text
** is too long to read (128 characters or more). */
int lex_number_value(const char *s, size_t n, double *x);

/* A printable name for a token type ("')'", "number", ...). */
const char *lex_type_name(tok_type t);

#endif
