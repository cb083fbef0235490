/*
** gnuplot.c - start gnuplot, feed it, wait for it (see gnuplot.h).
*/
#include "gnuplot.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

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
    memset(g, 0, sizeof *g);
    /* a gnuplot that dies early must not kill us with SIGPIPE: writes then
    ** fail with EPIPE and its exit status tells what happened */
    signal(SIGPIPE, SIG_IGN);
    int fds[2];
    if (pipe(fds) != 0) {
        fprintf(stderr, "error: cannot start gnuplot: %s\n", strerror(errno));
        return -1;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[0], 0);
    if (out_fd >= 0 && out_fd != 1)
        posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
    posix_spawn_file_actions_addclose(&fa, fds[1]);
    const char *prog = gnuplot_program();
    char *argv[] = {(char *)prog, persist ? (char *)"-persist" : NULL, NULL};
    const int rc = posix_spawnp(&g->pid, prog, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[0]);
    if (rc != 0) {
        close(fds[1]);
        report_missing(prog, rc);
        return -1;
    }
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    g->in = fdopen(fds[1], "w");
    if (!g->in) {
        close(fds[1]);
        gnuplot_finish(g);
        return -1;
    }
    return 0;
}

int gnuplot_finish(gnuplot_proc *g)
{
    int bad_write = 0;
    if (g->in) {
        bad_write = ferror(g->in) | (fclose(g->in) != 0);
        g->in = NULL;
    }
    if (g->pid <= 0)
        return -1;
    int st = 0;
    while (waitpid(g->pid, &st, 0) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "error: waiting for gnuplot: %s\n", strerror(errno));
            return -1;
        }
    }
    g->pid = 0;
    if (WIFEXITED(st) && WEXITSTATUS(st) == 127) {
        /* the spawn may report a missing program only once it has forked */
        report_missing(gnuplot_program(), ENOENT);
        return -1;
    }
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        if (WIFSIGNALED(st))
            fprintf(stderr, "error: gnuplot was killed by signal %d\n", WTERMSIG(st));
        else
            fprintf(stderr, "error: gnuplot failed (exit status %d; its message is above)\n",
                    WEXITSTATUS(st));
        return -1;
    }
    if (bad_write) {
        fprintf(stderr, "error: writing to gnuplot failed\n");
        return -1;
    }
    return 0;
}

int gnuplot_alive(gnuplot_proc *g)
{
    if (g->pid <= 0)
        return 0;
    int st;
    if (waitpid(g->pid, &st, WNOHANG) == g->pid) {
        g->pid = 0;
        if (g->in)
            fclose(g->in);
        g->in = NULL;
        return 0;
    }
    return 1;
}

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
