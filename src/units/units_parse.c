/*
** units_parse.c - the units language: text -> units.
**
** Grammar (docs/model-format.md, "Units"):
**   units    = product
**   product  = factor { ('*' | '/') factor }        (left to right: a/b/c = a/(b*c))
**   factor   = primary [ '^' exponent ]
**   primary  = name | '1' | '(' product ')'
**   exponent = [sign] number | '(' [sign] number [ '/' integer ] ')'
**   name     = a letter, '_', '$', '%' or a non-ASCII character, then also digits
** "dimensionless", "dmnl", "unitless" and "1" mean no units. Blanks may
** separate tokens. Recursive descent, nesting bounded.
*/
#include "units/units.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_NESTING = 32 };

typedef struct uparser {
    units_names *names;
    const char *text;
    size_t at;       /* next character */
    size_t err_at;
    char *msg;
    size_t msg_n;
    int rc;          /* UNITS_OK until the first failure */
    int depth;
} uparser;

static int fail(uparser *p, size_t at, const char *fmt, const char *arg)
{
    if (p->rc == UNITS_OK) {
        p->rc = UNITS_E_SYNTAX;
        p->err_at = at;
        snprintf(p->msg, p->msg_n, fmt, arg);
    }
    return p->rc;
}

static void skip_blanks(uparser *p)
{
    while (p->text[p->at] == ' ' || p->text[p->at] == '\t' || p->text[p->at] == '\n' ||
           p->text[p->at] == '\r')
        p->at++;
}

static int name_start(unsigned char c)
{
    return isalpha(c) || c == '_' || c == '$' || c == '%' || c >= 0x80;
}

static int name_char(unsigned char c)
{
    return name_start(c) || isdigit(c);
}

/* The token at the cursor, quoted for a message ("the end" at the end). */
static const char *token_text(const uparser *p, char *buf, size_t n)
{
    const char *s = p->text + p->at;
    if (!*s) {
        snprintf(buf, n, "the end");
        return buf;
    }
    size_t len = 1;
    if (name_char((unsigned char)*s))
        while (s[len] && name_char((unsigned char)s[len]) && len < 40)
            len++;
    snprintf(buf, n, "'%.*s'", (int)len, s);
    return buf;
}

static int unexpected(uparser *p, const char *expected)
{
    char tok[64], fmt[160];
    snprintf(fmt, sizeof fmt, "%s, found %%s", expected);
    return fail(p, p->at, fmt, token_text(p, tok, sizeof tok));
}

static int parse_product(uparser *p, units *out);

/* number = digits ['.' digits]; sets *x. */
static int parse_number(uparser *p, double *x, int *is_integer)
{
    const char *s = p->text + p->at;
    size_t len = 0;
    while (isdigit((unsigned char)s[len]))
        len++;
    *is_integer = 1;
    if (s[len] == '.') {
        *is_integer = 0;
        len++;
        while (isdigit((unsigned char)s[len]))
            len++;
    }
    if (len == 0 || (len == 1 && s[0] == '.'))
        return unexpected(p, "expected a number");
    char buf[64];
    if (len >= sizeof buf)
        return fail(p, p->at, "%s", "number too long");
    memcpy(buf, s, len);
    buf[len] = '\0';
    *x = strtod(buf, NULL);
    p->at += len;
    return UNITS_OK;
}

/* exponent = [sign] number | '(' [sign] number [ '/' integer ] ')' */
static int parse_exponent(uparser *p, urat *e)
{
    skip_blanks(p);
    const size_t start = p->at;
    const int paren = p->text[p->at] == '(';
    if (paren) {
        p->at++;
        skip_blanks(p);
    }
    double sign = 1.0;
    if (p->text[p->at] == '-' || p->text[p->at] == '+') {
        sign = p->text[p->at] == '-' ? -1.0 : 1.0;
        p->at++;
        skip_blanks(p);
    }
    double x, den = 1.0;
    int is_int, den_int = 1;
    if (parse_number(p, &x, &is_int) != UNITS_OK)
        return p->rc;
    if (paren) {
        skip_blanks(p);
        if (p->text[p->at] == '/') {
            p->at++;
            skip_blanks(p);
            if (parse_number(p, &den, &den_int) != UNITS_OK)
                return p->rc;
            if (!is_int || !den_int || den == 0.0)
                return fail(p, start, "%s",
                            "a fractional exponent is written with whole numbers, as ^(1/3)");
            skip_blanks(p);
        }
        if (p->text[p->at] != ')')
            return unexpected(p, "expected ')' to close the exponent");
        p->at++;
    }
    if (den != 1.0) {
        if (x > 1e6 || den > 1e6 || urat_make((long)(sign * x), (long)den, e) != 0)
            return fail(p, start, "%s", "exponent too large");
        return UNITS_OK;
    }
    if (urat_from_double(sign * x, e) != 0)
        return fail(p, start, "%s",
                    "the exponent must be a simple fraction (denominator up to 1000), as "
                    "^0.35 or ^(1/3)");
    return UNITS_OK;
}

