/*
** lexer.c - split an equation into tokens with positions, for every dialect.
**
** Numbers follow C's decimal syntax (`.5`, `1e-3`); a number glued to a name
** character or a second dot is an error, not two tokens. Operators and
** punctuation are read here for every dialect; the dialect's lex_rules
** (lexer.h) skip its comments and read its names.
**
** Native rules: names are [A-Za-z_][A-Za-z0-9_.]*; the words and, or, not are
** operators in any letter case; C spellings == != ! && || are accepted.
*/
#include "lexer.h"
#include "migdev/error.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void lex_init_rules(lexer *lx, const lex_rules *rules, const char *text, int line, int col)
{
    lx->text = text;
    lx->p = text;
    lx->line = line;
    lx->col = col;
    lx->errmsg = NULL;
    lx->rules = rules;
    lx->err_full = 0;
    lx->err_code = 0;
    lx->err_line = lx->err_col = 0;
    lx->errbuf[0] = '\0';
}

void lex_init(lexer *lx, const char *text, int line, int col)
{
    lex_init_rules(lx, &lex_native_rules, text, line, col);
}

int lex_fail(lexer *lx, int code, int line, int col, const char *fmt, ...)
{
    if (lx->err_full)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(lx->errbuf, sizeof lx->errbuf, fmt, ap);
    va_end(ap);
    lx->err_full = 1;
    lx->err_code = code;
    lx->err_line = line;
    lx->err_col = col;
    lx->errmsg = lx->errbuf;
    return -1;
}

void lex_advance(const char **p, int *line, int *col, size_t n)
{
    while (n-- && **p) {
        if (**p == '\n') {
            ++*line;
            *col = 1;
        } else {
            ++*col;
        }
        ++*p;
    }
}

size_t lex_char_len(const char *s)
{
    const unsigned char c = (unsigned char)s[0];
    const size_t want = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    size_t n = 1;
    while (n < want && ((unsigned char)s[n] & 0xC0) == 0x80)
        n++;
    return n;
}

static void advance(lexer *lx, size_t n) { lex_advance(&lx->p, &lx->line, &lx->col, n); }

void lex_skip(lexer *lx, size_t n) { advance(lx, n); }

static int is_name_start(int c) { return isalpha(c) || c == '_'; }
static int is_name_char(int c) { return isalnum(c) || c == '_' || c == '.'; }

token lex_make(lexer *lx, tok_type t, size_t len)
{
    token tk;
    tk.type = t;
    tk.start = lx->p;
    tk.len = len;
    tk.num = 0.0;
    tk.line = lx->line;
    tk.col = lx->col;
    tk.name = NULL;
    advance(lx, len);
    return tk;
}

static token make(lexer *lx, tok_type t, size_t len) { return lex_make(lx, t, len); }

int lex_word_is(const char *s, size_t n, const char *w)
{
    return strlen(w) == n && strncasecmp(s, w, n) == 0;
}

static int word_is(const char *s, size_t n, const char *w) { return lex_word_is(s, n, w); }

/* native names and the operator words and, or, not */
static int native_name_starts(const char *p) { return is_name_start((unsigned char)*p); }

/* The length of an element subscript "[a,b]" at p (names of letters,
** digits, '_' and '.', separated by commas, no blanks), or 0. */
static size_t subscript_len(const char *p)
{
    if (*p != '[')
        return 0;
    const char *q = p + 1;
    for (;;) {
        const char *e = q;
        while (is_name_char((unsigned char)*q))
            q++;
        if (q == e)
            return 0;
        if (*q == ']')
            return (size_t)(q + 1 - p);
        if (*q != ',')
            return 0;
        q++;
    }
}

/* The token of the name of n characters at lx->p: an element of an
** arrayed variable when subscripts follow ("x[a,b]": one name), else the
** operator words and, or, not, or a name. */
static token name_token(lexer *lx, size_t n, int subscripts)
{
    const size_t sub = subscripts ? subscript_len(lx->p + n) : 0;
    if (sub)
        return make(lx, TK_NAME, n + sub);
    if (word_is(lx->p, n, "and"))
        return make(lx, TK_AND, n);
    if (word_is(lx->p, n, "or"))
        return make(lx, TK_OR, n);
    if (word_is(lx->p, n, "not"))
        return make(lx, TK_NOT, n);
    return make(lx, TK_NAME, n);
}

