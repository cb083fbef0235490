/*
** cfgfile.c - libconfig parsing with columns and checked getters.
*/
#include "cfgfile.h"

#include "error_int.h"
#include "model_int.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *cfgfile_slurp(const char *path, migdev_error *err)
{
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; only regular
       files are read, and only up to the cap (a device such as /dev/zero
       would otherwise be read until memory runs out) */
    const int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        err_set(err, MIGDEV_E_IO, path, 0, 0, "cannot open: %s", strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        err_set(err, MIGDEV_E_IO, path, 0, 0, "cannot read: %s", strerror(errno));
        close(fd);
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        err_set(err, MIGDEV_E_IO, path, 0, 0, "is a folder, not a file");
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        err_set(err, MIGDEV_E_IO, path, 0, 0,
                "not a regular file (a device, pipe or socket cannot be read as an input)");
        return NULL;
    }
    if (st.st_size > MIGDEV_MAX_INPUT_BYTES) {
        close(fd);
        err_set(err, MIGDEV_E_IO, path, 0, 0, "too large (%lld bytes; inputs are limited to %d MiB)",
                (long long)st.st_size, MIGDEV_MAX_INPUT_BYTES >> 20);
        return NULL;
    }
    /* the size may change while reading: read at most cap + 1 bytes */
    const size_t cap = (size_t)st.st_size + 1;
    char *buf = malloc(cap + 1);
    if (!buf) {
        close(fd);
        err_set(err, MIGDEV_E_NOMEM, path, 0, 0, "out of memory");
        return NULL;
    }
    size_t n = 0;
    int bad_errno = 0;
    while (n < cap) {
        const ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            bad_errno = errno;
            break;
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    close(fd);
    if (bad_errno) {
        free(buf);
        err_set(err, MIGDEV_E_IO, path, 0, 0, "cannot read: %s", strerror(bad_errno));
        return NULL;
    }
    if (n == cap) {
        free(buf);
        err_set(err, MIGDEV_E_IO, path, 0, 0, "changed while being read");
        return NULL;
    }
    buf[n] = '\0';
    if (strlen(buf) != n) {
        int line = 1, col = 1;
        for (const char *p = buf; *p; p++, col++)
            if (*p == '\n')
                line++, col = 0;
        free(buf);
        err_set(err, MIGDEV_E_IO, path, line, col, "not a text file (contains a NUL byte)");
        return NULL;
    }
    return buf;
}

char *cfg_join_path(const char *file, const char *rel)
{
    if (rel[0] == '/')
        return strdup(rel);
    const char *slash = strrchr(file, '/');
    const size_t dn = slash ? (size_t)(slash - file) + 1 : 0;
    char *p = malloc(dn + strlen(rel) + 1);
    if (!p)
        return NULL;
    memcpy(p, file, dn);
    strcpy(p + dn, rel);
    return p;
}

/* Mark the characters of text that lie outside string literals and
** comments (# and // to the end of the line, C-style blocks), so that a
** word inside a doc string is never mistaken for a setting's name. */
static char *code_mask(const char *text)
{
    const size_t n = strlen(text);
    char *mask = malloc(n + 1);
    if (!mask)
        return NULL;
    enum { CODE, STRING, LINE_COMMENT, BLOCK_COMMENT } state = CODE;
    for (size_t i = 0; i < n; i++) {
        const char c = text[i];
        mask[i] = 0;
        switch (state) {
        case CODE:
            if (c == '"')
                state = STRING;
            else if (c == '#' || (c == '/' && text[i + 1] == '/'))
                state = LINE_COMMENT;
            else if (c == '/' && text[i + 1] == '*') {
                state = BLOCK_COMMENT;
                mask[++i] = 0;
            } else
                mask[i] = 1;
            break;
        case STRING:
            if (c == '\\' && text[i + 1])
                mask[++i] = 0;
            else if (c == '"')
                state = CODE;
            break;
        case LINE_COMMENT:
            if (c == '\n') {
                state = CODE;
                mask[i] = 1;
            }
            break;
        case BLOCK_COMMENT:
            if (c == '*' && text[i + 1] == '/') {
                mask[++i] = 0;
                state = CODE;
            }
            break;
        }
    }
    mask[n] = 0;
    return mask;
}

/* libconfig 1.5 (Debian 12) reads an integer literal with atoi(), so
** `value = 3000000000;` silently becomes -1294967296, and a float literal
** with atof(), so `1e999` becomes infinity; it also refuses arrays that mix
** integers and floats (`x = [0, 0.5]`). Every number is a double to
** migdev, so before libconfig sees the text, decimal integer literals are
** rewritten as floats (digits + ".0", any L suffix dropped; line breaks are
** kept, so libconfig's line numbers stay right), and a number beyond the
** double range is reported at its line:col. Returns the text for libconfig
** (owned; NULL with err set). */
static char *widen_numbers(const cfgfile *cf, migdev_error *err)
{
    const char *t = cf->text;
    const size_t n = strlen(t);
    /* an integer literal of k digits grows by 2 (".0"): a one-digit one
       triples, so 3n bounds the text ("4" -> "4.0") */
    char *out = malloc(3 * n + 1);
    if (!out) {
        err_set(err, MIGDEV_E_NOMEM, cf->path, 0, 0, "out of memory");
        return NULL;
    }
    size_t o = 0;
    int line = 1;
    size_t i = 0;
    while (i < n) {
        const char c = t[i];
        const int starts = cf->is_code[i] &&
                           (isdigit((unsigned char)c) ||
                            (c == '.' && isdigit((unsigned char)t[i + 1]))) &&
                           !(i > 0 && (isalnum((unsigned char)t[i - 1]) || t[i - 1] == '_' ||
                                       t[i - 1] == '*' || t[i - 1] == '.'));
        if (!starts) {
            line += c == '\n';
            out[o++] = c;
            i++;
            continue;
        }
        size_t j = i;
        if (c == '0' && (t[j + 1] == 'x' || t[j + 1] == 'X')) { /* hex: as is */
            j += 2;
            while (isxdigit((unsigned char)t[j]) || t[j] == 'L')
                j++;
            memcpy(out + o, t + i, j - i);
            o += j - i;
            i = j;
            continue;
        }
        int is_float = 0;
        while (isdigit((unsigned char)t[j]))
            j++;
        if (t[j] == '.') {
            is_float = 1;
            j++;
            while (isdigit((unsigned char)t[j]))
                j++;
        }
        if ((t[j] == 'e' || t[j] == 'E') &&
            (isdigit((unsigned char)t[j + 1]) ||
             ((t[j + 1] == '+' || t[j + 1] == '-') && isdigit((unsigned char)t[j + 2])))) {
            is_float = 1;
            j += 2;
            while (isdigit((unsigned char)t[j]))
                j++;
        }
        char buf[512];
        const size_t len = j - i < sizeof buf ? j - i : sizeof buf - 1;
        memcpy(buf, t + i, len);
        buf[len] = '\0';
        const double x = strtod(buf, NULL);
        if (isinf(x) || j - i >= sizeof buf) {
            err_set(err, MIGDEV_E_RANGE, cf->path, line, (int)(i - (size_t)cf->line_start[line]) + 1,
                    "number out of range '%.*s'", (int)(j - i > 40 ? 40 : j - i), t + i);
            free(out);
            return NULL;
        }
        memcpy(out + o, t + i, j - i);
        o += j - i;
        if (!is_float) {
            out[o++] = '.';
            out[o++] = '0';
            while (t[j] == 'L')
                j++;
        }
        i = j;
    }
    out[o] = '\0';
    return out;
}

/* A character of a libconfig name or number (signs and dots included). */
static int is_word(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '*' || c == '+' || c == '-';
}

/* The line libconfig reports when it parses text with a line break put in
** at offset at; 0 when it parses cleanly. */
static int error_line_split(const char *text, size_t at)
{
    const size_t n = strlen(text);
    char *t = malloc(n + 2);
    if (!t)
        return MIGDEV_E_NOMEM;
    memcpy(t, text, at);
    t[at] = '\n';
    memcpy(t + at + 1, text + at, n - at + 1);
    config_t c;
    config_init(&c);
    const int line = config_read_string(&c, t) == CONFIG_TRUE ? 0 : config_error_line(&c);
    config_destroy(&c);
    free(t);
    return line;
}

/* libconfig names the line of a syntax error, not its column. Find the
** column: with a line break put in before offset k of that line, libconfig
** still reports the same line when the token it stumbles on starts before
** k, and a later line otherwise. Bisection over the offsets outside
** strings and comments finds the token. wtext is the text libconfig saw;
** the column returned is the original text's (the widening of numbers,
** widen_numbers, shifts later columns of a line). 0 when not found. */
static int syntax_error_col(const cfgfile *cf, const char *wtext, int line)
{
    long start = 0;
    for (int l = 1; l < line && wtext[start]; start++)
        l += wtext[start] == '\n';
    const char *eol = strchr(wtext + start, '\n');
    const long end = eol ? eol - wtext : (long)strlen(wtext);
    char *mask = code_mask(wtext);
    long *cand = malloc((size_t)(end - start + 2) * sizeof *cand);
    int col = 0;
    if (!mask || !cand)
        goto done;
    /* split only between tokens: a break inside a name or a number would
       change the text before it */
    long nc = 0;
    for (long k = start; k < end; k++)
        if (mask[k] && !(k > start && is_word(wtext[k - 1]) && is_word(wtext[k])))
            cand[nc++] = k;
    cand[nc++] = end;
    /* largest candidate where the error still moves to a later line */
    long lo = -1, hi = nc; /* E(cand[lo]) false, E(cand[hi]) true */
    while (hi - lo > 1) {
        const long mid = lo + (hi - lo) / 2;
        const int l = error_line_split(wtext, (size_t)cand[mid]);
        if (l < 0)
            goto done;
        if (l == line)
            hi = mid;
        else
            lo = mid;
    }
    long at = lo >= 0 ? cand[lo] : start;
    while (at < end && (wtext[at] == ' ' || wtext[at] == '\t'))
        at++;
    /* back to the original text: walk both copies of the line */
    const char *o = cf->text + cf->line_start[line], *w = wtext + start;
    const char *const wat = wtext + at;
    int c = 1;
    while (w < wat && *o && *o != '\n') {
        if (*w == *o) {
            w++, o++, c++;
        } else if (w[0] == '.' && w[1] == '0') {
            w += 2; /* ".0" added after an integer */
        } else if (*o == 'L') {
            o++, c++; /* an L suffix dropped */
        } else {
            break;
        }
    }
    col = c;
done:
    free(mask);
    free(cand);
    return col;
}

int cfgfile_open(cfgfile *cf, const char *path, const char *text, migdev_error *err)
{
    memset(cf, 0, sizeof *cf);
    cf->err = err;
    cf->path = strdup(path ? path : "<string>");
    if (!cf->path)
        return err_set(err, MIGDEV_E_NOMEM, path, 0, 0, "out of memory");
    cf->text = text ? strdup(text) : cfgfile_slurp(path, err);
    if (!cf->text)
        return text ? err_set(err, MIGDEV_E_NOMEM, path, 0, 0, "out of memory")
                    : (err ? err->code : MIGDEV_E_IO);
    int lines = 1;
    for (const char *p = cf->text; *p; p++)
        lines += *p == '\n';
    cf->line_start = malloc((size_t)(lines + 2) * sizeof *cf->line_start);
    if (!cf->line_start)
        return err_set(err, MIGDEV_E_NOMEM, path, 0, 0, "out of memory");
    cf->n_lines = lines;
    cf->is_code = code_mask(cf->text);
    if (!cf->is_code)
        return err_set(err, MIGDEV_E_NOMEM, path, 0, 0, "out of memory");
    int l = 1;
    cf->line_start[1] = 0;
    for (long i = 0; cf->text[i]; i++)
        if (cf->text[i] == '\n')
            cf->line_start[++l] = i + 1;
    char *for_libconfig = widen_numbers(cf, err);
    if (!for_libconfig)
        return err ? err->code : MIGDEV_E_RANGE;
    config_init(&cf->cfg);
    cf->cfg_ready = 1;
    const int ok = config_read_string(&cf->cfg, for_libconfig) == CONFIG_TRUE;
    if (!ok) {
        const int line = config_error_line(&cf->cfg);
        const char *msg = config_error_text(&cf->cfg);
        const int col = line >= 1 && line <= cf->n_lines ? syntax_error_col(cf, for_libconfig, line) : 0;
        free(for_libconfig);
        return err_set(err, MIGDEV_E_SYNTAX, cf->path, line, col, "%s (libconfig syntax)",
                       msg ? msg : "syntax error");
    }
    free(for_libconfig);
    return 0;
}

void cfgfile_close(cfgfile *cf)
{
    if (cf->cfg_ready)
        config_destroy(&cf->cfg);
    free(cf->path);
    free(cf->text);
    free(cf->line_start);
    free(cf->is_code);
    memset(cf, 0, sizeof *cf);
}

int cfg_line(const config_setting_t *s)
{
    return s ? (int)config_setting_source_line(s) : 0;
}

/* Offset in the text of the k-th (0-based) whole-word occurrence of word
** on line outside strings and comments, or MIGDEV_E_NAME. */
static long find_on_line(const cfgfile *cf, int line, const char *word, int k)
{
    if (line < 1 || line > cf->n_lines || !word || !*word)
        return MIGDEV_E_NAME;
    const char *start = cf->text + cf->line_start[line];
    const char *end = strchr(start, '\n');
    if (!end)
        end = start + strlen(start);
    const size_t n = strlen(word);
    for (const char *p = start; p + n <= end; p++) {
        if (!cf->is_code[p - cf->text] || strncmp(p, word, n) != 0)
            continue;
        const int before = p == start || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
        const int after = !(isalnum((unsigned char)p[n]) || p[n] == '_');
        if (before && after && k-- == 0)
            return p - cf->text;
    }
    return MIGDEV_E_NAME;
}

/* How many settings named like s, on s's line, come before s in the file
** (several entries may share a line). Walks the tree, which libconfig keeps
** in file order; only called when the line holds the name more than once. */
static int rank_on_line(const config_setting_t *at, const config_setting_t *s, int line,
                        const char *name, int *count)
{
    if (at == s)
        return 1;
    const char *nn = config_setting_name(at);
    if (nn && strcmp(nn, name) == 0 && (int)config_setting_source_line(at) == line)
        (*count)++;
    const int t = config_setting_type(at);
    if (t == CONFIG_TYPE_GROUP || t == CONFIG_TYPE_LIST || t == CONFIG_TYPE_ARRAY)
        for (int i = 0; i < config_setting_length(at); i++)
            if (rank_on_line(config_setting_get_elem(at, (unsigned)i), s, line, name, count))
                return 1;
    return 0;
}

/* Offset of setting s's name in the text, or MIGDEV_E_NAME. */
static long setting_offset(const cfgfile *cf, const config_setting_t *s)
{
    const int line = cfg_line(s);
    const char *name = s ? config_setting_name(s) : NULL;
    if (find_on_line(cf, line, name, 1) < 0)
        return find_on_line(cf, line, name, 0);
    int count = 0;
    const config_setting_t *root = s;
    while (config_setting_parent(root))
        root = config_setting_parent(root);
    rank_on_line(root, s, line, name, &count);
    return find_on_line(cf, line, name, count);
}

int cfg_col(const cfgfile *cf, const config_setting_t *s)
{
    const int line = cfg_line(s);
    const long at = setting_offset(cf, s);
    if (at >= 0)
        return (int)(at - cf->line_start[line]) + 1;
    const config_setting_t *parent = s ? config_setting_parent(s) : NULL;
    if (parent && !config_setting_name(s) && config_setting_type(s) == CONFIG_TYPE_GROUP &&
        line >= 1 && line <= cf->n_lines) {
        /* an entry of a list: its '{', after those of the entries before
           it on the same line */
        int k = 0;
        for (int i = 0; i < config_setting_length(parent); i++) {
            const config_setting_t *e = config_setting_get_elem(parent, (unsigned)i);
            if (e == s)
                break;
            k += cfg_line(e) == line;
        }
        const char *start = cf->text + cf->line_start[line];
        for (const char *p = start; *p && *p != '\n'; p++)
            if (*p == '{' && cf->is_code[p - cf->text] && k-- == 0)
                return (int)(p - start) + 1;
    }
    if (line >= 1 && line <= cf->n_lines) {
        const char *p = cf->text + cf->line_start[line];
        int col = 1;
        while (*p == ' ' || *p == '\t') {
            p++;
            col++;
        }
        return col;
    }
    return 1;
}

void cfg_string_pos(const cfgfile *cf, const config_setting_t *s, int *line, int *col)
{
    *line = cfg_line(s);
    *col = cfg_col(cf, s);
    const char *name = config_setting_name(s);
    long at = setting_offset(cf, s);
    if (at < 0 || !name)
        return;
    at += (long)strlen(name);
    /* the value follows '=' or ':' then the opening quote, maybe on a later line */
    int l = *line;
    for (long i = at; cf->text[i]; i++) {
        const char c = cf->text[i];
        if (c == '\n') {
            l++;
            continue;
        }
        if (c == '"') {
            *line = l;
            *col = (int)(i + 1 - cf->line_start[l]) + 1;
            return;
        }
        if (!(c == ' ' || c == '\t' || c == '=' || c == ':' || c == '\r'))
            return;
    }
}

int cfg_error(const cfgfile *cf, const config_setting_t *s, int code, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* an entry of a list ({ name = "x"; ... }) has no name of its own and
       may share its line with others: point at its `name` */
    const config_setting_t *nm;
    if (s && !config_setting_name(s) && config_setting_type(s) == CONFIG_TYPE_GROUP &&
        (nm = config_setting_get_member(s, "name")) != NULL)
        s = nm;
    return err_set(cf->err, code, cf->path, cfg_line(s), s ? cfg_col(cf, s) : 0, "%s", msg);
}

int cfg_check_fields(const cfgfile *cf, const config_setting_t *g, const char *const *allowed,
                     const char *what)
{
    const int n = config_setting_length(g);
    for (int i = 0; i < n; i++) {
        const config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
        const char *name = config_setting_name(s);
        if (!name)
            continue;
        int ok = 0;
        const char *best = NULL;
        const int cap = strlen(name) <= 3 ? 1 : 2; /* "to" is not a typo of "doc" */
        int best_d = cap + 1;
        for (const char *const *a = allowed; *a; a++) {
            if (strcmp(*a, name) == 0) {
                ok = 1;
                break;
            }
            const int d = name_distance(name, *a, cap);
            if (d < best_d) {
                best_d = d;
                best = *a;
            }
        }
        if (ok)
            continue;
        if (best)
            return cfg_error(cf, s, MIGDEV_E_SYNTAX, "unknown field '%s' in %s (did you mean '%s'?)",
                             name, what, best);
        char list[256] = "";
        size_t len = 0;
        for (const char *const *a = allowed; *a && len < sizeof list - 32; a++)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", a == allowed ? "" : ", ", *a);
        return cfg_error(cf, s, MIGDEV_E_SYNTAX, "unknown field '%s' in %s (expected one of: %s)",
                         name, what, list);
    }
    return 0;
}

int cfg_var_list(const cfgfile *cf, const migdev_model *m, const config_setting_t *a,
                 const char *what, int **out, int *n)
{
    const char *list = config_setting_name(a);
    const int t = config_setting_type(a);
    if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST)
        return cfg_error(cf, a, MIGDEV_E_TYPE, "'%s' must be a list of names: [\"a\", \"b\"]",
                         list);
    const int len = config_setting_length(a);
    int *v = malloc((size_t)(len + 1) * sizeof *v);
    if (!v)
        return err_set(cf->err, MIGDEV_E_NOMEM, cf->path, 0, 0, "out of memory");
    for (int i = 0; i < len; i++) {
        const config_setting_t *e = config_setting_get_elem(a, (unsigned)i);
        if (config_setting_type(e) != CONFIG_TYPE_STRING) {
            free(v);
            return cfg_error(cf, a, MIGDEV_E_TYPE, "'%s' must hold names in quotes", list);
        }
        const char *name = config_setting_get_string(e);
        char msg[400];
        v[i] = model_find_var(m, name, "variable", msg, sizeof msg);
        if (v[i] < 0) {
            const char *sg = migdev_model_suggest(m, name);
            const int rc = what ? cfg_error(cf, a, MIGDEV_E_NAME, "%s '%s' is not in the model%s%s%s",
                                            what, name, sg ? " (did you mean '" : "",
                                            sg ? sg : "", sg ? "'?)" : "")
                                : cfg_error(cf, a, v[i], "%s", msg);
            free(v);
            return rc;
        }
    }
    free(*out);
    *out = v;
    *n = len;
    return 0;
}

