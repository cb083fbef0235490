/*
** check_plot.c - figures: `migdev plot`, `migdev compare`, scenario
** `plots`, gnuplot quoting and the injection guard.
**
** Expected values come from the formats themselves (the PNG signature and
** IHDR layout of RFC 2083, XML parsed by libxml2), from hand computation
** (the teacup's heat loss at t=0 is (180 - room)/10) and, for the
** injection test, from gnuplot itself: a control run shows that the same
** payload does run a command when it is not quoted, so the test would see
** a broken quoting.
*/
#include "testutil.h"

#include "cli/gpquote.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

/* two scenarios of the teacup: rooms at 50 and 90 degF */
#define COLD "configs/examples/teacup_cold_room.cfg"
#define WARM "configs/examples/teacup_warm_room.cfg"

/* ---- helpers ---- */

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static char *path_in(const char *dir, const char *name)
{
    char *p = malloc(strlen(dir) + strlen(name) + 2);
    sprintf(p, "%s/%s", dir, name);
    return p;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_msg(f != NULL, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

/* Number of entries in dir other than . and .. */
static int count_entries(const char *dir)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "ls -A '%s' | wc -l", dir);
    FILE *p = popen(cmd, "r");
    int n = -1;
    ck_assert(p != NULL);
    ck_assert_int_eq(fscanf(p, "%d", &n), 1);
    pclose(p);
    return n;
}

/* Width and height from a PNG's IHDR chunk, after checking the signature
** (RFC 2083: 8 signature bytes, then length 13 and "IHDR", then the
** big-endian width and height). */
static void png_size(const char *path, uint32_t *w, uint32_t *h)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    unsigned char b[24];
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "no file %s", path);
    ck_assert_int_eq((int)fread(b, 1, sizeof b, f), 24);
    fclose(f);
    ck_assert_msg(memcmp(b, sig, 8) == 0, "%s: not a PNG signature", path);
    ck_assert_msg(memcmp(b + 8, "\0\0\0\rIHDR", 8) == 0, "%s: first chunk is not IHDR", path);
    *w = (uint32_t)b[16] << 24 | (uint32_t)b[17] << 16 | (uint32_t)b[18] << 8 | b[19];
    *h = (uint32_t)b[20] << 24 | (uint32_t)b[21] << 16 | (uint32_t)b[22] << 8 | b[23];
}

/* The text of every <text> under n (and its siblings), one per line, appended to buf. */
static void collect_text(xmlNode *n, char *buf, size_t cap)
{
    for (; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && !xmlStrcmp(n->name, BAD_CAST "text")) {
            xmlChar *t = xmlNodeGetContent(n);
            strncat(buf, (const char *)t, cap - strlen(buf) - 2);
            strcat(buf, "\n");
            xmlFree(t);
        }
        collect_text(n->children, buf, cap);
    }
}

static int count_named(xmlNode *n, const char *name)
{
    int k = 0;
    for (; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && !xmlStrcmp(n->name, BAD_CAST name))
            k++;
        k += count_named(n->children, name);
    }
    return k;
}

typedef struct series {
    int n;
    int paths[16];    /* <path> elements in each plot group */
    char labels[16][200];
} series;

/* The plot groups of a gnuplot SVG (<g id="gnuplot_plot_N">): how many, the
** paths in each, and the legend text of each. */
static void find_series(xmlNode *n, series *s)
{
    for (; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && !xmlStrcmp(n->name, BAD_CAST "g")) {
            xmlChar *id = xmlGetProp(n, BAD_CAST "id");
            if (id && !xmlStrncmp(id, BAD_CAST "gnuplot_plot_", 13) && s->n < 16) {
                s->paths[s->n] = count_named(n->children, "path");
                s->labels[s->n][0] = '\0';
                collect_text(n->children, s->labels[s->n], sizeof s->labels[0]);
                s->n++;
                xmlFree(id);
                continue;
            }
            xmlFree(id);
        }
        find_series(n->children, s);
    }
}

static void svg_series(const char *path, series *s)
{
    memset(s, 0, sizeof *s);
    xmlDoc *doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    ck_assert_msg(doc != NULL, "%s does not parse as XML", path);
    xmlNode *root = xmlDocGetRootElement(doc);
    ck_assert_str_eq((const char *)root->name, "svg");
    find_series(root, s);
    xmlFreeDoc(doc);
}

/* Every text of the SVG file at path, one per line, into buf. */
static void svg_text(const char *path, char *buf, size_t cap)
{
    buf[0] = '\0';
    xmlDoc *doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    ck_assert_msg(doc != NULL, "%s does not parse as XML", path);
    collect_text(xmlDocGetRootElement(doc), buf, cap);
    xmlFreeDoc(doc);
}

static char *quoted(const char *s)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    gp_quote(f, s);
    fclose(f);
    return buf;
}

/* ---- gnuplot quoting (expected strings written by hand) ---- */

START_TEST(quote_doubles_single_quotes)
{
    char *q = quoted("it's 'x'");
    ck_assert_str_eq(q, "'it''s ''x'''");
    free(q);
}
END_TEST

START_TEST(quote_keeps_backquotes_and_macros_literal)
{
    char *q = quoted("`rm -rf x` @cmd system(\"y\") \\n");
    ck_assert_str_eq(q, "'`rm -rf x` @cmd system(\"y\") \\n'");
    free(q);
}
END_TEST

START_TEST(quote_turns_line_breaks_into_spaces)
{
    char *q = quoted("a\nb\rc\td\x7f");
    ck_assert_str_eq(q, "'a b c d '");
    free(q);
    q = quoted(NULL);
    ck_assert_str_eq(q, "''");
    free(q);
}
END_TEST

