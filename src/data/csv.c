/*
** csv.c - the one CSV reader (csv.h), keeping each cell's line and column
** for messages. The dialect is described in csv.h and docs/model-format.md.
*/
#include "data/csv.h"

#include "cfgfile.h"
#include "error_int.h"
#include "model_int.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void csv_free(csv_table *t)
{
    free(t->buf);
    free(t->head);
    free(t->cells);
    memset(t, 0, sizeof *t);
}

int csv_column(const csv_table *t, const char *name)
{
    for (int i = 0; i < t->n_cols; i++)
        if (strcmp(t->head[i].text, name) == 0)
            return i;
    return MIGDEV_E_NAME;
}

void csv_column_list(const csv_table *t, char *cols, size_t n)
{
    size_t len = 0;
    cols[0] = '\0';
    for (int i = 0; i < t->n_cols && len < n; i++)
        len += (size_t)snprintf(cols + len, n - len, "%s%s", i ? ", " : "", t->head[i].text);
}

int csv_find_column(const csv_table *t, const char *path, const char *name, const char *what,
                    migdev_error *err)
{
    const int k = csv_column(t, name);
    if (k >= 0)
        return k;
    name_hint h;
    name_hint_init(&h, name);
    char cols[300];
    csv_column_list(t, cols, sizeof cols);
    for (int i = 0; i < t->n_cols; i++)
        name_hint_offer(&h, t->head[i].text, NULL);
    if (h.best)
        return err_set(err, MIGDEV_E_NAME, path, 1, 1,
                       "no %s '%s' in the header (did you mean '%s'?)", what, name, h.best);
    return err_set(err, MIGDEV_E_NAME, path, 1, 1, "no %s '%s' in the header (columns: %s)", what,
                   name, cols);
}

int csv_number(const csv_cell *cell, const char *path, double *out, migdev_error *err)
{
    if (!cell->text[0])
        return 1;
    char *end;
    errno = 0;
    const double x = strtod(cell->text, &end);
    if (end == cell->text || *end)
        return err_set(err, MIGDEV_E_SYNTAX, path, cell->line, cell->col,
                       "'%s' is not a number (leave the cell empty for a missing value)",
                       cell->text);
    if (!isfinite(x) || errno == ERANGE)
        return err_set(err, MIGDEV_E_RANGE, path, cell->line, cell->col,
                       "'%s' is not a finite number", cell->text);
    *out = x;
    return 0;
}

typedef struct reader {
    const char *path;
    const char *p;    /* next character */
    const char *line_start;
    int line;
    char *out;        /* where the next cell's text is copied */
    migdev_error *err;
    char sep;         /* ',' or '\t' */
} reader;

/* A space around a field (a tab too, unless tabs separate the fields). */
static int is_pad(const reader *r, char c)
{
    return c == ' ' || (c == '\t' && r->sep != '\t');
}

/* Read one field at r->p into r->out (unquoted, trimmed), with its
** position. Leaves r->p on the ',' or the end of the line. */
static int read_field(reader *r, csv_cell *cell)
{
    while (is_pad(r, *r->p))
        r->p++;
    cell->line = r->line;
    cell->col = (int)(r->p - r->line_start) + 1;
    cell->text = r->out;
    char *o = r->out;
    if (*r->p == '"') {
        cell->col++; /* the text starts after the quote */
        for (r->p++;; r->p++) {
            if (*r->p == '\0' || *r->p == '\n' || *r->p == '\r')
                return err_set(r->err, MIGDEV_E_SYNTAX, r->path, cell->line, cell->col - 1,
                               "unterminated quoted field (a line break inside quotes is not "
                               "supported)");
            if (*r->p == '"') {
                if (r->p[1] != '"')
                    break;
                r->p++;
            }
            *o++ = *r->p;
        }
        r->p++;
        while (is_pad(r, *r->p))
            r->p++;
        if (*r->p != r->sep && *r->p != '\n' && *r->p != '\r' && *r->p != '\0')
            return err_set(r->err, MIGDEV_E_SYNTAX, r->path, r->line,
                           (int)(r->p - r->line_start) + 1,
                           "unexpected text after a quoted field");
    } else {
        while (*r->p != r->sep && *r->p != '\n' && *r->p != '\r' && *r->p != '\0')
            *o++ = *r->p++;
        while (o > r->out && is_pad(r, o[-1]))
            o--;
    }
    *o++ = '\0';
    r->out = o;
    return 0;
}

