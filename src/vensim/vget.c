/*
** vget.c - Vensim's GET XLS / GET DIRECT functions: constants, data,
** lookups and subscript ranges read from a spreadsheet or a CSV / tab file
** beside the model, once, when the model is read.
**
** The cells follow Vensim's rules (as PySD reads them too):
**   GET DIRECT CONSTANTS(file, sheet, cell): the values from the top-left
**     cell, a row for one range, rows x columns for two ("C4*": the same
**     transposed); or a defined name of the workbook covering them.
**   GET DIRECT DATA / LOOKUPS(file, sheet, row_or_col, cell): the times (x
**     values) in row N of the sheet ("4": a horizontal series; the
**     elements then run down from cell) or in column X ("A": a vertical
**     series; the elements run across from cell), or two defined names.
**     Empty times at the end are dropped, the points are put in order of
**     time, and a missing value is filled from its neighbours the way the
**     variable interpolates (left as :NA: when it is :RAW:).
**   GET DIRECT SUBSCRIPT(file, sheet, first, last, prefix): the non-empty
**     cells from first to last (a cell, a row number, a column, or ""
**     for the end of the sheet), row by row, each prefixed.
** For a CSV or tab file the sheet argument is the separator (',' when it
** is not punctuation, tab for .tab and .txt files). A file is named
** relative to the model's folder and must stay inside it.
*/
/* realpath() is an XSI function */
#define _XOPEN_SOURCE 700

#include "vmdl_int.h"

#include "error_int.h"
#include "util.h"
#include "vexpr.h"
#include "vsheet.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { MAX_GET_ARGS = 5, MAX_FN = 64 };

static const struct {
    const char *key;
    vget_kind kind;
    int n_args;
} get_fns[] = {
    {"get_direct_constants", VG_CONSTANTS, 3}, {"get_xls_constants", VG_CONSTANTS, 3},
    {"get_direct_data", VG_DATA, 4},           {"get_xls_data", VG_DATA, 4},
    {"get_direct_lookups", VG_LOOKUPS, 4},     {"get_xls_lookups", VG_LOOKUPS, 4},
};

void vg_free(vget *g)
{
    if (!g)
        return;
    free(g->fn);
    for (int i = 0; i < g->n_arg; i++)
        free(g->arg[i]);
    free(g);
}

void vg_free_books(vreader *r)
{
    for (int i = 0; i < r->n_books; i++) {
        free(r->books[i].path);
        free(r->books[i].sheet);
        vsheet_free(r->books[i].s);
        free(r->books[i].s);
    }
    free(r->books);
    r->books = NULL;
    r->n_books = 0;
}

/* "GET XLS DATA" -> "get_xls_data" in key (cap bytes). */
static void fn_key(const char *s, size_t n, char *key, size_t cap)
{
    size_t k = 0;
    int sep = 0;
    for (size_t i = 0; i < n && k + 2 < cap; i++) {
        const unsigned char ch = (unsigned char)s[i];
        if (isspace(ch) || ch == '_' || ch == '\\') {
            sep = k > 0;
            continue;
        }
        if (sep)
            key[k++] = '_';
        sep = 0;
        key[k++] = (char)tolower(ch);
    }
    key[k] = '\0';
}

