/*
** provenance.h - where a constant's or a lookup's numbers come from: one
** of five words, so that a model's claims can be counted (`migdev list
** --provenance`) and checked (`migdev check`, with require_provenance or
** --provenance). The rules are in docs/model-format.md ("Provenance").
*/
#ifndef MIGDEV_PROVENANCE_H
#define MIGDEV_PROVENANCE_H

#include "cfgfile.h"

typedef enum {
    PROV_NONE = 0, /* not said */
    PROV_DATA,     /* read from, or computed from, a data set */
    PROV_PAPER,    /* a number from the paper or the literature */
    PROV_FITTED,   /* estimated by a fit to data (migdev calibrate) */
    PROV_TUNED,    /* set by hand to reproduce a target (tuned_to names it) */
    PROV_ASSUMED,  /* a modelling assumption */
    PROV_COUNT
} provenance;

/* "data", "paper", ...; "" for PROV_NONE. */
const char *prov_name(int p);

/* Read the fields `provenance` and `tuned_to` of group g (what: "constant
** 'x'") into *prov and *target (owned; NULL when absent). Returns 0 or an
** error at the offending field: an unknown word, "tuned" without a
** tuned_to, a tuned_to without "tuned". */
int prov_read(cfgfile *cf, const config_setting_t *g, const char *what, int *prov,
              char **target);

#endif