/* ---- figures ---- */

START_TEST(png_has_requested_size)
{
    char *dir = tmp_dir();
    char *png = path_in(dir, "sub/teacup.png");
    char *model = source_path("models/examples/teacup.cfg");
    const char *args[] = {"plot", model, "-o", png, "--size", "640x480", NULL};
    cmd_result r = run_migdev(NULL, args);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    uint32_t w, h;
    png_size(png, &w, &h);
    ck_assert_uint_eq(w, 640);
    ck_assert_uint_eq(h, 480);
    /* only the figure is left in its folder: the temporary was renamed */
    char *sub = path_in(dir, "sub");
    ck_assert_int_eq(count_entries(sub), 1);
    cmd_result_free(&r);
    free(sub), free(png), free(model), free(dir);
}
END_TEST

START_TEST(png_of_a_comparison_has_requested_size)
{
    char *dir = tmp_dir();
    char *png = path_in(dir, "cmp.png");
    char *a = source_path(COLD), *b = source_path(WARM);
    const char *args[] = {"compare", a, b, "--vars", "teacup_temperature,heat_loss_to_room",
                          "-o", png, "--size", "1100x700", "--title", "Two rooms", NULL};
    cmd_result r = run_migdev(NULL, args);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    uint32_t w, h;
    png_size(png, &w, &h);
    ck_assert_uint_eq(w, 1100);
    ck_assert_uint_eq(h, 700);
    cmd_result_free(&r);
    free(png), free(a), free(b), free(dir);
}
END_TEST

START_TEST(svg_has_one_path_per_series)
{
    char *dir = tmp_dir();
    char *svg = path_in(dir, "teacup.svg");
    char *model = source_path("models/examples/teacup.cfg");
    const char *args[] = {"plot", model, "--vars", "teacup_temperature,heat_loss_to_room",
                          "--layout", "overlay", "-o", svg, NULL};
    cmd_result r = run_migdev(NULL, args);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    series s;
    svg_series(svg, &s);
    ck_assert_int_eq(s.n, 2);
    ck_assert_int_eq(s.paths[0], 1);
    ck_assert_int_eq(s.paths[1], 1);
    ck_assert_str_eq(s.labels[0], "teacup_temperature\n");
    ck_assert_str_eq(s.labels[1], "heat_loss_to_room\n");
    /* the value axis carries both units */
    char all[4096];
    svg_text(svg, all, sizeof all);
    ck_assert_msg(strstr(all, "[degF], [degF/minute]"), "no unit label in: %s", all);
    ck_assert_msg(strstr(all, "time [minute]"), "no time label in: %s", all);
    cmd_result_free(&r);
    free(svg), free(model), free(dir);
}
END_TEST

START_TEST(svg_of_a_comparison_has_one_path_per_scenario)
{
    char *dir = tmp_dir();
    char *svg = path_in(dir, "cmp.svg");
    char *a = source_path(COLD), *b = source_path(WARM);
    const char *args[] = {"compare", a, b, "--vars", "teacup_temperature", "--layout", "overlay",
                          "-o", svg, NULL};
    cmd_result r = run_migdev(NULL, args);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    series s;
    svg_series(svg, &s);
    ck_assert_int_eq(s.n, 2);
    ck_assert_int_eq(s.paths[0], 1);
    ck_assert_int_eq(s.paths[1], 1);
    ck_assert_str_eq(s.labels[0], "Cold room\n");
    ck_assert_str_eq(s.labels[1], "Warm room\n");
    cmd_result_free(&r);
    free(svg), free(a), free(b), free(dir);
}
END_TEST

START_TEST(dumb_output_shows_the_legend)
{
    char *model = source_path("models/examples/teacup.cfg");
    const char *args[] = {"plot", model, "--vars", "teacup_temperature,heat_loss_to_room",
                          "--terminal", "dumb", "--layout", "overlay", NULL};
    cmd_result r = run_migdev(NULL, args);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    ck_assert_msg(strstr(r.out, "teacup_temperature"), "legend missing:\n%s", r.out);
    ck_assert_msg(strstr(r.out, "heat_loss_to_room"), "legend missing:\n%s", r.out);
    cmd_result_free(&r);

    char *a = source_path(COLD), *b = source_path(WARM);
    const char *cargs[] = {"compare", a, b, "--vars", "teacup_temperature,heat_loss_to_room",
                           "--terminal", "dumb", NULL};
    r = run_migdev(NULL, cargs);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    ck_assert_msg(strstr(r.out, "Cold room") && strstr(r.out, "Warm room"), "legend missing:\n%s",
                  r.out);
    cmd_result_free(&r);
    free(model), free(a), free(b);
}
END_TEST

START_TEST(pdf_is_written)
{
    char *dir = tmp_dir();
    char *pdf = path_in(dir, "teacup.pdf");
    char *model = source_path("models/examples/teacup.cfg");
    const char *args[] = {"plot", model, "-o", pdf, NULL};
    cmd_result r = run_migdev(NULL, args);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    char *text = read_text(pdf);
    ck_assert_msg(text && strncmp(text, "%PDF-", 5) == 0, "not a PDF");
    free(text);
    cmd_result_free(&r);
    free(pdf), free(model), free(dir);
}
END_TEST

/* ---- compare: the combined table ---- */

