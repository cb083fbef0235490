/*
** outpath.h - the path policy for outputs named inside files (docs/paths.md).
**
** A scenario or sweep file may name its outputs by relative paths that
** stay inside the file's own folder tree. An absolute path, a path that
** climbs out with "..", or one that goes through a symbolic link to a
** place outside the tree is noted as an error at the path's position; the
** command line refuses the file unless the user allows it
** (--allow-output-anywhere). Paths given on the command line are the
** user's own and are never checked.
*/
#ifndef MIGDEV_OUTPATH_H
#define MIGDEV_OUTPATH_H

#include <stddef.h>

#include "cfgfile.h"

/* 0 when rel, named inside file, stays in file's folder tree; 1 when it
** does not, with the reason in why (size n): "is absolute", ... */
int outpath_outside(const char *file, const char *rel, char *why, size_t n);

/* When note holds no error yet (code 0) and rel, the string value of s,
** leaves cf's folder tree, set note at the value's position. */
void outpath_note(const cfgfile *cf, const config_setting_t *s, const char *rel,
                  migdev_error *note);

#endif
