#!/usr/bin/env bash
# Install the Debian packages migdev needs, when any is missing.
# Sourced by run.sh, test.sh and bench.sh; safe to run again (does nothing
# when everything is there). `migdev_install_deps test` adds the packages of
# the tests only (chromium, node and npm for the browser test).
set -euo pipefail

MIGDEV_PACKAGES=(
  build-essential cmake pkg-config   # compiler and build
  libgsl-dev                         # ODE solvers, RNG, linear algebra
  libconfig-dev                      # model and scenario files
  libxml2-dev                        # XMILE models; tests read the SVG figures
  libzip-dev libfreexl-dev           # Vensim GET XLS: .xlsx (zip of XML) and .xls workbooks
  libmicrohttpd-dev libjansson-dev   # migdev serve: HTTP server, JSON
  check                              # unit tests
  gnuplot-nox                        # figures (called at run time)
  graphviz                           # causal-loop diagrams (dot, called at run time)
  libopenmpi-dev openmpi-bin         # migdev sweep across machines (MPI)
  time                               # benchmarks: peak memory (/usr/bin/time -v)
  python3 python3-pandas             # scripts/countries.sh, import_data.py, the country table; the Python module (python/)
  python3-pytest python3-venv        # its tests; pip install ./python in a venv
  python3-matplotlib                 # python/examples/compare_regimes.py
  dpkg-dev                           # cpack -G DEB (dpkg-shlibdeps)
)
# Only for the tests (scripts/test.sh: migdev_install_deps test)
MIGDEV_TEST_PACKAGES=(
  chromium nodejs                    # browser test of migdev serve (with playwright-core from npm)
  clang libclang-rt-14-dev           # fuzzing: libFuzzer (scripts/fuzz.sh, smoke in test.sh)
)

migdev_missing_packages() {
  local p missing=() want=("${MIGDEV_PACKAGES[@]}")
  [ "${1:-}" = test ] && want+=("${MIGDEV_TEST_PACKAGES[@]}")
  for p in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  echo "${missing[@]:-}"
}

migdev_install_deps() {
  local missing
  missing=$(migdev_missing_packages "${1:-}")
  # npm: Debian's package, unless a node distribution already brings the command
  if [ "${1:-}" = test ] && ! command -v npm >/dev/null; then missing="${missing:+$missing }npm"; fi
  [ -z "$missing" ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "error: need root or sudo to install: $missing" >&2; return 1; }
    sudo="sudo"
  fi
  echo "installing: $missing" >&2
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  # shellcheck disable=SC2086
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

# The browser test's npm packages (tests/browser/package-lock.json) into
# tests/browser/node_modules, when missing or older than the lock file.
migdev_install_npm() {
  local dir="$MIGDEV_ROOT/tests/browser"
  if [ ! -d "$dir/node_modules/playwright-core" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules" ]; then
    echo "installing the browser test's npm packages (tests/browser)" >&2
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) && touch "$dir/node_modules"
  fi
}

# Configure and build into $1 with extra cmake arguments.
migdev_build() {
  local dir=$1; shift
  cmake -S "$MIGDEV_ROOT" -B "$MIGDEV_ROOT/$dir" "$@" >/dev/null
  cmake --build "$MIGDEV_ROOT/$dir" -j "$(nproc)" -- --no-print-directory >/dev/null
}

MIGDEV_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export MIGDEV_ROOT
