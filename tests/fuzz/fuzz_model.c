/*
** fuzz_model.c - libFuzzer harness: the model loader and compiler (a
** libconfig model from arbitrary bytes), then a short run of what compiles.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "migdev/migdev.h"

/* Runs of inputs that compile are kept short: the engine, not the time. */
#define MAX_SAVES 200.0

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    if (strlen(text) != size || (size > 0 && text[0] == '<')) { /* NULs; XMILE has its own */
        free(text);
        return 0;
    }
    migdev_error err;
    migdev_error_clear(&err);
    migdev_model *m = migdev_model_load_string(text, "fuzz.cfg", &err);
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