/* The function's name and quoted arguments at text: "GET X(...)" ->
** chars read, fills name (cap bytes, display), args (owned). 0: not a GET
** call with quoted arguments; -1 with err (message at line:col). */
static int parse_call(vreader *r, const char *text, int line, int col, char *name, size_t cap,
                      char **args, int *n_args)
{
    const char *p = text;
    while (isspace((unsigned char)*p))
        p++;
    if (strncasecmp(p, "get", 3) != 0 || (p[3] != ' ' && p[3] != '_'))
        return 0;
    const char *s = p, *q = p;
    while (*q && *q != '(' && *q != '\n' && (isalnum((unsigned char)*q) || *q == ' ' ||
                                              *q == '_' || *q == '\t'))
        q++;
    if (*q != '(')
        return 0;
    size_t nl = (size_t)(q - s);
    while (nl && isspace((unsigned char)s[nl - 1]))
        nl--;
    if (nl + 1 > cap)
        return 0;
    memcpy(name, s, nl);
    name[nl] = '\0';
    q++;
    *n_args = 0;
    for (;;) {
        while (isspace((unsigned char)*q) || (*q == '\\' && (q[1] == '\n' || q[1] == '\r')))
            q++;
        if (*q == ')' && *n_args == 0)
            break;
        if (*q != '\'' && *q != '"')
            return *n_args == 0 ? 0
                                : err_set(r->err, MIGDEV_E_SYNTAX, r->file, line, col,
                                          "%s: its arguments are quoted strings ('file.xlsx')",
                                          name);
        const char quote = *q++;
        const char *a = q;
        while (*q && *q != quote && *q != '\n')
            q++;
        if (*q != quote)
            return err_set(r->err, MIGDEV_E_SYNTAX, r->file, line, col,
                           "%s: a quoted argument is never closed", name);
        if (*n_args >= MAX_GET_ARGS)
            return err_set(r->err, MIGDEV_E_TYPE, r->file, line, col,
                           "%s: too many arguments", name);
        args[*n_args] = vm_dup_n(a, (size_t)(q - a));
        if (!args[*n_args])
            return vm_oom(r);
        ++*n_args;
        q++;
        while (isspace((unsigned char)*q) || (*q == '\\' && (q[1] == '\n' || q[1] == '\r')))
            q++;
        if (*q == ',') {
            q++;
            continue;
        }
        if (*q == ')')
            break;
        return err_set(r->err, MIGDEV_E_SYNTAX, r->file, line, col,
                       "%s: expected ',' or ')' after an argument", name);
    }
    return (int)(q + 1 - text);
}

int vg_parse(vreader *r, const char *text, int line, int col, vget **out)
{
    char name[MAX_FN], key[MAX_FN];
    char *args[MAX_GET_ARGS];
    int n_args = 0;
    *out = NULL;
    const int n = parse_call(r, text, line, col, name, sizeof name, args, &n_args);
    if (n <= 0) {
        for (int i = 0; i < n_args; i++)
            free(args[i]);
        return n;
    }
    fn_key(name, strlen(name), key, sizeof key);
    int k = -1;
    for (size_t i = 0; i < sizeof get_fns / sizeof get_fns[0]; i++)
        if (strcmp(get_fns[i].key, key) == 0)
            k = (int)i;
    int rc = 0;
    if (k < 0)
        rc = err_set(r->err, MIGDEV_E_UNSUPPORTED, r->file, line, col,
                     "the Vensim function %s is not supported", name);
    else if (n_args != get_fns[k].n_args)
        rc = err_set(r->err, MIGDEV_E_TYPE, r->file, line, col, "%s takes %d arguments, got %d",
                     name, get_fns[k].n_args, n_args);
    vget *g = rc ? NULL : calloc(1, sizeof *g);
    if (!rc && (!g || !(g->fn = vm_dup_n(name, strlen(name)))))
        rc = vm_oom(r);
    if (rc) {
        for (int i = 0; i < n_args; i++)
            free(args[i]);
        vg_free(g);
        return rc < 0 ? rc : -1;
    }
    g->kind = get_fns[k].kind;
    g->n_arg = n_args;
    for (int i = 0; i < n_args; i++)
        g->arg[i] = args[i];
    g->line = line;
    g->col = col;
    *out = g;
    return n;
}

/* ------------------------------------------------------------------ files */

static int get_error(vreader *r, const vget *g, int code, const char *fmt, const char *what)
{
    return err_set(r->err, code, r->file, g->line, g->col, "%s('%s'): %s%s", g->fn, g->arg[0],
                   fmt, what ? what : "");
}

