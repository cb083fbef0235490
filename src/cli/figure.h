/*
** figure.h - draw a plot_data with gnuplot.
**
** The format comes from the output file's extension (.png, .svg, .pdf) or
** from a terminal name (dumb: text on standard output; qt, wxt, x11: a
** window). migdev sends gnuplot the settings, the data (inline, as a
** datablock) and then the template scripts/plot.gp, which does the
** drawing. Figure files are written to a temporary name and renamed when
** gnuplot has finished without error.
*/
#ifndef MIGDEV_CLI_FIGURE_H
#define MIGDEV_CLI_FIGURE_H

#include <stdio.h>

#include "gnuplot.h"
#include "plotdata.h"

typedef struct figure_opts {
    const char *output;    /* figure file; NULL: a terminal */
    const char *terminal;  /* dumb, qt, wxt, x11, window; NULL: from output, else dumb */
    const char *title;     /* NULL or "": none */
    int width, height;     /* 0: the template's default */
    int logscale;
    migdev_layout layout;
    const char *template_path; /* NULL: $MIGDEV_PLOT_TEMPLATE, else scripts/plot.gp */
    int has_shade;         /* shade the times from shade_from on (a hold-out) */
    double shade_from;
    const char *shade_label; /* written in the shaded span (NULL: none) */
    const char *points_group; /* the group drawn as points (data), NULL: none */
} figure_opts;

/* The format name the template receives ("png", "svg", "pdf", "dumb",
** "qt", ...) for o, or NULL after printing why (an unknown extension, a
** window terminal this gnuplot lacks, no display). */
const char *figure_format(const figure_opts *o);

/* Whether a format shows on screen or in the terminal (no file). */
int figure_format_is_live(const char *format);

/* Draw pd once: into o->output (atomically), on standard output (dumb) or
** in a window that stays open. Returns 0, or -1 after printing why. */
int figure_draw(const figure_opts *o, const plot_data *pd);

/* A gnuplot kept running for redrawing (--watch on a window or the
** terminal). */
typedef struct figure_session {
    gnuplot_proc gp;
    int open;
} figure_session;

/* Draw pd in the session, starting gnuplot the first time. Returns 0 or
** -1 after printing why. */
int figure_session_draw(figure_session *s, const figure_opts *o, const char *format,
                        const plot_data *pd);
void figure_session_close(figure_session *s);

/* Write the gnuplot commands for pd in format fmt, then the template text.
** Every string from a model or scenario goes through gp_quote(). */
void figure_script(FILE *f, const figure_opts *o, const char *fmt, const plot_data *pd,
                   const char *template_text);

#endif
