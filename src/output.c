/*
** output.c - tables of recorded series, numbers that round-trip.
*/
#include "migdev/output.h"

#include "dtoa.h"
#include "error_int.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *migdev_format_number(double x, char *buf)
{
    if (isnan(x)) {
        snprintf(buf, 32, "NaN");
        return buf;
    }
    if (isinf(x)) {
        snprintf(buf, 32, x > 0 ? "inf" : "-inf");
        return buf;
    }
    if (x == 0.0) { /* also -0 */
        snprintf(buf, 32, "0");
        return buf;
    }
    /* the shortest digits that read back (Ryu, dtoa.c), laid out as %.15g,
       %.16g or %.17g would, whichever is the first to read back */
    return dtoa_format_g(x, buf);
}

/* Write a header field by the rule of docs/paths.md ("Names in CSV
** headers"): bare when made only of letters, digits, '_', '.', spaces and
** UTF-8 letters (bytes >= 0x80); else in double quotes (RFC 4180: a quote
** doubled), so that punctuation from XMILE names ($, `, ;, (, the
** separator, line breaks) is one quoted field. A name a spreadsheet would
** take for a formula even in quotes (starting with =, +, -, @, a tab or a
** carriage return) gets a leading apostrophe inside the quotes, as
** spreadsheets themselves do to keep text as text. */
static void put_field(FILE *f, const char *s, char sep)
{
    (void)sep; /* the separator is punctuation: quoted like any other */
    int bare = *s != '\0';
    for (const unsigned char *p = (const unsigned char *)s; *p && bare; p++)
        bare = isalnum(*p) || *p == '_' || *p == '.' || *p == ' ' || *p >= 0x80;
    if (bare && s[0] != ' ') {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    if (strchr("=+-@\t\r", s[0]) && s[0])
        fputc('\'', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

int migdev_write_table(FILE *f, const migdev_run *r, const int *vars, int n, migdev_format fmt,
                       migdev_error *err)
{
    const char sep = fmt == MIGDEV_TSV ? '\t' : ',';
    const size_t ns = migdev_run_n_saves(r);
    const double *t = migdev_run_times(r);
    const migdev_model *model = migdev_run_model(r);
    const int all = (!vars || n == 0);
    const int count = all ? migdev_model_n_vars(model) : n;
    const double **cols = malloc((size_t)(count + 1) * sizeof *cols);
    if (!cols)
        return err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
    int c = 0;
    fputs("time", f);
    for (int i = 0; i < count; i++) {
        const int var = all ? i : vars[i];
        migdev_var_info info;
        if (migdev_model_var(model, var, &info) != 0) {
            free(cols);
            return err_set(err, MIGDEV_E_USAGE, NULL, 0, 0, "variable index %d out of range", var);
        }
        const double *s = migdev_run_series(r, var);
        if (!s) {
            if (all)
                continue;
            free(cols);
            return err_set(err, MIGDEV_E_USAGE, NULL, 0, 0, "variable '%s' was not recorded",
                           info.name);
        }
        fputc(sep, f);
        put_field(f, info.name, sep);
        cols[c++] = s;
    }
    fputc('\n', f);
    char buf[32];
    for (size_t j = 0; j < ns; j++) {
        /* times are start + k*dt: 15 digits drop the rounding noise
           (0.30000000000000004 prints as 0.3) */
        snprintf(buf, sizeof buf, "%.15g", t[j]);
        fputs(buf, f);
        for (int k = 0; k < c; k++) {
            fputc(sep, f);
            fputs(migdev_format_number(cols[k][j], buf), f);
        }
        fputc('\n', f);
    }
    free(cols);
    if (ferror(f))
        return err_set(err, MIGDEV_E_IO, NULL, 0, 0, "write error");
    return 0;
}
