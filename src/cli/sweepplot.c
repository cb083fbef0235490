/*
** sweepplot.c - `migdev plot SERIES.csv`: the series file of a sweep
** (run,time,variable,value, as `migdev sweep --series-out` writes it) as a
** spaghetti plot (every run a thin line, the median across runs bold) or a
** fan chart (the 5-95 % and 25-75 % bands across runs filled, the median a
** line; quantiles by linear interpolation between order statistics, R's
** type 7, as the sweep's own bands). One panel per variable.
**
** Every string from the file reaches gnuplot as a single-quoted constant
** (gpquote.h); the data go inline as datablocks.
*/
#include "sweepplot.h"

#include "gnuplot.h"
#include "gpquote.h"
#include "outfile.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <strings.h>
#include <unistd.h>

typedef struct row {
    long run;
    int var;
    double t, y;
} row;

typedef struct series_file {
    char **vars;
    int n_vars;
    row *rows;
    size_t n_rows, cap;
} series_file;

static void series_free(series_file *s)
{
    for (int i = 0; i < s->n_vars; i++)
        free(s->vars[i]);
    free(s->vars);
    free(s->rows);
}

int sweepplot_is_series(const char *path)
{
    /* only a regular file is peeked at (a FIFO would wait for a writer, and
       its first line would be lost): anything else is refused later, by the
       table reader, with a message */
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[64];
    const int yes = fgets(line, sizeof line, f) && strncmp(line, "run,time,variable,value", 23) == 0 &&
                    (line[23] == '\n' || line[23] == '\r' || line[23] == '\0');
    fclose(f);
    return yes;
}

/* The next comma-separated field of *p (a quoted one unquoted) into buf. */
static int field(char **p, char *buf, size_t n)
{
    char *s = *p;
    size_t k = 0;
    if (*s == '"') {
        for (s++; *s && !(*s == '"' && s[1] != '"'); s++) {
            if (*s == '"')
                s++;
            if (k + 1 < n)
                buf[k++] = *s;
        }
        if (*s != '"')
            return -1;
        s++;
    } else {
        while (*s && *s != ',' && *s != '\n' && *s != '\r')
            if (k + 1 < n)
                buf[k++] = *s++;
            else
                s++;
    }
    buf[k] = '\0';
    if (*s == ',')
        s++;
    *p = s;
    return 0;
}

