/*
** xexpr.c - lexer and recursive-descent parser for XMILE equations
** (grammar in xexpr.h).
*/
#include "xexpr.h"

#include "error_int.h"
#include "lexer.h"
#include "xname.h"

#include <ctype.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef enum {
    X_EOF, X_NUM, X_NAME, X_LP, X_RP, X_COMMA, X_LBRACKET,
    X_PLUS, X_MINUS, X_STAR, X_SLASH, X_CARET,
    X_EQ, X_NE, X_LT, X_LE, X_GT, X_GE,
    X_AND, X_OR, X_NOT, X_IF, X_THEN, X_ELSE, X_MOD,
    X_ERROR
} xtok_type;

typedef struct xtok {
    xtok_type type;
    const char *start;
    size_t len;
    int line, col;
    double num;
    char *name;        /* X_NAME: owned identifier, parts joined by XN_SEP */
} xtok;

typedef struct xparser {
    const char *p;
    int line, col;
    xtok cur;
    const char *file;
    migdev_error *err;
    int failed, depth;
} xparser;

enum { MAX_DEPTH = 200 };
enum { MAX_HEIGHT = 10000 }; /* tree height, as src/parser.c (and its message) */

static int is_start(int c) { return isalpha(c) || c == '_' || c >= 0x80; }
static int is_cont(int c) { return isalnum(c) || c == '_' || c == '$' || c >= 0x80; }

static void advance(xparser *ps, size_t n) { lex_advance(&ps->p, &ps->line, &ps->col, n); }

static void fail(xparser *ps, int code, int line, int col, const char *fmt, const char *a,
                 size_t alen)
{
    if (ps->failed)
        return;
    ps->failed = 1;
    char msg[300];
    snprintf(msg, sizeof msg, fmt, (int)(alen > 60 ? 60 : alen), a);
    err_set(ps->err, code, ps->file, line, col, "%s", msg);
}

/* Skip blanks, {comments} and backslash line continuations. */
static int skip_space(xparser *ps)
{
    for (;;) {
        const char c = *ps->p;
        if (c && isspace((unsigned char)c)) {
            advance(ps, 1);
        } else if (c == '{') {
            const int line = ps->line, col = ps->col;
            while (*ps->p && *ps->p != '}')
                advance(ps, 1);
            if (!*ps->p) {
                fail(ps, MIGDEV_E_SYNTAX, line, col, "comment '{' is never closed%.*s", "", 0);
                return MIGDEV_E_SYNTAX;
            }
            advance(ps, 1);
        } else if (c == '\\') {
            const char *q = ps->p + 1;
            while (*q == ' ' || *q == '\t' || *q == '\r')
                q++;
            if (*q != '\n')
                return 0; /* not a continuation: the lexer reports it */
            advance(ps, (size_t)(q - ps->p) + 1);
        } else {
            return 0;
        }
    }
}

/* One part of a name at ps->p: appends it (decoded) to buf. */
static int xlex_part(xparser *ps, char **buf, size_t *len)
{
    const char *s = ps->p;
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
        if (*q != '"') {
            fail(ps, MIGDEV_E_SYNTAX, ps->line, ps->col, "quoted name %.*s is never closed", s,
                 strcspn(s, "\n"));
            return MIGDEV_E_SYNTAX;
        }
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
            fail(ps, MIGDEV_E_NOMEM, ps->line, ps->col, "out of memory%.*s", "", 0);
        else
            fail(ps, MIGDEV_E_SYNTAX, ps->line, ps->col + 1 + (int)bad,
                 "invalid escape '%.*s' in a quoted name (only \\\" \\n \\\\)", body + bad, 2);
        return bad < 0 ? MIGDEV_E_NOMEM : MIGDEV_E_SYNTAX;
    }
    const char *src = quoted ? part : body;
    const size_t sn = quoted ? strlen(part) : n;
    char *nb = realloc(*buf, *len + sn + 2);
    if (!nb) {
        free(part);
        fail(ps, MIGDEV_E_NOMEM, ps->line, ps->col, "out of memory%.*s", "", 0);
        return MIGDEV_E_NOMEM;
    }
    *buf = nb;
    memcpy(nb + *len, src, sn);
    *len += sn;
    nb[*len] = '\0';
    free(part);
    advance(ps, quoted ? n + 2 : n);
    return 0;
}

