/*
** args.h - command-line parsing for the migdev tool.
**
** Errors on the command line are reported like errors in files, with the
** command line as the "file": `command line:1:COL: error: ...`, where COL
** is the column in the command as typed (arguments joined by spaces).
*/
#ifndef MIGDEV_CLI_ARGS_H
#define MIGDEV_CLI_ARGS_H

#include "migdev/migdev.h"

enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2, EXIT_RUN = 3 };

typedef struct cli {
    int argc;
    char **argv;
    int i;          /* next argument */
    /* --allow-output-anywhere (taken out of argv by main): outputs named in
       files may leave their folder (docs/paths.md); removed_at is its index
       as typed (0: not given), so that columns stay those of the command */
    int allow_output_anywhere;
    int removed_at, removed_len;
} cli;

/* Refuse a path error of the path policy (migdev_scenario_*_path_error,
** migdev_sweep_path_error; NULL: fine) unless c allows outputs anywhere:
** prints it and returns EXIT_INPUT, else EXIT_OK. */
int cli_check_path(const cli *c, const migdev_error *path_err);

/* Print `command line:1:COL: error: <msg>` pointing at argv[arg], then a
** hint to use --help for cmd. Returns EXIT_USAGE. */
int cli_usage_error(const cli *c, int arg, const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Print `command line:1:COL: error: <opt>: <err->message>` pointing at
** column err->column of the value that starts offset bytes into argv[arg]
** (a library error about an option's value), then a hint to use --help for
** cmd. Returns EXIT_USAGE. */
int cli_value_error(const cli *c, int arg, int offset, const char *cmd, const char *opt,
                    const migdev_error *err);

/* Print a library error as `file:line:col: error: message`. */
void cli_print_error(const migdev_error *err);

/* Exit status for a library error code. */
int cli_exit_code(int code);

/* Split argument a: `--name=value` puts "--name" in opt (size n) and
** returns "value"; anything else is copied to opt and NULL returned. */
const char *cli_split_option(const char *a, char *opt, size_t n);

/* The value of option opt into *val: inl (the text after '=') when not
** NULL, else the next argument (consumed), else a usage error (*val is
** then NULL). Returns EXIT_OK or EXIT_USAGE (printed). */
int cli_option_value(cli *c, const char *cmd, const char *opt, const char *inl,
                     const char **val);

/* Load file as a scenario (a model file is a scenario too). On failure
** prints the error and returns NULL with *status set to the exit status. */
migdev_scenario *cli_load_scenario(const char *file, int *status);

/* Parse a number argument strictly ("1e-3" yes, "1x" no). Returns 0 or -1. */
int cli_number(const char *s, double *out);

/* Options shared by the commands that run a scenario. */
typedef struct run_opts {
    const char *cmd;        /* the command, for "see: migdev CMD --help" */
    const char *file;
    const char *output;     /* -o */
    const char *vars;       /* --vars */
    int vars_arg;           /* its argv index, for messages */
    const char *format;     /* --format */
    int has_format;
    migdev_sim_spec spec;   /* fields set on the command line */
    unsigned set_mask;      /* which spec fields were given */
    int spec_arg;           /* argv index of the last of them, for messages */
    const char **set_names; /* --set NAME=VALUE */
    double *set_values;
    int *set_args;          /* argv index of each --set, for messages */
    int n_set;
    migdev_engine engine;   /* --engine (default auto) */
} run_opts;

enum {
    SET_START = 1u << 0, SET_STOP = 1u << 1, SET_DT = 1u << 2, SET_SAVE = 1u << 3,
    SET_METHOD = 1u << 4, SET_ABSTOL = 1u << 5, SET_RELTOL = 1u << 6, SET_MAXSTEP = 1u << 7,
    SET_SEED = 1u << 8
};

/* A command's own options next to the run options: called with an option
** run_opts_parse_ext does not know (opt is its name, inl the text after '='
** or NULL). Returns -1 when opt is not one of them either, else EXIT_OK or
** an exit status after printing the error. */
typedef int (*run_opts_extra)(cli *c, const char *cmd, const char *opt, const char *inl,
                              void *ctx);

/* Parse run options from c (after the command name), and the command's own
** through extra (may be NULL). Returns EXIT_OK, or an exit status after
** printing the error. `--help` prints help and returns -1. The arrays in o
** are freed by run_opts_free(). */
int run_opts_parse_ext(cli *c, const char *cmd, const char *help, run_opts *o,
                       run_opts_extra extra, void *ctx);
void run_opts_free(run_opts *o);

/* Put o->engine to work on s's model for expected_runs runs: prints auto's
** one-line note when it falls back to the VM, or the error. Returns
** EXIT_OK or an exit status. */
int run_opts_engine(const run_opts *o, migdev_scenario *s, double expected_runs);

/* The --engine line of the commands' help. */
#define RUN_OPTS_ENGINE_HELP                                                              \
    "  --engine E         vm, native (the equations compiled to machine code with the\n" \
    "                     system C compiler, cached) or auto (default: native when\n"   \
    "                     the expected runs pay for the compile)\n"

/* Load o->file as a scenario and apply the command-line overrides. Prints
** errors; returns NULL with *status set on failure. */
migdev_scenario *run_opts_scenario(const cli *c, const run_opts *o, int *status);

#endif
