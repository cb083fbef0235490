#!/usr/bin/env python3
"""Copy the shared historical data into data/, one wide file per country.

Reads ../shared/data/{countries_1960_2014,destinations_1960_2024,
us_mexico_drivers_1970_2024}.csv (sources in ../shared/data/README.md and
data/README.md) and writes:

  data/us_mexico_drivers_1970_2024.csv   copied unchanged
  data/destinations_1960_2024.csv        one row a year, a column per
                                         destination and series
  data/countries/<iso3>.csv              one row a year, 1960-2014, every
                                         column of the shared file for that
                                         country plus derived columns (below)

Derived columns (each a stated formula of sourced numbers, nothing fitted):
  natural_increase_rate   (population[t+1] - population[t] - net_migration[t])
                          / population[t]   (births minus deaths per person,
                          WDI SP.POP.TOTL and SM.POP.NETM; last year: empty)
  working_age_share       pop_15_64 / population
  emigrant_stock          emigrant_stock_undesa2020 (renamed, UN points only)
  births                  births in year t: Mexico, crude birth rate x
                          population (WDI SP.DYN.CBRT.IN in
                          us_mexico_drivers); elsewhere (natural increase
                          rate + CRUDE_DEATH_RATE) x population
  cohort_15_29            people aged 15-29 in year t, from the births 15-29
                          years earlier x COHORT_SURVIVAL (so it is known
                          to 2028, or 2029 for Mexico, from births to 2013-14)
  pew_arrivals,           Mexico only: Pew Research Center's gross flows over
  pew_returns             1995-2000, 2005-2010 and 2009-2014, a year (the
                          five-year count / 5), at the period's middle
                          (1998, 2008, 2012; PEW_MEXICO)

Standard library only, so that a fresh machine needs nothing more.
Run from anywhere: python3 scripts/import_data.py [SHARED_DATA_DIR]
"""
import csv
import os
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "data")
OUT = os.path.join(ROOT, "data")
COUNTRIES = ["mex", "slv", "phl", "mar", "kor", "esp", "prt", "irl", "ita"]
# Assumed crude death rates (deaths per person a year, about the 1960-2014
# average of the UN World Population Prospects for each country; only used
# where no birth series is in the data: Mexico before 1970, the others).
CRUDE_DEATH_RATE = {"mex": 0.009, "slv": 0.007, "phl": 0.007, "mar": 0.008, "kor": 0.0055,
                    "esp": 0.0085, "prt": 0.010, "irl": 0.0085, "ita": 0.0095}
COHORT_SURVIVAL = 0.95   # assumed: share of a birth cohort alive at ages 15-29
# Gross flows between Mexico and the United States over five years, by the
# year the period ends: (Mexican-born arrivals in the US, people moving from
# the US to Mexico incl. deportees and US-born children). 1995-2000 and
# 2005-2010: Passel, Cohn & Gonzalez-Barrera, "Net Migration from Mexico
# Falls to Zero - and Perhaps Less", Pew Research Center, 2012 (from the US
# and Mexican censuses of 2000 and 2010); 2009-2014: Gonzalez-Barrera, "More
# Mexicans Leaving Than Coming to the U.S.", Pew Research Center, 2015
# (Mexico's ENADID 2014 and the US Current Population Survey).
# The columns hold each period's yearly mean at the period's middle (mid-1995
# to mid-2000 -> 1998), where the model's yearly flows are compared.
PEW_MEXICO = {1998: (2940000 / 5, 670000 / 5), 2008: (1370000 / 5, 1390000 / 5),
              2012: (870000 / 5, 1000000 / 5)}


def num(s):
    return float(s) if s not in ("", None) else None


def fmt(x):
    return "" if x is None else repr(round(x, 10)) if isinstance(x, float) else str(x)


def write_atomic(path, header, rows):
    tmp = path + ".tmp"
    with open(tmp, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    os.replace(tmp, path)


def mexico_births():
    with open(os.path.join(SHARED, "us_mexico_drivers_1970_2024.csv"), newline="") as f:
        cbr = {int(r["year"]): num(r["mex_crude_birth_rate_per_1000"]) for r in csv.DictReader(f)}
    return {y: v for y, v in cbr.items() if v is not None}


def countries():
    mex_cbr = mexico_births()
    with open(os.path.join(SHARED, "countries_1960_2014.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    cols = [c for c in rows[0].keys() if c not in ("country", "model_group", "year")]
    for iso in COUNTRIES:
        mine = sorted((r for r in rows if r["country"] == iso), key=lambda r: int(r["year"]))
        by_year = {int(r["year"]): r for r in mine}
        header = ["year"] + cols + ["natural_increase_rate", "working_age_share", "emigrant_stock",
                                    "births", "cohort_15_29", "pew_arrivals", "pew_returns"]
        pew = PEW_MEXICO if iso == "mex" else {}
        births = {}
        for r in mine:
            y = int(r["year"])
            pop, nm = num(r["population"]), num(r["net_migration"])
            nxt = by_year.get(y + 1)
            if iso == "mex" and y in mex_cbr and pop:
                births[y] = mex_cbr[y] / 1000.0 * pop
            elif nxt is not None and pop and nm is not None and num(nxt["population"]):
                births[y] = (num(nxt["population"]) - pop - nm) + CRUDE_DEATH_RATE[iso] * pop
        first, last = min(births), max(births)
        cohort = {}
        for y in range(first + 29, last + 16):
            cohort[y] = COHORT_SURVIVAL * sum(births[y - k] for k in range(15, 30))
        out = []
        years = sorted(set(by_year) | set(cohort))
        for y in years:
            r = by_year.get(y)
            if r is None:
                out.append([y] + [""] * (len(header) - 4) + [fmt(cohort[y]), "", ""])
                continue
            y = int(r["year"])
            pop, nm = num(r["population"]), num(r["net_migration"])
            nxt = by_year.get(y + 1)
            ni = None
            if nxt is not None and pop and nm is not None and num(nxt["population"]):
                ni = (num(nxt["population"]) - pop - nm) / pop
            wa = num(r["pop_15_64"])
            was = wa / pop if wa and pop else None
            out.append([y] + [r[c] for c in cols] + [fmt(ni), fmt(was), r["emigrant_stock_undesa2020"],
                                                     fmt(births.get(y)), fmt(cohort.get(y))]
                       + [fmt(v) for v in pew.get(y, (None, None))])
        write_atomic(os.path.join(OUT, "countries", iso + ".csv"), header, out)


def destinations():
    with open(os.path.join(SHARED, "destinations_1960_2024.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    series = [c for c in rows[0].keys() if c not in ("country", "year")]
    dests = sorted({r["country"] for r in rows})
    years = sorted({int(r["year"]) for r in rows})
    cell = {(r["country"], int(r["year"])): r for r in rows}
    header = ["year"] + [d + "_" + s for d in dests for s in series]
    out = []
    for y in years:
        out.append([y] + [cell[(d, y)][s] if (d, y) in cell else "" for d in dests for s in series])
    write_atomic(os.path.join(OUT, "destinations_1960_2024.csv"), header, out)


def main():
    os.makedirs(os.path.join(OUT, "countries"), exist_ok=True)
    shutil.copyfile(os.path.join(SHARED, "us_mexico_drivers_1970_2024.csv"),
                    os.path.join(OUT, "us_mexico_drivers_1970_2024.csv"))
    countries()
    destinations()


if __name__ == "__main__":
    main()
