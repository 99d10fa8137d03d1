#!/usr/bin/env bash
# The README's second command (and exactly what CI runs): install what is missing, build if
# needed, and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
bash tools/build.sh
ctest --test-dir build --output-on-failure -j"$(nproc)"
