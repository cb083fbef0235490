#!/usr/bin/env python3
"""Write configs/countries/<iso3>.cfg, the nine country scenarios of
models/migration_development.cfg, from the data and the choices below.

Every initial value is read from data/countries/<iso3>.csv in the start
year (the first year in which every state of the model is observed: the UN
emigrant stock starts in 1990). The choices per country (destination,
labour share, ...) are in COUNTRIES with their reasons; the fitted
constants are kept from an existing scenario file (they are written there
by scripts/countries.sh from migdev calibrate), else the model's defaults
are the starting values.

Standard library only. Run: python3 scripts/make_countries.py [--from-fits DIR]
(--from-fits out/countries takes the fitted values from DIR/<iso3>_fitted.cfg,
as scripts/countries.sh writes them.)
"""
import csv
import os
import re
import statistics

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
START = 1990
STOP = 2030

# iso3: (name, paper's group, destination code, destination name,
#        labour share, recent share of the emigrant stock in 1990,
#        exposure to US border enforcement, remittance recording break
#        (first year of the series used), reason for the destination)
COUNTRIES = {
    "mex": ("Mexico", "remittance-based", "usa", "the United States", 0.30, 0.49, 1.0, 2003,
            "98 % of Mexican emigrants live in the United States (UN DESA 2020)"),
    "slv": ("El Salvador", "remittance-based", "usa", "the United States", 0.35, 0.6, 1.0, None,
            "about 90 % of Salvadoran emigrants live in the United States, most of them crossed the southwest border"),
    "phl": ("the Philippines", "remittance-based", "usa", "the United States", 0.35, 0.5, 0.0, None,
            "the United States holds the largest Filipino diaspora (the Gulf states, the next, are not in the data)"),
    "mar": ("Morocco", "remittance-based", "fra", "France", 0.35, 0.4, 0.0, None,
            "France holds the largest Moroccan diaspora"),
    "kor": ("South Korea", "state-led", "usa", "the United States", 0.50, 0.4, 0.0, None,
            "the United States holds the largest Korean-born population abroad (Japan's Korean minority is mostly born in Japan)"),
    "esp": ("Spain", "compensatory integration", "fra", "France", 0.55, 0.2, 0.0, 2000,
            "France holds the largest Spanish-born population in Europe"),
    "prt": ("Portugal", "compensatory integration", "fra", "France", 0.55, 0.2, 0.0, 2000,
            "France holds the largest Portuguese diaspora"),
    "irl": ("Ireland", "compensatory integration", "usa", "the United States", 0.50, 0.2, 0.0, None,
            "the United Kingdom, the main destination, is not in the data; the United States is the second (and the economy Irish growth followed most closely through foreign investment)"),
    "ita": ("Italy", "compensatory integration", "deu", "Germany", 0.55, 0.2, 0.0, 1992,
            "Germany holds the largest Italian-born population abroad in Europe"),
}

FITTED = ["emigration_base_rate", "return_rate_recent", "immigration_base_rate",
          "remittance_propensity", "recorded_share_before_break", "public_investment_share",
          "innovation_share", "unemployment_sensitivity", "enforcement_elasticity",
          "recorded_share_start", "formalisation_rate", "origin_unemployment_sensitivity",
          "immigrant_departure_rate"]


# Bounds of the fitted constants (min, max; None: unbounded above).
BOUNDS = {"emigration_base_rate": (0.0, 0.2), "return_rate_recent": (0.0, 0.2),
          "immigration_base_rate": (0.0, None), "remittance_propensity": (0.0, 5.0),
          "innovation_share": (0.0, 0.3), "unemployment_sensitivity": (0.0, 0.3),
          "origin_unemployment_sensitivity": (0.0, 0.3), "recorded_share_before_break": (0.0, 1.0),
          "recorded_share_start": (0.0, 1.0), "formalisation_rate": (0.0, 0.5),
          "enforcement_elasticity": (0.0, 3.0), "immigrant_departure_rate": (0.045, 0.14)}
BOUND_MARGIN = 1e-6   # a fit that ends on a bound starts the next one just inside it


def inside(name, value):
    """value moved just inside its bounds (a fit on a bound writes the bound
    itself, and migdev calibrate needs a start strictly inside)."""
    lo, hi = BOUNDS[name]
    x = float(value)
    width = (hi - lo) if hi is not None else max(abs(x), 1.0)
    if x <= lo:
        x = lo + BOUND_MARGIN * width
    if hi is not None and x >= hi:
        x = hi - BOUND_MARGIN * width
    return repr(x)


def bound_text(name):
    lo, hi = BOUNDS[name]
    return "min = %r;%s" % (lo, "" if hi is None else " max = %r;" % hi)


def read_country(iso):
    with open(os.path.join(ROOT, "data", "countries", iso + ".csv"), newline="") as f:
        return {int(r["year"]): r for r in csv.DictReader(f)}


