/*
** ast.c - allocate and free expression trees.
*/
#include "ast.h"
#include "migdev/error.h"

#include <stdlib.h>
#include <string.h>

node *node_new(node_kind kind, int line, int col, const char *name, size_t name_len)
{
    node *n = calloc(1, sizeof *n);
    if (!n)
        return NULL;
    n->kind = kind;
    n->line = line;
    n->col = col;
    n->ref = -1;
    n->fn = -1;
    n->height = 1;
    if (name) {
        n->name = malloc(name_len + 1);
        if (!n->name) {
            free(n);
            return NULL;
        }
        memcpy(n->name, name, name_len);
        n->name[name_len] = '\0';
    }
    return n;
}

int node_push(node *parent, node *child)
{
    node **a = realloc(parent->args, (size_t)(parent->nargs + 1) * sizeof *a);
    if (!a) {
        node_free(child);
        return MIGDEV_E_NOMEM;
    }
    parent->args = a;
    parent->args[parent->nargs++] = child;
    if (child->height >= parent->height)
        parent->height = child->height + 1;
    return 0;
}

void node_free(node *n)
{
    if (!n)
        return;
    for (int i = 0; i < n->nargs; i++)
        node_free(n->args[i]);
    free(n->args);
    free(n->name);
    free(n);
}
