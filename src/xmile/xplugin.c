/*
** xplugin.c - the migdev command's XMILE functions, loaded on first use.
**
** Stands in for xdoc.c and xexport.c in the command (xplugin.h): each call
** finds migdev_xml.so next to the executable (/proc/self/exe), loads it
** (the loader keeps one copy however often it is asked) and calls the real
** function. When it cannot be loaded, reading or writing XMILE is an error
** that says so; nothing else needs it.
*/
#include "xmile/xplugin.h"

#include "error_int.h"
#include "migdev/xmile.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const xml_plugin *plugin(const char *file, migdev_error *err)
{
    char path[4096];
    const ssize_t n = readlink("/proc/self/exe", path, sizeof path - sizeof XPLUGIN_FILE - 1);
    if (n <= 0) {
        err_set(err, MIGDEV_E_UNSUPPORTED, file, 0, 0,
                "XMILE needs %s, and the executable's folder is unknown", XPLUGIN_FILE);
        return NULL;
    }
    path[n] = '\0';
    char *slash = strrchr(path, '/');
    snprintf(slash ? slash + 1 : path, sizeof path - (size_t)(slash ? slash + 1 - path : 0), "%s",
             XPLUGIN_FILE);
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL); /* never closed: models keep its data */
    const xml_plugin *p = h ? (const xml_plugin *)dlsym(h, XPLUGIN_SYMBOL) : NULL;
    if (!p || p->abi != XPLUGIN_ABI) {
        const char *why = h ? "it is not migdev's" : dlerror();
        err_set(err, MIGDEV_E_UNSUPPORTED, file, 0, 0, "XMILE needs %s: %s", path,
                why ? why : "it cannot be loaded");
        return NULL;
    }
    p->init(); /* xmlInitParser(): cheap after the first call */
    return p;
}

/* The command loads the plug-in, and sets libxml2 up, when it first needs
** them (from the main thread: models are read before threads start). */
void xdoc_global_init(void) {}

int xdoc_read(xdoc *d, const char *file, const char *text, size_t len, migdev_error *err)
{
    memset(d, 0, sizeof *d);
    const xml_plugin *p = plugin(file, err);
    return p ? p->read(d, file, text, len, err) : MIGDEV_E_UNSUPPORTED;
}

void xdoc_free(xdoc *d)
{
    const xml_plugin *p = plugin(NULL, NULL);
    if (p)
        p->free(d);
}

int migdev_model_write_xmile(const migdev_model *m, FILE *f, migdev_error *err)
{
    const xml_plugin *p = plugin(NULL, err);
    return p ? p->write(m, f, err) : MIGDEV_E_UNSUPPORTED;
}

void xdoc_free_var(xvar *v)
{
    const xml_plugin *p = plugin(NULL, NULL);
    if (p)
        p->free_var(v);
}

int migdev_model_write_xmile_view(const migdev_model *m, const double *xy, FILE *f,
                                  migdev_error *err)
{
    const xml_plugin *p = plugin(NULL, err);
    return p ? p->write_view(m, xy, f, err) : MIGDEV_E_UNSUPPORTED;
}

int migdev_model_write_layout_dot(const migdev_model *m, FILE *f, migdev_error *err)
{
    const xml_plugin *p = plugin(NULL, err);
    return p ? p->layout_dot(m, f, err) : MIGDEV_E_UNSUPPORTED;
}

int vsheet_read_book(const char *path, const char *sheet, vsheet *out, migdev_error *err)
{
    memset(out, 0, sizeof *out);
    const xml_plugin *p = plugin(NULL, err);
    return p ? p->read_book(path, sheet, out, err) : MIGDEV_E_UNSUPPORTED;
}
