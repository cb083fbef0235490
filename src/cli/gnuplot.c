/*
** gnuplot.c - start gnuplot, feed it, wait for it (see gnuplot.h).
*/
#include "gnuplot.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *gnuplot_program(void)
{
    const char *p = getenv("MIGDEV_GNUPLOT");
    return p && *p ? p : "gnuplot";
}

static void report_missing(const char *prog, int e)
{
    if (e == ENOENT)
        fprintf(stderr,
                "error: cannot run gnuplot ('%s' not found): figures need it; install the "
                "Debian package %s (apt-get install %s), or set MIGDEV_GNUPLOT to the program\n",
                prog, GNUPLOT_PACKAGE, GNUPLOT_PACKAGE);
    else
        fprintf(stderr, "error: cannot run gnuplot ('%s'): %s\n", prog, strerror(e));
}

int gnuplot_start(gnuplot_proc *g, int out_fd, int persist)
{
    const char *prog = gnuplot_program();
    const char *const argv[] = {prog, persist ? "-persist" : NULL, NULL};
    const int rc = proc_start(g, argv, out_fd);
    if (rc == 127)
        report_missing(prog, errno);
    return rc == 0 ? 0 : -1;
}

int gnuplot_finish(gnuplot_proc *g)
{
    const int bad_write = g->in && (ferror(g->in) | (fflush(g->in) != 0));
    if (g->pid < 0) {
        proc_finish(g, NULL);
        return -1;
    }
    int sig;
    const int st = proc_finish(g, &sig);
    if (st < 0 && !sig) {
        fprintf(stderr, "error: waiting for gnuplot: %s\n", strerror(errno));
        return -1;
    }
    if (st == 127) {
        /* the spawn may report a missing program only once it has forked */
        report_missing(gnuplot_program(), ENOENT);
        return -1;
    }
    if (st != 0) {
        if (sig)
            fprintf(stderr, "error: gnuplot was killed by signal %d\n", sig);
        else
            fprintf(stderr, "error: gnuplot failed (exit status %d; its message is above)\n", st);
        return -1;
    }
    if (bad_write) {
        fprintf(stderr, "error: writing to gnuplot failed\n");
        return -1;
    }
    return 0;
}

int gnuplot_alive(gnuplot_proc *g) { return proc_alive(g); }

char *gnuplot_terminals(void)
{
    FILE *out = tmpfile();
    if (!out) {
        fprintf(stderr, "error: cannot ask gnuplot for its terminals: %s\n", strerror(errno));
        return NULL;
    }
    gnuplot_proc g;
    if (gnuplot_start(&g, fileno(out), 0) != 0) {
        fclose(out);
        return NULL;
    }
    fputs("set print '-'\nprint ' ', GPVAL_TERMINALS, ' '\n", g.in);
    if (gnuplot_finish(&g) != 0) {
        fclose(out);
        return NULL;
    }
    rewind(out);
    char buf[8192];
    const size_t n = fread(buf, 1, sizeof buf - 1, out);
    fclose(out);
    buf[n] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
    char *s = malloc(n + 1);
    if (s)
        memcpy(s, buf, n + 1);
    return s;
}
