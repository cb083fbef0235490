/*
** args.c - command-line options, errors and exit statuses.
*/
#include "args.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_usage_error(const cli *c, int arg, const char *cmd, const char *fmt, ...)
{
    int col = 1;
    for (int k = 0; k < arg && k < c->argc; k++)
        col += (int)strlen(c->argv[k]) + 1;
    if (c->removed_at > 0 && arg >= c->removed_at)
        col += c->removed_len + 1;
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "command line:1:%d: error: %s\n", col, msg);
    fprintf(stderr, "(see: migdev %s%s--help)\n", cmd ? cmd : "", cmd ? " " : "");
    return EXIT_USAGE;
}

int cli_value_error(const cli *c, int arg, int offset, const char *cmd, const char *opt,
                    const migdev_error *err)
{
    int col = 1;
    for (int k = 0; k < arg && k < c->argc; k++)
        col += (int)strlen(c->argv[k]) + 1;
    if (c->removed_at > 0 && arg >= c->removed_at)
        col += c->removed_len + 1;
    col += offset + (err->column > 0 ? err->column - 1 : 0);
    fprintf(stderr, "command line:1:%d: error: %s: %s\n", col, opt, err->message);
    fprintf(stderr, "(see: migdev %s --help)\n", cmd);
    return EXIT_USAGE;
}

void cli_print_error(const migdev_error *err)
{
    char buf[1200];
    fprintf(stderr, "%s\n", migdev_error_format(err, buf, sizeof buf));
}

int cli_check_path(const cli *c, const migdev_error *path_err)
{
    if (!path_err || c->allow_output_anywhere)
        return EXIT_OK;
    cli_print_error(path_err);
    return EXIT_INPUT;
}

int cli_exit_code(int code)
{
    switch (code) {
    case MIGDEV_OK: return EXIT_OK;
    case MIGDEV_E_NONFINITE:
    case MIGDEV_E_INTEGRATOR: return EXIT_RUN;
    case MIGDEV_E_USAGE: return EXIT_USAGE;
    default: return EXIT_INPUT;
    }
}

int cli_number(const char *s, double *out)
{
    /* decimal only, nothing around it: strtod alone would take leading
       spaces and hexadecimal ("0x10") but refuse trailing spaces */
    if (!s || !*s || isspace((unsigned char)s[0]) || strpbrk(s, "xXpP"))
        return -1;
    char *end;
    errno = 0;
    const double x = strtod(s, &end);
    if (*end != '\0' || errno == ERANGE || !isfinite(x))
        return -1;
    *out = x;
    return 0;
}

const char *cli_split_option(const char *a, char *opt, size_t n)
{
    const char *eq = strchr(a, '=');
    if (a[0] == '-' && a[1] == '-' && eq && (size_t)(eq - a) < n) {
        memcpy(opt, a, (size_t)(eq - a));
        opt[eq - a] = '\0';
        return eq + 1;
    }
    snprintf(opt, n, "%s", a);
    return NULL;
}

int cli_option_value(cli *c, const char *cmd, const char *opt, const char *inl,
                     const char **val)
{
    *val = inl;
    if (inl)
        return EXIT_OK;
    if (c->i + 1 >= c->argc)
        return cli_usage_error(c, c->i, cmd, "%s needs a value", opt);
    c->i++;
    *val = c->argv[c->i];
    return EXIT_OK;
}

migdev_scenario *cli_load_scenario(const char *file, int *status)
{
    migdev_error err;
    migdev_error_clear(&err);
    migdev_scenario *s = migdev_scenario_load(file, &err);
    if (!s) {
        cli_print_error(&err);
        *status = cli_exit_code(err.code);
    }
    return s;
}

/* The commands that run a model many times take --engine. */
static int engine_cmd(const char *cmd)
{
    return !strcmp(cmd, "run") || !strcmp(cmd, "sweep") || !strcmp(cmd, "calibrate") ||
           !strcmp(cmd, "loops");
}

int run_opts_engine(const run_opts *o, migdev_scenario *s, double expected_runs)
{
    migdev_error err;
    migdev_error_clear(&err);
    migdev_engine_info info;
    if (migdev_scenario_set_engine(s, o->engine, expected_runs, &info, &err) != 0) {
        cli_print_error(&err);
        return cli_exit_code(err.code);
    }
    if (info.note[0])
        fprintf(stderr, "migdev: %s\n", info.note);
    return EXIT_OK;
}

