#!/usr/bin/env python3
"""The headline results as bands over what is assumed, each sample refitted.

scripts/assumption_bands.py varies the model's assumed constants and keeps
Mexico's fitted constants as they are: a sample there is the model with
other assumptions, fitted under the defaults. Here every sample is fitted
again: for each of the same Latin hypercube samples
(configs/sweep_assumptions.cfg, 1,000 runs, seed 1), `migdev calibrate
configs/countries/mex.cfg` refits Mexico's ten fitted constants to
1990-2014 with the sample's assumptions set, starting from the current fit;
then the four regimes run to 2050 with the sample's assumptions and its own
fit. A sample counts when its refit reproduces Mexico's GDP per person and
recorded remittances within the in-sample target (MAPE below 15 %, the
calibration's own report).

Prints, per regime, the year net migration turns positive for good (the
sweep's last_crossing rule: the last upward crossing of zero, when the run
ends above it) and the 2030 wage asymmetry as median (5-95 %), and the
alternative agenda's effect on the 2050 diaspora against the
remittance-based path, sample by sample. The README and docs/models.md
quote these lines; tests/check_quoted_numbers.sh keeps them equal.

Refits the first 200 of the 1,000 samples (REFIT_SAMPLES: a refit and four
runs take about half a second, so 200 take about two minutes on two cores;
the first 200 points of a Latin hypercube are a random sample of the
space, not a hypercube of their own).

Usage: refit_bands.py [MIGDEV]   (MIGDEV_REFIT_SAMPLES=N: another number of
samples; the quoted lines use the default)
Standard library only.
"""
import concurrent.futures
import csv
import io
import math
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from assumption_bands import REGIMES, NEVER, quantile, reform_settings, year_text  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MIGDEV = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "migdev")
SWEEP = os.path.join(ROOT, "configs", "sweep_assumptions.cfg")
COUNTRY = os.path.join(ROOT, "configs", "countries", "mex.cfg")
MATCH_MAPE = 15.0            # the in-sample target of docs/countries.md
REFIT_SAMPLES = 200
MATCHED_SERIES = ("remittances_recorded_current_usd", "gdp_per_capita")
STOP = 2050.0
ASYMMETRY_YEAR = 2030.0


def design():
    """The sweep's samples: {run: {assumption: value}} (migdev sweep's own
    Latin hypercube, so the samples are those of assumption_bands.py)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "design.csv")
        subprocess.run([MIGDEV, "sweep", SWEEP, "--summary-only", "--no-sensitivity", "-o", out],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        text = open(SWEEP).read()
        names = re.findall(r'\{ name = "(\w+)"; distribution', text)
        with open(out, newline="") as f:
            return {int(r["run"]): {n: r[n] for n in names} for r in csv.DictReader(f)}


FITTED_LINE = re.compile(r"^\s*(\w+) = ([-+0-9.eE]+);\s*# fitted", re.M)
SERIES_LINE = re.compile(r"^(\w+)\s+\w+\s+\d+\s+\S+\s+([0-9.]+)\s", re.M)


def refit(assumptions, tmp):
    """Mexico refitted under these assumptions: (fitted constants, MAPE per
    series), or None when the fit fails."""
    sets = []
    for k, v in assumptions.items():
        sets += ["--set", "%s=%s" % (k, v)]
    fitted = os.path.join(tmp, "fitted.cfg")
    p = subprocess.run([MIGDEV, "calibrate", COUNTRY, "-j", "1", "-o", fitted] + sets,
                       capture_output=True, text=True)
    if p.returncode != 0:
        return None
    report = p.stdout.split("\nseries (model variable)", 1)
    mape = {m.group(1): float(m.group(2)) for m in SERIES_LINE.finditer(report[1])} if len(report) == 2 else {}
    return dict(FITTED_LINE.findall(open(fitted).read())), mape


def last_crossing_up(times, xs):
    """The sweep's last_crossing(x, 0, up) (src/sweep/sweep_metric.c)."""
    for j in range(len(xs) - 1, 0, -1):
        a, b = xs[j - 1], xs[j]
        if a < 0.0 <= b:
            if not xs[-1] >= 0.0:
                return NEVER
            return times[j - 1] + (0.0 - a) / (b - a) * (times[j] - times[j - 1])
    return NEVER


