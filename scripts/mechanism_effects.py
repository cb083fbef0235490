#!/usr/bin/env python3
"""Does a mechanism matter? Refit the nine countries with it switched off
and compare the fit with the model as it is.

For each mechanism (a constant whose value 0 switches it off) this fits
every configs/countries/<iso3>.cfg twice from the neutral start values of
scripts/countries.sh, with the mechanism on and off (the other constants as
the model has them), and prints one line: the mean over the nine countries
of the in-sample MAPE of GDP per capita, remittances and the emigrant stock,
on and off. docs/models.md
quotes the lines (tests/check_quoted_numbers.sh keeps them equal).

Usage: mechanism_effects.py [MIGDEV]   (default ./build/migdev)
Standard library only.
"""
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MIGDEV = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "migdev")
COUNTRIES = ["mex", "slv", "phl", "mar", "kor", "esp", "prt", "irl", "ita"]
# the neutral start values of scripts/countries.sh (same fits as the table)
START = {"emigration_base_rate": 0.005, "return_rate_recent": 0.05, "immigration_base_rate": 0.0005,
         "remittance_propensity": 0.2, "innovation_share": 0.02, "unemployment_sensitivity": 0.05,
         "origin_unemployment_sensitivity": 0.05, "recorded_share_before_break": 0.5,
         "recorded_share_start": 0.5, "formalisation_rate": 0.1, "enforcement_elasticity": 0.5,
         "immigrant_departure_rate": 0.05}
# (label, the constant, its value when on)
MECHANISMS = [("remittance spending at home (less its import leakage)", "remittance_spending_multiplier", 1.0),
              ("export-platform jobs", "platform_jobs_per_wage_bill", 1.0)]
SERIES = [("GDP per capita", "gdp_per_capita"), ("remittances", "remittances_recorded_current_usd"),
          ("emigrant stock", "emigrant_stock")]


def fitted_names(iso):
    text = open(os.path.join(ROOT, "configs", "countries", iso + ".cfg")).read()
    return re.findall(r'^\s*\{ name = "([a-z_]+)"; min = ', text, re.M)


def fit(iso, name, value):
    args = [MIGDEV, "calibrate", os.path.join(ROOT, "configs", "countries", iso + ".cfg"), "-j", "1"]
    for fitted in fitted_names(iso):
        args += ["--set", "%s=%r" % (fitted, START[fitted])]
    args += ["--set", "%s=%r" % (name, value)]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    mape = {}
    for line in out.splitlines():
        f = line.split()
        # variable, data column, points, RMSE, MAPE, then the start's RMSE, MAPE
        if len(f) >= 5 and f[0] in [v for _, v in SERIES] and f[0] not in mape:
            mape[f[0]] = float(f[4])
    return mape


def mean(xs):
    return sum(xs) / len(xs)


def main():
    jobs = [(iso, name, v) for _, name, on in MECHANISMS for v in (on, 0.0) for iso in COUNTRIES]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        results = dict(zip(jobs, pool.map(lambda j: fit(*j), jobs)))
    for label, name, value in MECHANISMS:
        parts = []
        for slabel, var in SERIES:
            on = mean([results[(iso, name, value)][var] for iso in COUNTRIES])
            off = mean([results[(iso, name, 0.0)][var] for iso in COUNTRIES])
            parts.append("%s %.1f %% (off: %.1f %%)" % (slabel, on, off))
        print("%s: mean in-sample MAPE of the nine, %s" % (label, "; ".join(parts)))


if __name__ == "__main__":
    main()