/* The file named by a GET function, relative to the model's folder:
** resolved (owned), or NULL with err set when it is missing or outside. */
static char *resolve_file(vreader *r, const char *fn, const char *name, int line, int col)
{
    if (!*name || name[0] == '?')
        return err_set(r->err, MIGDEV_E_UNSUPPORTED, r->file, line, col,
                       "%s: '%s' is not a file name (indirect references '?name' are not "
                       "supported)", fn, name),
               NULL;
    char *rel = vm_dup_n(name, strlen(name));
    if (!rel)
        return vm_oom(r), NULL;
    for (char *p = rel; *p; p++)
        if (*p == '\\')
            *p = '/'; /* Vensim on Windows: "..\\data\\x.xlsx" */
    if (rel[0] == '/' || (isalpha((unsigned char)rel[0]) && rel[1] == ':')) {
        err_set(r->err, MIGDEV_E_UNSUPPORTED, r->file, line, col,
                "%s: '%s' is an absolute path; a data file is named relative to the model's "
                "folder, and stays inside it", fn, name);
        free(rel);
        return NULL;
    }
    const char *slash = r->file ? strrchr(r->file, '/') : NULL;
    const size_t dl = slash ? (size_t)(slash - r->file) : 1;
    char *dir = slash ? vm_dup_n(r->file, dl ? dl : 1) : vm_dup_n(".", 1);
    char *joined = dir ? malloc(strlen(dir) + strlen(rel) + 2) : NULL;
    char *full = NULL;
    if (joined) {
        sprintf(joined, "%s/%s", dir, rel);
        char rdir[PATH_MAX], rfile[PATH_MAX];
        if (!realpath(dir, rdir) || !realpath(joined, rfile)) {
            err_set(r->err, MIGDEV_E_IO, r->file, line, col, "%s: cannot open '%s': %s", fn,
                    name, strerror(errno));
        } else {
            const size_t n = strlen(rdir);
            if (strncmp(rfile, rdir, n) != 0 || (rfile[n] != '/' && strcmp(rdir, "/") != 0))
                err_set(r->err, MIGDEV_E_UNSUPPORTED, r->file, line, col,
                        "%s: '%s' is outside the model's folder (a data file must stay inside "
                        "it)", fn, name);
            else
                full = vm_dup_n(rfile, strlen(rfile));
            if (!full && r->err && !r->err->code)
                vm_oom(r);
        }
    } else {
        vm_oom(r);
    }
    free(dir);
    free(joined);
    free(rel);
    return full;
}

static int has_ext(const char *path, const char *ext)
{
    const char *dot = strrchr(path, '.');
    return dot && strcasecmp(dot, ext) == 0;
}

/* The sheet (file, sheet-or-separator) of a GET call, read once. */
static const vsheet *open_sheet(vreader *r, const char *fn, const char *file, const char *sheet,
                                int line, int col)
{
    char *path = resolve_file(r, fn, file, line, col);
    if (!path)
        return NULL;
    for (int i = 0; i < r->n_books; i++)
        if (strcmp(r->books[i].path, path) == 0 && strcasecmp(r->books[i].sheet, sheet) == 0) {
            free(path);
            return r->books[i].s;
        }
    vbook_entry *nb = realloc(r->books, (size_t)(r->n_books + 1) * sizeof *nb);
    vsheet *s = calloc(1, sizeof *s);
    char *sh = vm_dup_n(sheet, strlen(sheet));
    if (nb)
        r->books = nb;
    if (!nb || !s || !sh) {
        free(path), free(s), free(sh);
        return vm_oom(r), NULL;
    }
    migdev_error e2;
    migdev_error_clear(&e2);
    int rc;
    const int is_book = has_ext(path, ".xlsx") || has_ext(path, ".xlsm") || has_ext(path, ".xls");
    if (is_book) {
        rc = vsheet_read_book(path, sheet, s, &e2);
    } else {
        const char sep = sheet[0] && !isalnum((unsigned char)sheet[0]) && !sheet[1] ? sheet[0]
                         : sheet[0] == '\\' && sheet[1] == 't'                   ? '\t'
                         : has_ext(path, ".csv")                                 ? ','
                                                                                 : '\t';
        rc = vsheet_read_delim(path, sep, s, &e2);
    }
    if (rc) {
        err_set(r->err, e2.code, r->file, line, col, "%s('%s'): %s", fn, file, e2.message);
        free(path), free(s), free(sh);
        return NULL;
    }
    r->books[r->n_books++] = (vbook_entry){path, sh, s};
    return s;
}

