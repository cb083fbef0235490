/*
** cmd_graph.c - `migdev graph FILE -o out.dot|.svg|.png|.pdf`: the
** causal-loop diagram of a model through Graphviz.
**
** The diagram is written in the DOT language. For .dot it is written as is;
** for the image formats it is piped into Graphviz's `dot` program, run as a
** child process (no shell), whose standard output is our temporary output
** file (renamed into place once dot succeeded). Calling the program rather
** than linking libgvc keeps the library and the tests free of Graphviz (a
** missing Graphviz only disables the image formats), needs no plugin set-up,
** and is how gnuplot is used too. Names go into DOT as quoted strings with
** `"` and `\` escaped, so no input can change the graph's structure.
*/
#include "commands.h"
#include "outfile.h"
#include "plotdata.h"
#include "proc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: migdev graph FILE -o OUT [options]\n"
    "\n"
    "Draw the causal-loop diagram of a model (or of a scenario's model): stocks\n"
    "as boxes, flows as hexagons, auxiliaries as ellipses, each link marked\n"
    "with its polarity (+ or -, ? when it changes sign during the run), flows\n"
    "into and out of stocks as thick arrows, links through a smooth/delay\n"
    "dashed. Variables are grouped by sector: each stock with what is nearest to\n"
    "it in the causal graph. The drawing is scaled to fit a page.\n"
    "OUT ends in .dot (the DOT text), or .svg, .png or .pdf (drawn by\n"
    "Graphviz's dot program).\n"

    "\n"
    "options:\n"
    "  -o OUT             output file (required)\n"
    "  --constants        also draw the constants and their links (hidden by default)\n"
    "  --loop NAME        highlight a loop, by its name in the model or its id (R1, B2...)\n"
    "  --loop-only NAME   draw that loop alone\n"
    "  --no-clusters      do not group the variables by sector (each stock with\n"
    "                     the variables nearest to it in the causal graph)\n"
    "  --full-size        do not scale the drawing down to a page\n"

    "  --max-loops N      as for `migdev loops`\n"
    "  --set NAME=VALUE, --method M, --dt X, ...   the run that gives the polarities\n"
    "\n"
    "exit status: 0 ok, 1 bad model or scenario, 2 bad usage, 3 the run failed\n";

typedef struct graph_opts {
    int constants;
    const char *loop;
    int loop_arg;
    long max_loops;
    int only_loop;   /* --loop-only: draw the loop alone */
    int no_clusters; /* --no-clusters */
    int full_size;   /* --full-size: not scaled to a page */
} graph_opts;

/* The printable area of an A4 or Letter page, inches (DOT size): portrait,
** since the sectors stack down the page. */
#define GRAPH_PAGE "7.2,10.5"

static int flag(cli *c, const char *cmd, const char *opt, const char *inl, int *out)
{
    *out = 1;
    return inl ? cli_usage_error(c, c->i, cmd, "%s takes no value", opt) : EXIT_OK;
}

static int extra(cli *c, const char *cmd, const char *opt, const char *inl, void *ctx)
{
    graph_opts *o = ctx;
    const char *val;
    int rc;
    if (!strcmp(opt, "--constants"))
        return flag(c, cmd, opt, inl, &o->constants);
    if (!strcmp(opt, "--no-clusters"))
        return flag(c, cmd, opt, inl, &o->no_clusters);
    if (!strcmp(opt, "--full-size"))
        return flag(c, cmd, opt, inl, &o->full_size);
    if (!strcmp(opt, "--loop") || !strcmp(opt, "--loop-only")) {
        o->only_loop = !strcmp(opt, "--loop-only");
        if ((rc = cli_option_value(c, cmd, opt, inl, &val)) != EXIT_OK)
            return rc;
        o->loop = val;
        o->loop_arg = c->i;
        return EXIT_OK;
    }
    if (!strcmp(opt, "--max-loops")) {
        if ((rc = cli_option_value(c, cmd, opt, inl, &val)) != EXIT_OK)
            return rc;
        double x;
        if (cli_number(val, &x) != 0 || x < 1 || x > 1e9 || x != (double)(long)x)
            return cli_usage_error(c, c->i, "graph", "--max-loops expects a whole number from 1, got '%s'", val);
        o->max_loops = (long)x;
        return EXIT_OK;
    }
    return -1;
}

