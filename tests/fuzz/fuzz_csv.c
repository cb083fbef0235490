/*
** fuzz_csv.c - libFuzzer harness: the CSV reader of calibration data
** (calib_data.c, csv_read; to move to the one CSV reader when it lands),
** and every cell read as a number.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "calib/calib_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/migdev_fuzz_csv_XXXXXX";
    const int fd = mkstemp(path);
    if (fd < 0)
        return 0;
    FILE *f = fdopen(fd, "wb");
    if (!f) {
        close(fd);
        unlink(path);
        return 0;
    }
    fwrite(data, 1, size, f);
    fclose(f);
    csv_table t;
    migdev_error err;
    migdev_error_clear(&err);
    if (csv_read(&t, path, &err) == 0) {
        double x;
        for (int i = 0; i < t.n_rows * t.n_cols; i++) {
            migdev_error_clear(&err);
            csv_number(&t.cells[i], path, &x, &err);
        }
        if (t.n_cols > 0)
            csv_column(&t, t.head[0].text);
        csv_free(&t);
    }
    unlink(path);
    return 0;
}