/* A defined name of the sheet (without regard to case), or NULL. */
static const vsheet_name *find_name(const vsheet *s, const char *name)
{
    for (int i = 0; i < s->n_names; i++)
        if (strcasecmp(s->names[i].name, name) == 0)
            return &s->names[i];
    return NULL;
}

/* ------------------------------------------------------------- constants */

/* The sizes of the left-hand side's ranges with more than one element,
** padded to two with 1 in front ([1, n] is a row). -1 when more than two. */
static int table_shape(const int *dims, int n_dims, int shape[2])
{
    int k = 0, s[2] = {1, 1};
    for (int i = 0; i < n_dims; i++) {
        if (dims[i] <= 1)
            continue;
        if (k >= 2)
            return -1;
        s[k++] = dims[i];
    }
    if (k == 1) {
        shape[0] = 1;
        shape[1] = s[0];
    } else {
        shape[0] = s[0];
        shape[1] = s[1];
    }
    return 0;
}

static int constants(vreader *r, ventry *e, const vget *g, const vsheet *s, const int *dims,
                     int n_dims)
{
    int shape[2];
    if (table_shape(dims, n_dims, shape))
        return get_error(r, g, MIGDEV_E_UNSUPPORTED,
                         "a table of more than two ranges with several elements cannot be read "
                         "from one cell; give one GET per element of the others", NULL);
    const long total = (long)shape[0] * shape[1];
    char *cell = g->arg[2];
    size_t cl = strlen(cell);
    const int transpose = cl > 1 && cell[cl - 1] == '*' && total > 1;
    if (cl > 1 && cell[cl - 1] == '*')
        cl--;
    int r0, c0, rows = transpose ? shape[1] : shape[0], cols = transpose ? shape[0] : shape[1];
    if (!vsheet_cell_ref(cell, cl, &r0, &c0)) {
        char *nm = vm_dup_n(cell, cl);
        const vsheet_name *dn = nm ? find_name(s, nm) : NULL;
        free(nm);
        if (!dn)
            return get_error(r, g, MIGDEV_E_NAME, "no cell or defined name ", cell);
        if (dn->r1 - dn->r0 + 1 != rows || dn->c1 - dn->c0 + 1 != cols) {
            char buf[160];
            snprintf(buf, sizeof buf, "%d x %d cells, where '%s' needs %d x %d", dn->r1 - dn->r0 + 1,
                     dn->c1 - dn->c0 + 1, e->display, rows, cols);
            return get_error(r, g, MIGDEV_E_RANGE, "the defined name covers ", buf);
        }
        r0 = dn->r0;
        c0 = dn->c0;
    }
    double *v = malloc((size_t)total * sizeof *v);
    if (!v)
        return vm_oom(r);
    for (int i = 0; i < shape[0]; i++)
        for (int j = 0; j < shape[1]; j++) {
            const double x = transpose ? vsheet_num(s, r0 + j, c0 + i) : vsheet_num(s, r0 + i, c0 + j);
            if (isnan(x)) {
                char buf[96];
                snprintf(buf, sizeof buf, "row %d, column %d (from 1) holds no number",
                         (transpose ? r0 + j : r0 + i) + 1, (transpose ? c0 + i : c0 + j) + 1);
                free(v);
                return get_error(r, g, MIGDEV_E_RANGE, "the cell at ", buf);
            }
            v[(long)i * shape[1] + j] = x;
        }
    free(e->list);
    e->list = v;
    e->n_list = (int)total;
    return 0;
}