/* Graphviz refuses a quoted string over 16,384 bytes: a longer name, doc
** or title is cut (at a character boundary) to this many bytes and "...". */
#define MAX_DOT_STRING 4000

/* A DOT quoted string, cut to max bytes. */
static void dot_quote_max(FILE *f, const char *s, size_t max)
{
    fputc('"', f);
    size_t n = strlen(s);
    const int cut = n > max;
    if (cut) {
        n = max;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--; /* not inside a UTF-8 character */
    }
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"' || s[i] == '\\')
            fputc('\\', f);
        fputc((unsigned char)s[i] < 0x20 ? ' ' : s[i], f);
    }
    if (cut)
        fputs("...", f);
    fputc('"', f);
}

static void dot_quote(FILE *f, const char *s) { dot_quote_max(f, s, MAX_DOT_STRING); }

/* A node: its name, or for a name too long for Graphviz, its index and the
** name cut (so that two long names never become one node). */
static void dot_node(FILE *f, const migdev_model *m, int v)
{
    migdev_var_info info;
    migdev_model_var(m, v, &info);
    if (strlen(info.name) <= MAX_DOT_STRING) {
        dot_quote(f, info.name);
        return;
    }
    char *id = malloc(MAX_DOT_STRING + 32);
    if (!id) {
        dot_quote(f, info.name);
        return;
    }
    const int k = snprintf(id, 32, "%d: ", v);
    memcpy(id + k, info.name, MAX_DOT_STRING);
    id[k + MAX_DOT_STRING] = '\0';
    dot_quote(f, id);
    free(id);
}

/* A node label: the name with its words ('_' or ' ' apart) on lines of
** about LABEL_LINE characters, so that long names make tall, narrow nodes
** and the diagram stays compact. */
static void dot_label(FILE *f, const char *name)
{
    enum { LABEL_LINE = 12 };
    if (strlen(name) > MAX_DOT_STRING) { /* cut, as dot_quote does */
        dot_quote(f, name);
        return;
    }
    fputc('"', f);
    size_t line = 0;
    for (const char *p = name; *p;) {
        size_t w = 0;
        while (p[w] && p[w] != '_' && p[w] != ' ')
            w++;
        if (line > 0 && line + 1 + w > LABEL_LINE) {
            fputs("\\n", f);
            line = 0;
        } else if (line > 0) {
            fputc(' ', f);
            line++;
        }
        for (size_t k = 0; k < w; k++) {
            if (p[k] == '"' || p[k] == '\\')
                fputc('\\', f);
            fputc((unsigned char)p[k] < 0x20 ? ' ' : p[k], f);
        }
        line += w;
        p += w;
        while (*p == '_' || *p == ' ')
            p++;
    }
    fputc('"', f);
}

