/*
** consumer.c - a small program built against an installed migdev (the
** install test builds it with pkg-config, with find_package(migdev), and as
** a parent project's add_subdirectory). It runs exponential decay with
** Euler's method and prints the stock at t = 1 and the library version.
*/
#include <migdev/migdev.h>

#include <stdio.h>
#include <string.h>

static const char model_text[] =
    "name = \"decay\";\n"
    "time = { start = 0.0; stop = 1.0; dt = 0.25; save_every = 0.25; };\n"
    "constants = ( { name = \"k\"; value = 0.1; } );\n"
    "stocks = ( { name = \"x\"; init = 100.0; outflows = [\"loss\"]; } );\n"
    "flows = ( { name = \"loss\"; equation = \"k * x\"; } );\n";

int main(void)
{
    migdev_error err;
    migdev_global_init();
    if (strcmp(migdev_version(), MIGDEV_VERSION_STRING) != 0) {
        fprintf(stderr, "header version %s, library %s\n", MIGDEV_VERSION_STRING,
                migdev_version());
        return 1;
    }
    migdev_model *m = migdev_model_load_string(model_text, "decay.cfg", &err);
    if (!m) {
        char buf[1024];
        fprintf(stderr, "%s\n", migdev_error_format(&err, buf, sizeof buf));
        return 1;
    }
    migdev_run *r = migdev_run_new(m, NULL, &err);
    const int x = migdev_model_find(m, "x");
    if (!r || x < 0 || migdev_run_execute(r, &err) != MIGDEV_OK) {
        migdev_run_free(r);
        migdev_model_free(m);
        return 1;
    }
    const size_t n = migdev_run_n_saves(r);
    printf("migdev %s x(1) = %.10f\n", migdev_version(), migdev_run_series(r, x)[n - 1]);
    migdev_run_free(r);
    migdev_model_free(m);
    return 0;
}
