/*
** parser.c - recursive-descent parser for equations (grammar in parser.h).
*/
#include "parser.h"

#include "error_int.h"
#include "lexer.h"

#include <stdlib.h>

typedef struct parser {
    lexer lx;
    token cur;
    const char *file;
    migdev_error *err;
    int failed;
    int depth;
} parser;

enum { MAX_DEPTH = 200 }; /* nesting limit: keeps the C stack bounded */

/* Height limit of a tree. A long chain such as 1+1+...+1 is parsed by a
** loop but makes a deep tree, which the compiler walks recursively. */
enum { MAX_HEIGHT = 10000 };

static int too_tall(parser *ps, const node *n)
{
    if (n->height <= MAX_HEIGHT)
        return 0;
    if (!ps->failed) {
        ps->failed = 1;
        err_set(ps->err, MIGDEV_E_SYNTAX, ps->file, n->line, n->col,
                "expression too long: over %d nested operations (split it into auxiliaries)",
                MAX_HEIGHT);
    }
    return 1;
}

static void next(parser *ps)
{
    ps->cur = lex_next(&ps->lx);
}

static node *fail_at(parser *ps, const token *tk, const char *what)
{
    if (!ps->failed) {
        ps->failed = 1;
        if (tk->type == TK_ERROR)
            err_set(ps->err, MIGDEV_E_SYNTAX, ps->file, tk->line, tk->col, "%s '%.*s'",
                    ps->lx.errmsg ? ps->lx.errmsg : "invalid token", (int)tk->len, tk->start);
        else if (tk->type == TK_EOF)
            err_set(ps->err, MIGDEV_E_SYNTAX, ps->file, tk->line, tk->col,
                    "%s, found the end of the equation", what);
        else
            err_set(ps->err, MIGDEV_E_SYNTAX, ps->file, tk->line, tk->col, "%s, found '%.*s'",
                    what, (int)tk->len, tk->start);
    }
    return NULL;
}

static node *oom(parser *ps)
{
    if (!ps->failed) {
        ps->failed = 1;
        err_set(ps->err, MIGDEV_E_NOMEM, ps->file, ps->cur.line, ps->cur.col, "out of memory");
    }
    return NULL;
}

static node *parse_expr(parser *ps);
static node *parse_unary(parser *ps);

static node *binary(parser *ps, int op, const token *at, node *l, node *r)
{
    if (!l || !r) {
        node_free(l);
        node_free(r);
        return NULL;
    }
    node *n = node_new(N_BINARY, at->line, at->col, NULL, 0);
    if (!n) {
        node_free(l);
        node_free(r);
        return oom(ps);
    }
    n->op = op;
    n->args = malloc(2 * sizeof *n->args);
    if (!n->args) {
        node_free(l);
        node_free(r);
        free(n);
        return oom(ps);
    }
    n->nargs = 2;
    n->args[0] = l;
    n->args[1] = r;
    n->height = 1 + (l->height > r->height ? l->height : r->height);
    /* a binary node is reported at its left operand */
    n->line = l->line;
    n->col = l->col;
    if (too_tall(ps, n)) {
        node_free(n);
        return NULL;
    }
    return n;
}

static node *unary(parser *ps, int op, const token *at, node *a)
{
    if (!a)
        return NULL;
    node *n = node_new(N_UNARY, at->line, at->col, NULL, 0);
    if (!n) {
        node_free(a);
        return oom(ps);
    }
    n->op = op;
    if (node_push(n, a) != 0) {
        free(n);
        return oom(ps);
    }
    return n;
}

/* primary = number | name | name '(' [ expr { ',' expr } ] ')' | '(' expr ')' */
static node *parse_primary(parser *ps)
{
    token tk = ps->cur;
    switch (tk.type) {
    case TK_NUM: {
        next(ps);
        node *n = node_new(N_NUM, tk.line, tk.col, NULL, 0);
        if (!n)
            return oom(ps);
        n->num = tk.num;
        return n;
    }
    case TK_NAME: {
        next(ps);
        if (ps->cur.type != TK_LPAREN) {
            node *n = node_new(N_REF, tk.line, tk.col, tk.start, tk.len);
            return n ? n : oom(ps);
        }
        node *n = node_new(N_CALL, tk.line, tk.col, tk.start, tk.len);
        if (!n)
            return oom(ps);
        next(ps); /* '(' */
        if (ps->cur.type != TK_RPAREN) {
            for (;;) {
                node *a = parse_expr(ps);
                if (!a) {
                    node_free(n);
                    return NULL;
                }
                if (node_push(n, a) != 0) {
                    node_free(n);
                    return oom(ps);
                }
                if (ps->cur.type == TK_COMMA) {
                    next(ps);
                    continue;
                }
                break;
            }
        }
        if (ps->cur.type != TK_RPAREN) {
            node_free(n);
            return fail_at(ps, &ps->cur, "expected ',' or ')' in the argument list");
        }
        next(ps);
        return n;
    }
    case TK_LPAREN: {
        next(ps);
        node *n = parse_expr(ps);
        if (!n)
            return NULL;
        if (ps->cur.type != TK_RPAREN) {
            node_free(n);
            return fail_at(ps, &ps->cur, "expected ')'");
        }
        next(ps);
        return n;
    }
    default:
        return fail_at(ps, &tk, "expected a number, a name or '('");
    }
}

