#!/usr/bin/env bash
# Engine benchmark (called by scripts/bench.sh; not a test): the VM and the
# native engine against a hand-written C program of the same equations.
#   bench/native.sh MIGDEV_BINARY
# For chain models of 10, 100, 1,000 and 10,000 stocks (5 equations per
# stock: s_i, its inflow f_i and three auxiliaries a_i b_i c_i, s_i fed by
# s_{i-1}), the teacup and the paper model, each run as a sweep (random
# design over one constant, summary only) at -j1 and -j2 with both engines.
# Prints microseconds per run, nanoseconds per equation evaluated, the
# ratio to the hand-written C (chains, teacup: a C program the bench writes,
# one statement per equation, Euler loop, compiled -O2; the paper model:
# bench/paper_hand.py translates its equations into such a program, which
# must print migdev's numbers before it is timed), the native
# compile time (cold cache) and the -j2 parallel efficiency t1/(2 t2).
# Environment:
#   NATIVE_BENCH_SIZES    chain sizes (default "10 100 1000 10000")
#   NATIVE_BENCH_SECONDS  rough time per measurement (default 1.5)
#   CC                    compiler of the hand-written programs (default cc)
set -euo pipefail
migdev=$(realpath "$1")
cd "$(dirname "$0")/.."
root=$PWD
sizes=${NATIVE_BENCH_SIZES:-"10 100 1000 10000"}
secs=${NATIVE_BENCH_SECONDS:-1.5}
cc=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_CACHE_HOME=$tmp/cache
steps=801 # 0..100 by 0.125: evaluations per run (Euler)

# chain model of n stocks
gen_model() {
  local n=$1 out=$2 i last
  last=$((n - 1))
  {
    echo "name = \"chain_$n\";"
    echo "time = { start = 0.0; stop = 100.0; dt = 0.125; save_every = 100.0; };"
    echo 'constants = ( { name = "k"; value = 0.5; }, { name = "tau"; value = 4.0; } );'
    echo "stocks = ("
    for ((i = 0; i < n; i++)); do
      echo "  { name = \"s$i\"; init = 1.0; inflows = [\"f$i\"]; }$([ $i -lt $last ] && echo ,)"
    done
    echo "); flows = ("
    for ((i = 0; i < n; i++)); do
      echo "  { name = \"f$i\"; equation = \"(c$i - s$i) / tau\"; }$([ $i -lt $last ] && echo ,)"
    done
    echo "); auxiliaries = ("
    for ((i = 0; i < n; i++)); do
      if [ $i -eq 0 ]; then prev="time / 100"; else prev="s$((i - 1))"; fi
      echo "  { name = \"a$i\"; equation = \"$prev * k + 1\"; },"
      echo "  { name = \"b$i\"; equation = \"a$i * a$i / (1 + a$i)\"; },"
      echo "  { name = \"c$i\"; equation = \"b$i - 0.01 * s$i\"; }$([ $i -lt $last ] && echo ,)"
    done
    echo ");"
  } > "$out"
}

# the same equations as a C program: one statement per equation, in
# dependency order, Euler steps; prints microseconds per run
gen_hand() {
  local n=$1 out=$2 i per=2000
  {
    echo "#include <stdio.h>"
    echo "#include <stdlib.h>"
    echo "#include <time.h>"
    echo "enum { N = $n };"
    echo "static double s[N], f[N], a[N], b[N], c[N];"
    # split into functions of $per stocks so that -O2 stays quick on big chains
    for ((p = 0; p * per < n; p++)); do
      echo "static void eq$p(double t, double k, double tau) {"
      for ((i = p * per; i < n && i < (p + 1) * per; i++)); do
        if [ $i -eq 0 ]; then prev="t / 100"; else prev="s[$((i - 1))]"; fi
        echo "  a[$i] = $prev * k + 1; b[$i] = a[$i] * a[$i] / (1 + a[$i]);"
        echo "  c[$i] = b[$i] - 0.01 * s[$i]; f[$i] = (c[$i] - s[$i]) / tau;"
      done
      echo "}"
    done
    echo "int main(int argc, char **argv) {"
    echo "  const long runs = atol(argv[1]); double sink = 0.0;"
    echo "  const double tau = argc > 2 ? atof(argv[2]) : 4.0; /* a constant of the run, not of the program */"
    echo "  const clock_t t0 = clock();"
    echo "  for (long r = 0; r < runs; r++) {"
    echo "    const double k = 0.4 + 0.2 * (double)r / (double)runs, dt = 0.125;"
    echo "    for (int i = 0; i < N; i++) s[i] = 1.0;"
    echo "    for (long j = 0;; j++) {"
    echo "      const double t = 0.0 + (double)j * dt;"
    for ((p = 0; p * per < n; p++)); do echo "      eq$p(t, k, tau);"; done
    echo "      if (j == $((steps - 1))) break;"
    echo "      for (int i = 0; i < N; i++) s[i] += dt * f[i];"
    echo "    }"
    echo "    sink += s[N - 1];"
    echo "  }"
    echo "  const double sec = (double)(clock() - t0) / CLOCKS_PER_SEC;"
    echo "  printf(\"%.3f %.17g\\n\", 1e6 * sec / (double)runs, sink);"
    echo "  return 0;"
    echo "}"
  } > "$out"
}

