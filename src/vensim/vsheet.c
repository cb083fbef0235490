/*
** vsheet.c - the grid of a sheet, cell references, and CSV / tab files
** (see vsheet.h). Workbooks (.xlsx, .xls) are read by vbook.c.
*/
#include "vsheet.h"

#include "error_int.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    MAX_ROWS = 1048576, /* Excel's limits: a file beyond them is refused */
    MAX_COLS = 16384,
    MAX_CELLS = 10000000 /* 160 MB of grid: a workbook claiming more is refused */
};

void vsheet_free(vsheet *s)
{
    if (!s)
        return;
    const long n = (long)s->n_rows * s->n_cols;
    for (long i = 0; s->text && i < n; i++)
        free(s->text[i]);
    free(s->text);
    free(s->num);
    for (int i = 0; i < s->n_names; i++)
        free(s->names[i].name);
    free(s->names);
    memset(s, 0, sizeof *s);
}

/* Make room for cell (r, c): the grid grows to at least r+1 rows, c+1
** columns (doubling, so that reading a file row by row stays linear). */
static int grow(vsheet *s, int r, int c)
{
    if (r < s->n_rows && c < s->n_cols)
        return 0;
    if (r >= MAX_ROWS || c >= MAX_COLS)
        return -1;
    int nr = s->n_rows, nc = s->n_cols;
    if (r >= nr)
        nr = r + 1 > 2 * nr ? r + 1 : 2 * nr;
    if (c >= nc)
        nc = c + 1 > nc + 4 ? c + 1 : nc + 4;
    if (nr > MAX_ROWS)
        nr = MAX_ROWS;
    if (nc > MAX_COLS)
        nc = MAX_COLS;
    if ((long)nr * nc > MAX_CELLS)
        return -1;
    double *num = malloc((size_t)nr * (size_t)nc * sizeof *num);
    char **text = calloc((size_t)nr * (size_t)nc, sizeof *text);
    if (!num || !text) {
        free(num);
        free(text);
        return -1;
    }
    for (long i = 0; i < (long)nr * nc; i++)
        num[i] = NAN;
    for (int i = 0; i < s->n_rows; i++)
        for (int j = 0; j < s->n_cols; j++) {
            num[(long)i * nc + j] = s->num[(long)i * s->n_cols + j];
            text[(long)i * nc + j] = s->text[(long)i * s->n_cols + j];
        }
    free(s->num);
    free(s->text);
    s->num = num;
    s->text = text;
    s->n_rows = nr;
    s->n_cols = nc;
    return 0;
}

/* The number a cell's text holds, or NaN (blanks around it allowed). */
static double cell_number(const char *t)
{
    while (isspace((unsigned char)*t))
        t++;
    if (!*t)
        return NAN;
    char *end;
    errno = 0;
    const double x = strtod(t, &end);
    if (end == t)
        return NAN;
    while (isspace((unsigned char)*end))
        end++;
    return *end ? NAN : x;
}

int vsheet_put(vsheet *s, int r, int c, const char *text, size_t n)
{
    if (r < 0 || c < 0 || grow(s, r, c))
        return -1;
    char *t = malloc(n + 1);
    if (!t)
        return -1;
    memcpy(t, text, n);
    t[n] = '\0';
    const long k = (long)r * s->n_cols + c;
    free(s->text[k]);
    s->text[k] = t;
    s->num[k] = cell_number(t);
    return 0;
}

int vsheet_add_name(vsheet *s, const char *name, int r0, int c0, int r1, int c1)
{
    vsheet_name *nn = realloc(s->names, (size_t)(s->n_names + 1) * sizeof *nn);
    if (!nn)
        return -1;
    s->names = nn;
    char *d = malloc(strlen(name) + 1);
    if (!d)
        return -1;
    strcpy(d, name);
    s->names[s->n_names++] = (vsheet_name){d, r0, c0, r1, c1};
    return 0;
}

double vsheet_num(const vsheet *s, int r, int c)
{
    if (r < 0 || c < 0 || r >= s->n_rows || c >= s->n_cols)
        return NAN;
    return s->num[(long)r * s->n_cols + c];
}

int vsheet_col(const char *text, size_t n)
{
    if (n == 0 || n > 3)
        return -1;
    long c = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isalpha((unsigned char)text[i]))
            return -1;
        c = c * 26 + (toupper((unsigned char)text[i]) - 'A' + 1);
    }
    return c - 1 < MAX_COLS ? (int)(c - 1) : -1;
}

int vsheet_cell_ref(const char *text, size_t n, int *row, int *col)
{
    size_t i = 0;
    if (i < n && text[i] == '$')
        i++;
    const size_t a = i;
    while (i < n && isalpha((unsigned char)text[i]))
        i++;
    const int c = vsheet_col(text + a, i - a);
    if (c < 0)
        return 0;
    if (i < n && text[i] == '$')
        i++;
    if (i >= n || !isdigit((unsigned char)text[i]) || text[i] == '0')
        return 0;
    long r = 0;
    for (; i < n && isdigit((unsigned char)text[i]); i++) {
        r = r * 10 + (text[i] - '0');
        if (r > MAX_ROWS)
            return 0;
    }
    if (i != n)
        return 0;
    *row = (int)(r - 1);
    *col = c;
    return 1;
}

/* ------------------------------------------------------ delimited files */

int vsheet_read_delim(const char *path, char sep, vsheet *out, migdev_error *err)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (!f)
        return err_set(err, MIGDEV_E_IO, NULL, 0, 0, "cannot open: %s", strerror(errno));
    char *cell = NULL;
    size_t len = 0, cap = 0;
    int r = 0, c = 0, quoted = 0, was_quoted = 0, rc = 0, ch, any = 0;
    while (!rc) {
        ch = getc(f);
        if (ch == EOF && quoted) {
            rc = err_set(err, MIGDEV_E_SYNTAX, NULL, 0, 0,
                         "line %d: a quoted cell is never closed", r + 1);
            break;
        }
        if (quoted) {
            if (ch == '"') {
                const int nx = getc(f);
                if (nx == '"') {
                    ch = '"';
                } else {
                    quoted = 0;
                    if (nx != EOF)
                        ungetc(nx, f);
                    continue;
                }
            }
        } else if (ch == '"' && len == 0 && !was_quoted) {
            quoted = was_quoted = 1;
            continue;
        } else if (ch == '\r') {
            continue;
        } else if (ch == sep || ch == '\n' || ch == EOF) {
            if (ch == EOF && !any && len == 0 && c == 0)
                break; /* the file ends with its last line */
            if ((len > 0 || was_quoted) && vsheet_put(out, r, c, cell ? cell : "", len))
                rc = err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0,
                             "out of memory (or a grid beyond %d rows, %d columns)", MAX_ROWS,
                             MAX_COLS);
            len = 0;
            was_quoted = 0;
            if (ch == sep) {
                c++;
                any = 1;
            } else {
                r++;
                c = 0;
                any = 0;
            }
            if (ch == EOF)
                break;
            continue;
        }
        if (len + 1 >= cap) {
            cap = cap ? 2 * cap : 64;
            char *nc = realloc(cell, cap);
            if (!nc) {
                rc = err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
                break;
            }
            cell = nc;
        }
        cell[len++] = (char)ch;
        any = 1;
    }
    if (!rc && ferror(f))
        rc = err_set(err, MIGDEV_E_IO, NULL, 0, 0, "read error");
    fclose(f);
    free(cell);
    if (rc)
        vsheet_free(out);
    return rc;
}
