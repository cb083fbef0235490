/*
** fuzz_vensim.c - libFuzzer harness: the Vensim .mdl reader (entries,
** subscripts, macros, GET functions reading the CSV beside the model, data
** equations) on arbitrary bytes, and a short run of what loads.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "migdev/migdev.h"

#define MAX_SAVES 200.0

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The model's folder: a fresh one holding data.csv, for GET DIRECT ... */
static char model_path[256];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char dir[] = "/tmp/migdev_fuzz_vensim_XXXXXX";
    if (!mkdtemp(dir))
        return 0;
    char csv[300];
    snprintf(csv, sizeof csv, "%s/data.csv", dir);
    FILE *f = fopen(csv, "w");
    if (f) {
        fputs("time,a,b\n0,1,10\n2,5,\n4,3,30\n", f);
        fclose(f);
    }
    snprintf(model_path, sizeof model_path, "%s/fuzz.mdl", dir);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the reader takes text: "{UTF-8}" marks Vensim */
    static const char head[] = "{UTF-8}\n";
    char *text = malloc(size + sizeof head);
    if (!text)
        return 0;
    memcpy(text, head, sizeof head - 1);
    memcpy(text + sizeof head - 1, data, size);
    text[size + sizeof head - 1] = '\0';
    migdev_error err;
    migdev_error_clear(&err);
    migdev_model *m = migdev_model_load_string(text, model_path[0] ? model_path : "fuzz.mdl", &err);
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
