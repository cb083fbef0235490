#!/usr/bin/env bash
# Benchmarks (not part of the tests): prints numbers.
#   engine: steps/s and ns per equation for generated models of growing size
#           and for the example models, euler and rk4.
set -euo pipefail
. "$(dirname "$0")/deps.sh"
migdev_install_deps
migdev_build build-bench -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF
cmake --build "$MIGDEV_ROOT/build-bench" --target migdev_bench -j "$(nproc)" >/dev/null
cd "$MIGDEV_ROOT"

echo "== engine: per-step cost (generated models: N stocks, 3N auxiliaries, N flows)"
./build-bench/migdev_bench models/examples/*.cfg