static int part_follows(const char *p)
{
    return *p == '"' || is_start((unsigned char)*p);
}

static xtok make(xparser *ps, xtok_type t, size_t len)
{
    xtok tk = {t, ps->p, len, ps->line, ps->col, 0.0, NULL};
    advance(ps, len);
    return tk;
}

/* number (lex_number_len), not glued to a name character or a dot; an
** exponent without digits counts as glued letters */
static xtok xlex_number(xparser *ps)
{
    const char *s = ps->p;
    int bad_exponent;
    const size_t n = lex_number_len(s, &bad_exponent);
    const char *q = s + n;
    if (is_cont((unsigned char)*q) || *q == '.') {
        const char *r = q;
        while (is_cont((unsigned char)*r) || *r == '.')
            r++;
        xtok tk = make(ps, X_ERROR, (size_t)(r - s));
        fail(ps, MIGDEV_E_SYNTAX, tk.line, tk.col, "malformed number '%.*s'", s, (size_t)(r - s));
        return tk;
    }
    double x;
    if (lex_number_value(s, n, &x) != 0) {
        xtok tk = make(ps, X_ERROR, n);
        fail(ps, MIGDEV_E_SYNTAX, tk.line, tk.col, "number too long '%.*s'", s, n);
        return tk;
    }
    if (isinf(x)) { /* beyond the largest double, as the native lexer says */
        xtok tk = make(ps, X_ERROR, n);
        fail(ps, MIGDEV_E_SYNTAX, tk.line, tk.col, "number out of range '%.*s'", s, n);
        return tk;
    }
    xtok tk = make(ps, X_NUM, n);
    tk.num = x;
    return tk;
}