static int read_series(const char *path, series_file *s)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "%s: error: cannot read: %s\n", path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    int lineno = 0, rc = 0;
    while (getline(&line, &cap, f) > 0) {
        if (++lineno == 1)
            continue; /* the header, checked by sweepplot_is_series */
        char *p = line, f1[64], f2[64], name[512], f4[64];
        if (*p == '\n' || *p == '\r')
            continue;
        char *e1, *e2, *e4;
        if (field(&p, f1, sizeof f1) || field(&p, f2, sizeof f2) || field(&p, name, sizeof name) ||
            field(&p, f4, sizeof f4)) {
            fprintf(stderr, "%s:%d:1: error: expected run,time,variable,value\n", path, lineno);
            rc = -1;
            break;
        }
        const long run = strtol(f1, &e1, 10);
        const double t = strtod(f2, &e2);
        const double y = *f4 ? strtod(f4, &e4) : NAN;
        if (!*f1 || *e1 || !*f2 || *e2 || (*f4 && *e4)) {
            fprintf(stderr, "%s:%d:1: error: expected a run number, a time and a value, got "
                            "'%s,%s,...,%s'\n", path, lineno, f1, f2, f4);
            rc = -1;
            break;
        }
        int v = 0;
        while (v < s->n_vars && strcmp(s->vars[v], name) != 0)
            v++;
        if (v == s->n_vars) {
            char **nv = realloc(s->vars, (size_t)(s->n_vars + 1) * sizeof *nv);
            if (!nv || !(nv[s->n_vars] = strdup(name))) {
                s->vars = nv ? nv : s->vars;
                rc = -1;
                break;
            }
            s->vars = nv;
            s->n_vars++;
        }
        if (s->n_rows == s->cap) {
            const size_t nc = s->cap ? 2 * s->cap : 1024;
            row *r = realloc(s->rows, nc * sizeof *r);
            if (!r) {
                rc = -1;
                break;
            }
            s->rows = r, s->cap = nc;
        }
        s->rows[s->n_rows++] = (row){run, v, t, y};
    }
    free(line);
    fclose(f);
    if (!rc && s->n_rows == 0) {
        fprintf(stderr, "%s: error: the series file has no rows\n", path);
        rc = -1;
    }
    return rc;
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Quantile p of the n sorted values x (linear interpolation, R's type 7). */
static double quantile(const double *x, size_t n, double p)
{
    const double h = (double)(n - 1) * p;
    const size_t lo = (size_t)floor(h);
    return lo + 1 < n ? x[lo] + (h - (double)lo) * (x[lo + 1] - x[lo]) : x[n - 1];
}

/* The across-run quantiles of variable v at each time it has, as rows
** `t q5 q25 q50 q75 q95` of a datablock. Times are taken in the order the
** first run gives them; a run without a value there is skipped. */
static int put_quantiles(FILE *gp, const series_file *s, int v)
{
    size_t nt = 0;
    long first = -1;
    for (size_t i = 0; i < s->n_rows; i++)
        if (s->rows[i].var == v) {
            if (first < 0)
                first = s->rows[i].run;
            nt += s->rows[i].run == first;
        }
    double *vals = malloc((s->n_rows + 1) * sizeof *vals);
    if (!vals)
        return -1;
    for (size_t i = 0, k = 0; i < s->n_rows && k < nt; i++) {
        if (s->rows[i].var != v || s->rows[i].run != first)
            continue;
        k++;
        const double t = s->rows[i].t;
        size_t n = 0;
        for (size_t j = 0; j < s->n_rows; j++)
            if (s->rows[j].var == v && s->rows[j].t == t && !isnan(s->rows[j].y))
                vals[n++] = s->rows[j].y;
        if (n == 0)
            continue;
        qsort(vals, n, sizeof *vals, cmp_double);
        fprintf(gp, "%.17g %.17g %.17g %.17g %.17g %.17g\n", t, quantile(vals, n, 0.05),
                quantile(vals, n, 0.25), quantile(vals, n, 0.5), quantile(vals, n, 0.75),
                quantile(vals, n, 0.95));
    }
    free(vals);
    return 0;
}

int sweepplot_draw(const char *path, const char *style, const char *out, const char *title)
{
    const int fan = style && strcmp(style, "fan") == 0;
    series_file s;
    memset(&s, 0, sizeof s);
    if (read_series(path, &s) != 0) {
        series_free(&s);
        return -1;
    }
    const char *dot = out ? strrchr(out, '.') : NULL;
    const char *term = !out ? "dumb"
                       : !dot                        ? NULL
                       : strcasecmp(dot, ".png") == 0 ? "pngcairo"
                       : strcasecmp(dot, ".svg") == 0 ? "svg"
                       : strcasecmp(dot, ".pdf") == 0 ? "pdfcairo"
                                                      : NULL;
    if (!term) {
        fprintf(stderr, "%s: error: a figure must be .png, .svg or .pdf\n", out);
        series_free(&s);
        return -1;
    }
    outfile of;
    if (out && outfile_open(&of, out) != 0) {
        series_free(&s);
        return -1;
    }
    gnuplot_proc g;
    if (gnuplot_start(&g, out ? fileno(of.f) : -1, 0) != 0) {
        if (out)
            outfile_close(&of, 0);
        series_free(&s);
        return -1;
    }
    FILE *gp = g.in;
    long n_runs = 0, last = -1;
    for (size_t i = 0; i < s.n_rows; i++)
        if (s.rows[i].run != last && s.rows[i].var == 0)
            n_runs++, last = s.rows[i].run;
    enum { PANEL_PX = 330, WIDTH_PX = 900, TEXT_ROWS = 26 };
    if (!out)
        fprintf(gp, "set terminal dumb size 100,%d noenhanced\n", TEXT_ROWS * s.n_vars);
    else if (strcmp(term, "pdfcairo") == 0)
        fprintf(gp, "set terminal pdfcairo size %gin,%gin noenhanced\n", WIDTH_PX / 100.0,
                (60 + PANEL_PX * s.n_vars) / 100.0);
    else
        fprintf(gp, "set terminal %s size %d,%d noenhanced\n", term, WIDTH_PX, 60 + PANEL_PX * s.n_vars);
    fputs("set datafile missing NaN\nset grid\n", gp);
    for (int v = 0; v < s.n_vars; v++) {
        fprintf(gp, "$q%d << EOD\n", v);
        put_quantiles(gp, &s, v);
        fputs("EOD\n", gp);
        if (!fan) { /* every run, a blank line between runs: one broken line */
            fprintf(gp, "$r%d << EOD\n", v);
            long prev = -1;
            for (size_t i = 0; i < s.n_rows; i++) {
                if (s.rows[i].var != v)
                    continue;
                if (prev >= 0 && s.rows[i].run != prev)
                    fputc('\n', gp);
                prev = s.rows[i].run;
                fprintf(gp, "%.17g %.17g\n", s.rows[i].t, s.rows[i].y);
            }
            fputs("EOD\n", gp);
        }
    }
    fprintf(gp, "set multiplot layout %d,1 title ", s.n_vars);
    char t[600];
    snprintf(t, sizeof t, "%s%s%ld runs", title && *title ? title : "", title && *title ? ": " : "",
             n_runs);
    gp_quote(gp, t);
    fputs("\nset key below horizontal\nset xlabel 'time'\nset format y '%h'\n", gp);
    for (int v = 0; v < s.n_vars; v++) {
        fputs("set title ", gp);
        gp_quote(gp, s.vars[v]);
        fputc('\n', gp);
        if (fan)
            fprintf(gp,
                    "plot $q%d using 1:2:6 with filledcurves fc rgb '#c6dbef' title '5-95 %%', \\\n"
                    "     $q%d using 1:3:5 with filledcurves fc rgb '#6baed6' title '25-75 %%', \\\n"
                    "     $q%d using 1:4 with lines lw 2 lc rgb '#08306b' title 'median'\n",
                    v, v, v);
        else
            fprintf(gp,
                    "plot $r%d using 1:2 with lines lw 0.6 lc rgb '#9ab3cc' title 'each run', \\\n"
                    "     $q%d using 1:4 with lines lw 2.5 lc rgb '#08306b' title 'median across runs'\n",
                    v, v);
    }
    fputs("unset multiplot\n", gp);
    const int st = gnuplot_finish(&g);
    series_free(&s);
    if (out)
        return outfile_close(&of, st == 0) == 0 && st == 0 ? 0 : -1;
    return st == 0 ? 0 : -1;
}
