#!/usr/bin/env bash
# The README's first command: install the dependencies, build, install the Python module and
# find the law in an example table (the ideal gas law hidden in P, n, T, V measurements).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
bash tools/build.sh
# The Python module, for the system's python3 (/usr/bin/python3, whatever a version manager put
# first on PATH): afterwards `import kepler` works from any folder.
if [ -f build/tools/python/kepler/__init__.py ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO cmake --install build --component python > /dev/null
  (cd / && /usr/bin/python3 -c "import kepler; print('python module: kepler', kepler.__version__, 'in', kepler.__file__)")
fi
./build/tools/kepler fit datasets/examples/ideal_gas.csv --target P --time-limit 30
