/*
** check_units.h - `migdev check --units`: print a model's units findings.
*/
#ifndef MIGDEV_CLI_CHECK_UNITS_H
#define MIGDEV_CLI_CHECK_UNITS_H

#include "migdev/migdev.h"

/* Check the units of scenario s's model, with the scenario's constant
** overrides, and print each finding to stderr as
** `file:line:col: warning|error: message`. Returns EXIT_OK, or EXIT_INPUT
** when there is an error (or, with warnings_fail, a warning). */
int cli_check_units(const migdev_scenario *s, int strict_numbers, int warnings_fail);

#endif
