/*
** vexpr.c - Vensim equations on the one lexer and parser (see vexpr.h).
*/
#include "vexpr.h"

#include "error_int.h"
#include "expr.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int is_start(int c) { return isalpha(c) || c == '_' || c >= 0x80; }
static int is_cont(int c)
{
    return isalnum(c) || c == '_' || c == '$' || c == '\'' || c == '&' || c == '%' || c >= 0x80;
}

/* A backslash, blanks and a newline: a continued line. Its length, or 0. */
static size_t continuation(const char *p)
{
    if (*p != '\\')
        return 0;
    const char *q = p + 1;
    while (*q == ' ' || *q == '\t' || *q == '\r')
        q++;
    return *q == '\n' ? (size_t)(q - p) + 1 : 0;
}

/* Skip blanks, {comments} and continued lines. */
static int skip_space(lexer *lx)
{
    for (;;) {
        const char c = *lx->p;
        size_t n;
        if (c && isspace((unsigned char)c)) {
            lex_skip(lx, 1);
        } else if ((n = continuation(lx->p)) > 0) {
            lex_skip(lx, n);
        } else if (c == '{') {
            const int line = lx->line, col = lx->col;
            while (*lx->p && *lx->p != '}')
                lex_skip(lx, 1);
            if (!*lx->p)
                return lex_fail(lx, MIGDEV_E_SYNTAX, line, col, "comment '{' is never closed");
            lex_skip(lx, 1);
        } else {
            return 0;
        }
    }
}

static const struct { const char *w; tok_type t; } colon_words[] = {
    {":AND:", TK_AND}, {":OR:", TK_OR}, {":NOT:", TK_NOT}, {":NA:", TK_NUM}};

static size_t colon_word(const char *p, tok_type *t)
{
    for (size_t i = 0; i < sizeof colon_words / sizeof colon_words[0]; i++) {
        const size_t n = strlen(colon_words[i].w);
        if (lex_word_is(p, n, colon_words[i].w)) {
            *t = colon_words[i].t;
            return n;
        }
    }
    return 0;
}

static int vname_starts(const char *p)
{
    tok_type t;
    return is_start((unsigned char)*p) || *p == '"' || (*p == ':' && colon_word(p, &t) > 0);
}

