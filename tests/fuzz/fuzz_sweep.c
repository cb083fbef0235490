/*
** fuzz_sweep.c - libFuzzer harness: the sweep specifications as typed on
** the command line (--param, --metric, --series-runs, --bands, --design),
** one per input line, on the teacup model, then planning the sweep.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "migdev/migdev.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char teacup[] =
    "time = { stop = 10.0; };\n"
    "constants = ( { name = \"room\"; value = 70.0; }, { name = \"tau\"; value = 10.0; } );\n"
    "stocks = ( { name = \"T\"; init = 180.0; outflows = [\"loss\"]; } );\n"
    "flows = ( { name = \"loss\"; equation = \"(T - room) / tau\"; } );\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    char path[] = "/tmp/migdev_fuzz_sweep_XXXXXX";
    const int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        free(text);
        return 0;
    }
    fputs(teacup, f);
    fclose(f);
    migdev_error err;
    migdev_error_clear(&err);
    migdev_scenario *s = migdev_scenario_load(path, &err);
    migdev_sweep *sw = s ? migdev_sweep_load(s, &err) : NULL;
    if (sw) {
        char *save = NULL;
        for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
            migdev_error_clear(&err);
            switch (line[0]) {
            case 'p': migdev_sweep_add_param_text(sw, line + 1, &err); break;
            case 'm': migdev_sweep_add_metric_text(sw, line + 1, &err); break;
            case 'r': migdev_sweep_set_series(sw, line + 1, NULL, &err); break;
            case 'v': migdev_sweep_set_series(sw, NULL, line + 1, &err); break;
            case 'b': migdev_sweep_set_bands(sw, line + 1, &err); break;
            case 'd': migdev_sweep_set_design(sw, line + 1, &err); break;
            case 'n': migdev_sweep_set_runs(sw, strtol(line + 1, NULL, 10) % 100000, &err); break;
            default: break;
            }
        }
        migdev_error_clear(&err);
        migdev_sweep_prepare(sw, &err);
    }
    migdev_sweep_free(sw);
    migdev_scenario_free(s);
    unlink(path);
    free(text);
    return 0;
}
