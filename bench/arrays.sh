#!/usr/bin/env bash
# Arrays in the native format: what flattening costs at load time. For N
# elements, an arrayed model (a stock, its flow, a share of the total over
# the dimension) against the same model written out by hand as N scalar
# entries; `migdev check` (read, flatten, compile) and `migdev run`, best of
# 3 wall-clock seconds. Prints a table; not part of the tests.
#   bench/arrays.sh [MIGDEV_BIN]
set -euo pipefail
bin=${1:-build/migdev}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

arrayed() { # N
  cat <<CFG
time = { start = 0.0; stop = 10.0; dt = 0.25; save_every = 10.0; };
dimensions = ( { name = "cell"; size = $1; } );
constants = ( { name = "rate"; dimensions = ["cell"]; value = 0.01; } );
stocks = ( { name = "s"; dimensions = ["cell"]; init = 1.0; inflows = ["g"]; } );
flows = ( { name = "g"; dimensions = ["cell"]; equation = "rate[cell] * s[cell]"; } );
auxiliaries = ( { name = "total"; equation = "sum(s[*])"; },
                { name = "share"; dimensions = ["cell"]; equation = "s[cell] / total"; } );
CFG
}

flat() { # N: the same, one entry per element (names without brackets)
  echo 'time = { start = 0.0; stop = 10.0; dt = 0.25; save_every = 10.0; };'
  awk -v n="$1" 'BEGIN {
    printf "constants = (\n"; for (i = 1; i <= n; i++) printf "  { name = \"rate_%d\"; value = 0.01; }%s\n", i, i < n ? "," : ""; print ");"
    printf "stocks = (\n"; for (i = 1; i <= n; i++) printf "  { name = \"s_%d\"; init = 1.0; inflows = [\"g_%d\"]; }%s\n", i, i, i < n ? "," : ""; print ");"
    printf "flows = (\n"; for (i = 1; i <= n; i++) printf "  { name = \"g_%d\"; equation = \"rate_%d * s_%d\"; }%s\n", i, i, i, i < n ? "," : ""; print ");"
    # the total in sums of 1,000 terms, as the flattener writes it
    printf "auxiliaries = (\n  { name = \"total\"; equation = \"(s_1"
    for (i = 2; i <= n; i++) printf "%s s_%d", (i - 1) % 1000 == 0 ? ") + (" : " +", i
    printf ")\"; },\n"
    for (i = 1; i <= n; i++) printf "  { name = \"share_%d\"; equation = \"s_%d / total\"; }%s\n", i, i, i < n ? "," : ""; print ");"
  }'
}

best() { # command...: the best of 3 wall-clock seconds
  local b=""
  for _ in 1 2 3; do
    local t0 t1
    t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N)
    b=$(echo "$t0 $t1 $b" | awk '{ d = $2 - $1; if ($3 == "" || d < $3) print d; else print $3 }')
  done
  printf '%.3f' "$b"
}

printf '%-8s %-14s %-14s %-14s %-14s\n' elements "check arrayed" "check flat" "run arrayed" "run flat"
for n in 1000 10000 50000; do
  arrayed "$n" > "$tmp/a.cfg"
  flat "$n" > "$tmp/f.cfg"
  printf '%-8s %-14s %-14s %-14s %-14s\n' "$n" \
    "$(best "$bin" check "$tmp/a.cfg")" "$(best "$bin" check "$tmp/f.cfg")" \
    "$(best "$bin" run "$tmp/a.cfg" -o "$tmp/a.csv")" "$(best "$bin" run "$tmp/f.cfg" -o "$tmp/f.csv")"
done