static token native_name_with(lexer *lx, int subscripts)
{
    const char *q = lx->p;
    while (is_name_char((unsigned char)*q))
        q++;
    return name_token(lx, (size_t)(q - lx->p), subscripts);
}

static token native_name(lexer *lx) { return native_name_with(lx, 1); }
static token native_plain_name(lexer *lx) { return native_name_with(lx, 0); }

static int native_glued(int c) { return is_name_char(c); }

const lex_rules lex_native_rules = {NULL, native_name_starts, native_name, native_glued,
                                       LEX_OPS_C, 1 << 20};

const lex_rules lex_native_array_rules = {NULL, native_name_starts, native_plain_name,
                                          native_glued, LEX_OPS_C | LEX_OPS_BRACKETS, 1 << 20};

/* Names the XMILE and Vensim readers give variables, which the native
** format's names cannot spell: UTF-8 letters (bytes from 0x80) and the
** colons of a macro instance's names ("NPV:1:df": a colon followed by a
** name character; the native syntax has no colon). Everything else as
** native. */
static int free_name_char(const char *q)
{
    const unsigned char c = (unsigned char)*q;
    if (c != ':')
        return is_name_char(c) || c >= 0x80;
    const unsigned char d = (unsigned char)q[1]; /* q[1] exists: *q is no NUL */
    return isalnum(d) || d == '_' || d >= 0x80;
}

static int free_name_starts(const char *p)
{
    return is_name_start((unsigned char)*p) || (unsigned char)*p >= 0x80;
}

static token free_name(lexer *lx)
{
    const char *q = lx->p;
    while (free_name_char(q))
        q++;
    return name_token(lx, (size_t)(q - lx->p), 1);
}

static int free_glued(int c) { return is_name_char(c) || c >= 0x80; }

const lex_rules lex_free_name_rules = {NULL, free_name_starts, free_name, free_glued, LEX_OPS_C,
                                       1 << 20};

size_t lex_number_len(const char *s, int *bad_exponent)
{
    const char *q = s;
    *bad_exponent = 0;
    while (isdigit((unsigned char)*q))
        q++;
    if (*q == '.') {
        q++;
        while (isdigit((unsigned char)*q))
            q++;
    }
    if (*q == 'e' || *q == 'E') {
        const char *r = q + 1;
        if (*r == '+' || *r == '-')
            r++;
        if (isdigit((unsigned char)*r)) {
            while (isdigit((unsigned char)*r))
                r++;
            q = r;
        } else {
            *bad_exponent = 1;
        }
    }
    return (size_t)(q - s);
}

int lex_number_value(const char *s, size_t n, double *x)
{
    char buf[128];
    if (n >= sizeof buf)
        return MIGDEV_E_SYNTAX;
    memcpy(buf, s, n);
    buf[n] = '\0';
    *x = strtod(buf, NULL);
    return 0;
}

/* number (lex_number_len), not glued to a name character or a dot */
static token lex_number(lexer *lx)
{
    const char *s = lx->p;
    int bad_exponent;
    const size_t n = lex_number_len(s, &bad_exponent);
    const char *q = s + n;
    if (bad_exponent) {
        /* "1e" or "1e+": an exponent with no digits */
        const char *r = q + 1;
        if (*r == '+' || *r == '-')
            r++;
        while (lx->rules->glued((unsigned char)*r) || *r == '.')
            r++;
        token tk = make(lx, TK_ERROR, (size_t)(r - s));
        lx->errmsg = "malformed number";
        return tk;
    }
    if (lx->rules->glued((unsigned char)*q) || *q == '.') {
        /* "1.2.3", "3x": glued characters make a bad number */
        const char *r = q;
        while (lx->rules->glued((unsigned char)*r) || *r == '.')
            r++;
        token tk = make(lx, TK_ERROR, (size_t)(r - s));
        lx->errmsg = "malformed number";
        return tk;
    }
    double x;
    if (lex_number_value(s, n, &x) != 0) {
        token tk = make(lx, TK_ERROR, n);
        lx->errmsg = "number too long";
        return tk;
    }
    if (isinf(x)) {
        /* beyond the largest double: strtod gives infinity, which would
           only surface later as a run-time failure */
        token tk = make(lx, TK_ERROR, n);
        lx->errmsg = "number out of range";
        return tk;
    }
    token tk = make(lx, TK_NUM, n);
    tk.num = x;
    return tk;
}

