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