/* option with a number: --dt 0.5 or --dt=0.5 */
static int number_opt(cli *c, const char *cmd, const char *opt, const char *inline_val,
                      double *out)
{
    const char *val;
    const int rc = cli_option_value(c, cmd, opt, inline_val, &val);
    if (rc != EXIT_OK)
        return rc;
    if (cli_number(val, out) != 0)
        return cli_usage_error(c, c->i, cmd, "%s expects a number, got '%s'", opt, val);
    return EXIT_OK;
}

void run_opts_free(run_opts *o)
{
    free(o->set_names);
    free(o->set_values);
    free(o->set_args);
    memset(o, 0, sizeof *o);
}

int run_opts_parse_ext(cli *c, const char *cmd, const char *help, run_opts *o,
                       run_opts_extra extra, void *ctx)
{
    memset(o, 0, sizeof *o);
    o->cmd = cmd;
    o->engine = MIGDEV_ENGINE_AUTO;
    const int cap = c->argc + 1;
    o->set_names = calloc((size_t)cap, sizeof *o->set_names);
    o->set_values = calloc((size_t)cap, sizeof *o->set_values);
    o->set_args = calloc((size_t)cap, sizeof *o->set_args);
    if (!o->set_names || !o->set_values || !o->set_args) {
        fprintf(stderr, "migdev: out of memory\n");
        return EXIT_INPUT;
    }
    for (; c->i < c->argc; c->i++) {
        char *a = c->argv[c->i];
        char opt[64];
        const char *inl = cli_split_option(a, opt, sizeof opt);
        int rc = EXIT_OK;
        if (!strcmp(opt, "-h") || !strcmp(opt, "--help")) {
            fputs(help, stdout);
            return -1;
        } else if (!strcmp(opt, "-o") || !strcmp(opt, "--output")) {
            rc = cli_option_value(c, cmd, opt, inl, &o->output);
        } else if (!strcmp(opt, "--engine") && engine_cmd(cmd)) {
            rc = cli_option_value(c, cmd, opt, inl, &inl);
            if (!rc && migdev_engine_parse(inl, &o->engine) != 0)
                rc = cli_usage_error(c, c->i, cmd, "--engine must be vm, native or auto, got '%s'",
                                     inl);
        } else if (!strcmp(opt, "--vars")) {
            rc = cli_option_value(c, cmd, opt, inl, &o->vars);
            o->vars_arg = c->i;
        } else if (!strcmp(opt, "--format")) {
            rc = cli_option_value(c, cmd, opt, inl, &o->format);
            if (!rc && strcmp(o->format, "csv") && strcmp(o->format, "tsv"))
                rc = cli_usage_error(c, c->i, cmd, "--format must be csv or tsv, got '%s'",
                                     o->format);
            o->has_format = 1;
        } else if (!strcmp(opt, "--method")) {
            rc = cli_option_value(c, cmd, opt, inl, &inl);
            if (!rc) {
                const int mt = migdev_method_parse(inl);
                if (mt < 0)
                    rc = cli_usage_error(c, c->i, cmd,
                                         "unknown method '%s' (euler, rk4, rk2, rkf45, rkck, "
                                         "rk8pd, rk4imp, bsimp, msadams, msbdf)",
                                         inl);
                o->spec.method = (migdev_method)mt;
                o->set_mask |= SET_METHOD;
            o->spec_arg = c->i;
            }
        } else if (!strcmp(opt, "--dt")) {
            rc = number_opt(c, cmd, opt, inl, &o->spec.dt);
            o->set_mask |= SET_DT;
            o->spec_arg = c->i;
        } else if (!strcmp(opt, "--start")) {
            rc = number_opt(c, cmd, opt, inl, &o->spec.start);
            o->set_mask |= SET_START;
            o->spec_arg = c->i;
        } else if (!strcmp(opt, "--stop")) {
            rc = number_opt(c, cmd, opt, inl, &o->spec.stop);
            o->set_mask |= SET_STOP;
            o->spec_arg = c->i;
        } else if (!strcmp(opt, "--save-every")) {
            rc = number_opt(c, cmd, opt, inl, &o->spec.save_every);
            o->set_mask |= SET_SAVE;
            o->spec_arg = c->i;
        } else if (!strcmp(opt, "--abs-tol")) {
            rc = number_opt(c, cmd, opt, inl, &o->spec.abs_tol);
            o->set_mask |= SET_ABSTOL;
            o->spec_arg = c->i;
        } else if (!strcmp(opt, "--rel-tol")) {
            rc = number_opt(c, cmd, opt, inl, &o->spec.rel_tol);
            o->set_mask |= SET_RELTOL;
            o->spec_arg = c->i;
        } else if (!strcmp(opt, "--max-step")) {
            rc = number_opt(c, cmd, opt, inl, &o->spec.max_step);
            o->set_mask |= SET_MAXSTEP;
            o->spec_arg = c->i;
        } else if (!strcmp(opt, "--seed")) {
            double x = 0;
            rc = number_opt(c, cmd, opt, inl, &x);
            if (!rc && (!(x >= 0 && x < 4294967296.0) || x != floor(x)))
                rc = cli_usage_error(c, c->i, cmd, "--seed expects a whole number from 0 to 2^32-1");
            o->spec.seed = (unsigned long)x;
            o->set_mask |= SET_SEED;
        } else if (!strcmp(opt, "--set") || !strcmp(opt, "-s")) {
            const char *val; /* --set=NAME=VALUE */
            if ((rc = cli_option_value(c, cmd, opt, inl, &val)) != EXIT_OK)
                return rc;
            const char *eq = strchr(val, '=');
            if (!eq || eq == val)
                return cli_usage_error(c, c->i, cmd, "--set expects NAME=VALUE, got '%s'", val);
            double x;
            if (cli_number(eq + 1, &x) != 0)
                return cli_usage_error(c, c->i, cmd, "--set %.*s: '%s' is not a number",
                                       (int)(eq - val), val, eq + 1);
            /* the name is stored NUL-terminated in argv, which we own */
            char *name = c->argv[c->i] + (val - c->argv[c->i]);
            name[eq - val] = '\0';
            o->set_names[o->n_set] = name;
            o->set_values[o->n_set] = x;
            o->set_args[o->n_set] = c->i;
            o->n_set++;
        } else if (a[0] == '-' && a[1] != '\0') {
            if (!extra || (rc = extra(c, cmd, opt, inl, ctx)) < 0)
                return cli_usage_error(c, c->i, cmd, "unknown option '%s'", a);
        } else if (!o->file) {
            o->file = a;
        } else {
            return cli_usage_error(c, c->i, cmd, "unexpected argument '%s' (one file at a time)", a);
        }
        if (rc != EXIT_OK)
            return rc;
    }
    if (!o->file)
        return cli_usage_error(c, c->argc, cmd, "missing the model or scenario file");
    return EXIT_OK;
}

