#!/usr/bin/env bash
# The large sensor logs, generated on demand and never checked in (datasets/sensor-logs/README.md):
#   - the load figure: one log of ROWS rows x 100 channels (default 1,000,000 rows, about 0.65 GB);
#   - the fit-time-vs-channels figure: the same rig and law at 10, 30, 100, 300 and 1,000 channels
#     (2,000 rows each; a log with more channels holds the columns of one with fewer, unchanged).
#
# Usage: datasets/sensor-logs/generate_large.sh [OUT_DIR]     (default build-sensor-logs/, git-ignored)
#        KEPLER=path/to/kepler RIG=heated-wire ROWS=1500000 datasets/sensor-logs/generate_large.sh
set -euo pipefail

KEPLER=${KEPLER:-build/tools/kepler}
RIG=${RIG:-gas-piston}
ROWS=${ROWS:-1000000}
OUT=${1:-build-sensor-logs}

if [[ ! -x "$KEPLER" ]]; then
    echo "generate_large.sh: no kepler executable at '$KEPLER' (build it, or set KEPLER=...)" >&2
    exit 2
fi
mkdir -p "$OUT"

"$KEPLER" gen rig "$RIG" --rows "$ROWS" --channels 100 --seed 1 --out "$OUT/$RIG-rows$ROWS-ch100.csv"
for channels in 10 30 100 300 1000; do
    "$KEPLER" gen rig "$RIG" --rows 2000 --channels "$channels" --seed 1 --out "$OUT/$RIG-rows2000-ch$channels.csv"
done
ls -l "$OUT"
