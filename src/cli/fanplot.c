/*
** fanplot.c - fan charts of sweep quantile bands, drawn by gnuplot through
** a pipe. The numbers go inline as gnuplot datablocks; every string that
** came from a file (title, variable names, units, paths) is single-quoted
** by gp_quote, so gnuplot treats it as text and never evaluates it.
*/
#include "fanplot.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int gp_quote(const char *s, char *out, size_t n)
{
    size_t k = 0;
    if (n < 3)
        return -1;
    out[k++] = '\'';
    for (const char *p = s; *p; p++) {
        if (*p == '\n' || *p == '\r')
            return -1;
        if (k + 3 >= n)
            return -1;
        if (*p == '\'')
            out[k++] = '\'';
        out[k++] = *p;
    }
    out[k++] = '\'';
    out[k] = '\0';
    return 0;
}

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

int fanplot_draw(const migdev_bands *b, const char *path, const char *title,
                 const char *time_units)
{
    const int nv = migdev_bands_n_vars(b);
    char tmp[4200], qtmp[8600], qtitle[1200], qname[600], qunits[300];
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (dot && slash && dot < slash)
        dot = NULL;
    snprintf(tmp, sizeof tmp, "%.*s.tmp%ld%s", dot ? (int)(dot - path) : (int)strlen(path), path,
             (long)getpid(), dot ? dot : "");
    if (gp_quote(tmp, qtmp, sizeof qtmp) || gp_quote(title ? title : "", qtitle, sizeof qtitle) ||
        gp_quote(time_units && *time_units ? time_units : "time", qunits, sizeof qunits)) {
        fprintf(stderr, "%s: error: the title, units or path of the fan chart holds a newline\n",
                path);
        return -1;
    }
    for (int k = 0; k < nv; k++)
        if (gp_quote(migdev_bands_var_name(b, k), qname, sizeof qname)) {
            fprintf(stderr, "%s: error: a variable name holds a newline\n", path);
            return -1;
        }
    fflush(stdout);
    fflush(stderr);
    FILE *gp = popen("gnuplot", "w");
    if (!gp) {
        fprintf(stderr, "%s: error: cannot run gnuplot: %s\n", path, strerror(errno));
        return -1;
    }
    fprintf(gp, "set terminal %s\nset output %s\nset datafile missing 'NaN'\n",
            terminal_for(path, nv), qtmp);
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
    fprintf(gp, "set multiplot layout %d,1 title %s\n", nv, qtitle);
    fputs("set key below horizontal\nset grid\n", gp);
    for (int k = 0; k < nv; k++) {
        gp_quote(migdev_bands_var_name(b, k), qname, sizeof qname);
        fprintf(gp, "set title %s noenhanced\nset xlabel %s noenhanced\n", qname, qunits);
        fprintf(gp,
                "plot $band%d using 1:2:6 with filledcurves fc rgb '#c6dbef' title '5-95 %%', \\\n"
                "     $band%d using 1:3:5 with filledcurves fc rgb '#6baed6' title '25-75 %%', \\\n"
                "     $band%d using 1:4 with lines lw 2 lc rgb '#08306b' title 'median'\n",
                k, k, k);
    }
    fputs("unset multiplot\nset output\n", gp);
    const int st = pclose(gp);
    if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "%s: error: gnuplot failed (is gnuplot installed?)\n", path);
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
