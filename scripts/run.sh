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
  echo "wrote out/$scenario.csv"
done