START_TEST(compare_writes_both_scenarios)
{
    char *dir = tmp_dir();
    char *png = path_in(dir, "cmp.png"), *csv = path_in(dir, "cmp.csv");
    char *a = source_path(COLD), *b = source_path(WARM);
    const char *args[] = {"compare", a, b, "--vars", "teacup_temperature,heat_loss_to_room",
                          "-o", png, NULL};
    cmd_result r = run_migdev(NULL, args);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    char *text = read_text(csv);
    ck_assert_msg(text != NULL, "no combined CSV next to the figure");
    ck_assert(strncmp(text, "scenario,time,teacup_temperature,heat_loss_to_room\n", 51) == 0);
    /* t = 0: 180 degF, heat loss (180 - room)/10: 13 for 50 degF, 9 for 90 degF */
    ck_assert_msg(strstr(text, "\nCold room,0,180,13\n"), "%s", text);
    ck_assert_msg(strstr(text, "\nWarm room,0,180,9\n"), "%s", text);
    int cold = 0, warm = 0;
    for (const char *p = strchr(text, '\n'); p && p[1]; p = strchr(p + 1, '\n')) {
        cold += strncmp(p + 1, "Cold room,", 10) == 0;
        warm += strncmp(p + 1, "Warm room,", 10) == 0;
    }
    ck_assert_int_eq(cold, 31); /* t = 0..30 every minute */
    ck_assert_int_eq(warm, 31);
    free(text);

    /* the table reads back into `migdev plot`, one line per scenario */
    char *svg = path_in(dir, "again.svg");
    const char *pargs[] = {"plot", csv, "--vars", "heat_loss_to_room", "-o", svg, NULL};
    cmd_result_free(&r);
    r = run_migdev(NULL, pargs);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    series s;
    svg_series(svg, &s);
    ck_assert_int_eq(s.n, 2);
    ck_assert_str_eq(s.labels[0], "Cold room\n");
    cmd_result_free(&r);
    free(svg), free(png), free(csv), free(a), free(b), free(dir);
}
END_TEST

/* --set NAME=VALUE changes every scenario, --set SCEN:NAME=VALUE one:
** heat loss at t = 0 is (180 - room) / characteristic_time. */
START_TEST(compare_set_per_scenario)
{
    char *dir = tmp_dir();
    char *csv = path_in(dir, "cmp.csv");
    char *a = source_path(COLD), *b = source_path(WARM);
    const char *args[] = {"compare", a, b, "--vars", "heat_loss_to_room", "--csv", csv,
                          "--terminal", "dumb", "--set", "teacup_warm_room:room_temperature=70",
                          "--set=characteristic_time=20", NULL};
    cmd_result r = run_migdev(NULL, args);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    char *text = read_text(csv);
    ck_assert_msg(strstr(text, "\nCold room,0,6.5\n"), "%s", text);  /* (180 - 50) / 20 */
    ck_assert_msg(strstr(text, "\nWarm room,0,5.5\n"), "%s", text);  /* (180 - 70) / 20 */
    free(text);
    cmd_result_free(&r);
    const char *bad1[] = {"compare", a, b, "--set", "teacup_hot_room:room_temperature=70", NULL};
    r = run_migdev(NULL, bad1);
    ck_assert_int_eq(r.status, 2);
    ck_assert_msg(strstr(r.err, "error: --set: no scenario 'teacup_hot_room' among those compared "
                                "(teacup_cold_room, teacup_warm_room)"), "%s", r.err);
    cmd_result_free(&r);
    const char *bad2[] = {"compare", a, b, "--set", "teacup_cold_room:room_temp=70", NULL};
    r = run_migdev(NULL, bad2);
    ck_assert_int_eq(r.status, 2);
    ck_assert_msg(strstr(r.err, "error: --set: the model has no constant 'room_temp' (did you mean "
                                "'room_temperature'?)"), "%s", r.err);
    cmd_result_free(&r);
    const char *bad3[] = {"compare", a, b, "--set", "room_temperature", NULL};
    r = run_migdev(NULL, bad3);
    ck_assert_int_eq(r.status, 2);
    ck_assert_msg(strstr(r.err, "--set expects NAME=VALUE or SCENARIO:NAME=VALUE, got "
                                "'room_temperature'"), "%s", r.err);
    cmd_result_free(&r);
    free(csv), free(a), free(b), free(dir);
}
END_TEST

/* Figures fit to publish: panel titles from the doc's first clause (or
** the name), SI-style ticks (30 M, 2 bn), no key for a single run (the
** titles name the panels), units on the value axis. */
START_TEST(panels_titles_and_si_ticks)
{
    char *dir = tmp_dir();
    char *model = path_in(dir, "big.cfg"), *svg = path_in(dir, "big.svg");
    write_text(model,
               "name = \"big\";\ntime = { stop = 10.0; dt = 1.0; };\n"
               "constants = ( { name = \"g\"; value = 2e6; } );\n"
               "stocks = ( { name = \"people_abroad\"; init = 1e7; inflows = [\"arrivals\"];\n"
               "             units = \"people\"; doc = \"People living abroad (census). Counted yearly.\"; } );\n"
               "flows = ( { name = \"arrivals\"; equation = \"g\"; units = \"people/year\"; } );\n"
               "auxiliaries = ( { name = \"money_sent\"; equation = \"people_abroad * 100\";\n"
               "                  units = \"USD/year\"; label = \"Money sent home\"; doc = \"Short.\"; },\n"
               "                { name = \"money_kept\"; equation = \"people_abroad * 0.5\";\n"
               "                  units = \"USD/year\"; doc = \"A doc that goes on and on well past the sixty characters a title may take.\"; } );\n");
    const char *args[] = {"plot", model, "--vars", "people_abroad,money_sent,money_kept", "-o", svg, NULL};
    cmd_result r = run_migdev(NULL, args);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    char all[8192];
    svg_text(svg, all, sizeof all);
    ck_assert_msg(strstr(all, "\nPeople living abroad\n"), "no title from the doc: %s", all);
    ck_assert_msg(strstr(all, "\nMoney sent home\n"), "no title from the label: %s", all);
    ck_assert_msg(strstr(all, "\nMoney kept\n"), "no title from the name: %s", all);
    /* 1e7 .. 3e7 people: ticks in M; 1e9 .. 3e9 USD/year: in bn */
    ck_assert_msg(strstr(all, "\n30 M\n") && strstr(all, "\n10 M\n"), "no M ticks: %s", all);
    ck_assert_msg(strstr(all, " bn\n"), "no bn ticks: %s", all);
    ck_assert_msg(!strstr(all, "e+0"), "exponent ticks: %s", all);
    ck_assert_msg(strstr(all, "[people]") && strstr(all, "[USD/year]"), "no units: %s", all);
    series s;
    svg_series(svg, &s);
    ck_assert_int_eq(s.n, 3);
    ck_assert_str_eq(s.labels[0], ""); /* no key: one run, the titles say it all */
    ck_assert_str_eq(s.labels[1], "");
    cmd_result_free(&r);
    free(model), free(svg), free(dir);
}
END_TEST

