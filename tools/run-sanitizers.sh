#!/usr/bin/env bash
# The whole test suite under AddressSanitizer + UndefinedBehaviorSanitizer: configures
# build-asan/ (Debug, -O1), builds everything and runs ctest there. Any sanitizer report fails
# the test that triggered it (UB is not recoverable, ASan stops at the first error), so a clean
# run is one where ctest passes.
#
# Usage: tools/run-sanitizers.sh [JOBS]   (JOBS for the build, default: the number of cores;
# the tests run with -j2). Plain cmake -D flags, so this works with or without CMakePresets.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${1:-$(nproc)}
build=build-asan
sanitize="-fsanitize=address,undefined"
flags="-O1 $sanitize -fno-omit-frame-pointer -fno-sanitize-recover=undefined"

launcher=()
if command -v ccache > /dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi

start=$(date +%s)
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DKEPLER_BUILD_BENCH=OFF "${launcher[@]}" \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$sanitize" -DCMAKE_SHARED_LINKER_FLAGS="$sanitize"
cmake --build "$build" -j"$jobs"
built=$(date +%s)
echo "run-sanitizers: build took $((built - start)) s"

# halt_on_error and a stack trace for UBSan; leaks are reported at exit by ASan (LSan).
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# tests/install_test.sh builds examples/ against the installed (instrumented) libraries with a
# fresh CMake configure, which takes its flags from these: the example must link the runtimes.
export CXXFLAGS="$sanitize" LDFLAGS="$sanitize"
status=0
ctest --test-dir "$build" --output-on-failure -j2 || status=$?
echo "run-sanitizers: tests took $(($(date +%s) - built)) s (exit $status)"
exit "$status"
