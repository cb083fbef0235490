/*
** cfgwrite.c - writing libconfig text that migdev reads back (cfgwrite.h).
*/
#include "cfgwrite.h"

#include "migdev/output.h"

#include <ctype.h>
#include <string.h>

void cfgw_string(FILE *f, const char *s, const char *suffix)
{
    fputc('"', f);
    for (; *s; s++) {
        const unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(f, "\\%c", ch);
        else if (ch == '\n')
            fputs("\\n", f);
        else if (ch == '\t')
            fputs("\\t", f);
        else if (ch < 0x20)
            fprintf(f, "\\x%02x", ch);
        else
            fputc(ch, f);
    }
    fputs(suffix, f);
    fputc('"', f);
}

const char *cfgw_float(double x, char buf[CFGW_FLOAT_CHARS])
{
    migdev_format_number(x, buf);
    if (!strpbrk(buf, ".eEn"))
        strcat(buf, ".0");
    return buf;
}

int cfgw_name_ok(const char *name)
{
    if (!isalpha((unsigned char)name[0]) && name[0] != '*')
        return 0;
    for (const char *p = name; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' && *p != '*')
            return 0;
    return 1;
}
