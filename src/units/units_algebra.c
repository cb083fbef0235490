/*
** units_algebra.c - products of base units with rational powers.
**
** Values are small and live on the stack: no allocation. Exponents are
** kept as exact fractions, so capital^0.35 * capital^0.65 is capital.
*/
#include "units/units.h"
#include "migdev/error.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { URAT_MAX = 1000000 }; /* bound on numerators and denominators */

static long long gcd_ll(long long a, long long b)
{
    if (a < 0)
        a = -a;
    if (b < 0)
        b = -b;
    while (b) {
        const long long t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static int urat_ll(long long a, long long b, urat *out)
{
    if (b == 0)
        return MIGDEV_E_RANGE;
    if (b < 0) {
        a = -a;
        b = -b;
    }
    const long long g = gcd_ll(a, b);
    if (g > 1) {
        a /= g;
        b /= g;
    }
    if (a > URAT_MAX || a < -URAT_MAX || b > URAT_MAX)
        return MIGDEV_E_RANGE;
    out->num = (long)a;
    out->den = (long)b;
    return 0;
}

int urat_make(long a, long b, urat *out)
{
    return urat_ll(a, b, out);
}

static int urat_add(urat a, urat b, urat *out)
{
    return urat_ll((long long)a.num * b.den + (long long)b.num * a.den, (long long)a.den * b.den,
                   out);
}

int urat_from_double(double x, urat *out)
{
    if (!isfinite(x) || fabs(x) > 1e6)
        return MIGDEV_E_RANGE;
    /* continued-fraction convergents h/k of x */
    const double tol = 1e-9 * (fabs(x) > 1.0 ? fabs(x) : 1.0);
    long long h0 = 1, h1 = (long long)floor(x), k0 = 0, k1 = 1;
    double r = x - floor(x);
    for (int it = 0; it < 40; it++) {
        if (fabs(x - (double)h1 / (double)k1) <= tol)
            return urat_ll(h1, k1, out);
        if (r < 1e-15)
            break;
        const double inv = 1.0 / r;
        const long long a = (long long)floor(inv);
        r = inv - floor(inv);
        const long long h2 = a * h1 + h0, k2 = a * k1 + k0;
        if (k2 > 1000)
            break;
        h0 = h1, h1 = h2, k0 = k1, k1 = k2;
    }
    return MIGDEV_E_RANGE;
}

void units_one(units *u)
{
    u->n = 0;
}

int units_is_one(const units *u)
{
    return u->n == 0;
}

void units_base(units *u, int id)
{
    u->n = 1;
    u->t[0].id = id;
    u->t[0].e.num = 1;
    u->t[0].e.den = 1;
}

int units_equal(const units *a, const units *b)
{
    if (a->n != b->n)
        return 0;
    for (int i = 0; i < a->n; i++)
        if (a->t[i].id != b->t[i].id || a->t[i].e.num != b->t[i].e.num ||
            a->t[i].e.den != b->t[i].e.den)
            return 0;
    return 1;
}

/* out = a * b^sign (sign +1 or -1), merging the sorted term lists. */
static int combine(units *out, const units *a, const units *b, int sign)
{
    units r;
    r.n = 0;
    int i = 0, j = 0;
    while (i < a->n || j < b->n) {
        uterm t;
        if (j >= b->n || (i < a->n && a->t[i].id < b->t[j].id)) {
            t = a->t[i++];
        } else {
            t = b->t[j];
            t.e.num *= sign;
            if (i < a->n && a->t[i].id == b->t[j].id) {
                if (urat_add(a->t[i].e, t.e, &t.e) != 0)
                    return MIGDEV_E_RANGE;
                i++;
            }
            j++;
        }
        if (t.e.num == 0)
            continue;
        if (r.n == UNITS_MAX_TERMS)
            return MIGDEV_E_RANGE;
        r.t[r.n++] = t;
    }
    *out = r;
    return 0;
}

int units_mul(units *out, const units *a, const units *b)
{
    return combine(out, a, b, 1);
}

int units_div(units *out, const units *a, const units *b)
{
    return combine(out, a, b, -1);
}

int units_pow(units *out, const units *a, urat p)
{
    units r;
    r.n = 0;
    if (p.num != 0)
        for (int i = 0; i < a->n; i++) {
            r.t[r.n] = a->t[i];
            if (urat_ll((long long)a->t[i].e.num * p.num, (long long)a->t[i].e.den * p.den,
                        &r.t[r.n].e) != 0)
                return MIGDEV_E_RANGE;
            r.n++;
        }
    *out = r;
    return 0;
}

/* ------------------------------------------------------------- printing */

typedef struct sorted_term {
    const char *name;
    urat e;
} sorted_term;

static int cmp_term(const void *a, const void *b)
{
    const sorted_term *x = a, *y = b;
    const int c = strcasecmp(x->name, y->name);
    return c ? c : strcmp(x->name, y->name);
}

/* Whether den has no prime factors but 2 and 5 (a finite decimal). */
static int is_decimal(long den)
{
    while (den % 2 == 0)
        den /= 2;
    while (den % 5 == 0)
        den /= 5;
    return den == 1;
}

/* Append s to buf (size n) at *len, truncating safely. */
static void put(char *buf, size_t n, size_t *len, const char *s)
{
    if (*len + 1 >= n)
        return;
    const int w = snprintf(buf + *len, n - *len, "%s", s);
    if (w > 0)
        *len += (size_t)w < n - *len ? (size_t)w : n - *len - 1;
}

/* One term with the absolute value of its power. */
static void put_term(char *buf, size_t n, size_t *len, const sorted_term *t)
{
    const long num = labs(t->e.num), den = t->e.den;
    char pw[48] = "";
    if (den == 1 && num != 1)
        snprintf(pw, sizeof pw, "^%ld", num);
    else if (den != 1 && is_decimal(den))
        snprintf(pw, sizeof pw, "^%.10g", (double)num / (double)den);
    else if (den != 1)
        snprintf(pw, sizeof pw, "^(%ld/%ld)", num, den);
    put(buf, n, len, t->name);
    put(buf, n, len, pw);
}

char *units_format(const units_names *t, const units *u, char *buf, size_t n)
{
    if (!buf || n == 0)
        return buf;
    buf[0] = '\0';
    if (u->n == 0) {
        snprintf(buf, n, "dimensionless");
        return buf;
    }
    sorted_term s[UNITS_MAX_TERMS];
    int n_pos = 0, n_neg = 0;
    for (int i = 0; i < u->n; i++) {
        s[i].name = units_names_get(t, u->t[i].id);
        s[i].e = u->t[i].e;
        if (s[i].e.num > 0)
            n_pos++;
        else
            n_neg++;
    }
    qsort(s, (size_t)u->n, sizeof s[0], cmp_term);
    size_t len = 0;
    int k = 0;
    for (int i = 0; i < u->n; i++)
        if (s[i].e.num > 0) {
            if (k++)
                put(buf, n, &len, "*");
            put_term(buf, n, &len, &s[i]);
        }
    if (n_neg == 0)
        return buf;
    if (n_pos == 0)
        put(buf, n, &len, "1");
    put(buf, n, &len, n_neg > 1 ? "/(" : "/");
    k = 0;
    for (int i = 0; i < u->n; i++)
        if (s[i].e.num < 0) {
            if (k++)
                put(buf, n, &len, "*");
            put_term(buf, n, &len, &s[i]);
        }
    if (n_neg > 1)
        put(buf, n, &len, ")");
    return buf;
}
