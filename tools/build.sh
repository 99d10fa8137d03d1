#!/usr/bin/env bash
# Configures (once) and builds Kepler in ./build (Release, tests and benchmarks included).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f build/CMakeCache.txt ]; then
  launcher=()
  # ccache (installed by install-deps.sh) makes a rebuild of unchanged sources take seconds.
  if command -v ccache > /dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "${launcher[@]}"
fi
cmake --build build -j"$(nproc)"
