#!/usr/bin/env bash
# Draw the calibration figure (model against the Mexican data) into
# out/mexico_calibration.png. Needs a build (scripts/run.sh makes one).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mkdir -p out
tmp=$(mktemp)
trap 'rm -f "$tmp" out/mexico_calibration.png.tmp' EXIT
./build/migdev run configs/mexico_1980_2014.cfg --no-plots \
    --vars remittances_recorded_current_usd,migrant_stock_abroad -o "$tmp"
gnuplot -e "model='$tmp'; data='data/mexico_migration_1970_2014.csv'; out='out/mexico_calibration.png.tmp'" \
    scripts/calibration.gp
mv out/mexico_calibration.png.tmp out/mexico_calibration.png
echo "wrote out/mexico_calibration.png"
