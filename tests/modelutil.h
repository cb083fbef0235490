/*
** modelutil.h - helpers for tests that compile and run small models.
**
** Models are written inline as libconfig text. Expected error positions are
** given as a "needle": the line:col where a substring first occurs in the
** model text, so that each test states *where* in its own text the error
** must point, independently of the engine.
*/
#ifndef MIGDEV_MODELUTIL_H
#define MIGDEV_MODELUTIL_H

#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

/* 1-based line and column of the first occurrence of needle in text
** (fails the test when absent). */
void text_pos(const char *text, const char *needle, int *line, int *col);

/* The same for the first occurrence of needle after the first occurrence
** of after (which may be NULL). */
void text_pos_after(const char *text, const char *after, const char *needle, int *line,
                    int *col);

/* "test.cfg:L:C: error: msg" with L:C the position of needle in text
** (needle NULL: "test.cfg:L: error: msg" with L = line). Owned. */
char *expected_error(const char *text, const char *needle, int line, const char *msg);

/* Compile text, expect failure, compare the formatted error with
** expected_error(text, needle, 0, msg). */
#define ck_model_error(text, needle, msg)                                          \
    do {                                                                           \
        char *got_ = model_error(text);                                            \
        char *want_ = expected_error(text, needle, 0, msg);                        \
        ck_assert_str_eq(got_, want_);                                             \
        free(got_);                                                                \
        free(want_);                                                               \
    } while (0)

/* The same with the needle searched after the first occurrence of after. */
#define ck_model_error_after(text, after, needle, msg)                             \
    do {                                                                           \
        char *got_ = model_error(text);                                            \
        int l_, c_;                                                                \
        text_pos_after(text, after, needle, &l_, &c_);                             \
        char want_[1400];                                                          \
        snprintf(want_, sizeof want_, "test.cfg:%d:%d: error: %s", l_, c_, msg);   \
        ck_assert_str_eq(got_, want_);                                             \
        free(got_);                                                                \
    } while (0)

/* Value at time 0 of `x = equation` in a model with constants
** c = 2.385, d = -1.75 (so tests can compare folded and unfolded forms). */
double eval_eq(const char *equation);

/* The error message (no position) of a model whose only auxiliary is
** `x = equation`; fails the test when it compiles. Owned. */
char *eq_error(const char *equation);

/* A run of a model written as text: load, create with spec (NULL = the
** model's default), execute; the test fails on any error. */
typedef struct sim {
    migdev_model *m;
    migdev_run *r;
} sim;
sim sim_run(const char *text, const migdev_sim_spec *spec);
void sim_free(sim *s);

/* The recorded series of variable name (fails the test when absent). */
const double *sim_series(const sim *s, const char *name);
size_t sim_n(const sim *s);

/* A spec with the given method and span; save_every = dt; tolerances
** 1e-6. */
migdev_sim_spec spec_of(migdev_method method, double start, double stop, double dt);

/* Remove a temporary folder (from tmp_dir()) and everything in it; for a
** file from tmp_file(), its folder. Only paths under /tmp/migdev_test_. */
void rm_tree(const char *dir);
void rm_tmp_file(const char *path);

/* Exact bit equality of two doubles (distinguishes -0 and +0). */
int same_bits(double a, double b);

/* |a - b| <= rel * max(|a|, |b|) + abs. */
int close_to(double a, double b, double rel, double abs);

#endif
