/*
** lexer.h - equation text -> tokens, each with its line and column.
**
** A lexer reads one equation string. Positions are absolute: the caller gives
** the line and column of the equation's first character in its file, and the
** lexer advances them (a newline inside the text starts a new line).
**
** One lexer serves every dialect (the native format, XMILE, Vensim): numbers,
** punctuation and operators are read here; a dialect's lex_rules say how it
** skips blanks and comments, how its names look (and which words are
** keywords) and which operator spellings it has. lex_init gives the native
** rules.
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
    TK_ERROR,  /* a character or number the lexer cannot read */
    /* tokens of other dialects (XMILE, Vensim) */
    TK_LBRACKET, TK_RBRACKET, TK_MOD, TK_IF, TK_THEN, TK_ELSE,
    TK_AT, TK_COLON, TK_APOS, /* XMILE's @ (dimension position), : (range), ' (transposition) */
    TK_COUNT
} tok_type;

typedef struct token {
    tok_type type;
    const char *start; /* points into the equation text */
    size_t len;
    double num;
    int line, col;
    char *name;        /* TK_NAME of dialects that decode names (XMILE's
                          quoted parts, Vensim's spaces): the owned decoded
                          name; NULL when the text start/len is the name */
} token;

typedef struct lexer lexer;

/* Operator spellings a dialect has besides + - * / ^ ( ) , = < <= > >= <> */
enum {
    LEX_OPS_C = 1,        /* == != ! && || */
    LEX_OPS_BRACKETS = 2, /* [ ] as tokens */
    LEX_OPS_XARRAYS = 4   /* @ : ' as tokens (XMILE's array operators, 3.7.1) */
};

/* What a dialect changes in the lexer. */
typedef struct lex_rules {
    /* Skip blanks and comments at lx->p: 0, or -1 after lex_fail. NULL:
       blanks only. */
    int (*skip)(lexer *lx);
    /* 1 when a name starts at p. */
    int (*name_starts)(const char *p);
    /* Read the name (or keyword) at lx->p. */
    token (*name)(lexer *lx);
    /* 1 when c may not directly follow a number ("3x" is one bad token). */
    int (*glued)(int c);
    unsigned ops;         /* LEX_OPS_* */
    int quote_max;        /* characters of a bad token quoted in a message */
} lex_rules;

struct lexer {
    const char *text, *p;
    int line, col;     /* position of *p */
    const char *errmsg; /* set with TK_ERROR: the reason ("malformed number") */
    const lex_rules *rules;
    /* a whole message (set by lex_fail): the parser reports it as is */
    int err_full, err_code, err_line, err_col;
    char errbuf[320];
};

/* The native format's rules (a constant table). A name directly followed
** by an element subscript without blanks, x[a,b], is one name: the
** element variable that arrays are flattened into. */
extern const lex_rules lex_native_rules;

/* The native rules with '[' and ']' as tokens and names without their
** subscripts: what the array flattener (xmile/xarr.c) reads equations with. */
extern const lex_rules lex_native_array_rules;

/* The native rules with the names the XMILE and Vensim readers give
** variables (UTF-8 letters, a macro instance's "NAME:1:var"): what the XMILE
** writer reads a read model's equation text back with. */
extern const lex_rules lex_free_name_rules;

/* Start lexing text, whose first character sits at line:col, with the
** native rules. */
void lex_init(lexer *lx, const char *text, int line, int col);

/* The same with a dialect's rules. */
void lex_init_rules(lexer *lx, const lex_rules *rules, const char *text, int line, int col);

/* A token of type t and length n at lx->p; advances past it. For rules. */
token lex_make(lexer *lx, tok_type t, size_t len);

/* Record a whole error message (the first one wins) at line:col with a
** MIGDEV_E_* code; printf-style. Returns -1. For rules. */
int lex_fail(lexer *lx, int code, int line, int col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* Move lx->p forward n characters (lex_advance on the lexer). */
void lex_skip(lexer *lx, size_t n);

/* Letter-case-insensitive: the n characters at s are the word w. */
int lex_word_is(const char *s, size_t n, const char *w);

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