# teacup by hand: T' = -(T - room)/10, dt 0.125, 0..30
cat > "$tmp/teacup_hand.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
int main(int argc, char **argv)
{
    const long runs = atol(argv[1]);
    const double tau = argc > 2 ? atof(argv[2]) : 10.0; /* a constant of the run */
    double sink = 0.0;
    const clock_t t0 = clock(); /* CPU time: other work on the machine does not count */
    for (long r = 0; r < runs; r++) {
        const double room = 60.0 + 20.0 * (double)r / (double)runs, dt = 0.125;
        double T = 180.0, saved = 0.0;
        for (long j = 0;; j++) {
            const double loss = (T - room) / tau;
            if (j % 8 == 0)
                saved += T + loss; /* the 31 save times */
            if (j == 240)
                break;
            T += dt * -loss;
        }
        sink += T + saved;
    }
    const double sec = (double)(clock() - t0) / CLOCKS_PER_SEC;
    printf("%.3f %.17g\n", 1e6 * sec / (double)runs, sink);
    return 0;
}
EOF

# microseconds per run of `migdev sweep`: from its own runs/s (wall clock,
# start-up and compile excluded), or with cpu=1 from the CPU time the whole
# process used (robust on a busy machine; start-up included, small next to
# the runs)
sweep_us() { # file param metric runs jobs engine [cpu]
  local line
  line=$(/usr/bin/time -f "cpu %U %S" "$migdev" sweep "$1" --param "$2" --runs "$4" \
    --design random --metric "$3" --summary-only -o "$tmp/summary.csv" --no-sensitivity \
    --no-progress -j "$5" --engine "$6" 2>&1 >/dev/null | grep -E 'runs/s|^cpu' | tr '\n' ' ')
  if [ "${7:-0}" = 1 ]; then
    echo "$line" | sed -E 's/.*cpu ([0-9.]+) ([0-9.]+).*/\1 \2/' |
      awk -v r="$4" '{printf "%.2f", 1e6 * ($1 + $2) / r}'
  else
    echo "$line" | sed -E 's/.*\(([0-9.e+]+) runs\/s\).*/\1/' |
      awk '{ r = $1 + 0; printf "%.2f", ((r > 0 && r < 1e12) ? 1e6 / r : 0) }'
  fi
}

# runs for about $secs seconds at cost $1 µs per run (at least 2)
runs_for() {
  awk -v us="$1" -v s="$secs" 'BEGIN { if (us < 1) us = 1; r = int(s * 1e6 / us)
    print ((r < 2) ? 2 : ((r > 5000000) ? 5000000 : r)) }'
}

# runs (from $4 up, by tens) until a sweep takes a third of $secs of CPU:
# the first estimate, from two runs, counts the sweep's own start as run time
enough_runs() { # file param metric runs engine
  local r=$4 us
  for _ in 1 2 3 4; do
    us=$(sweep_us "$1" "$2" "$3" "$r" 1 "$5" 1)
    if awk -v us="$us" -v r="$r" -v s="$secs" 'BEGIN { exit !(us * r < s * 1e6 / 3) }'; then
      r=$((r * 10))
    else
      break
    fi
  done
  echo "$r"
}

# CPU seconds (with children: the compiler) of a one-run native sweep
cpu_of() {
  /usr/bin/time -f "cpu %U %S" "$migdev" sweep "$1" --param "$2" --runs 1 --design random \
    --metric "$3" --summary-only -o "$tmp/summary.csv" --no-sensitivity --no-progress -j 1 \
    --engine native 2>&1 >/dev/null | sed -n -E 's/^cpu ([0-9.]+) ([0-9.]+)/\1 \2/p' |
    awk '{ print $1 + $2 }'
}

printf '%-16s %6s %7s | %10s %10s %10s | %8s %8s %8s | %7s %7s | %6s %6s | %8s\n' \
  model eqs engine "µs/run j1" "µs/run j2" "hand C" "ns/eq" "hand" "ratio" "eff j2" "" \
  "vs VM" "" "compile"
