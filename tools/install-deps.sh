#!/usr/bin/env bash
# Installs everything Kepler needs to build and test, from Debian 12 packages. Safe to run
# twice: when every package is already installed it changes nothing and needs no network.
set -euo pipefail

packages=(
  build-essential cmake git
  libeigen3-dev        # matrices, least squares
  libtbb-dev           # oneTBB: the parallel search
  libboost-dev         # Spirit X3: formula, unit and CSV grammars
  libgtest-dev libgmock-dev   # tests
  libbenchmark-dev     # micro-benchmarks
  libcli11-dev         # the command line
  nlohmann-json3-dev   # JSON results
  python3              # the code-layout check (tools/check_code_layout.py)
  python3-dev pybind11-dev python3-numpy   # the Python module (tools/python, `import kepler`)
  python3-pandas python3-sympy python3-sklearn python3-pytest   # optional for it (DataFrames, sympy(), scikit-learn); its tests (pytest) use them
  ccache               # compiler cache: rebuilds after a checkout cost seconds
  clang-14 libclang-rt-14-dev   # libFuzzer targets (tools/run-fuzz.sh)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
