#!/usr/bin/env bash
# Set up (install what is missing, build) and run the main job: the
# scenarios in configs/ compared, CSV (and figures) written under out/.
set -euo pipefail
. "$(dirname "$0")/deps.sh"
migdev_install_deps
migdev_build build -DCMAKE_BUILD_TYPE=Release
cd "$MIGDEV_ROOT"
mkdir -p out
./build/migdev run configs/default.cfg -o out/default.csv
echo "wrote out/default.csv"
# The paper's three development models and Mexico's alternative agenda
# (docs/models.md); each scenario names its output file under out/.
for scenario in remittance_based state_led compensatory_integration alternative_agenda; do
  ./build/migdev run "configs/$scenario.cfg"
  echo "wrote out/$scenario.csv and out/$scenario.png"
done

# Figures (gnuplot): each run above drew its scenario's figure
# (out/<scenario>.png); here the development models side by side, one panel
# per headline variable (those of the first scenario's figure), one line per
# scenario, with the combined table out/development_models.csv.
./build/migdev plot configs/default.cfg -o out/default.png
echo "wrote out/default.png"
regimes=()
for name in remittance_based state_led compensatory_integration alternative_agenda; do
  [ -f "configs/$name.cfg" ] && regimes+=("configs/$name.cfg")
done
if [ "${#regimes[@]}" -ge 2 ]; then
  for ext in png svg; do
    ./build/migdev compare "${regimes[@]}" --title "Development models compared" \
      -o "out/development_models.$ext"
  done
  echo "wrote out/development_models.png, .svg and .csv"
else
  echo "note: the development-model scenarios (configs/remittance_based.cfg, ...) are missing" >&2
fi
