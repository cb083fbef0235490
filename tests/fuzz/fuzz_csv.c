/*
** fuzz_csv.c - libFuzzer harness: the one CSV reader (src/data/csv.c), in
** both dialects (comma, tab), every cell read as a number, a column looked
** up, and the first two columns read as a time series (src/data/series.c),
** as a data entry does.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "data/csv.h"
#include "data/series.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* csv_parse wants a NUL after the text; NUL bytes inside are errors */
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    for (size_t i = 0; i < size; i++)
        text[i] = (char)data[i];
    text[size] = '\0';
    static const char seps[] = {',', '\t'};
    for (int s = 0; s < 2; s++) {
        csv_table t;
        migdev_error err;
        migdev_error_clear(&err);
        if (csv_parse_sep(&t, "fuzz.csv", text, size, seps[s], &err) != 0) {
            csv_free(&t);
            continue;
        }
        double x;
        for (int i = 0; i < t.n_rows * t.n_cols; i++) {
            migdev_error_clear(&err);
            csv_number(&t.cells[i], "fuzz.csv", &x, &err);
        }
        if (t.n_cols > 1) {
            migdev_error_clear(&err);
            csv_find_column(&t, "fuzz.csv", "value", "column", &err);
            data_points p;
            migdev_error_clear(&err);
            if (data_series_from_table(&t, "fuzz.csv", t.head[0].text, t.head[1].text, &p, &err) ==
                0)
                data_points_free(&p);
        }
        csv_free(&t);
    }
    free(text);
    return 0;
}
