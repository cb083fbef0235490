/*
** plotopts.c - parse the figure options (see plotopts.h).
*/
#include "plotopts.h"

#include <stdlib.h>
#include <string.h>

const char figure_opts_help[] =
    "  -o FILE            write the figure to FILE.png, FILE.svg or FILE.pdf\n"
    "  --terminal T       dumb (text, the default without -o), window (qt, wxt\n"
    "                     or x11, whichever gnuplot has), qt, wxt, x11\n"
    "  --title TEXT       title over the figure\n"
    "  --size WxH         size in pixels (characters for dumb), e.g. 1000x700\n"
    "  --layout L         panels (one per variable, the default) or overlay\n"
    "  --logscale, --log  logarithmic value axes\n"
    "  --template FILE    gnuplot template (default scripts/plot.gp)\n";

/* "800x600" (or "800,600") within the bounds. */
static int parse_size(const char *s, int *w, int *h)
{
    char *end;
    const long a = strtol(s, &end, 10);
    if (end == s || (*end != 'x' && *end != 'X' && *end != ','))
        return -1;
    const char *p = end + 1;
    const long b = strtol(p, &end, 10);
    if (end == p || *end != '\0' || a < 10 || b < 5 || a > 20000 || b > 20000)
        return -1;
    *w = (int)a;
    *h = (int)b;
    return 0;
}

int figure_opt(cli *c, const char *cmd, const char *opt, const char *inl, figure_opts *f)
{
    const char *val = inl;
    int rc = EXIT_OK;
#define VALUE() ((rc = cli_option_value(c, cmd, opt, inl, &val)) == EXIT_OK)
    if (!strcmp(opt, "-o") || !strcmp(opt, "--output")) {
        if (VALUE())
            f->output = val;
    } else if (!strcmp(opt, "--terminal") || !strcmp(opt, "-t")) {
        if (VALUE()) {
            f->terminal = val;
            if (strcmp(val, "dumb") && strcmp(val, "window") && strcmp(val, "qt") &&
                strcmp(val, "wxt") && strcmp(val, "x11"))
                rc = cli_usage_error(c, c->i, cmd, "unknown terminal '%s' (dumb, window, qt, wxt, "
                                                   "x11; for a file use -o FILE.png, .svg or .pdf)",
                                     val);
        }
    } else if (!strcmp(opt, "--title")) {
        if (VALUE())
            f->title = val;
    } else if (!strcmp(opt, "--template")) {
        if (VALUE())
            f->template_path = val;
    } else if (!strcmp(opt, "--size")) {
        if (VALUE() && parse_size(val, &f->width, &f->height) != 0)
            rc = cli_usage_error(c, c->i, cmd, "--size expects WIDTHxHEIGHT such as 1000x700, "
                                               "got '%s'", val);
    } else if (!strcmp(opt, "--layout")) {
        if (VALUE()) {
            if (!strcmp(val, "panels"))
                f->layout = MIGDEV_PANELS;
            else if (!strcmp(val, "overlay"))
                f->layout = MIGDEV_OVERLAY;
            else
                rc = cli_usage_error(c, c->i, cmd, "--layout must be panels or overlay, got '%s'",
                                     val);
        }
    } else if (!strcmp(opt, "--logscale") || !strcmp(opt, "--log")) {
        if (inl)
            rc = cli_usage_error(c, c->i, cmd, "%s takes no value", opt);
        f->logscale = 1;
    } else {
        return -1;
    }
#undef VALUE
    return rc;
}

int figure_opts_check(const cli *c, const char *cmd, const figure_opts *f)
{
    if (f->output && f->terminal)
        return cli_usage_error(c, c->argc, cmd, "-o and --terminal exclude each other: a file "
                                                "(its format from its extension) or a terminal");
    return EXIT_OK;
}
