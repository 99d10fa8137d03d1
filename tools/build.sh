#!/usr/bin/env bash
# Configures (once) and builds Kepler in ./build (Release, tests and benchmarks included).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f build/CMakeCache.txt ]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
fi
cmake --build build -j"$(nproc)"
