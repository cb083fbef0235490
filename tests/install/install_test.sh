#!/bin/sh
# install_test.sh BUILD_DIR SOURCE_DIR [subdir]
# Installs the build into a temporary prefix and checks the installed tree:
# the files are where the GNU install directories say, a small C program
# builds against it with pkg-config and with find_package(migdev) (shared and
# static) and prints the analytic Euler result, and the installed CLI reads
# its own plot.gp. With "subdir": builds the same program from a parent
# project that pulls migdev in with add_subdirectory.
set -eu
build=$(cd "$1" && pwd); src=$(cd "$2" && pwd); mode=${3:-install}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
# Euler with dt = 0.25 on x' = -0.1 x, x(0) = 100: x(1) = 100 * 0.975^4
expected="x(1) = 90.3687890625"
version=$(sed -n 's/^project(migdev VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")

if [ "$mode" = deb ]; then
  # cpack -G DEB into the temporary folder; the package's files run from
  # where dpkg would put them (extracted, not installed: a test must not
  # change the machine).
  command -v dpkg-deb >/dev/null || { echo "no dpkg-deb: skipped"; exit 77; }
  cpack -G DEB -B "$tmp/pkg" --config "$build/CPackConfig.cmake" >/dev/null || fail "cpack -G DEB"
  deb=$(ls "$tmp"/pkg/migdev_"$version"_*.deb) || fail "no .deb made"
  deps=$(dpkg-deb -f "$deb" Depends)
  for d in libgsl libconfig libxml2; do
    case $deps in *$d*) ;; *) fail "Depends lacks $d: $deps" ;; esac
  done
  dpkg-deb -x "$deb" "$tmp/root"
  [ "$(LD_LIBRARY_PATH="$tmp/root/usr/lib" "$tmp/root/usr/bin/migdev" --version)" = "migdev $version" ] \
    || fail "the packaged migdev does not run"
  out=$(LD_LIBRARY_PATH="$tmp/root/usr/lib" "$tmp/root/usr/bin/migdev" run \
        "$tmp/root/usr/share/migdev/models/examples/teacup.cfg" -o - 2>/dev/null | head -2) \
    || fail "the packaged migdev cannot run its example"
  case $out in time,*) ;; *) fail "packaged run printed: $out" ;; esac
  echo "deb: ok ($(basename "$deb"); Depends: $deps)"
  exit 0
fi

if [ "$mode" = subdir ]; then
  cmake -S "$src/tests/install/parent" -B "$tmp/b" -DMIGDEV_SOURCE="$src" >/dev/null
  cmake --build "$tmp/b" --target consumer -j2 -- --no-print-directory >/dev/null
  out=$("$tmp/b/consumer") || fail "subdir consumer failed"
  case $out in *"$expected"*) ;; *) fail "subdir consumer printed: $out" ;; esac
  [ ! -e "$tmp/b/migdev/tests" ] || fail "migdev's tests were configured inside the parent"
  echo "add_subdirectory: ok ($out)"
  exit 0
fi

cmake --install "$build" --prefix "$tmp/usr" >/dev/null
p=$tmp/usr
libdir=$(ls -d "$p"/lib*/ | head -1); libdir=${libdir%/}
for f in "$libdir/libmigdev.so.0" "$libdir/libmigdev.a" "$libdir/pkgconfig/migdev.pc" \
         "$libdir/cmake/migdev/migdevConfig.cmake" "$p/include/migdev/migdev.h" \
         "$p/include/migdev/version.h" "$p/include/migdev/export.h" "$p/bin/migdev" \
         "$p/share/migdev/plot.gp" "$p/share/doc/migdev/README.md"; do
  [ -e "$f" ] || fail "not installed: ${f#$p/}"
done
soname=$(objdump -p "$libdir/libmigdev.so" | awk '/SONAME/ {print $2}')
[ "$soname" = libmigdev.so.0 ] || fail "SONAME is '$soname'"
[ -f "$libdir/libmigdev.so.$version" ] || fail "no libmigdev.so.$version"

# pkg-config
export PKG_CONFIG_PATH="$libdir/pkgconfig"
[ "$(pkg-config --modversion migdev)" = "$version" ] || fail "pkg-config version"
# shellcheck disable=SC2046
cc -std=c11 -Wall -Werror -o "$tmp/c1" "$src/tests/install/consumer/consumer.c" \
   $(pkg-config --cflags --libs migdev) || fail "pkg-config build"
readelf -d "$tmp/c1" | grep -q 'NEEDED.*libmigdev.so.0' || fail "c1 does not need libmigdev.so.0"
out=$(LD_LIBRARY_PATH="$libdir" "$tmp/c1") || fail "pkg-config program failed"
[ "$out" = "migdev $version $expected" ] || fail "pkg-config program printed: $out"
echo "pkg-config: ok ($out)"

# CMake package
cmake -S "$src/tests/install/consumer" -B "$tmp/cb" -DCMAKE_PREFIX_PATH="$p" >/dev/null \
  || fail "find_package(migdev)"
cmake --build "$tmp/cb" -- --no-print-directory >/dev/null || fail "CMake consumer build"
for prog in consumer_shared consumer_static; do
  out=$(LD_LIBRARY_PATH="$libdir" "$tmp/cb/$prog") || fail "$prog failed"
  [ "$out" = "migdev $version $expected" ] || fail "$prog printed: $out"
done
readelf -d "$tmp/cb/consumer_static" | grep -q 'NEEDED.*libmigdev' && fail "consumer_static needs libmigdev.so"
echo "find_package: ok"

# The installed CLI uses the installed template (marked so it cannot be
# confused with the source tree's).
if command -v gnuplot >/dev/null; then
  echo 'print "INSTALLED-TEMPLATE"' > "$p/share/migdev/plot.gp"
  err=$(env -u MIGDEV_PLOT_TEMPLATE "$p/bin/migdev" plot "$src/tests/models/logistic.cfg" \
        --terminal dumb 2>&1 >/dev/null) || fail "installed migdev plot"
  case $err in *INSTALLED-TEMPLATE*) ;; *) fail "installed migdev did not read share/migdev/plot.gp" ;; esac
  echo "installed plot.gp: ok"
fi
# Manual page and bash completion, when generated
for f in share/man/man1/migdev.1 share/bash-completion/completions/migdev; do
  if [ -e "$src/cmake/manpage.cmake" ]; then [ -e "$p/$f" ] || fail "not installed: $f"; fi
done
echo "install test passed"
