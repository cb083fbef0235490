/*
** proc.c - spawn a helper program with a pipe to its standard input (see
** proc.h).
*/
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int proc_start(proc *p, const char *const *argv, int out_fd)
{
    p->pid = -1;
    p->in = NULL;
    /* a child that dies early must not kill us with SIGPIPE: writes then
    ** fail with EPIPE and its exit status tells what happened */
    signal(SIGPIPE, SIG_IGN);
    int fds[2];
    if (pipe(fds) != 0) {
        fprintf(stderr, "error: cannot start %s: %s\n", argv[0], strerror(errno));
        return -1;
    }
    /* our end of the pipe stays out of every later child */
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[0], 0);
    if (out_fd >= 0 && out_fd != 1)
        posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
    posix_spawn_file_actions_addclose(&fa, fds[1]);
    const int rc = posix_spawnp(&p->pid, argv[0], &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[0]);
    if (rc != 0) {
        close(fds[1]);
        p->pid = -1;
        errno = rc;
        return 127;
    }
    p->in = fdopen(fds[1], "w");
    if (!p->in) {
        close(fds[1]);
        proc_finish(p, NULL);
        fprintf(stderr, "error: cannot talk to %s\n", argv[0]);
        return -1;
    }
    return 0;
}

int proc_finish(proc *p, int *signo)
{
    if (signo)
        *signo = 0;
    if (p->in)
        fclose(p->in);
    p->in = NULL;
    if (p->pid < 0) {
        errno = ECHILD;
        return -1;
    }
    int st = 0;
    while (waitpid(p->pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    p->pid = -1;
    if (WIFEXITED(st))
        return WEXITSTATUS(st);
    if (signo && WIFSIGNALED(st))
        *signo = WTERMSIG(st);
    return -1;
}

int proc_alive(proc *p)
{
    if (p->pid < 0)
        return 0;
    int st;
    if (waitpid(p->pid, &st, WNOHANG) == p->pid) {
        p->pid = -1;
        if (p->in)
            fclose(p->in);
        p->in = NULL;
        return 0;
    }
    return 1;
}
