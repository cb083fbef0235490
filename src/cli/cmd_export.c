/*
** cmd_export.c - `migdev export --xmile FILE`: write a model as XMILE, with
** a diagram laid out by Graphviz.
**
** The layout: the library writes the stock-and-flow graph in DOT, Graphviz's
** `dot -Tplain` (a child process, no shell; see proc.h) places its nodes, and
** the positions go back to the library's writer as the <views> section.
** Without dot (or with --no-diagram) the file has no <views>; a note says so.
*/
#include "commands.h"
#include "outfile.h"
#include "proc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { POINTS_PER_INCH = 72, MARGIN = 60 };

static const char help[] =
    "usage: migdev export --xmile FILE [-o OUT]\n"
    "\n"
    "Write the model of FILE (a model or a scenario) as an XMILE document, the\n"
    "OASIS standard that Stella and other tools read, to OUT or standard\n"
    "output. migdev reads it back into the same model: same names, units, docs\n"
    "and the same series. Builtins without an XMILE equivalent (pulse with a\n"
    "width, ramp with an end) are written as migdev.pulse(...), which other\n"
    "tools do not know.\n"
    "\n"
    "options:\n"
    "  --xmile      the format (the only one for now; required)\n"
    "  -o FILE      output file ('-' for standard output)\n"
    "  --no-diagram leave out the diagram (<views>), which Graphviz's dot lays out\n"
    "\n"
    "exit status: 0 ok, 1 bad model or a name XMILE cannot hold, 2 bad usage\n";

/* Positions of the model's variables laid out by `dot -Tplain` (owned, 2
** per variable, points, y downwards), or NULL (dot missing or failed: *why
** says so). */
static double *layout(const migdev_model *m, const char **why)
{
    const int n = migdev_model_n_vars(m);
    FILE *tmp = tmpfile();
    if (!tmp) {
        *why = "no temporary file for the layout";
        return NULL;
    }
    const char *argv[] = {"dot", "-Tplain", NULL};
    proc ch;
    int st = proc_start(&ch, argv, fileno(tmp));
    migdev_error err;
    migdev_error_clear(&err);
    if (st == 0) {
        migdev_model_write_layout_dot(m, ch.in, &err);
        st = proc_finish(&ch, NULL);
    }
    if (st != 0) {
        fclose(tmp);
        *why = st == 127 ? "Graphviz's dot program is not installed (Debian package graphviz)"
                         : "Graphviz's dot failed";
        return NULL;
    }
    rewind(tmp);
    double *xy = calloc(2 * (size_t)n + 2, sizeof *xy);
    int *seen = calloc((size_t)n + 1, sizeof *seen);
    double height = 0;
    char line[4096];
    while (xy && seen && fgets(line, sizeof line, tmp)) {
        double x, y, w, h;
        int i;
        if (sscanf(line, "graph %lf %lf %lf", &x, &w, &h) == 3)
            height = h;
        else if (sscanf(line, "node v%d %lf %lf", &i, &x, &y) == 3 && i >= 0 && i < n) {
            xy[2 * i] = MARGIN + POINTS_PER_INCH * x;
            xy[2 * i + 1] = y; /* flipped below, once the height is known */
            seen[i] = 1;
        }
    }
    fclose(tmp);
    int all = xy && seen;
    for (int i = 0; all && i < n; i++) {
        all = seen[i];
        xy[2 * i + 1] = MARGIN + POINTS_PER_INCH * (height - xy[2 * i + 1]);
    }
    free(seen);
    if (!all) {
        free(xy);
        *why = "Graphviz's dot gave no position for some variable";
        return NULL;
    }
    return xy;
}

int cmd_export(cli *c)
{
    const char *file = NULL, *out = NULL;
    int xmile = 0, diagram = 1;
    for (; c->i < c->argc; c->i++) {
        const char *a = c->argv[c->i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(help, stdout);
            return EXIT_OK;
        } else if (!strcmp(a, "--xmile")) {
            xmile = 1;
        } else if (!strcmp(a, "--no-diagram")) {
            diagram = 0;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (c->i + 1 >= c->argc)
                return cli_usage_error(c, c->i, "export", "%s needs a file name", a);
            out = c->argv[++c->i];
        } else if (!strncmp(a, "--output=", 9)) {
            out = a + 9;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error(c, c->i, "export", "unknown option '%s'", a);
        } else if (file) {
            return cli_usage_error(c, c->i, "export", "unexpected argument '%s' (one file at a time)", a);
        } else {
            file = a;
        }
    }
    if (!xmile)
        return cli_usage_error(c, c->argc, "export", "choose the format: --xmile");
    if (!file)
        return cli_usage_error(c, c->argc, "export", "missing the model or scenario file");
    int status = EXIT_OK;
    migdev_scenario *s = cli_load_scenario(file, &status);
    if (!s)
        return status;
    migdev_error err;
    migdev_error_clear(&err);
    outfile of;
    if (outfile_open(&of, out) != 0) {
        status = EXIT_INPUT;
    } else {
        const migdev_model *m = migdev_scenario_model(s);
        const char *why = NULL;
        double *xy = diagram ? layout(m, &why) : NULL;
        if (diagram && !xy)
            fprintf(stderr, "%s: note: written without a diagram: %s\n", file, why);
        const int rc = migdev_model_write_xmile_view(m, xy, of.f, &err);
        free(xy);
        if (outfile_close(&of, rc == 0) != 0 || rc != 0) {
            if (rc != 0)
                cli_print_error(&err);
            status = rc ? cli_exit_code(err.code) : EXIT_INPUT;
        }
    }
    migdev_scenario_free(s);
    return status;
}