/* primary = name | '1' | '(' product ')' */
static int parse_primary(uparser *p, units *out)
{
    skip_blanks(p);
    const size_t start = p->at;
    const unsigned char c = (unsigned char)p->text[p->at];
    if (c == '(') {
        if (++p->depth > MAX_NESTING)
            return fail(p, start, "%s", "units nested too deeply");
        p->at++;
        if (parse_product(p, out) != UNITS_OK)
            return p->rc;
        skip_blanks(p);
        if (p->text[p->at] != ')')
            return unexpected(p, "expected ')'");
        p->at++;
        p->depth--;
        return UNITS_OK;
    }
    if (isdigit(c) || c == '.') {
        double x;
        int is_int;
        if (parse_number(p, &x, &is_int) != UNITS_OK)
            return p->rc;
        if (x != 1.0)
            return fail(p, start, "%s",
                        "the only number allowed as units is 1 (no units); scale factors such "
                        "as 1000 belong in the equation");
        units_one(out);
        return UNITS_OK;
    }
    if (!name_start(c))
        return unexpected(p, "expected a unit name, '1' or '('");
    size_t len = 0;
    while (name_char((unsigned char)p->text[p->at + len]))
        len++;
    int is_one;
    const int id = units_names_intern(p->names, p->text + start, len, &is_one);
    p->at += len;
    if (is_one) {
        units_one(out);
        return UNITS_OK;
    }
    if (id < 0) {
        p->rc = UNITS_E_NOMEM;
        return p->rc;
    }
    units_base(out, id);
    return UNITS_OK;
}

/* factor = primary [ '^' exponent ] */
static int parse_factor(uparser *p, units *out)
{
    if (parse_primary(p, out) != UNITS_OK)
        return p->rc;
    skip_blanks(p);
    if (p->text[p->at] != '^')
        return UNITS_OK;
    const size_t at = p->at;
    p->at++;
    urat e;
    if (parse_exponent(p, &e) != UNITS_OK)
        return p->rc;
    if (units_pow(out, out, e) != 0)
        return fail(p, at, "%s", "exponent too large");
    return UNITS_OK;
}

/* product = factor { ('*' | '/') factor } */
static int parse_product(uparser *p, units *out)
{
    if (parse_factor(p, out) != UNITS_OK)
        return p->rc;
    for (;;) {
        skip_blanks(p);
        const char op = p->text[p->at];
        if (op != '*' && op != '/')
            return UNITS_OK;
        const size_t at = p->at;
        p->at++;
        units f;
        if (parse_factor(p, &f) != UNITS_OK)
            return p->rc;
        if ((op == '*' ? units_mul(out, out, &f) : units_div(out, out, &f)) != 0)
            return fail(p, at, "%s", "too many different units in one product");
    }
}

int units_parse(units_names *t, const char *text, units *out, size_t *err_at, char *msg,
                size_t n)
{
    char dummy[8];
    uparser p = {t, text, 0, 0, msg ? msg : dummy, msg ? n : sizeof dummy, UNITS_OK, 0};
    units u;
    if (parse_product(&p, &u) == UNITS_OK) {
        skip_blanks(&p);
        if (p.text[p.at] != '\0') {
            if (name_start((unsigned char)p.text[p.at]) || isdigit((unsigned char)p.text[p.at]))
                unexpected(&p, "expected '*', '/' or '^' between units");
            else
                unexpected(&p, "expected '*', '/', '^' or the end of the units");
        }
    }
    if (p.rc == UNITS_E_SYNTAX && err_at)
        *err_at = p.err_at;
    if (p.rc == UNITS_OK)
        *out = u;
    return p.rc;
}
