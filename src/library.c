/*
** library.c - version and the one process-wide set-up call.
*/
#include "migdev/migdev.h"

#include <gsl/gsl_errno.h>

#include "xmile/xdoc.h"

const char *migdev_version(void)
{
    return MIGDEV_VERSION_STRING;
}

void migdev_global_init(void)
{
    gsl_set_error_handler_off();
    xdoc_global_init(); /* libxml2's own set-up must not race between threads */
}
