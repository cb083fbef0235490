#!/usr/bin/env bash
# Run the cases of a system-dynamics test-model folder (the SDXorg
# test-models layout: DIR/cases-all.tsv -- every case, .mdl and XMILE --,
# else DIR/cases.tsv, else every *.xmile next to an output.csv or
# output.tab) with migdev and compare each with its expected output.
#
#   scripts/conformance.sh [--known FILE] [-v] [DIR]    (DIR: ../shared/conformance)
#
# A value passes when |expected - actual| <= 1e-5 + 1e-5*|actual|, at every
# row of the expected output. Rows are matched by time (within 1e-6, or
# half a unit of the last digit of a time written with 6 significant digits
# or more, as Vensim rounds its time column). Columns are matched by name, case-insensitively,
# with spaces and underscores (and runs of them) equal, a header cell's
# quotes (a TSV cell "x[a,b]" quoted for its comma) removed; a blank cell repeats
# the first row's value; expected columns that the model lacks are listed, not
# silently dropped, and the shared columns are compared. Prints PASS or FAIL
# per case with the worst deviation, then "N passed, M failed".
#
# --known FILE: a TSV of case_id<TAB>reason for cases that are known not to
# be reproducible from their files. They still count as failed, are shown
# with their reason, and do not make the exit status non-zero; a known case
# that passes does (update the list). -v: print the notes of passing cases.
# Exit status: 0 when every case passes (or fails as listed), 1 otherwise,
# 2 for bad usage. MIGDEV_BIN overrides the migdev executable.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
known=""
verbose=0
dir=""
while [ $# -gt 0 ]; do
  case $1 in
    --known) [ $# -ge 2 ] || { echo "conformance.sh: --known needs a file" >&2; exit 2; }
             known=$2; shift 2 ;;
    -v) verbose=1; shift ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "conformance.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    *) [ -z "$dir" ] || { echo "conformance.sh: one folder at a time" >&2; exit 2; }
       dir=$1; shift ;;
  esac
