/*
** outfile.h - write an output file all at once or not at all.
**
** Output goes to a temporary file in the target's folder, which is renamed
** over the target only when everything was written. A failed run leaves no
** file that looks complete.
*/
#ifndef MIGDEV_CLI_OUTFILE_H
#define MIGDEV_CLI_OUTFILE_H

#include <stdio.h>

typedef struct outfile {
    char path[4096];
    char tmp[4096];
    FILE *f;
    int is_stdout;
    int is_direct; /* a device, pipe or socket: written in place */
} outfile;

/* What is at path: 0 nothing, or a regular file (written to a temporary
** and renamed over); 1 a device, pipe or socket (written in place: renaming
** over /dev/null would replace the device); -1 a folder, after printing so. */
int outfile_target_kind(const char *path);

/* Open path for writing ("-" or NULL: standard output). Creates missing
** parent folders. A device or pipe is written in place, not through a
** temporary file. Returns 0, or -1 after printing why (a folder). */
int outfile_open(outfile *o, const char *path);

/* Create the missing folders above path. Returns 0 or -1 (errno set). */
int outfile_make_parents(const char *path);

/* Create path afresh for writing, never through a symbolic link: what is
** at path (a stale file, a planted link) is removed, then path is created
** with O_CREAT|O_EXCL|O_NOFOLLOW (a link planted again in between makes the
** create fail). NULL with errno set on failure. */
FILE *outfile_create_excl(const char *path);

/* Open an existing path for reading ("r") or appending ("a") without
** following a symbolic link at its name (ELOOP then). When end >= 0 and
** the mode is "a", the file is first cut to end bytes. NULL with errno set. */
FILE *outfile_open_nofollow(const char *path, const char *mode, long end);

/* Finish: on ok, flush and rename into place (returns 0, or -1 after
** printing why); otherwise remove the temporary file. */
int outfile_close(outfile *o, int ok);

#endif
