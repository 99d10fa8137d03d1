#!/usr/bin/env bash
# The README's first command: install the dependencies, build, and find the law in an
# example table (the ideal gas law hidden in P, n, T, V measurements).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
bash tools/build.sh
./build/tools/kepler fit datasets/examples/ideal_gas.csv --target P --time-limit 30
