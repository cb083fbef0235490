/*
** modelutil.c - compile and run small inline models (see modelutil.h).
*/
#define _XOPEN_SOURCE 700 /* nftw */
#include "modelutil.h"

#include <ftw.h>
#include <unistd.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void text_pos(const char *text, const char *needle, int *line, int *col)
{
    text_pos_after(text, NULL, needle, line, col);
}

void text_pos_after(const char *text, const char *after, const char *needle, int *line,
                    int *col)
{
    const char *from = text;
    if (after) {
        from = strstr(text, after);
        ck_assert_msg(from != NULL, "test bug: '%s' is not in the model text", after);
        from += strlen(after);
    }
    const char *p = strstr(from, needle);
    ck_assert_msg(p != NULL, "test bug: '%s' is not in the model text", needle);
    *line = 1;
    *col = 1;
    for (const char *q = text; q < p; q++) {
        if (*q == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

char *expected_error(const char *text, const char *needle, int line, const char *msg)
{
    char buf[1400];
    if (needle) {
        int l, c;
        text_pos(text, needle, &l, &c);
        snprintf(buf, sizeof buf, "test.cfg:%d:%d: error: %s", l, c, msg);
    } else {
        snprintf(buf, sizeof buf, "test.cfg:%d: error: %s", line, msg);
    }
    return strdup(buf);
}

static char *eq_model(const char *equation)
{
    static const char fmt[] =
        "time = { start = 0.0; stop = 1.0; dt = 1.0; };\n"
        "constants = ( { name = \"c\"; value = 2.385; }, { name = \"d\"; value = -1.75; } );\n"
        "auxiliaries = ( { name = \"x\"; equation = \"%s\"; } );\n";
    const size_t n = strlen(fmt) + strlen(equation) + 1;
    char *text = malloc(n);
    snprintf(text, n, fmt, equation);
    return text;
}

double eval_eq(const char *equation)
{
    char *text = eq_model(equation);
    sim s = sim_run(text, NULL);
    const double x = sim_series(&s, "x")[0];
    sim_free(&s);
    free(text);
    return x;
}

char *eq_error(const char *equation)
{
    char *text = eq_model(equation);
    migdev_error err;
    migdev_error_clear(&err);
    migdev_model *m = migdev_model_load_string(text, "test.cfg", &err);
    ck_assert_msg(m == NULL, "'%s' compiled but was expected to fail", equation);
    free(text);
    return strdup(err.message);
}

sim sim_run(const char *text, const migdev_sim_spec *spec)
{
    sim s;
    s.m = load_model_text(text);
    migdev_error err;
    migdev_error_clear(&err);
    s.r = migdev_run_new(s.m, spec, &err);
    ck_assert_msg(s.r != NULL, "run_new: %s", err.message);
    const int rc = migdev_run_execute(s.r, &err);
    ck_assert_msg(rc == 0, "run: %s", err.message);
    return s;
}

void sim_free(sim *s)
{
    migdev_run_free(s->r);
    migdev_model_free(s->m);
    s->r = NULL;
    s->m = NULL;
}

const double *sim_series(const sim *s, const char *name)
{
    const int i = migdev_model_find(s->m, name);
    ck_assert_msg(i >= 0, "no variable '%s'", name);
    const double *x = migdev_run_series(s->r, i);
    ck_assert_msg(x != NULL, "'%s' not recorded", name);
    return x;
}

size_t sim_n(const sim *s)
{
    return migdev_run_n_saves(s->r);
}

migdev_sim_spec spec_of(migdev_method method, double start, double stop, double dt)
{
    migdev_sim_spec sp;
    memset(&sp, 0, sizeof sp);
    sp.start = start;
    sp.stop = stop;
    sp.dt = dt;
    sp.save_every = dt;
    sp.method = method;
    sp.abs_tol = 1e-6;
    sp.rel_tol = 1e-6;
    sp.max_step = 0.0;
    return sp;
}

int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

int close_to(double a, double b, double rel, double abs)
{
    const double m = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
    return fabs(a - b) <= rel * m + abs;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    return flag == FTW_DP ? rmdir(path) : unlink(path);
}

void rm_tree(const char *dir)
{
    if (dir && strncmp(dir, "/tmp/migdev_test_", 17) == 0)
        nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

void rm_tmp_file(const char *path)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash) {
        *slash = '\0';
        rm_tree(dir);
    }
}