bench_one() { # label file param metric n_eq hand_us
  local label=$1 file=$2 param=$3 metric=$4 neq=$5 hand=$6
  local vm1 nat1 vm2 nat2 vm1w nat1w r compile probe
  # cold cache: the compile time, CPU (the compiler included): a one-run
  # sweep minus the same warm
  rm -rf "$XDG_CACHE_HOME"
  probe=$(cpu_of "$file" "$param" "$metric")
  compile=$(awk -v p="$probe" -v w="$(cpu_of "$file" "$param" "$metric")" \
    'BEGIN { printf "%.2f s", p - w }')
  vm1=$(sweep_us "$file" "$param" "$metric" 2 1 vm)
  r=$(runs_for "$vm1")
  r=$(enough_runs "$file" "$param" "$metric" "$r" vm)
  vm1=$(sweep_us "$file" "$param" "$metric" "$r" 1 vm 1)
  vm1w=$(sweep_us "$file" "$param" "$metric" "$r" 1 vm)
  vm2=$(sweep_us "$file" "$param" "$metric" "$r" 2 vm)
  nat1=$(sweep_us "$file" "$param" "$metric" 2 1 native)
  r=$(runs_for "$nat1")
  r=$(enough_runs "$file" "$param" "$metric" "$r" native)
  nat1=$(sweep_us "$file" "$param" "$metric" "$r" 1 native 1)
  nat1w=$(sweep_us "$file" "$param" "$metric" "$r" 1 native)
  nat2=$(sweep_us "$file" "$param" "$metric" "$r" 2 native)
  for e in vm native; do
    if [ $e = vm ]; then a=$vm1 aw=$vm1w b=$vm2; else a=$nat1 aw=$nat1w b=$nat2; fi
    awk -v l="$label" -v n="$neq" -v e="$e" -v a="$a" -v aw="$aw" -v b="$b" -v h="$hand" -v st="$steps" \
        -v vm="$vm1" -v c="$compile" 'BEGIN {
      hs = h == "" ? "-" : sprintf("%.2f", h)
      ns = 1000 * a / (st * n); hn = h == "" ? "-" : sprintf("%.2f", 1000 * h / (st * n))
      ra = h == "" ? "-" : sprintf("%.2fx", a / h)
      printf "%-16s %6d %7s | %10.2f %10.2f %10s | %8.2f %8s %8s | %6.0f%% %7s | %5.1fx %6s | %8s\n",
        l, n, e, a, b, hs, ns, hn, ra, 100 * aw / (2 * b), "", vm / a, "", e == "native" ? c : "" }'
  done
}

for n in $sizes; do
  gen_model "$n" "$tmp/chain_$n.cfg"
  gen_hand "$n" "$tmp/hand_$n.c"
  "$cc" -O2 -o "$tmp/hand_$n" "$tmp/hand_$n.c"
  hr=$(awk -v n="$n" -v s="$secs" 'BEGIN { r = int(s * 1e9 / (n * 5 * 801 * 2)); print r < 2 ? 2 : r }')
  hand=$("$tmp/hand_$n" "$hr" 4 | cut -d' ' -f1)
  bench_one "chain $n" "$tmp/chain_$n.cfg" "k=uniform(0.4,0.6)" "final(s$((n - 1)))" $((5 * n)) "$hand"
done

"$cc" -O2 -o "$tmp/teacup_hand" "$tmp/teacup_hand.c"
hand=$("$tmp/teacup_hand" 2000000 10 | cut -d' ' -f1)
steps=241 bench_one teacup models/examples/teacup.cfg "room_temperature=uniform(60,80)" \
  "final(teacup_temperature)" 4 "$hand"

paper=models/migration_development.cfg
n_eq=$("$migdev" list "$paper" | awk -F'\t' 'NR > 1 && $2 != "constant"' | wc -l)
pspan=$(awk '/^time/ { for (i = 1; i <= NF; i++) { if ($i == "start") s = $(i+2); if ($i == "stop") e = $(i+2); if ($i == "dt") d = $(i+2) } } END { gsub(";", "", s); gsub(";", "", e); gsub(";", "", d); print int((e - s) / d + 1.5) }' "$paper")
# the paper model by hand (bench/paper_hand.py: the equations translated from
# the model file, operator for operator), checked to give migdev's numbers
# before it is timed
hand=""
if python3 bench/paper_hand.py "$paper" "$tmp/paper_hand.c" emigration_base_rate &&
  "$cc" -O2 -o "$tmp/paper_hand" "$tmp/paper_hand.c" -lm; then
  "$migdev" run "$paper" --engine vm -o "$tmp/paper_vm.csv" 2>/dev/null
  "$tmp/paper_hand" 0 > "$tmp/paper_hand.csv"
  if python3 bench/compare_tables.py "$tmp/paper_vm.csv" "$tmp/paper_hand.csv" >&2; then
    hand=$("$tmp/paper_hand" "$(awk -v s="$secs" 'BEGIN { print int(s * 1e6 / 500) + 2 }')" \
      0.01 0.03 | cut -d' ' -f1)
  else
    echo "paper model: the hand-written C does not give migdev's numbers; not timed" >&2
  fi
fi
steps=$pspan bench_one "paper model" "$paper" "emigration_base_rate=uniform(0.01,0.03)" \
  "final(remittances)" "$n_eq" "$hand"
echo "(µs/run j1: CPU time of the sweep per run; µs/run j2: wall clock per run from the sweep's"
echo " runs/s; hand C: CPU time per run; ns/eq = µs per run / (evaluations x equations);"
echo " eff j2 = wall t(j1) / (2 t(j2)), meaningful on a quiet machine only;"
echo " compile = CPU of a cold-cache one-run sweep, compiler included, minus a warm one)"
