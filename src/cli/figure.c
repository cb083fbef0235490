/*
** figure.c - choose the output format, find the template, run gnuplot
** (see figure.h).
*/
#include "figure.h"
#include "outfile.h"
#include "readall.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef MIGDEV_SCRIPTS_DIR
#define MIGDEV_SCRIPTS_DIR "scripts"
#endif
#ifndef MIGDEV_INSTALLED_DATA_DIR
#define MIGDEV_INSTALLED_DATA_DIR "../share/migdev"
#endif

int figure_format_is_live(const char *format) { return strcmp(format, "dumb") == 0 ||
                                                       strcmp(format, "qt") == 0 ||
                                                       strcmp(format, "wxt") == 0 ||
                                                       strcmp(format, "x11") == 0; }

static const char *window_format(const char *wanted)
{
    static const char *const windows[] = {"qt", "wxt", "x11"};
    const char *display = getenv("DISPLAY"), *wayland = getenv("WAYLAND_DISPLAY");
    if ((!display || !*display) && (!wayland || !*wayland)) {
        fprintf(stderr, "error: no display for a window (DISPLAY is not set): draw in the "
                        "terminal with --terminal dumb, or into a file with -o FILE.png\n");
        return NULL;
    }
    char *have = gnuplot_terminals();
    if (!have)
        return NULL;
    const char *found = NULL;
    for (size_t i = 0; i < sizeof windows / sizeof windows[0] && !found; i++) {
        char word[16];
        snprintf(word, sizeof word, " %s ", windows[i]);
        if ((!wanted || strcmp(wanted, windows[i]) == 0) && strstr(have, word))
            found = windows[i];
    }
    free(have);
    if (!found)
        fprintf(stderr,
                "error: this gnuplot (%s) has no %s%s terminal: install the Debian package "
                "gnuplot-qt (or gnuplot-x11) for windows, or use --terminal dumb\n",
                gnuplot_program(), wanted ? wanted : "window", wanted ? "" : " (qt, wxt, x11)");
    return found;
}

const char *figure_format(const figure_opts *o)
{
    if (o->terminal) {
        if (strcmp(o->terminal, "dumb") == 0)
            return "dumb";
        if (strcmp(o->terminal, "window") == 0)
            return window_format(NULL);
        if (strcmp(o->terminal, "qt") == 0 || strcmp(o->terminal, "wxt") == 0 ||
            strcmp(o->terminal, "x11") == 0)
            return window_format(o->terminal);
        fprintf(stderr, "error: unknown terminal '%s' (dumb, window, qt, wxt, x11; for files "
                        "use -o FILE.png, .svg or .pdf)\n", o->terminal);
        return NULL;
    }
    if (!o->output)
        return "dumb";
    static const char *const exts[] = {"png", "svg", "pdf"};
    const char *dot = strrchr(o->output, '.');
    if (dot && !strchr(dot, '/'))
        for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
            if (strcasecmp(dot + 1, exts[i]) == 0)
                return exts[i];
    fprintf(stderr, "%s: error: unknown figure format: the file name must end in .png, .svg "
                    "or .pdf\n", o->output);
    return NULL;
}

/* Read a whole file; NULL (errno set) when it cannot be read. */
static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *text = read_all(f);
    fclose(f);
    return text;
}

/* The template: --template, $MIGDEV_PLOT_TEMPLATE, scripts/plot.gp next to
** the executable's folder (build/../scripts), or in the source tree. */
static char *load_template(const figure_opts *o)
{
    const char *given = o->template_path;
    if (!given || !*given)
        given = getenv("MIGDEV_PLOT_TEMPLATE");
    if (given && *given) {
        char *t = read_file(given);
        if (!t)
            fprintf(stderr, "%s: error: cannot read the gnuplot template: %s\n", given,
                    strerror(errno));
        return t;
    }
    /* next to the program: build/../scripts in the source tree, then
    ** bin/../share/migdev in the installed tree */
    static const char *const beside[] = {"../scripts", MIGDEV_INSTALLED_DATA_DIR};
    char exe[4096];
    const ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *slash = n > 0 ? (exe[n] = '\0', strrchr(exe, '/')) : NULL;
    for (size_t i = 0; slash && i < sizeof beside / sizeof beside[0]; i++) {
        char path[4096 + 64];
        snprintf(path, sizeof path, "%.*s/%s/plot.gp", (int)(slash - exe), exe, beside[i]);
        char *t = read_file(path);
        if (t)
            return t;
    }
    char *t = read_file(MIGDEV_SCRIPTS_DIR "/plot.gp");
    if (!t)
        fprintf(stderr, "error: cannot find the gnuplot template scripts/plot.gp (looked next "
                        "to the program and in %s): give it with --template FILE\n",
                MIGDEV_SCRIPTS_DIR);
    return t;
}

