#!/usr/bin/env bash
# Parallel efficiency of sweeps (called by scripts/bench.sh; not a test):
# -j1 and -j2 runs of the same sweep, interleaved, repeated, so that other
# work on the machine hits both alike.
#   bench/parallel.sh MIGDEV_BINARY
# For each model and engine prints, over PARALLEL_REPS pairs (default 5):
# CPU microseconds per run at -j1 and -j2 (user + system of the whole
# process: what the threads cost, whatever the load), their ratio, the wall
# efficiency t(j1) / (2 t(j2)) as median and range, and the machine's load
# average when it started. The wall efficiency means something on a quiet
# machine only: on a busy one the second core is not free.
set -euo pipefail
migdev=$(realpath "$1")
cd "$(dirname "$0")/.."
reps=${PARALLEL_REPS:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_CACHE_HOME=$tmp/cache

# chain of 100 stocks (as bench/native.sh)
{
  echo 'name = "chain"; time = { start = 0.0; stop = 100.0; dt = 0.125; save_every = 100.0; };'
  echo 'constants = ( { name = "k"; value = 0.5; }, { name = "tau"; value = 4.0; } );'
  echo "stocks = ("
  for ((i = 0; i < 100; i++)); do echo "  { name = \"s$i\"; init = 1.0; inflows = [\"f$i\"]; }$([ $i -lt 99 ] && echo ,)"; done
  echo "); flows = ("
  for ((i = 0; i < 100; i++)); do echo "  { name = \"f$i\"; equation = \"(c$i - s$i) / tau\"; }$([ $i -lt 99 ] && echo ,)"; done
  echo "); auxiliaries = ("
  for ((i = 0; i < 100; i++)); do
    if [ $i -eq 0 ]; then prev="time / 100"; else prev="s$((i - 1))"; fi
    echo "  { name = \"a$i\"; equation = \"$prev * k + 1\"; }, { name = \"b$i\"; equation = \"a$i * a$i / (1 + a$i)\"; },"
    echo "  { name = \"c$i\"; equation = \"b$i - 0.01 * s$i\"; }$([ $i -lt 99 ] && echo ,)"
  done
  echo ");"
} > "$tmp/chain.cfg"

one() { # file param metric runs jobs engine -> "wall cpu"
  /usr/bin/time -f "%e %U %S" "$migdev" sweep "$1" --param "$2" --runs "$4" --design random \
    --metric "$3" --summary-only -o "$tmp/s.csv" --no-sensitivity --no-progress -j "$5" \
    --engine "$6" 2>&1 >/dev/null | tail -1 | awk '{ print $1, $2 + $3 }'
}

measure() { # label file param metric runs engine
  local label=$1 f=$2 p=$3 mt=$4 n=$5 e=$6 i a b
  one "$f" "$p" "$mt" 2 1 "$e" >/dev/null # compile (native) outside the timing
  : > "$tmp/pairs"
  for ((i = 0; i < reps; i++)); do
    a=$(one "$f" "$p" "$mt" "$n" 1 "$e")
    b=$(one "$f" "$p" "$mt" "$n" 2 "$e")
    echo "$a $b" >> "$tmp/pairs"
  done
  awk '{ print $1 / (2 * $3) }' "$tmp/pairs" | sort -g > "$tmp/eff"
  awk -v l="$label" -v e="$e" -v n="$n" -v effs="$(tr '\n' ' ' < "$tmp/eff")" '
    { c1 += $2; c2 += $4 }
    END {
      m = split(effs, s, " ")
      printf "%-8s %-7s %8d | %10.2f %10.2f %5.2fx | %7.0f%% %6.0f%%..%3.0f%%\n", l, e, n,
        1e6 * c1 / (NR * n), 1e6 * c2 / (NR * n), c2 / c1, 100 * s[int((m + 1) / 2)],
        100 * s[1], 100 * s[m] }' "$tmp/pairs"
}
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
printf '%-8s %-7s %8s | %10s %10s %6s | %8s %15s\n' model engine runs "cpu µs j1" "cpu µs j2" \
  ratio "eff j2" "(min..max)"
measure teacup models/examples/teacup.cfg "room_temperature=uniform(60,80)" \
  "final(teacup_temperature)" 300000 vm
measure teacup models/examples/teacup.cfg "room_temperature=uniform(60,80)" \
  "final(teacup_temperature)" 300000 native
measure chain100 "$tmp/chain.cfg" "k=uniform(0.4,0.6)" "final(s99)" 3000 vm
measure chain100 "$tmp/chain.cfg" "k=uniform(0.4,0.6)" "final(s99)" 6000 native
echo "(cpu µs: user + system time of the sweep per run, mean of the repetitions; ratio: j2/j1,"
echo " 1.00x when the second thread costs nothing extra; eff j2 = wall t(j1) / (2 t(j2)),"
echo " median and range over the interleaved pairs)"
