/*
** plotopts.h - the figure options shared by `migdev plot` and `migdev
** compare`: -o, --terminal, --title, --size, --logscale, --layout,
** --template.
*/
#ifndef MIGDEV_CLI_PLOTOPTS_H
#define MIGDEV_CLI_PLOTOPTS_H

#include "args.h"
#include "figure.h"

/* The help lines for these options. */
extern const char figure_opts_help[];

/* Parse the figure option opt (value inl after '=', or the next argument).
** Returns -1 when opt is not a figure option, else EXIT_OK or EXIT_USAGE
** (printed). */
int figure_opt(cli *c, const char *cmd, const char *opt, const char *inl, figure_opts *f);

/* Check the combination (-o with --terminal). Returns EXIT_OK or
** EXIT_USAGE (printed). */
int figure_opts_check(const cli *c, const char *cmd, const figure_opts *f);

#endif