/* Whether the line at p holds only spaces. */
static int blank_line(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\r')
        p++;
    return *p == '\n' || *p == '\0';
}

/* Read the fields of the line at r->p into a growing array; *n their
** count. Moves r->p to the next line. */
static int read_row(reader *r, csv_cell **cells, int *cap, int *n, int base)
{
    for (;;) {
        if (base + *n >= *cap) {
            const int nc = *cap ? 2 * *cap : 64;
            csv_cell *g = realloc(*cells, (size_t)nc * sizeof *g);
            if (!g)
                return err_set(r->err, MIGDEV_E_NOMEM, r->path, 0, 0, "out of memory");
            *cells = g;
            *cap = nc;
        }
        const int rc = read_field(r, &(*cells)[base + *n]);
        if (rc)
            return rc;
        (*n)++;
        if (*r->p != r->sep)
            break;
        r->p++;
    }
    if (*r->p == '\r')
        r->p++;
    if (*r->p == '\n')
        r->p++;
    r->line++;
    r->line_start = r->p;
    return 0;
}

int csv_read(csv_table *t, const char *path, migdev_error *err)
{
    memset(t, 0, sizeof *t);
    char *text = cfgfile_slurp(path, err); /* a NUL byte is an error there */
    if (!text)
        return err ? err->code : MIGDEV_E_IO;
    const int rc = csv_parse(t, path, text, strlen(text), err);
    free(text);
    return rc;
}

int csv_parse(csv_table *t, const char *path, const char *text, size_t len, migdev_error *err)
{
    return csv_parse_sep(t, path, text, len, ',', err);
}

int csv_parse_sep(csv_table *t, const char *path, const char *text, size_t len, char sep,
                  migdev_error *err)
{
    memset(t, 0, sizeof *t);
    if (strlen(text) != len) {
        int line = 1, col = 1;
        for (const char *p = text; *p; p++, col++)
            if (*p == '\n')
                line++, col = 0;
        return err_set(err, MIGDEV_E_SYNTAX, path, line, col,
                       "not a text file (contains a NUL byte)");
    }
    t->buf = malloc(len + 1);
    int rc = t->buf ? 0 : err_set(err, MIGDEV_E_NOMEM, path, 0, 0, "out of memory");
    /* a UTF-8 byte-order mark (spreadsheets write one) is not part of the
       first column's name */
    const char *first = strncmp(text, "\xEF\xBB\xBF", 3) == 0 ? text + 3 : text;
    reader r = {path, first, first, 1, t->buf, err, sep};
    /* each field's copy is at most its text plus a NUL, which takes the
       place of its ',' or line break: the copies fit in len + 1 bytes */
    int head_cap = 0, cap = 0;
    if (!rc && !*first)
        rc = err_set(err, MIGDEV_E_SYNTAX, path, 1, 1,
                     "the file is empty (expected a header row: time,<columns>)");
    if (!rc)
        rc = read_row(&r, &t->head, &head_cap, &t->n_cols, 0);
    for (int i = 0; !rc && i < t->n_cols; i++) {
        if (!t->head[i].text[0])
            rc = err_set(err, MIGDEV_E_SYNTAX, path, 1, t->head[i].col,
                         "column %d of the header has no name", i + 1);
        for (int j = 0; !rc && j < i; j++)
            if (strcmp(t->head[i].text, t->head[j].text) == 0)
                rc = err_set(err, MIGDEV_E_SYNTAX, path, 1, t->head[i].col,
                             "column '%s' appears twice in the header", t->head[i].text);
    }
    while (!rc && *r.p) {
        if (blank_line(r.p)) {
            r.p += strcspn(r.p, "\n");
            if (*r.p)
                r.p++;
            r.line++;
            r.line_start = r.p;
            continue;
        }
        const int line = r.line;
        const char *start = r.line_start;
        int n = 0;
        rc = read_row(&r, &t->cells, &cap, &n, t->n_rows * t->n_cols);
        if (!rc && n != t->n_cols) {
            const char *eol = start + strcspn(start, "\r\n");
            rc = err_set(err, MIGDEV_E_SYNTAX, path, line, (int)(eol - start) + 1,
                         "this row has %d field%s, the header has %d", n, n == 1 ? "" : "s",
                         t->n_cols);
        }
        if (!rc)
            t->n_rows++;
    }
    /* the cells point into t->buf, which stays */
    if (rc)
        csv_free(t);
    return rc;
}
