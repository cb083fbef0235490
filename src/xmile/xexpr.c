/*
** xexpr.c - XMILE equations (grammar in xexpr.h): the dialect's name rules
** (quoted and qualified names, keywords), comments and operator table for
** the one lexer (lexer.c) and the one expression parser (expr.c).
*/
#include "xexpr.h"

#include "error_int.h"
#include "expr.h"
#include "lexer.h"
#include "xname.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int is_start(int c) { return isalpha(c) || c == '_' || c >= 0x80; }
static int is_cont(int c) { return isalnum(c) || c == '_' || c == '$' || c >= 0x80; }

/* Skip blanks, {comments} and backslash line continuations. */
static int skip_space(lexer *lx)
{
    for (;;) {
        const char c = *lx->p;
        if (c && isspace((unsigned char)c)) {
            lex_skip(lx, 1);
        } else if (c == '{') {
            const int line = lx->line, col = lx->col;
            while (*lx->p && *lx->p != '}')
                lex_skip(lx, 1);
            if (!*lx->p)
                return lex_fail(lx, MIGDEV_E_SYNTAX, line, col, "comment '{' is never closed");
            lex_skip(lx, 1);
        } else if (c == '\\') {
            const char *q = lx->p + 1;
            while (*q == ' ' || *q == '\t' || *q == '\r')
                q++;
            if (*q != '\n')
                return 0; /* not a continuation: the lexer reports it */
            lex_skip(lx, (size_t)(q - lx->p) + 1);
        } else {
            return 0;
        }
    }
}

static int quote_len(size_t n) { return (int)(n > 60 ? 60 : n); }

/* One part of a name at lx->p: appends it (decoded) to buf. */
static int xlex_part(lexer *lx, char **buf, size_t *len)
{
    const char *s = lx->p;
    const char *body;
    size_t n;
    int quoted = 0;
    if (*s == '"') {
        const char *q = s + 1;
        while (*q && *q != '"') {
            if (*q == '\\' && q[1])
                q++;
            q++;
        }
        if (*q != '"')
            return lex_fail(lx, MIGDEV_E_SYNTAX, lx->line, lx->col,
                            "quoted name %.*s is never closed", quote_len(strcspn(s, "\n")), s);
        body = s + 1;
        n = (size_t)(q - body);
        quoted = 1;
    } else {
        const char *q = s;
        while (is_cont((unsigned char)*q))
            q++;
        body = s;
        n = (size_t)(q - s);
    }
    long bad = 0;
    char *part = quoted ? xname_unescape(body, n, 1, &bad) : NULL;
    if (quoted && !part) {
        if (bad < 0)
            return lex_fail(lx, MIGDEV_E_NOMEM, lx->line, lx->col, "out of memory");
        return lex_fail(lx, MIGDEV_E_SYNTAX, lx->line, lx->col + 1 + (int)bad,
                        "invalid escape '%.*s' in a quoted name (only \\\" \\n \\\\)", 2,
                        body + bad);
    }
    const char *src = quoted ? part : body;
    const size_t sn = quoted ? strlen(part) : n;
    char *nb = realloc(*buf, *len + sn + 2);
    if (!nb) {
        free(part);
        return lex_fail(lx, MIGDEV_E_NOMEM, lx->line, lx->col, "out of memory");
    }
    *buf = nb;
    memcpy(nb + *len, src, sn);
    *len += sn;
    nb[*len] = '\0';
    free(part);
    lex_skip(lx, quoted ? n + 2 : n);
    return 0;
}

static int part_follows(const char *p)
{
    return *p == '"' || is_start((unsigned char)*p);
}

static int xname_starts(const char *p)
{
    return is_start((unsigned char)*p) || *p == '"' || (*p == '.' && part_follows(p + 1));
}

static token xlex_name(lexer *lx)
{
    token tk = lex_make(lx, TK_NAME, 0);
    char *buf = NULL;
    size_t len = 0;
    if (*lx->p == '.') { /* ".name": a name in the enclosing model */
        lex_skip(lx, 1);
        buf = malloc(2);
        if (buf) {
            buf[0] = XN_SEP;
            buf[1] = '\0';
            len = 1;
        }
    }
    for (;;) {
        if (xlex_part(lx, &buf, &len) != 0) {
            free(buf);
            tk.type = TK_ERROR;
            return tk;
        }
        if (*lx->p == '.' && part_follows(lx->p + 1)) {
            char *nb = realloc(buf, len + 2);
            if (!nb) {
                free(buf);
                lex_fail(lx, MIGDEV_E_NOMEM, lx->line, lx->col, "out of memory");
                tk.type = TK_ERROR;
                return tk;
            }
            buf = nb;
            buf[len++] = XN_SEP;
            buf[len] = '\0';
            lex_skip(lx, 1);
            continue;
        }
        break;
    }
    tk.len = (size_t)(lx->p - tk.start);
    tk.name = buf;
    /* keywords are bare single words */
    if (tk.start[0] != '"' && tk.start[0] != '.' && !strchr(buf, XN_SEP)) {
        static const struct { const char *w; tok_type t; } kw[] = {
            {"and", TK_AND}, {"or", TK_OR}, {"not", TK_NOT}, {"if", TK_IF},
            {"then", TK_THEN}, {"else", TK_ELSE}, {"mod", TK_MOD}};
        for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
            if (strcasecmp(buf, kw[i].w) == 0) {
                free(buf);
                tk.name = NULL;
                tk.type = kw[i].t;
                break;
            }
    }
    return tk;
}

static int xglued(int c) { return is_cont(c); }

const lex_rules xexpr_lex_rules = {skip_space, xname_starts, xlex_name, xglued,
                                   LEX_OPS_BRACKETS | LEX_OPS_XARRAYS, 60};