/* ----------------------------------------------------- data and lookups */

/* The missing values of one column (y, stride apart) filled from the
** column's other values, as the variable finds values between times. */
static void fill_missing(const double *x, double *y, int m, int stride, int kind)
{
    int first = -1, last = -1;
    for (int i = 0; i < m; i++)
        if (!isnan(y[(long)i * stride])) {
            if (first < 0)
                first = i;
            last = i;
        }
    if (first < 0)
        return; /* no value at all: left missing */
    for (int i = 0; i < m; i++) {
        double *yi = &y[(long)i * stride];
        if (!isnan(*yi))
            continue;
        if (i < first) {
            *yi = y[(long)first * stride];
        } else if (i > last) {
            *yi = y[(long)last * stride];
        } else {
            int lo = i - 1, hi = i + 1;
            while (isnan(y[(long)lo * stride]))
                lo--;
            while (isnan(y[(long)hi * stride]))
                hi++;
            const double ylo = y[(long)lo * stride], yhi = y[(long)hi * stride];
            if (kind == LK_DISCRETE)
                *yi = ylo;
            else if (kind == LK_FORWARD)
                *yi = yhi;
            else
                *yi = ylo + (x[i] - x[lo]) * (yhi - ylo) / (x[hi] - x[lo]);
        }
    }
}

/* Sort the m points by x (insertion: data come nearly sorted), rows of
** `size` values moving with them. */
static void sort_rows(double *x, double *y, int m, int size)
{
    double *tmp = y + (long)m * size; /* one spare row */
    for (int i = 1; i < m; i++) {
        const double kx = x[i];
        memcpy(tmp, y + (long)i * size, (size_t)size * sizeof *y);
        int j = i - 1;
        while (j >= 0 && x[j] > kx) {
            x[j + 1] = x[j];
            memcpy(y + (long)(j + 1) * size, y + (long)j * size, (size_t)size * sizeof *y);
            j--;
        }
        x[j + 1] = kx;
        memcpy(y + (long)(j + 1) * size, tmp, (size_t)size * sizeof *y);
    }
}

