/*
** testutil.h - helpers shared by the Check test programs.
**
** Run the migdev executable and capture what it prints; write temporary
** model files; find the sources and ../shared (absent in users' clones:
** tests that need it call testutil_need_shared() and are skipped).
*/
#ifndef MIGDEV_TESTUTIL_H
#define MIGDEV_TESTUTIL_H

#include <check.h>
#include <stddef.h>

#include "migdev/migdev.h"

typedef struct cmd_result {
    int status;    /* exit status, or 128+signal when killed */
    char *out;     /* standard output (owned, NUL-terminated) */
    char *err;     /* standard error (owned, NUL-terminated) */
} cmd_result;

/* Run `migdev <args>` (args is a NULL-terminated array) in directory cwd
** (NULL: the current one). */
cmd_result run_migdev(const char *cwd, const char *const *args);
void cmd_result_free(cmd_result *r);

/* Write text to a new file in a fresh temporary directory; returns the
** path (static storage reused by the next call to tmp_file with the same
** slot 0..7). */
const char *tmp_file(int slot, const char *name, const char *text);

/* A fresh empty temporary directory (path owned by the caller). */
char *tmp_dir(void);

/* Path under the source tree / the shared folder (owned by the caller). */
char *source_path(const char *rel);
char *shared_path(const char *rel);

/* 1 when ../shared exists. */
int have_shared(void);

/* A fresh temporary directory holding symbolic links to the source tree's
** folders trees (NULL-terminated: "models", "configs", ...), so that
** commands written for the repository's root run in it. Owned. */
char *tmp_dir_linking(const char *const *trees);

/* Whether program name is an executable file in a folder of $PATH. */
int have_program(const char *name);

/* Run, from folder dir, the commands of the first ```sh block after the
** README.md heading `heading` ("## Feedback loops"): lines
** `./build/migdev ARGS` (a trailing '\' continues one; " #" starts a
** comment), split at spaces. Every other line fails the test. A command
** for which skip (may be NULL) returns 1 is counted but not run; each other
** one must exit 0, and print nothing when it is a `check`. Returns the
** number of commands. */
int run_readme_commands(const char *heading, const char *dir, int (*skip)(const char *cmd));

/* Read a whole file (owned; NULL when it cannot be read). */
char *read_text(const char *path);

/* Load a model from text, failing the test with the error message when it
** does not compile. */
migdev_model *load_model_text(const char *text);

/* Compile text expected to fail; returns the formatted error
** ("file:line:col: error: message"), owned by the caller. */
char *model_error(const char *text);

/* Run a Check suite and return the process exit status. */
int run_suite(Suite *s);

#endif
