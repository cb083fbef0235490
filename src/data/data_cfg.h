/*
** data_cfg.h - the `data` section of a model or scenario file (libconfig
** format; docs/model-format.md, "Data").
*/
#ifndef MIGDEV_DATA_CFG_H
#define MIGDEV_DATA_CFG_H

#include "cfgfile.h"
#include "model_int.h"

/* Read the `data` list l of file cf (its files are relative to cf's
** folder) and bind each entry into m, before mb_compile(). replace: the
** entries are a scenario's, and rebind variables of the model. Returns 0
** or an error: at the entry in cf, or at the CSV file's line:col. */
int data_cfg_read(cfgfile *cf, migdev_model *m, const config_setting_t *l, int replace);

/* Load the model file path (load_cfg.c) with the `data` list of scenario
** scen (NULL: none) rebinding its variables before it is compiled. */
migdev_model *model_load_bound(const char *path, cfgfile *scen, const config_setting_t *data,
                               migdev_error *err);

#endif