/* Sectors: each variable of the diagram joins the stock nearest to it in
** the causal graph (links taken both ways; ties go to the stock first in
** the model), so that a stock, its flows and what mostly feeds them sit in
** one cluster. sector[v] is the stock's index, or -1 (constants, or no
** stock reachable). Returns an owned array, NULL when out of memory. */
static int *sectors(const migdev_model *m, const migdev_loops *a)
{
    const int nv = migdev_model_n_vars(m), nl = migdev_loops_n_links(a);
    int *sector = malloc(((size_t)nv + 1) * sizeof *sector);
    int *queue = malloc(((size_t)nv + 1) * sizeof *queue);
    int *from = malloc(((size_t)nl + 1) * sizeof *from), *to = malloc(((size_t)nl + 1) * sizeof *to);
    if (!sector || !queue || !from || !to) {
        free(sector), free(queue), free(from), free(to);
        return NULL;
    }
    for (int i = 0; i < nl; i++) {
        migdev_link_info k;
        migdev_loops_link(a, i, &k);
        from[i] = k.from, to[i] = k.to;
    }
    int head = 0, tail = 0;
    for (int v = 0; v < nv; v++) {
        migdev_var_info vi;
        migdev_model_var(m, v, &vi);
        sector[v] = vi.kind == MIGDEV_STOCK ? v : -1;
        if (vi.kind == MIGDEV_STOCK)
            queue[tail++] = v;
    }
    /* breadth-first from every stock at once: O(nodes x links), small graphs */
    while (head < tail) {
        const int v = queue[head++];
        for (int i = 0; i < nl; i++) {
            const int w = from[i] == v ? to[i] : to[i] == v ? from[i] : -1;
            if (w < 0 || sector[w] >= 0)
                continue;
            migdev_var_info wi;
            migdev_model_var(m, w, &wi);
            if (wi.kind == MIGDEV_CONSTANT)
                continue;
            sector[w] = sector[v];
            queue[tail++] = w;
        }
    }
    free(queue), free(from), free(to);
    return sector;
}

static const char *sign_text(migdev_polarity p)
{
    return p == MIGDEV_POL_POSITIVE ? "+" : p == MIGDEV_POL_NEGATIVE ? "-" : p == MIGDEV_POL_ZERO ? "0" : "?";
}