migdev_scenario *run_opts_scenario(const cli *c, const run_opts *o, int *status)
{
    migdev_scenario *s = cli_load_scenario(o->file, status);
    if (!s)
        return NULL;
    migdev_error err;
    for (int k = 0; k < o->n_set; k++) {
        migdev_error_clear(&err);
        if (migdev_scenario_set(s, o->set_names[k], o->set_values[k], &err) != 0) {
            *status = cli_usage_error(c, o->set_args[k], o->cmd, "--set: %s", err.message);
            migdev_scenario_free(s);
            return NULL;
        }
    }
    migdev_sim_spec sp = migdev_scenario_spec(s);
    if (o->set_mask & SET_START)
        sp.start = o->spec.start;
    if (o->set_mask & SET_STOP)
        sp.stop = o->spec.stop;
    if (o->set_mask & SET_DT) {
        /* a new dt keeps saving at the old interval unless that no longer fits */
        sp.dt = o->spec.dt;
        if (!(o->set_mask & SET_SAVE) && sp.save_every < sp.dt)
            sp.save_every = sp.dt;
    }
    if (o->set_mask & SET_SAVE)
        sp.save_every = o->spec.save_every;
    if (o->set_mask & SET_METHOD)
        sp.method = o->spec.method;
    if (o->set_mask & SET_ABSTOL)
        sp.abs_tol = o->spec.abs_tol;
    if (o->set_mask & SET_RELTOL)
        sp.rel_tol = o->spec.rel_tol;
    if (o->set_mask & SET_MAXSTEP)
        sp.max_step = o->spec.max_step;
    if (o->set_mask & SET_SEED)
        sp.seed = o->spec.seed;
    migdev_scenario_set_spec(s, &sp);
    if (o->set_mask) {
        migdev_error_clear(&err);
        if (migdev_spec_check(&sp, &err) != 0) {
            *status = cli_usage_error(c, o->spec_arg, o->cmd, "%s", err.message);
            migdev_scenario_free(s);
            return NULL;
        }
    }
    if (o->vars) {
        migdev_error_clear(&err);
        if (migdev_scenario_set_outputs(s, o->vars, &err) != 0) {
            *status = cli_usage_error(c, o->vars_arg, o->cmd, "--vars: %s", err.message);
            migdev_scenario_free(s);
            return NULL;
        }
    }
    if (o->has_format)
        migdev_scenario_set_format(s, strcmp(o->format, "tsv") == 0 ? MIGDEV_TSV : MIGDEV_CSV);
    return s;
}
