#!/bin/sh
# pip_install_test.sh PYTHON LIBMIGDEV SOURCE_DIR
# `pip install ./python` offline (--no-index: nothing downloaded) into a
# fresh virtual environment that sees Debian's packages (pandas), then use
# the installed module from outside the source tree.
set -eu
py=$1; libso=$2; src=$3
"$py" -c 'import venv, ensurepip, pandas' 2>/dev/null || { echo "no venv/ensurepip/pandas: skipped"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$py" -m venv --system-site-packages "$tmp/venv"
# a copy: pip builds in the source folder and must not litter the tree
cp -r "$src/python" "$tmp/python"
rm -rf "$tmp/python/build" "$tmp/python/"*.egg-info
"$tmp/venv/bin/python" -m pip install --no-index --no-cache-dir -q "$tmp/python" \
  || { echo "FAIL: pip install ./python"; exit 1; }
cd "$tmp"
out=$(MIGDEV_LIBRARY="$libso" "$tmp/venv/bin/python" -c '
import sys, migdev
assert "/venv/" in migdev.__file__, migdev.__file__
df = migdev.load(sys.argv[1]).run(vars=["population"])
print(migdev.version(), len(df), "%.12g" % df["population"].iloc[1])
' "$src/tests/models/logistic.cfg") || { echo "FAIL: the installed module"; exit 1; }
# Euler, dt = 1: P(1) = 5 + 0.12 * 5 * (1 - 5/1000) = 5.597
case $out in *" 101 5.597"*) echo "pip install: ok ($out)" ;;
  *) echo "FAIL: the installed module printed: $out"; exit 1 ;; esac
