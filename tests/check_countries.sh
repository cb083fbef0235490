#!/usr/bin/env bash
# check_countries: the nine country scenarios load, run and write the
# required outputs; scripts/countries.sh, rerun from the committed
# scenarios, prints exactly the table that docs/countries.md and the README
# quote; the sign-run rules hold on hand-made series
# (tests/test_country_table.py).
# Usage: check_countries.sh MIGDEV SOURCE_DIR
set -euo pipefail
migdev=$(cd "$(dirname "$1")" && pwd)/$(basename "$1"); src=$(cd "$2" && pwd)
command -v python3 >/dev/null || { echo "SKIP: python3 is not installed"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
python3 "$src/tests/test_country_table.py" || fail=1

# each scenario loads, runs, and has the five required outputs
for iso in mex slv phl mar kor esp prt irl ita; do
  "$migdev" check "$src/configs/countries/$iso.cfg"
  "$migdev" run "$src/configs/countries/$iso.cfg" -o "$tmp/$iso.csv"
  head=$(head -1 "$tmp/$iso.csv")
  for v in net_migration remittances_recorded_current_usd emigrant_stock gdp_per_capita gdp_per_capita_ratio; do
    case ",$head," in *",$v,"*) ;; *) echo "FAIL: $iso does not write $v"; fail=1;; esac
  done
done

# a scenario of the model that lists its outputs without one of the five
# required ones is refused by check, at its output variables
cat > "$tmp/missing.cfg" <<CFG
model = "$src/models/migration_development.cfg";
output = { variables = ["net_migration", "remittances_recorded_current_usd",
                        "emigrant_stock", "gdp_per_capita_ratio"]; };
CFG
if "$migdev" check "$tmp/missing.cfg" 2> "$tmp/err"; then
  echo "FAIL: a scenario without gdp_per_capita passed check"; fail=1
elif ! grep -q "missing.cfg:2:.*error: the output variables lack 'gdp_per_capita', which the model requires" "$tmp/err"; then
  echo "FAIL: unexpected message:"; cat "$tmp/err"; fail=1
fi

# the fits from the committed scenarios reproduce the quoted table
( cd "$src" && MIGDEV_BIN=$migdev MIGDEV_COUNTRIES_OUT=$tmp/out MIGDEV_COUNTRIES_FIGURE=$tmp/countries.png \
    scripts/countries.sh > "$tmp/log" 2>&1 ) || { cat "$tmp/log"; echo "FAIL: scripts/countries.sh"; exit 1; }
grep '^| [a-z][a-z][a-z] |' "$tmp/out/countries.md" > "$tmp/want"
for doc in docs/countries.md README.md; do
  grep '^| [a-z][a-z][a-z] |' "$src/$doc" > "$tmp/got" || true
  if ! diff -u "$tmp/want" "$tmp/got"; then echo "FAIL: the table in $doc is not what scripts/countries.sh prints"; fail=1; fi
done
[ -s "$tmp/countries.png" ] || { echo "FAIL: no figure"; fail=1; }
[ $fail = 0 ] && echo "check_countries: all checks passed"
exit $fail