/* A group called "data" (migdev calibrate --csv) is drawn as points, the
** model as a line, in one figure with one key. */
START_TEST(data_as_points_model_as_line)
{
    char *dir = tmp_dir();
    char *csv = path_in(dir, "fit.csv"), *svg = path_in(dir, "fit.svg");
    write_text(csv, "scenario,time,teacup_temperature\n"
                    "data,0,180\ndata,1,171\ndata,2,\ndata,3,155\n"
                    "model,0,180\nmodel,1,170\nmodel,2,162\nmodel,3,154\n");
    char *model = source_path("models/examples/teacup.cfg");
    const char *args[] = {"plot", csv, "-o", svg, "--model", model, NULL};
    cmd_result r = run_migdev(NULL, args);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    ck_assert_str_eq(r.err, ""); /* gnuplot had nothing to warn about */
    series s;
    svg_series(svg, &s);
    ck_assert_int_eq(s.n, 2);
    ck_assert_str_eq(s.labels[0], "model\n"); /* lines first, then points */
    ck_assert_str_eq(s.labels[1], "data\n");
    ck_assert_int_ge(s.paths[0], 1);
    ck_assert_int_eq(s.paths[1], 0);       /* points are markers, no path */
    char all[4096];
    svg_text(svg, all, sizeof all);
    ck_assert_msg(strstr(all, "[degF]") && !strstr(all, "units unknown"), "%s", all);
    cmd_result_free(&r);
    free(csv), free(svg), free(model), free(dir);
}
END_TEST

/* A sweep's series file: spaghetti (every run, the median) or fan (bands) */
START_TEST(sweep_series_spaghetti_and_fan)
{
    char *dir = tmp_dir();
    char *csv = path_in(dir, "series.csv"), *svg = path_in(dir, "s.svg");
    write_text(csv, "run,time,variable,value\n"
                    "0,0,x,1\n0,1,x,2\n0,0,\"y, z\",5\n0,1,\"y, z\",6\n"
                    "1,0,x,1\n1,1,x,4\n1,0,\"y, z\",5\n1,1,\"y, z\",7\n"
                    "2,0,x,1\n2,1,x,3\n2,0,\"y, z\",5\n2,1,\"y, z\",\n");
    const char *a1[] = {"plot", csv, "-o", svg, NULL};
    cmd_result r = run_migdev(NULL, a1);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    series s;
    svg_series(svg, &s);
    ck_assert_int_eq(s.n, 4); /* two panels: runs and median */
    ck_assert_str_eq(s.labels[0], "each run\n");
    ck_assert_str_eq(s.labels[1], "median across runs\n");
    char all[4096];
    svg_text(svg, all, sizeof all);
    ck_assert_msg(strstr(all, "3 runs") && strstr(all, "\ny, z\n"), "%s", all);
    cmd_result_free(&r);
    const char *a2[] = {"plot", csv, "-o", svg, "--style", "fan", NULL};
    r = run_migdev(NULL, a2);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    svg_series(svg, &s);
    ck_assert_int_eq(s.n, 6);
    ck_assert_str_eq(s.labels[0], "5-95 %\n");
    ck_assert_str_eq(s.labels[2], "median\n");
    cmd_result_free(&r);
    /* errors: a bad row at its line; --style on another table */
    write_text(csv, "run,time,variable,value\n0,0,x,1\n0,one,x,2\n");
    r = run_migdev(NULL, a2);
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(strstr(r.err, "series.csv:3:1: error: expected a run number, a time and a value, "
                                "got '0,one,...,2'"), "%s", r.err);
    cmd_result_free(&r);
    write_text(csv, "time,x\n0,1\n");
    r = run_migdev(NULL, a2);
    ck_assert_int_eq(r.status, 2);
    ck_assert_msg(strstr(r.err, "--style is for a sweep's series file"), "%s", r.err);
    cmd_result_free(&r);
    free(csv), free(svg), free(dir);
}
END_TEST

/* ---- tables without a model ---- */

