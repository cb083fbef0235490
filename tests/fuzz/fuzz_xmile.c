/*
** fuzz_xmile.c - libFuzzer harness: the XMILE reader (libxml2, then the
** model builder) on arbitrary bytes, and a short run of what loads.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "migdev/migdev.h"

#define MAX_SAVES 200.0

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the reader takes text: a leading '<' marks XMILE */
    char *text = malloc(size + 2);
    if (!text)
        return 0;
    text[0] = '<';
    memcpy(text + 1, data, size);
    text[size + 1] = '\0';
    migdev_error err;
    migdev_error_clear(&err);
    migdev_model *m = migdev_model_load_string(text, "fuzz.xmile", &err);
    if (m) {
        migdev_sim_spec sp = migdev_model_default_spec(m);
        if (sp.save_every > 0 && (sp.stop - sp.start) / sp.save_every <= MAX_SAVES &&
            (sp.stop - sp.start) / sp.dt <= 10 * MAX_SAVES) {
            migdev_run *r = migdev_run_new(m, &sp, &err);
            if (r)
                migdev_run_execute(r, &err);
            migdev_run_free(r);
        }
        migdev_model_free(m);
    }
    free(text);
    return 0;
}
