/*
** child.c - fork/exec a helper program with a pipe to its standard input.
*/
#include "child.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int child_start(child *ch, const char *const *argv, int out_fd)
{
    int p[2];
    ch->pid = -1;
    ch->in = NULL;
    if (pipe(p) != 0) {
        fprintf(stderr, "error: cannot start %s: %s\n", argv[0], strerror(errno));
        return -1;
    }
    signal(SIGPIPE, SIG_IGN);
    fflush(NULL);
    const pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "error: cannot start %s: %s\n", argv[0], strerror(errno));
        close(p[0]);
        close(p[1]);
        return -1;
    }
    if (pid == 0) {
        dup2(p[0], 0);
        close(p[0]);
        close(p[1]);
        if (out_fd >= 0 && out_fd != 1) {
            dup2(out_fd, 1);
            close(out_fd);
        }
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(p[0]);
    ch->pid = pid;
    ch->in = fdopen(p[1], "w");
    if (!ch->in) {
        close(p[1]);
        child_finish(ch);
        fprintf(stderr, "error: cannot talk to %s\n", argv[0]);
        return -1;
    }
    return 0;
}

int child_finish(child *ch)
{
    if (ch->in)
        fclose(ch->in);
    ch->in = NULL;
    if (ch->pid < 0)
        return -1;
    int st = 0;
    while (waitpid(ch->pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    ch->pid = -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}