static int check_nonempty(const outfile *out)
{
    struct stat st;
    if (out->is_direct)
        return 0; /* a pipe or device: nothing to measure */
    if (fstat(fileno(out->f), &st) != 0 || st.st_size == 0) {
        fprintf(stderr, "%s: error: gnuplot wrote nothing\n", out->path);
        return -1;
    }
    return 0;
}

int figure_draw(const figure_opts *o, const plot_data *pd)
{
    const char *fmt = figure_format(o);
    if (!fmt)
        return -1;
    char *tpl = load_template(o);
    if (!tpl)
        return -1;
    gnuplot_proc g;
    int rc;
    if (!figure_format_is_live(fmt)) {
        outfile out;
        if (outfile_open(&out, o->output) != 0) {
            free(tpl);
            return -1;
        }
        rc = gnuplot_start(&g, fileno(out.f), 0);
        if (rc == 0) {
            figure_script(g.in, o, fmt, pd, tpl);
            rc = gnuplot_finish(&g);
        }
        if (rc == 0)
            rc = check_nonempty(&out);
        if (outfile_close(&out, rc == 0) != 0)
            rc = -1;
    } else if (strcmp(fmt, "dumb") == 0) {
        /* text drawn into a temporary file, then copied to our standard
           output: its write errors are then ours to see (main.c) */
        FILE *text = tmpfile();
        rc = text ? gnuplot_start(&g, fileno(text), 0) : -1;
        if (!text)
            fprintf(stderr, "error: cannot create a temporary file: %s\n", strerror(errno));
        if (rc == 0) {
            figure_script(g.in, o, fmt, pd, tpl);
            rc = gnuplot_finish(&g);
        }
        if (rc == 0) {
            char buf[8192];
            size_t n;
            rewind(text);
            while ((n = fread(buf, 1, sizeof buf, text)) > 0 && fwrite(buf, 1, n, stdout) == n)
                ;
        }
        if (text)
            fclose(text);
    } else {
        fflush(stdout);
        /* -persist keeps a window open after gnuplot has read everything */
        rc = gnuplot_start(&g, -1, 1);
        if (rc == 0) {
            figure_script(g.in, o, fmt, pd, tpl);
            rc = gnuplot_finish(&g);
        }
    }
    free(tpl);
    return rc;
}

int figure_session_draw(figure_session *s, const figure_opts *o, const char *format,
                        const plot_data *pd)
{
    /* read again each time: editing the template redraws too */
    char *tpl = load_template(o);
    if (!tpl)
        return -1;
    if (s->open && !gnuplot_alive(&s->gp))
        s->open = 0; /* it stopped (after an error): start another */
    if (!s->open) {
        fflush(stdout);
        if (gnuplot_start(&s->gp, -1, 1) != 0) {
            free(tpl);
            return -1;
        }
        s->open = 1;
    }
    figure_script(s->gp.in, o, format, pd, tpl);
    free(tpl);
    if (fflush(s->gp.in) != 0 || ferror(s->gp.in)) {
        fprintf(stderr, "error: gnuplot has stopped (its message is above)\n");
        figure_session_close(s);
        return -1;
    }
    return 0;
}

void figure_session_close(figure_session *s)
{
    if (s->open)
        gnuplot_finish(&s->gp);
    s->open = 0;
}
