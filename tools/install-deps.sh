#!/usr/bin/env bash
# Installs everything Kepler needs to build and test, from Debian 12 packages, and the HTML
# report's pinned JavaScript libraries from the npm registry (`npm ci` in tools/report/web). Safe
# to run twice: when every package is already installed and node_modules matches the lock file
# it changes nothing and needs no network.
set -euo pipefail

packages=(
  build-essential cmake git
  libeigen3-dev        # matrices, least squares
  libtbb-dev           # oneTBB: the parallel search
  libboost-dev         # Spirit X3: formula, unit and CSV grammars
  libgtest-dev libgmock-dev   # tests
  libbenchmark-dev     # micro-benchmarks
  libcli11-dev         # the command line
  libopenmpi-dev openmpi-bin   # Open MPI: mpirun -np N kepler fit|bench (KEPLER_MPI)
  nlohmann-json3-dev   # JSON results
  python3              # the code-layout check (tools/check_code_layout.py)
  python3-dev pybind11-dev python3-numpy   # the Python module (tools/python, `import kepler`)
  python3-pandas python3-sympy python3-sklearn python3-pytest   # optional for it (DataFrames, sympy(), scikit-learn); its tests (pytest) use them
  ccache               # compiler cache: rebuilds after a checkout cost seconds
  clang-14 libclang-rt-14-dev   # libFuzzer targets (tools/run-fuzz.sh)
  chromium             # renders the HTML report in the tests (tests/report_render_test.py)
)
# The HTML report's JavaScript libraries come from the npm registry (tools/report/web): npm, and
# Node.js for it, from Debian unless some other install already put them on PATH.
if ! command -v npm > /dev/null; then
  command -v node > /dev/null || packages+=(nodejs)
  packages+=(npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
else
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The report's libraries (Vega, Vega-Lite, vega-embed, KaTeX) at the versions package-lock.json
# pins; `npm ci` runs again only when the lock file changed since the last install.
web="$(dirname "$0")/report/web"
stamp="$web/node_modules/.kepler-lock.sha256"
lock_sum="$(sha256sum "$web/package-lock.json" | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_sum" ]; then
  echo "install-deps: report libraries present (tools/report/web/node_modules)"
else
  echo "install-deps: npm ci in tools/report/web"
  (cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_sum" > "$stamp"
fi