/* Blanks (and continued lines, or plain line breaks: Vensim's editor wraps
** long names, and two names side by side are no expression) at p followed
** by a name character: their length, or 0. */
static size_t inner_blanks(const char *p)
{
    const char *q = p;
    for (;;) {
        size_t n;
        if (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
            q++;
        else if ((n = continuation(q)) > 0)
            q += n;
        else
            break;
    }
    return q > p && is_cont((unsigned char)*q) ? (size_t)(q - p) : 0;
}

/* A GET function that reads a file (GET XLS ..., GET DIRECT ..., GET VDF
** ..., GET 123 ...), spaces or underscores between its words. */
static int is_file_get(const char *name)
{
    static const char *const kin[] = {"xls", "direct", "vdf", "123"};
    if (strncasecmp(name, "get", 3) != 0 || (name[3] != ' ' && name[3] != '_'))
        return 0;
    for (size_t i = 0; i < sizeof kin / sizeof kin[0]; i++) {
        const size_t n = strlen(kin[i]);
        if (strncasecmp(name + 4, kin[i], n) == 0 && (name[4 + n] == ' ' || name[4 + n] == '_'))
            return 1;
    }
    return 0;
}

static token vlex_name(lexer *lx)
{
    tok_type ct;
    const size_t cn = *lx->p == ':' ? colon_word(lx->p, &ct) : 0;
    if (cn > 0) {
        token tk = lex_make(lx, ct, cn);
        if (ct == TK_NUM)
            tk.num = VENSIM_NA;
        return tk;
    }
    token tk = lex_make(lx, TK_NAME, 0);
    const char *s = lx->p;
    size_t cap = 16, len = 0;
    char *buf = malloc(cap);
    if (!buf) {
        lex_fail(lx, MIGDEV_E_NOMEM, tk.line, tk.col, "out of memory");
        tk.type = TK_ERROR;
        return tk;
    }
    if (*s == '"') {
        const char *q = s + 1;
        while (*q && *q != '"' && *q != '\n')
            q += *q == '\\' && q[1] == '"' ? 2 : 1;
        if (*q != '"') {
            free(buf);
            lex_fail(lx, MIGDEV_E_SYNTAX, tk.line, tk.col, "quoted name %.*s is never closed",
                     (int)((size_t)(q - s) > 60 ? 60 : (size_t)(q - s)), s);
            tk.type = TK_ERROR;
            return tk;
        }
        const size_t n = (size_t)(q - s - 1);
        char *nb = realloc(buf, n + 1);
        if (!nb) {
            free(buf);
            lex_fail(lx, MIGDEV_E_NOMEM, tk.line, tk.col, "out of memory");
            tk.type = TK_ERROR;
            return tk;
        }
        buf = nb;
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            if (s[1 + i] == '\\' && i + 1 < n && s[2 + i] == '"')
                i++; /* \" stands for " */
            buf[k++] = s[1 + i];
        }
        buf[k] = '\0';
        lex_skip(lx, n + 2);
    } else {
        for (;;) {
            while (is_cont((unsigned char)*lx->p)) {
                if (len + 2 >= cap) {
                    char *nb = realloc(buf, cap *= 2);
                    if (!nb) {
                        free(buf);
                        lex_fail(lx, MIGDEV_E_NOMEM, tk.line, tk.col, "out of memory");
                        tk.type = TK_ERROR;
                        return tk;
                    }
                    buf = nb;
                }
                buf[len++] = *lx->p;
                lex_skip(lx, 1);
            }
            const size_t b = inner_blanks(lx->p);
            if (b == 0)
                break;
            lex_skip(lx, b);
            buf[len++] = ' ';
        }
        buf[len] = '\0';
    }
    /* "dim!": a dimension summed over (its '!' kept in the name) */
    const char *q = lx->p;
    for (;;) {
        const size_t n = *q == ' ' || *q == '\t' ? 1 : continuation(q);
        if (n == 0)
            break;
        q += n;
    }
    if (*q == '!') {
        lex_skip(lx, (size_t)(q - lx->p) + 1);
        char *nb = realloc(buf, strlen(buf) + 2);
        if (!nb) {
            free(buf);
            lex_fail(lx, MIGDEV_E_NOMEM, tk.line, tk.col, "out of memory");
            tk.type = TK_ERROR;
            return tk;
        }
        buf = nb;
        strcat(buf, "!");
    }
    tk.len = (size_t)(lx->p - tk.start);
    tk.name = buf;
    if (is_file_get(buf)) {
        /* GET XLS DATA('file.xlsx', ...) inside an expression: named here,
           before its quoted arguments stop the lexer (vmdl.c reads it as a
           whole equation) */
        lex_fail(lx, MIGDEV_E_UNSUPPORTED, tk.line, tk.col,
                 "%s is supported as a whole equation only (x = %s(...))", buf, buf);
        tk.type = TK_ERROR;
    }
    return tk;
}

static int vglued(int c) { return is_start(c) || isdigit(c); }

const lex_rules vexpr_rules = {skip_space, vname_starts, vlex_name, vglued, LEX_OPS_BRACKETS, 60};

/* Priorities (higher binds tighter): :OR:, :AND:, :NOT: (prefix, below the
** comparisons: ":NOT: a = b" is not(a = b)), equality, relations, sums,
** terms, prefix - +, '^' (right-associative, its right operand may carry a
** sign). -2^2 is -4, as Vensim and PySD compute it. */
enum { P_OR = 1, P_AND = 2, P_NOT = 3, P_EQUAL = 4, P_REL = 5, P_SUM = 6, P_TERM = 7,
       P_PREFIX = 8, P_POW = 10 };

static const expr_dialect vensim = {
    .lex = &vexpr_rules,
    .left = {[TK_OR] = P_OR, [TK_AND] = P_AND, [TK_EQ] = P_EQUAL, [TK_NE] = P_EQUAL,
             [TK_LT] = P_REL, [TK_LE] = P_REL, [TK_GT] = P_REL, [TK_GE] = P_REL,
             [TK_PLUS] = P_SUM, [TK_MINUS] = P_SUM, [TK_STAR] = P_TERM, [TK_SLASH] = P_TERM,
             [TK_CARET] = P_POW},
    .right = {[TK_OR] = P_OR, [TK_AND] = P_AND, [TK_EQ] = P_EQUAL, [TK_NE] = P_EQUAL,
              [TK_LT] = P_REL, [TK_LE] = P_REL, [TK_GT] = P_REL, [TK_GE] = P_REL,
              [TK_PLUS] = P_SUM, [TK_MINUS] = P_SUM, [TK_STAR] = P_TERM, [TK_SLASH] = P_TERM,
              [TK_CARET] = P_PREFIX},
    .unary = {[TK_NOT] = P_NOT, [TK_MINUS] = P_PREFIX, [TK_PLUS] = P_PREFIX},
    .subscripts = 1,
    .quote_max = 40,
};

node *vexpr_parse(const char *text, const char *file, int line, int col, migdev_error *err)
{
    return expr_parse(&vensim, text, file, line, col, NULL, err);
}
