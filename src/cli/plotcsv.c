/*
** plotcsv.c - CSV tables in and out of plot_data (see plotcsv.h).
*/
#include "plotcsv.h"
#include "readall.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- writing ---- */

static void put_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

int plot_csv_write(FILE *f, const plot_data *pd)
{
    char num[32];
    fputs("scenario,time", f);
    for (int i = 0; i < pd->n_vars; i++) {
        fputc(',', f);
        put_field(f, pd->names[i]);
    }
    fputc('\n', f);
    for (int g = 0; g < pd->n_groups; g++) {
        const plot_group *gr = &pd->groups[g];
        for (size_t k = 0; k < gr->n_rows; k++) {
            put_field(f, gr->name);
            fprintf(f, ",%s", migdev_format_number(gr->time[k], num));
            for (int i = 0; i < pd->n_vars; i++) {
                const double x = gr->values[k * (size_t)pd->n_vars + (size_t)i];
                fprintf(f, ",%s", isnan(x) ? "" : migdev_format_number(x, num)); /* missing */
            }
            fputc('\n', f);
        }
    }
    return ferror(f) ? -1 : 0;
}

/* ---- reading ---- */

typedef struct reader {
    const char *path;
    const char *p;   /* next character */
    int line, col;   /* of p */
    char sep;
} reader;

static int fail(const reader *r, int line, int col, const char *msg, const char *arg)
{
    fprintf(stderr, "%s:%d:%d: error: ", r->path, line, col);
    fprintf(stderr, msg, arg);
    fputc('\n', stderr);
    return -1;
}

/* Read one field into a new string; *end set when the row ends after it.
** Returns NULL after printing on a malformed quoted field or no memory. */
static char *next_field(reader *r, int *end)
{
    size_t cap = 32, n = 0;
    char *s = malloc(cap);
    if (!s)
        return NULL;
    const int line = r->line, col = r->col;
    int quoted = *r->p == '"';
    if (quoted) {
        r->p++;
        r->col++;
    }
    for (;;) {
        char ch = *r->p;
        if (quoted) {
            if (ch == '\0') {
                free(s);
                fail(r, line, col, "unterminated quoted field%s", "");
                return NULL;
            }
            if (ch == '"') {
                if (r->p[1] != '"') {
                    r->p++, r->col++;
                    quoted = 0;
                    continue;
                }
                r->p++, r->col++;
            }
        } else if (ch == r->sep || ch == '\n' || ch == '\r' || ch == '\0') {
            break;
        }
        if (ch == '\n')
            r->line++, r->col = 0;
        if (n + 2 > cap) {
            char *t = realloc(s, cap *= 2);
            if (!t) {
                free(s);
                return NULL;
            }
            s = t;
        }
        s[n++] = ch;
        r->p++, r->col++;
    }
    s[n] = '\0';
    if (*r->p == r->sep) {
        r->p++, r->col++;
        *end = 0;
    } else {
        if (*r->p == '\r')
            r->p++;
        if (*r->p == '\n')
            r->p++;
        r->line++, r->col = 1;
        *end = 1;
    }
    return s;
}

static char *slurp(const char *path)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    char *text = f ? read_all(f) : NULL;
    if (!text)
        fprintf(stderr, "%s: error: cannot read: %s\n", path, strerror(errno));
    if (f && f != stdin)
        fclose(f);
    return text;
}

/* The file name without folder and extension, as the single group's name. */
static char *stem(const char *path)
{
    if (strcmp(path, "-") == 0)
        return strdup("stdin");
    const char *b = strrchr(path, '/');
    char *s = strdup(b ? b + 1 : path);
    char *dot = s ? strrchr(s, '.') : NULL;
    if (dot && dot != s)
        *dot = '\0';
    return s;
}

static void free_fields(char **v, int n)
{
    for (int i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* Read the header row into *names; returns the column count or -1. */
static int read_header(reader *r, char ***names)
{
    int n = 0, cap = 8, end = 0;
    char **v = malloc((size_t)cap * sizeof *v);
    while (v && !end) {
        if (n == cap) {
            char **t = realloc(v, (size_t)(cap *= 2) * sizeof *v);
            if (!t)
                break;
            v = t;
        }
        char *f = next_field(r, &end);
        if (!f)
            break;
        v[n++] = f;
    }
    if (!v || !end) {
        if (v)
            free_fields(v, n);
        return -1;
    }
    *names = v;
    return n;
}

static plot_group *find_group(plot_data *pd, const char *name)
{
    for (int g = pd->n_groups - 1; g >= 0; g--)
        if (strcmp(pd->groups[g].name, name) == 0)
            return &pd->groups[g];
    return plot_data_add_group(pd, name);
}

int plot_csv_read(plot_data *pd, const char *path)
{
    char *text = slurp(path);
    if (!text)
        return -1;
    reader r = {path, text, 1, 1, ','};
    const size_t head = strcspn(text, "\n");
    if (memchr(text, '\t', head) && !memchr(text, ',', head))
        r.sep = '\t';
    if (!*text) {
        free(text);
        return fail(&r, 1, 1, "the file is empty (expected a header: time,<variables>)%s", "");
    }
    char **names = NULL;
    const int n_cols = read_header(&r, &names);
    if (n_cols < 0) {
        free(text);
        return -1;
    }
    const int has_group = strcmp(names[0], "scenario") == 0;
    const int first = has_group ? 2 : 1;
    int rc = 0;
    if (n_cols <= first || strcmp(names[first - 1], "time") != 0)
        rc = fail(&r, 1, 1,
                  "the columns must be time,<variables> or scenario,time,<variables>%s", "");
    if (!rc)
        rc = plot_data_set_vars(pd, NULL, (const char *const *)(names + first), n_cols - first);
    char *single = has_group ? NULL : stem(path);
    double *row = malloc((size_t)n_cols * sizeof *row);
    plot_group *g = NULL;
    if (!rc && (!row || (!has_group && (!single || !(g = plot_data_add_group(pd, single))))))
        rc = -1;
    while (!rc && *r.p) {
        if (*r.p == '\n' || (*r.p == '\r' && r.p[1] == '\n')) { /* blank line */
            r.p += *r.p == '\r' ? 2 : 1;
            r.line++;
            continue;
        }
        const int line = r.line;
        int end = 0, col = 0;
        while (!rc && !end) {
            const int fcol = r.col;
            char *f = next_field(&r, &end);
            if (!f) {
                rc = -1;
                break;
            }
            if (col >= n_cols) {
                rc = fail(&r, line, fcol, "this row has more fields than the header%s", "");
            } else if (has_group && col == 0) {
                if (!(g = find_group(pd, f)))
                    rc = -1;
            } else if (!*f && col > (has_group ? 1 : 0)) {
                row[col - (has_group ? 1 : 0)] = NAN; /* an empty cell: a missing value */
            } else {
                char *e;
                errno = 0;
                const double x = strtod(f, &e);
                if (e == f || *e != '\0')
                    rc = fail(&r, line, fcol, "'%s' is not a number", f);
                else
                    row[col - (has_group ? 1 : 0)] = x;
            }
            free(f);
            col++;
        }
        if (!rc && col < n_cols)
            rc = fail(&r, line, r.col, "this row has fewer fields than the header%s", "");
        if (!rc)
            rc = plot_data_add_row(pd, g, row[0], row + 1);
    }
    if (!rc && (pd->n_groups == 0 || pd->groups[0].n_rows == 0))
        rc = fail(&r, r.line, 1, "no rows of data after the header%s", "");
    free(row);
    free(single);
    free_fields(names, n_cols);
    free(text);
    return rc;
}
