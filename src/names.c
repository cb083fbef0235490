/*
** names.c - variable names: validity, reserved words, edit distance,
** "did you mean" suggestions.
*/
#include "builtins.h"
#include "model_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int is_name_char(int c) { return isalnum(c) || c == '_' || c == '.'; }

int name_is_valid(const char *s)
{
    if (!s || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
        return 0;
    const char *p = s + 1;
    while (is_name_char((unsigned char)*p))
        p++;
    if (!*p)
        return 1;
    /* an element of an arrayed variable: name[a,b] (src/arrays_cfg.c) */
    if (*p != '[')
        return 0;
    for (p++;;) {
        const char *e = p;
        while (is_name_char((unsigned char)*p))
            p++;
        if (p == e)
            return 0;
        if (*p == ']')
            return p[1] == '\0';
        if (*p != ',')
            return 0;
        p++;
    }
}

int name_is_reserved(const char *name)
{
    static const char *const words[] = {"and", "or", "not"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcasecmp(words[i], name) == 0)
            return 1;
    return builtin_find(name) != NULL;
}

/* Case-insensitive Levenshtein distance with an early exit above cap. */
int name_distance(const char *a, const char *b, int cap)
{
    const size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return strcasecmp(a, b) == 0 ? 0 : cap + 1;
    if ((la > lb ? la - lb : lb - la) > (size_t)cap)
        return cap + 1;
    int prev[65], cur[65];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = (int)i;
        int row_min = cur[0];
        for (size_t j = 1; j <= lb; j++) {
            const int same = tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]);
            int d = prev[j - 1] + (same ? 0 : 1);
            if (prev[j] + 1 < d)
                d = prev[j] + 1;
            if (cur[j - 1] + 1 < d)
                d = cur[j - 1] + 1;
            cur[j] = d;
            if (d < row_min)
                row_min = d;
        }
        if (row_min > cap)
            return cap + 1;
        memcpy(prev, cur, (lb + 1) * sizeof prev[0]);
    }
    return prev[lb];
}

int name_closeness(const char *typed, const char *cand, int cap)
{
    const int d = name_distance(typed, cand, cap);
    if (d <= cap)
        return d;
    const size_t n = strlen(typed);
    if (n >= 4 && strlen(cand) > n && strncasecmp(typed, cand, n) == 0)
        return cap; /* an abbreviation: room_temp for room_temperature */
    return cap + 1;
}

void name_hint_init(name_hint *h, const char *typed)
{
    const size_t len = strlen(typed);
    h->typed = typed;
    h->cap = len <= 3 ? 1 : (len <= 8 ? 2 : 3);
    h->best_d = h->cap + 1;
    h->best = NULL;
}

void name_hint_offer(name_hint *h, const char *cand, const char *shown)
{
    const int d = name_closeness(h->typed, cand, h->cap);
    if (d < h->best_d) {
        h->best_d = d;
        h->best = shown ? shown : cand;
    }
}
