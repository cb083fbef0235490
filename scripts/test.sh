#!/usr/bin/env bash
# Set up (install what is missing), build warning-free, and run the whole
# test suite with ctest: once in build/ and once under AddressSanitizer +
# UndefinedBehaviorSanitizer in build-asan/.
set -euo pipefail
. "$(dirname "$0")/deps.sh"
migdev_install_deps test
migdev_install_npm
cd "$MIGDEV_ROOT"
jobs=$(nproc)

echo "== build (warnings are errors)"
migdev_build build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMIGDEV_WERROR=ON
echo "== tests"
ctest --test-dir build --output-on-failure -j "$jobs"

if [ "${MIGDEV_SKIP_ASAN:-0}" != 1 ]; then
  echo "== build with AddressSanitizer + UndefinedBehaviorSanitizer"
  migdev_build build-asan -DCMAKE_BUILD_TYPE=Debug -DMIGDEV_WERROR=ON -DMIGDEV_SANITIZE=ON
  echo "== tests under sanitizers"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j "$jobs"
fi
if [ "${MIGDEV_SKIP_FUZZ:-0}" != 1 ]; then
  echo "== fuzz smoke (libFuzzer, ${MIGDEV_FUZZ_SECONDS:-20} s per reader; scripts/fuzz.sh for longer)"
  "$MIGDEV_ROOT/scripts/fuzz.sh" "${MIGDEV_FUZZ_SECONDS:-20}"
fi
echo "all tests passed"
