/*
** check_units_conformance.c - the units check on the XMILE models of the SD
** test-model suite (../shared/conformance; skipped with 77 when absent):
** every model that loads is checked without a crash (the suite runs under
** ASan and UBSan too) and every finding is well formed. Whether the models'
** units agree is informative only; the one sample known to mix its units
** (the teacup: its flow is in 'deg/Time', per 'Time', while its stock
** changes per 'minute') must be found so, once: 'deg' and 'degrees' are one
** unit, as its <model_units> declares deg an alias of Degrees.
*/
#include "testutil.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct tally {
    int loaded, with_findings, teacup_findings;
} tally;

static int is_xmile(const char *name)
{
    const size_t n = strlen(name);
    return (n > 6 && !strcmp(name + n - 6, ".xmile")) || (n > 5 && !strcmp(name + n - 5, ".stmx"));
}

static void check_file(const char *path, tally *t)
{
    migdev_error err;
    migdev_error_clear(&err);
    migdev_model *m = migdev_model_load(path, &err);
    if (!m)
        return; /* arrays, malformed files...: the reader's business */
    t->loaded++;
    migdev_units_report *r = migdev_units_check(m, NULL, &err);
    ck_assert_msg(r != NULL, "%s: %s", path, err.message);
    const int n = migdev_units_report_count(r);
    for (int i = 0; i < n; i++) {
        const migdev_units_diag *d = migdev_units_report_get(r, i);
        ck_assert(d->severity == MIGDEV_UNITS_ERROR || d->severity == MIGDEV_UNITS_WARNING);
        ck_assert_str_eq(d->where.file, path);
        ck_assert(d->where.line > 0 && d->where.message[0]);
    }
    t->with_findings += n > 0;
    if (strstr(path, "samples/teacup/teacup.stmx"))
        t->teacup_findings = n;
    migdev_units_report_free(r);
    migdev_model_free(m);
}

static void walk(const char *dir, tally *t)
{
    DIR *dh = opendir(dir);
    ck_assert_ptr_nonnull(dh);
    for (struct dirent *e = readdir(dh); e; e = readdir(dh)) {
        if (e->d_name[0] == '.')
            continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            walk(path, t);
        else if (is_xmile(e->d_name))
            check_file(path, t);
    }
    closedir(dh);
}

START_TEST(every_model_is_checked)
{
    char *root = shared_path("conformance");
    tally t = {0, 0, -1};
    walk(root, &t);
    ck_assert_int_ge(t.loaded, 40);
    ck_assert_int_eq(t.teacup_findings, 1);
    free(root);
}
END_TEST

int main(void)
{
    if (!have_shared())
        return 77;
    char *root = shared_path("conformance");
    struct stat st;
    const int present = stat(root, &st) == 0;
    free(root);
    if (!present)
        return 77;
    Suite *s = suite_create("units_conformance");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, every_model_is_checked);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
