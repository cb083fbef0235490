/*
** xplugin.h - the XMILE plug-in of the migdev command.
**
** The command does not link libxml2 (nor, through it, ICU and libstdc++):
** they cost more start-up time than a whole run of a small model. The
** libxml2 side of the XMILE reader and writer (xdoc.c, xexport.c, xview.c),
** and the workbook reader of Vensim's GET XLS functions (vbook.c), is built
** into migdev_xml.so, next to the command, which xplugin.c loads the first
** time an XMILE file is read or written. Library users link migdev_core,
** which has both sides built in.
*/
#ifndef MIGDEV_XMILE_XPLUGIN_H
#define MIGDEV_XMILE_XPLUGIN_H

#include <stdio.h>

#include "vensim/vsheet.h"
#include "xmile/xdoc.h"

#define XPLUGIN_ABI 3
#define XPLUGIN_SYMBOL "migdev_xml_plugin"
#define XPLUGIN_FILE "migdev_xml.so"

typedef struct xml_plugin {
    int abi;
    void (*init)(void);
    int (*read)(xdoc *d, const char *file, const char *text, size_t len, migdev_error *err);
    void (*free)(xdoc *d);
    int (*write)(const migdev_model *m, FILE *f, migdev_error *err);
    void (*free_var)(xvar *v);
    int (*write_view)(const migdev_model *m, const double *xy, FILE *f, migdev_error *err);
    int (*layout_dot)(const migdev_model *m, FILE *f, migdev_error *err);
    int (*read_book)(const char *path, const char *sheet, vsheet *out, migdev_error *err);
} xml_plugin;

#endif
