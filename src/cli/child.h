/*
** child.h - run a helper program (gnuplot, Graphviz dot) as a child
** process, without a shell: we write its input through a pipe and its
** standard output goes to a file descriptor of ours.
*/
#ifndef MIGDEV_CLI_CHILD_H
#define MIGDEV_CLI_CHILD_H

#include <stdio.h>
#include <sys/types.h>

typedef struct child {
    pid_t pid;
    FILE *in;     /* the child's standard input */
} child;

/* Start argv[0] (looked up in PATH) with arguments argv (NULL-terminated),
** its standard output on out_fd (-1: ours). Returns 0, or -1 after
** printing why. SIGPIPE is ignored from then on, so a child that dies early
** makes writes fail instead of killing us. */
int child_start(child *ch, const char *const *argv, int out_fd);

/* Close the child's input and wait for it. Returns its exit status, 127
** when the program could not be started, or -1 when it was killed. */
int child_finish(child *ch);

#endif
