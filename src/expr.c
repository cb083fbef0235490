/*
** expr.c - the one expression parser (see expr.h): precedence climbing over
** a dialect's operator table.
*/
#include "expr.h"

#include "error_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct parser {
    const expr_dialect *d;
    lexer lx;
    token cur;
    const char *file;
    migdev_error *err;
    int failed;
    int depth;
} parser;

static void next(parser *ps)
{
    free(ps->cur.name);
    ps->cur = lex_next(&ps->lx);
}

static int quoted_len(size_t len, int max)
{
    return (int)(len > (size_t)max ? (size_t)max : len);
}

/* Report what was found instead of `what` (the first error wins). */
static node *fail_at(parser *ps, const token *tk, const char *what)
{
    if (ps->failed)
        return NULL;
    ps->failed = 1;
    if (ps->lx.err_full) {
        /* the dialect's lexer wrote the whole message */
        err_set(ps->err, ps->lx.err_code ? ps->lx.err_code : MIGDEV_E_SYNTAX, ps->file,
                ps->lx.err_line, ps->lx.err_col, "%s", ps->lx.errbuf);
    } else if (tk->type == TK_ERROR) {
        err_set(ps->err, MIGDEV_E_SYNTAX, ps->file, tk->line, tk->col, "%s '%.*s'",
                ps->lx.errmsg ? ps->lx.errmsg : "invalid token",
                quoted_len(tk->len, ps->lx.rules->quote_max), tk->start);
    } else if (tk->type == TK_EOF) {
        err_set(ps->err, MIGDEV_E_SYNTAX, ps->file, tk->line, tk->col,
                "%s, found the end of the equation", what);
    } else if (tk->type == TK_LBRACKET && ps->d->brackets_refused) {
        err_set(ps->err, MIGDEV_E_UNSUPPORTED, ps->file, tk->line, tk->col,
                "arrays are not supported: subscript '[' in an equation");
    } else {
        err_set(ps->err, MIGDEV_E_SYNTAX, ps->file, tk->line, tk->col, "%s, found '%.*s'", what,
                quoted_len(tk->len, ps->d->quote_max), tk->start);
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

/* Refuse a tree taller than EXPR_MAX_HEIGHT (a long chain 1+1+...+1 is
** parsed by a loop but makes a deep tree, which later passes walk
** recursively). Takes n. */
static node *checked(parser *ps, node *n)
{
    if (n->height <= EXPR_MAX_HEIGHT)
        return n;
    if (!ps->failed) {
        ps->failed = 1;
        err_set(ps->err, MIGDEV_E_SYNTAX, ps->file, n->line, n->col,
                "expression too long: over %d nested operations (split it into auxiliaries)",
                EXPR_MAX_HEIGHT);
    }
    node_free(n);
    return NULL;
}

/* A node of kind k (N_UNARY, N_BINARY, or N_CALL named name) with children
** a and b (b may be NULL), at line:col. Takes a and b, even on failure. */
static node *mk(parser *ps, node_kind k, int op, const char *name, int line, int col, node *a,
                node *b, int two)
{
    if (!a || (two && !b)) {
        node_free(a);
        node_free(b);
        return NULL;
    }
    node *n = node_new(k, line, col, name, name ? strlen(name) : 0);
    if (!n) {
        node_free(a);
        node_free(b);
        return oom(ps);
    }
    n->op = op;
    if (node_push(n, a) != 0) { /* node_push freed a */
        node_free(b);
        node_free(n);
        return oom(ps);
    }
    if (b && node_push(n, b) != 0) {
        node_free(n);
        return oom(ps);
    }
    return checked(ps, n);
}

static node *subexpr(parser *ps, int limit);

/* '(' [ expr { ',' expr } ] ')' after the name of call n (takes n) */
static node *call_args(parser *ps, node *n)
{
    if (!n)
        return oom(ps);
    next(ps); /* '(' */
    if (ps->cur.type != TK_RPAREN) {
        for (;;) {
            node *a = subexpr(ps, 0);
            if (!a) {
                node_free(n);
                return NULL;
            }
            if (node_push(n, a) != 0) {
                node_free(n);
                return oom(ps);
            }
            if (ps->cur.type != TK_COMMA)
                break;
            next(ps);
        }
    }
    if (ps->cur.type != TK_RPAREN) {
        node_free(n);
        return fail_at(ps, &ps->cur, "expected ',' or ')' in the argument list");
    }
    next(ps);
    return n;
}

/* IF c THEN a ELSE b, after IF */
static node *if_then_else(parser *ps, const token *at)
{
    node *n = node_new(N_CALL, at->line, at->col, "IF_THEN_ELSE", strlen("IF_THEN_ELSE"));
    if (!n)
        return oom(ps);
    static const struct { tok_type t; const char *what; } part[] = {
        {TK_EOF, NULL},
        {TK_THEN, "expected THEN after the condition of IF"},
        {TK_ELSE, "expected ELSE (IF ... THEN ... ELSE ...)"}};
    for (int k = 0; k < 3; k++) {
        if (part[k].what) {
            if (ps->cur.type != part[k].t) {
                node_free(n);
                return fail_at(ps, &ps->cur, part[k].what);
            }
            next(ps);
        }
        node *a = subexpr(ps, 0);
        if (!a) {
            node_free(n);
            return NULL;
        }
        if (node_push(n, a) != 0) {
            node_free(n);
            return oom(ps);
        }
    }
    return n;
}

/* name '[' sub { ',' sub } ']': appends "[sub,sub]" to *name (owned). */
static int subscripts(parser *ps, char **name)
{
    size_t len = strlen(*name);
    next(ps); /* '[' */
    for (int k = 0;; k++) {
        if (ps->cur.type != TK_NAME && ps->cur.type != TK_NUM) {
            fail_at(ps, &ps->cur, "expected a subscript");
            return -1;
        }
        const char *s = ps->cur.name ? ps->cur.name : ps->cur.start;
        const size_t n = ps->cur.name ? strlen(ps->cur.name) : ps->cur.len;
        char *nb = realloc(*name, len + n + 3);
        if (!nb) {
            oom(ps);
            return -1;
        }
        *name = nb;
        nb[len++] = k ? ',' : '[';
        memcpy(nb + len, s, n);
        len += n;
        nb[len] = '\0';
        next(ps);
        if (ps->cur.type == TK_COMMA) {
            next(ps);
            continue;
        }
        if (ps->cur.type != TK_RBRACKET) {
            fail_at(ps, &ps->cur, "expected ',' or ']' in the subscripts");
            return -1;
        }
        next(ps);
        (*name)[len++] = ']';
        (*name)[len] = '\0';
        return 0;
    }
}

/* primary = number | name [ '(' args ')' ] | '(' expr ')' | dialect forms */
static node *primary(parser *ps)
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
        ps->cur.name = NULL; /* tk owns it now */
        next(ps);
        if (ps->cur.type == TK_LBRACKET && ps->d->subscripts) {
            if (!tk.name) {
                tk.name = malloc(tk.len + 1);
                if (!tk.name)
                    return oom(ps);
                memcpy(tk.name, tk.start, tk.len);
                tk.name[tk.len] = '\0';
            }
            if (subscripts(ps, &tk.name) != 0) {
                free(tk.name);
                return NULL;
            }
        }
        const char *name = tk.name ? tk.name : tk.start;
        const size_t len = tk.name ? strlen(tk.name) : tk.len;
        node *n = NULL;
        if (ps->cur.type == TK_LBRACKET && ps->d->brackets_refused) {
            free(tk.name);
            return fail_at(ps, &ps->cur, "");
        }
        if (ps->cur.type != TK_LPAREN) {
            n = node_new(N_REF, tk.line, tk.col, name, len);
            free(tk.name);
            return n ? n : oom(ps);
        }
        n = node_new(N_CALL, tk.line, tk.col, name, len);
        free(tk.name);
        return call_args(ps, n);
    }
    case TK_LPAREN: {
        next(ps);
        /* a parenthesis costs one level more than the operand inside it,
           as the nesting of the former recursive-descent parsers did */
        if (++ps->depth > EXPR_MAX_DEPTH)
            return fail_at(ps, &ps->cur, "expression nested too deeply");
        node *n = subexpr(ps, 0);
        ps->depth--;
        if (!n)
            return NULL;
        if (ps->cur.type != TK_RPAREN) {
            node_free(n);
            return fail_at(ps, &ps->cur, "expected ')'");
        }
        next(ps);
        return n;
    }
    case TK_IF:
        if (!ps->d->if_then_else)
            break;
        next(ps);
        return if_then_else(ps, &tk);
    default:
        if (ps->d->prefix_call[tk.type]) {
            /* MOD(a, b): the function form of a binary keyword */
            next(ps);
            if (ps->cur.type != TK_LPAREN)
                return fail_at(ps, &ps->cur, "expected '(' after MOD used as a function");
            const char *fn = ps->d->prefix_call[tk.type];
            return call_args(ps, node_new(N_CALL, tk.line, tk.col, fn, strlen(fn)));
        }
        break;
    }
    return fail_at(ps, &tk, "expected a number, a name or '('");
}

