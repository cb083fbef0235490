/*
** plotcsv.c - CSV tables in and out of plot_data (see plotcsv.h).
*/
#include "plotcsv.h"

#include "cfgfile.h"
#include "readall.h"

#include "migdev/csv.h"

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

/* ---- reading (through the library's CSV reader, migdev/csv.h) ---- */

static int fail_at(const char *path, int line, int col, const char *msg, const char *arg)
{
    fprintf(stderr, "%s:%d:%d: error: ", path, line, col);
    fprintf(stderr, msg, arg);
    fputc('\n', stderr);
    return -1;
}

static int fail_err(const migdev_error *err)
{
    char buf[1400];
    fprintf(stderr, "%s\n", migdev_error_format(err, buf, sizeof buf));
    return -1;
}

/* The whole text of path ("-": standard input); NULL after printing. A
** named file goes through the inputs' rules (a regular file, size-capped:
** cfgfile_slurp), so a FIFO or a device is refused instead of read forever. */
static char *slurp(const char *path, size_t *len)
{
    if (strcmp(path, "-") != 0) {
        migdev_error err;
        migdev_error_clear(&err);
        char *text = cfgfile_slurp(path, &err);
        if (!text) {
            fail_err(&err);
            return NULL;
        }
        *len = strlen(text);
        return text;
    }
    char *text = read_all_n(stdin, len);
    if (!text)
        fprintf(stderr, "%s: error: cannot read: %s\n", path, strerror(errno));
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

static plot_group *find_group(plot_data *pd, const char *name)
{
    for (int g = pd->n_groups - 1; g >= 0; g--)
        if (strcmp(pd->groups[g].name, name) == 0)
            return &pd->groups[g];
    return plot_data_add_group(pd, name);
}

/* The rows of t into pd (first: the first value column). */
static int read_rows(plot_data *pd, const migdev_csv *t, const char *path, int has_group,
                     int first, const char *single)
{
    const int n_cols = migdev_csv_n_cols(t);
    double *row = malloc((size_t)n_cols * sizeof *row);
    plot_group *g = NULL;
    if (!row || (!has_group && !(g = plot_data_add_group(pd, single)))) {
        free(row);
        return -1;
    }
    int rc = 0;
    for (int r = 0; !rc && r < migdev_csv_n_rows(t); r++) {
        if (has_group && !(g = find_group(pd, migdev_csv_cell(t, r, 0, NULL, NULL))))
            rc = -1;
        for (int c = first - 1; !rc && c < n_cols; c++) {
            migdev_error err;
            migdev_error_clear(&err);
            double *x = &row[c - (first - 1)];
            const int got = migdev_csv_number(t, r, c, x, &err);
            if (got < 0)
                rc = fail_err(&err);
            else if (got == 1 && c == first - 1) {
                int line, col;
                migdev_csv_cell(t, r, c, &line, &col);
                rc = fail_at(path, line, col, "the time is missing%s", "");
            } else if (got == 1)
                *x = NAN; /* an empty cell: a missing value, which the figure skips */
        }
        if (!rc)
            rc = plot_data_add_row(pd, g, row[0], row + 1);
    }
    free(row);
    return rc;
}

int plot_csv_read(plot_data *pd, const char *path)
{
    size_t len = 0;
    char *text = slurp(path, &len);
    if (!text)
        return -1;
    const size_t head = strcspn(text, "\n");
    const char sep = memchr(text, '\t', head) && !memchr(text, ',', head) ? '\t' : ',';
    migdev_error err;
    migdev_error_clear(&err);
    migdev_csv *t = migdev_csv_parse(path, text, len, sep, &err);
    free(text);
    if (!t)
        return fail_err(&err);
    const int n_cols = migdev_csv_n_cols(t);
    const int has_group = strcmp(migdev_csv_cell(t, -1, 0, NULL, NULL), "scenario") == 0;
    const int first = has_group ? 2 : 1;
    int rc = 0;
    if (n_cols <= first || strcmp(migdev_csv_cell(t, -1, first - 1, NULL, NULL), "time") != 0)
        rc = fail_at(path, 1, 1,
                     "the columns must be time,<variables> or scenario,time,<variables>%s", "");
    const char **names = rc ? NULL : malloc((size_t)n_cols * sizeof *names);
    if (!rc && !names)
        rc = -1;
    for (int c = first; !rc && c < n_cols; c++)
        names[c - first] = migdev_csv_cell(t, -1, c, NULL, NULL);
    if (!rc)
        rc = plot_data_set_vars(pd, NULL, (const char *const *)names, n_cols - first);
    free(names);
    char *single = has_group ? NULL : stem(path);
    if (!rc && !has_group && !single)
        rc = -1;
    if (!rc && migdev_csv_n_rows(t) == 0)
        rc = fail_at(path, 2, 1, "no rows of data after the header%s", "");
    if (!rc)
        rc = read_rows(pd, t, path, has_group, first, single);
    free(single);
    migdev_csv_free(t);
    return rc;
}