/* Write the diagram. loop: the highlighted loop's index or -1. */
static void write_dot(FILE *f, const migdev_model *m, const migdev_loops *a, const graph_opts *go,
                      int loop)
{
    const int constants = go->constants;
    const int nv = migdev_model_n_vars(m);
    char *on_loop = calloc((size_t)nv + 1, 1);
    migdev_loop_info hl = {0};
    if (loop >= 0 && on_loop) {
        migdev_loops_get(a, loop, &hl);
        for (int j = 0; j < hl.n; j++)
            on_loop[hl.vars[j]] = 1;
    }
    fputs("digraph ", f);
    dot_quote(f, migdev_model_name(m));
    fputs(" {\n  graph [fontname=\"Helvetica\", fontsize=12, nodesep=0.25, ranksep=0.4, labelloc=t", f);
    /* left to right: the sectors stack down the page without overlapping */
    if (!go->no_clusters)
        fputs(", rankdir=LR", f);
    if (!go->full_size) /* scaled down to a landscape page's printable area */
        fprintf(f, ", size=\"%s\", ratio=compress", GRAPH_PAGE);
    fputs(", label=", f);

    char title[600];
    if (loop >= 0)
        snprintf(title, sizeof title, "%s - loop %s%s%s (%s), in red", migdev_model_name(m), hl.id,
                 hl.name ? ": " : "", hl.name ? hl.name : "",
                 hl.polarity == 'R' ? "reinforcing" : hl.polarity == 'B' ? "balancing" : "polarity changes");
    else
        snprintf(title, sizeof title, "%s - causal-loop diagram", migdev_model_name(m));
    dot_quote(f, title);
    fputs("];\n  node [fontname=\"Helvetica\", fontsize=11, margin=\"0.05,0.02\"];\n"
          "  edge [fontname=\"Helvetica\", fontsize=12, arrowsize=0.7];\n", f);
    /* nodes */
    char *used = calloc((size_t)nv + 1, 1);
    for (int i = 0; i < migdev_loops_n_links(a) && used; i++) {
        migdev_link_info k;
        migdev_loops_link(a, i, &k);
        used[k.from] = used[k.to] = 1;
    }
    int *sector = go->no_clusters ? NULL : sectors(m, a);
    /* one pass per sector (a cluster), then the variables in none */
    for (int sec = -1; sec < nv; sec++) {
        if (sec >= 0 && (!sector || sector[sec] != sec))
            continue; /* not a stock heading a sector */
        if (sec >= 0) {
            migdev_var_info sv;
            migdev_model_var(m, sec, &sv);
            char label[300];
            plot_title(sv.name, sv.doc, label, sizeof label);
            if (*sv.label)
                snprintf(label, sizeof label, "%s", sv.label);
            fprintf(f, "  subgraph \"cluster_%d\" {\n    style=\"rounded,filled\"; color=\"#c9d3de\"; "
                       "fillcolor=\"#f7f9fb\"; fontsize=13; label=", sec);
            dot_quote(f, label);
            fputs(";\n", f);
        }
        for (int i = 0; i < nv; i++) {
            if ((sector ? sector[i] : -1) != sec)
                continue;
            migdev_var_info v;
            migdev_model_var(m, i, &v);
            if (v.kind == MIGDEV_CONSTANT && !constants)
                continue;
            if (v.kind != MIGDEV_CONSTANT && used && !used[i] && v.kind != MIGDEV_STOCK)
                continue; /* an auxiliary nothing uses and that uses nothing */
            if (go->only_loop && !(on_loop && on_loop[i]))
                continue;
            fputs(sec >= 0 ? "    " : "  ", f);
            dot_node(f, m, i);
            fputs(" [label=", f);
            dot_label(f, v.name);
            switch (v.kind) {
            case MIGDEV_STOCK: fputs(", shape=box, style=\"filled,bold\", fillcolor=\"#dce9f5\"", f); break;
            case MIGDEV_FLOW: fputs(", shape=hexagon, style=filled, fillcolor=\"#f3f3f3\"", f); break;
            case MIGDEV_AUXILIARY: fputs(", shape=ellipse", f); break;
            case MIGDEV_CONSTANT: fputs(", shape=plaintext, fontcolor=\"#666666\", fontsize=10", f); break;
            }
            if (on_loop && on_loop[i])
                fputs(", color=\"#c0392b\", penwidth=2.5, fontcolor=\"#c0392b\"", f);
            if (*v.doc) {
                fputs(", tooltip=", f);
                dot_quote(f, v.doc);
            }
            fputs("];\n", f);
        }
        if (sec >= 0)
            fputs("  }\n", f);
    }
    free(sector);
    /* links */
    for (int i = 0; i < migdev_loops_n_links(a); i++) {
        migdev_link_info k;
        migdev_loops_link(a, i, &k);
        int in_loop = 0;
        for (int j = 0; j < hl.n && !in_loop; j++)
            in_loop = hl.vars[j] == k.from && hl.vars[(j + 1) % hl.n] == k.to;
        if (go->only_loop && !in_loop)
            continue;
        fputs("  ", f);
        dot_node(f, m, k.from);
        fputs(" -> ", f);
        dot_node(f, m, k.to);
        fprintf(f, " [headlabel=\"%s\", labeldistance=1.6, labelangle=-35", sign_text(k.polarity));
        if (k.is_flow && !in_loop)
            fputs(", penwidth=3, color=\"#4a6a8a\"", f);
        if (k.through_hidden)
            fputs(", style=dashed, label=\"delay\", fontsize=9", f);
        if (in_loop)
            fputs(", color=\"#c0392b\", fontcolor=\"#c0392b\", penwidth=3", f);
        fputs("];\n", f);
    }
    for (int i = 0; constants && !go->only_loop && i < migdev_loops_n_constant_links(a); i++) {
        migdev_link_info k;
        migdev_loops_constant_link(a, i, &k);
        fputs("  ", f);
        dot_node(f, m, k.from);
        fputs(" -> ", f);
        dot_node(f, m, k.to);
        fprintf(f, " [headlabel=\"%s\", labeldistance=1.6, color=\"#999999\", style=%s];\n",
                sign_text(k.polarity), k.through_hidden ? "dashed" : "solid");
    }
    fputs("}\n", f);
    free(on_loop);
    free(used);
}

