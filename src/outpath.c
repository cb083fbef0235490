/*
** outpath.c - the path policy for outputs named inside files (see outpath.h).
*/
/* realpath() is an XSI function */
#define _XOPEN_SOURCE 700

#include "outpath.h"

#include "error_int.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The name of the file that marks a project's root folder: a file's
** outputs may go anywhere under the nearest folder above it holding one
** (the repository's root holds one, for configs/ writing to out/). */
#define ROOT_MARKER ".migdev-root"

/* Whether path lies in the folder root (both resolved, no trailing '/'). */
static int is_within(const char *root, const char *path)
{
    const size_t n = strlen(root);
    if (strcmp(root, "/") == 0)
        return 1;
    return strncmp(root, path, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* Cut the last component of resolved path p (never above "/"). */
static void cut_last(char *p)
{
    char *slash = strrchr(p, '/');
    if (slash && slash != p)
        *slash = '\0';
    else
        strcpy(p, "/");
}

/* The folder a file's outputs must stay in: the nearest folder from dir
** (resolved) upwards that holds ROOT_MARKER, else dir itself. Owned. */
static char *tree_root(const char *dir)
{
    char *probe = malloc(strlen(dir) + sizeof ROOT_MARKER + 2);
    char *up = strdup(dir);
    if (!probe || !up) {
        free(probe);
        free(up);
        return NULL;
    }
    for (;;) {
        sprintf(probe, "%s/%s", strcmp(up, "/") ? up : "", ROOT_MARKER);
        struct stat st;
        if (stat(probe, &st) == 0 && S_ISREG(st.st_mode)) {
            free(probe);
            return up;
        }
        if (strcmp(up, "/") == 0)
            break;
        cut_last(up);
    }
    free(probe);
    free(up);
    return strdup(dir);
}

int outpath_outside(const char *file, const char *rel, char *why, size_t n)
{
    if (rel[0] == '/') {
        snprintf(why, n, "is absolute");
        return 1;
    }
    const char *slash = strrchr(file, '/');
    const size_t dn = slash ? (size_t)(slash - file) : 0;
    char *dir = malloc(dn + 2);
    if (!dir)
        return 0; /* out of memory: the writer then fails on its own */
    if (slash && dn > 0)
        memcpy(dir, file, dn), dir[dn] = '\0';
    else
        strcpy(dir, slash ? "/" : ".");
    char *real_dir = realpath(dir, NULL);
    free(dir);
    if (!real_dir)
        return 0; /* the file's folder is gone: nothing to write into */
    char *root = tree_root(real_dir);
    /* walk rel from the file's folder: "." stays, ".." goes up, a name goes
       down; a part that exists is resolved (symbolic links followed), so
       the walk stays physical */
    /* a resolved part (at most PATH_MAX) followed by the rest of rel */
    char *at = malloc(strlen(real_dir) + strlen(rel) + PATH_MAX + 4);
    int outside = 0;
    if (!root || !at)
        goto done;
    strcpy(at, real_dir);
    for (const char *p = rel; *p && !outside;) {
        const char *e = strchr(p, '/');
        const size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == 2 && p[0] == '.' && p[1] == '.') {
            cut_last(at);
        } else if (len > 0 && !(len == 1 && p[0] == '.')) {
            const size_t al = strlen(at);
            sprintf(at + al, "%s%.*s", strcmp(at, "/") ? "/" : "", (int)len, p);
            struct stat st;
            if (lstat(at, &st) == 0) {
                char *res = realpath(at, NULL);
                if (!res) { /* a dangling link: where it points is unknown */
                    snprintf(why, n, "goes through a symbolic link that leads nowhere");
                    outside = 1;
                    break;
                }
                strcpy(at, res);
                if (S_ISLNK(st.st_mode) && !is_within(root, at)) {
                    free(res);
                    snprintf(why, n, "goes through a symbolic link out of its folder");
                    outside = 1;
                    break;
                }
                free(res);
            }
        }
        p += len + (e ? 1 : 0);
        if (!outside && !is_within(root, at)) {
            snprintf(why, n, "climbs out of its folder with '..'");
            outside = 1;
        }
    }
done:
    free(real_dir);
    free(root);
    free(at);
    return outside;
}

void outpath_note(const cfgfile *cf, const config_setting_t *s, const char *rel,
                  migdev_error *note)
{
    char why[128];
    if (note->code != 0 || !outpath_outside(cf->path, rel, why, sizeof why))
        return;
    int line, col;
    cfg_string_pos(cf, s, &line, &col);
    err_set(note, MIGDEV_E_UNSUPPORTED, cf->path, line, col,
            "output path '%.60s' %s (a file names outputs only inside its folder; "
            "give the path on the command line or use --allow-output-anywhere)",
            rel, why);
}
