/*
** gpquote.h - put untrusted text into a gnuplot command safely.
**
** Titles, labels, units, scenario and variable names come from model and
** scenario files that anyone may have written. Gnuplot runs text between
** backquotes as a shell command, expands @macros and offers system(), so
** such text must reach it only as an inert string constant. The one form
** that is inert in gnuplot 5.4 is the single-quoted string:
**   - backquote substitution happens "anywhere on the command line except
**     inside strings delimited by single quotes" (help substitution);
**   - @macro substitution never happens inside quotes (help macros);
**   - backslashes are ordinary characters; the only escape is '' for one '
**     (help quotes).
** What remains dangerous is leaving the string early: an unescaped ' ends
** it, and a newline (or carriage return) ends the whole command, so that
** the rest of the text would be read as commands. gp_quote() doubles every
** ' and turns every control character into a space. The result must be
** used as a string value only: never passed to eval, system(), load or a
** macro, and rendered with enhanced text off (the template does that).
*/
#ifndef MIGDEV_CLI_GPQUOTE_H
#define MIGDEV_CLI_GPQUOTE_H

#include <stdio.h>

/* Write s to f as a gnuplot single-quoted string constant, quotes
** included. NULL is written as ''. */
void gp_quote(FILE *f, const char *s);

#endif
