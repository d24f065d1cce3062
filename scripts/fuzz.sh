#!/usr/bin/env bash
# Builds the libFuzzer harnesses (tests/fuzz; clang with ASan + UBSan, into build-fuzz) and runs each for a number
# of executions from its committed seed corpus, printing executions and crashes per harness.
# Usage: scripts/fuzz.sh [RUNS] [HARNESS...]      default: 1000000 executions of every harness
# (CI runs the shorter fixed counts registered as CTests: scripts/fuzz.sh ci, i.e. ctest in build-fuzz.)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1000000}
shift || true
all=(fuzz_block_string fuzz_network_yaml fuzz_accel_yaml fuzz_experiment_yaml fuzz_ts_walker)
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=("${all[@]}")
jobs=$(nproc 2>/dev/null || echo 2)

cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DRIDGEPOINT_FUZZ=ON \
  -DRIDGEPOINT_SANITIZE=address,undefined -DRIDGEPOINT_BUILD_TESTS=OFF -DRIDGEPOINT_BUILD_BENCHMARKS=OFF \
  -DRIDGEPOINT_BUILD_PYTHON=OFF -DCMAKE_UNITY_BUILD=ON >/dev/null  # unity: as scripts/build.sh says why
cmake --build build-fuzz -j "$jobs" --target "${harnesses[@]}"

if [ "$runs" = ci ]; then
  cd build-fuzz
  exec ctest --output-on-failure -j "$jobs"
fi
status=0
for h in "${harnesses[@]}"; do
  bash tests/fuzz/run_harness.sh "build-fuzz/tests/fuzz/$h" "$h" "$runs" build-fuzz/fuzz-runs || status=1
done
exit "$status"
