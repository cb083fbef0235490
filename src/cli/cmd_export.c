/*
** cmd_export.c - `migdev export --xmile FILE`: write a model as XMILE.
*/
#include "commands.h"
#include "outfile.h"

#include <stdio.h>
#include <string.h>

static const char help[] =
    "usage: migdev export --xmile FILE [-o OUT]\n"
    "\n"
    "Write the model of FILE (a model or a scenario) as an XMILE document, the\n"
    "OASIS standard that Stella and other tools read, to OUT or standard\n"
    "output. migdev reads it back into the same model: same names, units, docs\n"
    "and the same series. Builtins without an XMILE equivalent (pulse with a\n"
    "width, ramp with an end) are written as migdev.pulse(...), which other\n"
    "tools do not know.\n"
    "\n"
    "options:\n"
    "  --xmile      the format (the only one for now; required)\n"
    "  -o FILE      output file ('-' for standard output)\n"
    "\n"
    "exit status: 0 ok, 1 bad model or a name XMILE cannot hold, 2 bad usage\n";

int cmd_export(cli *c)
{
    const char *file = NULL, *out = NULL;
    int xmile = 0;
    for (; c->i < c->argc; c->i++) {
        const char *a = c->argv[c->i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(help, stdout);
            return EXIT_OK;
        } else if (!strcmp(a, "--xmile")) {
            xmile = 1;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (c->i + 1 >= c->argc)
                return cli_usage_error(c, c->i, "export", "%s needs a file name", a);
            out = c->argv[++c->i];
        } else if (!strncmp(a, "--output=", 9)) {
            out = a + 9;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error(c, c->i, "export", "unknown option '%s'", a);
        } else if (file) {
            return cli_usage_error(c, c->i, "export", "unexpected argument '%s' (one file at a time)", a);
        } else {
            file = a;
        }
    }
    if (!xmile)
        return cli_usage_error(c, c->argc, "export", "choose the format: --xmile");
    if (!file)
        return cli_usage_error(c, c->argc, "export", "missing the model or scenario file");
    int status = EXIT_OK;
    migdev_scenario *s = cli_load_scenario(file, &status);
    if (!s)
        return status;
    migdev_error err;
    migdev_error_clear(&err);
    outfile of;
    if (outfile_open(&of, out) != 0) {
        status = EXIT_INPUT;
    } else {
        const int rc = migdev_model_write_xmile(migdev_scenario_model(s), of.f, &err);
        if (outfile_close(&of, rc == 0) != 0 || rc != 0) {
            if (rc != 0)
                cli_print_error(&err);
            status = rc ? cli_exit_code(err.code) : EXIT_INPUT;
        }
    }
    migdev_scenario_free(s);
    return status;
}