static const char *image_format(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot)
        return NULL;
    if (!strcmp(dot, ".dot") || !strcmp(dot, ".gv"))
        return "";
    if (!strcmp(dot, ".svg"))
        return "-Tsvg";
    if (!strcmp(dot, ".png"))
        return "-Tpng";
    if (!strcmp(dot, ".pdf"))
        return "-Tpdf";
    return NULL;
}

int cmd_graph(cli *c)
{
    run_opts o;
    graph_opts go = {0, NULL, 0, 0, 0, 0, 0};
    int status = run_opts_parse_ext(c, "graph", help, &o, extra, &go);
    if (status != EXIT_OK) {
        run_opts_free(&o);
        return status < 0 ? EXIT_OK : status;
    }
    const char *fmt = o.output ? image_format(o.output) : NULL;
    if (!o.output || !fmt || o.vars || o.has_format) {
        status = cli_usage_error(c, c->argc, "graph",
                                 !o.output ? "missing -o OUT (a .dot, .svg, .png or .pdf file)"
                                 : !fmt    ? "-o must name a .dot, .svg, .png or .pdf file"
                                           : "--vars and --format are options of `migdev run`");
        run_opts_free(&o);
        return status;
    }
    migdev_scenario *s = run_opts_scenario(c, &o, &status);
    if (!s) {
        run_opts_free(&o);
        return status;
    }
    const migdev_model *m = migdev_scenario_model(s);
    migdev_error err;
    migdev_error_clear(&err);
    migdev_loops *a = NULL;
    migdev_run *r = migdev_scenario_new_run(s, &err);
    const migdev_loops_opts opts = {go.max_loops, 0, 0, MIGDEV_CHANGED_LAST};
    if (!r || !(a = migdev_loops_analyse(r, &opts, &err))) {
        cli_print_error(&err);
        status = cli_exit_code(err.code);
        goto done;
    }
    int loop = -1;
    if (go.loop && (loop = migdev_loops_find(a, go.loop)) < 0) {
        char known[1000] = "";
        size_t len = 0;
        for (int i = 0; i < migdev_loops_count(a) && len + 80 < sizeof known; i++) {
            migdev_loop_info l;
            migdev_loops_get(a, i, &l);
            len += (size_t)snprintf(known + len, sizeof known - len, "%s%s%s%s%s", i ? ", " : "", l.id,
                                    l.name ? " '" : "", l.name ? l.name : "", l.name ? "'" : "");
        }
        status = cli_usage_error(c, go.loop_arg, "graph", "no loop '%s' in the model (loops: %s)",
                                 go.loop, migdev_loops_count(a) ? known : "none");
        goto done;
    }
    outfile out;
    if (outfile_open(&out, o.output) != 0) {
        status = EXIT_INPUT;
        goto done;
    }
    if (!*fmt) {
        write_dot(out.f, m, a, &go, loop);
        status = outfile_close(&out, 1) == 0 ? EXIT_OK : EXIT_INPUT;
        goto done;
    }
    const char *argv[] = {"dot", fmt, NULL};
    proc ch;
    int st = proc_start(&ch, argv, fileno(out.f));
    if (st < 0) {
        outfile_close(&out, 0);
        status = EXIT_INPUT;
        goto done;
    }
    if (st == 0) {
        write_dot(ch.in, m, a, &go, loop);
        st = proc_finish(&ch, NULL);
    }
    if (st != 0) {
        outfile_close(&out, 0);
        if (st == 127)
            fprintf(stderr, "%s: error: Graphviz's dot program is not installed (Debian package "
                            "graphviz); write a .dot file instead\n", o.output);
        else
            fprintf(stderr, "%s: error: dot failed (status %d)\n", o.output, st);
        status = EXIT_INPUT;
        goto done;
    }
    status = outfile_close(&out, 1) == 0 ? EXIT_OK : EXIT_INPUT;
done:
    migdev_loops_free(a);
    migdev_run_free(r);
    migdev_scenario_free(s);
    run_opts_free(&o);
    return status;
}
