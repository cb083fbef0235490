/*
** watch.c - poll files for changes (see watch.h).
*/
#include "watch.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static void snap(watch_set *w, int i)
{
    w->exists[i] = stat(w->paths[i], &w->st[i]) == 0;
}

void watch_clear(watch_set *w) { w->n = 0; }

void watch_add(watch_set *w, const char *path)
{
    for (int i = 0; i < w->n; i++)
        if (strcmp(w->paths[i], path) == 0)
            return;
    if (w->n == WATCH_MAX)
        return;
    snprintf(w->paths[w->n], sizeof w->paths[0], "%s", path);
    snap(w, w->n);
    w->n++;
}

static int changed(const watch_set *w, int i)
{
    struct stat now;
    const int exists = stat(w->paths[i], &now) == 0;
    if (exists != w->exists[i])
        return 1;
    if (!exists)
        return 0;
    const struct stat *was = &w->st[i];
    return now.st_mtim.tv_sec != was->st_mtim.tv_sec || now.st_mtim.tv_nsec != was->st_mtim.tv_nsec ||
           now.st_size != was->st_size || now.st_ino != was->st_ino || now.st_dev != was->st_dev;
}

static int any_changed(const watch_set *w)
{
    for (int i = 0; i < w->n; i++)
        if (changed(w, i))
            return 1;
    return 0;
}

static void nap(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

int watch_wait(watch_set *w, volatile sig_atomic_t *stop)
{
    for (;;) {
        if (*stop)
            return 0;
        if (any_changed(w)) {
            /* let the editor finish writing: wait until nothing changes for a moment */
            do {
                for (int k = 0; k < w->n; k++)
                    snap(w, k);
                nap(150);
            } while (!*stop && any_changed(w));
            return !*stop;
        }
        nap(250);
    }
}
