/*
** readall.h - read a whole stream into memory (tables, templates).
*/
#ifndef MIGDEV_CLI_READALL_H
#define MIGDEV_CLI_READALL_H

#include <stdio.h>

/* Everything left in f, NUL-terminated (owned by the caller), or NULL
** when reading failed or memory ran out (errno tells which). */
char *read_all(FILE *f);

/* The same, with the number of bytes read in *len (NUL bytes included). */
char *read_all_n(FILE *f, size_t *len);

#endif
