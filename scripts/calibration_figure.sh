#!/usr/bin/env bash
# Draw the calibration figure (the model against Mexico's data, 1990-2014)
# into out/mexico_calibration.png: migdev calibrate writes data and model
# side by side (--csv), migdev plot draws them. Needs a build
# (scripts/run.sh makes one).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mkdir -p out
./build/migdev calibrate configs/countries/mex.cfg --csv out/mexico_fit.csv > out/mexico_calibration.txt
./build/migdev plot out/mexico_fit.csv --title "Mexico 1990-2014: data and model" \
    -o out/mexico_calibration.png
echo "wrote out/mexico_calibration.txt, out/mexico_fit.csv and out/mexico_calibration.png"