/* power = primary [ '^' unary ] */
static node *parse_power(parser *ps)
{
    node *base = parse_primary(ps);
    if (!base || ps->cur.type != TK_CARET)
        return base;
    token op = ps->cur;
    next(ps);
    return binary(ps, TK_CARET, &op, base, parse_unary(ps));
}

/* unary = ('-'|'+') unary | power */
static node *parse_unary(parser *ps)
{
    if (++ps->depth > MAX_DEPTH) {
        return fail_at(ps, &ps->cur, "expression nested too deeply");
    }
    node *r;
    if (ps->cur.type == TK_MINUS || ps->cur.type == TK_PLUS) {
        token op = ps->cur;
        next(ps);
        r = unary(ps, op.type, &op, parse_unary(ps));
    } else {
        r = parse_power(ps);
    }
    ps->depth--;
    return r;
}

/* term = unary { ('*'|'/') unary } */
static node *parse_term(parser *ps)
{
    node *l = parse_unary(ps);
    while (l && (ps->cur.type == TK_STAR || ps->cur.type == TK_SLASH)) {
        token op = ps->cur;
        next(ps);
        l = binary(ps, op.type, &op, l, parse_unary(ps));
    }
    return l;
}

/* sum = term { ('+'|'-') term } */
static node *parse_sum(parser *ps)
{
    node *l = parse_term(ps);
    while (l && (ps->cur.type == TK_PLUS || ps->cur.type == TK_MINUS)) {
        token op = ps->cur;
        next(ps);
        l = binary(ps, op.type, &op, l, parse_term(ps));
    }
    return l;
}

static int is_compare(tok_type t)
{
    return t == TK_EQ || t == TK_NE || t == TK_LT || t == TK_LE || t == TK_GT || t == TK_GE;
}

/* compare = sum { cmpop sum } */
static node *parse_compare(parser *ps)
{
    node *l = parse_sum(ps);
    while (l && is_compare(ps->cur.type)) {
        token op = ps->cur;
        next(ps);
        l = binary(ps, op.type, &op, l, parse_sum(ps));
    }
    return l;
}

/* not = 'not' not | compare */
static node *parse_not(parser *ps)
{
    if (ps->cur.type != TK_NOT)
        return parse_compare(ps);
    if (++ps->depth > MAX_DEPTH)
        return fail_at(ps, &ps->cur, "expression nested too deeply");
    token op = ps->cur;
    next(ps);
    node *r = unary(ps, TK_NOT, &op, parse_not(ps));
    ps->depth--;
    return r;
}

/* and = not { 'and' not } */
static node *parse_and(parser *ps)
{
    node *l = parse_not(ps);
    while (l && ps->cur.type == TK_AND) {
        token op = ps->cur;
        next(ps);
        l = binary(ps, TK_AND, &op, l, parse_not(ps));
    }
    return l;
}

/* or = and { 'or' and } */
static node *parse_expr(parser *ps)
{
    if (++ps->depth > MAX_DEPTH)
        return fail_at(ps, &ps->cur, "expression nested too deeply");
    node *l = parse_and(ps);
    while (l && ps->cur.type == TK_OR) {
        token op = ps->cur;
        next(ps);
        l = binary(ps, TK_OR, &op, l, parse_and(ps));
    }
    ps->depth--;
    return l;
}

node *parse_equation(const char *text, const char *file, int line, int col, migdev_error *err)
{
    parser ps;
    lex_init(&ps.lx, text ? text : "", line, col);
    ps.file = file;
    ps.err = err;
    ps.failed = 0;
    ps.depth = 0;
    next(&ps);
    if (ps.cur.type == TK_EOF) {
        err_set(err, MIGDEV_E_SYNTAX, file, line, col, "empty equation");
        return NULL;
    }
    node *n = parse_expr(&ps);
    if (!n)
        return NULL;
    if (ps.cur.type != TK_EOF) {
        node_free(n);
        return fail_at(&ps, &ps.cur, "expected an operator or the end of the equation");
    }
    return n;
}
