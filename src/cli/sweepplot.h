/*
** sweepplot.h - draw a sweep's series file (run,time,variable,value) as a
** spaghetti plot or a fan chart.
*/
#ifndef MIGDEV_CLI_SWEEPPLOT_H
#define MIGDEV_CLI_SWEEPPLOT_H

/* Whether path is a series file: its header is run,time,variable,value. */
int sweepplot_is_series(const char *path);

/* Draw the series file path: style "spaghetti" (every run thin, the median
** across runs bold; NULL means this) or "fan" (5-95 % and 25-75 % bands
** across runs, the median). One panel per variable. out: a .png, .svg or
** .pdf file (written atomically), or NULL for text on standard output.
** title may be NULL. Returns 0, or -1 after printing why (file:line:col for
** a malformed row). */
int sweepplot_draw(const char *path, const char *style, const char *out, const char *title);

#endif
