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
} outfile;

/* Open path for writing ("-" or NULL: standard output). Creates missing
** parent folders. Returns 0, or -1 after printing why. */
int outfile_open(outfile *o, const char *path);

/* Create the missing folders above path. Returns 0 or -1 (errno set). */
int outfile_make_parents(const char *path);

/* Finish: on ok, flush and rename into place (returns 0, or -1 after
** printing why); otherwise remove the temporary file. */
int outfile_close(outfile *o, int ok);

#endif