static xtok xlex_name(xparser *ps)
{
    xtok tk = {X_NAME, ps->p, 0, ps->line, ps->col, 0.0, NULL};
    char *buf = NULL;
    size_t len = 0;
    if (*ps->p == '.') { /* ".name": a name in the enclosing model */
        advance(ps, 1);
        buf = malloc(2);
        if (buf) {
            buf[0] = XN_SEP;
            buf[1] = '\0';
            len = 1;
        }
    }
    for (;;) {
        if (xlex_part(ps, &buf, &len) != 0) {
            free(buf);
            tk.type = X_ERROR;
            return tk;
        }
        if (*ps->p == '.' && part_follows(ps->p + 1)) {
            char *nb = realloc(buf, len + 2);
            if (!nb) {
                free(buf);
                fail(ps, MIGDEV_E_NOMEM, ps->line, ps->col, "out of memory%.*s", "", 0);
                tk.type = X_ERROR;
                return tk;
            }
            buf = nb;
            buf[len++] = XN_SEP;
            buf[len] = '\0';
            advance(ps, 1);
            continue;
        }
        break;
    }
    tk.len = (size_t)(ps->p - tk.start);
    tk.name = buf;
    /* keywords are bare single words */
    if (tk.start[0] != '"' && tk.start[0] != '.' && !strchr(buf, XN_SEP)) {
        static const struct { const char *w; xtok_type t; } kw[] = {
            {"and", X_AND}, {"or", X_OR}, {"not", X_NOT}, {"if", X_IF},
            {"then", X_THEN}, {"else", X_ELSE}, {"mod", X_MOD}};
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

static xtok xlex_next(xparser *ps)
{
    xtok none = {X_ERROR, ps->p, 0, ps->line, ps->col, 0.0, NULL};
    if (skip_space(ps) != 0)
        return none;
    const char c = *ps->p, d = c ? ps->p[1] : '\0';
    if (c == '\0')
        return make(ps, X_EOF, 0);
    if (isdigit((unsigned char)c) || (c == '.' && isdigit((unsigned char)d)))
        return xlex_number(ps);
    if (is_start((unsigned char)c) || c == '"' || (c == '.' && part_follows(ps->p + 1)))
        return xlex_name(ps);
    switch (c) {
    case '(': return make(ps, X_LP, 1);
    case ')': return make(ps, X_RP, 1);
    case ',': return make(ps, X_COMMA, 1);
    case '[': return make(ps, X_LBRACKET, 1);
    case '+': return make(ps, X_PLUS, 1);
    case '-': return make(ps, X_MINUS, 1);
    case '*': return make(ps, X_STAR, 1);
    case '/': return make(ps, X_SLASH, 1);
    case '^': return make(ps, X_CARET, 1);
    case '=': return make(ps, X_EQ, 1);
    case '<':
        if (d == '=')
            return make(ps, X_LE, 2);
        if (d == '>')
            return make(ps, X_NE, 2);
        return make(ps, X_LT, 1);
    case '>':
        if (d == '=')
            return make(ps, X_GE, 2);
        return make(ps, X_GT, 1);
    default:
        break;
    }
    const size_t n = lex_char_len(ps->p);
    xtok tk = make(ps, X_ERROR, n);
    fail(ps, MIGDEV_E_SYNTAX, tk.line, tk.col, "unexpected character '%.*s'", tk.start, n);
    return tk;
}

static void next(xparser *ps)
{
    free(ps->cur.name);
    ps->cur.name = NULL;
    ps->cur = xlex_next(ps);
}

static node *expected(xparser *ps, const char *what)
{
    const xtok *t = &ps->cur;
    if (t->type == X_ERROR) {
        fail(ps, MIGDEV_E_SYNTAX, t->line, t->col, "invalid token '%.*s'", t->start, t->len);
    } else if (t->type == X_EOF) {
        char msg[200];
        snprintf(msg, sizeof msg, "%s, found the end of the equation", what);
        fail(ps, MIGDEV_E_SYNTAX, t->line, t->col, "%.*s", msg, strlen(msg));
    } else if (t->type == X_LBRACKET) {
        fail(ps, MIGDEV_E_UNSUPPORTED, t->line, t->col,
             "arrays are not supported: subscript '%.*s' in an equation", "[", 1);
    } else {
        char msg[300];
        snprintf(msg, sizeof msg, "%s, found '%.*s'", what, (int)(t->len > 40 ? 40 : t->len),
                 t->start);
        fail(ps, MIGDEV_E_SYNTAX, t->line, t->col, "%.*s", msg, strlen(msg));
    }
    return NULL;
}

static node *oom(xparser *ps)
{
    fail(ps, MIGDEV_E_NOMEM, ps->cur.line, ps->cur.col, "out of memory%.*s", "", 0);
    return NULL;
}

static node *mk(xparser *ps, node_kind k, int op, int line, int col, node *a, node *b)
{
    if ((!a && k != N_NUM) || (k == N_BINARY && !b)) {
        node_free(a);
        node_free(b);
        return NULL;
    }
    node *n = node_new(k, line, col, NULL, 0);
    if (!n) {
        node_free(a);
        node_free(b);
        return oom(ps);
    }
    n->op = op;
    if (a && node_push(n, a) != 0) { /* node_push freed a */
        node_free(b);
        node_free(n);
        return oom(ps);
    }
    if (b && node_push(n, b) != 0) {
        node_free(n);
        return oom(ps);
    }
    if (n->height > MAX_HEIGHT) {
        /* a long chain (1+1+...) is parsed by a loop but makes a deep tree,
           which later passes walk recursively: the native parser's limit */
        fail(ps, MIGDEV_E_SYNTAX, line, col,
             "expression too long: over 10000 nested operations (split it into auxiliaries)%.*s",
             "", 0);
        node_free(n);
        return NULL;
    }
    return n;
}

static node *mk_call(xparser *ps, const char *name, int line, int col)
{
    node *n = node_new(N_CALL, line, col, name, strlen(name));
    return n ? n : oom(ps);
}

static node *parse_expr(xparser *ps);
static node *parse_unary(xparser *ps);

/* '(' [ expr { ',' expr } ] ')' after the name of call n (takes n) */
static node *parse_args(xparser *ps, node *n)
{
    if (!n)
        return NULL;
    next(ps); /* '(' */
    if (ps->cur.type != X_RP) {
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
            if (ps->cur.type != X_COMMA)
                break;
            next(ps);
        }
    }
    if (ps->cur.type != X_RP) {
        node_free(n);
        return expected(ps, "expected ',' or ')' in the argument list");
    }
    next(ps);
    return n;
}

/* primary = number | name [ '(' args ')' ] | MOD '(' args ')' | '(' expr ')'
**         | IF expr THEN expr ELSE expr */
static node *parse_primary(xparser *ps)
{
    const xtok tk = ps->cur;
    switch (tk.type) {
    case X_NUM: {
        next(ps);
        node *n = node_new(N_NUM, tk.line, tk.col, NULL, 0);
        if (!n)
            return oom(ps);
        n->num = tk.num;
        return n;
    }
    case X_NAME: {
        char *name = ps->cur.name;
        ps->cur.name = NULL;
        next(ps);
        if (ps->cur.type == X_LBRACKET) {
            free(name);
            return expected(ps, "");
        }
        if (ps->cur.type != X_LP) {
            node *n = node_new(N_REF, tk.line, tk.col, name, strlen(name));
            free(name);
            return n ? n : oom(ps);
        }
        node *n = node_new(N_CALL, tk.line, tk.col, name, strlen(name));
        free(name);
        return n ? parse_args(ps, n) : oom(ps);
    }
    case X_MOD: /* MOD(a, b), the function form of a MOD b */
        next(ps);
        if (ps->cur.type != X_LP)
            return expected(ps, "expected '(' after MOD used as a function");
        return parse_args(ps, mk_call(ps, "MOD", tk.line, tk.col));
    case X_LP: {
        next(ps);
        node *n = parse_expr(ps);
        if (!n)
            return NULL;
        if (ps->cur.type != X_RP) {
            node_free(n);
            return expected(ps, "expected ')'");
        }
        next(ps);
        return n;
    }
    case X_IF: {
        next(ps);
        node *n = mk_call(ps, "IF_THEN_ELSE", tk.line, tk.col);
        node *c = n ? parse_expr(ps) : NULL;
        if (!c || node_push(n, c) != 0) {
            node_free(n);
            return NULL;
        }
        if (ps->cur.type != X_THEN) {
            node_free(n);
            return expected(ps, "expected THEN after the condition of IF");
        }
        next(ps);
        node *a = parse_expr(ps);
        if (!a || node_push(n, a) != 0) {
            node_free(n);
            return NULL;
        }
        if (ps->cur.type != X_ELSE) {
            node_free(n);
            return expected(ps, "expected ELSE (IF ... THEN ... ELSE ...)");
        }
        next(ps);
        node *b = parse_expr(ps);
        if (!b || node_push(n, b) != 0) {
            node_free(n);
            return NULL;
        }
        return n;
    }
    default:
        return expected(ps, "expected a number, a name or '('");
    }
}

/* power = primary [ '^' unary ] */
static node *parse_power(xparser *ps)
{
    node *l = parse_primary(ps);
    if (l && ps->cur.type == X_CARET) {
        const int line = l->line, col = l->col;
        next(ps);
        return mk(ps, N_BINARY, TK_CARET, line, col, l, parse_unary(ps));
    }
    return l;
}

/* unary = ('-' | '+' | NOT) unary | power */
static node *parse_unary(xparser *ps)
{
    const xtok tk = ps->cur;
    if (tk.type == X_MINUS || tk.type == X_PLUS || tk.type == X_NOT) {
        if (++ps->depth > MAX_DEPTH)
            return expected(ps, "expression nested too deeply");
        next(ps);
        const int op = tk.type == X_MINUS ? TK_MINUS : tk.type == X_PLUS ? TK_PLUS : TK_NOT;
        node *n = mk(ps, N_UNARY, op, tk.line, tk.col, parse_unary(ps), NULL);
        ps->depth--;
        return n;
    }
    return parse_power(ps);
}

/* term = unary { ('*' | '/' | MOD) unary } */
static node *parse_term(xparser *ps)
{
    node *l = parse_unary(ps);
    while (l && (ps->cur.type == X_STAR || ps->cur.type == X_SLASH || ps->cur.type == X_MOD)) {
        const xtok_type t = ps->cur.type;
        next(ps);
        node *r = parse_unary(ps);
        if (t == X_MOD) {
            node *c = r ? mk_call(ps, "MOD", l->line, l->col) : NULL;
            if (!c) {
                node_free(l);
                node_free(r);
                return NULL;
            }
            if (node_push(c, l) != 0) { /* node_push freed l */
                node_free(r);
                node_free(c);
                return oom(ps);
            }
            if (node_push(c, r) != 0) {
                node_free(c);
                return oom(ps);
            }
            l = c;
        } else {
            l = mk(ps, N_BINARY, t == X_STAR ? TK_STAR : TK_SLASH, l->line, l->col, l, r);
        }
    }
    return l;
}

static node *parse_left(xparser *ps, node *(*sub)(xparser *), const xtok_type *types,
                        const int *ops, int n_ops)
{
    node *l = sub(ps);
    for (;;) {
        int k = -1;
        for (int i = 0; i < n_ops; i++)
            if (ps->cur.type == types[i])
                k = i;
        if (!l || k < 0)
            return l;
        next(ps);
        l = mk(ps, N_BINARY, ops[k], l->line, l->col, l, sub(ps));
    }
}

/* sum = term { ('+' | '-') term } */
static node *parse_sum(xparser *ps)
{
    static const xtok_type t[] = {X_PLUS, X_MINUS};
    static const int o[] = {TK_PLUS, TK_MINUS};
    return parse_left(ps, parse_term, t, o, 2);
}

/* rel = sum { ('<' | '<=' | '>' | '>=') sum } */
static node *parse_rel(xparser *ps)
{
    static const xtok_type t[] = {X_LT, X_LE, X_GT, X_GE};
    static const int o[] = {TK_LT, TK_LE, TK_GT, TK_GE};
    return parse_left(ps, parse_sum, t, o, 4);
}

/* equal = rel { ('=' | '<>') rel } */
static node *parse_equal(xparser *ps)
{
    static const xtok_type t[] = {X_EQ, X_NE};
    static const int o[] = {TK_EQ, TK_NE};
    return parse_left(ps, parse_rel, t, o, 2);
}

/* and = equal { AND equal } */
static node *parse_and(xparser *ps)
{
    static const xtok_type t[] = {X_AND};
    static const int o[] = {TK_AND};
    return parse_left(ps, parse_equal, t, o, 1);
}

/* expr = or = and { OR and } */
static node *parse_expr(xparser *ps)
{
    static const xtok_type t[] = {X_OR};
    static const int o[] = {TK_OR};
    if (++ps->depth > MAX_DEPTH)
        return expected(ps, "expression nested too deeply");
    node *n = parse_left(ps, parse_and, t, o, 1);
    ps->depth--;
    return n;
}

static void start(xparser *ps, const char *text, const char *file, int line, int col,
                  migdev_error *err)
{
    memset(ps, 0, sizeof *ps);
    ps->p = text ? text : "";
    ps->line = line;
    ps->col = col;
    ps->file = file;
    ps->err = err;
    ps->cur = xlex_next(ps);
}

node *xexpr_parse(const char *text, const char *file, int line, int col, int *empty,
                  migdev_error *err)
{
    xparser ps;
    *empty = 0;
    start(&ps, text, file, line, col, err);
    if (ps.cur.type == X_EOF) {
        *empty = !ps.failed;
        return NULL;
    }
    node *n = ps.failed ? NULL : parse_expr(&ps);
    if (n && ps.cur.type != X_EOF) {
        node_free(n);
        n = expected(&ps, "expected an operator or the end of the equation");
    }
    free(ps.cur.name);
    return n;
}

char *xexpr_parse_name(const char *text, const char *file, int line, int col,
                       migdev_error *err)
{
    xparser ps;
    start(&ps, text, file, line, col, err);
    char *name = NULL;
    if (ps.cur.type == X_NAME) {
        name = ps.cur.name;
        ps.cur.name = NULL;
        next(&ps);
        if (ps.cur.type != X_EOF) {
            free(name);
            name = NULL;
            expected(&ps, "expected a single name");
        }
    } else {
        expected(&ps, "expected a name");
    }
    free(ps.cur.name);
    return name;
}
