#!/usr/bin/env bash
# Issue 10's backtest of Mexico (configs/mexico_backtest.cfg: fitted to
# 1990-2004, scored on 2005-2014). The issue's target is a hold-out MAPE
# below 15 % on every series; docs/countries.md says which series miss it
# and why. This test fails when a series that meets the target (the
# emigrant stock, GDP per capita) goes above it, and when the hold-out
# MAPEs docs/countries.md quotes are not the ones the command prints.
# Usage: check_mexico_backtest.sh MIGDEV SOURCE_DIR
set -euo pipefail
migdev=$1; src=$2
command -v python3 >/dev/null || { echo "SKIP: python3 is not installed"; exit 77; }
report=$("$migdev" calibrate "$src/configs/mexico_backtest.cfg")
python3 - "$src/docs/countries.md" <<PY
import re, sys
report = """$report"""
table = report.split("\nbacktest:", 1)[1]
mape = {m.group(1): float(m.group(2))
        for m in re.finditer(r"^(\w+)\s+\w+\s+\d+\s+\S+\s+([0-9.]+)$", table, re.M)}
TARGET = 15.0
MEETS = ["emigrant_stock", "gdp_per_capita"]
QUOTED = [("remittances_recorded_current_usd", "remittances"), ("emigrant_stock", "emigrant stock"),
          ("gdp_per_capita", "GDP per capita"), ("immigrant_stock", "immigrant stock"),
          ("emigration", "Pew's arrivals"), ("net_migration", "net migration")]
doc = " ".join(open(sys.argv[1]).read().split())
start = doc.index("**Mexico's backtest**")
para = doc[start:start + 600]
fail = 0
for var, label in QUOTED:
    v = mape[var]
    text = "%s %s %%" % (label, ("%.0f" if v >= 100 else "%.1f") % v)
    if text not in para:
        print("FAIL: docs/countries.md does not quote '%s' (the command prints %.3f)" % (text, v))
        fail = 1
for var in MEETS:
    if not mape[var] < TARGET:
        print("FAIL: %s hold-out MAPE %.1f %% is above the %.0f %% target" % (var, mape[var], TARGET))
        fail = 1
    else:
        print("ok   %s hold-out MAPE %.1f %% (target %.0f %%)" % (var, mape[var], TARGET))
sys.exit(fail)
PY
echo "check_mexico_backtest: all checks passed"
