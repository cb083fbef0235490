#!/usr/bin/env bash
# Self-test of scripts/conformance.sh on tests/conformance/selftest, whose
# expected outputs were written by hand: CR line endings, names differing in
# case and spaces, blank cells, a value 1e-5 off (passes), one 2e-4 off
# (fails), a column the model lacks (listed), and blank cells that repeat
# the first row's value (0) where the model's clock moves on (fails), times
# rounded to 6 significant digits (10.0312 for 10.03125: passes).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$("$here/../../scripts/conformance.sh" "$here/selftest" 2>&1)
status=$?
echo "$out"
fail() { echo "self-test: $1" >&2; exit 1; }
[ "$status" -eq 1 ] || fail "exit status $status, expected 1 (a case fails)"
grep -q '^PASS  pass__model .*4 rows x 2 columns, worst |diff| 1e-05 (LEVEL at t=2)' <<<"$out" || fail "pass case"
grep -q 'columns not in the model (not compared): not in model' <<<"$out" || fail "missing column not listed"
grep -q '^FAIL  fail__model .*level at t=3: expected 6.0002, got 6 ' <<<"$out" || fail "fail case"
grep -q '^FAIL  blank__model .*Clock at t=1: expected 0, got 1 ' <<<"$out" || fail "blank cells"
grep -q '^PASS  rounded__model .*4 rows x 1 columns' <<<"$out" || fail "rounded times (10.0312 for 10.03125)"
grep -q '^2 passed, 2 failed$' <<<"$out" || fail "summary"
echo "self-test passed"
