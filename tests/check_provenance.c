/*
** check_provenance.c - provenance of constants and lookups: the words and
** their errors at file:line:col, `tuned` naming its target, `migdev check
** --provenance` and require_provenance = true, `migdev list --provenance`
** (the table and the counts, counted by hand from the model below).
*/
#include "modelutil.h"

#include <string.h>
#include <sys/stat.h>

/* Constants of every provenance, two lookups (one without), and a data
** variable: 2 data (one constant, one data variable), 1 paper, 1 fitted,
** 1 tuned, 2 assumed, 1 not said = 8. */
static const char model[] =
    "require_provenance = false;\n"
    "time = { start = 0; stop = 2; dt = 1; };\n"
    "constants = (\n"
    "  { name = \"a\"; value = 1; provenance = \"data\"; source = \"WDI\"; },\n"
    "  { name = \"b\"; value = 2; provenance = \"paper\"; },\n"
    "  { name = \"c\"; value = 3; provenance = \"fitted\"; },\n"
    "  { name = \"d\"; value = 4; provenance = \"tuned\"; tuned_to = \"output growth 1980-2000\"; },\n"
    "  { name = \"e\"; value = 5; provenance = \"assumed\"; }\n"
    ");\n"
    "lookups = (\n"
    "  { name = \"f\"; x = [0, 1]; y = [0, 1]; provenance = \"assumed\"; },\n"
    "  { name = \"g\"; x = [0, 1]; y = [1, 0]; }\n"
    ");\n"
    "data = ( { name = \"h\"; file = \"h.csv\"; column = \"v\"; outside = \"hold\"; } );\n"
    "auxiliaries = ( { name = \"y\"; equation = \"a + b + c + d + e + f(0.5) + g(0.5) + h\"; } );\n";

START_TEST(list_counts_by_hand)
{
    const char *path = tmp_file(0, "m.cfg", model);
    char dir[4096];
    snprintf(dir, sizeof dir, "%.*s", (int)(strrchr(path, '/') - path), path);
    char csv[4200];
    snprintf(csv, sizeof csv, "%s/h.csv", dir);
    FILE *f = fopen(csv, "w");
    ck_assert(f != NULL);
    fputs("time,v\n0,1\n", f);
    fclose(f);
    cmd_result r = run_migdev(NULL, (const char *const[]){"list", "--provenance", path, NULL});
    ck_assert_msg(r.status == 0, "%s", r.err);
    ck_assert_str_eq(r.out, "name\tkind\tprovenance\ttuned_to\tsource\n"
                            "a\tconstant\tdata\t\tWDI\n"
                            "b\tconstant\tpaper\t\t\n"
                            "c\tconstant\tfitted\t\t\n"
                            "d\tconstant\ttuned\toutput growth 1980-2000\t\n"
                            "e\tconstant\tassumed\t\t\n"
                            "h\tdata\tdata\t\t\n"
                            "f\tlookup\tassumed\t\t\n"
                            "g\tlookup\t-\t\t\n"
                            "\n"
                            "provenance\tcount\n"
                            "data\t2\n"
                            "paper\t1\n"
                            "fitted\t1\n"
                            "tuned\t1\n"
                            "assumed\t2\n"
                            "not said\t1\n"
                            "total\t8\n");
    cmd_result_free(&r);
    /* check: fine without the flag; with it, the lookup without one is an
       error at its name (line 12, column 13) */
    r = run_migdev(NULL, (const char *const[]){"check", path, NULL});
    ck_assert_msg(r.status == 0 && !*r.err, "%s", r.err);
    cmd_result_free(&r);
    r = run_migdev(NULL, (const char *const[]){"check", "--provenance", path, NULL});
    ck_assert_int_eq(r.status, 1);
    char want[4400];
    snprintf(want, sizeof want,
             "%s:12:13: error: lookup 'g' has no provenance (write provenance = \"data\", "
             "\"paper\", \"fitted\", \"tuned\" or \"assumed\")\n",
             path);
    ck_assert_str_eq(r.err, want);
    cmd_result_free(&r);
    /* require_provenance = true: check insists without the flag */
    char *text = strdup(model);
    memcpy(text + strlen("require_provenance = "), "true; ", 6);
    f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    free(text);
    r = run_migdev(NULL, (const char *const[]){"check", path, NULL});
    ck_assert_int_eq(r.status, 1);
    ck_assert_str_eq(r.err, want);
    cmd_result_free(&r);
    /* and the XMILE export keeps them in the migdev namespace */
    r = run_migdev(NULL, (const char *const[]){"export", "--xmile", path, "-o", "-", NULL});
    ck_assert_msg(r.status == 0, "%s", r.err);
    ck_assert(strstr(r.out, "<migdev:provenance>tuned</migdev:provenance>\n"
                            "        <migdev:tuned_to>output growth 1980-2000</migdev:tuned_to>"));
    cmd_result_free(&r);
    rm_tmp_file(path);
}
END_TEST