START_TEST(table_units_unknown_unless_a_model_is_given)
{
    char *dir = tmp_dir();
    char *csv = path_in(dir, "t.csv"), *svg = path_in(dir, "t.svg");
    write_text(csv, "time,teacup_temperature\n0,180\n1,170\n2,161\n");
    const char *args[] = {"plot", csv, "-o", svg, NULL};
    cmd_result r = run_migdev(NULL, args);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    char all[4096];
    svg_text(svg, all, sizeof all);
    ck_assert_msg(strstr(all, "(units unknown)"), "%s", all);
    cmd_result_free(&r);

    char *model = source_path("models/examples/teacup.cfg");
    const char *margs[] = {"plot", csv, "--model", model, "-o", svg, NULL};
    r = run_migdev(NULL, margs);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    svg_text(svg, all, sizeof all);
    ck_assert_msg(strstr(all, "[degF]") && !strstr(all, "unknown"), "%s", all);
    cmd_result_free(&r);
    free(model), free(csv), free(svg), free(dir);
}
END_TEST

/* ---- scenario figures ---- */

START_TEST(run_draws_the_scenario_figures)
{
    char *dir = tmp_dir();
    char *model = source_path("models/examples/teacup.cfg");
    char text[8192];
    snprintf(text, sizeof text,
             "name = \"Teacup with figures\";\n"
             "model = \"%s\";\n"
             "output = { file = \"teacup.csv\"; variables = [\"teacup_temperature\"]; };\n"
             "plots = (\n"
             "  { file = \"fig/panels.png\"; title = \"Teacup cooling\";\n"
             "    variables = [\"teacup_temperature\", \"heat_loss_to_room\"]; size = [640, 400]; },\n"
             "  { file = \"fig/overlay.svg\"; layout = \"overlay\";\n"
             "    variables = [\"teacup_temperature\", \"heat_loss_to_room\"]; }\n"
             ");\n",
             model);
    char *sc = path_in(dir, "sc.cfg");
    write_text(sc, text);
    const char *args[] = {"run", sc, NULL};
    cmd_result r = run_migdev(NULL, args);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    char *png = path_in(dir, "fig/panels.png"), *svg = path_in(dir, "fig/overlay.svg");
    uint32_t w, h;
    png_size(png, &w, &h);
    ck_assert_uint_eq(w, 640);
    ck_assert_uint_eq(h, 400);
    series s;
    svg_series(svg, &s);
    ck_assert_int_eq(s.n, 2);
    /* the table keeps its own columns: the plotted flow is not added */
    char *csv = path_in(dir, "teacup.csv");
    char *table = read_text(csv);
    ck_assert(table && strncmp(table, "time,teacup_temperature\n", 24) == 0);
    free(table);
    cmd_result_free(&r);

    /* --no-plots draws nothing */
    unlink(png);
    const char *nargs[] = {"run", sc, "--no-plots", NULL};
    r = run_migdev(NULL, nargs);
    ck_assert_int_eq(r.status, 0);
    ck_assert(!exists(png));
    cmd_result_free(&r);
    free(csv), free(png), free(svg), free(sc), free(model), free(dir);
}
END_TEST

/* ---- safety ---- */

/* A control: the payload does run a command when gnuplot gets it in double
** quotes, so the tests below would notice quoting that let it through. */
START_TEST(control_gnuplot_runs_unquoted_backquotes)
{
    char *dir = tmp_dir();
    char *mark = path_in(dir, "control");
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "x = \"`touch %s`\"\n", mark);
    FILE *p = popen("gnuplot", "w");
    ck_assert(p != NULL);
    fputs(cmd, p);
    pclose(p);
    ck_assert_msg(exists(mark), "gnuplot did not run the backquoted command: the injection "
                                "tests below would prove nothing");
    free(mark), free(dir);
}
END_TEST

START_TEST(injection_runs_nothing)
{
    char *dir = tmp_dir();
    char *model_src = source_path("models/examples/teacup.cfg");
    /* a model whose units try to break out too */
    char *mtext = read_text(model_src);
    ck_assert(mtext != NULL);
    char payload[1024];
    snprintf(payload, sizeof payload, "degF`touch %s/pwned_units`", dir);
    static const char stock_units[] = "units = \"degF\"; doc = \"Temperature of the tea.\"";
    char *pos = strstr(mtext, stock_units);
    ck_assert(pos != NULL);
    char model_text[16384];
    snprintf(model_text, sizeof model_text, "%.*sunits = \"%s\";%s", (int)(pos - mtext), mtext,
             payload, pos + strlen("units = \"degF\";"));
    char *model = path_in(dir, "evil_model.cfg");
    write_text(model, model_text);
    free(mtext);

    /* a scenario whose name and figure title try every way out */
    char sc_text[8192];
    snprintf(sc_text, sizeof sc_text,
             "name = \"`touch %s/pwned_name`\";\n"
             "model = \"evil_model.cfg\";\n"
             "plots = ( { file = \"fig`touch pwned_file`.svg\";\n"
             "  title = \"x'; system('touch %s/pwned_sys'); print '\\n"
             "system(\\\"touch %s/pwned_newline\\\")\\n@cmd\";\n"
             "  variables = [\"teacup_temperature\"]; } );\n",
             dir, dir, dir);
    char *sc = path_in(dir, "evil.cfg");
    write_text(sc, sc_text);

    char title[1024];
    snprintf(title, sizeof title, "`touch %s/pwned_title` '; system('touch %s/pwned_title2') ;'",
             dir, dir);
    char *png = path_in(dir, "out.png");
    const char *a1[] = {"run", sc, "-o", "-", NULL};
    const char *a2[] = {"plot", sc, "--title", title, "-o", png, NULL};
    const char *a3[] = {"plot", sc, "--terminal", "dumb", NULL};
    const char *a4[] = {"compare", sc, sc, "--title", title, "--terminal", "dumb", NULL};
    const char *const *all[] = {a1, a2, a3, a4};
    int status[4];
    char *out[4];
    for (size_t k = 0; k < 4; k++) {
        cmd_result r = run_migdev(dir, all[k]);
        status[k] = r.status;
        out[k] = r.out;
        r.out = NULL;
        if (r.status != 0)
            fprintf(stderr, "%s: %s\n", all[k][0], r.err);
        cmd_result_free(&r);
    }
    /* first: did anything run? */
    static const char *const marks[] = {"pwned_units", "pwned_name", "pwned_file", "pwned_sys",
                                        "pwned_newline", "pwned_title", "pwned_title2"};
    for (size_t k = 0; k < sizeof marks / sizeof marks[0]; k++) {
        char *m = path_in(dir, marks[k]);
        ck_assert_msg(!exists(m), "gnuplot ran a command from a file: %s exists", m);
        free(m);
    }
    for (size_t k = 0; k < 4; k++) {
        ck_assert_msg(status[k] == 0, "%s: status %d", all[k][0], status[k]);
        if (k >= 2) /* the text is shown, literally */
            ck_assert_msg(strstr(out[k], "`touch "), "no literal payload in:\n%s", out[k]);
        free(out[k]);
    }
    /* the figure with the odd name was written under exactly that name */
    char *fig = path_in(dir, "fig`touch pwned_file`.svg");
    ck_assert_msg(exists(fig), "figure %s missing", fig);
    free(fig), free(png), free(sc), free(model), free(model_src), free(dir);
}
END_TEST

