/*
** cfgfile.h - libconfig files with positions and typed, checked getters.
**
** Model and scenario readers share this: it keeps the file's text so that
** errors can name a column (libconfig reports lines only), and it turns
** "wrong type" and "unknown field" into positioned messages.
*/
#ifndef MIGDEV_CFGFILE_H
#define MIGDEV_CFGFILE_H

#include <libconfig.h>

#include "migdev/error.h"
#include "migdev/model.h"

typedef struct cfgfile {
    char *path;        /* as given, used in messages */
    char *text;        /* the whole file */
    long *line_start;  /* offset of each line (1-based index) */
    char *is_code;     /* per character of text: 1 outside strings and comments */
    int n_lines;
    config_t cfg;
    int cfg_ready;
    migdev_error *err; /* where cfg_error() and the getters report */
} cfgfile;

/* Read and parse path (or text, when text is not NULL; path is then only a
** name). Returns 0, or MIGDEV_E_IO / MIGDEV_E_SYNTAX with err set. On any
** return, cfgfile_close() must be called. */
int cfgfile_open(cfgfile *cf, const char *path, const char *text, migdev_error *err);
void cfgfile_close(cfgfile *cf);

/* The largest input file read (model, scenario, sweep, calibration and
** data files): 64 MiB. */
#define MIGDEV_MAX_INPUT_BYTES (64 << 20)

/* Read a whole file into a NUL-terminated buffer (caller frees). Only a
** regular file of at most MIGDEV_MAX_INPUT_BYTES is read: a folder, a
** device, a FIFO or a socket is refused at once (a FIFO is never waited
** on). NULL with err set on failure. */
char *cfgfile_slurp(const char *path, migdev_error *err);

/* rel as seen from the folder of file (rel itself when absolute), newly
** allocated; NULL when out of memory. Paths inside scenario files are
** relative to the file. */
char *cfg_join_path(const char *file, const char *rel);

/* Line of a setting (1-based; 0 when unknown). */
int cfg_line(const config_setting_t *s);

/* Column of setting s's name on its line (1 when not found). */
int cfg_col(const cfgfile *cf, const config_setting_t *s);

/* Position of the first character inside the string value of s (a string
** setting): line and column. Falls back to the setting's own position. */
void cfg_string_pos(const cfgfile *cf, const config_setting_t *s, int *line, int *col);

/* Set err at setting s: file:line:col of its name. Returns code. */
int cfg_error(const cfgfile *cf, const config_setting_t *s, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Check that group g has only the fields in allowed (NULL-terminated).
** Returns 0 or MIGDEV_E_SYNTAX naming the first unknown field with a
** suggestion. what describes g ("flow 'x'"). */
int cfg_check_fields(const cfgfile *cf, const config_setting_t *g, const char *const *allowed,
                     const char *what);

/* Typed getters on a member of group g. Each returns 0 when found and
** valid, 1 when absent (out untouched), or a negative MIGDEV_E_* with err set
** when present with the wrong type. */
int cfg_get_number(const cfgfile *cf, const config_setting_t *g, const char *name, double *out);
int cfg_get_string(const cfgfile *cf, const config_setting_t *g, const char *name,
                   const char **out);
int cfg_get_bool(const cfgfile *cf, const config_setting_t *g, const char *name, int *out);

/* Read a, an array or list of variable names in quotes, into a fresh array
** of m's variable indices (*out, replacing and freeing the old one; the
** caller frees it) of length *n. An unknown name is reported at a, as
** "<what> 'x' is not in the model" when what is given, else as "the model
** has no variable 'x'", with a suggestion. Returns 0 or the error code. */
int cfg_var_list(const cfgfile *cf, const migdev_model *m, const config_setting_t *a,
                 const char *what, int **out, int *n);

/* Whether setting s is a number (int, int64 or float). */
int cfg_is_number(const config_setting_t *s);
double cfg_number(const config_setting_t *s);

#endif