START_TEST(errors_at_their_fields)
{
    static const char unknown[] =
        "constants = ( { name = \"k\"; value = 1; provenance = \"guessed\"; } );\n";
    ck_model_error(unknown, "provenance",
                   "unknown provenance 'guessed' of constant 'k' (data, paper, fitted, tuned or "
                   "assumed)");
    static const char untargeted[] =
        "constants = ( { name = \"k\"; value = 1; provenance = \"tuned\"; } );\n";
    ck_model_error(untargeted, "provenance",
                   "constant 'k' is tuned: name the target it was tuned to, as tuned_to = \"...\"");
    static const char empty[] =
        "constants = ( { name = \"k\"; value = 1; provenance = \"tuned\"; tuned_to = \"\"; } );\n";
    ck_model_error(empty, "tuned_to",
                   "constant 'k' is tuned: name the target it was tuned to, as tuned_to = \"...\"");
    static const char stray[] =
        "constants = ( { name = \"k\"; value = 1; provenance = \"paper\"; tuned_to = \"x\"; } );\n";
    ck_model_error(stray, "tuned_to", "tuned_to of constant 'k' goes with provenance = \"tuned\"");
    static const char lookup[] =
        "lookups = ( { name = \"t\"; x = [0, 1]; y = [0, 1]; provenance = 3; } );\n";
    ck_model_error(lookup, "provenance", "'provenance' must be a string in double quotes");
    static const char flag[] = "require_provenance = 1;\n";
    ck_model_error(flag, "require_provenance", "'require_provenance' must be true or false");
}
END_TEST

/* The output shown in docs/model-format.md after "$ ./build/migdev ARGS"
** (up to the closing ```) is what the command prints, from the source tree
** (stdout and stderr together). */
static void ck_doc_output(const char *const *args, const char *shown_cmd)
{
    char *doc_path = source_path("docs/model-format.md");
    char *doc = read_text(doc_path);
    ck_assert(doc != NULL);
    const char *p = strstr(doc, shown_cmd);
    ck_assert_msg(p != NULL, "the docs do not show %s", shown_cmd);
    p += strlen(shown_cmd);
    const char *end = strstr(p, "```");
    ck_assert(end != NULL);
    char *root = source_path(".");
    cmd_result r = run_migdev(root, args);
    char *got = malloc(strlen(r.out) + strlen(r.err) + 1);
    strcpy(got, r.out);
    strcat(got, r.err);
    ck_assert_msg(strlen(got) == (size_t)(end - p) && strncmp(got, p, (size_t)(end - p)) == 0,
                  "docs show:\n%.*s\nthe command prints:\n%s", (int)(end - p), p, got);
    free(got);
    cmd_result_free(&r);
    free(root);
    free(doc);
    free(doc_path);
}

START_TEST(docs_show_what_the_commands_print)
{
    ck_doc_output((const char *const[]){"list", "--provenance", "models/examples/real_savings.cfg",
                                        NULL},
                  "$ ./build/migdev list --provenance models/examples/real_savings.cfg\n");
    ck_doc_output((const char *const[]){"run", "models/examples/real_savings.cfg", "--stop", "1983",
                                        NULL},
                  "$ ./build/migdev run models/examples/real_savings.cfg --stop 1983\n");
}
END_TEST

START_TEST(readme_commands_run)
{
    char *dir = tmp_dir_linking((const char *const[]){"models", "configs", "data", NULL});
    char out[4200];
    snprintf(out, sizeof out, "%s/out", dir);
    ck_assert(mkdir(out, 0700) == 0);
    ck_assert_int_eq(run_readme_commands("## Data and provenance", dir, NULL), 4);
    rm_tree(dir);
    free(dir);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("provenance");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, list_counts_by_hand);
    tcase_add_test(tc, errors_at_their_fields);
    tcase_add_test(tc, docs_show_what_the_commands_print);
    tcase_add_test(tc, readme_commands_run);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return run_suite(suite()); }
