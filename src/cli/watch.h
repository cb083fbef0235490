/*
** watch.h - notice when files are saved (for `migdev plot --watch`).
**
** Polls the files' modification time, size and inode a few times a
** second: simple, portable, and it sees editors that save by writing a new
** file and renaming it over the old one.
*/
#ifndef MIGDEV_CLI_WATCH_H
#define MIGDEV_CLI_WATCH_H

#include <signal.h>
#include <sys/stat.h>

#define WATCH_MAX 8

typedef struct watch_set {
    char paths[WATCH_MAX][4096];
    struct stat st[WATCH_MAX];
    int exists[WATCH_MAX];
    int n;
} watch_set;

/* Start watching path (up to WATCH_MAX files; duplicates are ignored). */
void watch_add(watch_set *w, const char *path);

/* Forget the files (before adding the new list after a reload). */
void watch_clear(watch_set *w);

/* Sleep until a watched file changes (returns 1) or *stop becomes
** non-zero (returns 0). Waits for the file to settle before returning. */
int watch_wait(watch_set *w, volatile sig_atomic_t *stop);

#endif
