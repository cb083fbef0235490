/*
** xview.h - the diagram of an exported XMILE file (<views>): which
** variables are linked (for the layout and the connectors), and the view
** itself, drawn at positions the caller laid out (the CLI asks Graphviz).
*/
#ifndef MIGDEV_XMILE_XVIEW_H
#define MIGDEV_XMILE_XVIEW_H

#include <libxml/xmlwriter.h>

#include "model_int.h"

/* The links between visible variables: from[k] is used by to[k] (an
** equation's references; a flow into or out of its stocks). Owned arrays
** (NULL when there are none); -1 when out of memory. */
int xview_links(const migdev_model *m, int **from, int **to, int *n);

/* Write <views><view> with every visible variable at xy[2i], xy[2i+1]
** (points, y downwards), flows as pipes between their stocks (or clouds),
** and a connector per link. Returns 0, or -1 when the writer failed. */
int xview_write(xmlTextWriterPtr tw, const migdev_model *m, const double *xy);

#endif
