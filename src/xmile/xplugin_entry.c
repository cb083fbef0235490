/*
** xplugin_entry.c - what migdev_xml.so offers the migdev command
** (xplugin.h): the libxml2 side of the XMILE reader and writer.
*/
#include "xmile/xplugin.h"

#include "migdev/xmile.h"

__attribute__((visibility("default"))) extern const xml_plugin migdev_xml_plugin;
const xml_plugin migdev_xml_plugin = {XPLUGIN_ABI,    xdoc_global_init,
                                      xdoc_read,      xdoc_free,
                                      migdev_model_write_xmile,
                                      xdoc_free_var,  migdev_model_write_xmile_view,
                                      migdev_model_write_layout_dot,
                                      vsheet_read_book};