/* ---- errors ---- */

START_TEST(missing_gnuplot_still_writes_the_table)
{
    setenv("MIGDEV_GNUPLOT", "/nonexistent/gnuplot", 1);
    char *dir = tmp_dir();
    char *png = path_in(dir, "cmp.png"), *csv = path_in(dir, "cmp.csv");
    char *a = source_path(COLD), *b = source_path(WARM);
    const char *args[] = {"compare", a, b, "-o", png, NULL};
    cmd_result r = run_migdev(NULL, args);
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(strstr(r.err, "gnuplot-nox"), "no package named: %s", r.err);
    ck_assert(exists(csv));
    ck_assert(!exists(png));
    ck_assert_int_eq(count_entries(dir), 1); /* no temporary left behind */
    cmd_result_free(&r);
    free(png), free(csv), free(a), free(b), free(dir);
}
END_TEST

START_TEST(failed_figure_leaves_no_file)
{
    /* room at 200 degF: the heat loss is negative everywhere, which a
    ** logarithmic axis cannot show, so gnuplot stops with an error */
    char *dir = tmp_dir();
    char *png = path_in(dir, "log.png");
    char *model = source_path("models/examples/teacup.cfg");
    const char *args[] = {"plot", model, "--set", "room_temperature=200", "--vars",
                          "heat_loss_to_room", "--logscale", "-o", png, NULL};
    cmd_result r = run_migdev(NULL, args);
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(strstr(r.err, "gnuplot"), "%s", r.err);
    ck_assert_int_eq(count_entries(dir), 0);
    cmd_result_free(&r);
    free(png), free(model), free(dir);
}
END_TEST

