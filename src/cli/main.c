/*
** main.c - the migdev command: dispatch to a subcommand.
**
** The CLI is the only code that prints or exits; the library returns
** errors as values.
*/
#include "commands.h"

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
    "  report FILE...   run scenarios and print the indicators they declare\n"
    "\n"
    "options:\n"
    "  -h, --help   this help (migdev COMMAND --help: help on a command)\n"
    "  --version    print the version\n"
    "\n"
    "exit status: 0 ok, 1 bad model/scenario/data, 2 bad usage, 3 the run failed\n";

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
    {"report", cmd_report},
};

int main(int argc, char **argv)
{
    migdev_global_init();
    cli c = {argc, argv, 1};
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
