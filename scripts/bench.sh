#!/usr/bin/env bash
# Benchmarks (not part of the tests): prints numbers.
#   engines: the VM and the native engine against hand-written C, as sweeps
#           (bench/native.sh)
#   parallel: -j1 against -j2 sweeps, interleaved and repeated: CPU per run
#           and wall efficiency with their spread (bench/parallel.sh)
#   engine: steps/s and ns per equation for generated models of growing size
#           and for the example models, euler and rk4.
#   sweep:  runs/s of a 10,000-run sweep at -j1 and -j2, peak memory of a
#           1,000,000-run summary-only sweep (bench/sweep.sh).
#   arrays: load and run of arrayed models against the same written out
#           (bench/arrays.sh).
set -euo pipefail
. "$(dirname "$0")/deps.sh"
migdev_install_deps
migdev_build build-bench -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF
cmake --build "$MIGDEV_ROOT/build-bench" --target migdev_bench migdev -j "$(nproc)" >/dev/null
cd "$MIGDEV_ROOT"

echo "== engines: VM and native against hand-written C (chains, teacup, paper model; sweeps -j1/-j2)"
bench/native.sh build-bench/migdev

echo "== parallel: -j1 against -j2, interleaved and repeated (CPU per run, wall efficiency)"
bench/parallel.sh build-bench/migdev

echo "== engine: per-step cost (generated models: N stocks, 3N auxiliaries, N flows)"
./build-bench/migdev_bench models/examples/*.cfg

echo "== loop analysis: enumeration, polarity and dominance on generated 1,000-variable models"
cmake --build "$MIGDEV_ROOT/build-bench" --target migdev_loops_bench -j "$(nproc)" >/dev/null
./build-bench/migdev_loops_bench

echo "== sweep: runs per second at -j1 and -j2, peak memory of a 1,000,000-run sweep"
cmake --build "$MIGDEV_ROOT/build-bench" --target migdev -j "$(nproc)" >/dev/null
bench/sweep.sh build-bench/migdev

echo "== arrays: an arrayed model against the same model written out by hand (check and run, s)"
bench/arrays.sh build-bench/migdev

echo "== data variables: CSV data at load against the same points pasted as lookup tables"
python3 bench/data.py build-bench/migdev

echo "== migdev serve: a slider move with the paper model (API, and in headless chromium)"
if command -v node >/dev/null && [ -x /usr/bin/chromium ]; then
  migdev_install_npm
  node bench/serve_bench.js build-bench/migdev
else
  echo "skipped: needs node and chromium (scripts/test.sh installs them)"
fi