def value_at(times, xs, when):
    for j, t in enumerate(times):
        if t == when:
            return xs[j]
        if t > when:
            f = (when - times[j - 1]) / (t - times[j - 1])
            return xs[j - 1] + f * (xs[j] - xs[j - 1])
    return xs[-1]


def regime_run(regime, sets):
    args = [MIGDEV, "run", os.path.join(ROOT, "configs", regime + ".cfg"), "-q", "--stop", "%g" % STOP,
            "--vars", "net_migration,wage_asymmetry,emigrant_stock", "-o", "-"]
    for s in reform_settings(regime):
        args += ["--set", s]
    p = subprocess.run(args + sets, capture_output=True, text=True)
    if p.returncode != 0:
        return None
    rows = list(csv.DictReader(io.StringIO(p.stdout)))
    t = [float(r["time"]) for r in rows]
    nm = [float(r["net_migration"]) for r in rows]
    wa = [float(r["wage_asymmetry"]) for r in rows]
    return {"reconversion": last_crossing_up(t, nm), "asymmetry": value_at(t, wa, ASYMMETRY_YEAR),
            "diaspora": float(rows[-1]["emigrant_stock"])}


def one_sample(assumptions):
    with tempfile.TemporaryDirectory() as tmp:
        fit = refit(assumptions, tmp)
    if fit is None:
        return None
    fitted, mape = fit
    matched = all(mape.get(s, math.inf) < MATCH_MAPE for s in MATCHED_SERIES)
    sets = []
    for k, v in list(assumptions.items()) + list(fitted.items()):
        sets += ["--set", "%s=%s" % (k, v)]
    runs = {r: regime_run(r, sets) for r in REGIMES}
    if any(v is None for v in runs.values()):
        return None
    return matched, runs


def main():
    samples = design()
    limit = int(os.environ.get("MIGDEV_REFIT_SAMPLES", str(REFIT_SAMPLES)))
    keys = sorted(samples)[:limit]
    jobs = os.cpu_count() or 1
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        results = dict(zip(keys, pool.map(lambda k: one_sample(samples[k]), keys)))
    done = {k: v for k, v in results.items() if v is not None}
    kept = {k: v[1] for k, v in done.items() if v[0]}
    print("refitted: %d of %d samples refitted to Mexico 1990-2014; %d reproduce its GDP per person "
          "and remittances within %.0f %%" % (len(done), len(keys), len(kept), MATCH_MAPE))
    if not kept:
        return
    for r in REGIMES:
        years = sorted(v[r]["reconversion"] for v in kept.values())
        asym = sorted(v[r]["asymmetry"] for v in kept.values())
        share = 100.0 * sum(1 for y in years if not math.isinf(y)) / len(years)
        print("refitted %s: net migration positive for good from %s (5-95 %%: %s-%s; %.0f %% of %d runs "
              "by 2050); 2030 wage asymmetry %.1f (%.1f-%.1f)" % (
                  r, year_text(quantile(years, 0.5)), year_text(quantile(years, 0.05)),
                  year_text(quantile(years, 0.95)), share, len(years),
                  quantile(asym, 0.5), quantile(asym, 0.05), quantile(asym, 0.95)))
    cut = sorted(100.0 * (1.0 - v["alternative_agenda"]["diaspora"] / v["remittance_based"]["diaspora"])
                 for v in kept.values())
    print("refitted alternative agenda: 2050 diaspora %.0f %% smaller than remittance-based (5-95 %%: %.0f-%.0f %%)"
          % (quantile(cut, 0.5), quantile(cut, 0.05), quantile(cut, 0.95)))


if __name__ == "__main__":
    main()
