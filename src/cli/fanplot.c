/*
** fanplot.c - fan charts of sweep quantile bands, drawn by gnuplot through
** a pipe (gnuplot.c). The numbers go inline as gnuplot datablocks; the
** strings go through gp_quote after a check that none spans two lines.
*/
#include "fanplot.h"

#include "gnuplot.h"
#include "gpquote.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int one_line(const char *s) { return !s || !strpbrk(s, "\n\r"); }

static const char *terminal_for(const char *path, int n_panels)
{
    static char buf[128];
    const char *dot = strrchr(path, '.');
    const int h = 340 * n_panels + 60;
    if (dot && !strcmp(dot, ".svg"))
        snprintf(buf, sizeof buf, "svg size 900,%d dynamic", h);
    else if (dot && !strcmp(dot, ".pdf"))
        snprintf(buf, sizeof buf, "pdfcairo size 8in,%.1fin", 0.3 + 2.8 * n_panels);
    else
        snprintf(buf, sizeof buf, "pngcairo size 900,%d", h);
    return buf;
}

/* Names tried for the temporary file before giving up. */
#define MAX_TMP_ATTEMPTS 100

int fanplot_draw(const migdev_bands *b, const char *path, const char *title,
                 const char *time_units)
{
    const int nv = migdev_bands_n_vars(b);
    char tmp[4200];
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (dot && slash && dot < slash)
        dot = NULL;
    int ok = one_line(path) && one_line(title) && one_line(time_units);
    for (int k = 0; k < nv; k++)
        ok &= one_line(migdev_bands_var_name(b, k));
    if (!ok) {
        fprintf(stderr,
                "%s: error: the fan chart's title, units, variable names or file name hold a "
                "line break (not allowed in a figure)\n",
                path);
        return -1;
    }
    /* the temporary file gnuplot draws into: created here, exclusively
       and never through a link (a planted name is skipped for another) */
    int fd = -1;
    for (int attempt = 0; fd < 0 && attempt < MAX_TMP_ATTEMPTS; attempt++) {
        snprintf(tmp, sizeof tmp, "%.*s.tmp%ld-%d%s", dot ? (int)(dot - path) : (int)strlen(path),
                 path, (long)getpid(), attempt, dot ? dot : "");
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        fprintf(stderr, "%s: error: cannot create a temporary file next to it: %s\n", path,
                strerror(errno));
        return -1;
    }
    close(fd);
    gnuplot_proc g;
    if (gnuplot_start(&g, -1, 0) != 0) {
        unlink(tmp);
        return -1;
    }
    FILE *gp = g.in;
    fprintf(gp, "set terminal %s\nset output ", terminal_for(path, nv));
    gp_quote(gp, tmp);
    fputs("\nset datafile missing 'NaN'\n", gp);
    size_t ns;
    const double *times = migdev_bands_times(b, &ns);
    /* datablocks first, then the plots */
    for (int k = 0; k < nv; k++) {
        fprintf(gp, "$band%d << EOD\n", k);
        for (size_t j = 0; j < ns; j++) {
            double q[5];
            migdev_bands_get(b, k, j, q);
            fprintf(gp, "%.17g %.17g %.17g %.17g %.17g %.17g\n", times[j], q[0], q[1], q[2], q[3],
                    q[4]);
        }
        fputs("EOD\n", gp);
    }
    fprintf(gp, "set multiplot layout %d,1 title ", nv);
    gp_quote(gp, title ? title : "");
    fputs(" noenhanced\nset key below horizontal\nset grid\n", gp);
    for (int k = 0; k < nv; k++) {
        fputs("set title ", gp);
        gp_quote(gp, migdev_bands_var_name(b, k));
        fputs(" noenhanced\nset xlabel ", gp);
        gp_quote(gp, time_units && *time_units ? time_units : "time");
        fputs(" noenhanced\n", gp);
        fprintf(gp,
                "plot $band%d using 1:2:6 with filledcurves fc rgb '#c6dbef' title '5-95 %%', \\\n"
                "     $band%d using 1:3:5 with filledcurves fc rgb '#6baed6' title '25-75 %%', \\\n"
                "     $band%d using 1:4 with lines lw 2 lc rgb '#08306b' title 'median'\n",
                k, k, k);
    }
    fputs("unset multiplot\nset output\n", gp);
    if (gnuplot_finish(&g) != 0) {
        fprintf(stderr, "%s: error: gnuplot could not draw the fan chart\n", path);
        unlink(tmp);
        return -1;
    }
    if (rename(tmp, path) != 0) {
        fprintf(stderr, "%s: error: cannot rename into place: %s\n", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}