START_TEST(bad_usage_is_reported)
{
    char *model = source_path("models/examples/teacup.cfg");
    struct {
        const char *args[8];
        int status;
        const char *msg;
    } cases[] = {
        {{"plot", NULL, "--size", "big", NULL}, 2, "--size expects WIDTHxHEIGHT"},
        {{"plot", NULL, "--layout", "grid", NULL}, 2, "panels or overlay"},
        {{"plot", NULL, "--vars", "teacup_temp", NULL}, 2, "no variable 'teacup_temp'"},
        {{"plot", NULL, "-o", "x.jpg", NULL}, 1, "must end in .png, .svg or .pdf"},
        {{"plot", NULL, "-o", "x.png", "--terminal", "dumb", NULL}, 2, "exclude each other"},
        {{"plot", NULL, "--terminal", "vt100", NULL}, 2, "unknown terminal"},
        {{"compare", NULL, NULL}, 2, "two or more"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        cases[k].args[1] = model;
        cmd_result r = run_migdev(NULL, cases[k].args);
        ck_assert_msg(r.status == cases[k].status, "case %zu: status %d: %s", k, r.status, r.err);
        ck_assert_msg(strstr(r.err, cases[k].msg), "case %zu: %s", k, r.err);
        cmd_result_free(&r);
    }
    free(model);
}
END_TEST

START_TEST(bad_table_names_its_position)
{
    char *dir = tmp_dir();
    char *csv = path_in(dir, "bad.csv");
    write_text(csv, "time,x\n0,1\n1,oops\n");
    const char *args[] = {"plot", csv, NULL};
    cmd_result r = run_migdev(NULL, args);
    ck_assert_int_eq(r.status, 1);
    char want[4200];
    snprintf(want, sizeof want, "%s:3:3: error: 'oops' is not a number", csv);
    ck_assert_msg(strstr(r.err, want), "%s", r.err);
    cmd_result_free(&r);
    free(csv), free(dir);
}
END_TEST

START_TEST(bad_plots_section_names_its_position)
{
    char *dir = tmp_dir();
    char *model = source_path("models/examples/teacup.cfg");
    char text[4096];
    snprintf(text, sizeof text,
             "model = \"%s\";\n"
             "plots = ( { file = \"a.gif\"; variables = [\"teacup_temperature\"]; } );\n", model);
    char *sc = path_in(dir, "sc.cfg");
    write_text(sc, text);
    const char *args[] = {"check", sc, NULL};
    cmd_result r = run_migdev(NULL, args);
    ck_assert_int_eq(r.status, 1);
    char want[4200];
    snprintf(want, sizeof want, "%s:2:13: error: figure file 'a.gif' must end in .png, .svg or .pdf",
             sc);
    ck_assert_msg(strstr(r.err, want), "%s", r.err);
    cmd_result_free(&r);
    free(sc), free(model), free(dir);
}
END_TEST

/* Without --vars: the first figure's variables, else the outputs. */
START_TEST(default_variables_come_from_the_scenario)
{
    char *dir = tmp_dir();
    char *model = source_path("models/examples/teacup.cfg");
    char text[4096];
    snprintf(text, sizeof text,
             "model = \"%s\";\n"
             "output = { variables = [\"teacup_temperature\"]; };\n"
             "plots = ( { file = \"f.svg\"; variables = [\"heat_loss_to_room\"]; } );\n", model);
    char *with = path_in(dir, "with.cfg"), *without = path_in(dir, "without.cfg");
    write_text(with, text);
    snprintf(text, sizeof text,
             "model = \"%s\";\noutput = { variables = [\"teacup_temperature\"]; };\n", model);
    write_text(without, text);
    char *csv = path_in(dir, "c.csv");
    const char *a1[] = {"compare", with, without, "--csv", csv, "--terminal", "dumb", NULL};
    cmd_result r = run_migdev(NULL, a1);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    char *t = read_text(csv);
    ck_assert(t && strncmp(t, "scenario,time,heat_loss_to_room\n", 32) == 0);
    free(t);
    cmd_result_free(&r);
    const char *a2[] = {"compare", without, with, "--csv", csv, "--terminal", "dumb", NULL};
    r = run_migdev(NULL, a2);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    t = read_text(csv);
    ck_assert(t && strncmp(t, "scenario,time,teacup_temperature\n", 33) == 0);
    free(t);
    cmd_result_free(&r);
    free(csv), free(with), free(without), free(model), free(dir);
}
END_TEST

START_TEST(example_with_figures_is_valid)
{
    char *sc = source_path("configs/examples/teacup_figures.cfg");
    const char *args[] = {"check", sc, NULL};
    cmd_result r = run_migdev(NULL, args);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    cmd_result_free(&r);
    free(sc);
}
END_TEST

START_TEST(compare_needs_the_variables_in_every_model)
{
    char *dir = tmp_dir();
    char *other = path_in(dir, "other.cfg");
    write_text(other, "name = \"other\";\n"
                      "stocks = ( { name = \"level\"; init = 1.0; units = \"widget\"; } );\n");
    char *a = source_path(COLD);
    const char *args[] = {"compare", a, other, "--vars", "teacup_temperature", "--terminal", "dumb",
                          NULL};
    cmd_result r = run_migdev(NULL, args);
    ck_assert_int_eq(r.status, 1);
    char want[4200];
    snprintf(want, sizeof want, "%s: error: the model has no variable 'teacup_temperature'", other);
    ck_assert_msg(strstr(r.err, want), "%s", r.err);
    cmd_result_free(&r);
    free(a), free(other), free(dir);
}
END_TEST

/* With a display but a gnuplot without windows (gnuplot-nox), the error
** names the packages that have them. */
START_TEST(window_needs_a_gnuplot_with_windows)
{
    FILE *p = popen("gnuplot -e \"set print '-'; print GPVAL_TERMINALS\"", "r");
    ck_assert(p != NULL);
    char terms[4096] = " ";
    ck_assert(fgets(terms + 1, sizeof terms - 2, p) != NULL);
    pclose(p);
    terms[strcspn(terms, "\n")] = '\0';
    strcat(terms, " ");
    if (strstr(terms, " qt ")) {
        fprintf(stderr, "this gnuplot has windows: window_needs_a_gnuplot_with_windows skipped\n");
        return;
    }
    setenv("DISPLAY", ":99", 1);
    char *model = source_path("models/examples/teacup.cfg");
    const char *args[] = {"plot", model, "--terminal", "qt", NULL};
    cmd_result r = run_migdev(NULL, args);
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(strstr(r.err, "no qt terminal") && strstr(r.err, "gnuplot-qt"), "%s", r.err);
    cmd_result_free(&r);
    free(model);
}
END_TEST

START_TEST(window_needs_a_display)
{
    unsetenv("DISPLAY");
    unsetenv("WAYLAND_DISPLAY");
    char *model = source_path("models/examples/teacup.cfg");
    const char *args[] = {"plot", model, "--terminal", "window", NULL};
    cmd_result r = run_migdev(NULL, args);
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(strstr(r.err, "no display"), "%s", r.err);
    cmd_result_free(&r);
    free(model);
}
END_TEST

/* ---- --watch ---- */

static int file_contains(const char *path, const char *what)
{
    char *t = read_text(path);
    const int yes = t && strstr(t, what);
    free(t);
    return yes;
}

/* Wait up to 30 s for path to contain what. */
static int wait_for(const char *path, const char *what)
{
    for (int i = 0; i < 300; i++) {
        if (file_contains(path, what))
            return 1;
        struct timespec ts = {0, 100000000L};
        nanosleep(&ts, NULL);
    }
    return 0;
}

START_TEST(watch_redraws_when_the_scenario_is_saved)
{
    char *dir = tmp_dir();
    char *model = source_path("models/examples/teacup.cfg");
    char *sc = path_in(dir, "sc.cfg"), *out = path_in(dir, "out.txt");
    char text[4096];
    snprintf(text, sizeof text, "name = \"First version\";\nmodel = \"%s\";\n", model);
    write_text(sc, text);
    const pid_t pid = fork();
    ck_assert(pid >= 0);
    if (pid == 0) {
        const int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fd, 1);
        execl(MIGDEV_BIN, MIGDEV_BIN, "plot", sc, "--terminal", "dumb", "--watch", (char *)NULL);
        _exit(127);
    }
    const int first = wait_for(out, "First version");
    /* save a new version by writing another file and renaming it over */
    snprintf(text, sizeof text, "name = \"Second version\";\nmodel = \"%s\";\n", model);
    char *tmp = path_in(dir, "sc.cfg.new");
    write_text(tmp, text);
    rename(tmp, sc);
    const int second = first && wait_for(out, "Second version");
    kill(pid, SIGTERM);
    int st = 0;
    waitpid(pid, &st, 0);
    ck_assert_msg(first, "the first drawing never came");
    ck_assert_msg(second, "no redraw after the scenario was saved");
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "--watch did not stop cleanly");
    free(tmp), free(sc), free(out), free(model), free(dir);
}
END_TEST