#define xmile_rules xexpr_lex_rules

/* Priorities (higher binds tighter), as the grammar in xexpr.h. */
enum { P_OR = 1, P_AND = 2, P_EQUAL = 3, P_REL = 4, P_SUM = 5, P_TERM = 6, P_UNARY = 7, P_POW = 9 };

static const expr_dialect xmile = {
    .lex = &xmile_rules,
    .left = {[TK_OR] = P_OR, [TK_AND] = P_AND, [TK_EQ] = P_EQUAL, [TK_NE] = P_EQUAL,
             [TK_LT] = P_REL, [TK_LE] = P_REL, [TK_GT] = P_REL, [TK_GE] = P_REL,
             [TK_PLUS] = P_SUM, [TK_MINUS] = P_SUM,
             [TK_STAR] = P_TERM, [TK_SLASH] = P_TERM, [TK_MOD] = P_TERM,
             [TK_CARET] = P_POW},
    .right = {[TK_OR] = P_OR, [TK_AND] = P_AND, [TK_EQ] = P_EQUAL, [TK_NE] = P_EQUAL,
              [TK_LT] = P_REL, [TK_LE] = P_REL, [TK_GT] = P_REL, [TK_GE] = P_REL,
              [TK_PLUS] = P_SUM, [TK_MINUS] = P_SUM,
              [TK_STAR] = P_TERM, [TK_SLASH] = P_TERM, [TK_MOD] = P_TERM,
              [TK_CARET] = P_UNARY},
    .unary = {[TK_NOT] = P_UNARY, [TK_MINUS] = P_UNARY, [TK_PLUS] = P_UNARY},
    /* "x NOT": xmutil (2015) wrote Vensim's :NOT: x so; it negates the
       comparison before it, as :NOT: does (a AND b NOT = a AND NOT b) */
    .postfix = {[TK_NOT] = P_EQUAL},
    .as_call = {[TK_MOD] = "MOD"},
    .prefix_call = {[TK_MOD] = "MOD"},
    .if_then_else = 1,
    .brackets_refused = 1,
    .quote_max = 40,
};

node *xexpr_parse(const char *text, const char *file, int line, int col, int *empty,
                  migdev_error *err)
{
    return expr_parse(&xmile, text, file, line, col, empty, err);
}

/* Report what stands where a name was expected (the parser's wording). */
static void not_a_name(lexer *lx, const token *t, const char *what, const char *file,
                       migdev_error *err)
{
    if (lx->err_full)
        err_set(err, lx->err_code, file, lx->err_line, lx->err_col, "%s", lx->errbuf);
    else if (t->type == TK_ERROR)
        err_set(err, MIGDEV_E_SYNTAX, file, t->line, t->col, "%s '%.*s'",
                lx->errmsg ? lx->errmsg : "invalid token", quote_len(t->len), t->start);
    else if (t->type == TK_EOF)
        err_set(err, MIGDEV_E_SYNTAX, file, t->line, t->col, "%s, found the end of the equation",
                what);
    else if (t->type == TK_LBRACKET)
        err_set(err, MIGDEV_E_UNSUPPORTED, file, t->line, t->col,
                "arrays are not supported: subscript '[' in an equation");
    else
        err_set(err, MIGDEV_E_SYNTAX, file, t->line, t->col, "%s, found '%.*s'", what,
                (int)(t->len > 40 ? 40 : t->len), t->start);
}

/* The whole of text, blanks around it trimmed, as one quoted name: how a
** tag that holds a name (<inflow>, <to>) is read when its text is no single
** identifier. Stella writes such tags unquoted even for names with '/', '*'
** or '(' in them ("Flow_w/_division"), where an equation must quote them; a
** tag holds nothing but a name, so its whole text is that name. NULL when
** it cannot be one (empty, or a '"' or a backslash in it). */
static char *raw_name(const char *text, int line, int col)
{
    while (*text == ' ' || *text == '\t' || *text == '\n' || *text == '\r')
        text++;
    size_t n = strlen(text);
    while (n && (text[n - 1] == ' ' || text[n - 1] == '\t' || text[n - 1] == '\n' ||
                 text[n - 1] == '\r'))
        n--;
    if (!n || memchr(text, '"', n) || memchr(text, '\\', n))
        return NULL;
    char *q = malloc(n + 3);
    if (!q)
        return NULL;
    q[0] = '"';
    memcpy(q + 1, text, n);
    q[n + 1] = '"';
    q[n + 2] = '\0';
    lexer lx;
    lex_init_rules(&lx, &xmile_rules, q, line, col);
    token t = lex_next(&lx);
    char *name = t.type == TK_NAME ? t.name : NULL;
    if (!name)
        free(t.name);
    else {
        t = lex_next(&lx);
        if (t.type != TK_EOF) {
            free(name);
            name = NULL;
        }
        free(t.name);
    }
    free(q);
    return name;
}

char *xexpr_parse_name(const char *text, const char *file, int line, int col,
                       migdev_error *err)
{
    lexer lx;
    lex_init_rules(&lx, &xmile_rules, text ? text : "", line, col);
    token t = lex_next(&lx);
    char *name = NULL;
    if (t.type == TK_NAME) {
        name = t.name;
        t = lex_next(&lx);
        if (t.type != TK_EOF) {
            free(name);
            name = raw_name(text, line, col);
            if (!name)
                not_a_name(&lx, &t, "expected a single name", file, err);
        }
    } else {
        name = t.type == TK_EOF ? NULL : raw_name(text, line, col);
        if (!name)
            not_a_name(&lx, &t, "expected a name", file, err);
    }
    free(t.name);
    return name;
}
