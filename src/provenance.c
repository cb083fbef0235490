/*
** provenance.c - the provenance words and their fields (provenance.h).
*/
#include "provenance.h"

#include "error_int.h"

#include <stdlib.h>
#include <string.h>

static const char *const names[PROV_COUNT] = {"", "data", "paper", "fitted", "tuned", "assumed"};

const char *prov_name(int p) { return p > PROV_NONE && p < PROV_COUNT ? names[p] : ""; }

int prov_read(cfgfile *cf, const config_setting_t *g, const char *what, int *prov,
              char **target)
{
    const char *word = NULL, *to = NULL;
    int rc;
    *prov = PROV_NONE;
    *target = NULL;
    if ((rc = cfg_get_string(cf, g, "provenance", &word)) < 0 ||
        (rc = cfg_get_string(cf, g, "tuned_to", &to)) < 0)
        return rc;
    const config_setting_t *ps = config_setting_get_member(g, "provenance");
    const config_setting_t *ts = config_setting_get_member(g, "tuned_to");
    if (word) {
        for (int p = PROV_NONE + 1; p < PROV_COUNT; p++)
            if (strcmp(word, names[p]) == 0)
                *prov = p;
        if (*prov == PROV_NONE)
            return cfg_error(cf, ps, MIGDEV_E_SYNTAX,
                             "unknown provenance '%s' of %s (data, paper, fitted, tuned or "
                             "assumed)",
                             word, what);
    }
    if (*prov == PROV_TUNED && (!to || !to[0]))
        return cfg_error(cf, to ? ts : ps, MIGDEV_E_SYNTAX,
                         "%s is tuned: name the target it was tuned to, as tuned_to = \"...\"",
                         what);
    if (to && *prov != PROV_TUNED)
        return cfg_error(cf, ts, MIGDEV_E_SYNTAX,
                         "tuned_to of %s goes with provenance = \"tuned\"", what);
    if (to && !(*target = strdup(to)))
        return err_set(cf->err, MIGDEV_E_NOMEM, cf->path, 0, 0, "out of memory");
    return 0;
}