def read_destinations():
    with open(os.path.join(ROOT, "data", "destinations_1960_2024.csv"), newline="") as f:
        return {int(r["year"]): r for r in csv.DictReader(f)}


def us_unemployment():
    with open(os.path.join(ROOT, "data", "us_mexico_drivers_1970_2024.csv"), newline="") as f:
        return {int(r["year"]): float(r["us_unemployment_rate_pct"]) for r in csv.DictReader(f)
                if r["us_unemployment_rate_pct"]}


def kept_fitted(path):
    """Fitted values already in a scenario file (name = value; lines)."""
    if not os.path.exists(path):
        return {}
    text = open(path).read()
    out = {}
    for name in FITTED:
        m = re.search(r"^\s*%s = ([-+0-9.eE]+);" % name, text, re.M)
        if m:
            out[name] = m.group(1)
    return out


def main():
    import sys
    fits = sys.argv[2] if len(sys.argv) > 2 and sys.argv[1] == "--from-fits" else None
    dest = read_destinations()
    usu = us_unemployment()
    for iso, (cname, group, dcode, dname, lshare, recent, enf, brk, why) in COUNTRIES.items():
        c = read_country(iso)
        r0 = c[START]
        if dcode == "usa":
            unemp_file, unemp_col = "../../data/us_mexico_drivers_1970_2024.csv", "us_unemployment_rate_pct"
            normal = statistics.mean(usu[y] for y in range(1991, 2015))
            dcol = None
            unemp_src = "BLS LNU04000000"
        else:
            unemp_file, unemp_col = "../../data/destinations_1960_2024.csv", dcode + "_unemployment_pct"
            normal = statistics.mean(float(dest[y][unemp_col]) for y in range(1991, 2015))
            unemp_src = "World Bank WDI SL.UEM.TOTL.ZS"
        g0 = float(dest[1990][dcode + "_gdp_pc_const2015_usd"])
        g1 = float(dest[2014][dcode + "_gdp_pc_const2015_usd"])
        trend_growth = (g1 / g0) ** (1.0 / 24) - 1
        ppp = (float(dest[START][dcode + "_gdp_pc_maddison2011_ppp"]) / float(r0["gdp_pc_maddison2011_ppp"])) / \
            (float(dest[START][dcode + "_gdp_pc_const2015_usd"]) / float(r0["gdp_pc_const2015_usd"]))
        path = os.path.join(ROOT, "configs", "countries", iso + ".cfg")
        fitted = kept_fitted(os.path.join(fits, iso + "_fitted.cfg") if fits else path)
        lines = []
        w = lines.append
        w("# configs/countries/%s.cfg - %s, %d-%d (written by scripts/make_countries.py;" % (iso, cname, START, STOP))
        w("# the fitted values by scripts/countries.sh). Paper's group: %s." % group)
        w("name = \"%s\";" % cname[0].upper() + cname[1:] if False else "name = \"%s\";" % (cname[0].upper() + cname[1:]))
        w("doc = \"%s %d-%d (the paper's %s model), emigrating to %s.\";" % (cname[0].upper() + cname[1:], START, STOP, group, dname))
        w("model = \"../../models/migration_development.cfg\";")
        w("time = { start = %.1f; stop = %.1f; };" % (START, STOP))
        w("# Destination: %s. Why: %s." % (dname, why))
        w("data = (")
        w("  { name = \"destination_gdp_per_capita\"; file = \"../../data/destinations_1960_2024.csv\";")
        w("    time_column = \"year\"; column = \"%s_gdp_pc_const2015_usd\"; units = \"USD/(person*year)\";" % dcode)
        w("    interpolation = \"linear\"; outside = \"hold\"; },")
        w("  { name = \"destination_unemployment\"; file = \"%s\";" % unemp_file)
        w("    time_column = \"year\"; column = \"%s\"; units = \"percent\";" % unemp_col)
        w("    interpolation = \"linear\"; outside = \"hold\"; },")
        w("  { name = \"natural_increase_rate\"; file = \"../../data/countries/%s.csv\";" % iso)
        w("    time_column = \"year\"; column = \"natural_increase_rate\"; units = \"1/year\";")
        w("    interpolation = \"linear\"; outside = \"hold\"; },")
        w("  { name = \"origin_unemployment_data\"; file = \"../../data/countries/%s.csv\";" % iso)
        w("    time_column = \"year\"; column = \"unemployment_pct\"; units = \"percent\";")
        w("    interpolation = \"linear\"; outside = \"hold\"; },")
        w("  { name = \"young_cohort\"; file = \"../../data/countries/%s.csv\";" % iso)
        w("    time_column = \"year\"; column = \"cohort_15_29\"; units = \"people\";")
        w("    interpolation = \"linear\"; outside = \"hold\"; },")
        w("  { name = \"working_age_share\"; file = \"../../data/countries/%s.csv\";" % iso)
        w("    time_column = \"year\"; column = \"working_age_share\"; units = \"dimensionless\";")
        w("    interpolation = \"linear\"; outside = \"hold\"; }")
        w(");")
        w("set = {")
        w("  # initial state: data/countries/%s.csv, %d" % (iso, START))
        w("  population_start = %s;           # WDI SP.POP.TOTL" % r0["population"])
        w("  emigrant_stock_start = %s;       # UN DESA 2020 origin total" % r0["emigrant_stock"])
        w("  immigrant_stock_start = %s;       # UN DESA (WDI SM.POP.TOTL)" % r0["immigrant_stock"])
        w("  gdp_per_capita_start = %s;       # WDI NY.GDP.PCAP.KD" % r0["gdp_pc_const2015_usd"])
        w("  recent_migrant_share_start = %s;  # assumed%s" % (recent, " (US censuses 1980 and 1990)" if iso == "mex" else ""))
        w("  # destination and country facts")
        w("  normal_unemployment = %.4f;      # mean of %s for the destination, 1991-2014" % (normal, unemp_src))
        w("  purchasing_power_correction = %.4f; # the GDP per person ratio at PPP over the ratio at market prices, %d (Maddison, WDI)" % (ppp, START))
        w("  destination_trend_growth = %.5f; # destination GDP per person, mean growth 1990-2014 (WDI)" % trend_growth)
        onormal = statistics.mean(float(c[y]["unemployment_pct"]) for y in range(1991, 2015))
        w("  origin_normal_unemployment = %.4f; # mean of WDI SL.UEM.TOTL.ZS 1991-2014" % onormal)
        w("  labour_share = %s;               # assumed (ILO labour income share, order of magnitude)" % lshare)
        w("  enforcement_exposure = %s;       # 1: emigrants cross the US southwest border" % enf)
        if brk is None:
            w("  recording_break_year = %.1f;     # no break in the remittance series used" % START)
            w("  recorded_share_before_break = 1.0;")
        elif iso == "mex":
            w("  recording_break_year = %.1f;     # data/README.md" % brk)
        else:
            w("  recording_break_year = %.1f;     # data/README.md: level break; the fit compares from here" % brk)
            w("  recorded_share_before_break = 1.0;")
        if iso != "mex" and "recorded_share_start" not in fitted:
            fitted["recorded_share_start"] = "0.5"
        w("  # fitted by scripts/countries.sh (migdev calibrate on this file, %d-2014)" % START)
        for name in FITTED:
            if name == "recorded_share_before_break" and iso != "mex":
                continue
            if name == "enforcement_elasticity" and enf == 0.0:
                continue
            if name in fitted:
                w("  %s = %s;" % (name, inside(name, fitted[name])))
        w("};")
        w("output = { file = \"../../out/countries/%s.csv\";" % iso)
        w("           variables = [\"net_migration\", \"remittances_recorded_current_usd\", \"emigrant_stock\",")
        w("                        \"gdp_per_capita\", \"gdp_per_capita_ratio\", \"net_migration_per_1000\",")
        w("                        \"emigration\", \"returns_recent\", \"returns_settled\", \"removals\", \"immigration\",")
        w("                        \"immigrant_stock\", \"immigrant_departures\",")
        w("                        \"wage_asymmetry\", \"technology\", \"development_effort\", \"remittance_dependence\"]; };")
        w("calibrate = {")
        w("  data = \"../../data/countries/%s.csv\";" % iso)
        w("  time_column = \"year\";")
        w("  from = %.1f; to = 2014.0;" % START)
        w("  objective = \"absolute\";")
        w("  max_iterations = 500;")
        w("  ftol = 1e-7;")
        w("  series = (")
        rfrom = "" if brk is None or iso == "mex" else " from = %.1f;" % brk
        w("    { variable = \"remittances_recorded_current_usd\"; column = \"remittances_usd\";%s }," % rfrom)
        w("    { variable = \"emigrant_stock\"; column = \"emigrant_stock\"; },")
        w("    { variable = \"immigrant_stock\"; column = \"immigrant_stock\"; },")
        if iso == "mex":
            w("    { variable = \"emigration\"; column = \"pew_arrivals\"; },")
        w("    { variable = \"net_migration\"; column = \"net_migration\"; weight = 0.5; },")
        w("    { variable = \"gdp_per_capita\"; column = \"gdp_pc_const2015_usd\"; weight = 2.0; }")
        w("  );")
        w("  parameters = (")
        names = ["emigration_base_rate", "return_rate_recent", "immigration_base_rate",
                 "remittance_propensity", "innovation_share", "unemployment_sensitivity",
                 "origin_unemployment_sensitivity", "immigrant_departure_rate"]
        names += ["recorded_share_before_break"] if iso == "mex" else ["recorded_share_start", "formalisation_rate"]
        names += ["enforcement_elasticity"] if enf else []
        ps = ["    { name = \"%s\"; %s }" % (n, bound_text(n)) for n in names]
        w(",\n".join(ps))
        w("  );")
        w("};")
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            f.write("\n".join(lines) + "\n")
        os.replace(tmp, path)


if __name__ == "__main__":
    main()