int cfg_is_number(const config_setting_t *s)
{
    const int t = config_setting_type(s);
    return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 || t == CONFIG_TYPE_FLOAT;
}

double cfg_number(const config_setting_t *s)
{
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT: return (double)config_setting_get_int(s);
    case CONFIG_TYPE_INT64: return (double)config_setting_get_int64(s);
    default: return config_setting_get_float(s);
    }
}

int cfg_get_number(const cfgfile *cf, const config_setting_t *g, const char *name, double *out)
{
    const config_setting_t *s = config_setting_get_member(g, name);
    if (!s)
        return 1;
    if (!cfg_is_number(s))
        return cfg_error(cf, s, MIGDEV_E_TYPE, "'%s' must be a number", name);
    *out = cfg_number(s);
    return 0;
}

int cfg_get_string(const cfgfile *cf, const config_setting_t *g, const char *name, const char **out)
{
    const config_setting_t *s = config_setting_get_member(g, name);
    if (!s)
        return 1;
    if (config_setting_type(s) != CONFIG_TYPE_STRING)
        return cfg_error(cf, s, MIGDEV_E_TYPE, "'%s' must be a string in double quotes", name);
    *out = config_setting_get_string(s);
    return 0;
}

int cfg_get_bool(const cfgfile *cf, const config_setting_t *g, const char *name, int *out)
{
    const config_setting_t *s = config_setting_get_member(g, name);
    if (!s)
        return 1;
    if (config_setting_type(s) != CONFIG_TYPE_BOOL)
        return cfg_error(cf, s, MIGDEV_E_TYPE, "'%s' must be true or false", name);
    *out = config_setting_get_bool(s);
    return 0;
}

