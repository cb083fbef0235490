#!/usr/bin/env bash
# Sweep benchmark (called by scripts/bench.sh): runs per second of a
# 10,000-run sweep of the paper model at -j1 and -j2 (and the scaling
# efficiency), and the peak memory of a 1,000,000-run sweep that writes its
# summary only.
#   bench/sweep.sh MIGDEV_BINARY
# Environment:
#   SWEEP_BENCH_CFG       scenario of the runs/s part
#                         (default configs/sweep_remittance_investment.cfg)
#   SWEEP_BENCH_RUNS      its number of runs (10000)
#   SWEEP_BENCH_BIG_CFG   scenario of the memory part (default
#                         configs/sweep_teacup.cfg: a million runs of the paper
#                         model take hours on two cores; memory does not
#                         depend on the number of runs, which is the point)
#   SWEEP_BENCH_BIG_RUNS  its number of runs (1000000)
set -euo pipefail
migdev=$(realpath "$1")
cd "$(dirname "$0")/.."
cfg=${SWEEP_BENCH_CFG:-configs/sweep_remittance_investment.cfg}
if [ ! -f "$cfg" ]; then
  echo "($cfg is not here: using the stand-in configs/sweep_teacup.cfg)"
  cfg=configs/sweep_teacup.cfg
fi
big_cfg=${SWEEP_BENCH_BIG_CFG:-configs/sweep_teacup.cfg}
runs=${SWEEP_BENCH_RUNS:-10000}
big=${SWEEP_BENCH_BIG_RUNS:-1000000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }
rss_mib() { awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$1"; }

echo "$cfg: $runs runs, summary only, no sensitivity"
echo "  (load average before: $(cut -d' ' -f1 /proc/loadavg) on $(nproc) cores; other jobs slow it down)"
declare -A rate
for j in 1 2; do
  t0=$(now)
  /usr/bin/time -v "$migdev" sweep "$cfg" --runs "$runs" -j "$j" -o "$tmp/s$j.csv" --summary-only \
    --no-sensitivity --no-progress 2>"$tmp/time$j.txt" >/dev/null
  t1=$(now)
  rate[$j]=$(awk -v n="$runs" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }')
  cpu=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { print u + s }' "$tmp/time$j.txt")
  printf "  -j%d: %6d runs/s  (%.1f s wall, %.1f s CPU, peak memory %s MiB)\n" "$j" "${rate[$j]}" \
    "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" "$cpu" "$(rss_mib "$tmp/time$j.txt")"
done
awk -v a="${rate[1]}" -v b="${rate[2]}" 'BEGIN { printf "  scaling efficiency -j2 vs -j1: %.0f %% (speed-up %.2f)\n", 100 * b / (2 * a), b / a }'
if cmp -s "$tmp/s1.csv" "$tmp/s2.csv"; then echo "  -j1 and -j2 summaries: identical bytes"; else echo "  -j1 and -j2 summaries DIFFER"; fi

echo "$big_cfg: $big runs, -j2, summary only, no sensitivity"
t0=$(now)
/usr/bin/time -v "$migdev" sweep "$big_cfg" --runs "$big" -j 2 -o "$tmp/big.csv" --summary-only \
  --no-sensitivity --no-progress 2>"$tmp/time.txt" >/dev/null
t1=$(now)
rows=$(($(wc -l <"$tmp/big.csv") - 1))
awk -v n="$rows" -v a="$t0" -v b="$t1" -v m="$(rss_mib "$tmp/time.txt")" \
  'BEGIN { printf "  %d rows in %.1f s (%.0f runs/s); peak resident memory %s MiB\n", n, b - a, n / (b - a), m }'
