/*
** units_names.c - base-unit names: synonyms, letter case, interning.
**
** Units are compared by name, ignoring letter case. A few common synonyms
** are folded into one unit (the first spelling of each row below is the
** one shown); any other name is a base unit of its own, shown as first
** seen. The table is owned by its caller: no global state.
*/
#include "units/units.h"
#include "migdev/error.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Each row: the canonical spelling, then its synonyms; NULL ends a row. */
static const char *const synonyms[][6] = {
    {"year", "years", "yr", "yrs", NULL},
    {"quarter", "quarters", NULL},
    {"month", "months", "mo", NULL},
    {"week", "weeks", "wk", NULL},
    {"day", "days", NULL},
    {"hour", "hours", "hr", "hrs", NULL},
    {"minute", "minutes", "min", "mins", NULL},
    {"second", "seconds", "sec", "s", NULL},
    {"people", "person", "persons", NULL},
    {"household", "households", NULL},
    {"percent", "%", NULL},
};

/* Words for "no units" (dimensionless); "1" is handled by the parser. */
static const char *const one_words[] = {"dimensionless", "dmnl", "unitless"};

static int word_is(const char *s, size_t len, const char *w)
{
    return strlen(w) == len && strncasecmp(s, w, len) == 0;
}

/* A synonym stands for its row's first spelling. */
static void fold_synonym(const char **s, size_t *len)
{
    for (size_t r = 0; r < sizeof synonyms / sizeof synonyms[0]; r++)
        for (int k = 0; synonyms[r][k]; k++)
            if (word_is(*s, *len, synonyms[r][k])) {
                *s = synonyms[r][0];
                *len = strlen(*s);
                return;
            }
}

void units_names_init(units_names *t)
{
    t->name = NULL;
    t->n = t->cap = 0;
}

void units_names_free(units_names *t)
{
    for (int i = 0; i < t->n; i++)
        free(t->name[i]);
    free(t->name);
    units_names_init(t);
}

const char *units_names_get(const units_names *t, int id)
{
    return id >= 0 && id < t->n ? t->name[id] : "?";
}

int units_names_intern(units_names *t, const char *s, size_t len, int *is_one)
{
    *is_one = 0;
    for (size_t i = 0; i < sizeof one_words / sizeof one_words[0]; i++)
        if (word_is(s, len, one_words[i])) {
            *is_one = 1;
            return MIGDEV_E_NAME;
        }
    fold_synonym(&s, &len);
    for (int i = 0; i < t->n; i++)
        if (word_is(s, len, t->name[i]))
            return i;
    if (t->n == t->cap) {
        const int cap = t->cap ? 2 * t->cap : 16;
        char **p = realloc(t->name, (size_t)cap * sizeof *p);
        if (!p)
            return MIGDEV_E_NOMEM;
        t->name = p;
        t->cap = cap;
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return MIGDEV_E_NOMEM;
    memcpy(copy, s, len);
    copy[len] = '\0';
    t->name[t->n] = copy;
    return t->n++;
}
