#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) in build-fuzz/ with clang and runs each for a while,
# starting from the checked-in corpus (tests/fuzz/corpus/<target>) and its dictionary. Prints each
# target's executions and coverage; exits non-zero if any target crashed, hit a sanitizer report
# or a failed round-trip property (the input is saved as build-fuzz/fuzz-artifacts/<target>-*).
#
# Usage: tools/run-fuzz.sh [SECONDS] [TARGET...]
#   SECONDS  per target (default 60); TARGET among formula csv unit unit_system (default: all).
# Environment: KEPLER_FUZZ_RUNS=N stops each target after N executions instead (-runs), for a
# long run; KEPLER_FUZZ_JOBS sets the build's parallelism (default: the number of cores).
# Needs clang-14 and libclang-rt-14-dev (the libFuzzer runtime).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then targets=(formula csv unit unit_system); fi
build=build-fuzz
if ! command -v clang++-14 > /dev/null || ! ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a > /dev/null 2>&1; then
  echo "run-fuzz: needs clang++-14 and libFuzzer: apt-get install clang-14 libclang-rt-14-dev" >&2
  exit 2
fi

launcher=()
if command -v ccache > /dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
start=$(date +%s)
CC=clang-14 CXX=clang++-14 cmake -S . -B "$build" -DKEPLER_FUZZ=ON -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS=-g -DKEPLER_BUILD_TESTS=OFF -DKEPLER_BUILD_BENCH=OFF "${launcher[@]}" > /dev/null
cmake --build "$build" -j"${KEPLER_FUZZ_JOBS:-$(nproc)}" --target "${targets[@]/#/kepler_fuzz_}"
echo "run-fuzz: build took $(($(date +%s) - start)) s"

failed=()
for target in "${targets[@]}"; do
  # New inputs go to the first corpus folder (in the build tree); the checked-in one is only read.
  work="$build/fuzz-corpus/$target"
  artifacts="$build/fuzz-artifacts"
  log="$build/fuzz-$target.log"
  mkdir -p "$work" "$artifacts"
  limit=(-max_total_time="$seconds")
  if [ -n "${KEPLER_FUZZ_RUNS:-}" ]; then limit=(-runs="$KEPLER_FUZZ_RUNS"); fi
  status=0
  "$build/tests/fuzz/kepler_fuzz_$target" "${limit[@]}" -timeout=20 -print_final_stats=1 \
    -dict="tests/fuzz/dict/$target.dict" -artifact_prefix="$artifacts/$target-" \
    "$work" "tests/fuzz/corpus/$target" > "$log" 2>&1 || status=$?
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  coverage=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1)
  echo "run-fuzz: $target: ${executions:-?} executions, ${coverage:-no coverage line}, exit $status"
  if [ "$status" -ne 0 ]; then
    failed+=("$target")
    grep -A30 -m1 -E '^==[0-9]+==ERROR|runtime error|fuzz property failed|deadly signal' "$log" || tail -30 "$log"
  fi
done
if [ ${#failed[@]} -ne 0 ]; then
  echo "run-fuzz: FAILED: ${failed[*]} (logs: $build/fuzz-<target>.log, inputs: $build/fuzz-artifacts/)" >&2
  exit 1
fi
echo "run-fuzz: no crashes"
