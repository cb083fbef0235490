#!/bin/sh
# check_symbols.sh LIBMIGDEV_SO INCLUDE_DIR
# The shared library exports exactly the functions the public headers mark
# MIGDEV_API: nothing without the migdev_ prefix, and none missing.
set -eu
so=$1; inc=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# defined dynamic symbols, version node (MIGDEV_0) aside
nm -D --defined-only "$so" | awk '$3 != "" {print $3}' | sed 's/@.*//' | grep -v '^MIGDEV_[0-9]*$' \
  | sort -u > "$tmp/exported"
grep -ho '^MIGDEV_API [^(]*(' "$inc"/migdev/*.h | sed 's/.*[ *]\(migdev_[a-z0-9_]*\)($/\1/' \
  > "$tmp/declared.f"
# data: MIGDEV_API extern const double migdev_x[5];
grep -ho '^MIGDEV_API extern [^;]*;' "$inc"/migdev/*.h | sed 's/.*[ *]\(migdev_[a-z0-9_]*\).*/\1/' \
  > "$tmp/declared.d"
sort -u "$tmp/declared.f" "$tmp/declared.d" > "$tmp/declared"
[ -s "$tmp/declared" ] || { echo "no MIGDEV_API declarations found in $inc"; exit 1; }
bad=$(grep -v '^migdev_' "$tmp/exported" || true)
if [ -n "$bad" ]; then echo "exported without the migdev_ prefix:"; echo "$bad"; exit 1; fi
missing=$(comm -13 "$tmp/exported" "$tmp/declared")
if [ -n "$missing" ]; then echo "declared MIGDEV_API but not exported:"; echo "$missing"; exit 1; fi
extra=$(comm -23 "$tmp/exported" "$tmp/declared")
if [ -n "$extra" ]; then echo "exported but not declared in a public header:"; echo "$extra"; exit 1; fi
echo "$(wc -l < "$tmp/exported") symbols exported, all migdev_, all declared"
