/*
** gnuplot.h - gnuplot as a child process fed through a pipe.
**
** The program is $MIGDEV_GNUPLOT when set, else `gnuplot` on the PATH. It
** is started as a child process (proc.h), without a shell. Commands and
** data are written to its standard input; its standard output goes where
** the caller says (a figure file, or ours for the dumb terminal).
*/
#ifndef MIGDEV_CLI_GNUPLOT_H
#define MIGDEV_CLI_GNUPLOT_H

#include "proc.h"

/* The Debian package to suggest when gnuplot is missing. */
#define GNUPLOT_PACKAGE "gnuplot-nox"

/* A running gnuplot; commands go to its in. */
typedef proc gnuplot_proc;

/* The gnuplot program that will be run. */
const char *gnuplot_program(void);

/* Start gnuplot reading commands from a pipe; out_fd becomes its standard
** output (-1: ours). persist: keep interactive windows open after it
** exits. Returns 0, or -1 after printing why (naming the package to install
** when gnuplot is missing). */
int gnuplot_start(gnuplot_proc *g, int out_fd, int persist);

/* Close the command pipe and wait for gnuplot to end. Returns 0 when it
** exited with status 0, -1 after printing what went wrong. */
int gnuplot_finish(gnuplot_proc *g);

/* Whether g's gnuplot is still running (reaps it when it has ended). */
int gnuplot_alive(gnuplot_proc *g);

/* The terminals of the installed gnuplot, space-separated with a space at
** each end (" dumb png svg "), or NULL after printing why. Caller frees. */
char *gnuplot_terminals(void);

#endif
