/*
** loops_figure.c - relative loop scores over time, through gnuplot.
**
** gnuplot reads the script and the data from a pipe and writes the image to
** its standard output, which is our temporary output file: no path and no
** name is ever spliced into a command line, and every text (model and loop
** names) goes in as a single-quoted gnuplot string (gpquote.h).
*/
#include "loops_figure.h"

#include "gpquote.h"
#include "outfile.h"
#include "gnuplot.h"

#include <stdlib.h>
#include <string.h>

const char *figure_terminal(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot)
        return NULL;
    if (!strcmp(dot, ".png"))
        return "pngcairo size 1000,600";
    if (!strcmp(dot, ".svg"))
        return "svg size 1000,600 dynamic";
    if (!strcmp(dot, ".pdf"))
        return "pdfcairo size 10in,6in";
    return NULL;
}

/* A loop's key: its name from the model with its id, "labour-market relief
** (B20)"; an unnamed loop by the variables it starts with, "emigration ->
** resident_workforce -> surplus_labour ... (B3)". */
static void loop_label(const migdev_model *m, const migdev_loop_info *li, char *buf, size_t n)
{
    enum { SHOWN_VARS = 3 };
    if (li->name) {
        snprintf(buf, n, "%s (%s)", li->name, li->id);
        return;
    }
    size_t len = 0;
    buf[0] = '\0';
    for (int k = 0; k < li->n && k < SHOWN_VARS && len < n; k++) {
        migdev_var_info vi;
        migdev_model_var(m, li->vars[k], &vi);
        len += (size_t)snprintf(buf + len, n - len, "%s%s", k ? " -> " : "", vi.name);
    }
    if (len < n)
        snprintf(buf + len, n - len, "%s (%s)", li->n > SHOWN_VARS ? " ..." : " -> back", li->id);
}

/* The gnuplot script and data: the np loops pick[0..np) of the nl. */
static void write_script(FILE *g, const char *term, const migdev_loops *a, const migdev_model *m,
                         const int *pick, int np, int nl)
{
    fprintf(g, "set terminal %s noenhanced\n", term);
    fputs("set title ", g);
    char title[600];
    snprintf(title, sizeof title, "Relative loop scores: %s%s", migdev_model_name(m),
             np < nl ? " (the loops that matter most)" : "");
    gp_quote(g, title);
    fputs("\nset xlabel ", g);
    char xl[300];
    snprintf(xl, sizeof xl, "time%s%s%s", *migdev_model_time_units(m) ? " (" : "",
             migdev_model_time_units(m), *migdev_model_time_units(m) ? ")" : "");
    gp_quote(g, xl);
    fputs("\nset ylabel 'relative loop score'\nset yrange [-1.05:1.05]\nset grid\n"
          "set key below left Left reverse maxcols 1\nset xzeroaxis lt -1\n",
          g);
    if (np == 0)
        fputs("set label 'no feedback loops' at graph 0.4, graph 0.5\nplot 0 notitle\n", g);
    for (int p = 0; p < np; p++) {
        migdev_loop_info li;
        migdev_loops_get(a, pick[p], &li);
        char label[400];
        loop_label(m, &li, label, sizeof label);
        fputs(p == 0 ? "plot '-' using 1:2 with lines lw 2 title " : ", '-' using 1:2 with lines lw 2 title ", g);
        gp_quote(g, label);
    }
    if (np)
        fputc('\n', g);
    const double *t = migdev_loops_times(a);
    const size_t nt = migdev_loops_n_times(a);
    for (int p = 0; p < np; p++) {
        const double *rel = migdev_loops_relative(a, pick[p]);
        for (size_t k = 1; k < nt; k++) /* nothing is defined at the first save time */
            fprintf(g, "%.10g %.10g\n", t[k], rel[k]);
        fputs("e\n", g);
    }
}

int loops_figure(const char *path, const migdev_loops *a, const migdev_model *m, int max_loops)
{
    const char *term = figure_terminal(path);
    if (!term) {
        fprintf(stderr, "%s: error: a figure must be .png, .svg or .pdf\n", path);
        return -1;
    }
    const int nl = migdev_loops_count(a);
    int *pick = malloc(((size_t)nl + 1) * sizeof *pick);
    if (!pick)
        return -1;
    /* the max_loops loops with the largest mean |relative score| (stable) */
    for (int i = 0; i < nl; i++)
        pick[i] = i;
    for (int i = 1; i < nl; i++) {
        migdev_loop_info li, lj;
        migdev_loops_get(a, pick[i], &li);
        const int x = pick[i];
        int j = i;
        while (j > 0 && (migdev_loops_get(a, pick[j - 1], &lj), lj.mean_abs_rel < li.mean_abs_rel)) {
            pick[j] = pick[j - 1];
            j--;
        }
        pick[j] = x;
    }
    const int np = nl < max_loops ? nl : max_loops;
    outfile out;
    if (outfile_open(&out, path) != 0) {
        free(pick);
        return -1;
    }
    gnuplot_proc gp;
    if (gnuplot_start(&gp, fileno(out.f), 0) != 0) {
        outfile_close(&out, 0);
        free(pick);
        return -1;
    }
    write_script(gp.in, term, a, m, pick, np, nl);
    free(pick);
    if (gnuplot_finish(&gp) != 0) { /* it says what went wrong */
        outfile_close(&out, 0);
        return -1;
    }
    return outfile_close(&out, 1);
}
