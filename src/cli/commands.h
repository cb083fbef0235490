/*
** commands.h - the subcommands of the migdev tool. Each takes the parsed
** command line positioned after its name and returns an exit status.
*/
#ifndef MIGDEV_CLI_COMMANDS_H
#define MIGDEV_CLI_COMMANDS_H

#include "args.h"

int cmd_run(cli *c);
int cmd_check(cli *c);
int cmd_list(cli *c);
int cmd_plot(cli *c);
int cmd_compare(cli *c);
int cmd_loops(cli *c);
int cmd_graph(cli *c);
int cmd_export(cli *c);
int cmd_sweep(cli *c);
int cmd_calibrate(cli *c);
int cmd_serve(cli *c);
int cmd_report(cli *c);

#endif
