/*
** gpquote.c - gnuplot single-quoted string constants (see gpquote.h for
** why this form and these two rules).
*/
#include "gpquote.h"

void gp_quote(FILE *f, const char *s)
{
    fputc('\'', f);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '\'')
            fputs("''", f);
        else if (*p < 0x20 || *p == 0x7f)
            fputc(' ', f); /* a newline would end the command */
        else
            fputc(*p, f);
    }
    fputc('\'', f);
}
