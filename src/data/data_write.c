/*
** data_write.c - a scenario's data entries written back (data_write.h).
*/
#define _XOPEN_SOURCE 700 /* realpath */
#include "data/data_write.h"

#include "cfgwrite.h"

#include "migdev/error.h"

#include <limits.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The folder of path ("." when it has none), newly allocated. */
static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

/* Absolute form of an existing path (symbolic links resolved), or NULL. */
static char *absolute(const char *path)
{
    return realpath(path, NULL);
}

/* target as seen from the folder of file, newly allocated (target itself
** when either cannot be resolved); NULL when out of memory. */
char *data_relative_path(const char *target, const char *file)
{
    char *dir = folder_of(file);
    if (!dir)
        return NULL;
    char *t = absolute(target), *d = absolute(dir);
    free(dir);
    if (!t || !d) {
        const int oom = errno == ENOMEM;
        free(t);
        free(d);
        return oom ? NULL : strdup(target);
    }
    /* the common folder prefix, component by component */
    size_t common = 0, i = 0;
    for (;; i++) {
        const char dc = d[i], tc = t[i];
        if ((dc == '/' || dc == '\0') && (tc == '/' || tc == '\0'))
            common = i;
        if (dc == '\0' || tc == '\0' || dc != tc)
            break;
    }
    size_t ups = 0;
    for (const char *p = d + common; *p; p++)
        ups += *p == '/';
    if (strcmp(d, "/") == 0)
        ups = 0;
    const char *rest = t + common + (t[common] == '/' ? 1 : 0);
    char *out = malloc(3 * ups + strlen(rest) + 1);
    if (out) {
        out[0] = '\0';
        for (size_t k = 0; k < ups; k++)
            strcat(out, "../");
        strcat(out, rest);
    }
    free(t);
    free(d);
    return out;
}

int data_write_bindings(const migdev_model *m, FILE *f, const char *out_path)
{
    int n = 0;
    for (int i = 0; i < m->n_data; i++) {
        const data_binding *b = &m->data[i];
        if (strcmp(b->file, m->file) == 0)
            continue; /* the model's own: it makes them again */
        char *p = out_path ? data_relative_path(b->path, out_path) : realpath(b->path, NULL);
        if (!p && !out_path)
            p = strdup(b->path);
        if (!p)
            return MIGDEV_E_NOMEM;
        const variable *v = &m->vars[b->var];
        fputs(n++ ? ",\n  { name = " : "data = (\n  { name = ", f);
        cfgw_string(f, v->name, "");
        fputs("; file = ", f);
        cfgw_string(f, p, "");
        if (b->time_col && b->time_col[0]) {
            fputs("; time_column = ", f);
            cfgw_string(f, b->time_col, "");
        }
        fputs("; column = ", f);
        cfgw_string(f, b->value_col, "");
        fprintf(f, ";\n    interpolation = \"%s\"; outside = \"%s\"", b->is_step ? "step" : "linear",
                b->outside_error ? "error" : "hold");
        if (b->scale != 1.0)
            fprintf(f, "; scale = %.17g", b->scale);
        if (v->units && v->units[0]) {
            fputs("; units = ", f);
            cfgw_string(f, v->units, "");
        }
        fputs("; }", f);
        free(p);
    }
    if (n)
        fputs("\n);\n", f);
    return 0;
}
