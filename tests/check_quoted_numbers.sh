#!/usr/bin/env bash
# The regime numbers the README and docs/models.md quote are the ones
# scripts/regime_numbers.py prints.  Usage: check_quoted_numbers.sh MIGDEV SOURCE_DIR
set -euo pipefail
migdev=$1; src=$2
command -v python3 >/dev/null || { echo "SKIP: python3 is not installed"; exit 77; }
out=$(python3 "$src/scripts/regime_numbers.py" "$migdev")
fail=0
while IFS= read -r line; do
  grep -qxF "$line" "$src/README.md" || { echo "FAIL: README.md does not quote: $line"; fail=1; }
done <<< "$out"
# docs/models.md quotes the years and percentages in prose
for y in $(echo "$out" | sed -n 's/^reconversion [a-z_]*: //p'); do
  grep -q "$y" "$src/docs/models.md" || { echo "FAIL: docs/models.md lacks $y"; fail=1; }
done
# the bands over the assumptions (scripts/assumption_bands.py), quoted in
# the README and docs/models.md
bands=$(python3 "$src/scripts/assumption_bands.py" "$migdev")
while IFS= read -r line; do
  grep -qxF "$line" "$src/README.md" || { echo "FAIL: README.md does not quote: $line"; fail=1; }
  grep -qxF "$line" "$src/docs/models.md" || { echo "FAIL: docs/models.md does not quote: $line"; fail=1; }
done <<< "$bands"
# the bands with every sample refitted (scripts/refit_bands.py)
refit=$(python3 "$src/scripts/refit_bands.py" "$migdev")
while IFS= read -r line; do
  grep -qxF "$line" "$src/README.md" || { echo "FAIL: README.md does not quote: $line"; fail=1; }
  grep -qxF "$line" "$src/docs/models.md" || { echo "FAIL: docs/models.md does not quote: $line"; fail=1; }
done <<< "$refit"
bands="$bands
$refit"
loopnums=$(python3 "$src/scripts/loop_numbers.py" "$migdev")
while IFS= read -r line; do
  grep -qxF "$line" "$src/docs/loops.md" || { echo "FAIL: docs/loops.md does not quote: $line"; fail=1; }
done <<< "$loopnums"
mech=$(python3 "$src/scripts/mechanism_effects.py" "$migdev")
while IFS= read -r line; do
  grep -qxF "$line" "$src/docs/models.md" || { echo "FAIL: docs/models.md does not quote: $line"; fail=1; }
done <<< "$mech"
bands="$bands
$mech"
[ $fail = 0 ] && echo "check_quoted_numbers: $(echo "$out$bands" | wc -l) quoted lines agree"
exit $fail
