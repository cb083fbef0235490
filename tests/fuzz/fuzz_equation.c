/*
** fuzz_equation.c - libFuzzer harness: the equation lexer and parser on
** arbitrary text, then the whole compiler on a model whose auxiliary has
** that equation (names a, b and a lookup t exist).
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migdev/migdev.h"
#include "parser.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *eq = malloc(size + 1);
    if (!eq)
        return 0;
    memcpy(eq, data, size);
    eq[size] = '\0';
    if (strlen(eq) != size) {
        free(eq);
        return 0;
    }
    migdev_error err;
    migdev_error_clear(&err);
    node_free(parse_equation(eq, "fuzz", 1, 1, &err));
    /* the same text inside a model: libconfig's escapes kept out */
    if (!strpbrk(eq, "\"\\\n")) {
        static const char fmt[] =
            "time = { stop = 4.0; };\n"
            "constants = ( { name = \"a\"; value = 2.0; } );\n"
            "stocks = ( { name = \"b\"; init = 1.0; inflows = [\"f\"]; } );\n"
            "flows = ( { name = \"f\"; equation = \"x / 10\"; } );\n"
            "lookups = ( { name = \"t\"; x = [0.0, 1.0]; y = [0.0, 2.0]; } );\n"
            "auxiliaries = ( { name = \"x\"; equation = \"%s\"; } );\n";
        const size_t n = sizeof fmt + size;
        char *text = malloc(n);
        if (text) {
            snprintf(text, n, fmt, eq);
            migdev_error_clear(&err);
            migdev_model *m = migdev_model_load_string(text, "fuzz.cfg", &err);
            if (m) {
                migdev_sim_spec sp = migdev_model_default_spec(m);
                migdev_run *r = migdev_run_new(m, &sp, &err);
                if (r)
                    migdev_run_execute(r, &err);
                migdev_run_free(r);
                migdev_model_free(m);
            }
            free(text);
        }
    }
    free(eq);
    return 0;
}