token lex_next(lexer *lx)
{
    const lex_rules *ru = lx->rules;
    if (ru->skip) {
        if (ru->skip(lx) != 0)
            return make(lx, TK_ERROR, 0);
    } else {
        while (*lx->p && isspace((unsigned char)*lx->p))
            advance(lx, 1);
    }
    const char c = *lx->p;
    if (c == '\0')
        return make(lx, TK_EOF, 0);
    if (isdigit((unsigned char)c) || (c == '.' && isdigit((unsigned char)lx->p[1])))
        return lex_number(lx);
    if (ru->name_starts(lx->p))
        return ru->name(lx);
    const char d = lx->p[1];
    const int c_ops = (ru->ops & LEX_OPS_C) != 0;
    switch (c) {
    case '(': return make(lx, TK_LPAREN, 1);
    case ')': return make(lx, TK_RPAREN, 1);
    case ',': return make(lx, TK_COMMA, 1);
    case '+': return make(lx, TK_PLUS, 1);
    case '-': return make(lx, TK_MINUS, 1);
    case '*': return make(lx, TK_STAR, 1);
    case '/': return make(lx, TK_SLASH, 1);
    case '^': return make(lx, TK_CARET, 1);
    case '=': return make(lx, TK_EQ, c_ops && d == '=' ? 2 : 1);
    case '!':
        if (!c_ops)
            break;
        if (d == '=')
            return make(lx, TK_NE, 2);
        return make(lx, TK_NOT, 1);
    case '<':
        if (d == '=')
            return make(lx, TK_LE, 2);
        if (d == '>')
            return make(lx, TK_NE, 2);
        return make(lx, TK_LT, 1);
    case '>':
        if (d == '=')
            return make(lx, TK_GE, 2);
        return make(lx, TK_GT, 1);
    case '&':
        if (c_ops && d == '&')
            return make(lx, TK_AND, 2);
        break;
    case '|':
        if (c_ops && d == '|')
            return make(lx, TK_OR, 2);
        break;
    case '[':
        if (ru->ops & LEX_OPS_BRACKETS)
            return make(lx, TK_LBRACKET, 1);
        break;
    case ']':
        if (ru->ops & LEX_OPS_BRACKETS)
            return make(lx, TK_RBRACKET, 1);
        break;
    case '@':
        if (ru->ops & LEX_OPS_XARRAYS)
            return make(lx, TK_AT, 1);
        break;
    case ':':
        if (ru->ops & LEX_OPS_XARRAYS)
            return make(lx, TK_COLON, 1);
        break;
    case '\'':
        if (ru->ops & LEX_OPS_XARRAYS)
            return make(lx, TK_APOS, 1);
        break;
    default:
        break;
    }
    token tk = make(lx, TK_ERROR, lex_char_len(lx->p));
    lx->errmsg = "unexpected character";
    return tk;
}

const char *lex_type_name(tok_type t)
{
    switch (t) {
    case TK_EOF: return "end of equation";
    case TK_NUM: return "number";
    case TK_NAME: return "name";
    case TK_LPAREN: return "'('";
    case TK_RPAREN: return "')'";
    case TK_COMMA: return "','";
    case TK_PLUS: return "'+'";
    case TK_MINUS: return "'-'";
    case TK_STAR: return "'*'";
    case TK_SLASH: return "'/'";
    case TK_CARET: return "'^'";
    case TK_EQ: return "'='";
    case TK_NE: return "'<>'";
    case TK_LT: return "'<'";
    case TK_LE: return "'<='";
    case TK_GT: return "'>'";
    case TK_GE: return "'>='";
    case TK_AND: return "'and'";
    case TK_OR: return "'or'";
    case TK_NOT: return "'not'";
    case TK_ERROR: return "invalid token";
    case TK_LBRACKET: return "'['";
    case TK_RBRACKET: return "']'";
    case TK_MOD: return "'mod'";
    case TK_IF: return "'if'";
    case TK_THEN: return "'then'";
    case TK_ELSE: return "'else'";
    case TK_AT: return "'@'";
    case TK_COLON: return "':'";
    case TK_APOS: return "\"'\"";
    case TK_COUNT: break;
    }
    return "token";
}