static int series(vreader *r, ventry *e, const vget *g, const vsheet *s, long size)
{
    const char *xs = g->arg[2], *cell = g->arg[3];
    int r0, c0, m = 0, across; /* across: the times run along a row */
    int xr = 0, xc = 0;        /* the first time's cell */
    int dr0 = 0, dc0 = 0;      /* the first value's cell */
    char *end;
    const long row = strtol(xs, &end, 10);
    if (*xs && !*end) {
        if (row < 1 || !vsheet_cell_ref(cell, strlen(cell), &r0, &c0))
            return get_error(r, g, MIGDEV_E_SYNTAX,
                             "a row of times needs the first data cell as 'C5', got ", cell);
        across = 1;
        xr = (int)row - 1;
        xc = dc0 = c0;
        dr0 = r0;
        m = s->n_cols - c0;
    } else if (vsheet_cell_ref(cell, strlen(cell), &r0, &c0)) {
        const int col = vsheet_col(xs, strlen(xs));
        if (col < 0)
            return get_error(r, g, MIGDEV_E_SYNTAX,
                             "the times are a row number, a column name or a defined name, got ",
                             xs);
        across = 0;
        xr = dr0 = r0;
        xc = col;
        dc0 = c0;
        m = s->n_rows - r0;
    } else {
        const vsheet_name *tn = find_name(s, xs), *dn = find_name(s, cell);
        if (!tn || !dn)
            return get_error(r, g, MIGDEV_E_NAME, "no defined name ", tn ? cell : xs);
        if (tn->r0 != tn->r1 && tn->c0 != tn->c1)
            return get_error(r, g, MIGDEV_E_RANGE, "the times are a table, not a row or column: ",
                             xs);
        across = tn->r0 == tn->r1 && tn->c1 > tn->c0;
        m = across ? tn->c1 - tn->c0 + 1 : tn->r1 - tn->r0 + 1;
        const int dm = across ? dn->c1 - dn->c0 + 1 : dn->r1 - dn->r0 + 1;
        const long dk = across ? dn->r1 - dn->r0 + 1 : dn->c1 - dn->c0 + 1;
        if (dm != m || dk != size) {
            char buf[160];
            snprintf(buf, sizeof buf, "'%s' needs %d times x %ld elements", e->display, m, size);
            return get_error(r, g, MIGDEV_E_RANGE, "the defined names do not match: ", buf);
        }
        xr = tn->r0;
        xc = tn->c0;
        dr0 = dn->r0;
        dc0 = dn->c0;
    }
    if (m < 0)
        m = 0;
    double *x = malloc(((size_t)m + 1) * sizeof *x);
    double *y = malloc(((size_t)m + 1) * (size_t)size * sizeof *y);
    if (!x || !y) {
        free(x), free(y);
        return vm_oom(r);
    }
    /* the points whose time is a number, in order; the rest dropped */
    int n = 0;
    for (int i = 0; i < m; i++) {
        const double t = across ? vsheet_num(s, xr, xc + i) : vsheet_num(s, xr + i, xc);
        if (isnan(t))
            continue;
        x[n] = t;
        for (long k = 0; k < size; k++)
            y[(long)n * size + k] = across ? vsheet_num(s, dr0 + (int)k, dc0 + i)
                                           : vsheet_num(s, dr0 + i, dc0 + (int)k);
        n++;
    }
    if (n == 0) {
        free(x), free(y);
        return get_error(r, g, MIGDEV_E_RANGE, "no times (x values) found at ", xs);
    }
    sort_rows(x, y, n, (int)size);
    for (int i = 1; i < n; i++)
        if (x[i] == x[i - 1]) {
            char buf[64];
            snprintf(buf, sizeof buf, "%g", x[i]);
            free(x), free(y);
            return get_error(r, g, MIGDEV_E_RANGE, "a time (x value) is given twice: ", buf);
        }
    const int kind = g->kind == VG_DATA ? e->lk_kind : LK_CONTINUOUS;
    for (long k = 0; k < size; k++) {
        if (kind != LK_RAW)
            fill_missing(x, y + k, n, (int)size, kind);
        for (int i = 0; i < n; i++)
            if (isnan(y[(long)i * size + k])) {
                if (kind == LK_RAW) {
                    y[(long)i * size + k] = VENSIM_NA;
                    continue;
                }
                free(x), free(y);
                return get_error(r, g, MIGDEV_E_RANGE, "a column of values holds no number: ",
                                 cell);
            }
    }
    /* element k's points: column k */
    double *gy = malloc((size_t)n * (size_t)size * sizeof *gy);
    if (!gy) {
        free(x), free(y);
        return vm_oom(r);
    }
    for (long k = 0; k < size; k++)
        for (int i = 0; i < n; i++)
            gy[k * n + i] = y[(long)i * size + k];
    free(y);
    free(e->x), free(e->y), free(e->gy);
    e->x = x;
    e->n_points = n;
    e->gy = gy;
    e->y = NULL;
    return 0;
}

int vg_resolve(vreader *r, ventry *e, const int *dims, int n_dims)
{
    const vget *g = e->get;
    const vsheet *s = open_sheet(r, g->fn, g->arg[0], g->arg[1], g->line, g->col);
    if (!s)
        return -1;
    if (g->kind == VG_CONSTANTS)
        return constants(r, e, g, s, dims, n_dims);
    long size = 1;
    for (int i = 0; i < n_dims; i++)
        size *= dims[i] > 0 ? dims[i] : 1;
    return series(r, e, g, s, size);
}

/* ------------------------------------------------------------ subscripts */

