/*
** util.h - small path, string and memory helpers shared by the library's files
** (private, never installed).
*/
#ifndef MIGDEV_UTIL_H
#define MIGDEV_UTIL_H

#include <stddef.h>

/* The file name of path without its folder and its last extension
** ("models/teacup.cfg" -> "teacup"; ".hidden" stays whole). Owned; NULL
** when out of memory. */
char *util_path_stem(const char *path);

/* Replace the string *dst with a copy of s (nothing happens when s is
** NULL). Returns 0, or MIGDEV_E_NOMEM (*dst unchanged). */
int util_set_str(char **dst, const char *s);

/* Make room for need elements of size bytes in the array *p of capacity
** *cap, doubling it (from 16) as needed. Returns 0, or MIGDEV_E_NOMEM
** (*p and *cap unchanged). */
int util_grow(void **p, int *cap, int need, size_t size);

#endif
