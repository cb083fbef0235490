#!/usr/bin/env python3
"""Data variables: cost of reading CSV data at load, and of a data variable
in the step loop against the same points pasted as a lookup table.

Not a test: prints numbers. Usage: bench/data.py [MIGDEV_BINARY]
Writes its files to a temporary folder.
"""
import math
import os
import subprocess
import sys
import tempfile
import time

BIN = sys.argv[1] if len(sys.argv) > 1 else "build/migdev"
N_COLS = 10
REPEAT = 5


def best_time(args):
    best = float("inf")
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - t0)
    return best


def write_files(d, n_rows):
    cols = ["c%d" % k for k in range(N_COLS)]
    with open(os.path.join(d, "data.csv"), "w") as f:
        f.write("time," + ",".join(cols) + "\n")
        for i in range(n_rows):
            f.write("%d," % i + ",".join("%.6g" % (math.sin(i * 0.01 * (k + 1)) + 2)
                                         for k in range(N_COLS)) + "\n")
    head = 'time = { start = 0; stop = %d; dt = 0.25; save_every = %d; };\n' % (n_rows - 1, n_rows - 1)
    total = " + ".join(cols)
    with open(os.path.join(d, "data.cfg"), "w") as f:
        f.write(head + "data = (\n" + ",\n".join(
            '  { name = "%s"; file = "data.csv"; column = "%s"; }' % (c, c) for c in cols) + "\n);\n")
        f.write('auxiliaries = ( { name = "total"; equation = "%s"; } );\n' % total)
    # the same points as pasted lookup tables called with time
    with open(os.path.join(d, "lookup.cfg"), "w") as f:
        f.write(head + "lookups = (\n")
        xs = ", ".join("%d" % i for i in range(n_rows))
        for k, c in enumerate(cols):
            ys = ", ".join("%.6g" % (math.sin(i * 0.01 * (k + 1)) + 2) for i in range(n_rows))
            f.write('  { name = "t_%s"; x = [%s]; y = [%s]; }%s\n' % (c, xs, ys, "," if k + 1 < N_COLS else ""))
        f.write(");\nauxiliaries = (\n" + ",\n".join(
            '  { name = "%s"; equation = "t_%s(time)"; }' % (c, c) for c in cols) + ",\n")
        f.write('  { name = "total"; equation = "%s"; } );\n' % total)
    return os.path.getsize(os.path.join(d, "data.csv"))


def main():
    print("data variables: %d columns of one CSV file; best of %d; wall time of the whole command" % (N_COLS, REPEAT))
    print("%8s %10s %14s %14s %14s %14s" % ("rows", "CSV bytes", "check data s", "check lookup s",
                                          "run data s", "run lookup s"))
    with tempfile.TemporaryDirectory() as d:
        for n_rows in (100, 10000, 100000):
            size = write_files(d, n_rows)
            cd = best_time([BIN, "check", os.path.join(d, "data.cfg")])
            cl = best_time([BIN, "check", os.path.join(d, "lookup.cfg")])
            rd = best_time([BIN, "run", os.path.join(d, "data.cfg"), "-o", os.devnull])
            rl = best_time([BIN, "run", os.path.join(d, "lookup.cfg"), "-o", os.devnull])
            print("%8d %10d %14.4f %14.4f %14.4f %14.4f" % (n_rows, size, cd, cl, rd, rl))


if __name__ == "__main__":
    main()
