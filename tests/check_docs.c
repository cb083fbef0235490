/*
** check_docs.c - the documentation is real: every complete example file in
** docs/model-format.md (a ``` block whose first line is `# models/...` or
** `# configs/...`) is identical to that file and runs; the example models
** pass `check --strict` and give the numbers of their exact solutions; the
** README's commands and its error example work as shown.
*/
#include "modelutil.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

/* The complete-file blocks of docs/model-format.md: paths and texts. */
typedef struct block {
    char path[256];
    char *text;
} block;

static int doc_blocks(block *out, int max)
{
    char *doc_path = source_path("docs/model-format.md");
    char *doc = read_text(doc_path);
    ck_assert_msg(doc != NULL, "cannot read %s", doc_path);
    int n = 0;
    for (char *p = strstr(doc, "```\n"); p; p = strstr(p, "```\n")) {
        char *body = p + 4;
        char *end = strstr(body, "```\n");
        ck_assert_msg(end != NULL, "unclosed ``` block");
        if (strncmp(body, "# models/", 9) == 0 || strncmp(body, "# configs/", 10) == 0) {
            ck_assert(n < max);
            const size_t plen = strcspn(body + 2, " \n");
            snprintf(out[n].path, sizeof out[n].path, "%.*s", (int)plen, body + 2);
            out[n].text = strndup(body, (size_t)(end - body));
            n++;
        }
        p = end + 4;
    }
    free(doc);
    free(doc_path);
    return n;
}

START_TEST(doc_examples_are_the_files)
{
    block b[16];
    const int n = doc_blocks(b, 16);
    /* the teacup, the logistic population and the default scenario */
    ck_assert_int_ge(n, 3);
    int seen = 0;
    for (int i = 0; i < n; i++) {
        char *path = source_path(b[i].path);
        char *file = read_text(path);
        ck_assert_msg(file != NULL, "docs/model-format.md shows %s, which does not exist", b[i].path);
        ck_assert_msg(strcmp(file, b[i].text) == 0,
                      "docs/model-format.md and %s differ: update one from the other", b[i].path);
        seen |= (!strcmp(b[i].path, "models/examples/teacup.cfg") ? 1 : 0) |
                (!strcmp(b[i].path, "models/examples/logistic.cfg") ? 2 : 0) |
                (!strcmp(b[i].path, "configs/default.cfg") ? 4 : 0);
        free(file);
        free(path);
    }
    ck_assert_int_eq(seen, 7);
    for (int i = 0; i < n; i++)
        free(b[i].text);
}
END_TEST

START_TEST(doc_examples_run)
{
    /* each one checks strictly (units, doc, sources) and runs */
    block b[16];
    const int n = doc_blocks(b, 16);
    for (int i = 0; i < n; i++) {
        char *path = source_path(b[i].path);
        cmd_result r = run_migdev(NULL, (const char *const[]){"check", "--strict", path, NULL});
        ck_assert_msg(r.status == 0 && !*r.err, "check --strict %s: %s", b[i].path, r.err);
        cmd_result_free(&r);
        r = run_migdev(NULL, (const char *const[]){"run", path, "-o", "-", NULL});
        ck_assert_msg(r.status == 0, "run %s: %s", b[i].path, r.err);
        ck_assert(strncmp(r.out, "time,", 5) == 0);
        cmd_result_free(&r);
        free(path);
        free(b[i].text);
    }
}
END_TEST