/* compare --watch: saving the second scenario redraws the comparison */
START_TEST(compare_watch_redraws)
{
    char *dir = tmp_dir();
    char *model = source_path("models/examples/teacup.cfg");
    char *a = path_in(dir, "a.cfg"), *b = path_in(dir, "b.cfg"), *out = path_in(dir, "out.txt");
    char text[4096];
    snprintf(text, sizeof text, "name = \"Scenario A\";\nmodel = \"%s\";\n", model);
    write_text(a, text);
    snprintf(text, sizeof text, "name = \"First B\";\nmodel = \"%s\";\n", model);
    write_text(b, text);
    const pid_t pid = fork();
    ck_assert(pid >= 0);
    if (pid == 0) {
        const int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fd, 1);
        execl(MIGDEV_BIN, MIGDEV_BIN, "compare", a, b, "--vars", "teacup_temperature",
              "--terminal", "dumb", "--watch", (char *)NULL);
        _exit(127);
    }
    const int first = wait_for(out, "First B");
    snprintf(text, sizeof text, "name = \"Second B\";\nmodel = \"%s\";\n", model);
    char *tmp = path_in(dir, "b.cfg.new");
    write_text(tmp, text);
    rename(tmp, b);
    const int second = first && wait_for(out, "Second B");
    kill(pid, SIGINT);
    int st = 0;
    waitpid(pid, &st, 0);
    ck_assert_msg(first, "the first drawing never came");
    ck_assert_msg(second, "no redraw after a scenario was saved");
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "--watch did not stop cleanly");
    free(tmp), free(a), free(b), free(out), free(model), free(dir);
}
END_TEST

/* gnuplot on the PATH (or MIGDEV_GNUPLOT)? */
static int have_gnuplot(void)
{
    const char *env = getenv("MIGDEV_GNUPLOT");
    if (env && *env)
        return access(env, X_OK) == 0;
    return have_program("gnuplot");
}

int main(void)
{
    if (!have_gnuplot()) {
        fprintf(stderr, "gnuplot is not installed (Debian package gnuplot-nox): skipped\n");
        return 77;
    }
    Suite *s = suite_create("plot");
    TCase *core = tcase_create("core");
    tcase_set_timeout(core, 120);
    tcase_add_test(core, quote_doubles_single_quotes);
    tcase_add_test(core, quote_keeps_backquotes_and_macros_literal);
    tcase_add_test(core, quote_turns_line_breaks_into_spaces);
    tcase_add_test(core, png_has_requested_size);
    tcase_add_test(core, png_of_a_comparison_has_requested_size);
    tcase_add_test(core, svg_has_one_path_per_series);
    tcase_add_test(core, svg_of_a_comparison_has_one_path_per_scenario);
    tcase_add_test(core, dumb_output_shows_the_legend);
    tcase_add_test(core, pdf_is_written);
    tcase_add_test(core, compare_writes_both_scenarios);
    tcase_add_test(core, compare_set_per_scenario);
    tcase_add_test(core, panels_titles_and_si_ticks);
    tcase_add_test(core, data_as_points_model_as_line);
    tcase_add_test(core, sweep_series_spaghetti_and_fan);
    tcase_add_test(core, table_units_unknown_unless_a_model_is_given);
    tcase_add_test(core, run_draws_the_scenario_figures);
    tcase_add_test(core, example_with_figures_is_valid);
    tcase_add_test(core, default_variables_come_from_the_scenario);
    tcase_add_test(core, watch_redraws_when_the_scenario_is_saved);
    tcase_add_test(core, compare_watch_redraws);
    suite_add_tcase(s, core);
    TCase *safety = tcase_create("safety");
    tcase_set_timeout(safety, 120);
    tcase_add_test(safety, control_gnuplot_runs_unquoted_backquotes);
    tcase_add_test(safety, injection_runs_nothing);
    suite_add_tcase(s, safety);
    TCase *errors = tcase_create("errors");
    tcase_set_timeout(errors, 120);
    tcase_add_test(errors, missing_gnuplot_still_writes_the_table);
    tcase_add_test(errors, failed_figure_leaves_no_file);
    tcase_add_test(errors, bad_usage_is_reported);
    tcase_add_test(errors, bad_table_names_its_position);
    tcase_add_test(errors, bad_plots_section_names_its_position);
    tcase_add_test(errors, window_needs_a_display);
    tcase_add_test(errors, window_needs_a_gnuplot_with_windows);
    tcase_add_test(errors, compare_needs_the_variables_in_every_model);
    suite_add_tcase(s, errors);
    return run_suite(s);
}
