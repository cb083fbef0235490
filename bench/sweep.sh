#!/usr/bin/env bash
# Sweep benchmark (called by scripts/bench.sh): runs per second of a
# 10,000-run sweep at -j1 and -j2 (and the scaling efficiency), and the peak
# memory of a 1,000,000-run sweep that writes only its summary.
#   bench/sweep.sh MIGDEV_BINARY
# Environment: SWEEP_BENCH_CFG (scenario with a sweep; default: the paper
# model's configs/sweep_remittance_investment.cfg), SWEEP_BENCH_RUNS
# (10000), SWEEP_BENCH_BIG_RUNS (1000000), SWEEP_BENCH_BIG_CFG (the same
# scenario by default).
set -euo pipefail
migdev=$(realpath "$1")
cd "$(dirname "$0")/.."
cfg=${SWEEP_BENCH_CFG:-configs/sweep_remittance_investment.cfg}
if [ ! -f "$cfg" ]; then
  echo "($cfg is not here: using the stand-in configs/sweep_teacup.cfg)"
  cfg=configs/sweep_teacup.cfg
fi
big_cfg=${SWEEP_BENCH_BIG_CFG:-$cfg}
runs=${SWEEP_BENCH_RUNS:-10000}
big=${SWEEP_BENCH_BIG_RUNS:-1000000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }

echo "scenario: $cfg ($runs runs, summary only, no sensitivity); load average now: $(cut -d' ' -f1 /proc/loadavg) on $(nproc) cores"
declare -A rate
for j in 1 2; do
  t0=$(now)
  "$migdev" sweep "$cfg" --runs "$runs" -j "$j" -o "$tmp/s$j.csv" --summary-only --no-sensitivity --no-progress 2>/dev/null
  t1=$(now)
  rate[$j]=$(awk -v n="$runs" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }')
  printf "  -j%d: %8d runs/s  (%.2f s wall)\n" "$j" "${rate[$j]}" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"
done
awk -v a="${rate[1]}" -v b="${rate[2]}" 'BEGIN { printf "  scaling efficiency -j2 vs -j1: %.0f %%\n", 100 * b / (2 * a) }'
if cmp -s "$tmp/s1.csv" "$tmp/s2.csv"; then echo "  -j1 and -j2 summaries: identical bytes"; else echo "  -j1 and -j2 summaries DIFFER"; fi

echo "peak memory: $big_cfg, $big runs, -j2, summary only, no sensitivity"
t0=$(now)
/usr/bin/time -v "$migdev" sweep "$big_cfg" --runs "$big" -j 2 -o "$tmp/big.csv" --summary-only --no-sensitivity \
  --no-progress 2>"$tmp/time.txt" >/dev/null
t1=$(now)
rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tmp/time.txt")
rows=$(($(wc -l <"$tmp/big.csv") - 1))
awk -v r="$rss" -v n="$rows" -v a="$t0" -v b="$t1" \
  'BEGIN { printf "  %d rows written in %.1f s (%.0f runs/s); peak resident memory %.1f MiB\n", n, b - a, n / (b - a), r / 1024 }'
