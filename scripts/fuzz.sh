#!/usr/bin/env bash
# Fuzz the readers with libFuzzer (tests/fuzz/): build the harnesses with
# clang into build-fuzz/, seed each corpus from the shipped files, and run
# each harness for SECONDS (default 60). Prints the executions each reached;
# exits 1 at the first finding (crash, leak, undefined behaviour, timeout),
# whose input libFuzzer saves in build-fuzz/findings/.
#   scripts/fuzz.sh [SECONDS] [HARNESS...]   (harnesses: model equation xmile vensim sweep csv)
set -euo pipefail
. "$(dirname "$0")/deps.sh"
cd "$MIGDEV_ROOT"
seconds=${1:-60}
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -eq 0 ] && harnesses=(model equation xmile vensim sweep csv)
command -v clang >/dev/null || { echo "error: clang is needed (apt-get install clang libclang-rt-14-dev)" >&2; exit 1; }

dir=build-fuzz
CC=clang cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DMIGDEV_FUZZ=ON -DBUILD_TESTING=OFF \
  -DMIGDEV_MPI=OFF -DMIGDEV_WERROR=ON >/dev/null
targets=()
for h in "${harnesses[@]}"; do targets+=(--target "fuzz_$h"); done
cmake --build "$dir" -j "$(nproc)" "${targets[@]}" -- --no-print-directory >/dev/null

# seed corpora from the shipped files
seed() { # harness, files...
  local c="$dir/corpus/$1"; shift
  mkdir -p "$c"
  for f in "$@"; do [ -f "$f" ] && cp -f "$f" "$c/seed_$(basename "$f")"; done
  return 0
}
seed model models/*.cfg models/examples/*.cfg tests/models/*.cfg
seed xmile models/examples/*.xmile tests/conformance/selftest/*/model.xmile
seed csv data/*.csv configs/examples/*.csv
seed vensim models/examples/*.mdl tests/models/vensim/*.mdl
mkdir -p "$dir/corpus/equation" "$dir/corpus/sweep"
# equations: each shipped equation on its own
grep -ho 'equation = "[^"]*"' models/*.cfg models/examples/*.cfg 2>/dev/null | sed 's/^equation = "//; s/"$//' |
  awk '{ f = sprintf("'"$dir"'/corpus/equation/seed_%04d", NR); printf "%s", $0 > f; close(f) }'
printf 'proom=60:80:5\nmfinal(T)\nr0,1-3\nvT\nbT\ndgrid\n' > "$dir/corpus/sweep/seed_grid"
printf 'ptau=normal(10,2)[5,]\nproom=uniform(60,80)\nmcrossing(T,100,down)\ndlhs\nn50\n' > "$dir/corpus/sweep/seed_lhs"
mkdir -p "$dir/findings"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export LSAN_OPTIONS="suppressions=$MIGDEV_ROOT/tests/fuzz/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
for h in "${harnesses[@]}"; do
  log="$dir/fuzz_$h.log"
  if "$dir/tests/fuzz/fuzz_$h" "$dir/corpus/$h" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -max_len=4096 -artifact_prefix="$dir/findings/${h}_" -print_final_stats=1 >"$log" 2>&1; then
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    printf 'fuzz_%-9s %12s executions in %ss, no finding\n' "$h" "$execs" "$seconds"
  else
    echo "fuzz_$h: FINDING (log: $log, input in $dir/findings/)" >&2
    grep -m5 -E 'ERROR|SUMMARY|runtime error' "$log" >&2 || tail -20 "$log" >&2
    status=1
  fi
done
exit $status
