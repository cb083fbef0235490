#!/usr/bin/env python3
"""Print the headline numbers of the four regime scenarios, as the README
and docs/models.md quote them (tests/check_quoted_numbers.sh keeps the two
equal).  Usage: regime_numbers.py [MIGDEV]   (default ./build/migdev)

For each regime: the year from which net migration stays positive to 2050
(its reconversion; "none" when it does not), and for the alternative agenda
against the remittance-based path in 2050: how much smaller the emigrant
stock and the remittance dependence are.
"""
import csv
import io
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MIGDEV = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "migdev")
REGIMES = ["remittance_based", "state_led", "compensatory_integration", "alternative_agenda"]


def run(name):
    out = subprocess.run([MIGDEV, "run", os.path.join(ROOT, "configs", name + ".cfg"), "-q", "-o", "-",
                          "--vars", "net_migration,emigrant_stock,remittance_dependence"],
                         check=True, capture_output=True, text=True).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    return {float(r["time"]): {k: float(v) for k, v in r.items() if k != "time"} for r in rows}


def reconversion(r):
    year = None
    for t in sorted(r):
        if r[t]["net_migration"] > 0:
            year = t if year is None else year
        else:
            year = None
    return "none" if year is None else "%d" % year


def main():
    runs = {}
    for name in REGIMES:
        try:
            runs[name] = run(name)
        except subprocess.CalledProcessError:
            # an older migdev without -q
            out = subprocess.run([MIGDEV, "run", os.path.join(ROOT, "configs", name + ".cfg"), "-o", "-",
                                  "--vars", "net_migration,emigrant_stock,remittance_dependence"],
                                 check=True, capture_output=True, text=True).stdout
            rows = list(csv.DictReader(io.StringIO(out)))
            runs[name] = {float(x["time"]): {k: float(v) for k, v in x.items() if k != "time"} for x in rows}
    for name in REGIMES:
        print("reconversion %s: %s" % (name, reconversion(runs[name])))
    a, b = runs["alternative_agenda"][2050.0], runs["remittance_based"][2050.0]
    print("agenda 2050: emigrant stock %.0f %% smaller, remittance dependence %.0f %% lower" % (
        100 * (1 - a["emigrant_stock"] / b["emigrant_stock"]),
        100 * (1 - a["remittance_dependence"] / b["remittance_dependence"])))


if __name__ == "__main__":
    main()
