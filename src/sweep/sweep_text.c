/*
** sweep_text.c - the compact forms of sweep parameters and metrics used on
** the command line:
**
**   param  := NAME "=" ( NUM ("," NUM)*           values
**                      | NUM ":" NUM ":" NUM       from:to:step
**                      | DIST "(" NUM ("," NUM)* ")" [ "[" [NUM] "," [NUM] "]" ] )
**   DIST   := uniform(min,max) | normal(mean,sd) | lognormal(mu,sigma)
**           | triangular(min,mode,max)            (bounds: normal, lognormal)
**   metric := [ NAME "=" ] STAT "(" VAR [ "," NUM [ "," DIR ] ] ")"
**   STAT   := final | min | max | mean | at | crossing | last_crossing
**   DIR    := up | down | either
**
** Errors carry the 1-based column inside the text (err->file is empty).
*/
#include "sweep_int.h"

#include "error_int.h"
#include "model_int.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int sweep_name_ok(const char *name)
{
    if (!*name)
        return 0;
    for (const char *p = name; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_' || *p == '.' || *p == '+' || *p == '-'))
            return 0;
    return 1;
}

char *sweep_metric_default_name(const migdev_model *m, const sweep_metric *mt)
{
    migdev_var_info info;
    migdev_model_var(m, mt->var, &info);
    static const char *const stat[] = {"final", "min", "max", "mean", "at", "crossing",
                                       "last_crossing"};
    char buf[400];
    if (mt->stat == MS_AT)
        snprintf(buf, sizeof buf, "%s_at_%g", info.name, mt->time);
    else if (mt->stat == MS_CROSSING || mt->stat == MS_LAST_CROSSING)
        snprintf(buf, sizeof buf, "%s_%s_%g", info.name, stat[mt->stat], mt->threshold);
    else
        snprintf(buf, sizeof buf, "%s_%s", stat[mt->stat], info.name);
    const size_t n = strlen(buf) + 1;
    char *s = malloc(n);
    if (s)
        memcpy(s, buf, n);
    return s;
}

typedef struct scan {
    const char *text, *p;
    migdev_error *err;
} scan;

static int col(const scan *s) { return (int)(s->p - s->text) + 1; }

static void skip_ws(scan *s)
{
    while (*s->p == ' ' || *s->p == '\t')
        s->p++;
}

static int fail(scan *s, const char *msg)
{
    return err_set(s->err, MIGDEV_E_USAGE, NULL, 0, col(s), "%s", msg);
}

static int number(scan *s, double *out)
{
    skip_ws(s);
    char *end;
    errno = 0;
    const double x = strtod(s->p, &end);
    if (end == s->p || errno == ERANGE || !isfinite(x))
        return fail(s, "expected a number");
    *out = x;
    s->p = end;
    skip_ws(s);
    return 0;
}

static int expect(scan *s, char c)
{
    skip_ws(s);
    if (*s->p != c) {
        char msg[32];
        snprintf(msg, sizeof msg, "expected '%c'", c);
        return fail(s, msg);
    }
    s->p++;
    skip_ws(s);
    return 0;
}

/* An identifier (letters, digits, _ and .) into buf. */
static int ident(scan *s, char *buf, size_t n)
{
    skip_ws(s);
    size_t k = 0;
    while (isalnum((unsigned char)s->p[k]) || s->p[k] == '_' || s->p[k] == '.')
        k++;
    if (s->p[k] == '[') { /* an element of an array: x[a,b] */
        size_t j = k + 1;
        while (isalnum((unsigned char)s->p[j]) || s->p[j] == '_' || s->p[j] == '.' ||
               s->p[j] == ',')
            j++;
        if (s->p[j] == ']')
            k = j + 1;
    }
    if (k == 0 || k >= n)
        return fail(s, "expected a name");
    memcpy(buf, s->p, k);
    buf[k] = '\0';
    s->p += k;
    skip_ws(s);
    return 0;
}

static int parse_dist(scan *s, sweep_param *p)
{
    char dn[32];
    const char *at = s->p;
    int rc = ident(s, dn, sizeof dn);
    if (rc)
        return rc;
    int nargs;
    if (!strcmp(dn, "uniform"))
        p->kind = PK_UNIFORM, nargs = 2;
    else if (!strcmp(dn, "normal"))
        p->kind = PK_NORMAL, nargs = 2;
    else if (!strcmp(dn, "lognormal"))
        p->kind = PK_LOGNORMAL, nargs = 2;
    else if (!strcmp(dn, "triangular"))
        p->kind = PK_TRIANGULAR, nargs = 3;
    else {
        s->p = at;
        return fail(s, "unknown distribution (uniform, normal, lognormal, triangular)");
    }
    double v[3];
    if ((rc = expect(s, '(')) != 0)
        return rc;
    for (int k = 0; k < nargs; k++)
        if ((k && (rc = expect(s, ',')) != 0) || (rc = number(s, &v[k])) != 0)
            return rc;
    if ((rc = expect(s, ')')) != 0)
        return rc;
    p->a = v[0];
    p->b = p->kind == PK_TRIANGULAR ? v[2] : v[1];
    p->c = p->kind == PK_TRIANGULAR ? v[1] : 0.0;
    if (*s->p == '[') {
        if (p->kind != PK_NORMAL && p->kind != PK_LOGNORMAL)
            return fail(s, "bounds [lo,hi] apply to normal and lognormal only");
        s->p++;
        skip_ws(s);
        if (*s->p != ',') {
            if ((rc = number(s, &p->lo)) != 0)
                return rc;
            p->has_lo = 1;
        }
        if ((rc = expect(s, ',')) != 0)
            return rc;
        if (*s->p != ']') {
            if ((rc = number(s, &p->hi)) != 0)
                return rc;
            p->has_hi = 1;
        }
        if ((rc = expect(s, ']')) != 0)
            return rc;
    }
    if (*s->p)
        return fail(s, "unexpected text after the distribution");
    s->p = at;
    switch (p->kind) {
    case PK_UNIFORM:
        if (!(p->b > p->a))
            return fail(s, "uniform(min,max) needs min < max");
        break;
    case PK_TRIANGULAR:
        if (!(p->b > p->a) || p->c < p->a || p->c > p->b)
            return fail(s, "triangular(min,mode,max) needs min <= mode <= max and min < max");
        break;
    default:
        if (!(p->b > 0.0))
            return fail(s, p->kind == PK_NORMAL ? "normal(mean,sd) needs sd > 0"
                                                : "lognormal(mu,sigma) needs sigma > 0");
        if (p->has_lo && p->has_hi && !(p->hi > p->lo))
            return fail(s, "bounds [lo,hi] need lo < hi");
        if (p->kind == PK_LOGNORMAL && p->has_hi && !(p->hi > 0.0))
            return fail(s, "a lognormal value is positive: hi must be positive");
        char msg[300];
        if (dist_prepare(p, msg, sizeof msg) != 0)
            return fail(s, msg);
    }
    return 0;
}

static int parse_numbers(scan *s, sweep_param *p)
{
    int rc;
    double first;
    const char *at = s->p;
    if ((rc = number(s, &first)) != 0)
        return rc;
    if (*s->p == ':') {
        double to, step;
        s->p++;
        if ((rc = number(s, &to)) != 0 || (rc = expect(s, ':')) != 0 ||
            (rc = number(s, &step)) != 0)
            return rc;
        if (*s->p)
            return fail(s, "unexpected text after the range");
        if (!(step != 0.0) || (to - first) * step < 0.0) {
            s->p = at;
            return fail(s, "the step does not lead from the first value to the last");
        }
        const double cnt = floor((to - first) / step + 1e-9) + 1.0;
        if (cnt > 1e7) {
            s->p = at;
            return fail(s, "the range has over 10 million values");
        }
        p->n_values = (int)cnt;
        p->values = malloc((size_t)p->n_values * sizeof *p->values);
        if (!p->values)
            return err_set(s->err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
        for (int i = 0; i < p->n_values; i++)
            p->values[i] = first + (double)i * step;
        p->kind = PK_VALUES;
        return 0;
    }
    int n = 1;
    for (const char *q = s->p; *q; q++)
        n += *q == ',';
    p->values = malloc((size_t)n * sizeof *p->values);
    if (!p->values)
        return err_set(s->err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
    p->kind = PK_VALUES;
    p->values[0] = first;
    p->n_values = 1;
    while (*s->p) {
        if ((rc = expect(s, ',')) != 0 || (rc = number(s, &p->values[p->n_values])) != 0)
            return rc;
        p->n_values++;
    }
    return 0;
}

int sweep_parse_param_text(const migdev_model *m, const char *text, sweep_param *p,
                           migdev_error *err)
{
    scan s = {text, text, err};
    memset(p, 0, sizeof *p);
    char name[256];
    int rc = ident(&s, name, sizeof name);
    if (!rc && *s.p != '=')
        rc = fail(&s, "expected NAME=VALUES, NAME=FROM:TO:STEP or NAME=DIST(...)");
    if (rc)
        return rc;
    char msg[400];
    int var = model_find_constant(m, name, "swept", msg, sizeof msg);
    if (var < 0) { /* a whole arrayed constant */
        sweep_param whole;
        memset(&whole, 0, sizeof whole);
        const int n = sweep_whole_array(m, name, &whole);
        if (n < 0)
            return err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
        if (n > 0) {
            var = whole.var;
            p->also = whole.also;
            p->n_also = whole.n_also;
        }
    }
    if (var < 0)
        return err_set(err, var, NULL, 0, 1, "%s", msg);
    s.p++;
    skip_ws(&s);
    if (isalpha((unsigned char)*s.p))
        rc = parse_dist(&s, p);
    else
        rc = parse_numbers(&s, p);
    if (!rc && !(p->name = strdup(name)))
        rc = err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
    if (rc) {
        sweep_param_clear(p);
        return rc;
    }
    p->var = var;
    return 0;
}

int sweep_parse_metric_text(const migdev_model *m, const char *text, sweep_metric *mt,
                            migdev_error *err)
{
    scan s = {text, text, err};
    memset(mt, 0, sizeof *mt);
    char name[256] = "", stat[32];
    const char *eq = strchr(text, '='), *par = strchr(text, '(');
    int rc;
    if (eq && (!par || eq < par)) {
        const size_t k = (size_t)(eq - text);
        if (k == 0 || k >= sizeof name)
            return fail(&s, "expected a metric name before '='");
        memcpy(name, text, k);
        name[k] = '\0';
        if (!sweep_name_ok(name))
            return fail(&s, "a metric name may only use letters, digits and _ . + -");
        s.p = eq + 1;
    }
    const char *at = s.p;
    if ((rc = ident(&s, stat, sizeof stat)) != 0)
        return rc;
    static const char *const stats[] = {"final", "min", "max", "mean", "at", "crossing",
                                        "last_crossing", NULL};
    int k = 0;
    while (stats[k] && strcmp(stats[k], stat))
        k++;
    if (!stats[k]) {
        s.p = at;
        return fail(&s, "unknown stat (final, min, max, mean, at, crossing, last_crossing)");
    }
    mt->stat = (metric_stat)k;
    char var[256];
    if ((rc = expect(&s, '(')) != 0)
        return rc;
    at = s.p;
    if ((rc = ident(&s, var, sizeof var)) != 0)
        return rc;
    char msg[400];
    mt->var = model_find_var(m, var, "variable", msg, sizeof msg);
    if (mt->var < 0) {
        s.p = at;
        return err_set(err, mt->var, NULL, 0, col(&s), "%s", msg);
    }
    const int crossing = mt->stat == MS_CROSSING || mt->stat == MS_LAST_CROSSING;
    if (mt->stat == MS_AT || crossing) {
        if ((rc = expect(&s, ',')) != 0 ||
            (rc = number(&s, mt->stat == MS_AT ? &mt->time : &mt->threshold)) != 0)
            return rc;
        if (crossing && *s.p == ',') {
            s.p++;
            char dir[16];
            at = s.p;
            if ((rc = ident(&s, dir, sizeof dir)) != 0)
                return rc;
            if (!strcmp(dir, "up"))
                mt->dir = DIR_UP;
            else if (!strcmp(dir, "down"))
                mt->dir = DIR_DOWN;
            else if (!strcmp(dir, "either"))
                mt->dir = DIR_EITHER;
            else {
                s.p = at;
                return fail(&s, "unknown direction (up, down, either)");
            }
        }
    }
    if ((rc = expect(&s, ')')) != 0)
        return rc;
    if (*s.p)
        return fail(&s, "unexpected text after the metric");
    mt->name = name[0] ? strdup(name) : sweep_metric_default_name(m, mt);
    if (!mt->name)
        return err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
    return 0;
}