/* subexpr = (prefix subexpr | primary) { binop subexpr }, climbing by the
** dialect's priorities (Lua's lparser.c subexpr) */
static node *subexpr(parser *ps, int limit)
{
    if (++ps->depth > EXPR_MAX_DEPTH)
        return fail_at(ps, &ps->cur, "expression nested too deeply");
    const expr_dialect *d = ps->d;
    node *l;
    const token tk = ps->cur;
    if (tk.type < TK_COUNT && d->unary[tk.type] && limit <= d->unary[tk.type]) {
        next(ps);
        l = mk(ps, N_UNARY, tk.type, NULL, tk.line, tk.col, subexpr(ps, d->unary[tk.type]), NULL,
               0);
    } else {
        l = primary(ps);
    }
    while (l && ps->cur.type < TK_COUNT &&
           (d->left[ps->cur.type] > limit || d->postfix[ps->cur.type] > limit)) {
        const tok_type op = ps->cur.type;
        next(ps);
        if (!d->left[op]) { /* postfix */
            l = mk(ps, N_UNARY, op, NULL, l->line, l->col, l, NULL, 0);
            continue;
        }
        node *r = subexpr(ps, d->right[op]);
        if (d->as_call[op])
            l = mk(ps, N_CALL, 0, d->as_call[op], l->line, l->col, l, r, 1);
        else /* a binary node is reported at its left operand */
            l = mk(ps, N_BINARY, op, NULL, l->line, l->col, l, r, 1);
    }
    ps->depth--;
    return l;
}

node *expr_parse(const expr_dialect *d, const char *text, const char *file, int line, int col,
                 int *empty, migdev_error *err)
{
    parser ps;
    memset(&ps, 0, sizeof ps);
    ps.d = d;
    lex_init_rules(&ps.lx, d->lex, text ? text : "", line, col);
    ps.file = file;
    ps.err = err;
    /* the outermost operand starts one level down, as in the former
       recursive-descent parsers (their depth limits are kept) */
    ps.depth = 1;
    if (empty)
        *empty = 0;
    ps.cur = lex_next(&ps.lx);
    node *n = NULL;
    if (ps.cur.type == TK_EOF && !ps.lx.err_full) {
        if (empty)
            *empty = 1;
        else
            err_set(err, MIGDEV_E_SYNTAX, file, line, col, "empty equation");
    } else if (ps.cur.type == TK_ERROR && ps.lx.err_full) {
        fail_at(&ps, &ps.cur, "");
    } else {
        n = subexpr(&ps, 0);
        if (n && ps.cur.type != TK_EOF) {
            node_free(n);
            n = fail_at(&ps, &ps.cur, "expected an operator or the end of the equation");
        }
    }
    free(ps.cur.name);
    return n;
}
