/*
** main.c - the migdev command: dispatch to a subcommand.
**
** The CLI is the only code that prints or exits; the library returns
** errors as values.
*/
#include "commands.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char help[] =
    "usage: migdev COMMAND [options]\n"
    "\n"
    "A system-dynamics (stock-and-flow) simulator.\n"
    "\n"
    "commands:\n"
    "  run FILE     simulate a model or scenario, write a CSV table\n"
    "  check FILE   validate a model or scenario (prints nothing when fine);\n"
    "               --units: check the units of every equation\n"
    "  list FILE    list a model's variables with kind, units and doc\n"
    "  plot FILE    draw variables against time (gnuplot): a scenario or a CSV\n"
    "  compare A B  run scenarios and draw them side by side, write a combined CSV\n"
    "  loops FILE   feedback loops, their polarity and dominance (Loops That Matter)\n"
    "  graph FILE   causal-loop diagram through Graphviz (-o out.dot|.svg|.png)\n"
    "  export --xmile FILE   write a model as XMILE (FILE may be XMILE too: every\n"
    "               command reads .xmile/.stmx files)\n"
    "  sweep FILE   run a parameter sweep (threads, MPI), summary and sensitivity\n"
    "  calibrate FILE   fit constants to data (nonlinear least squares)\n"
    "  serve FILE...    live web page: sliders, curves, loops (for a class)\n"
    "  report FILE...   run scenarios and print the indicators they declare\n"
    "\n"
    "options:\n"
    "  -h, --help   this help (migdev COMMAND --help: help on a command)\n"
    "  --version    print the version\n"
    "  --allow-output-anywhere   write outputs that a scenario or sweep file names\n"
    "               outside its own folder (absolute, '..', symbolic links out);\n"
    "               refused by default (paths on the command line are always free)\n"
    "\n"
    "exit status: 0 ok, 1 bad model/scenario/data, 2 bad usage, 3 the run failed\n";

#define ALLOW_ANYWHERE "--allow-output-anywhere"

typedef struct command {
    const char *name;
    int (*fn)(cli *c);
} command;

static const command commands[] = {
    {"run", cmd_run},
    {"check", cmd_check},
    {"list", cmd_list},
    {"plot", cmd_plot},
    {"compare", cmd_compare},
    {"loops", cmd_loops},
    {"graph", cmd_graph},
    {"export", cmd_export},
    {"sweep", cmd_sweep},
    {"calibrate", cmd_calibrate},
    {"serve", cmd_serve},
    {"report", cmd_report},
};

/* Every command's writes to standard output are checked here, once: a
** command that succeeded but whose output was lost (a full disk, a closed
** pipe) exits 1 with one message. A command that failed has said why. */
static int finish(int status)
{
    const int bad = fflush(stdout) != 0 || ferror(stdout);
    const int e = errno;
    const int bad_close = fclose(stdout) != 0;
    if ((bad || bad_close) && status == EXIT_OK) {
        fprintf(stderr, "error: writing standard output: %s\n", strerror(bad ? e : errno));
        return EXIT_INPUT;
    }
    return status;
}

static int dispatch(int argc, char **argv);

int main(int argc, char **argv)
{
    return finish(dispatch(argc, argv));
}

static int dispatch(int argc, char **argv)
{
    migdev_global_init();
    cli c = {argc, argv, 1, 0, 0, 0};
    /* --allow-output-anywhere may stand anywhere before a "--" */
    for (int k = 1; k < argc && strcmp(argv[k], "--") != 0; k++)
        if (!strcmp(argv[k], ALLOW_ANYWHERE)) {
            c.allow_output_anywhere = 1;
            c.removed_at = k;
            c.removed_len = (int)strlen(ALLOW_ANYWHERE);
            memmove(argv + k, argv + k + 1, (size_t)(argc - k) * sizeof *argv);
            c.argc = --argc;
            break;
        }
    if (argc < 2) {
        fputs(help, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        fputs(help, stdout);
        return EXIT_OK;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
        printf("migdev %s\n", migdev_version());
        return EXIT_OK;
    }
    for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++)
        if (!strcmp(cmd, commands[k].name)) {
            c.i = 2;
            return commands[k].fn(&c);
        }
    char names[256] = "";
    size_t len = 0;
    for (size_t k = 0; k < sizeof commands / sizeof commands[0] && len < sizeof names; k++)
        len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", k ? ", " : "",
                                commands[k].name);
    return cli_usage_error(&c, 1, NULL, "unknown command '%s' (commands: %s)", cmd, names);
}
