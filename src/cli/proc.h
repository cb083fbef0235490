/*
** proc.h - run a helper program (gnuplot, Graphviz's dot) as a child
** process, without a shell (posix_spawnp), so no file name or option passes
** through one: we write its standard input through a pipe, and its standard
** output goes to a file descriptor of ours.
*/
#ifndef MIGDEV_CLI_PROC_H
#define MIGDEV_CLI_PROC_H

#include <stdio.h>
#include <sys/types.h>

typedef struct proc {
    pid_t pid;    /* -1: none */
    FILE *in;     /* the child's standard input */
} proc;

/* Start argv[0] (looked up in PATH) with arguments argv (NULL-terminated),
** its standard output on out_fd (-1: ours). SIGPIPE is ignored from then
** on, so a child that dies early makes writes fail instead of killing us.
** Returns 0; 127 when the program could not be run (errno tells why:
** ENOENT when it is not there), printing nothing, for the caller to
** explain; or -1 after printing why (no pipe). */
int proc_start(proc *p, const char *const *argv, int out_fd);

/* Close the child's input and wait for it. Returns its exit status (127:
** the program could not be run), or -1 when it was killed (*signo set to
** the signal, when signo is not NULL) or could not be waited for (*signo
** set to 0, errno to why). */
int proc_finish(proc *p, int *signo);

/* Whether the child is still running. One that has ended is reaped and
** its input closed. */
int proc_alive(proc *p);

#endif
