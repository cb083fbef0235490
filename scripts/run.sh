#!/usr/bin/env bash
# Set up (install what is missing, build) and run the main job: the paper's
# three development models and Mexico's alternative agenda compared, CSV and
# figures written under out/.
set -euo pipefail
. "$(dirname "$0")/deps.sh"
migdev_install_deps
migdev_build build -DCMAKE_BUILD_TYPE=Release
cd "$MIGDEV_ROOT"
mkdir -p out

# The engine's smoke run: the teacup (configs/default.cfg).
./build/migdev run configs/default.cfg -o out/default.csv
./build/migdev plot configs/default.cfg -o out/default.png
echo "wrote out/default.csv and out/default.png"

# The three development models and the alternative agenda (docs/models.md):
# each scenario writes its table and its own figure under out/.
regimes=(configs/remittance_based.cfg configs/state_led.cfg
         configs/compensatory_integration.cfg configs/alternative_agenda.cfg)
for scenario in "${regimes[@]}"; do
  ./build/migdev run "$scenario"
  name=$(basename "$scenario" .cfg)
  echo "wrote out/$name.csv and out/$name.png"
done

# Side by side: one panel per headline variable, one line per scenario, and
# the combined table out/development_models.csv.
for ext in png svg; do
  ./build/migdev compare "${regimes[@]}" --title "Development models compared" \
    -o "out/development_models.$ext"
done
echo "wrote out/development_models.png, .svg and .csv"

# The calibration: the remittance-based regime against Mexico's 1980-2014 data
# (the fit again, with its report, fitted scenario and data/model table; the figure).
scripts/calibration_figure.sh

# the results as bands over the assumptions (out/sweep_assumptions_*.csv)
python3 scripts/assumption_bands.py "$PWD/build/migdev"

# the paper's nine countries: fits, backtests, table and figure
MIGDEV_BIN=$PWD/build/migdev scripts/countries.sh