done
dir=${dir:-$root/../shared/conformance}
bin=${MIGDEV_BIN:-$root/build/migdev}
[ -d "$dir" ] || { echo "conformance.sh: no folder '$dir'" >&2; exit 2; }
[ -x "$bin" ] || { echo "conformance.sh: '$bin' is missing: build first (scripts/test.sh)" >&2; exit 2; }
[ -z "$known" ] || [ -r "$known" ] || { echo "conformance.sh: cannot read '$known'" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The cases: id, folder, model file, output file.
cases="$tmp/cases"
if [ -f "$dir/cases-all.tsv" ]; then
  # case_id split format folder model_file output_file: every case, both formats
  awk -F'\t' 'NR > 1 && NF >= 6 && $1 !~ /^#/ { print $1 "\t" $4 "\t" $5 "\t" $6 }' \
    "$dir/cases-all.tsv" | tr -d '\r' > "$cases"
elif [ -f "$dir/cases.tsv" ]; then
  awk -F'\t' 'NR > 1 && NF >= 5 && $1 !~ /^#/ { print $1 "\t" $3 "\t" $4 "\t" $5 }' \
    "$dir/cases.tsv" | tr -d '\r' > "$cases"
else
  find "$dir" -name '*.xmile' | sort | while read -r f; do
    d=$(dirname "$f"); rel=${d#"$dir"/}
    out=""
    for o in output.csv output.tab; do [ -f "$d/$o" ] && out=$o && break; done
    [ -n "$out" ] || continue
    b=$(basename "$f")
    printf '%s\t%s\t%s\t%s\n' "$(echo "$rel" | tr '/' '_')__${b%.xmile}" "$rel" "$b" "$out"
  done > "$cases"
fi

# compare MODEL.tsv EXPECTED(normalized to LF) SEP -> one line:
# PASS|FAIL <tab> detail <tab> expected columns missing from the model
compare() {
  awk -v esep="$3" '
    function norm(s) {
      if (s ~ /^".*"$/) { s = substr(s, 2, length(s) - 2); gsub(/""/, "\"", s) } # a quoted cell
      s = tolower(s); gsub(/[ \t_]+/, "_", s); sub(/^_/, "", s); sub(/_$/, "", s); return s
    }
    function num(s) {
      gsub(/^[ \t]+|[ \t]+$/, "", s); return s
    }
    function isnum(s) {
      return s ~ /^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/
    }
    function abs(x) { return x < 0 ? -x : x }
    FNR == 1 { part++ }
    part == 1 && FNR == 1 { for (i = 1; i <= NF; i++) mcol[norm($i)] = i; next }
    part == 1 { nm++; mt[nm] = $1 + 0; for (i = 1; i <= NF; i++) mv[nm, i] = $i; next }
    part == 2 && FNR == 1 {
      FS = esep; $0 = $0
      if (norm($1) != "time") { bad = "the first column of the expected output is not time"; exit }
      ne = NF
      for (i = 2; i <= NF; i++) {
        h = norm($i); ename[i] = $i
        if (h in mcol) { emap[i] = mcol[h]; ncmp++ }
        else missing = missing (missing == "" ? "" : ", ") $i
      }
      if (ncmp == 0) { bad = "no column of the expected output is in the model"; exit }
      p = 1; next
    }
    part == 2 {
      if ($0 ~ /^[ \t,]*$/) next
      t = num($1)
      if (!isnum(t)) { bad = "bad time value \"" t "\" in the expected output"; exit }
      tol = 1e-6 * (1 + abs(t + 0))
      # a time written with 6 significant digits or more was rounded (Vensim
      # writes 10.0312 for 10.03125): it matches within half a unit of its
      # last digit, to the nearest row
      ts = t; sub(/^[-+]?0*/, "", ts); sig = ts; gsub(/[^0-9]/, "", sig); sub(/^0*/, "", sig)
      if (t !~ /[eE]/ && length(sig) >= 6 && index(t, ".") > 0) {
        half = 0.5 * 10 ^ -(length(t) - index(t, "."))
        if (half * 1.000001 > tol) tol = half * 1.000001
      }
      t += 0
      while (p <= nm && mt[p] < t - tol) p++
      if (p < nm && abs(mt[p + 1] - t) < abs(mt[p] - t)) p++
      if (p > nm || mt[p] > t + tol) { bad = "the model has no row at time " num($1); exit }
      rows++
      for (i = 2; i <= ne; i++) {
        if (!(i in emap)) continue
        cell = num($i)
        if (cell == "") { if (!(i in first)) continue; cell = first[i] }
        if (!(i in first)) first[i] = cell
        got = mv[p, emap[i]]
        if (!isnum(cell) || !isnum(got)) {
          if (tolower(cell) != tolower(got) && !nfail++)
            failmsg = sprintf("%s at t=%s: expected %s, got %s", ename[i], num($1), cell, got)
          continue
        }
        e = cell + 0; a = got + 0; d = abs(e - a)
        if (d > worst || wcol == "") { worst = d; wcol = ename[i]; wt = num($1) }
        if (d > 1e-5 + 1e-5 * abs(a) && !nfail++)
          failmsg = sprintf("%s at t=%s: expected %s, got %.10g (|diff| %.3g)", ename[i], num($1), cell, a, d)
      }
    }
    END {
      if (bad != "") { printf "FAIL\t%s\t%s\n", bad, missing; exit }
      if (rows == 0) { printf "FAIL\tthe expected output has no rows\t%s\n", missing; exit }
      detail = sprintf("%d rows x %d columns, worst |diff| %.3g (%s at t=%s)", rows, ncmp, worst, wcol, wt)
      if (nfail) printf "FAIL\t%d values off; first: %s; %s\t%s\n", nfail, failmsg, detail, missing
      else printf "PASS\t%s\t%s\n", detail, missing
    }' FS='\t' "$1" "$2"
}

reason_of() { # known-failure reason of case $1, or empty
  [ -n "$known" ] || return 0
  awk -F'\t' -v id="$1" '$1 == id { print $2; exit }' "$known"
}

passed=0 failed=0 xfail=0 xpass=0
while IFS=$'\t' read -r id folder model output; do
  [ -n "$id" ] || continue
  mfile="$dir/$folder/$model" efile="$dir/$folder/$output"
  reason=$(reason_of "$id")
  verdict="" detail="" missing=""
  if [ ! -f "$efile" ]; then
    verdict=FAIL detail="no expected output $folder/$output"
  elif ! "$bin" run "$mfile" --format tsv -o "$tmp/out.tsv" 2> "$tmp/err"; then
    verdict=FAIL detail="migdev: $(head -n 1 "$tmp/err" | sed "s|$dir/||")"
  else
    case $output in *.csv) sep=',' ;; *) sep='\t' ;; esac
    tr '\r' '\n' < "$efile" > "$tmp/expected"
    IFS=$'\t' read -r verdict detail missing < <(compare "$tmp/out.tsv" "$tmp/expected" "$sep")
  fi
  if [ "$verdict" = PASS ]; then
    passed=$((passed + 1))
    if [ -n "$reason" ]; then
      xpass=$((xpass + 1))
      printf 'PASS  %-55s %s\n      (listed as a known failure: update %s)\n' "$id" "$detail" "$known"
    else
      printf 'PASS  %-55s %s\n' "$id" "$detail"
    fi
  else
    failed=$((failed + 1))
    printf 'FAIL  %-55s %s\n' "$id" "$detail"
    if [ -n "$reason" ]; then
      xfail=$((xfail + 1))
      printf '      known: %s\n' "$reason"
    fi
  fi
  if [ -n "$missing" ] && { [ "$verdict" != PASS ] || [ "$verbose" = 1 ] || true; }; then
    printf '      columns not in the model (not compared): %s\n' "$missing"
  fi
done < "$cases"

echo "$passed passed, $failed failed"
[ -z "$known" ] || echo "($xfail of the failures are known, see $known)"
if [ "$xpass" -gt 0 ] || [ $((failed - xfail)) -gt 0 ]; then
  exit 1
fi
exit 0