START_TEST(logistic_example_numbers)
{
    char *path = source_path("models/examples/logistic.cfg");
    migdev_error err;
    migdev_error_clear(&err);
    migdev_model *m = migdev_model_load(path, &err);
    ck_assert_msg(m != NULL, "%s", err.message);
    /* its default run: euler, dt = 1/4, saved every year; by hand:
       P += dt * r P (1 - P/K), crowding = P/K */
    migdev_run *r = migdev_run_new(m, NULL, &err);
    ck_assert_int_eq(migdev_run_execute(r, &err), 0);
    const double *p = migdev_run_series(r, migdev_model_find(m, "population"));
    const double *c = migdev_run_series(r, migdev_model_find(m, "crowding"));
    const double *g = migdev_run_series(r, migdev_model_find(m, "net_growth"));
    ck_assert_int_eq((int)migdev_run_n_saves(r), 41);
    double P = 10.0;
    for (int k = 0; k <= 160; k++) {
        if (k % 4 == 0) {
            ck_assert(close_to(p[k / 4], P, 1e-12, 0));
            ck_assert(close_to(c[k / 4], P / 1000.0, 1e-12, 0));
            ck_assert(close_to(g[k / 4], 0.25 * P * (1.0 - P / 1000.0), 1e-12, 0));
        }
        P += 0.25 * (0.25 * P * (1.0 - P / 1000.0));
    }
    migdev_run_free(r);
    /* an accurate solver gives the exact solution K / (1 + (K/P0 - 1) e^{-rt}) */
    migdev_sim_spec sp = migdev_model_default_spec(m);
    sp.method = MIGDEV_RK8PD;
    sp.abs_tol = 1e-12;
    sp.rel_tol = 1e-12;
    r = migdev_run_new(m, &sp, &err);
    ck_assert_int_eq(migdev_run_execute(r, &err), 0);
    p = migdev_run_series(r, migdev_model_find(m, "population"));
    for (int k = 0; k <= 40; k++)
        ck_assert(close_to(p[k], 1000.0 / (1.0 + 99.0 * exp(-0.25 * k)), 1e-9, 0));
    migdev_run_free(r);
    migdev_model_free(m);
    free(path);
}
END_TEST

/* ---------------------------------------------------------------- README */

START_TEST(readme_commands_run)
{
    /* the `./build/migdev ...` lines of the README's "Running a model"
       block, run from a folder that has the repository's models/ and
       configs/ */
    char *dir = tmp_dir_linking((const char *const[]){"models", "configs", NULL});
    ck_assert_int_eq(run_readme_commands("## Running a model", dir, NULL), 5);
    /* the -o command wrote its file */
    char link[1024];
    snprintf(link, sizeof link, "%s/out/teacup.csv", dir);
    char *csv = read_text(link);
    ck_assert_ptr_nonnull(csv);
    ck_assert(strncmp(csv, "time,teacup_temperature\n0,180\n", 30) == 0);
    free(csv);
    rm_tree(dir);
    free(dir);
}
END_TEST

START_TEST(readme_error_example)
{
    /* bad.cfg: the teacup with room_temperature misspelt in its flow */
    char *readme_path = source_path("README.md");
    char *readme = read_text(readme_path);
    char *shown = strstr(readme, "\nbad.cfg:");
    ck_assert_ptr_nonnull(shown);
    shown++;
    shown[strcspn(shown, "\n") + 1] = '\0';
    char *teacup_path = source_path("models/examples/teacup.cfg");
    char *text = read_text(teacup_path);
    char *at = strstr(text, "- room_temperature)");
    ck_assert_ptr_nonnull(at);
    memmove(at + 11, at + 18, strlen(at + 18) + 1);
    char *dir = tmp_dir();
    char path[1024];
    snprintf(path, sizeof path, "%s/bad.cfg", dir);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    cmd_result r = run_migdev(dir, (const char *const[]){"check", "bad.cfg", NULL});
    ck_assert_int_eq(r.status, 1);
    ck_assert_str_eq(r.err, shown);
    cmd_result_free(&r);
    rm_tree(dir);
    free(dir);
    free(text);
    free(teacup_path);
    free(readme);
    free(readme_path);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("docs");
    TCase *core = tcase_create("core");
    tcase_add_test(core, doc_examples_are_the_files);
    tcase_add_test(core, doc_examples_run);
    tcase_add_test(core, logistic_example_numbers);
    tcase_add_test(core, readme_commands_run);
    tcase_add_test(core, readme_error_example);
    tcase_set_timeout(core, 60);
    suite_add_tcase(s, core);
    return run_suite(s);
}
