#!/usr/bin/env python3
"""Whether two CSV tables hold the same numbers (bench/native.sh; not a test).

    bench/compare_tables.py MIGDEV.csv HAND.csv

Every column of the first (migdev run's table) that the second also has,
at every time of the first, must be the same double (text read back with
float(): the shortest round-trip digits and %.17g name the same number).
Prints the columns compared, or the first difference and exits 1.
"""
import csv
import sys


def read(path):
    with open(path) as f:
        rows = list(csv.reader(f))
    head = rows[0]
    return head, {float(r[0]): dict(zip(head, r)) for r in rows[1:]}


def main():
    ha, a = read(sys.argv[1])
    hb, b = read(sys.argv[2])
    cols = [c for c in ha[1:] if c in hb]
    for t, row in a.items():
        if t not in b:
            print('time %r missing from %s' % (t, sys.argv[2]))
            return 1
        for c in cols:
            x, y = float(row[c]), float(b[t][c])
            if x != y and not (x != x and y != y):
                print('%s at t=%r: %r (migdev) vs %r (hand-written)' % (c, t, x, y))
                return 1
    print('same numbers: %d columns x %d times' % (len(cols), len(a)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
