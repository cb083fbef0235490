#!/bin/sh
# The conformance test: run the SD test-model suite (skipped when
# ../shared/conformance is absent), every failure listed in the known list,
# and the totals the README quotes equal to the ones the run prints.
# Usage: check_suite.sh SUITE_DIR CONFORMANCE_SH KNOWN_TSV README
suite=$1; runner=$2; known=$3; readme=$4
test -d "$suite" || exit 77
out=$("$runner" --known "$known" "$suite") || { printf '%s\n' "$out"; exit 1; }
printf '%s\n' "$out"
totals=$(printf "%s\n" "$out" | grep -E "^[0-9]+ passed, [0-9]+ failed$" | tail -n 1)
[ -n "$totals" ] && grep -qF "**$totals**" "$readme" || {
  echo "FAIL: README.md does not quote the totals: **$totals**"; exit 1; }