int vg_subscript(vreader *r, const char *text, int line, int col, char ***elems, int *n)
{
    char name[MAX_FN], key[MAX_FN];
    char *args[MAX_GET_ARGS];
    int n_args = 0;
    *elems = NULL;
    *n = 0;
    const int used = parse_call(r, text, line, col, name, sizeof name, args, &n_args);
    if (used <= 0) {
        for (int i = 0; i < n_args; i++)
            free(args[i]);
        return used;
    }
    fn_key(name, strlen(name), key, sizeof key);
    int rc = 0;
    if (strcmp(key, "get_direct_subscript") != 0 && strcmp(key, "get_xls_subscript") != 0)
        rc = err_set(r->err, MIGDEV_E_UNSUPPORTED, r->file, line, col,
                     "%s cannot define a subscript range (GET DIRECT SUBSCRIPT can)", name);
    else if (n_args != 5)
        rc = err_set(r->err, MIGDEV_E_TYPE, r->file, line, col, "%s takes 5 arguments, got %d",
                     name, n_args);
    const vsheet *s = rc ? NULL : open_sheet(r, name, args[0], args[1], line, col);
    int r0 = 0, c0 = 0, r1 = 0, c1 = 0;
    if (!rc && !s)
        rc = -1;
    if (!rc && !vsheet_cell_ref(args[2], strlen(args[2]), &r0, &c0)) {
        const vsheet_name *dn = find_name(s, args[2]);
        if (!dn)
            rc = err_set(r->err, MIGDEV_E_NAME, r->file, line, col,
                         "%s('%s'): no cell or defined name %s", name, args[0], args[2]);
        else
            r0 = dn->r0, c0 = dn->c0, r1 = dn->r1, c1 = dn->c1;
    } else if (!rc) {
        const char *last = args[3];
        char *end;
        const long row = strtol(last, &end, 10);
        r1 = s->n_rows - 1;
        c1 = s->n_cols - 1;
        if (!*last) {
        } else if (vsheet_cell_ref(last, strlen(last), &r1, &c1)) {
        } else if (!*end && row >= 1) {
            r1 = (int)row - 1;
        } else if (vsheet_col(last, strlen(last)) >= 0) {
            c1 = vsheet_col(last, strlen(last));
        } else {
            rc = err_set(r->err, MIGDEV_E_SYNTAX, r->file, line, col,
                         "%s: the last cell is a cell, a row number or a column, got '%s'", name,
                         last);
        }
    }
    for (int i = r0; !rc && i <= r1 && i < s->n_rows; i++)
        for (int j = c0; !rc && j <= c1 && j < s->n_cols; j++) {
            const char *t = s->text[(long)i * s->n_cols + j];
            if (!t || !*t)
                continue;
            char num[64];
            const double v = s->num[(long)i * s->n_cols + j];
            if (!isnan(v) && v == floor(v) && fabs(v) < 1e15) {
                snprintf(num, sizeof num, "%.0f", v); /* 1 from a workbook's 1.0 */
                t = num;
            }
            char **ne = realloc(*elems, (size_t)(*n + 1) * sizeof *ne);
            char *el = malloc(strlen(args[4]) + strlen(t) + 1);
            if (ne)
                *elems = ne;
            if (!ne || !el) {
                free(el);
                rc = vm_oom(r);
                break;
            }
            sprintf(el, "%s%s", args[4], t);
            (*elems)[(*n)++] = el;
        }
    if (!rc && *n == 0)
        rc = err_set(r->err, MIGDEV_E_RANGE, r->file, line, col,
                     "%s('%s'): the cells hold no elements", name, args[0]);
    for (int i = 0; i < n_args; i++)
        free(args[i]);
    if (rc) {
        for (int i = 0; i < *n; i++)
            free((*elems)[i]);
        free(*elems);
        *elems = NULL;
        *n = 0;
        return rc < 0 ? rc : -1;
    }
    return used;
}
