#!/usr/bin/env bash
# Installs the built project into a scratch prefix, builds examples/ against it with
# find_package(kepler), runs the example and checks that it printed the law F = m*a.
set -euo pipefail
source_dir=$1
binary_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$binary_dir" --prefix "$work/prefix" > "$work/install.log"
cmake -S "$source_dir/examples" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release > "$work/configure.log"
cmake --build "$work/build" -j2 > "$work/build.log"
output=$("$work/build/discover_example")
echo "$output"
case "$output" in
  *"dimensional analysis on"*) ;;
  *) echo "the example ran without units" >&2; exit 1 ;;
esac
case "$output" in
  *"F = m*a"*|*"F = a*m"*) echo "installed package works" ;;
  *) echo "unexpected output from the example" >&2; exit 1 ;;
esac
